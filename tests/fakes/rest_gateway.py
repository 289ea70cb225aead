"""An ``httpx.MockTransport`` fake of the gateway's REST routes (gateway-2.11 §3).

It keeps a small in-memory config store and flow table, checks the bearer token the way the
gateway does, answers text-completion by echoing, and can be told to answer the next request
with any status and body, to exercise every error shape of §3.12.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

Handler = Callable[[httpx.Request], httpx.Response]

_WORKSPACE_OPS = {
    "config": {"get", "list", "getvalues", "getvalues-all-ws", "config", "put", "delete"},
    "flow": {
        "list-blueprints",
        "get-blueprint",
        "put-blueprint",
        "delete-blueprint",
        "list-flows",
        "get-flow",
        "start-flow",
        "stop-flow",
    },
}


def _json(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body)


class FakeRestGateway:
    """State and routing of the fake; ``transport`` is what clients are given."""

    def __init__(self, *, token: str | None = None) -> None:
        self.token = token
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.forced: list[httpx.Response] = []
        self.config: dict[str, dict[str, dict[str, str]]] = {
            "default": {"prompt": {"system": '"You are helpful."'}}
        }
        self.blueprints: dict[str, str] = {"stub": '{"flow": {}}'}
        self.flows: dict[str, dict[str, Any]] = {
            "default": {"description": "Default", "blueprint-name": "stub", "parameters": {}}
        }
        self.transport = httpx.MockTransport(self.handle)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=self.transport)

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self.transport)

    def force(self, status: int, body: Any) -> None:
        """Answer the next request with this status and JSON body (or text, if a str)."""
        if isinstance(body, str):
            self.forced.append(httpx.Response(status, text=body))
        else:
            self.forced.append(_json(status, body))

    # routing -------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        try:
            body = json.loads(request.content or b"{}")
        except json.JSONDecodeError:
            body = None
        self.requests.append((path, body))
        if self.forced:
            return self.forced.pop(0)
        if self.token is not None:
            auth = request.headers.get("authorization", "")
            if auth != f"Bearer {self.token}":
                return _json(401, {"error": "auth failure"})
        parts = path.strip("/").split("/")
        if parts[:3] == ["api", "v1", "flow"] and len(parts) == 6 and parts[4] == "service":
            return self._flow_service(parts[3], parts[5], body)
        if parts[:2] == ["api", "v1"] and len(parts) == 3:
            return self._workspace_service(parts[2], body)
        return httpx.Response(404, text="Not Found")

    def _workspace_service(self, kind: str, body: Any) -> httpx.Response:
        if not isinstance(body, dict):
            return _json(400, {"error": "body must be an object"})
        op = body.get("operation")
        if not op:
            return _json(400, {"error": "missing operation"})
        if op not in _WORKSPACE_OPS.get(kind, set()):
            return _json(400, {"error": "unknown operation"})
        workspace = body.get("workspace", "default")
        if workspace not in self.config:
            return _json(404, {"error": "workspace not found"})
        if kind == "config":
            return _json(200, self._config(op, body, self.config[workspace]))
        return _json(200, self._flow(op, body))

    def _config(self, op: str, body: dict[str, Any], store: dict[str, dict[str, str]]) -> Any:
        out: dict[str, Any] = {"version": 7, "values": [], "directory": [], "config": {}}
        if op == "get":
            out["values"] = [
                {**k, "value": store.get(k["type"], {}).get(k["key"])} for k in body["keys"]
            ]
        elif op == "list":
            out["directory"] = sorted(store.get(body["type"], {}))
        elif op == "getvalues":
            entries = store.get(body["type"], {})
            out["values"] = [
                {"type": body["type"], "key": k, "value": v} for k, v in sorted(entries.items())
            ]
        elif op == "config":
            out["config"] = store
        elif op == "put":
            for v in body["values"]:
                store.setdefault(v["type"], {})[v["key"]] = v["value"]
        elif op == "delete":
            for k in body["keys"]:
                store.get(k["type"], {}).pop(k["key"], None)
        return out

    def _flow(self, op: str, body: dict[str, Any]) -> Any:
        out: dict[str, Any] = {
            "blueprint-names": [],
            "flow-ids": [],
            "blueprint-definition": "",
            "flow": "",
            "description": "",
            "parameters": {},
        }
        if op == "list-blueprints":
            out["blueprint-names"] = sorted(self.blueprints)
        elif op == "get-blueprint":
            out["blueprint-definition"] = self.blueprints.get(body.get("blueprint-name", ""), "")
        elif op == "put-blueprint":
            self.blueprints[body["blueprint-name"]] = body["blueprint-definition"]
        elif op == "delete-blueprint":
            self.blueprints.pop(body["blueprint-name"], None)
        elif op == "list-flows":
            out["flow-ids"] = sorted(self.flows)
        elif op == "get-flow" and body.get("flow-id") in self.flows:
            flow = self.flows[body["flow-id"]]
            out["flow"] = json.dumps(flow)
            out["description"] = flow["description"]
        elif op == "start-flow" and body.get("flow-id") not in self.flows:
            self.flows[body["flow-id"]] = {
                "description": body.get("description", ""),
                "blueprint-name": body["blueprint-name"],
                "parameters": body.get("parameters", {}),
            }
        elif op == "stop-flow":
            self.flows.pop(body.get("flow-id", ""), None)
        return out

    def _flow_service(self, flow: str, kind: str, body: Any) -> httpx.Response:
        if kind != "text-completion":
            return _json(404, {"error": "unknown kind"})
        if body is None:
            return _json(200, {"error": "Expecting value: line 1 column 1 (char 0)"})
        workspace = body.get("workspace", "default")
        if flow not in self.flows:
            return _json(200, {"error": f"Invalid flow {workspace}/{flow}"})
        if "prompt" not in body and body.get("operation") != "list-models":
            return _json(200, {"error": {"type": "gateway-error", "message": "'prompt'"}})
        if body.get("operation") == "list-models":
            return _json(200, {"response": "", "end_of_stream": True, "models": [{"id": "m"}]})
        return _json(
            200,
            {
                "response": f"echo: {body['prompt']}",
                "end_of_stream": True,
                "in_token": len(body["prompt"]),
                "out_token": len(body["prompt"]) + 6,
                "model": "fake-llm",
            },
        )
