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


# The official Library, Collection, Knowledge and Config shapes -----------------------------

_EMPTY_LIBRARIAN = {"document-metadatas": [], "processing-metadatas": []}


def _sent(gateway: FakeRestGateway) -> dict[str, object]:
    path, body = gateway.requests[-1]
    assert path == "/api/v1/librarian"
    return body


def test_add_document_official_keywords_build_the_record(
    api: Api, gateway: FakeRestGateway
) -> None:
    seen: list[tuple[int, int]] = []
    gateway.force(200, _EMPTY_LIBRARIAN)
    api.library().add_document(
        document=b"Hello",
        id="doc-1",
        metadata=[tgclient.Triple(s="http://x/doc", p="http://x/label", o="Greeting")],
        title="Greeting",
        comments="c",
        kind="text/plain",
        tags=["demo"],
        on_progress=lambda sent, total: seen.append((sent, total)),
    )
    body = _sent(gateway)
    record = body["document-metadata"]
    assert body["operation"] == "add-document" and body["content"] == "SGVsbG8="
    assert (record["id"], record["title"], record["comments"]) == ("doc-1", "Greeting", "c")
    assert record["tags"] == ["demo"] and isinstance(record["time"], int)
    assert record["metadata"][0]["s"] == {"t": "i", "i": "http://x/doc"}
    assert record["metadata"][0]["o"] == {"t": "l", "v": "Greeting"}
    assert seen == [(5, 5)]


def test_add_document_official_positional_order(api: Api, gateway: FakeRestGateway) -> None:
    gateway.force(200, _EMPTY_LIBRARIAN)
    api.library().add_document(b"# md", "doc-2", [], "Title", "Comments", "text/markdown", ["t"])
    record = _sent(gateway)["document-metadata"]
    assert (record["id"], record["title"], record["comments"]) == ("doc-2", "Title", "Comments")
    assert (record["kind"], record["tags"]) == ("text/markdown", ["t"])


def test_add_document_own_shape_still_works(api: Api, gateway: FakeRestGateway) -> None:
    meta = {"id": "doc-3", "time": 1, "kind": "text/plain"}
    gateway.force(200, _EMPTY_LIBRARIAN)
    assert api.library().add_document(meta, b"x") is None
    gateway.force(200, _EMPTY_LIBRARIAN)
    api.library().add_document(document_metadata=meta, content=b"x", timeout=5)
    assert _sent(gateway)["document-metadata"]["id"] == "doc-3"


def test_add_document_shapes_do_not_mix(api: Api, gateway: FakeRestGateway) -> None:
    meta = {"id": "d", "time": 1, "kind": "text/plain"}
    with pytest.raises(TypeError, match="not a mix: got content, document_metadata and title"):
        api.library().add_document(document_metadata=meta, content=b"x", title="t")
    with pytest.raises(TypeError, match="takes 2 positional argument"):
        api.library().add_document(meta, b"x", "extra")
    with pytest.raises(TypeError, match="official client's shape"):
        api.library().add_document(b"x", "id", [], "t", "c", "k", [], None, "too many")
    with pytest.raises(tgclient.RequestValidationError, match="pass id= as well"):
        api.library().add_document(document=b"x", metadata=[tgclient.Triple("a", "b", "c")])
    assert gateway.requests == []


def test_add_document_without_id_derives_it_from_the_content(
    api: Api, gateway: FakeRestGateway
) -> None:
    for _ in range(2):
        gateway.force(200, _EMPTY_LIBRARIAN)
        api.library().add_document(document=b"same bytes")
    ids = [body["document-metadata"]["id"] for _, body in gateway.requests]
    assert ids[0] == ids[1] and ids[0].startswith("doc-")


def test_user_is_accepted_warned_once_and_not_sent(api: Api, gateway: FakeRestGateway) -> None:
    from tgclient_runtime import arguments

    arguments._warned.discard(("get_documents", "user"))
    gateway.force(200, _EMPTY_LIBRARIAN)
    with pytest.warns(DeprecationWarning, match="get_documents\\(\\): user= is deprecated"):
        api.library().get_documents(user="trustgraph")
    assert "user" not in _sent(gateway)
    arguments._warned.discard(("add_document", "user"))
    gateway.force(200, _EMPTY_LIBRARIAN)
    with pytest.warns(DeprecationWarning, match="add_document"):
        api.library().add_document(document=b"v", id="d", user="trustgraph")
    assert "user" not in _sent(gateway)


def test_update_document_official_shape_returns_the_record(
    api: Api, gateway: FakeRestGateway
) -> None:
    doc = tgclient.DocumentMetadata(id="old", time=5, kind="text/plain", title="v2", tags=["a"])
    gateway.force(200, _EMPTY_LIBRARIAN)
    assert api.library().update_document(id="doc-1", metadata=doc) is doc
    record = _sent(gateway)["document-metadata"]
    assert (record["id"], record["time"], record["title"]) == ("doc-1", 5, "v2")
    gateway.force(200, _EMPTY_LIBRARIAN)
    assert api.library().update_document(doc) is None  # its own shape
    assert _sent(gateway)["document-metadata"]["id"] == "old"


def test_start_processing_official_shape(api: Api, gateway: FakeRestGateway) -> None:
    gateway.force(200, _EMPTY_LIBRARIAN)
    api.library().start_processing(id="p1", document_id="d1", flow="f", collection="c", tags=["x"])
    record = _sent(gateway)["processing-metadata"]
    assert {k: record[k] for k in ("id", "document-id", "flow", "collection", "tags")} == {
        "id": "p1",
        "document-id": "d1",
        "flow": "f",
        "collection": "c",
        "tags": ["x"],
    }
    gateway.force(200, _EMPTY_LIBRARIAN)
    api.library().start_processing("p2", "d2")
    record = _sent(gateway)["processing-metadata"]
    assert (record["flow"], record["collection"]) == ("default", "default")


def test_update_collection_reads_as_its_record(api: Api, gateway: FakeRestGateway) -> None:
    stored = {"collection": "c", "name": "C", "description": "d", "tags": ["t"]}
    gateway.force(200, {"timestamp": "", "collections": [stored]})
    result = api.collection().update_collection("c", name="C")
    assert (result.collection, result.name, result.tags) == ("c", "C", ["t"])
    [record] = result
    assert record.description == "d"


def test_config_all_is_the_official_tuple(api: Api) -> None:
    config, version = api.config().all()
    assert version == 7 and "prompt" in config
    whole = api.config().all()
    assert whole.version == 7 and whole.config == config and whole.directory == []
    assert isinstance(whole.response, tgclient.types.config.ConfigResponse)


def test_models_take_fields_by_position_as_the_official_dataclasses() -> None:
    value = tgclient.ConfigValue("prompt", "greeting", "Hello")
    assert (value.type, value.key, value.value) == ("prompt", "greeting", "Hello")
    with pytest.raises(TypeError, match="at most 2 positional"):
        tgclient.ConfigKey("a", "b", "c")
    with pytest.raises(TypeError, match="multiple values for 'type'"):
        tgclient.ConfigKey("a", type="b")


def test_agent_second_positional_is_v1_user_not_state(api: Api, gateway: FakeRestGateway) -> None:
    from tgclient_runtime import arguments

    arguments._warned.discard(("agent", "user"))
    gateway.force(200, {"message_type": "answer", "content": "A", "end_of_dialog": True})
    with pytest.warns(DeprecationWarning, match="pass 2.x's state= by keyword"):
        assert api.flow().id("default").agent("Q?", "user123") == "A"
    assert gateway.requests[-1] == ("/api/v1/flow/default/service/agent", {"question": "Q?"})
    with pytest.raises(TypeError):
        api.flow().id("default").agent("Q?", "user123", "state")  # type: ignore[misc]


def test_official_class_and_error_names_import() -> None:
    from tgclient import LookupError as OfficialLookupError

    assert tgclient.SocketClient is Api and tgclient.AsyncSocketClient is AsyncApi
    assert tgclient.SocketFlowInstance is FlowInstance
    assert tgclient.BulkClient is tgclient.Bulk and tgclient.AsyncBulkClient is tgclient.AsyncBulk
    assert tgclient.TextCompletionResult is tgclient.TextResult
    assert tgclient.LLMError is tgclient.ServiceError is OfficialLookupError
    assert tgclient.UnexpectedError is tgclient.TrustGraphError
    assert "LookupError" not in tgclient.__all__  # a star import keeps the builtin
    assert "LLMError" in tgclient.__all__


def test_async_library_takes_the_official_shapes_too(gateway: FakeRestGateway) -> None:
    import asyncio

    async def main() -> object:
        async with AsyncApi(url=URL, http_client=gateway.async_client()) as api:
            gateway.force(200, _EMPTY_LIBRARIAN)
            await api.library().add_document(document=b"A", id="a-1", title="Async")
            gateway.force(200, _EMPTY_LIBRARIAN)
            await api.library().start_processing("p-1", "a-1", collection="c")
            return (await api.config().all())[1]

    assert asyncio.run(main()) == 7
    added, started = (body for _, body in gateway.requests[:2])
    assert (added["document-metadata"]["id"], added["document-metadata"]["title"]) == (
        "a-1",
        "Async",
    )
    assert started["processing-metadata"]["collection"] == "c"


def test_an_empty_record_list_has_no_record_attributes(api: Api, gateway: FakeRestGateway) -> None:
    gateway.force(200, {"timestamp": "", "collections": []})
    result = api.collection().update_collection("gone")
    assert result == []
    with pytest.raises(AttributeError, match="name"):
        _ = result.name
