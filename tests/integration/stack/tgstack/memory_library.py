"""In-memory stand-in for ``trustgraph.tables.library`` (the librarian's Cassandra tables).

Same class name, constructor arguments, async methods and return shapes as 2.11.1's
``LibraryTableStore``; metadata triples are stored in the table's (value, is_uri) form.
"""

import copy
import time
from datetime import UTC, datetime

from trustgraph.schema import DocumentMetadata, ProcessingMetadata, Triple

from .terms import from_tuple, to_tuple


def _timestamp(ms):
    """A Cassandra timestamp as the driver returns it: a naive UTC datetime."""
    return datetime.fromtimestamp(ms / 1000, UTC).replace(tzinfo=None)


def _pack(triples):
    return [
        (*to_tuple(t.s, rich=False), *to_tuple(t.p, rich=False), *to_tuple(t.o, rich=False))
        for t in triples or []
    ]


def _unpack(rows):
    return [
        Triple(
            s=from_tuple(r[0], r[1], False),
            p=from_tuple(r[2], r[3], False),
            o=from_tuple(r[4], r[5], False),
        )
        for r in rows
    ]


class LibraryTableStore:
    """Documents, processing records and upload sessions, keyed like the real tables."""

    def __init__(self, *args, **kwargs):
        self.documents = {}
        self.processing = {}
        self.uploads = {}

    async def document_exists(self, workspace, id):
        return (workspace, id) in self.documents

    async def add_document(self, workspace, document, object_id):
        self.documents[(workspace, document.id)] = {
            "time": int(document.time * 1000),
            "kind": document.kind,
            "title": document.title,
            "comments": document.comments,
            "metadata": _pack(document.metadata),
            "tags": list(document.tags or []),
            "object_id": object_id,
            "parent_id": getattr(document, "parent_id", "") or "",
            "document_type": getattr(document, "document_type", "source") or "source",
        }

    async def update_document(self, workspace, document):
        row = self.documents.get((workspace, document.id))
        if row is not None:
            row.update(
                time=int(document.time * 1000),
                title=document.title,
                comments=document.comments,
                metadata=_pack(document.metadata),
                tags=list(document.tags or []),
            )

    async def remove_document(self, workspace, document_id):
        self.documents.pop((workspace, document_id), None)

    @staticmethod
    def _metadata(id, row):
        return DocumentMetadata(
            id=id,
            time=int(row["time"] / 1000),
            kind=row["kind"],
            title=row["title"],
            comments=row["comments"],
            metadata=_unpack(row["metadata"]),
            tags=list(row["tags"]),
            parent_id=row["parent_id"],
            document_type=row["document_type"],
        )

    async def list_documents(self, workspace):
        return [self._metadata(i, r) for (w, i), r in self.documents.items() if w == workspace]

    async def list_children(self, parent_id):
        return [
            self._metadata(i, r)
            for (_, i), r in self.documents.items()
            if r["parent_id"] == parent_id
        ]

    async def get_document(self, workspace, id):
        row = self.documents.get((workspace, id))
        if row is None:
            raise RuntimeError("No such document row?")
        return self._metadata(id, row)

    async def get_document_object_id(self, workspace, id):
        row = self.documents.get((workspace, id))
        if row is None:
            raise RuntimeError("No such document row?")
        return row["object_id"]

    async def processing_exists(self, workspace, id):
        return (workspace, id) in self.processing

    async def add_processing(self, workspace, processing):
        self.processing[(workspace, processing.id)] = ProcessingMetadata(
            id=processing.id,
            document_id=processing.document_id,
            time=int(processing.time),
            flow=processing.flow,
            collection=processing.collection,
            tags=list(processing.tags or []),
        )

    async def remove_processing(self, workspace, processing_id):
        self.processing.pop((workspace, processing_id), None)

    async def list_processing(self, workspace):
        return [copy.deepcopy(p) for (w, _), p in self.processing.items() if w == workspace]

    async def create_upload_session(
        self,
        upload_id,
        workspace,
        document_id,
        document_metadata,
        s3_upload_id,
        object_id,
        total_size,
        chunk_size,
        total_chunks,
    ):
        now = _timestamp(time.time() * 1000)
        self.uploads[upload_id] = {
            "upload_id": upload_id,
            "workspace": workspace,
            "document_id": document_id,
            "document_metadata": document_metadata,
            "s3_upload_id": s3_upload_id,
            "object_id": object_id,
            "total_size": total_size,
            "chunk_size": chunk_size,
            "total_chunks": total_chunks,
            "chunks_received": {},
            "created_at": now,
            "updated_at": now,
        }

    async def get_upload_session(self, upload_id):
        session = self.uploads.get(upload_id)
        return copy.deepcopy(session) if session else None

    async def update_upload_session_chunk(self, upload_id, chunk_index, etag):
        session = self.uploads.get(upload_id)
        if session is not None:
            session["chunks_received"][chunk_index] = etag
            session["updated_at"] = _timestamp(time.time() * 1000)

    async def delete_upload_session(self, upload_id):
        self.uploads.pop(upload_id, None)

    async def list_upload_sessions(self, workspace):
        return [
            {
                **{
                    k: s[k]
                    for k in (
                        "upload_id",
                        "document_id",
                        "document_metadata",
                        "total_size",
                        "chunk_size",
                        "total_chunks",
                        "created_at",
                        "updated_at",
                    )
                },
                "chunks_received": len(s["chunks_received"]),
            }
            for s in self.uploads.values()
            if s["workspace"] == workspace
        ]
