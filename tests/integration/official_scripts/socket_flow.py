"""The WebSocket client: api.socket().flow(...) non-streaming calls."""
# expect: ^completion: Summarise this\.$
# expect: ^graph rag: Graph RAG answer: Who knows Bob\?$

import sys

from trustgraph.api import Api

api = Api(sys.argv[1])
socket = api.socket()
flow = socket.flow("default")
result = flow.text_completion(system="You are concise.", prompt="Summarise this.")
print("completion:", result.text)
answer = flow.graph_rag(query="Who knows Bob?", collection="default")
print("graph rag:", answer.text)
socket.close()
