"""The socket flow's *_explain methods: answer chunks and provenance events as they arrive,
read as tg-invoke-graph-rag -x and tg-invoke-agent -x read them."""
# expect: ^graph rag: Graph RAG answer: who knows alice$
# expect: ^events: question grounding exploration focus synthesis$
# expect: ^focus: 3 edges, alice scored 0\.9$
# expect: ^agent events: Question Analysis Observation Conclusion$

import sys
import uuid

from trustgraph.api import Api, ExplainabilityClient, Focus, ProvenanceEvent, RAGChunk

api = Api(sys.argv[1])
socket = api.socket()
flow = socket.flow("default")
collection = f"explain-{uuid.uuid4().hex[:8]}"

text, events = "", []
for item in flow.graph_rag_explain(query="who knows alice", collection=collection):
    if isinstance(item, RAGChunk):
        text += item.content or ""
    elif isinstance(item, ProvenanceEvent):
        events.append(item)
print("graph rag:", text)
print("events:", " ".join(e.event_type for e in events))

focus = next(e for e in events if isinstance(e.entity, Focus))
explain = ExplainabilityClient(flow, retry_delay=0.1, max_retries=20)
full = explain.fetch_focus_with_edges(
    focus.explain_id, graph=focus.explain_graph, collection=collection
)
alice = next(s for s in full.edge_selections if s.concept == "alice")
print(f"focus: {len(focus.entity.selected_edge_uris)} edges, alice scored {alice.score}")

kinds = [
    type(item.entity).__name__
    for item in flow.agent_explain(question="why blue", collection=collection)
    if isinstance(item, ProvenanceEvent)
]
print("agent events:", " ".join(kinds))
socket.close()
