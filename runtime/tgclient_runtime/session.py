"""A session: the options of one Api plus the transport that carries its calls.

Generated resources call :meth:`SyncSession.call` (or the async twin) with an
:class:`~tgclient_runtime.operation.Operation` and a request; the session completes the body
(operation name, workspace), checks that the call can work on this transport, and returns the
final response object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from .errors import UnsupportedOperationError
from .models import WireModel, dump_request, parse_response
from .operation import Operation
from .options import ClientOptions
from .transport import (
    AsyncTransport,
    SyncTransport,
    create_async_transport,
    create_sync_transport,
    transport_streams,
)

__all__ = ["AsyncSession", "SyncSession", "build_body"]

ModelT = TypeVar("ModelT", bound=WireModel)

# Surfaces whose body carries the target workspace (gateway-2.11 §2.4).
_WORKSPACE_IN_BODY = frozenset({"flow", "workspace"})


def build_body(
    options: ClientOptions,
    op: Operation,
    request: WireModel | Mapping[str, Any],
    *,
    streaming: bool,
) -> dict[str, Any]:
    """The wire body of one call, after checking the call can be made at all."""
    if op.unsupported:
        raise UnsupportedOperationError(
            f"{op.service} {op.name} cannot be served by gateway 2.11.1: {op.unsupported}",
            service=op.service,
        )
    if streaming and not transport_streams(options.transport):
        raise NotImplementedError(
            f"{op.service} streaming needs the WebSocket transport: the gateway's REST route "
            "returns only the last frame. Use a ws:// URL or Api(..., transport='websocket')."
        )
    body = dump_request(request)
    if op.wire_operation is not None:
        body["operation"] = op.wire_operation
    if streaming:
        body["streaming"] = True
    if options.workspace and op.surface in _WORKSPACE_IN_BODY:
        body.setdefault("workspace", options.workspace)
    return body


class SyncSession:
    """Blocking calls for one Api."""

    def __init__(self, options: ClientOptions, transport: SyncTransport | None = None) -> None:
        self.options = options
        self._transport = transport or create_sync_transport(options)

    def call(
        self,
        op: Operation,
        request: WireModel | Mapping[str, Any],
        *,
        flow: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send one request and return the final response object."""
        body = build_body(self.options, op, request, streaming=False)
        return self._transport.request(op, body, flow=flow, timeout=timeout or self.options.timeout)

    def parse(self, model: type[ModelT], data: Any, op: Operation) -> ModelT:
        """Read a response into its model, strictly if the client asked for it."""
        return parse_response(model, data, strict=self.options.strict, service=op.service)

    def close(self) -> None:
        self._transport.close()


class AsyncSession:
    """Asyncio calls for one AsyncApi."""

    def __init__(self, options: ClientOptions, transport: AsyncTransport | None = None) -> None:
        self.options = options
        self._transport = transport or create_async_transport(options)

    async def call(
        self,
        op: Operation,
        request: WireModel | Mapping[str, Any],
        *,
        flow: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send one request and return the final response object."""
        body = build_body(self.options, op, request, streaming=False)
        return await self._transport.request(
            op, body, flow=flow, timeout=timeout or self.options.timeout
        )

    def parse(self, model: type[ModelT], data: Any, op: Operation) -> ModelT:
        """Read a response into its model, strictly if the client asked for it."""
        return parse_response(model, data, strict=self.options.strict, service=op.service)

    async def close(self) -> None:
        await self._transport.close()
