"""How the drivers open sockets: settings, transient failures, backoff."""

from __future__ import annotations

import logging
import ssl
from typing import Any

import pytest
from websockets.datastructures import Headers
from websockets.exceptions import InvalidMessage, InvalidStatus, InvalidURI
from websockets.http11 import Response

from tgclient_runtime import ClientOptions, ConnectError
from tgclient_runtime.ws_connect import (
    MAX_MESSAGE,
    Backoff,
    connect_error,
    connect_kwargs,
    is_transient,
    socket_url,
)


def test_socket_url_and_settings() -> None:
    options = ClientOptions.build(url="http://gw:8888/api/v1/", headers={"X-A": "1"})
    assert socket_url(options) == "ws://gw:8888/api/v1/socket"
    kwargs = connect_kwargs(options)
    assert kwargs["max_size"] == MAX_MESSAGE == 50 * 1024 * 1024
    assert kwargs["ping_interval"] and kwargs["ping_timeout"]  # keepalive on
    assert kwargs["additional_headers"] == {"X-A": "1"}
    assert kwargs["proxy"] is True  # like httpx: the environment's proxy settings
    assert "ssl" not in kwargs  # plain ws:// must not get a TLS context
    assert not kwargs["logger"].isEnabledFor(logging.DEBUG)  # frames carry the token


def test_secure_url_gets_a_verifying_tls_context() -> None:
    kwargs = connect_kwargs(ClientOptions.build(url="https://gw/", proxy="http://proxy:3128"))
    assert kwargs["proxy"] == "http://proxy:3128"
    context = kwargs["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname


def _status(code: int) -> InvalidStatus:
    return InvalidStatus(Response(code, "x", Headers()))


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (_status(502), True),
        (_status(503), True),
        (_status(404), False),
        (_status(403), False),
        (ssl.SSLCertVerificationError("bad"), False),
        (InvalidURI("x", "bad"), False),
    ],
)
def test_transient_failures(exc: BaseException, transient: bool) -> None:
    assert is_transient(exc) is transient


def test_eof_during_handshake_is_transient() -> None:
    exc = InvalidMessage("did not receive a valid HTTP response")
    exc.__cause__ = EOFError()
    assert is_transient(exc)
    assert not is_transient(InvalidMessage("garbage"))


def test_connect_error_is_a_builtin_connection_error() -> None:
    error: Any = connect_error(ConnectionRefusedError("refused"), "ws://gw/api/v1/socket")
    assert isinstance(error, ConnectError) and isinstance(error, ConnectionError)
    assert "ws://gw/api/v1/socket" in str(error)


def test_backoff_grows_is_capped_jittered_and_resets() -> None:
    backoff = Backoff(base=0.1, cap=1.0)
    assert backoff.delay() == 0.0
    ceilings = [0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]
    for ceiling in ceilings:
        backoff.failed()
        delays = {backoff.delay() for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered
    backoff.succeeded()
    assert backoff.delay() == 0.0
