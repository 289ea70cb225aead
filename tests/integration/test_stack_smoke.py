"""Smoke tests of the integration stack through the REAL gateway 2.11.1.

Raw ``httpx`` and ``websockets`` only: they prove that every stub and workspace service
answers through the stock gateway with the shapes of gateway-2.11 §7-§10, that the test
hooks work, and that the launcher leaves no process behind.
"""

import base64
import json
import math
import os
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from .stack import Stack, StackError, procs
from .test_workspace_services import check_client_knowledge_cores

TIMEOUT = 30.0


def _rest(url, path, body, timeout=TIMEOUT):
    response = httpx.post(f"{url}{path}", json=body, timeout=timeout)
    assert response.status_code == 200, response.text
    return response.json()


def flow_call(url, kind, body, flow="default", timeout=TIMEOUT):
    return _rest(url, f"api/v1/flow/{flow}/service/{kind}", body, timeout)


def service(url, kind, body):
    return _rest(url, f"api/v1/{kind}", body)


def op(url, kind, operation, **fields):
    """A workspace-service call; ``document_id=`` becomes the wire key ``document-id``."""
    body = {k.replace("_", "-"): v for k, v in fields.items()}
    return service(url, kind, {"operation": operation, **body})


def _ws(url):
    return url.replace("http://", "ws://", 1)


class Mux:
    """Minimal client of the gateway's ``/api/v1/socket`` multiplexer."""

    def __init__(self, socket):
        self.socket = socket
        self.ids = 0

    def recv(self):
        return json.loads(self.socket.recv(timeout=TIMEOUT))

    def auth(self):
        self.socket.send(json.dumps({"type": "auth", "token": ""}))
        return self.recv()

    def send(self, service, request, flow="default"):
        self.ids += 1
        envelope = {"id": f"t{self.ids}", "service": service, "request": request}
        if flow:
            envelope["flow"] = flow
        self.socket.send(json.dumps(envelope))
        return envelope["id"]

    def frames(self, rid):
        """Frames for ``rid`` until a termination rule of gateway-2.11 §5.6 fires."""
        out = []
        while True:
            frame = self.recv()
            assert frame.get("id") == rid, frame
            out.append(frame)
            if frame.get("complete") or "error" in frame or "error" in frame.get("response", {}):
                return out

    def call(self, service, request, flow="default"):
        return self.frames(self.send(service, request, flow))


@contextmanager
def mux(url):
    with connect(f"{_ws(url)}api/v1/socket", max_size=2**26) as socket:
        m = Mux(socket)
        assert m.auth() == {"type": "auth-ok", "default_workspace": "default"}
        yield m


def _responses(frames):
    return [f["response"] for f in frames]


def _iri(value):
    return {"t": "i", "i": value}


def _lit(value):
    return {"t": "l", "v": value}


def _collection():
    return f"c{uuid.uuid4().hex[:10]}"


def _eventually(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


# -- REST flow services --------------------------------------------------------------


def test_text_completion_echoes_with_usage(gateway_url):
    r = flow_call(
        gateway_url, "text-completion", {"system": "be brief", "prompt": "hello big world"}
    )
    assert r["response"] == "hello big world"
    assert r["end_of_stream"] is True
    assert (r["in_token"], r["out_token"], r["model"]) == (5, 3, "stub-echo-1")


def test_text_completion_list_models(gateway_url):
    r = flow_call(gateway_url, "text-completion", {"operation": "list-models"})
    assert [m["id"] for m in r["models"]] == ["stub-echo-1"]


def test_prompt_text_and_json_object(gateway_url):
    r = flow_call(gateway_url, "prompt", {"id": "greet", "variables": {"name": "Ann"}})
    assert r["text"] == 'greet: {"name": "\\"Ann\\""}'
    r = flow_call(gateway_url, "prompt", {"id": "extract-json", "terms": {"x": "1"}})
    assert json.loads(r["object"]) == {"id": "extract-json", "terms": {"x": "1"}}


def test_embeddings_are_deterministic_unit_vectors(gateway_url):
    r = flow_call(gateway_url, "embeddings", {"texts": ["alpha", "beta", "alpha"]})
    vectors = r["vectors"]
    assert len(vectors) == 3 and all(len(v) == 8 for v in vectors)
    assert vectors[0] == vectors[2] and vectors[0] != vectors[1]
    assert math.isclose(math.fsum(x * x for x in vectors[1]), 1.0, rel_tol=1e-9)


def test_agent_rest_returns_final_answer(gateway_url):
    r = flow_call(gateway_url, "agent", {"question": "why is the sky blue"})
    assert r["message_type"] == "answer"
    assert r["content"] == "Answer: why is the sky blue"
    assert r["end_of_dialog"] is True and r["model"] == "stub-echo-1"


def test_graph_rag_rest_answer_and_sources(gateway_url):
    r = flow_call(gateway_url, "graph-rag", {"query": "who"})
    assert r["response"] == "Graph RAG answer: who"
    assert r["end_of_session"] is True
    assert r["sources"][0]["uri"].startswith("urn:trustgraph:doc:stub:")


def test_document_rag_rest_answer(gateway_url):
    r = flow_call(gateway_url, "document-rag", {"query": "what"})
    assert r["response"] == "Document RAG answer: what"
    assert r["end_of_session"] is True and "message_type" not in r


def test_triples_query_empty_collection(gateway_url):
    r = flow_call(gateway_url, "triples", {"collection": _collection(), "limit": 5})
    assert r == {"response": []}


# -- bulk import, then query ----------------------------------------------------------


def _import(url, kind, messages):
    path = f"api/v1/flow/default/import/{kind}?token=tg_x&workspace=default"
    with connect(f"{_ws(url)}{path}") as socket:
        for message in messages:
            socket.send(json.dumps(message))


def test_bulk_import_triples_then_query(gateway_url):
    collection = _collection()
    triples = [{"s": _iri(f"urn:s{i}"), "p": _iri("urn:p"), "o": _lit(f"v{i}")} for i in range(45)]
    meta = {"id": "doc-1", "root": "doc-1", "collection": collection}
    _import(gateway_url, "triples", [{"metadata": meta, "triples": triples[i : i + 20]}
                                     for i in range(0, 45, 20)])  # fmt: skip
    body = {"collection": collection, "limit": 1000}
    found = _eventually(lambda: len(flow_call(gateway_url, "triples", body)["response"]) == 45)
    assert found, flow_call(gateway_url, "triples", body)
    one = flow_call(gateway_url, "triples", {**body, "s": _iri("urn:s7")})["response"]
    assert one == [triples[7]]
    assert len(flow_call(gateway_url, "triples", {**body, "limit": 4})["response"]) == 4


def test_bulk_import_embeddings_then_similarity_query(gateway_url):
    collection = _collection()
    meta = {"id": "doc-2", "collection": collection}
    entities = [{"entity": _iri("urn:e:a"), "vector": [1.0, 0.0]},
                {"entity": _iri("urn:e:b"), "vector": [0.0, 1.0]}]  # fmt: skip
    chunks = [{"chunk_id": "chunk-a", "vector": [1.0, 0.0]},
              {"chunk_id": "chunk-b", "vector": [0.6, 0.8]}]  # fmt: skip
    _import(gateway_url, "graph-embeddings", [{"metadata": meta, "entities": entities}])
    _import(gateway_url, "document-embeddings", [{"metadata": meta, "chunks": chunks}])
    query = {"vector": [0.0, 1.0], "limit": 1, "collection": collection}

    def graph():
        return flow_call(gateway_url, "graph-embeddings", query)["entities"]

    def docs():
        return flow_call(gateway_url, "document-embeddings", query)["chunks"]

    assert _eventually(graph), graph()
    assert graph()[0]["entity"] == _iri("urn:e:b")
    assert math.isclose(graph()[0]["score"], 1.0)
    assert _eventually(docs), docs()
    assert [c["chunk_id"] for c in docs()] == ["chunk-b"]


# -- REST workspace services ----------------------------------------------------------


def test_config_roundtrip(gateway_url):
    key = uuid.uuid4().hex
    service(gateway_url, "config", {"operation": "put", "values": [
        {"type": "smoke", "key": key, "value": '"v"'}]})  # fmt: skip
    got = service(
        gateway_url, "config", {"operation": "get", "keys": [{"type": "smoke", "key": key}]}
    )
    assert got["values"] == [{"type": "smoke", "key": key, "value": '"v"'}]
    assert (
        key in service(gateway_url, "config", {"operation": "list", "type": "smoke"})["directory"]
    )
    service(gateway_url, "config", {"operation": "delete", "keys": [{"type": "smoke", "key": key}]})
    assert (
        key
        not in service(gateway_url, "config", {"operation": "list", "type": "smoke"})["directory"]
    )


def test_flow_service_lists_and_starts_flows(gateway_url):
    assert "default" in service(gateway_url, "flow", {"operation": "list-flows"})["flow-ids"]
    assert (
        "stub" in service(gateway_url, "flow", {"operation": "list-blueprints"})["blueprint-names"]
    )
    flow_id = f"smoke-{uuid.uuid4().hex[:8]}"
    service(gateway_url, "flow", {
        "operation": "start-flow", "flow-id": flow_id, "blueprint-name": "stub",
        "description": "smoke", "parameters": {"llm-model": "stub-echo-2"},
    })  # fmt: skip
    try:
        flow = json.loads(
            service(gateway_url, "flow", {"operation": "get-flow", "flow-id": flow_id})["flow"]
        )
        assert flow["parameters"] == {"llm-model": "stub-echo-2"}

        def answer():
            try:
                r = flow_call(gateway_url, "text-completion", {"prompt": "hi"}, flow_id, 3.0)
            except httpx.TimeoutException:
                return None  # the flow's consumers are still binding their queues
            return r if r.get("response") == "hi" else None

        r = _eventually(answer, 20.0)
        assert r and r["model"] == "stub-echo-2"
    finally:
        service(gateway_url, "flow", {"operation": "stop-flow", "flow-id": flow_id})
    assert flow_id not in service(gateway_url, "flow", {"operation": "list-flows"})["flow-ids"]


def test_librarian_document_lifecycle(gateway_url):
    doc = f"doc-{uuid.uuid4().hex[:8]}"
    content = base64.b64encode(b"hello librarian").decode()
    meta = {"id": doc, "time": 1700000000, "kind": "text/plain", "title": "Smoke", "tags": ["t"]}
    r = service(gateway_url, "librarian", {"operation": "add-document", "document-metadata": meta,
                                           "content": content})  # fmt: skip
    assert "error" not in r
    listed = service(gateway_url, "librarian", {"operation": "list-documents"})[
        "document-metadatas"
    ]
    assert {"id": doc, "title": "Smoke", "tags": ["t"]}.items() <= next(
        d for d in listed if d["id"] == doc).items()  # fmt: skip
    got = service(
        gateway_url, "librarian", {"operation": "get-document-content", "document-id": doc}
    )
    assert got["content"] == content
    service(gateway_url, "librarian", {"operation": "remove-document", "document-id": doc})
    missing = service(
        gateway_url, "librarian", {"operation": "get-document-metadata", "document-id": doc}
    )
    assert missing["error"]["type"]


def test_librarian_chunked_upload_and_stream(gateway_url):
    doc = f"big-{uuid.uuid4().hex[:8]}"
    data = bytes(range(256)) * 40  # 10 KiB in 4 KiB chunks
    meta = {"id": doc, "time": 1700000000, "kind": "application/octet-stream", "title": "Big"}
    lib = "librarian"
    begin = op(gateway_url, lib, "begin-upload", document_metadata=meta, total_size=len(data),
               chunk_size=4096)  # fmt: skip
    assert begin["total-chunks"] == 3
    upload = begin["upload-id"]
    for i in range(3):
        chunk = base64.b64encode(data[i * 4096 : (i + 1) * 4096]).decode()
        op(gateway_url, lib, "upload-chunk", upload_id=upload, chunk_index=i, content=chunk)
    assert op(gateway_url, lib, "complete-upload", upload_id=upload)["document-id"] == doc
    request = {"operation": "stream-document", "document-id": doc, "chunk-size": 4096}
    with mux(gateway_url) as m:
        frames = m.call(lib, request, flow=None)
    assert frames[-1]["complete"] is True
    assert b"".join(base64.b64decode(r["content"]) for r in _responses(frames)) == data


def test_collection_management_roundtrip(gateway_url):
    name, cm = _collection(), "collection-management"
    r = op(gateway_url, cm, "update-collection", collection=name, name="Smoke", tags=["x"])
    assert r["collections"][0]["collection"] == name
    listed = op(gateway_url, cm, "list-collections")["collections"]
    assert {"collection": name, "name": "Smoke", "description": "", "tags": ["x"]} in listed
    op(gateway_url, cm, "delete-collection", collection=name)
    listed = op(gateway_url, cm, "list-collections")["collections"]
    assert name not in [c["collection"] for c in listed]


def _kg_core(core):
    meta = {"id": core, "collection": "default"}
    return {"operation": "put-kg-core", "id": core, "triples": {"metadata": meta, "triples": [
        {"s": _iri("urn:k:s"), "p": _iri("urn:k:p"), "o": _lit("kv")}]}}  # fmt: skip


def check_knowledge_cores(url, patched):
    core = f"core-{uuid.uuid4().hex[:8]}"
    r = service(url, "knowledge", _kg_core(core))
    ids = service(url, "knowledge", {"operation": "list-kg-cores"})["ids"]
    if not patched:
        # trustgraph-base 2.11.1 server defect: nested payloads stay dicts (kg_patch.py).
        assert r["error"]["type"] == "unexpected-error"
        assert "'dict' object has no attribute" in r["error"]["message"]
        assert core not in ids
        return
    assert r == {} and core in ids
    with mux(url) as m:
        frames = _responses(
            m.call("knowledge", {"operation": "get-kg-core", "id": core}, flow=None)
        )
    assert frames[0]["triples"]["triples"] == [
        {"s": _iri("urn:k:s"), "p": _iri("urn:k:p"), "o": _lit("kv")}
    ]
    # No library document of that id: the real service ends on a librarian-error frame.
    assert frames[-1]["error"]["type"] == "librarian-error"
    service(url, "knowledge", {"operation": "delete-kg-core", "id": core})
    assert core not in service(url, "knowledge", {"operation": "list-kg-cores"})["ids"]


def test_knowledge_cores(gateway_url, kg_patched):
    if kg_patched is None:
        pytest.skip("unknown knowledge-core patch mode of the external gateway")
    check_knowledge_cores(gateway_url, kg_patched)


# -- WebSocket streaming --------------------------------------------------------------


def test_socket_requires_auth_first(gateway_url):
    with connect(f"{_ws(gateway_url)}api/v1/socket") as socket:
        m = Mux(socket)
        rid = m.send("text-completion", {"prompt": "x"})
        frame = m.recv()
        assert frame == {"id": rid, "error": {"message": "auth failure", "type": "auth-required"},
                         "complete": True}  # fmt: skip
        assert m.auth()["type"] == "auth-ok"


def test_socket_streams_text_completion(gateway_url):
    with mux(gateway_url) as m:
        frames = m.call("text-completion", {"prompt": "one two three four", "streaming": True})
    chunks = _responses(frames)
    assert "".join(c["response"] for c in chunks) == "one two three four"
    assert len(frames) == 5 and [f["complete"] for f in frames] == [False] * 4 + [True]
    assert chunks[-1]["end_of_stream"] is True and chunks[-1]["out_token"] == 4


def test_socket_streams_agent(gateway_url):
    with mux(gateway_url) as m:
        frames = m.call("agent", {"question": "why blue", "streaming": True})
    rs = _responses(frames)
    kinds = [r["message_type"] for r in rs]
    assert kinds[0] == "explain" and rs[0]["explain_triples"]
    text = {k: "".join(r.get("content", "") for r in rs if r["message_type"] == k)
            for k in ("thought", "observation", "answer")}  # fmt: skip
    assert text == {"thought": "Thinking about: why blue", "observation": "Observed: why blue",
                    "answer": "Answer: why blue"}  # fmt: skip
    assert kinds.index("thought") < kinds.index("observation") < kinds.index("answer")
    assert rs[-1]["end_of_dialog"] is True and "content" not in rs[-1]
    assert [f["complete"] for f in frames].count(True) == 1 and frames[-1]["complete"]


def test_socket_agent_non_streaming_sends_whole_messages(gateway_url):
    with mux(gateway_url) as m:
        rs = _responses(m.call("agent", {"question": "q"}))
    # the explain steps of the 2.11.1 ReAct agent: session, iteration, observation, conclusion
    assert [r["message_type"] for r in rs] == [
        "explain", "thought", "explain", "observation", "explain", "explain", "answer"
    ]  # fmt: skip
    assert rs[-1]["content"] == "Answer: q" and rs[-1]["end_of_dialog"] is True


def test_socket_streams_graph_rag(gateway_url):
    with mux(gateway_url) as m:
        rs = _responses(m.call("graph-rag", {"query": "graphs", "streaming": True}))
    chunks = [r for r in rs if r["message_type"] == "chunk"]
    assert "".join(r["response"] for r in chunks) == "Graph RAG answer: graphs"
    explain = [r["explain_id"] for r in rs if r["message_type"] == "explain"]
    assert [e.split(":")[3] for e in explain[1:]] == [
        "grounding", "exploration", "focus", "synthesis"
    ] and explain[0].startswith("urn:trustgraph:question:")  # fmt: skip
    assert rs[-1]["end_of_session"] is True and rs[-1]["sources"]
    assert any(r["end_of_stream"] for r in chunks)


def test_socket_streams_document_rag(gateway_url):
    with mux(gateway_url) as m:
        rs = _responses(m.call("document-rag", {"query": "docs", "streaming": True}))
    chunks = [r for r in rs if r.get("message_type") == "chunk"]
    assert "".join(r["response"] for r in chunks) == "Document RAG answer: docs"
    assert rs[-1]["message_type"] == "end" and rs[-1]["end_of_session"] is True


def test_socket_streams_triples_in_batches(gateway_url):
    collection = _collection()
    triples = [{"s": _iri(f"urn:b{i}"), "p": _iri("urn:p"), "o": _lit(str(i))} for i in range(7)]
    _import(gateway_url, "triples", [{"metadata": {"id": "d", "collection": collection},
                                      "triples": triples}])  # fmt: skip
    body = {"collection": collection, "limit": 100}
    assert _eventually(lambda: len(flow_call(gateway_url, "triples", body)["response"]) == 7)
    with mux(gateway_url) as m:
        frames = m.call("triples", {**body, "streaming": True, "batch-size": 3})
    assert [len(f["response"]["response"]) for f in frames] == [3, 3, 1]
    assert [f["complete"] for f in frames] == [False, False, True]


def test_socket_workspace_service(gateway_url):
    with mux(gateway_url) as m:
        frames = m.call("flow", {"operation": "list-flows"}, flow=None)
    assert "default" in frames[0]["response"]["flow-ids"]


# -- test hooks -----------------------------------------------------------------------


def test_error_hook_uses_each_services_error_response(gateway_url):
    with mux(gateway_url) as m:
        graph = m.call("graph-rag", {"query": "[[error]]"})[-1]
        docs = m.call("document-rag", {"query": "[[error]]"})[-1]
        triples = m.call("triples", {"collection": "[[error]]"})[-1]
        agent = m.call("agent", {"question": "[[error]]"})[-1]
        llm = m.call("text-completion", {"prompt": "[[error]]"})[-1]
    assert graph["response"]["error"]["type"] == "graph-rag-error" and graph["complete"]
    assert docs["response"]["error"]["type"] == "document-rag-error" and not docs["complete"]
    assert triples["response"]["error"]["type"] == "triples-query-error"
    # Stock 2.11.1 behaviour: the agent translator crashes on errors, LLM errors are dropped.
    assert agent["response"]["error"]["type"] == "gateway-error"
    assert llm["response"] == {"response": None, "end_of_stream": True}
    emb = flow_call(gateway_url, "embeddings", {"texts": ["[[error]]"]})
    assert emb == {"vectors": []}


def test_sleep_hook_delays_only_that_request(gateway_url):
    # Another service answers meanwhile, and so does the same service: stub consumers take
    # several requests at once (tgstack.processors), as a service with replicas does.
    with mux(gateway_url) as m:
        began = time.monotonic()
        slow = m.send("text-completion", {"prompt": "late [[sleep:1.5]]"})
        fast = m.send("prompt", {"id": "early", "terms": {}})
        same = m.send("text-completion", {"prompt": "quick"})
        answers = [m.recv() for _ in range(3)]
        assert [a["id"] for a in answers][2] == slow
        assert {a["id"] for a in answers[:2]} == {fast, same}
        assert answers[2]["response"]["response"] == "late [[sleep:1.5]]"
        assert time.monotonic() - began >= 1.5


def test_pace_and_size_hooks_shape_the_answer(gateway_url):
    with mux(gateway_url) as m:
        frames = m.call("text-completion", {"prompt": "[[size:10000]]", "streaming": True})
        paced = m.call("graph-rag", {"query": "a b c [[pace:0.3]]", "streaming": True})
    text = "".join(f["response"].get("response") or "" for f in frames)
    assert len(text) == 10000 and len(frames) == 4  # three 4 KiB pieces and the final frame
    chunks = [f for f in paced if f["response"].get("message_type") == "chunk"]
    assert "".join(c["response"].get("response") or "" for c in chunks).endswith("[[pace:0.3]]")


# -- launcher lifecycle (own stacks; skipped against an external gateway) ----------------

own_stacks = pytest.mark.skipif(
    bool(os.environ.get("TGCLIENT_GATEWAY_URL")), reason="external gateway: no local stacks"
)


@own_stacks
def test_failed_start_names_process_and_leaves_nothing():
    stack = Stack(start_timeout=0.5, keep_state=False)
    with pytest.raises(StackError, match="rabbitmq: no AMQP listener"):
        stack.start()
    assert stack.procs == [] and not stack.state_dir.exists()
    assert procs.running_in(stack.state_dir) == []


@own_stacks
def test_other_knowledge_mode_and_clean_stop(kg_patched):
    stack = Stack(patch_knowledge_core=not kg_patched, keep_state=False)
    stack.start()
    started = list(stack.procs)
    try:
        assert {p.name for p in started} >= {"rabbitmq", "api-gateway", "stubs", "config-svc"}
        assert stack.url.startswith("http://127.0.0.1:")
        check_knowledge_cores(stack.url, stack.patch_knowledge_core)
        check_client_knowledge_cores(stack.url, stack.patch_knowledge_core)
    finally:
        stack.stop()
    assert procs.leftovers(started) == {}
    assert procs.running_in(stack.state_dir) == []
    assert not stack.state_dir.exists()
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"{stack.url}api/v1/flow", json={"operation": "list-flows"}, timeout=2)


@own_stacks
def test_scripts_stack_start_status_stop(tmp_path):
    script = Path(__file__).resolve().parents[2] / "scripts" / "stack"
    env = {**os.environ, "TGCLIENT_STACK_STATE": str(tmp_path / "state.json")}

    def run(*args):
        return subprocess.run([script, *args], env=env, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip

    started = run("start")
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    saved = json.loads((tmp_path / "state.json").read_text())
    recorded = [procs.Proc.from_dict(p) for p in saved["procs"]]
    try:
        assert url == saved["url"] and url.startswith("http://127.0.0.1:")
        assert "default" in service(url, "flow", {"operation": "list-flows"})["flow-ids"]
        status = run("status")
        assert status.returncode == 0 and f"{url} flows: default" in status.stdout
        assert run("start").returncode == 1  # one recorded stack at a time
    finally:
        stopped = run("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert procs.leftovers(recorded) == {}
    assert not Path(saved["state_dir"]).exists() and not (tmp_path / "state.json").exists()
    assert run("status").returncode == 3
