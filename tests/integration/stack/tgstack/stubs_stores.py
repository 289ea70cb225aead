"""In-memory triples, graph-embeddings and document-embeddings services.

Each subclasses the trustgraph-base query service and adds a consumer named ``store`` on the
flow's ``*-store`` topic, so data imported through the gateway's bulk sockets (or loaded from
a knowledge core) becomes queryable. Data lives in process memory, per workspace and
collection, de-duplicated.

- triples: exact s/p/o matches, a missing term is a wildcard; ``g`` None is the default graph
  and ``"*"`` all graphs; ``limit`` applies; streaming batches come from the library.
- graph/document embeddings: the top ``limit`` by cosine similarity to the query vector.

Hooks are read from ``collection`` (and, for triples, the s/p/o term values). Stock 2.11.1's
graph-embeddings error path is broken (it builds a response with a field that does not
exist), so ``[[error]]`` there sends nothing and the caller waits for the gateway timeout.
"""

from trustgraph.base import (
    ConsumerSpec,
    DocumentEmbeddingsQueryService,
    GraphEmbeddingsQueryService,
    TriplesQueryService,
)
from trustgraph.schema import (
    ChunkMatch,
    DocumentEmbeddings,
    EntityMatch,
    GraphEmbeddings,
    Triples,
)

from . import hooks
from .text import cosine


def _term_key(term):
    return repr(term)


def _term_texts(*terms):
    return [getattr(t, "iri", "") or getattr(t, "value", "") for t in terms if t is not None]


class _Memory:
    """Insertion-ordered, de-duplicated items per (workspace, collection)."""

    def __init__(self):
        self.data = {}

    def put(self, workspace, collection, key, item):
        self.data.setdefault((workspace, collection or "default"), {})[key] = item

    def items(self, workspace, collection):
        return list(self.data.get((workspace, collection or "default"), {}).values())


def _register_store(processor, schema, handler):
    processor.register_specification(ConsumerSpec(name="store", schema=schema, handler=handler))


class TriplesMemory(TriplesQueryService):
    """Triples store and pattern query."""

    def __init__(self, **params):
        super().__init__(**params | {"id": params.get("id", "triples-memory")})
        self.memory = _Memory()
        self.by_subject = {}  # (workspace, collection, subject key) -> {key: triple}
        _register_store(self, Triples, self.on_store)

    async def on_store(self, msg, consumer, flow):
        v = msg.value()
        collection = v.metadata.collection or "default"
        for t in v.triples or []:
            subject = _term_key(t.s)
            key = (subject, _term_key(t.p), _term_key(t.o), t.g or "")
            self.memory.put(flow.workspace, collection, key, t)
            self.by_subject.setdefault((flow.workspace, collection, subject), {})[key] = t

    def _candidates(self, workspace, request):
        # A query naming its subject reads that subject's triples only (a bulk-loaded store
        # holds a million); the filter below still checks every term.
        if request.s is not None:
            where = (workspace, request.collection or "default", _term_key(request.s))
            return list(self.by_subject.get(where, {}).values())
        return self.memory.items(workspace, request.collection)

    async def query_triples(self, workspace, request):
        await hooks.apply(request.collection, *_term_texts(request.s, request.p, request.o))
        found = []
        for t in self._candidates(workspace, request):
            if not self._graph_matches(request.g, t.g):
                continue
            if any(
                q is not None and q != v
                for q, v in ((request.s, t.s), (request.p, t.p), (request.o, t.o))
            ):
                continue
            found.append(t)
            if request.limit and len(found) >= request.limit:
                break
        return found

    @staticmethod
    def _graph_matches(wanted, graph):
        if wanted == "*":
            return True
        if not wanted:
            return not graph
        return wanted == graph


class GraphEmbeddingsMemory(GraphEmbeddingsQueryService):
    """Entity embeddings store and similarity query."""

    def __init__(self, **params):
        super().__init__(**params | {"id": params.get("id", "graph-embeddings-memory")})
        self.memory = _Memory()
        _register_store(self, GraphEmbeddings, self.on_store)

    async def on_store(self, msg, consumer, flow):
        v = msg.value()
        for e in v.entities or []:
            self.memory.put(flow.workspace, v.metadata.collection, _term_key(e.entity), e)

    async def query_graph_embeddings(self, workspace, request):
        await hooks.apply(request.collection)
        entities = self.memory.items(workspace, request.collection)
        if request.rdf_type:
            entities = [e for e in entities if request.rdf_type in (e.rdf_type or [])]
        scored = sorted(
            ((cosine(request.vector, e.vector), e) for e in entities),
            key=lambda pair: -pair[0],
        )
        return [
            EntityMatch(
                entity=e.entity,
                score=s,
                rdf_type=list(e.rdf_type or []),
                attributes=dict(e.attributes or {}),
            )
            for s, e in scored[: request.limit or 10]
        ]


class DocumentEmbeddingsMemory(DocumentEmbeddingsQueryService):
    """Chunk embeddings store and similarity query."""

    def __init__(self, **params):
        super().__init__(**params | {"id": params.get("id", "doc-embeddings-memory")})
        self.memory = _Memory()
        _register_store(self, DocumentEmbeddings, self.on_store)

    async def on_store(self, msg, consumer, flow):
        v = msg.value()
        collection = v.metadata.collection if v.metadata else "default"
        for c in v.chunks or []:
            self.memory.put(flow.workspace, collection, c.chunk_id, c)

    async def query_document_embeddings(self, workspace, request):
        await hooks.apply(request.collection)
        scored = sorted(
            (
                (cosine(request.vector, c.vector), c)
                for c in self.memory.items(workspace, request.collection)
            ),
            key=lambda pair: -pair[0],
        )
        return [
            ChunkMatch(chunk_id=c.chunk_id, score=s, attributes=dict(c.attributes or {}))
            for s, c in scored[: request.limit or 10]
        ]
