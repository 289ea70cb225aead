"""The spec format: pydantic models that validate every YAML file under ``spec/``.

One file, ``spec/gateway.yaml``, describes the gateway as a whole (release, surfaces and their
routes, the Python accessors). ``spec/common.yaml`` holds shared wire types. Each
``spec/services/<kind>.yaml`` describes one gateway service: its surface, its wire models as
JSON Schema (wire names), its operations (streaming, end flag, error placement), the Python
method each operation becomes, and examples.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SurfaceName = Literal["flow", "workspace", "iam", "auth", "http", "bulk-import", "bulk-export"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RestRoute(_Strict):
    """How a surface is reached over REST. ``{flow}``, ``{service}`` and ``{operation}`` are
    filled per operation (``{flow}`` per call)."""

    method: Literal["GET", "POST"] = "POST"
    path: str


class Surface(_Strict):
    """One way into the gateway (gateway-2.11 §2.4, §3)."""

    doc: str
    rest: RestRoute | None = None
    websocket: bool = False
    workspace_in_body: bool = False


class Accessor(_Strict):
    """A Python resource class that groups methods (``api.config()``, ``flow.id("x")``)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    class_name: str = Field(alias="class", pattern=r"^[A-Z][A-Za-z0-9]*$")
    doc: str
    parent: str | None = None
    factory: str | None = Field(
        default=None, description="method on the parent that returns this accessor"
    )
    scope_param: str | None = Field(
        default=None, description="the factory's argument, e.g. the flow id"
    )
    factory_arg: str | None = Field(
        default=None, description="name of the factory's argument (defaults to scope_param)"
    )
    scope_default: str | None = None


class GatewaySpec(_Strict):
    """``spec/gateway.yaml``."""

    gateway_version: str
    default_url: str
    surfaces: dict[SurfaceName, Surface]
    accessors: list[Accessor]
    aliases: dict[str, list[str]] = Field(
        default={},
        description="public type aliases exported from tgclient: name -> the models it unites",
    )


class CommonSpec(_Strict):
    """``spec/common.yaml``: JSON Schemas of wire types shared by services."""

    models: dict[str, dict[str, Any]]


class ChunkUnion(_Strict):
    """Frames of one stream that parse into different models, picked by one response field
    (e.g. agent ``message_type``: thought, observation, answer, explain)."""

    discriminator: str
    map: dict[str, str]
    default: str = Field(description="model for frames whose value is absent or unknown")


class StreamingSpec(_Strict):
    """Whether an operation answers in several frames, and how the last one is recognised.

    ``mode``: ``optional`` (the request's ``streaming`` flag turns it on), ``always`` (several
    frames whatever is asked), ``never``. ``end``: the response field that is true on the
    final frame, or ``complete`` when only the envelope's ``complete`` flag says it.
    ``chunk``: the model each frame is parsed into when streaming (a model name of this file,
    or a ``ChunkUnion``); the operation's response model when absent.
    """

    mode: Literal["never", "optional", "always"]
    end: str
    chunk: str | ChunkUnion | None = None
    text: str | None = Field(
        default=None,
        description=(
            "stream text, not models: each frame is yielded as a str (TextResult) read from "
            "this chunk field, with usage attached"
        ),
    )
    opt_in: OptInChunks | None = None


class OptInChunks(_Strict):
    """Frames of a ChunkUnion stream that are left out unless a keyword asks for them (the
    seed's RAG streams yield only text chunks; explain events are opt-in)."""

    param: str = Field(pattern=r"^[a-z_][a-z0-9_]*$", description="the bool keyword")
    values: list[str] = Field(description="discriminator values left out by default")
    doc: str


class Param(_Strict):
    """One Python argument of a generated method, mapped to one request field."""

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    field: str | None = Field(default=None, description="wire field; defaults to the name")
    required: bool = False
    default: Any = None
    encode: Literal["json", "base64"] | None = Field(
        default=None,
        description=(
            "json: the argument is JSON-encoded into a string field; base64: the argument is "
            "bytes, sent as base64 text"
        ),
    )
    location: Literal["body", "path", "query", "content"] = Field(
        default="body",
        description=(
            "http operations: where the argument goes: a {name} in the path, a query "
            "parameter (a mapping argument adds all its entries), or the raw request body"
        ),
    )
    annotation: str | None = Field(
        default=None, description="http operations: the Python type (no request model)"
    )
    aliases: list[str] = Field(
        default=[],
        description="other keyword names for this argument (the seed's question= for query)",
    )
    doc: str

    @property
    def wire_field(self) -> str:
        return self.field or self.name


class DeprecatedParam(_Strict):
    """A keyword older clients passed that the gateway no longer takes: accepted,
    keyword-only (so it never shifts a positional argument), warned about once, not sent."""

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    reason: str = Field(description="why it is ignored, for the DeprecationWarning")
    positional: bool = Field(
        default=False,
        description=(
            "also accepted by position, right after the method's positional params (where an "
            "older official client took it, e.g. v1.6.5's agent(question, user)); the params "
            "after it become keyword-only, so a value given there never lands in another"
        ),
    )


class ExplainMethod(_Strict):
    """The official client's ``<method>_explain``: the method streamed (WebSocket only), each
    explain frame turned into a ``ProvenanceEvent`` (tgclient.explainability)."""

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    params: list[str] = Field(
        description="its parameters in the official order, each a parameter of the method; "
        "others pass by keyword"
    )
    fixed: dict[str, bool | int | str] = Field(
        default={}, description="arguments always passed to the method (besides streaming)"
    )


class Compose(_Strict):
    """A keyword answered by another call of the same flow first: ``text`` is embedded with
    ``via`` and its first vector fills ``into`` (the seed's graph_embeddings_query(text=...)).
    A str given positionally where ``into`` goes is taken as that text."""

    param: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    into: str
    via: str = Field(description="the method of the same accessor that makes a list of vectors")
    doc: str


class Result(_Strict):
    """How the response becomes the method's return value.

    ``model``: the parsed response model. ``field``: one field of it. ``text``: a ``str``
    (TextResult) read from ``field`` with usage attached. ``json``: ``field`` holds JSON text,
    decoded. ``base64``: ``field`` holds base64 text, decoded to bytes. ``raw``: the response
    object as a dict (opaque payloads). ``none``: nothing
    useful comes back.
    """

    kind: Literal["model", "field", "text", "json", "base64", "raw", "none", "tuple"]
    field: str | None = None
    fields: list[str] = Field(
        default=[],
        description=(
            "tuple results: the response fields, in order, returned as a tuple that also reads "
            "every response field as an attribute (the official config all(): (config, version))"
        ),
    )
    record: bool = Field(
        default=False,
        description=(
            "field results holding a list of one record: the list also reads as that record "
            "(the official update_collection returns collections[0])"
        ),
    )
    or_json: str | None = Field(
        default=None,
        description="text results: when the text is absent, the JSON decoded from this field",
    )
    count_of: str | None = Field(
        default=None,
        description=(
            "field results: the parameter whose length the list must match, else the service "
            "failed (dropped-error services that answer an empty list)"
        ),
    )

    @model_validator(mode="after")
    def _field_needed(self) -> Result:
        needs_field = self.kind in ("field", "text", "json", "base64")
        if needs_field and not self.field:
            raise ValueError(f"result kind {self.kind!r} needs 'field'")
        if not needs_field and self.field:
            raise ValueError(f"result kind {self.kind!r} takes no 'field'")
        if (self.kind == "tuple") != bool(self.fields):
            raise ValueError("'fields' goes with result kind 'tuple', and it needs them")
        if self.record and self.kind != "field":
            raise ValueError("'record' goes with result kind 'field'")
        return self


class PythonMethod(_Strict):
    """The Python surface of one operation."""

    accessor: str
    method: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    doc: str
    params: list[Param] = []
    positional: int | None = Field(
        default=None,
        ge=0,
        description="how many leading params may be passed positionally (the seed's and the "
        "official client's call shapes); the rest are keyword-only. None: all of them",
    )
    deprecated: list[DeprecatedParam] = []
    compose: Compose | None = None
    aliases: list[str] = Field(default=[], description="other names of the method (official)")
    explain_method: ExplainMethod | None = None
    official: str | None = Field(
        default=None,
        pattern=r"^[a-z_][a-z0-9_]*$",
        description=(
            "the method also takes the official client's call shape, which the params cannot "
            "express (fields spread over arguments, dispatch on argument types); the adapter "
            "of this name in _compat.py tells the two apart and translates the official one"
        ),
    )
    result: Result


class Example(_Strict):
    """A call, the exact wire request it must produce, and a wire response to it.

    ``frames`` is the whole multi-frame answer of a streaming example, in order, as the
    WebSocket delivers it (each item a frame's ``response`` object); ``response`` is what the
    REST route returns (the final frame).
    """

    call: dict[str, Any] = {}
    request: dict[str, Any]
    response: dict[str, Any]
    frames: list[dict[str, Any]] | None = None
    path: str | None = Field(default=None, description="http routes: the exact path and query")
    body: str | None = Field(default=None, description="http routes: the response body as text")


class HttpRoute(_Strict):
    """A plain HTTP route (surface ``http``): not a service request but a GET/POST of its own."""

    method: Literal["GET", "POST"]
    path: str = Field(description="below the gateway root; {name} takes a path parameter")
    response: Literal["json", "text", "bytes"]
    workspace_query: bool = Field(
        default=False, description="send the client's workspace as ?workspace= (when set)"
    )


class OperationSpec(_Strict):
    """One operation of a service."""

    wire_operation: str | None = Field(
        default=None, description="value of the request's 'operation' key, if the service has one"
    )
    request: str | None = Field(default=None, description="request model (not for http routes)")
    response: str | None = Field(default=None, description="response model (not for http)")
    http: HttpRoute | None = None
    streaming: StreamingSpec = StreamingSpec(mode="never", end="complete")
    unsupported: str | None = Field(
        default=None, description="why the gateway release cannot serve it (gateway-2.11 §3.11)"
    )
    idempotent: bool = Field(
        default=False,
        description=(
            "the operation only reads (get, list, query): the client may send it again after "
            "a connection failure, 429, 502, 503 or 504 (max_retries); never true for anything "
            "that writes, and not for model calls, each of which is billed"
        ),
    )
    failure_unless: list[str] = Field(
        default=[],
        description=(
            "for services whose errors the gateway drops: response fields of which at least one is "
            "present and non-null in every successful answer; when all are missing the call "
            "raises ServiceError instead of returning an empty result"
        ),
    )
    target_param: str | None = Field(
        default=None,
        description=(
            "a parameter whose value completes the service kind per call, as "
            "'<service>/<value>' (the thru/<interface> passthrough)"
        ),
    )
    body_param: str | None = Field(
        default=None, description="a mapping parameter sent as the whole request body"
    )
    python: PythonMethod
    examples: list[Example] = Field(min_length=1)


class ServiceSpec(_Strict):
    """``spec/services/<kind>.yaml``: one gateway service."""

    service: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    surface: SurfaceName
    doc: str
    errors: Literal["kept", "dropped"] = Field(
        description="kept: failures arrive in 'error'; dropped: the gateway loses them (§9)"
    )
    models: dict[str, dict[str, Any]]
    operations: dict[str, OperationSpec]


class BulkPython(_Strict):
    """The Python surface of one bulk import or export."""

    accessor: str = "flow_instance"
    method: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    doc: str
    items_param: str | None = Field(
        default=None, description="imports: the argument that takes the items to send"
    )
    params: list[Param] = Field(
        default=[], description="imports: other frame fields set once for every frame"
    )
    items_aliases: list[str] = Field(
        default=[],
        description="imports without params: other keyword names for the items (the seed's)",
    )
    method_aliases: list[BulkMethodAlias] = Field(
        default=[], description="imports: other names of the method, each with its items keyword"
    )


class BulkMethodAlias(_Strict):
    """Another name of a bulk import method (the seed's ``import_objects``)."""

    method: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    items_param: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")


class BulkKind(_Strict):
    """One import or export kind of the per-call bulk sockets (gateway-2.11 §10)."""

    interface: str = Field(description="the flow interface the socket feeds or taps")
    frame: str = Field(description="model of one frame")
    items: str | None = Field(
        default=None,
        description=(
            "the frame's list field: imports batch items into it, exports yield its items"
        ),
    )
    python: BulkPython
    example: dict[str, Any] = Field(description="one realistic frame")


class Preflight(_Strict):
    """The operation that reads a flow's interfaces before a bulk call, so a call the gateway
    would drop silently (unknown flow, missing interface) is refused instead."""

    service: str
    operation: str
    flow_param: str = Field(description="the request field that takes the flow id")
    record: str = Field(description="the response field holding the flow's JSON record")


class BulkSpec(_Strict):
    """``spec/bulk.yaml``: the import and export sockets."""

    doc: str
    preflight: Preflight
    models: dict[str, dict[str, Any]]
    imports: dict[str, BulkKind]
    exports: dict[str, BulkKind]
