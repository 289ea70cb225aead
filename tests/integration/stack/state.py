"""The state file that lets ``scripts/stack stop`` stop a stack another process started."""

import json
import os
from pathlib import Path


def state_file():
    """``$TGCLIENT_STACK_STATE`` or ``${XDG_CACHE_HOME:-~/.cache}/tgclient/stack-state.json``."""
    override = os.environ.get("TGCLIENT_STACK_STATE")
    if override:
        return Path(override).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "tgclient" / "stack-state.json"


def save(data):
    """Write ``data`` (``Stack.to_dict()``) atomically."""
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    tmp.replace(path)
    return path


def load():
    """The saved state, or None when there is none."""
    try:
        return json.loads(state_file().read_text())
    except FileNotFoundError:
        return None


def clear():
    state_file().unlink(missing_ok=True)
