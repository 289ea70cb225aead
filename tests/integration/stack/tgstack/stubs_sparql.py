"""A SPARQL query stub on trustgraph-base's FlowProcessor (no stock base class exists for it).

Deterministic answers from the query text alone, so tests can predict them: a query with
``ASK`` answers ``ask_result`` true; anything else is a SELECT with one variable ``word``
bound, row by row, to the query's words as literals. With ``streaming`` the rows come in
batches of ``batch_size``, the last frame ``is_final``. Hooks (``[[error]]``,
``[[sleep:S]]``) are read from the query text.
"""

from trustgraph.base.consumer_spec import ConsumerSpec
from trustgraph.base.flow_processor import FlowProcessor
from trustgraph.base.producer_spec import ProducerSpec
from trustgraph.schema import Error, Term
from trustgraph.schema.triples import SparqlBinding, SparqlQueryRequest, SparqlQueryResponse

from . import hooks


class SparqlQuery(FlowProcessor):
    """The stub's ``sparql`` flow interface."""

    def __init__(self, **params):
        super().__init__(**params | {"id": params.get("id", "sparql-query")})
        self.register_specification(
            ConsumerSpec(
                name="request",
                schema=SparqlQueryRequest,
                handler=self.on_message,
                concurrency=params.get("concurrency", 1),
            )
        )
        self.register_specification(ProducerSpec(name="response", schema=SparqlQueryResponse))

    async def on_message(self, msg, consumer, flow):
        request = msg.value()
        properties = {"id": msg.properties()["id"]}
        try:
            await hooks.apply(request.query)
        except hooks.HookError as e:
            error = Error(type="sparql-query-error", message=str(e))
            await flow("response").send(
                SparqlQueryResponse(error=error, query_type=""), properties=properties
            )
            return
        if "ASK" in request.query.upper().split():
            await flow("response").send(
                SparqlQueryResponse(query_type="ask", ask_result=True), properties=properties
            )
            return
        rows = [
            SparqlBinding(values=[Term(type="l", value=word)])
            for word in request.query.split()[: request.limit or None]
        ]
        size = request.batch_size if request.streaming and request.batch_size > 0 else len(rows)
        batches = [rows[i : i + size] for i in range(0, len(rows), max(size, 1))] or [[]]
        for i, batch in enumerate(batches):
            response = SparqlQueryResponse(
                query_type="select",
                variables=["word"],
                bindings=batch,
                is_final=i == len(batches) - 1,
            )
            await flow("response").send(response, properties=properties)
