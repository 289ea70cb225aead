"""REST transport on one pooled httpx client per Api (sync and async).

The call plan (:mod:`~tgclient_runtime.plan`) says what to send and by when; this module sends
it, maps transport failures onto the error tree and turns error statuses and ``error`` keys in
bodies into typed exceptions. The deadline bounds the whole call: every httpx phase gets the
time left, and the body is read in chunks that stop at the deadline (asyncio: one
``timeout_at`` around the call).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

from ._httpx import httpx
from .errors import (
    ConnectError,
    ConnectionClosedError,
    RequestTimeoutError,
    TransportError,
    TrustGraphError,
    error_from_wire,
)
from .operation import Operation
from .options import ClientOptions
from .plan import CallPlan, Deadline, now
from .tls import describe_failure, page_title, ssl_context
from .wire_json import dumps, loads

__all__ = ["AsyncRestTransport", "PlainRoute", "SyncRestTransport", "check_status", "read_response"]

_USER_AGENT = "tgclient/0.1"


def _client_kwargs(options: ClientOptions) -> dict[str, Any]:
    return {
        "timeout": httpx.Timeout(options.timeout),
        "verify": ssl_context(options),  # shared with the WebSocket transport
        "proxy": options.proxy,
        "follow_redirects": False,
    }


def _decode_body(response: httpx.Response) -> Any:
    try:
        return loads(response.content)
    except ValueError:  # not JSON, or not UTF-8
        return response.text


@dataclasses.dataclass(frozen=True)
class PlainRoute:
    """One request to a plain HTTP route: method, path below the root, query, body."""

    method: str
    path: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    content: bytes | None = None


def _where(response: httpx.Response) -> str:
    """The URL an answer came from, without any query (never a credential)."""
    try:
        url = response.request.url
    except RuntimeError:  # a response built without a request
        return "the gateway"
    return str(url.copy_with(query=None, fragment=None))


def _foreign_error(response: httpx.Response, body: Any) -> str:
    """The message of an error status whose body is not the gateway's JSON: say where it came
    from, and that the URL may not be a TrustGraph API Gateway (or is a proxy in front of it)."""
    text = body.strip() if isinstance(body, str) else ""
    shown = page_title(body) or (text[:200] if text else "")
    return (
        f"HTTP {response.status_code} from {_where(response)}"
        f"{': ' + shown if shown else ''}. The answer is not a TrustGraph API Gateway's: check "
        "that the client's url is the gateway's root (e.g. http://localhost:8888/) and not a "
        "proxy or another server"
    )


def check_status(response: httpx.Response, op: Operation) -> httpx.Response:
    """The response itself, or the typed exception an error status carries."""
    if response.status_code >= 400:
        body = _decode_body(response)
        error = body.get("error") if isinstance(body, dict) else None
        if error is None:
            error = _foreign_error(response, body)
        raise error_from_wire(error, status=response.status_code, body=body, service=op.service)
    return response


def read_response(response: httpx.Response, op: Operation) -> dict[str, Any]:
    """The JSON object of a REST answer, or the typed exception its status or body carries."""
    body = _decode_body(response)
    if response.status_code >= 400:
        error = body.get("error") if isinstance(body, dict) else _foreign_error(response, body)
        raise error_from_wire(error, status=response.status_code, body=body, service=op.service)
    if not isinstance(body, dict):
        raise error_from_wire(
            f"expected a JSON object from {op.service}, got {type(body).__name__}",
            status=response.status_code,
            body=body,
            service=op.service,
        )
    if body.get("error"):
        raise error_from_wire(
            body["error"], status=response.status_code, body=body, service=op.service
        )
    return body


def _request_url(exc: httpx.HTTPError) -> str:
    try:
        url = exc.request.url
    except RuntimeError:
        return "its url"
    return str(url.copy_with(query=None, fragment=None))


def _transport_error(exc: httpx.HTTPError, op: Operation, deadline: Deadline) -> TrustGraphError:
    where = f"{op.service} ({op.name})"
    if isinstance(exc, httpx.TimeoutException):
        return _late(op, deadline)
    if isinstance(exc, httpx.ConnectError):
        detail = describe_failure(exc) or str(exc)
        return ConnectError(
            f"{where}: cannot connect to the gateway at {_request_url(exc)}: {detail}",
            service=op.service,
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return ConnectionClosedError(f"{where}: connection lost: {exc}", service=op.service)
    return TransportError(f"{where}: {exc}", service=op.service)


@contextlib.contextmanager
def _typed_failures(op: Operation, deadline: Deadline) -> Iterator[None]:
    """Map what httpx (and the asyncio deadline) raise onto the error tree."""
    try:
        yield
    except TrustGraphError:
        raise
    except (TimeoutError, httpx.TimeoutException):
        raise _late(op, deadline) from None
    except httpx.HTTPError as exc:
        raise _transport_error(exc, op, deadline) from exc
    except RuntimeError as exc:  # httpx refuses a request on a closed client
        raise ConnectionClosedError(
            f"{op.service} ({op.name}): the client was closed", service=op.service
        ) from exc


def _late(op: Operation, deadline: Deadline) -> RequestTimeoutError:
    return RequestTimeoutError(
        f"{op.service} ({op.name}): {deadline.missed(deadline.at)}", service=op.service
    )


class _RestCore:
    """What both REST drivers share: the root, the headers and how a request is described."""

    def __init__(self, options: ClientOptions) -> None:
        self._root = options.http_url()
        self._headers = {"User-Agent": _USER_AGENT, **options.headers}
        self._credentials = options.credentials

    def headers(self) -> dict[str, str]:
        return {**self._headers, **self._credentials.authorization}

    @property
    def _json_headers(self) -> dict[str, str]:
        """The headers of a JSON body: a caller's own Content-Type header wins."""
        headers = self.headers()
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = "application/json"
        return headers

    def service_request(self, plan: CallPlan) -> dict[str, Any]:
        """``httpx`` arguments of one service call."""
        return {
            "method": "POST",
            "url": self._root + plan.op.path_for(plan.flow),
            "content": dumps(plan.body).encode(),  # the socket's JSON codec, for the same body
            "headers": self._json_headers,
        }

    def plain_request(self, route: PlainRoute) -> dict[str, Any]:
        """``httpx`` arguments of one plain-route call."""
        return {
            "method": route.method,
            "url": self._root + route.path,
            "params": route.params,
            "content": route.content,
            "headers": self.headers(),
        }


def _phase_timeout(deadline: Deadline, op: Operation) -> httpx.Timeout:
    remaining = deadline.remaining()
    if remaining <= 0:
        raise _late(op, deadline)
    return httpx.Timeout(remaining)


class _UntilDeadline(httpx.SyncByteStream):
    """A response body that stops at the call's deadline: httpx's timeouts bound each read,
    not the whole body (a server dripping bytes would outlast them)."""

    def __init__(self, stream: httpx.SyncByteStream, op: Operation, deadline: Deadline) -> None:
        self._stream, self._op, self._deadline = stream, op, deadline

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            yield chunk
            if now() > self._deadline.at:
                raise _late(self._op, self._deadline)

    def close(self) -> None:
        self._stream.close()


class SyncRestTransport(_RestCore):
    """Blocking REST calls over one keep-alive ``httpx.Client``."""

    def __init__(self, options: ClientOptions, *, http_client: httpx.Client | None = None) -> None:
        super().__init__(options)
        self._http = http_client or httpx.Client(**_client_kwargs(options))

    def request(self, plan: CallPlan) -> dict[str, Any]:
        """Send one planned service call; the response object."""
        return read_response(
            self._send(plan.op, self.service_request(plan), plan.deadline), plan.op
        )

    def send(self, op: Operation, route: PlainRoute, deadline: Deadline) -> httpx.Response:
        """A plain HTTP route (metrics, i18n packs, document stream); error statuses raise."""
        return check_status(self._send(op, self.plain_request(route), deadline), op)

    def _send(self, op: Operation, request: dict[str, Any], deadline: Deadline) -> httpx.Response:
        with (
            _typed_failures(op, deadline),
            self._http.stream(timeout=_phase_timeout(deadline, op), **request) as response,
        ):
            assert isinstance(response.stream, httpx.SyncByteStream)  # as httpx's Client says
            response.stream = _UntilDeadline(response.stream, op, deadline)
            response.read()
        return response

    def close(self) -> None:
        self._http.close()


class AsyncRestTransport(_RestCore):
    """Non-blocking REST calls over one keep-alive ``httpx.AsyncClient``."""

    def __init__(
        self, options: ClientOptions, *, http_client: httpx.AsyncClient | None = None
    ) -> None:
        super().__init__(options)
        self._http = http_client or httpx.AsyncClient(**_client_kwargs(options))

    async def request(self, plan: CallPlan) -> dict[str, Any]:
        """The async twin of :meth:`SyncRestTransport.request`."""
        response = await self._send(plan.op, self.service_request(plan), plan.deadline)
        return read_response(response, plan.op)

    async def send(self, op: Operation, route: PlainRoute, deadline: Deadline) -> httpx.Response:
        """The async twin of :meth:`SyncRestTransport.send`."""
        return check_status(await self._send(op, self.plain_request(route), deadline), op)

    async def _send(
        self, op: Operation, request: dict[str, Any], deadline: Deadline
    ) -> httpx.Response:
        try:
            async with asyncio.timeout_at(deadline.at):
                response = await self._http.request(timeout=_phase_timeout(deadline, op), **request)
        except TimeoutError:
            raise _late(op, deadline) from None
        except httpx.HTTPError as exc:
            raise _transport_error(exc, op, deadline) from exc
        except (
            RuntimeError
        ) as exc:  # httpx: "Cannot send a request, as the client has been closed."
            raise ConnectionClosedError(f"{op.service} ({op.name}): {exc}") from exc
        return response

    async def close(self) -> None:
        await self._http.aclose()
