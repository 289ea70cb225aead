"""Integration stack: the real TrustGraph 2.11.1 api-gateway on loopback, with stub back ends.

``from tests.integration.stack import Stack``::

    with Stack() as stack:          # or: stack = Stack(); stack.start(); ...; stack.stop()
        print(stack.url)            # http://127.0.0.1:<port>/
        print(stack.logs_dir)       # one <process>.log per process

What runs (all on 127.0.0.1, all state in one temporary directory): a private RabbitMQ node
(Debian's ``rabbitmq-server``), the stock api-gateway, config-svc (SQLite store), flow-svc,
no-auth-svc and bootstrap, one ``processor-group`` process with the stubs (text-completion,
prompt, embeddings, agent, graph-rag, document-rag, triples, graph- and document-embeddings)
and the stock librarian and knowledge processors on in-memory storage. Workspace
``default``, flow ``default`` of blueprint ``stub``. Stub consumers handle up to 32 requests
at once (``tgstack/processors.py``). Test hooks in a request's main text field: ``[[error]]``,
``[[sleep:S]]``, ``[[pace:S]]`` and ``[[size:N]]`` (``tgstack/hooks.py``).

``Stack(iam=True)`` runs the stock ``iam-svc`` (users, API keys, EdDSA JWTs, roles) on an
in-memory table store (``tgstack/memory_iam.py``) instead of no-auth-svc, bootstraps it
through the gateway and keeps the admin's API key in ``stack.admin_key``.

Environment:

- ``TGCLIENT_STACK_PATCH_KG=1``: apply the opt-in knowledge-core server patch
  (``tgstack/kg_patch.py``) when ``Stack(patch_knowledge_core=None)``;
- ``TGCLIENT_STACK_KEEP=1``: keep the state directory (logs) after ``stop()``;
- ``TGCLIENT_STACK_VENV``: where the cached server venv lives (``venv.py``);
- ``TGCLIENT_STACK_STATE``: the state file of ``scripts/stack`` (``state.py``).

The server side runs in that venv, built from ``requirements.txt``; the code it runs lives
in ``tgstack/``. ``scripts/stack start|stop|status`` runs a stack by hand (``cli.py``).
"""

from .launcher import Stack, StackError

__all__ = ["Stack", "StackError"]
