"""Contract-test harness around the REAL TrustGraph 2.11.1 gateway translators.

Needs ``trustgraph-base`` / ``trustgraph-flow`` 2.11.1 installed (``--no-deps``) plus the
packages in ``tests/contract/requirements.txt``.  trustgraph is imported lazily, so this
module imports without it; call :func:`available` (or ``pytest.importorskip("trustgraph")``)
before using the functions.

* :func:`request_roundtrip` feeds a wire request through the gateway's own requestor for
  the service (``to_request``: the request translator's ``decode``, plus the librarian's
  base64 re-encoding) and encodes the schema object back with the same translator.
* :func:`response_frames` / :func:`response_examples` build realistic trustgraph response
  schema objects (every field populated, plus streaming, explain, error and knowledge-core
  variants) and turn them into wire frames exactly as the gateway does: the requestor's
  ``from_response`` (``encode_with_completion``), and a translator exception becomes the
  gateway's ``{"error": {"type": "gateway-error", "message": ...}}`` frame with
  ``complete: true`` (``ServiceRequestor.process``).
"""

from __future__ import annotations

import base64
import copy
import functools
import importlib
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any, NamedTuple

JSON = dict[str, Any]

_DISPATCH_MODULE = "trustgraph.gateway.dispatch.manager"


class Frame(NamedTuple):
    """One response frame as the gateway would send it."""

    label: str
    response: JSON
    complete: bool


def available() -> bool:
    """True when the trustgraph gateway modules can be imported."""
    try:
        _imp(_DISPATCH_MODULE)
    except ImportError:
        return False
    return True


def _imp(name: str) -> Any:
    logging.getLogger("trustgraph").setLevel(logging.CRITICAL)
    return importlib.import_module(name)


def _schema() -> Any:
    return _imp("trustgraph.schema")


class _FakeBackend:
    """Stand-in pub/sub backend: requestor constructors only store it."""


@functools.cache
def requestor(service: str) -> Any:
    """The gateway's own requestor object for ``service`` (never started)."""
    mgr = _imp(_DISPATCH_MODULE)
    cls = mgr.request_response_dispatchers.get(service) or mgr.global_dispatchers.get(service)
    if cls is None:
        raise KeyError(f"not a request/response or global gateway service: {service!r}")
    kwargs: dict[str, Any] = {}
    for name, p in inspect.signature(cls).parameters.items():
        if p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if name == "backend":
            kwargs[name] = _FakeBackend()
        elif name == "timeout":
            kwargs[name] = 1
        else:
            kwargs[name] = f"contract-{name}"
    return cls(**kwargs)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


def decode_request(service: str, body: JSON) -> Any:
    """The trustgraph schema object the gateway builds from ``body`` (may raise)."""
    return requestor(service).to_request(copy.deepcopy(body))


def request_roundtrip(service: str, body: JSON) -> JSON:
    """Decode ``body`` as the gateway does, then encode it back with the same translator.

    Raises whatever the gateway's decode raises (``KeyError`` for a missing required key,
    ``binascii.Error`` for bad base64 …); the gateway reports those as a ``gateway-error``
    frame, see :func:`gateway_error_for`.
    """
    req = requestor(service)
    obj = req.to_request(copy.deepcopy(body))
    result: JSON = _plain(req.request_translator.encode(obj))
    return result


def gateway_error_for(service: str, body: JSON) -> JSON | None:
    """The ``gateway-error`` response the gateway sends when ``body`` fails to decode."""
    try:
        decode_request(service, body)
    except Exception as e:
        return {"error": {"type": "gateway-error", "message": str(e)}}
    return None


def to_frame(service: str, obj: Any, label: str = "") -> Frame:
    """Encode one backend response object exactly as the gateway's requestor does."""
    req = requestor(service)
    try:
        resp, fin = req.from_response(obj)
    except Exception as e:  # ServiceRequestor.process: translator crash -> gateway-error
        return Frame(label, {"error": {"type": "gateway-error", "message": str(e)}}, True)
    return Frame(label, _plain(resp), bool(fin))


def response_frames(service: str) -> list[Frame]:
    """Realistic wire frames for ``service`` produced by the real response translator.

    A variant whose trustgraph schema class the installed release lacks (an older release) is
    left out; :func:`missing_schema_classes` names those."""
    if service not in _BUILDERS:
        raise KeyError(f"unsupported service: {service!r}")
    frames = []
    for label, build in _BUILDERS[service]():
        try:
            obj = build()
        except AttributeError as e:
            if getattr(e, "obj", None) is not _schema():
                raise
            continue
        frames.append(to_frame(service, obj, label))
    return frames


def missing_schema_classes(service: str) -> list[str]:
    """Response variants of ``service`` left out because the release lacks their schema class."""
    missing = []
    for label, build in _BUILDERS[service]():
        try:
            build()
        except AttributeError as e:
            if getattr(e, "obj", None) is _schema():
                missing.append(f"{label}: trustgraph.schema.{e.name}")
    return missing


def response_examples(service: str) -> list[JSON]:
    """The ``response`` payloads of :func:`response_frames`."""
    return [f.response for f in response_frames(service)]


# ---------------------------------------------------------------------------
# Realistic wire requests (gateway-2.11 reference, section 7), per service
# ---------------------------------------------------------------------------

_IRI_S = {"t": "i", "i": "http://example.org/alice"}
_IRI_P = {"t": "i", "i": "http://schema.org/name"}
_LIT_O = {"t": "l", "v": "Alice", "ln": "en"}
_B64 = base64.b64encode(b"hello world").decode("ascii")
_META = {"id": "doc-1", "root": "doc-1", "collection": "default"}

REQUEST_EXAMPLES: dict[str, list[JSON]] = {
    "agent": [
        {"question": "Who wrote X?"},
        {
            "question": "Who wrote X?",
            "state": "s",
            "group": ["research"],
            "history": [
                {
                    "thought": "t",
                    "action": "search",
                    "arguments": {"q": "X"},
                    "observation": "o",
                    "step_type": "react",
                    "plan": [],
                    "subagent_results": {},
                }
            ],
            "collection": "default",
            "streaming": True,
            "session_id": "s1",
            "conversation_id": "c1",
            "pattern": "react",
            "task_type": "qa",
            "framing": "",
            "correlation_id": "",
            "parent_session_id": "",
            "subagent_goal": "",
            "expected_siblings": 0,
        },
    ],
    "text-completion": [
        {"system": "You are helpful.", "prompt": "Hi", "streaming": True},
        {"operation": "list-models"},
        {
            "operation": "completion",
            "system": "",
            "prompt": "JSON please",
            "response_format": "json",
            "schema": {"type": "object"},
        },
    ],
    "prompt": [
        {"id": "question", "variables": {"question": "Who?", "n": 3}, "streaming": False},
        {"id": "question", "terms": {"question": '"Who?"'}},
    ],
    "mcp-tool": [{"name": "search", "parameters": {"q": "x"}}, {"name": "ping"}],
    "graph-rag": [
        {"query": "What is X?"},
        {
            "query": "What is X?",
            "collection": "default",
            "entity-limit": 10,
            "triple-limit": 5,
            "max-subgraph-size": 100,
            "max-path-length": 2,
            "edge-score-limit": 5,
            "edge-limit": 5,
            "max-reranker-input": 50,
            "streaming": True,
            "grounding-seeds": ["X"],
            "languages": ["en"],
            "traversal-instructions": [
                {"types": ["urn:T"], "relationships": ["urn:r"], "graphs": ["urn:g"]}
            ],
            "graph": "urn:graph:source",
        },
    ],
    "document-rag": [
        {
            "query": "What is X?",
            "collection": "default",
            "doc-limit": 5,
            "fetch-limit": 20,
            "streaming": True,
        },
    ],
    "embeddings": [{"texts": ["a", "b"]}],
    "graph-embeddings": [
        {
            "vector": [0.1, 0.2],
            "limit": 5,
            "collection": "default",
            "rdf_type": "http://schema.org/Person",
            "attributes": {"source": "doc-1"},
        },
    ],
    "document-embeddings": [
        {"vector": [0.1, 0.2], "limit": 5, "collection": "default", "attributes": {"tags": ["a"]}},
    ],
    "row-embeddings": [
        {
            "vector": [0.1, 0.2],
            "limit": 5,
            "collection": "default",
            "schema_name": "customers",
            "index_name": "name",
        },
    ],
    "triples": [
        {
            "s": _IRI_S,
            "p": _IRI_P,
            "o": _LIT_O,
            "g": "*",
            "limit": 10,
            "collection": "default",
            "streaming": True,
            "batch-size": 5,
        },
        {"limit": 100},
    ],
    "sparql": [
        {
            "query": "SELECT ?s WHERE { ?s ?p ?o }",
            "collection": "default",
            "limit": 10,
            "streaming": False,
            "batch-size": 20,
        },
    ],
    "rows": [
        {
            "query": "{ customers { name } }",
            "collection": "default",
            "variables": {"city": "Paris"},
            "operation_name": "Q",
        },
    ],
    "nlp-query": [{"question": "How many customers?", "max_results": 10}],
    "structured-query": [{"question": "How many customers?", "collection": "default"}],
    "structured-diag": [
        {
            "operation": "generate-descriptor",
            "sample": "a,b\n1,2",
            "type": "csv",
            "schema-name": "customers",
            "options": {"delimiter": ","},
        },
    ],
    "reranker": [
        {
            "queries": [{"query_id": "q1", "query_text": "fox"}],
            "documents": [{"document_id": "d1", "document_text": "the fox"}],
            "limit": 3,
        },
    ],
    "image-to-text": [
        {"image": _B64, "mime_type": "image/png", "prompt": "Describe", "system": "s"},
    ],
    "cloze": [
        {"operation": "predict", "model": "sentiment", "query": "I [MASK] it."},
        {"operation": "list-models"},
    ],
    "decision-scoring": [{"state": {"a": "b"}, "questions": {"q1": "Is it?"}}],
    "field-extraction": [{"state": {"a": "b"}, "fields": {"name": "The name"}}],
    "config": [
        {"operation": "get", "keys": [{"type": "prompt", "key": "system"}]},
        {"operation": "list", "type": "prompt"},
        {"operation": "getvalues", "type": "prompt"},
        {"operation": "config"},
        {
            "operation": "put",
            "workspace": "acme",
            "values": [{"type": "prompt", "key": "system", "value": '"x"'}],
        },
        {"operation": "delete", "keys": [{"type": "prompt", "key": "system"}]},
    ],
    "flow": [
        {"operation": "list-blueprints"},
        {"operation": "get-blueprint", "blueprint-name": "stub"},
        {
            "operation": "put-blueprint",
            "blueprint-name": "stub",
            "blueprint-definition": '{"class": {}}',
        },
        {
            "operation": "start-flow",
            "flow-id": "f1",
            "blueprint-name": "stub",
            "description": "Flow one",
            "parameters": {"model": "m"},
        },
        {"operation": "stop-flow", "flow-id": "f1"},
    ],
    "librarian": [
        {
            "operation": "add-document",
            "content": _B64,
            "document-metadata": {
                "id": "doc-1",
                "time": 1700000000,
                "kind": "text/plain",
                "title": "T",
                "comments": "C",
                "metadata": [{"s": _IRI_S, "p": _IRI_P, "o": _LIT_O}],
                "tags": ["a"],
                "parent-id": "",
                "document-type": "source",
            },
        },
        {"operation": "get-document-metadata", "document-id": "doc-1"},
        {
            "operation": "add-processing",
            "processing-metadata": {
                "id": "p1",
                "document-id": "doc-1",
                "time": 1700000000,
                "flow": "default",
                "collection": "default",
                "tags": [],
            },
        },
        {"operation": "remove-processing", "processing-id": "p1", "collection": "default"},
        {"operation": "list-documents", "include-children": True},
        {
            "operation": "begin-upload",
            "total-size": 6291456,
            "chunk-size": 3145728,
            "document-metadata": {"id": "doc-2", "kind": "application/pdf"},
        },
        {"operation": "upload-chunk", "upload-id": "u1", "chunk-index": 1, "content": _B64},
        {"operation": "stream-document", "document-id": "doc-1", "chunk-size": 1048576},
    ],
    "knowledge": [
        {"operation": "list-kg-cores"},
        {"operation": "get-kg-core", "id": "core-1"},
        {"operation": "load-kg-core", "id": "core-1", "flow": "default", "collection": "default"},
        {
            "operation": "put-kg-core",
            "id": "core-1",
            "triples": {"metadata": _META, "triples": [{"s": _IRI_S, "p": _IRI_P, "o": _LIT_O}]},
        },
        {
            "operation": "put-kg-core",
            "id": "core-1",
            "graph-embeddings": {
                "metadata": _META,
                "entities": [{"entity": _IRI_S, "vector": [0.1, 0.2]}],
            },
        },
        {
            "operation": "put-de-core",
            "id": "core-1",
            "document-embeddings": {
                "metadata": _META,
                "chunks": [{"chunk_id": "c1", "vector": [0.1]}],
            },
        },
        {
            "operation": "put-kg-core",
            "id": "core-1",
            "library-metadata": {
                "id": "doc-1",
                "kind": "text/plain",
                "title": "T",
                "parent-id": "",
                "document-type": "source",
                "comments": "",
                "tags": [],
            },
        },
        {"operation": "put-kg-core", "id": "core-1", "library-blob": {"id": "doc-1", "data": _B64}},
    ],
    "collection-management": [
        {"operation": "list-collections", "tag_filter": ["a"], "limit": 10},
        {
            "operation": "update-collection",
            "collection": "c1",
            "name": "C1",
            "description": "d",
            "tags": ["a"],
        },
        {"operation": "delete-collection", "collection": "c1"},
    ],
    "iam": [
        {"operation": "whoami", "actor": "u-1"},
        {
            "operation": "create-user",
            "workspace": "acme",
            "user": {
                "username": "bob",
                "name": "Bob",
                "email": "b@example.org",
                "password": "pw",
                "roles": ["reader"],
                "enabled": True,
                "must_change_password": True,
            },
        },
        {
            "operation": "create-api-key",
            "key": {"user_id": "u-1", "name": "ci", "expires": "2030-01-01T00:00:00Z"},
        },
        {
            "operation": "create-workspace",
            "workspace_record": {"id": "acme", "name": "Acme", "enabled": True},
        },
        {
            "operation": "mint-token",
            "workspace": "acme",
            "username": "bob",
            "user_context_json": '{"user_id": "bob"}',
        },
        {"operation": "login", "username": "bob", "password": "pw", "workspace": "acme"},
        {"operation": "change-password", "user_id": "u-1", "password": "a", "new_password": "b"},
    ],
}
"""Realistic wire request bodies per service (keys as in the 2.11 reference, section 7)."""


# ---------------------------------------------------------------------------
# Realistic schema objects
# ---------------------------------------------------------------------------

_XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"
_B64_DOC = base64.b64encode(b"The quick brown fox jumps over the lazy dog.\n")


def _iri(value: str) -> Any:
    return _schema().Term(type="i", iri=value)


def _lit(value: str, datatype: str = "", language: str = "") -> Any:
    return _schema().Term(type="l", value=value, datatype=datatype, language=language)


def _blank(ident: str) -> Any:
    return _schema().Term(type="b", id=ident)


def _triple(s: Any, p: Any, o: Any, g: str | None = None) -> Any:
    return _schema().Triple(s=s, p=p, o=o, g=g)


def _triples() -> list[Any]:
    """Triples covering every Term kind (IRI, typed / language literal, blank, quoted)."""
    name = _iri("http://schema.org/name")
    alice = _iri("http://example.org/alice")
    quoted = _schema().Term(
        type="t", triple=_triple(alice, _iri("http://schema.org/age"), _lit("42", _XSD_INT))
    )
    return [
        _triple(alice, name, _lit("Alice", language="en")),
        _triple(alice, _iri("http://schema.org/age"), _lit("42", _XSD_INT), "urn:graph:source"),
        _triple(_blank("b0"), _iri("http://schema.org/knows"), alice),
        _triple(quoted, _iri("http://example.org/assertedBy"), _iri("http://example.org/doc1")),
    ]


def _explain_triples() -> list[Any]:
    session = _iri("urn:trustgraph:session:3f2c")
    return [
        _triple(
            session,
            _iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            _iri("https://trustgraph.ai/ns/Session"),
            "urn:graph:retrieval",
        ),
        _triple(
            session,
            _iri("http://www.w3.org/2000/01/rdf-schema#label"),
            _lit("Retrieval session"),
            "urn:graph:retrieval",
        ),
    ]


def _error(kind: str, message: str) -> Any:
    return _schema().Error(type=kind, message=message)


def _metadata(ident: str = "doc-1") -> Any:
    return _schema().Metadata(id=ident, root=ident, collection="default")


Builders = Callable[[], list[tuple[str, Callable[[], Any]]]]


def _agent() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().AgentResponse
    return [
        (
            "explain",
            lambda: R(
                message_type="explain",
                explain_id="urn:trustgraph:agent:session:3f2c",
                explain_graph="urn:graph:retrieval",
                explain_triples=_explain_triples(),
                message_id="urn:trustgraph:agent:msg:0",
            ),
        ),
        (
            "thought-chunk",
            lambda: R(
                message_type="thought",
                content="I should look up",
                message_id="urn:trustgraph:agent:msg:1",
            ),
        ),
        (
            "observation",
            lambda: R(
                message_type="observation",
                content="X was written by Alice.",
                end_of_message=True,
                message_id="urn:trustgraph:agent:msg:2",
            ),
        ),
        (
            "answer-chunk",
            lambda: R(message_type="answer", content="Alice wrote X.", message_id="urn:m:3"),
        ),
        (
            "answer-final-streaming",
            lambda: R(
                message_type="answer",
                end_of_message=True,
                end_of_dialog=True,
                message_id="urn:trustgraph:agent:msg:3",
                in_token=812,
                out_token=96,
                model="llama3.1:8b",
            ),
        ),
        (
            "answer-final-non-streaming",
            lambda: R(
                message_type="answer",
                content="Alice wrote X.",
                end_of_message=True,
                end_of_dialog=True,
                explain_id="urn:trustgraph:agent:final:3f2c",
                explain_graph="urn:graph:retrieval",
                explain_triples=_explain_triples(),
                message_id="urn:trustgraph:agent:msg:4",
                in_token=812,
                out_token=96,
                model="llama3.1:8b",
            ),
        ),
        (
            "error",  # the 2.11.1 translator crashes on Error.code -> gateway-error frame
            lambda: R(
                message_type="error",
                end_of_message=True,
                end_of_dialog=True,
                error=_error("agent-error", "tool failed"),
            ),
        ),
    ]


def _text_completion() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.TextCompletionResponse
    model = S.ModelInfo(
        id="llama3.1:8b",
        name="Llama 3.1 8B",
        owned_by="meta",
        created=1721692800,
        description="General-purpose chat model",
        context_length=131072,
        max_output_length=8192,
        input_modalities=["text"],
        output_modalities=["text"],
        supported_features=["tools", "json_mode"],
        input_price=0.0,
        output_price=0.0,
        family="llama",
        parameter_size="8B",
        quantization="Q4_K_M",
        format="gguf",
    )
    return [
        ("chunk", lambda: R(response="Hello", end_of_stream=False)),
        (
            "final",
            lambda: R(
                response=", world.",
                in_token=12,
                out_token=4,
                model="llama3.1:8b",
                end_of_stream=True,
            ),
        ),
        (
            "list-models",
            lambda: R(response="", end_of_stream=True, models=[model, S.ModelInfo(id="tiny")]),
        ),
        (
            "error",  # dropped by the translator
            lambda: R(response=None, end_of_stream=True, error=_error("llm-error", "down")),
        ),
    ]


def _prompt() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().PromptResponse
    obj = json.dumps({"entities": [{"name": "Alice", "type": "person"}]})
    # The prompt service sets the unused one of text / object to None explicitly.
    return [
        ("text-chunk", lambda: R(text="Alice is", object=None, end_of_stream=False)),
        (
            "text-final",
            lambda: R(
                text=" a person.",
                object=None,
                end_of_stream=True,
                in_token=40,
                out_token=9,
                model="llama3.1:8b",
            ),
        ),
        (
            "object",
            lambda: R(
                text=None,
                object=obj,
                end_of_stream=True,
                in_token=40,
                out_token=20,
                model="llama3.1:8b",
            ),
        ),
        (
            "error",  # dropped by the translator
            lambda: R(
                text=None, object=None, end_of_stream=True, error=_error("llm-error", "template")
            ),
        ),
    ]


def _mcp_tool() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().ToolResponse
    return [
        ("text", lambda: R(text="42 results")),
        ("object", lambda: R(object=json.dumps({"results": [1, 2], "next": None}))),
        ("both", lambda: R(text="ok", object=json.dumps({"ok": True}))),
        ("error", lambda: R(error=_error("tool-error", "no such tool"))),
    ]


def _graph_rag() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.GraphRagResponse
    sources = [
        S.Source(uri="urn:doc:1", title="Document one"),
        S.Source(uri="urn:doc:2", title=""),
    ]
    return [
        (
            "explain",
            lambda: R(
                message_type="explain",
                response="",
                explain_id="urn:trustgraph:graph-rag:session:1",
                explain_graph="urn:graph:retrieval",
                explain_triples=_explain_triples(),
            ),
        ),
        ("chunk", lambda: R(message_type="chunk", response="Alice wrote")),
        ("chunk-last", lambda: R(message_type="chunk", response=" X.", end_of_stream=True)),
        (
            "session-final",
            lambda: R(
                message_type="chunk",
                response="",
                end_of_session=True,
                sources=sources,
                in_token=2048,
                out_token=64,
                model="llama3.1:8b",
            ),
        ),
        (
            "non-streaming",
            lambda: R(
                message_type="chunk",
                response="Alice wrote X.",
                end_of_stream=True,
                end_of_session=True,
                explain_id="urn:trustgraph:graph-rag:final:1",
                explain_graph="urn:graph:retrieval",
                explain_triples=_explain_triples(),
                sources=sources,
                in_token=2048,
                out_token=64,
                model="llama3.1:8b",
            ),
        ),
        (
            "error",
            lambda: R(
                message_type="chunk",
                response="",
                end_of_stream=True,
                end_of_session=True,
                error=_error("graph-rag-error", "no entities"),
            ),
        ),
    ]


def _document_rag() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().DocumentRagResponse
    return [
        (
            "explain",
            lambda: R(
                message_type="explain",
                explain_id="urn:trustgraph:document-rag:session:1",
                explain_graph="urn:graph:retrieval",
                explain_triples=_explain_triples(),
            ),
        ),
        ("chunk", lambda: R(message_type="chunk", response="The fox")),
        ("chunk-last", lambda: R(message_type="chunk", response=" jumps.", end_of_stream=True)),
        (
            "end",
            lambda: R(
                message_type="end",
                end_of_session=True,
                in_token=900,
                out_token=30,
                model="llama3.1:8b",
            ),
        ),
        (
            "non-streaming",
            lambda: R(
                response="The fox jumps.",
                end_of_stream=True,
                end_of_session=True,
                in_token=900,
                out_token=30,
                model="llama3.1:8b",
            ),
        ),
        (
            "error",  # complete stays false: nothing follows
            lambda: R(end_of_stream=True, error=_error("document-rag-error", "no documents")),
        ),
    ]


def _embeddings() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().EmbeddingsResponse
    return [
        ("vectors", lambda: R(vectors=[[0.1, -0.2, 0.3], [0.0, 0.5, -0.5]])),
        ("error", lambda: R(error=_error("embeddings-error", "down"))),
    ]


def _graph_embeddings() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.GraphEmbeddingsResponse
    matches = [
        S.EntityMatch(
            entity=_iri("http://example.org/alice"),
            score=0.92,
            rdf_type=["http://schema.org/Person"],
            attributes={"source": "doc-1", "tags": ["a", "b"]},
        ),
        S.EntityMatch(entity=_lit("Alice", language="en"), score=0.5),
    ]
    return [
        ("entities", lambda: R(entities=matches)),
        ("error", lambda: R(error=_error("graph-embeddings-error", "down"))),
    ]


def _document_embeddings() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.DocumentEmbeddingsResponse
    chunks = [
        S.ChunkMatch(chunk_id="urn:chunk:doc-1:0", score=0.81, attributes={"page": "1"}),
        S.ChunkMatch(chunk_id="urn:chunk:doc-1:1", score=0.42),
    ]
    return [
        ("chunks", lambda: R(chunks=chunks)),
        ("error", lambda: R(error=_error("document-embeddings-error", "down"))),
    ]


def _row_embeddings() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.RowEmbeddingsResponse
    matches = [
        S.RowIndexMatch(
            index_name="name",
            index_value=["Alice"],
            text="Alice",
            score=0.97,
            attributes={"city": "Paris"},
        ),
        S.RowIndexMatch(index_name="name", index_value=["Bob"], text="Bob", score=0.2),
    ]
    return [
        ("matches", lambda: R(matches=matches)),
        ("error", lambda: R(error=_error("row-embeddings-error", "no schema"))),
    ]


def _triples_query() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().TriplesQueryResponse
    return [
        ("batch", lambda: R(triples=_triples()[:2], is_final=False)),
        ("batch-final", lambda: R(triples=_triples()[2:], is_final=True)),
        ("empty-final", lambda: R(triples=[], is_final=True)),
        ("error", lambda: R(error=_error("triples-query-error", "bad term"), is_final=True)),
    ]


def _sparql() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.SparqlQueryResponse
    bindings = [
        S.SparqlBinding(values=[_iri("http://example.org/alice"), _lit("Alice", language="en")]),
        S.SparqlBinding(values=[_blank("b0"), None]),
    ]
    return [
        (
            "select-batch",
            lambda: R(
                query_type="select", variables=["s", "name"], bindings=bindings, is_final=False
            ),
        ),
        (
            "select-final",
            lambda: R(query_type="select", variables=["s", "name"], bindings=[], is_final=True),
        ),
        ("ask", lambda: R(query_type="ask", ask_result=True, is_final=True)),
        ("construct", lambda: R(query_type="construct", triples=_triples(), is_final=True)),
        ("describe", lambda: R(query_type="describe", triples=_triples()[:1], is_final=True)),
        ("error", lambda: R(query_type="", error=_error("sparql-error", "parse"), is_final=True)),
    ]


def _rows() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.RowsQueryResponse
    errors = [
        S.GraphQLError(
            message="Cannot query field 'x'",
            path=["customers", "x"],
            extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
        ),
        S.GraphQLError(message="plain"),
    ]
    return [
        (
            "data",
            lambda: R(
                data=json.dumps({"customers": [{"name": "Alice"}]}),
                extensions={"cost": "3"},
            ),
        ),
        ("graphql-errors", lambda: R(data="", errors=errors)),
        ("unparsable-data", lambda: R(data="not json")),
        ("error", lambda: R(error=_error("rows-query-error", "no schema"))),
    ]


def _nlp_query() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().QuestionToStructuredQueryResponse
    return [
        (
            "query",
            lambda: R(
                graphql_query="query($c: String) { customers(city: $c) { name } }",
                variables={"c": "Paris"},
                detected_schemas=["customers"],
                confidence=0.87,
            ),
        ),
        ("error", lambda: R(error=_error("nlp-query-error", "no schemas"))),
    ]


def _structured_query() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().StructuredQueryResponse
    return [
        ("data", lambda: R(data=json.dumps({"customers": [{"name": "Alice"}]}))),
        ("errors", lambda: R(data="", errors=["Cannot query field 'x'"])),
        ("error", lambda: R(error=_error("structured-query-error", "failed"))),
    ]


def _structured_diag() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().StructuredDataDiagnosisResponse
    descriptor = json.dumps({"format": {"type": "csv", "options": {"delimiter": ","}}})
    return [
        ("detect-type", lambda: R(operation="detect-type", detected_type="csv", confidence=0.9)),
        (
            "generate-descriptor",
            lambda: R(operation="generate-descriptor", descriptor=descriptor, confidence=0.8),
        ),
        (
            "diagnose",
            lambda: R(
                operation="diagnose",
                detected_type="csv",
                confidence=0.9,
                descriptor=descriptor,
                metadata={"rows": "2", "columns": "2"},
                schema_matches=["customers"],
            ),
        ),
        ("schema-selection", lambda: R(operation="schema-selection", schema_matches=["a", "b"])),
        ("schema-selection-empty", lambda: R(operation="schema-selection")),
        ("error", lambda: R(operation="diagnose", error=_error("diag-error", "bad sample"))),
    ]


def _reranker() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.RerankerResponse
    results = [
        S.RerankerResult(document_id="d1", query_id="q1", score=0.93),
        S.RerankerResult(document_id="d2", query_id="q1", score=0.11),
    ]
    return [
        ("results", lambda: R(results=results)),
        ("error", lambda: R(error=_error("reranker-error", "down"))),
    ]


def _image_to_text() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().ImageToTextResponse
    return [
        (
            "description",
            lambda: R(
                description="A fox jumping over a dog.", in_token=600, out_token=12, model="llava"
            ),
        ),
        ("error", lambda: R(error=_error("image-to-text-error", "bad image"))),
    ]


def _cloze() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.ClozeResponse
    models = [
        S.ClozeModelInfo(
            name="sentiment",
            state="ready",
            labels=["positive", "negative"],
            accuracy=0.91,
            train_size=800,
            test_size=200,
        ),
        S.ClozeModelInfo(name="topic", state="training"),
    ]
    return [
        ("predict", lambda: R(label="positive", confidence=0.88)),
        ("list-models", lambda: R(models=models)),
        ("error", lambda: R(error=_error("cloze-error", "no model"))),
    ]


def _decision_scoring() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().DecisionScoringResponse
    return [
        ("answers", lambda: R(answers={"q1": {"score": 0.7, "answer": "yes"}}, model="m1")),
        ("error", lambda: R(error=_error("decision-scoring-error", "failed"))),
    ]


def _field_extraction() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().FieldExtractionResponse
    return [
        ("answers", lambda: R(answers={"name": "Alice", "age": 42}, model="m1")),
        ("error", lambda: R(error=_error("field-extraction-error", "failed"))),
    ]


def _config() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.ConfigResponse
    return [
        (
            "get",
            lambda: R(
                version=12,
                values=[
                    S.ConfigValue(type="prompt", key="system", value='"You are helpful."'),
                    S.ConfigValue(type="prompt", key="missing", value=None),
                ],
            ),
        ),
        ("list", lambda: R(version=12, directory=["system", "question"])),
        (
            "getvalues",
            lambda: R(
                version=12,
                values=[S.ConfigValue(type="prompt", key="system", value='"x"', workspace="acme")],
            ),
        ),
        ("config", lambda: R(version=12, config={"prompt": {"system": '"You are helpful."'}})),
        ("put", lambda: R(version=13)),
        ("error", lambda: R(error=_error("bad-operation", "Bad operation"))),
    ]


def _flow() -> list[tuple[str, Callable[[], Any]]]:
    R = _schema().FlowResponse
    flow_json = json.dumps(
        {
            "description": "Default flow",
            "blueprint-name": "document-rag+graph-rag",
            "interfaces": {
                "agent": {"request": "q-req", "response": "q-resp"},
                "document-load": {"flow": "q-load"},
            },
            "parameters": {"model": "llama3.1:8b"},
        }
    )
    return [
        ("list-blueprints", lambda: R(blueprint_names=["document-rag+graph-rag", "stub"])),
        ("get-blueprint", lambda: R(blueprint_definition=json.dumps({"class": {}}))),
        ("list-flows", lambda: R(flow_ids=["default", "research"])),
        (
            "get-flow",
            lambda: R(
                flow=flow_json, description="Default flow", parameters={"model": "llama3.1:8b"}
            ),
        ),
        ("start-flow", lambda: R()),
        ("error", lambda: R(error=_error("flow-error", "Flow already exists"))),
    ]


def _librarian() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.LibrarianResponse
    doc = S.DocumentMetadata(
        id="doc-1",
        time=1700000000,
        kind="application/pdf",
        title="Annual report",
        comments="Uploaded by Alice",
        metadata=_triples()[:2],
        tags=["finance", "2023"],
        parent_id="",
        document_type="source",
    )
    page = S.DocumentMetadata(
        id="doc-1/p1",
        time=1700000001,
        kind="text/plain",
        title="Page 1",
        metadata=[],
        tags=[],
        parent_id="doc-1",
        document_type="page",
    )
    proc = S.ProcessingMetadata(
        id="proc-1",
        document_id="doc-1",
        time=1700000002,
        flow="default",
        collection="default",
        tags=["batch"],
    )
    session = S.UploadSession(
        upload_id="up-1",
        document_id="doc-2",
        document_metadata_json=json.dumps({"id": "doc-2", "kind": "application/pdf"}),
        total_size=6291456,
        chunk_size=3145728,
        total_chunks=2,
        chunks_received=1,
        created_at="2024-05-01T12:00:00Z",
    )
    return [
        ("get-document-metadata", lambda: R(document_metadata=doc, is_final=True)),
        ("get-document-content", lambda: R(content=_B64_DOC, is_final=True)),
        ("list-documents", lambda: R(document_metadatas=[doc, page], is_final=True)),
        ("list-processing", lambda: R(processing_metadatas=[proc], is_final=True)),
        ("add-document", lambda: R(is_final=True)),
        (
            "begin-upload",
            lambda: R(upload_id="up-1", chunk_size=3145728, total_chunks=2, is_final=True),
        ),
        (
            "upload-chunk",
            lambda: R(
                upload_id="up-1",
                chunk_index=1,
                chunks_received=2,
                total_chunks=2,
                bytes_received=6291456,
                total_bytes=6291456,
                is_final=True,
            ),
        ),
        ("complete-upload", lambda: R(document_id="doc-2", object_id="obj-9", is_final=True)),
        (
            "get-upload-status",
            lambda: R(
                upload_id="up-1",
                upload_state="in-progress",
                received_chunks=[0],
                missing_chunks=[1],
                chunks_received=1,
                total_chunks=2,
                bytes_received=3145728,
                total_bytes=6291456,
                is_final=True,
            ),
        ),
        ("list-uploads", lambda: R(upload_sessions=[session], is_final=True)),
        (
            "stream-document-chunk",
            lambda: R(
                content=_B64_DOC,
                chunk_index=0,
                chunks_received=1,
                total_chunks=2,
                bytes_received=45,
                total_bytes=90,
                is_final=False,
            ),
        ),
        (
            "stream-document-last",
            lambda: R(
                content=_B64_DOC,
                chunk_index=1,
                chunks_received=2,
                total_chunks=2,
                bytes_received=90,
                total_bytes=90,
                is_final=True,
            ),
        ),
        ("error", lambda: R(error=_error("not-found", "Document not found"), is_final=True)),
    ]


def _knowledge() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.KnowledgeResponse
    ge = S.GraphEmbeddings(
        metadata=_metadata("core-1"),
        entities=[
            S.EntityEmbeddings(
                entity=_iri("http://example.org/alice"),
                vector=[0.1, 0.2],
                chunk_id="c1",
                rdf_type=["urn:T"],
                attributes={"k": "v"},
            ),
        ],
    )
    de = S.DocumentEmbeddings(
        metadata=_metadata("core-1"),
        chunks=[
            S.ChunkEmbeddings(
                chunk_id="urn:chunk:doc-1:0", vector=[0.3, 0.4], attributes={"page": "1"}
            )
        ],
    )
    lm = S.LibraryMetadata(
        id="doc-1",
        kind="application/pdf",
        title="Annual report",
        parent_id="",
        document_type="source",
        comments="c",
        tags=["finance"],
    )
    return [
        ("list-kg-cores", lambda: R(ids=["core-1", "core-2"])),
        ("list-empty", lambda: R(ids=[])),
        (
            "get-kg-core-triples",
            lambda: R(triples=S.Triples(metadata=_metadata("core-1"), triples=_triples())),
        ),
        ("get-kg-core-graph-embeddings", lambda: R(graph_embeddings=ge)),
        ("get-kg-core-library-metadata", lambda: R(library_metadata=lm)),
        (
            "get-kg-core-library-blob",
            lambda: R(library_blob=S.LibraryBlob(id="doc-1", data=_B64_DOC)),
        ),
        ("get-de-core-document-embeddings", lambda: R(document_embeddings=de)),
        ("eos", lambda: R(eos=True)),
        ("put-ok", lambda: R()),
        (
            "error",  # complete stays false
            lambda: R(
                error=_error("unexpected-error", "'dict' object has no attribute 'metadata'")
            ),
        ),
    ]


def _collection_management() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.CollectionManagementResponse
    colls = [
        S.CollectionMetadata(collection="default", name="Default", description="d", tags=["a"]),
        S.CollectionMetadata(collection="research", name="research", description="", tags=[]),
    ]
    return [
        ("list-collections", lambda: R(timestamp="2024-05-01T12:00:00Z", collections=colls)),
        ("update-collection", lambda: R(timestamp="2024-05-01T12:00:01Z", collections=colls[:1])),
        ("delete-collection", lambda: R(timestamp="", collections=[])),
        (
            "error",
            lambda: R(
                error=_error("invalid-argument", "no collection"), timestamp="", collections=[]
            ),
        ),
    ]


def _iam() -> list[tuple[str, Callable[[], Any]]]:
    S = _schema()
    R = S.IamResponse
    user = S.UserRecord(
        id="u-1",
        default_workspace="acme",
        username="alice",
        name="Alice",
        email="alice@example.org",
        roles=["writer"],
        enabled=True,
        must_change_password=False,
        created="2024-05-01T12:00:00Z",
    )
    ws = S.WorkspaceRecord(id="acme", name="Acme", enabled=True, created="2024-05-01T12:00:00Z")
    key = S.ApiKeyRecord(
        id="k-1",
        user_id="u-1",
        name="ci",
        prefix="tg_ab12",
        expires="2030-01-01T00:00:00Z",
        created="2024-05-01T12:00:00Z",
        last_used="2024-05-02T08:00:00Z",
    )
    return [
        ("whoami", lambda: R(user=user)),
        ("list-users", lambda: R(users=[user])),
        ("create-workspace", lambda: R(workspace=ws)),
        ("list-workspaces", lambda: R(workspaces=[ws])),
        ("create-api-key", lambda: R(api_key_plaintext="tg_ab12cd34ef", api_key=key)),
        ("list-api-keys", lambda: R(api_keys=[key])),
        (
            "login",
            lambda: R(
                jwt="eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1LTEifQ.c2ln",
                jwt_expires="2024-05-01T13:00:00Z",
            ),
        ),
        ("reset-password", lambda: R(temporary_password="Tmp-9f8e7d")),
        (
            "bootstrap",
            lambda: R(bootstrap_admin_user_id="u-admin", bootstrap_admin_api_key="tg_bootstrap01"),
        ),
        ("bootstrap-status", lambda: R(bootstrap_available=True)),
        ("no-output", lambda: R()),
        (
            "all-fields",  # incl. gateway<->IAM internals the translator would also emit
            lambda: R(
                user=user,
                users=[user],
                workspace=ws,
                workspaces=[ws],
                api_key_plaintext="tg_ab12cd34ef",
                api_key=key,
                api_keys=[key],
                jwt="eyJ.eyJ.sig",
                jwt_expires="2024-05-01T13:00:00Z",
                signing_key_public="MCowBQYDK2VwAyEA",
                resolved_user_id="u-1",
                resolved_default_workspace="acme",
                resolved_roles=["writer"],
                temporary_password="Tmp-9f8e7d",
                bootstrap_admin_user_id="u-admin",
                bootstrap_admin_api_key="tg_bootstrap01",
                bootstrap_available=True,
                decision_allow=True,
                decision_ttl_seconds=60,
                decisions_json="[]",
                group_json="{}",
                groups_json="[]",
                members_json="[]",
                grants_json="[]",
                effective_permissions_json="{}",
            ),
        ),
        ("error", lambda: R(error=_error("auth-failed", "bad password"))),
    ]


_BUILDERS: dict[str, Builders] = {
    "agent": _agent,
    "text-completion": _text_completion,
    "prompt": _prompt,
    "mcp-tool": _mcp_tool,
    "graph-rag": _graph_rag,
    "document-rag": _document_rag,
    "embeddings": _embeddings,
    "graph-embeddings": _graph_embeddings,
    "document-embeddings": _document_embeddings,
    "triples": _triples_query,
    "rows": _rows,
    "nlp-query": _nlp_query,
    "structured-query": _structured_query,
    "structured-diag": _structured_diag,
    "row-embeddings": _row_embeddings,
    "sparql": _sparql,
    "reranker": _reranker,
    "image-to-text": _image_to_text,
    "cloze": _cloze,
    "decision-scoring": _decision_scoring,
    "field-extraction": _field_extraction,
    "config": _config,
    "flow": _flow,
    "librarian": _librarian,
    "knowledge": _knowledge,
    "collection-management": _collection_management,
    "iam": _iam,
}

HARNESS_SERVICES: tuple[str, ...] = tuple(_BUILDERS)
"""Every service the harness can drive (one response builder each)."""


def _routed(service: str) -> bool:
    mgr = _imp(_DISPATCH_MODULE)
    return service in mgr.request_response_dispatchers or service in mgr.global_dispatchers


SERVICES: list[str] = [s for s in HARNESS_SERVICES if available() and _routed(s)]
"""The harness services the installed release routes (request/response + global kinds)."""
