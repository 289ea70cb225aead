"""Asyncio WebSocket transport: one socket and one reader task per client.

The reader task is the only caller of ``recv``; it routes each frame to its request's queue,
so slots free themselves as soon as a final frame arrives, whoever is consuming. Concurrent
first calls share one connection (the connect runs under a lock). A lost connection fails
every pending request at once with :class:`ConnectionClosedError`; the next call reconnects
with backoff and authenticates again. Nothing is re-sent on its own.

The transport belongs to the event loop of its first call; used from another loop it starts
over with a new connection.
"""

from __future__ import annotations

import asyncio
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from .errors import ConnectionClosedError, RequestTimeoutError, TrustGraphError
from .mux import AuthReply, Delivery, Frame, MuxCore
from .options import ClientOptions
from .plan import CallPlan, Deadline
from .ws_connect import (
    Backoff,
    ConnectAttempts,
    connect_kwargs,
    log,
    socket_url,
)

__all__ = ["AsyncWebSocketTransport"]


class _Call:
    """One request's frames, or the error that ended it, as the reader task delivers them;
    ``slot`` is set when the core says this call may take a free in-flight slot."""

    __slots__ = ("queue", "service", "slot")

    def __init__(self, service: str) -> None:
        self.queue: asyncio.Queue[Frame | TrustGraphError] = asyncio.Queue()
        self.slot = asyncio.Event()
        self.service = service


class AsyncWebSocketTransport:
    """Every planned socket call over one multiplexed ``/api/v1/socket`` connection, opened
    lazily (the session sends what the socket does not carry over REST)."""

    def __init__(self, options: ClientOptions) -> None:
        self._url = socket_url(options)
        self._connect_kwargs = connect_kwargs(options)
        self._core: MuxCore[_Call] = MuxCore(
            credentials=options.credentials, workspace=options.workspace
        )
        self._backoff = Backoff()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reset_loop_state()

    def _reset_loop_state(self) -> None:
        self._conn: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._connect_lock = asyncio.Lock()
        self._auth_lock = asyncio.Lock()
        self._auth_reply: asyncio.Future[AuthReply] | None = None
        self._core.connection_lost()

    def __repr__(self) -> str:
        return f"AsyncWebSocketTransport(url={self._url!r}, core={self._core!r})"

    # -- public calls ---------------------------------------------------------------------

    async def request(self, plan: CallPlan) -> dict[str, Any]:
        """Send one planned request and return the response of its final frame."""
        source = await self.open(plan)
        last: dict[str, Any] = {}
        try:
            while (response := await source.next_response()) is not None:
                last = response
        finally:
            await source.close()
        return last

    async def open(self, plan: CallPlan) -> _AsyncFrameSource:
        """Send one planned request and return the source of its frames."""
        self._bind_loop()
        op, until = plan.op, plan.deadline.at
        call = _Call(op.service)
        opened: tuple[str, str] | None = None
        try:
            while True:
                conn = await self._ensure(until)
                opened = self._core.try_open(op, plan.body, plan.flow, call)
                if opened is not None:
                    self._wake_slot_waiter()
                    break
                call.slot.clear()
                async with asyncio.timeout_at(until):
                    await call.slot.wait()
        except TimeoutError:
            raise RequestTimeoutError(
                f"{op.service} ({op.name}): no free slot on the socket in time",
                service=op.service,
            ) from None
        finally:
            if opened is None:
                self._core.give_up(call)
                self._wake_slot_waiter()
        req_id, text = opened
        try:
            await conn.send(text)
        except BaseException as exc:
            self._forget(req_id)  # also when cancelled, or the slot would never come back
            if not isinstance(exc, Exception):
                raise
            raise ConnectionClosedError(
                f"{op.service} ({op.name}): the connection closed while sending; not retried",
                service=op.service,
            ) from exc
        return _AsyncFrameSource(self, plan, req_id, call)

    async def reauthenticate(self, deadline: Deadline) -> None:
        """Send the client's new token on the open socket, if any (the next connection uses it
        anyway). Raises :class:`AuthError` when the gateway refuses it; the caller restores the
        previous token, which the gateway keeps using."""
        self._bind_loop()
        async with self._auth_lock:
            conn = self._conn
            if conn is None or conn.state is not State.OPEN:
                return
            reply_future = asyncio.get_running_loop().create_future()
            self._auth_reply = reply_future
            try:
                await conn.send(self._core.auth_frame())
                async with asyncio.timeout_at(deadline.at):
                    reply = await reply_future
            except TimeoutError:
                raise RequestTimeoutError(
                    f"no answer to the new auth frame within {deadline.timeout:g} s"
                ) from None
            except (ConnectionClosed, ConnectionClosedError):
                return  # the next connection authenticates with it
            finally:
                self._auth_reply = None
            if not reply.ok:
                assert reply.error is not None
                raise reply.error

    async def close(self) -> None:
        """Close the socket; pending requests fail with :class:`ConnectionClosedError`."""
        self._closed = True
        conn, reader = self._conn, self._reader
        if conn is not None:
            self._lost(conn, "the client was closed")
            await conn.close()
        if reader is not None and reader is not asyncio.current_task():
            reader.cancel()

    # -- connection -----------------------------------------------------------------------

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            if self._loop is not None:
                log.debug("transport moved to another event loop; starting over")
            self._loop = loop
            self._reset_loop_state()

    async def _ensure(self, until: float) -> ClientConnection:
        """The open, authenticated connection, opening one if needed."""
        if self._closed:
            raise ConnectionClosedError("the client was closed")
        conn = self._conn
        if conn is not None and conn.state is State.OPEN:
            return conn
        async with self._connect_lock:
            conn = self._conn
            if conn is not None and conn.state is State.OPEN:
                return conn
            if conn is not None:
                # Closed while idle: let the reader route what arrived first and fail the rest.
                reader = self._reader
                if reader is not None:
                    await asyncio.wait({reader}, timeout=max(0.0, until - _time()))
                self._lost(conn, "the connection to the gateway was lost")
            return await self._connect(until)

    async def _connect(self, until: float) -> ClientConnection:
        attempts = ConnectAttempts(self._backoff, self._url, until)
        while (delay := attempts.next_delay()) is not None:
            await asyncio.sleep(delay)
            try:
                async with asyncio.timeout_at(until):
                    conn = await self._open(until)
            except TrustGraphError:
                raise
            except Exception as exc:
                attempts.failed(exc)
                continue
            attempts.succeeded()
            self._conn = conn
            self._reader = asyncio.get_running_loop().create_task(self._read(conn))
            return conn
        raise attempts.give_up() from attempts.error

    async def _open(self, until: float) -> ClientConnection:
        """Open and authenticate one connection."""
        conn: ClientConnection = await connect(
            self._url, open_timeout=until - _time(), **self._connect_kwargs
        )
        try:
            await conn.send(self._core.auth_frame())
            while True:
                event = self._core.receive(await conn.recv())
                if isinstance(event, AuthReply):
                    if event.ok:
                        return conn
                    assert event.error is not None
                    raise event.error
                log.debug("ignoring %s before auth-ok", event)
        except BaseException:
            await conn.close()
            raise

    async def _read(self, conn: ClientConnection) -> None:
        """The reader task: route every frame until the connection ends."""
        reason: object = "the connection ended"
        try:
            while True:
                event = self._core.receive(await conn.recv())
                if isinstance(event, Delivery):
                    event.sink.queue.put_nowait(event.frame)
                    if event.frame.final:
                        self._wake_slot_waiter()
                elif isinstance(event, AuthReply):
                    future = self._auth_reply
                    if future is not None and not future.done():
                        future.set_result(event)
                else:
                    log.debug("dropping frame: %s", event.reason)
        except ConnectionClosed as exc:
            reason = exc
        except Exception as exc:  # a bug must not leave callers waiting forever
            log.exception("WebSocket reader failed")
            reason = exc
        finally:
            self._lost(conn, f"the connection to the gateway was lost ({reason})")

    def _lost(self, conn: ClientConnection, why: str) -> None:
        if self._conn is not conn:
            return
        self._conn = None
        for call in self._core.connection_lost():
            call.queue.put_nowait(
                ConnectionClosedError(
                    f"{call.service}: {why}; the request was not retried", service=call.service
                )
            )
        for call in self._core.waiting():
            call.slot.set()  # to connect again, or to fail if the client was closed
        future = self._auth_reply
        if future is not None and not future.done():
            future.set_exception(ConnectionClosedError(why))

    def _forget(self, req_id: str) -> None:
        if self._core.forget(req_id):
            self._wake_slot_waiter()

    def _wake_slot_waiter(self) -> None:
        call = self._core.next_in_line()
        if call is not None:
            call.slot.set()


def _time() -> float:
    return asyncio.get_running_loop().time()


class _AsyncFrameSource:
    """The frames of one request on the async socket."""

    def __init__(
        self, transport: AsyncWebSocketTransport, plan: CallPlan, req_id: str, call: _Call
    ) -> None:
        self._transport = transport
        self._op, self._deadline = plan.op, plan.deadline
        self._req_id = req_id
        self._call = call
        self._done = False

    async def next_response(self) -> dict[str, Any] | None:
        if self._done:
            return None
        op, queue = self._op, self._call.queue
        until = self._deadline.next_frame()
        try:
            if queue.empty():
                async with asyncio.timeout_at(until):
                    item = await queue.get()
            else:
                item = queue.get_nowait()
        except TimeoutError:
            await self.close()
            raise RequestTimeoutError(
                f"{op.service} ({op.name}): {self._deadline.missed(until)}", service=op.service
            ) from None
        if isinstance(item, TrustGraphError):
            self._done = True
            raise item
        if item.final:
            self._done = True
        if item.error is not None:
            raise item.error
        return item.response

    async def close(self) -> None:
        if not self._done:
            self._done = True
            self._transport._forget(self._req_id)
