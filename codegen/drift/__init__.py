"""``python -m codegen drift``: what differs between a TrustGraph gateway release and ``spec/``.

The gateway is described by the inventory of ``codegen/drift/gateway_inventory.py`` (a JSON
document), obtained one of three ways:

* ``--gateway-python PATH``: run the inventory with an interpreter that has trustgraph-base /
  trustgraph-flow installed (default: this interpreter);
* ``--release X.Y.Z``: create a scratch venv, ``pip install --no-deps trustgraph-base==X.Y.Z
  trustgraph-flow==X.Y.Z`` plus ``tests/parity/requirements.txt``, and run the inventory there
  (``--venv DIR`` keeps and reuses the venv);
* ``--inventory FILE``: a saved inventory (``python codegen/drift/gateway_inventory.py > FILE``).

Compared: the release, the services and operations the gateway routes (flow services,
workspace services and their operations, IAM operations, auth routes), the dispatcher-only
kinds the spec must mark ``unsupported``, and per service the translator keys: request keys the
translator reads that the spec's request models lack (and top-level keys the spec sends that
the translator never reads), response keys the translator writes that the spec's response /
chunk models lack (and top-level spec keys it never writes). Bulk sockets and plain HTTP routes
are compared only when the spec describes something on those surfaces.

Exit status: 0 in sync, 1 drift, 2 the gateway or the spec could not be read.

Modules: ``gateway_inventory`` (runs inside the gateway's environment, prints JSON),
``release`` (gets an inventory), ``compare`` (spec vs inventory, shared with
``tests/parity``), ``report`` (the text report and the command line).
"""

from .compare import (
    ACCEPTED_OMISSIONS,
    Accepted,
    Diff,
    accepted_omissions,
    bulk_diff,
    described_surfaces,
    dispatcher_only_kinds,
    gateway_flow_kinds,
    http_diff,
    http_route_names,
    key_diffs,
    model_paths,
    operation_diffs,
    spec_operations,
    surface_names,
    unsupported_problems,
)
from .release import DriftError, inventory_from_python, inventory_from_release
from .report import main, render

__all__ = [
    "ACCEPTED_OMISSIONS",
    "Accepted",
    "Diff",
    "DriftError",
    "accepted_omissions",
    "bulk_diff",
    "described_surfaces",
    "dispatcher_only_kinds",
    "gateway_flow_kinds",
    "http_diff",
    "http_route_names",
    "inventory_from_python",
    "inventory_from_release",
    "key_diffs",
    "main",
    "model_paths",
    "operation_diffs",
    "render",
    "spec_operations",
    "surface_names",
    "unsupported_problems",
]
