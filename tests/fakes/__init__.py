"""Loopback fakes of the TrustGraph gateway, shared by unit tests and benchmarks."""
