"""Call shapes of the official client (trustgraph.api 2.11.1) on tgclient, against the fake
REST gateway: accessors, raw requests, its names, and its bulk item shapes."""

from __future__ import annotations

import pytest

import tgclient
from tests.fakes.rest_gateway import FakeRestGateway
from tgclient import Api, AsyncApi, FlowInstance
from tgclient._compat import official_items, raw_operation

from .conftest import URL


def test_flow_with_an_id_is_the_flow_instance(api: Api) -> None:
    instance = api.flow("other")
    assert isinstance(instance, FlowInstance) and instance.flow == "other"
    assert api.flow().list() == ["default"]


def test_raw_request_returns_the_response_object(api: Api, gateway: FakeRestGateway) -> None:
    assert api.request("flow", {"operation": "list-flows"})["flow-ids"] == ["default"]
    assert gateway.requests[-1] == ("/api/v1/flow", {"operation": "list-flows"})
    reply = api.request("flow/default/service/text-completion", {"system": "s", "prompt": "p"})
    assert reply["response"] == "echo: p"


def test_raw_request_errors_raise_typed(api: Api, gateway: FakeRestGateway) -> None:
    gateway.force(200, {"error": {"type": "config-error", "message": "bad key"}})
    with pytest.raises(tgclient.ProtocolException, match="bad key") as info:
        api.request("config", {"operation": "get"})
    assert isinstance(info.value, tgclient.TrustGraphError)


def test_raw_operation_routes_flow_services_by_flow() -> None:
    op, flow = raw_operation("flow/f1/service/graph-rag")
    assert (op.service, op.surface, flow) == ("graph-rag", "flow", "f1")
    op, flow = raw_operation("librarian")
    assert (op.service, op.surface, op.rest_path, flow) == (
        "librarian",
        "workspace",
        "api/v1/librarian",
        None,
    )


def test_official_names_are_importable() -> None:
    value = tgclient.ConfigValue(type="prompt", key="k", value="v")
    assert isinstance(tgclient.ConfigKey(type="prompt", key="k"), tgclient.ConfigKey)
    assert value.value == "v"
    assert tgclient.DocumentMetadata is tgclient.types.librarian.LibrarianDocumentMetadata
    assert tgclient.TrustGraphException is tgclient.TrustGraphError
    assert issubclass(tgclient.NotFoundError, tgclient.ApplicationException)


def test_official_embedding_frames_unwrap_into_wire_items() -> None:
    frames = [
        {"metadata": {"id": "d"}, "entities": [{"entity": "http://x/a", "vector": [1.0]}]},
        {"entity": "plain", "embedding": [2.0]},
    ]
    assert list(official_items("import_graph_embeddings", frames)) == [
        {"entity": {"t": "i", "i": "http://x/a"}, "vector": [1.0]},
        {"entity": {"t": "l", "v": "plain"}, "vector": [2.0]},
    ]


def test_bulk_accessor_takes_the_flow_first(api: Api) -> None:
    bulk = api.bulk()
    assert isinstance(bulk, tgclient.Bulk)
    for name in ("import_triples", "export_triples", "import_rows", "import_entity_contexts"):
        assert callable(getattr(bulk, name))


async def test_async_twins_share_the_options(gateway: FakeRestGateway) -> None:
    api = Api(url=URL, http_client=gateway.client())
    twin = api.async_flow()
    assert isinstance(twin, tgclient.AsyncFlow)
    assert isinstance(api.async_socket(), AsyncApi)
    assert api.async_socket().options.transport == "websocket"
    assert isinstance(api.async_bulk(), tgclient.AsyncBulk)
    await api.aclose()
    api.close()
