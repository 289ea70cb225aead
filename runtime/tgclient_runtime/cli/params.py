"""Turning command-line text into call arguments: JSON, records, RDF term text, files."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    _ParamType = click.ParamType[Any]
else:  # click < 8.2 has no generic ParamType
    _ParamType = click.ParamType

__all__ = ["JSON", "TermText", "json_items", "read_bytes", "records", "term_parts"]


class JsonParam(_ParamType):
    """A JSON value given inline, as ``@file`` or as ``-`` (standard input)."""

    name = "json"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        text = value
        if value == "-":
            text = sys.stdin.read()
        elif value.startswith("@"):
            try:
                text = Path(value[1:]).read_text(encoding="utf-8")
            except OSError as exc:
                self.fail(f"cannot read {value[1:]!r}: {exc.strerror}", param, ctx)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            self.fail(
                f"{value!r} is not JSON ({exc.msg} at column {exc.colno}); quote it for the "
                'shell, e.g. \'{"key": "value"}\', or pass @file.json',
                param,
                ctx,
            )


JSON = JsonParam()

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$")
_LITERAL = re.compile(r'^"(?P<v>(?:[^"\\]|\\.)*)"(?:@(?P<ln>[A-Za-z0-9-]+)|\^\^<(?P<dt>[^>]*)>)?$')


def term_parts(text: str) -> tuple[str, str, str | None, str | None]:
    """Read an RDF term written on the command line as (kind, value, datatype, language).

    ``<iri>`` or anything with a scheme (``http://x``, ``urn:x``) is an IRI, ``_:id`` a blank
    node, ``"text"`` / ``"text"@en`` / ``"5"^^<xsd:int>`` an N-Triples literal, and any other
    text a plain literal. kind is "iri", "literal" or "blank".
    """
    if text.startswith("<") and text.endswith(">"):
        return "iri", text[1:-1], None, None
    if text.startswith("_:"):
        return "blank", text[2:], None, None
    match = _LITERAL.match(text)
    if match:
        value = json.loads(f'"{match["v"]}"')
        return "literal", value, match["dt"], match["ln"]
    if _SCHEME.match(text):
        return "iri", text, None, None
    return "literal", text, None, None


class TermText(_ParamType):
    """An RDF term as text (see :func:`term_parts`); a JSON object passes through."""

    name = "term"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.startswith("{"):
            return JSON.convert(value, param, ctx)
        return value


def records(values: Sequence[str], fields: Sequence[str], name: str) -> list[Any]:
    """Positional words grouped into records of ``fields`` (``prompt system`` -> one
    ``{"type": "prompt", "key": "system"}``); a single JSON argument is taken as it is."""
    if len(values) == 1 and values[0].lstrip()[:1] in ("[", "{", "@"):
        parsed = JSON.convert(values[0], None, None)
        return parsed if isinstance(parsed, list) else [parsed]
    if len(values) % len(fields):
        raise click.BadParameter(
            f"expected {' '.join(f.upper() for f in fields)} groups of {len(fields)} words, "
            f"got {len(values)} word(s); or pass one JSON list",
            param_hint=name.upper(),
        )
    width = len(fields)
    return [
        dict(zip(fields, values[i : i + width], strict=True)) for i in range(0, len(values), width)
    ]


def read_bytes(path: str) -> bytes:
    """A file's bytes; ``-`` reads standard input."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path!r}: {exc.strerror}") from None


def json_items(path: str) -> Iterator[Any]:
    """Items of a JSON Lines file (one JSON value a line, read lazily), or of a ``.json``
    file holding one JSON list; ``-`` reads JSON Lines from standard input."""
    if path.endswith(".json"):
        data = JSON.convert(f"@{path}", None, None)
        yield from data if isinstance(data, list) else [data]
        return
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with stream:
        for number, line in enumerate(stream, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise click.BadParameter(
                        f"{path} line {number} is not JSON: {exc.msg}"
                    ) from None
