"""tgclient's hand-written runtime: transports, sessions, models, errors.

It is spec-agnostic: it never imports ``tgclient`` and names no gateway service. Generated code
describes each operation with an :class:`Operation` and calls a session.
"""

from .errors import (
    AccessDeniedError,
    APIStatusError,
    AuthError,
    BadRequestError,
    ConfigurationError,
    ConnectError,
    ConnectionClosedError,
    GatewayError,
    NotFoundError,
    RequestTimeoutError,
    ResponseValidationError,
    ServiceError,
    StreamingNotSupportedError,
    TransportError,
    TrustGraphError,
    UnknownServiceError,
    UnsupportedOperationError,
    WorkspaceNotFoundError,
    error_from_wire,
)
from .models import WireModel, dump_request, parse_response
from .operation import Operation, StreamEnd, Surface
from .options import DEFAULT_TIMEOUT, DEFAULT_URL, ClientOptions, Secret
from .results import TextResult
from .session import AsyncSession, SyncSession
from .streaming import AsyncStream, Stream

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_URL",
    "APIStatusError",
    "AccessDeniedError",
    "AsyncSession",
    "AsyncStream",
    "AuthError",
    "BadRequestError",
    "ClientOptions",
    "ConfigurationError",
    "ConnectError",
    "ConnectionClosedError",
    "GatewayError",
    "NotFoundError",
    "Operation",
    "RequestTimeoutError",
    "ResponseValidationError",
    "Secret",
    "ServiceError",
    "StreamingNotSupportedError",
    "Stream",
    "StreamEnd",
    "Surface",
    "SyncSession",
    "TextResult",
    "TransportError",
    "TrustGraphError",
    "UnknownServiceError",
    "UnsupportedOperationError",
    "WireModel",
    "WorkspaceNotFoundError",
    "dump_request",
    "error_from_wire",
    "parse_response",
]
