"""Integration stack: the real TrustGraph 2.11.1 api-gateway on loopback, with stub back ends.

``from tests.integration.stack import Stack``::

    with Stack() as stack:          # or stack = Stack(); stack.start(); ...; stack.stop()
        print(stack.url)            # http://127.0.0.1:<port>/
        print(stack.logs_dir)       # one <process>.log per process

Requires Debian's ``rabbitmq-server`` package. The server side runs in a cached venv
(``venv.py``) built from ``requirements.txt``; the stub and storage code it runs lives in
``tgstack/``. ``python -m tests.integration.stack start|stop|status`` (``scripts/stack``)
runs a stack by hand.
"""

from .launcher import Stack, StackError

__all__ = ["Stack", "StackError"]
