"""tgclient through a real TLS-terminating reverse proxy (Debian's nginx) in front of the gateway.

The test makes a throwaway CA (``trustme``), has nginx serve a certificate from it, and checks
``https://`` and ``wss://`` on every transport path (REST, the socket with streaming, bulk
import and export), sync and async: verification on by default (the private CA is refused),
a wrong CA refused with a clear typed error, a client certificate required and presented,
``verify=False`` working with a warning, and an idle socket closed by the proxy followed by a
call that reconnects.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import trustme

import tgclient
from tgclient import Api, AsyncApi, Literal, Triple, Uri
from tgclient.terms import term_text

from .stack.tls_proxy import TlsProxy

TIMEOUT = 20.0
UNTRUSTED = "TLS verification failed"
NO_CLIENT_CERT = r"(?i)SSL certificate"


@dataclass
class Tls:
    proxy: TlsProxy
    ca: str  # the CA that signed the proxy's certificate
    wrong_ca: str  # another CA
    client_cert: str  # key and certificate chain, signed by ``ca``
    stranger_cert: str  # key and certificate chain, signed by ``wrong_ca``

    def url(self, scheme: str, which: str = "url") -> str:
        return str(getattr(self.proxy, which)).replace("https", scheme, 1)


@pytest.fixture(scope="module")
def tls(gateway_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tls]:
    where: Path = tmp_path_factory.mktemp("tls")
    ca, wrong = trustme.CA(), trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    paths = {name: str(where / f"{name}.pem") for name in ("ca", "wrong", "client", "stranger")}
    ca.cert_pem.write_to_path(paths["ca"])
    wrong.cert_pem.write_to_path(paths["wrong"])
    ca.issue_cert("tgclient-test@example.org").private_key_and_cert_chain_pem.write_to_path(
        paths["client"]
    )
    wrong.issue_cert("stranger@example.org").private_key_and_cert_chain_pem.write_to_path(
        paths["stranger"]
    )
    chain = b"".join(blob.bytes() for blob in server.cert_chain_pems)
    proxy = TlsProxy(
        urlsplit(gateway_url).port, chain, server.private_key_pem.bytes(), ca.cert_pem.bytes()
    )
    with proxy:
        yield Tls(proxy, paths["ca"], paths["wrong"], paths["client"], paths["stranger"])


def _exercise(api: Api) -> None:
    """One call on every path: REST or socket call, streaming (socket), bulk import and export."""
    flow = api.flow().id()
    assert "default" in api.flow().list()
    assert flow.text_completion("s", "over tls") == "over tls"
    if api._session.options.transport == "websocket":
        with flow.text_completion("s", "one two three", streaming=True) as stream:
            assert "".join(c.response or "" for c in stream) == "one two three"
    subject = f"urn:tls:{uuid.uuid4().hex[:8]}"
    got: list[Triple] = []
    with flow.export_triples(frames=True, idle_timeout=10) as tap:

        def read() -> None:
            for frame in tap:
                got.extend(t for t in frame.triples if term_text(t.s) == subject)
                if len(got) >= 5:
                    return

        reader = threading.Thread(target=read)
        reader.start()
        time.sleep(0.5)  # the tap starts at "latest": subscribe before importing
        result = flow.import_triples(
            Triple(s=Uri(subject), p=Uri("urn:tls:p"), o=Literal(str(i))) for i in range(5)
        )
        reader.join(TIMEOUT)
    assert result.items == 5
    assert sorted(term_text(t.o) for t in got) == [str(i) for i in range(5)]
    _eventually(lambda: len(flow.triples_query(s=Uri(subject), limit=10)) == 5)


async def _exercise_async(api: AsyncApi) -> None:
    flow = api.flow().id()
    assert "default" in await api.flow().list()
    assert await flow.text_completion("s", "async tls") == "async tls"
    if api._session.options.transport == "websocket":
        stream = await flow.text_completion("s", "alpha beta", streaming=True)
        assert "".join([c.response or "" async for c in stream]) == "alpha beta"
    subject = f"urn:tls:{uuid.uuid4().hex[:8]}"
    result = await flow.import_triples(
        Triple(s=Uri(subject), p=Uri("urn:tls:p"), o=Literal(str(i))) for i in range(5)
    )
    assert result.items == 5
    deadline = time.monotonic() + TIMEOUT
    while len(await flow.triples_query(s=Uri(subject), limit=10)) != 5:
        assert time.monotonic() < deadline, "imported triples never showed up"
        await asyncio.sleep(0.1)
    tap = await flow.export_triples(frames=True, idle_timeout=0.5)
    async with tap:
        async for _ in tap:
            pass  # nothing is being imported: the idle timeout ends the iteration


def _eventually(check: object, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition never became true"
        time.sleep(0.1)


@pytest.mark.parametrize("scheme", ["https", "wss"])
def test_every_path_over_tls(tls: Tls, scheme: str) -> None:
    with Api(tls.url(scheme), verify=tls.ca, timeout=TIMEOUT) as api:
        _exercise(api)


@pytest.mark.parametrize("scheme", ["https", "wss"])
async def test_every_path_over_tls_async(tls: Tls, scheme: str) -> None:
    async with AsyncApi(tls.url(scheme), verify=tls.ca, timeout=TIMEOUT) as api:
        await _exercise_async(api)


@pytest.mark.parametrize("scheme", ["https", "wss"])
@pytest.mark.parametrize("verify", ["default", "wrong CA"])
def test_untrusted_certificate_is_refused(tls: Tls, scheme: str, verify: str) -> None:
    """Verification is on by default: neither the system bundle nor another CA trusts the proxy."""
    kwargs = {} if verify == "default" else {"verify": tls.wrong_ca}
    with Api(tls.url(scheme), timeout=TIMEOUT, **kwargs) as api:  # type: ignore[arg-type]
        began = time.monotonic()
        with pytest.raises(tgclient.ConnectError, match=UNTRUSTED):
            api.flow().list()
        assert time.monotonic() - began < TIMEOUT
        with pytest.raises(tgclient.ConnectError, match=UNTRUSTED):
            api.flow().id().export_triples(idle_timeout=1).close()


async def test_untrusted_certificate_is_refused_async(tls: Tls) -> None:
    for scheme in ("https", "wss"):
        async with AsyncApi(tls.url(scheme), verify=tls.wrong_ca, timeout=TIMEOUT) as api:
            with pytest.raises(tgclient.ConnectError, match=UNTRUSTED):
                await api.flow().list()


@pytest.mark.parametrize("scheme", ["https", "wss"])
def test_client_certificate_required_and_presented(tls: Tls, scheme: str) -> None:
    url = tls.url(scheme, "mtls_url")
    for cert in (None, tls.stranger_cert):
        with Api(url, verify=tls.ca, cert=cert, timeout=TIMEOUT) as api:
            # nginx completes the handshake, then answers HTTP 400 "No required SSL
            # certificate was sent" (or "The SSL certificate error"); the error says so.
            with pytest.raises(tgclient.TrustGraphError, match=NO_CLIENT_CERT) as info:
                api.flow().list()
            assert not isinstance(info.value, tgclient.RequestTimeoutError)
            with pytest.raises(tgclient.TrustGraphError, match=NO_CLIENT_CERT):
                api.flow().id().export_triples(idle_timeout=1).close()
    with Api(url, verify=tls.ca, cert=tls.client_cert, timeout=TIMEOUT) as api:
        _exercise(api)


async def test_client_certificate_presented_async(tls: Tls) -> None:
    for scheme in ("https", "wss"):
        url = tls.url(scheme, "mtls_url")
        async with AsyncApi(url, verify=tls.ca, cert=tls.client_cert, timeout=TIMEOUT) as api:
            await _exercise_async(api)


@pytest.mark.parametrize("scheme", ["https", "wss"])
def test_verify_false_works_with_a_warning(tls: Tls, scheme: str) -> None:
    with pytest.warns(UserWarning, match="verification is off"):
        api = Api(tls.url(scheme), verify=False, timeout=TIMEOUT)
    with api:
        assert api.flow().id().text_completion("s", "unverified") == "unverified"


def test_idle_socket_closed_by_the_proxy_then_reconnects(tls: Tls) -> None:
    """nginx closes a socket idle for ``idle_timeout``; the next call opens a new one."""
    proxy = tls.proxy
    before = len(proxy.connections("/api/v1/socket"))
    with Api(tls.url("wss", "idle_url"), verify=tls.ca, timeout=TIMEOUT) as api:
        flow = api.flow().id()
        assert flow.text_completion("s", "first") == "first"
        time.sleep(proxy.idle_timeout + 1.5)
        _eventually(lambda: len(proxy.connections("/api/v1/socket")) == before + 1, 5)
        assert flow.text_completion("s", "after idle") == "after idle"
    _eventually(lambda: len(proxy.connections("/api/v1/socket")) == before + 2, 5)


def test_idle_http_connection_closed_by_the_proxy_then_reconnects(tls: Tls) -> None:
    proxy = tls.proxy
    before = len(proxy.connections("/api/v1/flow"))
    with Api(tls.url("https", "idle_url"), verify=tls.ca, timeout=TIMEOUT) as api:
        assert "default" in api.flow().list()
        assert "default" in api.flow().list()  # kept alive: the same connection
        time.sleep(proxy.idle_timeout + 1.5)
        assert "default" in api.flow().list()
    # nginx logs a request after answering it: wait for all three lines, not the last three.
    _eventually(lambda: len(proxy.connections("/api/v1/flow")) == before + 3, 5)
    first, second, third = proxy.connections("/api/v1/flow")[before:]
    assert first == second != third


async def test_idle_socket_reconnects_async(tls: Tls) -> None:
    proxy = tls.proxy
    before = len(proxy.connections("/api/v1/socket"))
    async with AsyncApi(tls.url("wss", "idle_url"), verify=tls.ca, timeout=TIMEOUT) as api:
        flow = api.flow().id()
        assert await flow.text_completion("s", "first") == "first"
        await asyncio.sleep(proxy.idle_timeout + 1.5)
        assert await flow.text_completion("s", "after idle") == "after idle"
    _eventually(lambda: len(proxy.connections("/api/v1/socket")) == before + 2, 5)
