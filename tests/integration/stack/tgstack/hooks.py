"""Test hooks carried in a request's main text field.

``[[error]]`` makes a stub answer with its service's normal error response; ``[[sleep:S]]``
makes it wait S seconds (a float) before answering. Both may appear anywhere in the text.
Each stub consumer takes one request at a time (the library sets RabbitMQ prefetch 1, as in
stock TrustGraph), so a sleeping request also delays later requests to the same service.

The field per service: text-completion ``prompt``; prompt the term values; embeddings
``texts``; agent ``question``; graph-rag / document-rag ``query``; triples ``collection``
and the s/p/o values; graph- / document-embeddings ``collection``; sparql ``query``.
"""

import asyncio
import re

_SLEEP = re.compile(r"\[\[sleep:([0-9]+(?:\.[0-9]+)?)\]\]")
_ERROR = "[[error]]"


class HookError(Exception):
    """Raised by :func:`apply` when the text asks for an error response."""


def wants_error(*texts):
    """True when any of ``texts`` carries the ``[[error]]`` hook."""
    return any(_ERROR in (t or "") for t in texts)


def sleep_seconds(*texts):
    """The total delay asked for by ``[[sleep:S]]`` hooks in ``texts``."""
    return sum(float(m) for t in texts for m in _SLEEP.findall(t or ""))


async def apply(*texts):
    """Honour the hooks in ``texts``: sleep first, then raise :class:`HookError` if asked."""
    delay = sleep_seconds(*texts)
    if delay:
        await asyncio.sleep(delay)
    if wants_error(*texts):
        raise HookError("stub error requested by [[error]] hook")
