"""Bulk sockets against a loopback server: frames arrive whole and in order, a server that
closes first (how the gateway rejects an import) is an error, exports parse and end."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from typing_extensions import TypedDict
from websockets.sync.server import Server, ServerConnection, serve

from tgclient_runtime.bulk import (
    FRAME_BYTES,
    ItemExport,
    async_import_frames,
    async_item_frames,
    batched,
    bulk_url,
    import_frames,
    item_frames,
    open_export,
    progress_reporter,
)
from tgclient_runtime.errors import ConnectionClosedError, RequestValidationError
from tgclient_runtime.models import WireModel
from tgclient_runtime.options import ClientOptions


class Item(WireModel):
    name: str


class ItemShape(TypedDict):
    name: str


class BulkServer:
    """Records import frames; ``mode`` "reject" closes at once, "export" sends ``frames``."""

    def __init__(self, mode: str = "accept", frames: list[Any] | None = None) -> None:
        self.mode = mode
        self.frames = frames or []
        self.received: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.server: Server = serve(self.handle, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        self.paths.append(ws.request.path)
        if self.mode == "reject":
            ws.close()
            return
        if self.mode == "export":
            for frame in self.frames:
                ws.send(json.dumps(frame))
        for message in ws:
            self.received.append(json.loads(message))

    @property
    def options(self) -> ClientOptions:
        port = self.server.socket.getsockname()[1]
        return ClientOptions.build(url=f"http://127.0.0.1:{port}/", token="tg_secret/+&")

    def wait_for(self, frames: int, seconds: float = 5) -> list[dict[str, Any]]:
        """The frames received, once ``frames`` of them are (the server thread appends them
        just after the client's close handshake may have completed)."""
        deadline = time.monotonic() + seconds
        while len(self.received) < frames and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.received

    def __enter__(self) -> BulkServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


@pytest.fixture
def server() -> Iterator[BulkServer]:
    with BulkServer() as s:
        yield s


def _frames(n: int, batch: int | None, width: int = 0) -> Iterator[tuple[Any, int]]:
    items = ({"name": f"n{i}".ljust(width, "x")} for i in range(n))
    return item_frames(
        items,
        item_model=Item,
        item_shape=ItemShape,
        items_field="items",
        envelope={"metadata": {}},
        batch_size=batch,
    )


def test_import_sends_every_frame_in_order(server: BulkServer) -> None:
    progress: list[int] = []
    result = import_frames(
        server.options, "f 1", "triples", _frames(25, 10), on_progress=progress.append
    )
    assert (result.items, result.frames) == (25, 3) and progress == [10, 20, 25]
    names = [item["name"] for frame in server.wait_for(3) for item in frame["items"]]
    assert names == [f"n{i}" for i in range(25)]
    assert server.received[0]["metadata"] == {}
    # Flow and token are URL-encoded; the token is not in any message of ours.
    assert server.paths == [
        "/api/v1/flow/f%201/import/triples?token=tg_secret%2F%2B%26&workspace=default"
    ]


async def test_async_import(server: BulkServer) -> None:
    result = await async_import_frames(server.options, "f", "triples", _frames(5, 2))
    assert result.items == 5 and len(server.wait_for(3)) == 3


def test_a_server_close_is_a_rejection() -> None:
    with BulkServer(mode="reject") as s, pytest.raises(ConnectionClosedError) as info:
        many = ((({"items": ["x" * 1000]}), 1) for _ in range(2000))
        import_frames(s.options, "nope", "triples", many)
    assert "closed the socket" in str(info.value) and "tg_secret" not in str(info.value)


def test_invalid_items_name_their_position() -> None:
    items = [{"name": "a"}, {"name": "b"}, {"nom": "c"}]
    frames = item_frames(
        items,
        item_model=Item,
        item_shape=ItemShape,
        items_field="items",
        envelope={},
        batch_size=2,
    )
    next(frames)
    with pytest.raises(RequestValidationError, match="item 2 is not a valid Item: name"):
        next(frames)


def test_models_and_mappings_give_the_same_wire_text() -> None:
    def frames(items: list[Any]) -> list[Any]:
        return list(
            item_frames(
                items,
                item_model=Item,
                item_shape=ItemShape,
                items_field="items",
                envelope={"metadata": {"id": "d"}},
                batch_size=10,
            )
        )

    as_dicts = frames([{"name": "a"}, {"name": "b"}])
    assert as_dicts == frames([Item(name="a"), Item(name="b")])
    assert json.loads(as_dicts[0][0]) == {
        "metadata": {"id": "d"},
        "items": [{"name": "a"}, {"name": "b"}],
    }
    assert frames([Item(name="a"), {"name": "b"}]) == as_dicts  # mixed batches use the model


def test_batched_is_lazy_and_checks_size() -> None:
    consumed: list[int] = []

    def source() -> Iterator[int]:
        for i in range(10):
            consumed.append(i)
            yield i

    frames = batched(source(), 4, lambda batch: {"b": batch})
    assert next(frames) == ({"b": [0, 1, 2, 3]}, 4) and consumed == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="batch_size"):
        next(batched([], 0, lambda b: {}))


def test_export_parses_frames_and_ends_when_idle() -> None:
    with (
        BulkServer(mode="export", frames=[{"name": "a"}, {"name": "b"}]) as s,
        open_export(s.options, "f", "triples", parse=Item.model_validate, idle_timeout=0.5) as tap,
    ):
        got = [item.name for item in tap]
    assert got == ["a", "b"]


def test_bulk_url_defaults_to_an_anonymous_api_key() -> None:
    options = ClientOptions.build(url="https://gw.example/", workspace="ws")
    assert bulk_url(options, "default", "export", "triples") == (
        "wss://gw.example/api/v1/flow/default/export/triples?token=tg_anonymous&workspace=ws"
    )


class Frame(WireModel):
    items: list[Item]


def test_item_export_flattens_frames_in_order() -> None:
    frames = [{"items": [{"name": "a"}, {"name": "b"}]}, {"items": []}, {"items": [{"name": "c"}]}]
    with (
        BulkServer(mode="export", frames=frames) as s,
        ItemExport(
            open_export(s.options, "f", "triples", parse=Frame.model_validate, idle_timeout=0.5),
            lambda frame: frame.items,
        ) as tap,
    ):
        got = [item.name for item in tap]
    assert got == ["a", "b", "c"]


def test_progress_reaches_two_and_one_argument_callbacks() -> None:
    seen: list[tuple[int, int | None]] = []
    counts: list[int] = []

    def two(processed: int, total: int | None) -> None:
        seen.append((processed, total))

    progress_reporter(two, 7)(3)
    progress_reporter(two, None)(4)
    progress_reporter(counts.append, 7)(5)
    progress_reporter(lambda *args: seen.append(args), 9)(6)
    progress_reporter(None, 1)(1)
    assert seen == [(3, 7), (4, None), (6, 9)]
    assert counts == [5]


@pytest.mark.parametrize("width", [10, 1000, 50_000])
def test_frames_are_sized_by_bytes_without_a_batch_size(width: int) -> None:
    n = 4 * FRAME_BYTES // width + 50
    frames = list(_frames(n, None, width))
    names = [item["name"] for text, _ in frames for item in json.loads(text)["items"]]
    assert len(names) == n and sum(count for _, count in frames) == n
    # Once measured (two frames), every full frame is within an item (or 5 %) of the target.
    full = [len(text) for text, _ in frames[2:-1]]
    slack = max(0.05 * FRAME_BYTES, width + 64)
    assert full and all(abs(size - FRAME_BYTES) <= slack for size in full)


class Tracked(dict[str, str]):
    """An item that counts how many of its kind are alive."""

    alive = 0

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        Tracked.alive += 1

    def __del__(self) -> None:
        Tracked.alive -= 1


def test_a_frame_in_the_making_holds_text_not_items() -> None:
    """Items are serialised a chunk at a time: memory is one frame's text, whatever it holds."""
    from tgclient_runtime.bulk import _CHUNK

    items = (Tracked(f"n{i}".ljust(100, "x")) for i in range(3 * FRAME_BYTES // 100))
    frames = item_frames(
        items, item_model=Item, item_shape=ItemShape, items_field="items", envelope={}
    )
    peak = counted = 0
    for text, count in frames:
        peak = max(peak, Tracked.alive)
        counted += count
        assert len(json.loads(text)["items"]) == count
    assert counted == 3 * FRAME_BYTES // 100 and count > _CHUNK
    assert peak <= _CHUNK + 1


def test_a_batch_size_overrides_the_byte_target() -> None:
    counts = [count for _, count in _frames(2500, 1000, 500)]
    assert counts == [1000, 1000, 500]
    with pytest.raises(ValueError, match="batch_size"):
        next(_frames(1, 0))


async def test_async_frames_are_sized_by_bytes_too() -> None:
    async def items() -> Any:
        for i in range(40_000):
            yield {"name": f"n{i}".ljust(100, "x")}

    frames = [
        frame
        async for frame in async_item_frames(
            items(), item_model=Item, item_shape=ItemShape, items_field="items", envelope={}
        )
    ]
    assert sum(count for _, count in frames) == 40_000
    assert all(0.8 * FRAME_BYTES <= len(text) <= 1.2 * FRAME_BYTES for text, _ in frames[1:-1])


def test_an_import_whose_connection_dropped_before_the_close_reply_is_not_a_success() -> None:
    """Only the gateway's close reply proves it read every frame; a drop leaves it unconfirmed."""
    from types import SimpleNamespace

    from tgclient_runtime.bulk import _check_closed, _nothing_sent
    from tgclient_runtime.errors import ConnectError, ConnectionClosedError

    dropped = SimpleNamespace(close_rcvd_then_sent=False, close_rcvd=None)
    with pytest.raises(
        ConnectionClosedError, match=r"dropped before the gateway confirmed.* 7 items"
    ):
        _check_closed(dropped, "bulk import triples on flow 'f'", 7)
    confirmed = SimpleNamespace(close_rcvd_then_sent=False, close_rcvd=object())
    _check_closed(confirmed, "bulk import triples on flow 'f'", 7)
    assert "0 items were sent" in str(_nothing_sent(ConnectError("cannot connect")))
