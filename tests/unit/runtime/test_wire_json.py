"""The socket's JSON codec: pydantic-core's speed, the standard library's answers."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tgclient_runtime.wire_json import dumps, loads

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_writes_what_the_standard_library_reads_back(value: Any) -> None:
    assert json.loads(dumps(value)) == value


@given(json_values)
def test_reads_what_the_standard_library_writes(value: Any) -> None:
    text = json.dumps(value)
    assert loads(text) == json.loads(text)
    assert loads(text.encode()) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": "\\ud800"}',  # a lone surrogate: pydantic-core refuses it, json takes it
        "[" * 500 + "]" * 500,  # deeper than pydantic-core's 200 levels
        '{"a": NaN, "b": -Infinity}',
        '{"a": 1, "a": 2}',
        '{"big": 123456789012345678901234567890}',
        # pydantic-core before 2.18.4 (pydantic 2.7.0 to 2.7.2) read these as mojibake
        json.dumps({"K\x1eU\u00e9l\u20280MH\x7f": "_\x16p\uffff\x1b)\ud7ffd"}),
    ],
)
def test_reads_the_edge_cases_as_the_standard_library(text: str) -> None:
    assert repr(loads(text)) == repr(json.loads(text))


@pytest.mark.parametrize("text", ["", "{", "not json", '{"a": 1} trailing', b"\xff"])
def test_refuses_what_is_not_json_with_value_error(text: str | bytes) -> None:
    with pytest.raises(ValueError):
        loads(text)


def test_writes_compact_utf8_text() -> None:
    assert dumps({"q": "café", "n": [1, 2.5, None, True]}) == '{"q":"café","n":[1,2.5,null,true]}'


def test_writes_values_pydantic_can_serialise() -> None:
    when = datetime.datetime(2026, 11, 29, 6, 0, tzinfo=datetime.UTC)
    assert json.loads(dumps({"at": when})) == {"at": "2026-11-29T06:00:00Z"}


def test_refuses_what_cannot_be_written_with_type_error() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"x": object()})
