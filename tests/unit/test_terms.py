"""Term constructors produce the exact wire tags of gateway-2.11 §6.1."""

from __future__ import annotations

import pytest

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


def test_terms_are_classes_and_parse_into_their_tag() -> None:
    triple = Triple.model_validate(
        {
            "s": {"t": "i", "i": "urn:a"},
            "p": {"t": "b", "d": "b7"},
            "o": {"t": "l", "v": "5", "dt": "http://www.w3.org/2001/XMLSchema#integer"},
        }
    )
    assert isinstance(triple.s, Uri) and isinstance(triple.s, Term)
    assert isinstance(triple.p, Blank)
    assert isinstance(triple.o, Literal) and not isinstance(triple.o, Uri)
    assert triple.o.datatype == "http://www.w3.org/2001/XMLSchema#integer"
    assert (str(triple.s), str(triple.o), str(triple)) == ("urn:a", "5", "urn:a b7 5")
    assert repr(Literal("chat", language="fr")) == "Literal('chat', language='fr')"


def test_plain_strings_follow_the_official_rule() -> None:
    triple = Triple(s="http://ex.com/alice", p="http://ex.com/type", o="Person")
    assert _wire(triple.s) == {"t": "i", "i": "http://ex.com/alice"}
    assert _wire(triple.o) == {"t": "l", "v": "Person"}
    assert Triple("urn:x", "http://p/", "o").s == Literal("urn:x")  # no "://": a literal
    assert triple.s == "http://ex.com/alice" and triple.o == "Person"
    assert {Uri("a"), Uri("a")} == {Uri("a")}


def test_rdflib_nodes_convert_both_ways() -> None:
    import rdflib

    graph = rdflib.Graph()
    graph.add((rdflib.URIRef("urn:a"), rdflib.URIRef("urn:p"), rdflib.Literal("hi", lang="en")))
    graph.add((rdflib.BNode("b1"), rdflib.URIRef("urn:p"), rdflib.Literal(5)))
    triples = sorted((Triple.model_validate(t) for t in graph), key=str)
    assert _wire(triples[0].s) == {"t": "b", "d": "b1"}
    assert _wire(triples[0].o) == {
        "t": "l",
        "v": "5",
        "dt": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert _wire(triples[1].o) == {"t": "l", "v": "hi", "ln": "en"}
    assert {t.to_rdflib() for t in triples} == set(graph)


def test_a_value_that_is_no_term_says_how_to_build_one() -> None:
    from tgclient import RequestValidationError
    from tgclient.types.triples import TriplesQueryRequest
    from tgclient_runtime.request import build_request

    for bad in ({"x": 1}, 42):
        with pytest.raises(RequestValidationError) as info:
            build_request(TriplesQueryRequest, p=bad)
        text = str(info.value)
        assert 'Uri("http://...")' in text and "Literal(" in text and "plain string" in text


def test_an_ellipsis_argument_is_left_out_like_none() -> None:
    """The seed's ``flow.triples_query(...)``: ``...`` in a term position means "any"."""
    from tgclient import Uri
    from tgclient._operations import TRIPLES_TRIPLES
    from tgclient.types.triples import TriplesQueryRequest
    from tgclient_runtime.request import request_body

    body = request_body(TriplesQueryRequest, TRIPLES_TRIPLES, s=..., p=Uri("http://ex.com/p"))
    assert "s" not in body and body["p"] == {"t": "i", "i": "http://ex.com/p"}
    assert request_body(TriplesQueryRequest, TRIPLES_TRIPLES, s=..., p=..., o=...) == (
        request_body(TriplesQueryRequest, TRIPLES_TRIPLES)
    )
