"""WebSocket benchmark: tgclient against the official 2.11.1 client and bare websockets loops.

Both clients talk to the same loopback fake gateway, run in a separate process so that it does
not share the benchmark's GIL. Two measurements:

1. sequential round trips per second (the fake answers at once), median of several
   interleaved rounds, with ratios;
2. wall time of 10 concurrent calls that each take 0.5 s in the fake (ideal: 0.5 s).

Run from the repository root: ``python tests/bench/bench_ws.py [--calls N] [--rounds R]``.
The official client is optional (``trustgraph-base==2.11.1`` installed ``--no-deps`` plus
``requests``, ``aiohttp``, ``websockets``, ``prometheus_client``, ``pyyaml``); without it only
tgclient and the bare loops are measured. Never part of the unit run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect as async_connect  # noqa: E402
from websockets.sync.client import connect as sync_connect  # noqa: E402

from tgclient_runtime import (  # noqa: E402
    AsyncSession,
    ClientOptions,
    Operation,
    SyncSession,
)

SERVICE = "embeddings"  # a service name the official client can call without extra arguments
OP = Operation(service=SERVICE, name="bench", surface="flow", rest_path="bench")
FLOW = "default"
REQUEST = {"texts": ["x"]}

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from trustgraph.api import Api as OfficialApi
except ImportError:  # pragma: no cover - optional
    OfficialApi = None


@contextlib.contextmanager
def fake_gateway(fallback: str) -> Iterator[str]:
    """Start ``tests.fakes.ws_gateway`` in a child process; yields its ws:// URL."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.ws_gateway", "--fallback", fallback],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("ws://"):
            raise RuntimeError("the fake gateway did not start")
        yield url
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def envelope(i: int) -> str:
    return json.dumps({"id": f"r{i}", "service": SERVICE, "flow": FLOW, "request": REQUEST})


# -- sequential round trips: one contender = a factory returning (run n calls, close) --------

Contender = Callable[[str], tuple[Callable[[int], None], Callable[[], None]]]


def bare_sync(url: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    conn = sync_connect(url + "api/v1/socket", max_size=None, compression=None)
    conn.__enter__()
    conn.send(json.dumps({"type": "auth", "token": ""}))
    conn.recv()

    def run(n: int) -> None:
        for i in range(n):
            conn.send(envelope(i))
            json.loads(conn.recv())

    return run, conn.close


def bare_sync_dispatcher(url: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    """The classic design: a dispatcher thread reads and hands each answer to the caller."""
    conn = sync_connect(url + "api/v1/socket", max_size=None, compression=None)
    conn.__enter__()
    conn.send(json.dumps({"type": "auth", "token": ""}))
    conn.recv()
    waiters: dict[str, queue.SimpleQueue[Any]] = {}

    def dispatch() -> None:
        with contextlib.suppress(Exception):
            while True:
                message = json.loads(conn.recv())
                waiters.pop(message["id"]).put(message)

    threading.Thread(target=dispatch, daemon=True).start()

    def run(n: int) -> None:
        for i in range(n):
            answer: queue.SimpleQueue[Any] = queue.SimpleQueue()
            waiters[f"r{i}"] = answer
            conn.send(envelope(i))
            answer.get()

    return run, conn.close


def bare_async(url: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    loop = asyncio.new_event_loop()

    async def open_() -> Any:
        conn = await async_connect(url + "api/v1/socket", max_size=None, compression=None)
        await conn.send(json.dumps({"type": "auth", "token": ""}))
        await conn.recv()
        return conn

    conn = loop.run_until_complete(open_())

    async def calls(n: int) -> None:
        for i in range(n):
            await conn.send(envelope(i))
            json.loads(await conn.recv())

    def close() -> None:
        loop.run_until_complete(conn.close())
        loop.close()

    return (lambda n: loop.run_until_complete(calls(n))), close


def tgclient_sync(url: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    session = SyncSession(ClientOptions.build(url=url))

    def run(n: int) -> None:
        for _ in range(n):
            session.call(OP, REQUEST, flow=FLOW)

    return run, session.close


def tgclient_async(url: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    loop = asyncio.new_event_loop()
    session = AsyncSession(ClientOptions.build(url=url))

    async def calls(n: int) -> None:
        for _ in range(n):
            await session.call(OP, REQUEST, flow=FLOW)

    def close() -> None:
        loop.run_until_complete(session.close())
        loop.close()

    return (lambda n: loop.run_until_complete(calls(n))), close


def official_sync(url: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    api = OfficialApi(url.replace("ws://", "http://"))
    flow = api.socket().flow(FLOW)

    def run(n: int) -> None:
        for _ in range(n):
            flow.embeddings(["x"])

    return run, api.socket().close


def official_async(url: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    loop = asyncio.new_event_loop()
    api = OfficialApi(url.replace("ws://", "http://"))
    flow = api.async_socket().flow(FLOW)

    async def calls(n: int) -> None:
        for _ in range(n):
            await flow.embeddings(["x"])

    def close() -> None:
        loop.run_until_complete(api.async_socket().aclose())
        loop.close()

    return (lambda n: loop.run_until_complete(calls(n))), close


def sequential(url: str, calls: int, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """Round trips per second (median of ``rounds``) and the benchmark process's CPU time per
    call in microseconds (the lowest round: what the client itself costs, which a busy machine
    disturbs far less than wall time)."""
    contenders: dict[str, Contender] = {
        "bare websockets sync (send+recv, one thread)": bare_sync,
        "bare websockets sync + dispatcher thread": bare_sync_dispatcher,
        "bare websockets asyncio": bare_async,
        "tgclient sync": tgclient_sync,
        "tgclient async": tgclient_async,
    }
    if OfficialApi is not None:
        contenders["official sync (api.socket())"] = official_sync
        contenders["official async (api.async_socket())"] = official_async
    opened = {}
    for name, factory in contenders.items():
        run, close = factory(url)
        run(50)  # connect and warm up
        opened[name] = (run, close)
    rates: dict[str, list[float]] = {name: [] for name in opened}
    cpu: dict[str, list[float]] = {name: [] for name in opened}
    order = list(opened)
    for round_ in range(rounds):
        # Rotate the order so that no contender always runs right after the same one.
        for name in order[round_ % len(order) :] + order[: round_ % len(order)]:
            run = opened[name][0]
            gc.collect()
            cpu_started, started = time.process_time(), time.perf_counter()
            run(calls)
            rates[name].append(calls / (time.perf_counter() - started))
            cpu[name].append((time.process_time() - cpu_started) / calls * 1e6)
    for _run, close in opened.values():
        with contextlib.suppress(Exception):
            close()
    medians = {name: statistics.median(values) for name, values in rates.items()}
    return medians, {name: min(values) for name, values in cpu.items()}


# -- 10 concurrent 0.5 s calls ---------------------------------------------------------------


def threaded(call: Callable[[], Any], count: int) -> tuple[float, int]:
    errors: list[BaseException] = []

    def wrap() -> None:
        try:
            call()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=wrap) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return time.perf_counter() - started, len(errors)


def concurrent(url: str) -> dict[str, str]:
    results: dict[str, str] = {}

    session = SyncSession(ClientOptions.build(url=url))
    session.call(OP, {"delay": 0.0}, flow=FLOW)
    wall, errors = threaded(lambda: session.call(OP, REQUEST, flow=FLOW), 10)
    results["tgclient sync, 10 threads"] = f"{wall:.3f} s, {errors} failed"
    session.close()

    async def tg_async() -> float:
        async_session = AsyncSession(ClientOptions.build(url=url))
        await async_session.call(OP, {"delay": 0.0}, flow=FLOW)
        started = time.perf_counter()
        await asyncio.gather(*(async_session.call(OP, REQUEST, flow=FLOW) for _ in range(10)))
        wall = time.perf_counter() - started
        await async_session.close()
        return wall

    results["tgclient async, gather(10)"] = f"{asyncio.run(tg_async()):.3f} s, 0 failed"

    if OfficialApi is not None:
        api = OfficialApi(url.replace("ws://", "http://"))
        flow = api.socket().flow(FLOW)
        flow.embeddings(["x"], delay=0.0)
        wall, errors = threaded(lambda: flow.embeddings(["x"]), 10)
        results["official sync, 10 threads sharing api.socket()"] = (
            f"{wall:.3f} s, {errors} of 10 failed"
        )
        started = time.perf_counter()
        for _ in range(10):
            flow.embeddings(["x"])
        results["official sync, the same 10 calls one after another"] = (
            f"{time.perf_counter() - started:.3f} s"
        )
        with contextlib.suppress(Exception):
            api.socket().close()

        async def official_gather() -> str:
            async_api = OfficialApi(url.replace("ws://", "http://"))
            async_flow = async_api.async_socket().flow(FLOW)
            await async_flow.embeddings(["x"], delay=0.0)
            started = time.perf_counter()
            done = await asyncio.gather(
                *(async_flow.embeddings(["x"]) for _ in range(10)), return_exceptions=True
            )
            wall = time.perf_counter() - started
            failed = sum(isinstance(d, BaseException) for d in done)
            with contextlib.suppress(Exception):
                await async_api.async_socket().aclose()
            return f"{wall:.3f} s, {failed} of 10 failed"

        results["official async, gather(10)"] = asyncio.run(official_gather())
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500, help="calls per round")
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")

    print(f"Sequential round trips ({args.calls} calls x {args.rounds} rounds, median)")
    with fake_gateway("echo") as url:
        rates, cpu = sequential(url, args.calls, args.rounds)
    width = max(map(len, rates))
    for name, rate in rates.items():
        print(f"  {name:<{width}}  {rate:8.0f} /s  {cpu[name]:6.1f} us CPU/call")
    print("Ratios")
    tg_sync, tg_async = rates["tgclient sync"], rates["tgclient async"]
    pairs = [
        (
            "tgclient sync / bare websockets sync",
            tg_sync,
            "bare websockets sync (send+recv, one thread)",
        ),
        ("tgclient async / bare websockets asyncio", tg_async, "bare websockets asyncio"),
        ("tgclient sync / official sync", tg_sync, "official sync (api.socket())"),
        ("tgclient async / official async", tg_async, "official async (api.async_socket())"),
    ]
    for label, mine, other in pairs:
        if other in rates:
            print(f"  {label:<42} {mine / rates[other]:.2f}")

    print("10 concurrent calls of 0.5 s each (ideal 0.5 s)")
    with fake_gateway("slow") as url:
        held = concurrent(url)
    for name, result in held.items():
        print(f"  {name:<50} {result}")
    ratios = {label: mine / rates[other] for label, mine, other in pairs if other in rates}
    return {"sequential": rates, "cpu_per_call": cpu, "ratios": ratios, "concurrent": held}


if __name__ == "__main__":
    main()
