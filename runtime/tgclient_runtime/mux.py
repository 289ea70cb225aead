"""The sans-I/O core of the WebSocket multiplexer (gateway-2.11 §5).

It builds envelopes with unique ids, runs the in-band auth state machine, routes each incoming
frame to the request it belongs to and decides when a request is over (§5.6). It does no I/O and
takes no locks: the sync and async drivers feed it the text they read, send the text it returns,
and serialise their calls into it.
"""

from __future__ import annotations

import enum
import itertools
import json
from collections.abc import Mapping
from typing import Any, Generic, NamedTuple, TypeVar

from .errors import TrustGraphError, error_from_wire
from .operation import Operation
from .options import Secret

__all__ = [
    "AuthReply",
    "AuthState",
    "Delivery",
    "Frame",
    "MuxCore",
    "Stray",
    "check_call",
    "decode",
    "read_frame",
]

SinkT = TypeVar("SinkT")

# Surfaces whose services are addressed to a workspace (gateway-2.11 §2.4).
_WORKSPACE_SURFACES = frozenset({"flow", "workspace"})


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
        message = json.loads(data)
    except ValueError:
        return Stray("not JSON", data[:200])
    if not isinstance(message, dict):
        return Stray("not an object", message)
    return message


def check_call(op: Operation, flow: str | None) -> None:
    """Refuse a call the socket cannot route, before anything is sent."""
    if op.surface == "flow" and not flow:
        raise ValueError(f"{op.service} needs a flow id")


class MuxCore(Generic[SinkT]):
    """Protocol state of one logical socket: auth, workspace, and the requests in flight.

    ``SinkT`` is whatever the driver wants back with each frame (a queue, a call object).
    A reconnect keeps the token and the adopted workspace and forgets everything else.
    """

    def __init__(self, *, token: Secret | None = None, workspace: str | None = None) -> None:
        self._token = token
        self._user_workspace = workspace
        self._default_workspace: str | None = None
        self._ids = itertools.count(1)
        self._pending: dict[str, tuple[SinkT, Operation]] = {}
        self.auth_state = AuthState.NONE

    def __repr__(self) -> str:
        return (
            f"MuxCore(auth={self.auth_state.value}, workspace={self.workspace!r}, "
            f"pending={len(self._pending)})"
        )

    # -- auth -----------------------------------------------------------------------------

    @property
    def token(self) -> Secret | None:
        return self._token

    @token.setter
    def token(self, token: Secret | None) -> None:
        self._token = token

    @property
    def workspace(self) -> str | None:
        """The user's workspace, else the identity's default once the gateway told it."""
        return self._user_workspace or self._default_workspace

    def auth_frame(self) -> str:
        """The auth frame to send now (first on every connection, again to change the token)."""
        if self.auth_state is not AuthState.OK:
            self.auth_state = AuthState.PENDING
        token = self._token.reveal() if self._token else ""
        return json.dumps({"type": "auth", "token": token})

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

    def open(
        self, op: Operation, body: Mapping[str, Any], flow: str | None, sink: SinkT
    ) -> tuple[str, str]:
        """Register a request; returns its id and the envelope to send."""
        check_call(op, flow)
        envelope: dict[str, Any] = {"id": "", "service": op.service}
        if op.surface == "flow":
            envelope["flow"] = flow
        workspace = self.workspace
        if workspace and op.surface in _WORKSPACE_SURFACES:
            envelope["workspace"] = workspace
        envelope["request"] = body
        req_id = f"r{next(self._ids)}"
        envelope["id"] = req_id
        text = json.dumps(envelope)
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
