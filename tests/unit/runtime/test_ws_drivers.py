"""Behaviour both WebSocket drivers share, each test run against the sync and the async driver.

Driver-specific behaviour (threads sharing a socket, concurrent tasks, cancellation, event
loops) stays in test_ws_sync.py and test_ws_async.py. Timings are only bounded generously, to
prove that nothing hangs on a shared, noisy machine.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.protocol import State

from tests.fakes.json_http import json_http_server
from tests.fakes.ws_driver import (
    BIG,
    ECHO,
    NEVER,
    SCRIPT,
    SECRET,
    STREAM,
    WS_ECHO,
    Driver,
    Kind,
    op,
)
from tests.fakes.ws_gateway import FakeGateway
from tgclient_runtime import (
    AuthError,
    BadRequestError,
    ClientOptions,
    ConnectError,
    GatewayError,
    Operation,
    RequestTimeoutError,
    ServiceError,
    UnknownServiceError,
    WorkspaceNotFoundError,
)
from tgclient_runtime.ws_async import AsyncWebSocketTransport
from tgclient_runtime.ws_sync import SyncWebSocketTransport

SOCKETS = {"sync": SyncWebSocketTransport, "async": AsyncWebSocketTransport}


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> Kind:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway() as gw:
        yield gw


@pytest.fixture
def connect(kind: Kind) -> Iterator[Callable[..., Driver]]:
    drivers: list[Driver] = []

    def make(gw: FakeGateway | str, **kwargs: Any) -> Driver:
        url = gw if isinstance(gw, str) else gw.url
        driver = Driver(kind, ClientOptions.build(url=url, **kwargs))
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.close()


def wait_for(condition: Callable[[], bool], limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.01)


# -- basics -----------------------------------------------------------------------------------


def test_websocket_url_or_transport_selects_the_socket(
    gateway: FakeGateway, connect: Any, kind: Kind
) -> None:
    assert isinstance(connect(gateway).socket, SOCKETS[kind])
    over_http = connect(gateway.url.replace("ws:", "http:"), transport="websocket")
    assert isinstance(over_http.socket, SOCKETS[kind])


def test_round_trip_envelope_and_adopted_workspace(gateway: FakeGateway, connect: Any) -> None:
    gateway.default_workspace = "research"
    client = connect(gateway, token=SECRET)
    answer = client.call(ECHO, {"q": 1}, flow="f1")
    assert answer == {"echo": {"q": 1}, "workspace": "research", "flow": "f1"}
    assert gateway.auth_tokens == [SECRET]
    envelope = gateway.envelopes[-1]
    assert envelope["service"] == "echo" and envelope["flow"] == "f1"
    assert envelope["workspace"] == "research" and isinstance(envelope["id"], str)
    assert client.socket._core.workspace == "research"


def test_user_workspace_is_not_replaced(gateway: FakeGateway, connect: Any) -> None:
    gateway.default_workspace = "research"
    client = connect(gateway, workspace="mine")
    assert client.call(WS_ECHO, {}, flow=None)["workspace"] == "mine"
    assert gateway.envelopes[-1]["request"]["workspace"] == "mine"


def test_headers_and_user_agent_reach_the_handshake(gateway: FakeGateway, connect: Any) -> None:
    connect(gateway, headers={"X-Trace": "abc"}).call(ECHO, {}, flow="f")
    headers = gateway.handshake_headers[-1]
    assert headers["x-trace"] == "abc" and headers["user-agent"].startswith("tgclient/")
    assert "authorization" not in headers  # the token travels only in the auth frame


def test_final_frame_is_the_answer_not_the_first(gateway: FakeGateway, connect: Any) -> None:
    frames = [
        {"response": {"kind": "explain", "done": False}, "complete": False},
        {"response": {"kind": "chunk", "text": "Hel", "done": False}, "complete": False},
        {"response": {"kind": "answer", "text": "Hello", "done": True}, "complete": True},
    ]
    client = connect(gateway)
    assert client.call(SCRIPT, {"frames": frames}, flow="f")["text"] == "Hello"
    assert client.collect(SCRIPT, {"frames": frames}, flow="f") == [f["response"] for f in frames]


def test_end_field_ends_the_call_without_complete(gateway: FakeGateway, connect: Any) -> None:
    frames = [
        {"response": {"n": 1, "done": False}},
        {"response": {"n": 2, "done": True}, "complete": False},
    ]
    client = connect(gateway, timeout=10)
    assert client.call(SCRIPT, {"frames": frames}, flow="f") == {"n": 2, "done": True}


def test_big_frame_of_3_mib(gateway: FakeGateway, connect: Any) -> None:
    size = 3 * 1024 * 1024
    answer = connect(gateway, timeout=30).call(BIG, {"size": size}, flow="f")
    assert len(answer["blob"]) == size


def test_stream_on_rest_is_refused(connect: Any) -> None:
    client = connect("http://127.0.0.1:9/")
    with pytest.raises(NotImplementedError, match="WebSocket"):
        client.stream(STREAM, {}, flow="f")


# -- errors -----------------------------------------------------------------------------------

ERRORS = [
    ({"error": {"message": "auth failure", "type": "auth-required"}, "complete": True}, AuthError),
    ({"error": {"message": "m", "type": "access-denied"}, "complete": True}, Exception),
    ({"error": "Invalid flow default/nope", "complete": True}, BadRequestError),
    ({"error": {"message": "Bad message", "type": "error"}, "complete": True}, BadRequestError),
    (
        {"response": {"error": {"type": "gateway-error", "message": ""}}, "complete": True},
        GatewayError,
    ),
    # knowledge / document-rag style: complete stays false and nothing follows
    ({"error": {"type": "not-implemented", "message": "no"}, "complete": False}, ServiceError),
    ({"response": {"error": {"type": "x-error", "message": "m"}}, "complete": False}, ServiceError),
]


@pytest.mark.parametrize(("frame", "cls"), ERRORS)
def test_error_frames_raise_typed_errors(
    gateway: FakeGateway, connect: Any, frame: dict[str, Any], cls: type[Exception]
) -> None:
    client = connect(gateway, timeout=20)
    started = time.monotonic()
    with pytest.raises(cls) as caught:
        client.call(SCRIPT, {"frames": [frame]}, flow="f")
    assert time.monotonic() - started < 10  # terminal at once, even with complete: false
    assert caught.value.service == "script"  # type: ignore[attr-defined]


def test_unknown_service_and_unknown_workspace(gateway: FakeGateway, connect: Any) -> None:
    with pytest.raises(UnknownServiceError):
        connect(gateway).call(op("no-such-thing"), {}, flow="f")
    gateway.workspaces = {"default"}
    with pytest.raises(WorkspaceNotFoundError):
        connect(gateway, workspace="nope").call(ECHO, {}, flow="f")


def test_error_mid_stream_after_chunks(gateway: FakeGateway, connect: Any) -> None:
    frames = [
        {"response": {"n": 1}},
        {"response": {"n": 2}},
        {"response": {"error": {"type": "x-error", "message": "broke"}}},
        {"response": {"n": 3}, "complete": True},
    ]
    stream = connect(gateway).stream(SCRIPT, {"frames": frames}, flow="f")
    assert [next(stream)["n"], next(stream)["n"]] == [1, 2]
    with pytest.raises(ServiceError, match="broke"):
        next(stream)
    assert list(stream) == []


def test_auth_failure_never_shows_the_token(gateway: FakeGateway, connect: Any) -> None:
    gateway.tokens = {"tg_good": "w"}
    client = connect(gateway, token=SECRET)
    with pytest.raises(AuthError) as caught:
        client.call(ECHO, {}, flow="f")
    for text in (str(caught.value), repr(caught.value), repr(client.socket)):
        assert SECRET not in text
    assert SECRET not in repr(client.session.options)
    assert gateway.auth_tokens == [SECRET]


def test_token_never_logged(
    gateway: FakeGateway, connect: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = connect(gateway, token=SECRET)
    client.call(ECHO, {}, flow="f")
    client.set_token(SECRET + "_2")
    gateway.close_all()
    client.call(ECHO, {}, flow="f")
    assert gateway.auth_tokens == [SECRET, SECRET + "_2", SECRET + "_2"]
    client_logs = [r for r in caplog.records if not r.name.startswith("websockets.server")]
    assert not any(SECRET in r.getMessage() for r in client_logs)


def test_cannot_connect_is_a_connection_error(connect: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = connect(f"ws://127.0.0.1:{port}/", token=SECRET)
    started = time.monotonic()
    with pytest.raises(ConnectError) as caught:
        client.call(ECHO, {}, flow="f")
    assert isinstance(caught.value, ConnectionError)
    assert time.monotonic() - started < 20
    assert SECRET not in str(caught.value)


# -- time -------------------------------------------------------------------------------------


def test_never_answering_times_out_and_frees_the_slot(gateway: FakeGateway, connect: Any) -> None:
    client = connect(gateway)
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match="no answer within"):
        client.call(NEVER, {}, flow="f", timeout=0.3)
    assert time.monotonic() - started < 10
    assert isinstance(RequestTimeoutError("x"), TimeoutError)
    assert client.socket._core.in_flight == 0
    assert client.call(ECHO, {"after": 1}, flow="f")["echo"] == {"after": 1}


def test_idle_timeout_fires_between_frames(gateway: FakeGateway, connect: Any) -> None:
    client = connect(gateway, idle_timeout=0.3, timeout=60)
    stream = client.stream(STREAM, {"chunks": 3, "delay": 2.0}, flow="f")
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match="no frame for"):
        next(stream)
    assert time.monotonic() - started < 10


def test_idle_timeout_is_reset_by_each_frame(gateway: FakeGateway, connect: Any) -> None:
    client = connect(gateway, idle_timeout=2.0, timeout=60)
    chunks = client.collect(STREAM, {"chunks": 4, "delay": 0.2}, flow="f")
    assert [c["index"] for c in chunks] == [0, 1, 2, 3]


def test_closing_a_stream_frees_its_slot(gateway: FakeGateway, connect: Any) -> None:
    client = connect(gateway, timeout=30)
    streams = [client.stream(NEVER, {}, flow="f") for _ in range(15)]
    with pytest.raises(RequestTimeoutError, match="no free slot"):
        client.call(ECHO, {}, flow="f", timeout=0.3)
    for stream in streams:
        stream.close()  # type: ignore[attr-defined]
    assert client.call(ECHO, {"ok": 1}, flow="f", timeout=10)["echo"] == {"ok": 1}
    assert client.socket._core.waiting() == []


# -- faults -----------------------------------------------------------------------------------


def test_server_closing_mid_request(gateway: FakeGateway, connect: Any) -> None:
    from tgclient_runtime import ConnectionClosedError

    client = connect(gateway)
    with pytest.raises(ConnectionClosedError):
        client.call(op("close"), {}, flow="f")
    assert client.call(ECHO, {"n": 1}, flow="f")["echo"] == {"n": 1}


@pytest.mark.parametrize("abort", [False, True], ids=["close-frame", "tcp-drop"])
def test_proxy_idle_close_between_calls(connect: Any, abort: bool) -> None:
    with FakeGateway(idle_close=0.3, idle_close_abort=abort) as gateway:
        client = connect(gateway, token=SECRET, timeout=10)
        assert client.call(ECHO, {"n": 1}, flow="f")["echo"] == {"n": 1}
        wait_for(lambda: gateway.open_connections() == 0)
        # what a real client sees too: websockets notices the close by itself
        wait_for(lambda: client.socket._conn is None or client.socket._conn.state is not State.OPEN)
        assert client.call(ECHO, {"n": 2}, flow="f")["echo"] == {"n": 2}
        assert gateway.connections_opened == 2
        assert gateway.auth_tokens == [SECRET, SECRET]


# -- token changes ----------------------------------------------------------------------------


def test_set_token_reauthenticates_the_open_socket(gateway: FakeGateway, connect: Any) -> None:
    gateway.tokens = {"tg_a": "wa", "tg_b": "wb"}
    client = connect(gateway, token="tg_a")
    assert client.call(ECHO, {}, flow="f")["workspace"] == "wa"
    client.set_token("tg_b")
    assert gateway.auth_tokens == ["tg_a", "tg_b"] and gateway.connections_opened == 1
    assert client.call(ECHO, {}, flow="f")["workspace"] == "wb"
    with pytest.raises(AuthError):
        client.set_token("tg_refused")
    # the gateway kept the previous identity, and so does the client
    assert client.call(ECHO, {}, flow="f")["workspace"] == "wb"
    gateway.close_all()
    assert client.call(ECHO, {}, flow="f")["workspace"] == "wb"
    assert gateway.auth_tokens[-1] == "tg_b"


def test_set_token_before_connecting(gateway: FakeGateway, connect: Any) -> None:
    client = connect(gateway, token="tg_a")
    client.set_token("tg_b")
    client.call(ECHO, {}, flow="f")
    assert gateway.auth_tokens == ["tg_b"]


def test_routes_the_socket_does_not_carry_go_over_rest(connect: Any, kind: Kind) -> None:
    """Auth-route operations exist only as HTTP routes; a socket client sends them there."""
    login = Operation(
        service="login",
        name="login",
        surface="auth",
        rest_path="api/v1/auth/login",
        via_socket=False,
    )
    with json_http_server(lambda _path, _body: {"jwt": "x"}) as (url, seen):
        client = connect(url.replace("http:", "ws:"))
        assert isinstance(client.socket, SOCKETS[kind])
        assert client.call(login, {"username": "u"}) == {"jwt": "x"}
        assert seen == [("/api/v1/auth/login", {"username": "u"})]
