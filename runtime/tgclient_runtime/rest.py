"""REST transport on one pooled httpx client per Api (sync and async).

The request body is built by the session; this module sends it, maps transport failures onto
the error tree and turns error statuses and ``error`` keys in bodies into typed exceptions.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import httpx

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
from .tls import ssl_context

__all__ = ["AsyncRestTransport", "PlainRoute", "SyncRestTransport", "check_status", "read_response"]

_USER_AGENT = "tgclient/0.1"


def _request_headers(options: ClientOptions) -> dict[str, str]:
    headers = {"User-Agent": _USER_AGENT, **options.headers}
    if options.token:
        headers["Authorization"] = f"Bearer {options.token.reveal()}"
    return headers


def _with_token(headers: dict[str, str], token: str | None) -> dict[str, str]:
    updated = {k: v for k, v in headers.items() if k != "Authorization"}
    if token:
        updated["Authorization"] = f"Bearer {token}"
    return updated


def _client_kwargs(options: ClientOptions) -> dict[str, Any]:
    return {
        "timeout": httpx.Timeout(options.timeout),
        "verify": ssl_context(options),  # shared with the WebSocket transport
        "proxy": options.proxy,
        "follow_redirects": False,
    }


def _decode_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text


@dataclasses.dataclass(frozen=True)
class PlainRoute:
    """One request to a plain HTTP route: method, path below the root, query, body."""

    method: str
    path: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    content: bytes | None = None


def check_status(response: httpx.Response, op: Operation) -> httpx.Response:
    """The response itself, or the typed exception an error status carries."""
    if response.status_code >= 400:
        body = _decode_body(response)
        error = body.get("error") if isinstance(body, dict) else None
        if error is None and isinstance(body, str) and body.strip():
            error = body.strip()[:500]
        raise error_from_wire(error, status=response.status_code, body=body, service=op.service)
    return response


def read_response(response: httpx.Response, op: Operation) -> dict[str, Any]:
    """The JSON object of a REST answer, or the typed exception its status or body carries."""
    body = _decode_body(response)
    if response.status_code >= 400:
        error = body.get("error") if isinstance(body, dict) else None
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


def _transport_error(exc: httpx.HTTPError, op: Operation, timeout: float) -> TrustGraphError:
    where = f"{op.service} ({op.name})"
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(f"{where}: no answer within {timeout:g} s", service=op.service)
    if isinstance(exc, httpx.ConnectError):
        return ConnectError(f"{where}: cannot connect to the gateway: {exc}", service=op.service)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return ConnectionClosedError(f"{where}: connection lost: {exc}", service=op.service)
    return TransportError(f"{where}: {exc}", service=op.service)


class SyncRestTransport:
    """Blocking REST calls over one keep-alive ``httpx.Client``."""

    def __init__(self, options: ClientOptions, *, http_client: httpx.Client | None = None) -> None:
        self._root = options.http_url()
        self._headers = _request_headers(options)
        self._http = http_client or httpx.Client(**_client_kwargs(options))

    def request(
        self, op: Operation, body: dict[str, Any], *, flow: str | None, timeout: float
    ) -> dict[str, Any]:
        try:
            response = self._http.post(
                self._root + op.path_for(flow), json=body, headers=self._headers, timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise _transport_error(exc, op, timeout) from exc
        return read_response(response, op)

    def set_token(self, token: str | None) -> None:
        """Send ``Authorization: Bearer <token>`` from now on (no header when None)."""
        self._headers = _with_token(self._headers, token)

    def send(self, op: Operation, route: PlainRoute, *, timeout: float) -> httpx.Response:
        """A plain HTTP route (metrics, i18n packs, document stream); error statuses raise."""
        try:
            response = self._http.request(
                route.method,
                self._root + route.path,
                params=route.params,
                content=route.content,
                headers=self._headers,
                timeout=timeout,
            )
        except httpx.HTTPError as exc:
            raise _transport_error(exc, op, timeout) from exc
        return check_status(response, op)

    def close(self) -> None:
        self._http.close()


class AsyncRestTransport:
    """Non-blocking REST calls over one keep-alive ``httpx.AsyncClient``."""

    def __init__(
        self, options: ClientOptions, *, http_client: httpx.AsyncClient | None = None
    ) -> None:
        self._root = options.http_url()
        self._headers = _request_headers(options)
        self._http = http_client or httpx.AsyncClient(**_client_kwargs(options))

    async def request(
        self, op: Operation, body: dict[str, Any], *, flow: str | None, timeout: float
    ) -> dict[str, Any]:
        try:
            response = await self._http.post(
                self._root + op.path_for(flow), json=body, headers=self._headers, timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise _transport_error(exc, op, timeout) from exc
        return read_response(response, op)

    async def set_token(self, token: str | None) -> None:
        """Send ``Authorization: Bearer <token>`` from now on (no header when None)."""
        self._headers = _with_token(self._headers, token)

    async def send(self, op: Operation, route: PlainRoute, *, timeout: float) -> httpx.Response:
        """A plain HTTP route (metrics, i18n packs, document stream); error statuses raise."""
        try:
            response = await self._http.request(
                route.method,
                self._root + route.path,
                params=route.params,
                content=route.content,
                headers=self._headers,
                timeout=timeout,
            )
        except httpx.HTTPError as exc:
            raise _transport_error(exc, op, timeout) from exc
        return check_status(response, op)

    async def close(self) -> None:
        await self._http.aclose()
