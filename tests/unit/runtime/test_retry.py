"""Retries where safe: idempotent calls are sent again after transient failures, others never.

REST through an ``httpx.MockTransport`` that fails the first requests as scripted; the socket
through the loopback fake gateway, whose ``abort`` service drops the TCP connection.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.fakes.rest_gateway import FakeRestGateway
from tests.fakes.ws_gateway import FakeGateway
from tgclient import Api, AsyncApi
from tgclient_runtime import retry
from tgclient_runtime.errors import (
    APIStatusError,
    ConfigurationError,
    ConnectError,
    ConnectionClosedError,
    TrustGraphError,
)
from tgclient_runtime.operation import Operation
from tgclient_runtime.options import ClientOptions
from tgclient_runtime.plan import Deadline
from tgclient_runtime.session import SyncSession
from tgclient_runtime.tls import page_title

URL = "http://gateway.test/"
REAL_DELAY = retry.RetryPolicy.delay

Failure = Callable[[httpx.Request], httpx.Response]


def _refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def _drop(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("server disconnected", request=request)


def _status(code: int) -> Failure:
    return lambda request: httpx.Response(code, text=f"<html>{code}</html>")


class Scripted:
    """The fake REST gateway behind a list of failures, used up one request at a time."""

    def __init__(self, *failures: Failure) -> None:
        self.failures = list(failures)
        self.gateway = FakeRestGateway()
        self.sent = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        if self.failures:
            return self.failures.pop(0)(request)
        return self.gateway.handle(request)

    def api(self, **kwargs: Any) -> Api:
        return Api(
            URL, http_client=httpx.Client(transport=httpx.MockTransport(self.handle)), **kwargs
        )

    def async_api(self, **kwargs: Any) -> AsyncApi:
        client = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        return AsyncApi(URL, http_client=client, **kwargs)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry.RetryPolicy, "delay", lambda self, n: 0.0)


@pytest.mark.parametrize(
    "failure", [_refuse, _drop, _status(429), _status(502), _status(503), _status(504)]
)
def test_a_read_is_sent_again_after_a_transient_failure(failure: Failure) -> None:
    script = Scripted(failure, failure)
    assert script.api().flow().list() == ["default"]
    assert script.sent == 3


async def test_a_read_is_sent_again_async() -> None:
    script = Scripted(_refuse, _status(503))
    async with script.async_api() as api:
        assert await api.flow().list() == ["default"]
    assert script.sent == 3


def test_retries_stop_at_max_retries() -> None:
    script = Scripted(*[_status(503)] * 5)
    with pytest.raises(APIStatusError, match=r"retried 2 times") as info:
        script.api().flow().list()
    assert info.value.status == 503 and script.sent == 3


def test_max_retries_zero_turns_retries_off() -> None:
    script = Scripted(_refuse)
    with pytest.raises(ConnectError):
        script.api(max_retries=0).flow().list()
    assert script.sent == 1


@pytest.mark.parametrize("failure", [_status(500), _status(400), _status(401), _status(403)])
def test_other_failures_are_not_retried(failure: Failure) -> None:
    script = Scripted(failure)
    with pytest.raises(TrustGraphError):
        script.api().flow().list()
    assert script.sent == 1


def test_a_write_is_never_resent_and_says_whether_it_may_have_arrived() -> None:
    dropped = Scripted(_drop)
    with pytest.raises(ConnectionClosedError, match="may have reached the gateway") as info:
        dropped.api().flow().start("stub", "f2", "d")
    assert "not idempotent" in str(info.value) and dropped.sent == 1
    refused = Scripted(_refuse)
    with pytest.raises(ConnectError, match="nothing reached the gateway"):
        refused.api().config().put([{"type": "t", "key": "k", "value": "v"}])
    assert refused.sent == 1
    busy = Scripted(_status(504))
    with pytest.raises(APIStatusError, match="may have reached"):
        busy.api().config().delete([{"type": "t", "key": "k"}])
    assert busy.sent == 1


def test_model_calls_are_not_resent() -> None:
    script = Scripted(_status(502))
    with pytest.raises(APIStatusError, match="not idempotent"):
        script.api().flow().id("default").text_completion("s", "p")
    assert script.sent == 1


def test_retries_stay_inside_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry.RetryPolicy, "delay", lambda self, n: 5.0)
    script = Scripted(_status(503), _status(503))
    began = time.monotonic()
    with pytest.raises(APIStatusError):
        script.api(timeout=1).flow().list()
    assert script.sent == 1 and time.monotonic() - began < 1


def test_backoff_is_capped_exponential_and_jittered() -> None:
    policy = retry.RetryPolicy(10, base=0.2, cap=1.0)
    for n, top in enumerate([0.2, 0.4, 0.8, 1.0, 1.0, 1.0]):
        delays = [REAL_DELAY(policy, n) for _ in range(200)]
        assert all(top / 2 <= d <= top for d in delays)
        assert len(set(delays)) > 100


def test_the_spec_marks_reads_idempotent() -> None:
    from tgclient import _operations as ops

    assert ops.FLOW_LIST_FLOWS.idempotent and ops.TRIPLES_TRIPLES.idempotent
    assert ops.CONFIG_GET.idempotent and ops.IAM_WHOAMI.idempotent
    assert not ops.CONFIG_PUT.idempotent and not ops.FLOW_START_FLOW.idempotent
    assert not ops.TEXT_COMPLETION_COMPLETION.idempotent and not ops.AGENT_AGENT.idempotent


@pytest.mark.parametrize("value", [-1, 1.5, True, "2", None])
def test_max_retries_is_validated(value: object) -> None:
    with pytest.raises(ConfigurationError, match="max_retries"):
        ClientOptions.build(url=URL, max_retries=value)  # type: ignore[arg-type]


def test_next_delay_refuses_without_room(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry.RetryPolicy, "delay", REAL_DELAY)
    op = Operation(service="s", name="n", surface="workspace", rest_path="p", idempotent=True)
    policy = retry.RetryPolicy(2, base=10, cap=10)
    with pytest.raises(ConnectError):
        policy.next_delay(op, ConnectError("x"), 0, Deadline.after(0.5))


@pytest.mark.parametrize("idempotent", [True, False])
def test_the_socket_resends_reads_only(idempotent: bool) -> None:
    op = Operation(
        service="abort", name="abort", surface="workspace", rest_path="x", idempotent=idempotent
    )
    with FakeGateway() as gateway:
        session = SyncSession(ClientOptions.build(url=gateway.url, timeout=10))
        try:
            with pytest.raises(ConnectionClosedError) as info:
                session.call(op, {})
        finally:
            session.close()
    assert gateway.connections_opened == (3 if idempotent else 1)
    assert ("not idempotent" in str(info.value)) is not idempotent


def _untrusted(request: httpx.Request) -> httpx.Response:
    cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
    cause.verify_message = "unable to get local issuer certificate"
    raise httpx.ConnectError("TLS failed", request=request) from cause


def test_a_tls_refusal_is_not_retried_and_says_how_to_fix_it() -> None:
    script = Scripted(_untrusted, _untrusted, _untrusted)
    with pytest.raises(ConnectError, match=r"TLS verification failed .*verify='/path/to/ca.pem'"):
        script.api().flow().list()
    assert script.sent == 1


def test_an_html_error_page_gives_its_title() -> None:
    page = "<html><head><title>400 No required SSL certificate was sent</title></head></html>"
    script = Scripted(lambda request: httpx.Response(400, text=page))
    with pytest.raises(TrustGraphError, match="No required SSL certificate was sent"):
        script.api().flow().list()
    assert page_title(bytearray(page.encode())) == "400 No required SSL certificate was sent"
    assert page_title({"error": "x"}) is None and page_title("plain text") is None
