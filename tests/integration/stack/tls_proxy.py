"""``TlsProxy``: Debian's nginx terminating TLS in front of a gateway, as deployments do.

Three listeners on 127.0.0.1, each proxying HTTP and WebSocket upgrades to the gateway:

- ``url``: TLS with the given server certificate;
- ``mtls_url``: the same, and a client certificate signed by ``client_ca`` is required;
- ``idle_url``: the same as ``url``, but nginx closes a connection after ``idle_timeout``
  seconds without traffic (``proxy_read_timeout`` for sockets, ``keepalive_timeout`` for
  kept-alive HTTP connections), the way a proxy in front of a real deployment does.

The certificates are the caller's (tests make a throwaway CA). Configuration, logs and
nginx's temp files live in one temporary directory; ``stop()`` kills nginx by PID and removes
it. Needs ``nginx`` (``scripts/ensure-system-packages`` installs ``nginx-light``).
"""

import os
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path

from . import procs
from .net import HOST, free_ports

NGINX_PATHS = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")

_CONFIG = """\
{user}worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 512; }}
http {{
    log_format conn '$connection $request_method $uri $status';
    access_log {dir}/access.log conn;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    client_max_body_size 256m;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    ssl_certificate {dir}/server.pem;
    ssl_certificate_key {dir}/server.key;
    server {{
        listen {host}:{port} ssl;
{location}
    }}
    server {{
        listen {host}:{mtls_port} ssl;
        ssl_client_certificate {dir}/client-ca.pem;
        ssl_verify_client on;
{location}
    }}
    server {{
        listen {host}:{idle_port} ssl;
        keepalive_timeout {idle}s;
{idle_location}
    }}
}}
"""

_LOCATION = """\
        location / {{
            proxy_pass http://{host}:{upstream};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout {read}s;
            proxy_send_timeout {read}s;
        }}"""


class TlsProxyError(RuntimeError):
    """nginx is missing or did not start; the message tails its error log."""


def nginx_binary():
    """The nginx executable, or None when it is not installed."""
    found = shutil.which("nginx")
    return found or next((p for p in NGINX_PATHS if os.access(p, os.X_OK)), None)


class TlsProxy:
    """nginx in front of ``upstream_port`` (the gateway), with the caller's certificates.

    ``server_cert`` and ``server_key`` are PEM bytes (the chain first); ``client_ca`` is the
    PEM of the CA whose certificates ``mtls_url`` accepts.
    """

    def __init__(self, upstream_port, server_cert, server_key, client_ca, idle_timeout=2.0):
        self.upstream_port = int(upstream_port)
        self.server_cert = server_cert
        self.server_key = server_key
        self.client_ca = client_ca
        self.idle_timeout = idle_timeout
        self.dir = None
        self.proc = None
        self.ports = {}

    @property
    def url(self):
        return f"https://{HOST}:{self.ports['tls']}/"

    @property
    def mtls_url(self):
        return f"https://{HOST}:{self.ports['mtls']}/"

    @property
    def idle_url(self):
        return f"https://{HOST}:{self.ports['idle']}/"

    @property
    def access_log(self):
        return self.dir / "access.log"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def start(self, timeout=15.0):
        nginx = nginx_binary()
        if not nginx:
            raise TlsProxyError("nginx is not installed; run scripts/ensure-system-packages")
        self.dir = Path(tempfile.mkdtemp(prefix="tgstack-nginx-"))
        (self.dir / "tmp").mkdir()
        (self.dir / "server.pem").write_bytes(self.server_cert)
        (self.dir / "server.key").write_bytes(self.server_key)
        (self.dir / "client-ca.pem").write_bytes(self.client_ca)
        tls, mtls, idle = free_ports(3)
        self.ports = {"tls": tls, "mtls": mtls, "idle": idle}
        conf = self.dir / "nginx.conf"
        conf.write_text(self._config())
        argv = [nginx, "-p", str(self.dir), "-e", str(self.dir / "error.log"), "-c", str(conf)]
        argv += ["-g", "daemon off; master_process on;"]
        self.proc = procs.spawn(
            "nginx", argv, log=self.dir / "nginx.log", cwd=self.dir,
            die_with_parent=signal.SIGTERM, stop_signal=signal.SIGTERM,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not all(_listening(p) for p in self.ports.values()):
            if self.proc.exited() or time.monotonic() > deadline:
                log = procs.tail(self.dir / "error.log") + procs.tail(self.dir / "nginx.log")
                self.stop()
                raise TlsProxyError(f"nginx did not start:\n{log}")
            time.sleep(0.05)
        return self

    def _config(self):
        def location(read):
            return _LOCATION.format(host=HOST, upstream=self.upstream_port, read=read)

        # As root, nginx's workers would otherwise run as "nobody" and could not use the
        # private temporary directory.
        user = "user root;\n" if os.geteuid() == 0 else ""
        return _CONFIG.format(
            user=user, dir=self.dir, host=HOST, port=self.ports["tls"],
            mtls_port=self.ports["mtls"], idle_port=self.ports["idle"],
            idle=f"{self.idle_timeout:g}", location=location(600),
            idle_location=location(f"{self.idle_timeout:g}"),
        )  # fmt: skip

    def stop(self):
        """Kill nginx (by PID, with its workers) and remove the directory."""
        if self.proc is not None:
            procs.stop_all([self.proc], grace=5.0)
            self.proc = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def connections(self, path):
        """The connection serial numbers of the finished requests for ``path``, in log order
        (a socket is logged once, when it closes; kept-alive HTTP requests share a number)."""
        try:
            lines = self.access_log.read_text().splitlines()
        except OSError:
            return []
        return [int(line.split()[0]) for line in lines if line.split()[2:3] == [path]]


def _listening(port):
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False
