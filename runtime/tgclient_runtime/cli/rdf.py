"""RDF files through rdflib: read any syntax, N-Triples / N-Quads line by line (constant
memory), write N-Triples, N-Quads or Turtle.

Terms cross this module as ``(kind, value, datatype, language)`` parts, kind being "iri",
"literal" or "blank", so callers map them to their own term types.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.plugins.parsers.nquads import NQuadsParser
from rdflib.plugins.parsers.ntriples import W3CNTriplesParser
from rdflib.term import Node

__all__ = [
    "BadRdf",
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "Parts",
    "Statement",
    "StatementWriter",
    "count_lines",
    "guess_format",
    "read_statements",
]

Parts = tuple[str, str, str | None, str | None]
Statement = tuple[Parts, Parts, Parts, str | None]  # s, p, o, graph IRI

# File suffix -> rdflib format name.
IMPORT_FORMATS = {
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".n3": "n3",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}
EXPORT_FORMATS = ("nt", "nquads", "turtle")
_LINE_FORMATS = ("nt", "nquads")


class BadRdf(click.ClickException):
    """A file that is not valid RDF in the syntax it was read as."""

    exit_code = 5


def guess_format(path: str, given: str | None) -> str:
    """The rdflib format of ``path``: ``given``, else from its suffix."""
    if given:
        return given
    suffix = Path(path).suffix.lower()
    if suffix not in IMPORT_FORMATS:
        known = ", ".join(sorted(IMPORT_FORMATS))
        raise click.BadParameter(
            f"cannot tell the RDF syntax of {path!r} from its suffix ({known}); pass --format"
        )
    return IMPORT_FORMATS[suffix]


def count_lines(path: str) -> int | None:
    """Lines in a file, read in blocks (a progress total); None for standard input."""
    if path == "-":
        return None
    lines = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            lines += block.count(b"\n")
    return lines


def _parts(node: Node) -> Parts:
    if isinstance(node, URIRef):
        return "iri", str(node), None, None
    if isinstance(node, BNode):
        return "blank", str(node), None, None
    if isinstance(node, RdfLiteral):
        datatype = str(node.datatype) if node.datatype else None
        return "literal", str(node), datatype, node.language
    raise BadRdf(f"unsupported RDF node {node!r}")


def _node(parts: Parts) -> Node:
    kind, value, datatype, language = parts
    if kind == "iri":
        return URIRef(value)
    if kind == "blank":
        return BNode(value)
    return RdfLiteral(value, datatype=URIRef(datatype) if datatype else None, lang=language)


class _LastStatement:
    """A parser sink that keeps the statement of the line just parsed (triples or quads)."""

    def __init__(self) -> None:
        self.statement: tuple[Node, Node, Node, Node | None] | None = None
        self.default_context = self  # N-Quads lines without a graph

    def triple(self, s: Node, p: Node, o: Node) -> None:
        self.statement = (s, p, o, None)

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self.statement = (*triple, None)

    def get_context(self, context: Node | None) -> _LastStatement._Context:
        return self._Context(self, context)

    class _Context:
        def __init__(self, sink: _LastStatement, context: Node | None) -> None:
            self.sink, self.context = sink, context

        def add(self, triple: tuple[Node, Node, Node]) -> None:
            self.sink.statement = (*triple, self.context)


def _read_lines(f: IO[str], fmt: str, where: str) -> Iterator[Statement]:
    sink = _LastStatement()
    parser: Any = NQuadsParser(sink) if fmt == "nquads" else W3CNTriplesParser(sink)  # type: ignore[arg-type]
    bnodes: dict[str, Node] = {}
    for number, line in enumerate(f, 1):
        parser.line = line.strip()
        sink.statement = None
        try:
            parser.parseline(bnode_context=bnodes)
        except Exception as exc:
            raise BadRdf(f"{where} line {number}: not valid {fmt}: {exc}") from None
        if sink.statement is not None:
            s, p, o, g = sink.statement
            graph = str(g) if isinstance(g, URIRef) else None
            yield _parts(s), _parts(p), _parts(o), graph


def read_statements(path: str, fmt: str) -> Iterator[Statement]:
    """Every statement of an RDF file; N-Triples and N-Quads one line at a time."""
    if fmt in _LINE_FORMATS:
        if path == "-":
            yield from _read_lines(sys.stdin, fmt, "stdin")
            return
        with open(path, encoding="utf-8") as f:
            yield from _read_lines(f, fmt, path)
        return
    graph = Graph()
    try:
        graph.parse(path if path != "-" else sys.stdin.buffer, format=fmt)
    except Exception as exc:
        raise BadRdf(f"{path}: not valid {fmt}: {exc}") from None
    for s, p, o in graph:
        yield _parts(s), _parts(p), _parts(o), None


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_ESCAPES = str.maketrans({c: f"\\u{ord(c):04X}" for c in '<>"{}|^`\\ '})


def _iri(value: str) -> str:
    return value.translate(_IRI_ESCAPES)


def _nt(parts: Parts) -> str:
    """One term in N-Triples syntax."""
    kind, value, datatype, language = parts
    if kind == "iri":
        return f"<{_iri(value)}>"
    if kind == "blank":
        return f"_:{value}"
    text = f'"{value.translate(_ESCAPES)}"'
    if language:
        return f"{text}@{language}"
    return f"{text}^^<{_iri(datatype)}>" if datatype else text


class StatementWriter:
    """Writes statements as N-Triples / N-Quads (one line each, as they come) or Turtle
    (collected, then written by :meth:`close`)."""

    def __init__(self, out: IO[str], fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        self._graph = Graph() if fmt not in _LINE_FORMATS else None

    def write(self, statement: Statement) -> None:
        s, p, o, g = statement
        if self._graph is not None:
            self._graph.add((_node(s), _node(p), _node(o)))
            return
        graph = f" <{_iri(g)}>" if g and self.fmt == "nquads" else ""
        self.out.write(f"{_nt(s)} {_nt(p)} {_nt(o)}{graph} .\n")

    def close(self) -> None:
        if self._graph is not None:
            self.out.write(self._graph.serialize(format=self.fmt))
