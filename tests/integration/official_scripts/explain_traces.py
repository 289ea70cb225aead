"""ExplainabilityClient on a socket flow: the provenance traces of graph RAG, document RAG and
agent answers, read as tg-list-explain-traces and tg-show-explain-trace read them."""
# expect: ^sessions: agent docrag graphrag$
# expect: ^graphrag: who knows alice \| concepts who,knows,alice \| edges 3$
# expect: ^graphrag edge: http://example\.org/stub/alice -> alice \(alice, 0\.9\)$
# expect: ^graphrag answer: Graph RAG answer: who knows alice$
# expect: ^docrag: what is it \| chunks 3 \| Document RAG answer: what is it$
# expect: ^agent: why blue \| Analysis:stub-tool Observation Conclusion \| Answer: why blue$

import sys
import time
import uuid

from trustgraph.api import Analysis, Api, ExplainabilityClient, Synthesis

GRAPH = "urn:graph:retrieval"
api = Api(sys.argv[1])
socket = api.socket()
flow = socket.flow("default")
collection = f"explain-{uuid.uuid4().hex[:8]}"

flow.graph_rag(query="who knows alice", collection=collection)
for _ in flow.document_rag(query="what is it", collection=collection, streaming=True):
    pass
for _ in flow.agent(question="why blue", collection=collection, streaming=True):
    pass

explain = ExplainabilityClient(flow, retry_delay=0.1, max_retries=20)
for _ in range(100):  # the services write their traces while they answer
    sessions = explain.list_sessions(graph=GRAPH, collection=collection)
    if len(sessions) == 3:
        break
    time.sleep(0.1)
types = {
    explain.detect_session_type(q.uri, graph=GRAPH, collection=collection): q for q in sessions
}
print("sessions:", " ".join(explain.detect_session_type(q.uri) for q in sessions))

trace = explain.fetch_graphrag_trace(
    types["graphrag"].uri, graph=GRAPH, collection=collection, api=api
)
focus = trace["focus"]
print(
    f"graphrag: {trace['question'].query} | concepts {','.join(trace['grounding'].concepts)}"
    f" | edges {trace['exploration'].edge_count}"
)
for selection in focus.edge_selections:
    if selection.concept == "alice":
        s, p, o = explain.resolve_edge_labels(selection.edge, collection)
        print(f"graphrag edge: {s} -> {o} ({selection.concept}, {selection.score})")
synthesis = trace["synthesis"]
assert isinstance(synthesis, Synthesis)
print("graphrag answer:", explain.fetch_document_content(synthesis.document, api))

trace = explain.fetch_docrag_trace(types["docrag"].uri, graph=GRAPH, collection=collection)
answer = explain.fetch_document_content(trace["synthesis"].document, api)
print(f"docrag: {trace['question'].query} | chunks {trace['exploration'].chunk_count} | {answer}")

trace = explain.fetch_agent_trace(types["agent"].uri, graph=GRAPH, collection=collection)
steps = [
    f"{type(s).__name__}:{s.action}" if isinstance(s, Analysis) else type(s).__name__
    for s in trace["steps"]
]
answer = explain.fetch_document_content(trace["steps"][-1].document, api)
print(f"agent: {trace['question'].query} | {' '.join(steps)} | {answer}")
socket.close()
