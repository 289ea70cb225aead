"""error_from_wire, table-driven: every wire error shape the gateway sends maps to one class."""

from __future__ import annotations

from typing import Any

import pytest

from tgclient_runtime import errors as e
from tgclient_runtime.errors import error_from_wire


def typed(kind: str, message: str = "w") -> dict[str, str]:
    """A ``{type, message}`` error object as the socket sends it."""
    return {"type": kind, "message": message}


# (error as sent, HTTP status or None, expected class, expected error_type, expected message)
TABLE: list[tuple[Any, int | None, type[e.TrustGraphError], str | None, str]] = [
    # REST statuses (gateway-2.11 §3.12)
    ("auth failure", 401, e.AuthError, None, "auth failure"),
    ("access denied", 403, e.AccessDeniedError, None, "access denied"),
    ("unknown kind", 404, e.UnknownServiceError, None, "unknown kind"),
    ("workspace not found", 404, e.WorkspaceNotFoundError, None, "workspace not found"),
    (None, 404, e.NotFoundError, None, "HTTP 404"),
    ("bad", 400, e.BadRequestError, None, "bad"),
    (None, 500, e.APIStatusError, None, "HTTP 500"),
    (
        {"type": "upstream", "message": "bad gateway"},
        502,
        e.APIStatusError,
        "upstream",
        "bad gateway",
    ),
    # A bare string on 200: a dispatcher exception.
    ("Invalid flow default/x", 200, e.BadRequestError, None, "Invalid flow default/x"),
    ("Invalid flow default/x", None, e.BadRequestError, None, "Invalid flow default/x"),
    # WebSocket envelope and response error types (§5.4)
    (typed("gateway-error", "'prompt'"), None, e.GatewayError, "gateway-error", "'prompt'"),
    ({"type": "auth-failed", "message": "x"}, None, e.AuthError, "auth-failed", "x"),
    ({"type": "auth-required", "message": "y"}, None, e.AuthError, "auth-required", "y"),
    ({"type": "access-denied", "message": "z"}, None, e.AccessDeniedError, "access-denied", "z"),
    (typed("unknown-service", "s"), None, e.UnknownServiceError, "unknown-service", "s"),
    (typed("workspace-not-found"), None, e.WorkspaceNotFoundError, "workspace-not-found", "w"),
    ({"type": "error", "message": "m"}, None, e.BadRequestError, "error", "m"),
    ({"code": "llm-error", "message": "quota"}, None, e.ServiceError, "llm-error", "quota"),
    ({"type": "agent-error"}, None, e.ServiceError, "agent-error", "unknown error"),
    (None, None, e.BadRequestError, None, "unknown error"),
]


@pytest.mark.parametrize(("error", "status", "cls", "error_type", "message"), TABLE)
def test_error_from_wire(
    error: Any,
    status: int | None,
    cls: type[e.TrustGraphError],
    error_type: str | None,
    message: str,
) -> None:
    exc = error_from_wire(error, status=status, body={"raw": 1}, service="svc")
    assert type(exc) is cls
    assert exc.error_type == error_type
    assert exc.message == message
    assert exc.status == status
    assert exc.body == {"raw": 1}
    assert exc.service == "svc"
    assert isinstance(exc, e.TrustGraphError)


def test_builtin_bases_let_callers_catch_by_kind() -> None:
    assert issubclass(e.RequestTimeoutError, TimeoutError)
    assert issubclass(e.ConnectError, ConnectionError)
    assert issubclass(e.ConnectionClosedError, ConnectionError)
    assert issubclass(e.StreamingNotSupportedError, NotImplementedError)
    assert issubclass(e.RequestValidationError, ValueError)
    assert issubclass(e.ConfigurationError, ValueError)
