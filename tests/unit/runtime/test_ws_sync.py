"""The blocking WebSocket transport against the loopback fake gateway.

Timings are only bounded generously, to prove that nothing hangs on a shared, noisy machine.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.protocol import State

from tests.fakes.ws_gateway import FakeGateway
from tgclient_runtime import (
    AuthError,
    BadRequestError,
    ClientOptions,
    ConnectError,
    ConnectionClosedError,
    GatewayError,
    Operation,
    RequestTimeoutError,
    ServiceError,
    StreamEnd,
    SyncSession,
    UnknownServiceError,
    WorkspaceNotFoundError,
)
from tgclient_runtime.ws_sync import SyncWebSocketTransport


def op(service: str, *, end: str | None = None, surface: str = "flow") -> Operation:
    return Operation(
        service=service,
        name=service,
        surface=surface,  # type: ignore[arg-type]
        rest_path=service,
        streams="optional",
        end=StreamEnd(end),
        workspace_in_body=surface in ("flow", "workspace"),
    )


ECHO, SLOW, NEVER, BIG = op("echo"), op("slow"), op("never"), op("big")
STREAM, SCRIPT = op("stream", end="last"), op("script", end="done")
WS_ECHO = op("echo", surface="workspace")
SECRET = "tg_very_secret_token_42"


def collect(session: SyncSession, op: Operation, request: Any, **kw: Any) -> list[Any]:
    """Every frame's response of one streamed request, in order."""
    return list(session.stream(op, request, parse=identity, **kw))


def identity(response: dict[str, Any]) -> dict[str, Any]:
    return response


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway() as gw:
        yield gw


@pytest.fixture
def connect() -> Iterator[Callable[..., SyncSession]]:
    sessions: list[SyncSession] = []

    def make(gw: FakeGateway, **kwargs: Any) -> SyncSession:
        session = SyncSession(ClientOptions.build(url=gw.url, **kwargs))
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()


def run_threads(target: Callable[[int], None], count: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrap(k: int) -> None:
        try:
            target(k)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=wrap, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
        assert not thread.is_alive(), "a caller thread hung"
    return errors


def wait_for(condition: Callable[[], bool], limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.01)


# -- basics -----------------------------------------------------------------------------------


def test_websocket_url_selects_the_socket_transport(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)
    assert isinstance(session._socket, SyncWebSocketTransport)
    over_http = SyncSession(
        ClientOptions.build(url=gateway.url.replace("ws:", "http:"), transport="websocket")
    )
    assert isinstance(over_http._socket, SyncWebSocketTransport)
    over_http.close()


def test_round_trip_envelope_and_adopted_workspace(gateway: FakeGateway, connect: Any) -> None:
    gateway.default_workspace = "research"
    session = connect(gateway, token=SECRET)
    answer = session.call(ECHO, {"q": 1}, flow="f1")
    assert answer == {"echo": {"q": 1}, "workspace": "research", "flow": "f1"}
    assert gateway.auth_tokens == [SECRET]
    envelope = gateway.envelopes[-1]
    assert envelope["service"] == "echo" and envelope["flow"] == "f1"
    assert envelope["workspace"] == "research" and isinstance(envelope["id"], str)
    assert session._socket.workspace == "research"


def test_user_workspace_is_not_replaced(gateway: FakeGateway, connect: Any) -> None:
    gateway.default_workspace = "research"
    session = connect(gateway, workspace="mine")
    assert session.call(WS_ECHO, {}, flow=None)["workspace"] == "mine"
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
    session = connect(gateway)
    assert session.call(SCRIPT, {"frames": frames}, flow="f")["text"] == "Hello"
    assert collect(session, SCRIPT, {"frames": frames}, flow="f") == [f["response"] for f in frames]


def test_end_field_ends_the_call_without_complete(gateway: FakeGateway, connect: Any) -> None:
    frames = [
        {"response": {"n": 1, "done": False}},
        {"response": {"n": 2, "done": True}, "complete": False},
    ]
    session = connect(gateway, timeout=10)
    assert session.call(SCRIPT, {"frames": frames}, flow="f") == {"n": 2, "done": True}


def test_big_frame_of_3_mib(gateway: FakeGateway, connect: Any) -> None:
    size = 3 * 1024 * 1024
    answer = connect(gateway, timeout=30).call(BIG, {"size": size}, flow="f")
    assert len(answer["blob"]) == size


def test_runs_inside_a_running_event_loop(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)

    async def inside() -> dict[str, Any]:
        return session.call(ECHO, {"in": "loop"}, flow="f")

    assert asyncio.run(inside())["echo"] == {"in": "loop"}


def test_stream_on_rest_is_refused() -> None:
    session = SyncSession(ClientOptions.build(url="http://127.0.0.1:9/"))
    with pytest.raises(NotImplementedError, match="WebSocket"):
        session.stream(STREAM, {}, parse=identity, flow="f")
    session.close()


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
    session = connect(gateway, timeout=20)
    started = time.monotonic()
    with pytest.raises(cls) as caught:
        session.call(SCRIPT, {"frames": [frame]}, flow="f")
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
    stream = connect(gateway).stream(SCRIPT, {"frames": frames}, parse=identity, flow="f")
    assert [next(stream)["n"], next(stream)["n"]] == [1, 2]
    with pytest.raises(ServiceError, match="broke"):
        next(stream)
    assert list(stream) == []


def test_auth_failure_never_shows_the_token(gateway: FakeGateway, connect: Any) -> None:
    gateway.tokens = {"tg_good": "w"}
    session = connect(gateway, token=SECRET)
    with pytest.raises(AuthError) as caught:
        session.call(ECHO, {}, flow="f")
    for text in (str(caught.value), repr(caught.value), repr(session._socket)):
        assert SECRET not in text
    assert SECRET not in repr(session.options)
    assert gateway.auth_tokens == [SECRET]


def test_token_never_logged(
    gateway: FakeGateway, connect: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session = connect(gateway, token=SECRET)
    session.call(ECHO, {}, flow="f")
    session.set_token(SECRET + "_2")
    gateway.close_all()
    session.call(ECHO, {}, flow="f")
    assert gateway.auth_tokens == [SECRET, SECRET + "_2", SECRET + "_2"]
    client_logs = [r for r in caplog.records if not r.name.startswith("websockets.server")]
    assert not any(SECRET in r.getMessage() for r in client_logs)


def test_cannot_connect_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    session = SyncSession(ClientOptions.build(url=f"ws://127.0.0.1:{port}/", token=SECRET))
    started = time.monotonic()
    with pytest.raises(ConnectError) as caught:
        session.call(ECHO, {}, flow="f")
    assert isinstance(caught.value, ConnectionError)
    assert time.monotonic() - started < 20
    assert SECRET not in str(caught.value)
    session.close()


# -- time -------------------------------------------------------------------------------------


def test_never_answering_times_out_and_frees_the_slot(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match="no answer within"):
        session.call(NEVER, {}, flow="f", timeout=0.3)
    assert time.monotonic() - started < 10
    assert isinstance(RequestTimeoutError("x"), TimeoutError)
    assert session._socket._core.in_flight == 0
    assert session.call(ECHO, {"after": 1}, flow="f")["echo"] == {"after": 1}


def test_idle_timeout_fires_between_frames(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway, idle_timeout=0.3, timeout=60)
    stream = session.stream(STREAM, {"chunks": 3, "delay": 2.0}, parse=identity, flow="f")
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match="no frame for"):
        next(stream)
    assert time.monotonic() - started < 10


def test_idle_timeout_is_reset_by_each_frame(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway, idle_timeout=2.0, timeout=60)
    chunks = collect(session, STREAM, {"chunks": 4, "delay": 0.2}, flow="f")
    assert [c["index"] for c in chunks] == [0, 1, 2, 3]


def test_slow_answers_overlap(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)
    started = time.monotonic()
    errors = run_threads(lambda k: session.call(SLOW, {"delay": 0.5}, flow="f"), 10)
    assert not errors
    assert time.monotonic() - started < 4.5  # ten 0.5 s calls, not one after another


# -- concurrency ------------------------------------------------------------------------------


def test_threads_share_one_socket(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)

    def calls(k: int) -> None:
        for i in range(25):
            answer = session.call(ECHO, {"k": k, "i": i}, flow=f"f{k}")
            assert answer["echo"] == {"k": k, "i": i} and answer["flow"] == f"f{k}"

    assert run_threads(calls, 8) == []
    assert gateway.connections_opened == 1
    assert len(gateway.envelopes) == 200


def test_at_most_15_in_flight(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)
    assert run_threads(lambda k: session.call(SLOW, {"delay": 0.5}, flow="f"), 30) == []
    assert 10 <= gateway.max_in_flight <= 15


def test_interleaved_streams_in_one_thread(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)
    a = session.stream(STREAM, {"chunks": 5, "end_field": "last"}, parse=identity, flow="f")
    b = session.stream(STREAM, {"chunks": 3, "end_field": "last"}, parse=identity, flow="f")
    got_a, got_b = [next(a)["index"]], [next(b)["index"]]
    got_a += [next(a)["index"]]
    got_b += [c["index"] for c in b]
    got_a += [c["index"] for c in a]
    assert got_a == [0, 1, 2, 3, 4] and got_b == [0, 1, 2]


def test_streams_across_threads(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)

    def consume(k: int) -> None:
        request = {"chunks": 4 + k, "delay": 0.01}
        with session.stream(STREAM, request, parse=identity, flow="f") as stream:
            assert [c["index"] for c in stream] == list(range(4 + k))

    assert run_threads(consume, 6) == []


def test_closing_a_stream_frees_its_slot(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway, timeout=30)
    streams = [session.stream(NEVER, {}, parse=identity, flow="f") for _ in range(15)]
    with pytest.raises(RequestTimeoutError, match="no free slot"):
        session.call(ECHO, {}, flow="f", timeout=0.3)
    for stream in streams:
        stream.close()
    assert session.call(ECHO, {"ok": 1}, flow="f", timeout=10)["echo"] == {"ok": 1}


def test_unread_streams_do_not_block_others(gateway: FakeGateway, connect: Any) -> None:
    """Final frames of streams nobody is reading still free their slots."""
    session = connect(gateway, timeout=30)
    streams = [session.stream(STREAM, {"chunks": 2}, parse=identity, flow="f") for _ in range(15)]
    assert session.call(ECHO, {"ok": 1}, flow="f", timeout=10)["echo"] == {"ok": 1}
    assert all(len(list(s)) == 2 for s in streams)


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize("abort", [False, True], ids=["close-frame", "tcp-drop"])
def test_drop_fails_every_pending_request_at_once(
    gateway: FakeGateway, connect: Any, abort: bool
) -> None:
    session = connect(gateway, timeout=60)
    failures: list[BaseException] = []

    def wait_forever(k: int) -> None:
        try:
            session.call(NEVER, {"k": k}, flow="f")
        except ConnectionClosedError as exc:
            failures.append(exc)

    threads = [threading.Thread(target=wait_forever, args=(k,)) for k in range(5)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(gateway.envelopes) == 5)
    started = time.monotonic()
    if abort:
        gateway.abort_all()
    else:
        gateway.close_all()
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    assert time.monotonic() - started < 15
    assert len(failures) == 5
    assert all(isinstance(f, ConnectionError) and "not retried" in str(f) for f in failures)
    # the next call reconnects and authenticates again; nothing was replayed
    assert session.call(ECHO, {}, flow="f")["echo"] == {}
    assert gateway.connections_opened == 2 and len(gateway.auth_tokens) == 2
    assert len(gateway.envelopes) == 6


def test_server_closing_mid_request(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)
    with pytest.raises(ConnectionClosedError):
        session.call(op("close"), {}, flow="f")
    assert session.call(ECHO, {"n": 1}, flow="f")["echo"] == {"n": 1}


@pytest.mark.parametrize("abort", [False, True], ids=["close-frame", "tcp-drop"])
def test_proxy_idle_close_between_calls(connect: Any, abort: bool) -> None:
    with FakeGateway(idle_close=0.3, idle_close_abort=abort) as gateway:
        session = connect(gateway, token=SECRET, timeout=10)
        assert session.call(ECHO, {"n": 1}, flow="f")["echo"] == {"n": 1}
        wait_for(lambda: gateway.open_connections() == 0)
        # what a real client sees too: websockets' reader thread notices the close by itself
        wait_for(lambda: session._socket._conn.state is not State.OPEN)
        assert session.call(ECHO, {"n": 2}, flow="f")["echo"] == {"n": 2}
        assert gateway.connections_opened == 2
        assert gateway.auth_tokens == [SECRET, SECRET]
        session.close()


# -- token changes ----------------------------------------------------------------------------


def test_set_token_reauthenticates_the_open_socket(gateway: FakeGateway, connect: Any) -> None:
    gateway.tokens = {"tg_a": "wa", "tg_b": "wb"}
    session = connect(gateway, token="tg_a")
    assert session.call(ECHO, {}, flow="f")["workspace"] == "wa"
    session.set_token("tg_b")
    assert gateway.auth_tokens == ["tg_a", "tg_b"] and gateway.connections_opened == 1
    assert session.call(ECHO, {}, flow="f")["workspace"] == "wb"
    with pytest.raises(AuthError):
        session.set_token("tg_refused")
    # the gateway kept the previous identity, and so does the client
    assert session.call(ECHO, {}, flow="f")["workspace"] == "wb"
    gateway.close_all()
    assert session.call(ECHO, {}, flow="f")["workspace"] == "wb"
    assert gateway.auth_tokens[-1] == "tg_b"


def test_set_token_before_connecting(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway, token="tg_a")
    session.set_token("tg_b")
    session.call(ECHO, {}, flow="f")
    assert gateway.auth_tokens == ["tg_b"]


def test_chaos_never_hangs_or_mixes_answers(gateway: FakeGateway, connect: Any) -> None:
    """Calls, streams and time-outs from many threads while the gateway keeps dropping."""
    session = connect(gateway, timeout=20)
    stop = threading.Event()

    def dropper() -> None:
        while not stop.wait(0.25):
            gateway.abort_all()

    def work(k: int) -> None:
        for i in range(30):
            kind = (k + i) % 4
            try:
                if kind == 0:
                    assert session.call(ECHO, {"k": k, "i": i}, flow="f")["echo"] == {
                        "k": k,
                        "i": i,
                    }
                elif kind == 1:
                    chunks = collect(session, STREAM, {"chunks": 3, "delay": 0.01}, flow="f")
                    assert [c["index"] for c in chunks] == [0, 1, 2]
                elif kind == 2:
                    with pytest.raises(RequestTimeoutError):
                        session.call(NEVER, {}, flow="f", timeout=0.05)
                else:
                    session.call(SLOW, {"delay": 0.05}, flow="f")
            except ConnectionClosedError:
                pass

    chaos = threading.Thread(target=dropper)
    chaos.start()
    try:
        errors = run_threads(work, 8)
    finally:
        stop.set()
        chaos.join()
    assert errors == []
    assert gateway.connections_opened > 1  # the drops did happen
    assert session._socket._core.in_flight == 0
    assert session.call(ECHO, {"end": 1}, flow="f")["echo"] == {"end": 1}


def test_routes_the_socket_does_not_carry_go_over_rest(connect: Any) -> None:
    """Auth-route operations exist only as HTTP routes; the socket transport sends them there."""
    seen: list[tuple[str, Any]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, body))
            payload = json.dumps({"jwt": "x"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        login = Operation(
            service="login",
            name="login",
            surface="auth",
            rest_path="api/v1/auth/login",
            via_socket=False,
        )
        url = f"ws://127.0.0.1:{server.server_address[1]}/"
        session = SyncSession(ClientOptions.build(url=url))
        assert isinstance(session._socket, SyncWebSocketTransport)
        assert session.call(login, {"username": "u"}) == {"jwt": "x"}
        assert seen == [("/api/v1/auth/login", {"username": "u"})]
        session.close()
    finally:
        server.shutdown()
        server.server_close()
