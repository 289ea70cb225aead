"""Exit status of the command line by error class, so scripts can tell failures apart."""

from __future__ import annotations

import enum

from ..errors import (
    AccessDeniedError,
    AuthError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    RequestTimeoutError,
    RequestValidationError,
    TransportError,
    UnsupportedOperationError,
)

__all__ = ["ExitCode", "exit_code_for"]


class ExitCode(enum.IntEnum):
    """What a ``tgclient`` exit status means."""

    OK = 0
    ERROR = 1  # any other gateway or service failure
    USAGE = 2  # bad command line (click's own)
    AUTH = 3  # not authenticated or not allowed
    NOT_FOUND = 4  # unknown flow, workspace, service or object
    BAD_REQUEST = 5  # the gateway or the client refused the arguments
    CONNECTION = 6  # the gateway could not be reached or the connection dropped
    TIMEOUT = 7  # no answer in time
    UNSUPPORTED = 8  # the gateway release cannot serve this operation
    INTERRUPTED = 130  # Ctrl-C


# Most specific first: RequestTimeoutError is also a TransportError.
_BY_CLASS: tuple[tuple[tuple[type[BaseException], ...], ExitCode], ...] = (
    ((UnsupportedOperationError,), ExitCode.UNSUPPORTED),
    ((AuthError, AccessDeniedError), ExitCode.AUTH),
    ((NotFoundError,), ExitCode.NOT_FOUND),
    ((BadRequestError, RequestValidationError, ConfigurationError), ExitCode.BAD_REQUEST),
    ((RequestTimeoutError,), ExitCode.TIMEOUT),
    ((TransportError,), ExitCode.CONNECTION),
)


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit status for an exception raised by a command."""
    for classes, code in _BY_CLASS:
        if isinstance(error, classes):
            return code
    return ExitCode.ERROR
