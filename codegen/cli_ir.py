"""The command line's IR: one command per operation, built from the API IR and the spec.

Groups follow the accessors (a child accessor such as ``flow_instance`` joins its parent's
group, its scope becoming the global ``--flow`` option); bulk kinds get a group each with
``import`` / ``export``. Parameters become arguments or options by their Python type: required
scalars and JSON values are positional, the rest ``--options``; complex values take JSON.

The only hand-written per-operation knowledge of the CLI is :data:`COMPOSITES` below: the
commands that combine several operations (file upload and download).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from .ir import AccessorIR, ApiIR, BulkMethodIR, MethodIR, ParamIR
from .loader import Spec
from .naming import python_name

__all__ = ["COMPOSITES", "CliIR", "build_cli_ir"]

# Commands made of several operations, by group: the methods each step calls. Checked against
# the IR when generating, so a renamed method fails here, not at run time.
COMPOSITES: dict[str, dict[str, dict[str, str]]] = {
    "library": {
        "add": {
            "begin": "begin_upload",
            "send": "upload_chunk",
            "status": "get_upload_status",
            "complete": "complete_upload",
        },
        "get": {"stream": "stream_document", "metadata": "get_document_metadata"},
    },
}


@dataclasses.dataclass(frozen=True)
class CliParamIR:
    name: str  # python parameter of the command function
    flag: str  # --doc-limit
    kind: str  # text int float bool texts json term records bytes
    positional: bool
    required: bool
    default: str | None
    help: str
    convert: str  # the method argument, as an expression of ``name``
    hidden: bool = False  # accepted, not listed in --help (deprecated keywords)


@dataclasses.dataclass(frozen=True)
class CommandIR:
    name: str
    function: str
    help: str
    short_help: str
    operation: str
    unsupported: str | None
    params: list[CliParamIR]
    target: str  # accessor expression, of ``cli_state``
    socket_target: str
    method: str
    streams: str
    text_field: str | None
    binary: bool
    returns_none: bool
    aliases: list[str]  # other names of the command (the method's aliases), hidden


@dataclasses.dataclass(frozen=True)
class BulkCommandIR:
    direction: str
    function: str
    operation: str
    help: str
    method: str
    target: str
    unit: str
    rdf: bool
    items_attr: str | None
    params: list[CliParamIR]
    dump_method: str | None  # a streaming query that lists the store (triples export)
    dump_field: str | None  # the list field of that query's chunks


@dataclasses.dataclass(frozen=True)
class GroupIR:
    name: str
    function: str
    help: str
    commands: list[CommandIR]
    bulk: list[BulkCommandIR]
    composites: dict[str, dict[str, str]]


@dataclasses.dataclass(frozen=True)
class CliIR:
    groups: list[GroupIR]
    scope_option: str
    scope_default: str
    operations: int


def _strip_optional(annotation: str) -> str:
    return annotation[: -len(" | None")] if annotation.endswith(" | None") else annotation


_SEQ_MODEL = re.compile(r"^Sequence\[(\w+) \| Mapping\[str, Any\]\]$")


def _model_schemas(spec: Spec) -> dict[str, dict[str, Any]]:
    models: dict[str, dict[str, Any]] = dict(spec.common.models)
    if spec.bulk is not None:
        models.update(spec.bulk.models)
    for _, svc in spec.services:
        models.update(svc.models)
    return models


def _record_fields(model: str, models: dict[str, dict[str, Any]]) -> list[str] | None:
    """The required fields of a model whose required fields are all strings, else None."""
    schema = models.get(model, {})
    required = list(schema.get("required", []))
    properties = schema.get("properties", {})
    if required and all(properties.get(f, {}).get("type") == "string" for f in required):
        return required
    return None


def _help(text: str) -> str:
    return " ".join(text.split())


def _param(p: ParamIR, models: dict[str, dict[str, Any]], variadic_taken: bool) -> CliParamIR:
    annotation = _strip_optional(p.annotation).removesuffix(" | str")
    required = p.default is None or p.required_alone
    simple = {"str": "text", "int": "int", "float": "float", "bool": "bool", "bytes": "bytes"}
    kind = simple.get(annotation, "json")
    fields: list[str] | None = None
    if annotation == "Sequence[str]":
        kind = "texts"
    elif annotation.startswith("Term "):
        kind = "term"
    elif (match := _SEQ_MODEL.match(annotation)) and required:
        fields = _record_fields(match[1], models)
        kind = "records" if fields else "json"
    variadic = kind in ("texts", "records")
    positional = required and kind != "bool" and not (variadic and variadic_taken)
    convert = p.name
    if kind == "texts":
        convert = f"list({p.name})" if required else f"list({p.name}) or None"
    elif kind == "term":
        convert = f"None if {p.name} is None else _term({p.name})"
    elif kind == "records":
        convert = f"records({p.name}, {fields!r}, {p.name!r})"
    elif kind == "bytes":
        convert = f"read_bytes({p.name})"
    return CliParamIR(
        name=p.name,
        flag="--" + p.name.replace("_", "-"),
        kind=kind,
        positional=positional,
        required=required,
        default=None if p.default in (None, "None") else p.default,
        help=_help(p.doc),
        convert=convert,
    )


def _params(params: list[ParamIR], models: dict[str, dict[str, Any]]) -> list[CliParamIR]:
    out: list[CliParamIR] = []
    variadic_taken = False
    for p in params:
        cli = _param(p, models, variadic_taken)
        variadic_taken |= cli.positional and cli.kind in ("texts", "records")
        out.append(cli)
    return out


def _compat_params(
    m: MethodIR, params: list[CliParamIR], models: dict[str, dict[str, Any]]
) -> list[CliParamIR]:
    """The method's other keywords, so the command accepts what the method accepts: an alias is
    an option of its own name (the method decides between it and the parameter it stands for,
    which becomes optional), a deprecated keyword a hidden option the method warns about."""
    by_name = {p.name: p for p in params}
    out: list[CliParamIR] = []
    for kw in [*m.kwonly, *(p for p in m.params if not p.send)]:
        if kw.alias_of is not None:
            target = by_name[kw.alias_of]
            shown = target.name.upper() if target.positional else target.flag
            by_name[target.name] = dataclasses.replace(target, required=False)
            out.append(
                dataclasses.replace(
                    _param(kw, models, variadic_taken=True), help=f"Another name for {shown}."
                )
            )
        elif kw.deprecated:
            cli = _param(dataclasses.replace(kw, annotation="str | None"), models, True)
            out.append(dataclasses.replace(cli, hidden=True))
    return [by_name[p.name] for p in params] + out


def _command(
    group: str, m: MethodIR, target: str, socket_target: str, models: dict[str, dict[str, Any]]
) -> CommandIR:
    name = m.name.replace("_", "-")
    doc = _help(" ".join(m.doc_lines))
    short = doc.split(". ")[0].rstrip(".")
    if m.operation.unsupported:
        doc = f"Not served by the gateway: {m.operation.unsupported}. {doc}"
        short = f"[not served] {short}"
    params = _compat_params(m, _params([p for p in m.params if p.send], models), models)
    arguments = [p for p in params if p.positional]
    if arguments:
        lines = [f"  {p.name.upper()}: {p.help}" for p in arguments]
        doc += "\n\n\b\nArguments:\n" + "\n".join(lines)
    return CommandIR(
        name=name,
        function=f"{python_name(group)}_{m.name}",
        help=doc,
        short_help=short,
        operation=m.operation.constant,
        unsupported=m.operation.unsupported,
        params=params,
        target=target,
        socket_target=socket_target,
        method=m.name,
        streams=m.streams,
        text_field=m.result_attr if m.result_kind == "text" else None,
        binary=m.returns == "bytes",
        returns_none=m.returns == "None",
        aliases=[a.replace("_", "-") for a in m.aliases],
    )


def _bulk(
    b: BulkMethodIR,
    accessor: AccessorIR,
    target: str,
    models: dict[str, dict[str, Any]],
) -> BulkCommandIR:
    imports = {x.kind: x for x in accessor.bulk_methods if x.direction == "import"}
    twin = imports.get(b.kind)
    item_model = twin.item_model if twin else None
    dump = None
    if b.direction == "export" and item_model == "Triple":
        dump = next(
            (
                m
                for m in accessor.methods
                if m.streams == "optional" and m.returns == "list[Triple]"
            ),
            None,
        )
    return BulkCommandIR(
        direction=b.direction,
        function=f"{python_name(b.kind)}_{b.direction}",
        operation=b.operation.constant,
        help=_help(" ".join(b.doc_lines)),
        method=b.name,
        target=target,
        unit=b.kind.replace("-", " "),
        rdf=item_model == "Triple",
        items_attr=python_name(twin.items_field) if twin and twin.items_field else None,
        params=[dataclasses.replace(p, positional=False) for p in _params(b.params, models)],
        dump_method=dump.name if dump else None,
        dump_field=dump.result_attr if dump else None,
    )


def build_cli_ir(api: ApiIR, spec: Spec) -> CliIR:
    """The command groups of the ``tgclient`` command line."""
    models = _model_schemas(spec)
    groups: list[GroupIR] = []
    bulk_groups: dict[str, list[BulkCommandIR]] = {}
    scope_option, scope_default = "flow", "default"
    operations = 0
    for accessor in api.top_level:
        name = accessor.name.replace("_", "-")
        target = f"cli_state.client().{accessor.name}()"
        socket = f"cli_state.client().socket().{accessor.name}()"
        commands = [_command(name, m, target, socket, models) for m in accessor.methods]
        for child in accessor.children:
            assert child.scope_param and child.scope_default, child.name
            scope_option, scope_default = child.scope_param, child.scope_default
            arg = "cli_state.settings.scope"
            child_target = f"{target}.{child.factory}({arg})"
            child_socket = f"{socket}.{child.factory}({arg})"
            commands += [
                _command(name, m, child_target, child_socket, models) for m in child.methods
            ]
            for b in child.bulk_methods:
                bulk_groups.setdefault(b.kind, []).append(_bulk(b, child, child_target, models))
        seen = [name for c in commands for name in (c.name, *c.aliases)]
        duplicates = sorted({n for n in seen if seen.count(n) > 1})
        assert not duplicates, f"group {name!r} has clashing commands {duplicates}"
        composites = COMPOSITES.get(name, {})
        methods = {m.name for m in accessor.methods}
        for command, steps in composites.items():
            missing = sorted(set(steps.values()) - methods)
            assert not missing, f"composite {name} {command} needs missing methods {missing}"
            assert command not in seen, f"composite {name} {command} clashes with a command"
        operations += len(commands)
        groups.append(
            GroupIR(
                name=name,
                function=f"{python_name(name)}_group",
                help=accessor.doc
                + (
                    " Also the data-plane services of one running flow (see --flow)."
                    if accessor.children
                    else ""
                ),
                commands=commands,
                bulk=[],
                composites=composites,
            )
        )
    for kind, bulk in bulk_groups.items():
        operations += len(bulk)
        groups.append(
            GroupIR(
                name=kind,
                function=f"{python_name(kind)}_group",
                help=f"Bulk {kind.replace('-', ' ')}: import files, export to files.",
                commands=[],
                bulk=bulk,
                composites={},
            )
        )
    return CliIR(
        groups=groups,
        scope_option=scope_option,
        scope_default=scope_default,
        operations=operations,
    )
