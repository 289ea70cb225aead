"""Write ``docs/performance.md``, its plot and the raw figures from one benchmark run.

``write(results)`` takes what ``python -m tests.bench`` measured (keys ``import``, ``fake_ws``,
``fake_bulk``, ``gateway``; any may be missing) and writes ``docs/performance.md``,
``docs/performance.png`` (throughput and latency against concurrency, real gateway) and
``docs/performance.json`` (every figure, for comparing runs).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[2] / "docs"
MIB = 1024 * 1024
Result = dict[str, Any]

SEED = {
    "agent": ("30 s", "0.5 s", "60x"),
    "graph-rag": ("25 s", "0.5 s", "50x"),
    "10000": ("100 s", "1 s", "100x"),
    "1000000": ("10,000 s (2.7 h)", "100 s (1.6 min)", "100x"),
    "concurrent": ("5 s (sequential)", "0.5 s (parallel)", "10x"),
}


def ok(step: Any) -> Result:
    """A step's figures, or {} when it failed (its error is in performance.json)."""
    return step if isinstance(step, dict) and "error" not in step else {}


def s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def mib(value: float | None) -> str:
    return "-" if value is None else f"{value / MIB:+.1f} MiB"


def rate(n: int, data: Result | None) -> str:
    if not data:
        return "not run"
    if "error" in data:
        return f"failed: {data['error']}"
    stored = data.get("stored")
    tail = f"; stored {n / stored:,.0f}/s" if stored else ""
    return f"{data['seconds']:.1f} s ({n / data['seconds']:,.0f}/s{tail})"


def _ttft(g: Result, service: str, name: str) -> str:
    data = ok(g.get("ttft")).get(f"{service}|{name}")
    if not data:
        return "not run"
    if "error" in data:
        return f"fails ({data['error']})"
    if "streaming" in name:
        return f"first token {s(data['first'])} (answer complete {s(data['end'])})"
    return f"answer after {s(data['end'])}"


def seed_table(g: Result) -> list[str]:
    lines = [
        "| Operation | Seed's expectation: REST -> WebSocket (gain) | official 2.11.1 client "
        "| tgclient |",
        "|---|---|---|---|",
    ]
    for service, label in (("agent", "Agent"), ("graph-rag", "Graph RAG")):
        rest, socket, gain = SEED[service]
        official = "; ".join(
            f"{kind}: {_ttft(g, service, f'official {kind}')}"
            for kind in ("REST", "socket streaming")
        )
        mine = "; ".join(
            f"{kind}: {_ttft(g, service, f'tgclient {kind}')}"
            for kind in ("REST", "socket streaming")
        )
        lines.append(
            f"| {label} (time to first token) | {rest} -> {socket} ({gain}) | {official} | {mine} |"
        )
    imports = ok(g.get("bulk")).get("imports", {})
    for n, label in (("10000", "Import 10K triples"), ("1000000", "Import 1M triples")):
        rest, socket, gain = SEED[n]
        row = imports.get(n)
        if not row:
            lines.append(
                f"| {label} | {rest} -> {socket} ({gain}) | not run | not run (`--million`) |"
            )
            continue
        limit = rate(int(n), row.get("limit (bare websockets, pre-serialised)"))
        lines.append(
            f"| {label} | {rest} -> {socket} ({gain}) | {rate(int(n), row.get('official'))} "
            f"| {rate(int(n), row.get('tgclient'))}; the gateway's limit in this run: {limit} |"
        )
    rest, socket, gain = SEED["concurrent"]
    c = ok(g.get("concurrent10"))

    def held(name: str) -> str:
        data = c.get(name)
        if not data:
            return "not run"
        failed = f", {data['failed']} of 10 failed" if data["failed"] else ""
        return f"{data['seconds']:.2f} s{failed}"

    lines.append(
        f"| 10 concurrent small requests (each held {g.get('hold', 0.5)} s by the stub) "
        f"| {rest} -> {socket} ({gain}) "
        f"| REST one after another {held('official REST, 10 one after another')}; "
        f"socket, 10 threads {held('official socket, 10 threads')}; "
        f"async socket gather {held('official async socket, gather(10)')} "
        f"| REST one after another {held('tgclient REST, 10 one after another')}; "
        f"socket, 10 threads {held('tgclient socket, 10 threads')}; "
        f"async socket gather {held('tgclient async socket, gather(10)')} |"
    )
    return lines


def kib(size: float) -> str:
    return f"{size / MIB:.3g} MiB" if size >= MIB else f"{size / 1024:,.0f} KiB"


def frame_sweep(bulk: Result) -> list[str]:
    """The raw frame sizes tried (median of the runs at each), as a table."""
    sweep = bulk.get("raw_by_bytes", {})
    if not sweep:
        return []
    n = bulk.get("sweep_triples", 100_000)
    lines = [
        f"Import of {n:,} triples by a bare websockets loop writing pre-serialised frames, by "
        f"frame size (median of {bulk.get('runs', 1)} runs, the sizes taking turns; call "
        "returns: the gateway read every frame; stored: the last triple is queryable):",
        "",
        "| frame | triples a frame | call returns | stored | runs (call returns) |",
        "|---|---|---|---|---|",
    ]
    for size, data in sweep.items():
        if "error" in data:
            lines.append(f"| {kib(int(size))} | - | failed: {data['error']} | - | - |")
            continue
        stored = data.get("stored")
        runs = ", ".join(
            f"{n / r['seconds']:,.0f}/s" for r in data.get("runs", []) if r.get("seconds")
        )
        lines.append(
            f"| {kib(data['frame_bytes'])} | {data['batch']:,} | {n / data['seconds']:,.0f}/s "
            f"| {f'{n / stored:,.0f}/s' if stored else '-'} | {runs} |"
        )
    default = bulk.get("frame_bytes_default")
    if default:
        lines += [
            "",
            f"Fastest: {kib(bulk['raw_best_bytes'])} frames. tgclient's default frame "
            f"(`FRAME_BYTES`, sized by bytes): {kib(default)}.",
        ]
    return lines


def issue_table(r: Result) -> list[str]:
    g, imp, ws = ok(r.get("gateway")), ok(r.get("import")), ok(r.get("fake_ws"))
    lines = ["| figure | target | measured |", "|---|---|---|"]
    if imp:
        official = (
            f"; official `trustgraph.api` {imp['official']:.2f} s" if imp.get("official") else ""
        )
        lines.append(
            f"| whole-process `import tgclient` / `import httpx, websockets.sync.client, "
            f"websockets.asyncio.client, pydantic` (median of {imp['pairs']} alternating pairs) "
            f"| <= 1.3x | {imp['ratio']:.2f}x ({imp['tgclient']:.2f} s against "
            f"{imp['dependencies']:.2f} s{official}; {imp['modules']} modules) |"
        )
    if imp.get("first_call_ratio"):
        lines.append(
            "| the same, up to a first `text_completion` answered (everything the first call "
            "loads; an in-process transport stands in for the network) | - "
            f"| {imp['first_call_ratio']:.2f}x ({imp['modules_first_call']} modules) |"
        )
    ratios = ws.get("ratios", {})
    if ratios:
        lines.append(
            "| sequential socket round trips / a bare websockets loop, instant fake | >= 0.95x "
            f"| {ratios.get('tgclient sync / bare websockets sync', 0):.2f}x sync, "
            f"{ratios.get('tgclient async / bare websockets asyncio', 0):.2f}x async"
            f"{cpu_extra(ws.get('cpu_per_call', {}))} |"
        )
    seq = ok(g.get("sequential"))
    if seq:
        lines.append(
            "| real gateway, sequential text-completion round trips, REST / socket "
            "| gateway-bound, same as official "
            f"| tgclient {seq.get('tgclient REST', 0):.0f}/s, "
            f"{seq.get('tgclient socket', 0):.0f}/s; official "
            f"{seq.get('official REST', 0):.0f}/s, {seq.get('official socket', 0):.0f}/s |"
        )
    c = ok(g.get("concurrent10"))
    if c:
        best = min(
            (v["seconds"] for k, v in c.items() if k.startswith("tgclient") and "socket" in k),
            default=None,
        )
        bare = c.get("bare websockets, 10 envelopes on one socket", {}).get("seconds")
        alone = c.get("bare websockets, 1 held call", {}).get("seconds")
        lines.append(
            f"| real gateway, 10 concurrent calls held {g.get('hold', 0.5)} s each | <= 0.6 s "
            f"| {s(best)} (tgclient over the socket); the same 10 from a bare websockets loop "
            f"{s(bare)}, one held call alone {s(alone)} (the gateway and stub's floor) |"
        )
    bulk = ok(g.get("bulk"))
    row = bulk.get("imports", {}).get("100000")
    if row:
        best = f" ({kib(bulk['raw_best_bytes'])} frames)" if bulk.get("raw_best_bytes") else ""
        default = kib(bulk["frame_bytes_default"]) if bulk.get("frame_bytes_default") else ""
        lines.append(
            "| real gateway, bulk import 100K triples (call returns; median of "
            f"{bulk.get('runs', 1)} runs) | the gateway's own rate "
            f"| tgclient default{f' ({default} frames)' if default else ''} "
            f"{rate(100_000, row.get('tgclient'))}, from wire-form dicts "
            f"{rate(100_000, row.get('tgclient, wire-form dicts'))}; batch_size=100 "
            f"{rate(100_000, row.get('tgclient batch_size=100'))}; limit{best} "
            f"{rate(100_000, row.get('limit (bare websockets, pre-serialised)'))}; official "
            f"{rate(100_000, row.get('official'))} |"
        )
    big = max(bulk.get("imports", {}) or {"0": None}, key=int)
    big_row = bulk.get("imports", {}).get(big) or {}
    export = ok(g.get("export_memory"))
    stream = ok(g.get("stream_memory"))
    if big_row or export or stream:
        reads = [
            f"{who} read {export[job]['items']:,}"
            for who, job in (("tgclient", "export-tgclient"), ("official", "export-official"))
            if export.get(job, {}).get("items") is not None
        ]
        fed = f" of {export['triples']:,} triples" if export.get("triples") else ""
        exported = f"export{fed} ({', '.join(reads)})" if reads else "export"
        lines.append(
            f"| client RSS growth: import of {int(big):,} triples / {exported} / a "
            "streamed 10 MB answer | < 20 MiB "
            f"| tgclient {mib(big_row.get('tgclient', {}).get('rss_growth'))} / "
            f"{mib(export.get('export-tgclient', {}).get('rss_growth'))} / "
            f"{mib(stream.get('stream-tgclient', {}).get('rss_growth'))}; official "
            f"{mib(big_row.get('official', {}).get('rss_growth'))} / "
            f"{mib(export.get('export-official', {}).get('rss_growth'))} / "
            f"{mib(stream.get('stream-official', {}).get('rss_growth'))} |"
        )
    return lines


def limit_notes(g: Result) -> list[str]:
    """For a figure over its target, what the same run measured without the client."""
    c = ok(g.get("concurrent10"))
    mine = [v["seconds"] for k, v in c.items() if k.startswith("tgclient") and "socket" in k]
    bare = c.get("bare websockets, 10 envelopes on one socket", {}).get("seconds")
    alone = c.get("bare websockets, 1 held call", {}).get("seconds")
    if not (mine and bare and alone):
        return []
    best, hold = min(mine), g.get("hold", 0.5)
    runs = len(c.get("bare websockets, 1 held call", {}).get("runs", [])) or 1
    median = f" (median of {runs} runs)" if runs > 1 else ""
    where = (
        "the client adds nothing measurable: the time over the hold is the gateway's, "
        "RabbitMQ's and the stub's"
        if best <= bare * 1.05
        else f"tgclient adds {best - bare:.2f} s to what the stack takes"
    )
    return [
        f"- 10 concurrent held calls{median}: tgclient {best:.2f} s; the same 10 envelopes "
        "written on "
        f"one socket by a bare websockets loop {bare:.2f} s; one held call alone {alone:.2f} s "
        f"({alone - hold:.2f} s over the {hold:g} s hold). So {where}."
    ]


def client_cost_lines(cost: Result) -> list[str]:
    """What tgclient's own work on the triples costs, without the network."""
    framing = cost.get("framing", {})
    if not framing:
        return []
    n = cost["triples"]
    default = framing.get(str(cost.get("default_bytes")), {})
    sizes = ", ".join(f"{kib(int(size))} {row['dicts']:.2f} s" for size, row in framing.items())
    return [
        "",
        f"tgclient's own CPU time for {n:,} triples, no network: framing them (validation and "
        f"serialisation) at the default frame size {default.get('dicts', 0):.2f} s from "
        f"wire-form dicts, {default.get('models', 0):.2f} s from `Triple` models (from dicts, "
        f"by frame size: {sizes}); building the {n:,} `Triple` models in the first place "
        f"{cost['build_models']:.2f} s. The bare loop's frames are serialised before its clock "
        "starts; tgclient's import from models pays for the models on the same two cores as "
        "the gateway, RabbitMQ and the stub.",
    ]


def export_notes(export: Result) -> list[str]:
    """How each export tap kept up with the import feeding it."""
    lines = []
    for who, job in (("tgclient", "export-tgclient"), ("official", "export-official")):
        data = export.get(job)
        if not data:
            continue
        if "error" in data:
            lines.append(f"- {who}: failed: {data['error']}")
            continue
        gap = data.get("max_gap")
        fed = data.get("fed_seconds")
        feed_error = data.get("feed", {}).get("error")
        if feed_error:
            lines.append(f"- {who}: the import feeding the tap failed: {feed_error}")
        lines.append(
            f"- {who}: read {data['items']:,} of {export.get('triples', 0):,} triples in "
            f"{data['seconds']:.0f} s (the import feeding the tap took "
            f"{f'{fed:.0f} s' if fed else '-'}); longest wait between two messages "
            f"{f'{gap:.1f} s' if gap is not None else '-'}; RSS growth {mib(data['rss_growth'])}."
        )
    return lines


def gateway_ratios(g: Result) -> dict[str, float]:
    """tgclient against the official client and against the limit, on the real gateway."""
    out: dict[str, float] = {}
    seq = ok(g.get("sequential"))
    for kind in ("REST", "socket"):
        if seq.get(f"official {kind}"):
            out[f"sequential {kind}: tgclient / official"] = (
                seq[f"tgclient {kind}"] / seq[f"official {kind}"]
            )
    ttft = ok(g.get("ttft"))
    for service in ("agent", "graph-rag"):
        mine = ttft.get(f"{service}|tgclient socket streaming", {})
        rest = ttft.get(f"{service}|tgclient REST", {})
        theirs = ttft.get(f"{service}|official socket streaming", {})
        if "first" in mine and "end" in rest:
            out[f"{service}: REST answer / streaming first token (tgclient)"] = (
                rest["end"] / mine["first"]
            )
        if "first" in mine and "first" in theirs:
            out[f"{service}: first token, official / tgclient"] = theirs["first"] / mine["first"]
    for n, row in ok(g.get("bulk")).get("imports", {}).items():
        mine, limit = (
            row.get("tgclient", {}),
            row.get("limit (bare websockets, pre-serialised)", {}),
        )
        theirs = row.get("official", {})
        if "seconds" in mine and "seconds" in limit:
            out[f"import {n}: tgclient rate / limit"] = limit["seconds"] / mine["seconds"]
        dicts = row.get("tgclient, wire-form dicts", {})
        if "seconds" in dicts and "seconds" in limit:
            out[f"import {n}: tgclient from wire-form dicts / limit"] = (
                limit["seconds"] / dicts["seconds"]
            )
        if "seconds" in mine and "seconds" in theirs:
            out[f"import {n}: tgclient rate / official"] = theirs["seconds"] / mine["seconds"]
    c = ok(g.get("concurrent10"))
    seq10 = c.get("tgclient REST, 10 one after another", {}).get("seconds")
    par10 = c.get("tgclient async socket, gather(10)", {}).get("seconds")
    if seq10 and par10:
        out["10 held calls: sequential REST / concurrent socket (tgclient)"] = seq10 / par10
    bare10 = c.get("bare websockets, 10 envelopes on one socket", {}).get("seconds")
    if bare10 and par10:
        out["10 held calls: tgclient async socket / bare websockets (1 = the limit)"] = (
            par10 / bare10
        )
    return out


def cpu_extra(cpu: dict[str, float]) -> str:
    """What tgclient adds per call in CPU time to the bare loops, when measured."""
    pairs = [
        ("sync", "tgclient sync", "bare websockets sync (send+recv, one thread)"),
        ("async", "tgclient async", "bare websockets asyncio"),
    ]
    extra = [
        f"{cpu[mine] - cpu[bare]:+.1f} µs {kind}"
        for kind, mine, bare in pairs
        if mine in cpu and bare in cpu
    ]
    return f"; client CPU per call over the bare loop: {', '.join(extra)}" if extra else ""


def fake_tables(r: Result) -> list[str]:
    lines: list[str] = []
    ws = ok(r.get("fake_ws"))
    if ws:
        cpu = ws.get("cpu_per_call", {})
        lines += [
            "| contender | round trips/s | client CPU per call (the benchmark process) |",
            "|---|---|---|",
        ]
        lines += [
            f"| {k} | {v:,.0f} | {f'{cpu[k]:.1f} µs' if k in cpu else '-'} |"
            for k, v in ws["sequential"].items()
        ]
        lines += ["", "| ratio | |", "|---|---|"]
        lines += [f"| {k} | {v:.2f} |" for k, v in ws["ratios"].items()]
        lines += ["", "10 concurrent calls the fake holds 0.5 s each (ideal 0.5 s):", ""]
        lines += ["| contender | wall time |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in ws["concurrent"].items()]
    bulk = ok(r.get("fake_bulk"))
    if bulk:
        lines += [
            "",
            f"Bulk import of {bulk['triples']:,} triples to a socket that swallows "
            f"frames, batches of {bulk['batch']}:",
            "",
        ]
        lines += ["| client | triples/s | peak Python memory (tracemalloc) |", "|---|---|---|"]
        lines += [
            f"| {k} | {v:,.0f} | {bulk['peaks'][k] / 1e6:.1f} MB |"
            for k, v in bulk["rates"].items()
        ]
    return lines


def plot(sweep: Result, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, levels in sweep.items():
        xs = [int(k) for k in levels]
        left.plot(xs, [v["throughput"] for v in levels.values()], marker="o", label=name)
        right.plot(
            xs, [1000 * (v["latency_median"] or 0) for v in levels.values()], marker="o", label=name
        )
    for axis, title, unit in (
        (left, "Throughput", "calls/s"),
        (right, "Median latency", "ms"),
    ):
        axis.set_xscale("log", base=2)
        axis.set_xlabel("concurrent callers")
        axis.set_ylabel(unit)
        axis.set_title(f"{title}, text-completion, real gateway 2.11.1")
        axis.grid(True, alpha=0.3)
    left.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write(r: Result) -> Path:
    g = ok(r.get("gateway"))
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "# Performance",
        "",
        f"Generated by `tox -e bench` (`python -m tests.bench`) on {when}; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average at the end "
        f"{load}. The figures come from a shared machine (a `--fake-only` or `--real-only` run "
        "keeps the other half of the last run's figures): ratios between contenders measured "
        "side by side mean more than absolute rates. Every figure is in "
        "`docs/performance.json`.",
        "",
        "## The seed's headline table, on the real gateway 2.11.1",
        "",
        "Both clients against the same stack (`tests/integration/stack`: the stock gateway on "
        "RabbitMQ, stub services that handle up to 32 requests at once). Agent and graph-rag "
        f"answers are spread over {g.get('pace', 3.0):g} s by the stub (`[[pace:S]]`), as a "
        "model generating them would be; REST returns the whole answer, the socket streams it. "
        "Imports run in fresh processes; `stored` is when the last triple became queryable.",
        "",
        *seed_table(g),
        "",
        "## Targets of issue 15",
        "",
        *issue_table(r),
        "",
    ]
    limits = limit_notes(g)
    if limits:
        lines += ["Where the limits are:", "", *limits, ""]
    sweep_lines = frame_sweep(ok(g.get("bulk"))) + client_cost_lines(ok(g.get("client_cost")))
    if sweep_lines:
        lines += ["## Bulk import: the frame size", "", *sweep_lines, ""]
    export_lines = export_notes(ok(g.get("export_memory")))
    if export_lines:
        lines += ["## Export of a live tap", "", *export_lines, ""]
    ratios = gateway_ratios(g)
    if ratios:
        lines += ["Ratios on the real gateway (above 1: tgclient ahead):", ""]
        lines += ["| ratio | |", "|---|---|"]
        lines += [f"| {k} | {v:.2f} |" for k, v in ratios.items()]
        lines += [""]
    sweep = ok(g.get("sweep"))
    if sweep and plot(sweep, DOCS / "performance.png"):
        lines += [
            "## Throughput and latency against concurrency",
            "",
            "Instant text-completion calls on the real gateway, N callers in one event loop.",
            "",
            "![throughput and latency against concurrency](performance.png)",
            "",
        ]
    fake = fake_tables(r)
    if fake:
        lines += [
            "## Against a loopback fake (client cost alone)",
            "",
            "The fake answers at once, from a separate process, so these figures show what "
            "each client costs per call.",
            "",
            *fake,
            "",
        ]
    path = DOCS / "performance.md"
    path.write_text("\n".join(lines))
    (DOCS / "performance.json").write_text(json.dumps(r, indent=1, default=str) + "\n")
    return path
