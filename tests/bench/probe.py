"""One measured job in a fresh process: wall time and resident-memory growth.

``python -m tests.bench.probe <job> <gateway http url> <n> [batch] [tag]`` prints ``started
<epoch>`` as the job starts, then one JSON line:
``{"seconds", "items", "rss_base", "rss_peak"}`` (bytes). The baseline is taken once the
client is imported and connected, so the growth (``rss_peak - rss_base``) is what the job
itself holds: a client that streams holds little, one that buffers holds the data.

Jobs: ``import-tgclient`` (``Triple`` models, as user code builds them), ``import-tgclient-dicts``
(the same triples in wire form, as a loader reading a file produces: the client's own cost
without building models), ``import-official``, ``import-raw`` (pre-serialised frames sent by
a bare websockets loop: the gateway's limit), ``export-tgclient``, ``export-official`` (read
``n`` triples arriving on the tap, which something else feeds, in messages of ``batch``;
tgclient counts triples, the official client keeps one triple of each message so it counts
messages; both stop after ``EXPORT_IDLE`` seconds without a message and also report
``max_gap``, the longest wait between two messages), ``stream-tgclient`` and
``stream-official`` (a streamed text-completion answer of ``n`` bytes).
"""

from __future__ import annotations

import json
import resource
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

DEFAULT_BATCH = 0  # 0: the client's own default
EXPORT_IDLE = 120.0  # a busy gateway can pause a tap for tens of seconds
gaps: list[float] = []  # an export job's waits between messages, for ``max_gap``


def rss_now() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def reset_peak() -> None:
    """Start the high-water mark afresh (ru_maxrss would keep the parent's across exec)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def rss_peak() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def subject(tag: str, i: int) -> str:
    """Subject of triple ``i`` of the import tagged ``tag`` (distinct per run, so the parent can
    tell when the last one is stored)."""
    return f"http://example.org/{tag}/s{i}"


def wire_triples(n: int, start: int = 0, tag: str = "") -> Iterator[dict[str, Any]]:
    """Triples in the gateway's wire form (what a loader reading a file produces)."""
    for i in range(start, start + n):
        yield {
            "s": {"t": "i", "i": subject(tag, i)},
            "p": {"t": "i", "i": "http://example.org/p"},
            "o": {"t": "l", "v": f"value {i}"},
        }


def raw_frames(n: int, batch: int, tag: str) -> list[str]:
    """Pre-serialised import frames: ``n`` distinct triples, ``batch`` to a frame."""
    head = '{"metadata":{"id":"bench-raw","collection":"default"},"triples":'
    out = []
    for start in range(0, n, batch):
        body = json.dumps(
            list(wire_triples(min(batch, n - start), start, tag)), separators=(",", ":")
        )
        out.append(head + body + "}")
    return out


def ws_base(url: str) -> str:
    return url.replace("http://", "ws://").replace("https://", "wss://")


def import_tgclient(url: str, n: int, batch: int, tag: str) -> Callable[[], int]:
    from tgclient import Literal, Triple, Uri

    def triples() -> Iterator[Any]:
        p = Uri("http://example.org/p")
        return (Triple(s=Uri(subject(tag, i)), p=p, o=Literal(f"v{i}")) for i in range(n))

    return _tgclient_import(url, batch, triples)


def import_tgclient_dicts(url: str, n: int, batch: int, tag: str) -> Callable[[], int]:
    return _tgclient_import(url, batch, lambda: wire_triples(n, 0, tag))


def _tgclient_import(url: str, batch: int, items: Callable[[], Iterator[Any]]) -> Callable[[], int]:
    from tgclient import Api

    api = Api(url, timeout=120, token="tg_bench")
    flow = api.flow().id("default")
    flow.import_triples([])  # connect once, so the baseline holds the client

    def job() -> int:
        kwargs = {"batch_size": batch} if batch else {}
        return flow.import_triples(items(), **kwargs).items

    return job


def import_official(url: str, n: int, batch: int, tag: str) -> Callable[[], int]:
    from trustgraph.api import Api as OfficialApi
    from trustgraph.api import Triple as OfficialTriple

    api = OfficialApi(url=url, timeout=120, token="tg_bench")
    bulk = api.bulk()

    def job() -> int:
        triples = (
            OfficialTriple(s=subject(tag, i), p="http://example.org/p", o=f"v{i}") for i in range(n)
        )
        kwargs = {"batch_size": batch} if batch else {}
        bulk.import_triples(
            "default", triples, metadata={"id": "b", "collection": "default"}, **kwargs
        )
        return n

    return job


def import_raw(url: str, n: int, batch: int, tag: str) -> Callable[[], int]:
    from websockets.sync.client import connect

    frames = raw_frames(n, batch or 1000, tag)
    target = f"{ws_base(url)}api/v1/flow/default/import/triples?token=tg_bench"

    def job() -> int:
        # No keepalive: a gateway busy with a tap reads this socket slowly, and a ping queued
        # behind megabytes of frames waits for all of them (up to 14.5 s measured while a tap
        # read a 1M feed); past websockets' 20 s default the feed ends, the likely end of one
        # that stopped after 258 of 1,000 frames. tgclient's import has no fixed ping timeout
        # for this reason (tgclient_runtime/liveness.py).
        with connect(
            target, max_size=None, compression=None, open_timeout=60, ping_interval=None
        ) as ws:
            for frame in frames:
                ws.send(frame)
        return n

    return job


def _timed_messages(messages: Iterator[Any]) -> Iterator[Any]:
    """``messages``, recording in ``gaps`` the wait before each."""
    last = time.perf_counter()
    for message in messages:
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
        yield message


def export_tgclient(url: str, n: int, batch: int, tag: str) -> Callable[[], int]:
    from tgclient import Api

    api = Api(url, timeout=120, token="tg_bench")
    tap = api.flow().id("default").export_triples(frames=True, idle_timeout=EXPORT_IDLE)

    def job() -> int:
        count = 0
        with tap:
            for message in _timed_messages(iter(tap)):
                count += len(message.triples)
                if count >= n:  # however the gateway re-framed them
                    break
        return count

    return job


def export_official(url: str, n: int, batch: int, tag: str) -> Callable[[], int]:
    import threading

    from trustgraph.api import Api as OfficialApi

    api = OfficialApi(url=url, timeout=120, token="tg_bench")
    triples = api.bulk().export_triples("default")
    count = 0
    progress = threading.Event()

    def read() -> None:
        nonlocal count
        for _ in _timed_messages(triples):
            count += 1
            progress.set()
            if count >= n // max(batch, 1):
                break

    def job() -> int:
        # The official iterator has no idle limit: read it in a thread, give up when idle.
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        while reader.is_alive():
            progress.clear()
            if not progress.wait(EXPORT_IDLE) and reader.is_alive():
                break
        return count * max(batch, 1)  # one message per ``batch`` triples fed

    return job


def stream_tgclient(url: str, n: int, batch: int, tag: str) -> Callable[[], int]:
    from tgclient import Api

    api = Api(ws_base(url), timeout=120, token="tg_bench")
    flow = api.flow().id("default")
    flow.text_completion("s", "warm up")

    def job() -> int:
        size = 0
        with flow.text_completion("s", f"[[size:{n}]]", streaming=True) as stream:
            for chunk in stream:
                size += len(chunk.response or "")
        return size

    return job


def stream_official(url: str, n: int, batch: int, tag: str) -> Callable[[], int]:
    from trustgraph.api import Api as OfficialApi

    api = OfficialApi(url=url, timeout=120, token="tg_bench")
    flow = api.socket().flow("default")
    flow.text_completion("s", "warm up")

    def job() -> int:
        size = 0
        for chunk in flow.text_completion("s", f"[[size:{n}]]", streaming=True):
            size += len(chunk.content or "")
        return size

    return job


JOBS: dict[str, Callable[[str, int, int, str], Callable[[], int]]] = {
    "import-tgclient": import_tgclient,
    "import-tgclient-dicts": import_tgclient_dicts,
    "import-official": import_official,
    "import-raw": import_raw,
    "export-tgclient": export_tgclient,
    "export-official": export_official,
    "stream-tgclient": stream_tgclient,
    "stream-official": stream_official,
}


def main(argv: list[str]) -> None:
    warnings.simplefilter("ignore")
    name, url, n = argv[0], argv[1], int(argv[2])
    batch = int(argv[3]) if len(argv) > 3 else DEFAULT_BATCH
    tag = argv[4] if len(argv) > 4 else "bench"
    job = JOBS[name](url, n, batch, tag)
    print("ready", flush=True)  # the parent may start feeding an export now
    base = rss_now()
    reset_peak()
    print(f"started {time.time()}", flush=True)
    started = time.perf_counter()
    items = job()
    seconds = time.perf_counter() - started
    figures = {"seconds": seconds, "items": items, "rss_base": base, "rss_peak": rss_peak()}
    if gaps:
        figures["max_gap"] = max(gaps[1:], default=0.0)  # the first wait is for the feed
        figures["messages"] = len(gaps)
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])
