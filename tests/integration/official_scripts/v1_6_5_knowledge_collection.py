"""Knowledge and collection calls in the v1.6.5 shape (user=, then flow and collection)."""
# expect: ^collection: v165-coll-\w+ V165$
# expect: ^load refused: \w+$
# expect: ^deleted: True$

import sys
import uuid
import warnings

from trustgraph.api import Api

warnings.simplefilter("ignore", DeprecationWarning)
api = Api(sys.argv[1])
name = f"v165-coll-{uuid.uuid4().hex[:8]}"
updated = api.collection().update_collection(user="trustgraph", collection=name, name="V165")
print("collection:", updated.collection, updated.name)
try:
    api.knowledge().load_kg_core(
        id="no-such-core", user="trustgraph", flow="default", collection=name
    )
    print("load refused: no")
except Exception as e:
    print("load refused:", type(e).__name__)
api.collection().delete_collection(user="trustgraph", collection=name)
print(
    "deleted:",
    all(c.collection != name for c in api.collection().list_collections(user="trustgraph")),
)
