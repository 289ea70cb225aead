"""tgclient's hand-written runtime: transports, sessions, models, errors.

It is spec-agnostic: it never imports ``tgclient`` and names no gateway service. Generated code
describes each operation with an :class:`Operation` and calls a session.
"""

from typing import TYPE_CHECKING

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
from .lazy import attach

if TYPE_CHECKING:
    from .models import WireModel, dump_request, parse_response
    from .operation import Operation, StreamEnd, Surface
    from .options import DEFAULT_TIMEOUT, DEFAULT_URL, ClientOptions, Secret
    from .results import TextResult
    from .session import AsyncSession, SyncSession
    from .streaming import AsyncStream, Stream
else:
    # Loaded on first use: importing the runtime (or its errors) does not import pydantic
    # models, httpx or websockets.
    __getattr__, __dir__ = attach(
        __name__,
        {
            **dict.fromkeys(["WireModel", "dump_request", "parse_response"], ".models"),
            **dict.fromkeys(["Operation", "StreamEnd", "Surface"], ".operation"),
            **dict.fromkeys(
                ["DEFAULT_TIMEOUT", "DEFAULT_URL", "ClientOptions", "Secret"], ".options"
            ),
            "TextResult": ".results",
            **dict.fromkeys(["AsyncSession", "SyncSession"], ".session"),
            **dict.fromkeys(["AsyncStream", "Stream"], ".streaming"),
        },
        namespace=globals(),
    )

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
