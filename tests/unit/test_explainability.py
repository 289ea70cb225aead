"""ExplainabilityClient and the provenance types, on canned explain graphs.

The graphs are exactly what the 2.11.1 services write (``tests/fakes/explain_store.py``); a
fake triple store answers the flow's REST ``triples`` route from them, so every call goes
through tgclient's real ``triples_query``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import tgclient
from tests.fakes.explain_store import ALL_TRIPLES, SESSIONS, FakeStore
from tests.fakes.ws_gateway import FakeGateway
from tgclient import (
    Analysis,
    Api,
    AsyncApi,
    AsyncExplainabilityClient,
    Conclusion,
    Decomposition,
    EdgeSelection,
    ExplainabilityClient,
    ExplainEntity,
    Exploration,
    Finding,
    Focus,
    Grounding,
    Observation,
    ProvenanceEvent,
    Question,
    Reflection,
    Synthesis,
)

from .conftest import URL

SID = "00000000-0000-4000-8000-00000000000"
GRAPH_RAG_Q = f"urn:trustgraph:question:{SID}1"
DOC_RAG_Q = f"urn:trustgraph:docrag:{SID}2"
RERANKED_Q = f"urn:trustgraph:docrag:{SID}3"
AGENT = f"urn:trustgraph:agent:{SID}4"
AGENT_SUB = f"urn:trustgraph:agent:{SID}5"
SUPERVISOR = f"urn:trustgraph:agent:{SID}7"
ALICE = "http://example.org/stub/alice"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(ALL_TRIPLES)


@pytest.fixture
def api(store: FakeStore) -> Api:
    return Api(url=URL, http_client=httpx.Client(transport=store.transport))


@pytest.fixture
def explain(api: Api) -> ExplainabilityClient:
    return ExplainabilityClient(api.flow().id("default"), retry_delay=0, max_retries=3)


def test_graph_rag_trace_is_typed_from_question_to_synthesis(
    explain: ExplainabilityClient,
) -> None:
    trace = explain.fetch_graphrag_trace(GRAPH_RAG_Q, collection="default")
    question, grounding = trace["question"], trace["grounding"]
    assert isinstance(question, Question) and question.query == "who knows alice"
    assert (question.question_type, question.timestamp) == ("graph-rag", "2026-11-29T03:00:00Z")
    assert isinstance(grounding, Grounding) and grounding.concepts == ["who", "knows", "alice"]
    exploration, focus, synthesis = trace["exploration"], trace["focus"], trace["synthesis"]
    assert isinstance(exploration, Exploration) and exploration.edge_count == 3
    assert ALICE in exploration.entities
    assert isinstance(focus, Focus) and len(focus.selected_edge_uris) == 3
    alice = [e for e in focus.edge_selections if e.concept == "alice"]
    assert alice == [
        EdgeSelection(
            uri=f"urn:trustgraph:prov:edge:{SID}1:2",
            edge={"s": ALICE, "p": LABEL, "o": "alice"},
            concept="alice",
            score=0.9,
        )
    ]
    assert isinstance(synthesis, Synthesis)
    assert synthesis.document == f"urn:trustgraph:synthesis:{SID}1"


def test_document_rag_trace_without_a_reranker_ends_at_the_synthesis(
    explain: ExplainabilityClient,
) -> None:
    trace = explain.fetch_docrag_trace(DOC_RAG_Q)
    assert trace["question"] and trace["question"].question_type == "document-rag"
    exploration = trace["exploration"]
    assert isinstance(exploration, Exploration) and exploration.chunk_count == 3
    assert exploration.chunks == ["urn:chunk:stub:who", "urn:chunk:stub:wrote", "urn:chunk:stub:it"]
    assert trace["focus"] is None
    assert trace["synthesis"] and trace["synthesis"].uri == f"{DOC_RAG_Q}/synthesis"


def test_document_rag_trace_follows_the_reranker_focus(explain: ExplainabilityClient) -> None:
    # With a reranker the synthesis derives from the focus; the official client stops at
    # the exploration and reports no synthesis.
    trace = explain.fetch_docrag_trace(RERANKED_Q)
    focus = trace["focus"]
    assert isinstance(focus, Focus) and focus.selected_chunk_uris == [
        f"urn:trustgraph:prov:chunk:{SID}3:0"
    ]
    assert trace["synthesis"] and trace["synthesis"].uri == f"{RERANKED_Q}/synthesis"


def test_agent_trace_lists_iteration_observation_and_conclusion(
    explain: ExplainabilityClient,
) -> None:
    trace = explain.fetch_agent_trace(AGENT)
    assert trace["question"] and trace["question"].question_type == "agent"
    steps = trace["steps"]
    assert [type(s) for s in steps] == [Analysis, Observation, Conclusion]
    analysis = steps[0]
    assert isinstance(analysis, Analysis) and analysis.action == "stub-tool"
    assert json.loads(analysis.arguments) == {"question": "why blue"}
    assert analysis.thought == f"{AGENT}/i1/thought"


def test_agent_trace_embeds_the_rag_session_a_step_ran(explain: ExplainabilityClient) -> None:
    steps = explain.fetch_agent_trace(AGENT_SUB)["steps"]
    assert isinstance(steps[0], Analysis)
    sub = steps[1]
    assert isinstance(sub, dict) and sub["type"] == "sub-trace"
    assert sub["question"].uri == f"urn:trustgraph:question:{SID}6"
    assert sub["trace"]["synthesis"] is not None
    assert [type(s) for s in steps[2:]] == [Observation, Conclusion]


def test_supervisor_trace_has_each_step_once(explain: ExplainabilityClient) -> None:
    steps = explain.fetch_agent_trace(SUPERVISOR)["steps"]
    kinds = [type(s) for s in steps]
    assert sorted(k.__name__ for k in kinds) == [
        "Decomposition",
        "Finding",
        "Finding",
        "Synthesis",
    ]
    decomposition = steps[0]
    assert isinstance(decomposition, Decomposition)
    assert decomposition.goals == ["find alice", "find bob"]
    findings = [s for s in steps if isinstance(s, Finding)]
    assert [f.goal for f in findings] == ["find alice", "find bob"]


def test_list_sessions_gives_top_level_questions_newest_first(
    explain: ExplainabilityClient,
) -> None:
    sessions = explain.list_sessions(collection="default")
    assert [q.uri for q in sessions] == [
        SUPERVISOR,
        AGENT_SUB,
        AGENT,
        RERANKED_Q,
        DOC_RAG_Q,
        GRAPH_RAG_Q,
    ]  # the graph RAG session the agent ran (derived from its step) is not listed
    assert all(isinstance(q, Question) and q.query for q in sessions)


def test_list_sessions_honours_limit(explain: ExplainabilityClient, store: FakeStore) -> None:
    assert len(explain.list_sessions(limit=2)) <= 2
    assert store.queries[0]["limit"] == 2


def test_detect_session_type(explain: ExplainabilityClient, store: FakeStore) -> None:
    assert explain.detect_session_type(AGENT) == "agent"
    assert explain.detect_session_type(GRAPH_RAG_Q) == "graphrag"
    assert explain.detect_session_type(DOC_RAG_Q) == "docrag"
    assert store.queries == []  # trustgraph's URI scheme says it


def test_detect_session_type_reads_the_question_type_of_other_uris(store: FakeStore) -> None:
    renamed = json.loads(json.dumps(SESSIONS["document_rag"][0]["triples"]))
    for t in renamed:
        t["s"]["i"] = "http://example.org/session/1"
    store.triples = renamed
    api = Api(url=URL, http_client=httpx.Client(transport=store.transport))
    explain = ExplainabilityClient(api.flow().id("default"), retry_delay=0)
    assert explain.detect_session_type("http://example.org/session/1") == "docrag"


def test_fetch_entity_waits_until_two_reads_agree(api: Api, store: FakeStore) -> None:
    question = SESSIONS["graph_rag"][0]["triples"]
    store.triples = question
    store.reveal = [0, 2, len(question), len(question)]  # empty, partial, whole, whole
    explain = ExplainabilityClient(api.flow().id("default"), retry_delay=0)
    entity = explain.fetch_entity(GRAPH_RAG_Q)
    assert isinstance(entity, Question) and entity.query == "who knows alice"
    # empty (wait, read again), partial; settling read: whole (changed), so anew: whole, whole
    assert len(store.queries) == 5
    assert {q["g"] for q in store.queries} == {"urn:graph:retrieval"}


def test_fetch_entity_of_nothing_is_none_after_max_retries(
    explain: ExplainabilityClient, store: FakeStore
) -> None:
    assert explain.fetch_entity("urn:trustgraph:question:missing") is None
    assert len(store.queries) == 3 + 1  # max_retries reads, then the settling read


def test_a_trace_waits_once_and_reads_anew_when_the_session_grew(
    api: Api, store: FakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The synthesis is written after the first reading of the trace: the settling reads see
    # it (the focus gained a derived node), so the trace is read again, whole.
    synthesis = SESSIONS["graph_rag"][-1]["triples"]
    store.triples = [t for t in ALL_TRIPLES if t not in synthesis]
    first_pass = 11  # 4 nodes, 4 derivation queries, 3 edge selections
    original = store.match

    def growing(body: dict[str, Any]) -> list[dict[str, Any]]:
        if len(store.queries) == first_pass + 1:  # the first settling read
            store.triples = ALL_TRIPLES
        return original(body)

    monkeypatch.setattr(store, "match", growing)
    pauses: list[float] = []
    monkeypatch.setattr("tgclient.explainability.time.sleep", pauses.append)
    explain = ExplainabilityClient(api.flow().id("default"), retry_delay=0.5)
    trace = explain.fetch_graphrag_trace(GRAPH_RAG_Q)
    assert trace["synthesis"] is not None
    assert pauses == [0.5, 0.5]  # one wait per reading of the trace, not one per node


def test_fetch_entity_sends_iris_and_the_collection(
    explain: ExplainabilityClient, store: FakeStore
) -> None:
    explain.fetch_entity(AGENT, collection="research")
    assert store.queries[0]["s"] == {"t": "i", "i": AGENT}
    assert store.queries[0]["collection"] == "research"


def test_fetch_edge_selection_and_focus_with_edges(explain: ExplainabilityClient) -> None:
    selection = explain.fetch_edge_selection(f"urn:trustgraph:prov:edge:{SID}1:0")
    who = "http://example.org/stub/who"
    assert selection is not None and selection.edge == {"s": who, "p": LABEL, "o": "who"}
    focus = explain.fetch_focus_with_edges(f"urn:trustgraph:prov:focus:{SID}1")
    assert focus is not None and [e.concept for e in focus.edge_selections] == [
        "who",
        "knows",
        "alice",
    ]
    assert explain.fetch_focus_with_edges(GRAPH_RAG_Q) is None  # a Question, not a Focus
    assert explain.fetch_edge_selection("urn:trustgraph:prov:edge:missing") is None


def test_resolve_label_reads_the_default_graph_once(
    explain: ExplainabilityClient, store: FakeStore
) -> None:
    assert explain.resolve_label(ALICE) == "Alice"
    assert explain.resolve_label(ALICE) == "Alice"
    assert len(store.queries) == 1 and "g" not in store.queries[0]
    assert explain.resolve_label("http://example.org/unlabelled") == "http://example.org/unlabelled"
    assert explain.resolve_label("plain words") == "plain words"
    assert len(store.queries) == 2
    edge = {"s": ALICE, "p": LABEL, "o": "alice"}
    assert explain.resolve_edge_labels(edge) == ("Alice", LABEL, "alice")


def test_fetch_document_content(api: Api, store: FakeStore) -> None:
    explain = ExplainabilityClient(api.flow().id("default"), retry_delay=0, max_retries=3)
    store.documents = {"urn:doc:1": b"The answer.", "urn:doc:bin": b"\xff\xfe"}
    assert explain.fetch_document_content("urn:doc:1", api) == "The answer."
    assert explain.fetch_document_content("urn:doc:1", api, max_content=3) == "The... [truncated]"
    assert explain.fetch_document_content("urn:doc:bin", api) == "[Binary: 2 bytes]"
    assert explain.fetch_document_content("", api) == ""
    store.librarian_failures = 2  # not saved yet, then there
    assert explain.fetch_document_content("urn:doc:1", api) == "The answer."


def test_fetch_document_content_raises_the_librarian_error(api: Api, store: FakeStore) -> None:
    # The official client returns "[Error fetching content: ...]" as if it were the content.
    explain = ExplainabilityClient(api.flow().id("default"), retry_delay=0, max_retries=2)
    store.librarian_failures = 2
    with pytest.raises(tgclient.ServiceError, match="Document not found"):
        explain.fetch_document_content("urn:doc:1", api)


def test_official_constructor_and_defaults(api: Api) -> None:
    flow = api.flow().id("default")
    explain = ExplainabilityClient(flow)
    assert (explain.flow, explain.retry_delay, explain.max_retries) == (flow, 0.2, 10)


def test_async_client_reads_the_same_trace(store: FakeStore) -> None:
    async def main() -> tuple[Any, list[Question]]:
        async with AsyncApi(
            url=URL, http_client=httpx.AsyncClient(transport=store.transport)
        ) as api:
            explain = AsyncExplainabilityClient(api.flow().id("default"), retry_delay=0)
            trace = await explain.fetch_graphrag_trace(GRAPH_RAG_Q)
            store.documents = {"urn:doc:1": b"The answer."}
            store.librarian_failures = 1  # not saved yet, then there
            assert await explain.fetch_document_content("urn:doc:1", api) == "The answer."
            return trace, await explain.list_sessions()

    trace, sessions = asyncio.run(main())
    assert trace["synthesis"] and trace["synthesis"].uri.endswith(f"{SID}1")
    assert trace["focus"] and len(trace["focus"].edge_selections) == 3
    assert len(sessions) == 6


# -- the types --------------------------------------------------------------------------

EXPECTED_EVENTS = {
    "graph_rag": ["question", "grounding", "exploration", "focus", "synthesis"],
    "document_rag": ["question", "grounding", "exploration", "synthesis"],
    "agent": ["question", "iteration", "observation", "conclusion"],
    "supervisor": ["question", "decomposition", "finding", "finding", "synthesis"],
}


@pytest.mark.parametrize("session", sorted(EXPECTED_EVENTS))
def test_provenance_events_are_typed_from_their_inline_triples(session: str) -> None:
    events = [
        ProvenanceEvent.from_explain(
            {
                "explain_id": step["explain_id"],
                "explain_graph": "urn:graph:retrieval",
                "explain_triples": step["triples"],
            }
        )
        for step in SESSIONS[session]
    ]
    assert [e.event_type for e in events] == EXPECTED_EVENTS[session]
    assert all(e.entity is not None and e.entity.uri == e.explain_id for e in events)
    assert all(isinstance(t, tgclient.Triple) for e in events for t in e.triples)


def test_provenance_event_from_a_stream_chunk() -> None:
    step = SESSIONS["agent"][1]
    chunk = tgclient.AgentExplain.model_validate(
        {
            "message_type": "explain",
            "explain_id": step["explain_id"],
            "explain_graph": "urn:graph:retrieval",
            "explain_triples": step["triples"],
        }
    )
    event = ProvenanceEvent.from_explain(chunk)
    assert isinstance(event.entity, Analysis) and event.entity.action == "stub-tool"
    assert event.event_type == "iteration" and event.explain_graph == "urn:graph:retrieval"


def _uri_shapes() -> dict[str, str]:
    """Every URI shape trustgraph.provenance.uris (2.11.1) makes, with its event type."""
    s = "3f2c0000-0000-4000-8000-000000000000"
    agent, docrag = f"urn:trustgraph:agent:{s}", f"urn:trustgraph:docrag:{s}"
    return {
        f"urn:trustgraph:question:{s}": "question",
        f"urn:trustgraph:prov:grounding:{s}": "grounding",
        f"urn:trustgraph:prov:exploration:{s}": "exploration",
        f"urn:trustgraph:prov:focus:{s}": "focus",
        f"urn:trustgraph:prov:synthesis:{s}": "synthesis",
        f"urn:trustgraph:prov:edge:{s}:0": "edge-selection",
        agent: "question",
        f"{agent}/i1": "iteration",
        f"{agent}/i1/thought": "thought",
        f"{agent}/i1/observation": "observation",
        f"{agent}/final": "conclusion",
        f"{agent}/decompose": "decomposition",
        f"{agent}/finding/0": "finding",
        f"{agent}/plan": "plan",
        f"{agent}/step/0": "step-result",
        f"{agent}/synthesis": "synthesis",
        f"{agent}/pattern-decision": "pattern-decision",
        docrag: "question",
        f"{docrag}/grounding": "grounding",
        f"{docrag}/exploration": "exploration",
        f"{docrag}/focus": "focus",
        f"urn:trustgraph:prov:chunk:{s}:0": "chunk-selection",
        f"{docrag}/synthesis": "synthesis",
    }


def test_every_provenance_uri_shape_has_an_event_type() -> None:
    # Without triples the URI decides; the official client leaves 9 of these 23 untyped.
    shapes = _uri_shapes()
    assert len(shapes) == 23
    assert {uri: ProvenanceEvent(explain_id=uri).event_type for uri in shapes} == shapes


def test_entities_parse_official_tuples() -> None:
    # The official from_triples take (s, p, o) values; so do these.
    tg = "https://trustgraph.ai/ns/"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    uri = "urn:x"
    thought = ExplainEntity.from_triples(
        uri, [(uri, rdf_type, tg + "Reflection"), (uri, rdf_type, tg + "Thought")]
    )
    assert isinstance(thought, Reflection) and thought.reflection_type == "thought"
    observation = ExplainEntity.from_triples(
        uri, [(uri, rdf_type, tg + "Observation"), (uri, tg + "document", "urn:doc")]
    )
    assert isinstance(observation, Observation) and observation.document == "urn:doc"
    unknown = ExplainEntity.from_triples(uri, [(uri, rdf_type, "http://example.org/Thing")])
    assert type(unknown) is ExplainEntity and unknown.entity_type == "unknown"
    question = Question.from_triples(uri, [(uri, tg + "query", "q")], [tg + "AgentQuestion"])
    assert (question.query, question.question_type) == ("q", "agent")


def test_names_are_exported() -> None:
    names: list[Callable[..., Any]] = [
        tgclient.ExplainabilityClient,
        tgclient.ProvenanceEvent,
        tgclient.Question,
        tgclient.Grounding,
        tgclient.Exploration,
        tgclient.Focus,
        tgclient.Synthesis,
        tgclient.Analysis,
        tgclient.Observation,
        tgclient.Conclusion,
        tgclient.Decomposition,
        tgclient.Finding,
        tgclient.Plan,
        tgclient.StepResult,
    ]
    assert all(n.__module__ == "tgclient.explainability" for n in names)
    assert {"ExplainabilityClient", "ProvenanceEvent", "StepResult"} <= set(tgclient.__all__)


def test_a_flow_of_the_other_kind_is_refused_with_the_right_client(store: FakeStore) -> None:
    api = Api(url=URL, http_client=httpx.Client(transport=store.transport))
    async_api = AsyncApi(url=URL, http_client=httpx.AsyncClient(transport=store.transport))
    with pytest.raises(tgclient.ConfigurationError, match="use AsyncExplainabilityClient"):
        ExplainabilityClient(async_api.flow().id("default"))
    with pytest.raises(tgclient.ConfigurationError, match="use ExplainabilityClient"):
        AsyncExplainabilityClient(api.flow().id("default"))
    with pytest.raises(tgclient.ConfigurationError, match=r"needs a flow.*got Api"):
        ExplainabilityClient(api)


def test_fetch_document_content_without_an_api_says_so(explain: ExplainabilityClient) -> None:
    with pytest.raises(tgclient.RequestValidationError, match="needs api="):
        explain.fetch_document_content("urn:doc:1", None)


# -- the official <method>_explain variants, over a fake WebSocket gateway -----------------


def _explain_frame(step: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "message_type": "explain",
        "explain_id": step["explain_id"],
        "explain_graph": "urn:graph:retrieval",
        "explain_triples": step["triples"],
        **extra,
    }


def _rag_frames(session: str) -> list[dict[str, Any]]:
    *before, synthesis = SESSIONS[session]
    return [
        *(_explain_frame(s, response="") for s in before),
        {"message_type": "chunk", "response": "An ", "end_of_stream": False},
        {"message_type": "chunk", "response": "answer.", "end_of_stream": True},
        _explain_frame(synthesis, response=""),
        {"message_type": "chunk", "response": "", "end_of_session": True, "in_token": 3},
    ]


@pytest.fixture
def ws_gateway() -> Iterator[FakeGateway]:
    frames = {
        "graph-rag": _rag_frames("graph_rag"),
        "document-rag": _rag_frames("document_rag"),
        "agent": [
            _explain_frame(SESSIONS["agent"][0]),
            {"message_type": "thought", "content": "hmm", "end_of_message": True},
            _explain_frame(SESSIONS["agent"][1]),
            {
                "message_type": "answer",
                "content": "Blue.",
                "end_of_message": True,
                "end_of_dialog": True,
            },
        ],
    }
    gateway = FakeGateway(responder=lambda msg: frames.get(msg["service"]))
    gateway.start()
    yield gateway
    gateway.stop()


def test_graph_rag_explain_yields_chunks_and_provenance_events(ws_gateway: FakeGateway) -> None:
    with Api(ws_gateway.url, timeout=10) as api:
        items = list(api.flow().id("default").graph_rag_explain("who knows alice", "research"))
    events = [i for i in items if isinstance(i, ProvenanceEvent)]
    assert [e.event_type for e in events] == [
        "question",
        "grounding",
        "exploration",
        "focus",
        "synthesis",
    ]
    focus = events[3].entity
    assert isinstance(focus, Focus) and len(focus.selected_edge_uris) == 3
    text = [i.content for i in items if isinstance(i, tgclient.RAGChunk)]
    assert "".join(text) == "An answer." and items[-1].end_of_session
    request = ws_gateway.envelopes[-1]["request"]
    assert (request["query"], request["collection"], request["streaming"]) == (
        "who knows alice",
        "research",
        True,
    )


def test_document_rag_and_agent_explain(ws_gateway: FakeGateway) -> None:
    with Api(ws_gateway.url, timeout=10) as api:
        flow = api.flow().id("default")
        docs = list(flow.document_rag_explain(query="q", collection="c", doc_limit=3))
        agent = list(flow.agent_explain("why blue", "c"))
    assert [e.event_type for e in docs if isinstance(e, ProvenanceEvent)] == [
        "question",
        "grounding",
        "exploration",
        "synthesis",
    ]
    assert [type(i).__name__ for i in agent] == [
        "ProvenanceEvent",
        "AgentThought",
        "ProvenanceEvent",
        "AgentAnswer",
    ]
    iteration = agent[2]
    assert isinstance(iteration, ProvenanceEvent) and isinstance(iteration.entity, Analysis)
    request = ws_gateway.envelopes[-1]["request"]
    assert (request["question"], request["collection"]) == ("why blue", "c")


def test_async_explain_variant(ws_gateway: FakeGateway) -> None:
    async def main() -> list[Any]:
        async with AsyncApi(ws_gateway.url, timeout=10) as api:
            flow = api.flow().id("default")
            return [item async for item in flow.graph_rag_explain("q", "c")]

    items = asyncio.run(main())
    assert sum(isinstance(i, ProvenanceEvent) for i in items) == 5


def test_explain_variants_refuse_rest() -> None:
    # Streaming needs the socket, as for every streamed call: nothing is sent.
    with Api(URL) as api, pytest.raises(tgclient.StreamingNotSupportedError):
        list(api.flow().id("default").graph_rag_explain("q", "c"))
