"""docs/reference/ is generated from the spec like generated/, and covers every operation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from codegen.__main__ import FIX_COMMAND, main
from codegen.docs import DOCS_HEADER, render_docs
from codegen.loader import load_spec
from codegen.write import diff_tree

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference"
SPEC = load_spec(ROOT / "spec")
ENTRY = re.compile(r"^<!-- reference-entry: (\S+) -->$", re.MULTILINE)


def _spec_operations() -> set[str]:
    names = {f"{svc.service}.{op}" for _, svc in SPEC.services for op in svc.operations}
    if SPEC.bulk is not None:
        names |= {f"bulk-import.{kind}" for kind in SPEC.bulk.imports}
        names |= {f"bulk-export.{kind}" for kind in SPEC.bulk.exports}
    return names


def _entries_on_disk() -> list[str]:
    return [m for page in sorted(REFERENCE.glob("*.md")) for m in ENTRY.findall(page.read_text())]


def test_reference_matches_spec() -> None:
    diff = diff_tree(render_docs(SPEC), REFERENCE, label="docs/reference")
    if diff:
        pytest.fail(f"docs/reference is stale. Fix: {FIX_COMMAND}\n\n{diff[:20000]}", pytrace=False)


def test_every_spec_operation_has_one_reference_entry() -> None:
    entries = _entries_on_disk()
    expected = _spec_operations()
    print(f"spec operations: {len(expected)}, reference entries: {len(entries)}")
    assert len(entries) == len(set(entries)), "an operation has two entries"
    assert set(entries) == expected, {
        "missing": sorted(expected - set(entries)),
        "extra": sorted(set(entries) - expected),
    }


def test_every_page_starts_with_the_generated_header() -> None:
    pages = sorted(REFERENCE.glob("*.md"))
    assert len(pages) >= 12
    assert {p.read_text().splitlines()[0] for p in pages} == {DOCS_HEADER}


def _spec_copy_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", spec)
    path = spec / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return spec


def test_changing_an_operation_doc_without_regenerating_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _spec_copy_with(
        tmp_path,
        "services/config.yaml",
        "doc: Delete the entries named",
        "doc: Remove the entries named",
    )
    assert main(["--check", "--spec", str(spec)]) == 1
    out = capsys.readouterr()
    assert "b/docs/reference/config.md" in out.out
    assert "+Remove the entries named" in out.out
    assert "docs/reference out of date" in out.err


def test_the_check_passes_on_the_committed_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0
    assert "docs/reference/ is up to date" in capsys.readouterr().out
