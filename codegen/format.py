"""Formatting of generated sources with the pinned ruff, in memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["format_python"]


def _ruff(args: list[str], source: str, filename: str, cwd: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--stdin-filename", filename, "-"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    if proc.returncode not in (0, 1) or not proc.stdout:
        raise RuntimeError(f"ruff failed on {filename}:\n{proc.stderr}")
    return proc.stdout


def format_python(source: str, filename: str, *, cwd: Path) -> str:
    """Sort imports, drop unused ones and format, as ``ruff check --fix`` + ``ruff format``.

    ``cwd`` is the repository root, so ruff reads the project's own settings."""
    fixed = _ruff(
        ["check", "--fix-only", "--select", "I,F401,UP", "--exit-zero"], source, filename, cwd
    )
    return _ruff(["format"], fixed, filename, cwd)
