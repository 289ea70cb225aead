"""A fake triple store holding explain graphs as the 2.11.1 services write them.

``tests/unit/data/explain_graphs.json`` was made by trustgraph-base 2.11.1's own provenance
functions and encoded by the gateway's translator (``tests/unit/data/make_explain_graphs.py``):
a graph RAG, two document RAG (with and without a reranker), two ReAct agent (one running a
graph RAG session) and a supervisor agent session, plus labels in the default graph.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx

GRAPHS = json.loads(
    (Path(__file__).parents[1] / "unit" / "data" / "explain_graphs.json").read_text("utf-8")
)
SESSIONS: dict[str, list[dict[str, Any]]] = GRAPHS["sessions"]
ALL_TRIPLES: list[dict[str, Any]] = [
    t for steps in SESSIONS.values() for step in steps for t in step["triples"]
] + GRAPHS["labels"]


class FakeStore:
    """The flow's triples route over ``triples`` (wire dicts), and the librarian's
    get-document-content over ``documents``; ``reveal`` limits how much of the store each
    successive read sees (a store still being written)."""

    def __init__(self, triples: list[dict[str, Any]]) -> None:
        self.triples = triples
        self.documents: dict[str, bytes] = {}
        self.queries: list[dict[str, Any]] = []
        self.reveal: list[int] = []
        self.librarian_failures = 0
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if request.url.path == "/api/v1/flow/default/service/triples":
            self.queries.append(body)
            return httpx.Response(200, json={"response": self.match(body)})
        if request.url.path == "/api/v1/librarian":
            if self.librarian_failures:
                self.librarian_failures -= 1
                error = {"type": "librarian-error", "message": "Document not found"}
                return httpx.Response(200, json={"error": error})
            content = self.documents[body["document-id"]]
            return httpx.Response(200, json={"content": base64.b64encode(content).decode()})
        return httpx.Response(404, text="Not Found")

    def match(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        visible = self.triples[: self.reveal.pop(0)] if self.reveal else self.triples
        found = []
        for t in visible:
            graph = t.get("g")
            wanted = body.get("g")
            if wanted != "*" and (graph or None) != (wanted or None):
                continue
            if any(k in body and body[k] != t[k] for k in ("s", "p", "o")):
                continue
            found.append(t)
        return found[: body.get("limit", 10000)]
