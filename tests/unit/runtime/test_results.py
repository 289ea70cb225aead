"""TextResult: a str that also answers the dict-shaped reads of older clients."""

from __future__ import annotations

import pytest

from tgclient_runtime.models import WireModel
from tgclient_runtime.results import TextResult


class Answer(WireModel):
    content: str
    end_of_dialog: bool = False


def test_string_keys_read_response_fields_ints_index_the_text() -> None:
    raw = Answer.model_validate({"content": "Blue.", "end_of_dialog": True})
    text = TextResult.from_response(raw, "content")
    assert (text[0], text[1:3], text[-1]) == ("B", "lu", ".")
    assert text["end_of_dialog"] is True and text["content"] == "Blue."
    assert text["response"] == "Blue."  # the seed's dict shape: the answer under "response"
    with pytest.raises(KeyError):
        text["nothing"]
