"""Configuration files for the processes the launcher starts inside its state directory.

- ``group.json``: ``processor-group`` config running every stub plus the stock librarian and
  knowledge processors in one process (the stack must stay lean on two cores);
- ``seed.json`` and ``bootstrap.json``: bootstrap initialisers (TemplateSeed, WorkspaceInit
  for ``default``, WaitForFlowService, DefaultFlowStart of flow ``default``).
"""

import json

from .blueprint import BLUEPRINT, seed

STUBS = {
    "text-completion": "tgstack.stubs_llm.TextCompletion",
    "prompt": "tgstack.stubs_llm.Prompt",
    "embeddings": "tgstack.stubs_llm.Embeddings",
    "agent-manager": "tgstack.stubs_agent.Agent",
    "graph-rag": "tgstack.stubs_rag.GraphRag",
    "document-rag": "tgstack.stubs_rag.DocumentRag",
    "triples-memory": "tgstack.stubs_stores.TriplesMemory",
    "graph-embeddings-memory": "tgstack.stubs_stores.GraphEmbeddingsMemory",
    "doc-embeddings-memory": "tgstack.stubs_stores.DocumentEmbeddingsMemory",
    "sparql-query": "tgstack.stubs_sparql.SparqlQuery",
}

WORKSPACE_SERVICES = {
    "librarian": "tgstack.workspace.Librarian",
    "knowledge": "tgstack.workspace.Knowledge",
}

# Worker tasks per stub processor, and messages each of its consumers may hold at once
# (tgstack.processors): requests are handled concurrently, as by a service scaled to this
# many replicas, so concurrency benchmarks measure the client and the gateway, not the stub.
CONCURRENCY = 32
# Seconds a processor waits for a config answer before retrying (stock: 60).
CONFIG_TIMEOUT = 10


def pubsub_params(amqp_port):
    """Per-processor parameters selecting the private RabbitMQ (group params skip argparse)."""
    return {
        "pubsub_backend": "rabbitmq",
        "rabbitmq_host": "127.0.0.1",
        "rabbitmq_port": amqp_port,
        "config_timeout": CONFIG_TIMEOUT,
    }


def group_config(amqp_port):
    """``processor-group`` configuration for stubs and workspace services."""
    common = pubsub_params(amqp_port)
    entries = [
        {"class": cls, "params": {"id": pid, "concurrency": CONCURRENCY, **common}}
        for pid, cls in STUBS.items()
    ]
    entries += [
        {"class": cls, "params": {"id": pid, **common}} for pid, cls in WORKSPACE_SERVICES.items()
    ]
    return {"processors": entries}


def bootstrap_config(seed_file):
    """Bootstrap initialisers, in the race-free order of the recipe."""
    return {
        "initialisers": [
            {
                "class": "trustgraph.bootstrap.initialisers.TemplateSeed",
                "name": "template-seed",
                "flag": "v1",
                "params": {"config_file": str(seed_file)},
            },
            {
                "class": "trustgraph.bootstrap.initialisers.WorkspaceInit",
                "name": "workspace-init",
                "flag": "v1",
                "params": {"workspace": "default", "source": "template"},
            },
            {
                "class": "tgstack.bootstrap_extras.WaitForFlowService",
                "name": "wait-for-flow-svc",
                "flag": "v1",
                "params": {"workspace": "default"},
            },
            {
                "class": "trustgraph.bootstrap.initialisers.DefaultFlowStart",
                "name": "default-flow-start",
                "flag": "v1",
                "params": {
                    "workspace": "default",
                    "flow_id": "default",
                    "blueprint": BLUEPRINT,
                    "description": "Default flow (stub services)",
                },
            },
        ]
    }


def write_all(state_dir, amqp_port):
    """Write the three files into ``state_dir``; return their paths by name."""
    paths = {name: state_dir / f"{name}.json" for name in ("seed", "bootstrap", "group")}
    contents = {
        "seed": seed(),
        "bootstrap": bootstrap_config(paths["seed"]),
        "group": group_config(amqp_port),
    }
    for name, data in contents.items():
        paths[name].write_text(json.dumps(data, indent=2))
    return paths
