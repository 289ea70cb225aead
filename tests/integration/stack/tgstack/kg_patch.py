"""Opt-in patch of a trustgraph-base 2.11.1 *server* defect (test stack only).

``trustgraph/schema/documents.py`` annotates ``KnowledgeRequest`` / ``KnowledgeResponse``
fields with the names ``Triples``, ``GraphEmbeddings`` and ``DocumentEmbeddings`` without
importing them. Type-hint resolution then fails, nested payloads stay plain dicts, and every
stock put-kg-core / put-de-core answers ``unexpected-error`` ("'dict' object has no
attribute ..."). Adding the three names to that module's globals, in the gateway and the
knowledge process, makes knowledge cores work. The stack applies this only when asked
(``TGSTACK_PATCH_KG=1``, set by ``Stack(patch_knowledge_core=True)``).
"""

import os

ENV = "TGSTACK_PATCH_KG"


def apply_if_enabled():
    """Apply the patch when ``$TGSTACK_PATCH_KG`` is ``1``; return whether it was applied."""
    if os.environ.get(ENV) != "1":
        return False
    import trustgraph.schema.documents as documents
    from trustgraph.schema import DocumentEmbeddings, GraphEmbeddings, Triples

    documents.Triples = Triples
    documents.GraphEmbeddings = GraphEmbeddings
    documents.DocumentEmbeddings = DocumentEmbeddings
    return True
