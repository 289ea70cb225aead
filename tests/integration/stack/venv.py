"""The cached virtual environment the stack's server processes run in.

Built on first use at ``$TGCLIENT_STACK_VENV`` or
``${XDG_CACHE_HOME:-~/.cache}/tgclient/stack-venv-2.11.1`` with ``pip install --no-deps -r
requirements.txt`` (the complete pinned closure), under a file lock so parallel test runs
build it once. A marker file, written last, records what was installed; a venv without a
matching marker (half-built, or built from another requirements file) is rebuilt.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REQUIREMENTS = Path(__file__).with_name("requirements.txt")
MARKER = ".tgclient-stack-ok"


class VenvError(RuntimeError):
    """The stack venv could not be built."""


def venv_dir():
    """Where the stack venv lives (not necessarily built yet)."""
    override = os.environ.get("TGCLIENT_STACK_VENV")
    if override:
        return Path(override).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "tgclient" / "stack-venv-2.11.1"


def _fingerprint():
    text = REQUIREMENTS.read_bytes() + sys.version.encode()
    return hashlib.sha256(text).hexdigest()


def _run(argv, log):
    with open(log, "a") as out:
        done = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        tail = Path(log).read_text(errors="replace")[-3000:]
        raise VenvError(f"{' '.join(map(str, argv))} failed ({done.returncode}):\n{tail}")


def ensure_venv(python=sys.executable):
    """Build the venv if needed and return the path of its ``python``."""
    root = venv_dir()
    marker = root / MARKER
    want = _fingerprint()
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f"{root.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (marker.exists() and marker.read_text() == want):
            _build(root, python)
            marker.write_text(want)
    return root / "bin" / "python"


def _build(root, python):
    shutil.rmtree(root, ignore_errors=True)
    log = root.parent / f"{root.name}.build.log"
    log.write_text("")
    target = str(root / "bin" / "python")
    try:
        _run([python, "-m", "venv", str(root)], log)
        pip = [target, "-m", "pip"]
    except VenvError:
        # An interpreter without ensurepip (Debian without python3-venv): borrow our pip.
        shutil.rmtree(root, ignore_errors=True)
        _run([python, "-m", "venv", "--without-pip", str(root)], log)
        pip = [python, "-m", "pip", "--python", target]
    args = ["--disable-pip-version-check", "install", "--quiet", "--no-deps"]
    _run([*pip, *args, "-r", str(REQUIREMENTS)], log)
