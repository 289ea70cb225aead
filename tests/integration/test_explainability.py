"""ExplainabilityClient against the real gateway 2.11.1: the agent and RAG stubs write their
explain graphs into the flow's triple store and stream them, as the 2.11.1 services do
(``stack/tgstack/provenance.py``); the client reads the traces back over REST and the socket,
sync and async. Each test asks in its own collection, so its sessions are the only ones there.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator

import pytest

import tgclient
from tgclient import (
    Analysis,
    Api,
    AsyncApi,
    AsyncExplainabilityClient,
    Conclusion,
    ExplainabilityClient,
    Exploration,
    Focus,
    Grounding,
    Literal,
    Observation,
    ProvenanceEvent,
    Question,
    Reflection,
    Synthesis,
    Triple,
    Uri,
)

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALICE = "http://example.org/stub/alice"  # the stub grounds concept "alice" here


@pytest.fixture(params=["rest", "websocket"])
def api(request: pytest.FixtureRequest, gateway_url: str) -> Iterator[Api]:
    with Api(gateway_url, strict=True, timeout=30, transport=request.param) as api:
        yield api


@pytest.fixture
def collection() -> str:
    return f"explain-{uuid.uuid4().hex[:8]}"


def _client(api: Api) -> ExplainabilityClient:
    return ExplainabilityClient(api.flow().id("default"), retry_delay=0.05, max_retries=40)


def _only_session(explain: ExplainabilityClient, collection: str) -> Question:
    """The one session of ``collection`` (its store write lands shortly after the answer)."""
    deadline = time.monotonic() + 15
    while True:
        sessions = explain.list_sessions(collection=collection)
        if sessions or time.monotonic() > deadline:
            assert len(sessions) == 1, sessions
            return sessions[0]
        time.sleep(0.1)


def test_graph_rag_trace(api: Api, collection: str) -> None:
    flow = api.flow().id("default")
    label = Triple(s=Uri(ALICE), p=Uri(LABEL), o=Literal("Alice"))
    flow.import_triples([label], metadata={"id": "labels", "collection": collection})
    deadline = time.monotonic() + 15  # the store is written after the import returns
    while not flow.triples_query(s=Uri(ALICE), collection=collection):
        assert time.monotonic() < deadline, "the imported label never showed"
        time.sleep(0.1)
    assert flow.graph_rag("who knows alice", collection=collection) == (
        "Graph RAG answer: who knows alice"
    )
    explain = _client(api)
    question = _only_session(explain, collection)
    assert (question.query, question.question_type) == ("who knows alice", "graph-rag")
    assert explain.detect_session_type(question.uri, collection=collection) == "graphrag"

    trace = explain.fetch_graphrag_trace(question.uri, collection=collection)
    grounding, exploration = trace["grounding"], trace["exploration"]
    focus, synthesis = trace["focus"], trace["synthesis"]
    assert isinstance(grounding, Grounding) and grounding.concepts == ["who", "knows", "alice"]
    assert isinstance(exploration, Exploration) and exploration.edge_count == 3
    assert ALICE in exploration.entities
    assert isinstance(focus, Focus) and len(focus.edge_selections) == 3
    chosen = next(e for e in focus.edge_selections if e.concept == "alice")
    assert chosen.edge == {"s": ALICE, "p": LABEL, "o": "alice"} and chosen.score == 0.9
    assert isinstance(synthesis, Synthesis) and synthesis.uri.endswith(question.uri[-36:])
    # The service saved its answer in the librarian and named it in the synthesis.
    assert synthesis.document == f"urn:trustgraph:synthesis:{question.uri[-36:]}"
    answer = explain.fetch_document_content(synthesis.document, api)
    assert answer == "Graph RAG answer: who knows alice"

    assert explain.fetch_edge_selection(chosen.uri, collection=collection) == chosen
    assert explain.resolve_label(ALICE, collection=collection) == "Alice"
    assert explain.resolve_edge_labels(chosen.edge, collection=collection) == (
        "Alice",
        LABEL,
        "alice",
    )


def test_graph_rag_explain_events_lead_to_the_trace(gateway_url: str, collection: str) -> None:
    with Api(gateway_url, strict=True, timeout=30, transport="websocket") as api:
        flow = api.flow().id("default")
        with flow.graph_rag("alice", collection=collection, streaming=True, explain=True) as s:
            events = [ProvenanceEvent.from_explain(c) for c in s if c.message_type == "explain"]
        assert [e.event_type for e in events] == [
            "question",
            "grounding",
            "exploration",
            "focus",
            "synthesis",
        ]
        assert isinstance(events[0].entity, Question) and events[0].entity.query == "alice"
        # The official constructor and defaults: retry_delay 0.2, max_retries 10.
        explain = ExplainabilityClient(flow)
        focus = explain.fetch_focus_with_edges(events[3].explain_id, collection=collection)
        assert isinstance(focus, Focus) and [e.concept for e in focus.edge_selections] == ["alice"]
        entity = explain.fetch_entity(events[-1].explain_id, collection=collection)
        assert isinstance(entity, Synthesis)


def test_document_rag_trace(api: Api, collection: str) -> None:
    flow = api.flow().id("default")
    assert flow.document_rag("what is it", collection=collection) == (
        "Document RAG answer: what is it"
    )
    explain = _client(api)
    question = _only_session(explain, collection)
    assert explain.detect_session_type(question.uri, collection=collection) == "docrag"
    trace = explain.fetch_docrag_trace(question.uri, collection=collection)
    exploration = trace["exploration"]
    assert isinstance(exploration, Exploration) and exploration.chunk_count == 3
    assert trace["focus"] is None  # no reranker in the flow
    synthesis = trace["synthesis"]
    assert isinstance(synthesis, Synthesis)
    assert explain.fetch_document_content(synthesis.document, api) == (
        "Document RAG answer: what is it"
    )


def test_agent_trace(api: Api, collection: str) -> None:
    flow = api.flow().id("default")
    assert flow.agent("why blue", collection=collection) == "Answer: why blue"
    explain = _client(api)
    question = _only_session(explain, collection)
    assert (question.query, question.question_type) == ("why blue", "agent")
    assert explain.detect_session_type(question.uri, collection=collection) == "agent"
    steps = explain.fetch_agent_trace(question.uri, collection=collection)["steps"]
    assert [type(s) for s in steps] == [Analysis, Observation, Conclusion]
    analysis = steps[0]
    assert isinstance(analysis, Analysis) and analysis.action == "stub-tool"
    thought = explain.fetch_entity(analysis.thought, collection=collection)
    assert isinstance(thought, Reflection) and thought.reflection_type == "thought"
    documents = [thought.document, steps[1].document, steps[2].document]
    assert [explain.fetch_document_content(d, api) for d in documents] == [
        "Thinking about: why blue",
        "Observed: why blue",
        "Answer: why blue",
    ]


def test_fetch_document_content(api: Api) -> None:
    doc_id = f"urn:trustgraph:synthesis:{uuid.uuid4()}"
    metadata = {"id": doc_id, "kind": "text/plain", "time": int(time.time()), "title": "answer"}
    api.library().add_document(document_metadata=metadata, content=b"The stored answer.")
    explain = _client(api)
    assert explain.fetch_document_content(doc_id, api) == "The stored answer."
    assert explain.fetch_document_content(doc_id, api, max_content=3) == "The... [truncated]"
    missing = ExplainabilityClient(api.flow().id("default"), retry_delay=0, max_retries=2)
    with pytest.raises(tgclient.TrustGraphError):
        missing.fetch_document_content(f"{doc_id}-missing", api)


def test_async_client(gateway_url: str, collection: str) -> None:
    async def main() -> tuple[Question, dict[str, object]]:
        async with AsyncApi(gateway_url, strict=True, timeout=30, transport="websocket") as api:
            flow = api.flow().id("default")
            await flow.graph_rag("async alice", collection=collection)
            explain = AsyncExplainabilityClient(flow, retry_delay=0.05, max_retries=40)
            for _ in range(150):
                sessions = await explain.list_sessions(collection=collection)
                if sessions:
                    break
                await asyncio.sleep(0.1)
            trace = await explain.fetch_graphrag_trace(sessions[0].uri, collection=collection)
            return sessions[0], dict(trace)

    question, trace = asyncio.run(main())
    assert question.query == "async alice"
    assert isinstance(trace["synthesis"], Synthesis)
