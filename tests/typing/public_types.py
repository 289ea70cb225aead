"""The types mypy and pyright infer for the main public calls, pinned (``assert_type``).

Checked by ``tox -e type`` (mypy --strict, then pyright; both report an unneeded ignore): a
change in what the public surface reveals to a type checker, e.g. through lazy imports or a
decay to ``Any``, fails that run. Never executed.
"""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import Literal, assert_type

import tgclient
from tgclient import (
    AgentAnswer,
    AgentChunk,
    AgentThought,
    Api,
    AsyncApi,
    AsyncStream,
    GraphRagFrame,
    RAGChunk,
    Stream,
    StreamingChunk,
    TextResult,
    Triple,
    TrustGraphError,
    Uri,
)
from tgclient.resources.config import Config
from tgclient.resources.flow import Flow
from tgclient.resources.flow_instance import AsyncFlowInstance, FlowInstance
from tgclient.types.bulk import BulkTriples
from tgclient.types.config import ConfigValue
from tgclient_runtime.bulk import (
    AsyncBulkExport,
    AsyncItemExport,
    BulkExport,
    ImportResult,
    ItemExport,
)


def sync_calls(api: Api, flag: bool) -> None:
    assert_type(tgclient.Api, type[Api])
    assert_type(api.flow(), Flow)
    assert_type(api.config(), Config)
    assert_type(api.socket(), Api)
    assert_type(api.flow().list(), list[str])
    assert_type(api.config().get([]), list[ConfigValue])
    flow = api.flow().id("default")
    assert_type(flow, FlowInstance)
    assert_type(flow.text_completion("s", "p"), TextResult)
    assert_type(flow.text_completion("s", "p", streaming=True), Stream[TextResult])
    assert_type(flow.agent("q"), TextResult)
    assert_type(flow.agent("q", streaming=True), Stream[AgentChunk])
    assert_type(flow.agent("q", streaming=flag), TextResult | Stream[AgentChunk])
    assert_type(flow.graph_rag("q"), TextResult)
    assert_type(flow.graph_rag("q", streaming=True), Stream[GraphRagFrame])
    assert_type(flow.embeddings(["t"]), list[list[float]])
    assert_type(flow.triples_query(s=Uri("urn:x")), list[Triple])
    assert_type(flow.import_triples([]), ImportResult)
    assert_type(flow.import_triples([], batch_size=10), ImportResult)
    assert_type(flow.export_triples(), ItemExport[BulkTriples, Triple])
    assert_type(flow.export_triples(frames=True), BulkExport[BulkTriples])
    assert_type(api.flow("default"), FlowInstance)


async def async_calls(api: AsyncApi, flag: bool) -> None:
    assert_type(api.socket(), AsyncApi)
    assert_type(await api.flow().list(), list[str])
    flow = api.flow().id("default")
    assert_type(flow, AsyncFlowInstance)
    assert_type(await flow.text_completion("s", "p"), TextResult)
    assert_type(
        await flow.text_completion("s", "p", streaming=True),
        AsyncStream[TextResult],
    )
    assert_type(await flow.agent("q", streaming=True), AsyncStream[AgentChunk])
    assert_type(await flow.agent("q", streaming=flag), TextResult | AsyncStream[AgentChunk])
    async for chunk in flow.agent("q", streaming=True):  # the seed's form, without await
        assert_type(chunk, AgentChunk)
    assert_type(await flow.import_triples([]), ImportResult)
    assert_type(await flow.export_triples(), AsyncItemExport[BulkTriples, Triple])
    assert_type(await flow.export_triples(frames=True), AsyncBulkExport[BulkTriples])


def exported_names(chunk: RAGChunk, error: TrustGraphError) -> None:
    assert_type(error.message, str)
    assert_type(chunk.content, str)
    assert_type(chunk.end_of_stream, bool)


def seed_chunk_types() -> None:
    # The seed's Types section: a class family built by keyword, with a literal chunk_type.
    thought = AgentThought(content="hmm")
    assert_type(thought.chunk_type, Literal["thought"])
    assert_type(AgentAnswer(content="done", end_of_dialog=True).chunk_type, Literal["final-answer"])
    rag = RAGChunk(content="text", end_of_stream=True, error=None)
    assert_type(rag.chunk_type, Literal["rag"])
    chunk: StreamingChunk = rag
    assert_type(chunk.content, str)
    assert_type(tgclient.GATEWAY_VERSION, str)


def closed_sets_are_literal_types() -> None:
    Api("http://localhost:8888/", transport="websocket")
    Api("http://localhost:8888/", transport="grpc")  # type: ignore[arg-type]


def unknown_names_stay_errors() -> None:
    # The lazy loader is hidden from type checkers: a name tgclient does not export is an
    # error, not Any (strict mode reports this ignore if it ever becomes unnecessary).
    tgclient.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
