"""The extract stage: sentences, mentions, quotes and claims for a batch of articles.

A claim is a checkable statement below the sentence: an independent clause, the content of reported
speech, a relative clause (:mod:`newsfuse.stages.extract.claims`); its mentions are those inside its
own span, its quote the one that overlaps it most (for reported content, the quote it is the
content of, so the speaker travels with the claim).

One :class:`Extractor` runs spaCy over the paragraphs of many articles in a single ``nlp.pipe`` call
(batching is where spaCy's speed comes from), then hands each parsed paragraph to the mention and quote
finders.  The object is light and picklable; the model loads in the process that first uses it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from newsfuse.config import ExtractSettings
from newsfuse.models import Article, Claim, Mention, Quote, Span, content_id
from newsfuse.stages.extract.claims import claim_bounds
from newsfuse.stages.extract.cue_decision import CueDecision, load_decision
from newsfuse.stages.extract.dates import find_timexes
from newsfuse.stages.extract.entities import TIME_LABELS, article_people, mentions_in_paragraph
from newsfuse.stages.extract.nlp import load_nlp
from newsfuse.stages.extract.paragraphs import paragraph_chunks
from newsfuse.stages.extract.quotes import (
    QuoteContext,
    attributions_in_article,
    quote_people,
    unify_descriptions,
)
from newsfuse.stages.published import publication_date

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Extractor"]


class Extractor:
    """Annotates articles; call it with a batch, get the same articles back, annotated."""

    def __init__(self, settings: ExtractSettings) -> None:
        self.settings = settings

    def __call__(self, articles: Sequence[Article]) -> list[Article]:
        """Parse the batch inside one spaCy memory zone (``Language.memory_zone``, spaCy >= 3.8).

        Why a zone: every new string a parse meets (a name, a number, a misspelling) went into
        the model's ``StringStore`` and its lexeme table for the life of the process, so a long
        in-process ingest (``--workers 1``, where no worker recycling reaches) grew with the
        vocabulary of everything it had read.  Inside the zone those strings are transient and
        are freed when the batch is annotated; the annotations hold only Python strings and
        offsets, never a ``Doc`` or ``Token``, so nothing reads the freed memory afterwards.
        """
        nlp = load_nlp(self.settings.spacy_model)
        units: list[tuple[int, int, str]] = []
        for index, article in enumerate(articles):
            for offset, chunk in paragraph_chunks(article.text, self.settings.max_chars_per_chunk):
                units.append((index, offset, chunk))
        fallback = (
            date.fromisoformat(self.settings.reference_date)
            if self.settings.reference_date
            else None
        )
        decision = load_decision() if self.settings.cue_decision == "context" else None
        with nlp.memory_zone():
            parsed: list[list[tuple[int, Doc]]] = [[] for _ in articles]
            texts = (chunk for _, _, chunk in units)
            for (index, offset, _), doc in zip(
                units, nlp.pipe(texts, batch_size=self.settings.batch_size), strict=True
            ):
                parsed[index].append((offset, doc))
            annotated = [
                _annotate(article, docs, _reference_date(article, fallback), decision)
                for article, docs in zip(articles, parsed, strict=True)
            ]
            del parsed  # the docs live in the zone's memory: none may outlive it
        return annotated


def _reference_date(article: Article, fallback: date | None) -> date | None:
    """The date relative expressions are anchored on: publication date, else the user's date.

    Only a believable publication date anchors (:mod:`newsfuse.stages.published`): an article stored
    before that check may still carry year 9999, and resolving "Tuesday" against it is meaningless.
    """
    return publication_date(article.published_at) or fallback


def _time_mentions(article: Article, reference: date | None) -> list[Mention]:
    """Temporal expressions as mentions whose ``norm`` is the TIMEX3 value ("2025-10-19")."""
    return [
        Mention(Span(article.id, t.start, t.end), t.text, t.type, t.value)
        for t in find_timexes(article.text, reference)
    ]


def _annotate(
    article: Article,
    docs: list[tuple[int, Doc]],
    reference: date | None,
    decision: CueDecision | None,
) -> Article:
    people = article_people(doc for _, doc in docs)
    context = QuoteContext(
        people=quote_people(people, (doc for _, doc in docs)), cue_decision=decision
    )
    sentences: list[Span] = []
    statements: list[Span] = []  # claim spans: clauses, reported content, relative clauses
    mentions: list[Mention] = []
    quotes: list[Quote] = []
    for offset, doc in docs:
        for sentence in doc.sents:
            text = sentence.text
            stripped = text.strip()
            if not stripped:
                continue
            start = offset + sentence.start_char + (len(text) - len(text.lstrip()))
            sentences.append(Span(article.id, start, start + len(stripped)))
            statements.extend(
                Span(article.id, offset + a, offset + b) for a, b in claim_bounds(sentence)
            )
        mentions.extend(
            m
            for m in mentions_in_paragraph(doc, offset, article.id, people)
            if m.label not in TIME_LABELS  # the timex rules find and normalise times better
        )
    quotes.extend(
        unify_descriptions(
            [
                a.quote
                for a in attributions_in_article(docs, article.id, context)
                if a.statement and (a.quote.kind != "indirect" or a.quote.speaker is not None)
            ]
        )
    )  # whole-article: a signature paragraph ("- Sanders.") names the quote above it
    mentions.extend(_time_mentions(article, reference))
    mentions.sort(key=lambda m: (m.span.start, m.span.end, m.label))
    claims = tuple(_claim(article, span, mentions, quotes) for span in statements)
    return dataclasses.replace(
        article,
        sentences=tuple(sentences),
        mentions=tuple(mentions),
        quotes=tuple(quotes),
        claims=claims,
    )


def _claim(article: Article, span: Span, mentions: list[Mention], quotes: list[Quote]) -> Claim:
    inside = tuple(m for m in mentions if span.start <= m.span.start and m.span.end <= span.end)
    quote = max(
        (q for q in quotes if q.speaker and q.span.start < span.end and q.span.end > span.start),
        key=lambda q: _fit(q, span),
        default=None,
    )
    return Claim(
        id=content_id(article.id, str(span.start), str(span.end), prefix="clm_"),
        span=span,
        text=article.text[span.start : span.end],
        mentions=inside,
        quote=quote,
    )


def _fit(quote: Quote, span: Span) -> tuple[bool, int, int]:
    """How well a quote fits as the claim's attribution: best a speaker named outside the claim
    (inside it, as "Islamabad" in "Islamabad laid out evidence", the claim reports that speaker
    rather than being said by them), then the most overlap, then the earliest quote."""
    who = quote.speaker_span
    outside = who is None or who.end <= span.start or who.start >= span.end
    overlap = min(quote.span.end, span.end) - max(quote.span.start, span.start)
    return outside, overlap, -quote.span.start
