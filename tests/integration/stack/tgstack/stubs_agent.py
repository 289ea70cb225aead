"""Stub agent on trustgraph-base's ``AgentService``.

For question Q it sends ``thought`` "Thinking about: Q", ``observation`` "Observed: Q" and
``answer`` "Answer: Q" (gateway-2.11 §7.1 sequences), with the explain steps of a one-tool
ReAct session where the 2.11.1 agent sends them (:mod:`tgstack.provenance`; each also written
into the flow's triple store): the session before the thought, the iteration after it, the
observation after the observation, the conclusion before the closing answer frame. Thought,
observation and answer are saved in the librarian (:mod:`tgstack.answers`) and named there.
Streaming sends thought and observation as token chunks with ``end_of_message`` on the last
chunk, the answer as chunks with ``end_of_message`` false, then an empty closing answer frame
with ``end_of_message`` and ``end_of_dialog`` true and token usage. Non-streaming sends
whole messages, the answer last with ``end_of_dialog`` true. Message ids are the 2.11.1
agent's (the session's thought, observation and final URIs).

``[[pace:S]]`` spreads the content frames evenly over S seconds. Hooks are read from
``question``; an error goes through the library's error path.
"""

import uuid
from datetime import UTC, datetime

from trustgraph.base import AgentService, ParameterSpec, ProducerSpec
from trustgraph.schema import AgentResponse, Triples

from . import hooks, provenance
from .answers import Answers
from .text import tokens, words

DEFAULT_MODEL = "stub-echo-1"


class Agent(AgentService):
    """Scripted agent: explain, thought, observation, answer."""

    def __init__(self, **params):
        super().__init__(**params | {"id": params.get("id", "agent-manager")})
        self.register_specification(ParameterSpec(name="model"))
        self.register_specification(ProducerSpec(name="explainability", schema=Triples))
        self.answers = Answers(self)

    async def agent_request(self, request, respond, next, flow):
        question = request.question
        await hooks.apply(question)
        session_id = str(uuid.uuid4())
        timestamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        collection = getattr(request, "collection", "") or "default"

        async def explain(steps):
            await provenance.emit(flow, collection, steps, respond, self._explain)

        async def save(kind, text):
            doc_id = provenance.agent_document_id(session_id, kind)
            title = f"Agent {kind.title()}: {question[:50]}..."
            return await self.answers.save(flow.workspace, doc_id, text, title)

        await explain(provenance.agent_session(session_id, question, timestamp))
        steps = [
            ("thought", f"Thinking about: {question}"),
            ("observation", f"Observed: {question}"),
        ]
        answer = f"Answer: {question}"
        frames = [*(t for _, t in steps), answer]
        if request.streaming:
            frames = [p for text in frames for p in tokens(text)]
        pause = hooks.pacer(hooks.pace_seconds(question), len(frames))
        after = {
            "thought": lambda doc: provenance.agent_iteration(session_id, question, doc),
            "observation": lambda doc: provenance.agent_observation(session_id, doc),
        }
        message_ids = {
            "thought": provenance.pv.agent_thought_uri(session_id, 1),
            "observation": provenance.pv.agent_observation_uri(session_id, 1),
        }
        for kind, text in steps:
            await self._message(respond, kind, text, message_ids[kind], request.streaming, pause)
            await explain(after[kind](await save(kind, text)))
        usage = {
            "in_token": words(question),
            "out_token": len(tokens(answer)),
            "model": flow("model") or DEFAULT_MODEL,
        }
        answer_id = provenance.pv.agent_final_uri(session_id)
        if request.streaming:
            for part in tokens(answer):
                await pause()
                await respond(
                    AgentResponse(
                        message_type="answer",
                        content=part,
                        message_id=answer_id,
                    )
                )
            answer = ""
        else:
            await pause()
        document = await save("answer", f"Answer: {question}")
        await explain(provenance.agent_final(session_id, provenance.usage_of(usage), document))
        await respond(
            AgentResponse(
                message_type="answer",
                content=answer,
                end_of_message=True,
                end_of_dialog=True,
                message_id=answer_id,
                **usage,
            )
        )

    @staticmethod
    def _explain(uri, triples):
        return AgentResponse(
            message_type="explain",
            content="",
            explain_id=uri,
            explain_graph=provenance.GRAPH,
            explain_triples=triples,
        )

    async def _message(self, respond, kind, text, message_id, streaming, pause):
        parts = tokens(text) if streaming else [text]
        for i, part in enumerate(parts):
            await pause()
            await respond(
                AgentResponse(
                    message_type=kind,
                    content=part,
                    end_of_message=i == len(parts) - 1,
                    message_id=message_id,
                )
            )
