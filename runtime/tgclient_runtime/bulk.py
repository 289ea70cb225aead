"""Bulk import and export over the gateway's per-call sockets (gateway-2.11 §10).

``/api/v1/flow/<flow>/import/<kind>`` takes one bare JSON message per frame and never answers;
``/export/<kind>`` is a live tap that never ends on its own. Both authenticate with
``?token=`` (URL-encoded; never logged or shown) and pick the workspace with ``?workspace=``.

The gateway reports nothing on an import socket, so a rejected import looks like success to a
naive client (the official one). Here any close the server starts, before the client closes,
is a failure: an unknown flow or a flow without the interface closes the socket right after
the upgrade, and a malformed message closes it mid-stream. The client closes with a full
handshake, so every frame sent before it has been read by the gateway.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import json
import time
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, Literal, TypeVar, cast
from urllib.parse import quote, urlencode

import websockets.asyncio.client as async_client
from pydantic import TypeAdapter, ValidationError
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection

from .errors import (
    BadRequestError,
    ConnectionClosedError,
    GatewayError,
    RequestTimeoutError,
    RequestValidationError,
    TrustGraphError,
    error_from_wire,
)
from .import_watch import AsyncImportWatch, SyncImportWatch
from .options import ClientOptions
from .plan import resolve_timeout
from .tls import page_title
from .wire_json import dumps, loads
from .ws_connect import connect_error, connect_kwargs, sync_connect

__all__ = [
    "AsyncBulkExport",
    "AsyncItemExport",
    "BulkExport",
    "FRAME_BYTES",
    "ItemExport",
    "ImportResult",
    "async_import_frames",
    "async_item_frames",
    "batched",
    "bulk_url",
    "import_frames",
    "item_frames",
    "new_metadata",
    "open_async_export",
    "open_export",
    "progress_reporter",
    "require_interface",
    "describe",
]

Direction = Literal["import", "export"]
T = TypeVar("T")
F = TypeVar("F")
I = TypeVar("I")  # noqa: E741 - the item type of a flattened export

# The gateway insists on a credential that looks like an API key or a JWT, even in no-auth
# mode, where any "tg_" string is accepted (gateway-2.11 §0 item 11).
_ANONYMOUS_TOKEN = "tg_anonymous"


@dataclasses.dataclass(frozen=True)
class ImportResult:
    """What one bulk import delivered: every item was read by the gateway."""

    items: int
    frames: int
    seconds: float


def bulk_url(options: ClientOptions, flow: str, direction: Direction, kind: str) -> str:
    """The socket URL; it carries the token, so it must never be logged or shown."""
    token = options.token.reveal() if options.token else _ANONYMOUS_TOKEN
    query = urlencode({"token": token, "workspace": options.workspace or "default"})
    return f"{options.ws_url()}api/v1/flow/{quote(flow, safe='')}/{direction}/{kind}?{query}"


def require_interface(flow_record: str | None, flow: str, interface: str, where: str) -> None:
    """Refuse a bulk call the gateway would drop silently: the flow must be running and
    declare the store interface the socket feeds (``flow_record`` is get-flow's JSON text)."""
    if not flow_record:
        raise BadRequestError(f"{where}: flow {flow!r} is not running in this workspace")
    try:
        interfaces = json.loads(flow_record).get("interfaces", {})
    except (json.JSONDecodeError, AttributeError):
        interfaces = {}
    if interface not in interfaces:
        offered = ", ".join(sorted(interfaces)) or "none"
        raise BadRequestError(
            f"{where}: flow {flow!r} has no {interface!r} interface (it offers: {offered})"
        )


def describe(flow: str, direction: Direction, kind: str) -> str:
    """How messages name a bulk call: ``bulk import triples on flow 'default'``."""
    return f"bulk {direction} {kind} on flow {flow!r}"


def new_metadata(collection: str = "default") -> dict[str, str]:
    """Frame metadata for an import the caller did not describe: a fresh id, in ``collection``."""
    return {"id": f"tgclient-{uuid.uuid4()}", "collection": collection}


Frame = dict[str, Any] | str
"""One import message: an object, or its JSON text."""


FRAME_BYTES = 1024 * 1024
"""Size an import frame aims at when the caller sets no ``batch_size``. Each frame is one
broker message, so small frames pay the gateway's per-message cost. Measured on gateway 2.11.1
(``tests/bench``: 100K triples as pre-serialised frames from a bare websockets loop): on a
loaded two-core machine 116 KiB frames ran at 4,944 triples/s and 943 KiB at 7,567/s (single
runs); on a quieter one (median of 3 runs) the rate is flat from 128 KiB to 4 MiB (20.7K/s at
128 KiB, 21.0K/s at 1 MiB, 23.1K/s at 2 MiB, 22.0K/s at 4 MiB; 15.5K/s at 64 KiB), and the
stub store keeps ~9-10K/s whatever the size. 1 MiB sits on that plateau under both loads;
larger frames buy nothing but memory and coarser progress (a frame holds its text: ~7 MiB of
RSS at this size). A frame ends within about an item of its target, far below the gateway's
50 MB message limit (RabbitMQ takes 128 MiB). docs/performance.md has the latest sweep."""

_FIRST_CHUNK = 16  # items serialised before any item's size is known
_CHUNK = 512  # at most this many items are held before being serialised into the frame


class _Framer:
    """Groups items into frames of ``batch_size`` items, or, when it is None, of about
    ``frame_bytes``. Items are validated and serialised a few at a time as they arrive (the
    next chunk sized from the bytes per item so far: triples, embeddings and rows differ a
    hundredfold), so a frame in the making holds its text, never its items' objects."""

    def __init__(
        self, batch_size: int | None, encode: Callable[[list[Any]], bytes], frame_bytes: int
    ) -> None:
        if batch_size is not None and batch_size < 1:
            raise RequestValidationError(f"batch_size must be at least 1, got {batch_size!r}")
        self._batch_size = batch_size
        self._target = frame_bytes
        self._encode = encode
        self._pending: list[Any] = []
        self._parts: list[bytes] = []  # serialised items of the frame, comma-separated lists
        self._bytes = self._items = 0  # in _parts
        self._seen_bytes = self._seen_items = 0  # over the whole import, for the item size
        self._chunk = self._next_chunk()

    def add(self, item: Any) -> tuple[bytes, int] | None:
        """Take one item; a frame once enough are in."""
        self._pending.append(item)
        if len(self._pending) < self._chunk:
            return None
        self._serialise()
        return self.flush() if self._chunk == 0 else None

    def flush(self) -> tuple[bytes, int] | None:
        """The frame of the items taken so far, if any: their JSON list's inside."""
        if self._pending:
            self._serialise()
        if not self._parts:
            return None
        body, items = b",".join(self._parts), self._items
        self._parts, self._bytes, self._items = [], 0, 0
        self._chunk = self._next_chunk()
        return body, items

    def _serialise(self) -> None:
        chunk, self._pending = self._pending, []
        part = self._encode(chunk)[1:-1]  # "[a,b]" -> "a,b"
        self._parts.append(part)
        self._bytes += len(part) + 1
        self._items += len(chunk)
        self._seen_bytes += len(part) + 1
        self._seen_items += len(chunk)
        self._chunk = self._next_chunk()

    def _next_chunk(self) -> int:
        """Items to hold before serialising them; 0 when the frame is full."""
        if self._batch_size is not None:
            return min(_CHUNK, self._batch_size - self._items)
        if self._bytes >= self._target:
            return 0
        if not self._seen_items:
            return _FIRST_CHUNK
        per_item = self._seen_bytes / self._seen_items
        return max(1, min(_CHUNK, round((self._target - self._bytes) / per_item)))


def item_frames(
    items: Iterable[Any],
    *,
    item_model: type[Any],
    item_shape: Any,
    items_field: str,
    envelope: dict[str, Any],
    batch_size: int | None = None,
) -> Iterator[tuple[Frame, int]]:
    """Frames of validated items, ``{**envelope, items_field: [item, ...]}`` as JSON text,
    produced lazily so an import of any size holds one frame's text in memory.

    Frames hold ``batch_size`` items, or, when it is None, as many as make about
    :data:`FRAME_BYTES`. Items may be models (``item_model``) or plain mappings in wire form;
    mappings are validated against ``item_shape`` (a TypedDict: several times faster than
    building models), anything else against the model. A bad item is named by its position,
    and nothing from its frame on is sent.
    """
    encode, wrap = _frame_builder(item_model, item_shape, items_field, envelope)
    framer = _Framer(batch_size, encode, FRAME_BYTES)
    for item in items:
        if (frame := framer.add(item)) is not None:
            yield wrap(frame[0]), frame[1]
    if (frame := framer.flush()) is not None:
        yield wrap(frame[0]), frame[1]


async def async_item_frames(
    items: AsyncIterable[Any],
    *,
    item_model: type[Any],
    item_shape: Any,
    items_field: str,
    envelope: dict[str, Any],
    batch_size: int | None = None,
) -> AsyncIterator[tuple[Frame, int]]:
    """The async-iterable twin of :func:`item_frames`."""
    encode, wrap = _frame_builder(item_model, item_shape, items_field, envelope)
    framer = _Framer(batch_size, encode, FRAME_BYTES)
    async for item in items:
        if (frame := framer.add(item)) is not None:
            yield wrap(frame[0]), frame[1]
    if (frame := framer.flush()) is not None:
        yield wrap(frame[0]), frame[1]


def _frame_builder(
    item_model: type[Any], item_shape: Any, items_field: str, envelope: dict[str, Any]
) -> tuple[Callable[[list[Any]], bytes], Callable[[bytes], str]]:
    """``encode(items)``: their validated JSON list; ``wrap(inside)``: the frame's text."""
    models: TypeAdapter[list[Any]] = TypeAdapter(list[item_model])  # type: ignore[valid-type]
    shapes: TypeAdapter[list[Any]] = TypeAdapter(list[item_shape])
    opening = json.dumps({**envelope, items_field: None}, separators=(",", ":"))
    head, tail = opening[: -len("null}")] + "[", "]}"
    offset = 0

    def encode(batch: list[Any]) -> bytes:
        nonlocal offset
        plain = all(isinstance(item, Mapping) for item in batch)
        adapter = shapes if plain else models
        try:
            valid = adapter.validate_python(batch)
        except ValidationError as exc:
            err = exc.errors()[0]
            position = offset + int(err["loc"][0]) if err["loc"] else offset
            detail = ".".join(str(p) for p in err["loc"][1:]) or "(item)"
            raise RequestValidationError(
                f"item {position} is not a valid {item_model.__name__}: {detail}: {err['msg']}"
            ) from None
        offset += len(batch)
        if plain:
            return adapter.dump_json(valid)
        return adapter.dump_json(valid, by_alias=True, exclude_none=True)

    def wrap(inside: bytes) -> str:
        return head + inside.decode() + tail

    return encode, wrap


def batched(
    items: Iterable[Any],
    batch_size: int,
    frame: Callable[[list[Any]], F],
) -> Iterator[tuple[F, int]]:
    """Group ``items`` into frames of at most ``batch_size``; yields (frame, items in it).

    Items are consumed lazily, so an import of any size holds one batch in memory.
    """
    if batch_size < 1:
        raise RequestValidationError(f"batch_size must be at least 1, got {batch_size!r}")
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == batch_size:
            yield frame(batch), len(batch)
            batch = []
    if batch:
        yield frame(batch), len(batch)


def _handshake_error(exc: BaseException, where: str, url: str) -> TrustGraphError:
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        try:
            body: Any = json.loads(exc.response.body or b"")
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = (exc.response.body or b"").decode("utf-8", "replace")
        error = body.get("error") if isinstance(body, dict) else page_title(body)
        err = error_from_wire(error, status=status, body=body)
        err.message = f"{where}: {err.message}"
        return err
    safe_url = url.split("?", 1)[0]
    err = connect_error(exc, safe_url)
    err.message = f"{where}: {err.message}"
    return err


def _endpoint(
    options: ClientOptions, flow: str, direction: Direction, kind: str, timeout: float | None
) -> tuple[str, str, float]:
    """How messages name a bulk call, its socket URL (secret) and its seconds to connect."""
    url = bulk_url(options, flow, direction, kind)
    return describe(flow, direction, kind), url, resolve_timeout(timeout, options.timeout)


def _text(frame: Frame) -> str:
    return frame if isinstance(frame, str) else dumps(frame)


def _closed_by_server(where: str, sent_items: int, exc: ConnectionClosed) -> ConnectionClosedError:
    rcvd = exc.rcvd
    return _rejected(where, sent_items, rcvd.code if rcvd else None, rcvd.reason if rcvd else "")


def _decode_frame(where: str, message: str | bytes, parse: Callable[[dict[str, Any]], T]) -> T:
    try:
        data = loads(message)
    except ValueError:  # not UTF-8, or not JSON
        raise GatewayError(
            f"{where}: the gateway sent a frame that is not JSON: {message[:100]!r}"
        ) from None
    if not isinstance(data, dict):
        raise error_from_wire(f"{where}: expected a JSON object", body=data)
    return parse(data)


def _import_kwargs(options: ClientOptions) -> dict[str, Any]:
    """Connection settings of an import socket: no keepalive and no close timeout of
    websockets' own, since the import's liveness rule bounds both (:mod:`.liveness`)."""
    return {**connect_kwargs(options), "ping_interval": None, "close_timeout": None}


def _stalled(where: str, sent_items: int, reason: str) -> RequestTimeoutError:
    return RequestTimeoutError(
        f"{where}: {reason}. {sent_items} items were sent; the gateway may not have read "
        "(nor stored) all of them."
    )


def _failed(
    where: str, sent_items: int, reason: str | None, exc: ConnectionClosed
) -> TrustGraphError:
    """The error of an import whose socket closed mid-way: the watchdog's, else the gateway's."""
    if reason:
        return _stalled(where, sent_items, reason)
    return _closed_by_server(where, sent_items, exc)


def _nothing_sent(err: TrustGraphError) -> TrustGraphError:
    err.message = f"{err.message} (0 items were sent)"
    return err


def _check_closed(protocol: Any, where: str, items: int) -> None:
    """After our close frame: the gateway's reply proves it read every frame before it.

    The server answers a close frame only after reading everything sent before it; a
    connection that dropped before that answer leaves the import unconfirmed.
    """
    if protocol.close_rcvd_then_sent:
        rcvd = protocol.close_rcvd
        raise _rejected(where, items, rcvd.code if rcvd else None, rcvd.reason if rcvd else "")
    if protocol.close_rcvd is None:
        raise ConnectionClosedError(
            f"{where}: the connection dropped before the gateway confirmed the import: "
            f"{items} items were sent, but the gateway may not have read (nor stored) all of "
            "them. Check with a query, or import them again."
        )


def _rejected(where: str, sent_items: int, code: int | None, reason: str) -> ConnectionClosedError:
    detail = f" (close code {code}{': ' + reason if reason else ''})" if code else ""
    return ConnectionClosedError(
        f"{where}: the gateway closed the socket{detail} after {sent_items} items were sent. "
        "It does this when the flow does not exist or does not support this kind, or when a "
        "message is malformed; items from that point on were not stored."
    )


ProgressCallback = Callable[[int, int | None], None] | Callable[[int], None]
"""``on_progress(processed, total)`` (the seed's form; total None when unknown), or
``on_progress(processed)``."""


def progress_reporter(
    on_progress: ProgressCallback | None, total: int | None
) -> Callable[[int], None]:
    """A one-argument reporter calling ``on_progress`` in the form it accepts."""
    if on_progress is None:
        return lambda processed: None
    if _positional_arity(on_progress) >= 2:
        two = cast(Callable[[int, int | None], None], on_progress)
        return lambda processed: two(processed, total)
    return cast(Callable[[int], None], on_progress)


def _positional_arity(func: Callable[..., Any]) -> int:
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        return 2
    return sum(1 for p in params if p.kind in kinds)


def import_frames(
    options: ClientOptions,
    flow: str,
    kind: str,
    frames: Iterable[tuple[Frame, int]],
    *,
    on_progress: ProgressCallback | None = None,
    total: int | None = None,
    timeout: float | None = None,
) -> ImportResult:
    """Send every frame on one import socket, then close it with a full handshake.

    ``timeout`` bounds the connection and every wait without progress, not the whole import,
    whose length depends on the data: the import lives while the gateway takes frames or
    answers pings, and fails with :class:`RequestTimeoutError` once a send, a ping or the
    close has waited ``timeout`` seconds with neither (:mod:`.liveness`). ``on_progress`` is
    called after each frame with the items sent so far and ``total`` (None when unknown); a
    callback taking one argument gets only the count.
    """
    report = progress_reporter(on_progress, total)
    where, url, limit = _endpoint(options, flow, "import", kind, timeout)
    started = time.monotonic()
    try:
        ws = sync_connect(url, open_timeout=limit, **_import_kwargs(options))
    except Exception as exc:
        raise _nothing_sent(_handshake_error(exc, where, url)) from None
    items = count = 0
    with ws, SyncImportWatch(ws, limit) as watch:
        try:
            for frame, n in frames:
                watch.send(_text(frame))
                items += n
                count += 1
                report(items)
            watch.close()
        except ConnectionClosed as exc:
            raise _failed(where, items, watch.reason, exc) from None
    if watch.reason:
        raise _stalled(where, items, watch.reason)
    _check_closed(ws.protocol, where, items)
    return ImportResult(items=items, frames=count, seconds=time.monotonic() - started)


async def async_import_frames(
    options: ClientOptions,
    flow: str,
    kind: str,
    frames: Iterable[tuple[Frame, int]] | AsyncIterable[tuple[Frame, int]],
    *,
    on_progress: ProgressCallback | None = None,
    total: int | None = None,
    timeout: float | None = None,
) -> ImportResult:
    """The asyncio twin of :func:`import_frames`; ``frames`` may also be an async iterable."""
    report = progress_reporter(on_progress, total)
    where, url, limit = _endpoint(options, flow, "import", kind, timeout)
    started = time.monotonic()
    try:
        ws = await async_client.connect(url, open_timeout=limit, **_import_kwargs(options))
    except Exception as exc:
        raise _nothing_sent(_handshake_error(exc, where, url)) from None
    items = count = 0

    async def send(watch: AsyncImportWatch, frame: Frame, n: int) -> None:
        nonlocal items, count
        await watch.send(_text(frame))
        items += n
        count += 1
        report(items)

    async with ws, AsyncImportWatch(ws, limit) as watch:
        try:
            if isinstance(frames, AsyncIterable):
                async for frame, n in frames:
                    await send(watch, frame, n)
            else:
                for frame, n in frames:
                    await send(watch, frame, n)
            await watch.close()
        except ConnectionClosed as exc:
            raise _failed(where, items, watch.reason, exc) from None
    if watch.reason:
        raise _stalled(where, items, watch.reason)
    _check_closed(ws.protocol, where, items)
    return ImportResult(items=items, frames=count, seconds=time.monotonic() - started)


class BulkExport(Generic[T]):
    """A live tap of one flow store: every message stored after it opened, as dicts.

    It never ends on its own (the gateway sends no end marker): iterate, and ``close()`` (or
    leave the ``with`` block) when done. ``idle_timeout`` ends the iteration after that many
    seconds without a message, which suits "export what is arriving now".
    """

    def __init__(
        self,
        ws: ClientConnection,
        where: str,
        idle_timeout: float | None,
        parse: Callable[[dict[str, Any]], T],
    ) -> None:
        self._ws = ws
        self._where = where
        self._idle = idle_timeout
        self._parse = parse

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        try:
            message = self._ws.recv(timeout=self._idle)
        except TimeoutError:
            self.close()
            raise StopIteration from None
        except ConnectionClosed as exc:
            if self._ws.protocol.close_rcvd_then_sent is False:
                raise StopIteration from None  # we closed it
            raise _closed_by_server(self._where, 0, exc) from None
        return _decode_frame(self._where, message, self._parse)

    def close(self) -> None:
        """Stop the tap; the gateway drops its subscription."""
        self._ws.close()

    def __enter__(self) -> BulkExport[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBulkExport(Generic[T]):
    """The asyncio twin of :class:`BulkExport`: ``async for`` and ``async with``."""

    def __init__(
        self,
        ws: async_client.ClientConnection,
        where: str,
        idle_timeout: float | None,
        parse: Callable[[dict[str, Any]], T],
    ) -> None:
        self._ws = ws
        self._where = where
        self._idle = idle_timeout
        self._parse = parse

    def __aiter__(self) -> AsyncBulkExport[T]:
        return self

    async def __anext__(self) -> T:
        try:
            message = await asyncio.wait_for(self._ws.recv(), self._idle)
        except TimeoutError:
            await self.close()
            raise StopAsyncIteration from None
        except ConnectionClosed as exc:
            if self._ws.protocol.close_rcvd_then_sent is False:
                raise StopAsyncIteration from None  # we closed it
            raise _closed_by_server(self._where, 0, exc) from None
        return _decode_frame(self._where, message, self._parse)

    async def close(self) -> None:
        """Stop the tap; the gateway drops its subscription."""
        await self._ws.close()

    async def __aenter__(self) -> AsyncBulkExport[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class ItemExport(Generic[F, I]):
    """An export tap read item by item: each frame's items (``items(frame)``) in order.

    Iterate it; ``close()`` (or leave the ``with`` block) when done. ``frames`` is the
    underlying frame-by-frame tap, for the frames' metadata.
    """

    def __init__(self, frames: BulkExport[F], items: Callable[[F], Iterable[I]]) -> None:
        self.frames = frames
        self._items = items
        self._pending: Iterator[I] = iter(())

    def __iter__(self) -> Iterator[I]:
        return self

    def __next__(self) -> I:
        while True:
            item = next(self._pending, _DONE)
            if item is not _DONE:
                return item  # type: ignore[return-value]
            self._pending = iter(self._items(next(self.frames)))

    def close(self) -> None:
        """Stop the tap; the gateway drops its subscription."""
        self.frames.close()

    def __enter__(self) -> ItemExport[F, I]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncItemExport(Generic[F, I]):
    """The asyncio twin of :class:`ItemExport`: ``async for`` and ``async with``."""

    def __init__(self, frames: AsyncBulkExport[F], items: Callable[[F], Iterable[I]]) -> None:
        self.frames = frames
        self._items = items
        self._pending: Iterator[I] = iter(())

    def __aiter__(self) -> AsyncItemExport[F, I]:
        return self

    async def __anext__(self) -> I:
        while True:
            item = next(self._pending, _DONE)
            if item is not _DONE:
                return item  # type: ignore[return-value]
            self._pending = iter(self._items(await self.frames.__anext__()))

    async def close(self) -> None:
        """Stop the tap; the gateway drops its subscription."""
        await self.frames.close()

    async def __aenter__(self) -> AsyncItemExport[F, I]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


_DONE = object()


def open_export(
    options: ClientOptions,
    flow: str,
    kind: str,
    *,
    parse: Callable[[dict[str, Any]], T],
    idle_timeout: float | None = None,
    timeout: float | None = None,
) -> BulkExport[T]:
    """Open an export tap; ``timeout`` bounds the connection, ``idle_timeout`` (else the
    client's) ends the iteration after that many seconds without a frame."""
    where, url, limit = _endpoint(options, flow, "export", kind, timeout)
    try:
        ws = sync_connect(url, open_timeout=limit, **connect_kwargs(options))
    except Exception as exc:
        raise _handshake_error(exc, where, url) from None
    return BulkExport(ws, where, _export_idle(options, idle_timeout), parse)


async def open_async_export(
    options: ClientOptions,
    flow: str,
    kind: str,
    *,
    parse: Callable[[dict[str, Any]], T],
    idle_timeout: float | None = None,
    timeout: float | None = None,
) -> AsyncBulkExport[T]:
    """The asyncio twin of :func:`open_export`."""
    where, url, limit = _endpoint(options, flow, "export", kind, timeout)
    try:
        ws = await async_client.connect(url, open_timeout=limit, **connect_kwargs(options))
    except Exception as exc:
        raise _handshake_error(exc, where, url) from None
    return AsyncBulkExport(ws, where, _export_idle(options, idle_timeout), parse)


def _export_idle(options: ClientOptions, idle_timeout: float | None) -> float | None:
    """An export's idle limit: the call's, else the client's ``idle_timeout`` (None: wait)."""
    return idle_timeout if idle_timeout is not None else options.idle_timeout
