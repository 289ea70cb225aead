"""Parity: ``spec/`` against what the real gateway 2.11.1 routes.

The gateway side is the inventory of the installed trustgraph-flow (``trustgraph.gateway.registry``
and the dispatcher tables of ``trustgraph.gateway.dispatch.manager``, read by
``codegen/drift/gateway_inventory.py``); the comparisons are those of ``python -m codegen drift``
(``codegen/drift/``). A service or operation missing from the spec, or in the spec but not in
the gateway, fails with both lists.

Mapping:

* flow services: spec services with ``surface: flow``, one per wire kind (a kind may have several
  spec operations, e.g. text-completion completion + list-models), against the registry's
  ``flow-service:<kind>`` entries plus the dispatcher-only kinds of the flow dispatcher tables;
* workspace services: per kind, the spec's ``wire_operation`` values against the registry's
  ``<kind>:<operation>`` entries;
* iam: the ``wire_operation`` values of ``surface: iam`` services against the bare registry
  operations;
* auth: the operations of ``surface: auth`` services, as routes (``spec/gateway.yaml`` auth
  route), against the AuthEndpoints routes;
* what the release registers but cannot serve (dispatcher-only kinds; ``unservable`` in
  ``tests/gateway_releases.py``) must be in the spec and marked ``unsupported``;
* bulk import / export kinds: the kinds of ``spec/bulk.yaml`` (or services on the bulk
  surfaces) against the registry's ``flow-import:<kind>`` / ``flow-export:<kind>`` entries;
* the plain HTTP routes (core import/export, document-stream, metrics, i18n): the spec does not
  describe them yet, so each is an explicit ``xfail(strict=True)``. Once the spec covers one,
  its test passes, strict xfail turns that into a failure, and the mark must be removed
  (the bulk kinds and the http routes went through exactly that).

The spec directory is ``$TGCLIENT_SPEC_DIR`` (default: the repository's ``spec/``), so a changed
copy can be checked without touching the repository. Counts are printed at the end of the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("trustgraph.gateway.dispatch.manager")

from codegen import drift
from codegen.loader import Spec, SpecError, load_spec
from tests.gateway_releases import facts
from tests.parity.gateway import load_inventory

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = Path(os.environ.get("TGCLIENT_SPEC_DIR") or ROOT / "spec")


def _inventory() -> dict[str, Any]:
    return load_inventory()


INV = _inventory()


@pytest.fixture(scope="module")
def spec() -> Spec:
    try:
        return load_spec(SPEC_DIR)
    except SpecError as exc:
        pytest.fail(f"cannot load the spec at {SPEC_DIR}:\n{exc}", pytrace=False)


def _check(diff: drift.Diff) -> None:
    if not diff.ok:
        pytest.fail(diff.describe(f"gateway {INV['gateway_version']}"), pytrace=False)


def _one(diffs: list[drift.Diff], category: str) -> drift.Diff:
    return next(d for d in diffs if d.category == category)


# ---------------------------------------------------------------------------
# Services and operations
# ---------------------------------------------------------------------------


def test_gateway_release(spec: Spec) -> None:
    assert INV["errors"] == {}, f"the inventory could not introspect: {INV['errors']}"
    assert INV["gateway_version"] == spec.gateway.gateway_version, (
        f"installed trustgraph-flow {INV['gateway_version']}, spec/gateway.yaml says "
        f"{spec.gateway.gateway_version}"
    )


def test_flow_services(spec: Spec) -> None:
    _check(_one(drift.operation_diffs(spec, INV), "flow services"))


def test_workspace_services(spec: Spec) -> None:
    _check(_one(drift.operation_diffs(spec, INV), "workspace services"))


@pytest.mark.parametrize("kind", sorted(INV["workspace_services"]))
def test_workspace_operations(spec: Spec, kind: str) -> None:
    _check(_one(drift.operation_diffs(spec, INV), f"workspace operations of {kind!r}"))


def test_iam_operations(spec: Spec) -> None:
    _check(_one(drift.operation_diffs(spec, INV), "iam operations"))


def test_auth_routes(spec: Spec) -> None:
    _check(_one(drift.operation_diffs(spec, INV), "auth routes"))


def test_registered_but_unservable_is_marked_unsupported(spec: Spec) -> None:
    """Dispatcher-only kinds (text-load, document-load: a sender dispatcher, no registry entry)
    and the release's ``unservable`` operations (``tests/gateway_releases.py``) must be in the
    spec, marked ``unsupported``."""
    unservable = facts(str(INV["gateway_version"])).unservable
    problems = drift.unsupported_problems(spec, INV, unservable)
    if problems:
        pytest.fail(
            f"{len(problems)} registered-but-unservable entries not in the spec as unsupported:\n"
            + "\n".join(f"  - {p}" for p in problems),
            pytrace=False,
        )


# ---------------------------------------------------------------------------
# Bulk sockets; plain HTTP routes, compared once the spec describes them
# ---------------------------------------------------------------------------


def _covered(diff: drift.Diff, name: str) -> None:
    if name not in diff.spec:
        pytest.fail(
            f"{name}: in gateway {INV['gateway_version']} ({diff.category}) but no spec service "
            f"describes it ({diff.where})",
            pytrace=False,
        )


@pytest.mark.parametrize("kind", sorted(INV["import_kinds"]))
def test_bulk_import_kind(spec: Spec, kind: str) -> None:
    _covered(drift.bulk_diff(spec, INV, "bulk-import"), kind)


@pytest.mark.parametrize("kind", sorted(INV["export_kinds"]))
def test_bulk_export_kind(spec: Spec, kind: str) -> None:
    _covered(drift.bulk_diff(spec, INV, "bulk-export"), kind)


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=n) for p, n in drift.http_route_names(INV).items()],
)
def test_http_route(spec: Spec, path: str) -> None:
    _covered(drift.http_diff(spec, INV), path)


def test_no_bulk_or_http_entry_unknown_to_the_gateway(spec: Spec) -> None:
    """Whatever the spec does describe on the bulk / http surfaces must exist in the gateway."""
    diffs = [
        drift.bulk_diff(spec, INV, "bulk-import"),
        drift.bulk_diff(spec, INV, "bulk-export"),
        drift.http_diff(spec, INV),
    ]
    unknown = [d for d in diffs if d.not_in_gateway]
    if unknown:
        pytest.fail("\n".join(d.describe() for d in unknown), pytrace=False)


# ---------------------------------------------------------------------------
# python -m codegen drift, on the same inventory
# ---------------------------------------------------------------------------


def test_drift_cli_agrees_with_its_report(spec: Spec, tmp_path: Path) -> None:
    """``python -m codegen drift --inventory`` exits 0 exactly when its report finds nothing."""
    saved = tmp_path / "inventory.json"
    saved.write_text(json.dumps(INV), encoding="utf-8")
    report, count = drift.render(spec, INV, SPEC_DIR)
    assert report.rstrip().splitlines()[-1].startswith("result: ")
    cmd = [sys.executable, "-m", "codegen", "drift", "--inventory", str(saved)]
    proc = subprocess.run(
        [*cmd, "--spec", str(SPEC_DIR)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.stdout == report
    assert proc.returncode == (1 if count else 0), proc.stderr


# ---------------------------------------------------------------------------
# Counts, printed at the end of the run
# ---------------------------------------------------------------------------


def _counts(spec: Spec) -> list[str]:
    diffs = drift.operation_diffs(spec, INV)
    flow = _one(diffs, "flow services")
    registry_flow = set(INV["flow_services"])
    ws = [d for d in diffs if d.category.startswith("workspace operations of")]
    iam = _one(diffs, "iam operations")
    auth = _one(diffs, "auth routes")
    imp = drift.bulk_diff(spec, INV, "bulk-import")
    exp = drift.bulk_diff(spec, INV, "bulk-export")
    http = drift.http_diff(spec, INV)
    registry_total = int(INV["registry"]["operation_count"])
    registry_matched = (
        len(registry_flow & flow.spec)
        + sum(len(d.matched) for d in ws)
        + len(iam.matched)
        + len(imp.matched)
        + len(exp.matched)
    )

    spec_total = sum(len(svc.operations) for _rel, svc in spec.services)
    ws_gw: dict[str, dict[str, str]] = INV["workspace_services"]
    spec_matched = 0
    for _rel, svc in spec.services:
        for name, op in svc.operations.items():
            wire = op.wire_operation or name
            if svc.surface == "flow":
                spec_matched += svc.service in flow.gateway
            elif svc.surface == "workspace":
                spec_matched += wire in ws_gw.get(svc.service, {})
            elif svc.surface == "iam":
                spec_matched += wire in INV["iam_operations"]
            elif svc.surface == "auth":
                spec_matched += any(p.endswith("/" + name) for p in auth.matched)

    def row(label: str, d: drift.Diff) -> str:
        return (
            f"  {label:<22} gateway {len(d.gateway):>3}  spec {len(d.spec):>3}  "
            f"matched {len(d.matched):>3}  missing from spec {len(d.missing_from_spec):>3}  "
            f"not in gateway {len(d.not_in_gateway):>3}"
            + (f"  (+{len(d.tolerated_extra)} spec-only, unsupported)" if d.tolerated_extra else "")
        )

    ws_all = drift.Diff(
        "workspace operations",
        frozenset(f"{d.category}:{n}" for d in ws for n in d.gateway),
        frozenset(f"{d.category}:{n}" for d in ws for n in d.spec),
        tolerated=frozenset(f"{d.category}:{n}" for d in ws for n in d.tolerated),
    )
    return [
        f"spec {SPEC_DIR}: {len(spec.services)} services, {spec_total} operations, "
        f"{spec_matched} matched to gateway {INV['gateway_version']}; "
        f"{len(imp.spec) + len(exp.spec)} bulk kinds",
        f"gateway registry: {registry_total} operations, {registry_matched} matched by the spec "
        f"(+ {len(drift.dispatcher_only_kinds(INV))} dispatcher-only kinds, "
        f"{len(INV['auth_routes'])} auth routes, {len(INV['special_routes'])} http routes "
        "outside the registry)",
        row("flow services", flow),
        row("workspace operations", ws_all),
        row("iam operations", iam),
        row("auth routes", auth),
        row("bulk-import kinds", imp),
        row("bulk-export kinds", exp),
        row("http routes", http),
    ]


class _Summary:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.section("parity: spec vs gateway registry")
        for line in self.lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module", autouse=True)
def _print_counts(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if manager.has_plugin("tgclient-parity-summary"):
        return
    try:
        lines = _counts(load_spec(SPEC_DIR))
    except SpecError as exc:
        lines = [f"spec at {SPEC_DIR} does not load: {exc}"]
    manager.register(_Summary(lines), "tgclient-parity-summary")
