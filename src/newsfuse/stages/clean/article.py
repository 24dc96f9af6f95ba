"""The clean stage: a RawDocument becomes an Article, or an ItemError says why it cannot.

HTML goes through the HTML extractor (trafilatura, with a fallback); text pasted from a page goes
through newsfuse's own cleaner.  Metadata declared with the input (a JSONL field) wins over metadata
found on the page, because someone stated it.  A publication date outside the years newsfuse
believes (:mod:`newsfuse.stages.published`) counts as none, whichever gave it: a raw document stored
before that check existed (a JSONL line dated ``9999-12-31``) must not fail every later run that
prepares it again.
"""

from __future__ import annotations

from newsfuse.config import CleanSettings
from newsfuse.errors import ItemError
from newsfuse.models import Article, RawDocument, content_id
from newsfuse.stages.clean.html import extract_html
from newsfuse.stages.clean.page import CleanedPage
from newsfuse.stages.clean.text import clean_page_text
from newsfuse.stages.ingest.decode import decode_text
from newsfuse.stages.published import publication_date

__all__ = ["clean_document"]


def clean_document(raw: RawDocument, settings: CleanSettings) -> Article:
    """Decode, strip page furniture and find metadata; raise ItemError when no article is left."""
    text = decode_text(raw.content)
    declared = raw.declared
    if raw.media_type == "text/html":
        page = extract_html(text, declared.url)
    else:
        page = clean_page_text(text)
    body = page.text.strip()
    if not body:
        raise ItemError("no article text left after removing page furniture")
    if len(body) < settings.min_article_chars:
        raise ItemError(
            f"only {len(body)} characters of article text, under clean.min_article_chars "
            f"({settings.min_article_chars})"
        )
    if len(body) > settings.max_article_chars:
        raise ItemError(
            f"{len(body):,} characters of article text, over clean.max_article_chars "
            f"({settings.max_article_chars:,})"
        )
    return _article(raw, page, body)


def _article(raw: RawDocument, page: CleanedPage, body: str) -> Article:
    declared = raw.declared
    return Article(
        id=content_id(body, prefix="art_"),
        raw_id=raw.id,
        origin=raw.origin,
        url=declared.url or page.url,
        outlet=declared.outlet or page.outlet,
        title=declared.title or page.title,
        byline=declared.byline or page.byline,
        dateline=page.dateline,
        published_at=_believable(declared.published_at) or _believable(page.published_at),
        language=page.language,
        text=body,
        extractor=page.extractor,
        removed=page.removed,
    )


def _believable(published_at: str | None) -> str | None:
    """``published_at`` as given when it is a usable publication date, else None."""
    return published_at if publication_date(published_at) is not None else None
