"""Disagreements inside a fact: different figures for the same thing, different dates, different
speakers for the same words.

A figure is keyed by what it counts: the first content word after it ("38 *ships*", "4,200
*workers*"), so "38 ships" and "41 ships" in one fact disagree while "38 ships" and "4,200 workers"
do not.  Dates disagree when claims of one fact give different days for it.  Speakers disagree when
one fact quotes the same words from different canonical people.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

from newsfuse.models import Conflict, ConflictKind, ConflictSide, Fact, Span, content_id
from newsfuse.stages.align.facts import ClaimRef
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.similarity import stem

__all__ = ["find_conflicts", "find_related_figure_conflicts"]

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|per\s*cent|percent))?")
_NEXT_WORD = re.compile(r"\s*(?:[-–]\s*)?([A-Za-z][A-Za-z'’-]*)")
_SAME_WORDS = 80.0  # rapidfuzz ratio above which two quotations are the same words
_SKIP_AFTER = frozenset(
    {"of", "and", "or", "to", "in", "on", "at", "a", "an", "the", "more", "than", "per", "about"}
    # Scale words say how big, not what: "1.9 million containers" counts containers.
    | {"million", "billion", "trillion", "thousand", "hundred", "m", "bn", "mn", "k"}
)
# "22 million crowns a day" is a rate; "14 million crowns owed" a stock: never the same figure.
_RATE = re.compile(
    r"\W*(?:\w+\W+){0,1}?(?:a|an|per|each|every)\s+(day|week|month|year|hour|minute|second)\b",
    re.IGNORECASE,
)


def find_conflicts(
    facts: Sequence[Fact], members: dict[str, tuple[ClaimRef, ...]], sources: SourceIndex
) -> tuple[Conflict, ...]:
    """Every disagreement inside each fact, sorted by fact then kind then subject."""
    found: list[Conflict] = []
    for fact in facts:
        refs = members.get(fact.id, ())
        if len({r.article.id for r in refs}) < 2:
            continue
        found.extend(_figure_conflicts(fact, refs, sources))
        found.extend(_date_conflicts(fact, refs, sources))
        found.extend(_speaker_conflicts(fact, refs, sources))
    return tuple(found)


def find_related_figure_conflicts(
    facts: Sequence[Fact],
    members: dict[str, tuple[ClaimRef, ...]],
    sources: SourceIndex,
    related: Sequence[tuple[int, int]],
) -> tuple[Conflict, ...]:
    """Figure conflicts between *related* facts: "38 ships were stranded, the authority said" and
    "41 ships were waiting, according to the union" are two facts (different sources say them), but
    a reader needs to see that the outlets give different counts.  ``related`` names the pairs of
    facts (indices into ``facts``, lower first) whose wordings are close enough to compare."""
    found: list[Conflict] = []
    for i, j in related:
        left, right = facts[i], facts[j]
        left_figures = _fact_figures(members.get(left.id, ()))
        if not left_figures:
            continue
        right_figures = _fact_figures(members.get(right.id, ()))
        for unit in sorted(set(left_figures) & set(right_figures) - {"%"}):
            # (A bare percentage says too little about what it measures: "offered 4.5%" and
            # "seeking 9%" are related facts, not a disagreement.)
            if left_figures[unit].keys() & right_figures[unit].keys():
                continue  # they share the figure: no disagreement on this unit
            values: dict[str, list[tuple[str, Span]]] = defaultdict(list)
            for side in (left_figures[unit], right_figures[unit]):
                for value, cited in side.items():
                    values[value].extend(cited)
            found.append(_conflict(left, "number", unit, values, sources))
    return tuple(found)


def _fact_figures(refs: Sequence[ClaimRef]) -> dict[str, dict[str, list[tuple[str, Span]]]]:
    figures: dict[str, dict[str, list[tuple[str, Span]]]] = defaultdict(lambda: defaultdict(list))
    for ref in refs:
        for unit, value, _start, _end in _figures(ref.claim.text):
            figures[unit][value].append((ref.article.id, ref.claim.span))
    return figures


def _figures(text: str) -> list[tuple[str, str, int, int]]:
    """``(unit, value, start, end)`` of each figure in a claim; percentages have unit "%"."""
    figures = []
    for match in _NUMBER.finditer(text):
        value = match.group(1).replace(",", "")
        if match.group(2):
            figures.append(("%", value, match.start(), match.end()))
            continue
        if len(value) == 4 and value.startswith(("19", "20")):
            continue  # a year: dates are compared separately
        unit = ""
        rest = text[match.end() :]
        for _ in range(3):
            word = _NEXT_WORD.match(rest)
            if not word:
                break
            if word.group(1).lower() not in _SKIP_AFTER:
                unit = stem(word.group(1).lower())
                rate = _RATE.match(rest[word.end() :])
                if rate:
                    unit += "/" + rate.group(1).lower()
                break
            rest = rest[word.end() :]
        if unit:
            figures.append((unit, value, match.start(), match.end()))
    return figures


def _figure_conflicts(fact: Fact, refs: Sequence[ClaimRef], sources: SourceIndex) -> list[Conflict]:
    """Figures of one unit that the fact's articles give differently.  An article that itself gives
    two figures of the unit ("the union wants 9 per cent; the authority has offered 4.5") is
    contrasting them, not taking a side, whether one claim or two (claims are cut below the
    sentence) hold them: its figures count on no side."""
    by_unit: dict[str, dict[str, list[tuple[str, Span]]]] = defaultdict(lambda: defaultdict(list))
    given: dict[tuple[str, str], set[str]] = defaultdict(set)  # (article, unit) -> its values
    for ref in refs:
        for unit, value, _start, _end in _figures(ref.claim.text):
            given[(ref.article.id, unit)].add(value)
    for ref in refs:
        for unit, value, _start, _end in _figures(ref.claim.text):
            if len(given[(ref.article.id, unit)]) == 1:
                by_unit[unit][value].append((ref.article.id, ref.claim.span))
    conflicts = []
    for unit, values in sorted(by_unit.items()):
        if len(values) > 1:
            conflicts.append(_conflict(fact, "number", unit, values, sources))
    return conflicts


def _date_conflicts(fact: Fact, refs: Sequence[ClaimRef], sources: SourceIndex) -> list[Conflict]:
    values: dict[str, list[tuple[str, Span]]] = defaultdict(list)
    for ref in refs:
        for mention in ref.claim.mentions:
            if mention.label == "DATE" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", mention.norm):
                values[mention.norm].append((ref.article.id, ref.claim.span))
    # Only when every claim of the fact dates it, and they do not all agree.
    dated = {a for v in values.values() for a, _ in v}
    if len(values) > 1 and len(dated) == len({r.article.id for r in refs}):
        return [_conflict(fact, "date", "date", values, sources)]
    return []


def _speaker_conflicts(
    fact: Fact, refs: Sequence[ClaimRef], sources: SourceIndex
) -> list[Conflict]:
    quoted = [
        (ref, ref.claim.quote)
        for ref in refs
        if ref.claim.quote is not None
        and ref.claim.quote.speaker
        and ref.claim.quote.kind == "direct"
    ]
    conflicts = []
    for index, (ref, quote) in enumerate(quoted):
        assert quote is not None and quote.speaker is not None
        values: dict[str, list[tuple[str, Span]]] = defaultdict(list)
        values[quote.speaker].append((ref.article.id, ref.claim.span))
        for other_ref, other in quoted[index + 1 :]:
            assert other is not None and other.speaker is not None
            # The same words, attributed to someone else: not two different quotes.
            if fuzz.ratio(quote.text.lower(), other.text.lower()) >= _SAME_WORDS:
                values[other.speaker].append((other_ref.article.id, other_ref.claim.span))
        # "the union's general secretary" vs "Ines Varga" is a description, not a disagreement.
        named = [name for name in values if not _is_description(name)]
        values = {name: cited for name, cited in values.items() if name in named}
        if len(values) > 1:
            conflicts.append(_conflict(fact, "speaker", quote.text[:80], values, sources))
            break
    return conflicts


def _is_description(speaker: str) -> bool:
    first = speaker.split()[0] if speaker.split() else ""
    return first[:1].islower() or first.lower() in {"the", "a", "an", "one", "two", "some"}


def _conflict(
    fact: Fact,
    kind: ConflictKind,
    subject: str,
    values: dict[str, list[tuple[str, Span]]],
    sources: SourceIndex,
) -> Conflict:
    sides = tuple(
        ConflictSide(
            value=value,
            citations=tuple(sorted({span for _, span in cited})),
            outlets=tuple(sorted({sources.outlet(article) for article, _ in cited})),
        )
        for value, cited in sorted(values.items())
    )
    return Conflict(
        id=content_id(fact.id, kind, subject, prefix="cfl_"),
        fact_id=fact.id,
        kind=kind,
        subject=subject,
        sides=sides,
    )
