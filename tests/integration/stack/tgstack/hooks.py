"""Test hooks carried in a request's main text field.

``[[error]]`` makes a stub answer with its service's normal error response; ``[[sleep:S]]``
makes it wait S seconds (a float) before answering. ``[[pace:S]]`` makes text-completion,
agent, graph-rag and document-rag take S seconds over their answer, like a model generating
it: streaming spreads the chunks evenly over S, non-streaming answers after S.
``[[size:N]]`` makes text-completion answer N bytes of filler text (streamed in 4 KiB
chunks). All may appear anywhere in the text. Stub consumers take up to ``CONCURRENCY``
requests at once (``tgstack.processors``), so a sleeping request does not hold up others.

The field per service: text-completion ``prompt``; prompt the term values; embeddings
``texts``; agent ``question``; graph-rag / document-rag ``query``; triples ``collection``
and the s/p/o values; graph- / document-embeddings ``collection``; sparql ``query``.
"""

import asyncio
import re

_SLEEP = re.compile(r"\[\[sleep:([0-9]+(?:\.[0-9]+)?)\]\]")
_PACE = re.compile(r"\[\[pace:([0-9]+(?:\.[0-9]+)?)\]\]")
_SIZE = re.compile(r"\[\[size:([0-9]+)\]\]")
_ERROR = "[[error]]"


class HookError(Exception):
    """Raised by :func:`apply` when the text asks for an error response."""


def wants_error(*texts):
    """True when any of ``texts`` carries the ``[[error]]`` hook."""
    return any(_ERROR in (t or "") for t in texts)


def sleep_seconds(*texts):
    """The total delay asked for by ``[[sleep:S]]`` hooks in ``texts``."""
    return sum(float(m) for t in texts for m in _SLEEP.findall(t or ""))


def pace_seconds(*texts):
    """The answer time asked for by ``[[pace:S]]`` hooks in ``texts`` (0.0: none)."""
    return sum(float(m) for t in texts for m in _PACE.findall(t or ""))


def size_bytes(*texts):
    """The answer size asked for by a ``[[size:N]]`` hook in ``texts`` (0: none)."""
    return sum(int(m) for t in texts for m in _SIZE.findall(t or ""))


def pacer(seconds, frames):
    """A coroutine function to await before each of ``frames`` frames: ``seconds`` in all."""
    step = seconds / frames if seconds and frames else 0.0

    async def pause():
        if step:
            await asyncio.sleep(step)

    return pause


async def paced(parts, seconds):
    """Yield ``parts`` spread evenly over ``seconds`` (each after its share of the time)."""
    pause = pacer(seconds, len(parts))
    for part in parts:
        await pause()
        yield part


async def apply(*texts):
    """Honour the hooks in ``texts``: sleep first, then raise :class:`HookError` if asked."""
    delay = sleep_seconds(*texts)
    if delay:
        await asyncio.sleep(delay)
    if wants_error(*texts):
        raise HookError("stub error requested by [[error]] hook")
