"""Each method-kind macro of resources/methods.j2, rendered from a small IR value."""

from __future__ import annotations

import ast
import dataclasses
import textwrap
from typing import Any

import pytest

from codegen.ir import (
    AccessorIR,
    BulkMethodIR,
    ChunkOptInIR,
    MethodIR,
    OperationIR,
    ParamIR,
    PreflightIR,
)
from codegen.render import _environment

SYNC = {
    "is_async": False,
    "prefix": "",
    "session": "SyncSession",
    "adef": "def",
    "aw": "",
    "stream": "Stream",
}
ASYNC = {
    "is_async": True,
    "prefix": "Async",
    "session": "AsyncSession",
    "adef": "async def",
    "aw": "await ",
    "stream": "AsyncStreamCall",
}

OP = OperationIR(
    constant="THING_GET",
    service="thing",
    name="get",
    surface="global",
    rest_path="/api/v1/thing",
    wire_operation="get",
    streams="never",
    end_field=None,
    errors="envelope",
    unsupported=None,
    via_socket=True,
    workspace_in_body=False,
    idempotent=True,
)
KEY = ParamIR(
    name="key",
    annotation="str",
    default=None,
    doc_lines=["The key."],
    field_python="key",
    field_wire="key",
)
VALUE = ParamIR(
    name="value",
    annotation="Any | None",
    default="None",
    doc_lines=["A value."],
    field_python="value",
    field_wire="value",
    required=False,
    encode="json",
)
BLOB = ParamIR(
    name="blob",
    annotation="bytes",
    default=None,
    doc_lines=["Bytes."],
    field_python="data",
    field_wire="data",
    encode="base64",
)
METHOD = MethodIR(
    name="get",
    doc_lines=["Get a thing."],
    params=[KEY],
    operation=OP,
    request_model="ThingRequest",
    response_model="ThingResponse",
    returns="ThingResponse",
    result_kind="model",
    result_attr=None,
    result_wire=None,
    result_default_empty=False,
    failure_unless=[],
    streams="never",
    chunk_type="",
    chunk_model="",
    chunk_parser=None,
    target_param=None,
    body_param=None,
)
ACCESSOR = AccessorIR(
    name="flow_instance",
    class_name="FlowInstance",
    module="flow_instance",
    doc="A flow.",
    scope_param="flow",
    children=[],
    factory=None,
    factory_arg=None,
    scope_default=None,
    methods=[],
    chunk_unions=[],
    bulk_methods=[],
    wire_modules=[],
    preflight=None,
    exports=[],
    type_imports=[],
    model_attributes=[],
    needs_any=False,
    needs_sequence=False,
    needs_mapping=False,
    needs_builtins=False,
)
GLOBAL = dataclasses.replace(ACCESSOR, scope_param=None)


@pytest.fixture(scope="module")
def macros() -> Any:
    return _environment().get_template("resources/methods.j2").module


def _method(text: str) -> ast.AsyncFunctionDef | ast.FunctionDef:
    """The rendered class-body text parsed as a class: it must be valid Python."""
    tree = ast.parse("class C:\n" + str(text))
    node = tree.body[0]
    assert isinstance(node, ast.ClassDef)
    defs = [n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return defs[-1]


def _body(text: str) -> str:
    return textwrap.dedent(str(text))


def test_param_value_is_the_name_or_its_encoding(macros: Any) -> None:
    assert str(macros.param_value(KEY)) == "key"
    assert str(macros.param_value(VALUE)) == (
        'None if value is None else json_text(value, argument="value")'
    )
    assert str(macros.param_value(BLOB)) == 'base64_text(blob, argument="blob")'


@pytest.mark.parametrize(
    ("kind", "attr", "expected"),
    [
        ("model", None, "return response"),
        ("field", "items", "return response.items"),
        ("text", "text", 'return TextResult.from_response(response, "text")'),
        ("json", "value", "return decode_json_field("),
        ("base64", "data", "return decode_base64_field("),
        ("raw", None, "return raw"),
    ],
)
def test_each_result_kind_returns_its_value(
    macros: Any, kind: str, attr: str | None, expected: str
) -> None:
    m = dataclasses.replace(METHOD, result_kind=kind, result_attr=attr, result_wire=attr)
    rendered = _body(macros.result(m))
    assert rendered.startswith(expected)
    ast.parse(rendered)


def test_none_result_returns_nothing_and_does_not_parse(macros: Any) -> None:
    m = dataclasses.replace(METHOD, result_kind="none", returns="None")
    call = _body(macros.unary_call(m, SYNC, GLOBAL))
    assert str(macros.result(m)).strip() == ""
    assert call.startswith("self._session.call(") and "parse" not in call


def test_field_result_defaults_to_empty_list_when_asked(macros: Any) -> None:
    m = dataclasses.replace(
        METHOD, result_kind="field", result_attr="items", result_default_empty=True
    )
    assert _body(macros.result(m)).strip() == "return response.items or []"


def test_unary_call_checks_answer_and_scopes_by_accessor(macros: Any) -> None:
    m = dataclasses.replace(METHOD, failure_unless=["value"])
    call = _body(macros.unary_call(m, ASYNC, ACCESSOR))
    assert "raw = await self._session.call(" in call
    assert "flow=self._flow, timeout=timeout" in call
    assert "check_answered(raw, ['value'], ops.THING_GET)" in call


def test_request_builds_the_model_from_params(macros: Any) -> None:
    m = dataclasses.replace(METHOD, params=[KEY, VALUE, BLOB])
    request = _body(macros.request(m))
    tree = ast.parse(request)
    assert isinstance(tree.body[0], ast.Assign)
    assert request.startswith("request = request_body(\n    ThingRequest,\n    ops.THING_GET,")
    assert "operation" not in request  # request_body takes it from the Operation
    assert "data=base64_text(blob" in request


def test_request_of_a_targeted_op_binds_the_target(macros: Any) -> None:
    m = dataclasses.replace(METHOD, target_param="key", body_param="body", params=[KEY])
    request = _body(macros.request(m))
    assert request.splitlines() == [
        "op = ops.THING_GET.for_target(key)",
        "request = dict(body)",
    ]


def test_streaming_method_has_overloads_and_parses_chunks(macros: Any) -> None:
    m = dataclasses.replace(
        METHOD,
        streams="optional",
        chunk_type="ThingChunk",
        chunk_model="ThingChunk",
        chunk_parser="_parse_thing_chunk",
    )
    text = str(macros.service_method(m, SYNC, GLOBAL))
    # streaming=False, streaming=True, and a runtime bool returning the union
    assert text.count("@overload") == 3
    assert "streaming: bool,\n" in text
    method = _method(text)
    assert method.name == "get"
    assert "parse=lambda raw: _parse_thing_chunk(self._session, raw)" in text
    assert "-> ThingResponse | Stream[ThingChunk]:" in text


def test_stream_only_method_returns_the_stream(macros: Any) -> None:
    m = dataclasses.replace(
        METHOD, streams="always", chunk_type="ThingResponse", chunk_model="ThingResponse"
    )
    text = str(macros.service_method(m, ASYNC, GLOBAL))
    method = _method(text)
    assert isinstance(method, ast.FunctionDef)  # the stream call is awaitable itself
    assert "self._session.call" not in text
    assert "self._session.parse(ThingResponse, raw, ops.THING_GET)" in text
    assert "-> AsyncStreamCall[ThingResponse]:" in text


def test_text_chunks_and_opt_in_frames(macros: Any) -> None:
    m = dataclasses.replace(
        METHOD,
        streams="always",
        chunk_type="TextResult",
        chunk_model="ThingChunk",
        chunk_parser="_parse_thing_chunk",
        chunk_text_attr="response",
        chunk_opt_in=ChunkOptInIR("explain", "message_type", ["explain"]),
    )
    parse = str(macros.chunk_parse(m))
    assert parse == (
        'TextResult.from_response(_parse_thing_chunk(self._session, raw), "response") '
        'if explain or raw.get("message_type") not in ("explain", ) else SKIP'
    )
    ast.parse(parse)


def test_async_method_that_may_stream_returns_a_coroutine(macros: Any) -> None:
    m = dataclasses.replace(
        METHOD, streams="optional", chunk_type="ThingResponse", chunk_model="ThingResponse"
    )
    method = _method(macros.service_method(m, ASYNC, GLOBAL))
    assert isinstance(method, ast.FunctionDef)
    inner = [n for n in method.body if isinstance(n, ast.AsyncFunctionDef)]
    assert [n.name for n in inner] == ["whole"]
    assert isinstance(method.body[-1], ast.Return)


def test_http_route_fills_path_and_query(macros: Any) -> None:
    path = dataclasses.replace(KEY, location="path")
    query = dataclasses.replace(KEY, name="q", field_wire="q-wire", location="query")
    m = dataclasses.replace(
        METHOD, result_kind="http", http_method="GET", http_response="text", params=[path, query]
    )
    text = _body(macros.http_route(m, SYNC))
    assert 'method="GET"' in text and "key=key," in text and '{"q-wire": q},' in text
    assert text.rstrip().endswith("return reply.text")


def test_sync_and_async_render_the_same_method(macros: Any) -> None:
    sync = str(macros.service_method(METHOD, SYNC, GLOBAL))
    asynchronous = str(macros.service_method(METHOD, ASYNC, GLOBAL))
    assert asynchronous.replace("async def", "def").replace("await ", "") == sync


def test_preflight_and_bulk_methods_compile(macros: Any) -> None:
    bulk_op = dataclasses.replace(OP, constant="BULK_IMPORT_TRIPLES", wire_operation=None)
    pre = PreflightIR(
        constant="FLOW_GET",
        request_model="FlowRequest",
        wire_operation="get-flow",
        flow_field="flow_id",
        record_field="flow",
    )
    imp = BulkMethodIR(
        name="import_triples",
        direction="import",
        kind="triples",
        interface="triples-store",
        doc_lines=["Import."],
        operation=bulk_op,
        frame_model="Triples",
        item_model="Triple",
        item_module="common",
        items_field="triples",
        items_param="triples",
        params=[],
    )
    exp = dataclasses.replace(imp, name="export_triples", direction="export")
    assert "flow_id=self._flow" in str(macros.preflight(pre, SYNC, ACCESSOR))
    for flavour in (SYNC, ASYNC):
        _method(macros.preflight(pre, flavour, ACCESSOR))
        assert _method(macros.bulk_import(imp, flavour, ACCESSOR)).name == "import_triples"
        assert _method(macros.bulk_export(exp, flavour, ACCESSOR)).name == "export_triples"
    assert "AsyncIterable" in str(macros.bulk_import(imp, ASYNC, ACCESSOR))


def _signature(m: MethodIR) -> ast.arguments:
    return _method(macros_module().service_method(m, SYNC, GLOBAL)).args


def macros_module() -> Any:
    return _environment().get_template("resources/methods.j2").module


def test_params_after_the_positional_ones_are_keyword_only() -> None:
    two = dataclasses.replace(METHOD, params=[KEY, BLOB, VALUE], positional=1)
    args = _signature(two)
    assert [a.arg for a in args.args] == ["self", "key"]
    assert [a.arg for a in args.kwonlyargs] == ["blob", "value", "timeout", "extra_body"]
    every = _signature(dataclasses.replace(two, positional=None))
    assert [a.arg for a in every.args] == ["self", "key", "blob", "value"]


def test_service_methods_pass_extra_body_to_the_session(macros: Any) -> None:
    m = dataclasses.replace(METHOD, streams="optional", chunk_type="T", chunk_model="T")
    text = str(macros.service_method(m, SYNC, GLOBAL))
    assert text.count("extra_body: Mapping[str, Any] | None = None,") == 4  # 2 overloads
    assert text.count("extra_body=extra_body,") == 2  # the stream and the call
    http = dataclasses.replace(METHOD, result_kind="http", http_method="GET", http_response="json")
    assert "extra_body" not in str(macros.service_method(http, SYNC, GLOBAL))


def test_a_method_imports_its_models_in_its_body(macros: Any) -> None:
    m = dataclasses.replace(METHOD, models=[("thing", ["ThingRequest", "ThingResponse"])])
    node = _method(macros.service_method(m, SYNC, GLOBAL))
    body = [s for s in node.body if not isinstance(s, ast.Expr)]  # after the docstring
    first = body[0]
    assert isinstance(first, ast.ImportFrom) and first.level == 2
    assert first.module == "types.thing"
    assert [a.name for a in first.names] == ["ThingRequest", "ThingResponse"]
