"""Explain (provenance) graphs of the agent and RAG stubs, built as the 2.11.1 services do.

Each session is the list of ``(explain_id, triples)`` steps the real service emits, made by
the same ``trustgraph.provenance`` functions and URI scheme (graph ``urn:graph:retrieval``):

- graph RAG: question, grounding (a concept per query word), exploration, focus (one scored
  edge selection per concept, the edge a quoted triple), then synthesis after the answer;
- document RAG: question, grounding, exploration (chunk ids), then synthesis derived from
  the exploration (no reranker wired, as in the stock flow);
- agent (ReAct): session question, iteration 1 (tool ``stub-tool``, with its thought),
  observation 1, then the conclusion derived from the observation.

The stubs write each step into the flow's triple store (the ``explainability`` producer on
``triples-store``, as the services do) and send it as an ``explain`` frame. Answers, thoughts
and observations the stubs saved in the librarian (:mod:`tgstack.answers`) are named by
``tg:document`` under the services' document ids (``*_document_id`` below).
"""

from trustgraph import provenance as pv
from trustgraph.schema import Metadata, Triples

GRAPH = pv.GRAPH_RETRIEVAL
EDGE_PREDICATE = "http://www.w3.org/2000/01/rdf-schema#label"
TOOL = "stub-tool"


def entity_iri(concept):
    """The stub knowledge-graph entity a concept grounds to."""
    return f"http://example.org/stub/{concept}"


def _graph(triples):
    return pv.set_graph(triples, GRAPH)


def _concepts(query):
    return [w for w in query.split() if w.isalnum()][:3] or ["query"]


def graph_rag_before(session_id, query, timestamp, parent_uri=None):
    """Question, grounding, exploration and focus of a graph RAG session."""
    q, gnd = pv.question_uri(session_id), pv.grounding_uri(session_id)
    exp, foc = pv.exploration_uri(session_id), pv.focus_uri(session_id)
    concepts = _concepts(query)
    edges = [
        {"edge": (entity_iri(c), EDGE_PREDICATE, c), "concept": c, "score": 0.9} for c in concepts
    ]
    return [
        (q, _graph(pv.question_triples(q, query, timestamp, parent_uri=parent_uri))),
        (gnd, _graph(pv.grounding_triples(gnd, q, concepts))),
        (
            exp,
            _graph(
                pv.exploration_triples(
                    exp, gnd, len(edges), entities=[entity_iri(c) for c in concepts]
                )
            ),
        ),
        (foc, _graph(pv.focus_triples(foc, exp, edges, session_id))),
    ]


def graph_rag_after(session_id, usage, document_id=None):
    """The synthesis of a graph RAG session (``document_id``: the answer's librarian id)."""
    syn = pv.synthesis_uri(session_id)
    triples = pv.synthesis_triples(syn, pv.focus_uri(session_id), document_id, **usage)
    return [(syn, _graph(triples))]


def document_rag_before(session_id, query, timestamp):
    """Question, grounding and exploration of a document RAG session."""
    q, gnd = pv.docrag_question_uri(session_id), pv.docrag_grounding_uri(session_id)
    exp = pv.docrag_exploration_uri(session_id)
    concepts = _concepts(query)
    chunks = [f"urn:chunk:stub:{c}" for c in concepts]
    return [
        (q, _graph(pv.docrag_question_triples(q, query, timestamp))),
        (gnd, _graph(pv.grounding_triples(gnd, q, concepts))),
        (exp, _graph(pv.docrag_exploration_triples(exp, gnd, len(chunks), chunks))),
    ]


def document_rag_after(session_id, usage, document_id=None):
    """The synthesis of a document RAG session (derived from the exploration)."""
    syn = pv.docrag_synthesis_uri(session_id)
    exp = pv.docrag_exploration_uri(session_id)
    return [(syn, _graph(pv.docrag_synthesis_triples(syn, exp, document_id, **usage)))]


def graph_rag_document_id(session_id):
    return f"urn:trustgraph:synthesis:{session_id}"


def document_rag_document_id(session_id):
    return f"urn:trustgraph:docrag:{session_id}/answer"


def agent_document_id(session_id, kind):
    """The agent's document of ``kind``: thought, observation (iteration 1) or answer."""
    if kind == "answer":
        return f"urn:trustgraph:agent:{session_id}/answer"
    return f"urn:trustgraph:agent:{session_id}/i1/{kind}"


def agent_session(session_id, question, timestamp):
    """The agent's session question."""
    uri = pv.agent_session_uri(session_id)
    return [(uri, _graph(pv.agent_session_triples(uri, question, timestamp)))]


def agent_iteration(session_id, question, thought_document_id=None):
    """Iteration 1: the tool call, and its thought when that was saved."""
    uri = pv.agent_iteration_uri(session_id, 1)
    triples = pv.agent_iteration_triples(
        uri,
        question_uri=pv.agent_session_uri(session_id),
        action=TOOL,
        arguments={"question": question},
        thought_uri=pv.agent_thought_uri(session_id, 1) if thought_document_id else None,
        thought_document_id=thought_document_id,
    )
    return [(uri, _graph(triples))]


def agent_observation(session_id, document_id=None):
    """Observation 1, derived from iteration 1."""
    uri = pv.agent_observation_uri(session_id, 1)
    triples = pv.agent_observation_triples(
        uri, pv.agent_iteration_uri(session_id, 1), document_id=document_id
    )
    return [(uri, _graph(triples))]


def agent_final(session_id, usage, document_id=None):
    """The conclusion, derived from observation 1."""
    uri = pv.agent_final_uri(session_id)
    triples = pv.agent_final_triples(
        uri,
        previous_uri=pv.agent_observation_uri(session_id, 1),
        document_id=document_id,
        termination_reason="final-answer",
        **usage,
    )
    return [(uri, _graph(triples))]


def usage_of(usage):
    """The token-usage keywords the provenance functions take."""
    return {k: usage.get(k) for k in ("in_token", "out_token", "model")}


async def emit(flow, collection, steps, send, frame):
    """Each step written into the flow's triple store, then sent as ``frame(uri, triples)``,
    as the services do."""
    for uri, triples in steps:
        metadata = Metadata(id=uri, collection=collection or "default")
        await flow("explainability").send(Triples(metadata=metadata, triples=triples))
        await send(frame(uri, triples))
