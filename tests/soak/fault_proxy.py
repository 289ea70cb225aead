"""A fault-injecting TCP proxy: loopback only, asyncio, bounded in time.

Between the client and the real gateway it forwards bytes both ways and, per chunk read,
at random (seeded): drops the connection (both sides aborted, no close handshake), delays the
chunk, or splits it into small pieces written one by one (so WebSocket and HTTP frames arrive
torn). ``counts`` says how many faults of each kind were injected. It runs its own event loop
in a daemon thread; ``stop()`` aborts every connection and stops within a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections import Counter
from dataclasses import dataclass

HOST = "127.0.0.1"
CHUNK = 65536


@dataclass(frozen=True)
class Faults:
    """Per-chunk probabilities, and the longest delay in seconds."""

    drop: float = 0.01
    delay: float = 0.05
    split: float = 0.1
    max_delay: float = 0.2


class FaultProxy:
    """Forwards ``127.0.0.1:<port>`` to ``127.0.0.1:<upstream_port>`` with faults."""

    def __init__(self, upstream_port: int, faults: Faults = Faults(), seed: int = 0) -> None:
        self.upstream_port = upstream_port
        self.faults = faults
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> FaultProxy:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            self._server = loop.run_until_complete(asyncio.start_server(self._handle, HOST, 0))
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="fault-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fault proxy did not start")
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return

        async def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            for writer in list(self._writers):
                writer.transport.abort()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)
        self._loop = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _count(self, kind: str) -> None:
        with self._lock:
            self.counts[kind] += 1

    def _roll(self) -> float:
        with self._lock:
            return self.rng.random()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(HOST, self.upstream_port)
        except OSError:
            writer.transport.abort()
            return
        pair = (writer, up_writer)
        self._writers.update(pair)
        self._count("connections")
        try:
            await asyncio.gather(
                self._pipe(reader, up_writer, pair), self._pipe(up_reader, writer, pair)
            )
        finally:
            for w in pair:
                w.transport.abort()
                self._writers.discard(w)

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        pair: tuple[asyncio.StreamWriter, asyncio.StreamWriter],
    ) -> None:
        f = self.faults
        try:
            while chunk := await reader.read(CHUNK):
                roll = self._roll()
                if roll < f.drop:
                    self._count("drops")
                    for w in pair:
                        w.transport.abort()
                    return
                if roll < f.drop + f.delay:
                    self._count("delays")
                    await asyncio.sleep(self._roll() * f.max_delay)
                if (
                    roll >= f.drop + f.delay
                    and roll < f.drop + f.delay + f.split
                    and len(chunk) > 1
                ):
                    self._count("splits")
                    cut = 1 + int(self._roll() * (len(chunk) - 1))
                    writer.write(chunk[:cut])
                    await writer.drain()
                    await asyncio.sleep(0.001)
                    chunk = chunk[cut:]
                writer.write(chunk)
                await writer.drain()
            with contextlib.suppress(OSError):
                if writer.can_write_eof():
                    writer.write_eof()
        except (OSError, ConnectionError):
            for w in pair:
                w.transport.abort()
