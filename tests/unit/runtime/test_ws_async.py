"""The asyncio WebSocket transport against the loopback fake gateway: what only it does (concurrent
tasks, cancellation, event loops); what both drivers do is in test_ws_drivers.py.

Timings are only bounded generously, to prove that nothing hangs on a shared, noisy machine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from tests.fakes.ws_driver import ECHO, NEVER, SLOW, STREAM, Sessions, identity
from tests.fakes.ws_gateway import FakeGateway
from tgclient_runtime import (
    AsyncSession,
    ClientOptions,
    ConnectionClosedError,
    Operation,
    RequestTimeoutError,
)


async def collect(session: AsyncSession, op: Operation, request: Any, **kw: Any) -> list[Any]:
    """Every frame's response of one streamed request, in order."""
    return [chunk async for chunk in await session.stream(op, request, parse=identity, **kw)]


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway() as gw:
        yield gw


@pytest.fixture
async def connect() -> AsyncIterator[Sessions[AsyncSession]]:
    sessions = Sessions(AsyncSession)
    yield sessions
    for session in sessions.made:
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


async def test_twenty_concurrent_first_calls_open_one_connection(
    gateway: FakeGateway, connect: Any
) -> None:
    session = connect(gateway)
    answers = await bounded(
        asyncio.gather(*(session.call(ECHO, {"i": i}, flow="f") for i in range(20)))
    )
    assert [a["echo"]["i"] for a in answers] == list(range(20))
    assert gateway.connections_opened == 1 and gateway.auth_tokens == [""]


# -- errors -----------------------------------------------------------------------------------


# -- time -------------------------------------------------------------------------------------


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


async def test_each_call_times_out_at_its_own_deadline(gateway: FakeGateway, connect: Any) -> None:
    """One lazy timer serves every reader: a shorter deadline after a longer one still fires
    on time, and a longer one after a shorter one does not fire early."""
    session = connect(gateway, timeout=60)
    assert (await bounded(session.call(ECHO, {"n": 1}, flow="f")))["echo"] == {"n": 1}
    with pytest.raises(RequestTimeoutError):
        await bounded(session.call(NEVER, {}, flow="f", timeout=0.1), 10)
    assert (await bounded(session.call(ECHO, {"n": 2}, flow="f", timeout=0.2)))["echo"] == {"n": 2}
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError):
        await bounded(session.call(NEVER, {}, flow="f", timeout=0.5))
    assert time.monotonic() - started >= 0.5
    assert (await bounded(session.call(ECHO, {"n": 3}, flow="f")))["echo"] == {"n": 3}


async def test_cancelling_a_lone_reader_cancels_it(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway, timeout=60)
    call = asyncio.ensure_future(session.call(NEVER, {}, flow="f"))
    await wait_for(lambda: len(gateway.envelopes) == 1)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await bounded(call)
    assert session._socket._core.in_flight == 0
    assert (await bounded(session.call(ECHO, {"ok": 1}, flow="f")))["echo"] == {"ok": 1}
