"""Library calls in the v1.6.5 shape: user= on every call (2.x scopes by workspace)."""
# expect: ^added v165-\w+$
# expect: ^processing of v165-\w+ in official-v165$
# expect: ^left: 0$

import sys
import uuid
import warnings

from trustgraph.api import Api

warnings.simplefilter("ignore", DeprecationWarning)
api = Api(sys.argv[1])
library = api.library()
doc_id = f"v165-{uuid.uuid4().hex[:8]}"
library.add_document(
    document=b"v1.6.5 document",
    id=doc_id,
    metadata=None,
    user="trustgraph",
    title="Old style",
    comments="user scoped",
    kind="text/plain",
    tags=[],
)
print("added", doc_id)
library.start_processing(
    id=f"p-{doc_id}",
    document_id=doc_id,
    flow="default",
    user="trustgraph",
    collection="official-v165",
)
for p in library.get_processings(user="trustgraph"):
    if p.document_id == doc_id:
        print(f"processing of {p.document_id} in {p.collection}")
library.stop_processing(id=f"p-{doc_id}", user="trustgraph")
library.remove_document(user="trustgraph", id=doc_id)
print("left:", sum(d.id == doc_id for d in library.get_documents(user="trustgraph")))
