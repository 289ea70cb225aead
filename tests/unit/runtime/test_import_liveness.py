"""An import lives while it progresses and dies, typed and in time, when it does not.

The rule (:mod:`tgclient_runtime.liveness`) first on its own, then through both drivers
against two faulty servers on a raw socket: one that reads every frame (slowly) but answers no
ping, whose import must complete however long it lasts, and one that stops reading after the
handshake, whose import must fail with a RequestTimeoutError within its deadline. The first
is what a loaded gateway looks like (pongs queued behind megabytes of frames); the second a
gateway that hangs.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.server import ServerProtocol

from tgclient_runtime.bulk import async_import_frames, import_frames
from tgclient_runtime.errors import RequestTimeoutError
from tgclient_runtime.liveness import ImportLiveness
from tgclient_runtime.options import ClientOptions
from tgclient_runtime.ws_connect import connect_kwargs

LIMIT = 1.5  # the call's timeout in these tests: long enough for a loaded machine's pauses
FRAME = "x" * (256 * 1024)


def test_the_clock_runs_only_while_waiting_on_the_gateway() -> None:
    core = ImportLiveness(limit=10)
    assert core.verdict(1000) is None  # nothing awaited: a slow producer is not a dead gateway
    core.send_began(0)
    assert core.verdict(9.9) is None
    core.send_done(9.9)  # progress restarts the clock
    assert core.verdict(19) is None  # nothing awaited after the send
    core.pinged(20)
    assert core.verdict(29.9) is None
    assert "answered no ping" in (core.verdict(30) or "")
    core.ponged(30)
    assert core.verdict(100) is None and core.pongs == 1


def test_a_blocked_send_dies_unless_pongs_keep_coming() -> None:
    core = ImportLiveness(limit=10)
    core.pinged(0)
    core.send_began(5)
    core.ponged(9, answered=1)  # the gateway read that far: still alive
    assert core.verdict(18) is None
    assert "send stayed blocked for 10 s" in (core.verdict(19) or "")


def test_an_unconfirmed_close_dies_after_the_limit() -> None:
    core = ImportLiveness(limit=10)
    core.closing(0)
    assert core.verdict(9) is None
    assert "did not confirm the close" in (core.verdict(10) or "")


class _DeafProtocol(ServerProtocol):
    """A server side that answers no ping (and counts them)."""

    pings = 0

    def recv_frame(self, frame: Frame) -> None:
        if frame.opcode is Opcode.PING:
            self.pings += 1
            return
        super().recv_frame(frame)


class FaultyServer:
    """``deaf``: reads every frame, pausing after each read, and answers no ping.
    ``stalled``: completes the handshake, then never reads again."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.frames = 0
        self.pings = 0
        self.release = threading.Event()
        self.sock = socket.socket()
        # A small receive buffer, so the client's sends wait on this server's reading.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def options(self) -> ClientOptions:
        port = self.sock.getsockname()[1]
        return ClientOptions.build(url=f"http://127.0.0.1:{port}/", timeout=LIMIT)

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            protocol = _DeafProtocol(max_size=None)
            request = self._handshake(conn, protocol)
            protocol.send_response(protocol.accept(request))
            self._flush(conn, protocol)
            if self.mode == "stalled":
                self.release.wait()
                return
            while data := conn.recv(256 * 1024):
                protocol.receive_data(data)
                self.frames += sum(
                    isinstance(e, Frame) and e.opcode is Opcode.TEXT
                    for e in protocol.events_received()
                )
                self.pings = protocol.pings
                self._flush(conn, protocol)  # the close reply when it comes; never a pong
                time.sleep(0.01)

    @staticmethod
    def _handshake(conn: socket.socket, protocol: ServerProtocol) -> Request:
        while True:
            protocol.receive_data(conn.recv(65536))
            for event in protocol.events_received():
                if isinstance(event, Request):
                    return event

    @staticmethod
    def _flush(conn: socket.socket, protocol: ServerProtocol) -> None:
        for data in protocol.data_to_send():
            if data:
                conn.sendall(data)
            else:
                conn.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self.release.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def deaf() -> Iterator[FaultyServer]:
    server = FaultyServer("deaf")
    yield server
    server.close()


@pytest.fixture
def stalled() -> Iterator[FaultyServer]:
    server = FaultyServer("stalled")
    yield server
    server.close()


def _frames(count: int) -> Iterator[tuple[Any, int]]:
    return ((FRAME, 1) for _ in range(count))


# 160 frames of 256 KiB read in pieces of at most 128 KiB (the buffer), with a 10 ms pause
# after each: over 3 s, twice the limit, without a single pong.
DEAF_FRAMES = 160


@pytest.fixture(autouse=True)
def eager_keepalive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sockets that would ping every 0.2 s and give up 0.2 s later: a fixed ping timeout would
    end the deaf server's import, so the import socket must not use it."""
    from tgclient_runtime import bulk

    def eager(options: ClientOptions) -> dict[str, Any]:
        return {**connect_kwargs(options), "ping_interval": 0.2, "ping_timeout": 0.2}

    monkeypatch.setattr(bulk, "connect_kwargs", eager)


def test_sync_import_outlives_a_server_that_answers_no_ping(deaf: FaultyServer) -> None:
    result = import_frames(deaf.options, "f", "triples", _frames(DEAF_FRAMES))
    assert result.items == DEAF_FRAMES and deaf.frames == DEAF_FRAMES
    assert result.seconds > 2 * LIMIT and deaf.pings >= DEAF_FRAMES - 1


async def test_async_import_outlives_a_server_that_answers_no_ping(deaf: FaultyServer) -> None:
    result = await async_import_frames(deaf.options, "f", "triples", _frames(DEAF_FRAMES))
    assert result.items == DEAF_FRAMES and deaf.frames == DEAF_FRAMES
    assert result.seconds > 2 * LIMIT and deaf.pings >= DEAF_FRAMES - 1


# Generous: the deadline is LIMIT, plus the watchdog's step, on a machine that may be loaded.
WITHIN = LIMIT + 10


def test_sync_import_to_a_server_that_stopped_reading_fails_in_time(
    stalled: FaultyServer,
) -> None:
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match=r"send stayed blocked for 1\.5 s") as info:
        import_frames(stalled.options, "f", "triples", _frames(1000))
    assert time.monotonic() - started < WITHIN
    assert "items were sent" in str(info.value)


async def test_async_import_to_a_server_that_stopped_reading_fails_in_time(
    stalled: FaultyServer,
) -> None:
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError, match=r"send stayed blocked for 1\.5 s"):
        await async_import_frames(stalled.options, "f", "triples", _frames(1000))
    assert time.monotonic() - started < WITHIN
