"""Lazy package attributes: a name is imported from its module on first access.

A package lists ``name -> module`` and binds the two functions this returns as its
``__getattr__`` and ``__dir__`` (under ``if not TYPE_CHECKING``, next to plain imports under
``if TYPE_CHECKING``, so type checkers and IDEs see every name exactly as before and an
unknown name is still an error to them). Importing the package then costs only what it
imports eagerly; each attribute pays for its module when first used.
"""

from __future__ import annotations

import functools
import importlib
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["attach"]


def attach(
    package: str,
    names: Mapping[str, str],
    *,
    unions: Mapping[str, Sequence[str]] | None = None,
    namespace: dict[str, Any],
    anchor: str | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` (a package or a plain module).

    ``names`` maps each lazy attribute to the module defining it (absolute, or relative to
    ``anchor`` when it starts with a dot: the package itself unless given, a plain module
    passes its ``__package__``); ``unions`` maps an attribute to the names whose union
    (``A | B``) it is. A loaded value is stored in ``namespace`` (the module's ``globals()``),
    so later accesses are plain lookups.
    """
    unions = unions or {}
    base = anchor or package

    def __getattr__(name: str) -> Any:
        if name in names:
            value = getattr(importlib.import_module(names[name], base), name)
        elif name in unions:
            value = functools.reduce(operator.or_, (__getattr__(m) for m in unions[name]))
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *names, *unions})

    return __getattr__, __dir__
