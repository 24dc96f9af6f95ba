"""The JSON report: newsfuse's canonical, versioned, machine-readable output.

The layout is described by ``newsfuse/schema/report.schema.json`` (JSON Schema draft 2020-12) and
documented, with its versioning policy, in ``docs/report-schema.md``.  Two properties matter most:

* **Byte-identical for the same Report.**  Keys are written in a fixed order chosen here, lists keep
  the order of the Report's tuples (which upstream stages build deterministically), nothing reads a
  clock, and the text ends with exactly one newline.  A run can therefore be diffed against another.
* **Every citation carries its passage.**  A reader should not need to slice ``articles[].text`` to
  see what a brief sentence, a timeline entry, a fact, a conflict, a framing word or a phase rests
  on, so each citation repeats ``text[start:end]`` as ``quote``.  Entity mentions are bare spans:
  the entity's name says what they are, and there can be hundreds.  Quote variants carry their
  text already, so their spans are bare too.

Spans inside an article are written without their ``article_id`` (it is the enclosing article's id);
``articles_by_id`` checks that this is true, so the omission can never misattribute a span.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from newsfuse.errors import OutputError
from newsfuse.models import (
    REPORT_SCHEMA_VERSION,
    Article,
    CitedSentence,
    Claim,
    Conflict,
    ConflictSide,
    CoverageGap,
    Entity,
    Fact,
    FramingTerm,
    Mention,
    Phase,
    Quote,
    QuoteGroup,
    QuoteVariant,
    Rejection,
    RemovedLine,
    Report,
    Span,
    Story,
    TimelineEntry,
    Update,
    WordDiff,
)
from newsfuse.outputs.corroboration import is_framing_kind

__all__ = [
    "article_to_dict",
    "articles_by_id",
    "load_report_schema",
    "render_json",
    "report_to_dict",
]


def load_report_schema() -> dict[str, Any]:
    """Return the JSON Schema of the report, read from the installed package.

    Read through ``importlib.resources`` so it works from a wheel or a zip as well as a checkout.
    """
    text = resources.files("newsfuse").joinpath("schema/report.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def articles_by_id(report: Report) -> dict[str, Article]:
    """Index the report's articles by id, after checking every span the outputs will render.

    All three formats slice ``Article.text`` with spans and link citations to articles, so a span
    that points at another article, or past the end of the text, would silently show the wrong
    passage.  That is a bug upstream; failing loudly here names it instead of publishing it.
    """
    index: dict[str, Article] = {}
    for article in report.articles:
        if article.id in index:
            raise OutputError(f"report lists article {article.id} twice")
        index[article.id] = article
        for span in _spans_of(article):
            _check_span(span, article)
    story = report.story
    for what, spans in [
        *(("brief", sentence.citations) for sentence in story.brief),
        *((f"entity {entity.name!r}", entity.mentions) for entity in story.entities),
        *((f"timeline entry {entry.when!r}", entry.citations) for entry in story.timeline),
        *((f"fact {fact.id}", fact.claims) for fact in story.facts),
        *(
            (f"conflict {conflict.id}", side.citations)
            for conflict in story.conflicts
            for side in conflict.sides
        ),
        *(
            (f"quote group {group.id}", tuple(variant.span for variant in group.variants))
            for group in story.quote_groups
        ),
        *(
            (f"framing term {term.term!r} of {term.outlet}", term.citations)
            for term in story.framing
        ),
        *((f"phase {phase.id}", phase.citations) for phase in story.phases),
        *(
            (f"coverage gap of {gap.outlet}", tuple(near.passage for near in gap.nearest))
            for gap in story.coverage_gaps
        ),
    ]:
        for span in spans:
            cited = index.get(span.article_id)
            if cited is None:
                raise OutputError(
                    f"{what} cites article {span.article_id}, which is not in the report"
                )
            _check_span(span, cited)
    if report.update is not None:
        _check_update(report.update, story, index)
    _check_references(story, index)
    return index


def _check_update(update: Update, story: Story, index: dict[str, Article]) -> None:
    """Check the update section's spans and that it names facts, conflicts and phases that exist."""
    spans = [span for sentence in update.brief for span in sentence.citations]
    spans += [span for fact in update.facts for span in fact.new_claims]
    spans += [span for entry in update.timeline for span in entry.citations]
    for quote in update.quotes:
        spans += _quote_spans(quote)
    for span in spans:
        cited = index.get(span.article_id)
        if cited is None:
            raise OutputError(f"update cites article {span.article_id}, which is not in the report")
        _check_span(span, cited)
    for what, ids, known in (
        ("fact", [f.fact_id for f in update.facts], {f.id for f in story.facts}),
        ("conflict", list(update.conflict_ids), {c.id for c in story.conflicts}),
        ("phase", list(update.phase_ids), {p.id for p in story.phases}),
        ("article", list(update.new_article_ids), set(index)),
    ):
        for name in ids:
            if name not in known:
                raise OutputError(f"update names {what} {name}, which is not in the report")


def _check_references(story: Story, index: dict[str, Article]) -> None:
    """Check that the story's records name facts, articles and framing kinds that exist.

    A conflict or a coverage gap that names a missing fact would render as a dangling link (and
    "F?" in Markdown); a framing kind the schema does not know would make invalid JSON.
    """
    facts: set[str] = set()
    for fact in story.facts:
        if fact.id in facts:
            raise OutputError(f"story lists fact {fact.id} twice")
        facts.add(fact.id)
    for conflict in story.conflicts:
        if conflict.fact_id not in facts:
            raise OutputError(
                f"conflict {conflict.id} is about fact {conflict.fact_id}, which is not in the story"
            )
    for gap in story.coverage_gaps:
        for fact_id in gap.missing_fact_ids:
            if fact_id not in facts:
                raise OutputError(
                    f"coverage gap of {gap.outlet} names fact {fact_id}, which is not in the story"
                )
    for phase in story.phases:
        for article_id in phase.article_ids:
            if article_id not in index:
                raise OutputError(
                    f"phase {phase.id} lists article {article_id}, which is not in the report"
                )
    for term in story.framing:
        if not is_framing_kind(term.kind):
            raise OutputError(
                f"framing term {term.term!r} of {term.outlet} has kind {term.kind!r}; "
                "expected 'loaded', 'intensifier' or 'choice:<group>'"
            )


def _spans_of(article: Article) -> list[Span]:
    spans = list(article.sentences)
    spans += [mention.span for mention in article.mentions]
    for quote in article.quotes:
        spans += _quote_spans(quote)
    for claim in article.claims:
        spans.append(claim.span)
        spans += [mention.span for mention in claim.mentions]
        if claim.quote is not None:
            spans += _quote_spans(claim.quote)
    return spans


def _quote_spans(quote: Quote) -> list[Span]:
    return [quote.span] if quote.speaker_span is None else [quote.span, quote.speaker_span]


def _check_span(span: Span, article: Article) -> None:
    if span.article_id != article.id:
        raise OutputError(f"span {span} is filed under article {article.id}")
    if span.end > len(article.text):
        raise OutputError(
            f"span {span.start}:{span.end} runs past the end of article {article.id} "
            f"({len(article.text)} characters)"
        )


def report_to_dict(report: Report) -> dict[str, Any]:
    """Return the report as plain JSON-ready data, in the schema's layout and key order.

    ``schema_version`` must be the version this code writes: the layout below *is* that version, so
    stamping any other number on it would mislead every consumer.
    """
    if report.schema_version != REPORT_SCHEMA_VERSION:
        raise OutputError(
            f"report has schema_version {report.schema_version!r}, but this newsfuse writes "
            f"{REPORT_SCHEMA_VERSION!r}; rebuild the report before rendering it"
        )
    index = articles_by_id(report)
    doc: dict[str, Any] = {
        "schema_version": report.schema_version,
        "settings_hash": report.settings_hash,
        "story": _story(report.story, index),
    }
    if report.update is not None:  # only with --since: other reports keep their 1.2 layout
        doc["update"] = _update(report.update, index)
    doc["articles"] = [_article(article) for article in report.articles]
    doc["rejections"] = [_rejection(rejection) for rejection in report.rejections]
    return doc


def render_json(report: Report) -> str:
    """Return the report as JSON text: UTF-8-ready (no ``\\u`` escapes), indented, one final newline."""
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _story(story: Story, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "brief": [_cited_sentence(sentence, index) for sentence in story.brief],
        "entities": [_entity(entity) for entity in story.entities],
        "timeline": [_timeline_entry(entry, index) for entry in story.timeline],
        "facts": [_fact(fact, index) for fact in story.facts],
        "conflicts": [_conflict(conflict, index) for conflict in story.conflicts],
        "quote_groups": [_quote_group(group) for group in story.quote_groups],
        "framing": [_framing_term(term, index) for term in story.framing],
        "coverage_gaps": [_coverage_gap(gap, index) for gap in story.coverage_gaps],
        "phases": [_phase(phase, index) for phase in story.phases],
        "notes": list(story.notes),
    }


def _citation(span: Span, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "article_id": span.article_id,
        "start": span.start,
        "end": span.end,
        "quote": index[span.article_id].text[span.start : span.end],
    }


def _update(update: Update, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "since": update.since,
        "basis": update.basis,
        "new_article_ids": list(update.new_article_ids),
        "brief": [_cited_sentence(sentence, index) for sentence in update.brief],
        "facts": [
            {
                "fact_id": fact.fact_id,
                "kind": fact.kind,
                "sources_before": fact.sources_before,
                "sources_now": fact.sources_now,
                "new_outlets": list(fact.new_outlets),
                "new_claims": [_citation(span, index) for span in fact.new_claims],
            }
            for fact in update.facts
        ],
        "conflict_ids": list(update.conflict_ids),
        "quotes": [
            {"article_id": quote.span.article_id, **_quote(quote)} for quote in update.quotes
        ],
        "timeline": [_timeline_entry(entry, index) for entry in update.timeline],
        "phase_ids": list(update.phase_ids),
        "previous_phase": update.previous_phase,
        "current_phase": update.current_phase,
        "notes": list(update.notes),
    }


def _cited_sentence(sentence: CitedSentence, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "text": sentence.text,
        "citations": [_citation(span, index) for span in sentence.citations],
        "outlets": list(sentence.outlets),
        "single_source": sentence.single_source,
    }


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "label": entity.label,
        "aliases": list(entity.aliases),
        "mentions": [
            {"article_id": span.article_id, "start": span.start, "end": span.end}
            for span in entity.mentions
        ],
    }


def _timeline_entry(entry: TimelineEntry, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "when": entry.when,
        "granularity": entry.granularity,
        "anchored": entry.anchored,
        "text": entry.text,
        "citations": [_citation(span, index) for span in entry.citations],
        "outlets": list(entry.outlets),
    }


def _fact(fact: Fact, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "id": fact.id,
        "text": fact.text,
        "claims": [_citation(span, index) for span in fact.claims],
        "outlets": list(fact.outlets),
        "independent_sources": fact.independent_sources,
        "status": fact.status,
        "when": fact.when,
    }


def _conflict(conflict: Conflict, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "id": conflict.id,
        "fact_id": conflict.fact_id,
        "kind": conflict.kind,
        "subject": conflict.subject,
        "sides": [_conflict_side(side, index) for side in conflict.sides],
    }


def _conflict_side(side: ConflictSide, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "value": side.value,
        "citations": [_citation(span, index) for span in side.citations],
        "outlets": list(side.outlets),
    }


def _quote_group(group: QuoteGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "speaker": group.speaker,
        "reference": group.reference,
        "label": group.label,
        "variants": [_quote_variant(variant) for variant in group.variants],
    }


def _quote_variant(variant: QuoteVariant) -> dict[str, Any]:
    return {
        "article_id": variant.span.article_id,
        "start": variant.span.start,
        "end": variant.span.end,
        "text": variant.text,
        "outlet": variant.outlet,
        "label": variant.label,
        "diff": [_word_diff(step) for step in variant.diff],
    }


def _word_diff(step: WordDiff) -> dict[str, Any]:
    return {"op": step.op, "reference": step.reference, "variant": step.variant}


def _framing_term(term: FramingTerm, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "outlet": term.outlet,
        "term": term.term,
        "kind": term.kind,
        "citations": [_citation(span, index) for span in term.citations],
    }


def _coverage_gap(gap: CoverageGap, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "outlet": gap.outlet,
        "missing_fact_ids": list(gap.missing_fact_ids),
        "nearest": [
            {
                "fact_id": near.fact_id,
                "passage": _citation(near.passage, index),
                "score": near.score,
            }
            for near in gap.nearest
        ],
    }


def _phase(phase: Phase, index: dict[str, Article]) -> dict[str, Any]:
    return {
        "id": phase.id,
        "label": phase.label,
        "summary": phase.summary,
        "article_ids": list(phase.article_ids),
        "citations": [_citation(span, index) for span in phase.citations],
        "outlets": list(phase.outlets),
        "first_published": phase.first_published,
    }


def article_to_dict(article: Article) -> dict[str, Any]:
    """One article with its annotations, as a report lists it (the web API's article endpoint)."""
    return _article(article)


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "raw_id": article.raw_id,
        "origin": article.origin,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "byline": article.byline,
        "dateline": article.dateline,
        "published_at": article.published_at,
        "language": article.language,
        "extractor": article.extractor,
        "text": article.text,
        "sentences": [_offsets(span) for span in article.sentences],
        "mentions": [_mention(mention) for mention in article.mentions],
        "quotes": [_quote(quote) for quote in article.quotes],
        "claims": [_claim(claim) for claim in article.claims],
        "removed": [_removed(line) for line in article.removed],
        "dup_group": article.dup_group,
    }


def _offsets(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end}


def _mention(mention: Mention) -> dict[str, Any]:
    return {
        "start": mention.span.start,
        "end": mention.span.end,
        "text": mention.text,
        "label": mention.label,
        "norm": mention.norm,
    }


def _quote(quote: Quote) -> dict[str, Any]:
    return {
        "start": quote.span.start,
        "end": quote.span.end,
        "text": quote.text,
        "kind": quote.kind,
        "speaker": quote.speaker,
        "speaker_span": None if quote.speaker_span is None else _offsets(quote.speaker_span),
        "cue": quote.cue,
    }


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "start": claim.span.start,
        "end": claim.span.end,
        "text": claim.text,
        "mentions": [_mention(mention) for mention in claim.mentions],
        "quote": None if claim.quote is None else _quote(claim.quote),
    }


def _removed(line: RemovedLine) -> dict[str, Any]:
    return {"line_no": line.line_no, "text": line.text, "reason": line.reason}


def _rejection(rejection: Rejection) -> dict[str, Any]:
    return {"item": rejection.item, "stage": rejection.stage, "reason": rejection.reason}
