"""Helpers generated methods use to build requests and read single fields of responses."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic

from .errors import RequestValidationError, ServiceError
from .models import WireModel
from .operation import Operation
from .results import TextResult

__all__ = [
    "base64_text",
    "build_request",
    "check_answered",
    "check_count",
    "decode_base64_field",
    "decode_json_field",
    "json_text",
    "query_params",
    "request_body",
    "text_or_json",
]

ModelT = TypeVar("ModelT", bound=WireModel)


def request_body(model: type[WireModel], op: Operation, /, **fields: Any) -> dict[str, Any]:
    """The wire body of a call: its arguments validated against the request model, with the
    operation's wire ``operation``; an argument that is ``None`` is left out.

    Raises:
        RequestValidationError: an argument has the wrong shape. Nothing is sent.
    """
    if op.wire_operation is not None:
        fields["operation"] = op.wire_operation
    return build_request(model, **fields).model_dump(mode="json", by_alias=True, exclude_none=True)


def build_request(model: type[ModelT], /, **fields: Any) -> ModelT:
    """Validate the arguments of a call into its request model; ``None`` means "leave out",
    and so does ``...`` (the seed spec's placeholder: ``flow.triples_query(...)`` matches any
    triple).

    Raises:
        RequestValidationError: an argument has the wrong shape. Nothing is sent.
    """
    given = {
        name: value for name, value in fields.items() if value is not None and value is not ...
    }
    try:
        return model.model_validate(given)
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(request)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise RequestValidationError(
            f"invalid arguments for {model.__name__}: {problems}"
        ) from None


def json_text(value: Any, *, argument: str) -> str:
    """Encode an argument that the wire carries as JSON text."""
    try:
        return json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise RequestValidationError(
            f"{argument} must be JSON-serialisable (dicts, lists, str, numbers, bool, None): {exc}"
        ) from None


def base64_text(value: bytes | bytearray | memoryview, *, argument: str) -> str:
    """Encode binary content that the wire carries as base64 text."""
    if not isinstance(value, bytes | bytearray | memoryview):
        raise RequestValidationError(
            f"{argument} must be bytes (the client base64-encodes it), got {type(value).__name__}"
        )
    return base64.b64encode(value).decode("ascii")


def decode_base64_field(text: str | None, op: Operation, field: str) -> bytes:
    """Decode a response field that holds base64 text; a missing field is a failure."""
    if text is None:
        raise ServiceError(f"{op.service} {op.name} returned no {field!r}", service=op.service)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ServiceError(
            f"{op.service} {op.name} returned {field!r} that is not base64: {exc}",
            service=op.service,
        ) from None


def decode_json_field(text: str | None, op: Operation, field: str) -> Any:
    """Decode a response field that holds JSON text.

    An empty field means the request failed on a service whose errors the gateway drops
    (for example an unknown blueprint), so it raises instead of returning nothing.
    """
    if not text:
        raise ServiceError(
            f"{op.service} {op.name} returned an empty {field!r}: the request failed, most "
            "likely because the item does not exist (the gateway drops this service's error "
            "messages)",
            service=op.service,
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ServiceError(
            f"{op.service} {op.name} returned {field!r} that is not JSON: {exc}",
            body=text,
            service=op.service,
        ) from None


def check_answered(raw: dict[str, Any], fields: list[str], op: Operation) -> None:
    """Raise if none of ``fields`` carries a value: the failure signature of a service whose
    error messages the gateway drops (e.g. a completion whose ``response`` is null)."""
    if all(raw.get(name) is None for name in fields):
        raise ServiceError(
            f"{op.service} {op.name} failed: the answer has no {' or '.join(map(repr, fields))} "
            "(the gateway drops this service's error messages, so the reason is unknown)",
            body=raw,
            service=op.service,
        )


def text_or_json(response: Any, text_attr: str, json_attr: str, op: Operation) -> Any:
    """A text answer as TextResult or, when it has no text, its JSON field decoded (prompt
    templates answer text or a JSON object)."""
    encoded = getattr(response, json_attr, None)
    if getattr(response, text_attr, None) is None and encoded:
        return decode_json_field(encoded, op, json_attr)
    return TextResult.from_response(response, text_attr)


def check_count(items: list[Any], expected: int, op: Operation) -> list[Any]:
    """``items``, which must hold one entry per input: a dropped-error service that failed
    answers an empty list instead (the gateway loses its error message)."""
    if len(items) != expected:
        raise ServiceError(
            f"{op.service} {op.name} failed: {len(items)} results for {expected} inputs "
            "(the gateway drops this service's error messages, so the reason is unknown)",
            service=op.service,
        )
    return items


def query_params(*parts: Mapping[str, Any] | None) -> dict[str, str]:
    """Query parameters of a plain route, merged from mappings; ``None`` values are left out."""
    merged: dict[str, str] = {}
    for part in parts:
        for key, value in (part or {}).items():
            if value is not None:
                merged[str(key)] = str(value).lower() if isinstance(value, bool) else str(value)
    return merged
