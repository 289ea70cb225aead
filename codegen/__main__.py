"""``python -m codegen``: regenerate ``generated/tgclient`` and ``docs/reference`` from ``spec/``.

``--check`` regenerates in memory and exits 1 with a unified diff when either is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

try:
    from .docs import render_docs
    from .loader import SpecError, load_spec
    from .render import render_all
    from .write import diff_tree, write_tree
except ModuleNotFoundError as missing:  # the generator's pinned tools are an extra
    sys.exit(
        f"python -m codegen needs {missing.name!r}, one of its pinned tools: install them with\n"
        "    pip install -e '.[codegen]'\n"
        "or run it in its tox env: tox -e codegen (writes) / tox -e codegen-check (compares)"
    )

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
    parser.add_argument("--docs-out", type=Path, default=REPO_ROOT / "docs" / "reference")
    args = parser.parse_args(args_in)
    try:
        spec = load_spec(args.spec)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 2
    trees = [
        ("generated/tgclient", args.out, render_all(spec, REPO_ROOT)),
        ("docs/reference", args.docs_out, render_docs(spec)),
    ]
    if args.check:
        stale = []
        for label, out, files in trees:
            diff = diff_tree(files, out, label=label)
            if diff:
                sys.stdout.write(diff)
                stale.append(label)
            else:
                print(f"{label}/ is up to date ({len(files)} files)")
        if stale:
            print(
                f"\n{' and '.join(stale)} out of date with spec/ and codegen/; run: {FIX_COMMAND}",
                file=sys.stderr,
            )
            return 1
        return 0
    for label, out, files in trees:
        changed = write_tree(files, out)
        for line in changed:
            print(line)
        print(f"{len(files)} files in {label}; {len(changed)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
