"""Arguments older call shapes pass: aliases, deprecated keywords, composed values.

Generated methods call these where the spec declares an alias (``question`` for ``query``), a
deprecated keyword (``user``, which the 2.x gateway no longer takes) or a composed argument
(``text`` embedded into ``vector``). They name no service; the method name is for messages.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from .errors import RequestValidationError, ServiceError

__all__ = [
    "IgnoredArgumentWarning",
    "first_vector",
    "pick_alias",
    "require_argument",
    "warn_deprecated",
]


class IgnoredArgumentWarning(DeprecationWarning):
    """A deprecated keyword was passed: accepted, and ignored."""


_warned: set[tuple[str, str]] = set()


def pick_alias(
    method: str, name: str, value: Any, alias: str, alias_value: Any, default: Any = None
) -> Any:
    """The argument given under ``name`` or under its alias; giving both is an error (an
    argument still at its ``default`` counts as not given)."""
    if alias_value is None:
        return value
    if value is not None and value != default:
        raise RequestValidationError(
            f"{method}() got both {name}= and {alias}= (another name for it): pass one"
        )
    return alias_value


def require_argument(method: str, name: str, value: Any, *others: str) -> Any:
    """``value``, which must have been given (under ``name`` or one of ``others``)."""
    if value is None:
        names = " or ".join(f"{n}=" for n in (name, *others))
        raise RequestValidationError(f"{method}() needs {names}")
    return value


def warn_deprecated(
    method: str, name: str, value: Any, reason: str, *, stacklevel: int = 3
) -> None:
    """Warn once per method and keyword that ``name`` is accepted but ignored (``stacklevel``
    3: attributed to the caller of the generated method that calls this)."""
    if value is None or (method, name) in _warned:
        return
    _warned.add((method, name))
    warnings.warn(
        f"{method}(): {name}= is deprecated and ignored: {reason}",
        IgnoredArgumentWarning,
        stacklevel=stacklevel,
    )


def first_vector(vectors: Sequence[Sequence[float]], method: str) -> list[float]:
    """The vector of a one-text embeddings answer; an empty answer (the embeddings service
    failed, its error dropped by the gateway) raises."""
    if not vectors:
        raise ServiceError(
            f"{method}(): embedding the text failed (the embeddings service answered no "
            "vector; the gateway drops its error message)"
        )
    return list(vectors[0])
