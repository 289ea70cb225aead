"""Read ``spec/`` into validated spec models, with errors that name the file, the path inside
it and the problem."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from .spec_schema import BulkSpec, CommonSpec, GatewaySpec, OperationSpec, ServiceSpec

__all__ = ["Spec", "SpecError", "load_spec"]

ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


class SpecError(Exception):
    """The spec is invalid. ``problems`` lists each as ``file: path: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid spec:\n" + "\n".join(f"  {p}" for p in problems))


@dataclasses.dataclass(frozen=True)
class Spec:
    """The whole spec, validated. ``files`` maps each relative file name to its raw bytes."""

    root: Path
    gateway: GatewaySpec
    common: CommonSpec
    services: list[tuple[str, ServiceSpec]]
    bulk: BulkSpec | None
    files: dict[str, bytes]


def _read_yaml(path: Path, rel: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError([f"{rel}: not valid YAML: {exc}"]) from None


def _validate(model: type[ModelT], data: Any, rel: str, problems: list[str]) -> ModelT | None:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(part) for part in err["loc"]) or "(top level)"
            problems.append(f"{rel}: {where}: {err['msg']}")
        return None


def load_spec(root: Path) -> Spec:
    """Load and check every file under ``root`` (the ``spec/`` directory)."""
    problems: list[str] = []
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*.yaml")):
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    for required in ("gateway.yaml", "common.yaml"):
        if required not in files:
            problems.append(f"{required}: missing from {root}")
    if problems:
        raise SpecError(problems)
    gateway = _validate(
        GatewaySpec, _read_yaml(root / "gateway.yaml", "gateway.yaml"), "gateway.yaml", problems
    )
    common = _validate(
        CommonSpec, _read_yaml(root / "common.yaml", "common.yaml"), "common.yaml", problems
    )
    services: list[tuple[str, ServiceSpec]] = []
    for rel in files:
        if rel.startswith("services/"):
            service = _validate(ServiceSpec, _read_yaml(root / rel, rel), rel, problems)
            if service is not None:
                services.append((rel, service))
    bulk = None
    if "bulk.yaml" in files:
        bulk = _validate(
            BulkSpec, _read_yaml(root / "bulk.yaml", "bulk.yaml"), "bulk.yaml", problems
        )
    if gateway is None or common is None or problems:
        raise SpecError(problems)
    _cross_check(gateway, common, services, problems)
    if bulk is not None:
        _check_bulk(bulk, gateway, common, services, problems)
    if problems:
        raise SpecError(problems)
    return Spec(
        root=root, gateway=gateway, common=common, services=services, bulk=bulk, files=files
    )


def _check_bulk(
    bulk: BulkSpec,
    gateway: GatewaySpec,
    common: CommonSpec,
    services: list[tuple[str, ServiceSpec]],
    problems: list[str],
) -> None:
    accessors = {a.name for a in gateway.accessors}
    taken = set(common.models) | {name for _, svc in services for name in svc.models}
    for name in bulk.models:
        if name in taken:
            problems.append(f"bulk.yaml: models.{name}: name already defined elsewhere")
    pre = bulk.preflight
    owner = {svc.service: svc for _, svc in services}.get(pre.service)
    if owner is None or pre.operation not in owner.operations:
        problems.append(
            f"bulk.yaml: preflight: {pre.service} {pre.operation} is not a spec operation"
        )
    for direction, kinds in (("imports", bulk.imports), ("exports", bulk.exports)):
        for kind, spec in kinds.items():
            where = f"bulk.yaml: {direction}.{kind}"
            if spec.frame not in bulk.models:
                problems.append(f"{where}.frame: model {spec.frame!r} is not in bulk.yaml models")
                continue
            fields = _properties(bulk.models[spec.frame])
            if spec.python.accessor not in accessors:
                problems.append(f"{where}.python.accessor: {spec.python.accessor!r} is unknown")
            if direction == "imports":
                if not spec.items or spec.items not in fields:
                    problems.append(f"{where}.items: must name a list field of {spec.frame}")
                if not spec.python.items_param:
                    problems.append(f"{where}.python.items_param: required for an import")
                for i, param in enumerate(spec.python.params):
                    if param.wire_field not in fields:
                        problems.append(
                            f"{where}.python.params.{i}: {param.wire_field!r} is not a field "
                            f"of {spec.frame}"
                        )


def _cross_check(
    gateway: GatewaySpec,
    common: CommonSpec,
    services: list[tuple[str, ServiceSpec]],
    problems: list[str],
) -> None:
    accessors = {a.name for a in gateway.accessors}
    for a in gateway.accessors:
        if a.parent is not None and (a.parent not in accessors or not a.factory):
            problems.append(
                f"gateway.yaml: accessors.{a.name}: parent {a.parent!r} must be an accessor "
                "and 'factory' must be set"
            )
    owners: dict[str, str] = {name: "common.yaml" for name in common.models}
    all_models = set(common.models) | {n for _, svc in services for n in svc.models}
    for alias, members in gateway.aliases.items():
        missing = sorted(set(members) - all_models)
        if missing or not members:
            problems.append(f"gateway.yaml: aliases.{alias}: unknown models {missing}")
    seen_services: dict[str, str] = {}
    methods: dict[tuple[str, str], str] = {}
    for rel, svc in services:
        expected = f"services/{svc.service}.yaml"
        if rel != expected:
            problems.append(f"{rel}: service: {svc.service!r} must live in {expected}")
        if svc.service in seen_services:
            problems.append(
                f"{rel}: service: {svc.service!r} already in {seen_services[svc.service]}"
            )
        seen_services[svc.service] = rel
        if svc.surface not in gateway.surfaces:
            problems.append(f"{rel}: surface: {svc.surface!r} is not a surface in gateway.yaml")
        for name in svc.models:
            if name in owners:
                problems.append(f"{rel}: models.{name}: name already defined in {owners[name]}")
            owners[name] = rel
        for op_name, op in svc.operations.items():
            where = f"{rel}: operations.{op_name}"
            _check_operation(where, svc, op, accessors, problems)
            key = (op.python.accessor, op.python.method)
            if key in methods:
                problems.append(
                    f"{where}.python.method: {op.python.accessor}.{op.python.method} is already "
                    f"generated by {methods[key]}"
                )
            methods[key] = where


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    props = schema.get("properties", {})
    return props if isinstance(props, dict) else {}


def _check_operation(
    where: str, svc: ServiceSpec, op: OperationSpec, accessors: set[str], problems: list[str]
) -> None:
    if op.http is not None or svc.surface == "http":
        _check_http_operation(where, svc, op, accessors, problems)
        return
    for role in ("request", "response"):
        name = getattr(op, role)
        if name not in svc.models:
            problems.append(f"{where}.{role}: model {name!r} is not defined in this file's models")
            return
    assert op.request is not None and op.response is not None
    request_fields = _properties(svc.models[op.request])
    response_fields = _properties(svc.models[op.response])
    if op.python.accessor not in accessors:
        problems.append(
            f"{where}.python.accessor: {op.python.accessor!r} is not an accessor in gateway.yaml"
        )
    special = {op.target_param, op.body_param} - {None}
    for name in sorted(n for n in special if n is not None):
        if name not in {p.name for p in op.python.params}:
            problems.append(f"{where}: {name!r} (target_param/body_param) is not a parameter")
    for i, param in enumerate(op.python.params):
        if param.name in special:
            continue
        if param.wire_field not in request_fields:
            problems.append(
                f"{where}.python.params.{i}: field {param.wire_field!r} is not a property of "
                f"{op.request} (known: {', '.join(sorted(request_fields))})"
            )
    result = op.python.result
    if result.field is not None and result.field not in response_fields:
        problems.append(
            f"{where}.python.result.field: {result.field!r} is not a property of {op.response}"
        )
    for name in op.failure_unless:
        if name not in response_fields:
            problems.append(f"{where}.failure_unless: {name!r} is not a property of {op.response}")
    end = op.streaming.end
    if op.streaming.mode != "never" and end != "complete" and end not in response_fields:
        problems.append(
            f"{where}.streaming.end: {op.streaming.end!r} is not a property of {op.response}"
        )
    chunk = op.streaming.chunk
    chunk_models = [chunk] if isinstance(chunk, str) else []
    if chunk is not None and not isinstance(chunk, str):
        chunk_models = [*chunk.map.values(), chunk.default]
    for model in chunk_models:
        if model not in svc.models:
            problems.append(f"{where}.streaming.chunk: model {model!r} is not defined in this file")
    param_names = {p.name for p in op.python.params}
    for i, example in enumerate(op.examples):
        unknown = sorted(set(example.call) - param_names)
        if unknown:
            problems.append(
                f"{where}.examples.{i}.call: {', '.join(unknown)} not parameters of "
                f"{op.python.method}"
            )


def _check_http_operation(
    where: str, svc: ServiceSpec, op: OperationSpec, accessors: set[str], problems: list[str]
) -> None:
    if op.http is None or svc.surface != "http":
        problems.append(f"{where}.http: plain routes need 'http' and the service surface 'http'")
        return
    if op.python.accessor not in accessors:
        problems.append(f"{where}.python.accessor: {op.python.accessor!r} is not an accessor")
    placeholders = set(re.findall(r"{(\w+)}", op.http.path))
    in_path = {p.name for p in op.python.params if p.location == "path"}
    if placeholders != in_path:
        problems.append(
            f"{where}.http.path: placeholders {sorted(placeholders)} must be exactly the "
            f"location: path parameters {sorted(in_path)}"
        )
    for i, param in enumerate(op.python.params):
        if param.location == "body" or not param.annotation:
            problems.append(
                f"{where}.python.params.{i}: http parameters need a location other than body "
                "and an annotation"
            )
    for i, example in enumerate(op.examples):
        if example.path is None or example.body is None:
            problems.append(f"{where}.examples.{i}: http examples need 'path' and 'body'")
