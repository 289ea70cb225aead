"""The (value, is_uri) term encoding the 2.11.1 Cassandra tables use, reproduced.

The in-memory stand-ins store terms the way the real tables do, so what comes back has the
same shape (and the same losses: literals lose datatype and language).
"""

import json

from trustgraph.schema import BLANK, IRI, LITERAL, TRIPLE, Term, Triple

TRIPLE_MARKER = "<<TRIPLE>>"
BLANK_MARKER = "<<BLANK>>"


def _term_json(term):
    if term.type == IRI:
        return {"t": "i", "i": term.iri}
    if term.type == LITERAL:
        out = {"t": "l", "v": term.value}
        if term.datatype:
            out["dt"] = term.datatype
        if term.language:
            out["ln"] = term.language
        return out
    if term.type == BLANK:
        return {"t": "b", "d": term.id}
    if term.type == TRIPLE and term.triple:
        return {"t": "t", "tr": _triple_json(term.triple)}
    return {"t": term.type}


def _term_from_json(data):
    kind = data.get("t", "")
    if kind == "i":
        return Term(type=IRI, iri=data.get("i", ""))
    if kind == "l":
        return Term(
            type=LITERAL,
            value=data.get("v", ""),
            datatype=data.get("dt", ""),
            language=data.get("ln", ""),
        )
    if kind == "b":
        return Term(type=BLANK, id=data.get("d", ""))
    if kind == "t":
        tr = data.get("tr")
        return Term(type=TRIPLE, triple=_triple_from_json(tr) if tr else None)
    return Term(type=kind)


def _triple_json(triple):
    out = {k: _term_json(getattr(triple, k)) for k in ("s", "p", "o") if getattr(triple, k)}
    if triple.g:
        out["g"] = triple.g
    return out


def _triple_from_json(data):
    return Triple(
        **{k: _term_from_json(data[k]) for k in ("s", "p", "o") if k in data}, g=data.get("g")
    )


def to_tuple(term, rich=True):
    """Term -> (value, is_uri); ``rich=False`` is the library table's IRI-or-literal form."""
    if term.type == IRI:
        return (term.iri, True)
    if rich and term.type == TRIPLE:
        return (TRIPLE_MARKER + json.dumps(_triple_json(term.triple), separators=(",", ":")), False)
    if rich and term.type == BLANK:
        return (BLANK_MARKER + term.id, False)
    return (term.value, False)


def from_tuple(value, is_uri, rich=True):
    """(value, is_uri) -> Term, the inverse of :func:`to_tuple`."""
    if is_uri:
        return Term(type=IRI, iri=value)
    if rich and value.startswith(TRIPLE_MARKER):
        return Term(type=TRIPLE, triple=_triple_from_json(json.loads(value[len(TRIPLE_MARKER) :])))
    if rich and value.startswith(BLANK_MARKER):
        return Term(type=BLANK, id=value[len(BLANK_MARKER) :])
    return Term(type=LITERAL, value=value)
