"""Behaviour drift: what a gateway release does differently from what ``spec/`` says, beyond key
names. One finding (one line) per root cause:

* where failures surface: the inventory drives each requestor's ``process`` (requestor and
  translator together) with a back end answering an error; the spec's ``errors: kept|dropped``;
* required request keys: top-level keys whose absence makes the gateway's decode fail, against
  the keys every example request of an operation sends;
* nested request keys the spec sends that the translator's probe shows it ignores;
* vanished operations: a multi-operation service whose translator no longer reads ``operation``
  serves only the default operation; the others are named as operations.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..loader import Spec
from ..spec_schema import OperationSpec, ServiceSpec
from .compare import (
    JSON,
    OPERATION_KEY,
    model_paths,
    operation_key_unread,
    request_models,
    served_operations,
)

# Nested bulk import keys the spec sends although the import dispatchers ignore them.
BULK_IGNORED_ON_PURPOSE = {
    "metadata.root": "common.yaml's Metadata is one model for imports and exports (exports "
    "write root); import dispatchers derive root themselves",
}


def _translated(spec: Spec, inv: JSON) -> list[tuple[str, ServiceSpec, JSON]]:
    translators: dict[str, JSON] = inv.get("translators", {})
    return [
        (f"spec/{rel}", svc, translators[svc.service])
        for rel, svc in spec.services
        if svc.surface != "auth" and svc.service in translators
    ]


def _default_operation(spec: Spec, svc: ServiceSpec) -> str | None:
    for model in request_models(svc):
        prop = {**spec.common.models, **svc.models}.get(model, {}).get("properties", {})
        default = prop.get(OPERATION_KEY, {}).get("default")
        if isinstance(default, str):
            return default
    return None


def vanished_operations(spec: Spec, inv: JSON) -> list[str]:
    """Operations of the spec that the gateway cannot tell apart any more, as operations."""
    label = f"gateway {inv.get('gateway_version')}"
    out = []
    for where, svc, entry in _translated(spec, inv):
        if not operation_key_unread(svc, entry):
            continue
        default = _default_operation(spec, svc)
        gone = sorted(
            n for n, op in served_operations(svc).items() if (op.wire_operation or n) != default
        )
        out.append(
            f"{svc.service}: {label} does not exist for operation(s) {', '.join(gone)} (its "
            f"translator never reads '{OPERATION_KEY}', every request is "
            f"{default or 'one operation'}); {where}: delete them or mark them unsupported"
        )
    return out


def error_changes(spec: Spec, inv: JSON) -> list[tuple[str, ServiceSpec, str]]:
    """(spec file, service, what the gateway does) where failures surface otherwise than the
    spec's ``errors`` says."""
    out = []
    for where, svc, entry in _translated(spec, inv):
        failure = entry.get("failure")
        seen = failure.get("errors") if isinstance(failure, dict) else None
        if seen in ("kept", "dropped") and seen != svc.errors:
            out.append((where, svc, str(seen)))
    return out


def error_semantics(spec: Spec, inv: JSON) -> list[str]:
    """Services whose failures surface differently from the spec's ``errors``, grouped."""
    label = f"gateway {inv.get('gateway_version')}"
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for _where, svc, seen in error_changes(spec, inv):
        groups[(svc.errors, seen)].append(svc.service)
    out = []
    for (said, seen), services in sorted(groups.items()):
        hint = (
            "failure_unless markers and the dropped-error docs become moot"
            if seen == "kept"
            else "failures look like empty answers: add failure_unless where a field tells"
        )
        out.append(
            f"errors: {label} {'keeps' if seen == 'kept' else 'drops'} failures of "
            f"{len(services)} service(s) whose spec says errors: {said} "
            f"({', '.join(services)}); set errors: {seen} in spec/services/<service>.yaml, {hint}"
        )
    return out


def _always_sent(op: OperationSpec) -> set[str]:
    keys = [set(ex.request) for ex in op.examples]
    return set.intersection(*keys) if keys else set()


def required_keys(spec: Spec, inv: JSON) -> list[str]:
    """Request keys the gateway requires that some operation's requests do not always send."""
    label = f"gateway {inv.get('gateway_version')}"
    out = []
    for where, svc, entry in _translated(spec, inv):
        request = entry.get("request")
        required: dict[str, str] = request.get("required_keys", {}) if request else {}
        if not required:
            continue
        lacking: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for name, op in served_operations(svc).items():
            missing = tuple(sorted(set(required) - _always_sent(op)))
            if missing:
                lacking[missing].append(name)
        for missing, ops in sorted(lacking.items()):
            why = required[missing[0]]
            out.append(
                f"{svc.service} {', '.join(ops)}: {label} requires request key(s) "
                f"{', '.join(missing)} ({why}) that the operation's requests do not always "
                f"send; {where}: make them required params, or mark the operation unsupported"
            )
    return out


def ignored_nested_keys(spec: Spec, inv: JSON) -> list[str]:
    """Nested request keys the spec declares and the gateway's translator ignores."""
    label = f"gateway {inv.get('gateway_version')}"
    out = []
    for where, svc, entry in _translated(spec, inv):
        request = entry.get("request")
        ignored: list[str] = request.get("probe_keys_ignored", []) if request else []
        nested = [p for p in ignored if "." in p or "[" in p]
        declared = model_paths(spec, svc, request_models(svc))
        sent = sorted(p for p in nested if p in declared.paths)
        if sent:
            out.append(
                f"{svc.service}: {label} ignores nested request key(s) {', '.join(sent)} "
                f"that {where} sends; drop them from the request model or document the loss"
            )
    out += _ignored_bulk_keys(spec, inv, label)
    return out


def _ignored_bulk_keys(spec: Spec, inv: JSON, label: str) -> list[str]:
    out: list[str] = []
    if spec.bulk is None:
        return out
    wire: dict[str, Any] = inv.get("bulk_import_wire", {})
    for kind, bulk_kind in sorted(spec.bulk.imports.items()):
        entry = wire.get(kind)
        ignored: list[str] = entry.get("probe_keys_ignored", []) if isinstance(entry, dict) else []
        declared = model_paths(spec, spec.bulk.models, [bulk_kind.frame])
        sent = sorted(
            p
            for p in ignored
            if ("." in p or "[" in p) and p in declared.paths and p not in BULK_IGNORED_ON_PURPOSE
        )
        if sent:
            out.append(
                f"bulk import {kind}: {label} ignores nested key(s) {', '.join(sent)} that "
                f"spec/bulk.yaml sends; drop them from the frame model or document the loss"
            )
    return out


def findings(spec: Spec, inv: JSON) -> list[str]:
    """Every behaviour finding, one line per root cause."""
    return [
        *vanished_operations(spec, inv),
        *error_semantics(spec, inv),
        *required_keys(spec, inv),
        *ignored_nested_keys(spec, inv),
    ]
