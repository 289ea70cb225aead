"""``python -m codegen``: regenerate ``generated/tgclient`` from ``spec/``.

``--check`` regenerates in memory and exits 1 with a unified diff when ``generated/`` is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .loader import SpecError, load_spec
from .render import render_all
from .write import diff_tree, write_tree

REPO_ROOT = Path(__file__).resolve().parent.parent
FIX_COMMAND = "python -m codegen   (or: tox -e codegen)"


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["drift"]:  # python -m codegen drift ...: spec vs a gateway release
        from .drift import main as drift_main

        return drift_main(args_in[1:])
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--spec", type=Path, default=REPO_ROOT / "spec")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "generated" / "tgclient")
    args = parser.parse_args(args_in)
    try:
        spec = load_spec(args.spec)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 2
    files = render_all(spec, REPO_ROOT)
    if args.check:
        diff = diff_tree(files, args.out)
        if diff:
            sys.stdout.write(diff)
            print(
                f"\ngenerated/ is out of date with spec/ and codegen/; run: {FIX_COMMAND}",
                file=sys.stderr,
            )
            return 1
        print(f"generated/ is up to date ({len(files)} files)")
        return 0
    changed = write_tree(files, args.out)
    for line in changed:
        print(line)
    print(f"{len(files)} files in {args.out}; {len(changed)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
