"""The JSON codec of socket messages: pydantic-core's (already a dependency, several times
faster than the standard library on small messages), with the standard library's answer
wherever the two would differ.

Parsing falls back to the standard library where pydantic-core refuses what the standard
library takes (a lone surrogate escape, nesting deeper than 200 levels), so what parses and how
a message that is not JSON is refused stay the standard library's. Writing also accepts what
pydantic can serialise and the standard library cannot (a datetime, a UUID, a set) in a raw
dict request, rather than raising TypeError; what neither can write raises TypeError.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import PydanticSerializationError, from_json, to_json

__all__ = ["dumps", "loads"]


def dumps(value: Any) -> str:
    """``value`` as compact JSON text (UTF-8, not ASCII-escaped)."""
    try:
        return to_json(value).decode()
    except PydanticSerializationError:
        return json.dumps(value)  # raises TypeError naming what cannot be written


def loads(data: str | bytes) -> Any:
    """Parse JSON text; raises ValueError for what is not JSON, as :func:`json.loads`."""
    try:
        return from_json(data)
    except ValueError:
        return json.loads(data)
