"""Fuzzing (hypothesis) of everything that decodes server input: only typed errors come out.

Socket frames and envelopes (``MuxCore.receive``: any text or bytes, and JSON objects built
from the protocol's own keys), error bodies (``error_from_wire``), REST answers
(``read_response`` / ``check_status``: any status and body), every generated response model
(RDF terms included) in lenient and strict mode, the chunk unions of streamed answers, and the
frames of bulk export sockets. Each either decodes or raises a ``tgclient.TrustGraphError``:
never a KeyError, TypeError, AttributeError or ValueError from inside the client.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tgclient
import tgclient.types
from tgclient import _operations as ops
from tgclient.resources import flow_instance
from tgclient.types.bulk import BulkTriples
from tgclient_runtime import bulk
from tgclient_runtime.errors import TrustGraphError, error_from_wire
from tgclient_runtime.models import WireModel, parse_response
from tgclient_runtime.mux import AuthReply, Delivery, MuxCore, Stray
from tgclient_runtime.options import ClientOptions
from tgclient_runtime.rest import check_status, read_response
from tgclient_runtime.session import SyncSession

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = [
    "id", "type", "error", "response", "complete", "message", "code", "message_type", "content",
    "end_of_stream", "end_of_session", "end_of_dialog", "t", "i", "v", "dt", "ln", "d", "tr",
    "s", "p", "o", "g", "triples", "metadata", "default_workspace", "chunk", "explain_id",
    "in_token", "out_token", "model", "eos", "vectors", "entities", "chunks", "response",
]  # fmt: skip

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=6)
    ),
    max_leaves=25,
)
objects = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8)
raw_messages = (
    st.text(max_size=80)
    | st.binary(max_size=80)
    | objects.map(json.dumps)
    | json_values.map(json.dumps)
)


def _only_typed(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except TrustGraphError as exc:
        str(exc), repr(exc)  # showing it must not fail either
        return exc


def _response_models() -> list[type[WireModel]]:
    found: dict[str, type[WireModel]] = {}
    for info in pkgutil.iter_modules(tgclient.types.__path__):
        module = importlib.import_module(f"tgclient.types.{info.name}")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, WireModel) and value is not WireModel:
                found[name] = value
    return [found[name] for name in sorted(found)]


MODELS = _response_models()


@FUZZ
@given(messages=st.lists(raw_messages | objects.map(lambda o: {"id": "r1", **o}), max_size=6))
def test_socket_frames_and_envelopes(messages: list[Any]) -> None:
    core: MuxCore[str] = MuxCore()
    assert core.open(ops.AGENT_AGENT, {"question": "q"}, "default", "sink")[0] == "r1"
    for message in messages:
        data = json.dumps(message) if isinstance(message, dict) else message
        out = core.receive(data)
        assert isinstance(out, Delivery | AuthReply | Stray)
        if isinstance(out, Delivery):
            assert out.frame.error is None or isinstance(out.frame.error, TrustGraphError)
            assert isinstance(out.frame.response, dict)
        if isinstance(out, AuthReply):
            assert out.error is None or isinstance(out.error, TrustGraphError)


@FUZZ
@given(error=json_values, status=st.none() | st.integers(100, 599), body=json_values)
def test_error_bodies(error: Any, status: int | None, body: Any) -> None:
    exc = error_from_wire(error, status=status, body=body, service="svc")
    assert isinstance(exc, TrustGraphError) and str(exc)


@FUZZ
@given(
    status=st.integers(100, 599),
    content=st.binary(max_size=100) | json_values.map(lambda v: json.dumps(v).encode()),
    content_type=st.sampled_from(["application/json", "text/html", "text/plain", ""]),
)
def test_rest_answers(status: int, content: bytes, content_type: str) -> None:
    response = httpx.Response(status, content=content, headers={"content-type": content_type})
    out = _only_typed(read_response, response, ops.CONFIG_LIST)
    assert isinstance(out, dict | TrustGraphError)
    out = _only_typed(check_status, response, ops.DOCUMENT_STREAM_DOWNLOAD)
    assert isinstance(out, httpx.Response | TrustGraphError)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=st.sampled_from(MODELS), data=json_values | objects, strict=st.booleans())
def test_every_response_model(model: type[WireModel], data: Any, strict: bool) -> None:
    out = _only_typed(parse_response, model, data, strict=strict, service="svc")
    assert isinstance(out, model | TrustGraphError)


SESSION = SyncSession(ClientOptions.build(url="http://127.0.0.1:9/"))
UNION_PARSERS = [
    getattr(flow_instance, name) for name in dir(flow_instance) if name.startswith("_parse_")
]


@pytest.mark.parametrize("parser", UNION_PARSERS, ids=lambda p: p.__name__)
@FUZZ
@given(frame=objects | st.fixed_dictionaries({"message_type": json_values}, optional={
    "content": json_values, "end_of_dialog": json_values, "response": json_values,
}))  # fmt: skip
def test_chunk_unions(parser: Any, frame: dict[str, Any]) -> None:
    out = _only_typed(parser, SESSION, frame)
    assert isinstance(out, WireModel | TrustGraphError)


@FUZZ
@given(message=raw_messages)
def test_bulk_export_frames(message: str | bytes) -> None:
    def parse(raw: dict[str, Any]) -> Any:
        return SESSION.parse(BulkTriples, raw, ops.BULK_EXPORT_TRIPLES)

    out = _only_typed(bulk._decode_frame, "bulk export triples", message, parse)
    assert isinstance(out, BulkTriples | TrustGraphError)


def teardown_module() -> None:
    SESSION.close()
