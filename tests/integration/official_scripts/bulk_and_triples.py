"""Bulk import triples (api.bulk()), then query them over REST."""
# expect: ^imported 3 triples$
# expect: ^found: http://example\.org/alice http://example\.org/knows http://example\.org/bob$
# expect: ^found: http://example\.org/alice http://www\.w3\.org/2000/01/rdf-schema#label Alice$

import sys
import time
import uuid

from trustgraph.api import Api, Literal, Triple, Uri

api = Api(sys.argv[1])
collection = f"official-bulk-{uuid.uuid4().hex[:8]}"
triples = [
    Triple(
        s=Uri("http://example.org/alice"),
        p=Uri("http://example.org/knows"),
        o=Uri("http://example.org/bob"),
    ),
    Triple(
        s=Uri("http://example.org/alice"),
        p=Uri("http://www.w3.org/2000/01/rdf-schema#label"),
        o=Literal("Alice"),
    ),
    Triple(
        s=Uri("http://example.org/bob"),
        p=Uri("http://www.w3.org/2000/01/rdf-schema#label"),
        o=Literal("Bob"),
    ),
]
api.bulk().import_triples(
    flow="default",
    triples=iter(triples),
    metadata={"id": "official-import", "metadata": [], "collection": collection},
)
print("imported 3 triples")

flow = api.flow().id("default")
found = []
for _ in range(50):
    found = flow.triples_query(s=Uri("http://example.org/alice"), collection=collection, limit=10)
    if len(found) >= 2:
        break
    time.sleep(0.2)
for t in sorted(found, key=lambda t: str(t.p)):
    print("found:", t.s, t.p, t.o)
