"""Every streaming service of gateway 2.11.1 streams through tgclient over the socket, sync
and async, and its non-streaming form returns the whole answer there (never the first frame).

Streaming services (gateway-2.11 §8): agent, text-completion, prompt, graph-rag, document-rag
(text), and triples, sparql (batches). Each case gives the call, how to join the streamed
chunks, and what the joined stream must equal; the whole answer must equal it too.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

import tgclient
from tgclient import Api, AsyncApi, Uri

SUBJECT = f"urn:it:stream:{uuid.uuid4().hex[:8]}"


def _text(attr: str) -> Callable[[list[Any]], str]:
    return lambda chunks: "".join(getattr(c, attr, None) or "" for c in chunks)


def _agent_text(chunks: list[Any]) -> str:
    return "".join(c.content or "" for c in chunks if isinstance(c, tgclient.AgentAnswer))


def _rag_text(chunks: list[Any]) -> str:
    return "".join(c.content or "" for c in chunks if isinstance(c, tgclient.RAGChunk))


def _batches(attr: str) -> Callable[[list[Any]], int]:
    return lambda chunks: sum(len(getattr(c, attr) or []) for c in chunks)


# name: (method, args, kwargs, join streamed chunks, expected joined value, whole answer -> same)
CASES: dict[
    str,
    tuple[
        str, tuple[Any, ...], dict[str, Any], Callable[[list[Any]], Any], Any, Callable[[Any], Any]
    ],
] = {
    "agent": ("agent", ("why stream",), {}, _agent_text, "Answer: why stream", str),
    "text-completion": (
        "text_completion",
        ("s", "tokens one by one"),
        {},
        _text("response"),
        "tokens one by one",
        str,
    ),
    "prompt": (
        "prompt",
        ("greet", {"name": "Ann"}),
        {},
        _text("text"),
        'greet: {"name": "\\"Ann\\""}',
        lambda r: r.text,
    ),
    "graph-rag": (
        "graph_rag",
        ("who streams",),
        {},
        _rag_text,
        "Graph RAG answer: who streams",
        str,
    ),
    "document-rag": (
        "document_rag",
        ("what streams",),
        {},
        _rag_text,
        "Document RAG answer: what streams",
        str,
    ),
    "triples": (
        "triples_query",
        (),
        {"s": Uri(SUBJECT), "batch_size": 2},
        _batches("response"),
        5,
        len,
    ),
    "sparql": (
        "sparql_query",
        ("SELECT ?word WHERE a b c d e f g",),
        {"batch_size": 3},
        _batches("bindings"),
        10,
        lambda r: len(r.bindings),
    ),
}


@pytest.fixture(scope="module", autouse=True)
def five_triples(gateway_url: str) -> None:
    with Api(gateway_url) as api:
        flow = api.flow().id()
        flow.import_triples(
            {
                "s": {"t": "i", "i": SUBJECT},
                "p": {"t": "i", "i": "urn:it:p"},
                "o": {"t": "l", "v": str(i)},
            }
            for i in range(5)
        )
        for _ in range(50):
            if len(flow.triples_query(s=Uri(SUBJECT))) == 5:
                return
            time.sleep(0.2)
        pytest.fail("imported triples never became queryable")


@pytest.mark.parametrize("service", sorted(CASES))
def test_streams_sync_and_whole_answer(gateway_url: str, service: str) -> None:
    method, args, kwargs, join, expected, whole_of = CASES[service]
    with Api(gateway_url, transport="websocket", strict=True, timeout=30) as api:
        flow = api.flow().id()
        with getattr(flow, method)(*args, **kwargs, streaming=True) as stream:
            chunks = list(stream)
        assert chunks, f"{service} streamed nothing"
        assert join(chunks) == expected
        whole = getattr(flow, method)(*args, **kwargs)
        assert whole_of(whole) == expected


@pytest.mark.parametrize("service", sorted(CASES))
async def test_streams_async(gateway_url: str, service: str) -> None:
    method, args, kwargs, join, expected, whole_of = CASES[service]
    async with AsyncApi(gateway_url, transport="websocket", strict=True, timeout=30) as api:
        flow = api.flow().id()
        stream = await getattr(flow, method)(*args, **kwargs, streaming=True)
        async with stream:
            chunks = [chunk async for chunk in stream]
        assert join(chunks) == expected
        assert whole_of(await getattr(flow, method)(*args, **kwargs)) == expected


def test_more_than_one_frame_really_arrives(gateway_url: str) -> None:
    # "Streams" must mean several frames, not one frame wrapped as a stream.
    with Api(gateway_url, transport="websocket") as api:
        flow = api.flow().id()
        for method, args in (
            ("text_completion", ("s", "a b c d")),
            ("agent", ("q",)),
            ("graph_rag", ("q",)),
            ("sparql_query", ("a b c d e",)),
        ):
            kwargs = {"batch_size": 1} if method == "sparql_query" else {}
            with getattr(flow, method)(*args, **kwargs, streaming=True) as stream:
                assert len(list(stream)) >= 3, method
