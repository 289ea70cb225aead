"""``python -m tests.bench [--calls N] [--rounds R]``: the WebSocket benchmark (bench_ws.py)."""

from tests.bench.bench_ws import main

main()
