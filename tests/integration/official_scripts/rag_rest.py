"""Graph RAG and document RAG over REST."""
# expect: ^graph: Graph RAG answer: Who is Alice\?$
# expect: ^document: Document RAG answer: What is in the papers\?$

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
flow = api.flow().id("default")
answer = flow.graph_rag(
    query="Who is Alice?",
    collection="default",
    entity_limit=50,
    triple_limit=30,
    max_subgraph_size=150,
    max_path_length=2,
)
print("graph:", answer.text)
answer = flow.document_rag(query="What is in the papers?", collection="default", doc_limit=10)
print("document:", answer.text)
