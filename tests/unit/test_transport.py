"""The seed's transport classes: construction, endpoints, and what they refuse before sending."""

from __future__ import annotations

import pytest

from tests.fakes.rest_gateway import FakeRestGateway
from tests.unit.conftest import URL
from tgclient import (
    RequestValidationError,
    RestTransport,
    StreamingNotSupportedError,
    Transport,
    TrustGraphError,
    WebSocketTransport,
)


def test_each_class_fixes_its_transport_whatever_the_scheme() -> None:
    with (
        RestTransport("ws://127.0.0.1:1/") as rest,
        WebSocketTransport("http://127.0.0.1:1/") as ws,
    ):
        assert isinstance(rest, Transport) and isinstance(ws, Transport)
        assert (rest.options.transport, ws.options.transport) == ("rest", "websocket")


def test_the_token_is_never_shown() -> None:
    with RestTransport("http://127.0.0.1:1/", token="tg_secret") as rest:
        assert "tg_secret" not in repr(rest)


def test_streaming_over_rest_is_refused_before_sending() -> None:
    with (
        RestTransport("http://127.0.0.1:1/") as rest,
        pytest.raises(StreamingNotSupportedError, match="WebSocket"),
    ):
        rest.streaming_request("flow/default/service/agent", {"question": "q"})


@pytest.mark.parametrize("endpoint", ["triples", "flow/default/export/triples", "flow//import/x"])
def test_a_bulk_endpoint_must_name_flow_direction_and_kind(endpoint: str) -> None:
    with (
        RestTransport("http://127.0.0.1:1/") as rest,
        pytest.raises(RequestValidationError, match="flow/<flow>/import/<kind>"),
    ):
        rest.bulk_import(endpoint, [])


def test_requests_go_to_the_gateway_path(gateway: FakeRestGateway) -> None:
    with RestTransport(URL, http_client=gateway.client()) as rest:
        body = {"system": "", "prompt": "hi"}
        assert rest.request("flow/default/service/text-completion", body)["response"] == "echo: hi"
        assert gateway.requests[-1][0] == "/api/v1/flow/default/service/text-completion"
        assert rest.request("/api/v1/flow", {"operation": "list-flows"})["flow-ids"] == ["default"]
        assert gateway.requests[-1] == ("/api/v1/flow", {"operation": "list-flows"})


def test_an_error_in_the_answer_raises(gateway: FakeRestGateway) -> None:
    with (
        RestTransport(URL, http_client=gateway.client()) as rest,
        pytest.raises(TrustGraphError, match="Invalid flow"),
    ):
        rest.request("flow/nope/service/text-completion", {"system": "", "prompt": "hi"})
