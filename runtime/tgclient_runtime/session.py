"""A session: the options of one Api, and the transports that carry its calls.

Generated resources call :meth:`SyncSession.call` (or the async twin) with an
:class:`~tgclient_runtime.operation.Operation` and a request body; the session plans the call
once (:func:`~tgclient_runtime.plan.plan_call`: route, body, flow check, deadline) and hands
the plan to the transport the route names. :meth:`SyncSession.stream` returns a typed stream of
every frame. Both sessions share :class:`SessionCore`, so they decide alike; they differ only in
how they wait.

Each session holds at most one REST client (for REST calls, and on the WebSocket transport for
the surfaces the socket does not carry) and at most one socket.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .errors import TrustGraphError
from .models import WireModel, dump_request, parse_response
from .operation import Operation
from .options import ClientOptions
from .plan import CallPlan, Deadline, plan_call, refuse_unsupported, resolve_timeout
from .rest import AsyncRestTransport, PlainRoute, SyncRestTransport
from .retry import RetryPolicy, call_async, call_sync, retry_async, retry_sync
from .streaming import AsyncStream, Stream

if TYPE_CHECKING:
    import httpx

    from .ws_async import AsyncWebSocketTransport
    from .ws_sync import SyncWebSocketTransport

__all__ = ["AsyncSession", "SessionCore", "SyncSession"]

ModelT = TypeVar("ModelT", bound=WireModel)
T = TypeVar("T")
RestT = TypeVar("RestT", SyncRestTransport, AsyncRestTransport)
SocketT = TypeVar("SocketT")

Request = WireModel | Mapping[str, Any]


class SessionCore(Generic[RestT, SocketT]):
    """What the sync and async sessions decide alike: plans, deadlines, parsing, and which
    transports exist (at most one REST client and one socket, built when first needed)."""

    options: ClientOptions
    _rest_class: type[RestT]

    def __init__(self, options: ClientOptions, rest: RestT | None = None) -> None:
        self.options = options
        self.retry: RetryPolicy = RetryPolicy(options.max_retries)
        self._rest: RestT | None = rest
        self._socket: SocketT | None = None
        # The chosen transport is built now, so bad TLS settings fail at construction.
        if options.transport == "websocket":
            self._socket_transport()
        else:
            self._rest_transport()

    def _rest_transport(self) -> RestT:
        if self._rest is None:
            self._rest = self._rest_class(self.options)
        return self._rest

    def _socket_transport(self) -> SocketT:
        if self._socket is None:
            self._socket = self._new_socket()
        return self._socket

    def _new_socket(self) -> SocketT:
        raise NotImplementedError  # each session names its driver

    def _swap_token(self, token: str | None) -> Callable[[], None]:
        """Use ``token`` from now on; returns how to go back to the previous one."""
        credentials = self.options.credentials
        previous = credentials.token
        credentials.set(token)
        return lambda: credentials.set(previous.reveal() if previous else None)

    def plan(
        self,
        op: Operation,
        request: Request,
        streaming: bool,
        flow: str | None = None,
        timeout: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> CallPlan:
        """Plan one service call (typed errors, nothing sent, when it cannot work).

        ``flow``: the flow a flow service goes to; ``timeout``: seconds for the whole call
        (None: the client's); ``extra_body``: fields sent beyond the spec's request. (Spelt
        out rather than ``**kwargs``: packing them again costs each call half a microsecond.)
        """
        return plan_call(
            self.options,
            op,
            dump_request(request),
            flow=flow,
            timeout=timeout,
            streaming=streaming,
            extra_body=extra_body,
        )

    def deadline(self, op: Operation, timeout: float | None) -> Deadline:
        """The deadline of a plain HTTP route or a token change."""
        refuse_unsupported(op)
        return Deadline.after(resolve_timeout(timeout, self.options.timeout))

    def parse(self, model: type[ModelT], data: Any, op: Operation) -> ModelT:
        """Read a response into its model, strictly if the client asked for it."""
        return parse_response(model, data, strict=self.options.strict, service=op.service)


_TOKEN_CHANGE = Operation(service="auth", name="set-token", surface="auth", rest_path="")


class SyncSession(SessionCore[SyncRestTransport, "SyncWebSocketTransport"]):
    """Blocking calls for one Api."""

    _rest_class = SyncRestTransport

    def _new_socket(self) -> SyncWebSocketTransport:
        from .ws_sync import SyncWebSocketTransport  # websockets is imported only when used

        return SyncWebSocketTransport(self.options)

    def call(
        self,
        op: Operation,
        request: Request,
        *,
        flow: str | None = None,
        timeout: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Send one request and return the final response object."""
        plan = self.plan(op, request, False, flow, timeout, extra_body)
        transport = self._rest_transport() if plan.route == "rest" else self._socket_transport()
        try:  # the first attempt here: one frame less per call than call_sync
            return transport.request(plan)
        except TrustGraphError as exc:
            return retry_sync(plan.op, plan.deadline, self.retry, exc, transport.request, plan)

    def stream(
        self,
        op: Operation,
        request: Request,
        *,
        parse: Callable[[dict[str, Any]], T],
        flow: str | None = None,
        timeout: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> Stream[T]:
        """Send one request and return its frames as typed chunks, as they arrive.

        ``timeout`` bounds the whole stream. Raises StreamingNotSupportedError on REST.
        """
        plan = self.plan(op, request, True, flow, timeout, extra_body)
        return Stream(self._socket_transport().open(plan), parse)

    def http(
        self, op: Operation, route: PlainRoute, *, timeout: float | None = None
    ) -> httpx.Response:
        """A plain HTTP route (not a service request), over REST whatever the transport."""
        rest, deadline = self._rest_transport(), self.deadline(op, timeout)
        return call_sync(op, deadline, self.retry, rest.send, op, route, deadline)

    def set_token(self, token: str | None) -> None:
        """Authenticate with a new token from now on (an open socket re-authenticates)."""
        restore = self._swap_token(token)
        if self._socket is not None:
            try:
                self._socket.reauthenticate(self.deadline(_TOKEN_CHANGE, None))
            except BaseException:
                restore()
                raise

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
        if self._rest is not None:
            self._rest.close()


class AsyncSession(SessionCore[AsyncRestTransport, "AsyncWebSocketTransport"]):
    """Asyncio calls for one AsyncApi."""

    _rest_class = AsyncRestTransport

    def _new_socket(self) -> AsyncWebSocketTransport:
        from .ws_async import AsyncWebSocketTransport  # websockets is imported only when used

        return AsyncWebSocketTransport(self.options)

    async def call(
        self,
        op: Operation,
        request: Request,
        *,
        flow: str | None = None,
        timeout: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Send one request and return the final response object."""
        plan = self.plan(op, request, False, flow, timeout, extra_body)
        transport = self._rest_transport() if plan.route == "rest" else self._socket_transport()
        try:  # the first attempt here: one frame less per call than call_async
            return await transport.request(plan)
        except TrustGraphError as exc:
            return await retry_async(
                plan.op, plan.deadline, self.retry, exc, transport.request, plan
            )

    async def stream(
        self,
        op: Operation,
        request: Request,
        *,
        parse: Callable[[dict[str, Any]], T],
        flow: str | None = None,
        timeout: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncStream[T]:
        """Send one request and return its frames as typed chunks, as they arrive.

        The request is sent before this returns: ``async for chunk in await session.stream(…)``.
        ``timeout`` bounds the whole stream. Raises StreamingNotSupportedError on REST.
        """
        plan = self.plan(op, request, True, flow, timeout, extra_body)
        return AsyncStream(await self._socket_transport().open(plan), parse)

    async def http(
        self, op: Operation, route: PlainRoute, *, timeout: float | None = None
    ) -> httpx.Response:
        """A plain HTTP route (not a service request), over REST whatever the transport."""
        rest, deadline = self._rest_transport(), self.deadline(op, timeout)
        return await call_async(op, deadline, self.retry, rest.send, op, route, deadline)

    async def set_token(self, token: str | None) -> None:
        """Authenticate with a new token from now on (an open socket re-authenticates)."""
        restore = self._swap_token(token)
        if self._socket is not None:
            try:
                await self._socket.reauthenticate(self.deadline(_TOKEN_CHANGE, None))
            except BaseException:
                restore()
                raise

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._rest is not None:
            await self._rest.close()
