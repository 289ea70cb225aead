"""Property-based tests of typed chunk parsing: whatever frames a stream delivers, each
becomes the model its discriminator names (unknown values fall back to the default), keeps
every field it carries, and the stream yields them in order."""

from __future__ import annotations

from typing import Any, ClassVar

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
