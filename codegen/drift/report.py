"""The drift report and the ``python -m codegen drift`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from ..loader import Spec, SpecError, load_spec
from . import behaviour
from .compare import (
    JSON,
    Diff,
    _top,
    accepted_omissions,
    bulk_diff,
    described_surfaces,
    http_diff,
    key_diffs,
    operation_diffs,
    unsupported_problems,
)
from .release import REPO_ROOT, DriftError, inventory_from_python, inventory_from_release
from .write import write_spec


def _sections(spec: Spec, inv: JSON) -> Iterator[tuple[str, list[Diff]]]:
    yield "services and operations", operation_diffs(spec, inv)
    surfaces = described_surfaces(spec)
    extra: list[Diff] = []
    for surface in ("bulk-import", "bulk-export"):
        if surface in surfaces:
            extra.append(bulk_diff(spec, inv, surface))
    if "http" in surfaces:
        extra.append(http_diff(spec, inv))
    if extra:
        yield "bulk sockets and http routes", extra
    yield "translator keys", key_diffs(spec, inv)


def _behaviour_lines(spec: Spec, inv: JSON) -> list[str]:
    found = behaviour.findings(spec, inv)
    lines = [
        f"== behaviour (failures, required keys, nested keys, operations): {len(found)} differ"
    ]
    return lines + [f"  - {f}" for f in found] + [""]


def render(spec: Spec, inv: JSON, spec_dir: Path) -> tuple[str, int]:
    """The drift report and how many differences it lists."""
    gw_version = inv.get("gateway_version")
    label = f"gateway {gw_version}"
    lines = [
        f"gateway: trustgraph-flow {gw_version}, trustgraph-base {inv.get('base_version')}",
        f"spec:    {spec_dir} (gateway_version {spec.gateway.gateway_version})",
        "legend:  'in the gateway, missing from the spec' = add it to the spec; "
        "'in the spec, not in the gateway' = remove or fix it",
        "",
    ]
    count = 0
    if gw_version != spec.gateway.gateway_version:
        count += 1
        lines += [
            f"release: spec/gateway.yaml says {spec.gateway.gateway_version}, the gateway is "
            f"{gw_version}",
            "",
        ]
    errors = inv.get("errors") or {}
    if errors:
        count += len(errors)
        lines.append(f"inventory errors ({len(errors)}): parts of the gateway not introspected")
        lines += [f"  - {k}: {v}" for k, v in sorted(errors.items())]
        lines.append("")
    for title, diffs in _sections(spec, inv):
        bad = [d for d in diffs if not d.ok]
        lines.append(f"== {title}: {len(diffs) - len(bad)} in sync, {len(bad)} differ")
        for diff in bad:
            count += len(diff.missing_from_spec) + len(diff.not_in_gateway)
            lines.append(diff.describe(label))
        lines.append("")
    behaviour_lines = _behaviour_lines(spec, inv)
    count += len(behaviour_lines) - 2
    lines += behaviour_lines
    void = sorted(
        {
            v
            for _rel, svc in spec.services
            for direction in ("request", "response")
            for v in accepted_omissions(svc.service, direction, inv)[1]
        }
    )
    if void:
        count += len(void)
        lines.append(f"== accepted omissions no longer valid: {len(void)}")
        lines += [f"  - {v}" for v in void]
        lines.append("")
    problems = unsupported_problems(spec, inv)
    lines.append(f"== unsupported markers: {len(problems)} problems")
    lines += [f"  - {p}" for p in problems]
    count += len(problems)
    marked = [
        f"{svc.service} {name}"
        for _rel, svc in spec.services
        for name, op in svc.operations.items()
        if op.unsupported
    ]
    if marked and gw_version != spec.gateway.gateway_version:
        lines.append(
            f"  re-check against {gw_version} (the inventory cannot tell whether they are served "
            f"now): {', '.join(marked)}"
        )
    lines.append("")
    surfaces = described_surfaces(spec)
    skipped = []
    for surface, key in (("bulk-import", "import_kinds"), ("bulk-export", "export_kinds")):
        if surface not in surfaces:
            skipped.append(f"{surface} ({len(inv.get(key, {}))} kinds)")
    if "http" not in surfaces:
        skipped.append(f"http ({len(inv.get('special_routes', {}))} routes)")
    if skipped:
        lines.append(
            "not compared (the spec describes nothing on these surfaces yet): " + ", ".join(skipped)
        )
    accepted = sorted(
        {
            d.category.split(" (")[0]
            + ": "
            + ", ".join(sorted({_top(p) for p in d.accepted_missing}))
            for d in key_diffs(spec, inv)
            if d.accepted_missing
        }
    )
    if accepted:
        lines.append(
            "left out of the spec on purpose (ACCEPTED_OMISSIONS in codegen/drift/compare.py):"
        )
        lines += [f"  {a}" for a in accepted]
    lines.append(f"result: {'in sync' if count == 0 else f'drift ({count} differences)'}")
    return "\n".join(lines) + "\n", count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m codegen drift",
        description="What differs between a TrustGraph gateway release and spec/. "
        "Exit 0 in sync, 1 drift, 2 error.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--gateway-python",
        type=Path,
        help="interpreter with trustgraph-base/-flow installed (default: this one)",
    )
    source.add_argument(
        "--release", metavar="X.Y.Z", help="install this trustgraph release in a scratch venv"
    )
    source.add_argument("--inventory", type=Path, help="a saved gateway_inventory.py JSON")
    parser.add_argument("--venv", type=Path, help="with --release: keep and reuse this venv")
    parser.add_argument("--spec", type=Path, default=REPO_ROOT / "spec")
    parser.add_argument(
        "--write",
        action="store_true",
        help="write the mechanical spec changes (release, errors), then report what remains",
    )
    args = parser.parse_args(argv)
    if args.venv is not None and args.release is None:
        parser.error("--venv needs --release")
    try:
        spec = load_spec(args.spec)
    except SpecError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        if args.inventory is not None:
            inv: JSON = json.loads(args.inventory.read_text(encoding="utf-8"))
        elif args.release is not None:
            inv = inventory_from_release(args.release, args.venv)
        else:
            inv = inventory_from_python(args.gateway_python or sys.executable)
    except (DriftError, OSError, json.JSONDecodeError) as exc:
        print(f"drift: {exc}", file=sys.stderr)
        return 2
    if args.write:
        for line in write_spec(spec, inv, args.spec):
            print(f"wrote {line}")
        spec = load_spec(args.spec)
        print("still needs a person (the Python surface, docs and examples too):")
    report, count = render(spec, inv, args.spec)
    sys.stdout.write(report)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
