"""Small, deterministic explain (provenance) payloads for the agent and RAG stubs."""

from trustgraph.schema import IRI, LITERAL, Term, Triple

GRAPH = "urn:graph:retrieval"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
NS = "https://trustgraph.ai/ns/stub#"


def explain_triples(uri, kind, label):
    """Two triples in the retrieval graph: ``uri`` a ``kind``, labelled ``label``."""
    subject = Term(type=IRI, iri=uri)
    return [
        Triple(s=subject, p=Term(type=IRI, iri=RDF_TYPE), o=Term(type=IRI, iri=NS + kind), g=GRAPH),
        Triple(
            s=subject, p=Term(type=IRI, iri=RDFS_LABEL), o=Term(type=LITERAL, value=label), g=GRAPH
        ),
    ]
