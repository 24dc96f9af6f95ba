"""Cutting article text into units spaCy parses, with their offsets.

Articles are parsed paragraph by paragraph: quotes and their cues almost never cross a paragraph, the
offsets stay simple, and a pathological 100k-character paragraph is cut into bounded chunks at
sentence-like boundaries so the parser's memory and time stay bounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["paragraph_chunks"]

_BOUNDARY = re.compile(r"(?<=[.!?…”\"])\s+")


def paragraph_chunks(text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, chunk)`` for every non-blank paragraph of ``text``, each at most ``max_chars``.

    ``text[offset:offset + len(chunk)] == chunk`` always holds.
    """
    position = 0
    for line in text.split("\n"):
        start = position
        position += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        start += len(line) - len(line.lstrip())
        yield from _bounded(start, stripped, max_chars)


def _bounded(offset: int, chunk: str, max_chars: int) -> Iterator[tuple[int, str]]:
    while len(chunk) > max_chars:
        cut = 0
        for match in _BOUNDARY.finditer(chunk, 0, max_chars):
            cut = match.end()
        if cut == 0:  # no boundary: cut at the last space, else hard
            space = chunk.rfind(" ", 0, max_chars)
            cut = space + 1 if space > 0 else max_chars
        head = chunk[:cut].rstrip()
        yield offset, head
        rest = chunk[cut:]
        skipped = len(rest) - len(rest.lstrip())
        offset += cut + skipped
        chunk = rest.lstrip()
    if chunk:
        yield offset, chunk
