"""The seed's headline table on the real gateway 2.11.1: tgclient and the official client.

Starts the integration stack (``tests.integration.stack``: the stock gateway on RabbitMQ with
stub services that handle requests concurrently), then measures, both clients side by side:

- time to first token, streaming (socket) against non-streaming (REST), of agent and
  graph-rag answers the stub spreads over ``PACE`` seconds (``[[pace:S]]``);
- sequential text-completion round trips over REST and over the socket;
- 10 concurrent calls each held 0.5 s by the stub (``[[sleep:0.5]]``), against the same 10
  one after another over REST (the seed's "10 concurrent small requests");
- throughput and latency against concurrency (instant calls), for the plot;
- bulk import of 10K and 100K triples (1M with ``--million``), each in a fresh process,
  against the gateway's limit measured in the same run (pre-serialised frames from a bare
  websockets loop), with the client's resident-memory growth;
- resident-memory growth of a 1M-triple export (100K without ``--million``) and of a
  streamed 10 MB answer.

``python -m tests.bench.bench_gateway [--million]``; part of ``tox -e bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_ws import threaded  # noqa: E402
from tests.bench.probe import raw_frames, subject  # noqa: E402
from tgclient import Api, AsyncApi, TrustGraphError, Uri  # noqa: E402

try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from trustgraph.api import Api as OfficialApi
except ImportError:  # pragma: no cover - optional
    OfficialApi = None

# Both clients send the same API key. Without one, gateway 2.11.1 asks the IAM service about
# every anonymous REST request (it caches API keys, not the anonymous identity): ~25 ms more.
TOKEN = "tg_bench"
PACE = 3.0
STORED_UP_TO = 100_000  # larger imports report when the call returns only (the stub stores
# about 2-5K triples/s on a loaded two-core machine: 1M would take minutes per contender)
HOLD = 0.5
MIB = 1024 * 1024
Result = dict[str, Any]


def ws(url: str) -> str:
    return url.replace("http://", "ws://")


def chunk_text(chunk: Any) -> str:
    for name in ("content", "response", "text"):
        value = getattr(chunk, name, None)
        if isinstance(value, str):
            return value
    return chunk if isinstance(chunk, str) else ""


# -- time to first token -----------------------------------------------------------------


def first_token(chunks: Iterator[Any], started: float) -> tuple[float, float]:
    """Seconds to the first chunk with text, and to the end of the stream."""
    first = None
    for chunk in chunks:
        if first is None and chunk_text(chunk):
            first = time.perf_counter() - started
    end = time.perf_counter() - started
    return (first if first is not None else end), end


def ttft(url: str, reps: int) -> Result:
    question = f"What is a knowledge graph? [[pace:{PACE}]]"
    rest = Api(url, timeout=60, token=TOKEN).flow().id("default")
    sock = Api(ws(url), timeout=60, token=TOKEN).flow().id("default")
    contenders: dict[str, dict[str, Callable[[], tuple[float, float]]]] = {}

    def whole(call: Callable[[], Any]) -> Callable[[], tuple[float, float]]:
        def run() -> tuple[float, float]:
            started = time.perf_counter()
            call()
            t = time.perf_counter() - started
            return t, t

        return run

    def streamed(open_: Callable[[], Any]) -> Callable[[], tuple[float, float]]:
        def run() -> tuple[float, float]:
            started = time.perf_counter()
            with open_() as stream:
                return first_token(iter(stream), started)

        return run

    contenders["agent"] = {
        "tgclient REST": whole(lambda: rest.agent(question)),
        "tgclient socket streaming": streamed(lambda: sock.agent(question, streaming=True)),
    }
    contenders["graph-rag"] = {
        "tgclient REST": whole(lambda: rest.graph_rag(question)),
        "tgclient socket streaming": streamed(lambda: sock.graph_rag(question, streaming=True)),
    }
    if OfficialApi is not None:
        official = OfficialApi(url=url, timeout=60, token=TOKEN)
        oflow = official.flow().id("default")
        osock = official.socket().flow("default")

        def official_stream(call: Callable[[], Iterator[Any]]) -> Callable[[], tuple[float, float]]:
            def run() -> tuple[float, float]:
                started = time.perf_counter()
                return first_token(call(), started)

            return run

        contenders["agent"]["official REST"] = whole(lambda: oflow.agent(question))
        contenders["agent"]["official socket streaming"] = official_stream(
            lambda: osock.agent(question, streaming=True)
        )
        contenders["graph-rag"]["official REST"] = whole(lambda: oflow.graph_rag(question))
        contenders["graph-rag"]["official socket streaming"] = official_stream(
            lambda: osock.graph_rag(question, "default", streaming=True)
        )
    out: Result = {}
    for service, runs in contenders.items():
        for name, run in runs.items():
            firsts, ends, error = [], [], None
            for _ in range(reps):
                try:
                    first, end = run()
                except Exception as exc:  # the official REST agent fails on 2.11.1
                    error = f"{type(exc).__name__}: {exc}"[:80]
                    break
                firsts.append(first)
                ends.append(end)
            out[f"{service}|{name}"] = (
                {"error": error}
                if error
                else {"first": statistics.median(firsts), "end": statistics.median(ends)}
            )
    return out


# -- sequential round trips ----------------------------------------------------------------


def sequential(url: str, calls: int) -> Result:
    """Round trips per second; the contenders take turns call by call, so a change in the
    machine's load (other processes share its cores) hits them all alike."""
    runners: dict[str, Callable[[], Any]] = {}
    rest = Api(url, timeout=60, token=TOKEN).flow().id("default")
    sock = Api(ws(url), timeout=60, token=TOKEN).flow().id("default")
    runners["tgclient REST"] = lambda: rest.text_completion("s", "hello")
    runners["tgclient socket"] = lambda: sock.text_completion("s", "hello")
    if OfficialApi is not None:
        official = OfficialApi(url=url, timeout=60, token=TOKEN)
        oflow = official.flow().id("default")
        osock = official.socket().flow("default")
        runners["official REST"] = lambda: oflow.text_completion("s", "hello")
        runners["official socket"] = lambda: osock.text_completion("s", "hello")
    spent = dict.fromkeys(runners, 0.0)
    for run in runners.values():
        for _ in range(10):
            run()
    for _ in range(calls):
        for name, run in runners.items():
            started = time.perf_counter()
            run()
            spent[name] += time.perf_counter() - started
    return {name: calls / seconds for name, seconds in spent.items()}


# -- 10 concurrent held calls --------------------------------------------------------------


def gathered(make: Callable[[], Awaitable[Any]], count: int) -> tuple[float, int]:
    async def go() -> tuple[float, int]:
        started = time.perf_counter()
        done = await asyncio.gather(*(make() for _ in range(count)), return_exceptions=True)
        return time.perf_counter() - started, sum(isinstance(d, BaseException) for d in done)

    return asyncio.run(go())


def bare_held(url: str, prompt: str, count: int) -> tuple[float, int]:
    """The limit without a client library: ``count`` text-completion envelopes written at once
    on one socket by a bare websockets loop, then every answer read (after a warm-up call)."""
    from websockets.asyncio.client import connect

    def envelope(i: int, text: str) -> str:
        request = {"operation": "completion", "system": "s", "prompt": text}
        return json.dumps(
            {"id": f"b{i}", "service": "text-completion", "flow": "default", "request": request}
        )

    async def go() -> tuple[float, int]:
        async with connect(ws(url) + "api/v1/socket", max_size=None) as conn:
            await conn.send(json.dumps({"type": "auth", "token": TOKEN}))
            await conn.recv()
            await conn.send(envelope(0, "warm up"))
            await conn.recv()
            started = time.perf_counter()
            for i in range(1, count + 1):
                await conn.send(envelope(i, prompt))
            answers = [json.loads(await conn.recv()) for _ in range(count)]
            wall = time.perf_counter() - started
        return wall, sum(1 for a in answers if a.get("error") or not a.get("response"))

    return asyncio.run(go())


def concurrent10(url: str) -> Result:
    prompt = f"small request [[sleep:{HOLD}]]"
    out: Result = {}
    # Where the time over HOLD goes: one held call alone (the stack's floor), and the same 10
    # written by a bare websockets loop (gateway + RabbitMQ + stub, no client library).
    out["bare websockets, 1 held call"] = bare_held(url, prompt, 1)
    out["bare websockets, 10 envelopes on one socket"] = bare_held(url, prompt, 10)
    rest = Api(url, timeout=60, token=TOKEN).flow().id("default")
    started = time.perf_counter()
    for _ in range(10):
        rest.text_completion("s", prompt)
    out["tgclient REST, 10 one after another"] = (time.perf_counter() - started, 0)
    api = Api(ws(url), timeout=60, token=TOKEN)
    sock = api.flow().id("default")
    sock.text_completion("s", "warm up")
    out["tgclient socket, 10 threads"] = threaded(lambda: sock.text_completion("s", prompt), 10)
    api.close()

    async def tg_async() -> tuple[float, int]:
        async with AsyncApi(ws(url), timeout=60, token=TOKEN) as aapi:
            flow = aapi.flow().id("default")
            await flow.text_completion("s", "warm up")
            started = time.perf_counter()
            done = await asyncio.gather(
                *(flow.text_completion("s", prompt) for _ in range(10)), return_exceptions=True
            )
            return time.perf_counter() - started, sum(isinstance(d, BaseException) for d in done)

    out["tgclient async socket, gather(10)"] = asyncio.run(tg_async())
    if OfficialApi is not None:
        official = OfficialApi(url=url, timeout=60, token=TOKEN)
        oflow = official.flow().id("default")
        started = time.perf_counter()
        for _ in range(10):
            oflow.text_completion("s", prompt)
        out["official REST, 10 one after another"] = (time.perf_counter() - started, 0)
        osock = official.socket().flow("default")
        osock.text_completion("s", "warm up")
        out["official socket, 10 threads"] = threaded(
            lambda: osock.text_completion("s", prompt), 10
        )
        with contextlib.suppress(Exception):
            official.socket().close()

        async def official_async() -> tuple[float, int]:
            oapi = OfficialApi(url=url, timeout=60, token=TOKEN)
            aflow = oapi.async_socket().flow("default")
            await aflow.text_completion("s", "warm up")
            started = time.perf_counter()
            done = await asyncio.gather(
                *(aflow.text_completion("s", prompt) for _ in range(10)), return_exceptions=True
            )
            wall = time.perf_counter() - started
            with contextlib.suppress(Exception):
                await oapi.async_socket().aclose()
            return wall, sum(isinstance(d, BaseException) for d in done)

        out["official async socket, gather(10)"] = asyncio.run(official_async())
    return {name: {"seconds": s, "failed": f} for name, (s, f) in out.items()}


# -- throughput and latency against concurrency ----------------------------------------------


async def _sweep_one(call: Callable[[], Awaitable[Any]], level: int, total: int) -> Result:
    latencies: list[float] = []
    errors = 0

    async def worker(count: int) -> None:
        nonlocal errors
        for _ in range(count):
            started = time.perf_counter()
            try:
                await call()
            except Exception:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)

    per = max(1, total // level)
    started = time.perf_counter()
    await asyncio.gather(*(worker(per) for _ in range(level)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "throughput": len(latencies) / wall,
        "latency_median": statistics.median(latencies) if latencies else None,
        "latency_p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
        "errors": errors,
    }


def sweep(url: str, levels: list[int], total: int) -> Result:
    async def tg(transport_url: str) -> Result:
        async with AsyncApi(transport_url, timeout=60, token=TOKEN) as api:
            flow = api.flow().id("default")
            await flow.text_completion("s", "warm up")
            return {
                str(level): await _sweep_one(lambda: flow.text_completion("s", "hi"), level, total)
                for level in levels
            }

    out: Result = {
        "tgclient async socket": asyncio.run(tg(ws(url))),
        "tgclient async REST": asyncio.run(tg(url)),
    }
    if OfficialApi is not None:

        async def official() -> Result:
            oapi = OfficialApi(url=url, timeout=60, token=TOKEN)
            flow = oapi.async_socket().flow("default")
            await flow.text_completion("s", "warm up")
            res = {
                str(level): await _sweep_one(lambda: flow.text_completion("s", "hi"), level, total)
                for level in levels
            }
            with contextlib.suppress(Exception):
                await oapi.async_socket().aclose()
            return res

        out["official async socket"] = asyncio.run(official())
    return out


# -- bulk and memory, each job in a fresh process --------------------------------------------


_tags = iter(range(10**6))


def _figures(proc: subprocess.Popen[str], timeout: float) -> Result:
    """Wait for a probe's JSON line (after its ``ready`` and ``started`` lines)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return {"error": f"did not finish within {timeout:.0f} s"}
    lines = out.strip().splitlines()
    if proc.returncode or not lines or not lines[-1].startswith("{"):
        return {"error": (err.strip().splitlines() or ["no output"])[-1][:120]}
    data: Result = json.loads(lines[-1])
    data["rss_growth"] = data["rss_peak"] - data["rss_base"]
    return data


@contextlib.contextmanager
def running_probe(job: str, url: str, n: int, batch: int = 0) -> Iterator[Callable[[], Result]]:
    """Start a ``tests.bench.probe`` job in a fresh process and yield once its client is set up
    and the job starts; the callable waits for its figures. Import jobs also report
    ``stored``: seconds from the start until the last triple is queryable (the stub store
    consumes what the gateway published, in order)."""
    tag = f"t{os.getpid()}-{next(_tags)}"
    argv = [sys.executable, "-m", "tests.bench.probe", job, url, str(n), str(batch), tag]
    proc = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # "ready"
    started_line = proc.stdout.readline().split()
    started = float(started_line[1]) if len(started_line) == 2 else time.time()

    def result() -> Result:
        data = _figures(proc, 1800)
        if job.startswith("import-") and "error" not in data and n <= STORED_UP_TO:
            data["stored"] = stored_after(url, subject(tag, n - 1), started)
        return data

    try:
        yield result
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def stored_after(url: str, last_subject: str, started: float, limit: float = 900) -> float | None:
    """Seconds from ``started`` (epoch) until ``last_subject`` is queryable; None if never."""
    with Api(url, timeout=120, token=TOKEN) as api:
        flow = api.flow().id("default")
        while time.time() - started < limit:
            try:
                if flow.triples_query(s=Uri(last_subject), limit=1):
                    return time.time() - started
            except TrustGraphError:  # the store is busy with the backlog: ask again
                pass
            time.sleep(0.25)
    return None


def probe(job: str, url: str, n: int, batch: int = 0) -> Result:
    with running_probe(job, url, n, batch) as result:
        return result()


def triples_for(frame_bytes: int) -> int:
    """How many of the bench's triples make a raw frame of about ``frame_bytes``."""
    sample = raw_frames(1000, 1000, "t0000000-0")[0]
    return max(1, round(frame_bytes * 1000 / len(sample)))


def _median_of(runs: list[Result]) -> Result:
    """The run of median call-return time, with the median stored time and every run's."""
    done = [r for r in runs if "error" not in r]
    if not done:
        return runs[-1]
    mid = sorted(done, key=lambda r: r["seconds"])[len(done) // 2]
    stored = [r["stored"] for r in done if r.get("stored")]
    return {
        **mid,
        "stored": statistics.median(stored) if stored else None,
        "runs": [{k: r.get(k) for k in ("seconds", "stored", "error")} for r in runs],
    }


def repeated(jobs: dict[str, tuple[str, int, int]], url: str, runs: int) -> dict[str, Result]:
    """Each ``name: (job, n, batch)`` run ``runs`` times, the jobs taking turns round by round
    (so a change in the machine's load hits them all alike); the median run of each."""
    done: dict[str, list[Result]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, (job, n, batch) in jobs.items():
            done[name].append(probe(job, url, n, batch))
    return {name: _median_of(results) for name, results in done.items()}


LIMIT = "limit (bare websockets, pre-serialised)"


def bulk(url: str, sizes: list[int], frame_sizes: list[int], runs: int) -> Result:
    """The gateway's import rate against the raw frame size (``runs`` runs of 100K triples at
    each size, median), then tgclient and the official client against the best raw size."""
    from tgclient_runtime.bulk import FRAME_BYTES

    sweep_n = 100_000
    batches = {size: triples_for(size) for size in frame_sizes}
    sweep = repeated(
        {str(size): ("import-raw", sweep_n, batch) for size, batch in batches.items()}, url, runs
    )
    for size, row in sweep.items():
        row["batch"] = batches[int(size)]
        row["frame_bytes"] = len(raw_frames(row["batch"], row["batch"], "t0000000-0")[0])
    ok = {size: r for size, r in sweep.items() if "error" not in r}
    best = min(ok, key=lambda size: ok[size]["seconds"]) if ok else str(FRAME_BYTES)
    out: Result = {
        "raw_by_bytes": sweep,
        "raw_best_bytes": int(best),
        "raw_best_batch": batches.get(int(best), 1000),
        "frame_bytes_default": FRAME_BYTES,
        "sweep_triples": sweep_n,
        "runs": runs,
        "imports": {},
    }
    for n in sizes:
        jobs = {
            LIMIT: ("import-raw", n, out["raw_best_batch"]),
            "tgclient": ("import-tgclient", n, 0),
            "tgclient, wire-form dicts": ("import-tgclient-dicts", n, 0),
        }
        if n <= STORED_UP_TO:
            jobs["tgclient batch_size=100"] = ("import-tgclient", n, 100)
        if OfficialApi is not None:
            jobs["official"] = ("import-official", n, 0)
        out["imports"][str(n)] = repeated(jobs, url, runs if n <= STORED_UP_TO else 1)
    return out


def client_cost(n: int, frame_sizes: list[int]) -> Result:
    """CPU seconds tgclient spends on ``n`` triples without any network: building them as
    ``Triple`` models (what user code does), and framing them (validation and serialisation,
    ``item_frames``) from models and from wire-form dicts, at each frame size and by default."""
    from tests.bench.probe import wire_triples
    from tgclient import Literal, Triple
    from tgclient import Uri as TgUri
    from tgclient.types.wire import common as wire_common
    from tgclient_runtime import bulk as runtime_bulk
    from tgclient_runtime.bulk import item_frames, new_metadata

    def cpu(work: Callable[[], Any]) -> float:
        started = time.process_time()
        work()
        return time.process_time() - started

    p = TgUri("http://example.org/p")
    models: list[Any] = []
    out: Result = {
        "triples": n,
        "build_models": cpu(
            lambda: models.extend(
                Triple(s=TgUri(f"http://example.org/s{i}"), p=p, o=Literal(f"v{i}"))
                for i in range(n)
            )
        ),
        "framing": {},
        "default_bytes": runtime_bulk.FRAME_BYTES,
    }
    dicts = list(wire_triples(n, 0, "t0000000-0"))
    default = runtime_bulk.FRAME_BYTES
    try:
        for size in sorted({*frame_sizes, default}):
            runtime_bulk.FRAME_BYTES = size
            row = {}
            for kind, items in (("models", models), ("dicts", dicts)):
                frames = item_frames(
                    items,
                    item_model=Triple,
                    item_shape=wire_common.Triple,
                    items_field="triples",
                    envelope={"metadata": new_metadata()},
                )
                row[kind] = cpu(lambda frames=frames: sum(1 for _ in frames))
            out["framing"][str(size)] = row
    finally:
        runtime_bulk.FRAME_BYTES = default
    return out


def export_memory(url: str, n: int) -> Result:
    """Client RSS growth while a tap reads ``n`` triples, which a raw import feeds in frames of
    ``batch``. The tap is a live feed: the gateway reads one broker message at a time (prefetch
    1) and falls behind a fast import, so the probe counts until ``n`` arrived and gives up only
    after ``probe.EXPORT_IDLE`` seconds without a message (its longest wait is ``max_gap``)."""
    batch = 1000
    out: Result = {"triples": n, "batch": batch}
    jobs = ["export-tgclient"] + (["export-official"] if OfficialApi is not None else [])
    for job in jobs:
        # The store consumes in order: once a marker is queryable, earlier imports' backlog
        # is gone and the tap competes with nothing but its own feed.
        out[f"{job} drained after"] = probe("import-raw", url, 10, 10).get("stored")
        with running_probe(job, url, n, batch) as result:
            time.sleep(1.0)  # let the tap subscribe
            fed = probe("import-raw", url, n, batch)
            out[job] = {**result(), "fed_seconds": fed.get("seconds"), "feed": fed}
    return out


def stream_memory(url: str, size: int) -> Result:
    out = {"stream-tgclient": probe("stream-tgclient", url, size)}
    if OfficialApi is not None:
        out["stream-official"] = probe("stream-official", url, size)
    return out


# -- report ----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> Result:
    from tests.integration.stack import Stack

    results: Result = {"pace": PACE, "hold": HOLD, "million": args.million}
    with contextlib.ExitStack() as stack:
        url = args.url or stack.enter_context(Stack(gateway_timeout=600)).url
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("ttft", lambda: ttft(url, args.reps)),
            ("sequential", lambda: sequential(url, args.calls)),
            ("concurrent10", lambda: concurrent10(url)),
            ("sweep", lambda: sweep(url, args.levels, args.sweep_calls)),
            ("stream_memory", lambda: stream_memory(url, 10 * MIB)),
            ("bulk", lambda: bulk(url, args.sizes, args.frame_sizes, args.runs)),
            ("client_cost", lambda: client_cost(100_000, args.frame_sizes)),
            ("export_memory", lambda: export_memory(url, max(args.sizes))),
        ]
        for name, step in steps:
            if args.only and name not in args.only:
                continue
            began = time.perf_counter()
            print(f"[real gateway] {name} ...", flush=True)
            try:
                results[name] = step()
            except Exception as exc:  # keep the other steps' figures
                results[name] = {"error": f"{type(exc).__name__}: {exc}"}
                print(f"[real gateway] {name} failed: {exc}", flush=True)
            print(f"[real gateway] {name} done in {time.perf_counter() - began:.0f} s", flush=True)
    return results


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--million", action="store_true", help="also import/export 1M triples")
    parser.add_argument("--reps", type=int, default=2, help="repetitions of each paced answer")
    parser.add_argument("--calls", type=int, default=300, help="sequential calls per contender")
    parser.add_argument("--sweep-calls", type=int, default=320, help="calls per concurrency level")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32])
    parser.add_argument("--only", nargs="*", help="run only these steps")
    parser.add_argument(
        "--frame-kib",
        type=int,
        nargs="+",
        default=[64, 128, 256, 512, 1024, 2048, 4096],
        help="raw frame sizes the bulk step sweeps",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each import (median)")
    parser.add_argument("--url", help="use this running gateway instead of starting a stack")
    args = parser.parse_args(argv)
    args.sizes = [10_000, 100_000] + ([1_000_000] if args.million else [])
    args.frame_sizes = [kib * 1024 for kib in args.frame_kib]
    return args


def main(argv: list[str] | None = None) -> Result:
    warnings.simplefilter("ignore")
    os.environ.setdefault("TGCLIENT_STACK_START_TIMEOUT", "120")
    results = run(parse(argv))
    from tests.bench import report

    with contextlib.suppress(Exception):  # a summary must not lose the figures
        summary(report, results)
    return results


def summary(report: Any, results: Result) -> None:
    print("\nThe seed's table on the real gateway 2.11.1")
    print("\n".join(report.seed_table(results)))
    print("\nIssue 15's figures")
    print("\n".join(report.issue_table({"gateway": results})))
    print("\nRatios")
    for name, value in report.gateway_ratios(results).items():
        print(f"  {name:<62} {value:6.2f}")


if __name__ == "__main__":
    main()
