"""Typed streams over the frames of one multi-frame answer.

A transport that streams hands out a frame source per request; :class:`Stream` (blocking) and
:class:`AsyncStream` turn each frame's ``response`` object into a typed chunk with the
``parse`` function generated code supplies. An error frame raises the same typed exception as
the same error over REST. Closing a stream early tells the transport to drop the rest of that
request's frames and frees its in-flight slot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterator
from typing import Any, Generic, Protocol, TypeVar

__all__ = [
    "SKIP",
    "AsyncStreamCall",
    "AsyncFrameSource",
    "AsyncStream",
    "Stream",
    "SyncFrameSource",
]

T = TypeVar("T")


class SyncFrameSource(Protocol):
    """The frames of one request, as response objects; ``None`` once the last was read."""

    def next_response(self) -> dict[str, Any] | None: ...

    def close(self) -> None: ...


class AsyncFrameSource(Protocol):
    """The async twin of :class:`SyncFrameSource`."""

    async def next_response(self) -> dict[str, Any] | None: ...

    async def close(self) -> None: ...


SKIP: Any = object()
"""What a ``parse`` function returns for a frame the stream leaves out (opt-in frames)."""


class Stream(Generic[T]):
    """An iterator of typed chunks that is also a context manager.

    Leaving the ``with`` block or calling :meth:`close` before the end drops the remaining
    frames of the request.
    """

    def __init__(self, source: SyncFrameSource, parse: Callable[[dict[str, Any]], T]) -> None:
        self._source = source
        self._parse = parse
        self._closed = False

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._closed:
            raise StopIteration
        try:
            response = self._source.next_response()
        except BaseException:
            self.close()
            raise
        if response is None:
            self.close()
            raise StopIteration
        chunk = self._parse(response)
        return self.__next__() if chunk is SKIP else chunk

    def close(self) -> None:
        """Stop reading; later frames of this request are dropped."""
        if not self._closed:
            self._closed = True
            self._source.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """The async twin of :class:`Stream`: ``async for`` and ``async with``."""

    def __init__(self, source: AsyncFrameSource, parse: Callable[[dict[str, Any]], T]) -> None:
        self._source = source
        self._parse = parse
        self._closed = False

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._closed:
            raise StopAsyncIteration
        try:
            response = await self._source.next_response()
        except BaseException:
            await self.close()
            raise
        if response is None:
            await self.close()
            raise StopAsyncIteration
        chunk = self._parse(response)
        return await self.__anext__() if chunk is SKIP else chunk

    async def close(self) -> None:
        """Stop reading; later frames of this request are dropped."""
        if not self._closed:
            self._closed = True
            await self._source.close()

    aclose = close

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class AsyncStreamCall(Generic[T]):
    """An asyncio streaming call, usable both ways: ``async for chunk in flow.agent(...,
    streaming=True)`` (the seed's form) and ``async for chunk in await flow.agent(...)``;
    ``async with`` works on either too. The request is sent when first awaited or iterated.
    """

    def __init__(self, opening: Coroutine[Any, Any, AsyncStream[T]]) -> None:
        self._opening: Coroutine[Any, Any, AsyncStream[T]] | None = opening
        self._stream: AsyncStream[T] | None = None

    async def _open(self) -> AsyncStream[T]:
        if self._stream is None:
            opening, self._opening = self._opening, None
            if opening is None:
                raise RuntimeError("this streaming call failed to open; make the call again")
            self._stream = await opening
        return self._stream

    def __await__(self) -> Generator[Any, None, AsyncStream[T]]:
        return self._open().__await__()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await (await self._open()).__anext__()

    async def close(self) -> None:
        """Stop reading (or never send, if the call has not started)."""
        if self._stream is not None:
            await self._stream.close()
        elif self._opening is not None:
            self._opening.close()
            self._opening = None

    aclose = close

    async def __aenter__(self) -> AsyncStream[T]:
        return await self._open()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
