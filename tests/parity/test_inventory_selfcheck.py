"""Self-check of codegen/drift/gateway_inventory.py against the installed trustgraph release."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trustgraph.gateway.dispatch.manager")

from codegen.loader import load_spec
from tests.gateway_releases import facts
from tests.parity.gateway import load_inventory

ROOT = Path(__file__).resolve().parents[2]
RELEASE = facts(str(load_inventory()["gateway_version"]))


def test_versions_and_no_errors() -> None:
    inv = load_inventory()
    assert inv["gateway_version"] == load_spec(ROOT / "spec").gateway.gateway_version
    assert inv["base_version"] == inv["gateway_version"]
    assert inv["errors"] == {}


def test_flow_services() -> None:
    inv = load_inventory()
    flow = inv["flow_services"]
    assert len(flow) == RELEASE.flow_services
    assert flow["agent"]["capability"] == "agent"
    assert flow["structured-diag"]["capability"] == "structured-query:read"
    assert all(v["in_request_response_table"] for v in flow.values())
    assert inv["passthrough"]["capability"] == "__authenticated__"
    only = inv["dispatcher_only"]["dispatcher_kinds_without_registry_entry"]
    assert only == {"document-load": ["sender_dispatchers"], "text-load": ["sender_dispatchers"]}
    assert inv["dispatcher_only"]["registry_entries_without_dispatcher"] == []


def test_workspace_and_iam_operations() -> None:
    inv = load_inventory()
    ws = inv["workspace_services"]
    assert {k: len(v) for k, v in ws.items()} == {
        "collection-management": 3,
        "config": 7,
        "flow": 8,
        "knowledge": 11,
        "librarian": 16,
    }
    assert ws["config"]["getvalues-all-ws"] == "config:read"
    assert "getkeys-all-ws" not in ws["config"]
    iam = inv["iam_operations"]
    assert len(iam) == 39
    assert iam["login"] == "__public__"
    assert iam["whoami"] == "__authenticated__"
    assert "resolve-api-key" not in iam


def test_import_export_kinds() -> None:
    inv = load_inventory()
    assert sorted(inv["import_kinds"]) == [
        "document-embeddings",
        "entity-contexts",
        "graph-embeddings",
        "rows",
        "triples",
    ]
    assert sorted(inv["export_kinds"]) == [
        "document-embeddings",
        "entity-contexts",
        "graph-embeddings",
        "triples",
    ]
    assert inv["import_kinds"]["rows"]["capability"] == "rows:write"


def test_routes_and_auth_routes() -> None:
    inv = load_inventory()
    paths = [r["endpoint_path"] or r["path"] for r in inv["routes"]]
    assert len(paths) == 16
    assert paths.index("/api/v1/flow/{flow}/service/{kind:thru/.+}") < paths.index(
        "/api/v1/flow/{flow}/service/{kind}"
    )
    auth = inv["auth_routes"]
    assert sorted(auth) == [
        "/api/v1/auth/bootstrap",
        "/api/v1/auth/bootstrap-status",
        "/api/v1/auth/change-password",
        "/api/v1/auth/login",
    ]
    assert auth["/api/v1/auth/login"]["capability_enforced"] == "__public__"
    assert auth["/api/v1/auth/change-password"]["body_keys_read"] == [
        "current_password",
        "new_password",
    ]


def test_translators_reproduce_dropped_errors() -> None:
    inv = load_inventory()
    tr = inv["translators"]
    dropped = {
        k for k, v in tr.items() if "error" in v.get("response", {}).get("fields_not_surfaced", [])
    }
    assert dropped == {
        "config",
        "document-embeddings",
        "embeddings",
        "flow",
        "graph-embeddings",
        "iam",
        "image-to-text",
        "mcp-tool",
        "prompt",
        "reranker",
        "structured-diag",
        "text-completion",
    }
    assert tr["agent"]["response"]["encode_failures"]["only:error"].startswith("AttributeError")
    assert tr["agent"]["request"]["required_keys"] == {"question": "KeyError: 'question'"}
    assert "operationName" in tr["rows"]["request"]["probe_keys_ignored"]


def test_script_output_is_deterministic_json() -> None:
    cmd = [sys.executable, str(ROOT / "codegen" / "drift" / "gateway_inventory.py")]
    first = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    second = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    assert first == second
    assert json.loads(first)["counts"]["flow_services"] == RELEASE.flow_services
