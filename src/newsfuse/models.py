"""The one data contract between newsfuse's stages.

Every record is a frozen, slotted dataclass; collections are tuples so records hash, pickle (for the
process pool and Spark) and compare by value.  Ids are content hashes, so the same input always yields
the same ids.  Every citation is a :class:`Span` into ``Article.text``: whatever a record claims about
an article can be checked by slicing that text (a test asserts it for every span we emit).

Stages never mutate a record; they return ``dataclasses.replace(...)`` copies.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from newsfuse.domains import registrable_domain
from newsfuse.places import names_a_place

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "Article",
    "CitedSentence",
    "Claim",
    "Conflict",
    "ConflictKind",
    "ConflictSide",
    "CoverageGap",
    "DeclaredMetadata",
    "DiffOp",
    "DriftLabel",
    "Entity",
    "Fact",
    "FactStatus",
    "FactUpdate",
    "FactUpdateKind",
    "FramingTerm",
    "Mention",
    "NearestPassage",
    "Phase",
    "Quote",
    "QuoteGroup",
    "QuoteKind",
    "QuoteVariant",
    "RawDocument",
    "Rejection",
    "RemovedLine",
    "Report",
    "Span",
    "Story",
    "TimelineEntry",
    "Update",
    "UpdateBasis",
    "WordDiff",
    "content_id",
    "dateline_credit",
    "outlet_name",
]

QuoteKind = Literal["direct", "partial", "indirect"]
FactStatus = Literal["corroborated", "single_source", "disputed"]
ConflictKind = Literal["number", "date", "speaker"]
DriftLabel = Literal["exact", "minor variation", "substantive change"]
DiffOp = Literal["equal", "insert", "delete", "replace"]
UpdateBasis = Literal["date", "report"]
FactUpdateKind = Literal["new", "newly_corroborated", "more_sources"]

REPORT_SCHEMA_VERSION = "1.4"  # of the JSON report; see docs/report-schema.md for the policy


def content_id(*parts: str | bytes, prefix: str = "", length: int = 16) -> str:
    """Return a stable id derived from content (sha256, hex, truncated).

    Ids derived from content keep output deterministic and make re-ingesting the same bytes a no-op.
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\x00")
    return prefix + digest.hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class DeclaredMetadata:
    """Metadata that came *with* an input (a JSONL field, a feed entry), not found in its text.

    Declared values win over values the cleaner infers, because the user (or the feed) stated them.
    """

    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published_at: str | None = None  # ISO 8601 date or datetime, as given


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Exactly what was ingested, kept before anything else happens.

    ``origin`` names where it came from in a way a user recognises: a path, ``path:line`` for a JSONL
    record, ``<stdin>`` or a URL.  ``media_type`` is ``text/plain`` or ``text/html``.
    """

    id: str
    origin: str
    media_type: str
    content: bytes
    declared: DeclaredMetadata = DeclaredMetadata()
    fetched_at: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A per-item failure: counted, reported and stored, never swallowed.

    ``item`` is the origin (file, ``file:line`` or URL); ``reason`` is one human sentence.
    """

    item: str
    stage: str
    reason: str


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` in ``Article.text`` of ``article_id``."""

    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span {self.start}:{self.end}")


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the cleaner dropped, kept with the reason so that cleaning can be audited.

    ``line_no`` is 1-based in the decoded input text (for HTML: in the extractor's plain text).
    """

    line_no: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity, number or time expression in an article.

    ``label`` is spaCy's entity label (PERSON, ORG, GPE, ...) or CARDINAL / DATE etc.; ``norm`` is the
    canonical key ("Khawaja Asif", "2025-10-19", "4") used to match mentions across articles.
    """

    span: Span
    text: str
    label: str
    norm: str


@dataclass(frozen=True, slots=True)
class Quote:
    """Something a source said, with who said it where the text tells.

    ``speaker`` is the canonical name or, for unnamed sources, their description ("a Pakistani
    security official"); ``None`` when the text does not say.  ``cue`` is the verb ("said", "wrote").
    """

    span: Span
    text: str
    kind: QuoteKind
    speaker: str | None
    speaker_span: Span | None
    cue: str | None


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable statement from one article: a sentence, or one independent clause of a
    compound sentence ("38 ships were stranded, and the union said talks had failed" is two)."""

    id: str
    span: Span
    text: str
    mentions: tuple[Mention, ...] = ()
    quote: Quote | None = None


def outlet_name(outlet: str | None, origin: str, url: str | None = None) -> str:
    """The outlet an article counts for: its outlet; unnamed, the domain of its web address
    ("dawn.com"); without either, its own source named by its file."""
    if outlet:
        return outlet
    return registrable_domain(url) or f"unknown outlet ({origin.rsplit('/', 1)[-1]})"


_CREDIT = re.compile(r"\(([^()]+)\)\s*$")


def dateline_credit(dateline: str | None) -> str | None:
    """The news agency a dateline credits in brackets ("Reuters" in "KABUL (Reuters)"), else None:
    also for a place in the brackets ("KABUL (Afghanistan)"), which credits no one."""
    match = _CREDIT.search(dateline or "")
    credit = match.group(1).strip() if match else ""
    return credit if credit and not names_a_place(credit) else None


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: its text and everything newsfuse found in it.

    ``text`` is the article body only; every span of every record points into it.  ``removed`` lists
    the page furniture the cleaner dropped, with reasons.  ``extractor`` names the path that produced
    the text (``text-cleaner``, ``trafilatura``, ``fallback``).
    """

    id: str
    raw_id: str
    origin: str
    url: str | None
    outlet: str | None
    title: str | None
    byline: str | None
    dateline: str | None
    published_at: str | None
    language: str | None
    text: str
    extractor: str
    removed: tuple[RemovedLine, ...] = ()
    dup_group: str | None = None
    sentences: tuple[Span, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()

    @property
    def credit(self) -> str | None:
        """The news agency whose copy this is, as the dateline credits it ("Reuters" in
        "KABUL (Reuters) -"), whatever outlet runs it; None when the dateline credits no one."""
        return dateline_credit(self.dateline)

    @property
    def source_name(self) -> str:
        """The outlet this article counts for; unnamed, the domain of its web address, and
        without one its own source.

        One rule for every stage and output, so one source never appears under two names (a
        story's articles first get one name per outlet: ``stages.align.sources.unify_outlets``).
        """
        return outlet_name(self.outlet, self.origin, self.url)

    def slice(self, span: Span) -> str:
        """Return the text a span of this article covers."""
        if span.article_id != self.id:
            raise ValueError(f"span belongs to {span.article_id}, not {self.id}")
        return self.text[span.start : span.end]


@dataclass(frozen=True, slots=True)
class CitedSentence:
    """One sentence of the brief and every span that supports it.

    ``outlets`` counts each outlet once; ``single_source`` is true when only one outlet supports it.
    """

    text: str
    citations: tuple[Span, ...]
    outlets: tuple[str, ...]
    single_source: bool


@dataclass(frozen=True, slots=True)
class Entity:
    """One person, group or place of a story, however each outlet spells or titles it.

    ``name`` is the canonical form ("Khawaja Asif"); ``aliases`` every other form the story uses
    ("Asif", "Defence Minister Khawaja Asif"; a possessive is no other form); ``mentions`` every span, across all
    articles, that refers to it.
    """

    id: str
    name: str
    label: str
    aliases: tuple[str, ...]
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """Something the story says happened at a normalised time, with the sources that say so.

    ``when`` is a TIMEX3-style value ("2025-10-19", "2025-10", "2025-W44", "2001"); ``granularity``
    says how precise it is; ``anchored`` is false when no reference date could resolve it (then
    ``when`` keeps X placeholders, e.g. "XXXX-10-19").
    """

    when: str
    granularity: str
    anchored: bool
    text: str
    citations: tuple[Span, ...]
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement aligned across sources: every claim that states it, and who carries it.

    ``independent_sources`` counts an outlet once and a near-duplicate family (a wire copy re-run
    with small edits or cut to fit) once, so five re-runs of one wire story are one source, not
    five; a claim an outlet relays from another outlet of the story ("…, Geo News reported")
    counts for the outlet it names.
    """

    id: str
    text: str
    claims: tuple[Span, ...]
    outlets: tuple[str, ...]
    independent_sources: int
    status: FactStatus
    when: str | None = None


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One value in a disagreement ("38"), with the passages and outlets that give it."""

    value: str
    citations: tuple[Span, ...]
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """Outlets disagree on a figure, a date or who said something, within one fact."""

    id: str
    fact_id: str
    kind: ConflictKind
    subject: str  # what the values measure: "ships", "the ceasefire", the quotation
    sides: tuple[ConflictSide, ...]


@dataclass(frozen=True, slots=True)
class WordDiff:
    """One step of a word-level diff of a quote variant against the group's reference wording."""

    op: DiffOp
    reference: str
    variant: str


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    """One outlet's wording of a quotation, compared with the group's reference wording."""

    span: Span
    text: str
    outlet: str
    label: DriftLabel
    diff: tuple[WordDiff, ...]


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """The same quotation as worded by different outlets; ``label`` is the largest drift found."""

    id: str
    speaker: str | None
    reference: str
    label: DriftLabel
    variants: tuple[QuoteVariant, ...]


@dataclass(frozen=True, slots=True)
class FramingTerm:
    """A loaded or intensifying word an outlet uses, or its choice among alternatives
    ("regime" / "government" / "administration"), with where it uses it."""

    outlet: str
    term: str
    kind: str  # "loaded", "intensifier" or "choice:<group>"
    citations: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class NearestPassage:
    """An outlet's passage that comes closest to a fact the outlet leaves out, with its
    same-statement probability, so a reader can judge whether the fact is really left out."""

    fact_id: str
    passage: Span
    score: float


@dataclass(frozen=True, slots=True)
class CoverageGap:
    """Corroborated facts an outlet leaves out, and for those where one was compared, the outlet's
    nearest passage (``nearest``, at most one per missing fact)."""

    outlet: str
    missing_fact_ids: tuple[str, ...]
    nearest: tuple[NearestPassage, ...] = ()


@dataclass(frozen=True, slots=True)
class Phase:
    """A stretch of the story in one state ("talks failed", then "talks extended"), with the
    articles that report it and the passages that say so."""

    id: str
    label: str
    summary: str
    article_ids: tuple[str, ...]
    citations: tuple[Span, ...]
    outlets: tuple[str, ...]
    first_published: str | None


@dataclass(frozen=True, slots=True)
class Story:
    """One developing story: its articles, entities, timeline and the cited brief built from them."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    brief: tuple[CitedSentence, ...]
    settings_hash: str
    entities: tuple[Entity, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    facts: tuple[Fact, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    quote_groups: tuple[QuoteGroup, ...] = ()
    framing: tuple[FramingTerm, ...] = ()
    coverage_gaps: tuple[CoverageGap, ...] = ()
    phases: tuple[Phase, ...] = ()
    notes: tuple[
        str, ...
    ] = ()  # what the reader should know: "one article: nothing to corroborate"


@dataclass(frozen=True, slots=True)
class FactUpdate:
    """A fact that is new since an earlier point, or that new articles corroborate further.

    ``kind`` is ``new`` (no supporting claim was known before), ``newly_corroborated`` (one
    independent source before, two or more now) or ``more_sources`` (corroborated before, by more
    sources now).  ``new_claims`` are the supporting claims that come from new articles.
    """

    fact_id: str
    kind: FactUpdateKind
    sources_before: int
    sources_now: int
    new_outlets: tuple[str, ...]
    new_claims: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Update:
    """What is new in a report since a date or since an earlier report (``--since``).

    ``since`` is the value as the user gave it (a date, or the earlier report's file name) and
    ``basis`` which of the two it was.  Facts, conflicts and phases are named by id (they are in the
    story); quotes and timeline entries are copied, since the story holds no ids for them.
    ``brief`` says only what is new, each sentence citing every span that supports it.
    """

    since: str
    basis: UpdateBasis
    new_article_ids: tuple[str, ...]
    facts: tuple[FactUpdate, ...]
    conflict_ids: tuple[str, ...]
    quotes: tuple[Quote, ...]
    timeline: tuple[TimelineEntry, ...]
    phase_ids: tuple[str, ...]
    previous_phase: str | None
    current_phase: str | None
    brief: tuple[CitedSentence, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one run produced: what every output format renders.

    ``update`` is set only when the run was asked what is new since a date or an earlier report.
    """

    schema_version: str
    settings_hash: str
    story: Story
    articles: tuple[Article, ...]
    rejections: tuple[Rejection, ...]
    update: Update | None = None
