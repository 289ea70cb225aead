"""Integration tests run against the real TrustGraph 2.11.1 api-gateway.

The session fixture ``gateway_url`` starts one stack (``tests.integration.stack.Stack``) for
the whole session and stops it at the end, or, when ``$TGCLIENT_GATEWAY_URL`` is set, uses
that gateway and starts nothing.

The stack this fixture starts applies the opt-in knowledge-core server patch
(``Stack(patch_knowledge_core=True)``, see ``stack/tgstack/kg_patch.py``) so knowledge cores
can be exercised; ``TGCLIENT_STACK_PATCH_KG=0`` runs it stock instead. The fixture
``kg_patched`` says which mode the gateway under test runs in (None: unknown, for an
external gateway without ``$TGCLIENT_STACK_PATCH_KG``).

The session fixture ``iam_stack`` starts a second stack, on demand, that runs the stock IAM
service (``Stack(iam=True)``: users, API keys, EdDSA JWTs, roles) instead of no-auth-svc; its
``admin_key`` is the bootstrapped admin's API key. It always starts its own stack.

Every test under this directory is marked ``integration``.
"""

import os
import time
from pathlib import Path

import pytest

from .stack import Stack
from .stack.probes import flows

HERE = Path(__file__).resolve().parent
ENV_URL = "TGCLIENT_GATEWAY_URL"
ENV_PATCH = "TGCLIENT_STACK_PATCH_KG"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "integration: needs the real gateway stack (tests/integration)"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.path).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.integration)


def _wait_until_answering(url, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if "default" in flows(url, 3.0):
                return
        except OSError as e:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gateway {url} not answering: {e}") from e
        if time.monotonic() > deadline:
            raise RuntimeError(f"gateway {url} does not list flow 'default'")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def gateway_stack():
    """The ``Stack`` this session started, or None when ``$TGCLIENT_GATEWAY_URL`` is used."""
    if os.environ.get(ENV_URL):
        yield None
        return
    stack = Stack(patch_knowledge_core=os.environ.get(ENV_PATCH, "1") == "1")
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def iam_stack():
    """A stack running the stock iam-svc, bootstrapped (``admin_key``), for the whole session."""
    stack = Stack(iam=True)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def gateway_url(gateway_stack):
    """Base URL of a gateway that answers (``http://127.0.0.1:PORT/``)."""
    url = gateway_stack.url if gateway_stack else os.environ[ENV_URL]
    url = url if url.endswith("/") else url + "/"
    _wait_until_answering(url)
    return url


@pytest.fixture(scope="session")
def kg_patched(gateway_stack):
    """Whether the gateway under test runs with the knowledge-core patch (None: unknown)."""
    if gateway_stack is not None:
        return gateway_stack.patch_knowledge_core
    mode = os.environ.get(ENV_PATCH)
    return None if mode is None else mode == "1"
