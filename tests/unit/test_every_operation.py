"""Every operation in the spec, sync and async, against its own examples.

For each example the generated method is called with the example's arguments; the fake checks
that the exact wire request was sent to the operation's route and answers with the example's
response; the method must return without error (or refuse an unsupported operation without
sending anything).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

import tgclient
from codegen.loader import load_spec
from codegen.spec_schema import OperationSpec, ServiceSpec

SPEC = load_spec(Path(__file__).resolve().parents[2] / "spec")
ACCESSORS = {a.name: a for a in SPEC.gateway.accessors}

CASES = [
    pytest.param(svc, op, i, id=f"{svc.service}.{name}[{i}]")
    for _, svc in SPEC.services
    for name, op in svc.operations.items()
    for i in range(len(op.examples))
]


def _resource(api: Any, accessor_name: str) -> Any:
    accessor = ACCESSORS[accessor_name]
    if accessor.parent is None:
        return getattr(api, accessor.name)()
    parent = _resource(api, accessor.parent)
    assert accessor.factory is not None
    return getattr(parent, accessor.factory)("default")


def _expected_path(svc: ServiceSpec, op_name: str) -> str:
    surface = SPEC.gateway.surfaces[svc.surface]
    assert surface.rest is not None
    path = surface.rest.path.replace("{service}", svc.service).replace("{operation}", op_name)
    return "/" + path.replace("{flow}", "default")


class Recorder:
    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response
        self.seen: list[tuple[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.url.path, json.loads(request.content)))
        return httpx.Response(200, json=self.response)


def _op_name(svc: ServiceSpec, op: OperationSpec) -> str:
    return next(name for name, candidate in svc.operations.items() if candidate is op)


@pytest.mark.parametrize(("svc", "op", "index"), CASES)
def test_sync(svc: ServiceSpec, op: OperationSpec, index: int) -> None:
    example = op.examples[index]
    recorder = Recorder(example.response)
    client = httpx.Client(transport=httpx.MockTransport(recorder))
    api = tgclient.Api("http://gw:8888/", http_client=client, strict=True)
    method = getattr(_resource(api, op.python.accessor), op.python.method)
    if op.unsupported:
        with pytest.raises(tgclient.UnsupportedOperationError):
            method(**example.call)
        assert recorder.seen == []
        return
    method(**example.call)
    assert recorder.seen == [(_expected_path(svc, _op_name(svc, op)), example.request)]


@pytest.mark.parametrize(("svc", "op", "index"), CASES)
async def test_async(svc: ServiceSpec, op: OperationSpec, index: int) -> None:
    example = op.examples[index]
    recorder = Recorder(example.response)
    client = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with tgclient.AsyncApi("http://gw:8888/", http_client=client, strict=True) as api:
        method = getattr(_resource(api, op.python.accessor), op.python.method)
        if op.unsupported:
            with pytest.raises(tgclient.UnsupportedOperationError):
                await method(**example.call)
            assert recorder.seen == []
            return
        await method(**example.call)
    assert recorder.seen == [(_expected_path(svc, _op_name(svc, op)), example.request)]


def test_sync_and_async_twins_have_identical_surfaces() -> None:
    import inspect

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
