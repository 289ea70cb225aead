"""Printing results: human-readable by default (tables, text as it arrives), JSON on request."""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from ..results import ResponseTuple, TextResult

__all__ = ["CellFormatter", "Output", "jsonable"]

CellFormatter = Callable[[Any], str | None]
"""Turns a value into table-cell text, or None to fall back to the default rendering."""

# Colours of streamed chunks, by a word in the chunk class name (AgentThought -> "Thought").
_KIND_STYLES = {
    "Thought": "dim italic",
    "Observation": "yellow",
    "Explain": "magenta",
    "Error": "bold red",
}


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data (models by field name, empty fields left out; a text
    answer as ``{"text": ..., "in_token": ..., "sources": [...]}``)."""
    if isinstance(value, TextResult):
        extras = {k: getattr(value, k) for k in ("in_token", "out_token", "model")}
        answer = {"text": str(value), **{k: v for k, v in extras.items() if v is not None}}
        if value.sources:
            answer["sources"] = jsonable(value.sources)
        return answer
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, str):
        return str(value)  # drops str subclasses' extras (TextResult usage)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _fields(value: Any) -> dict[str, Any]:
    """A model's or mapping's non-empty fields, values left as objects for cell formatting."""
    if isinstance(value, BaseModel):
        names = [*type(value).model_fields, *(value.model_extra or {})]
        return {n: getattr(value, n) for n in names if getattr(value, n, None) is not None}
    return {str(k): v for k, v in value.items() if v is not None}


class Output:
    """Where and how a command prints; one per invocation."""

    def __init__(
        self,
        *,
        as_json: bool,
        cell: CellFormatter | None = None,
        stdout: IO[str] | None = None,
    ) -> None:
        self.as_json = as_json
        self._cell_hook = cell
        self._stdout = stdout or sys.stdout
        self.console = Console(file=self._stdout, highlight=False, soft_wrap=True)

    # -- whole results -----------------------------------------------------------------------

    def result(self, value: Any) -> None:
        """Print one call's result (a tuple of response fields as the whole response)."""
        if isinstance(value, ResponseTuple):
            value = value.response
        if self.as_json:
            self._write(json.dumps(jsonable(value), ensure_ascii=False, indent=2) + "\n")
            return
        if value is None:
            return
        if isinstance(value, bytes):
            self.binary(value)
        elif isinstance(value, TextResult) and value.sources:
            self._write(f"{value}\n")
            self.console.print("Sources:", style="dim")
            for source in value.sources:
                self.console.print(f"  - {self._cell(source)}", style="dim", markup=False)
        elif isinstance(value, str | int | float | bool):
            self._write(f"{value}\n")
        elif isinstance(value, list | tuple):
            self._list(list(value))
        elif isinstance(value, BaseModel | Mapping):
            self._record(value)
        else:
            self._write(json.dumps(jsonable(value), ensure_ascii=False, indent=2) + "\n")

    def binary(self, data: bytes) -> None:
        """Raw bytes to standard output."""
        self._stdout.flush()
        buffer = getattr(self._stdout, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:  # a text-only stream (tests): show what can be shown
            self._write(data.decode("utf-8", errors="replace"))

    def _list(self, items: list[Any]) -> None:
        if all(not isinstance(i, BaseModel | Mapping) for i in items):
            for item in items:
                self._write(f"{self._cell(item)}\n")
            return
        rows = [_fields(i) if isinstance(i, BaseModel | Mapping) else {"": i} for i in items]
        columns: list[str] = []
        for row in rows:
            columns += [k for k in row if k not in columns]
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*(self._cell(row[c]) if c in row else "" for c in columns))
        self.console.print(table)

    def _record(self, value: BaseModel | Mapping[str, Any]) -> None:
        table = Table("field", "value", show_header=False)
        for key, item in _fields(value).items():
            table.add_row(key, self._cell(item))
        self.console.print(table)

    def _cell(self, value: Any) -> str:
        if self._cell_hook is not None:
            text = self._cell_hook(value)
            if text is not None:
                return text
        if isinstance(value, str | int | float | bool):
            return str(value)
        if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            return ", ".join(map(str, value))
        if isinstance(value, list) and self._cell_hook is not None:
            return "\n".join(self._cell(v) for v in value)
        return json.dumps(jsonable(value), ensure_ascii=False)

    # -- streams -----------------------------------------------------------------------------

    def stream(self, chunks: Iterable[Any], text_field: str | None) -> None:
        """Print chunks as they arrive: their text (coloured by kind) for people, one JSON
        line each for scripts. Chunks without text show as records."""
        last_kind: str | None = None
        wrote_text = False
        for chunk in chunks:
            if self.as_json:
                self._write(json.dumps(jsonable(chunk), ensure_ascii=False) + "\n")
                self._stdout.flush()
                continue
            text = getattr(chunk, text_field, None) if text_field else None
            if not isinstance(text, str):
                if text_field is None:
                    self.result(chunk)
                continue
            kind = _kind(chunk)
            if last_kind is not None and kind != last_kind and wrote_text:
                self._write("\n")
            last_kind = kind
            if text:
                self.console.print(text, end="", style=_KIND_STYLES.get(kind), markup=False)
                self._stdout.flush()
                wrote_text = True
        if wrote_text:
            self._write("\n")

    def json_line(self, value: Any, out: IO[str] | None = None) -> None:
        """One JSON Lines record (exports), to ``out`` or standard output."""
        (out or self._stdout).write(json.dumps(jsonable(value), ensure_ascii=False) + "\n")

    def _write(self, text: str) -> None:
        self._stdout.write(text)


def _kind(chunk: Any) -> str:
    name = type(chunk).__name__
    return next((k for k in _KIND_STYLES if name.endswith(k)), name)
