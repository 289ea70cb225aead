"""Rehearsal of a gateway upgrade: ``python -m codegen drift`` against real older releases.

trustgraph-base / trustgraph-flow of each release are downloaded once from the package index
(``pip install --no-deps --target``, cached in ``$TGCLIENT_RELEASE_CACHE`` or
``~/.cache/tgclient/releases``) and inventoried with this interpreter, which has the parity
requirements. The report must equal ``golden/drift-X.Y.Z.txt``: a change of the drift command
(or of the inventory) shows as a diff here. After a deliberate change, rewrite the goldens with
``TGCLIENT_UPDATE_GOLDEN=1 tox -e parity -- tests/parity/test_drift_golden.py`` and review them.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from codegen import drift
from codegen.drift.release import release_tree
from codegen.drift.write import write_spec
from codegen.loader import Spec, load_spec

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
CACHE = Path(
    os.environ.get("TGCLIENT_RELEASE_CACHE", Path.home() / ".cache" / "tgclient" / "releases")
)

# The spec release the goldens were recorded with; after a spec move rewrite them (below).
RECORDED_WITH = "2.11.1"
# What each rehearsal must show, whatever the golden file says (the findings of the rehearsal).
MUST_SHOW = {
    "2.10.18": [
        "release: spec/gateway.yaml says",
        "- field-extraction   [1 spec operations]",
        "== behaviour (failures, required keys, nested keys, operations): 0 differ",
    ],
    "2.10.0": [
        "text-completion: gateway 2.10.0 does not exist for operation(s) list-models",
        "errors: gateway 2.10.0 keeps failures of 12 service(s) whose spec says errors: dropped",
        "text-completion list-models: gateway 2.10.0 requires request key(s) prompt, system",
        "bulk import entity-contexts: gateway 2.10.0 ignores nested key(s) entities[].rdf_type",
    ],
}


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(ROOT / "spec")


def _findings(report: str) -> str:
    """The report without its tallies (which move whenever the spec gains a service)."""
    report = re.sub(r"(?m)^spec: .*\n", "", report)
    report = re.sub(
        r": \d+ in the spec \((.*?)\), \d+ in gateway \S+, \d+ matched", r": (\1)", report
    )
    return re.sub(r"(?m)^== (.*?): \d+ in sync, (\d+) differ$", r"== \1: \2 differ", report)


def _report(spec: Spec, version: str) -> str:
    tree = release_tree(version, CACHE)
    inv = drift.inventory_from_python(sys.executable, path=tree)
    report, _count = drift.render(spec, inv, Path("spec"))
    return _findings(report)


@pytest.mark.parametrize("version", sorted(MUST_SHOW))
def test_drift_report_against_release(spec: Spec, version: str) -> None:
    report = _report(spec, version)
    golden = GOLDEN / f"drift-{version}.txt"
    if os.environ.get("TGCLIENT_UPDATE_GOLDEN") == "1":
        golden.write_text(report, encoding="utf-8")
    if spec.gateway.gateway_version == RECORDED_WITH:
        missing = [line for line in MUST_SHOW[version] if line not in report]
        assert not missing, f"the drift report against {version} no longer shows {missing}"
    assert report == golden.read_text(encoding="utf-8"), (
        f"drift against {version} differs from {golden.relative_to(ROOT)}; if intended, rewrite "
        "it with TGCLIENT_UPDATE_GOLDEN=1 and review the diff"
    )


def test_drift_in_sync_with_the_release_of_the_spec(spec: Spec) -> None:
    """The installed gateway (the parity env's, the spec's release) shows no drift at all,
    behaviour included."""
    inv = drift.inventory_from_python(sys.executable)
    report, count = drift.render(spec, inv, Path("spec"))
    assert inv["gateway_version"] == spec.gateway.gateway_version
    assert (count, report.splitlines()[-1]) == (0, "result: in sync"), report


def test_drift_write_takes_the_mechanical_changes(spec: Spec, tmp_path: Path) -> None:
    """``drift --write`` against 2.10.0 sets the release and the 12 services' ``errors``; the
    drift left afterwards no longer has the release or error-semantics lines."""
    spec_dir = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", spec_dir)
    inv = drift.inventory_from_python(sys.executable, path=release_tree("2.10.0", CACHE))
    written = write_spec(load_spec(spec_dir), inv, spec_dir)
    assert written[0] == "spec/gateway.yaml: gateway_version 2.10.0"
    assert len(written) == 1 + 12
    after = load_spec(spec_dir)
    assert after.gateway.gateway_version == "2.10.0"
    report, _count = drift.render(after, inv, spec_dir)
    assert "release:" not in report and "errors: gateway" not in report
    assert "does not exist for operation(s) list-models" in report  # needs a person
