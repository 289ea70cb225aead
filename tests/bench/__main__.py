"""``python -m tests.bench``: every benchmark, both clients side by side, then the report.

1. import cost (bench_import.py);
2. against a loopback fake: WebSocket round trips (bench_ws.py) and bulk import
   (bench_bulk.py);
3. against the real gateway 2.11.1, started with the integration stack (bench_gateway.py;
   needs rabbitmq-server, as the integration tests do);
4. ``docs/performance.md``, its plot and ``docs/performance.json`` (report.py).

Flags: ``--fake-only``, ``--real-only``, ``--million`` (also import and export 1M triples on
the real gateway: several minutes), ``--no-report`` (print only).
"""

import argparse
import json

from tests.bench import bench_bulk, bench_gateway, bench_import, bench_ws, report

parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
parser.add_argument("--fake-only", action="store_true", help="skip the real gateway")
parser.add_argument("--real-only", action="store_true", help="skip the fake and import cost")
parser.add_argument("--million", action="store_true", help="also 1M triples (slow)")
parser.add_argument("--no-report", action="store_true", help="do not write docs/performance.*")
args = parser.parse_args()

results = {}
if not args.real_only:
    results["import"] = bench_import.main()
    print()
    results["fake_ws"] = bench_ws.main([])
    print()
    results["fake_bulk"] = bench_bulk.main([])
    print()
if not args.fake_only:
    results["gateway"] = bench_gateway.main(["--million"] if args.million else [])
if not args.no_report:
    figures = report.DOCS / "performance.json"
    if (args.real_only or args.fake_only) and figures.exists():
        # Keep the other half of the last full run.
        results = {**json.loads(figures.read_text()), **results}
    # The raw figures first, so a failure in the report loses nothing.
    figures.write_text(json.dumps(results, indent=1, default=str))
    print(f"wrote {report.write(results)}")
