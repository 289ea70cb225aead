"""Property-based tests of typed chunk parsing: whatever frames a stream delivers, each
becomes the model its discriminator names (unknown values fall back to the default), keeps
every field it carries, and the stream yields them in order."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, ClassVar

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tgclient
from tests.fakes.ws_gateway import FakeGateway
from tgclient import Api

AGENT_TYPES = {
    "thought": tgclient.AgentThought,
    "observation": tgclient.AgentObservation,
    "answer": tgclient.AgentAnswer,
    "explain": tgclient.AgentExplain,
}

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
agent_frame = st.fixed_dictionaries(
    {"message_type": st.sampled_from([*AGENT_TYPES, "action", "final-answer", ""])},
    optional={"content": text, "message_id": text, "in_token": st.integers(0, 10**6)},
)


class Script:
    frames: ClassVar[list[dict[str, Any]]] = []


GATEWAY = FakeGateway(responder=lambda msg: Script.frames)


def setup_module() -> None:
    GATEWAY.start()


def teardown_module() -> None:
    GATEWAY.stop()


@settings(max_examples=40, deadline=None)
@given(st.lists(agent_frame, min_size=1, max_size=8))
def test_agent_frames_become_their_classes_in_order(frames: list[dict[str, Any]]) -> None:
    final = {"message_type": "answer", "end_of_message": True, "end_of_dialog": True}
    Script.frames = [{**f, "end_of_message": False, "end_of_dialog": False} for f in frames]
    Script.frames.append(final)
    with Api(GATEWAY.url, timeout=10) as api, api.flow().id().agent("q", streaming=True) as s:
        chunks = list(s)
    assert len(chunks) == len(frames) + 1
    for frame, chunk in zip(frames, chunks, strict=False):
        expected = AGENT_TYPES.get(frame["message_type"], tgclient.AgentResponse)
        assert type(chunk) is expected
        assert (chunk.content or "") == frame.get("content", "")  # absent when empty (§7.1)
        assert chunk.in_token == frame.get("in_token")
    assert chunks[-1].end_of_dialog


@settings(max_examples=40, deadline=None)
@given(st.lists(text, min_size=1, max_size=10))
def test_text_chunks_join_to_the_whole_text(pieces: list[str]) -> None:
    Script.frames = [{"response": p, "end_of_stream": False} for p in pieces]
    Script.frames.append({"response": "", "end_of_stream": True, "model": "m"})
    with Api(GATEWAY.url, timeout=10) as api:
        stream = api.flow().id().text_completion("s", "p", streaming=True)
        with stream:
            chunks = list(stream)
    assert "".join(c.response or "" for c in chunks) == "".join(pieces)
    assert chunks[-1].end_of_stream and chunks[-1].model == "m"


def test_the_seed_chunk_types_are_classes_of_one_family() -> None:
    """The seed's Types section: construct, test with isinstance, read chunk_type."""
    thought = tgclient.AgentThought(content="hmm")
    assert isinstance(thought, tgclient.StreamingChunk)
    assert (thought.chunk_type, thought.end_of_message) == ("thought", False)
    assert tgclient.AgentObservation(content="saw").chunk_type == "observation"
    answer = tgclient.AgentAnswer(content="done", end_of_message=True, end_of_dialog=True)
    assert (answer.chunk_type, answer.end_of_dialog) == ("final-answer", True)
    rag = tgclient.RAGChunk(content="text", end_of_stream=True, error=None)
    assert isinstance(rag, tgclient.StreamingChunk) and rag.end_of_stream and rag.error is None
    assert issubclass(tgclient.GraphRagChunk, tgclient.RAGChunk)
    assert issubclass(tgclient.DocumentRagChunk, tgclient.RAGChunk)
    assert not issubclass(tgclient.GraphRagExplain, tgclient.StreamingChunk)


def test_chunk_type_picks_the_class_when_a_base_reads_a_mapping() -> None:
    """Also in a fresh interpreter where no agent type was loaded yet (lazy modules)."""
    code = (
        "import tgclient; c = tgclient.StreamingChunk.model_validate({'chunk_type': 'thought'})"
        "; print(type(c).__name__)"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "AgentThought"
    read = tgclient.StreamingChunk.model_validate
    assert type(read({"chunk_type": "thought", "content": "x"})) is tgclient.AgentThought
    assert type(read({"chunk_type": "final-answer"})) is tgclient.AgentAnswer
    rag = read({"chunk_type": "rag", "response": "wire name"})
    assert type(rag) is tgclient.RAGChunk and rag.content == "wire name"
    assert type(read({"content": "no type"})) is tgclient.StreamingChunk
    assert type(tgclient.RAGChunk.model_validate({"chunk_type": "rag"})) is tgclient.RAGChunk
    with pytest.raises(pydantic.ValidationError, match="chunk_type"):  # not of its family
        tgclient.RAGChunk.model_validate({"chunk_type": "thought"})


def test_rag_streams_yield_rag_chunks() -> None:
    Script.frames = [
        {"message_type": "explain", "explain_id": "urn:e", "end_of_stream": False},
        {"message_type": "chunk", "response": "Al", "end_of_stream": False},
        {"message_type": "chunk", "response": "ice", "end_of_stream": True},
        {"message_type": "chunk", "response": "", "end_of_session": True, "in_token": 3},
    ]
    with Api(GATEWAY.url, timeout=10) as api:
        flow = api.flow().id()
        with flow.graph_rag("who?", streaming=True) as stream:
            chunks = list(stream)
        with flow.document_rag("who?", streaming=True) as stream:
            documents = list(stream)
    for got in (chunks, documents):
        assert all(isinstance(c, tgclient.RAGChunk) and c.chunk_type == "rag" for c in got)
        assert "".join(c.content for c in got) == "Alice" and got[-1].in_token == 3
