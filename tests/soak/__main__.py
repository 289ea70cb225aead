"""``python -m tests.soak [--calls N]``: the soak against the real gateway, through faults.

Starts the integration stack (or uses ``$TGCLIENT_GATEWAY_URL``), puts the fault proxy
(:mod:`.fault_proxy`) in front of it, runs the mixed workload (:mod:`.run`), checks every
import against the store, prints one summary line and exits 1 if any of hangs, misrouted,
untyped or bulk items lost is not 0. ``tox -e soak`` runs it (1,000 calls by default; ``tox -e
soak -- --calls 10000`` for the long form).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from urllib.parse import urlsplit

from tests.integration.stack import Stack

from .fault_proxy import FaultProxy, Faults
from .run import Plan, check_imports, details, failures, run_workload, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__)
    parser.add_argument("--calls", type=int, default=1000, help="calls in all (default 1000)")
    parser.add_argument("--workers", type=int, default=8, help="threads, and as many tasks")
    parser.add_argument("--timeout", type=float, default=10.0, help="each call's deadline")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="wall-time bound")
    parser.add_argument("--drop", type=float, default=0.01, help="per-chunk drop probability")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args(argv)

    external = os.environ.get("TGCLIENT_GATEWAY_URL")
    stack = None if external else Stack().start()
    gateway = external or stack.url  # type: ignore[union-attr]
    try:
        began = time.monotonic()
        with FaultProxy(urlsplit(gateway).port or 80, Faults(drop=args.drop), args.seed) as proxy:
            tally = run_workload(
                Plan(proxy.url, args.calls, args.timeout, args.workers, args.max_seconds)
            )
        check_imports(gateway, tally)
        line = summary(tally, proxy.counts, time.monotonic() - began)
    finally:
        if stack is not None:
            stack.stop()
    print(f"seed={args.seed} {details(tally)}", file=sys.stderr)
    print(line)
    bad = failures(tally)
    if bad:
        print(f"soak FAILED: {bad}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
