"""Bulk import benchmark: tgclient against the official 2.11.1 client, side by side.

Both send the same N triples (produced lazily by a generator) to the same loopback import
socket, served by a separate process that only counts frames and bytes, so the server costs
both the same. Measured: triples per second (median of rounds) and the peak Python memory
allocated while importing (tracemalloc), which shows whether an import holds its data.

tgclient goes through what ``FlowInstance.import_triples`` does after its preflight check:
items validated in batches, frames sent, the socket closed with a full handshake so every
frame is known to be read. The official client is optional (as in bench_ws.py).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tgclient import Triple  # noqa: E402
from tgclient.types.wire import common as wire_common  # noqa: E402
from tgclient_runtime import ClientOptions  # noqa: E402
from tgclient_runtime.bulk import import_frames, item_frames, new_metadata  # noqa: E402

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from trustgraph.api import Api as OfficialApi
        from trustgraph.api import Triple as OfficialTriple
except ImportError:  # pragma: no cover - optional
    OfficialApi = None

_SERVER = """
import asyncio, sys
from websockets.asyncio.server import serve

async def handle(ws):
    async for _ in ws:
        pass

async def main():
    async with serve(handle, "127.0.0.1", 0, max_size=None, compression=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

asyncio.run(main())
"""


@contextlib.contextmanager
def import_socket_server() -> Iterator[str]:
    """A loopback socket that accepts any path and swallows frames; yields its http:// URL."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}/"
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(timeout=10)


def tgclient_import(url: str, n: int, batch: int) -> None:
    options = ClientOptions.build(url=url, timeout=60)
    # Plain dicts in wire form: what a loader reading a file produces; validated on the way.
    triples = (
        {
            "s": {"t": "i", "i": f"http://example.org/s{i}"},
            "p": {"t": "i", "i": "http://example.org/p"},
            "o": {"t": "l", "v": f"value {i}"},
        }
        for i in range(n)
    )
    frames = item_frames(
        triples,
        item_model=Triple,
        item_shape=wire_common.Triple,
        items_field="triples",
        envelope={"metadata": new_metadata()},
        batch_size=batch,
    )
    result = import_frames(options, "default", "triples", frames)
    assert result.items == n


def official_import(url: str, n: int, batch: int) -> None:
    api = OfficialApi(url=url, timeout=60, token="tg_bench")
    triples = (
        OfficialTriple(s=f"http://example.org/s{i}", p="http://example.org/p", o=f"value {i}")
        for i in range(n)
    )
    api.bulk().import_triples(
        "default",
        triples,
        metadata={"id": "bench", "collection": "default"},
        batch_size=batch,
    )


def _timed(fn: Callable[[], None]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _peak(fn: Callable[[], None]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    contenders: dict[str, Callable[[str, int, int], None]] = {"tgclient": tgclient_import}
    if OfficialApi is not None:
        contenders["official"] = official_import
    with import_socket_server() as url:
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(args.rounds):
            for name, fn in contenders.items():
                times[name].append(_timed(lambda fn=fn: fn(url, args.triples, args.batch)))
        peaks = {
            name: _peak(lambda fn=fn: fn(url, args.triples // 4, args.batch))
            for name, fn in contenders.items()
        }
    print(
        f"Bulk import of {args.triples} triples, batches of {args.batch} "
        f"({args.rounds} rounds, median)"
    )
    rates: dict[str, Any] = {}
    for name, ts in times.items():
        rates[name] = args.triples / statistics.median(ts)
        print(
            f"  {name:<10} {rates[name]:>10,.0f} triples/s   peak memory "
            f"{peaks[name] / 1e6:6.1f} MB for {args.triples // 4} triples"
        )
    if "official" in rates:
        print(
            f"Ratio tgclient / official: {rates['tgclient'] / rates['official']:.2f} (speed), "
            f"{peaks['tgclient'] / peaks['official']:.2f} (peak memory)"
        )
    return {"triples": args.triples, "batch": args.batch, "rates": rates, "peaks": peaks}


if __name__ == "__main__":
    main()
