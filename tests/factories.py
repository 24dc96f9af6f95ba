"""Records the tests build by hand, one builder each, so a field added to a record is defaulted in
one place rather than in every test file.

Test files import it as ``from factories import make_article``: pytest's ``pythonpath`` setting puts
``tests/`` on ``sys.path`` (``--import-mode=importlib`` alone would not), so module-level test data
and plain helpers can use it, which a fixture could not.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.models import Article, Span, content_id

__all__ = ["make_article"]


def make_article(
    text: str | Sequence[str],
    *,
    outlet: str | None = None,
    title: str | None = None,
    article_id: str | None = None,
    raw_id: str = "raw",
    origin: str = "test",
    published_at: str | None = None,
    dateline: str | None = None,
) -> Article:
    """An English article as cleaning leaves it, with no annotations.

    ``text`` is the article's text, or its sentences: joined by single spaces, each then one of
    ``Article.sentences``, so a test of the brief needs no model to split them.  The id is the
    content hash of the outlet and the text unless ``article_id`` is given.
    """
    sentences = [text] if isinstance(text, str) else list(text)
    body = " ".join(sentences)
    article_id = article_id or content_id(outlet or "", body, prefix="art_")
    spans: list[Span] = []
    if not isinstance(text, str):
        start = 0
        for sentence in sentences:
            spans.append(Span(article_id, start, start + len(sentence)))
            start += len(sentence) + 1
    return Article(
        id=article_id,
        raw_id=raw_id,
        origin=origin,
        url=None,
        outlet=outlet,
        title=title,
        byline=None,
        dateline=dateline,
        published_at=published_at,
        language="en",
        text=body,
        extractor="test",
        sentences=tuple(spans),
    )
