"""Fixtures the unit tests of the generated client share: a fake REST gateway and an Api on it."""

from __future__ import annotations

import pytest

from tests.fakes.rest_gateway import FakeRestGateway
from tgclient import Api

URL = "http://127.0.0.1:8888/"


@pytest.fixture
def gateway() -> FakeRestGateway:
    return FakeRestGateway()


@pytest.fixture
def api(gateway: FakeRestGateway) -> Api:
    return Api(url=URL, http_client=gateway.client())
