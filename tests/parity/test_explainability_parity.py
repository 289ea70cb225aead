"""tgclient's ExplainabilityClient against the official one (trustgraph-base 2.11.1, test-only).

Same constructor and method signatures, the same dataclass fields, and the same traces read
from the same explain graphs (``tests/fakes/explain_store.py``, written by the 2.11.1
provenance functions): the official client reads them through a fake socket flow returning
wire dicts, tgclient through its own REST ``triples_query``. Where the official client is
wrong (a reranked document RAG trace, a repeated synthesis) the test says so.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from typing import Any

import httpx
import pytest

import tgclient
from tests.fakes.explain_store import ALL_TRIPLES, FakeStore

# Installed by tox -e parity; a missing package fails here rather than skipping.
official = importlib.import_module("trustgraph.api.explainability")
official_types = importlib.import_module("trustgraph.api.types")
ours_module = importlib.import_module("tgclient.explainability")

URL = "http://127.0.0.1:8888/"
SID = "00000000-0000-4000-8000-00000000000"
METHODS = (
    "__init__",
    "detect_session_type",
    "fetch_agent_trace",
    "fetch_docrag_trace",
    "fetch_document_content",
    "fetch_edge_selection",
    "fetch_entity",
    "fetch_focus_with_edges",
    "fetch_graphrag_trace",
    "list_sessions",
    "resolve_edge_labels",
    "resolve_label",
)
ENTITIES = (
    "ExplainEntity",
    "EdgeSelection",
    "Question",
    "Grounding",
    "Exploration",
    "Focus",
    "Synthesis",
    "Reflection",
    "Analysis",
    "Observation",
    "Conclusion",
    "Decomposition",
    "Finding",
    "Plan",
    "StepResult",
)


class OfficialFlow:
    """The socket flow the official client is written for: wire-dict triples."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def triples_query(self, s=None, p=None, o=None, g=None, collection=None, limit=100):  # type: ignore[no-untyped-def]
        body: dict[str, Any] = {"limit": limit}
        for key, value in (("s", s), ("p", p), ("o", o)):
            if value is not None:
                body[key] = {"t": "i", "i": value}
        if g is not None:
            body["g"] = g
        return self.store.match(body)


def _params(function: Any) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.default, p.kind) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("method", METHODS)
def test_method_signatures_match(method: str) -> None:
    ours = getattr(tgclient.ExplainabilityClient, method)
    theirs = getattr(official.ExplainabilityClient, method)
    assert _params(ours) == _params(theirs)


@pytest.mark.parametrize("name", ENTITIES)
def test_dataclass_fields_match(name: str) -> None:
    ours = {f.name: f for f in dataclasses.fields(getattr(ours_module, name))}
    for field in dataclasses.fields(getattr(official, name)):
        assert field.name in ours, f"{name}.{field.name} missing"
        assert ours[field.name].default == field.default, f"{name}.{field.name} default"


def test_provenance_event_fields_match() -> None:
    ours = [f.name for f in dataclasses.fields(tgclient.ProvenanceEvent)]
    assert ours == [f.name for f in dataclasses.fields(official_types.ProvenanceEvent)]


@pytest.fixture
def clients() -> tuple[tgclient.ExplainabilityClient, Any]:
    store = FakeStore(ALL_TRIPLES)
    api = tgclient.Api(url=URL, http_client=httpx.Client(transport=store.transport))
    ours = tgclient.ExplainabilityClient(api.flow().id("default"), retry_delay=0)
    theirs = official.ExplainabilityClient(OfficialFlow(store), retry_delay=0)
    return ours, theirs


def _plain(value: Any) -> Any:
    """A trace value as comparable data, keeping only the official fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = getattr(official, type(value).__name__)
        return (
            cls.__name__,
            {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(cls)},
        )
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize(
    ("method", "uri"),
    [
        ("fetch_graphrag_trace", f"urn:trustgraph:question:{SID}1"),
        ("fetch_docrag_trace", f"urn:trustgraph:docrag:{SID}2"),
        ("fetch_agent_trace", f"urn:trustgraph:agent:{SID}4"),
        ("fetch_agent_trace", f"urn:trustgraph:agent:{SID}5"),
        ("fetch_entity", f"urn:trustgraph:agent:{SID}4/i1"),
        ("fetch_focus_with_edges", f"urn:trustgraph:prov:focus:{SID}1"),
    ],
)
def test_traces_match_the_official_client(clients: Any, method: str, uri: str) -> None:
    ours, theirs = clients
    graph = "urn:graph:retrieval"
    theirs_result = _plain(getattr(theirs, method)(uri, graph))
    ours_result = _plain(getattr(ours, method)(uri, graph))
    if isinstance(ours_result, dict) and "focus" in ours_result and "focus" not in theirs_result:
        assert ours_result.pop("focus") is None
    assert ours_result == theirs_result
    assert ours_result  # a trace, not an empty answer on both sides


def test_sessions_and_types_match_the_official_client(clients: Any) -> None:
    ours, theirs = clients
    assert _plain(ours.list_sessions()) == _plain(theirs.list_sessions())
    for uri in (f"urn:trustgraph:question:{SID}1", f"urn:trustgraph:agent:{SID}4"):
        assert ours.detect_session_type(uri) == theirs.detect_session_type(uri)
    edge = {"s": "http://example.org/stub/alice", "p": "urn:p", "o": "x"}
    assert (
        ours.resolve_edge_labels(edge)
        == theirs.resolve_edge_labels(edge)
        == ("Alice", "urn:p", "x")
    )


def test_where_the_official_client_is_wrong(clients: Any) -> None:
    ours, theirs = clients
    reranked = f"urn:trustgraph:docrag:{SID}3"
    assert theirs.fetch_docrag_trace(reranked)["synthesis"] is None
    assert ours.fetch_docrag_trace(reranked)["synthesis"] is not None
    supervisor = f"urn:trustgraph:agent:{SID}7"
    count = [type(s).__name__ for s in theirs.fetch_agent_trace(supervisor)["steps"]].count
    assert count("Synthesis") == 2
    ours_steps = [type(s).__name__ for s in ours.fetch_agent_trace(supervisor)["steps"]]
    assert ours_steps.count("Synthesis") == 1
    agent_iteration = f"urn:trustgraph:agent:{SID}4/i1"
    assert official_types.ProvenanceEvent(explain_id=agent_iteration).event_type == ""
    assert tgclient.ProvenanceEvent(explain_id=agent_iteration).event_type == "iteration"


@pytest.mark.parametrize("method", ["agent_explain", "document_rag_explain", "graph_rag_explain"])
def test_explain_stream_signatures_match(method: str) -> None:
    # Same names, order and kinds; defaults differ only where tgclient leaves a value to the
    # gateway (max_subgraph_size, doc_limit: see docs/migration.md).
    socket_client = importlib.import_module("trustgraph.api.socket_client")
    theirs = [(n, k) for n, _, k in _params(getattr(socket_client.SocketFlowInstance, method))]
    ours = [(n, k) for n, _, k in _params(getattr(tgclient.FlowInstance, method))]
    assert ours == theirs
