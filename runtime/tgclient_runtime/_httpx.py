"""httpx, imported without its command line.

``import httpx`` also imports ``httpx._main``, httpx's own command line, whenever click and rich
are installed (as tgclient's ``cli`` extra installs them): pygments, rich and click load with it,
which no client call needs. While httpx loads, a placeholder stands in for ``httpx._main``; its
``main`` loads the real command line when called, and the placeholder is gone once httpx is in.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["httpx"]


def _import_without_cli() -> None:
    if "httpx" in sys.modules:
        return
    placeholder = types.ModuleType("httpx._main")

    def main(*args: Any, **kwargs: Any) -> Any:
        return importlib.import_module("httpx._main").main(*args, **kwargs)

    placeholder.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = placeholder
    try:
        importlib.import_module("httpx")
    finally:
        if sys.modules.get("httpx._main") is placeholder:
            del sys.modules["httpx._main"]


_import_without_cli()

import httpx  # noqa: E402  (loaded above; this binds it)
