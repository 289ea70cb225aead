"""The soak: mixed calls through a fault-injecting proxy to the real gateway.

Run it with ``python -m tests.soak`` or ``tox -e soak``.
"""
