"""Fail when pyright's type completeness of the public ``tgclient`` package drops below 98 %.

Run by ``tox -e type``: ``python tests/typing/verify_types.py``. Prints the score and the
symbols pyright could not type, so a drop names its cause.
"""

from __future__ import annotations

import json
import subprocess
import sys

THRESHOLD = 0.98


def main() -> int:
    run = subprocess.run(
        ["pyright", "--verifytypes", "tgclient", "--ignoreexternal", "--outputjson"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stdout, run.stderr, sep="\n", file=sys.stderr)
        return 2
    completeness = report["typeCompleteness"]
    if not completeness["symbols"]:
        print("pyright found no tgclient package to verify:", run.stdout, file=sys.stderr)
        return 2
    score = float(completeness["completenessScore"])
    for symbol in completeness["symbols"]:
        if not symbol["isTypeKnown"] and symbol["isExported"]:
            print(f"not fully typed: {symbol['name']}")
    print(
        f"type completeness of tgclient: {score:.1%} "
        f"({completeness['exportedSymbolCounts']['withKnownType']} known, "
        f"{completeness['exportedSymbolCounts']['withAmbiguousType']} ambiguous, "
        f"{completeness['exportedSymbolCounts']['withUnknownType']} unknown); "
        f"required: {THRESHOLD:.0%}"
    )
    return 0 if score >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
