"""The asyncio WebSocket transport against the loopback fake gateway.

Timings are only bounded generously, to prove that nothing hangs on a shared, noisy machine.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from tests.fakes.ws_gateway import FakeGateway
from tgclient_runtime import (
    AsyncSession,
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
    UnknownServiceError,
)
from tgclient_runtime.ws_async import AsyncWebSocketTransport


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
SECRET = "tg_very_secret_token_42"


async def collect(session: AsyncSession, op: Operation, request: Any, **kw: Any) -> list[Any]:
    """Every frame's response of one streamed request, in order."""
    return [chunk async for chunk in await session.stream(op, request, parse=identity, **kw)]


def identity(response: dict[str, Any]) -> dict[str, Any]:
    return response


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway() as gw:
        yield gw


@pytest.fixture
async def connect() -> AsyncIterator[Callable[..., AsyncSession]]:
    sessions: list[AsyncSession] = []

    def make(gw: FakeGateway, **kwargs: Any) -> AsyncSession:
        session = AsyncSession(ClientOptions.build(url=gw.url, **kwargs))
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        await session.close()


async def wait_for(condition: Callable[[], bool], limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "condition never became true"
        await asyncio.sleep(0.01)


async def bounded(awaitable: Awaitable[Any], limit: float = 30.0) -> Any:
    """Fail instead of hanging."""
    return await asyncio.wait_for(awaitable, limit)


# -- basics -----------------------------------------------------------------------------------


async def test_round_trip_and_adopted_workspace(gateway: FakeGateway, connect: Any) -> None:
    gateway.default_workspace = "research"
    session = connect(gateway, token=SECRET)
    assert isinstance(session._socket, AsyncWebSocketTransport)
    answer = await bounded(session.call(ECHO, {"q": 1}, flow="f1"))
    assert answer == {"echo": {"q": 1}, "workspace": "research", "flow": "f1"}
    assert gateway.auth_tokens == [SECRET]
    assert gateway.envelopes[-1]["workspace"] == "research"


async def test_twenty_concurrent_first_calls_open_one_connection(
    gateway: FakeGateway, connect: Any
) -> None:
    session = connect(gateway)
    answers = await bounded(
        asyncio.gather(*(session.call(ECHO, {"i": i}, flow="f") for i in range(20)))
    )
    assert [a["echo"]["i"] for a in answers] == list(range(20))
    assert gateway.connections_opened == 1 and gateway.auth_tokens == [""]


async def test_final_frame_is_the_answer_not_the_first(gateway: FakeGateway, connect: Any) -> None:
    frames = [
        {"response": {"kind": "explain", "done": False}, "complete": False},
        {"response": {"kind": "answer", "text": "Hello", "done": True}, "complete": True},
    ]
    session = connect(gateway)
    assert (await bounded(session.call(SCRIPT, {"frames": frames}, flow="f")))["text"] == "Hello"
    collected = await bounded(collect(session, SCRIPT, {"frames": frames}, flow="f"))
    assert collected == [f["response"] for f in frames]


async def test_big_frame_of_3_mib(gateway: FakeGateway, connect: Any) -> None:
    size = 3 * 1024 * 1024
    answer = await bounded(connect(gateway, timeout=30).call(BIG, {"size": size}, flow="f"))
    assert len(answer["blob"]) == size


async def test_stream_on_rest_is_refused() -> None:
    session = AsyncSession(ClientOptions.build(url="http://127.0.0.1:9/"))
    with pytest.raises(NotImplementedError, match="WebSocket"):
        await session.stream(STREAM, {}, parse=identity, flow="f")
    await session.close()


# -- errors -----------------------------------------------------------------------------------

ERRORS = [
    ({"error": {"message": "auth failure", "type": "auth-required"}, "complete": True}, AuthError),
    ({"error": "Invalid flow default/nope", "complete": True}, BadRequestError),
    (
        {"response": {"error": {"type": "gateway-error", "message": ""}}, "complete": True},
        GatewayError,
    ),
    ({"error": {"type": "not-implemented", "message": "no"}, "complete": False}, ServiceError),
    ({"response": {"error": {"type": "x-error", "message": "m"}}, "complete": False}, ServiceError),
]


@pytest.mark.parametrize(("frame", "cls"), ERRORS)
async def test_error_frames_raise_typed_errors(
    gateway: FakeGateway, connect: Any, frame: dict[str, Any], cls: type[Exception]
) -> None:
    session = connect(gateway, timeout=20)
    with pytest.raises(cls):
        await bounded(session.call(SCRIPT, {"frames": [frame]}, flow="f"), 10)


async def test_unknown_service(gateway: FakeGateway, connect: Any) -> None:
    with pytest.raises(UnknownServiceError):
        await bounded(connect(gateway).call(op("no-such-thing"), {}, flow="f"))


async def test_error_mid_stream_after_chunks(gateway: FakeGateway, connect: Any) -> None:
    frames = [
        {"response": {"n": 1}},
        {"response": {"error": {"type": "x-error", "message": "broke"}}},
        {"response": {"n": 3}, "complete": True},
    ]
    stream = await connect(gateway).stream(SCRIPT, {"frames": frames}, parse=identity, flow="f")
    assert (await bounded(stream.__anext__()))["n"] == 1
    with pytest.raises(ServiceError, match="broke"):
        await bounded(stream.__anext__())
    assert [c async for c in stream] == []


async def test_auth_failure_never_shows_the_token(gateway: FakeGateway, connect: Any) -> None:
    gateway.tokens = {"tg_good": "w"}
    session = connect(gateway, token=SECRET)
    with pytest.raises(AuthError) as caught:
        await bounded(session.call(ECHO, {}, flow="f"))
    for text in (str(caught.value), repr(caught.value), repr(session._socket)):
        assert SECRET not in text


async def test_token_never_logged(
    gateway: FakeGateway, connect: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session = connect(gateway, token=SECRET)
    await bounded(session.call(ECHO, {}, flow="f"))
    await bounded(session.set_token(SECRET + "_2"))
    assert gateway.auth_tokens == [SECRET, SECRET + "_2"]
    client_logs = [r for r in caplog.records if not r.name.startswith("websockets.server")]
    assert not any(SECRET in r.getMessage() for r in client_logs)


async def test_cannot_connect_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    session = AsyncSession(ClientOptions.build(url=f"ws://127.0.0.1:{port}/", token=SECRET))
    with pytest.raises(ConnectError) as caught:
        await bounded(session.call(ECHO, {}, flow="f"))
    assert isinstance(caught.value, ConnectionError) and SECRET not in str(caught.value)
    await session.close()


# -- time -------------------------------------------------------------------------------------


async def test_never_answering_times_out_and_frees_the_slot(
    gateway: FakeGateway, connect: Any
) -> None:
    session = connect(gateway)
    with pytest.raises(RequestTimeoutError, match="no answer within"):
        await bounded(session.call(NEVER, {}, flow="f", timeout=0.3), 10)
    assert session._socket._core.in_flight == 0
    assert (await bounded(session.call(ECHO, {"after": 1}, flow="f")))["echo"] == {"after": 1}


async def test_idle_timeout_fires_between_frames(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway, idle_timeout=0.3, timeout=60)
    stream = await session.stream(STREAM, {"chunks": 3, "delay": 2.0}, parse=identity, flow="f")
    with pytest.raises(RequestTimeoutError, match="no frame for"):
        await bounded(stream.__anext__(), 10)


async def test_slow_answers_overlap(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)
    started = time.monotonic()
    calls = (session.call(SLOW, {"delay": 0.5}, flow="f") for _ in range(10))
    await bounded(asyncio.gather(*calls))
    assert time.monotonic() - started < 4.5


# -- concurrency ------------------------------------------------------------------------------


async def test_at_most_15_in_flight(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)
    calls = (session.call(SLOW, {"delay": 0.5}, flow="f") for _ in range(30))
    await bounded(asyncio.gather(*calls))
    assert 10 <= gateway.max_in_flight <= 15


async def test_interleaved_streams(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)

    async def consume(k: int) -> list[int]:
        request = {"chunks": 3 + k, "delay": 0.01, "end_field": "last"}
        async with await session.stream(STREAM, request, parse=identity, flow="f") as stream:
            return [c["index"] async for c in stream]

    results = await bounded(asyncio.gather(*(consume(k) for k in range(6))))
    assert results == [list(range(3 + k)) for k in range(6)]


async def test_closing_a_stream_frees_its_slot(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway, timeout=30)
    streams = [await session.stream(NEVER, {}, parse=identity, flow="f") for _ in range(15)]
    with pytest.raises(RequestTimeoutError, match="no free slot"):
        await bounded(session.call(ECHO, {}, flow="f", timeout=0.3), 10)
    for stream in streams:
        await stream.close()
    assert (await bounded(session.call(ECHO, {"ok": 1}, flow="f")))["echo"] == {"ok": 1}


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize("abort", [False, True], ids=["close-frame", "tcp-drop"])
async def test_drop_fails_every_pending_request_at_once(
    gateway: FakeGateway, connect: Any, abort: bool
) -> None:
    session = connect(gateway, timeout=60)
    calls = [asyncio.ensure_future(session.call(NEVER, {"k": k}, flow="f")) for k in range(5)]
    await wait_for(lambda: len(gateway.envelopes) == 5)
    if abort:
        gateway.abort_all()
    else:
        await asyncio.to_thread(gateway.close_all)
    results = await bounded(asyncio.gather(*calls, return_exceptions=True), 15)
    assert all(isinstance(r, ConnectionClosedError) for r in results), results
    assert all(isinstance(r, ConnectionError) and "not retried" in str(r) for r in results)
    assert (await bounded(session.call(ECHO, {}, flow="f")))["echo"] == {}
    assert gateway.connections_opened == 2 and len(gateway.auth_tokens) == 2
    assert len(gateway.envelopes) == 6


@pytest.mark.parametrize("abort", [False, True], ids=["close-frame", "tcp-drop"])
async def test_proxy_idle_close_between_calls(connect: Any, abort: bool) -> None:
    with FakeGateway(idle_close=0.3, idle_close_abort=abort) as gateway:
        session = connect(gateway, token=SECRET, timeout=10)
        assert (await bounded(session.call(ECHO, {"n": 1}, flow="f")))["echo"] == {"n": 1}
        await wait_for(lambda: gateway.open_connections() == 0)
        await wait_for(lambda: session._socket._conn is None)  # the reader noticed by itself
        assert (await bounded(session.call(ECHO, {"n": 2}, flow="f")))["echo"] == {"n": 2}
        assert gateway.connections_opened == 2 and gateway.auth_tokens == [SECRET, SECRET]
        await session.close()


async def test_set_token_reauthenticates_the_open_socket(
    gateway: FakeGateway, connect: Any
) -> None:
    gateway.tokens = {"tg_a": "wa", "tg_b": "wb"}
    session = connect(gateway, token="tg_a")
    assert (await bounded(session.call(ECHO, {}, flow="f")))["workspace"] == "wa"
    await bounded(session.set_token("tg_b"))
    assert (await bounded(session.call(ECHO, {}, flow="f")))["workspace"] == "wb"
    with pytest.raises(AuthError):
        await bounded(session.set_token("tg_refused"))
    await asyncio.to_thread(gateway.close_all)
    assert (await bounded(session.call(ECHO, {}, flow="f")))["workspace"] == "wb"
    assert gateway.auth_tokens == ["tg_a", "tg_b", "tg_refused", "tg_b"]
    assert gateway.connections_opened == 2


# The first loop's connection is abandoned with its loop, which cannot close it any more.
@pytest.mark.filterwarnings("ignore:unclosed:ResourceWarning")
def test_usable_from_a_second_event_loop(gateway: FakeGateway) -> None:
    session = AsyncSession(ClientOptions.build(url=gateway.url))
    assert asyncio.run(session.call(ECHO, {"n": 1}, flow="f"))["echo"] == {"n": 1}
    assert asyncio.run(session.call(ECHO, {"n": 2}, flow="f"))["echo"] == {"n": 2}
    asyncio.run(session.close())


async def test_chaos_never_hangs_or_mixes_answers(gateway: FakeGateway, connect: Any) -> None:
    """Calls, streams and time-outs from many tasks while the gateway keeps dropping."""
    session = connect(gateway, timeout=20)

    async def dropper() -> None:
        while True:
            await asyncio.sleep(0.25)
            gateway.abort_all()

    async def work(k: int) -> None:
        for i in range(30):
            kind = (k + i) % 4
            try:
                if kind == 0:
                    answer = await session.call(ECHO, {"k": k, "i": i}, flow="f")
                    assert answer["echo"] == {"k": k, "i": i}
                elif kind == 1:
                    chunks = await collect(session, STREAM, {"chunks": 3, "delay": 0.01}, flow="f")
                    assert [c["index"] for c in chunks] == [0, 1, 2]
                elif kind == 2:
                    with pytest.raises(RequestTimeoutError):
                        await session.call(NEVER, {}, flow="f", timeout=0.05)
                else:
                    await session.call(SLOW, {"delay": 0.05}, flow="f")
            except ConnectionClosedError:
                pass

    chaos = asyncio.ensure_future(dropper())
    try:
        await bounded(asyncio.gather(*(work(k) for k in range(8))), 60)
    finally:
        chaos.cancel()
    assert gateway.connections_opened > 1
    assert session._socket._core.in_flight == 0
    assert session._socket._core.waiting() == []  # every slot came back
    assert (await bounded(session.call(ECHO, {"end": 1}, flow="f")))["echo"] == {"end": 1}


async def test_cancelled_calls_give_their_slots_back(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway, timeout=30)
    calls = [asyncio.ensure_future(session.call(NEVER, {}, flow="f")) for _ in range(20)]
    await wait_for(lambda: len(gateway.envelopes) == 15)
    for call in calls:
        call.cancel()
    await asyncio.gather(*calls, return_exceptions=True)
    assert session._socket._core.in_flight == 0
    assert (await bounded(session.call(ECHO, {"ok": 1}, flow="f", timeout=5)))["echo"] == {"ok": 1}
    assert len(gateway.envelopes) == 16  # the five that never got a slot were never sent
