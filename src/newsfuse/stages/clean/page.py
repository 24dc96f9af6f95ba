"""The clean stage's intermediate result: a page reduced to article text plus what was found on it."""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.models import RemovedLine

__all__ = ["CleanedPage"]


@dataclass(frozen=True, slots=True)
class CleanedPage:
    """Article text and metadata from one page, before it becomes an :class:`~newsfuse.models.Article`.

    ``text`` keeps every sentence of the article, one paragraph a line (paragraphs joined by ``\\n``).
    ``removed`` lists every dropped line with its reason so that cleaning can be audited.
    ``extractor`` names the path that produced it: ``text-cleaner``, ``trafilatura`` or ``fallback``.
    """

    text: str
    extractor: str
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    published_at: str | None = None
    url: str | None = None
    language: str | None = None
    removed: tuple[RemovedLine, ...] = ()
