"""The flow blueprint ``stub`` and the seed that bootstrap's TemplateSeed writes.

Blueprint shape as flow-svc 2.11.1 reads it (config type ``flow-blueprint``): ``flow``
entries ``"<processor id>:{id}"`` with their topics and parameters, and ``interfaces`` the
gateway routes to. Processor ids match :mod:`tests.integration.stack.group`.
"""

BLUEPRINT = "stub"
MODEL_PARAMETER = "llm-model"
DEFAULT_MODEL = "stub-echo-1"

# Request/response services: gateway kind -> processor id.
SERVICES = {
    "text-completion": "text-completion",
    "prompt": "prompt",
    "embeddings": "embeddings",
    "agent": "agent-manager",
    "graph-rag": "graph-rag",
    "document-rag": "document-rag",
    "triples": "triples-memory",
    "graph-embeddings": "graph-embeddings-memory",
    "document-embeddings": "doc-embeddings-memory",
    "sparql": "sparql-query",
}

# Fire-and-forget interfaces: interface name -> processor id consuming it (None: nobody).
FLOWS = {
    "triples-store": "triples-memory",
    "graph-embeddings-store": "graph-embeddings-memory",
    "document-embeddings-store": "doc-embeddings-memory",
    "entity-contexts-load": None,
    "text-load": None,
    "document-load": None,
}

# Processors whose flow entry carries the model parameter.
MODEL_USERS = {"text-completion", "prompt", "agent-manager", "graph-rag", "document-rag"}

# Processors writing explain triples (their "explainability" producer) into the triple store.
EXPLAINERS = {"agent-manager", "graph-rag", "document-rag"}


def _rr(kind):
    return {
        "request": f"request:tg:{kind}:{{workspace}}:{{id}}",
        "response": f"response:tg:{kind}:{{workspace}}:{{id}}",
    }


def _flow_topic(name):
    return f"flow:tg:{name}:{{workspace}}:{{id}}"


def blueprint():
    """The ``stub`` flow blueprint."""
    flow = {}
    for kind, proc in SERVICES.items():
        entry = {"topics": _rr(kind)}
        if proc in MODEL_USERS:
            entry["parameters"] = {"model": f"{{{MODEL_PARAMETER}}}"}
        flow[f"{proc}:{{id}}"] = entry
    # AgentService also declares a "next" producer (used by multi-step agents).
    flow["agent-manager:{id}"]["topics"]["next"] = _rr("agent")["request"]
    for name, proc in FLOWS.items():
        if proc:
            flow[f"{proc}:{{id}}"]["topics"]["store"] = _flow_topic(name)
    for proc in EXPLAINERS:
        flow[f"{proc}:{{id}}"]["topics"]["explainability"] = _flow_topic("triples-store")
    interfaces = {kind: _rr(kind) for kind in SERVICES}
    interfaces.update({name: {"flow": _flow_topic(name)} for name in FLOWS})
    return {
        "description": "tgclient integration stack: deterministic stub services",
        "tags": ["stub", "test"],
        "parameters": {MODEL_PARAMETER: {"type": MODEL_PARAMETER, "order": 1}},
        "blueprint": {},
        "flow": flow,
        "interfaces": interfaces,
    }


def seed():
    """TemplateSeed input: the blueprint and the parameter type it uses."""
    return {
        "flow-blueprint": {BLUEPRINT: blueprint()},
        "parameter-type": {
            MODEL_PARAMETER: {
                "type": "string",
                "description": "Stub LLM model name (echoed back as the usage model)",
                "default": DEFAULT_MODEL,
                "required": False,
            }
        },
    }
