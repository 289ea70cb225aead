"""The IR is data: names, type strings and flags; the templates own every line of code."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from codegen.ir import ApiIR, MethodIR, ParamIR, build_ir
from codegen.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]

# Fragments of Python statements or expressions that a data-only IR never holds.
_CODE = ("self.", "(", "\n ", "lambda", "return ", " if ", "=")


@pytest.fixture(scope="module")
def api() -> ApiIR:
    return build_ir(load_spec(ROOT / "spec"))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _methods(api: ApiIR) -> list[MethodIR]:
    return [m for a in api.accessors for m in a.methods]


def _params(api: ApiIR) -> list[ParamIR]:
    params = [p for m in _methods(api) for p in m.params]
    return params + [p for a in api.accessors for b in a.bulk_methods for p in b.params]


def test_params_and_methods_hold_no_code(api: ApiIR) -> None:
    code_free = [
        *((p.name, p.field_python, p.field_wire, p.encode or "", p.location) for p in _params(api)),
        *((m.name, m.chunk_parser or "", m.result_attr or "") for m in _methods(api)),
    ]
    offending = [s for row in code_free for s in row if any(c in s for c in _CODE)]
    assert offending == []


def test_encoded_params_say_how_not_what_to_call(api: ApiIR) -> None:
    encoded = {p.name: p for p in _params(api) if p.encode is not None}
    assert {p.encode for p in encoded.values()} == {"json", "base64"}
    assert all(p.annotation == ("Any" if p.encode == "json" else "bytes") for p in encoded.values())
    assert not any(hasattr(p, "value_expr") for p in _params(api))


def test_optional_params_are_marked_not_required(api: ApiIR) -> None:
    for p in _params(api):
        assert p.required or p.default is not None, p.name
        assert p.default is not None or p.required, p.name


def test_doc_lines_fit_and_join_to_one_line(api: ApiIR) -> None:
    for p in _params(api):
        assert all(len(line) <= 72 for line in p.doc_lines), p.name
        assert "\n" not in p.doc and "  " not in p.doc


def test_streams_name_a_chunk_type_and_unions_a_parser(api: ApiIR) -> None:
    streaming = [m for m in _methods(api) if m.streams != "never"]
    assert streaming
    unions = {u.alias: u for a in api.accessors for u in a.chunk_unions}
    for m in streaming:
        assert m.chunk_type and m.chunk_model
        if m.chunk_model in unions:
            assert m.chunk_parser == unions[m.chunk_model].parser
        else:
            assert m.chunk_parser is None
    assert any(m.chunk_parser for m in streaming)


def test_every_string_in_the_ir_is_free_of_indentation(api: ApiIR) -> None:
    assert [s for s in _strings(api) if "\n " in s] == []
