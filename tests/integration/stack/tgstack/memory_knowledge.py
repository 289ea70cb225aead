"""In-memory stand-in for ``trustgraph.tables.knowledge`` (knowledge cores in Cassandra).

Same class name, constructor arguments, async methods and receiver calls as 2.11.1's
``KnowledgeTableStore``: one row per put, keyed by ``metadata.root or metadata.id``, read
back as one message per row with ``collection`` "default"; terms in the table's form.
"""

import time
import uuid

from trustgraph.schema import (
    ChunkEmbeddings,
    DocumentEmbeddings,
    EntityEmbeddings,
    GraphEmbeddings,
    Metadata,
    Triple,
    Triples,
)

from .terms import from_tuple, to_tuple


class KnowledgeTableStore:
    """Triples, graph-embeddings and document-embeddings rows per (workspace, core id)."""

    def __init__(self, *args, **kwargs):
        self.tables = {"triples": {}, "ge": {}, "de": {}}

    def _append(self, table, workspace, m, payload):
        key = (workspace, m.metadata.root or m.metadata.id)
        row = (uuid.uuid4(), int(time.time() * 1000), payload)
        self.tables[table].setdefault(key, []).append(row)

    def _ids(self, table, workspace):
        return sorted({d for (w, d) in self.tables[table] if w == workspace})

    def _rows(self, table, workspace, document_id):
        return list(self.tables[table].get((workspace, document_id), []))

    async def add_triples(self, workspace, m):
        payload = [(*to_tuple(v.s), *to_tuple(v.p), *to_tuple(v.o), v.g or "") for v in m.triples]
        self._append("triples", workspace, m, payload)

    async def add_graph_embeddings(self, workspace, m):
        payload = [(to_tuple(v.entity), list(v.vector)) for v in m.entities]
        self._append("ge", workspace, m, payload)

    async def add_document_embeddings(self, workspace, m):
        payload = [(v.chunk_id, list(v.vector)) for v in m.chunks]
        self._append("de", workspace, m, payload)

    async def list_kg_cores(self, workspace):
        return self._ids("triples", workspace)

    async def list_de_cores(self, workspace):
        return self._ids("de", workspace)

    async def delete_kg_core(self, workspace, document_id):
        for table in self.tables.values():
            table.pop((workspace, document_id), None)

    async def delete_document_embeddings(self, workspace, document_id):
        self.tables["de"].pop((workspace, document_id), None)

    @staticmethod
    def _metadata(document_id):
        return Metadata(id=document_id, collection="default")

    async def get_triples(self, workspace, document_id, receiver):
        for _, _, rows in self._rows("triples", workspace, document_id):
            triples = [
                Triple(
                    s=from_tuple(r[0], r[1]),
                    p=from_tuple(r[2], r[3]),
                    o=from_tuple(r[4], r[5]),
                    g=r[6] or None,
                )
                for r in rows
            ]
            await receiver(Triples(metadata=self._metadata(document_id), triples=triples))

    async def get_graph_embeddings(self, workspace, document_id, receiver):
        for _, _, rows in self._rows("ge", workspace, document_id):
            entities = [EntityEmbeddings(entity=from_tuple(*e), vector=v) for e, v in rows]
            await receiver(GraphEmbeddings(metadata=self._metadata(document_id), entities=entities))

    async def get_document_embeddings(self, workspace, document_id, receiver):
        for _, _, rows in self._rows("de", workspace, document_id):
            chunks = [ChunkEmbeddings(chunk_id=c, vector=v) for c, v in rows]
            await receiver(DocumentEmbeddings(metadata=self._metadata(document_id), chunks=chunks))
