"""The official socket client returns raw wire dicts where REST returns lists and Triples."""
# expect: ^vectors: 1$
# expect: ^triples: \d+$

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
flow = api.socket().flow("default")
print("vectors:", len(flow.embeddings(texts=["one"])["vectors"]))
rows = flow.triples_query(p="http://www.w3.org/2000/01/rdf-schema#label", limit=5)
print("triples:", len([t["s"] for t in rows]))
api.close()
