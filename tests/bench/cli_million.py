"""``python -m tests.bench.cli_million --url URL``: the ``tgclient`` command on 1M triples.

A manual measurement for the notes, not a CI step (several minutes): writes a 1M-line
N-Triples file, runs ``tgclient triples import`` on it under a pseudo-terminal (so the progress
bar draws as a user sees it) while sampling the process's resident memory, waits until the
store holds the last triple, exports the collection with ``tgclient triples export``,
re-imports the export into a second collection, exports that, and compares the counts.
Prints one JSON document of figures. Without ``--url`` it starts the integration stack.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pty
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tgclient import Api, Uri  # noqa: E402

MIB = 1024 * 1024


def write_ntriples(path: Path, count: int, prefix: str) -> None:
    """``count`` distinct triples: IRIs, language-tagged and typed literals, blank nodes."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(count):
            s = f"<{prefix}/s{i // 10}>"
            p = f"<{prefix}/p{i % 10}>"
            kind = i % 4
            if kind == 0:
                o = f'"value {i}"@en'
            elif kind == 1:
                o = f'"{i}"^^<http://www.w3.org/2001/XMLSchema#integer>'
            elif kind == 2:
                o = f"<{prefix}/o{i}>"
            else:
                o = f'"line {i} with \\"quotes\\" and \\\\ a backslash"'
            f.write(f"{s} {p} {o} .\n")


def _rss(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def run_on_terminal(args: list[str]) -> dict[str, Any]:
    """Run ``args`` with stdout and stderr on a pseudo-terminal; its RSS every 0.5 s, its
    duration and the last line it drew."""
    main, child = pty.openpty()
    began = time.monotonic()
    proc = subprocess.Popen(args, stdout=child, stderr=child, stdin=subprocess.DEVNULL)
    os.close(child)
    drawn = bytearray()

    def read() -> None:
        with contextlib.suppress(OSError):
            while data := os.read(main, 65536):
                drawn.extend(data[-4096:])
                del drawn[:-8192]

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    samples: list[tuple[float, int]] = []
    while proc.poll() is None:
        rss = _rss(proc.pid)
        if rss:
            samples.append((time.monotonic() - began, rss))
        time.sleep(0.5)
    seconds = time.monotonic() - began
    reader.join(5)
    os.close(main)
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drawn.decode("utf-8", "replace"))
    screen = screen.replace("\r", "\n")
    lines = [line.strip() for line in screen.splitlines() if line.strip()]
    return {"code": proc.returncode, "seconds": seconds, "samples": samples, "last": lines[-3:]}


def rss_figures(samples: list[tuple[float, int]], seconds: float) -> dict[str, float]:
    """Resident memory at 10 % of the run (after start-up), at the end and at most."""
    early = next((rss for t, rss in samples if t >= seconds * 0.1), samples[0][1])
    return {
        "rss_at_10pct_mib": round(early / MIB, 1),
        "rss_last_mib": round(samples[-1][1] / MIB, 1),
        "rss_max_mib": round(max(r for _, r in samples) / MIB, 1),
        "rss_growth_after_10pct_mib": round((max(r for _, r in samples) - early) / MIB, 1),
    }


def tgclient(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "tgclient.cli", "--url", url, *args]


def wait_for(url: str, collection: str, s: str, p: str, timeout: float = 1800) -> float:
    """Seconds until the store answers for the file's last triple."""
    began = time.monotonic()
    with Api(url, timeout=120) as api:
        flow = api.flow().id()
        while not flow.triples_query(s=Uri(s), p=Uri(p), collection=collection, limit=5):
            if time.monotonic() - began > timeout:
                raise TimeoutError(f"the store did not hold <{s}> <{p}> in {timeout} s")
            time.sleep(1)
    return time.monotonic() - began


def export(url: str, collection: str, path: Path) -> dict[str, Any]:
    began = time.monotonic()
    done = run_on_terminal(
        tgclient(url, "triples", "export", "--collection", collection, "-o", str(path))
    )
    with path.open("rb") as f:
        lines = sum(1 for _ in f)
    return {"code": done["code"], "seconds": round(time.monotonic() - began, 1), "lines": lines}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.cli_million")
    parser.add_argument("--url", help="a running gateway (else the integration stack starts)")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--dir", default="/tmp", help="where the files go")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = args.url
        if url is None:
            from tests.integration.stack import Stack

            url = stack.enter_context(Stack(gateway_timeout=600)).url
        tag = uuid.uuid4().hex[:6]
        prefix = f"urn:million:{tag}"
        work = Path(args.dir)
        source = work / f"million-{tag}.nt"
        write_ntriples(source, args.count, prefix)
        last = args.count - 1
        last_s, last_p = f"{prefix}/s{last // 10}", f"{prefix}/p{last % 10}"
        first, again = f"m{tag}", f"m{tag}b"

        imported = run_on_terminal(
            tgclient(url, "triples", "import", str(source), "--collection", first)
        )
        result: dict[str, Any] = {
            "triples": args.count,
            "file_mib": round(source.stat().st_size / MIB, 1),
            "import_code": imported["code"],
            "import_seconds": round(imported["seconds"], 1),
            "import_rate_per_s": round(args.count / imported["seconds"]),
            "progress_bar_last_lines": imported["last"],
            **rss_figures(imported["samples"], imported["seconds"]),
        }
        result["stored_after_s"] = round(wait_for(url, first, last_s, last_p), 1)
        exported = work / f"million-{tag}-export.nt"
        result["export"] = export(url, first, exported)

        reimported = run_on_terminal(
            tgclient(url, "triples", "import", str(exported), "--collection", again)
        )
        result["reimport_code"] = reimported["code"]
        result["reimport_seconds"] = round(reimported["seconds"], 1)
        result["reimport_rss"] = rss_figures(reimported["samples"], reimported["seconds"])
        result["reimport_stored_after_s"] = round(wait_for(url, again, last_s, last_p), 1)
        result["reexport"] = export(url, again, work / f"million-{tag}-reexport.nt")
        result["same_count"] = (
            result["export"]["lines"] == result["reexport"]["lines"] == args.count
        )
        print(json.dumps(result, indent=2))
        return result


if __name__ == "__main__":
    main()
