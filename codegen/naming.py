"""Names: wire (kebab-case, camelCase) to Python (snake_case, PascalCase, CONSTANT_CASE)."""

from __future__ import annotations

import keyword
import re

__all__ = ["constant_name", "module_name", "pascal_name", "python_name"]

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def python_name(wire: str) -> str:
    """``blueprint-name`` -> ``blueprint_name``; keywords get a trailing underscore."""
    name = _CAMEL_BOUNDARY.sub("_", wire).replace("-", "_").replace(".", "_").lower()
    return f"{name}_" if keyword.iskeyword(name) else name


def module_name(service: str) -> str:
    """``text-completion`` -> ``text_completion``."""
    return python_name(service)


def pascal_name(wire: str) -> str:
    """``text-completion`` -> ``TextCompletion``."""
    return "".join(part.capitalize() for part in re.split(r"[-_ .]", wire) if part)


def constant_name(*parts: str) -> str:
    """``("config", "getvalues-all-ws")`` -> ``CONFIG_GETVALUES_ALL_WS``."""
    return "_".join(python_name(p).strip("_").upper() for p in parts)
