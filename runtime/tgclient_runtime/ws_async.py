"""Asyncio WebSocket transport: one socket per client, read by the callers themselves.

Of the tasks waiting on the socket, exactly one at a time - the *leader* - calls ``recv`` and
routes each frame to its request (leader/follower, as the blocking transport): a lone caller
reads its own answer with no hand-off to another task; the others sleep until the leader
routes a frame to them or passes the role on. Waiting for an in-flight slot counts as waiting,
so frames keep flowing while callers queue. The decisions (ids, slots, routing, when a request
is over) are :class:`~tgclient_runtime.mux.MuxCore`'s; this module only moves bytes and wakes
tasks. Concurrent first calls share one connection (the connect runs under a lock). A lost
connection fails every pending request at once with :class:`ConnectionClosedError`; the next
call reconnects with backoff and authenticates again. Nothing is re-sent on its own.

The transport belongs to the event loop of its first call; used from another loop it starts
over with a new connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from .errors import ConnectionClosedError, RequestTimeoutError, TrustGraphError
from .mux import AuthReply, Frame, MuxCore, decode
from .options import ClientOptions
from .plan import CallPlan, Deadline, now
from .relay import Relay, Waiter
from .watchdog import ReaderWatchdog
from .ws_connect import (
    Backoff,
    ConnectAttempts,
    connect_kwargs,
    log,
    socket_url,
)

__all__ = ["AsyncWebSocketTransport"]


class _Call(Waiter):
    """A waiting task; ``wakeup`` exists only while it sleeps (a lone caller never does)."""

    __slots__ = ("wakeup",)

    def __init__(self, service: str | None = None) -> None:
        super().__init__(service)
        self.wakeup: asyncio.Future[None] | None = None

    def wake(self) -> None:
        wakeup = self.wakeup
        if wakeup is not None and not wakeup.done():
            wakeup.set_result(None)


class AsyncWebSocketTransport:
    """Every planned socket call over one multiplexed ``/api/v1/socket`` connection, opened
    lazily (the session sends what the socket does not carry over REST)."""

    def __init__(self, options: ClientOptions) -> None:
        self._url = socket_url(options)
        # Unbounded: frames nobody is reading yet must not pause the connection's reads, or
        # keepalive pongs go unread and the connection is dropped.
        self._connect_kwargs = {**connect_kwargs(options), "max_queue": None}
        self._core: MuxCore[_Call] = MuxCore(
            credentials=options.credentials, workspace=options.workspace
        )
        self._backoff = Backoff()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reset_loop_state()

    def _reset_loop_state(self) -> None:
        self._conn: ClientConnection | None = None
        self._connect_lock = asyncio.Lock()
        self._auth_lock = asyncio.Lock()
        self._core.connection_lost()  # requests of another loop cannot be woken from this one
        self._relay = Relay(self._core)
        self._watchdog = ReaderWatchdog()

    def __repr__(self) -> str:
        return f"AsyncWebSocketTransport(url={self._url!r}, core={self._core!r})"

    # -- public calls ---------------------------------------------------------------------

    async def request(self, plan: CallPlan) -> dict[str, Any]:
        """Send one planned request and return the response of its final frame."""
        call = _Call(plan.op.service)
        req_id = await self._send(plan, call)
        finished = False
        try:
            while True:
                # _next_frame's wait, written out: one coroutine less between the caller and
                # the socket read, which every resumption passes through
                if not call.has_news():
                    until = plan.deadline.next_frame()
                    if not await self._wait(call, call.has_news, until):
                        raise plan.timed_out(until)
                frame = call.take()
                finished = frame.final
                if frame.error is not None:
                    raise frame.error
                if finished:
                    return frame.response
        finally:
            if not finished:
                self._relay.forget(req_id)

    async def open(self, plan: CallPlan) -> _AsyncFrameSource:
        """Send one planned request and return the source of its frames."""
        call = _Call(plan.op.service)
        req_id = await self._send(plan, call)
        return _AsyncFrameSource(self, plan, req_id, call)

    async def _send(self, plan: CallPlan, call: _Call) -> str:
        """Register ``call``'s request on the socket and send it; returns its id."""
        self._bind_loop()
        conn = self._open_conn()
        registered = self._try_register(conn, plan, call) if conn is not None else None
        # No open connection yet, or no free slot: wait the long way.
        conn, req_id, text = registered or await self._register(plan, call)
        try:
            await conn.send(text)
        except BaseException as exc:
            self._relay.forget(req_id)  # also when cancelled, or the slot would never come back
            if not isinstance(exc, Exception):
                raise
            op = plan.op
            raise ConnectionClosedError(
                f"{op.service} ({op.name}): the connection closed while sending; not retried",
                service=op.service,
            ) from exc
        return req_id

    async def _next_frame(self, call: _Call, plan: CallPlan) -> Frame:
        """The next frame of ``call``'s request; raises what ended it without one."""
        if not call.has_news():
            until = plan.deadline.next_frame()
            if not await self._wait(call, call.has_news, until):
                raise plan.timed_out(until)
        return call.take()

    async def reauthenticate(self, deadline: Deadline) -> None:
        """Send the client's new token on the open socket, if any (the next connection uses it
        anyway). Raises :class:`AuthError` when the gateway refuses it; the caller restores the
        previous token, which the gateway keeps using."""
        self._bind_loop()
        async with self._auth_lock:
            conn = self._conn
            if conn is None or conn.state is not State.OPEN:
                return
            call = self._relay.auth = _Call()
            try:
                await conn.send(self._core.auth_frame())
                answered = await self._wait(call, call.has_reply, deadline.at)
            except ConnectionClosed:
                return  # the next connection authenticates with it
            finally:
                if self._relay.auth is call:
                    self._relay.auth = None
            call.auth_outcome(answered, deadline.timeout)

    async def close(self) -> None:
        """Close the socket; pending requests fail with :class:`ConnectionClosedError`."""
        self._closed = True
        self._bind_loop()  # a connection of an earlier loop cannot be closed from this one
        self._watchdog.disarm()
        conn = self._conn
        if conn is not None:
            self._lost(conn, "the client was closed")
            await conn.close()

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
        if (conn := self._open_conn()) is not None:
            return conn
        async with self._connect_lock:
            conn = self._conn
            if conn is not None and conn.state is State.OPEN:
                return conn
            if conn is not None:
                # Closed while nobody was reading (a proxy's idle close): route what arrived
                # before the close, then fail what is left, before opening a new one.
                await self._wait(_Call(), lambda: self._conn is not conn, until)
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
            return conn
        raise attempts.give_up() from attempts.error

    async def _open(self, until: float) -> ClientConnection:
        """Open and authenticate one connection."""
        conn: ClientConnection = await connect(
            self._url, open_timeout=until - now(), **self._connect_kwargs
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

    def _lost(self, conn: ClientConnection, why: str) -> None:
        if self._conn is conn:
            self._conn = None
            self._relay.fail_all(why)

    # -- slots ----------------------------------------------------------------------------

    def _open_conn(self) -> ClientConnection | None:
        """The connection, if it is open and the client is not closed."""
        conn = self._conn
        if conn is not None and conn.state is State.OPEN and not self._closed:
            return conn
        return None

    def _try_register(
        self, conn: ClientConnection, plan: CallPlan, call: _Call
    ) -> tuple[ClientConnection, str, str] | None:
        """Register the request on ``conn`` if a slot is free; else ``call`` is queued."""
        opened = self._core.try_open(plan.op, plan.body, plan.flow, call)
        if opened is None:
            return None
        self._relay.wake_slot_waiter()
        return (conn, *opened)

    async def _register(self, plan: CallPlan, call: _Call) -> tuple[ClientConnection, str, str]:
        """Take an in-flight slot on an open connection and register the request there."""
        op, until = plan.op, plan.deadline.at
        try:
            while True:
                conn = await self._ensure(until)
                if (registered := self._try_register(conn, plan, call)) is not None:
                    return registered

                def free(conn: ClientConnection = conn) -> bool:
                    return self._core.next_in_line() is call or self._conn is not conn

                if not await self._wait(call, free, until):
                    raise RequestTimeoutError(
                        f"{op.service} ({op.name}): no free slot on the socket in time",
                        service=op.service,
                    )
        except BaseException:
            self._core.give_up(call)
            self._relay.wake_slot_waiter()
            raise

    # -- leader / follower ----------------------------------------------------------------

    async def _wait(self, call: _Call, ready: Callable[[], bool], until: float) -> bool:
        """Wait until ``ready()`` or ``until``; False on time-out.

        Whoever waits while nobody reads becomes the leader and reads the socket itself.
        """
        relay = self._relay
        while True:
            if ready():
                relay.hand_over()
                return True
            if until - now() <= 0:
                relay.hand_over()
                return ready()
            conn = self._conn
            if conn is not None and relay.lead():
                # The leader reads and routes frames until ready(), the deadline (the
                # watchdog's cancel) or the end of the connection.
                watchdog = self._watchdog
                task = watchdog.watch(until)
                try:
                    while not ready():
                        relay.deliver(decode(await conn.recv()))
                except asyncio.CancelledError:
                    if not watchdog.expired(task):
                        raise
                except ConnectionClosed as exc:
                    self._lost(conn, f"the connection to the gateway was lost ({exc})")
                finally:
                    watchdog.release()
                    relay.stop_leading()
                continue
            wakeup = call.wakeup = asyncio.get_running_loop().create_future()
            relay.sleep(call)
            try:
                async with asyncio.timeout_at(until):
                    await wakeup
            except TimeoutError:
                pass
            finally:
                call.wakeup = None
                relay.awake(call)
                relay.hand_over()  # woken to lead but cancelled: the next sleeper leads


class _AsyncFrameSource:
    """The frames of one request on the async socket."""

    def __init__(
        self, transport: AsyncWebSocketTransport, plan: CallPlan, req_id: str, call: _Call
    ) -> None:
        self._transport = transport
        self._plan = plan
        self._req_id = req_id
        self._call = call
        self._done = False

    async def next_response(self) -> dict[str, Any] | None:
        if self._done:
            return None
        try:
            frame = await self._transport._next_frame(self._call, self._plan)
        except BaseException:
            self.stop()
            raise
        if frame.final:
            self._done = True
        if frame.error is not None:
            raise frame.error
        return frame.response

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if not self._done:
            self._done = True
            self._transport._relay.forget(self._req_id)
        self._call.frames.clear()
