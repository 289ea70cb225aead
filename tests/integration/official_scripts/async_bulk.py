"""Bulk import from an async generator through api.async_bulk()."""
# expect: ^imported$
# expect: ^found: http://example\.org/carol http://example\.org/knows http://example\.org/dave$

import asyncio
import sys
import time
import uuid

from trustgraph.api import Api, Triple, Uri


async def triples():
    yield Triple(
        s=Uri("http://example.org/carol"),
        p=Uri("http://example.org/knows"),
        o=Uri("http://example.org/dave"),
    )


async def main(api, collection):
    await api.async_bulk().import_triples(
        flow="default", triples=triples(), metadata={"id": "async-import", "collection": collection}
    )
    print("imported")
    await api.aclose()


api = Api(sys.argv[1])
collection = f"official-async-{uuid.uuid4().hex[:8]}"
asyncio.run(main(api, collection))
for _ in range(50):
    found = (
        api.flow()
        .id("default")
        .triples_query(s=Uri("http://example.org/carol"), collection=collection, limit=10)
    )
    if found:
        break
    time.sleep(0.2)
for t in found:
    print("found:", t.s, t.p, t.o)
