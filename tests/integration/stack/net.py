"""Loopback networking helpers: free ports, AMQP readiness, small JSON-over-HTTP calls."""

import json
import socket
import urllib.error
import urllib.request

HOST = "127.0.0.1"


def free_ports(count):
    """``count`` distinct ports that are free on 127.0.0.1 right now."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind((HOST, 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def amqp_ready(port, timeout=1.0):
    """True when an AMQP 0-9-1 broker on ``port`` answers the protocol header."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(b"AMQP\x00\x00\x09\x01")
            return s.recv(1) == b"\x01"
    except OSError:
        return False


def post_json(url, body, timeout, token=None):
    """POST ``body`` as JSON; return (status, decoded JSON or None). Raises OSError on I/O.

    ``token`` is sent as ``Authorization: Bearer <token>`` (the IAM stack needs one).
    """
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, _decode(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, _decode(e.read())


def _decode(raw):
    try:
        return json.loads(raw)
    except ValueError:
        return None
