"""Stream / AsyncStream fed frame by frame from a scripted source; same assertions on both."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tgclient_runtime import ServiceError
from tgclient_runtime.streaming import AsyncStream, Stream


class Chunk(pydantic.BaseModel):
    text: str = ""
    n: int = 0


def parse(response: dict[str, Any]) -> Chunk:
    return Chunk.model_validate(response)


class Script:
    """A frame source that replays responses, then an optional error."""

    def __init__(self, responses: list[dict[str, Any]], error: Exception | None = None) -> None:
        self.responses = list(responses)
        self.error = error
        self.closed = 0
        self.reads = 0

    def next_response(self) -> dict[str, Any] | None:
        self.reads += 1
        if self.responses:
            return self.responses.pop(0)
        if self.error is not None:
            raise self.error
        return None

    def close(self) -> None:
        self.closed += 1


class AsyncScript(Script):
    async def next_response(self) -> dict[str, Any] | None:  # type: ignore[override]
        return super().next_response()

    async def close(self) -> None:  # type: ignore[override]
        super().close()


def frames(count: int) -> list[dict[str, Any]]:
    return [{"text": f"c{i}", "n": i} for i in range(count)]


def test_stream_yields_typed_chunks_then_closes() -> None:
    source = Script(frames(3))
    chunks = list(Stream(source, parse))
    assert chunks == [Chunk(text=f"c{i}", n=i) for i in range(3)]
    assert source.closed == 1


async def test_async_stream_yields_typed_chunks_then_closes() -> None:
    source = AsyncScript(frames(3))
    chunks = [c async for c in AsyncStream(source, parse)]
    assert chunks == [Chunk(text=f"c{i}", n=i) for i in range(3)]
    assert source.closed == 1


def test_closing_early_closes_the_source_once() -> None:
    source = Script(frames(5))
    with Stream(source, parse) as stream:
        assert next(stream).n == 0
    assert source.closed == 1
    stream.close()
    assert source.closed == 1
    assert list(stream) == []


async def test_async_closing_early_closes_the_source_once() -> None:
    source = AsyncScript(frames(5))
    async with AsyncStream(source, parse) as stream:
        assert (await stream.__anext__()).n == 0
    assert source.closed == 1
    await stream.aclose()
    assert source.closed == 1
    assert [c async for c in stream] == []


def test_error_in_stream_raises_typed_and_ends() -> None:
    source = Script(frames(2), error=ServiceError("boom", error_type="x-error"))
    stream = Stream(source, parse)
    assert [next(stream).n, next(stream).n] == [0, 1]
    with pytest.raises(ServiceError, match="boom"):
        next(stream)
    assert source.closed == 1
    assert list(stream) == []


async def test_async_error_in_stream_raises_typed_and_ends() -> None:
    source = AsyncScript(frames(2), error=ServiceError("boom", error_type="x-error"))
    stream = AsyncStream(source, parse)
    assert [(await stream.__anext__()).n for _ in range(2)] == [0, 1]
    with pytest.raises(ServiceError, match="boom"):
        await stream.__anext__()
    assert source.closed == 1
    assert [c async for c in stream] == []


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"text": st.text(), "n": st.integers(min_value=-(2**31), max_value=2**31)},
            optional={"extra": st.booleans()},
        ),
        max_size=20,
    )
)
def test_chunks_parse_in_order(responses: list[dict[str, Any]]) -> None:
    expected = [Chunk(text=r["text"], n=r["n"]) for r in responses]
    assert list(Stream(Script(responses), parse)) == expected
    # nothing is read past the end
    source = Script(responses)
    list(Stream(source, parse))
    assert source.reads == len(responses) + 1
