"""The comparisons of ``python -m codegen drift``: spec/ against a gateway inventory (JSON)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from ..loader import Spec
from ..spec_schema import ChunkUnion, OperationSpec, ServiceSpec

JSON = dict[str, Any]

# Request keys the spec may send although no translator reads them: the gateway's
# DispatcherManager (trustgraph/gateway/dispatch/manager.py) takes ``workspace`` from the body
# to pick the queue (workspace services) or the flow (flow services) before translating.
ROUTING_KEYS = frozenset({"workspace"})

# The request key that tells a service's operations apart.
OPERATION_KEY = "operation"

# Response keys the spec may have although no translator writes them: every requestor turns a
# failure into {"error": {"type": "gateway-error", ...}} itself (ServiceRequestor.process).
GATEWAY_RESPONSE_KEYS = frozenset({"error"})


@dataclasses.dataclass(frozen=True)
class Accepted:
    """Keys a translator reads or writes that the spec leaves out on purpose.

    ``unless_routed``: IAM operations whose registration would void the reason.
    """

    keys: frozenset[str]
    why: str
    unless_routed: frozenset[str] = frozenset()


_IAM_INTERNAL_OPS = frozenset(
    {"get-signing-key-public", "resolve-api-key", "authorise", "authorise-many"}
)

# (service or "*", "request" | "response") -> keys deliberately not in the spec.
ACCEPTED_OMISSIONS: dict[tuple[str, str], Accepted] = {
    ("*", "request"): Accepted(
        frozenset({"user-context"}),
        "the gateway sets it from the caller's token (dispatch/mux.py, "
        "endpoint/variable_endpoint.py, endpoint/registry_endpoint.py)",
    ),
    ("iam", "request"): Accepted(
        frozenset(
            {"api_key", "authorise_checks", "capability", "parameters_json", "resource_json"}
        ),
        "inputs of the gateway's own IAM calls (trustgraph/iam/service/iam.py: "
        "get-signing-key-public, resolve-api-key, authorise, authorise-many), not routed",
        _IAM_INTERNAL_OPS,
    ),
    ("iam", "response"): Accepted(
        frozenset(
            {
                "signing_key_public",
                "resolved_user_id",
                "resolved_default_workspace",
                "resolved_roles",
                "decision_allow",
                "decision_ttl_seconds",
                "decisions_json",
            }
        ),
        "outputs of the gateway's own IAM calls (trustgraph/iam/service/iam.py: "
        "get-signing-key-public, resolve-api-key, authorise, authorise-many), not routed",
        _IAM_INTERNAL_OPS,
    ),
}


def accepted_omissions(service: str, direction: str, inv: JSON) -> tuple[set[str], list[str]]:
    """Top-level keys ``service`` may leave out in ``direction``, and why each set is void."""
    keys: set[str] = set()
    void: list[str] = []
    routed = set(inv.get("iam_operations", {}))
    for scope in ("*", service):
        acc = ACCEPTED_OMISSIONS.get((scope, direction))
        if acc is None:
            continue
        now = sorted(acc.unless_routed & routed)
        if now:
            void.append(f"{sorted(acc.keys)} no longer accepted ({acc.why}): {now} are routed")
        else:
            keys |= acc.keys
    return keys, void


# Dispatcher tables whose kinds are addressed as /api/v1/flow/{flow}/service/{kind}.
FLOW_TABLES = ("request_response_dispatchers", "sender_dispatchers")

# Name each plain HTTP route (inventory ``special_routes``) is described under in the spec.
_HTTP_ROUTE_PREFIXES = ("/api/v1/", "/api/")


# ---------------------------------------------------------------------------
# One comparison
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Diff:
    """One comparison of the gateway with the spec.

    ``gateway`` and ``spec`` are the names found on each side; ``where`` says which spec file
    (or files) the spec side comes from, ``notes`` maps a name to a hint printed next to it.
    ``tolerated``: spec-only names that are not drift, i.e. operations the spec marks
    ``unsupported`` (the client refuses them and sends nothing), listed but not counted.
    ``accepted``: gateway-only names the spec leaves out on purpose (``ACCEPTED_OMISSIONS``).
    """

    category: str
    gateway: frozenset[str]
    spec: frozenset[str]
    where: str = "spec/"
    notes: tuple[tuple[str, str], ...] = ()
    tolerated: frozenset[str] = frozenset()
    accepted: frozenset[str] = frozenset()

    @property
    def missing_from_spec(self) -> list[str]:
        return sorted(self.gateway - self.spec - self.accepted)

    @property
    def not_in_gateway(self) -> list[str]:
        return sorted(self.spec - self.gateway - self.tolerated)

    @property
    def tolerated_extra(self) -> list[str]:
        return sorted((self.spec - self.gateway) & self.tolerated)

    @property
    def accepted_missing(self) -> list[str]:
        return sorted((self.gateway - self.spec) & self.accepted)

    @property
    def matched(self) -> list[str]:
        return sorted(self.gateway & self.spec)

    @property
    def ok(self) -> bool:
        return not self.missing_from_spec and not self.not_in_gateway

    def describe(self, gateway_label: str = "the gateway") -> str:
        """A readable account of both directions, one name per line."""
        notes = dict(self.notes)
        lines = [
            f"{self.category}: {len(self.spec)} in the spec ({self.where}), "
            f"{len(self.gateway)} in {gateway_label}, {len(self.matched)} matched"
        ]
        for title, names in (
            (f"in {gateway_label}, missing from the spec", self.missing_from_spec),
            (f"in the spec, not in {gateway_label}", self.not_in_gateway),
            (
                f"in the spec only, marked unsupported (tolerated, not in {gateway_label})",
                self.tolerated_extra,
            ),
            ("left out of the spec on purpose (accepted)", self.accepted_missing),
        ):
            if names:
                lines.append(f"  {title} ({len(names)}):")
                for name in names:
                    note = notes.get(name)
                    lines.append(f"    - {name}" + (f"   [{note}]" if note else ""))
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# The spec side
# ---------------------------------------------------------------------------


def spec_services(spec: Spec, surface: str) -> dict[str, tuple[str, ServiceSpec]]:
    """Spec services on ``surface``: name -> (file, service)."""
    return {svc.service: (rel, svc) for rel, svc in spec.services if svc.surface == surface}


def spec_operations(svc: ServiceSpec) -> dict[str, str]:
    """Wire operation value (the operation's name when it has none) -> spec operation name."""
    return {(op.wire_operation or name): name for name, op in svc.operations.items()}


def unsupported_operations(svc: ServiceSpec) -> set[str]:
    """Wire operations (operation names when none) of ``svc`` marked ``unsupported``."""
    return {(op.wire_operation or n) for n, op in svc.operations.items() if op.unsupported}


def _files(entries: Iterable[tuple[str, ServiceSpec]], fallback: str) -> str:
    rels = sorted({f"spec/{rel}" for rel, _ in entries})
    return ", ".join(rels) if rels else fallback


def surface_names(svc: ServiceSpec, suffixes: tuple[str, ...] = ()) -> set[str]:
    """Every name a service on a bulk / http surface may be matched by: its service name, its
    operation names and wire operations, each also without one of ``suffixes``."""
    names = {svc.service, *svc.operations}
    names |= {op.wire_operation for op in svc.operations.values() if op.wire_operation}
    for name in list(names):
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                names.add(name[: -len(suffix)])
            if name.startswith(suffix.lstrip("-") + "-"):
                names.add(name[len(suffix.lstrip("-")) + 1 :])
    return names


# ---------------------------------------------------------------------------
# The gateway side (inventory)
# ---------------------------------------------------------------------------


def dispatcher_only_kinds(inv: JSON) -> dict[str, list[str]]:
    """Kinds in a dispatcher table with no registry entry (e.g. text-load, document-load)."""
    only = inv.get("dispatcher_only", {}).get("dispatcher_kinds_without_registry_entry", {})
    return {str(k): list(v) for k, v in only.items()}


def gateway_flow_kinds(inv: JSON) -> set[str]:
    """Kinds served under /api/v1/flow/{flow}/service/{kind}: the registry's flow-service
    entries, the ``thru`` passthrough prefix, and dispatcher-only kinds of the flow tables."""
    kinds = set(inv.get("flow_services", {}))
    passthrough = inv.get("passthrough") or {}
    if str(passthrough.get("pattern", "")).endswith("/<interface>"):
        kinds.add(str(passthrough["pattern"]).split("/", 1)[0])  # "thru"
    for kind, tables in dispatcher_only_kinds(inv).items():
        if any(t in FLOW_TABLES for t in tables):
            kinds.add(kind)
    return kinds


def http_route_names(inv: JSON) -> dict[str, str]:
    """Plain HTTP routes (core import/export, document-stream, metrics, i18n): path -> the name
    a spec service describing it carries (path without prefix and ``{params}``, '-'-joined)."""
    out: dict[str, str] = {}
    for path in inv.get("special_routes", {}):
        rest = str(path)
        for prefix in _HTTP_ROUTE_PREFIXES:
            if rest.startswith(prefix):
                rest = rest[len(prefix) :]
                break
        parts = [p for p in rest.split("/") if p and not p.startswith("{")]
        out[str(path)] = "-".join(parts)
    return out


# ---------------------------------------------------------------------------
# Services and operations
# ---------------------------------------------------------------------------


def _flow_diff(spec: Spec, inv: JSON) -> Diff:
    flow = spec_services(spec, "flow")
    only = dispatcher_only_kinds(inv)
    notes = [(k, "dispatcher-only: must be marked unsupported") for k in only]
    for name, (_rel, svc) in flow.items():
        notes.append((name, f"{len(svc.operations)} spec operations"))
    for _rel, svc in spec.services:
        if svc.surface != "flow" and svc.service in gateway_flow_kinds(inv):
            notes.append((svc.service, f"in the spec with surface {svc.surface!r}, not 'flow'"))
    return Diff(
        category="flow services",
        gateway=frozenset(gateway_flow_kinds(inv)),
        spec=frozenset(flow),
        where="spec/services/*.yaml with surface: flow",
        notes=tuple(notes),
        tolerated=frozenset(
            n
            for n, (_r, svc) in flow.items()
            if all(o.unsupported for o in svc.operations.values())
        ),
    )


def _workspace_diffs(spec: Spec, inv: JSON) -> list[Diff]:
    ws_spec = spec_services(spec, "workspace")
    ws_gw: dict[str, dict[str, str]] = inv.get("workspace_services", {})
    diffs = [
        Diff(
            category="workspace services",
            gateway=frozenset(ws_gw),
            spec=frozenset(ws_spec),
            where="spec/services/*.yaml with surface: workspace",
        )
    ]
    for kind in sorted(set(ws_gw) | set(ws_spec)):
        rel_svc = ws_spec.get(kind)
        spec_ops = spec_operations(rel_svc[1]) if rel_svc else {}
        diffs.append(
            Diff(
                category=f"workspace operations of {kind!r}",
                gateway=frozenset(ws_gw.get(kind, {})),
                spec=frozenset(spec_ops),
                where=f"spec/{rel_svc[0]}" if rel_svc else f"spec/services/{kind}.yaml (missing)",
                notes=tuple((w, f"operations.{n}") for w, n in spec_ops.items() if w != n),
                tolerated=frozenset(unsupported_operations(rel_svc[1]) if rel_svc else ()),
            )
        )
    return diffs


def _iam_diff(spec: Spec, inv: JSON) -> Diff:
    iam = spec_services(spec, "iam")
    ops: set[str] = set()
    tolerated: set[str] = set()
    for _rel, svc in iam.values():
        ops |= set(spec_operations(svc))
        tolerated |= unsupported_operations(svc)
    return Diff(
        category="iam operations",
        gateway=frozenset(inv.get("iam_operations", {})),
        spec=frozenset(ops),
        where=_files(iam.values(), "spec/services/iam.yaml (missing)"),
        tolerated=frozenset(tolerated),
    )


def _auth_diff(spec: Spec, inv: JSON) -> Diff:
    auth = spec_services(spec, "auth")
    surface = spec.gateway.surfaces.get("auth")
    template = surface.rest.path if surface is not None and surface.rest else "api/v1/auth/{op}"
    paths: set[str] = set()
    tolerated: set[str] = set()
    notes: list[tuple[str, str]] = []
    for _rel, svc in auth.values():
        for name, op in svc.operations.items():
            path = "/" + template.replace("{operation}", name).replace("{service}", svc.service)
            paths.add(path)
            notes.append((path, f"operations.{name}"))
            if op.unsupported:
                tolerated.add(path)
    return Diff(
        category="auth routes",
        gateway=frozenset(inv.get("auth_routes", {})),
        spec=frozenset(paths),
        where=_files(auth.values(), "spec/services/auth.yaml (missing)"),
        notes=tuple(notes),
        tolerated=frozenset(tolerated),
    )


def bulk_diff(spec: Spec, inv: JSON, surface: str) -> Diff:
    """Bulk import (``bulk-import``) or export (``bulk-export``) kinds against the spec."""
    key = "import_kinds" if surface == "bulk-import" else "export_kinds"
    suffix = "-import" if surface == "bulk-import" else "-export"
    services = spec_services(spec, surface)
    gateway = set(inv.get(key, {}))
    described: set[str] = set()
    unmatched: set[str] = set()
    kinds = _bulk_kinds(spec, surface)
    described |= kinds & gateway
    unmatched |= kinds - gateway
    for name, (_rel, svc) in services.items():
        names = surface_names(svc, (suffix,))
        described |= names & gateway
        if not names & gateway:
            unmatched.add(name)
    where = _files(services.values(), "")
    if kinds:
        where = ", ".join(w for w in ("spec/bulk.yaml", where) if w)
    return Diff(
        category=f"{surface} kinds",
        gateway=frozenset(gateway),
        spec=frozenset(described | unmatched),
        where=where or f"no {surface} kind in spec/bulk.yaml or a service with surface: {surface}",
    )


def _bulk_kinds(spec: Spec, surface: str) -> set[str]:
    """Kinds ``spec/bulk.yaml`` describes for ``surface`` (bulk-import / bulk-export)."""
    if spec.bulk is None:
        return set()
    return set(spec.bulk.imports if surface == "bulk-import" else spec.bulk.exports)


def http_diff(spec: Spec, inv: JSON) -> Diff:
    """Plain HTTP routes (core import/export, document-stream, metrics, i18n) against the spec."""
    services = spec_services(spec, "http")
    routes = http_route_names(inv)
    described: set[str] = set()
    unmatched: set[str] = set()
    for name, (_rel, svc) in services.items():
        names = surface_names(svc)
        hits = {
            path
            for path, route in routes.items()
            if route in names or route.split("-", 1)[0] in names
        }
        described |= hits
        if not hits:
            unmatched.add(name)
    return Diff(
        category="http routes",
        gateway=frozenset(routes),
        spec=frozenset(described | unmatched),
        where=_files(services.values(), "no spec service with surface: http"),
        notes=tuple((path, f"spec name {name!r}") for path, name in routes.items()),
    )


def operation_diffs(spec: Spec, inv: JSON) -> list[Diff]:
    """Services and operations: flow services, workspace services and operations, IAM
    operations and auth routes (always compared, in that order)."""
    return [
        _flow_diff(spec, inv),
        *_workspace_diffs(spec, inv),
        _iam_diff(spec, inv),
        _auth_diff(spec, inv),
    ]


def described_surfaces(spec: Spec) -> set[str]:
    surfaces: set[str] = {svc.surface for _rel, svc in spec.services}
    for surface in ("bulk-import", "bulk-export"):
        if _bulk_kinds(spec, surface):
            surfaces.add(surface)
    return surfaces


def unsupported_problems(
    spec: Spec, inv: JSON, unservable: Iterable[tuple[str, str]] = ()
) -> list[str]:
    """What the gateway registers but cannot serve and the spec does not mark ``unsupported``.

    Dispatcher-only kinds (from the inventory) must be spec services whose every operation is
    unsupported; ``unservable`` adds (service, wire operation) pairs known from the release's
    code that the inventory cannot see (the parity test passes the 2.11.1 ones).
    """
    problems: list[str] = []
    by_name = {svc.service: (rel, svc) for rel, svc in spec.services}
    for kind, tables in sorted(dispatcher_only_kinds(inv).items()):
        where = f"spec/services/{kind}.yaml"
        if kind not in by_name:
            problems.append(
                f"{kind}: dispatcher-only ({', '.join(tables)}, no registry entry) but not in "
                f"the spec; add {where} with every operation marked unsupported"
            )
            continue
        rel, svc = by_name[kind]
        for name, op in svc.operations.items():
            if not op.unsupported:
                problems.append(
                    f"{kind}: dispatcher-only but spec/{rel}: operations.{name} is not marked "
                    "unsupported"
                )
    for service, wire_op in sorted(unservable):
        if service not in by_name:
            problems.append(
                f"{service} {wire_op}: registered but not servable; spec/services/{service}.yaml "
                "is missing (the operation must be in it, marked unsupported)"
            )
            continue
        rel, svc = by_name[service]
        ops = {(op.wire_operation or n): (n, op) for n, op in svc.operations.items()}
        if wire_op not in ops:
            problems.append(
                f"{service} {wire_op}: registered but not servable; missing from spec/{rel} "
                "(it must be there, marked unsupported)"
            )
        elif not ops[wire_op][1].unsupported:
            problems.append(
                f"{service} {wire_op}: registered but not servable; spec/{rel}: "
                f"operations.{ops[wire_op][0]} must be marked unsupported"
            )
    return problems


# ---------------------------------------------------------------------------
# Translator keys
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class _Paths:
    """Key paths a JSON Schema declares (``a``, ``a.b``, ``a[].b``, ``m.*`` for map values) and
    the paths below which anything is accepted (free-form objects)."""

    paths: set[str] = dataclasses.field(default_factory=set)
    opaque: set[str] = dataclasses.field(default_factory=set)

    def covers(self, path: str) -> bool:
        if path in self.paths or path in self.opaque:
            return True
        return any(path.startswith((o + ".", o + "[]")) for o in self.opaque)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _walk(
    schema: Any, defs: dict[str, dict[str, Any]], prefix: str, out: _Paths, stack: tuple[str, ...]
) -> None:
    if not isinstance(schema, dict):
        if prefix:
            out.opaque.add(prefix)
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in stack or name not in defs:
            if prefix:  # recursive (Term -> Triple -> Term) or unknown: accept anything below
                out.opaque.add(prefix)
            return
        _walk(defs[name], defs, prefix, out, (*stack, name))
        return
    branches = [b for k in ("anyOf", "oneOf", "allOf") for b in schema.get(k, [])]
    for branch in branches:
        _walk(branch, defs, prefix, out, stack)
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind} if kind else set()
    props = schema.get("properties")
    extra = schema.get("additionalProperties")
    if "array" in kinds or "items" in schema:
        _walk(schema.get("items", {}), defs, f"{prefix}[]", out, stack)
    if "object" in kinds or isinstance(props, dict):
        for key, sub in (props or {}).items():
            if isinstance(sub, dict) and sub.get("x-python-only"):
                continue  # a Python attribute, never on the wire (chunk_type)
            path = _join(prefix, str(key))
            out.paths.add(path)
            _walk(sub, defs, path, out, stack)
        if isinstance(extra, dict):
            path = _join(prefix, "*")
            out.paths.add(path)
            _walk(extra, defs, path, out, stack)
        elif extra is not False and not props and prefix:
            out.opaque.add(prefix)
    if not kinds and not branches and not isinstance(props, dict) and prefix:
        out.opaque.add(prefix)  # {} / no type: any value


def model_paths(
    spec: Spec, svc: ServiceSpec | dict[str, dict[str, Any]], models: Iterable[str]
) -> _Paths:
    """Key paths of the union of ``models`` (names in ``svc``, or a dict of models such as
    bulk.yaml's, or common.yaml)."""
    local = svc.models if isinstance(svc, ServiceSpec) else svc
    defs: dict[str, dict[str, Any]] = {**spec.common.models, **local}
    out = _Paths()
    for name in models:
        _walk(defs.get(name, {}), defs, "", out, (name,))
    return out


def _chunk_models(op: OperationSpec) -> list[str]:
    chunk = op.streaming.chunk
    if chunk is None:
        return []
    if isinstance(chunk, ChunkUnion):
        return [*chunk.map.values(), chunk.default]
    return [chunk]


def request_models(svc: ServiceSpec) -> list[str]:
    return sorted({op.request for op in svc.operations.values() if op.request})


def response_models(svc: ServiceSpec) -> list[str]:
    names = {op.response for op in svc.operations.values() if op.response}
    for op in svc.operations.values():
        names |= set(_chunk_models(op))
    return sorted(names)


def _top(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _key_diff(
    category: str,
    where: str,
    gateway_paths: Iterable[str],
    spec_side: _Paths,
    exempt: set[str],
    accepted: set[str],
) -> Diff:
    """Key paths the gateway reads / writes that the spec's models lack (at any depth), and
    top-level keys of the spec's models the gateway never reads / writes (minus ``exempt``).

    Nested spec keys are not reported the other way round: the gateway's probes fill one variant
    of nested types (one kind of Term, say), so absent nested paths prove nothing.
    """
    gw = {p for p in gateway_paths if p != "*"}
    gw_top = {_top(p) for p in gw}
    spec_top = {p for p in spec_side.paths if "." not in p and "[" not in p}
    covered = {p for p in gw if spec_side.covers(p)}
    return Diff(
        category=category,
        gateway=frozenset(gw),
        spec=frozenset(covered | (spec_top - gw_top - exempt)),
        where=where,
        accepted=frozenset(p for p in gw if _top(p) in accepted),
    )


def served_operations(svc: ServiceSpec) -> dict[str, OperationSpec]:
    """Operations of ``svc`` the client sends (not unsupported, with a request model)."""
    return {n: op for n, op in svc.operations.items() if not op.unsupported and op.request}


def operation_key_unread(svc: ServiceSpec, entry: JSON) -> bool:
    """True when the spec tells several operations apart by ``operation`` and the gateway's
    request translator never reads that key (it decodes every request as one operation)."""
    request = entry.get("request")
    if not isinstance(request, dict) or "top_level_keys_read" not in request:
        return False
    wire_ops = {op.wire_operation for op in served_operations(svc).values() if op.wire_operation}
    return len(wire_ops) > 1 and OPERATION_KEY not in request["top_level_keys_read"]


def key_diffs(spec: Spec, inv: JSON) -> list[Diff]:
    """Per spec service that the gateway translates: request and response keys."""
    translators: dict[str, JSON] = inv.get("translators", {})
    auth_routes: dict[str, JSON] = inv.get("auth_routes", {})
    diffs: list[Diff] = []
    for rel, svc in spec.services:
        where = f"spec/{rel}"
        if svc.surface == "auth":
            surface = spec.gateway.surfaces.get("auth")
            template = surface.rest.path if surface is not None and surface.rest else ""
            for name, op in svc.operations.items():
                route = auth_routes.get("/" + template.replace("{operation}", name))
                if route is None or op.request is None:
                    continue  # reported by the auth routes comparison
                diffs.append(
                    _key_diff(
                        f"{svc.service} {name}: request keys ({op.request})",
                        where,
                        route.get("body_keys_read", []),
                        model_paths(spec, svc, [op.request]),
                        set(),
                        set(),
                    )
                )
            continue
        entry = translators.get(svc.service)
        if entry is None:
            continue
        request = entry.get("request")
        if isinstance(request, dict) and "keys_read" in request:
            models = request_models(svc)
            diffs.append(
                _key_diff(
                    f"{svc.service}: request keys ({', '.join(models)})",
                    where,
                    request["keys_read"],
                    model_paths(spec, svc, models),
                    # an unread operation key is reported once, as vanished operations
                    set(ROUTING_KEYS)
                    | ({OPERATION_KEY} if operation_key_unread(svc, entry) else set()),
                    accepted_omissions(svc.service, "request", inv)[0],
                )
            )
        response = entry.get("response")
        if isinstance(response, dict) and "key_paths_written" in response:
            models = response_models(svc)
            diffs.append(
                _key_diff(
                    f"{svc.service}: response keys ({', '.join(models)})",
                    where,
                    response["key_paths_written"],
                    model_paths(spec, svc, models),
                    set(GATEWAY_RESPONSE_KEYS),
                    accepted_omissions(svc.service, "response", inv)[0],
                )
            )
    return diffs + _bulk_key_diffs(spec, inv)


def _bulk_key_diffs(spec: Spec, inv: JSON) -> list[Diff]:
    """Bulk frames: keys the import dispatchers read, keys the export serializers write."""
    if spec.bulk is None:
        return []
    diffs: list[Diff] = []
    for direction, kinds, wire, field in (
        ("import", spec.bulk.imports, inv.get("bulk_import_wire", {}), "keys_read"),
        ("export", spec.bulk.exports, inv.get("bulk_export_wire", {}), "key_paths_written"),
    ):
        for kind, bulk_kind in sorted(kinds.items()):
            entry = wire.get(kind)
            if not isinstance(entry, dict) or field not in entry:
                continue  # reported by the bulk kinds comparison
            diffs.append(
                _key_diff(
                    f"bulk {direction} {kind}: frame keys ({bulk_kind.frame})",
                    "spec/bulk.yaml",
                    entry[field],
                    model_paths(spec, spec.bulk.models, [bulk_kind.frame]),
                    set(),
                    set(),
                )
            )
    return diffs
