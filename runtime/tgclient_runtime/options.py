"""Client settings, validated once at construction.

A bad URL, scheme or transport name is refused here with a message that says what is
accepted, so no call is ever attempted with settings that cannot work.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from .errors import ConfigurationError

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_URL",
    "ENV_TOKEN",
    "ENV_URL",
    "ENV_WORKSPACE",
    "ClientOptions",
    "Credentials",
    "Secret",
    "TransportName",
]

DEFAULT_URL = "http://localhost:8888/"
# Read when the caller gives no url / token / workspace, as trustgraph-cli reads them.
ENV_URL = "TRUSTGRAPH_URL"
ENV_TOKEN = "TRUSTGRAPH_TOKEN"
ENV_WORKSPACE = "TRUSTGRAPH_WORKSPACE"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2

TransportName = Literal["rest", "websocket"]

_SCHEME_TRANSPORT: dict[str, TransportName] = {
    "http": "rest",
    "https": "rest",
    "ws": "websocket",
    "wss": "websocket",
}
_API_PREFIX = "api/v1/"


class Secret:
    """A string that never shows itself in ``repr``, ``str`` or logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


class Credentials:
    """The one owner of a client's token: every transport reads it here when it sends, so a
    new token (``set_token``) reaches REST, the socket and bulk sockets at once."""

    __slots__ = ("authorization", "token")

    def __init__(self, token: str | None = None) -> None:
        self.token: Secret | None = None
        self.authorization: dict[str, str] = {}
        self.set(token)

    def set(self, token: str | None) -> None:
        """Use ``token`` from now on (``None`` or empty: anonymous)."""
        self.token = Secret(token) if token else None
        self.authorization = {"Authorization": f"Bearer {token}"} if token else {}

    def __repr__(self) -> str:
        return f"Credentials(token={'***' if self.token else None})"


@dataclasses.dataclass(frozen=True)
class ClientOptions:
    """Everything a session needs to know to reach one gateway.

    ``base_url`` is the gateway root (``http://host:8888/``) whatever form the user gave;
    ``transport`` is the resolved transport name. ``idle_timeout`` bounds the wait for each
    next frame of a WebSocket answer (reset by every frame); ``None`` leaves only ``timeout``,
    the deadline of the whole call. ``max_retries`` is how many times an idempotent call is
    sent again after a transient failure (:mod:`.retry`); 0 turns retries off.
    """

    base_url: str
    transport: TransportName
    credentials: Credentials = dataclasses.field(default_factory=Credentials, compare=False)
    workspace: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    strict: bool = False
    verify: bool | str = True
    cert: str | tuple[str, str] | None = None
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    proxy: str | None = None
    idle_timeout: float | None = None
    max_retries: int = DEFAULT_MAX_RETRIES

    @classmethod
    def build(
        cls,
        *,
        url: str | None = None,
        default_url: str = DEFAULT_URL,
        token: str | None = None,
        workspace: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        transport: str | None = None,
        strict: bool = False,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        proxy: str | None = None,
        idle_timeout: float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> ClientOptions:
        """Validate user-facing arguments and resolve the transport.

        A ``url``, ``token`` or ``workspace`` of None is read from ``$TRUSTGRAPH_URL``,
        ``$TRUSTGRAPH_TOKEN`` or ``$TRUSTGRAPH_WORKSPACE`` when set (the url defaulting to
        ``default_url``).
        """
        url = url if url is not None else os.environ.get(ENV_URL) or default_url
        token = token if token is not None else os.environ.get(ENV_TOKEN) or None
        workspace = workspace if workspace is not None else os.environ.get(ENV_WORKSPACE) or None
        base_url, scheme_transport = _parse_url(url)
        resolved = _resolve_transport(transport, scheme_transport)
        if not _positive(timeout):
            raise ConfigurationError(
                f"timeout must be a positive number of seconds, got {timeout!r}"
            )
        if idle_timeout is not None and not _positive(idle_timeout):
            raise ConfigurationError(
                f"idle_timeout must be a positive number of seconds or None, got {idle_timeout!r}"
            )
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ConfigurationError(
                f"max_retries must be a whole number >= 0 (0 turns retries off), "
                f"got {max_retries!r}"
            )
        if verify is False:
            warnings.warn(
                "TLS certificate verification is off (verify=False): the connection can be "
                "intercepted. Pass verify='/path/to/ca.pem' to trust a private CA instead.",
                stacklevel=3,
            )
        if workspace is not None and not workspace:
            raise ConfigurationError("workspace must be a non-empty string or None")
        return cls(
            base_url=base_url,
            transport=resolved,
            credentials=Credentials(token),
            workspace=workspace,
            timeout=float(timeout),
            strict=strict,
            verify=verify,
            cert=cert,
            headers=dict(headers or {}),
            proxy=proxy,
            idle_timeout=None if idle_timeout is None else float(idle_timeout),
            max_retries=max_retries,
        )

    @property
    def token(self) -> Secret | None:
        """The current token (owned by :attr:`credentials`)."""
        return self.credentials.token

    def http_url(self) -> str:
        """The gateway root as an http(s) URL."""
        return _with_scheme(self.base_url, {"ws": "http", "wss": "https"})

    def ws_url(self) -> str:
        """The gateway root as a ws(s) URL."""
        return _with_scheme(self.base_url, {"http": "ws", "https": "wss"})

    def __repr__(self) -> str:
        token = "***" if self.token else None
        return (
            f"ClientOptions(base_url={self.base_url!r}, transport={self.transport!r}, "
            f"token={token!r}, workspace={self.workspace!r}, timeout={self.timeout!r})"
        )


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _parse_url(url: str) -> tuple[str, TransportName]:
    if not isinstance(url, str) or not url:
        raise ConfigurationError(
            f"url must be a gateway address such as {DEFAULT_URL!r}, got {url!r}"
        )
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEME_TRANSPORT:
        accepted = ", ".join(f"{s}://" for s in _SCHEME_TRANSPORT)
        raise ConfigurationError(
            f"url {url!r} has scheme {parts.scheme!r}; accepted schemes are {accepted} "
            f"(http/https use REST, ws/wss the WebSocket)"
        )
    if not parts.hostname:
        raise ConfigurationError(f"url {url!r} names no host; expected e.g. {DEFAULT_URL!r}")
    try:
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError as exc:
        raise ConfigurationError(f"url {url!r} has an invalid port: {exc}") from None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    # Accept the official client's form, which includes the API prefix.
    for suffix in (_API_PREFIX, "api/v1/socket/"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    if parts.query or parts.fragment:
        raise ConfigurationError(
            f"url {url!r} must not carry a query or fragment; pass token= instead of ?token="
        )
    return urlunsplit((scheme, parts.netloc, path, "", "")), _SCHEME_TRANSPORT[scheme]


def _resolve_transport(transport: str | None, from_scheme: TransportName) -> TransportName:
    if transport is None:
        return from_scheme
    accepted: tuple[TransportName, ...] = ("rest", "websocket")
    if transport not in accepted:
        raise ConfigurationError(
            f"transport must be one of {', '.join(map(repr, accepted))} or None "
            f"(chosen from the URL scheme), got {transport!r}"
        )
    return transport


def _with_scheme(url: str, mapping: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=mapping.get(parts.scheme, parts.scheme)))
