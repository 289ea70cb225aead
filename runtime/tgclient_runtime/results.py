"""Shapes of results that are more than a model: text with usage attached, a response read as
a tuple of some of its fields, a one-record list that also reads as its record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, SupportsIndex, TypeVar, overload

__all__ = ["RecordList", "ResponseTuple", "TextResult"]

M = TypeVar("M")


class TextResult(str):
    """The text of an answer. It is a ``str``, and also carries token usage and sources.

    Attributes:
        in_token: prompt tokens, when the back end reported them.
        out_token: completion tokens, when the back end reported them.
        model: the model that answered, when reported.
        sources: retrieval sources, when the service sends them.
        raw: the response object the text was read from.
    """

    in_token: int | None
    out_token: int | None
    model: str | None
    sources: list[Any]
    raw: Any

    def __new__(
        cls,
        text: str,
        *,
        in_token: int | None = None,
        out_token: int | None = None,
        model: str | None = None,
        sources: list[Any] | None = None,
        raw: Any = None,
    ) -> TextResult:
        self = super().__new__(cls, text)
        self.in_token = in_token
        self.out_token = out_token
        self.model = model
        self.sources = list(sources or [])
        self.raw = raw
        return self

    @property
    def text(self) -> str:
        """The text as a plain ``str`` (the official client's ``TextCompletionResult.text``)."""
        return str.__str__(self)

    @property
    def content(self) -> str:
        """The text as a plain ``str`` (the official client's streamed ``chunk.content``)."""
        return str.__str__(self)

    def __getattr__(self, name: str) -> Any:
        """Other fields of the response it was read from (``chunk.end_of_stream``), so a text
        chunk still reads like the frame model it was."""
        raw = self.__dict__.get("raw")
        if raw is not None and not name.startswith("__") and hasattr(raw, name):
            return getattr(raw, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @overload
    def __getitem__(self, key: SupportsIndex | slice) -> str: ...

    @overload
    def __getitem__(self, key: str) -> Any: ...

    def __getitem__(self, key: SupportsIndex | slice | str) -> Any:
        """Indexes and slices as a ``str``; a string key reads a field of the response by its
        wire or Python name, so code written for dict results (``answer["response"]``, the
        seed's shape) keeps working. ``"response"`` is the text when the response names it
        otherwise."""
        if not isinstance(key, str):
            return super().__getitem__(key)
        raw = self.raw
        fields: dict[str, Any] = {}
        if hasattr(raw, "model_dump"):
            fields = {**raw.model_dump(), **raw.model_dump(by_alias=True)}
        elif isinstance(raw, dict):
            fields = raw
        if key in fields:
            return fields[key]
        if key == "response":
            return str(self)
        raise KeyError(key)

    @classmethod
    def from_response(cls, response: Any, field: str) -> TextResult:
        """Read the text from attribute ``field`` of a parsed response, with its usage."""
        text = getattr(response, field, None)
        return cls(
            text or "",
            in_token=getattr(response, "in_token", None),
            out_token=getattr(response, "out_token", None),
            model=getattr(response, "model", None),
            sources=getattr(response, "sources", None),
            raw=response,
        )


class ResponseTuple(tuple[Any, ...], Generic[M]):
    """Some fields of a response, in order, as a tuple (``config, version = ...all()``, the
    official client's shape); every field of the response also reads as an attribute
    (``.config``, ``.version``), and ``.response`` is the parsed response itself."""

    response: M

    def __new__(cls, response: M, fields: Sequence[str]) -> ResponseTuple[M]:
        self = super().__new__(cls, tuple(getattr(response, name) for name in fields))
        self.response = response
        return self

    def __getattr__(self, name: str) -> Any:
        response = self.__dict__.get("response")
        if response is not None and not name.startswith("__"):
            return getattr(response, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


class RecordList(list[M]):
    """A list of (usually) one record that also reads as its first record: ``[stored] =
    result`` and ``result.name`` both work (the official client returns the record itself)."""

    def __init__(self, records: Iterable[M] = ()) -> None:
        super().__init__(records)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or not self:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self[0], name)
