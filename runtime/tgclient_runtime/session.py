"""A session: the options of one Api plus the transport that carries its calls.

Generated resources call :meth:`SyncSession.call` (or the async twin) with an
:class:`~tgclient_runtime.operation.Operation` and a request; the session completes the body
(operation name, workspace), checks that the call can work on this transport, and returns the
final response object. :meth:`SyncSession.stream` returns a typed stream of every frame and
:meth:`SyncSession.collect` all frames' responses; both need a transport that streams.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from httpx import Response

from .errors import UnsupportedOperationError
from .models import WireModel, dump_request, parse_response
from .operation import Operation
from .options import ClientOptions, Secret
from .rest import AsyncRestTransport, PlainRoute, SyncRestTransport
from .streaming import AsyncStream, AsyncStreamingTransport, Stream, SyncStreamingTransport
from .transport import (
    AsyncTransport,
    SyncTransport,
    create_async_transport,
    create_sync_transport,
    transport_streams,
)

__all__ = ["AsyncSession", "SyncSession", "build_body"]

ModelT = TypeVar("ModelT", bound=WireModel)
T = TypeVar("T")

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
    _refuse_unsupported(op)
    if streaming:
        _require_streaming(options, op)
    body = dump_request(request)
    if op.wire_operation is not None:
        body["operation"] = op.wire_operation
    if streaming:
        body["streaming"] = True
    if options.workspace and op.surface in _WORKSPACE_IN_BODY:
        body.setdefault("workspace", options.workspace)
    return body


def _refuse_unsupported(op: Operation) -> None:
    if op.unsupported:
        raise UnsupportedOperationError(
            f"{op.service} {op.name} cannot be served by gateway 2.11.1: {op.unsupported}",
            service=op.service,
        )


def _require_streaming(options: ClientOptions, op: Operation) -> None:
    if not transport_streams(options.transport):
        raise NotImplementedError(
            f"{op.service} streaming needs the WebSocket transport: the gateway's REST route "
            "returns only the last frame. Use a ws:// URL or Api(..., transport='websocket')."
        )


def _stream_body(
    options: ClientOptions, op: Operation, request: WireModel | Mapping[str, Any]
) -> dict[str, Any]:
    """The body of a streamed call: ``streaming: true`` where the service makes it optional."""
    body = build_body(options, op, request, streaming=op.streams == "optional")
    _require_streaming(options, op)
    return body


def _no_token_change(transport: object) -> NotImplementedError:
    return NotImplementedError(
        f"{type(transport).__name__} cannot change its token; create a new client instead"
    )


class SyncSession:
    """Blocking calls for one Api."""

    def __init__(self, options: ClientOptions, transport: SyncTransport | None = None) -> None:
        self.options = options
        self._transport = transport or create_sync_transport(options)
        self._plain: SyncRestTransport | None = None

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

    def stream(
        self,
        op: Operation,
        request: WireModel | Mapping[str, Any],
        *,
        parse: Callable[[dict[str, Any]], T],
        flow: str | None = None,
        timeout: float | None = None,
    ) -> Stream[T]:
        """Send one request and return its frames as typed chunks, as they arrive.

        ``timeout`` bounds the whole stream. Raises NotImplementedError on REST.
        """
        body = _stream_body(self.options, op, request)
        transport = cast(SyncStreamingTransport, self._transport)
        source = transport.open(op, body, flow=flow, timeout=timeout or self.options.timeout)
        return Stream(source, parse)

    def collect(
        self,
        op: Operation,
        request: WireModel | Mapping[str, Any],
        *,
        flow: str | None = None,
        timeout: float | None = None,
        streaming: bool = False,
    ) -> list[dict[str, Any]]:
        """Send one request and return the response objects of all its frames, in order.

        For answers spread over frames (batches). Over REST there is only one frame; with
        ``streaming=True`` (ask the service to stream) REST raises NotImplementedError.
        """
        body = build_body(self.options, op, request, streaming=streaming)
        limit = timeout or self.options.timeout
        if not transport_streams(self.options.transport):
            return [self._transport.request(op, body, flow=flow, timeout=limit)]
        transport = cast(SyncStreamingTransport, self._transport)
        return transport.request_all(op, body, flow=flow, timeout=limit)

    def set_token(self, token: str | None) -> None:
        """Authenticate with a new token from now on (an open socket re-authenticates)."""
        setter = getattr(self._transport, "set_token", None)
        if setter is None:
            raise _no_token_change(self._transport)
        setter(token)
        if self._plain is not None:
            self._plain.set_token(token)
        self.options = dataclasses.replace(self.options, token=Secret(token) if token else None)

    def parse(self, model: type[ModelT], data: Any, op: Operation) -> ModelT:
        """Read a response into its model, strictly if the client asked for it."""
        return parse_response(model, data, strict=self.options.strict, service=op.service)

    def http(self, op: Operation, route: PlainRoute, *, timeout: float | None = None) -> Response:
        """A plain HTTP route (not a service request), over REST whatever the transport."""
        _refuse_unsupported(op)
        if isinstance(self._transport, SyncRestTransport):
            plain = self._transport
        else:
            if self._plain is None:
                self._plain = SyncRestTransport(self.options)
            plain = self._plain
        return plain.send(op, route, timeout=timeout or self.options.timeout)

    def close(self) -> None:
        self._transport.close()
        if self._plain is not None:
            self._plain.close()


class AsyncSession:
    """Asyncio calls for one AsyncApi."""

    def __init__(self, options: ClientOptions, transport: AsyncTransport | None = None) -> None:
        self.options = options
        self._transport = transport or create_async_transport(options)
        self._plain: AsyncRestTransport | None = None

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

    async def stream(
        self,
        op: Operation,
        request: WireModel | Mapping[str, Any],
        *,
        parse: Callable[[dict[str, Any]], T],
        flow: str | None = None,
        timeout: float | None = None,
    ) -> AsyncStream[T]:
        """Send one request and return its frames as typed chunks, as they arrive.

        The request is sent before this returns: ``async for chunk in await session.stream(…)``.
        ``timeout`` bounds the whole stream. Raises NotImplementedError on REST.
        """
        body = _stream_body(self.options, op, request)
        transport = cast(AsyncStreamingTransport, self._transport)
        source = await transport.open(op, body, flow=flow, timeout=timeout or self.options.timeout)
        return AsyncStream(source, parse)

    async def collect(
        self,
        op: Operation,
        request: WireModel | Mapping[str, Any],
        *,
        flow: str | None = None,
        timeout: float | None = None,
        streaming: bool = False,
    ) -> list[dict[str, Any]]:
        """Send one request and return the response objects of all its frames, in order."""
        body = build_body(self.options, op, request, streaming=streaming)
        limit = timeout or self.options.timeout
        if not transport_streams(self.options.transport):
            return [await self._transport.request(op, body, flow=flow, timeout=limit)]
        transport = cast(AsyncStreamingTransport, self._transport)
        return await transport.request_all(op, body, flow=flow, timeout=limit)

    async def set_token(self, token: str | None) -> None:
        """Authenticate with a new token from now on (an open socket re-authenticates)."""
        setter = getattr(self._transport, "set_token", None)
        if setter is None:
            raise _no_token_change(self._transport)
        await setter(token)
        if self._plain is not None:
            await self._plain.set_token(token)
        self.options = dataclasses.replace(self.options, token=Secret(token) if token else None)

    def parse(self, model: type[ModelT], data: Any, op: Operation) -> ModelT:
        """Read a response into its model, strictly if the client asked for it."""
        return parse_response(model, data, strict=self.options.strict, service=op.service)

    async def http(
        self, op: Operation, route: PlainRoute, *, timeout: float | None = None
    ) -> Response:
        """A plain HTTP route (not a service request), over REST whatever the transport."""
        _refuse_unsupported(op)
        if isinstance(self._transport, AsyncRestTransport):
            plain = self._transport
        else:
            if self._plain is None:
                self._plain = AsyncRestTransport(self.options)
            plain = self._plain
        return await plain.send(op, route, timeout=timeout or self.options.timeout)

    async def close(self) -> None:
        await self._transport.close()
        if self._plain is not None:
            await self._plain.close()
