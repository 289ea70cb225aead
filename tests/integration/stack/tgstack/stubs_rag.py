"""Stub graph-rag and document-rag services on ``FlowProcessor``.

Each answers "Graph RAG answer: Q" / "Document RAG answer: Q" with the frame sequence and
field shapes the real 2.11.1 services use (gateway-2.11 §7.1), explain steps included: each
step of the session's explain graph (:mod:`tgstack.provenance`) is written into the flow's
triple store and sent as an ``explain`` frame (graph RAG: question, grounding, exploration,
focus before the answer and synthesis after it; document RAG: the same without focus). The
answer is saved in the librarian first (:mod:`tgstack.answers`), and the synthesis names it.

- streaming: explain*, chunk frames (the last has ``end_of_stream``), explain, then an empty
  final frame with ``end_of_session`` and token usage (graph-rag: ``message_type`` chunk plus
  ``sources``; document-rag: ``message_type`` end);
- non-streaming: explain*, explain, then one frame with the whole answer, ``end_of_stream``
  and ``end_of_session`` (graph-rag adds ``sources``).

``[[pace:S]]`` spreads the answer chunks over S seconds (non-streaming: the answer comes after
S). Hooks are read from ``query``; errors use each service's own error frame.
"""

import asyncio
import uuid
from datetime import UTC, datetime
from typing import ClassVar

from trustgraph.base import ConsumerSpec, FlowProcessor, ParameterSpec, ProducerSpec
from trustgraph.schema import (
    DocumentRagQuery,
    DocumentRagResponse,
    Error,
    GraphRagQuery,
    GraphRagResponse,
    Source,
    Triples,
)

from . import hooks, provenance
from .answers import Answers
from .text import digest, tokens, words

DEFAULT_MODEL = "stub-echo-1"


class _Rag(FlowProcessor):
    """Shared request handling; subclasses define the schemas and frame shapes."""

    default_id = ""
    prefix = ""
    request_schema = None
    response_schema = None
    error_type = ""
    explain_extra: ClassVar[dict] = {}

    def __init__(self, **params):
        super().__init__(**params | {"id": params.get("id", self.default_id)})
        self.register_specification(
            ConsumerSpec(
                name="request",
                schema=self.request_schema,
                handler=self.on_request,
            )
        )
        self.register_specification(ProducerSpec(name="response", schema=self.response_schema))
        self.register_specification(ProducerSpec(name="explainability", schema=Triples))
        self.register_specification(ParameterSpec(name="model"))
        self.answers = Answers(self)

    async def on_request(self, msg, consumer, flow):
        request = msg.value()
        rid = msg.properties()["id"]
        out = flow("response")

        async def send(response):
            await out.send(response, properties={"id": rid})

        async def explain(steps):
            await provenance.emit(flow, request.collection, steps, send, self.explain)

        async def save(doc_id, text):
            title = f"{self.answer_title}: {request.query[:50]}..."
            return await self.answers.save(flow.workspace, doc_id, text, title)

        try:
            await hooks.apply(request.query)
            await self.answer(request, flow("model") or DEFAULT_MODEL, send, explain, save)
        except Exception as e:
            await send(self.error(request, Error(type=self.error_type, message=str(e))))

    async def answer(self, request, model, send, explain, save):
        query = request.query
        session = str(uuid.uuid4())
        timestamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        answer = f"{self.prefix}: {query}"
        usage = {"in_token": words(query), "out_token": len(tokens(answer)), "model": model}
        pace = hooks.pace_seconds(query)
        await explain(self.steps_before(session, query, timestamp))
        if request.streaming:
            parts = tokens(answer)
            i = 0
            async for part in hooks.paced(parts, pace):
                i += 1
                await send(self.chunk(part, i == len(parts)))
        else:
            await asyncio.sleep(pace)
        document = await save(self.document_id(session), answer)
        await explain(self.steps_after(session, provenance.usage_of(usage), document))
        await send(
            self.session_end(query, usage)
            if request.streaming
            else self.whole(query, answer, usage)
        )

    def explain(self, uri, triples):
        return self.response_schema(
            message_type="explain",
            explain_id=uri,
            explain_graph=provenance.GRAPH,
            explain_triples=triples,
            **self.explain_extra,
        )


class GraphRag(_Rag):
    """Graph RAG stub; its final frame carries one source."""

    default_id = "graph-rag"
    prefix = "Graph RAG answer"
    request_schema = GraphRagQuery
    response_schema = GraphRagResponse
    error_type = "graph-rag-error"

    answer_title = "GraphRAG Answer"
    document_id = staticmethod(provenance.graph_rag_document_id)
    steps_before = staticmethod(provenance.graph_rag_before)
    steps_after = staticmethod(provenance.graph_rag_after)

    @staticmethod
    def sources(query):
        return [Source(uri=f"urn:trustgraph:doc:stub:{digest(query)}", title=f"Source for {query}")]

    def chunk(self, text, last):
        return GraphRagResponse(message_type="chunk", response=text, end_of_stream=last)

    def session_end(self, query, usage):
        return GraphRagResponse(
            message_type="chunk",
            response="",
            end_of_session=True,
            sources=self.sources(query),
            **usage,
        )

    def whole(self, query, answer, usage):
        return GraphRagResponse(
            message_type="chunk",
            response=answer,
            end_of_stream=True,
            end_of_session=True,
            sources=self.sources(query),
            **usage,
        )

    def error(self, request, error):
        return GraphRagResponse(
            message_type="chunk",
            error=error,
            end_of_stream=True,
            end_of_session=True,
        )


class DocumentRag(_Rag):
    """Document RAG stub."""

    default_id = "document-rag"
    prefix = "Document RAG answer"
    request_schema = DocumentRagQuery
    response_schema = DocumentRagResponse
    error_type = "document-rag-error"
    explain_extra: ClassVar[dict] = {"response": None}

    answer_title = "DocumentRAG Answer"
    document_id = staticmethod(provenance.document_rag_document_id)
    steps_before = staticmethod(provenance.document_rag_before)
    steps_after = staticmethod(provenance.document_rag_after)

    def chunk(self, text, last):
        return DocumentRagResponse(message_type="chunk", response=text, end_of_stream=last)

    def session_end(self, query, usage):
        return DocumentRagResponse(
            message_type="end",
            response=None,
            end_of_session=True,
            **usage,
        )

    def whole(self, query, answer, usage):
        return DocumentRagResponse(
            response=answer,
            end_of_stream=True,
            end_of_session=True,
            **usage,
        )

    def error(self, request, error):
        return DocumentRagResponse(
            response=None,
            error=error,
            end_of_stream=bool(request.streaming),
        )
