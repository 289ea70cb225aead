"""Base class of every generated wire model, and the two ways of reading a response.

Models use Python names for fields and keep the wire names as aliases. Parsing is lenient by
default: unknown keys the server adds are kept (``model_extra``) and never break a call.
Strict parsing (``strict=True`` on the client) rejects wrong types and unknown keys with a
:class:`~tgclient_runtime.errors.ResponseValidationError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

import pydantic

from .errors import ResponseValidationError

__all__ = ["WireModel", "dump_request", "parse_response"]


class WireModel(pydantic.BaseModel):
    """A message of the gateway's wire protocol."""

    model_config: ClassVar[pydantic.ConfigDict] = pydantic.ConfigDict(
        populate_by_name=True,
        extra="allow",
        protected_namespaces=(),
        # Validators are built on a model's first use, not at import: importing the client
        # does not pay for the hundreds of models a program never touches.
        defer_build=True,
    )

    def __init__(self, /, *args: Any, **data: Any) -> None:
        """Fields by keyword, or by position in their declared order (as the official client's
        dataclasses take them: ``ConfigValue("prompt", "greeting", "Hello")``)."""
        if args:
            names = list(type(self).model_fields)
            if len(args) > len(names):
                raise TypeError(
                    f"{type(self).__name__}() takes at most {len(names)} positional "
                    f"arguments ({', '.join(names)}); {len(args)} were given"
                )
            for name, value in zip(names, args, strict=False):
                field = type(self).model_fields[name]
                if name in data or (field.alias and field.alias in data):
                    raise TypeError(f"{type(self).__name__}() got multiple values for {name!r}")
                data[name] = value
        super().__init__(**data)


ModelT = TypeVar("ModelT", bound=WireModel)


def _unknown_keys(value: Any, path: str) -> list[str]:
    if isinstance(value, WireModel):
        found = [f"{path}{key}" for key in sorted(value.model_extra or {})]
        for name in type(value).model_fields:
            found += _unknown_keys(getattr(value, name), f"{path}{name}.")
        return found
    if isinstance(value, list | tuple):
        return [k for i, item in enumerate(value) for k in _unknown_keys(item, f"{path}{i}.")]
    if isinstance(value, dict):
        return [k for key, item in value.items() for k in _unknown_keys(item, f"{path}{key}.")]
    return []


def parse_response(
    model: type[ModelT], data: Any, *, strict: bool = False, service: str | None = None
) -> ModelT:
    """Read a wire response into ``model``.

    Lenient mode coerces compatible types and keeps unknown keys. Strict mode validates types
    exactly and refuses keys the spec does not know, naming them.
    """
    try:
        parsed = model.model_validate(data, strict=strict)
    except pydantic.ValidationError as exc:
        raise ResponseValidationError(
            f"response does not match {model.__name__}: {exc}", body=data, service=service
        ) from exc
    if strict:
        unknown = _unknown_keys(parsed, "")
        if unknown:
            raise ResponseValidationError(
                f"response has keys {model.__name__} does not define: {', '.join(unknown)}",
                body=data,
                service=service,
            )
    return parsed


def dump_request(request: WireModel | Mapping[str, Any]) -> dict[str, Any]:
    """The wire form of a request: wire names, and no key whose value is ``None``."""
    if isinstance(request, WireModel):
        return request.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dict(request)
