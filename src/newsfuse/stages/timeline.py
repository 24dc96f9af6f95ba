"""The story's timeline: dated events with their normalised dates and the sources that report them.

Every date mention (a TIMEX3 value from the extract stage) in an article anchors the sentence it sits
in.  Sentences of different articles with the same date value that say the same thing (lexical
similarity over ``SAME_EVENT``: low, because sharing an exact date is itself strong evidence) become
one entry that cites all of them, so an event
five outlets date the same way is one line with five sources.  Durations ("four-day"), sets and
vague references ("recently") are not points on a timeline and are left out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.models import Article, Mention, Span, TimelineEntry
from newsfuse.stages.similarity import cosine, terms, tfidf
from newsfuse.stages.summarize import outlet_key

__all__ = ["build_timeline", "granularity_of"]

_GRANULARITY = (
    (re.compile(r"^[\dX]{4}-[\dX]{2}-[\dX]{2}T"), "time"),
    (re.compile(r"^[\dX]{4}-[\dX]{2}-[\dX]{2}$"), "day"),
    (re.compile(r"^[\dX]{4}-W[\dX]{2}"), "week"),
    (re.compile(r"^[\dX]{4}-[\dX]{2}$"), "month"),
    (re.compile(r"^[\dX]{4}-(?:Q[1-4X]|SP|SU|FA|WI)$"), "quarter"),
    (re.compile(r"^[\dX]{4}-H[12]$"), "half"),
    (re.compile(r"^[\dX]{4}$"), "year"),
    (re.compile(r"^\d{3}$"), "decade"),
    (re.compile(r"^\d{2}$"), "century"),
)


def granularity_of(value: str) -> str | None:
    """How precise a TIMEX3 date value is, or None when it is not a point in time."""
    for pattern, granularity in _GRANULARITY:
        if pattern.match(value):
            return granularity
    return None


@dataclass(frozen=True, slots=True)
class _Dated:
    article: Article
    sentence: Span
    text: str
    when: str
    granularity: str


SAME_EVENT = 0.12  # cosine above which two sentences with the same date report the same event


def build_timeline(
    articles: Sequence[Article], threshold: float = SAME_EVENT
) -> tuple[TimelineEntry, ...]:
    """Timeline entries, sorted by date (unanchored ones last)."""
    by_when: dict[str, list[_Dated]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.published_at or "9999", a.id)):
        seen: set[tuple[str, int]] = set()
        for mention in article.mentions:
            granularity = (
                granularity_of(mention.norm) if mention.label in {"DATE", "TIME"} else None
            )
            sentence = _sentence_of(article, mention) if granularity else None
            if granularity is None or sentence is None or (mention.norm, sentence.start) in seen:
                continue
            seen.add((mention.norm, sentence.start))
            text = article.text[sentence.start : sentence.end]
            by_when[mention.norm].append(_Dated(article, sentence, text, mention.norm, granularity))
    # IDF over every dated sentence of the story: within one date, the words all its sentences share
    # would otherwise weigh nothing.
    everything = [d for when in sorted(by_when) for d in by_when[when]]
    vectors = dict(
        zip((id(d) for d in everything), tfidf([terms(d.text) for d in everything]), strict=True)
    )
    entries = [
        entry
        for when in sorted(by_when)
        for entry in _entries(by_when[when], [vectors[id(d)] for d in by_when[when]], threshold)
    ]
    return tuple(sorted(entries, key=lambda e: (not e.anchored, e.when, e.text)))


def _sentence_of(article: Article, mention: Mention) -> Span | None:
    for sentence in article.sentences:
        if sentence.start <= mention.span.start and mention.span.end <= sentence.end:
            return sentence
    return None


def _entries(
    dated: list[_Dated], vectors: list[dict[str, float]], threshold: float
) -> list[TimelineEntry]:
    """Group the sentences of one date value that report the same event."""
    groups: list[list[int]] = []
    for index in range(len(dated)):
        for group in groups:
            if cosine(vectors[index], vectors[group[0]]) >= threshold and all(
                dated[index].article.id != dated[member].article.id for member in group
            ):
                group.append(index)
                break
        else:
            groups.append([index])
    entries = []
    for group in groups:
        first = dated[group[0]]
        entries.append(
            TimelineEntry(
                when=first.when,
                granularity=first.granularity,
                anchored="X" not in first.when,
                text=first.text,
                citations=tuple(sorted(dated[i].sentence for i in group)),
                outlets=tuple(sorted({outlet_key(dated[i].article) for i in group})),
            )
        )
    return entries
