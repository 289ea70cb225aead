"""Opening a session for an Api: the one place generated clients hand their options over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .options import ClientOptions
from .rest import AsyncRestTransport, SyncRestTransport
from .session import AsyncSession, SyncSession

if TYPE_CHECKING:
    import httpx

__all__ = ["open_async_session", "open_sync_session"]


def open_sync_session(
    options: ClientOptions, *, http_client: httpx.Client | None = None
) -> SyncSession:
    """A session for ``options``; ``http_client`` replaces the REST client's own (custom
    transports, mocks, shared pools), also for REST-only routes on the WebSocket transport."""
    if http_client is not None:
        return SyncSession(options, SyncRestTransport(options, http_client=http_client))
    return SyncSession(options)


def open_async_session(
    options: ClientOptions, *, http_client: httpx.AsyncClient | None = None
) -> AsyncSession:
    """The async twin of :func:`open_sync_session`."""
    if http_client is not None:
        return AsyncSession(options, AsyncRestTransport(options, http_client=http_client))
    return AsyncSession(options)
