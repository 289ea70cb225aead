"""Library: add_document with positional arguments in the official order, and triples as
metadata."""
# expect: ^added with 1 metadata triple$
# expect: ^title: Positional \| comments: Given by position \| kind: text/markdown$
# expect: ^metadata: http://example\.org/doc http://www\.w3\.org/.+#label Positional$

import sys
import uuid

from trustgraph.api import Api, Literal, Triple, Uri

api = Api(sys.argv[1])
library = api.library()
doc_id = f"official-pos-{uuid.uuid4().hex[:8]}"
label = Triple(
    s=Uri("http://example.org/doc"),
    p=Uri("http://www.w3.org/2000/01/rdf-schema#label"),
    o=Literal("Positional"),
)
library.add_document(
    b"# Heading\n", doc_id, [label], "Positional", "Given by position", "text/markdown", ["md"]
)
print("added with 1 metadata triple")
for doc in library.get_documents():
    if doc.id == doc_id:
        print(f"title: {doc.title} | comments: {doc.comments} | kind: {doc.kind}")
        for t in doc.metadata:
            print("metadata:", t.s, t.p, t.o)
library.remove_document(doc_id)
