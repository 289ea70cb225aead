"""Library: add_document with the official keywords, list, update, remove."""
# expect: ^added official-doc-\w+$
# expect: ^listed: Research Paper \(text/plain\) tags=research,physics$
# expect: ^updated title: Research Paper \(v2\)$
# expect: ^content: Quantum entanglement notes\.$
# expect: ^removed: True$

import sys
import uuid

from trustgraph.api import Api

api = Api(sys.argv[1])
library = api.library()
doc_id = f"official-doc-{uuid.uuid4().hex[:8]}"

library.add_document(
    document=b"Quantum entanglement notes.",
    id=doc_id,
    metadata=[],
    title="Research Paper",
    comments="Key findings in quantum computing",
    kind="text/plain",
    tags=["research", "physics"],
)
print("added", doc_id)

docs = library.get_documents()
for doc in docs:
    if doc.id == doc_id:
        print(f"listed: {doc.title} ({doc.kind}) tags={','.join(doc.tags)}")
        doc.title = "Research Paper (v2)"
        doc.comments = "Updated description"
        library.update_document(id=doc_id, metadata=doc)

for doc in library.get_documents():
    if doc.id == doc_id:
        print("updated title:", doc.title)

print("content:", library.get_document_content(doc_id).decode())
library.remove_document(id=doc_id)
print("removed:", all(d.id != doc_id for d in library.get_documents()))
