"""A 3 MiB document with a progress callback (the official client uploads it in chunks)."""
# expect: ^progress: 3145728/3145728 bytes$
# expect: ^round trip: True$

import sys
import uuid

from trustgraph.api import Api

api = Api(sys.argv[1])
library = api.library()
document = bytes(range(256)) * (3 * 4096)
doc_id = f"official-large-{uuid.uuid4().hex[:8]}"
last = []


def progress(sent, total):
    last[:] = [sent, total]


library.add_document(
    document=document,
    id=doc_id,
    metadata=None,
    title="Large",
    comments="",
    kind="application/octet-stream",
    on_progress=progress,
)
print(f"progress: {last[0]}/{last[1]} bytes")
print("round trip:", library.get_document_content(doc_id) == document)
library.remove_document(doc_id)
