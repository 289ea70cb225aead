"""Both WebSocket drivers behind one blocking face, so one test body proves both.

``Driver("sync", options)`` is a :class:`SyncSession`; ``Driver("async", options)`` runs an
:class:`AsyncSession` on an event loop of its own thread and waits for each call (bounded, so a
hang fails the test instead of blocking it).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Iterator
from typing import Any, Generic, Literal, TypeVar

from tgclient_runtime import (
    AsyncSession,
    AsyncStream,
    ClientOptions,
    Operation,
    StreamEnd,
    SyncSession,
)

T = TypeVar("T")
S = TypeVar("S", SyncSession, AsyncSession)
Kind = Literal["sync", "async"]
LIMIT = 60.0  # seconds any one awaited step may take before the test fails


def identity(response: dict[str, Any]) -> dict[str, Any]:
    return response


def op(service: str, *, end: str | None = None, surface: str = "flow") -> Operation:
    """An operation of the fake gateway (``tests.fakes.ws_gateway``), named by its service."""
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


class Sessions(Generic[S]):
    """Makes sessions of one class on a fake gateway, and remembers them to close."""

    def __init__(self, cls: type[S]) -> None:
        self._cls = cls
        self.made: list[S] = []

    def __call__(self, gw: Any, **kwargs: Any) -> S:
        session = self._cls(ClientOptions.build(url=gw.url, **kwargs))
        self.made.append(session)
        return session


class Driver:
    """One session of either driver."""

    def __init__(self, kind: Kind, options: ClientOptions) -> None:
        self.kind = kind
        self._loop: asyncio.AbstractEventLoop | None = None
        self.session: SyncSession | AsyncSession
        if kind == "sync":
            self.session = SyncSession(options)
            return
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self.session = AsyncSession(options)

    @property
    def socket(self) -> Any:
        """The driver's socket transport (for assertions on its core)."""
        return self.session._socket

    def wait(self, awaitable: Awaitable[T]) -> T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(_as_coro(awaitable), self._loop).result(LIMIT)

    def call(self, op: Operation, request: Any, **kw: Any) -> dict[str, Any]:
        if isinstance(self.session, SyncSession):
            return self.session.call(op, request, **kw)
        return self.wait(self.session.call(op, request, **kw))

    def stream(self, op: Operation, request: Any, **kw: Any) -> Iterator[dict[str, Any]]:
        if isinstance(self.session, SyncSession):
            return self.session.stream(op, request, parse=identity, **kw)
        return _BlockingStream(
            self, self.wait(self.session.stream(op, request, parse=identity, **kw))
        )

    def collect(self, op: Operation, request: Any, **kw: Any) -> list[dict[str, Any]]:
        return list(self.stream(op, request, **kw))

    def set_token(self, token: str | None) -> None:
        if isinstance(self.session, SyncSession):
            self.session.set_token(token)
        else:
            self.wait(self.session.set_token(token))

    def close(self) -> None:
        if isinstance(self.session, SyncSession):
            self.session.close()
            return
        assert self._loop is not None
        self.wait(self.session.close())
        self._loop.call_soon_threadsafe(self._loop.stop)


class _BlockingStream(Iterator[dict[str, Any]]):
    def __init__(self, driver: Driver, stream: AsyncStream[dict[str, Any]]) -> None:
        self._driver = driver
        self._stream = stream

    def __next__(self) -> dict[str, Any]:
        try:
            return self._driver.wait(self._stream.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None

    def close(self) -> None:
        self._driver.wait(self._stream.close())


async def _as_coro(awaitable: Awaitable[T]) -> T:
    return await awaitable


__all__ = [
    "BIG",
    "ECHO",
    "NEVER",
    "SCRIPT",
    "SECRET",
    "SLOW",
    "STREAM",
    "WS_ECHO",
    "Driver",
    "Kind",
    "Sessions",
    "identity",
    "op",
]
