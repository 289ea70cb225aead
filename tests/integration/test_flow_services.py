"""Flow services through tgclient against the real gateway 2.11.1 (stub back ends): whole
answers over REST and the socket, typed streams over the socket, sync and async, and bulk
import/export. Every response is parsed strictly against the spec."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import tgclient
from tgclient import (
    AgentAnswer,
    AgentObservation,
    AgentThought,
    Api,
    AsyncApi,
    Literal,
    Triple,
    Uri,
    term_text,
)


@pytest.fixture(params=["rest", "websocket"])
def flow(request: pytest.FixtureRequest, gateway_url: str) -> Iterator[tgclient.FlowInstance]:
    with Api(gateway_url, strict=True, timeout=30, transport=request.param) as api:
        yield api.flow().id("default")


@pytest.fixture
def ws_flow(gateway_url: str) -> Iterator[tgclient.FlowInstance]:
    with Api(gateway_url, strict=True, timeout=30, transport="websocket") as api:
        yield api.flow().id("default")


def _eventually(check: Callable[[], Any], seconds: float = 15) -> Any:
    """Stores are written asynchronously after an import; poll until the data shows."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def test_agent_whole_answer(flow: tgclient.FlowInstance) -> None:
    answer = flow.agent("why is the sky blue")
    assert isinstance(answer, tgclient.TextResult)
    assert answer == "Answer: why is the sky blue"  # never the first (explain) frame
    assert answer.model == "stub-echo-1"


def test_agent_streams_typed_chunks(ws_flow: tgclient.FlowInstance) -> None:
    with ws_flow.agent("why is grass green", streaming=True) as stream:
        chunks = list(stream)
    kinds = {type(c) for c in chunks}
    assert {AgentThought, AgentObservation, AgentAnswer} <= kinds
    answers = [c for c in chunks if isinstance(c, AgentAnswer)]
    assert "".join(c.content or "" for c in answers) == "Answer: why is grass green"
    assert chunks[-1].end_of_dialog
    assert sum(isinstance(c, tgclient.AgentExplain) for c in chunks) >= 1


def test_graph_rag_whole_answer_with_sources(flow: tgclient.FlowInstance) -> None:
    answer = flow.graph_rag("who", collection="default")
    assert answer == "Graph RAG answer: who"
    assert answer.sources and str(answer.sources[0].uri).startswith("urn:trustgraph:doc:stub:")


def test_graph_rag_streams(ws_flow: tgclient.FlowInstance) -> None:
    with ws_flow.graph_rag("who streams", streaming=True) as stream:
        chunks = list(stream)
    text = "".join(c.content or "" for c in chunks if isinstance(c, tgclient.GraphRagChunk))
    assert text == "Graph RAG answer: who streams"
    assert chunks[-1].end_of_session and chunks[-1].sources


def test_document_rag(flow: tgclient.FlowInstance) -> None:
    assert flow.document_rag("what") == "Document RAG answer: what"


def test_rag_error_is_typed_in_both_modes(flow: tgclient.FlowInstance, gateway_url: str) -> None:
    with pytest.raises(tgclient.ServiceError):
        flow.graph_rag("[[error]]")
    with Api(gateway_url, transport="websocket") as api, pytest.raises(tgclient.ServiceError):
        list(api.flow().id().document_rag("[[error]]", streaming=True))


def test_agent_error_is_a_gateway_error(flow: tgclient.FlowInstance) -> None:
    # 2.11.1's agent translator crashes on errors; the gateway reports that instead.
    with pytest.raises(tgclient.GatewayError, match="code"):
        flow.agent("[[error]]")


def test_prompt_and_embeddings(flow: tgclient.FlowInstance) -> None:
    result = flow.prompt("greet", {"name": "Ann"})
    assert result.text and "Ann" in result.text
    vectors = flow.embeddings(["a", "b", "a"])
    assert len(vectors) == 3 and vectors[0] == vectors[2] != vectors[1]


def test_bulk_import_then_query_triples(flow: tgclient.FlowInstance) -> None:
    subject = f"urn:it:{uuid.uuid4().hex[:8]}"
    triples = [Triple(s=Uri(subject), p=Uri("urn:it:n"), o=Literal(str(i))) for i in range(250)]
    progress: list[int] = []
    result = flow.import_triples(iter(triples), batch_size=100, on_progress=progress.append)
    assert (result.items, result.frames) == (250, 3)
    assert progress == [100, 200, 250]
    # The store writes asynchronously after the import: wait for all of them, not the first.
    _eventually(lambda: len(flow.triples_query(s=Uri(subject), limit=1000)) == 250)
    found = flow.triples_query(s=Uri(subject), limit=1000)
    assert sorted(int(term_text(t.o)) for t in found) == list(range(250))


def test_triples_query_streams_batches(ws_flow: tgclient.FlowInstance) -> None:
    subject = f"urn:it:{uuid.uuid4().hex[:8]}"
    ws_flow.import_triples(
        {"s": {"t": "i", "i": subject}, "p": {"t": "i", "i": "urn:it:p"}, "o": {"t": "l", "v": v}}
        for v in "abcdefghij"
    )
    _eventually(lambda: len(ws_flow.triples_query(s=Uri(subject))) == 10)
    with ws_flow.triples_query(s=Uri(subject), batch_size=3, streaming=True) as stream:
        batches = [batch.response for batch in stream]
    assert sum(len(b) for b in batches) == 10 and len(batches) >= 4


def test_bad_bulk_input_is_refused_before_sending(flow: tgclient.FlowInstance) -> None:
    with pytest.raises(tgclient.RequestValidationError, match="item 1 "):
        flow.import_triples([Triple(s=Uri("a"), p=Uri("p"), o=Uri("o")), {"s": "not a term"}])


def test_bulk_import_into_a_missing_interface_or_flow_raises(gateway_url: str) -> None:
    with Api(gateway_url) as api:
        # The stub blueprint has no rows-store: the gateway would close the socket silently.
        with pytest.raises(tgclient.BadRequestError, match="rows-store"):
            api.flow().id().import_rows([{"a": "1"}], schema_name="s")
        with pytest.raises(tgclient.BadRequestError, match="not running"):
            api.flow().id("no-such-flow").import_triples([])


def test_export_taps_what_is_imported(gateway_url: str) -> None:
    with Api(gateway_url) as api:
        flow = api.flow().id()
        subject = f"urn:it:{uuid.uuid4().hex[:8]}"
        with flow.export_triples(idle_timeout=5) as tap:
            got: list[tgclient.Triple] = []

            def read() -> None:
                for triple in tap:  # items, flattened from the frames
                    got.append(triple)
                    if len(got) >= 20:
                        return

            reader = threading.Thread(target=read)
            reader.start()
            time.sleep(0.5)  # the tap starts at "latest": subscribe before importing
            flow.import_triples(
                Triple(s=Uri(subject), p=Uri("urn:it:p"), o=Literal(str(i))) for i in range(20)
            )
            reader.join(15)
        assert [term_text(t.o) for t in got if term_text(t.s) == subject] == [
            str(i) for i in range(20)
        ]


async def test_async_streams_and_bulk(gateway_url: str) -> None:
    async with AsyncApi(gateway_url, transport="websocket", strict=True) as api:
        flow = api.flow().id()
        assert await flow.agent("async question") == "Answer: async question"
        stream = await flow.graph_rag("async who", streaming=True)
        chunks = [c async for c in stream]
        assert chunks[-1].end_of_session

        async def triples() -> Any:
            for i in range(5):
                yield Triple(s=Uri("urn:it:async"), p=Uri("urn:it:p"), o=Literal(str(i)))

        result = await flow.import_triples(triples())
        assert result.items == 5


def test_passthrough_routes_by_interface(flow: tgclient.FlowInstance) -> None:
    # The stack has no add-on service that speaks PassthroughRequest; what is observable is
    # the routing: an interface the flow lacks is refused, one it has is reached and answers.
    with pytest.raises(tgclient.BadRequestError, match="not supported by flow"):
        flow.passthrough("no-such-interface", {"x": 1})
    answer = flow.passthrough("text-completion", {"system": "s", "prompt": "through thru"})
    assert isinstance(answer, dict)


def test_embeddings_import_then_similarity_query(flow: tgclient.FlowInstance) -> None:
    collection = f"it-{uuid.uuid4().hex[:6]}"
    metadata = {"id": "doc-emb", "collection": collection}
    flow.import_graph_embeddings(
        [
            {"entity": {"t": "i", "i": "urn:e:a"}, "vector": [1.0, 0.0]},
            {"entity": {"t": "i", "i": "urn:e:b"}, "vector": [0.0, 1.0]},
        ],
        metadata=metadata,
    )
    flow.import_document_embeddings(
        [
            {"chunk_id": "chunk-a", "vector": [1.0, 0.0]},
            {"chunk_id": "chunk-b", "vector": [0.6, 0.8]},
        ],
        metadata=metadata,
    )
    entities = _eventually(
        lambda: flow.graph_embeddings_query([0.0, 1.0], collection=collection, limit=1)
    )
    assert term_text(entities[0].entity) == "urn:e:b" and abs(entities[0].score - 1.0) < 1e-9
    chunks = _eventually(
        lambda: flow.document_embeddings_query([0.0, 1.0], collection=collection, limit=1)
    )
    assert [c.chunk_id for c in chunks] == ["chunk-b"]


def test_partial_metadata_is_completed_not_dropped(flow: tgclient.FlowInstance) -> None:
    # Frames without a metadata id are dropped by the gateway without a word; the client
    # fills in what is missing, so the triples land in the named collection.
    collection = f"it-{uuid.uuid4().hex[:6]}"
    flow.import_triples(
        [Triple(s=Uri("urn:it:partial"), p=Uri("urn:it:p"), o=Literal("x"))],
        metadata={"collection": collection},
    )
    found = _eventually(lambda: flow.triples_query(collection=collection))
    assert [term_text(t.o) for t in found] == ["x"]
