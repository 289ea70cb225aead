"""Contract tests: our generated models against the REAL gateway 2.11.1 translators.

Parametrized over the spec (``$TGCLIENT_SPEC_DIR``, default ``spec/``), so a new service file is
covered without touching this module. The models are those generated from it in
``generated/tgclient`` (regenerate first: ``python -m codegen``).

Requests (``test_request_contract[<service>/<operation>]``): every example request is read by
OUR request model and written back (``model_validate(...).model_dump(mode="json",
by_alias=True, exclude_none=True)``), then goes through the gateway:

* services of the harness (``tests/contract/gateway_translators.SERVICES``): the requestor's
  ``to_request`` (the request translator's ``decode``) then the same translator's ``encode``;
  no key path we send may be lost or renamed (key sets compared recursively), except the
  translator asymmetries in ``ALLOWED_LOSSES`` (each commented, each checked to be real);
* dispatcher-only sender kinds (text-load, document-load): the real sender's ``to_request`` on
  a dict that records every key looked up; every key we send must be read;
* auth routes: every key we send must be one the AuthEndpoints handler reads (inventory).

Responses (``test_response_contract[<service>/<operation>]``): the frames the REAL response
translator produces (``gateway_translators.response_frames(service)``; the sender's own answer
for sender kinds; the IAM frames of the forwarded operation for auth routes) must parse with our
model in strict mode (``parse_response(model, frame, strict=True)``): the operation's response
model, or for a streamed frame of an operation with a chunk model, the chunk model (picked by the
discriminator for chunk unions; frames labelled ``non-streaming`` use the response model). A
frame labelled after an operation (``get-kg-core-triples`` -> ``get-kg-core``) is checked against
that operation; any other frame must fit some operation of its service. Frames with an ``error``
never reach a model: the runtime raises from them (``error_from_wire``), which is checked too.

Bulk sockets (``spec/bulk.yaml``): each import example, written by our frame model, goes through
the real import dispatcher's ``receive`` (every key we send must be read); the frames the real
export serializers write (realistic messages, and one with every field populated) must parse
strictly with our frame model.

An operation whose service the harness cannot drive FAILS, naming what is missing (never a skip).
Counts are printed at the end of the run.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import functools
import importlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("trustgraph.gateway.dispatch.manager")

from codegen import drift
from codegen.drift import gateway_inventory as gi
from codegen.loader import Spec, SpecError, load_spec
from codegen.naming import module_name
from codegen.spec_schema import ChunkUnion, OperationSpec, ServiceSpec
from tests.contract import gateway_translators as gt
from tests.parity.gateway import load_inventory
from tgclient_runtime.errors import TrustGraphError, error_from_wire
from tgclient_runtime.models import WireModel, parse_response

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = Path(os.environ.get("TGCLIENT_SPEC_DIR") or ROOT / "spec")
INV = load_inventory()
SENDER_KINDS = frozenset(INV["dispatcher_tables"].get("sender_dispatchers", []))

JSON = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Allowed:
    why: str
    replaced_by: str | None = None  # this key must appear in the translator's output instead
    read_by_translator: bool = True  # checked against the inventory's keys_read


# Known 2.11.1 translator asymmetries: keys the gateway consumes on the way in that the same
# translator's encode never writes back. Each entry is (service or "*", key path); a lost path
# is allowed when it is the key or lies below it. Anything else lost is a failure.
ALLOWED_LOSSES: dict[tuple[str, str], Allowed] = {
    # The DispatcherManager takes "workspace" from the body to pick the workspace queue or the
    # flow (trustgraph/gateway/dispatch/manager.py) before any translator runs; most translators
    # then never look at it.
    ("*", "workspace"): Allowed("routing key of the DispatcherManager", read_by_translator=False),
    # TextCompletionRequestTranslator.decode reads "streaming"; encode does not re-emit it.
    ("text-completion", "streaming"): Allowed("streaming flag not re-emitted by encode"),
    # PromptRequestTranslator.decode reads "streaming" and JSON-encodes "variables" into
    # "terms"; encode writes "terms" and no "streaming".
    ("prompt", "streaming"): Allowed("streaming flag not re-emitted by encode"),
    ("prompt", "variables"): Allowed("JSON-encoded into terms by decode", replaced_by="terms"),
    # LibrarianRequestTranslator.decode reads the upload / listing fields; its encode never
    # writes them (tests/gateway_releases.py request_losses).
    ("librarian", "include-children"): Allowed("librarian request encode drops it"),
    ("librarian", "total-size"): Allowed("librarian request encode drops it"),
    ("librarian", "chunk-size"): Allowed("librarian request encode drops it"),
    ("librarian", "upload-id"): Allowed("librarian request encode drops it"),
    ("librarian", "chunk-index"): Allowed("librarian request encode drops it"),
}


# Response keys a real translator can write that no operation routed by the gateway ever sets,
# so the spec's models leave them out on purpose: drift.ACCEPTED_OMISSIONS, e.g. the IAM outputs
# of the gateway's own calls (get-signing-key-public, resolve-api-key, authorise*). They are
# removed from the harness frames before parsing, only while those calls stay unrouted (checked
# against the inventory: drift.accepted_omissions reports the reason void otherwise).


# ---------------------------------------------------------------------------
# The spec and the generated models
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    rel: str
    svc: ServiceSpec
    name: str
    op: OperationSpec

    @property
    def id(self) -> str:
        return f"{self.svc.service}/{self.name}"

    @property
    def where(self) -> str:
        return f"spec/{self.rel}: operations.{self.name}"


def _load() -> tuple[Spec | None, str]:
    try:
        return load_spec(SPEC_DIR), ""
    except SpecError as exc:
        return None, str(exc)


SPEC, SPEC_ERROR = _load()


def _opaque(svc: ServiceSpec) -> bool:
    """Services no translator reads: the passthrough (``body_param``, an opaque body; see
    test_passthrough_contract) and plain HTTP routes (see test_http_route_contract)."""
    return svc.surface == "http" or any(op.body_param for op in svc.operations.values())


CASES: list[Case] = (
    [
        Case(rel, svc, name, op)
        for rel, svc in SPEC.services
        if not _opaque(svc)
        for name, op in svc.operations.items()
    ]
    if SPEC is not None
    else []
)
SERVICES: dict[str, tuple[str, ServiceSpec]] = (
    {svc.service: (rel, svc) for rel, svc in SPEC.services if not _opaque(svc)}
    if SPEC is not None
    else {}
)
OPAQUE: list[tuple[str, ServiceSpec]] = (
    [(rel, svc) for rel, svc in SPEC.services if _opaque(svc) and svc.surface != "http"]
    if SPEC is not None
    else []
)
HTTP_OPS: list[tuple[str, str, OperationSpec]] = (
    [
        (rel, name, op)
        for rel, svc in SPEC.services
        if svc.surface == "http"
        for name, op in svc.operations.items()
    ]
    if SPEC is not None
    else []
)


def _params(items: list[Any], ids: Any) -> list[Any]:
    if SPEC is None:
        return [pytest.param(None, id="spec-does-not-load")]
    return [pytest.param(item, id=ids(item)) for item in items]


def _need_spec() -> None:
    if SPEC is None:
        pytest.fail(f"cannot load the spec at {SPEC_DIR}:\n{SPEC_ERROR}", pytrace=False)


class MissingModel(Exception):
    pass


def model_class(service: str, name: str) -> type[WireModel]:
    for module in (f"tgclient.types.{module_name(service)}", "tgclient.types.common"):
        try:
            cls = getattr(importlib.import_module(module), name, None)
        except ImportError:
            cls = None
        if isinstance(cls, type) and issubclass(cls, WireModel):
            return cls
    raise MissingModel(
        f"generated/tgclient has no model {name} for {service} (tgclient.types."
        f"{module_name(service)}); run: python -m codegen"
    )


# ---------------------------------------------------------------------------
# Key paths
# ---------------------------------------------------------------------------


def key_paths(value: Any) -> set[str]:
    return gi.key_paths(value)


def _below(path: str, key: str) -> bool:
    return path == key or path.startswith((key + ".", key + "[]"))


def _allowance(service: str, path: str) -> tuple[tuple[str, str], Allowed] | None:
    for (svc, key), allowed in ALLOWED_LOSSES.items():
        if svc in ("*", service) and _below(path, key):
            return (svc, key), allowed
    return None


def _unknown_keys(value: Any, path: str = "") -> list[str]:
    """Keys a parsed model kept as extras (the model does not declare them)."""
    if isinstance(value, WireModel):
        found = [f"{path}{key}" for key in sorted(value.model_extra or {})]
        for name in type(value).model_fields:
            found += _unknown_keys(getattr(value, name), f"{path}{name}.")
        return found
    if isinstance(value, list | tuple):
        return [k for i, v in enumerate(value) for k in _unknown_keys(v, f"{path}{i}.")]
    if isinstance(value, dict):
        return [k for key, v in value.items() for k in _unknown_keys(v, f"{path}{key}.")]
    return []


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    problems: list[str] = dataclasses.field(default_factory=list)
    checked: int = 0  # examples (requests) or frames (responses) that went through the gateway
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def covered(self) -> bool:
        return self.checked > 0 and not self.problems


def _auth_route(svc: ServiceSpec, name: str) -> JSON | None:
    assert SPEC is not None
    surface = SPEC.gateway.surfaces.get("auth")
    template = surface.rest.path if surface is not None and surface.rest else ""
    route: JSON | None = INV["auth_routes"].get(
        "/" + template.replace("{operation}", name).replace("{service}", svc.service)
    )
    return route


def harness_support(svc: ServiceSpec, name: str) -> str | None:
    """How the gateway side is driven for ``svc``, or None when nothing can drive it."""
    if svc.service in gt.SERVICES:
        return "translator round trip"
    if svc.service in SENDER_KINDS:
        return "sender to_request (keys read)"
    if svc.surface == "auth" and _auth_route(svc, name) is not None:
        return "auth route (keys read)"
    return None


def _no_support(case: Case) -> str:
    return (
        f"{case.where}: no harness support for service {case.svc.service!r} "
        f"(surface {case.svc.surface}): it is not in tests/contract/gateway_translators.py "
        f"SERVICES ({len(gt.SERVICES)} kinds), not a sender kind of the gateway "
        f"({', '.join(sorted(SENDER_KINDS))}), not an auth route "
        f"({', '.join(sorted(INV['auth_routes']))}); the harness needs a requestor and response "
        "frames for it"
    )


class _FakeProducer:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send(self, msg: Any) -> None:
        self.sent.append(msg)


@functools.cache
def _sender(kind: str) -> Any:
    import trustgraph.gateway.dispatch.manager as mgr

    disp = gi.instantiate(mgr.sender_dispatchers[kind])
    disp.producer = _FakeProducer()
    return disp


def _sender_keys_ignored(kind: str, body: JSON) -> list[str]:
    log: list[tuple[str, str]] = []
    _sender(kind).to_request(gi.TrackedDict(copy.deepcopy(body), "", log))
    ignored, _opaque = gi.classify_unread(key_paths(body), {p for p, _ in log})
    return ignored


def _roundtrip_problems(case: Case, i: int, body: JSON) -> list[str]:
    service = case.svc.service
    where = f"{case.where}.examples.{i}"
    try:
        out = gt.request_roundtrip(service, body)
    except Exception as exc:
        err = gt.gateway_error_for(service, body)
        return [f"{where}: the gateway cannot decode {body}: {type(exc).__name__}: {exc} -> {err}"]
    sent, back = key_paths(body), key_paths(out)
    lost = sorted(sent - back)
    problems: list[str] = []
    reads = set(INV["translators"].get(service, {}).get("request", {}).get("keys_read", []))
    unexplained: list[str] = []
    for path in lost:
        hit = _allowance(service, path)
        if hit is None:
            unexplained.append(path)
            continue
        (_svc, key), allowed = hit
        if allowed.read_by_translator and key not in reads:
            problems.append(
                f"{where}: {path!r} is allow-listed ({allowed.why}) but the {service} request "
                f"translator does not read {key!r} at all: the allowance is stale"
            )
        if allowed.replaced_by is not None and allowed.replaced_by not in out:
            problems.append(
                f"{where}: {key!r} should come back as {allowed.replaced_by!r}, which is absent "
                f"from {sorted(out)}"
            )
    if unexplained:
        added = sorted(back - sent)
        problems.append(
            f"{where}: the {service} translator lost or renamed {unexplained} of our request "
            f"{body}; it wrote back {out}"
            + (f" (keys it added, defaults or renames: {added})" if added else "")
        )
    return problems


def _request_problems(case: Case, i: int, body: JSON, how: str) -> list[str]:
    where = f"{case.where}.examples.{i}"
    if how == "translator round trip":
        return _roundtrip_problems(case, i, body)
    if how.startswith("sender"):
        try:
            ignored = _sender_keys_ignored(case.svc.service, body)
        except Exception as exc:
            return [f"{where}: the {case.svc.service} sender cannot take {body}: {exc!r}"]
        unexplained = [p for p in ignored if _allowance(case.svc.service, p) is None]
        return [f"{where}: the gateway never reads {unexplained} of {body}"] if unexplained else []
    route = _auth_route(case.svc, case.name)
    assert route is not None
    read = set(route.get("body_keys_read", []))
    unread = sorted(k for k in body if k not in read)
    return (
        [f"{where}: {route['handler']} never reads {unread} of {body} (it reads {sorted(read)})"]
        if unread
        else []
    )


_REQUESTS: dict[str, Outcome] = {}


def request_outcome(case: Case) -> Outcome:
    if case.id not in _REQUESTS:
        _REQUESTS[case.id] = _request_outcome(case)
    return _REQUESTS[case.id]


def _request_outcome(case: Case) -> Outcome:
    out = Outcome()
    how = harness_support(case.svc, case.name)
    if how is None:
        out.problems.append(_no_support(case))
        return out
    out.notes.append(how)
    try:
        model = model_class(case.svc.service, case.op.request)
    except MissingModel as exc:
        out.problems.append(f"{case.where}: {exc}")
        return out
    for i, example in enumerate(case.op.examples):
        where = f"{case.where}.examples.{i}.request"
        try:
            parsed = model.model_validate(example.request)
        except Exception as exc:
            out.problems.append(f"{where}: does not fit {model.__name__}: {exc}")
            continue
        extra = _unknown_keys(parsed)
        if extra:
            out.problems.append(f"{where}: keys {model.__name__} does not declare: {extra}")
        body = parsed.model_dump(mode="json", by_alias=True, exclude_none=True)
        dropped = sorted(key_paths(example.request) - key_paths(body))
        if dropped:
            out.problems.append(f"{where}: {model.__name__} loses {dropped} when serializing")
        problems = _request_problems(case, i, body, how)
        out.problems += problems
        out.checked += 1
    return out


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RealFrame:
    label: str
    response: JSON


def _route_label(svc: ServiceSpec, label: str) -> list[str]:
    """Operations a frame label names: the longest operation name (or wire operation) that the
    label equals or starts with followed by '-'."""
    best: list[str] = []
    best_len = 0
    for name, op in svc.operations.items():
        for token in {name, op.wire_operation or name}:
            if label == token or label.startswith(token + "-"):
                if len(token) > best_len:
                    best, best_len = [name], len(token)
                elif len(token) == best_len and name not in best:
                    best.append(name)
    return best


def real_frames(svc: ServiceSpec) -> tuple[list[RealFrame], str | None]:
    """The gateway's response frames for a spec service, and what is missing if none."""
    if svc.service in gt.SERVICES:
        return [RealFrame(f.label, f.response) for f in gt.response_frames(svc.service)], None
    if svc.service in SENDER_KINDS:
        # ServiceSender.process answers {} once the message is sent (errors: {"error": str}).
        frames = []
        for _name, op in svc.operations.items():
            for example in op.examples:
                answer = asyncio.run(_sender(svc.service).process(copy.deepcopy(example.request)))
                frames.append(RealFrame("sent", answer))
        return frames, None
    if svc.surface == "auth" and "iam" in gt.SERVICES:
        iam = gt.response_frames("iam")
        frames = []
        for name in svc.operations:
            route = _auth_route(svc, name)
            if route is None:
                continue
            # The handler returns the IAM translator's frame of the forwarded operation; for an
            # operation without output fields that is the harness's "no-output" frame.
            forwarded = str(route.get("iam_operation"))
            mine = [f for f in iam if f.label == forwarded] or [
                f for f in iam if f.label == "no-output"
            ]
            frames += [RealFrame(name, f.response) for f in mine]
        return frames, None
    return [], (
        f"no response frames for service {svc.service!r}: add a builder for it to "
        "tests/contract/gateway_translators.py (_BUILDERS)"
    )


def _chunk_models(op: OperationSpec) -> list[str]:
    chunk = op.streaming.chunk
    if chunk is None:
        return []
    return [*chunk.map.values(), chunk.default] if isinstance(chunk, ChunkUnion) else [chunk]


def expected_model(op: OperationSpec, frame: RealFrame) -> str:
    """The model the runtime parses ``frame`` with for ``op``."""
    chunk = op.streaming.chunk
    if op.streaming.mode == "never" or chunk is None or "non-streaming" in frame.label:
        return op.response
    if isinstance(chunk, ChunkUnion):
        value = frame.response.get(chunk.discriminator)
        return chunk.map.get(str(value), chunk.default) if value is not None else chunk.default
    return chunk


def _python_named(obj: Any, data: Any, path: str = "") -> list[str]:
    """Keys of ``data`` that matched a field by its Python name instead of its wire name.

    Models accept both (``populate_by_name``), so strict parsing alone lets a wrong wire name in
    the spec through (``end-of-stream`` in the spec, ``end_of_stream`` on the wire).
    """
    if isinstance(obj, list | tuple) and isinstance(data, list):
        return [
            k
            for i, (o, d) in enumerate(zip(obj, data, strict=False))
            for k in _python_named(o, d, f"{path}{i}.")
        ]
    if isinstance(obj, dict) and isinstance(data, dict):
        return [
            k for key, o in obj.items() for k in _python_named(o, data.get(key), f"{path}{key}.")
        ]
    if not isinstance(obj, WireModel) or not isinstance(data, dict):
        return []
    fields = type(obj).model_fields
    wire = {name: (field.alias or name) for name, field in fields.items()}
    found = [
        f"{path}{key} (the spec's wire name is {wire[key]!r})"
        for key in data
        if key in wire and wire[key] != key and wire[key] not in data
    ]
    for name in fields:
        found += _python_named(getattr(obj, name), data.get(wire[name]), f"{path}{wire[name]}.")
    return found


def _parse(service: str, model_name: str, data: JSON) -> str | None:
    try:
        parsed = parse_response(
            model_class(service, model_name), data, strict=True, service=service
        )
    except MissingModel as exc:
        return str(exc)
    except TrustGraphError as exc:
        text = " ".join(str(exc).split())
        return text if len(text) < 700 else text[:700] + " ..."
    misnamed = _python_named(parsed, data)
    if misnamed:
        return f"keys match {model_name} only by Python name: {misnamed}"
    return None


@dataclasses.dataclass
class ServiceResponses:
    outcomes: dict[str, Outcome]
    service_problems: list[str]
    frames: int
    error_frames: int


@functools.cache
def response_outcomes(service: str) -> ServiceResponses:
    rel, svc = SERVICES[service]
    outcomes = {name: Outcome() for name in svc.operations}
    problems: list[str] = []
    frames, missing = real_frames(svc)
    if missing is not None or not frames:
        for name in svc.operations:
            outcomes[name].problems.append(
                f"spec/{rel}: operations.{name}: {missing or 'the harness yields no frames'}"
            )
        return ServiceResponses(outcomes, [], 0, 0)
    errors = 0
    if svc.surface != "auth":
        keys, void = drift.accepted_omissions(service, "response", INV)
        problems += [f"drift.ACCEPTED_OMISSIONS for {service} responses: {v}" for v in void]
        frames = [
            RealFrame(f.label, {k: v for k, v in f.response.items() if k not in keys})
            for f in frames
        ]
    validated: set[str] = set()
    for frame in frames:
        if frame.response.get("error"):
            errors += 1
            exc = error_from_wire(frame.response["error"], body=frame.response, service=service)
            if not isinstance(exc, TrustGraphError):  # pragma: no cover - factory contract
                problems.append(f"{service} frame {frame.label!r}: runtime does not raise")
            continue
        named = _route_label(svc, frame.label)
        failures: dict[str, str] = {}
        for name in named or list(svc.operations):
            model = expected_model(svc.operations[name], frame)
            err = _parse(service, model, frame.response)
            if err is None:
                validated.add(model)
                outcomes[name].notes.append(f"{frame.label}->{model}")
            else:
                failures[name] = f"operations.{name} ({model}): {err}"
        fitted = len(failures) < len(named or svc.operations)
        if fitted:
            continue
        if named:
            for name in named:
                outcomes[name].problems.append(
                    f"spec/{rel}: frame {frame.label!r} of the real {service} translator, "
                    f"{frame.response}, does not parse strictly: {failures[name]}"
                )
        else:
            problems.append(
                f"spec/{rel}: frame {frame.label!r} of the real {service} translator, "
                f"{frame.response}, fits no operation of {service}:\n    "
                + "\n    ".join(failures.values())
            )
    for name, op in svc.operations.items():
        chunk = op.streaming.chunk
        if isinstance(chunk, ChunkUnion) and op.streaming.mode != "never":
            values = {
                str(f.response[chunk.discriminator])
                for f in frames
                if chunk.discriminator in f.response and not f.response.get("error")
            }
            if not values:
                outcomes[name].problems.append(
                    f"spec/{rel}: operations.{name}.streaming.chunk: no real frame carries the "
                    f"discriminator {chunk.discriminator!r}"
                )
            unmapped = sorted(values - set(chunk.map))
            if unmapped:
                outcomes[name].problems.append(
                    f"spec/{rel}: operations.{name}.streaming.chunk: the gateway sends "
                    f"{chunk.discriminator}={unmapped}, which the map does not name (they fall to "
                    f"the default {chunk.default}); map them explicitly"
                )
    # An operation is covered when a real frame validated one of its models (a model shared by
    # several operations, e.g. LibrarianResponse, is covered by any of their frames).
    for name, outcome in outcomes.items():
        op = svc.operations[name]
        mine = {op.response, *_chunk_models(op)}
        outcome.checked = len(mine & validated)
        if outcome.checked == 0 and not outcome.problems:
            outcome.problems.append(
                f"spec/{rel}: operations.{name}: no real {service} frame parses with its models "
                f"({', '.join(sorted(mine))}); frames: {[f.label for f in frames]}"
            )
    return ServiceResponses(outcomes, problems, len(frames), errors)


# ---------------------------------------------------------------------------
# Bulk sockets (spec/bulk.yaml)
# ---------------------------------------------------------------------------

BULK_IMPORTS: list[str] = sorted(SPEC.bulk.imports) if SPEC is not None and SPEC.bulk else []
BULK_EXPORTS: list[str] = sorted(SPEC.bulk.exports) if SPEC is not None and SPEC.bulk else []


class _FakeMsg:
    def __init__(self, data: Any) -> None:
        self._data = data

    def json(self) -> Any:
        return self._data


def bulk_import_problems(kind: str) -> list[str]:
    """The example frame, written by OUR frame model, through the real import dispatcher's
    ``receive``: every key path we send must be read, and a message must be published."""
    import trustgraph.gateway.dispatch.manager as mgr

    assert SPEC is not None and SPEC.bulk is not None
    spec_kind = SPEC.bulk.imports[kind]
    where = f"spec/bulk.yaml: imports.{kind}"
    cls = mgr.import_dispatchers.get(kind)
    if cls is None:
        return [f"{where}: the gateway has no import dispatcher for {kind!r}"]
    try:
        model = model_class("bulk", spec_kind.frame)
    except MissingModel as exc:
        return [f"{where}: {exc}"]
    parsed = model.model_validate(spec_kind.example)
    problems = [f"{where}.example: keys {model.__name__} lacks: {k}" for k in _unknown_keys(parsed)]
    body = parsed.model_dump(mode="json", by_alias=True, exclude_none=True)
    disp = gi.instantiate(cls)
    producer = _FakeProducer()
    disp.producer = producer
    log: list[tuple[str, str]] = []
    try:
        asyncio.run(disp.receive(_FakeMsg(gi.TrackedDict(copy.deepcopy(body), "", log))))
    except Exception as exc:
        return [*problems, f"{where}: {cls.__name__}.receive fails on {body}: {exc!r}"]
    ignored, _opaque = gi.classify_unread(key_paths(body), {p for p, _ in log})
    if ignored:
        problems.append(f"{where}: {cls.__name__} never reads {ignored} of {body}")
    if not producer.sent:
        problems.append(f"{where}: {cls.__name__} published nothing for {body}")
    return problems


def _export_objects(kind: str) -> list[tuple[str, Any]]:
    """Realistic store messages of each export kind (every Term kind in triples), plus one with
    every field populated (``gateway_inventory.fill_dataclass``)."""
    import trustgraph.schema as S

    meta = gt._metadata("doc-1")
    alice, lit = gt._iri("http://example.org/alice"), gt._lit("Alice", language="en")
    realistic: dict[str, Any] = {
        "triples": S.Triples(metadata=meta, triples=gt._triples()),
        "graph-embeddings": S.GraphEmbeddings(
            metadata=meta,
            entities=[
                S.EntityEmbeddings(entity=alice, vector=[0.1, -0.2], chunk_id="c1"),
                S.EntityEmbeddings(entity=lit, vector=[0.5]),
            ],
        ),
        "document-embeddings": S.DocumentEmbeddings(
            metadata=meta,
            chunks=[S.ChunkEmbeddings(chunk_id="doc-1/c1", vector=[0.3, 0.4])],
        ),
        "entity-contexts": S.EntityContexts(
            metadata=meta,
            entities=[S.EntityContext(entity=alice, context="Alice is a person.")],
        ),
    }
    out = [("realistic", realistic[kind])] if kind in realistic else []
    schema = _export_serializer(kind)[1]
    return [*out, ("all-fields", gi.fill_dataclass(schema))]


@functools.cache
def _export_serializer(kind: str) -> tuple[Any, type]:
    """The serializer and store schema the real export dispatcher of ``kind`` uses."""
    import sys

    import trustgraph.gateway.dispatch.manager as mgr

    module = sys.modules[mgr.export_dispatchers[kind].__module__]
    serializers = [v for n, v in vars(module).items() if n.startswith("serialize_")]
    schemas = [
        v
        for v in vars(module).values()
        if isinstance(v, type)
        and dataclasses.is_dataclass(v)
        and v.__module__.startswith("trustgraph.schema")
    ]
    assert len(serializers) == 1 and len(schemas) == 1, (kind, serializers, schemas)
    return serializers[0], schemas[0]


def bulk_export_problems(kind: str) -> list[str]:
    """Frames the real export serializer writes must parse strictly with OUR frame model."""
    import trustgraph.gateway.dispatch.manager as mgr

    assert SPEC is not None and SPEC.bulk is not None
    spec_kind = SPEC.bulk.exports[kind]
    where = f"spec/bulk.yaml: exports.{kind}"
    if kind not in mgr.export_dispatchers:
        return [f"{where}: the gateway has no export dispatcher for {kind!r}"]
    serialize, _schema = _export_serializer(kind)
    problems = []
    for label, obj in _export_objects(kind):
        frame = gt._plain(serialize(obj))
        err = _parse("bulk", spec_kind.frame, frame)
        if err is not None:
            problems.append(f"{where}: the real {kind} export frame ({label}) {frame}: {err}")
    return problems


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


def _fail(problems: list[str]) -> None:
    if problems:
        pytest.fail(
            f"{len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems),
            pytrace=False,
        )


def _skip_if_absent_and_unsupported(case: Case) -> None:
    """An operation the spec marks unsupported whose service the release does not serve has no
    gateway side to hold it to (the recipe for an operation a release lacks, CONTRIBUTING.md)."""
    if case.op.unsupported and harness_support(case.svc, case.name) is None:
        pytest.skip(
            f"{case.where}: marked unsupported, and gateway {INV['gateway_version']} does not "
            f"serve {case.svc.service}"
        )


@pytest.mark.parametrize("case", _params(CASES, lambda c: c.id))
def test_request_contract(case: Case | None) -> None:
    _need_spec()
    assert case is not None
    _skip_if_absent_and_unsupported(case)
    _fail(request_outcome(case).problems)


@pytest.mark.parametrize("case", _params(CASES, lambda c: c.id))
def test_response_contract(case: Case | None) -> None:
    _need_spec()
    assert case is not None
    _skip_if_absent_and_unsupported(case)
    _fail(response_outcomes(case.svc.service).outcomes[case.name].problems)


@pytest.mark.parametrize("service", _params(sorted(SERVICES), lambda s: s))
def test_every_real_frame_fits_the_service(service: str | None) -> None:
    """Frames not labelled after an operation must still fit some operation's model."""
    _need_spec()
    assert service is not None
    _fail(response_outcomes(service).service_problems)


def test_passthrough_contract() -> None:
    """thru/<interface>: the gateway wraps the body verbatim as PassthroughRequest.payload and
    answers PassthroughResponse.payload; the spec must send the body whole and return the
    answer whole (raw), addressed as '<service>/<interface>'."""
    _need_spec()
    assert OPAQUE, "the spec has no passthrough service, but gateway 2.11.1 routes thru/"
    pattern = INV["passthrough"]["pattern"]
    facts = INV["translators"][pattern]
    problems = []
    if facts.get("request_wraps_body_as") != ["payload"]:
        problems.append(f"gateway no longer wraps the body as payload: {facts}")
    if facts.get("response_returns") != "payload":
        problems.append(f"gateway no longer answers the payload: {facts}")
    for rel, svc in OPAQUE:
        if f"{svc.service}/<interface>" != pattern:
            problems.append(f"spec/{rel}: service {svc.service!r} does not match {pattern!r}")
        for name, op in svc.operations.items():
            if not op.target_param or op.python.result.kind != "raw":
                problems.append(f"spec/{rel}: {name} must name a target and return raw")
    _fail(problems)


def _matching_route(routes: dict[str, Any], path: str) -> Any:
    """The gateway route serving ``path``: the same template, or a template whose ``{name}``
    segments match it (``api/metrics/query`` is served by ``/api/metrics/{path}``)."""
    if path in routes:
        return routes[path]
    for template, route in routes.items():
        parts = re.split(r"\{[^}]+\}", template)
        if re.fullmatch("[^/]+".join(map(re.escape, parts)), path):
            return route
    return None


@pytest.mark.parametrize(
    ("rel", "name", "op"), [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in HTTP_OPS]
)
def test_http_route_contract(rel: str, name: str, op: OperationSpec) -> None:
    """A plain route's path template and method are the gateway's own (its handlers read
    query keys at request time, which the inventory does not capture; the integration tests
    exercise them)."""
    assert op.http is not None
    routes: dict[str, Any] = INV["special_routes"]
    route = _matching_route(routes, "/" + op.http.path)
    if route is None:
        pytest.fail(
            f"spec/{rel}: {name}: no gateway route {op.http.path!r} (routes: {sorted(routes)})"
        )
    if op.http.method not in route["methods"]:
        pytest.fail(f"spec/{rel}: {name}: {op.http.method} not in {route['methods']}")


@pytest.mark.parametrize("kind", BULK_IMPORTS)
def test_bulk_import_contract(kind: str) -> None:
    _fail(bulk_import_problems(kind))


@pytest.mark.parametrize("kind", BULK_EXPORTS)
def test_bulk_export_contract(kind: str) -> None:
    _fail(bulk_export_problems(kind))


def test_allow_list_entries_are_used() -> None:
    """Every translator asymmetry in ALLOWED_LOSSES is still real in the installed gateway."""
    stale = []
    for (service, key), allowed in ALLOWED_LOSSES.items():
        if service == "*" or not allowed.read_by_translator:
            continue
        request = INV["translators"].get(service, {}).get("request", {})
        if key not in request.get("keys_lost_in_roundtrip", []):
            stale.append(f"{service}: {key!r} ({allowed.why}) is no longer lost in a round trip")
    _fail(stale)


# ---------------------------------------------------------------------------
# Counts, printed at the end of the run
# ---------------------------------------------------------------------------


def _counts() -> Iterator[str]:
    if SPEC is None:
        yield f"spec at {SPEC_DIR} does not load:\n{SPEC_ERROR}"
        return
    req = [request_outcome(c) for c in CASES]
    resp = [response_outcomes(c.svc.service).outcomes[c.name] for c in CASES]
    no_harness = sum(harness_support(c.svc, c.name) is None for c in CASES)
    yield (
        f"spec {SPEC_DIR}: {len(SERVICES)} services, {len(CASES)} operations "
        f"({sum(len(c.op.examples) for c in CASES)} examples)"
    )
    yield (
        f"request contract:  {sum(o.covered for o in req):>3} operations covered, "
        f"{sum(bool(o.problems) for o in req):>3} failing ({no_harness} without harness support)"
    )
    yield (
        f"response contract: {sum(o.covered for o in resp):>3} operations covered, "
        f"{sum(bool(o.problems) for o in resp):>3} failing"
    )
    frames = sum(response_outcomes(s).frames for s in SERVICES)
    errors = sum(response_outcomes(s).error_frames for s in SERVICES)
    yield f"real response frames checked: {frames} ({errors} error frames raised by the runtime)"
    imports = sum(not bulk_import_problems(k) for k in BULK_IMPORTS)
    exports = sum(not bulk_export_problems(k) for k in BULK_EXPORTS)
    yield (
        f"bulk frames (spec/bulk.yaml): imports {imports}/{len(BULK_IMPORTS)}, "
        f"exports {exports}/{len(BULK_EXPORTS)} covered"
    )
    failing = sorted(
        {c.rel for c, r, s in zip(CASES, req, resp, strict=True) if r.problems or s.problems}
    )
    if failing:
        yield "spec files with failing operations: " + ", ".join(f"spec/{f}" for f in failing)


class _Summary:
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.section("contract: generated models vs the real translators")
        for line in _counts():
            terminalreporter.write_line(line)


@pytest.fixture(scope="module", autouse=True)
def _print_counts(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("tgclient-contract-summary"):
        manager.register(_Summary(), "tgclient-contract-summary")
