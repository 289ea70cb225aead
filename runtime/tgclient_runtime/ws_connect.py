"""How both WebSocket drivers open the gateway socket: URL, options, failures and backoff.

Settings mirror REST: the same TLS context, extra headers and proxy (``None`` honours the
environment, as httpx does). Frames are never logged, because the first one carries the token.
"""

from __future__ import annotations

import logging
import random
import ssl
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.sync.client import ClientConnection, connect

from .errors import ConnectError, RequestTimeoutError, TrustGraphError
from .options import ClientOptions
from .plan import now
from .tls import describe_failure, page_title, ssl_context

__all__ = [
    "MAX_MESSAGE",
    "Backoff",
    "ConnectAttempts",
    "connect_error",
    "connect_kwargs",
    "is_transient",
    "socket_url",
    "sync_connect",
]

MAX_MESSAGE = 50 * 1024 * 1024  # the gateway's own limit (gateway-2.11 §1)
CONNECT_ATTEMPTS = 3  # per call; the backoff state carries over to the next call

_USER_AGENT = "tgclient/0.1"
_RETRY_STATUSES = frozenset({500, 502, 503, 504})
log = logging.getLogger("tgclient_runtime.websocket")


class _NoFrameLogs(logging.LoggerAdapter):  # type: ignore[type-arg]
    """websockets logs frame payloads at DEBUG; ours would show the auth token, so it never may."""

    def isEnabledFor(self, level: int) -> bool:
        return level > logging.DEBUG and self.logger.isEnabledFor(level)


def socket_url(options: ClientOptions) -> str:
    return options.ws_url() + "api/v1/socket"


def connect_kwargs(options: ClientOptions) -> dict[str, Any]:
    """Keyword arguments for ``websockets.*.client.connect`` (open_timeout is per attempt).

    Compression is off: answers are small and latency matters more than bytes on a mux.
    """
    kwargs: dict[str, Any] = {
        "additional_headers": dict(options.headers),
        "user_agent_header": _USER_AGENT,
        "proxy": options.proxy if options.proxy is not None else True,
        "max_size": MAX_MESSAGE,
        "ping_interval": 20,
        "ping_timeout": 20,
        "close_timeout": 5,
        "compression": None,
        "logger": _NoFrameLogs(logging.getLogger("websockets.client"), {}),
    }
    if options.ws_url().startswith("wss:"):
        kwargs["ssl"] = ssl_context(options)
    return kwargs


def sync_connect(url: str, **kwargs: Any) -> ClientConnection:
    """Open a blocking connection on websockets 15, 16 and 17 alike.

    websockets 17 warns about a connection not used as a context manager unless it was opened
    with ``legacy=True``, a keyword 15 and 16 refuse; entering the connection (which we close
    ourselves) silences the warning on every version.
    """
    conn: ClientConnection = connect(url, **kwargs)
    conn.__enter__()
    return conn


def is_transient(exc: BaseException) -> bool:
    """Whether another connection attempt may succeed (websockets' own reconnect rules)."""
    if isinstance(exc, InvalidStatus):
        return exc.response.status_code in _RETRY_STATUSES
    if isinstance(exc, ssl.SSLError | InvalidURI):
        return False
    if isinstance(exc, InvalidHandshake):
        return isinstance(exc.__cause__, EOFError)
    return isinstance(exc, OSError | TimeoutError | EOFError | ConnectionClosed)


def connect_error(exc: BaseException, url: str) -> TrustGraphError:
    if isinstance(exc, TrustGraphError):
        return exc
    detail = describe_failure(exc) or str(exc) or type(exc).__name__
    if isinstance(exc, InvalidStatus):
        title = page_title(exc.response.body)
        detail += f" ({title})" if title else ""
    return ConnectError(f"cannot connect to the gateway at {url}: {detail}")


class Backoff:
    """Capped, jittered exponential delays between connection attempts."""

    def __init__(self, base: float = 0.1, cap: float = 5.0) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0

    def delay(self) -> float:
        """How long to wait before the next attempt: none after a success."""
        if not self.failures:
            return 0.0
        step = min(self.cap, self.base * 2.0 ** (self.failures - 1))
        return step * random.uniform(0.5, 1.0)

    def failed(self) -> None:
        self.failures += 1

    def succeeded(self) -> None:
        self.failures = 0


class ConnectAttempts:
    """The decisions of one call's connection attempts, for both drivers: how long to wait
    before each (the backoff carries over between calls), whether to try again, and the error
    when giving up. The drivers only sleep, connect and report."""

    def __init__(self, backoff: Backoff, url: str, until: float) -> None:
        self._backoff = backoff
        self._url = url
        self._until = until
        self._left = CONNECT_ATTEMPTS
        self._stop = False
        self.error: BaseException | None = None

    def next_delay(self) -> float | None:
        """Seconds to wait before the next attempt, or None: give up now."""
        if self._stop or not self._left:
            return None
        delay = self._backoff.delay()
        if now() + delay >= self._until:
            return None
        self._left -= 1
        return delay

    def failed(self, exc: BaseException) -> None:
        """An attempt failed with ``exc`` (not a TrustGraphError: those end the call)."""
        self._backoff.failed()
        self.error = exc
        self._stop = not is_transient(exc)
        log.debug("connection attempt to %s failed: %r", self._url, exc)

    def succeeded(self) -> None:
        self._backoff.succeeded()

    def give_up(self) -> TrustGraphError:
        """The error of a call that could not connect."""
        if self.error is None or isinstance(self.error, TimeoutError):
            return RequestTimeoutError(f"could not connect to {self._url} in time")
        return connect_error(self.error, self._url)
