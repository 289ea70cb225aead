"""Getting a gateway inventory: run ``gateway_inventory.py`` with an interpreter, or in a venv
with a trustgraph release installed from the package index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

JSON = dict[str, Any]

REPO_ROOT = Path(__file__).resolve().parents[2]
INVENTORY_SCRIPT = Path(__file__).resolve().with_name("gateway_inventory.py")
PARITY_REQUIREMENTS = REPO_ROOT / "tests" / "parity" / "requirements.txt"


class DriftError(Exception):
    """The gateway could not be introspected."""


def inventory_from_python(python: str | Path, path: Path | None = None) -> JSON:
    """Run ``codegen/drift/gateway_inventory.py`` with ``python`` and return its JSON; ``path``:
    a directory put first on ``PYTHONPATH`` (a release tree, see :func:`release_tree`)."""
    env = None if path is None else {**os.environ, "PYTHONPATH": str(path)}
    proc = subprocess.run(
        [str(python), str(INVENTORY_SCRIPT)], capture_output=True, text=True, check=False, env=env
    )
    if proc.returncode != 0:
        raise DriftError(
            f"{INVENTORY_SCRIPT.name} failed with {python} (exit {proc.returncode}):\n"
            f"{proc.stderr.strip()}"
        )
    try:
        doc: JSON = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise DriftError(f"{INVENTORY_SCRIPT.name} printed no JSON with {python}: {exc}") from None
    if not doc.get("gateway_version"):
        raise DriftError(
            f"trustgraph-flow is not installed for {python}; pass --gateway-python with an "
            "interpreter that has it, or --release X.Y.Z"
        )
    return doc


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _run(cmd: list[str]) -> None:
    print("+ " + " ".join(cmd), file=sys.stderr)
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise DriftError(
            f"command failed (exit {proc.returncode}): {' '.join(cmd)}\n"
            f"{proc.stdout[-2000:]}{proc.stderr[-4000:]}"
        )


def inventory_from_release(version: str, venv: Path | None = None) -> JSON:
    """The inventory of trustgraph ``version`` installed (``--no-deps``) in a venv: ``venv`` if
    given (created when missing, reused otherwise), else a temporary one."""

    def build(where: Path) -> JSON:
        python = _venv_python(where)
        if not python.exists():
            _run([sys.executable, "-m", "venv", str(where)])
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        _run([*pip, "--no-deps", f"trustgraph-base=={version}", f"trustgraph-flow=={version}"])
        _run([*pip, "-r", str(PARITY_REQUIREMENTS)])
        return inventory_from_python(python)

    if venv is not None:
        return build(venv)
    with tempfile.TemporaryDirectory(prefix=f"tg-drift-{version}-") as tmp:
        return build(Path(tmp) / "venv")


# ---------------------------------------------------------------------------


def release_tree(version: str, cache: Path) -> Path:
    """``trustgraph-base`` and ``trustgraph-flow`` ``version`` (``pip install --no-deps
    --target``) in ``cache/X.Y.Z``, downloaded once. Run the inventory over it with an
    interpreter that has ``tests/parity/requirements.txt`` (the parity tox env): a few seconds,
    against minutes for a venv per release."""
    tree = cache / version
    if (tree / "trustgraph" / "gateway").is_dir():
        return tree
    staging = cache / f".{version}.partial"
    shutil.rmtree(staging, ignore_errors=True)  # a download cut short earlier
    _run(
        [
            sys.executable,
            *("-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"),
            *("--target", str(staging)),
            f"trustgraph-base=={version}",
            f"trustgraph-flow=={version}",
        ]
    )
    staging.rename(tree)
    return tree
