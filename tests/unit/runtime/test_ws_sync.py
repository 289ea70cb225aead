"""The blocking WebSocket transport against the loopback fake gateway: what only it does (threads
sharing one socket, use inside an event loop); what both drivers do is in test_ws_drivers.py.

Timings are only bounded generously, to prove that nothing hangs on a shared, noisy machine.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.fakes.ws_driver import ECHO, NEVER, SLOW, STREAM, Sessions, identity
from tests.fakes.ws_gateway import FakeGateway
from tgclient_runtime import (
    ConnectionClosedError,
    Operation,
    RequestTimeoutError,
    SyncSession,
)


def collect(session: SyncSession, op: Operation, request: Any, **kw: Any) -> list[Any]:
    """Every frame's response of one streamed request, in order."""
    return list(session.stream(op, request, parse=identity, **kw))


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    with FakeGateway() as gw:
        yield gw


@pytest.fixture
def connect() -> Iterator[Sessions[SyncSession]]:
    sessions = Sessions(SyncSession)
    yield sessions
    for session in sessions.made:
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


def test_runs_inside_a_running_event_loop(gateway: FakeGateway, connect: Any) -> None:
    session = connect(gateway)

    async def inside() -> dict[str, Any]:
        return session.call(ECHO, {"in": "loop"}, flow="f")

    assert asyncio.run(inside())["echo"] == {"in": "loop"}


# -- errors -----------------------------------------------------------------------------------


# -- time -------------------------------------------------------------------------------------


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


# -- token changes ----------------------------------------------------------------------------


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
