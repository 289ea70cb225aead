"""Inventory of everything the installed TrustGraph API gateway routes.

Standalone: needs only the standard library plus an installed ``trustgraph-base`` /
``trustgraph-flow`` (and the third-party packages they import, see
``tests/parity/requirements.txt``).  It imports nothing else from this project.

Run it with any interpreter that has trustgraph installed::

    python codegen/drift/gateway_inventory.py    # or: python -m codegen.drift.gateway_inventory

It prints one JSON document (sorted keys, sorted lists) describing the operation
registry, the dispatcher tables, the aiohttp route table, the auth routes, the
import/export kinds and, per service, the request/response translators together with
the wire keys they read and write.  Keys are found by running the real translators:

* requests: a probe wire dict (``PROBE_REQUESTS``) is wrapped in a dict subclass that
  records every key the translator looks up (``[]``, ``get``, ``in``, iteration), so
  keys the translator reads but the probe lacks are found as well;
* responses: the response schema dataclass is filled from its type hints (every field
  populated, then each field on its own, then each string value the translator's
  ``encode`` compares a field against), and run through ``encode_with_completion``
  exactly as the gateway does.

A part that fails to introspect is reported under ``errors`` instead of crashing.
"""

from __future__ import annotations

import ast
import asyncio
import base64
import dataclasses
import functools
import importlib
import importlib.metadata
import inspect
import json
import sys
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

JSON = dict[str, Any]

MAP_KEY = "*"
"""Key used for free-form maps when filling schema objects; shows up as ``*`` in paths."""

REGISTRY_MODULE = "trustgraph.gateway.registry"
DISPATCH_MODULE = "trustgraph.gateway.dispatch.manager"
ENDPOINT_MODULE = "trustgraph.gateway.endpoint.manager"
AUTH_ENDPOINT_MODULE = "trustgraph.gateway.endpoint.auth_endpoints"
MESSAGING_MODULE = "trustgraph.messaging"
SCHEMA_MODULE = "trustgraph.schema"

_B64 = base64.b64encode(b"hello world").decode("ascii")

_IRI = {"t": "i", "i": "http://example.org/s"}
_LIT = {"t": "l", "v": "42", "dt": "http://www.w3.org/2001/XMLSchema#integer", "ln": "en"}
_BLANK = {"t": "b", "d": "b0"}
_QUOTED = {"t": "t", "tr": {"s": _IRI, "p": _IRI, "o": _LIT}}
_TRIPLE = {"s": _IRI, "p": _IRI, "o": _LIT, "g": "urn:graph:1"}
_TRIPLE_BQ = {"s": _BLANK, "p": _IRI, "o": _QUOTED}
_USER_CONTEXT = {
    "user_id": "u1",
    "roles": ["reader"],
    "assignments": [
        {
            "resource": "r",
            "scope": "s",
            "status": "active",
            "valid_from": "",
            "valid_to": "",
            "qualifiers": {"k": "v"},
        }
    ],
    "entitlements": [
        {"resource_scope": "r", "access_level": "read", "valid_from": "", "valid_to": ""}
    ],
    "organisational_units": ["ou"],
    "override_authorities": [{"policy_area": "p", "condition": "c"}],
    "delegation": {"delegator_id": "d", "scope": "s"},
    "purpose": "research",
}
_METADATA = {"id": "doc-1", "root": "doc-1", "collection": "default"}

# Embedding frames, as the knowledge core and the bulk import sockets take them.
_GRAPH_EMBEDDINGS: JSON = {
    "metadata": _METADATA,
    "entities": [
        {
            "entity": _IRI,
            "vector": [0.1],
            "chunk_id": "c1",
            "rdf_type": ["urn:T"],
            "attributes": {"k": "v"},
        }
    ],
}
_DOCUMENT_EMBEDDINGS: JSON = {
    "metadata": _METADATA,
    "chunks": [{"chunk_id": "c1", "vector": [0.1], "attributes": {"k": "v"}}],
}

# Probe wire requests, one per service kind: every key known from the 2.11 reference,
# plus keys a client might send that the gateway ignores (``workspace`` on flow
# services, the official client's ``explainable`` / ``operationName``).  The reads are
# recorded, so keys missing here but read by the translator are reported too.
PROBE_REQUESTS: dict[str, JSON] = {
    "agent": {
        "question": "Who wrote X?",
        "state": "s",
        "group": ["g"],
        "history": [
            {
                "thought": "t",
                "action": "a",
                "arguments": {"k": "v"},
                "observation": "o",
                "step_type": "react",
                "plan": [
                    {
                        "goal": "g",
                        "tool_hint": "h",
                        "depends_on": [0],
                        "status": "done",
                        "result": "r",
                    }
                ],
                "subagent_results": {"k": "v"},
            }
        ],
        "collection": "default",
        "streaming": True,
        "session_id": "s1",
        "conversation_id": "c1",
        "pattern": "react",
        "task_type": "qa",
        "framing": "f",
        "correlation_id": "corr",
        "parent_session_id": "p1",
        "subagent_goal": "goal",
        "expected_siblings": 2,
        "workspace": "default",
    },
    "text-completion": {
        "operation": "completion",
        "system": "You are helpful.",
        "prompt": "Hi",
        "streaming": True,
        "response_format": "json",
        "schema": {"type": "object"},
        "workspace": "default",
    },
    "prompt": {
        "id": "question",
        "variables": {"question": "Q?", "n": 3},
        "terms": {"question": '"Q?"'},
        "streaming": True,
        "workspace": "default",
    },
    "mcp-tool": {"name": "search", "parameters": {"q": "x"}, "workspace": "default"},
    "graph-rag": {
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
        "grounding-seeds": ["seed"],
        "graph-seeds": ["urn:e"],
        "languages": ["en"],
        "traversal-instructions": [
            {"types": ["urn:T"], "relationships": ["urn:r"], "graphs": ["urn:g"]}
        ],
        "graph": "urn:graph:1",
        "user-context": _USER_CONTEXT,
        "explainable": True,
        "workspace": "default",
    },
    "document-rag": {
        "query": "What is X?",
        "collection": "default",
        "doc-limit": 5,
        "fetch-limit": 10,
        "streaming": True,
        "explainable": True,
        "workspace": "default",
    },
    "embeddings": {"texts": ["a", "b"], "workspace": "default"},
    "graph-embeddings": {
        "vector": [0.1, 0.2],
        "limit": 5,
        "collection": "default",
        "rdf_type": "http://example.org/T",
        "attributes": {"k": "v"},
        "workspace": "default",
    },
    "document-embeddings": {
        "vector": [0.1, 0.2],
        "limit": 5,
        "collection": "default",
        "attributes": {"k": ["v"]},
        "workspace": "default",
    },
    "row-embeddings": {
        "vector": [0.1, 0.2],
        "limit": 5,
        "collection": "default",
        "schema_name": "customers",
        "index_name": "name",
        "attributes": {"k": "v"},
        "workspace": "default",
    },
    "triples": {
        "s": _IRI,
        "p": _IRI,
        "o": _LIT,
        "g": "*",
        "limit": 10,
        "collection": "default",
        "streaming": True,
        "batch-size": 5,
        "user-context": _USER_CONTEXT,
        "workspace": "default",
    },
    "sparql": {
        "query": "SELECT ?s WHERE { ?s ?p ?o }",
        "collection": "default",
        "limit": 10,
        "streaming": True,
        "batch-size": 5,
        "user-context": _USER_CONTEXT,
        "workspace": "default",
    },
    "rows": {
        "query": "{ customers { name } }",
        "collection": "default",
        "variables": {"a": "b"},
        "operation_name": "Q",
        "operationName": "Q",
        "workspace": "default",
    },
    "nlp-query": {"question": "How many?", "max_results": 10, "workspace": "default"},
    "structured-query": {
        "question": "How many?",
        "collection": "default",
        "workspace": "default",
    },
    "structured-diag": {
        "operation": "detect-type",
        "sample": "a,b\n1,2",
        "type": "csv",
        "schema-name": "customers",
        "options": {"delimiter": ","},
        "workspace": "default",
    },
    "reranker": {
        "queries": [{"query_id": "q1", "query_text": "x"}],
        "documents": [{"document_id": "d1", "document_text": "y"}],
        "limit": 3,
        "workspace": "default",
    },
    "image-to-text": {
        "image": _B64,
        "mime_type": "image/png",
        "prompt": "Describe",
        "system": "You are a captioner.",
        "workspace": "default",
    },
    "cloze": {
        "operation": "predict",
        "model": "m",
        "query": "The [MASK] sat.",
        "workspace": "default",
    },
    "decision-scoring": {
        "state": {"a": "b"},
        "questions": {"q1": "Is it?"},
        "workspace": "default",
    },
    "field-extraction": {
        "state": {"a": "b"},
        "fields": {"f": "desc"},
        "workspace": "default",
    },
    "text-load": {
        "id": "doc-1",
        "root": "doc-1",
        "collection": "default",
        "text": _B64,
        "charset": "utf-8",
        "workspace": "default",
    },
    "document-load": {
        "id": "doc-1",
        "root": "doc-1",
        "collection": "default",
        "data": _B64,
        "workspace": "default",
    },
    "config": {
        "operation": "put",
        "workspace": "default",
        "keys": [{"type": "prompt", "key": "system"}],
        "type": "prompt",
        "values": [{"type": "prompt", "key": "system", "value": '"x"', "workspace": "default"}],
    },
    "flow": {
        "operation": "start-flow",
        "blueprint-name": "bp",
        "blueprint-definition": "{}",
        "description": "d",
        "flow-id": "f1",
        "parameters": {"model": "m"},
        "workspace": "default",
    },
    "librarian": {
        "operation": "add-document",
        "document-id": "doc-1",
        "processing-id": "p1",
        "document-metadata": {
            "id": "doc-1",
            "time": 1700000000,
            "kind": "text/plain",
            "title": "T",
            "comments": "C",
            "metadata": [_TRIPLE],
            "tags": ["a"],
            "parent-id": "p",
            "document-type": "source",
        },
        "processing-metadata": {
            "id": "p1",
            "document-id": "doc-1",
            "time": 1700000000,
            "flow": "f1",
            "collection": "default",
            "tags": ["a"],
        },
        "content": _B64,
        "collection": "default",
        "criteria": [{"key": "k", "value": "v", "operator": "eq"}],
        "total-size": 10,
        "chunk-size": 5,
        "upload-id": "u1",
        "chunk-index": 1,
        "include-children": True,
        "workspace": "default",
    },
    "knowledge": {
        "operation": "put-kg-core",
        "id": "core-1",
        "flow": "f1",
        "collection": "default",
        "triples": {"metadata": _METADATA, "triples": [_TRIPLE, _TRIPLE_BQ]},
        "graph-embeddings": _GRAPH_EMBEDDINGS,
        "document-embeddings": _DOCUMENT_EMBEDDINGS,
        "library-metadata": {
            "id": "doc-1",
            "kind": "text/plain",
            "title": "T",
            "parent-id": "",
            "document-type": "source",
            "comments": "C",
            "tags": ["a"],
        },
        "library-blob": {"id": "doc-1", "data": _B64},
        "workspace": "default",
    },
    "collection-management": {
        "operation": "update-collection",
        "collection": "c1",
        "timestamp": "2024-01-01T00:00:00Z",
        "name": "N",
        "description": "D",
        "tags": ["t"],
        "tag_filter": ["t"],
        "limit": 10,
        "workspace": "default",
    },
    "iam": {
        "operation": "create-user",
        "workspace": "default",
        "actor": "admin",
        "user_id": "u1",
        "username": "alice",
        "key_id": "k1",
        "api_key": "tg_x",
        "password": "pw",
        "new_password": "pw2",
        "user": {
            "username": "alice",
            "name": "Alice",
            "email": "a@example.org",
            "password": "pw",
            "roles": ["reader"],
            "enabled": True,
            "must_change_password": False,
        },
        "workspace_record": {"id": "ws", "name": "WS", "enabled": True},
        "key": {"user_id": "u1", "name": "k", "expires": "2030-01-01T00:00:00Z"},
        "user_context_json": "{}",
        "group_id": "g1",
        "member_type": "user",
        "member_id": "u1",
        "group": {"name": "g", "description": "d", "enabled": True},
        "grant": {"capability": "graph:read", "workspace": "default"},
    },
}

# Probe frames for the bulk import sockets (one bare JSON message per frame).
PROBE_IMPORTS: dict[str, JSON] = {
    "triples": {"metadata": _METADATA, "triples": [_TRIPLE]},
    "graph-embeddings": _GRAPH_EMBEDDINGS,
    "document-embeddings": _DOCUMENT_EMBEDDINGS,
    "entity-contexts": {
        "metadata": _METADATA,
        "entities": [{"entity": _IRI, "context": "ctx", "rdf_type": ["urn:T"]}],
    },
    "rows": {
        "metadata": _METADATA,
        "schema_name": "customers",
        "values": [{"name": "x"}],
        "confidence": 0.9,
        "source_span": "s",
    },
}


# ---------------------------------------------------------------------------
# Generic helpers
# ---------------------------------------------------------------------------


def _imp(name: str) -> Any:
    return importlib.import_module(name)


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _exc(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"


def _qualname(obj: Any) -> str:
    cls = obj if isinstance(obj, type) else type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def _cls_name(obj: Any) -> str:
    cls = obj if isinstance(obj, type) else type(obj)
    return str(cls.__name__)


def _sorted_json(value: Any) -> Any:
    """Recursively sort lists of scalars so the document is deterministic."""
    if isinstance(value, dict):
        return {str(k): _sorted_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_sorted_json(v) for v in value]
        if all(isinstance(v, (str, int, float, bool)) for v in items):
            return sorted(items, key=lambda v: (type(v).__name__, v))
        return items
    return value


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """All key paths of a JSON value: ``a``, ``a.b``, ``a[].b`` (lists as ``[]``)."""
    out: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            out.add(path)
            out |= key_paths(v, path)
    elif isinstance(value, list):
        for item in value:
            out |= key_paths(item, f"{prefix}[]")
    return out


class TrackedDict(dict[str, Any]):
    """A dict that records every key looked up on it (and on nested dicts)."""

    def __init__(
        self, data: Any = (), path: str = "", log: list[tuple[str, str]] | None = None
    ) -> None:
        # ``dataclasses.asdict`` rebuilds dicts as ``type(d)(pairs)``: accept that too.
        log = [] if log is None else log
        items = dict(data)
        super().__init__({k: _track(v, _join(path, k), log) for k, v in items.items()})
        self._path = path
        self._log = log

    def _rec(self, key: object, how: str) -> None:
        self._log.append((_join(self._path, str(key)), how))

    def __getitem__(self, key: str) -> Any:
        self._rec(key, "item")
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._rec(key, "get")
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._rec(key, "in")
        return super().__contains__(key)

    def pop(self, key: str, *default: Any) -> Any:
        self._rec(key, "get")
        return super().pop(key, *default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._rec(key, "get")
        return super().setdefault(key, default)

    def items(self) -> Any:
        self._rec(MAP_KEY, "iter")
        return super().items()

    def keys(self) -> Any:
        self._rec(MAP_KEY, "iter")
        return super().keys()

    def values(self) -> Any:
        self._rec(MAP_KEY, "iter")
        return super().values()

    def __iter__(self) -> Iterator[str]:
        self._rec(MAP_KEY, "iter")
        return super().__iter__()

    def copy(self) -> JSON:
        self._rec(MAP_KEY, "iter")
        return dict(super().items())


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _track(value: Any, path: str, log: list[tuple[str, str]]) -> Any:
    if isinstance(value, dict):
        return TrackedDict(value, path, log)
    if isinstance(value, list):
        return [_track(v, f"{path}[]", log) for v in value]
    return value


def plain(value: Any) -> Any:
    """Convert translator output (which may hold TrackedDicts or bytes) to plain JSON."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in dict.items(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


# ---------------------------------------------------------------------------
# Schema filler: build dataclass instances with every field populated
# ---------------------------------------------------------------------------


def type_hints(cls: type) -> dict[str, Any]:
    """Type hints of a schema dataclass.

    ``trustgraph.schema.documents`` annotates ``KnowledgeRequest`` / ``KnowledgeResponse``
    with names it never imports, so plain ``get_type_hints`` fails there; fall back to the
    ``trustgraph.schema`` namespace.
    """
    try:
        return typing.get_type_hints(cls)
    except Exception:
        return typing.get_type_hints(cls, globalns=dict(vars(_imp(SCHEMA_MODULE))))


def _is_dataclass_type(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def fill_value(tp: Any, depth: int = 0) -> Any:
    """A non-empty value of type ``tp`` ("1" for str: truthy, JSON- and int-parsable)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        return fill_value(real[0], depth) if real else None
    if tp is Any:
        return "1"
    if tp is str:
        return "1"
    if tp is bool:
        return True
    if tp is int:
        return 1
    if tp is float:
        return 0.5
    if tp is bytes:
        return base64.b64encode(b"1")
    if origin is list or tp is list:
        return [fill_value(args[0], depth + 1)] if args else ["1"]
    if origin is dict or tp is dict:
        return {MAP_KEY: fill_value(args[1], depth + 1)} if args else {MAP_KEY: "1"}
    if _is_dataclass_type(tp):
        if tp.__name__ == "Term":
            return tp(type="i", iri="http://example.org/e")
        if depth > 5:
            return tp()
        return fill_dataclass(tp, depth + 1)
    return None


def fill_dataclass(
    cls: type, depth: int = 0, only: str | None = None, overrides: dict[str, Any] | None = None
) -> Any:
    """Instance of ``cls``: every field populated (or only field ``only``)."""
    hints = type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if only is not None and f.name != only:
            continue
        tp = hints.get(f.name, str)
        if tp is bool and isinstance(f.default, bool):
            kwargs[f.name] = not f.default  # "populated" = the non-default flag value
        else:
            kwargs[f.name] = fill_value(tp, depth)
    kwargs.update(overrides or {})
    return cls(**kwargs)


def compared_literals(func: Callable[..., Any]) -> dict[str, list[str]]:
    """String literals that ``func`` compares ``obj.<field>`` against (``==`` / ``in``)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return {}
    out: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare) or not isinstance(node.left, ast.Attribute):
            continue
        field = node.left.attr
        for op, comp in zip(node.ops, node.comparators, strict=False):
            if not isinstance(op, (ast.Eq, ast.In)):
                continue
            consts = comp.elts if isinstance(comp, (ast.Tuple, ast.List, ast.Set)) else [comp]
            for c in consts:
                if isinstance(c, ast.Constant) and isinstance(c.value, str):
                    out.setdefault(field, set()).add(c.value)
    return {k: sorted(v) for k, v in out.items()}


# ---------------------------------------------------------------------------
# Fakes for constructing gateway objects without a broker / IAM
# ---------------------------------------------------------------------------


class _FakeBackend:
    """Stand-in pub/sub backend; constructors only store it."""


class _FakeConfigReceiver:
    def add_handler(self, handler: Any) -> None:
        pass


class _FakeIdentity:
    handle = "probe-user"
    default_workspace = "default"
    source = "api-key"
    user_context = None


class _FakeAuth:
    known_workspaces: ClassVar[set[str]] = {"default"}

    async def authenticate(self, request: Any) -> _FakeIdentity:
        return _FakeIdentity()

    async def authorise(self, *args: Any, **kwargs: Any) -> None:
        return None

    def _extract_client_ip(self, request: Any) -> str:
        return "127.0.0.1"


class _FakeRequest:
    def __init__(self, body: Any) -> None:
        self._body = body
        self.match_info: dict[str, str] = {}
        self.query: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.path = "/probe"
        self.remote = "127.0.0.1"

    async def json(self) -> Any:
        return self._body

    def get(self, key: str, default: Any = None) -> Any:
        return default

    def __setitem__(self, key: str, value: Any) -> None:
        pass


def instantiate(cls: type, **known: Any) -> Any:
    """Instantiate a dispatcher class, feeding dummies to its required parameters."""
    params = inspect.signature(cls).parameters
    kwargs: dict[str, Any] = {}
    for name, p in params.items():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if name in known:
            kwargs[name] = known[name]
        elif p.default is not p.empty:
            continue
        elif name == "backend":
            kwargs[name] = _FakeBackend()
        elif name == "timeout":
            kwargs[name] = 1
        else:
            kwargs[name] = None if name in ("ws", "running") else f"probe-{name}"
    return cls(**kwargs)


# ---------------------------------------------------------------------------
# Translator exercising
# ---------------------------------------------------------------------------


def probe_request(translator: Any, body: JSON) -> JSON:
    """Decode ``body`` with ``translator`` while recording the keys it reads."""
    log: list[tuple[str, str]] = []
    tracked = TrackedDict(body, "", log)
    result: JSON = {}
    try:
        obj = translator.decode(tracked)
        result["decoded_schema"] = _cls_name(obj)
    except Exception as e:
        result["decode_error"] = _exc(e)
        obj = None
    reads = sorted({p for p, _ in log})
    result["keys_read"] = reads
    result["top_level_keys_read"] = sorted(
        {p.split(".")[0].split("[")[0] for p, _ in log if p != MAP_KEY}
    )
    result["passthrough_maps"] = sorted(
        {p[:-2] for p, how in log if how == "iter" and p.endswith("." + MAP_KEY)}
    )
    ignored, opaque = classify_unread(key_paths(body), {p for p, _ in log})
    result["probe_keys_ignored"] = ignored
    result["opaque_values"] = opaque
    # required: a top-level key whose removal makes decode fail
    required: dict[str, str] = {}
    for key in sorted(body):
        reduced = {k: v for k, v in body.items() if k != key}
        try:
            translator.decode(reduced)
        except Exception as e:
            required[key] = _exc(e)
    result["required_keys"] = required
    if obj is not None:
        try:
            encoded = plain(translator.encode(translator.decode(json.loads(json.dumps(body)))))
            result["reencoded_keys"] = sorted(encoded)
            result["reencoded_key_paths"] = sorted(key_paths(encoded))
            result["keys_lost_in_roundtrip"] = sorted(
                k for k in result["top_level_keys_read"] if k not in encoded and k in body
            )
        except Exception as e:
            result["reencode_error"] = _exc(e)
    return result


def _parent(path: str) -> str:
    head = path.rsplit(".", 1)[0] if "." in path else ""
    return head[:-2] if head.endswith("[]") else head


def classify_unread(probe_paths: set[str], read: set[str]) -> tuple[list[str], list[str]]:
    """Split probe paths the translator never looked up into

    * ignored: the key itself is skipped (top-level, or a sibling of keys that were read);
    * opaque values: read keys whose value was taken whole (no child looked up), e.g.
      free-form maps or lists passed straight into the schema object.
    """
    read_norm = {r[:-2] if r.endswith("[]") else r for r in read}
    children_read = {_parent(r) for r in read_norm}
    ignored: set[str] = set()
    opaque: set[str] = set()
    for path in probe_paths:
        if path in read_norm:
            continue
        parent = _parent(path)
        if f"{parent}.{MAP_KEY}" in read_norm:
            continue  # the parent map was iterated: every key consumed
        if not parent:
            ignored.add(path)
            continue
        # walk up to the nearest read ancestor
        anc = parent
        while anc and anc not in read_norm:
            anc = _parent(anc)
        if not anc:
            continue  # under an ignored key: already reported at that key
        if anc in children_read and anc == parent:
            ignored.add(path)
        elif anc not in children_read:
            opaque.add(anc)
    return sorted(ignored), sorted(opaque)


def _encode(translator: Any, obj: Any) -> tuple[Any, Any]:
    if hasattr(translator, "encode_with_completion"):
        resp, fin = translator.encode_with_completion(obj)
        return plain(resp), fin
    return plain(translator.encode(obj)), None


def _field_default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def probe_response(translator: Any, schema: type) -> JSON:
    """Encode filled instances of ``schema`` and collect the wire keys written.

    Variants: ``default`` (schema defaults), ``all`` (every field populated),
    ``only:<f>`` (just field f populated), ``all:<f>=<v>`` (every field populated and f
    set to a string the translator's ``encode`` compares it against), and for each of
    the ``all*`` variants ``...-<f>`` (field f reset to its default).  A field is
    *surfaced* when some variant and its ``-<f>`` ablation encode differently, or when
    ``only:<f>`` differs from ``default``.
    """
    fields = dataclasses.fields(schema)
    field_names = {f.name for f in fields}
    literals = {
        k: v for k, v in compared_literals(type(translator).encode).items() if k in field_names
    }

    def make(overrides: dict[str, Any], reset: str | None = None) -> Any:
        obj = fill_dataclass(schema, overrides=overrides)
        if reset is not None:
            f = next(x for x in fields if x.name == reset)
            setattr(obj, reset, _field_default(f))
        return obj

    outputs: dict[str, Any] = {}
    finals: dict[str, Any] = {}
    failures: dict[str, str] = {}

    def run(name: str, build: Callable[[], Any]) -> None:
        try:
            out, fin = _encode(translator, build())
            outputs[name] = out
            finals[name] = fin
        except Exception as e:
            failures[name] = _exc(e)

    run("default", schema)
    bases: dict[str, dict[str, Any]] = {"all": {}}
    for fname, values in literals.items():
        for v in values:
            bases[f"all:{fname}={v}"] = {fname: v}
    for base, overrides in bases.items():
        run(base, functools.partial(make, overrides))
        for f in fields:
            run(f"{base}-{f.name}", functools.partial(make, overrides, f.name))
    for f in fields:
        run(f"only:{f.name}", functools.partial(fill_dataclass, schema, only=f.name))

    keys: set[str] = set()
    paths: set[str] = set()
    for out in outputs.values():
        if isinstance(out, dict):
            keys |= set(out)
        paths |= key_paths(out)
    base_out = outputs.get("default")
    base_fin = finals.get("default")
    surfaced: set[str] = set()
    final_fields: set[str] = set()
    for f in fields:
        only = f"only:{f.name}"
        if only in outputs:
            if outputs[only] != base_out:
                surfaced.add(f.name)
            if finals[only] != base_fin:
                final_fields.add(f.name)
        for base in bases:
            abl = f"{base}-{f.name}"
            if base in outputs and abl in outputs:
                if outputs[base] != outputs[abl]:
                    surfaced.add(f.name)
                if finals[base] != finals[abl]:
                    final_fields.add(f.name)
    failing = {n.split(":", 1)[1] for n in failures if n.startswith("only:")}
    return {
        "schema": _cls_name(schema),
        "keys_written": sorted(keys),
        "key_paths_written": sorted(paths),
        "default_frame": base_out,
        "default_is_final": base_fin,
        "fields_not_surfaced": sorted(field_names - surfaced - failing),
        "fields_changing_is_final": sorted(final_fields),
        "encode_failures": {
            k: v for k, v in failures.items() if k.startswith("only:") or k in bases
        },
        "discriminators": literals,
    }


class _FailingClient:
    """Stands in for the requestor's back-end client: every response carries ``response``."""

    def __init__(self, response: Any) -> None:
        self.response = response

    async def request(self, request: Any, timeout: Any = None) -> Any:
        return self.response

    async def request_stream(self, request: Any, timeout: Any = None) -> Any:
        yield self.response


PROBE_ERROR_MESSAGE = "probe-failure-message"


def probe_failure(disp: Any, body: JSON) -> JSON:
    """Drive the requestor's ``process`` (requestor and translator together) with a back end
    that answers a failure; record whether the failure reaches the client (``kept``) or not
    (``dropped``), for a plain call and for a stream, and the stream's last frame."""
    schema = disp.response_schema
    response = (
        fill_dataclass(schema, only="error") if "error" in schema.__dataclass_fields__ else None
    )
    if response is None:
        return {"errors": "no-error-field"}
    if response.error is None:
        response.error = _imp(SCHEMA_MODULE).Error(type="probe-error", message="")
    response.error.message = PROBE_ERROR_MESSAGE  # the field's own error type, filled
    disp.client = _FailingClient(response)
    requestor = _imp("trustgraph.gateway.dispatch.requestor")
    getattr(requestor, "_init_gateway_metrics", lambda: None)()  # 2.11: class-level metrics
    frames: list[JSON] = []

    async def responder(frame: Any, final: Any) -> None:
        frames.append({"frame": plain(frame), "final": bool(final)})

    single = plain(asyncio.run(disp.process(json.loads(json.dumps(body)))))
    asyncio.run(disp.process(json.loads(json.dumps(body)), responder))

    def verdict(results: list[Any]) -> str:
        failed = any(isinstance(r, dict) and r.get("error") for r in results)
        return "kept" if failed else "dropped"

    return {
        "errors": verdict([single]),
        "stream_errors": verdict([f["frame"] for f in frames]),
        "response": _sorted_json(single),
        "stream_last_frame": _sorted_json(frames[-1]) if frames else None,
    }


def _registry_name(registry: Any, translator: Any, attr: str) -> str | None:
    table = getattr(registry, attr, {})
    for name, tr in table.items():
        if tr is translator:
            return str(name)
    return None


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def _registry_ops() -> dict[str, JSON]:
    reg = _imp(REGISTRY_MODULE)
    return {
        str(op.name): {"capability": str(op.capability), "resource_level": str(op.resource_level)}
        for op in reg.all_operations()
    }


def _dispatcher_tables() -> dict[str, dict[str, str]]:
    mgr = _imp(DISPATCH_MODULE)
    tables: dict[str, dict[str, str]] = {}
    for name, value in vars(mgr).items():
        if name.endswith("_dispatchers") and isinstance(value, dict):
            tables[name] = {str(k): _cls_name(v) for k, v in value.items()}
    return tables


def _tables_of(tables: dict[str, dict[str, str]], kind: str) -> list[str]:
    return sorted(t for t, kinds in tables.items() if kind in kinds)


_FLOW_TABLES = ("request_response_dispatchers", "sender_dispatchers")


def section_registry(doc: JSON) -> None:
    ops = _registry_ops()
    tables = _dispatcher_tables()
    reg = _imp(REGISTRY_MODULE)
    doc["registry"] = {
        "operation_count": len(ops),
        "sentinels": {"AUTHENTICATED": str(reg.AUTHENTICATED), "PUBLIC": str(reg.PUBLIC)},
        "resource_levels": sorted({o["resource_level"] for o in ops.values()}),
    }
    doc["dispatcher_tables"] = {t: sorted(k) for t, k in tables.items()}

    flow: JSON = {}
    imports: JSON = {}
    exports: JSON = {}
    workspace: dict[str, dict[str, str]] = {}
    iam: dict[str, str] = {}
    levels: dict[str, set[str]] = {}
    for name, op in ops.items():
        prefix, sep, rest = name.partition(":")
        if sep and prefix == "flow-service":
            flow[rest] = {
                "capability": op["capability"],
                "resource_level": op["resource_level"],
                "dispatcher_tables": _tables_of(tables, rest),
                "in_request_response_table": rest in tables.get("request_response_dispatchers", {}),
            }
        elif sep and prefix in ("flow-import", "flow-export"):
            target = imports if prefix == "flow-import" else exports
            table = "import_dispatchers" if prefix == "flow-import" else "export_dispatchers"
            target[rest] = {
                "capability": op["capability"],
                "resource_level": op["resource_level"],
                "dispatcher_tables": _tables_of(tables, rest),
                "dispatcher": tables.get(table, {}).get(rest),
            }
        elif sep:
            workspace.setdefault(prefix, {})[rest] = op["capability"]
            levels.setdefault(prefix, set()).add(op["resource_level"])
        else:
            iam[name] = op["capability"]
    doc["flow_services"] = flow
    doc["workspace_services"] = workspace
    doc["workspace_service_resource_levels"] = {k: sorted(v) for k, v in levels.items()}
    doc["iam_operations"] = iam
    doc["import_kinds"] = imports
    doc["export_kinds"] = exports

    probe = reg.lookup("flow-service:thru/probe-interface")
    doc["passthrough"] = (
        None
        if probe is None
        else {
            "pattern": "thru/<interface>",
            "registry_lookup": "flow-service:thru/<anything> (synthesised by registry.lookup)",
            "in_registry_table": "flow-service:thru/probe-interface" in ops,
            "capability": str(probe.capability),
            "resource_level": str(probe.resource_level),
        }
    )

    # dispatcher-only kinds and registry entries without a dispatcher
    disp_only: JSON = {}
    for table, kinds in tables.items():
        for kind in kinds:
            if table in _FLOW_TABLES:
                known = f"flow-service:{kind}" in ops
            elif table == "import_dispatchers":
                known = f"flow-import:{kind}" in ops
            elif table == "export_dispatchers":
                known = f"flow-export:{kind}" in ops
            elif kind in tables.get("system_dispatchers", {}):
                known = bool(iam)  # the system service is addressed by bare op names
            else:
                known = kind in workspace
            if not known:
                disp_only.setdefault(kind, []).append(table)
    no_disp: list[str] = []
    for kind in flow:
        if not any(kind in tables.get(t, {}) for t in _FLOW_TABLES):
            no_disp.append(f"flow-service:{kind}")
    for kind in imports:
        if kind not in tables.get("import_dispatchers", {}):
            no_disp.append(f"flow-import:{kind}")
    for kind in exports:
        if kind not in tables.get("export_dispatchers", {}):
            no_disp.append(f"flow-export:{kind}")
    for kind in workspace:
        if kind not in tables.get("global_dispatchers", tables.get("workspace_dispatchers", {})):
            no_disp.append(f"{kind}:*")
    doc["dispatcher_only"] = {
        "dispatcher_kinds_without_registry_entry": {k: sorted(v) for k, v in disp_only.items()},
        "registry_entries_without_dispatcher": sorted(no_disp),
    }


def _build_endpoint_manager() -> Any:
    dm_mod = _imp(DISPATCH_MODULE)
    ep_mod = _imp(ENDPOINT_MODULE)
    auth = _FakeAuth()
    dm = dm_mod.DispatcherManager(
        backend=_FakeBackend(),
        config_receiver=_FakeConfigReceiver(),
        auth=auth,
    )
    return ep_mod.EndpointManager(
        dispatcher_manager=dm,
        auth=auth,
        prometheus_url="http://prometheus:9090",
    )


def section_routes(doc: JSON) -> None:
    web = _imp("aiohttp.web")
    em = _build_endpoint_manager()
    app = web.Application()
    em.add_routes(app)
    routes: list[JSON] = []
    index: dict[int, JSON] = {}
    for route in app.router.routes():
        resource = route.resource
        path = str(resource.canonical) if resource is not None else ""
        handler = route.handler
        owner = getattr(handler, "__self__", None)
        entry = index.get(id(resource))
        if entry is None:
            info = resource.get_info() if resource is not None else {}
            pattern = info.get("pattern")
            entry = {
                "order": len(routes),
                "path": path,
                "path_regex": getattr(pattern, "pattern", None),
                "endpoint_path": getattr(owner, "path", None),
                "methods": [],
                "handler": getattr(handler, "__qualname__", repr(handler)),
                "endpoint": _cls_name(owner) if owner is not None else None,
            }
            if owner is not None:
                for attr, label in (
                    ("capability", "capability"),
                    ("_registry_prefix", "registry_prefix"),
                    ("in_band_auth", "in_band_auth"),
                ):
                    if hasattr(owner, attr):
                        entry[label] = getattr(owner, attr)
            index[id(resource)] = entry
            routes.append(entry)
        entry["methods"].append(str(route.method))
    for entry in routes:
        entry["methods"] = sorted(entry["methods"])
    doc["routes"] = routes
    doc["routes_source"] = (
        "aiohttp router built by EndpointManager.add_routes with fake IAM/backend"
    )


def section_auth_routes(doc: JSON) -> None:
    """Exercise AuthEndpoints handlers: which capability they enforce, which IAM op they
    forward, which body keys they read and which IAM request keys they forward."""
    web = _imp("aiohttp.web")
    auth_mod = _imp(AUTH_ENDPOINT_MODULE)
    em = _build_endpoint_manager()
    app = web.Application()
    em.add_routes(app)
    auth_ep: Any = next(ep for ep in em.endpoints if _cls_name(ep) == "AuthEndpoints")
    registry_ops = _registry_ops()
    out: JSON = {}
    original_enforce = auth_mod.enforce
    try:
        for route in app.router.routes():
            handler = route.handler
            if id(getattr(handler, "__self__", None)) != id(auth_ep):
                continue
            path = str(route.resource.canonical) if route.resource is not None else ""
            enforced: list[str] = []
            forwarded: list[JSON] = []

            async def fake_enforce(
                request: Any, auth: Any, capability: str, _rec: list[str] = enforced
            ) -> _FakeIdentity:
                _rec.append(str(capability))
                return _FakeIdentity()

            class _Forward:
                def __init__(self, rec: list[JSON]) -> None:
                    self.rec = rec

                async def process(self, body: JSON, responder: Any = None) -> JSON:
                    self.rec.append(dict(body))
                    return {"bootstrap_available": False}

            auth_mod.enforce = fake_enforce
            saved_iam = auth_ep.iam
            auth_ep.iam = _Forward(forwarded)
            log: list[tuple[str, str]] = []
            try:
                resp = asyncio.run(handler(_FakeRequest(TrackedDict({}, "", log))))
                status = int(getattr(resp, "status", 0))
            finally:
                auth_ep.iam = saved_iam
            op_name = str(forwarded[0].get("operation")) if forwarded else None
            out[path] = {
                "methods": sorted(
                    {str(r.method) for r in app.router.routes() if r.handler is handler}
                ),
                "handler": getattr(handler, "__qualname__", ""),
                "capability_enforced": enforced[0] if enforced else None,
                "iam_operation": op_name,
                "registry_capability": (registry_ops.get(op_name or "", {}).get("capability")),
                "body_keys_read": sorted({p for p, _ in log}),
                "iam_request_keys_forwarded": sorted(forwarded[0]) if forwarded else [],
                "probe_status": status,
            }
    finally:
        auth_mod.enforce = original_enforce
    doc["auth_routes"] = out
    doc["auth_routes_source"] = (
        "AuthEndpoints handlers exercised with a recording enforce() and IAM dispatcher"
    )


def _requestors() -> dict[str, tuple[str, Any]]:
    mgr = _imp(DISPATCH_MODULE)
    out: dict[str, tuple[str, Any]] = {}
    for table in ("request_response_dispatchers", "global_dispatchers", "sender_dispatchers"):
        for kind, cls in getattr(mgr, table, {}).items():
            out[str(kind)] = (table, cls)
    return out


def section_translators(doc: JSON, errors: JSON) -> None:
    messaging = _imp(MESSAGING_MODULE)
    registry = messaging.TranslatorRegistry
    out: JSON = {}
    for kind, (table, cls) in sorted(_requestors().items()):
        try:
            disp = instantiate(cls)
        except Exception as e:
            errors[f"translators.{kind}"] = f"cannot instantiate {cls.__name__}: {_exc(e)}"
            continue
        req_tr = getattr(disp, "request_translator", None) or getattr(disp, "translator", None)
        resp_tr = getattr(disp, "response_translator", None)
        entry: JSON = {
            "dispatcher": _cls_name(cls),
            "dispatcher_table": table,
            "request_translator": _cls_name(req_tr) if req_tr is not None else None,
            "response_translator": _cls_name(resp_tr) if resp_tr is not None else None,
            "translator_registry_name": (
                _registry_name(registry, req_tr, "_request_translators")
                if req_tr is not None
                else None
            ),
            "request_schema": (
                _cls_name(disp.request_schema)
                if hasattr(disp, "request_schema")
                else _cls_name(getattr(disp, "schema", object))
            ),
            "response_schema": (
                _cls_name(disp.response_schema) if hasattr(disp, "response_schema") else None
            ),
            "to_request_overridden": _overrides(cls, "to_request"),
        }
        probe = PROBE_REQUESTS.get(kind)
        if req_tr is not None and probe is not None:
            entry["request"] = probe_request(req_tr, probe)
        elif req_tr is not None:
            errors[f"translators.{kind}.request"] = "no probe request for this kind"
        if resp_tr is not None and hasattr(disp, "response_schema"):
            try:
                entry["response"] = probe_response(resp_tr, disp.response_schema)
            except Exception as e:
                errors[f"translators.{kind}.response"] = _exc(e)
            if probe is not None and hasattr(disp, "process"):
                try:
                    entry["failure"] = probe_failure(disp, probe)
                except Exception as e:
                    errors[f"translators.{kind}.failure"] = _exc(e)
        out[kind] = entry
    try:
        pt_mod = _imp("trustgraph.gateway.dispatch.passthrough")
        disp = instantiate(pt_mod.PassthroughRequestor)
        req = disp.to_request({"k": "v"})
        resp_schema = disp.response_schema
        resp = disp.from_response(resp_schema(payload={"k": "v"}, is_final=True))
        out["thru/<interface>"] = {
            "dispatcher": "PassthroughRequestor",
            "dispatcher_table": None,
            "request_translator": None,
            "response_translator": None,
            "request_schema": _cls_name(disp.request_schema),
            "response_schema": _cls_name(resp_schema),
            "request_wraps_body_as": sorted(
                f.name for f in dataclasses.fields(req) if getattr(req, f.name) == {"k": "v"}
            ),
            "response_fields": sorted(f.name for f in dataclasses.fields(resp_schema)),
            "response_returns": "payload" if resp[0] == {"k": "v"} else repr(resp[0]),
        }
    except Exception as e:
        errors["translators.thru"] = _exc(e)
    doc["translators"] = out


def _overrides(cls: type, method: str) -> str | None:
    for klass in cls.__mro__:
        if method in vars(klass):
            return str(klass.__name__)
    return None


class _FakeProducer:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send(self, msg: Any) -> None:
        self.sent.append(msg)


class _FakeMsg:
    def __init__(self, data: Any) -> None:
        self._data = data

    def json(self) -> Any:
        return self._data


def section_bulk(doc: JSON, errors: JSON) -> None:
    """Wire keys of the bulk import/export sockets, by driving the real classes."""
    mgr = _imp(DISPATCH_MODULE)
    imports: JSON = {}
    for kind, cls in sorted(getattr(mgr, "import_dispatchers", {}).items()):
        try:
            disp = instantiate(cls)
            producer = _FakeProducer()
            disp.producer = producer
            log: list[tuple[str, str]] = []
            probe = PROBE_IMPORTS[kind]
            asyncio.run(disp.receive(_FakeMsg(TrackedDict(probe, "", log))))
            read = {p for p, _ in log}
            sent = producer.sent[0] if producer.sent else None
            ignored, opaque = classify_unread(key_paths(probe), read)
            imports[kind] = {
                "dispatcher": _cls_name(cls),
                "keys_read": sorted(read),
                "probe_keys_ignored": ignored,
                "opaque_values": opaque,
                "publishes": _cls_name(sent) if sent is not None else None,
            }
        except Exception as e:
            errors[f"bulk.import.{kind}"] = _exc(e)
    exports: JSON = {}
    for kind, cls in sorted(getattr(mgr, "export_dispatchers", {}).items()):
        try:
            module = sys.modules[cls.__module__]
            serializers = [
                v for n, v in vars(module).items() if n.startswith("serialize_") and callable(v)
            ]
            schemas = [
                v
                for n, v in vars(module).items()
                if _is_dataclass_type(v) and v.__module__.startswith("trustgraph.schema")
            ]
            if len(serializers) != 1 or len(schemas) != 1:
                raise RuntimeError(f"expected one serializer and one schema in {module}")
            frame = plain(serializers[0](fill_dataclass(schemas[0])))
            exports[kind] = {
                "dispatcher": _cls_name(cls),
                "serializer": serializers[0].__name__,
                "schema": _cls_name(schemas[0]),
                "key_paths_written": sorted(key_paths(frame)),
            }
        except Exception as e:
            errors[f"bulk.export.{kind}"] = _exc(e)
    doc["bulk_import_wire"] = imports
    doc["bulk_export_wire"] = exports


def section_special_routes(doc: JSON) -> None:
    """Core import/export, document-stream, metrics and i18n routes, from the route table."""
    routes = doc.get("routes", [])
    special: JSON = {}
    for entry in routes:
        path = entry["path"]
        if entry.get("endpoint") in ("StreamEndpoint", "MetricsEndpoint", "I18nPackEndpoint"):
            special[path] = {
                k: entry[k] for k in ("capability", "endpoint", "handler", "methods") if k in entry
            }
    doc["special_routes"] = special


def collect() -> JSON:
    """Introspect the installed gateway; never raises (failures go to ``errors``)."""
    errors: JSON = {}
    doc: JSON = {
        "gateway_version": _version("trustgraph-flow"),
        "base_version": _version("trustgraph-base"),
        "sources": {
            "registry": REGISTRY_MODULE,
            "dispatch": DISPATCH_MODULE,
            "endpoints": ENDPOINT_MODULE,
            "translators": MESSAGING_MODULE,
        },
    }
    sections: list[tuple[str, Callable[[], None]]] = [
        ("registry", lambda: section_registry(doc)),
        ("routes", lambda: section_routes(doc)),
        ("special_routes", lambda: section_special_routes(doc)),
        ("auth_routes", lambda: section_auth_routes(doc)),
        ("translators", lambda: section_translators(doc, errors)),
        ("bulk", lambda: section_bulk(doc, errors)),
    ]
    for name, run in sections:
        try:
            run()
        except Exception as e:
            errors[name] = _exc(e)
    doc["errors"] = errors
    doc["counts"] = {
        k: len(doc[k])
        for k in (
            "flow_services",
            "workspace_services",
            "iam_operations",
            "import_kinds",
            "export_kinds",
            "routes",
            "auth_routes",
            "translators",
        )
        if isinstance(doc.get(k), (dict, list))
    }
    doc["counts"]["workspace_operations"] = sum(
        len(v) for v in doc.get("workspace_services", {}).values()
    )
    result: JSON = _sorted_json(doc)
    return result


def dumps(doc: JSON) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, default=repr)


def main() -> int:
    import logging

    logging.disable(logging.CRITICAL)  # gateway modules log noisily at import
    sys.stdout.write(dumps(collect()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
