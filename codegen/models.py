"""Wire models: the spec's JSON Schemas through datamodel-code-generator (pinned, as a library).

All schemas go into one JSON Schema document whose ``$defs`` are named ``<module>.<Model>``,
so the generator writes one module per service (``types/config.py``) plus ``types/common.py``.
"""

from __future__ import annotations

import copy
import json
import textwrap
from typing import Any

from datamodel_code_generator import InputFileType, LiteralType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType

from .loader import Spec
from .naming import module_name

__all__ = ["chunk_modules", "generate_models", "generate_wire_shapes"]

_BASE_CLASS = "tgclient_runtime.models.WireModel"


def _wrapped(text: str) -> str:
    """Descriptions become docstrings: wrap them to fit the generated code's line length."""
    return "\n".join(textwrap.wrap(" ".join(text.split()), width=84))


def _rewrite_refs(node: Any, owner: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "x-python-base":
                out["customBasePath"] = value
            elif key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                name = value.removeprefix("#/$defs/")
                out[key] = f"#/$defs/{owner[name]}.{name}"
            elif key.startswith("x-"):
                continue
            elif key == "description" and isinstance(value, str):
                out[key] = _wrapped(value)
            else:
                out[key] = _rewrite_refs(value, owner)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, owner) for item in node]
    return node


def _aliases(qualified: str, schema: dict[str, Any]) -> dict[str, str]:
    """``x-python-name`` renames: {"module.Model.wire-name": "python_name"}."""
    parts = [schema, *(part for part in schema.get("allOf", []) if isinstance(part, dict))]
    return {
        f"{qualified}.{wire}": prop["x-python-name"]
        for part in parts
        for wire, prop in part.get("properties", {}).items()
        if isinstance(prop, dict) and "x-python-name" in prop
    }


def _document(spec: Spec) -> tuple[dict[str, Any], dict[str, str]]:
    modules: list[tuple[str, dict[str, dict[str, Any]]]] = [("common", spec.common.models)]
    modules += [(module_name(svc.service), svc.models) for _, svc in spec.services]
    if spec.bulk is not None:
        modules.append(("bulk", spec.bulk.models))
    owner = {name: module for module, models in modules for name in models}
    defs: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    for module, models in modules:
        for name, schema in models.items():
            body = _rewrite_refs(copy.deepcopy(schema), owner)
            body.setdefault("title", name)
            defs[f"{module}.{name}"] = body
            aliases.update(_aliases(f"{module}.{name}", schema))
    return {"$defs": defs}, aliases


def generate_models(spec: Spec, header: str) -> dict[str, str]:
    """Model modules as ``{"types/<module>.py": source}``, before formatting."""
    document, aliases = _document(spec)
    result = generate(
        json.dumps(document, sort_keys=False),
        input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        base_class=_BASE_CLASS,
        snake_case_field=True,
        allow_population_by_field_name=False,
        use_standard_collections=True,
        use_union_operator=True,
        use_annotated=True,
        field_constraints=True,
        strict_nullable=True,
        use_field_description=True,
        use_schema_description=True,
        keep_model_order=True,
        disable_timestamp=True,
        enum_field_as_literal=LiteralType.All,
        aliases=aliases or None,
        custom_file_header=header,
        formatters=[],
    )
    if not isinstance(result, dict):
        raise RuntimeError("expected one module per service from datamodel-code-generator")
    files: dict[str, str] = {}
    for path, source in result.items():
        name = "/".join(path)
        if name == "__init__.py":
            continue  # a placeholder root model; the types package gets its own __init__
        files[f"types/{name}"] = source
    return files


_WIRE_DOC = {
    "__init__.py": "Wire shapes (TypedDicts with wire keys) of the bulk socket messages.\n\n"
    "Bulk imports validate plain-dict items against these, which is several times faster\n"
    "than building models; they also type dicts written by hand.",
}


def _with_behaviour(defs: dict[str, Any]) -> set[str]:
    """The streamed chunk models, Python classes rather than wire shapes: those built on the
    chunk base (``x-python-base``), and every model derived from one (``allOf``)."""
    found = {
        name
        for name, schema in defs.items()
        if str(schema.get("customBasePath", "")).startswith("tgclient._chunks_base.")
    }
    while True:
        derived = {
            name
            for name, schema in defs.items()
            for part in schema.get("allOf", [])
            if str(part.get("$ref", "")).removeprefix("#/$defs/") in found
        }
        if derived <= found:
            return found
        found |= derived


def chunk_modules(spec: Spec) -> list[str]:
    """The type modules that define streamed chunk classes (``_chunks_base`` imports them
    before dispatching on a ``chunk_type``, since type modules load lazily)."""
    document, _ = _document(spec)
    return sorted({name.split(".")[0] for name in _with_behaviour(document["$defs"])})


def generate_wire_shapes(spec: Spec, header: str) -> dict[str, str]:
    """TypedDicts for the bulk frames and the common types they use, as
    ``{"types/wire/<module>.py": source}``: bulk imports validate dict items with them."""
    if spec.bulk is None:
        return {}
    document, _ = _document(spec)
    behaviour = _with_behaviour(document["$defs"])
    defs = {
        k: {key: value for key, value in v.items() if key != "customBasePath"}
        for k, v in document["$defs"].items()
        if k.split(".")[0] in ("common", "bulk") and k not in behaviour
    }
    result = generate(
        json.dumps({"$defs": defs}, sort_keys=False),
        input_file_type=InputFileType.JsonSchema,
        output_model_type=DataModelType.TypingTypedDict,
        target_python_version=PythonVersion.PY_311,
        use_standard_collections=True,
        use_union_operator=True,
        keep_model_order=True,
        disable_timestamp=True,
        use_schema_description=True,
        custom_file_header=header,
        formatters=[],
    )
    if not isinstance(result, dict):
        raise RuntimeError("expected one module per file from datamodel-code-generator")
    files = {"types/wire/__init__.py": f'{header}\n"""{_WIRE_DOC["__init__.py"]}"""\n'}
    for path, source in result.items():
        name = "/".join(path)
        if name == "__init__.py":
            continue
        # pydantic validates TypedDicts only from typing_extensions on Python < 3.12.
        source = source.replace("from typing import", "from typing_extensions import")
        files[f"types/wire/{name}"] = source
    return files
