"""The soak's workload: mixed calls through the fault proxy, and what they must never do.

Calls (a kind per call, round robin): ``plain`` (text completion, whose echo must be the
caller's own prompt), ``read`` (list flows; idempotent, so retried when retries are on),
``stream`` (streamed text completion over the socket), ``import`` (a bulk import of triples
with a subject of its own) and ``export`` (a tap of the triples export, read until idle or
for at most ``EXPORT_SECONDS``).
Half of the workers are threads with ``Api`` (REST and socket alternating), half asyncio tasks
with ``AsyncApi``; half of each run with retries (``max_retries=2``), half without.

Counted, and each must be 0:

- ``hangs``: a call that ended more than ``GRACE`` seconds after its deadline, or never;
- ``misrouted``: an answer that is not the answer to this caller's request;
- ``untyped``: a call that raised anything but ``tgclient.TrustGraphError``;
- ``bulk_items_lost``: triples of an import that returned normally but are not in the store
  (checked by querying the gateway directly), plus every item of an import that failed
  without saying how many items had been sent.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import tgclient
from tgclient import Api, AsyncApi, Literal, Triple, Uri
from tgclient.terms import term_text

KINDS = ("plain", "read", "stream", "import", "export")
GRACE = 5.0
# A tap has no end and no deadline (the gateway sends no end marker): while the other workers
# keep importing, "read until 0.3 s idle" can last as long as the run. Read for at most this
# long, as a caller would; a read that does not come back is still a hang.
EXPORT_SECONDS = 5.0
TRIPLES_PER_IMPORT = 20
_ITEMS = re.compile(r"\b\d+ items\b")


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    imports: list[tuple[str, int]] = field(default_factory=list)  # (subject, items) to check
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.counts[key] += n


def _triples(subject: str) -> list[Triple]:
    return [
        Triple(s=Uri(subject), p=Uri("urn:soak:n"), o=Literal(str(i)))
        for i in range(TRIPLES_PER_IMPORT)
    ]


def _failed(tally: Tally, kind: str, exc: BaseException) -> None:
    if not isinstance(exc, tgclient.TrustGraphError):
        tally.add("untyped")
        tally.add(f"untyped:{type(exc).__name__}")
        return
    tally.add("typed_errors")
    tally.add(f"error:{type(exc).__name__}")
    if kind == "import" and "bulk import" in str(exc) and not _ITEMS.search(str(exc)):
        tally.add("bulk_items_lost", TRIPLES_PER_IMPORT)  # failed without saying how far it got
        tally.add(f"bulk:unreported:{str(exc)[:160]}")


def _sync_call(api: Api, kind: str, tally: Tally) -> None:
    flow = api.flow().id()
    token = uuid.uuid4().hex
    websocket = api.options.transport == "websocket"
    if kind == "plain" or (kind == "stream" and not websocket):
        if flow.text_completion("s", f"plain {token}") != f"plain {token}":
            tally.add("misrouted")
    elif kind == "read":
        if "default" not in api.flow().list():
            tally.add("misrouted")
    elif kind == "stream":
        with flow.text_completion("s", f"stream a b {token}", streaming=True) as stream:
            if "".join(c.response or "" for c in stream) != f"stream a b {token}":
                tally.add("misrouted")
    elif kind == "import":
        subject = f"urn:soak:{token}"
        result = flow.import_triples(_triples(subject), batch_size=5)
        with tally.lock:
            tally.imports.append((subject, result.items))
    else:
        stop = time.monotonic() + EXPORT_SECONDS
        with flow.export_triples(idle_timeout=0.3) as tap:
            for _ in tap:
                if time.monotonic() > stop:
                    break


async def _async_call(api: AsyncApi, kind: str, tally: Tally) -> None:
    flow = api.flow().id()
    token = uuid.uuid4().hex
    websocket = api.options.transport == "websocket"
    if kind == "plain" or (kind == "stream" and not websocket):
        if await flow.text_completion("s", f"plain {token}") != f"plain {token}":
            tally.add("misrouted")
    elif kind == "read":
        if "default" not in await api.flow().list():
            tally.add("misrouted")
    elif kind == "stream":
        stream = await flow.text_completion("s", f"stream a b {token}", streaming=True)
        async with stream:
            text = "".join([c.response or "" async for c in stream])
        if text != f"stream a b {token}":
            tally.add("misrouted")
    elif kind == "import":
        subject = f"urn:soak:{token}"
        result = await flow.import_triples(_triples(subject), batch_size=5)
        with tally.lock:
            tally.imports.append((subject, result.items))
    else:
        stop = time.monotonic() + EXPORT_SECONDS
        tap = await flow.export_triples(idle_timeout=0.3)
        async with tap:
            async for _ in tap:
                if time.monotonic() > stop:
                    break


@dataclass
class Plan:
    url: str
    calls: int
    timeout: float
    workers: int = 8
    max_seconds: float = 600.0


class _Budget:
    """Hands out call numbers until ``calls`` are taken or the wall-time bound passes."""

    def __init__(self, plan: Plan) -> None:
        self.left = plan.calls
        self.until = time.monotonic() + plan.max_seconds
        self.lock = threading.Lock()

    def take(self) -> int | None:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.until:
                return None
            self.left -= 1
            return self.left


def _timed(tally: Tally, timeout: float, began: float, what: str) -> None:
    if time.monotonic() - began > timeout + GRACE:
        _hang(tally, what)


def _hang(tally: Tally, what: str) -> None:
    """Count a hang, and which driver, transport and kind of call it was."""
    tally.add("hangs")
    tally.add(f"hang:{what}")


def _thread_worker(
    plan: Plan, budget: _Budget, tally: Tally, n: int, busy: dict[int, float]
) -> None:
    transport = "websocket" if n % 2 else "rest"
    with Api(
        plan.url, timeout=plan.timeout, transport=transport, max_retries=2 if n % 4 < 2 else 0
    ) as api:
        while (i := budget.take()) is not None:
            kind = KINDS[i % len(KINDS)]
            began = busy[n] = time.monotonic()
            try:
                _sync_call(api, kind, tally)
                tally.add("ok")
            except BaseException as exc:  # counting what escapes is the point
                _failed(tally, kind, exc)
            busy.pop(n, None)
            tally.add("calls")
            tally.add(f"kind:{kind}")
            _timed(tally, plan.timeout, began, f"sync:{transport}:{kind}")


async def _task_worker(plan: Plan, budget: _Budget, tally: Tally, n: int) -> None:
    transport = "websocket" if n % 2 else "rest"
    async with AsyncApi(
        plan.url, timeout=plan.timeout, transport=transport, max_retries=2 if n % 4 < 2 else 0
    ) as api:
        while (i := budget.take()) is not None:
            kind = KINDS[i % len(KINDS)]
            began = time.monotonic()
            try:
                await asyncio.wait_for(_async_call(api, kind, tally), plan.timeout + GRACE)
                tally.add("ok")
            except TimeoutError as exc:
                if time.monotonic() - began < plan.timeout + GRACE:
                    _failed(tally, kind, exc)
                # else wait_for cut a hung call off: _timed below counts it, once
            except BaseException as exc:
                _failed(tally, kind, exc)
            tally.add("calls")
            tally.add(f"kind:{kind}")
            _timed(tally, plan.timeout, began, f"async:{transport}:{kind}")


def run_workload(plan: Plan) -> Tally:
    """Run ``plan.calls`` calls from ``plan.workers`` threads and as many asyncio tasks."""
    tally = Tally()
    budget = _Budget(plan)
    busy: dict[int, float] = {}
    threads = [
        threading.Thread(target=_thread_worker, args=(plan, budget, tally, n, busy), daemon=True)
        for n in range(plan.workers)
    ]
    for t in threads:
        t.start()

    async def tasks() -> None:
        await asyncio.gather(*(_task_worker(plan, budget, tally, n) for n in range(plan.workers)))

    asyncio.run(tasks())
    deadline = time.monotonic() + plan.timeout + GRACE * 2
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    tally.add("hangs", sum(t.is_alive() for t in threads))  # a thread still in a call
    return tally


def check_imports(gateway_url: str, tally: Tally, wait: float = 30.0) -> None:
    """Query the store directly (no proxy) for every import that returned normally."""
    pending = {subject: items for subject, items in tally.imports}
    found: dict[str, int] = {}
    deadline = time.monotonic() + wait
    with Api(gateway_url, timeout=30) as api:
        flow = api.flow().id()
        while pending and time.monotonic() < deadline:
            for subject in list(pending):
                stored = flow.triples_query(s=Uri(subject), limit=1000)
                found[subject] = len({term_text(t.o) for t in stored})
                if found[subject] >= pending[subject]:
                    del pending[subject]
            if pending:
                time.sleep(0.5)
    lost = sum(items - found.get(s, 0) for s, items in pending.items())
    tally.add("bulk_items_lost", lost)
    tally.add("bulk:lost_after_success", lost)
    tally.add("bulk_items_stored", sum(items for _, items in tally.imports))


def summary(tally: Tally, faults: Counter[str], seconds: float) -> str:
    c = tally.counts
    injected = sum(v for k, v in faults.items() if k != "connections")
    return (
        f"soak: calls={c['calls']} ok={c['ok']} typed_errors={c['typed_errors']} "
        f"faults={injected} (drops={faults['drops']} delays={faults['delays']} "
        f"splits={faults['splits']} connections={faults['connections']}) "
        f"hangs={c['hangs']} misrouted={c['misrouted']} untyped={c['untyped']} "
        f"bulk_items_lost={c['bulk_items_lost']} "
        f"(imports={len(tally.imports)} items={c['bulk_items_stored']}) "
        f"retries=on+off wall={seconds:.0f}s"
    )


MUST_BE_ZERO = ("hangs", "misrouted", "untyped", "bulk_items_lost")


def failures(tally: Tally) -> dict[str, int]:
    """The counts that must be 0, where they are not."""
    return {k: v for k, v in tally.counts.items() if k in MUST_BE_ZERO and v}


def details(tally: Tally) -> dict[str, Any]:
    return dict(sorted((k, v) for k, v in tally.counts.items() if ":" in k))
