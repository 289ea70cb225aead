"""Readiness probes: the requests the launcher sends through the gateway before it returns.

RabbitMQ drops a request published before its consumer has bound a queue, and the gateway
then waits for its full timeout, so ``Stack.start()`` does not return until every service
the stack offers has answered one cheap request. Each probe names the process that serves
it, so a failure can point at the right log.
"""

from concurrent.futures import ThreadPoolExecutor

from .blueprint import SERVICES
from .net import post_json

STUBS = "stubs"
GATEWAY = "api-gateway"

# kind -> (request body, check(response) -> bool), for flow services on flow "default".
FLOW_PROBES = {
    "text-completion": (
        {"system": "", "prompt": "ready?"},
        lambda r: r.get("response") == "ready?",
    ),
    "prompt": ({"id": "probe", "terms": {}}, lambda r: r.get("text", "").startswith("probe:")),
    "embeddings": ({"texts": ["ready?"]}, lambda r: len(r.get("vectors", [])) == 1),
    "agent": ({"question": "ready?"}, lambda r: r.get("end_of_dialog") is True),
    "graph-rag": ({"query": "ready?"}, lambda r: "ready?" in r.get("response", "")),
    "document-rag": ({"query": "ready?"}, lambda r: "ready?" in r.get("response", "")),
    "triples": ({"limit": 1}, lambda r: "response" in r and "error" not in r),
    "graph-embeddings": ({"vector": [1.0], "limit": 1}, lambda r: "entities" in r),
    "document-embeddings": ({"vector": [1.0], "limit": 1}, lambda r: "chunks" in r),
    "sparql": ({"query": "ready"}, lambda r: r.get("query-type") == "select"),
}

# kind -> (request body, check), for workspace services (served by the stubs process).
WORKSPACE_PROBES = {
    "librarian": ({"operation": "list-documents"}, lambda r: "document-metadatas" in r),
    "collection-management": (
        {"operation": "list-collections"},
        lambda r: "collections" in r,
    ),
    "knowledge": ({"operation": "list-kg-cores"}, lambda r: "ids" in r),
}

assert set(FLOW_PROBES) == set(SERVICES)


def flows(url, timeout, token=None):
    """The flow ids the gateway lists for workspace ``default`` (raises OSError if down)."""
    status, body = post_json(f"{url}api/v1/flow", {"operation": "list-flows"}, timeout, token)
    if status != 200 or not isinstance(body, dict):
        return []
    return body.get("flow-ids") or []


def pending(url, done, timeout, token=None):
    """Probe, in parallel, every service not in ``done``; add those that answered to ``done``.

    Returns the kinds still not answering.
    """
    targets = {
        kind: (f"{url}api/v1/flow/default/service/{kind}", *probe)
        for kind, probe in FLOW_PROBES.items()
    }
    targets.update(
        {kind: (f"{url}api/v1/{kind}", *probe) for kind, probe in WORKSPACE_PROBES.items()}
    )
    todo = {k: v for k, v in targets.items() if k not in done}
    with ThreadPoolExecutor(max_workers=len(todo) or 1) as pool:
        answers = {kind: pool.submit(_ok, *args, timeout, token) for kind, args in todo.items()}
    done.update(kind for kind, future in answers.items() if future.result())
    return [kind for kind in targets if kind not in done]


def _ok(url, body, check, timeout, token):
    try:
        status, answer = post_json(url, body, timeout, token)
    except OSError:
        return False
    return status == 200 and isinstance(answer, dict) and check(answer)
