"""TLS, client certificates and proxies, applied alike to the WebSocket and REST transports.

Certificates are made with the ``openssl`` command for 127.0.0.1; the proxy is a tiny HTTP
CONNECT proxy on loopback that records where it was asked to connect.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.json_http import json_http_server
from tests.fakes.ws_gateway import FakeGateway
from tgclient_runtime import (
    AsyncSession,
    ClientOptions,
    ConfigurationError,
    ConnectError,
    Operation,
    SyncSession,
)

ECHO = Operation(
    service="echo",
    name="echo",
    surface="flow",
    rest_path="api/v1/flow/{flow}/echo",
    workspace_in_body=True,
)

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA."""
    d = tmp_path_factory.mktemp("pki")
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=tgclient test CA", cwd=d,
    )  # fmt: skip
    for name, ext in [
        ("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
        ("client", "extendedKeyUsage=clientAuth\n"),
    ]:
        (d / f"{name}.ext").write_text("basicConstraints=CA:FALSE\n" + ext)
        _openssl(
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out",
            f"{name}.csr", "-subj", f"/CN={name}", cwd=d,
        )  # fmt: skip
        _openssl(
            "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
            cwd=d,
        )  # fmt: skip
    return {p.stem if p.suffix == ".pem" else p.name: p for p in d.iterdir()}


def _server_tls(pki: dict[str, Path], *, client_cert: bool = False) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pki["server"], pki["server.key"])
    if client_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(pki["ca"])
    return ctx


@pytest.fixture
def wss(pki: dict[str, Path]) -> Iterator[FakeGateway]:
    with FakeGateway(tls=_server_tls(pki)) as gateway:
        yield gateway


def _call(url: str, **options: Any) -> dict[str, Any]:
    session = SyncSession(ClientOptions.build(url=url, timeout=10, **options))
    try:
        return session.call(ECHO, {"x": 1}, flow="f")
    finally:
        session.close()


# -- WebSocket over TLS -----------------------------------------------------------------------


def test_verification_is_on_by_default(wss: FakeGateway) -> None:
    with pytest.raises(ConnectError, match="TLS verification failed") as caught:
        _call(wss.url)
    assert isinstance(caught.value, ConnectionError)
    assert wss.connections_opened == 0


def test_ca_bundle_is_trusted(wss: FakeGateway, pki: dict[str, Path]) -> None:
    assert _call(wss.url, verify=str(pki["ca"]))["echo"] == {"x": 1}


def test_verification_off_only_when_asked(wss: FakeGateway) -> None:
    with pytest.warns(UserWarning, match="verify=False"):
        options = ClientOptions.build(url=wss.url, verify=False)
    session = SyncSession(options)
    assert session.call(ECHO, {"x": 1}, flow="f")["echo"] == {"x": 1}
    session.close()


def test_client_certificate(pki: dict[str, Path]) -> None:
    with FakeGateway(tls=_server_tls(pki, client_cert=True)) as gateway:
        with pytest.raises(ConnectError):
            _call(gateway.url, verify=str(pki["ca"]))
        cert = (str(pki["client"]), str(pki["client.key"]))
        assert _call(gateway.url, verify=str(pki["ca"]), cert=cert)["echo"] == {"x": 1}


async def test_async_uses_the_same_tls_settings(wss: FakeGateway, pki: dict[str, Path]) -> None:
    session = AsyncSession(ClientOptions.build(url=wss.url, verify=str(pki["ca"]), timeout=10))
    assert (await session.call(ECHO, {"x": 1}, flow="f"))["echo"] == {"x": 1}
    await session.close()
    plain = AsyncSession(ClientOptions.build(url=wss.url, timeout=10))
    with pytest.raises(ConnectError, match="TLS verification failed"):
        await asyncio.wait_for(plain.call(ECHO, {}, flow="f"), 30)
    await plain.close()


def test_unreadable_ca_bundle_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot set up TLS"):
        SyncSession(ClientOptions.build(url="wss://127.0.0.1:1/", verify=str(tmp_path / "no.pem")))


# -- REST over TLS with the same options ------------------------------------------------------


@pytest.fixture
def https_url(pki: dict[str, Path]) -> Iterator[str]:
    with json_http_server(lambda _path, body: {"echo": body}, tls=_server_tls(pki)) as (url, _):
        yield url


def test_rest_trusts_the_same_ca_bundle(https_url: str, pki: dict[str, Path]) -> None:
    assert _call(https_url, verify=str(pki["ca"]))["echo"] == {"x": 1}
    with pytest.raises(ConnectError):
        _call(https_url)


# -- proxy ------------------------------------------------------------------------------------


class ConnectProxy:
    """An HTTP CONNECT proxy on loopback that records the targets it was asked for."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = self._server.accept()
                threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        target = head.split(b" ")[1].decode()
        self.targets.append(target)
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

        def pipe(src: socket.socket, dst: socket.socket) -> None:
            with contextlib.suppress(OSError):
                while data := src.recv(65536):
                    dst.sendall(data)
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

        back = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
        back.start()
        pipe(client, upstream)
        back.join(10)
        upstream.close()
        client.close()

    def close(self) -> None:
        self._server.close()


@pytest.fixture
def proxy() -> Iterator[ConnectProxy]:
    p = ConnectProxy()
    yield p
    p.close()


def test_websocket_goes_through_the_proxy(proxy: ConnectProxy) -> None:
    with FakeGateway() as gateway:
        assert _call(gateway.url, proxy=proxy.url)["echo"] == {"x": 1}
        assert proxy.targets == [f"127.0.0.1:{gateway.port}"]


async def test_async_websocket_goes_through_the_proxy(proxy: ConnectProxy) -> None:
    with FakeGateway() as gateway:
        session = AsyncSession(ClientOptions.build(url=gateway.url, proxy=proxy.url, timeout=10))
        assert (await session.call(ECHO, {"x": 1}, flow="f"))["echo"] == {"x": 1}
        await session.close()
        assert proxy.targets == [f"127.0.0.1:{gateway.port}"]
