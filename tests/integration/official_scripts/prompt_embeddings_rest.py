"""Prompt templates and embeddings over REST."""
# expect: ^vectors: 2 of \d+ dimensions$

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
flow = api.flow().id("default")
vectors = flow.embeddings(texts=["alpha", "beta"])
print(f"vectors: {len(vectors)} of {len(vectors[0])} dimensions")
