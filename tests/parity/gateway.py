"""Test helper: the installed gateway's inventory (``codegen/drift/gateway_inventory.py``).

Only usable where trustgraph-base / trustgraph-flow 2.11.1 are installed (the parity tox
environment, see ``tests/parity/README.md``).  Tests should guard with
``pytest.importorskip("trustgraph.gateway.dispatch.manager")`` or :func:`available`.
"""

from __future__ import annotations

import copy
import functools
import importlib
import importlib.util
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

_INVENTORY = Path(__file__).resolve().parents[2] / "codegen" / "drift" / "gateway_inventory.py"


def available() -> bool:
    """True when the trustgraph gateway modules can be imported."""
    try:
        importlib.import_module("trustgraph.gateway.dispatch.manager")
    except ImportError:
        return False
    return True


def _inventory_module() -> ModuleType:
    try:
        return importlib.import_module("codegen.drift.gateway_inventory")
    except ImportError:
        # Not importable as a package (e.g. repo root not on sys.path): load the file.
        spec = importlib.util.spec_from_file_location("_tg_gateway_inventory", _INVENTORY)
        if spec is None or spec.loader is None:
            raise
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module


@functools.cache
def _collect() -> dict[str, Any]:
    logging.getLogger("trustgraph").setLevel(logging.CRITICAL)
    result: dict[str, Any] = _inventory_module().collect()
    return result


def load_inventory() -> dict[str, Any]:
    """The inventory of the installed gateway (computed once, a fresh copy per call)."""
    return copy.deepcopy(_collect())
