"""What the runtime needs to know about one gateway operation, supplied by generated code.

The runtime knows no service by name: every service-specific fact (route, wire operation,
streaming and its end flag, where errors appear) arrives in an :class:`Operation` built from
the spec.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Literal
from urllib.parse import quote

from .errors import RequestValidationError

__all__ = ["Operation", "StreamEnd", "Surface"]

Surface = Literal["flow", "workspace", "iam", "auth", "http", "bulk-import", "bulk-export"]


@dataclasses.dataclass(frozen=True)
class StreamEnd:
    """How the last frame of a multi-frame answer is recognised (gateway-2.11 §5.6, §8).

    ``field`` names a boolean in the response that is true on the final frame; when it is
    ``None`` only the envelope's ``complete`` flag ends the stream.
    """

    field: str | None = None


@dataclasses.dataclass(frozen=True)
class Operation:
    """One operation of one gateway service.

    Attributes:
        service: the wire service kind, as the gateway routes it.
        name: the spec's operation name, for messages.
        surface: where the service lives (flow data plane, workspace, IAM, auth route, plain HTTP).
        rest_path: the REST path below the gateway root; ``{flow}`` is filled per call.
        wire_operation: the value of the request's ``operation`` key, if the service uses one.
        streams: ``"never"``, ``"optional"`` (a ``streaming`` request flag) or ``"always"``.
        end: how the final frame of a multi-frame answer is recognised.
        errors: ``"kept"`` when the translator reports errors in ``error``, ``"dropped"`` when
            the gateway release loses them (§9), so failures look like empty answers.
        unsupported: why the gateway cannot serve this operation, or ``None``.
        via_socket: whether the multiplexed WebSocket carries this surface (the spec's
            ``websocket``); when it does not, the call goes over REST whatever the transport.
        workspace_in_body: whether requests are addressed to a workspace (the spec's
            ``workspace_in_body``): the REST body and the socket envelope then carry the
            client's workspace.
        idempotent: whether the operation only reads (the spec's ``idempotent``), so it may
            be sent again after a transient failure (:mod:`tgclient_runtime.retry`).
    """

    service: str
    name: str
    surface: Surface
    rest_path: str
    wire_operation: str | None = None
    streams: Literal["never", "optional", "always"] = "never"
    end: StreamEnd = dataclasses.field(default_factory=StreamEnd)
    errors: Literal["kept", "dropped"] = "kept"
    unsupported: str | None = None
    via_socket: bool = True
    workspace_in_body: bool = False
    idempotent: bool = False

    def for_target(self, target: str) -> Operation:
        """This operation addressed to ``<service>/<target>`` (the ``thru/<interface>`` form)."""
        if not target or "/" in target or "?" in target:
            raise RequestValidationError(
                f"{self.service} target must be a plain name (no '/' or '?'), got {target!r}"
            )
        service = f"{self.service}/{target}"
        path = self.rest_path.removesuffix(self.service) + service
        return dataclasses.replace(self, service=service, rest_path=path)

    def fill(self, **params: str) -> str:
        """The path with each ``{name}`` replaced by its URL-quoted value."""
        path = self.rest_path
        for name, value in params.items():
            if not value:
                raise RequestValidationError(f"{self.service} {self.name} needs a non-empty {name}")
            path = path.replace("{" + name + "}", quote(str(value), safe=""))
        return path

    @functools.cached_property  # read twice per call
    def needs_flow(self) -> bool:
        """Whether a call must name the flow it goes to."""
        return self.surface == "flow"

    def path_for(self, flow: str | None) -> str:
        """The REST path with the flow id filled in (checked by the call plan)."""
        if flow is not None and "{flow}" in self.rest_path:
            return self.rest_path.replace("{flow}", quote(flow, safe=""))
        return self.rest_path
