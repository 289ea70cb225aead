"""Self-check of the contract harness against the real trustgraph 2.11.1 translators."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("trustgraph.gateway.dispatch.manager")

from tests.contract import gateway_translators as gt
from tests.gateway_releases import facts
from tests.parity.gateway import load_inventory

RELEASE = facts(str(load_inventory()["gateway_version"]))


def test_services_match_gateway_dispatcher_tables() -> None:
    inv = load_inventory()
    tables = inv["dispatcher_tables"]
    expected = set(tables["request_response_dispatchers"]) | set(tables["global_dispatchers"])
    assert set(gt.SERVICES) == expected
    assert len(gt.SERVICES) == len(set(gt.SERVICES)) == RELEASE.harness_services


def test_every_service_has_examples() -> None:
    for service in gt.SERVICES:
        assert gt.REQUEST_EXAMPLES[service], service
        assert gt.response_frames(service), service


@pytest.mark.parametrize("service", gt.SERVICES)
def test_request_examples_roundtrip_without_losing_keys(service: str) -> None:
    for body in gt.REQUEST_EXAMPLES[service]:
        out = gt.request_roundtrip(service, body)
        json.dumps(out)
        lost = {k for k in body if k not in out}
        assert lost <= RELEASE.request_losses.get(service, frozenset()), (service, body, lost)
        for key, value in body.items():
            if key in out and not isinstance(value, (dict, list)):
                assert out[key] == value, (service, key)


def test_prompt_variables_become_json_encoded_terms() -> None:
    out = gt.request_roundtrip("prompt", {"id": "q", "variables": {"n": 3, "s": "x"}})
    assert out == {"id": "q", "terms": {"n": "3", "s": '"x"'}}


def test_roundtrip_fills_translator_defaults() -> None:
    out = gt.request_roundtrip("graph-rag", {"query": "q"})
    assert out["entity-limit"] == 50
    assert out["triple-limit"] == 30
    assert out["collection"] == "default"
    assert out["streaming"] is False


def test_missing_required_key_is_a_gateway_error() -> None:
    assert gt.gateway_error_for("agent", {}) == {
        "error": {"type": "gateway-error", "message": "'question'"}
    }
    assert gt.gateway_error_for("agent", {"question": "q"}) is None
    bad = {"image": "not base64!", "mime_type": "image/png"}
    err = gt.gateway_error_for("image-to-text", bad)
    assert err is not None and err["error"]["type"] == "gateway-error"


def _frame(service: str, label: str) -> gt.Frame:
    frames = {f.label: f for f in gt.response_frames(service)}
    return frames[label]


def test_config_drops_backend_errors() -> None:
    frame = _frame("config", "error")
    assert frame.response == {"version": 0, "values": [], "directory": [], "config": {}}
    assert frame.complete is True


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        (
            "flow",
            {
                "blueprint-names": [],
                "flow-ids": [],
                "blueprint-definition": "",
                "flow": "",
                "description": "",
                "parameters": {},
            },
        ),
        ("iam", {"bootstrap_available": False}),
        ("text-completion", {"response": None, "end_of_stream": True}),
        ("prompt", {"end_of_stream": True}),
        ("embeddings", {"vectors": []}),
        ("mcp-tool", {}),
        ("reranker", {"results": []}),
        ("image-to-text", {"description": ""}),
    ],
)
def test_dropped_error_services(service: str, expected: dict[str, Any]) -> None:
    assert _frame(service, "error").response == expected


def test_agent_error_crashes_into_gateway_error() -> None:
    frame = _frame("agent", "error")
    assert frame.response == {
        "error": {"type": "gateway-error", "message": "'Error' object has no attribute 'code'"}
    }
    assert frame.complete is True


def test_error_frames_that_are_not_complete() -> None:
    assert _frame("knowledge", "error").complete is False
    assert _frame("document-rag", "error").complete is False
    assert _frame("graph-rag", "error").complete is True


def test_streaming_completion_flags() -> None:
    assert _frame("agent", "answer-chunk").complete is False
    assert _frame("agent", "answer-final-streaming").complete is True
    assert _frame("graph-rag", "chunk-last").complete is False
    assert _frame("graph-rag", "session-final").complete is True
    assert _frame("text-completion", "chunk").complete is False
    assert _frame("triples", "batch").complete is False
    assert _frame("knowledge", "get-kg-core-triples").complete is False
    assert _frame("knowledge", "eos").response == {"eos": True}
    assert _frame("knowledge", "eos").complete is True


def test_examples_are_json_and_cover_every_key_the_translator_writes() -> None:
    inv = load_inventory()
    for service in gt.SERVICES:
        seen: set[str] = set()
        for payload in gt.response_examples(service):
            json.dumps(payload)
            seen |= set(payload)
        written = set(inv["translators"][service]["response"]["keys_written"])
        assert written <= seen, (service, sorted(written - seen))
