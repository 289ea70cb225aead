"""The Python blocks of README.md and docs/: found, marked, and run as scripts.

A block is any fenced code block whose language is ``python`` (or ``py``). It runs unless the
nearest non-blank line before its fence is a marker with a reason::

    <!-- docs-example: not-run reason=needs a TLS gateway with a private CA -->

A block marked ``<!-- docs-example: stack=iam -->`` runs against the stack with the stock IAM
service instead, with the bootstrapped admin's API key in ``$TRUSTGRAPH_TOKEN``.

Blocks run one by one, each in a fresh interpreter, against a live gateway: the gateway's
default address in the text (``localhost:8888``, over ``http`` or ``ws``) is replaced by the
gateway's address, and a block with top-level ``await`` runs in an event loop. Signatures in the
generated reference are fenced ``pyi``: declarations, not code, so they are not blocks.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

__all__ = ["Block", "collect", "documents", "run_block"]

ROOT = Path(__file__).resolve().parents[1]
PYTHON_LANGUAGES = {"python", "py", "python3", "py3"}
DEFAULT_ADDRESS = "localhost:8888"
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_MARKER = re.compile(
    r"^\s*<!--\s*docs-example:\s*(?P<kind>not-run|stack=iam)\b(?P<rest>.*?)-->\s*$"
)
_REASON = re.compile(r"reason=(?P<reason>.+?)\s*$")

# Runs one block read from stdin: top-level await is allowed and then drives an event loop.
_RUNNER = """
import ast, asyncio, inspect, sys
source = sys.stdin.read()
code = compile(source, sys.argv[1], "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
namespace = {"__name__": "__main__"}
result = eval(code, namespace)
if inspect.iscoroutine(result):
    asyncio.run(result)
"""


@dataclasses.dataclass(frozen=True)
class Block:
    """One Python block: where it is, its code, and why it is not run (None: it runs)."""

    path: str  # relative to the repository root
    line: int  # of the opening fence, 1-based
    code: str
    not_run: str | None
    stack: str = "default"  # "iam": the stack with the stock IAM service

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"


def documents(root: Path = ROOT) -> list[Path]:
    """README.md and every Markdown page under docs/, in a stable order."""
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


def _marker(line: str, where: str) -> tuple[str | None, str]:
    """(why the block is not run or None, the stack it runs on) from the line before it."""
    marker = _MARKER.match(line)
    if marker is None:
        return None, "default"
    if marker.group("kind") == "stack=iam":
        return None, "iam"
    reason = _REASON.search(marker.group("rest"))
    if reason is None or not reason.group("reason").strip():
        raise ValueError(f"{where}: a not-run marker needs reason=<why the block cannot run>")
    return reason.group("reason").strip(), "default"


def _blocks_of(text: str, rel: str) -> list[Block]:
    lines = text.splitlines()
    blocks: list[Block] = []
    last_text = ""  # the nearest non-blank line before the current one
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            if lines[i].strip():
                last_text = lines[i]
            i += 1
            continue
        fence, indent = opening.group("fence"), len(opening.group("indent"))
        language = opening.group("info").strip().split(" ")[0].lstrip(".{").lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append(lines[j][indent:] if not lines[j][:indent].strip() else lines[j].lstrip())
            j += 1
        if language in PYTHON_LANGUAGES:
            where = f"{rel}:{i + 1}"
            not_run, stack = _marker(last_text, where)
            blocks.append(Block(rel, i + 1, "\n".join(body) + "\n", not_run, stack))
        last_text = lines[j] if j < len(lines) else ""
        i = j + 1
    return blocks


def collect(root: Path = ROOT) -> list[Block]:
    """Every Python block of README.md and docs/."""
    blocks: list[Block] = []
    for path in documents(root):
        blocks += _blocks_of(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix())
    return blocks


def for_gateway(code: str, url: str) -> str:
    """The block with the default gateway address replaced by ``url``'s host and port."""
    address = url.split("://", 1)[1].rstrip("/")
    return code.replace(DEFAULT_ADDRESS, address)


def run_block(
    block: Block, url: str, *, token: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the block in a fresh interpreter against the gateway at ``url`` (``token`` in
    ``$TRUSTGRAPH_TOKEN``), with the interpreter's scripts (``tgclient``) on ``$PATH`` as in an
    activated virtual environment."""
    env = {k: v for k, v in os.environ.items() if k != "TRUSTGRAPH_TOKEN"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    if token is not None:
        env["TRUSTGRAPH_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-c", _RUNNER, block.id],
        input=for_gateway(block.code, url),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )
