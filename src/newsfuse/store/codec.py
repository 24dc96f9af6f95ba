"""Article ↔ JSON-able dicts, for the ``articles.removed`` and ``articles.annotations`` columns.

Written by hand rather than with ``dataclasses.asdict`` for three reasons: the decoder has to rebuild
*typed* frozen dataclasses (tuples, nested Span/Mention/Quote/Claim), not dicts; a stored document
must keep meaning the same thing after :mod:`newsfuse.models` grows a field, so the layout is fixed
here and versioned (``"v"``); and a span inside an article nearly always points into that article,
so its ``article_id`` is written only when it differs, which keeps annotation documents about a
third smaller at corpus scale without losing anything.

``article_from_row_dict(article_to_row_dict(a)) == a`` for every Article; a test checks it on real
text.  Malformed stored data raises :class:`~newsfuse.store.errors.StoreError` naming the article.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast, get_args

from newsfuse.models import Article, Claim, Mention, Quote, QuoteKind, RemovedLine, Span
from newsfuse.store.errors import StoreError

__all__ = [
    "ANNOTATIONS_VERSION",
    "annotations_from_json",
    "annotations_to_json",
    "article_from_json",
    "article_to_json",
    "removed_from_json",
    "removed_to_json",
]

ANNOTATIONS_VERSION = 1
_QUOTE_KINDS = frozenset(get_args(QuoteKind))
_METADATA = (
    "id",
    "raw_id",
    "origin",
    "url",
    "outlet",
    "title",
    "byline",
    "dateline",
    "published_at",
    "language",
    "text",
    "extractor",
    "dup_group",
)


def article_to_json(article: Article) -> dict[str, Any]:
    """The whole article as one JSON-able dict (metadata, ``removed`` and ``annotations``)."""
    data: dict[str, Any] = {name: getattr(article, name) for name in _METADATA}
    data["removed"] = removed_to_json(article.removed)
    data["annotations"] = annotations_to_json(article)
    return data


def article_from_json(data: Mapping[str, Any]) -> Article:
    """Rebuild the Article that :func:`article_to_json` wrote."""
    article_id = str(data.get("id", "?"))
    try:
        annotations = annotations_from_json(article_id, data["annotations"])
        return Article(
            id=article_id,
            raw_id=str(data["raw_id"]),
            origin=str(data["origin"]),
            url=_opt_str(data["url"]),
            outlet=_opt_str(data["outlet"]),
            title=_opt_str(data["title"]),
            byline=_opt_str(data["byline"]),
            dateline=_opt_str(data["dateline"]),
            published_at=_opt_str(data["published_at"]),
            language=_opt_str(data["language"]),
            text=str(data["text"]),
            extractor=str(data["extractor"]),
            removed=removed_from_json(data["removed"]),
            dup_group=_opt_str(data["dup_group"]),
            sentences=annotations.sentences,
            mentions=annotations.mentions,
            quotes=annotations.quotes,
            claims=annotations.claims,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise StoreError(f"article {article_id} in the store is malformed: {error!r}") from error


def removed_to_json(removed: tuple[RemovedLine, ...]) -> list[dict[str, Any]]:
    """``Article.removed`` as a list of ``{line_no, text, reason}``."""
    return [{"line_no": r.line_no, "text": r.text, "reason": r.reason} for r in removed]


def removed_from_json(data: Any) -> tuple[RemovedLine, ...]:
    """Inverse of :func:`removed_to_json`."""
    return tuple(
        RemovedLine(line_no=int(r["line_no"]), text=str(r["text"]), reason=str(r["reason"]))
        for r in _list(data)
    )


class Annotations:
    """The four annotation tuples of an article, as decoded together."""

    __slots__ = ("claims", "mentions", "quotes", "sentences")

    def __init__(
        self,
        sentences: tuple[Span, ...],
        mentions: tuple[Mention, ...],
        quotes: tuple[Quote, ...],
        claims: tuple[Claim, ...],
    ) -> None:
        self.sentences = sentences
        self.mentions = mentions
        self.quotes = quotes
        self.claims = claims


def annotations_to_json(article: Article) -> dict[str, Any]:
    """Sentences, mentions, quotes and claims of ``article`` as one versioned JSON document."""
    owner = article.id
    return {
        "v": ANNOTATIONS_VERSION,
        "sentences": [_span(s, owner) for s in article.sentences],
        "mentions": [_mention(m, owner) for m in article.mentions],
        "quotes": [_quote(q, owner) for q in article.quotes],
        "claims": [_claim(c, owner) for c in article.claims],
    }


def annotations_from_json(owner: str, data: Any) -> Annotations:
    """Inverse of :func:`annotations_to_json`; ``owner`` is the id spans default to."""
    doc = _dict(data)
    version = doc.get("v")
    if version != ANNOTATIONS_VERSION:
        raise ValueError(
            f"annotations version {version!r}, this newsfuse reads {ANNOTATIONS_VERSION}"
        )
    return Annotations(
        sentences=tuple(_read_span(s, owner) for s in _list(doc["sentences"])),
        mentions=tuple(_read_mention(m, owner) for m in _list(doc["mentions"])),
        quotes=tuple(_read_quote(q, owner) for q in _list(doc["quotes"])),
        claims=tuple(_read_claim(c, owner) for c in _list(doc["claims"])),
    )


def _span(span: Span, owner: str) -> list[Any]:
    # [start, end] for the usual span into the owning article, [start, end, article_id] otherwise.
    if span.article_id == owner:
        return [span.start, span.end]
    return [span.start, span.end, span.article_id]


def _read_span(data: Any, owner: str) -> Span:
    items = _list(data)
    if len(items) == 2:
        return Span(owner, int(items[0]), int(items[1]))
    if len(items) == 3:
        return Span(str(items[2]), int(items[0]), int(items[1]))
    raise ValueError(f"span {items!r} is not [start, end] or [start, end, article_id]")


def _mention(mention: Mention, owner: str) -> dict[str, Any]:
    return {
        "span": _span(mention.span, owner),
        "text": mention.text,
        "label": mention.label,
        "norm": mention.norm,
    }


def _read_mention(data: Any, owner: str) -> Mention:
    doc = _dict(data)
    return Mention(
        span=_read_span(doc["span"], owner),
        text=str(doc["text"]),
        label=str(doc["label"]),
        norm=str(doc["norm"]),
    )


def _quote(quote: Quote, owner: str) -> dict[str, Any]:
    return {
        "span": _span(quote.span, owner),
        "text": quote.text,
        "kind": quote.kind,
        "speaker": quote.speaker,
        "speaker_span": None if quote.speaker_span is None else _span(quote.speaker_span, owner),
        "cue": quote.cue,
    }


def _read_quote(data: Any, owner: str) -> Quote:
    doc = _dict(data)
    kind = doc["kind"]
    if kind not in _QUOTE_KINDS:
        raise ValueError(f"unknown quote kind {kind!r}")
    speaker_span = doc["speaker_span"]
    return Quote(
        span=_read_span(doc["span"], owner),
        text=str(doc["text"]),
        kind=cast(QuoteKind, kind),
        speaker=_opt_str(doc["speaker"]),
        speaker_span=None if speaker_span is None else _read_span(speaker_span, owner),
        cue=_opt_str(doc["cue"]),
    )


def _claim(claim: Claim, owner: str) -> dict[str, Any]:
    return {
        "id": claim.id,
        "span": _span(claim.span, owner),
        "text": claim.text,
        "mentions": [_mention(m, owner) for m in claim.mentions],
        "quote": None if claim.quote is None else _quote(claim.quote, owner),
    }


def _read_claim(data: Any, owner: str) -> Claim:
    doc = _dict(data)
    quote = doc["quote"]
    return Claim(
        id=str(doc["id"]),
        span=_read_span(doc["span"], owner),
        text=str(doc["text"]),
        mentions=tuple(_read_mention(m, owner) for m in _list(doc["mentions"])),
        quote=None if quote is None else _read_quote(quote, owner),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a JSON array, found {type(value).__name__}")
    return value


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a JSON object, found {type(value).__name__}")
    return value
