"""The sans-I/O core of the WebSocket multiplexer (gateway-2.11 §5).

It builds envelopes with unique ids, runs the in-band auth state machine, hands out the in-flight
slots (at most :data:`MAX_IN_FLIGHT`, first come first served), routes each incoming frame to the
request it belongs to and decides when a request is over (§5.6). It does no I/O and takes no
locks: the sync and async drivers feed it the text they read, send the text it returns, wake the
callers it names and serialise their calls into it.
"""

from __future__ import annotations

import enum
import itertools
from collections import deque
from collections.abc import Mapping
from typing import Any, Generic, NamedTuple, TypeVar

from .errors import TrustGraphError, error_from_wire
from .operation import Operation
from .options import Credentials, Secret
from .wire_json import dumps, loads

__all__ = [
    "AuthReply",
    "AuthState",
    "Delivery",
    "Frame",
    "MAX_IN_FLIGHT",
    "MuxCore",
    "Stray",
    "decode",
    "read_frame",
]

SinkT = TypeVar("SinkT")

MAX_IN_FLIGHT = 15  # the gateway starts at most 16 tasks per socket and prunes them FIFO (§5.7)


class Frame(NamedTuple):
    """One frame of one request, read: its response object, its error, and whether it is last."""

    response: dict[str, Any]
    error: TrustGraphError | None
    final: bool


class Delivery(NamedTuple, Generic[SinkT]):
    """A frame for the request registered with ``sink``."""

    sink: SinkT
    frame: Frame


class AuthReply(NamedTuple):
    """The gateway's answer to an auth frame."""

    ok: bool
    default_workspace: str | None
    error: TrustGraphError | None


class Stray(NamedTuple):
    """A frame that belongs to no current request (late, after a cancel, or malformed)."""

    reason: str
    message: Any


class AuthState(enum.Enum):
    NONE = "none"  # no auth frame sent on this connection yet
    PENDING = "pending"  # sent, waiting for the first answer
    OK = "ok"
    FAILED = "failed"


def read_frame(message: Mapping[str, Any], op: Operation) -> Frame:
    """Read one response frame of ``op``: any error, else the end flag, decides that it is final.

    Final when the envelope has ``complete: true``, when the operation's end field is true in
    the response, or when there is an error at the top level or inside ``response`` — errors
    can arrive with ``complete: false`` and nothing follows them (§5.6).
    """
    error = message.get("error")
    if error:
        return Frame({}, error_from_wire(error, body=dict(message), service=op.service), True)
    response = message.get("response")
    if response is None:
        response = {}
    elif not isinstance(response, dict):
        wrong = f"expected a JSON object from {op.service}, got {type(response).__name__}"
        return Frame({}, error_from_wire(wrong, body=dict(message), service=op.service), True)
    inner = response.get("error")
    if inner:
        return Frame(response, error_from_wire(inner, body=response, service=op.service), True)
    field = op.end.field
    final = bool(message.get("complete")) or (field is not None and bool(response.get(field)))
    return Frame(response, None, final)


def decode(data: str | bytes) -> dict[str, Any] | Stray:
    """Parse one incoming message; drivers may do this outside their lock."""
    try:
        message = loads(data)
    except ValueError:
        return Stray("not JSON", data[:200])
    if not isinstance(message, dict):
        return Stray("not an object", message)
    return message


class MuxCore(Generic[SinkT]):
    """Protocol state of one logical socket: auth, workspace, and the requests in flight.

    ``SinkT`` is whatever the driver wants back with each frame (a queue, a call object).
    A reconnect keeps the token and the adopted workspace and forgets everything else.
    The token is read from ``credentials`` (shared with the client's other transports).
    """

    def __init__(
        self,
        *,
        token: Secret | None = None,
        workspace: str | None = None,
        credentials: Credentials | None = None,
        limit: int = MAX_IN_FLIGHT,
    ) -> None:
        if credentials is None:
            credentials = Credentials(token.reveal() if token else None)
        self._credentials = credentials
        self._user_workspace = workspace
        self._default_workspace: str | None = None
        self._ids = itertools.count(1)
        self._pending: dict[str, tuple[SinkT, Operation]] = {}
        self._waiting: deque[SinkT] = deque()
        self._limit = limit
        self.auth_state = AuthState.NONE

    def __repr__(self) -> str:
        return (
            f"MuxCore(auth={self.auth_state.value}, workspace={self.workspace!r}, "
            f"pending={len(self._pending)})"
        )

    # -- auth -----------------------------------------------------------------------------

    @property
    def token(self) -> Secret | None:
        return self._credentials.token

    @token.setter
    def token(self, token: Secret | None) -> None:
        self._credentials.set(token.reveal() if token else None)

    @property
    def workspace(self) -> str | None:
        """The user's workspace, else the identity's default once the gateway told it."""
        return self._user_workspace or self._default_workspace

    def auth_frame(self) -> str:
        """The auth frame to send now (first on every connection, again to change the token)."""
        if self.auth_state is not AuthState.OK:
            self.auth_state = AuthState.PENDING
        token = self.token.reveal() if self.token else ""
        return dumps({"type": "auth", "token": token})

    def _auth_reply(self, message: Mapping[str, Any]) -> AuthReply:
        if message.get("type") == "auth-ok":
            self.auth_state = AuthState.OK
            workspace = message.get("default_workspace")
            if isinstance(workspace, str) and workspace:
                self._default_workspace = workspace
            return AuthReply(True, self._default_workspace, None)
        # On failure the gateway keeps any previous identity, so an OK socket stays OK.
        if self.auth_state is not AuthState.OK:
            self.auth_state = AuthState.FAILED
        wire = {"type": "auth-failed", "message": str(message.get("error") or "auth failure")}
        return AuthReply(False, None, error_from_wire(wire, body=dict(message)))

    # -- requests -------------------------------------------------------------------------

    def try_open(
        self, op: Operation, body: Mapping[str, Any], flow: str | None, sink: SinkT
    ) -> tuple[str, str] | None:
        """Register a request if a slot is free and nobody queued before ``sink``; else queue
        ``sink`` (once) and return None: the driver waits until :meth:`next_in_line` names it.
        """
        waiting = self._waiting
        if len(self._pending) < self._limit and (not waiting or waiting[0] is sink):
            if waiting:
                waiting.popleft()
            return self.open(op, body, flow, sink)
        if sink not in waiting:
            waiting.append(sink)
        return None

    def give_up(self, sink: SinkT) -> None:
        """``sink`` stops waiting for a slot (its deadline passed, or it was cancelled)."""
        if sink in self._waiting:
            self._waiting.remove(sink)

    def next_in_line(self) -> SinkT | None:
        """The queued caller to wake because a slot is free, if any."""
        if self._waiting and len(self._pending) < self._limit:
            return self._waiting[0]
        return None

    def waiting(self) -> list[SinkT]:
        """Every caller queued for a slot (to wake when the connection is lost)."""
        return list(self._waiting)

    def open(
        self, op: Operation, body: Mapping[str, Any], flow: str | None, sink: SinkT
    ) -> tuple[str, str]:
        """Register a request (slot accounting aside); returns its id and the envelope."""
        envelope: dict[str, Any] = {"id": "", "service": op.service}
        if op.needs_flow:
            envelope["flow"] = flow
        workspace = self.workspace
        if workspace and op.workspace_in_body:
            envelope["workspace"] = workspace
        envelope["request"] = body
        req_id = f"r{next(self._ids)}"
        envelope["id"] = req_id
        text = dumps(envelope)
        self._pending[req_id] = (sink, op)
        return req_id, text

    def forget(self, req_id: str) -> bool:
        """Stop tracking a request (closed early, timed out); its later frames become strays.

        Returns whether it was still pending.
        """
        return self._pending.pop(req_id, None) is not None

    @property
    def in_flight(self) -> int:
        return len(self._pending)

    def connection_lost(self) -> list[SinkT]:
        """Forget every request and the connection's auth; returns the sinks to fail."""
        sinks = [sink for sink, _ in self._pending.values()]
        self._pending.clear()
        self.auth_state = AuthState.NONE
        return sinks

    # -- incoming -------------------------------------------------------------------------

    def receive(self, data: str | bytes) -> Delivery[SinkT] | AuthReply | Stray:
        """Route one incoming message; a final frame ends its request here."""
        message = decode(data)
        return message if isinstance(message, Stray) else self.route(message)

    def route(self, message: dict[str, Any]) -> Delivery[SinkT] | AuthReply | Stray:
        """Route one decoded message (see :func:`decode`)."""
        kind = message.get("type")
        if kind == "auth-ok" or kind == "auth-failed":
            return self._auth_reply(message)
        req_id = message.get("id")
        if not isinstance(req_id, str) or (entry := self._pending.get(req_id)) is None:
            return Stray("no such request" if req_id else "no id", message)
        sink, op = entry
        frame = read_frame(message, op)
        if frame.final:
            del self._pending[req_id]
        return Delivery(sink, frame)
