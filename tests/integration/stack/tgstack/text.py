"""Deterministic text helpers shared by the stubs."""

import hashlib
import math
import re

_TOKEN = re.compile(r"\s*\S+\s*")


def tokens(text):
    """Split ``text`` into whitespace tokens whose concatenation is ``text`` itself."""
    return _TOKEN.findall(text or "") or ([text] if text else [])


def words(*texts):
    """Number of whitespace-separated words in all ``texts``."""
    return sum(len((t or "").split()) for t in texts)


def digest(text, size=12):
    """A short stable hex digest of ``text``."""
    return hashlib.sha256((text or "").encode()).hexdigest()[:size]


def vector(text, dims=8):
    """An L2-normalised vector derived from sha256(text): equal texts, equal vectors."""
    raw = hashlib.sha256((text or "").encode()).digest()[:dims]
    values = [(b - 127.5) / 127.5 for b in raw]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def cosine(a, b):
    """Cosine similarity of two vectors (0.0 when either is empty or zero)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def filler(size):
    """``size`` bytes of ASCII words (a large answer for memory measurements)."""
    unit = "lorem ipsum dolor sit amet "
    return (unit * (size // len(unit) + 1))[:size]


def pieces(text, size=4096):
    """``text`` cut into consecutive pieces of at most ``size`` characters."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [text]
