"""Every operation in the spec, sync and async, over REST and over the WebSocket, against its
own examples.

For each example the generated method is called with the example's arguments; the fake checks
that the exact wire request went to the operation's route (REST path, or WS envelope service
and flow) and answers with the example's frames (the REST route gets only the final one, as
the real gateway sends). Responses parse in strict mode, so examples must be exact. Operations
the gateway cannot serve are refused without sending anything.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest

import tgclient
from codegen.loader import load_spec
from codegen.spec_schema import Example, OperationSpec, ServiceSpec
from tests.fakes.ws_gateway import FakeGateway

SPEC = load_spec(Path(__file__).resolve().parents[2] / "spec")
ACCESSORS = {a.name: a for a in SPEC.gateway.accessors}
# Routes the socket does not multiplex: the WebSocket transport sends them over REST.
REST_ONLY = {"auth", "http"}


def _cases(transport: str) -> list[Any]:
    return [
        pytest.param(svc, name, op, i, id=f"{svc.service}.{name}[{i}]")
        for _, svc in SPEC.services
        for name, op in svc.operations.items()
        for i in range(len(op.examples))
        if transport == "rest" or svc.surface not in REST_ONLY
    ]


def _resource(api: Any, accessor_name: str) -> Any:
    accessor = ACCESSORS[accessor_name]
    if accessor.parent is None:
        return getattr(api, accessor.name)()
    parent = _resource(api, accessor.parent)
    assert accessor.factory is not None
    return getattr(parent, accessor.factory)("default")


def _service(svc: ServiceSpec, op: OperationSpec, example: Example) -> str:
    """The wire kind the call addresses: ``thru/<interface>`` where the call names a target."""
    if op.target_param:
        return f"{svc.service}/{example.call[op.target_param]}"
    return svc.service


def _rest_path(svc: ServiceSpec, op_name: str, example: Example) -> str:
    op = svc.operations[op_name]
    surface = SPEC.gateway.surfaces[svc.surface]
    assert surface.rest is not None
    path = surface.rest.path.replace("{service}", _service(svc, op, example))
    return "/" + path.replace("{operation}", op_name).replace("{flow}", "default")


def _frames(example: Example) -> list[dict[str, Any]]:
    return example.frames or [example.response]


class RestRecorder:
    """Answers like the gateway's REST route; records (path, JSON body) or, for plain HTTP
    routes, (path with query, raw body)."""

    def __init__(self, example: Example) -> None:
        self.example = example
        self.seen: list[tuple[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.example.path is not None:  # a plain HTTP route
            target = request.url.raw_path.decode()
            self.seen.append((target, request.content))
            return httpx.Response(200, content=(self.example.body or "").encode())
        self.seen.append((request.url.path, json.loads(request.content)))
        return httpx.Response(200, json=self.example.response)


def _expected_rest(svc: ServiceSpec, op_name: str, example: Example) -> tuple[str, Any]:
    if example.path is not None:
        return (example.path, _content(example))
    return (_rest_path(svc, op_name, example), example.request)


def _content(example: Example) -> bytes:
    data = example.call.get("data", b"")
    return data.encode() if isinstance(data, str) else bytes(data)


class Script:
    """The frames the fake WebSocket gateway answers the next request with."""

    frames: list[dict[str, Any]] | None = None


@pytest.fixture(scope="module")
def ws_gateway() -> Iterator[FakeGateway]:
    with FakeGateway(responder=lambda msg: Script.frames) as gateway:
        yield gateway


def _check_result(op: OperationSpec, result: Any, frames: list[dict[str, Any]]) -> None:
    if op.http is not None:
        assert isinstance(result, bytes | str | dict | list)
    elif op.streaming.mode == "always":
        chunks = list(result)
        assert len(chunks) == len(frames)
        assert all(isinstance(c, pydantic.BaseModel) for c in chunks)
    elif op.python.result.kind == "none":
        assert result is None
    elif op.python.result.kind == "text" and op.python.result.or_json:
        text = frames[-1].get(op.python.result.field or "") if frames else None
        assert isinstance(result, tgclient.TextResult) == (text is not None)
    elif op.python.result.kind == "text":
        assert isinstance(result, tgclient.TextResult)


async def _check_async_result(op: OperationSpec, result: Any, frames: list[dict[str, Any]]) -> None:
    if op.streaming.mode == "always":
        chunks = [c async for c in result]
        assert len(chunks) == len(frames)
    else:
        _check_result(op, result, frames)


@pytest.mark.parametrize(("svc", "op_name", "op", "index"), _cases("rest"))
def test_rest_sync(svc: ServiceSpec, op_name: str, op: OperationSpec, index: int) -> None:
    example = op.examples[index]
    recorder = RestRecorder(example)
    client = httpx.Client(transport=httpx.MockTransport(recorder))
    api = tgclient.Api("http://gw:8888/", http_client=client, strict=True)
    method = getattr(_resource(api, op.python.accessor), op.python.method)
    if op.unsupported:
        with pytest.raises(tgclient.UnsupportedOperationError):
            method(**example.call)
    elif op.streaming.mode == "always":
        # The REST route returns only the last frame of a multi-frame answer.
        with pytest.raises(NotImplementedError, match="WebSocket"):
            method(**example.call)
    else:
        _check_result(op, method(**example.call), [example.response])
        assert recorder.seen == [_expected_rest(svc, op_name, example)]
        return
    assert recorder.seen == []


@pytest.mark.parametrize(("svc", "op_name", "op", "index"), _cases("rest"))
async def test_rest_async(svc: ServiceSpec, op_name: str, op: OperationSpec, index: int) -> None:
    example = op.examples[index]
    recorder = RestRecorder(example)
    client = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with tgclient.AsyncApi("http://gw:8888/", http_client=client, strict=True) as api:
        method = getattr(_resource(api, op.python.accessor), op.python.method)
        if op.unsupported:
            with pytest.raises(tgclient.UnsupportedOperationError):
                await method(**example.call)
        elif op.streaming.mode == "always":
            with pytest.raises(NotImplementedError, match="WebSocket"):
                await method(**example.call)
        else:
            await _check_async_result(op, await method(**example.call), [example.response])
            assert recorder.seen == [_expected_rest(svc, op_name, example)]
            return
    assert recorder.seen == []


@pytest.mark.parametrize(("svc", "op_name", "op", "index"), _cases("websocket"))
def test_websocket_sync(
    ws_gateway: FakeGateway, svc: ServiceSpec, op_name: str, op: OperationSpec, index: int
) -> None:
    example = op.examples[index]
    since = len(ws_gateway.envelopes)
    Script.frames = _frames(example)
    with tgclient.Api(ws_gateway.url, strict=True, timeout=10) as api:
        method = getattr(_resource(api, op.python.accessor), op.python.method)
        if op.unsupported:
            with pytest.raises(tgclient.UnsupportedOperationError):
                method(**example.call)
            assert len(ws_gateway.envelopes) == since
            return
        _check_result(op, method(**example.call), _frames(example))
    [envelope] = ws_gateway.envelopes[since:]
    assert envelope["service"] == _service(svc, op, example)
    assert envelope.get("flow") == ("default" if svc.surface == "flow" else None)
    assert envelope["request"] == example.request


@pytest.mark.parametrize(("svc", "op_name", "op", "index"), _cases("websocket"))
async def test_websocket_async(
    ws_gateway: FakeGateway, svc: ServiceSpec, op_name: str, op: OperationSpec, index: int
) -> None:
    example = op.examples[index]
    since = len(ws_gateway.envelopes)
    Script.frames = _frames(example)
    async with tgclient.AsyncApi(ws_gateway.url, strict=True, timeout=10) as api:
        method = getattr(_resource(api, op.python.accessor), op.python.method)
        if op.unsupported:
            with pytest.raises(tgclient.UnsupportedOperationError):
                await method(**example.call)
            assert len(ws_gateway.envelopes) == since
            return
        await _check_async_result(op, await method(**example.call), _frames(example))
    [envelope] = ws_gateway.envelopes[since:]
    assert envelope["service"] == _service(svc, op, example)
    assert envelope.get("flow") == ("default" if svc.surface == "flow" else None)
    assert envelope["request"] == example.request


def test_sync_and_async_twins_have_identical_surfaces() -> None:
    checked = 0
    for accessor in ACCESSORS.values():
        sync_cls = getattr(tgclient, accessor.class_name, None)
        if sync_cls is None:
            continue
        async_cls = getattr(tgclient, f"Async{accessor.class_name}")
        public = [n for n in vars(sync_cls) if not n.startswith("_")]
        assert public == [n for n in vars(async_cls) if not n.startswith("_")]
        for name in public:
            s, a = getattr(sync_cls, name), getattr(async_cls, name)
            if inspect.isfunction(s):
                assert list(inspect.signature(s).parameters) == list(
                    inspect.signature(a).parameters
                )
                checked += 1
    assert checked > 20
