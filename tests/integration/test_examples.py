"""Every script in examples/ runs to completion against the real gateway."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


def test_there_are_examples() -> None:
    assert len(SCRIPTS) >= 5, [s.name for s in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_runs(script: Path, gateway_url: str) -> None:
    result = subprocess.run(
        [sys.executable, str(script), gateway_url],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, (
        f"{script.name}:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )
    assert result.stdout.strip(), f"{script.name} printed nothing"
