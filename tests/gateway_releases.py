"""Release facts: what the parity and contract tests know about each gateway release, in one
table keyed by release. Facts the inventory cannot see (what a handler does at run time) and
the counts the self-checks pin down live here and nowhere else.

The release under test is the installed trustgraph-flow (the parity tox env installs
``$TGCLIENT_GATEWAY_RELEASE``, default the spec's release). A release with no entry fails
loudly: moving the spec to a release starts with adding its row (CONTRIBUTING.md).
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class ReleaseFacts:
    """What the tests assert about one gateway release.

    ``flow_services``: flow services the registry routes; ``harness_services``: request/response
    plus global dispatcher kinds (what the contract harness drives); ``unservable``: (service,
    wire operation) the gateway routes but cannot serve, with why (the spec must mark them
    ``unsupported``); ``request_losses``: keys a request translator reads but its ``encode``
    does not write back.
    """

    flow_services: int
    harness_services: int
    unservable: dict[tuple[str, str], str]
    request_losses: dict[str, frozenset[str]]


_UNSERVABLE_2_11 = {
    ("config", "getvalues-all-ws"): (
        "routed to the per-workspace config queue, whose handler rejects it; the error is "
        "dropped, so it always answers empty (trustgraph/config/service; gateway-2.11 §3.11)"
    ),
    ("knowledge", "unload-kg-core"): (
        "routed, but the knowledge service always answers not-implemented "
        "(trustgraph/cores/knowledge.py unload_kg_core; gateway-2.11 §3.11)"
    ),
}
# prompt: ``variables`` are JSON-encoded into ``terms``; librarian: the upload / listing fields
# are decoded but its ``encode`` never emits them.
_LOSSES_2_11 = {
    "text-completion": frozenset({"streaming"}),
    "prompt": frozenset({"streaming", "variables"}),
    "librarian": frozenset(
        {"include-children", "total-size", "chunk-size", "upload-id", "chunk-index"}
    ),
}

RELEASES: dict[str, ReleaseFacts] = {
    "2.11.1": ReleaseFacts(
        flow_services=21,
        harness_services=27,
        unservable=_UNSERVABLE_2_11,
        request_losses=_LOSSES_2_11,
    ),
}


class UnknownRelease(LookupError):
    """The release under test has no row in ``RELEASES``."""


def facts(release: str) -> ReleaseFacts:
    """The facts of ``release``; raises :class:`UnknownRelease` naming the fix."""
    try:
        return RELEASES[release]
    except KeyError:
        raise UnknownRelease(
            f"gateway release {release} has no entry in tests/gateway_releases.py RELEASES "
            f"(known: {', '.join(sorted(RELEASES))}); add its row as CONTRIBUTING.md "
            "'Upgrading to a new gateway release' describes"
        ) from None
