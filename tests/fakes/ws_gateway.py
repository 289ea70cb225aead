"""A loopback fake of the gateway's WebSocket mux (gateway-2.11 §5), for tests and benchmarks.

It runs a ``websockets.asyncio`` server on 127.0.0.1 in a background thread and speaks the
mux protocol: in-band auth (``auth-required`` before it), ids echoed verbatim, every request
answered by its own task so answers interleave. The envelope's ``service`` picks what happens:

========  =====================================================================================
echo      one frame ``{"echo": request, "workspace": ..., "flow": ...}``, ``complete: true``
slow      ``echo`` after ``request["delay"]`` seconds
stream    ``request["chunks"]`` frames ``{"index": i}``, one every ``request.get("delay", 0)``
          seconds; the last sets ``request.get("end_field")`` true and ``complete`` to
          ``request.get("complete", True)``
script    sends ``request["frames"]`` as given, adding the id unless a frame has ``"no_id"``,
          one every ``request.get("delay", 0)`` seconds
big       one frame whose response carries ``request["size"]`` characters
never     no answer at all
close     closes the connection with ``request.get("code", 1000)`` instead of answering
abort     drops the TCP connection without a close frame
other     an ``unknown-service`` error frame (or ``fallback``'s behaviour)
========  =====================================================================================

Run ``python -m tests.fakes.ws_gateway`` to serve from a separate process (benchmarks); it
prints the URL on one line and serves until its standard input closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

__all__ = ["FakeGateway"]

MAX_SIZE = 50 * 1024 * 1024


class _Conn:
    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.workspace: str | None = None  # the identity's default workspace once authenticated
        self.in_flight = 0


class FakeGateway:
    """The fake mux server. Use as a context manager or call :meth:`start` / :meth:`stop`.

    Args:
        tokens: accepted tokens and the default workspace each one maps to; ``None`` accepts any
            token (the empty one too) with workspace ``default_workspace``.
        default_workspace: the workspace sent in ``auth-ok`` when ``tokens`` is ``None``.
        workspaces: known workspaces; a request naming another gets ``workspace-not-found``.
        idle_close: close a connection that received nothing for this many seconds while no
            request was running, like a proxy does.
        idle_close_abort: drop the TCP connection on idle instead of sending a close frame.
        fallback: the behaviour for services not in the table (``"echo"`` lets any client's
            service names through); ``None`` answers ``unknown-service``.
        tls: serve ``wss://`` with this server-side TLS context.
        responder: called with each request envelope; when it returns a list of response
            objects they are sent as the answer (the last with ``complete: true``), before
            any behaviour of the table above.
    """

    def __init__(
        self,
        *,
        tokens: Mapping[str, str] | None = None,
        default_workspace: str = "default",
        workspaces: set[str] | None = None,
        idle_close: float | None = None,
        idle_close_abort: bool = False,
        fallback: str | None = None,
        tls: ssl.SSLContext | None = None,
        responder: Callable[[dict[str, Any]], list[dict[str, Any]] | None] | None = None,
    ) -> None:
        self.tokens = dict(tokens) if tokens is not None else None
        self.default_workspace = default_workspace
        self.workspaces = workspaces
        self.idle_close = idle_close
        self.idle_close_abort = idle_close_abort
        self.fallback = fallback
        self.tls = tls
        self.responder = responder
        self._lock = threading.Lock()
        self.connections_opened = 0
        self.auth_tokens: list[str] = []
        self.envelopes: list[dict[str, Any]] = []
        self.handshake_headers: list[dict[str, str]] = []
        self.max_in_flight = 0
        self._conns: set[_Conn] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The gateway root as a ws URL."""
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}/"

    def start(self) -> FakeGateway:
        ready = threading.Event()

        async def listen() -> Server:
            return await serve(
                self._handle, "127.0.0.1", 0, max_size=MAX_SIZE, ping_interval=None, ssl=self.tls
            )

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(listen())
                self.port = self._server.sockets[0].getsockname()[1]
            finally:
                ready.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-ws-gateway", daemon=True)
        self._thread.start()
        if not ready.wait(10) or not self.port:
            raise RuntimeError("fake gateway did not start")
        return self

    def stop(self) -> None:
        loop, server = self._loop, self._server
        if loop is None or server is None:
            return

        async def shutdown() -> None:
            # Drop connections rather than wait for clients that may be gone to answer a close.
            server.close(close_connections=False)
            for conn in list(self._conns):
                conn.ws.transport.abort()
            await asyncio.sleep(0.01)  # let the aborted transports report connection_lost
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 5)
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._loop = None

    def __enter__(self) -> FakeGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- fault injection from the test thread ---------------------------------------------

    def close_all(self, code: int = 1000) -> None:
        """Close every open connection with a close frame."""
        self._run(self._close_all(code))

    def abort_all(self) -> None:
        """Drop every open connection without a close frame."""

        def abort() -> None:
            for conn in list(self._conns):
                conn.ws.transport.abort()

        assert self._loop is not None
        self._loop.call_soon_threadsafe(abort)

    def open_connections(self) -> int:
        return len(self._conns)

    def _run(self, coro: Any) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    async def _close_all(self, code: int) -> None:
        for conn in list(self._conns):
            with contextlib.suppress(Exception):
                await conn.ws.close(code)

    # -- the server -----------------------------------------------------------------------

    async def _handle(self, ws: ServerConnection) -> None:
        if ws.request is None or ws.request.path != "/api/v1/socket":
            await ws.close(1008, "wrong path")
            return
        conn = _Conn(ws)
        self._conns.add(conn)
        with self._lock:
            self.connections_opened += 1
            self.handshake_headers.append({k.lower(): v for k, v in ws.request.headers.raw_items()})
        tasks: set[asyncio.Task[None]] = set()
        try:
            while True:
                try:
                    raw = await asyncio.wait_for(ws.recv(), self.idle_close)
                except TimeoutError:
                    if conn.in_flight:
                        continue
                    if self.idle_close_abort:
                        ws.transport.abort()
                    else:
                        await ws.close(1001, "idle")
                    return
                except ConnectionClosed:
                    return
                task = self._on_message(conn, raw)
                if task is not None:
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
        finally:
            self._conns.discard(conn)
            for task in tasks:
                task.cancel()

    def _on_message(self, conn: _Conn, raw: str | bytes) -> asyncio.Task[None] | None:
        try:
            msg = json.loads(raw)
        except ValueError:
            msg = None
        if not isinstance(msg, dict):
            self._send_soon(conn, {"error": {"message": "Bad message", "type": "error"}})
            return None
        if msg.get("type") == "auth":
            self._auth(conn, msg.get("token", ""))
            return None
        req_id = msg.get("id")
        if not req_id or not isinstance(msg.get("request"), dict):
            frame: dict[str, Any] = {"error": {"message": "Bad message", "type": "error"}}
            if req_id:
                frame.update(id=req_id, complete=True)
            self._send_soon(conn, frame)
            return None
        with self._lock:
            self.envelopes.append(msg)
        if conn.workspace is None:
            return self._error(conn, req_id, "auth-required", "auth failure")
        workspace = msg.get("workspace") or conn.workspace
        if self.workspaces is not None and workspace not in self.workspaces:
            return self._error(conn, req_id, "workspace-not-found", "workspace not found")
        return asyncio.get_running_loop().create_task(self._serve(conn, msg, workspace))

    def _auth(self, conn: _Conn, token: str) -> None:
        with self._lock:
            self.auth_tokens.append(token)
        if self.tokens is None:
            workspace: str | None = self.default_workspace
        else:
            workspace = self.tokens.get(token)
        if workspace is None:
            # The previous identity, if any, is kept (gateway-2.11 §5.2).
            self._send_soon(conn, {"type": "auth-failed", "error": "auth failure"})
        else:
            conn.workspace = workspace
            self._send_soon(conn, {"type": "auth-ok", "default_workspace": workspace})

    def _error(self, conn: _Conn, req_id: Any, kind: str, message: str) -> None:
        frame = {"id": req_id, "error": {"message": message, "type": kind}, "complete": True}
        self._send_soon(conn, frame)

    def _send_soon(self, conn: _Conn, frame: dict[str, Any]) -> None:
        async def send() -> None:
            with contextlib.suppress(ConnectionClosed):
                await conn.ws.send(json.dumps(frame))

        asyncio.get_running_loop().create_task(send())

    async def _serve(self, conn: _Conn, msg: dict[str, Any], workspace: str) -> None:
        conn.in_flight += 1
        with self._lock:
            self.max_in_flight = max(self.max_in_flight, conn.in_flight)
        try:
            await self._behave(conn, msg, workspace)
        except ConnectionClosed:
            pass
        finally:
            conn.in_flight -= 1

    async def _behave(self, conn: _Conn, msg: dict[str, Any], workspace: str) -> None:
        ws, req_id, request = conn.ws, msg["id"], msg["request"]
        scripted = self.responder(msg) if self.responder is not None else None
        if scripted is not None:
            for i, response in enumerate(scripted):
                last = i == len(scripted) - 1
                await ws.send(json.dumps({"id": req_id, "response": response, "complete": last}))
            return
        service = msg.get("service")
        if service not in _BEHAVIOURS:
            service = self.fallback

        async def send(response: Any = None, *, complete: bool = True, **extra: Any) -> None:
            frame = {"id": req_id, **extra, "complete": complete}
            if response is not None:
                frame["response"] = response
            await ws.send(json.dumps(frame))

        echo = {"echo": request, "workspace": workspace, "flow": msg.get("flow")}
        if service == "echo":
            await send(echo)
        elif service == "slow":
            await asyncio.sleep(float(request.get("delay", 0.5)))
            await send(echo)
        elif service == "stream":
            count, delay = int(request.get("chunks", 3)), float(request.get("delay", 0))
            end_field = request.get("end_field")
            for i in range(count):
                if delay:
                    await asyncio.sleep(delay)
                last = i == count - 1
                response: dict[str, Any] = {"index": i}
                if end_field:
                    response[end_field] = last
                await send(response, complete=last and bool(request.get("complete", True)))
        elif service == "script":
            delay = float(request.get("delay", 0))
            for frame in request.get("frames", []):
                if delay:
                    await asyncio.sleep(delay)
                frame = dict(frame)
                if not frame.pop("no_id", False):
                    frame["id"] = req_id
                await ws.send(json.dumps(frame))
        elif service == "big":
            await send({"blob": "x" * int(request["size"])})
        elif service == "never":
            await asyncio.Event().wait()
        elif service == "close":
            await ws.close(int(request.get("code", 1000)))
        elif service == "abort":
            ws.transport.abort()
        else:
            await send(error={"message": "unknown service", "type": "unknown-service"})


_BEHAVIOURS = frozenset({"echo", "slow", "stream", "script", "big", "never", "close", "abort"})


def main() -> None:
    """Serve from this process until standard input closes (used by the benchmarks).

    Services outside the behaviour table get the behaviour named by ``--fallback`` (default
    ``echo``), so any client's calls get an answer.
    """
    args = sys.argv[1:]
    fallback = args[args.index("--fallback") + 1] if "--fallback" in args else "echo"
    with FakeGateway(fallback=fallback) as gateway:
        print(gateway.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
