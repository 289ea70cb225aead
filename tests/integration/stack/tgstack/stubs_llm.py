"""Stub text-completion, prompt and embeddings services.

Each subclasses the trustgraph-base class the real service uses, so message framing and
error responses come from the library.

- text-completion echoes the prompt (or ``[[size:N]]`` bytes of filler). Streaming sends one
  chunk per whitespace token (4 KiB pieces of filler), then an empty final chunk carrying
  ``in_token`` (words of system + prompt), ``out_token`` (number of tokens) and ``model``
  (the flow parameter). ``list-models`` returns the stub model.
- prompt answers ``"<id>: " + json.dumps(terms, sort_keys=True)``; ids ending in ``-json``
  answer with ``object = json.dumps({"id", "terms"})``.
- embeddings returns one 8-dimensional sha256-derived unit vector per text.

Hooks (see :mod:`tgstack.hooks`) are read from ``prompt``, the prompt terms, and ``texts``.
"""

import asyncio
import json

from trustgraph.base import (
    ConsumerSpec,
    EmbeddingsService,
    FlowProcessor,
    LlmChunk,
    LlmResult,
    LlmService,
    ParameterSpec,
    ProducerSpec,
)
from trustgraph.schema import Error, ModelInfo, PromptRequest, PromptResponse

from . import hooks
from .text import filler, pieces, tokens, vector, words

DEFAULT_MODEL = "stub-echo-1"


def _answer(prompt):
    size = hooks.size_bytes(prompt)
    return filler(size) if size else prompt


def _parts(prompt, text):
    return pieces(text) if hooks.size_bytes(prompt) else tokens(text)


class TextCompletion(LlmService):
    """Echo LLM with streaming and list-models."""

    def supports_streaming(self):
        return True

    async def generate_content(self, system, prompt, model=None, temperature=None, **kwargs):
        await hooks.apply(prompt)
        text = _answer(prompt)
        await asyncio.sleep(hooks.pace_seconds(prompt))
        return LlmResult(
            text=text,
            in_token=words(system, prompt),
            out_token=len(_parts(prompt, text)),
            model=model or DEFAULT_MODEL,
        )

    async def generate_content_stream(self, system, prompt, model=None, temperature=None, **kwargs):
        await hooks.apply(prompt)
        parts = _parts(prompt, _answer(prompt))
        async for part in hooks.paced(parts, hooks.pace_seconds(prompt)):
            yield LlmChunk(text=part, is_final=False)
        yield LlmChunk(
            text="",
            in_token=words(system, prompt),
            out_token=len(parts),
            model=model or DEFAULT_MODEL,
            is_final=True,
        )

    async def list_models(self):
        return [
            ModelInfo(
                id=DEFAULT_MODEL,
                name="Stub echo model",
                owned_by="tgclient-stack",
                description="Echoes the prompt back",
            )
        ]


class Prompt(FlowProcessor):
    """Prompt-template service that renders its inputs instead of calling an LLM."""

    def __init__(self, **params):
        super().__init__(**params | {"id": params.get("id", "prompt")})
        self.register_specification(
            ConsumerSpec(name="request", schema=PromptRequest, handler=self.on_request)
        )
        self.register_specification(ProducerSpec(name="response", schema=PromptResponse))
        self.register_specification(ParameterSpec(name="model"))

    async def on_request(self, msg, consumer, flow):
        request = msg.value()
        rid = msg.properties()["id"]
        respond = flow("response")
        terms = dict(request.terms or {})
        try:
            await hooks.apply(*terms.values())
            await self._answer(request, terms, flow("model") or DEFAULT_MODEL, respond, rid)
        except Exception as e:
            await respond.send(
                PromptResponse(
                    error=Error(type="llm-error", message=str(e)),
                    text=None,
                    object=None,
                    end_of_stream=True,
                ),
                properties={"id": rid},
            )

    async def _answer(self, request, terms, model, respond, rid):
        if request.id.endswith("-json"):
            obj = json.dumps({"id": request.id, "terms": terms}, sort_keys=True)
            await respond.send(
                PromptResponse(
                    object=obj,
                    end_of_stream=True,
                    in_token=words(*terms.values()),
                    out_token=1,
                    model=model,
                ),
                properties={"id": rid},
            )
            return
        text = f"{request.id}: {json.dumps(terms, sort_keys=True)}"
        usage = {"in_token": words(*terms.values()), "out_token": len(tokens(text))}
        if request.streaming:
            for part in tokens(text):
                await respond.send(PromptResponse(text=part), properties={"id": rid})
            final = PromptResponse(text="", end_of_stream=True, model=model, **usage)
        else:
            final = PromptResponse(text=text, end_of_stream=True, model=model, **usage)
        await respond.send(final, properties={"id": rid})


class Embeddings(EmbeddingsService):
    """Deterministic embeddings."""

    async def on_embeddings(self, texts, model=None):
        await hooks.apply(*texts)
        return [vector(t) for t in texts]
