"""Every code example of the seed spec, verbatim (seed_examples.py), against the real gateway.

Each example runs with ``exec`` exactly as written; the one substitution is the gateway's
address (``localhost:8088`` -> the test stack's host and port). Names an example uses without
defining them (``api``, ``flow``, ``triples`` ...) are given as the surrounding prose of the
seed implies. Each test checks what the example prints, or the objects it leaves behind.
Signature blocks (the seed's class outlines) are checked by binding the seed's arguments to
tgclient's methods.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import io
import itertools
import socket
import threading
import typing
from typing import Any

import pytest

import tgclient
from tgclient import (
    AgentAnswer,
    AgentObservation,
    AgentThought,
    Api,
    AsyncApi,
    RAGChunk,
    Triple,
)
from tgclient_runtime import arguments

from .seed_examples import EXAMPLES

SEED_ADDRESS = "localhost:8088"


@pytest.fixture(scope="module")
def address(gateway_url: str) -> str:
    return gateway_url.split("://", 1)[1].rstrip("/")


def run(number: int, address: str, **names: Any) -> tuple[str, dict[str, Any]]:
    """Run seed example ``number`` as written; its stdout and its namespace."""
    code = EXAMPLES[number].replace(SEED_ADDRESS, address)
    namespace: dict[str, Any] = {
        "Api": Api,
        "AsyncApi": AsyncApi,
        "Triple": Triple,
        "AgentThought": AgentThought,
        "AgentObservation": AgentObservation,
        "AgentAnswer": AgentAnswer,
        "Optional": typing.Optional,
        **names,
    }
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"<seed example {number}>", "exec"), namespace)
    return out.getvalue(), namespace


def _ws(address: str, **options: Any) -> Api:
    return Api(url=f"ws://{address}/", **options)


def _tagged(lines: list[str], tag: str) -> str:
    return "".join(line.removeprefix(tag) for line in lines if line.startswith(tag))


# 0, 6, 10, 16: construction and transport selection.


def test_0_transports_by_argument(address: str) -> None:
    _, ns = run(0, address)
    assert ns["api"].options.transport == "websocket"


def test_6_transport_from_the_url_scheme(address: str) -> None:
    _, ns = run(6, address)
    assert ns["api"].options.transport == "websocket"  # the last line: wss://
    assert Api(url=f"https://{address}/").options.transport == "rest"


def test_10_constructor_keywords() -> None:
    signature = inspect.signature(Api)
    signature.bind(url="http://h/", timeout=60, transport=None, token=None)


def test_16_tokens_on_both_transports(address: str) -> None:
    _, ns = run(16, address)
    assert ns["api"].options.transport == "websocket"
    assert "mytoken" not in repr(ns["api"])


# 1-5: the seed's interface outlines.


def test_1_transport_interface(address: str) -> None:
    _, ns = run(1, address)
    seed = ns["Transport"]  # the seed's own ABC, as the example defines it
    assert tgclient.Transport.__abstractmethods__ == seed.__abstractmethods__
    for name in seed.__abstractmethods__:
        wanted = list(inspect.signature(getattr(seed, name)).parameters)
        ours = list(inspect.signature(getattr(tgclient.Transport, name)).parameters)
        assert ours == wanted, name
    question = {"system": "Be terse.", "prompt": "What is ML?"}
    with tgclient.RestTransport(url=f"http://{address}/") as rest:
        assert isinstance(rest, tgclient.Transport)
        answer = rest.request("flow/default/service/text-completion", question)
        assert answer["response"] == "What is ML?"
        assert "default" in rest.request("flow", {"operation": "list-flows"})["flow-ids"]
        with pytest.raises(NotImplementedError, match="WebSocket"):
            rest.streaming_request("flow/default/service/text-completion", question)
    with tgclient.WebSocketTransport(url=f"http://{address}/") as ws:
        answer = ws.request("flow/default/service/text-completion", question)
        assert answer["response"] == "What is ML?"
        chunks = list(ws.streaming_request("flow/default/service/text-completion", question))
        assert len(chunks) > 1 and chunks[-1]["end_of_stream"] is True
        assert "".join(c.get("response") or "" for c in chunks) == "What is ML?"
        message = {
            "metadata": {"id": "seed-1", "collection": "default"},
            "triples": [
                {
                    "s": {"t": "i", "i": "http://ex.com/seed1"},
                    "p": {"t": "i", "i": "http://ex.com/p"},
                    "o": {"t": "l", "v": "one"},
                }
            ],
        }
        with ws.bulk_export("flow/default/export/triples", idle_timeout=5) as export:
            # The gateway subscribes the tap only after the handshake and never says when it
            # has: the message is sent again until the tap has seen it.
            seen = threading.Event()

            def send_until_seen() -> None:
                for _ in range(10):
                    assert ws.bulk_import("flow/default/import/triples", [message]).items == 1
                    if seen.wait(0.5):
                        return

            sender = threading.Thread(target=send_until_seen)
            sender.start()
            received = list(itertools.islice(export, 1))
            seen.set()
            sender.join()
        assert [m["triples"] for m in received] == [message["triples"]]


def test_2_and_3_flow_methods_take_the_seed_arguments() -> None:
    flow = tgclient.FlowInstance
    calls: dict[str, dict[str, Any]] = {
        "graph_embeddings_query": {"text": "t", "user": "u", "collection": "c", "limit": 10},
        "agent": {
            "question": "q",
            "user": "u",
            "state": None,
            "group": None,
            "history": None,
            "streaming": False,
        },
        "text_completion": {"system": "s", "prompt": "p", "streaming": False},
        "graph_rag": {
            "question": "q",
            "user": "u",
            "collection": "c",
            "max_subgraph_size": 1000,
            "max_subgraph_count": 5,
            "max_entity_distance": 3,
            "streaming": False,
        },
        "document_rag": {
            "question": "q",
            "user": "u",
            "collection": "c",
            "doc_limit": 10,
            "streaming": False,
        },
        "prompt": {"id": "i", "variables": {}, "streaming": False},
        "import_triples": {"triples": iter(())},
        "export_triples": {},
        "import_graph_embeddings": {"embeddings": iter(())},
        "export_graph_embeddings": {},
        "import_document_embeddings": {"embeddings": iter(())},
        "export_document_embeddings": {},
        "import_entity_contexts": {"contexts": iter(())},
        "export_entity_contexts": {},
        "import_objects": {"objects": iter(())},
    }
    for name, kwargs in calls.items():
        inspect.signature(getattr(flow, name)).bind(None, **kwargs)


def test_4_chunk_types_are_constructible() -> None:
    thought = AgentThought(content="hmm")
    assert isinstance(thought, tgclient.StreamingChunk) and thought.chunk_type == "thought"
    assert thought.end_of_message is False
    assert AgentObservation(content="saw").chunk_type == "observation"
    answer = AgentAnswer(content="done", end_of_message=True, end_of_dialog=True)
    assert (answer.chunk_type, answer.end_of_dialog) == ("final-answer", True)
    rag = RAGChunk(content="text", end_of_stream=True, error=None)
    assert isinstance(rag, tgclient.StreamingChunk) and rag.end_of_stream and rag.error is None


def test_4_every_seed_chunk_class_has_a_twin(address: str) -> None:
    """The seed's dataclasses, as the example defines them: each instance's fields build the
    tgclient class of the same name, which reads back the same values and has the same bases."""
    _, ns = run(4, address)
    names = ["StreamingChunk", "AgentThought", "AgentObservation", "AgentAnswer", "RAGChunk"]
    for name in names:
        seed_chunk = ns[name](content="some text")
        fields = dataclasses.asdict(seed_chunk)
        ours = getattr(tgclient, name)(**fields)
        assert {key: getattr(ours, key) for key in fields} == fields, name
        for base in names:
            mirrored = issubclass(type(ours), getattr(tgclient, base))
            assert mirrored == isinstance(seed_chunk, ns[base]), (name, base)


def test_5_metrics_get_exists() -> None:
    assert inspect.signature(tgclient.Metrics.get).return_annotation in (str, "str")


# 7, 8, 13: streaming.


def test_7_agent_whole_and_streamed(address: str) -> None:
    with _ws(address) as api:
        printed, _ = run(7, address, api=api)
    lines = printed.splitlines()
    assert lines[0] == "Answer: What is ML?"
    assert _tagged(lines[1:], "Thinking: ") == "Thinking about: What is ML?"
    assert _tagged(lines[1:], "Observed: ") == "Observed: What is ML?"
    assert _tagged(lines[1:], "Answer: ") == "Answer: What is ML?"


def test_8_graph_rag_whole_and_streamed(address: str) -> None:
    with _ws(address) as api:
        printed, _ = run(8, address, api=api, flow=api.flow().id("default"))
    assert printed == "Graph RAG answer: What is Python?\n" + "Graph RAG answer: What is Python?"


def test_13_partial_streaming_errors(address: str) -> None:
    with _ws(address) as api:
        printed, ns = run(13, address, api=api)
    assert printed == ""  # no error happened
    assert "".join(ns["accumulated"]) == "Graph RAG answer: ..."


# 9, 19, 20: bulk.


def test_9_bulk_import_then_export(address: str) -> None:
    # The export is a live tap (gateway-2.11 §10.3): it yields what is stored *after* it
    # subscribed, so the example's own import, sent before, never reaches it. Run alone, the
    # example prints nothing (measured: an export opened before the same import yields its
    # triple within 0.3 s; opened after it, none). Here another writer stores the same triples
    # while the example's export runs, as a live pipeline would. The writer must not print:
    # redirect_stdout is process-wide, so it would capture the example's lines.
    stop = threading.Event()

    def writer() -> None:
        with _ws(address) as other:
            flow = other.flow().id("default")
            for _ in range(3):  # at 1, 2 and 3 s: the example's export has subscribed by then
                if stop.wait(1.0):
                    return
                flow.import_triples(iter(SEED_9_TRIPLES))

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with _ws(address, idle_timeout=3) as api:  # the export ends 3 s after the last write
            printed, _ = run(9, address, api=api)
    finally:
        stop.set()
        thread.join()
    assert "http://ex.com/alice -> http://ex.com/type -> Person" in printed.splitlines()
    assert "http://ex.com/alice -> http://ex.com/name -> Alice" in printed.splitlines()
    assert "http://ex.com/bob -> http://ex.com/type -> Person" in printed.splitlines()


SEED_9_TRIPLES = [
    Triple(s="http://ex.com/alice", p="http://ex.com/type", o="Person"),
    Triple(s="http://ex.com/alice", p="http://ex.com/name", o="Alice"),
    Triple(s="http://ex.com/bob", p="http://ex.com/type", o="Person"),
]


def test_19_bulk_loading(address: str) -> None:
    # The "before" loop runs one unbounded query per item (the seed's `...`: any triple), each
    # reading up to 10,000 triples (about 4 s once other tests have filled the store): two
    # items keep it short.
    triples = [Triple(s=f"http://ex.com/s{i}", p="http://ex.com/p", o=str(i)) for i in range(2)]
    printed, ns = run(19, address, my_large_triple_list=triples)
    assert printed == ""
    found = ns["flow"].triples_query(s="http://ex.com/s1", p="http://ex.com/p")
    assert [str(t.o) for t in found] == ["1"]


def test_20_progress_callback(address: str) -> None:
    triples = [Triple(s=f"http://ex.com/p{i}", p="http://ex.com/p", o=str(i)) for i in range(250)]
    with _ws(address) as api:
        printed, _ = run(20, address, flow=api.flow().id("default"), triples=triples)
    counts = [int(line.split()[1]) for line in printed.splitlines()]
    assert printed.splitlines() == [f"Processed {n} items" for n in counts]
    assert counts == sorted(counts) and counts[-1] == 250  # one line per frame sent


# 11, 12, 14, 17, 18: errors, resources, migration.


def test_11_rest_streaming_raises_not_implemented(address: str) -> None:
    printed, _ = run(11, address)
    lines = printed.splitlines()
    assert lines[0].startswith("Error: ") and "WebSocket" in lines[0]
    assert lines[1].startswith("Hint: Use WebSocket transport")


def test_12_connection_errors(address: str, unused_port: int) -> None:
    printed, ns = run(12, address)
    assert printed == "" and ns["response"] == "Answer: ..."
    printed, _ = run(12, f"127.0.0.1:{unused_port}")
    assert printed.startswith("WebSocket connection failed: ")


def test_14_context_manager_and_manual_close(address: str) -> None:
    printed, ns = run(14, address)
    assert printed == "" and ns["response"] == "Answer: ..."


def test_17_existing_code_unchanged(address: str) -> None:
    arguments._warned.clear()  # warned once per process: make this run the first
    with pytest.warns(DeprecationWarning, match="user"):
        _, ns = run(17, address)
    assert ns["response"] == "Answer: What is ML?"


def test_18_before_and_after_streaming(address: str) -> None:
    with Api(url=f"http://{address}/") as api:
        printed, _ = run(18, address, flow=api.flow().id("default"))
    first, streamed = printed.split("\n", 1)
    assert first == "Answer: What is ML?"
    assert streamed == "Answer: What is ML?"


# 15: asyncio.


def test_15_async(address: str) -> None:
    printed, _ = run(15, address)
    joined = "".join(printed.splitlines())
    assert "Thinking about: ..." in joined and joined.endswith("Answer: ...")


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_every_example_has_a_test() -> None:
    numbers = {part for name in globals() if name.startswith("test_") for part in name.split("_")}
    tested = {int(part) for part in numbers if part.isdigit()}
    assert set(EXAMPLES) == tested
