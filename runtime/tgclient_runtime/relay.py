"""Who reads the socket and who is woken: the leader/follower bookkeeping both WebSocket
drivers share, without I/O.

Of the callers waiting on one socket, exactly one at a time - the *leader* - reads it and hands
each message to :meth:`Relay.deliver`, which files the frame with its request's waiter and
wakes that waiter; the others sleep until woken, and one of them takes the reader role when the
leader leaves it (:meth:`Relay.hand_over`). So a lone caller reads its own answer with no
hand-off to another thread or task. The drivers supply the reading, the sleeping and the waking
(threads or asyncio tasks) and, for threads, the lock around every call into here.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Generic, TypeVar

from .errors import ConnectionClosedError, RequestTimeoutError, TrustGraphError
from .mux import AuthReply, Delivery, Frame, MuxCore, Stray
from .ws_connect import log

__all__ = ["Relay", "Waiter"]


class Waiter:
    """One blocked caller: the frames of its request, the error that ended it, or an auth
    answer. A driver's subclass says how to wake it."""

    __slots__ = ("failure", "frames", "reply", "service")

    def __init__(self, service: str | None = None) -> None:
        self.frames: deque[Frame] = deque()
        self.failure: TrustGraphError | None = None
        self.reply: AuthReply | None = None
        self.service = service

    def has_news(self) -> bool:
        return bool(self.frames) or self.failure is not None

    def take(self) -> Frame:
        """The next frame of the request; raises what ended it when none is left."""
        if self.frames:
            return self.frames.popleft()
        assert self.failure is not None
        raise self.failure

    def has_reply(self) -> bool:
        return self.reply is not None or self.failure is not None

    def wake(self) -> None:
        """Wake the caller if it sleeps."""
        raise NotImplementedError

    def auth_outcome(self, answered: bool, timeout: float) -> None:
        """Raise what an auth frame's wait ended in: no answer in time, or a refusal."""
        if not answered:
            raise RequestTimeoutError(f"no answer to the new auth frame within {timeout:g} s")
        reply = self.reply
        if reply is not None and not reply.ok:
            assert reply.error is not None
            raise reply.error


W = TypeVar("W", bound=Waiter)


class Relay(Generic[W]):
    """The reader role, the sleeping callers and the routing of one socket's messages."""

    def __init__(self, core: MuxCore[W]) -> None:
        self.core = core
        self.reading = False  # a leader is reading the socket
        self.idle: dict[W, None] = {}  # callers asleep, oldest first
        self.auth: W | None = None  # the caller waiting for an auth answer

    def lead(self) -> bool:
        """Take the reader role if nobody holds it."""
        if self.reading:
            return False
        self.reading = True
        return True

    def stop_leading(self) -> None:
        self.reading = False
        self.hand_over()

    def sleep(self, waiter: W) -> None:
        self.idle[waiter] = None

    def awake(self, waiter: W) -> None:
        self.idle.pop(waiter, None)

    def hand_over(self) -> None:
        """Wake one sleeping caller to take the reader role if nobody holds it."""
        if not self.reading and self.idle:
            next(iter(self.idle)).wake()

    def wake_slot_waiter(self) -> None:
        """Wake the first caller queued for an in-flight slot, if one is free."""
        waiter = self.core.next_in_line()
        if waiter is not None:
            waiter.wake()

    def forget(self, req_id: str) -> None:
        """Stop tracking a request the caller gave up; its slot goes to the next in line."""
        self.core.forget(req_id)
        self.wake_slot_waiter()

    def deliver(self, message: dict[str, Any] | Stray) -> None:
        """File one decoded message with whoever waits for it, and wake them."""
        event = message if isinstance(message, Stray) else self.core.route(message)
        if isinstance(event, Delivery):
            waiter = event.sink
            waiter.frames.append(event.frame)
            waiter.wake()
            if event.frame.final:
                self.wake_slot_waiter()
        elif isinstance(event, AuthReply):
            if self.auth is not None:
                self.auth.reply = event
                self.auth.wake()
        else:
            log.debug("dropping frame: %s", event.reason)

    def fail_all(self, why: str) -> None:
        """The connection is gone: fail every pending request and wake every waiter."""
        for waiter in self.core.connection_lost():
            where = f"{waiter.service}: " if waiter.service else ""
            waiter.failure = ConnectionClosedError(
                f"{where}{why}; the request was not retried", service=waiter.service
            )
            waiter.wake()
        if self.auth is not None:
            self.auth.failure = ConnectionClosedError(why)
            self.auth.wake()
        for waiter in (*self.core.waiting(), *self.idle):
            waiter.wake()  # to connect again, or to fail if the client was closed
