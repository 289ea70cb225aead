"""The call plan: every decision about one call, made once, before any I/O.

Sessions turn a generated method's call into a :class:`CallPlan` here; transports only carry
plans. What is decided, and where:

* :func:`resolve_timeout`: the seconds a call may take (``None`` means the client's default; a
  value that is not a positive number is refused, never silently replaced).
* :func:`check_flow`: a flow service names its flow.
* :func:`choose_route`: socket or REST (surfaces the socket does not carry go over REST), and
  whether that route can stream.
* :func:`wire_body`: the body's ``streaming`` flag, the workspace (for operations addressed to
  one, the spec's ``workspace_in_body``) and any ``extra_body`` fields.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple

from .errors import (
    RequestTimeoutError,
    RequestValidationError,
    StreamingNotSupportedError,
    UnsupportedOperationError,
)
from .operation import Operation
from .options import ClientOptions

__all__ = [
    "CallPlan",
    "Deadline",
    "Route",
    "check_flow",
    "choose_route",
    "plan_call",
    "refuse_unsupported",
    "resolve_timeout",
    "wire_body",
]

Route = Literal["socket", "rest"]

now = time.monotonic  # the one clock of every deadline (asyncio's default loop clock too)


class Deadline(NamedTuple):
    """When a call must be over, and how long it may wait for each next frame.

    (A named tuple, like :class:`CallPlan`: immutable, and built several times faster than a
    frozen dataclass, once per call.)"""

    at: float
    timeout: float
    idle: float | None = None

    @classmethod
    def after(cls, timeout: float, idle: float | None = None) -> Deadline:
        return cls(now() + timeout, timeout, idle)

    def remaining(self) -> float:
        return max(0.0, self.at - now())

    def next_frame(self) -> float:
        """The moment to give up waiting for the next frame."""
        return self.at if self.idle is None else min(self.at, now() + self.idle)

    def missed(self, until: float) -> str:
        """Why a wait that ended at ``until`` timed out, for the error message."""
        if until < self.at and self.idle is not None:
            return f"no frame for {self.idle:g} s"
        return f"no answer within {self.timeout:g} s"


class CallPlan(NamedTuple):
    """One call, ready to send: where it goes, what it sends and by when it must be over."""

    op: Operation
    body: dict[str, Any]
    flow: str | None
    route: Route
    streaming: bool
    deadline: Deadline

    def timed_out(self, until: float) -> RequestTimeoutError:
        """The error of a wait for this call's next frame that ended, unanswered, at ``until``."""
        op = self.op
        return RequestTimeoutError(
            f"{op.service} ({op.name}): {self.deadline.missed(until)}", service=op.service
        )


def resolve_timeout(timeout: float | None, default: float) -> float:
    """The seconds a call may take: ``timeout``, or ``default`` when it is ``None``."""
    if timeout is None:
        return default
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise RequestValidationError(
            f"timeout must be a positive number of seconds, or None for the client's default "
            f"({default:g} s); got {timeout!r}"
        )
    return float(timeout)


def refuse_unsupported(op: Operation) -> None:
    """Refuse, before sending anything, an operation the gateway cannot serve."""
    if op.unsupported:
        raise UnsupportedOperationError(
            f"{op.service} {op.name} cannot be served by the gateway: {op.unsupported}",
            service=op.service,
        )


def check_flow(op: Operation, flow: str | None) -> None:
    """A flow service must name the flow it goes to."""
    if op.needs_flow and not flow:
        raise RequestValidationError(
            f"{op.service} needs a flow id: call it on api.flow().id('<flow>')",
            service=op.service,
        )


def choose_route(options: ClientOptions, op: Operation, *, streaming: bool) -> Route:
    """Socket or REST for this call; refuses streaming where the route cannot stream."""
    route: Route = "socket" if options.transport == "websocket" and op.via_socket else "rest"
    if streaming and route != "socket":
        raise StreamingNotSupportedError(
            f"{op.service} streaming needs the WebSocket transport: the gateway's REST route "
            "returns only the last frame. Use a ws:// URL or Api(..., transport='websocket').",
            service=op.service,
        )
    return route


def wire_body(
    options: ClientOptions,
    op: Operation,
    request: Mapping[str, Any],
    *,
    streaming: bool,
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The body as sent: the request, plus the streaming flag, workspace and extra fields."""
    body = dict(request)
    if streaming and op.streams == "optional":
        body["streaming"] = True
    if options.workspace and op.workspace_in_body:
        body.setdefault("workspace", options.workspace)
    if extra_body:
        body.update(extra_body)
    return body


def plan_call(
    options: ClientOptions,
    op: Operation,
    request: Mapping[str, Any],
    *,
    flow: str | None = None,
    timeout: float | None = None,
    streaming: bool = False,
    extra_body: Mapping[str, Any] | None = None,
) -> CallPlan:
    """Plan one service call; raises a typed error (nothing sent) when it cannot work."""
    refuse_unsupported(op)
    check_flow(op, flow)
    seconds = resolve_timeout(timeout, options.timeout)
    route = choose_route(options, op, streaming=streaming)
    body = wire_body(options, op, request, streaming=streaming, extra_body=extra_body)
    idle = options.idle_timeout if route == "socket" else None
    return CallPlan(op, body, flow, route, streaming, Deadline.after(seconds, idle))
