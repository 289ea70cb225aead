"""docs/migration.md has a row for every public method of the official client.

The 2.11.1 methods are enumerated from the installed trustgraph-base 2.11.1 (test-only, as for
parity): its ``trustgraph/api`` sources are read, not imported (importing them needs the
processor stack). The v1.6.5 methods are listed below, read from the released v1.6.5 sources
(REST only, 59 methods), since two releases cannot be installed side by side.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "migration.md"

# The 18 client classes of trustgraph.api 2.11.1 (data types and exceptions have no methods).
CLIENT_CLASSES = (
    "Api",
    "Flow",
    "FlowInstance",
    "AsyncFlow",
    "AsyncFlowInstance",
    "SocketClient",
    "SocketFlowInstance",
    "AsyncSocketClient",
    "AsyncSocketFlowInstance",
    "BulkClient",
    "AsyncBulkClient",
    "Metrics",
    "AsyncMetrics",
    "Library",
    "Knowledge",
    "Collection",
    "Config",
    "ExplainabilityClient",
)

V1_6_5 = {
    "Api": "flow config knowledge request library collection",
    "Collection": "request list_collections update_collection delete_collection",
    "Config": "request get put delete list get_values all",
    "Flow": "request id list_classes get_class put_class delete_class list get start stop",
    "FlowInstance": (
        "request text_completion agent graph_rag document_rag embeddings prompt mcp_tool "
        "triples_query load_document load_text objects_query nlp_query structured_query "
        "detect_type generate_descriptor diagnose_data schema_selection"
    ),
    "Knowledge": "request list_kg_cores delete_kg_core load_kg_core unload_kg_core",
    "Library": (
        "request add_document get_documents get_document update_document remove_document "
        "start_processing stop_processing get_processings"
    ),
}
STATUSES = (
    "works unchanged",
    "works with a DeprecationWarning",
    "intentionally different",
    "not supported yet",
)


def _official_api_dir() -> Path:
    spec = importlib.util.find_spec("trustgraph")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("trustgraph-base 2.11.1 is not installed (tox -e parity installs it)")
    for location in spec.submodule_search_locations:
        if (Path(location) / "api" / "api.py").exists():
            return Path(location) / "api"
    pytest.fail("trustgraph/api not found in the installed trustgraph package")


def official_methods() -> set[str]:
    found: set[str] = set()
    for source in sorted(_official_api_dir().glob("*.py")):
        for node in ast.parse(source.read_text("utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name in CLIENT_CLASSES:
                found |= {
                    f"{node.name}.{item.name}"
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                    and not item.name.startswith("_")
                }
    return found


def table_rows(section: str) -> dict[str, str]:
    """``Class.method`` -> status, for the rows of one section of docs/migration.md."""
    text = TABLE.read_text("utf-8")
    body = text.split(f"## Official client {section}", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in body.splitlines():
        match = re.match(r"\| `(\w+\.\w+)` \|[^|]*\| ([^|]+) \|", line)
        if match:
            rows[match[1]] = match[2].strip()
    return rows


def test_every_2_11_1_method_has_a_row() -> None:
    methods = official_methods()
    assert len(methods) == 202, (
        f"trustgraph-base 2.11.1 has 202 client methods, found {len(methods)}"
    )
    rows = table_rows("2.11.1")
    missing = sorted(methods - set(rows))
    assert not missing, f"docs/migration.md lacks rows for: {', '.join(missing)}"
    assert not set(rows) - methods, f"rows for no official method: {sorted(set(rows) - methods)}"


def test_every_1_6_5_method_has_a_row() -> None:
    methods = {f"{cls}.{m}" for cls, names in V1_6_5.items() for m in names.split()}
    rows = table_rows("v1.6.5")
    assert sorted(methods - set(rows)) == []
    assert sorted(set(rows) - methods) == []


@pytest.mark.parametrize("section", ["2.11.1", "v1.6.5"])
def test_every_row_has_a_known_status(section: str) -> None:
    unknown = {
        name: status for name, status in table_rows(section).items() if status not in STATUSES
    }
    assert not unknown, f"rows with an unknown status: {unknown}"


def test_the_counts_match_the_rows() -> None:
    text = TABLE.read_text("utf-8")
    counts = text.split("## Counts", 1)[1].split("\n## ", 1)[0]
    for section in ("2.11.1", "v1.6.5"):
        line = next(x for x in counts.splitlines() if x.startswith(f"| {section} |"))
        cells = [c.strip() for c in line.strip("|").split("|")]
        statuses = list(table_rows(section).values())
        expected = [section, str(len(statuses)), *(str(statuses.count(s)) for s in STATUSES)]
        assert cells == expected, f"docs/migration.md counts for {section}: {cells} != {expected}"
