"""The generated client over REST against the fake gateway: results, errors, settings."""

from __future__ import annotations

import gzip
import json
import time
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import tgclient
from tests.fakes.rest_gateway import FakeRestGateway
from tgclient import Api, AsyncApi, TextResult
from tgclient.types.config import ConfigResponse, ConfigValue

from .conftest import URL


def test_flow_list_and_config_list(api: Api) -> None:
    assert api.flow().list() == ["default"]
    assert api.config().list("prompt") == ["system"]


def test_text_completion_returns_text_with_usage(api: Api, gateway: FakeRestGateway) -> None:
    answer = api.flow().id("default").text_completion("Be brief.", "hello")
    assert isinstance(answer, TextResult) and isinstance(answer, str)
    assert answer == "echo: hello"
    assert (answer.in_token, answer.out_token, answer.model) == (5, 11, "fake-llm")
    path, body = gateway.requests[-1]
    assert path == "/api/v1/flow/default/service/text-completion"
    assert body == {"operation": "completion", "system": "Be brief.", "prompt": "hello"}


async def test_async_client_same_results(gateway: FakeRestGateway) -> None:
    async with AsyncApi(url=URL, http_client=gateway.async_client()) as api:
        assert await api.flow().list() == ["default"]
        assert await api.config().list("prompt") == ["system"]
        answer = await api.flow().id("default").text_completion("s", "hi")
        assert answer == "echo: hi" and answer.model == "fake-llm"


def test_config_round_trip(api: Api) -> None:
    config = api.config()
    config.put([{"type": "prompt", "key": "greeting", "value": "hello"}])
    got = config.get([{"type": "prompt", "key": "greeting"}, {"type": "prompt", "key": "nope"}])
    assert [(v.key, v.value) for v in got] == [("greeting", "hello"), ("nope", None)]
    assert all(isinstance(v, ConfigValue) for v in got)
    assert [v.key for v in config.get_values("prompt")] == ["greeting", "system"]
    whole = config.all()
    assert (
        isinstance(whole.response, ConfigResponse) and whole.config["prompt"]["greeting"] == "hello"
    )
    config_data, version = whole  # the official client's (config, version)
    assert config_data is whole.config and version == 7
    config.delete([{"type": "prompt", "key": "greeting"}])
    assert config.list("prompt") == ["system"]


def test_flow_lifecycle_and_json_fields(api: Api) -> None:
    flow = api.flow()
    flow.put_blueprint("mine", {"flow": {"x": 1}})
    assert flow.get_blueprint("mine") == {"flow": {"x": 1}}
    assert flow.list_blueprints() == ["mine", "stub"]
    flow.start(blueprint_name="mine", id="f2", description="second")
    assert flow.list() == ["default", "f2"]
    assert flow.get("f2")["blueprint-name"] == "mine"
    flow.stop("f2")
    flow.delete_blueprint("mine")
    assert flow.list() == ["default"]


def test_dropped_error_becomes_service_error(api: Api) -> None:
    # get-blueprint of a missing blueprint answers an empty definition (error dropped).
    with pytest.raises(tgclient.ServiceError, match="empty 'blueprint-definition'"):
        api.flow().get_blueprint("missing")


def test_workspace_goes_into_the_body(gateway: FakeRestGateway) -> None:
    api = Api(url=URL, workspace="other", http_client=gateway.client())
    with pytest.raises(tgclient.WorkspaceNotFoundError) as info:
        api.config().list("prompt")
    assert gateway.requests[-1][1]["workspace"] == "other"
    assert info.value.status == 404


ERROR_SHAPES: list[tuple[int, Any, type[tgclient.TrustGraphError], str | None, str]] = [
    (401, {"error": "auth failure"}, tgclient.AuthError, None, "auth failure"),
    (403, {"error": "access denied"}, tgclient.AccessDeniedError, None, "access denied"),
    (404, {"error": "unknown kind"}, tgclient.UnknownServiceError, None, "unknown kind"),
    (
        404,
        {"error": "workspace not found"},
        tgclient.WorkspaceNotFoundError,
        None,
        "workspace not found",
    ),
    (404, "Not Found", tgclient.NotFoundError, None, "HTTP 404"),
    (400, {"error": "unknown operation"}, tgclient.BadRequestError, None, "unknown operation"),
    (400, {"error": "invalid json"}, tgclient.BadRequestError, None, "invalid json"),
    (500, "boom", tgclient.APIStatusError, None, "HTTP 500"),
    (
        502,
        {"error": {"type": "upstream", "message": "bad gateway"}},
        tgclient.APIStatusError,
        "upstream",
        "bad gateway",
    ),
    (
        200,
        {"error": "Invalid flow default/x"},
        tgclient.BadRequestError,
        None,
        "Invalid flow default/x",
    ),
    (
        200,
        {"error": {"type": "gateway-error", "message": "'prompt'"}},
        tgclient.GatewayError,
        "gateway-error",
        "'prompt'",
    ),
    (
        200,
        {"error": {"type": "gateway-error", "message": ""}},
        tgclient.GatewayError,
        "gateway-error",
        "unknown error",
    ),
    (
        200,
        {"response": None, "error": {"type": "llm-error", "message": "quota"}},
        tgclient.ServiceError,
        "llm-error",
        "quota",
    ),
    (
        200,
        {"error": {"code": "agent-error", "message": "tool failed"}},
        tgclient.ServiceError,
        "agent-error",
        "tool failed",
    ),
    (200, ["not", "an", "object"], tgclient.BadRequestError, None, "expected a JSON object"),
]


@pytest.mark.parametrize(("status", "body", "cls", "error_type", "message"), ERROR_SHAPES)
def test_every_rest_error_shape(
    gateway: FakeRestGateway,
    status: int,
    body: Any,
    cls: type[tgclient.TrustGraphError],
    error_type: str | None,
    message: str,
) -> None:
    api = Api(url=URL, token="tg_secret-token", http_client=gateway.client())
    gateway.force(status, body)
    with pytest.raises(cls) as info:
        api.flow().id("default").text_completion("s", "p")
    err = info.value
    assert type(err) is cls
    assert err.status == status
    assert err.error_type == error_type
    assert message in err.message
    assert err.body == body
    assert err.service == "text-completion"
    for text in (str(err), repr(err), repr(err.body), str(err.args)):
        assert "tg_secret-token" not in text


async def test_async_error_shapes_match_sync(gateway: FakeRestGateway) -> None:
    async with AsyncApi(url=URL, http_client=gateway.async_client()) as api:
        for status, body, cls, _, message in ERROR_SHAPES:
            gateway.force(status, body)
            with pytest.raises(cls, match=message.replace("'", ".")):
                await api.flow().id("default").text_completion("s", "p")


def test_real_fake_errors(api: Api) -> None:
    with pytest.raises(tgclient.BadRequestError, match="Invalid flow default/nope"):
        api.flow().id("nope").text_completion("s", "p")


def test_bearer_token_is_sent(gateway: FakeRestGateway) -> None:
    gateway.token = "tg_abc"
    assert Api(url=URL, token="tg_abc", http_client=gateway.client()).flow().list() == ["default"]
    with pytest.raises(tgclient.AuthError):
        Api(url=URL, token="tg_wrong", http_client=gateway.client()).flow().list()


def test_transport_failures_are_typed() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    slow = Api(url=URL, http_client=httpx.Client(transport=httpx.MockTransport(timeout)))
    with pytest.raises(tgclient.RequestTimeoutError) as info:
        slow.flow().list(timeout=0.5)
    assert isinstance(info.value, TimeoutError) and "0.5 s" in str(info.value)
    down = Api(url=URL, http_client=httpx.Client(transport=httpx.MockTransport(refused)))
    with pytest.raises(tgclient.ConnectError) as info2:
        down.flow().list()
    assert isinstance(info2.value, ConnectionError)


class _Drip(httpx.SyncByteStream):
    """A body that keeps coming, each piece well within any per-read timeout."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"flows": ['
        for _ in range(200):
            time.sleep(0.05)
            yield b'"f", '


def test_a_dripping_body_stops_at_the_calls_deadline() -> None:
    def drip(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Drip())

    api = Api(url=URL, http_client=httpx.Client(transport=httpx.MockTransport(drip)))
    started = time.monotonic()
    with pytest.raises(tgclient.RequestTimeoutError) as info:
        api.flow().list(timeout=0.5)
    assert "0.5 s" in str(info.value)
    assert time.monotonic() - started < 5  # the body alone would take 10 s: it was cut short


def test_a_whole_answer_keeps_its_headers_and_decoded_body() -> None:
    def gzipped(request: httpx.Request) -> httpx.Response:
        body = gzip.compress(b'{"flow-ids": ["default"]}')
        return httpx.Response(200, content=body, headers={"content-encoding": "gzip"})

    api = Api(url=URL, http_client=httpx.Client(transport=httpx.MockTransport(gzipped)))
    assert api.flow().list() == ["default"]


@pytest.mark.parametrize(
    ("headers", "content_types"),
    [
        ({}, ["application/json"]),
        ({"content-type": "application/json; x=1"}, ["application/json; x=1"]),
    ],
)
def test_a_service_body_is_compact_utf8_json(
    headers: dict[str, str], content_types: list[str]
) -> None:
    """REST bodies go through the socket's codec; one Content-Type, the caller's if given."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"response": "ok"})

    client = httpx.Client(transport=httpx.MockTransport(record))
    api = Api(url=URL, http_client=client, headers=headers)
    api.flow().id("default").text_completion(system="é", prompt="q")
    (request,) = seen
    body = request.content.decode()
    assert json.loads(body)["system"] == "é"
    assert '"system":"é"' in body  # UTF-8, not escaped, and compact
    assert request.headers.get_list("content-type") == content_types


def test_unreachable_gateway_fails_fast() -> None:
    # Nothing listens on port 1: a real connection attempt, refused at once.
    with Api(url="http://127.0.0.1:1/", timeout=5) as api, pytest.raises(tgclient.ConnectError):
        api.flow().list()


def test_unsupported_operation_is_refused_without_sending(
    api: Api, gateway: FakeRestGateway
) -> None:
    with pytest.raises(tgclient.UnsupportedOperationError, match="cannot be served"):
        api.config().get_values_all_workspaces("prompt")
    assert gateway.requests == []


def test_bad_arguments_are_refused_without_sending(api: Api, gateway: FakeRestGateway) -> None:
    with pytest.raises(tgclient.RequestValidationError, match="keys") as info:
        api.config().get([{"type": "prompt"}])  # no "key"
    assert isinstance(info.value, ValueError)
    with pytest.raises(tgclient.RequestValidationError, match="JSON-serialisable"):
        api.flow().put_blueprint("x", {"bad": object()})
    assert gateway.requests == []


def test_lenient_keeps_unknown_fields_and_strict_refuses(gateway: FakeRestGateway) -> None:
    extra = {"version": 1, "values": [], "directory": ["a"], "config": {}, "added-later": 3}
    lenient = Api(url=URL, http_client=gateway.client())
    gateway.force(200, extra)
    whole = lenient.config().all()
    assert whole.model_extra == {"added-later": 3}
    strict = Api(url=URL, strict=True, http_client=gateway.client())
    gateway.force(200, extra)
    with pytest.raises(tgclient.ResponseValidationError, match="added-later"):
        strict.config().all()
    gateway.force(200, {"version": "seven", "values": [], "directory": [], "config": {}})
    with pytest.raises(tgclient.ResponseValidationError, match="version"):
        strict.config().all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"url": "ftp://host/"}, "accepted schemes are http://, https://, ws://, wss://"),
        ({"url": "localhost:8888"}, "accepted schemes"),
        ({"url": "http:///nohost"}, "names no host"),
        ({"url": "http://host:99999/"}, "invalid port"),
        ({"url": "http://host/?token=x"}, "query"),
        ({"url": ""}, "gateway address"),
        ({"transport": "grpc"}, "transport must be one of 'rest', 'websocket'"),
        ({"timeout": 0}, "positive number"),
        ({"workspace": ""}, "non-empty"),
    ],
)
def test_bad_settings_are_refused_at_construction(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(tgclient.ConfigurationError, match=match) as info:
        Api(**kwargs)
    assert isinstance(info.value, ValueError)


def test_url_forms_and_transport_selection() -> None:
    assert Api("http://h:8888/api/v1/").options.base_url == "http://h:8888/"
    assert Api("https://h/prefix").options.base_url == "https://h/prefix/"
    assert Api("http://h:8888/").options.transport == "rest"
    assert Api("http://h:8888/", transport="rest").options.ws_url() == "ws://h:8888/"


def test_verify_false_warns() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Api(url=URL, verify=False)
    assert any("verification is off" in str(w.message) for w in caught)


def test_token_never_in_repr() -> None:
    api = Api(url=URL, token="tg_very-secret")
    assert "tg_very-secret" not in repr(api) + repr(api.options) + str(api.options.token)


def test_set_token_rotates_the_bearer_header(gateway: FakeRestGateway) -> None:
    gateway.token = "tg_new"
    api = Api(url=URL, token="tg_old", http_client=gateway.client())
    with pytest.raises(tgclient.AuthError):
        api.flow().list()
    api.set_token("tg_new")
    assert api.flow().list() == ["default"]
    assert "tg_new" not in repr(api.options)


async def test_async_set_token(gateway: FakeRestGateway) -> None:
    gateway.token = "tg_new"
    async with AsyncApi(url=URL, http_client=gateway.async_client()) as api:
        with pytest.raises(tgclient.AuthError):
            await api.flow().list()
        await api.set_token("tg_new")
        assert await api.flow().list() == ["default"]


def test_idle_timeout_reaches_the_options() -> None:
    assert Api(url="ws://h:1/", idle_timeout=2.5).options.idle_timeout == 2.5
    with pytest.raises(tgclient.ConfigurationError, match="idle_timeout"):
        Api(url=URL, idle_timeout=-1)


def test_socket_sibling_uses_the_websocket() -> None:
    from tests.fakes.ws_gateway import FakeGateway

    with FakeGateway(fallback="echo") as fake:
        with Api(url=fake.url.replace("ws://", "http://"), workspace="default") as api:
            sock = api.socket()
            assert sock is api.socket() and sock.options.transport == "websocket"
            assert sock.socket() is sock
            sock.config().list("prompt")
        assert fake.envelopes[-1]["service"] == "config"
        assert fake.envelopes[-1]["request"] == {
            "operation": "list",
            "type": "prompt",
            "workspace": "default",
        }


def test_an_answer_that_is_not_the_gateways_names_the_url_and_the_likely_cause(
    gateway: FakeRestGateway,
) -> None:
    api = Api(url=URL, token="tg_secret-token", http_client=gateway.client())
    gateway.force(404, "<html><head><title>404 Not Found</title></head></html>")
    with pytest.raises(tgclient.NotFoundError) as info:
        api.flow().list()
    text = str(info.value)
    assert "HTTP 404 from http://127.0.0.1:8888/api/v1/flow: 404 Not Found" in text
    assert "not a TrustGraph API Gateway" in text and "tg_secret-token" not in text


def test_a_refused_connection_names_the_url_it_tried() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = Api(url=f"http://127.0.0.1:{port}/", token="tg_secret-token")
    with api, pytest.raises(tgclient.ConnectError) as info:
        api.flow().list()
    text = str(info.value)
    assert f"cannot connect to the gateway at http://127.0.0.1:{port}/api/v1/flow" in text
    assert "tg_secret-token" not in text
