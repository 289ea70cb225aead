"""Code written for the v1.6.5 client, which scoped by user (2.x scopes by workspace)."""
# expect: ^documents: \d+$
# expect: ^processings: \d+$
# expect: ^collections: \d+$
# expect: ^kg cores: \d+$
# expect: ^agent: Answer: Hello agent$

import sys
import warnings

from trustgraph.api import Api

warnings.simplefilter("ignore", DeprecationWarning)
api = Api(sys.argv[1])
print("documents:", len(api.library().get_documents(user="trustgraph")))
print("processings:", len(api.library().get_processings(user="trustgraph")))
print("collections:", len(api.collection().list_collections(user="trustgraph")))
print("kg cores:", len(api.knowledge().list_kg_cores(user="trustgraph")))
print("agent:", api.flow().id("default").agent(question="Hello agent", user="trustgraph"))
