"""``python -m tests.bench``: every benchmark, both clients side by side, then the report.

1. import cost (bench_import.py);
2. against a loopback fake: WebSocket round trips (bench_ws.py) and bulk import
   (bench_bulk.py);
3. against the real gateway 2.11.1, started with the integration stack (bench_gateway.py;
   needs rabbitmq-server, as the integration tests do);
4. ``docs/performance.md``, its plot and ``docs/performance.json`` (report.py).

Flags: ``--fake-only``, ``--real-only``, ``--million`` (also import and export 1M triples on
the real gateway: several minutes), ``--only STEP,...`` (only these steps of the real
gateway, e.g. ``--real-only --only bulk,export_memory``; the report keeps the last run's
figures of the others), ``--no-report`` (print only).
"""

import argparse
import json

from tests.bench import bench_bulk, bench_gateway, bench_import, bench_ws, report

parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
parser.add_argument("--fake-only", action="store_true", help="skip the real gateway")
parser.add_argument("--real-only", action="store_true", help="skip the fake and import cost")
parser.add_argument("--million", action="store_true", help="also 1M triples (slow)")
parser.add_argument("--no-report", action="store_true", help="do not write docs/performance.*")
parser.add_argument("--only", help="comma-separated real-gateway steps to run (bench_gateway.py)")
parser.add_argument("--url", help="a running gateway to use instead of starting the stack")
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
    argv = ["--million"] if args.million else []
    if args.only:
        argv += ["--only", *args.only.split(",")]
    if args.url:
        argv += ["--url", args.url]
    results["gateway"] = bench_gateway.main(argv)
if not args.no_report:
    figures = report.DOCS / "performance.json"
    if (args.real_only or args.fake_only or args.only) and figures.exists():
        # Keep the other half of the last full run, and the steps this run skipped.
        last = json.loads(figures.read_text())
        if args.only and isinstance(last.get("gateway"), dict):
            results["gateway"] = {**last["gateway"], **results["gateway"]}
        results = {**last, **results}
    # The raw figures first, so a failure in the report loses nothing.
    figures.write_text(json.dumps(results, indent=1, default=str))
    print(f"wrote {report.write(results)}")
