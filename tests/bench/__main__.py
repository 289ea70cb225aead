"""``python -m tests.bench``: the WebSocket benchmark (bench_ws.py), then bulk import
(bench_bulk.py), both against the official client side by side."""

from tests.bench import bench_bulk, bench_ws

bench_ws.main()
print()
bench_bulk.main([])
