"""Term constructors produce the exact wire tags of gateway-2.11 §6.1."""

from __future__ import annotations

from tgclient import Blank, Literal, Quoted, Term, Triple, Uri, term_text


def _wire(term: Term) -> dict[str, object]:
    return term.model_dump(mode="json", by_alias=True, exclude_none=True)


def test_wire_forms() -> None:
    assert _wire(Uri("http://x/a")) == {"t": "i", "i": "http://x/a"}
    assert _wire(Literal("42", datatype="http://www.w3.org/2001/XMLSchema#int")) == {
        "t": "l",
        "v": "42",
        "dt": "http://www.w3.org/2001/XMLSchema#int",
    }
    assert _wire(Literal("hi", language="en")) == {"t": "l", "v": "hi", "ln": "en"}
    assert _wire(Blank("b0")) == {"t": "b", "d": "b0"}
    inner = Triple(s=Uri("a"), p=Uri("p"), o=Literal("o"))
    assert _wire(Quoted(inner)) == {
        "t": "t",
        "tr": {"s": {"t": "i", "i": "a"}, "p": {"t": "i", "i": "p"}, "o": {"t": "l", "v": "o"}},
    }


def test_parse_from_wire_and_text() -> None:
    triple = Triple.model_validate(
        {"s": {"t": "i", "i": "a"}, "p": {"t": "i", "i": "p"}, "o": {"t": "l", "v": "x"}, "g": "G"}
    )
    assert (term_text(triple.s), term_text(triple.o), triple.g) == ("a", "x", "G")
    assert term_text(Quoted(triple)) == "<<a p x>>"
    assert term_text(Blank("b1")) == "b1"
