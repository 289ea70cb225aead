"""Blocking WebSocket transport: one socket shared by any number of threads.

The socket is read by websockets' own background thread; of our threads, exactly one at a
time - the *leader* - takes frames from it and routes them (leader/follower). A caller that
waits while nobody reads becomes the leader itself, so a lone caller reads its own answer
with no hand-off to another thread; the others sleep until the leader routes a frame to them
or passes the role on. Waiting for an in-flight slot counts as waiting, so frames keep
flowing while callers queue. No event loop is involved, so it works under Jupyter and inside
async frameworks.

Calls through the transport: wait for a slot (at most 15 requests in flight), send the
envelope, read frames until the final one. A lost connection fails every pending request at
once with :class:`ConnectionClosedError`; the next call reconnects (with backoff) and
authenticates again. Nothing is re-sent on its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.protocol import State
from websockets.sync.client import ClientConnection

from .errors import ConnectionClosedError, RequestTimeoutError, TrustGraphError
from .mux import AuthReply, Frame, MuxCore, decode
from .options import ClientOptions
from .plan import CallPlan, Deadline
from .relay import Relay, Waiter
from .ws_connect import (
    Backoff,
    ConnectAttempts,
    connect_kwargs,
    log,
    socket_url,
    sync_connect,
)

__all__ = ["SyncWebSocketTransport"]

_now = time.monotonic


class _Waiter(Waiter):
    """A blocked thread; ``event`` is made when it first has to sleep (a lone caller reads
    for itself and never does)."""

    __slots__ = ("event",)

    def __init__(self, service: str | None = None) -> None:
        super().__init__(service)
        self.event: threading.Event | None = None

    def wake(self) -> None:
        """Wake the caller if it sleeps (transport lock held)."""
        if self.event is not None:
            self.event.set()


class SyncWebSocketTransport:
    """Every planned socket call over one multiplexed ``/api/v1/socket`` connection, opened
    lazily (the session sends what the socket does not carry over REST)."""

    def __init__(self, options: ClientOptions) -> None:
        self._url = socket_url(options)
        # Unbounded: frames nobody is reading yet must not pause websockets' reader thread,
        # or keepalive pongs go unread and the connection is dropped.
        self._connect_kwargs = {**connect_kwargs(options), "max_queue": None}
        self._core: MuxCore[_Waiter] = MuxCore(
            credentials=options.credentials, workspace=options.workspace
        )
        self._relay = Relay(self._core)
        self._lock = threading.Lock()  # guards everything below and all calls into the relay
        self._connect_lock = threading.Lock()
        self._auth_lock = threading.Lock()
        self._conn: ClientConnection | None = None
        self._backoff = Backoff()
        self._closed = False

    def __repr__(self) -> str:
        return f"SyncWebSocketTransport(url={self._url!r}, core={self._core!r})"

    # -- public calls ---------------------------------------------------------------------

    def request(self, plan: CallPlan) -> dict[str, Any]:
        """Send one planned request and return the response of its final frame."""
        waiter = _Waiter(plan.op.service)
        req_id = self._send(plan, waiter)
        finished = False
        try:
            while True:
                frame = self._next_frame(waiter, plan)
                finished = frame.final
                if frame.error is not None:
                    raise frame.error
                if finished:
                    return frame.response
        finally:
            if not finished:
                self._forget(req_id)

    def open(self, plan: CallPlan) -> _FrameSource:
        """Send one planned request and return the source of its frames."""
        waiter = _Waiter(plan.op.service)
        return _FrameSource(self, plan, self._send(plan, waiter), waiter)

    def _send(self, plan: CallPlan, waiter: _Waiter) -> str:
        """Register ``waiter``'s request on the socket and send it; returns its id."""
        conn, req_id, text = self._register(plan, waiter)
        try:
            conn.send(text)
        except BaseException as exc:
            self._forget(req_id)
            if not isinstance(exc, Exception):
                raise
            self._lost(conn, exc)
            op = plan.op
            raise ConnectionClosedError(
                f"{op.service} ({op.name}): the connection closed while sending; not retried",
                service=op.service,
            ) from exc
        return req_id

    def _next_frame(self, waiter: _Waiter, plan: CallPlan) -> Frame:
        """The next frame of ``waiter``'s request; raises what ended it without one."""
        until = plan.deadline.next_frame()
        if not self._wait(waiter, waiter.has_news, until):
            raise plan.timed_out(until)
        with self._lock:
            return waiter.take()

    def reauthenticate(self, deadline: Deadline) -> None:
        """Send the client's new token on the open socket, if any (the next connection uses it
        anyway). Raises :class:`AuthError` when the gateway refuses it; the caller restores the
        previous token, which the gateway keeps using."""
        with self._auth_lock:
            with self._lock:
                conn = self._conn
            if conn is None or conn.state is not State.OPEN:
                return
            waiter = _Waiter()
            with self._lock:
                self._relay.auth = waiter
                text = self._core.auth_frame()
            try:
                conn.send(text)
                answered = self._wait(waiter, waiter.has_reply, deadline.at)
            finally:
                with self._lock:
                    if self._relay.auth is waiter:
                        self._relay.auth = None
            waiter.auth_outcome(answered, deadline.timeout)

    def close(self) -> None:
        """Close the socket; pending requests fail with :class:`ConnectionClosedError`."""
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
            self._relay.fail_all("the client was closed")
        if conn is not None:
            conn.close()

    # -- connection -----------------------------------------------------------------------

    def _open_conn(self) -> ClientConnection | None:
        """The connection, if it is open and the client is not closed (read without the lock:
        :meth:`_register` checks it again under the lock)."""
        conn = self._conn
        if conn is not None and conn.state is State.OPEN and not self._closed:
            return conn
        return None

    def _ensure(self, until: float) -> ClientConnection:
        """The open, authenticated connection, opening one if needed."""
        with self._lock:
            if self._closed:
                raise ConnectionClosedError("the client was closed")
            conn = self._conn
            if conn is not None and conn.state is State.OPEN:
                return conn
        if conn is not None:
            # Closed while nobody was reading (a proxy's idle close): route what arrived
            # before the close, then fail what is left, before opening a new one.
            self._wait(_Waiter(), lambda: self._conn is not conn, until)
        return self._connect(until)

    def _connect(self, until: float) -> ClientConnection:
        if not self._connect_lock.acquire(timeout=max(0.0, until - _now())):
            raise RequestTimeoutError("timed out waiting for another thread to connect")
        try:
            with self._lock:
                conn = self._conn
                if conn is not None and conn.state is State.OPEN:
                    return conn
            attempts = ConnectAttempts(self._backoff, self._url, until)
            while (delay := attempts.next_delay()) is not None:
                time.sleep(delay)
                try:
                    conn = self._open(until)
                except TrustGraphError:
                    raise
                except Exception as exc:
                    attempts.failed(exc)
                    continue
                attempts.succeeded()
                with self._lock:
                    self._conn = conn
                return conn
            raise attempts.give_up() from attempts.error
        finally:
            self._connect_lock.release()

    def _open(self, until: float) -> ClientConnection:
        """Open and authenticate one connection."""
        conn = sync_connect(self._url, open_timeout=until - _now(), **self._connect_kwargs)
        try:
            with self._lock:
                text = self._core.auth_frame()
            conn.send(text)
            while True:
                data = conn.recv(max(0.0, until - _now()))
                with self._lock:
                    event = self._core.receive(data)
                if isinstance(event, AuthReply):
                    if event.ok:
                        return conn
                    assert event.error is not None
                    raise event.error
                log.debug("ignoring %s before auth-ok", event)
        except BaseException:
            conn.close()
            raise

    def _lost(self, conn: ClientConnection, exc: BaseException) -> None:
        with self._lock:
            if self._conn is not conn:
                return
            self._conn = None
            self._relay.fail_all(f"the connection to the gateway was lost ({exc})")
        conn.close()

    # -- slots ----------------------------------------------------------------------------

    def _register(self, plan: CallPlan, waiter: _Waiter) -> tuple[ClientConnection, str, str]:
        """Take an in-flight slot on an open connection and register the request there."""
        op, until = plan.op, plan.deadline.at
        try:
            while True:
                conn = self._open_conn() or self._ensure(until)  # no lock when it is open
                with self._lock:
                    if self._conn is conn:
                        opened = self._core.try_open(op, plan.body, plan.flow, waiter)
                        if opened is not None:
                            self._relay.wake_slot_waiter()
                            return (conn, *opened)

                def free(conn: ClientConnection = conn) -> bool:
                    return self._core.next_in_line() is waiter or self._conn is not conn

                if not self._wait(waiter, free, until):
                    raise RequestTimeoutError(
                        f"{op.service} ({op.name}): no free slot on the socket in time",
                        service=op.service,
                    )
        except BaseException:
            with self._lock:
                self._core.give_up(waiter)
                self._relay.wake_slot_waiter()
            raise

    def _forget(self, req_id: str) -> None:
        with self._lock:
            self._relay.forget(req_id)

    # -- leader / follower ----------------------------------------------------------------

    def _wait(self, waiter: _Waiter, ready: Callable[[], bool], until: float) -> bool:
        """Block until ``ready()`` (checked under the lock) or ``until``; False on time-out.

        Whoever waits while nobody reads becomes the leader and reads the socket itself.
        """
        lock, relay = self._lock, self._relay
        while True:
            with lock:
                if ready():
                    relay.hand_over()
                    return True
                conn = self._conn
                lead = conn is not None and relay.lead()
                if not lead:
                    if waiter.event is None:
                        waiter.event = threading.Event()
                    waiter.event.clear()
                    relay.sleep(waiter)
            remaining = until - _now()
            try:
                if remaining > 0 and conn is not None and lead:
                    self._lead(conn, ready, until)
                elif remaining > 0 and waiter.event is not None:
                    waiter.event.wait(remaining)
            finally:
                with lock:
                    if lead:
                        relay.stop_leading()
                    else:
                        relay.awake(waiter)
                        relay.hand_over()
                    done = ready()  # the reader role is already handed over
            if done or remaining <= 0:
                return done

    def _lead(self, conn: ClientConnection, ready: Callable[[], bool], until: float) -> None:
        """Read and route frames until ``ready()``, the deadline or the end of ``conn``."""
        while True:
            remaining = until - _now()
            if remaining <= 0:
                return
            try:
                data = conn.recv(remaining)
            except TimeoutError:
                return
            except (ConnectionClosed, EOFError, OSError) as exc:
                self._lost(conn, exc)
                return
            message = decode(data)
            with self._lock:
                self._relay.deliver(message)
                if ready():
                    return


class _FrameSource:
    """The frames of one request on the sync socket."""

    def __init__(
        self, transport: SyncWebSocketTransport, plan: CallPlan, req_id: str, waiter: _Waiter
    ) -> None:
        self._transport = transport
        self._plan = plan
        self._req_id = req_id
        self._waiter = waiter
        self._done = False

    def next_response(self) -> dict[str, Any] | None:
        if self._done:
            return None
        try:
            frame = self._transport._next_frame(self._waiter, self._plan)
        except BaseException:
            self.close()
            raise
        if frame.final:
            self._done = True
        if frame.error is not None:
            raise frame.error
        return frame.response

    def close(self) -> None:
        if not self._done:
            self._done = True
            self._transport._forget(self._req_id)
        self._waiter.frames.clear()
