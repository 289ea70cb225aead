"""Run the official-client scripts of this directory and check their ``# expect:`` lines.

``python tests/integration/official_scripts/battery.py URL [--official]`` prints one line per
script and ``N of M passed``; without ``--official`` each script's import line is rewritten
from ``trustgraph.api`` to ``tgclient`` (nothing else changes), with it the script runs as
written, for the official client.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = sorted(p for p in HERE.glob("*.py") if p.name not in ("battery.py", "__init__.py"))
OFFICIAL_IMPORT = re.compile(r"^from trustgraph\.api import ", re.MULTILINE)


@dataclasses.dataclass
class Outcome:
    script: str
    returncode: int
    output: str
    missing: list[str]

    @property
    def passed(self) -> bool:
        return self.returncode == 0 and not self.missing

    def why(self) -> str:
        if self.returncode != 0:
            lines = [x for x in self.output.splitlines() if "Warning:" not in x and x.strip()]
            return f"exit {self.returncode}: {lines[-1] if lines else ''}"
        return "missing " + "; ".join(self.missing)


def expectations(source: str) -> list[str]:
    return re.findall(r"^# expect: (.+)$", source, re.MULTILINE)


def swap_import(source: str) -> str:
    """The script with its import line pointed at tgclient: the only change made."""
    swapped, count = OFFICIAL_IMPORT.subn("from tgclient import ", source)
    if count != 1:
        raise ValueError(f"expected one 'from trustgraph.api import' line, found {count}")
    return swapped


def run(
    script: Path,
    url: str,
    *,
    official: bool = False,
    python: str = sys.executable,
    timeout: float = 120,
) -> Outcome:
    source = script.read_text("utf-8")
    text = source if official else swap_import(source)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / script.name
        path.write_text(text, "utf-8")
        env = {**os.environ, "PYTHONWARNINGS": "default::DeprecationWarning"}
        try:
            proc = subprocess.run(
                [python, str(path), url],
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
                cwd=tmp,
            )
            code, output = proc.returncode, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired as e:
            code, output = -1, f"timed out after {timeout} s: {e.stdout or ''}"
    stdout_lines = output.splitlines()
    missing = [
        pattern
        for pattern in expectations(source)
        if not any(re.search(pattern, line) for line in stdout_lines)
    ]
    return Outcome(script.name, code, output, missing)


def main() -> int:
    url, official = sys.argv[1], "--official" in sys.argv[2:]
    outcomes = [run(s, url, official=official) for s in SCRIPTS]
    for o in outcomes:
        print(
            f"{'pass' if o.passed else 'FAIL'}  {o.script}" + ("" if o.passed else f"  ({o.why()})")
        )
    client = "the official client" if official else "tgclient (import line swapped)"
    print(f"{sum(o.passed for o in outcomes)} of {len(outcomes)} passed with {client}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
