"""Workspace services and plain routes through tgclient on the real gateway 2.11.1: the stock
librarian (documents, chunked upload, streamed download), collections, knowledge cores, IAM
in no-auth mode, i18n packs and the metrics proxy. Strict parsing throughout."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import tgclient
from tgclient import Api


@pytest.fixture(params=["rest", "websocket"])
def api(request: pytest.FixtureRequest, gateway_url: str) -> Iterator[Api]:
    with Api(gateway_url, strict=True, timeout=30, transport=request.param) as client:
        yield client


def _document() -> tuple[str, dict[str, object]]:
    doc_id = f"urn:it:doc:{uuid.uuid4().hex[:8]}"
    metadata = {
        "id": doc_id,
        "time": int(time.time()),
        "kind": "text/plain",
        "title": "Integration",
        "comments": "",
        "tags": ["it"],
    }
    return doc_id, metadata


def test_document_lifecycle_and_download(api: Api) -> None:
    library = api.library()
    content = b"tgclient integration document\n" * 100
    doc_id, metadata = _document()
    library.add_document(metadata, content)
    try:
        assert doc_id in [d.id for d in library.get_documents()]
        assert library.get_document_metadata(doc_id).title == "Integration"
        assert library.get_document_content(doc_id) == content
        # The plain document-stream route goes over REST whatever the client's transport.
        assert library.download_document(doc_id, chunk_size=1000) == content
    finally:
        library.remove_document(doc_id)
    assert doc_id not in [d.id for d in library.get_documents()]


def test_stream_document_over_the_socket(gateway_url: str) -> None:
    with Api(gateway_url, transport="websocket", strict=True) as api:
        library = api.library()
        content = bytes(range(256)) * 40  # 10 KiB
        doc_id, metadata = _document()
        library.add_document(metadata, content)
        try:
            with library.stream_document(doc_id, chunk_size=4096) as stream:
                parts = [base64.b64decode(frame.content or "") for frame in stream]
            assert len(parts) == 3 and b"".join(parts) == content
        finally:
            library.remove_document(doc_id)


def test_unknown_document_is_a_service_error(api: Api) -> None:
    with pytest.raises(tgclient.ServiceError):
        api.library().get_document_metadata("urn:it:no-such-document")


def test_collections(api: Api) -> None:
    collection = api.collection()
    name = f"it-{uuid.uuid4().hex[:6]}"
    [stored] = collection.update_collection(name, name="IT", description="d", tags=["x"])
    assert stored.collection == name
    assert name in [c.collection for c in collection.list_collections()]
    collection.delete_collection(name)
    assert name not in [c.collection for c in collection.list_collections()]


def test_knowledge_cores_list_and_refusals(api: Api) -> None:
    assert isinstance(api.knowledge().list_kg_cores(), list)
    with pytest.raises(tgclient.UnsupportedOperationError):
        api.knowledge().unload_kg_core("core", flow="default")
    with pytest.raises(tgclient.UnsupportedOperationError):
        api.knowledge().export_core("core")


def test_iam_in_no_auth_mode(api: Api) -> None:
    # no-auth-svc answers what it can; its errors are dropped, as in 2.11.1.
    assert api.auth().bootstrap_status() is not None


def test_i18n_pack(api: Api) -> None:
    pack = api.i18n().pack("es")
    assert isinstance(pack, dict) and pack
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in pack.items())


def test_metrics_proxy_without_prometheus_is_a_typed_error(api: Api) -> None:
    # The stack runs no Prometheus: the gateway answers 502 (or 500) with a text body.
    with pytest.raises(tgclient.APIStatusError) as info:
        api.metrics().query(params={"query": "up"}, timeout=20)
    assert info.value.status in (500, 502)


def test_knowledge_core_put_and_stream(gateway_url: str, kg_patched: bool | None) -> None:
    if kg_patched is None:
        pytest.skip("unknown knowledge-core patch mode of the external gateway")
    check_client_knowledge_cores(gateway_url, kg_patched)


def check_client_knowledge_cores(url: str, patched: bool) -> None:
    """put-kg-core and a streamed get-kg-core through tgclient; on a stock 2.11.1 server the
    put fails (server defect) and the client raises instead of "succeeding". Also run by
    test_stack_smoke on a stack of the other mode, so CI covers both."""
    core = f"core-{uuid.uuid4().hex[:8]}"
    triples = {
        "metadata": {"id": core, "collection": "default"},
        "triples": [
            {
                "s": {"t": "i", "i": "urn:k:s"},
                "p": {"t": "i", "i": "urn:k:p"},
                "o": {"t": "l", "v": "kv"},
            }
        ],
    }
    with Api(url, transport="websocket", strict=True) as api:
        knowledge = api.knowledge()
        if not patched:
            with pytest.raises(tgclient.ServiceError, match="'dict' object has no attribute"):
                knowledge.put_kg_core(core, triples=triples)
            assert core not in knowledge.list_kg_cores()
            return
        knowledge.put_kg_core(core, triples=triples)
        try:
            assert core in knowledge.list_kg_cores()
            frames: list[Any] = []
            # The stock service ends the stream with a librarian-error frame (complete:false)
            # when the core has no library document; the stream raises it after the data.
            with pytest.raises(tgclient.ServiceError) as info:
                for frame in knowledge.get_kg_core(core):
                    frames.append(frame)
            assert info.value.error_type == "librarian-error"
            [first] = [f for f in frames if f.triples is not None]
            assert first.triples.triples[0].o.value == "kv"
        finally:
            knowledge.delete_kg_core(core)
        assert core not in knowledge.list_kg_cores()


def test_chunked_upload_then_download(api: Api) -> None:
    library = api.library()
    data = bytes(range(256)) * 4096 * 3  # 3 MiB
    doc_id, metadata = _document()
    begin = library.begin_upload(metadata, total_size=len(data), chunk_size=1024 * 1024)
    assert begin.upload_id and begin.total_chunks == 3
    size = begin.chunk_size or 1024 * 1024
    for index in range(begin.total_chunks):
        part = data[index * size : (index + 1) * size]
        library.upload_chunk(begin.upload_id, index, part)
    status = library.get_upload_status(begin.upload_id)
    assert status.chunks_received == 3
    done = library.complete_upload(begin.upload_id)
    assert done.document_id == doc_id
    try:
        assert library.download_document(doc_id) == data
    finally:
        library.remove_document(doc_id)
