"""tgclient over REST against the real gateway 2.11.1 (sync and async, strict parsing)."""

from __future__ import annotations

import uuid

import pytest

import tgclient
from tgclient import Api, AsyncApi


@pytest.fixture
def api(gateway_url: str) -> Api:
    # strict=True: every real response must match the spec exactly.
    with Api(gateway_url, strict=True, timeout=30) as client:
        yield client


def test_flows_and_blueprints(api: Api) -> None:
    assert "default" in api.flow().list()
    assert "stub" in api.flow().list_blueprints()
    default = api.flow().get("default")
    assert default["blueprint-name"] == "stub"
    assert "text-completion" in default["interfaces"]


def test_config_round_trip(api: Api) -> None:
    config = api.config()
    key = f"it-{uuid.uuid4().hex[:8]}"
    config.put([{"type": "tgclient-test", "key": key, "value": '{"n": 1}'}])
    assert key in config.list("tgclient-test")
    [value] = config.get([{"type": "tgclient-test", "key": key}])
    assert value.value == '{"n": 1}'
    assert any(v.key == key for v in config.get_values("tgclient-test"))
    whole = config.all()
    assert whole.config["tgclient-test"][key] == '{"n": 1}'
    assert whole.version > 0
    config.delete([{"type": "tgclient-test", "key": key}])
    assert key not in config.list("tgclient-test")
    [missing] = config.get([{"type": "tgclient-test", "key": key}])
    assert missing.value is None


def test_blueprint_and_flow_lifecycle(api: Api) -> None:
    flow = api.flow()
    name = f"bp-{uuid.uuid4().hex[:6]}"
    definition = flow.get_blueprint("stub")
    flow.put_blueprint(name, definition)
    assert flow.get_blueprint(name) == definition
    flow_id = f"f-{uuid.uuid4().hex[:6]}"
    flow.start(blueprint_name=name, id=flow_id, description="integration test flow")
    try:
        assert flow_id in flow.list()
        assert flow.get(flow_id)["description"] == "integration test flow"
        answer = flow.id(flow_id).text_completion("s", "on a new flow")
        assert answer == "on a new flow"
    finally:
        flow.stop(flow_id)
        flow.delete_blueprint(name)
    assert flow_id not in flow.list()
    with pytest.raises(tgclient.ServiceError, match="empty 'blueprint-definition'"):
        flow.get_blueprint(name)


def test_text_completion_with_usage(api: Api) -> None:
    answer = api.flow().id("default").text_completion("You are a stub.", "hello gateway")
    assert isinstance(answer, tgclient.TextResult)
    assert answer == "hello gateway"
    assert answer.in_token and answer.out_token and answer.model
    models = api.flow().id().text_completion_list_models()
    assert models and models[0].id


def test_errors_are_typed(api: Api) -> None:
    with pytest.raises(tgclient.BadRequestError, match="Invalid flow"):
        api.flow().id("no-such-flow").text_completion("s", "p")
    # text-completion errors are dropped by 2.11.1 (response: null); the client notices.
    with pytest.raises(tgclient.ServiceError, match="drops this service's error"):
        api.flow().id().text_completion("s", "[[error]]")
    with pytest.raises(tgclient.UnsupportedOperationError):
        api.config().get_values_all_workspaces("prompt")


def test_unknown_workspace(gateway_url: str) -> None:
    with Api(gateway_url, workspace="no-such-ws") as api, pytest.raises(
        tgclient.WorkspaceNotFoundError
    ) as info:
        api.config().list("prompt")
    assert info.value.status == 404


def test_deadline_is_honoured(api: Api) -> None:
    with pytest.raises(tgclient.RequestTimeoutError):
        api.flow().id().text_completion("s", "[[sleep:5]] slow", timeout=1)


async def test_async_client(gateway_url: str) -> None:
    async with AsyncApi(gateway_url, strict=True) as api:
        assert "default" in await api.flow().list()
        answer = await api.flow().id("default").text_completion("s", "async hello")
        assert answer == "async hello" and answer.model
        with pytest.raises(tgclient.BadRequestError):
            await api.flow().id("nope").text_completion("s", "p")
