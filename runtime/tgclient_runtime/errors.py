"""The one error tree of tgclient, and the one factory that maps wire errors onto it.

Every failure a call can meet becomes a subclass of :class:`TrustGraphError`. The gateway
reports errors in several shapes (gateway-2.11 §3.12, §5.4, §9): an HTTP status with a body
whose ``error`` is a string or a ``{type, message}`` object, a WebSocket envelope ``error``, or
an ``error`` object inside a service response. :func:`error_from_wire` turns all of them into
the same classes, so a failure raises the same exception whatever the transport.

Exceptions never carry the bearer token: only the status, the error type, the message and the
raw response body, none of which contain it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "APIStatusError",
    "AccessDeniedError",
    "ApplicationException",
    "AuthError",
    "BadRequestError",
    "ConfigurationError",
    "ConnectError",
    "ConnectionClosedError",
    "GatewayError",
    "NotFoundError",
    "ProtocolException",
    "RequestTimeoutError",
    "RequestValidationError",
    "ResponseValidationError",
    "ServiceError",
    "StreamingNotSupportedError",
    "TransportError",
    "TrustGraphError",
    "TrustGraphException",
    "UnknownServiceError",
    "UnsupportedOperationError",
    "WorkspaceNotFoundError",
    "error_from_wire",
]


class TrustGraphError(Exception):
    """Base class of every error raised by tgclient.

    Attributes:
        message: what went wrong, in the gateway's words where it gave any.
        status: the HTTP status code, or ``None`` when there was no HTTP response.
        error_type: the gateway's error type (``"gateway-error"``, ``"access-denied"`` …), if any.
        body: the raw response body or frame the error was read from, if any.
        service: the gateway service kind the call went to, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        body: Any = None,
        service: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_type = error_type
        self.body = body
        self.service = service

    def __str__(self) -> str:
        parts = [self.message or "(no message)"]
        detail = []
        if self.service:
            detail.append(f"service={self.service}")
        if self.status is not None:
            detail.append(f"status={self.status}")
        if self.error_type:
            detail.append(f"type={self.error_type}")
        if detail:
            parts.append(f"[{', '.join(detail)}]")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class ConfigurationError(TrustGraphError, ValueError):
    """The client was constructed or called with a value it cannot use."""


class UnsupportedOperationError(TrustGraphError):
    """The operation exists in the gateway's code but the gateway release cannot serve it."""


class StreamingNotSupportedError(UnsupportedOperationError, NotImplementedError):
    """Streaming was asked of a transport that cannot stream (REST returns only the last
    frame); use the WebSocket transport. Nothing was sent."""


class TransportError(TrustGraphError):
    """The request did not get a response: connection, protocol or time-out failure."""


class ConnectError(TransportError, ConnectionError):
    """The gateway could not be reached."""


class ConnectionClosedError(TransportError, ConnectionError):
    """The connection dropped while the request was in flight; it was not retried."""


class RequestTimeoutError(TransportError, TimeoutError):
    """The client-side deadline of the call passed before the answer arrived."""


class AuthError(TrustGraphError):
    """Authentication failed: REST 401, or a WebSocket ``auth-failed`` / ``auth-required``."""


class AccessDeniedError(TrustGraphError):
    """The identity may not perform this operation: REST 403 or WebSocket ``access-denied``."""


class NotFoundError(TrustGraphError):
    """REST 404."""


class UnknownServiceError(NotFoundError):
    """The gateway routes no such service (REST ``unknown kind``, WS ``unknown-service``)."""


class WorkspaceNotFoundError(NotFoundError):
    """The workspace is not known to the gateway."""


class BadRequestError(TrustGraphError):
    """The gateway refused the request (REST 400, a dispatcher error such as ``Invalid flow``)."""


class APIStatusError(TrustGraphError):
    """Any other HTTP error status."""


class GatewayError(TrustGraphError):
    """The gateway itself failed the request: time-out, translator failure, undecodable body."""


class ServiceError(TrustGraphError):
    """The back-end service answered with an error."""


class ResponseValidationError(TrustGraphError):
    """In strict mode, a response did not match the spec's schema."""


_BY_TYPE: dict[str, type[TrustGraphError]] = {
    "gateway-error": GatewayError,
    "auth-failed": AuthError,
    "auth-required": AuthError,
    "access-denied": AccessDeniedError,
    "unknown-service": UnknownServiceError,
    "workspace-not-found": WorkspaceNotFoundError,
    "error": BadRequestError,
}

_BY_STATUS: dict[int, type[TrustGraphError]] = {
    400: BadRequestError,
    401: AuthError,
    403: AccessDeniedError,
    404: NotFoundError,
}

_NOT_FOUND_BY_MESSAGE: dict[str, type[TrustGraphError]] = {
    "unknown kind": UnknownServiceError,
    "workspace not found": WorkspaceNotFoundError,
}


def _type_and_message(error: Any) -> tuple[str | None, str]:
    if isinstance(error, dict):
        kind = error.get("type") or error.get("code")
        message = error.get("message")
        return (str(kind) if kind else None, "" if message is None else str(message))
    if error is None:
        return None, ""
    return None, str(error)


def _pick_class(status: int | None, error_type: str | None, message: str) -> type[TrustGraphError]:
    if status is not None and status >= 400:
        if status == 404:
            return _NOT_FOUND_BY_MESSAGE.get(message, NotFoundError)
        return _BY_STATUS.get(status, APIStatusError)
    if error_type is None:
        # A bare string error on a 200 is a dispatcher exception ("Invalid flow …").
        return BadRequestError
    return _BY_TYPE.get(error_type, ServiceError)


def error_from_wire(
    error: Any,
    *,
    status: int | None = None,
    body: Any = None,
    service: str | None = None,
) -> TrustGraphError:
    """Build the exception for one wire error.

    Args:
        error: the ``error`` value as sent: a string, a ``{type, message}`` object, or ``None``
            when only the status tells (for example an HTTP 502 with an HTML body).
        status: the HTTP status, when the error came over REST.
        body: the raw body or frame, kept on the exception for inspection.
        service: the service kind the request went to.
    """
    error_type, message = _type_and_message(error)
    if not message:
        message = f"HTTP {status}" if status is not None and status >= 400 else "unknown error"
    cls = _pick_class(status, error_type, message)
    return cls(message, status=status, error_type=error_type, body=body, service=service)


class RequestValidationError(TrustGraphError, ValueError):
    """An argument of a call does not fit the request schema; nothing was sent."""


# The official client's names (trustgraph.api 2.11.1), so ``except`` clauses written for it
# keep working: each catches every error of this tree. Its ProtocolException (bad status or
# body) sat outside its hierarchy; here all three are the root.
TrustGraphException = TrustGraphError
ApplicationException = TrustGraphError
ProtocolException = TrustGraphError
