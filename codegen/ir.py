"""The intermediate representation: everything templates need, precomputed and ordered.

Templates only print what is here: names, type strings, imports and docs are decided in this
module so that the Jinja templates stay free of logic.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Iterable
from typing import Any

from .loader import Spec
from .naming import constant_name, module_name, pascal_name, python_name
from .spec_schema import Accessor, ChunkUnion, OperationSpec, Param, PythonMethod, ServiceSpec

__all__ = ["AccessorIR", "ApiIR", "MethodIR", "OperationIR", "ParamIR", "build_ir"]

# Builtins that a generated method name may shadow inside its class body.
_SHADOWABLE = ("list", "dict", "type", "all", "id")


@dataclasses.dataclass(frozen=True)
class ParamIR:
    name: str
    annotation: str
    default: str | None  # None: required, no default
    doc_lines: list[str]
    field_python: str  # request model field (python name)
    field_wire: str
    required: bool = True
    encode: str | None = None  # "json" | "base64": how the value is put in its wire string
    location: str = "body"
    required_alone: bool = False  # required, but optional in Python (an alias may stand in)
    send: bool = True  # False: accepted and ignored (a deprecated positional argument)
    alias_of: str | None = None  # a keyword-only alias: the parameter it stands for
    deprecated: bool = False  # accepted, ignored, with a warning

    @property
    def doc(self) -> str:
        """The doc as one line."""
        return " ".join(line for line in self.doc_lines if line)


@dataclasses.dataclass(frozen=True)
class OperationIR:
    constant: str
    service: str
    name: str
    surface: str
    rest_path: str
    wire_operation: str | None
    streams: str
    end_field: str | None
    errors: str
    unsupported: str | None
    via_socket: bool
    workspace_in_body: bool
    idempotent: bool


@dataclasses.dataclass(frozen=True)
class ChunkUnionIR:
    """A typed alias of the models one stream's frames parse into, and its parser."""

    alias: str
    members: list[str]
    doc: str
    parser: str
    discriminator: str
    cases: list[tuple[str, str]]
    default: str
    operation: str
    models: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)  # to import


@dataclasses.dataclass(frozen=True)
class BulkMethodIR:
    """One bulk import or export method."""

    name: str
    direction: str  # "import" | "export"
    kind: str
    interface: str
    doc_lines: list[str]
    operation: OperationIR
    frame_model: str
    item_model: str | None
    item_module: str | None
    items_field: str | None
    items_param: str | None
    params: list[ParamIR]
    items_aliases: list[str] = dataclasses.field(default_factory=list)
    method_aliases: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    models: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)  # body's


@dataclasses.dataclass(frozen=True)
class PreflightIR:
    constant: str
    request_model: str
    wire_operation: str | None
    flow_field: str
    record_field: str
    models: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)  # body's


@dataclasses.dataclass(frozen=True)
class ChunkOptInIR:
    """Frames whose ``discriminator`` is one of ``values`` are skipped unless ``param``."""

    param: str
    discriminator: str
    values: list[str]


@dataclasses.dataclass(frozen=True)
class ExplainMethodIR:
    """The official ``<method>_explain``: ``params`` in its order, ``fixed`` (name, Python
    literal) always passed."""

    name: str
    params: list[ParamIR]
    fixed: list[tuple[str, str]]


@dataclasses.dataclass(frozen=True)
class MethodIR:
    name: str
    doc_lines: list[str]
    params: list[ParamIR]
    operation: OperationIR
    request_model: str
    response_model: str
    returns: str
    result_kind: str
    result_attr: str | None
    result_wire: str | None
    result_default_empty: bool
    failure_unless: list[str]
    streams: str
    chunk_type: str  # what a streamed frame becomes (annotation)
    chunk_model: str  # the model (or union alias) a streamed frame is parsed as
    chunk_parser: str | None  # the union's parser function; None: parse as chunk_model
    target_param: str | None
    body_param: str | None
    http_method: str | None = None
    http_response: str | None = None
    http_workspace: bool = False
    kwonly: list[ParamIR] = dataclasses.field(default_factory=list)  # after "*": aliases ...
    prelude: list[str] = dataclasses.field(default_factory=list)  # first lines; "{aw}" = await
    positional: int | None = None  # leading params passable by position; None: all
    chunk_text_attr: str | None = None  # stream chunks as TextResult of this field
    chunk_opt_in: ChunkOptInIR | None = None  # frames skipped unless a keyword asks for them
    result_json_attr: str | None = None  # text results: JSON field when the text is absent
    result_count_of: str | None = None  # field results: the argument whose length must match
    aliases: list[str] = dataclasses.field(default_factory=list)  # other names of the method
    # (types module, names) the body uses at run time, imported on the first call: a module
    # pays for the models of the services it uses, not for every model it can annotate.
    models: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)
    result_fields: list[str] = dataclasses.field(default_factory=list)  # tuple results: attrs
    result_record: bool = False  # field results: the list also reads as its first record
    official: str | None = None  # the _compat adapter of the official call shape
    explain: ExplainMethodIR | None = None  # the official <method>_explain variant


@dataclasses.dataclass(frozen=True)
class AccessorIR:
    name: str
    class_name: str
    module: str
    doc: str
    scope_param: str | None
    children: list[AccessorIR]
    factory: str | None
    factory_arg: str | None
    scope_default: str | None
    methods: list[MethodIR]
    chunk_unions: list[ChunkUnionIR]
    bulk_methods: list[BulkMethodIR]
    wire_modules: list[str]
    preflight: PreflightIR | None
    exports: list[str]
    type_imports: list[tuple[str, list[str]]]  # (types module, names) annotations use
    # every model the accessor's module uses, each loaded on first access as its attribute
    model_attributes: list[tuple[str, str]]  # (name, types module)
    needs_any: bool
    needs_sequence: bool
    needs_mapping: bool
    needs_builtins: bool


@dataclasses.dataclass(frozen=True)
class ApiIR:
    gateway_version: str
    default_url: str
    operations: list[OperationIR]
    accessors: list[AccessorIR]  # every accessor, in spec order
    top_level: list[AccessorIR]
    type_modules: list[str]
    root_type_exports: list[tuple[str, list[str]]]  # chunk models re-exported from tgclient
    aliases: list[tuple[str, list[str]]]  # public unions: name -> member models


class _Types:
    """Maps JSON Schema to Python annotations, recording what must be imported."""

    def __init__(self, local_models: dict[str, str], shadowed: set[str]) -> None:
        self.local_models = local_models  # model name -> types module
        self.shadowed = shadowed
        self.imports: dict[str, set[str]] = {}
        self.any = self.sequence = self.mapping = self.builtins = False

    def _builtin(self, name: str) -> str:
        if name in self.shadowed:
            self.builtins = True
            return f"builtins.{name}"
        return name

    def annotation(self, schema: dict[str, Any], *, accept: bool) -> str:
        """The Python type of a schema; ``accept`` gives the wider type a parameter accepts."""
        if "$ref" in schema:
            name = str(schema["$ref"]).rsplit("/", 1)[-1]
            self.imports.setdefault(self.local_models[name], set()).add(name)
            if accept:
                self.mapping = self.any = True
                return f"{name} | Mapping[str, Any]"
            return name
        kind = schema.get("type")
        if isinstance(kind, list):
            inner = [k for k in kind if k != "null"]
            base = self.annotation({**schema, "type": inner[0]}, accept=accept) if inner else "None"
            return f"{base} | None" if "null" in kind else base
        if kind == "array":
            item = self.annotation(schema.get("items", {}), accept=accept)
            if accept:
                self.sequence = True
                return f"Sequence[{item}]"
            return f"{self._builtin('list')}[{item}]"
        if kind == "object":
            extra = schema.get("additionalProperties")
            value = self.annotation(extra, accept=accept) if isinstance(extra, dict) else "Any"
            if value == "Any":
                self.any = True
            if accept:
                self.mapping = True
                return f"Mapping[str, {value}]"
            return f"{self._builtin('dict')}[str, {value}]"
        simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
        if kind in simple:
            return simple[kind]
        self.any = True
        return "Any"


def _doc_lines(text: str, width: int = 88) -> list[str]:
    """Paragraphs of a doc string re-wrapped to fit generated code's line length."""
    lines: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        if lines:
            lines.append("")
        lines += textwrap.wrap(" ".join(paragraph.split()), width=width)
    return lines


def _operation_ir(spec: Spec, svc: ServiceSpec, op_name: str, op: OperationSpec) -> OperationIR:
    surface = spec.gateway.surfaces[svc.surface]
    path = op.http.path if op.http else surface.rest.path if surface.rest else ""
    path = path.replace("{service}", svc.service).replace("{operation}", op_name)
    return OperationIR(
        constant=constant_name(svc.service, op_name),
        service=svc.service,
        name=op_name,
        surface=svc.surface,
        rest_path=path,
        wire_operation=op.wire_operation,
        streams=op.streaming.mode,
        end_field=None if op.streaming.end == "complete" else op.streaming.end,
        errors=svc.errors,
        unsupported=" ".join(op.unsupported.split()) if op.unsupported else None,
        via_socket=surface.websocket,
        workspace_in_body=surface.workspace_in_body,
        idempotent=op.idempotent,
    )


def _param_ir(param: Param, schema: dict[str, Any], types: _Types) -> ParamIR:
    field_python = python_name(param.wire_field)
    if param.encode is not None:
        if param.encode == "json":
            types.any = True
        annotation = "Any" if param.encode == "json" else "bytes"
    else:
        annotation = types.annotation(schema, accept=True)
    default: str | None = None
    if not param.required:
        if param.default is None:
            annotation = f"{annotation} | None"
            default = "None"
        else:
            default = repr(param.default)
    return ParamIR(
        name=param.name,
        annotation=annotation,
        default=default,
        doc_lines=_doc_lines(param.doc, width=_arg_doc_width(param.name)),
        field_python=field_python,
        field_wire=param.wire_field,
        required=param.required,
        encode=param.encode,
        location=param.location,
    )


def _arg_doc_width(name: str) -> int:
    """Docstring width for an argument's doc after ``            name: `` (100 columns)."""
    return min(72, 100 - 12 - len(name) - 2)


def _kwonly(
    name: str,
    annotation: str,
    default: str,
    doc: str,
    *,
    alias_of: str | None = None,
    deprecated: bool = False,
) -> ParamIR:
    return ParamIR(
        name=name,
        annotation=annotation,
        default=default,
        doc_lines=_doc_lines(doc, width=_arg_doc_width(name)),
        field_python=name,
        field_wire=name,
        required=False,
        alias_of=alias_of,
        deprecated=deprecated,
    )


def _optional(param: ParamIR) -> ParamIR:
    """A required argument made optional (it may come under another keyword instead)."""
    if param.default is not None:
        return param
    return dataclasses.replace(
        param, annotation=f"{param.annotation} | None", default="None", required_alone=True
    )


def _compat_ir(
    py: PythonMethod, params: list[ParamIR]
) -> tuple[list[ParamIR], list[ParamIR], list[str]]:
    """Aliases, deprecated keywords and composed arguments: the parameters (some made
    optional), the keyword-only extras and the lines that reconcile them, in that order."""
    by_name = {p.name: p for p in params}
    kwonly: list[ParamIR] = []
    prelude: list[str] = []
    method = py.method
    for spec_param in py.params:
        if not spec_param.aliases:
            continue
        param = by_name[spec_param.name]
        by_name[param.name] = _optional(param)
        for alias in spec_param.aliases:
            kwonly.append(
                _kwonly(
                    alias,
                    f"{param.annotation.removesuffix(' | None')} | None",
                    "None",
                    f"Another name for `{param.name}`.",
                    alias_of=param.name,
                )
            )
            default = "" if param.default in (None, "None") else f", {param.default}"
            prelude.append(
                f'{param.name} = pick_alias("{method}", "{param.name}", {param.name}, '
                f'"{alias}", {alias}{default})'
            )
        if spec_param.required:
            others = ", ".join(f'"{a}"' for a in spec_param.aliases)
            prelude.append(
                f'{param.name} = require_argument("{method}", "{param.name}", '
                f"{param.name}, {others})"
            )
    if py.compose is not None:
        c = py.compose
        into = by_name[c.into]
        base = into.annotation.removesuffix(" | None")
        by_name[c.into] = dataclasses.replace(
            into,
            annotation=f"{base} | str | None",
            default=into.default or "None",
            required_alone=into.default is None,
        )
        kwonly.append(_kwonly(c.param, "str | None", "None", c.doc))
        prelude += [
            f"if isinstance({c.into}, str) and {c.param} is None:",
            f"    {c.param}, {c.into} = {c.into}, None",
            f"if {c.param} is not None:",
            f"    {c.into} = first_vector("
            f'{{aw}}self.{c.via}([{c.param}], timeout=timeout), "{method}")',
            f'{c.into} = require_argument("{method}", "{c.into}", {c.into}, "{c.param}")',
        ]
    ordered = [by_name[p.name] for p in params]
    for dep in py.deprecated:
        param = _kwonly(
            dep.name, "Any", "None", f"Deprecated and ignored: {dep.reason}", deprecated=True
        )
        if dep.positional:
            at = len(ordered) if py.positional is None else py.positional
            ordered.insert(at, dataclasses.replace(param, send=False))
        else:
            kwonly.append(param)
        prelude.append(f'warn_deprecated("{method}", "{dep.name}", {dep.name}, {dep.reason!r})')
    return ordered, kwonly, prelude


def _positional(py: PythonMethod) -> int | None:
    """How many leading params are positional, counting deprecated ones taken by position."""
    extra = sum(dep.positional for dep in py.deprecated)
    if extra and py.positional is None:
        raise ValueError(
            f"{py.method}: a positional deprecated param needs python.positional (where it goes)"
        )
    return None if py.positional is None else py.positional + extra


def _model_imports(local_models: dict[str, str], names: list[str]) -> list[tuple[str, list[str]]]:
    """``names`` grouped by the types module defining them, sorted."""
    by_module: dict[str, set[str]] = {}
    for name in names:
        by_module.setdefault(local_models[name], set()).add(name)
    return sorted((module, sorted(group)) for module, group in by_module.items())


def _model_attributes(
    groups: Iterable[Iterable[tuple[str, Iterable[str]]]],
) -> list[tuple[str, str]]:
    """(name, module) of every model named in ``groups`` of (module, names), by name."""
    return sorted({(name, module) for group in groups for module, names in group for name in names})


def _chunk_ir(
    svc: ServiceSpec, op_name: str, op: OperationSpec, types: _Types, unions: list[ChunkUnionIR]
) -> tuple[str, str | None]:
    """The chunk type annotation and, for a union, the name of its parser."""
    constant = constant_name(svc.service, op_name)
    chunk = op.streaming.chunk
    if not isinstance(chunk, ChunkUnion):
        model = chunk or op.response
        assert model is not None
        if not op.streaming.text:  # a text stream's chunks are TextResult
            types.imports.setdefault(types.local_models[model], set()).add(model)
        return model, None
    members: list[str] = []
    for model in [*chunk.map.values(), chunk.default]:
        if model not in members:
            members.append(model)
        types.imports.setdefault(types.local_models[model], set()).add(model)
    alias = f"{pascal_name(svc.service)}Chunk"
    if alias in types.local_models:  # a model already has the natural name
        alias = f"{pascal_name(svc.service)}Frame"
    if any(u.alias == alias for u in unions):
        alias = f"{pascal_name(svc.service)}{pascal_name(op_name)}Chunk"
    parser = f"_parse_{python_name(alias)}"
    unions.append(
        ChunkUnionIR(
            alias=alias,
            members=members,
            doc=f"A streamed frame of {svc.service}"
            f"{'' if op_name == svc.service else ' ' + op_name}, typed by its "
            f"{chunk.discriminator!r}.",
            parser=parser,
            discriminator=chunk.discriminator,
            cases=list(chunk.map.items()),
            default=chunk.default,
            operation=constant,
            models=_model_imports(types.local_models, members),
        )
    )
    return alias, parser


def _param_schema(op: OperationSpec, param: Param, properties: dict[str, Any]) -> dict[str, Any]:
    if param.name == op.target_param:
        return {"type": "string"}
    if param.name == op.body_param:
        return {"type": "object"}
    schema: dict[str, Any] = properties[param.wire_field]
    return schema


def _http_method_ir(spec: Spec, svc: ServiceSpec, op_name: str, op: OperationSpec) -> MethodIR:
    assert op.http is not None
    operation = dataclasses.replace(_operation_ir(spec, svc, op_name, op), rest_path=op.http.path)
    params = []
    for p in op.python.params:
        annotation = p.annotation or "str"
        default = None
        if not p.required:
            default = repr(p.default) if p.default is not None else "None"
            if p.default is None:
                annotation = f"{annotation} | None"
        params.append(
            ParamIR(
                name=p.name,
                annotation=annotation,
                default=default,
                doc_lines=_doc_lines(p.doc, width=_arg_doc_width(p.name)),
                field_python=python_name(p.wire_field),
                field_wire=p.wire_field,
                required=p.required,
                location=p.location,
            )
        )
    returns = {"json": "Any", "text": "str", "bytes": "bytes"}[op.http.response]
    return MethodIR(
        name=op.python.method,
        doc_lines=_doc_lines(op.python.doc),
        params=params,
        operation=operation,
        request_model="",
        response_model="",
        returns=returns,
        result_kind="http",
        result_attr=None,
        result_wire=None,
        result_default_empty=False,
        failure_unless=[],
        streams="never",
        chunk_type="",
        chunk_model="",
        chunk_parser=None,
        target_param=None,
        body_param=None,
        http_method=op.http.method,
        http_response=op.http.response,
        http_workspace=op.http.workspace_query,
    )


def _method_ir(
    spec: Spec,
    svc: ServiceSpec,
    op_name: str,
    op: OperationSpec,
    types: _Types,
    unions: list[ChunkUnionIR],
) -> MethodIR:
    if op.http is not None:
        types.any = True
        types.mapping |= any("Mapping[" in (p.annotation or "") for p in op.python.params)
        return _http_method_ir(spec, svc, op_name, op)
    assert op.request is not None and op.response is not None
    request_schema = svc.models[op.request]
    response_schema = svc.models[op.response]
    properties = request_schema.get("properties", {})
    params = [_param_ir(p, _param_schema(op, p, properties), types) for p in op.python.params]
    params, kwonly, prelude = _compat_ir(op.python, params)
    types.mapping = types.any = True  # extra_body: Mapping[str, Any]
    if kwonly:
        types.any = True
    result = op.python.result
    attr = python_name(result.field) if result.field else None
    default_empty = False
    if result.kind in ("model", "tuple"):  # the response model is in the annotation
        types.imports.setdefault(types.local_models[op.response], set()).add(op.response)
    if result.kind == "model":
        returns = op.response
    elif result.kind == "none":
        returns = "None"
    elif result.kind == "text":
        returns = "TextResult"
    elif result.kind == "json":
        types.any = True
        returns = "Any"
    elif result.kind == "base64":
        returns = "bytes"
    elif result.kind == "raw":
        types.any = True
        returns = f"{types._builtin('dict')}[str, Any]"
    elif result.kind == "tuple":
        returns = f"ResponseTuple[{op.response}]"
    else:
        assert result.field is not None
        field_schema = response_schema["properties"][result.field]
        returns = types.annotation(field_schema, accept=False)
        always = "default" in field_schema or result.field in response_schema.get("required", [])
        if not always and field_schema.get("type") == "array":
            default_empty = True
        elif not always:
            returns = f"{returns} | None"
        if result.record:
            item = returns.removeprefix(f"{types._builtin('list')}[").removesuffix("]")
            returns = f"RecordList[{item}]"
    if result.or_json:
        returns = "TextResult | Any"
        types.any = True
    chunk_type, chunk_model, chunk_parser = "", "", None
    text_attr = None
    chunk_opt_in = None
    if op.streaming.mode != "never":
        chunk_model, chunk_parser = _chunk_ir(svc, op_name, op, types, unions)
        chunk_type = chunk_model
        if op.streaming.text:
            chunk_type = "TextResult"
            text_attr = python_name(op.streaming.text)
        opt_in = op.streaming.opt_in
        if opt_in is not None:
            chunk = op.streaming.chunk
            assert isinstance(chunk, ChunkUnion)
            kwonly.append(_kwonly(opt_in.param, "bool", "False", opt_in.doc))
            chunk_opt_in = ChunkOptInIR(opt_in.param, chunk.discriminator, list(opt_in.values))
    used = [] if op.body_param else [op.request]
    if op.streaming.mode != "always" and result.kind not in ("none", "raw"):
        used.append(op.response)
    if chunk_model and chunk_parser is None:
        used.append(chunk_model)
    return MethodIR(
        name=op.python.method,
        doc_lines=_doc_lines(op.python.doc),
        params=params,
        operation=_operation_ir(spec, svc, op_name, op),
        request_model=op.request,
        response_model=op.response,
        returns=returns,
        result_kind=result.kind,
        result_attr=attr,
        result_wire=result.field,
        result_default_empty=default_empty,
        failure_unless=list(op.failure_unless),
        streams=op.streaming.mode,
        chunk_type=chunk_type,
        chunk_model=chunk_model,
        chunk_parser=chunk_parser,
        chunk_text_attr=text_attr,
        chunk_opt_in=chunk_opt_in,
        target_param=op.target_param,
        body_param=op.body_param,
        kwonly=kwonly,
        prelude=prelude,
        positional=_positional(op.python),
        result_json_attr=python_name(result.or_json) if result.or_json else None,
        result_count_of=result.count_of,
        aliases=list(op.python.aliases),
        models=_model_imports(types.local_models, used),
        result_fields=[python_name(f) for f in result.fields],
        result_record=result.record,
        official=op.python.official,
        explain=_explain_ir(svc, op.python, [*params, *kwonly]),
    )


def _explain_ir(
    svc: ServiceSpec, python: PythonMethod, params: list[ParamIR]
) -> ExplainMethodIR | None:
    explain = python.explain_method
    if explain is None:
        return None
    by_name = {p.name: p for p in params}
    unknown = [name for name in explain.params if name not in by_name]
    if unknown:
        raise ValueError(
            f"services/{svc.service}.yaml: python.explain_method.params {unknown} are not "
            f"parameters of {python.method}"
        )
    return ExplainMethodIR(
        name=explain.name,
        params=[by_name[name] for name in explain.params],
        fixed=[(name, repr(value)) for name, value in sorted(explain.fixed.items())],
    )


def _bulk_operation(direction: str, kind: str) -> OperationIR:
    return OperationIR(
        constant=constant_name("bulk", direction, kind),
        service=kind,
        name=direction,
        surface=f"bulk-{direction}",
        rest_path="",
        wire_operation=None,
        streams="always" if direction == "export" else "never",
        end_field=None,
        errors="dropped",
        unsupported=None,
        via_socket=False,
        workspace_in_body=False,
        idempotent=False,
    )


def _bulk_methods(spec: Spec, accessor: str, types: _Types) -> list[BulkMethodIR]:
    if spec.bulk is None:
        return []
    methods: list[BulkMethodIR] = []
    directions = (("import", spec.bulk.imports), ("export", spec.bulk.exports))
    for direction, kinds in directions:
        for kind, bulk in kinds.items():
            if bulk.python.accessor != accessor:
                continue
            frame_schema = spec.bulk.models[bulk.frame]
            if direction == "export":
                types.imports.setdefault("bulk", set()).add(bulk.frame)
            item_model = item_module = None
            if bulk.items:
                ref = frame_schema["properties"][bulk.items]["items"]["$ref"]
                item_model = str(ref).rsplit("/", 1)[-1]
                item_module = types.local_models[item_model]
                types.imports.setdefault(types.local_models[item_model], set()).add(item_model)
                types.imports.setdefault("common", set()).add("Metadata")
                types.mapping = types.any = True
            props = frame_schema["properties"]
            # an import builds items and metadata; an export parses frames
            body_models = [bulk.frame]
            if direction == "import" and item_model is not None:
                body_models = [item_model, "Metadata"]
            methods.append(
                BulkMethodIR(
                    name=bulk.python.method,
                    direction=direction,
                    kind=kind,
                    interface=bulk.interface,
                    doc_lines=_doc_lines(bulk.python.doc),
                    operation=_bulk_operation(direction, kind),
                    frame_model=bulk.frame,
                    item_model=item_model,
                    item_module=item_module,
                    items_field=bulk.items,
                    items_param=bulk.python.items_param,
                    params=[_param_ir(p, props[p.wire_field], types) for p in bulk.python.params],
                    items_aliases=list(bulk.python.items_aliases),
                    method_aliases=[(a.method, a.items_param) for a in bulk.python.method_aliases],
                    models=_model_imports(types.local_models, body_models),
                )
            )
    return methods


def _preflight_ir(spec: Spec, types: _Types) -> PreflightIR | None:
    if spec.bulk is None:
        return None
    pre = spec.bulk.preflight
    svc = next(s for _, s in spec.services if s.service == pre.service)
    op = svc.operations[pre.operation]
    assert op.request is not None
    return PreflightIR(
        constant=constant_name(pre.service, pre.operation),
        request_model=op.request,
        wire_operation=op.wire_operation,
        flow_field=python_name(pre.flow_param),
        record_field=pre.record,
        models=_model_imports(types.local_models, [op.request]),
    )


def build_ir(spec: Spec) -> ApiIR:
    """Turn the validated spec into the IR the templates render."""
    local_models = {name: "common" for name in spec.common.models}
    if spec.bulk is not None:
        local_models.update({name: "bulk" for name in spec.bulk.models})
    for _, svc in spec.services:
        for name in svc.models:
            local_models[name] = module_name(svc.service)
    ops_by_accessor: dict[str, list[tuple[ServiceSpec, str, OperationSpec]]] = {}
    operations: list[OperationIR] = []
    for _, svc in spec.services:
        for op_name, op in svc.operations.items():
            ops_by_accessor.setdefault(op.python.accessor, []).append((svc, op_name, op))
            operations.append(_operation_ir(spec, svc, op_name, op))
    if spec.bulk is not None:
        for direction, kinds in (("import", spec.bulk.imports), ("export", spec.bulk.exports)):
            operations += [_bulk_operation(direction, kind) for kind in kinds]

    built: dict[str, AccessorIR] = {}

    def build(accessor: Accessor) -> AccessorIR:
        children = [
            build(child) for child in spec.gateway.accessors if child.parent == accessor.name
        ]
        entries = ops_by_accessor.get(accessor.name, [])
        shadowed = {e[2].python.method for e in entries} & set(_SHADOWABLE)
        shadowed |= {c.factory for c in children if c.factory} & set(_SHADOWABLE)
        types = _Types(local_models, shadowed)
        unions: list[ChunkUnionIR] = []
        methods = [_method_ir(spec, svc, name, op, types, unions) for svc, name, op in entries]
        bulk_methods = _bulk_methods(spec, accessor.name, types)
        preflight = _preflight_ir(spec, types) if bulk_methods else None
        ir = AccessorIR(
            name=accessor.name,
            class_name=accessor.class_name,
            module=accessor.name,
            doc=" ".join(accessor.doc.split()),
            scope_param=accessor.scope_param,
            children=children,
            factory=accessor.factory,
            factory_arg=accessor.factory_arg or accessor.scope_param,
            scope_default=accessor.scope_default,
            methods=methods,
            chunk_unions=unions,
            bulk_methods=bulk_methods,
            wire_modules=sorted({b.item_module for b in bulk_methods if b.item_module}),
            preflight=preflight,
            exports=sorted(
                [accessor.class_name, f"Async{accessor.class_name}", *(u.alias for u in unions)]
            ),
            type_imports=sorted((mod, sorted(names)) for mod, names in types.imports.items()),
            model_attributes=_model_attributes(
                [types.imports.items()]
                + [m.models for m in methods]
                + [u.models for u in unions]
                + [b.models for b in bulk_methods]
                + ([preflight.models] if preflight else [])
            ),
            needs_any=types.any,
            needs_sequence=types.sequence,
            needs_mapping=types.mapping,
            needs_builtins=types.builtins,
        )
        built[accessor.name] = ir
        return ir

    top_level = [build(a) for a in spec.gateway.accessors if a.parent is None]
    used = [built[a.name] for a in spec.gateway.accessors if _has_methods(built[a.name])]
    chunk_models: dict[str, set[str]] = {}
    for _, svc in spec.services:
        for op in svc.operations.values():
            chunk = op.streaming.chunk
            names = [*chunk.map.values(), chunk.default] if isinstance(chunk, ChunkUnion) else []
            for name in names:
                chunk_models.setdefault(local_models[name], set()).add(name)
    for members in spec.gateway.aliases.values():
        for name in members:
            chunk_models.setdefault(local_models[name], set()).add(name)
    return ApiIR(
        gateway_version=spec.gateway.gateway_version,
        default_url=spec.gateway.default_url,
        operations=operations,
        accessors=used,
        top_level=[a for a in top_level if _has_methods(a)],
        type_modules=sorted(set(local_models.values())),
        root_type_exports=sorted((m, sorted(n)) for m, n in chunk_models.items()),
        aliases=sorted(spec.gateway.aliases.items()),
    )


def _has_methods(accessor: AccessorIR) -> bool:
    own = bool(accessor.methods or accessor.bulk_methods)
    return own or any(_has_methods(c) for c in accessor.children)
