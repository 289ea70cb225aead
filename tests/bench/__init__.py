"""Benchmarks against the official client; run with ``tox -e bench``, never in the unit run."""
