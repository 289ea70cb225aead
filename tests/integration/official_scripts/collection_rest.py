"""Collections: update (create), list with a tag filter, delete."""
# expect: ^updated: official-coll-\w+ name=Research description=Papers tags=\['science'\]$
# expect: ^tagged: \['official-coll-\w+'\]$
# expect: ^deleted: True$

import sys
import uuid

from trustgraph.api import Api

api = Api(sys.argv[1])
collection = api.collection()
name = f"official-coll-{uuid.uuid4().hex[:8]}"

result = collection.update_collection(
    collection=name, name="Research", description="Papers", tags=["science"]
)
print(
    f"updated: {result.collection} name={result.name} "
    f"description={result.description} tags={result.tags}"
)

tagged = collection.list_collections(tag_filter=["science"])
print("tagged:", [c.collection for c in tagged if c.collection == name])

collection.delete_collection(name)
print("deleted:", all(c.collection != name for c in collection.list_collections()))
