"""Retries where they are safe: idempotent calls after a transient failure.

An operation the spec marks ``idempotent`` (reads: get, list, query) is sent again, up to
``max_retries`` times (default 2; 0 turns retries off), when it fails with

* :class:`~.errors.ConnectError` (nothing reached the gateway),
* :class:`~.errors.ConnectionClosedError` (the connection dropped mid-call), or
* an HTTP 429, 502, 503 or 504 (a proxy or an overloaded gateway),

after a capped, jittered exponential delay, and only while the call's deadline leaves room for
the delay. Everything else is raised at once. A non-idempotent operation is never sent again:
its error then says whether the request may have reached the gateway, so the caller can decide
whether to check before repeating it.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, TypeVarTuple

from .errors import APIStatusError, ConnectError, ConnectionClosedError, TrustGraphError
from .operation import Operation
from .plan import Deadline

__all__ = [
    "RETRY_STATUSES",
    "RetryPolicy",
    "call_async",
    "call_sync",
    "retry_async",
    "retry_sync",
    "retryable",
]

RETRY_STATUSES = frozenset({429, 502, 503, 504})

T = TypeVar("T")
Args = TypeVarTuple("Args")


def retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is a transient failure another attempt may get past."""
    if isinstance(exc, ConnectError | ConnectionClosedError):
        return not _permanent(exc)
    return isinstance(exc, APIStatusError) and exc.status in RETRY_STATUSES


def _permanent(exc: BaseException) -> bool:
    """A connection failure no retry can fix: TLS refused, or an HTTP refusal of the upgrade."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):
            return True
        status = getattr(getattr(current, "response", None), "status_code", None)
        if isinstance(status, int) and status not in RETRY_STATUSES:
            return True
        current = current.__cause__ or current.__context__
    return False


def _reached(exc: TrustGraphError) -> str:
    if isinstance(exc, ConnectError):
        return "nothing reached the gateway"
    if exc.status == 429:
        return "the gateway refused it as too many requests"
    return "the request may have reached the gateway and been carried out"


class RetryPolicy:
    """Capped, jittered exponential delays: ``min(cap, base * 2**n)`` times 0.5 to 1."""

    def __init__(self, max_retries: int, base: float = 0.2, cap: float = 4.0) -> None:
        self.max_retries = max_retries
        self.base = base
        self.cap = cap

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (0 for the first)."""
        return min(self.cap, self.base * 2.0**retry) * random.uniform(0.5, 1.0)

    def next_delay(
        self, op: Operation, exc: TrustGraphError, retry: int, deadline: Deadline
    ) -> float:
        """The delay before another attempt, or raise ``exc`` (annotated) when there is none."""
        if not retryable(exc):
            raise exc
        if not op.idempotent:
            exc.message = (
                f"{exc.message} ({_reached(exc)}; not resent, because {op.service} {op.name} "
                "is not idempotent)"
            )
            raise exc
        if retry >= self.max_retries:
            if retry:
                # A transport says "not retried" of its one attempt; here it was.
                tried = f"retried {retry} times"
                text = exc.message.replace(
                    "the request was not retried", f"the request was {tried}"
                )
                exc.message = text if text != exc.message else f"{text} ({tried})"
            raise exc
        delay = self.delay(retry)
        if deadline.remaining() <= delay:
            raise exc
        return delay


def call_sync(
    op: Operation,
    deadline: Deadline,
    policy: RetryPolicy,
    send: Callable[[*Args], T],
    *args: *Args,
) -> T:
    """``send(*args)``, again after transient failures while ``policy`` allows it."""
    try:
        return send(*args)
    except TrustGraphError as exc:
        return retry_sync(op, deadline, policy, exc, send, *args)


def retry_sync(
    op: Operation,
    deadline: Deadline,
    policy: RetryPolicy,
    failure: TrustGraphError,
    send: Callable[[*Args], T],
    *args: *Args,
) -> T:
    """After ``send(*args)`` failed with ``failure``: send again while ``policy`` allows it
    (callers on a hot path make the first attempt themselves)."""
    retry = 0
    while True:
        time.sleep(policy.next_delay(op, failure, retry, deadline))
        retry += 1
        try:
            return send(*args)
        except TrustGraphError as exc:
            failure = exc


async def call_async(
    op: Operation,
    deadline: Deadline,
    policy: RetryPolicy,
    send: Callable[[*Args], Awaitable[T]],
    *args: *Args,
) -> T:
    """``await send(*args)``, again after transient failures while ``policy`` allows it."""
    try:
        return await send(*args)
    except TrustGraphError as exc:
        return await retry_async(op, deadline, policy, exc, send, *args)


async def retry_async(
    op: Operation,
    deadline: Deadline,
    policy: RetryPolicy,
    failure: TrustGraphError,
    send: Callable[[*Args], Awaitable[T]],
    *args: *Args,
) -> T:
    """The asyncio twin of :func:`retry_sync`."""
    retry = 0
    while True:
        await asyncio.sleep(policy.next_delay(op, failure, retry, deadline))
        retry += 1
        try:
            return await send(*args)
        except TrustGraphError as exc:
            failure = exc
