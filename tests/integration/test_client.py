"""tgclient against the real gateway 2.11.1, over REST and over the WebSocket, sync and async,
with strict parsing (every real response must match the spec exactly)."""

from __future__ import annotations

import time
import uuid

import pytest

import tgclient
from tgclient import Api, AsyncApi

TRANSPORTS = ["rest", "websocket"]


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def api(gateway_url: str, transport: str) -> Api:
    with Api(gateway_url, strict=True, timeout=30, transport=transport) as client:
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
        _wait_until_serving(flow.id(flow_id))
        answer = flow.id(flow_id).text_completion("s", "on a new flow")
        assert answer == "on a new flow"
    finally:
        flow.stop(flow_id)
        flow.delete_blueprint(name)
    assert flow_id not in flow.list()
    with pytest.raises(tgclient.ServiceError, match="empty 'blueprint-definition'"):
        flow.get_blueprint(name)


def _wait_until_serving(instance: tgclient.FlowInstance) -> None:
    """start-flow answers before the processors have subscribed to the new flow's queues, and
    RabbitMQ drops a request published before its queue exists: the first calls on a new flow
    can go unanswered (seen over the socket, whose round trips are fastest). The client turns
    that into RequestTimeoutError; wait until the flow really serves."""
    deadline = time.monotonic() + 30
    while True:
        try:
            instance.text_completion("s", "ping", timeout=2)
            return
        except tgclient.RequestTimeoutError:
            if time.monotonic() > deadline:
                raise


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
    with (
        Api(gateway_url, workspace="no-such-ws") as api,
        pytest.raises(tgclient.WorkspaceNotFoundError) as info,
    ):
        api.config().list("prompt")
    assert info.value.status == 404


def test_deadline_is_honoured(api: Api) -> None:
    with pytest.raises(tgclient.RequestTimeoutError):
        api.flow().id().text_completion("s", "[[sleep:5]] slow", timeout=1)


async def test_async_client(gateway_url: str, transport: str) -> None:
    async with AsyncApi(gateway_url, strict=True, transport=transport) as api:
        assert "default" in await api.flow().list()
        answer = await api.flow().id("default").text_completion("s", "async hello")
        assert answer == "async hello" and answer.model
        with pytest.raises(tgclient.BadRequestError):
            await api.flow().id("nope").text_completion("s", "p")


def test_text_completion_streams_over_the_socket(gateway_url: str) -> None:
    with Api(gateway_url, transport="websocket", strict=True) as api:
        flow = api.flow().id()
        with flow.text_completion("s", "one two three", streaming=True) as stream:
            chunks = list(stream)
        assert "".join(c.response or "" for c in chunks) == "one two three"
        assert len(chunks) >= 3
        assert chunks[-1].end_of_stream and chunks[-1].model
        assert not any(c.end_of_stream for c in chunks[:-1])


async def test_text_completion_streams_async(gateway_url: str) -> None:
    async with AsyncApi(gateway_url, transport="websocket", strict=True) as api:
        stream = await api.flow().id().text_completion("s", "alpha beta", streaming=True)
        text = [c.response async for c in stream]
        assert "".join(t or "" for t in text) == "alpha beta"


def test_streaming_over_rest_is_refused_with_a_hint(gateway_url: str) -> None:
    with (
        Api(gateway_url, transport="rest") as api,
        pytest.raises(NotImplementedError, match="WebSocket"),
    ):
        api.flow().id().text_completion("s", "p", streaming=True)
