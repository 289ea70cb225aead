"""The transport registry: which class carries requests for each transport name.

Sessions look transports up here by the name :class:`~tgclient_runtime.options.ClientOptions`
resolved (from the URL scheme, or the ``transport=`` override), so adding a transport is one
``register_transport`` call and no change to the session.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

from .errors import ConfigurationError
from .operation import Operation
from .options import ClientOptions
from .rest import AsyncRestTransport, SyncRestTransport

__all__ = [
    "AsyncTransport",
    "SyncTransport",
    "TransportEntry",
    "create_async_transport",
    "create_sync_transport",
    "register_transport",
]


class SyncTransport(Protocol):
    """Carries one request to the gateway and returns the final response object."""

    def request(
        self, op: Operation, body: dict[str, Any], *, flow: str | None, timeout: float
    ) -> dict[str, Any]: ...

    def close(self) -> None: ...


class AsyncTransport(Protocol):
    """The async twin of :class:`SyncTransport`."""

    async def request(
        self, op: Operation, body: dict[str, Any], *, flow: str | None, timeout: float
    ) -> dict[str, Any]: ...

    async def close(self) -> None: ...


@dataclasses.dataclass(frozen=True)
class TransportEntry:
    """The sync and async implementations registered under one name."""

    sync: Callable[[ClientOptions], SyncTransport]
    async_: Callable[[ClientOptions], AsyncTransport]
    streams: bool


_REGISTRY: dict[str, TransportEntry] = {}


def register_transport(
    name: str,
    sync: Callable[[ClientOptions], SyncTransport],
    async_: Callable[[ClientOptions], AsyncTransport],
    *,
    streams: bool,
) -> None:
    """Make a transport available under ``name`` (``"rest"``, ``"websocket"``)."""
    _REGISTRY[name] = TransportEntry(sync=sync, async_=async_, streams=streams)


def _entry(name: str) -> TransportEntry:
    try:
        return _REGISTRY[name]
    except KeyError:
        available = ", ".join(sorted(_REGISTRY)) or "none"
        raise ConfigurationError(
            f"transport {name!r} is not available in this build of tgclient; available: {available}"
        ) from None


def create_sync_transport(options: ClientOptions) -> SyncTransport:
    """Build the blocking transport the options ask for."""
    return _entry(options.transport).sync(options)


def create_async_transport(options: ClientOptions) -> AsyncTransport:
    """Build the asyncio transport the options ask for."""
    return _entry(options.transport).async_(options)


def transport_streams(name: str) -> bool:
    """Whether the named transport can deliver every frame of a multi-frame answer."""
    return _entry(name).streams


def _sync_websocket(options: ClientOptions) -> SyncTransport:
    from .ws_sync import SyncWebSocketTransport  # websockets is imported only when used

    return SyncWebSocketTransport(options)


def _async_websocket(options: ClientOptions) -> AsyncTransport:
    from .ws_async import AsyncWebSocketTransport

    return AsyncWebSocketTransport(options)


register_transport("rest", SyncRestTransport, AsyncRestTransport, streams=False)
register_transport("websocket", _sync_websocket, _async_websocket, streams=True)
