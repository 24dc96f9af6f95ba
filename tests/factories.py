"""Records the tests build by hand, one builder each, so a field added to a record is defaulted in
one place rather than in every test file.

Test files import it as ``from factories import make_article``: pytest's ``pythonpath`` setting puts
``tests/`` on ``sys.path`` (``--import-mode=importlib`` alone would not), so module-level test data
and plain helpers can use it, which a fixture could not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from newsfuse.models import Article, Span, content_id
from newsfuse.stages.clean.html import extract_html
from newsfuse.stages.clean.text import clean_page_text
from newsfuse.stages.cluster import ClusterSettings, StoryTracker

__all__ = ["ecb_events", "make_article", "read_article", "tracked"]

ROOT = Path(__file__).resolve().parents[1]
ECB_DIR = ROOT.parent / "shared" / "bench" / "events-dev"


def ecb_events(topic: int) -> dict[str, list[Article]] | None:
    """The reports of one ECB+ topic (read from ``../shared`` with ``benchmarks/ecb.py``), by
    event, as undated articles; None when the data is not there."""
    import importlib
    import sys

    if not ECB_DIR.is_dir():
        return None
    benchmarks = str(ROOT / "benchmarks")
    sys.path.insert(0, benchmarks)
    try:
        ecb = importlib.import_module("ecb")
    finally:
        sys.path.remove(benchmarks)
    events: dict[str, list[Article]] = {}
    for doc in ecb.load_documents([topic], data_dir=ECB_DIR):
        article = make_article(doc.text, article_id=content_id(doc.doc, prefix="art_"))
        events.setdefault(doc.story, []).append(dataclasses.replace(article, url=doc.url))
    return events


def read_article(path: Path) -> Article:
    """A page of the seeds or the example as the cleaner leaves it (HTML or pasted text), with no
    annotations: what the story tracker reads."""
    raw = path.read_text(encoding="utf-8")
    page = extract_html(raw) if path.suffix == ".html" else clean_page_text(raw)
    return Article(
        id=content_id(raw, prefix="art_"),
        raw_id=content_id(raw),
        origin=str(path),
        url=page.url,
        outlet=page.outlet,
        title=page.title,
        byline=page.byline,
        dateline=page.dateline,
        published_at=page.published_at,
        language="en",
        text=page.text,
        extractor=page.extractor,
    )


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


def tracked(articles: Sequence[Article], settings: ClusterSettings) -> StoryTracker:
    """A story tracker fed ``articles`` in the order given, then consolidated once (one commit)."""
    tracker = StoryTracker(settings)
    for article in articles:
        tracker.add(article)
    tracker.consolidate()
    return tracker
