"""Write ``explain_graphs.json``: explain graphs as the 2.11.1 services write them.

The triples come from trustgraph-base 2.11.1's own ``trustgraph.provenance`` functions (through
the integration stubs' :mod:`tgstack.provenance`, plus the shapes the stubs do not make) and
are encoded by the gateway's own ``TripleTranslator``, so the unit tests read exactly what a
triple store fed by the real services answers. Run it with the integration stack's venv:

    ~/.cache/tgclient/stack-venv-2.11.1/bin/python tests/unit/data/make_explain_graphs.py
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "integration" / "stack"))

from tgstack import provenance as stub  # noqa: E402
from trustgraph import provenance as pv  # noqa: E402
from trustgraph.messaging.translators.primitives import TripleTranslator  # noqa: E402
from trustgraph.schema import IRI, LITERAL, Term, Triple  # noqa: E402

T0 = "2026-11-29T03:00:00Z"
USAGE = {"in_token": 7, "out_token": 5, "model": "stub-echo-1"}
G, D, R, A, S, P = (f"00000000-0000-4000-8000-00000000000{i}" for i in range(1, 7))


def graph_rag(session, query, timestamp, parent_uri=None):
    steps = stub.graph_rag_before(session, query, timestamp)
    if parent_uri:
        q = pv.question_uri(session)
        steps[0] = (q, stub._graph(pv.question_triples(q, query, timestamp, parent_uri)))
    return steps + stub.graph_rag_after(session, USAGE, f"urn:trustgraph:synthesis:{session}")


def reranked_document_rag(session, query, timestamp):
    steps = stub.document_rag_before(session, query, timestamp)
    exp, foc = pv.docrag_exploration_uri(session), pv.docrag_focus_uri(session)
    chunks = [{"chunk_id": "urn:chunk:stub:rerank", "score": 0.75}]
    syn = pv.docrag_synthesis_uri(session)
    return [
        *steps,
        (foc, stub._graph(pv.docrag_chunk_selection_triples(foc, exp, chunks, session))),
        (syn, stub._graph(pv.docrag_synthesis_triples(syn, foc, **USAGE))),
    ]


def agent_with_sub_trace(session, question, timestamp):
    """ReAct: iteration 1 runs a graph RAG session; the observation derives from its synthesis."""
    iteration = pv.agent_iteration_uri(session, 1)
    observation = pv.agent_observation_uri(session, 1)
    sub = graph_rag(P, question, timestamp, parent_uri=iteration)
    final = pv.agent_final_uri(session)
    return (
        stub.agent_session(session, question, timestamp)
        + stub.agent_iteration(session, question)
        + sub
        + [
            (
                observation,
                stub._graph(
                    pv.agent_observation_triples(observation, pv.synthesis_uri(P), observation)
                ),
            ),
            (final, stub._graph(pv.agent_final_triples(final, previous_uri=observation))),
        ]
    )


def supervisor(session, question, timestamp):
    uri = pv.agent_decomposition_uri(session)
    findings = [pv.agent_finding_uri(session, i) for i in range(2)]
    goals = ["find alice", "find bob"]
    syn = pv.agent_synthesis_uri(session)
    decomposition = pv.agent_decomposition_triples(uri, pv.agent_session_uri(session), goals)
    return [
        *stub.agent_session(session, question, timestamp),
        (uri, stub._graph(decomposition)),
        *(
            (f, stub._graph(pv.agent_finding_triples(f, uri, g, f"{f}/doc")))
            for f, g in zip(findings, goals, strict=True)
        ),
        (syn, stub._graph(pv.agent_synthesis_triples(syn, findings, f"{syn}/doc"))),
    ]


def labels():
    """rdfs:label of the stub entities, in the default graph."""
    label = Term(type=IRI, iri="http://www.w3.org/2000/01/rdf-schema#label")
    return [
        Triple(
            s=Term(type=IRI, iri=stub.entity_iri(c)), p=label, o=Term(type=LITERAL, value=c.title())
        )
        for c in ("alice", "knows")
    ]


def main():
    sessions = {
        "graph_rag": graph_rag(G, "who knows alice", T0),
        "document_rag": stub.document_rag_before(D, "who wrote it", "2026-11-29T03:01:00Z")
        + stub.document_rag_after(D, USAGE),
        "reranked_document_rag": reranked_document_rag(R, "what is it", "2026-11-29T03:02:00Z"),
        "agent": stub.agent_session(A, "why blue", "2026-11-29T03:03:00Z")
        + stub.agent_iteration(A, "why blue")
        + stub.agent_observation(A)
        + stub.agent_final(A, USAGE),
        "agent_with_sub_trace": agent_with_sub_trace(S, "who knows alice", "2026-11-29T03:04:00Z"),
        "supervisor": supervisor(
            "00000000-0000-4000-8000-000000000007", "compare", "2026-11-29T03:05:00Z"
        ),
    }
    encode = TripleTranslator().encode

    def triples(ts, pad):
        # One triple per line: readable diffs at a third of the size of indented JSON.
        rows = ",\n".join(pad + json.dumps(encode(t), sort_keys=True) for t in ts)
        return "[\n" + rows + "\n" + pad[:-1] + "]"

    parts = []
    for name, steps in sessions.items():
        items = ",\n".join(
            f'   {{"explain_id": {json.dumps(uri)}, "triples": {triples(ts, "    ")}}}'
            for uri, ts in steps
        )
        parts.append(f"  {json.dumps(name)}: [\n{items}\n  ]")
    sessions_text = "{\n" + ",\n".join(parts) + "\n }"
    text = f'{{\n "labels": {triples(labels(), "  ")},\n "sessions": {sessions_text}\n}}\n'
    json.loads(text)
    (HERE / "explain_graphs.json").write_text(text)


if __name__ == "__main__":
    main()
