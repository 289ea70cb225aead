"""The two drivers of :class:`~.liveness.ImportLiveness` on an import socket.

Each sends a frame, then a ping (its pong says the gateway has read that far), reports every
event to the core, and runs a watchdog that aborts the socket once the core says the import is
dead. The abort is what bounds a blocked send: a blocking ``sendall`` has no timeout of its own,
and a send waiting on ``drain`` would otherwise wait for a gateway that never reads. The
websockets keepalive is off on these sockets (a fixed ping timeout is the rule this replaces).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections import deque
from typing import Any, cast

import websockets.asyncio.client as async_client
from websockets.sync.client import ClientConnection

from .liveness import ImportLiveness
from .plan import now

__all__ = ["AsyncImportWatch", "SyncImportWatch", "watch_step"]


def watch_step(limit: float) -> float:
    """How often the watchdog looks: often enough to act within a tenth of ``limit``."""
    return min(0.5, limit / 10)


def _answered(acks: deque[Any], done: Any) -> int:
    """Pops the answered pings at the front (a pong answers every ping before it too)."""
    answered = 0
    while acks and done(acks[0]):
        acks.popleft()
        answered += 1
    return answered


class SyncImportWatch:
    """Sends, pings and closes a blocking import socket under a watchdog thread."""

    def __init__(self, ws: ClientConnection, limit: float) -> None:
        self._ws = ws
        self.core = ImportLiveness(limit)
        self.reason: str | None = None  # why the watchdog aborted the socket
        self._acks: deque[threading.Event] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="tgclient-import-watch")
        self._thread.daemon = True

    def __enter__(self) -> SyncImportWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def send(self, text: str) -> None:
        with self._lock:
            self.core.send_began(now())
        self._ws.send(text)
        with self._lock:
            self.core.send_done(now())
            self.core.pinged(now())  # before the ping: a ping can block like any send
        ack = self._ws.ping()
        with self._lock:
            self._acks.append(ack)

    def close(self) -> None:
        with self._lock:
            self.core.closing(now())
        self._ws.close()

    def _watch(self) -> None:
        step = watch_step(self.core.limit)
        while not self._stop.wait(step):
            with self._lock:
                answered = _answered(self._acks, threading.Event.is_set)
                if answered:
                    self.core.ponged(now(), answered)
                reason = self.core.verdict(now())
            if reason:
                self.reason = reason
                with contextlib.suppress(OSError):  # wakes a blocked sendall and the reader
                    self._ws.socket.shutdown(socket.SHUT_RDWR)
                return


class AsyncImportWatch:
    """The asyncio twin of :class:`SyncImportWatch`, its watchdog a task."""

    def __init__(self, ws: async_client.ClientConnection, limit: float) -> None:
        self._ws = ws
        self.core = ImportLiveness(limit)
        self.reason: str | None = None
        self._acks: deque[asyncio.Future[float]] = deque()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> AsyncImportWatch:
        self._task = asyncio.get_running_loop().create_task(self._watch())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def send(self, text: str) -> None:
        self.core.send_began(now())
        await self._ws.send(text)
        self.core.send_done(now())
        self.core.pinged(now())
        self._acks.append(cast("asyncio.Future[float]", await self._ws.ping()))

    async def close(self) -> None:
        self.core.closing(now())
        await self._ws.close()

    async def _watch(self) -> None:
        step = watch_step(self.core.limit)
        while True:
            await asyncio.sleep(step)
            answered = _answered(self._acks, asyncio.Future.done)
            if answered:
                self.core.ponged(now(), answered)
            reason = self.core.verdict(now())
            if reason:
                self.reason = reason
                self._ws.transport.abort()  # fails a send waiting on drain, and the close
                return
