"""Library: submit a document into a flow with start_processing, list and stop it."""
# expect: ^processing proc-\w+ of doc-\w+ in flow default, collection official-proc$
# expect: ^stopped: True$

import sys
import uuid

from trustgraph.api import Api

api = Api(sys.argv[1])
library = api.library()
suffix = uuid.uuid4().hex[:8]
doc_id, proc_id = f"doc-{suffix}", f"proc-{suffix}"

library.add_document(
    document=b"Alice knows Bob.",
    id=doc_id,
    metadata=None,
    title="People",
    comments="",
)
library.start_processing(
    id=proc_id,
    document_id=doc_id,
    flow="default",
    collection="official-proc",
    tags=["automated"],
)
for job in library.get_processings():
    if job.id == proc_id:
        print(
            f"processing {job.id} of {job.document_id} in flow {job.flow}, "
            f"collection {job.collection}"
        )
library.stop_processing(id=proc_id)
print("stopped:", all(job.id != proc_id for job in library.get_processings()))
library.remove_document(id=doc_id)
