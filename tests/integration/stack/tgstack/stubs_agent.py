"""Stub agent on trustgraph-base's ``AgentService``.

For question Q it sends an ``explain`` message, then ``thought`` "Thinking about: Q",
``observation`` "Observed: Q" and ``answer`` "Answer: Q" (gateway-2.11 §7.1 sequences).
Streaming sends thought and observation as token chunks with ``end_of_message`` on the last
chunk, the answer as chunks with ``end_of_message`` false, then an empty closing answer frame
with ``end_of_message`` and ``end_of_dialog`` true and token usage. Non-streaming sends
whole messages, the answer last with ``end_of_dialog`` true. Message ids are derived from Q.

``[[pace:S]]`` spreads the content frames evenly over S seconds. Hooks are read from
``question``; an error goes through the library's error path.
"""

from trustgraph.base import AgentService, ParameterSpec
from trustgraph.schema import AgentResponse

from . import hooks
from .provenance import GRAPH, explain_triples
from .text import digest, tokens, words

DEFAULT_MODEL = "stub-echo-1"


class Agent(AgentService):
    """Scripted agent: explain, thought, observation, answer."""

    def __init__(self, **params):
        super().__init__(**params | {"id": params.get("id", "agent-manager")})
        self.register_specification(ParameterSpec(name="model"))

    async def agent_request(self, request, respond, next, flow):
        question = request.question
        await hooks.apply(question)
        session = f"urn:trustgraph:agent:stub:{digest(question)}"
        await respond(
            AgentResponse(
                message_type="explain",
                content="",
                explain_id=session,
                explain_graph=GRAPH,
                explain_triples=explain_triples(session, "AgentSession", question),
            )
        )
        steps = [
            ("thought", f"Thinking about: {question}"),
            ("observation", f"Observed: {question}"),
        ]
        answer = f"Answer: {question}"
        frames = [*(t for _, t in steps), answer]
        if request.streaming:
            frames = [p for text in frames for p in tokens(text)]
        pause = hooks.pacer(hooks.pace_seconds(question), len(frames))
        for kind, text in steps:
            await self._message(respond, kind, text, f"{session}/{kind}", request.streaming, pause)
        usage = {
            "in_token": words(question),
            "out_token": len(tokens(answer)),
            "model": flow("model") or DEFAULT_MODEL,
        }
        answer_id = f"{session}/answer"
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
