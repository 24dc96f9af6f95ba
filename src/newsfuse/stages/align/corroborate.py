"""The align stage for one story: facts with independent-source counts, conflicts, quote drift,
framing, coverage gaps and phases — everything that compares outlets with each other.

Articles not in English are reported and left out of alignment (comparing their words with English
ones would only produce false "single-source" facts).  A story of one article still gets its facts,
all single-source, and a note saying there was nothing to corroborate.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newsfuse.models import (
    Article,
    Conflict,
    CoverageGap,
    Fact,
    FramingTerm,
    NearestPassage,
    Phase,
    QuoteGroup,
    Span,
)
from newsfuse.stages.align.candidates import candidate_pairs
from newsfuse.stages.align.conflicts import find_conflicts, find_related_figure_conflicts
from newsfuse.stages.align.drift import find_quote_groups
from newsfuse.stages.align.facts import align_facts
from newsfuse.stages.align.framing import find_framing
from newsfuse.stages.align.phases import find_phases
from newsfuse.stages.align.same_fact import STATEMENT_THRESHOLD, FactMatcher, score_text_pairs
from newsfuse.stages.align.sources import SourceIndex

__all__ = ["Corroboration", "corroborate", "looks_english"]

_ENGLISH = re.compile(
    r"\b(?:the|and|of|to|in|that|is|was|for|on|with|said|as|by|it|from|at|has|have|be)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
RELATED_SHARE = 0.5  # facts with claims half way to the same-fact threshold are related
MIN_ENGLISH_SHARE = 0.12  # English news prose runs at 0.25–0.35 of these words


def looks_english(text: str) -> bool:
    """Whether ``text`` reads as English: enough of its words are very common English words."""
    words = _WORDS.findall(text[:5000])
    if len(words) < 20:
        return True  # too short to tell; don't exclude
    return len(_ENGLISH.findall(text[:5000])) / len(words) >= MIN_ENGLISH_SHARE


@dataclass(frozen=True, slots=True)
class Corroboration:
    """What comparing the outlets of one story found."""

    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    quote_groups: tuple[QuoteGroup, ...]
    framing: tuple[FramingTerm, ...]
    coverage_gaps: tuple[CoverageGap, ...]
    phases: tuple[Phase, ...]
    notes: tuple[str, ...]


def corroborate(
    articles: Sequence[Article], matcher: FactMatcher, *, units: str = "claims"
) -> Corroboration:
    """Compare the story's articles with each other; ``units``: what is matched (claims, or each
    sentence's claims as one, see :func:`~newsfuse.stages.align.facts.align_facts`)."""
    english = [a for a in articles if looks_english(a.text)]
    other = [a for a in articles if a not in english]
    notes: list[str] = []
    if other:
        names = ", ".join(sorted(a.origin for a in other))
        notes.append(f"{len(other)} article(s) not in English, not aligned: {names}")
    sources = SourceIndex(english)
    outlets = {sources.outlet(a.id) for a in english}
    if len(english) <= 1 or sources.count(a.id for a in english) <= 1:
        notes.append(
            "Only one independent source: nothing to corroborate; every fact is single-source."
        )
    notes.extend(sources.shared_sources())
    alignment = align_facts(
        english, matcher, sources, related_threshold=matcher.at_share(RELATED_SHARE), units=units
    )
    facts, members = alignment.facts, alignment.members
    conflicts = find_conflicts(facts, members, sources)
    related = sorted(set(alignment.related) | set(_related_wordings(facts, matcher)))
    conflicts += find_related_figure_conflicts(facts, members, sources, related)
    conflicts = _unique(_stated_alike(conflicts, english))
    disputed = {c.fact_id for c in conflicts}
    facts = tuple(
        dataclasses.replace(f, status="disputed") if f.id in disputed else f for f in facts
    )
    gaps = _coverage_gaps(facts, sorted(outlets), alignment.nearest, matcher.threshold)
    return Corroboration(
        facts=facts,
        conflicts=conflicts,
        quote_groups=find_quote_groups(english, sources, (f.claims for f in facts)),
        framing=find_framing(english, sources),
        coverage_gaps=gaps,
        phases=find_phases(english, sources),
        notes=tuple(notes),
    )


def _related_wordings(facts: Sequence[Fact], matcher: FactMatcher) -> list[tuple[int, int]]:
    """Pairs of facts (indices, lower first) whose representative wordings both give a figure and
    score at least half the same-statement threshold, found through the candidate index among
    those facts only (never all pairs): the claim pairs scored while grouping miss facts whose
    claims were not each other's candidates."""
    with_figures = np.array(
        [i for i, f in enumerate(facts) if _DIGIT.search(f.text)], dtype=np.intp
    )
    if len(with_figures) < 2:
        return []
    claims = matcher.prepare([facts[i].text for i in with_figures])
    left, right = candidate_pairs(claims.index, np.arange(len(with_figures), dtype=np.intp))
    keep = matcher.score(claims, left, right) >= matcher.at_share(RELATED_SHARE)
    return list(
        zip(with_figures[left[keep]].tolist(), with_figures[right[keep]].tolist(), strict=True)
    )


def _stated_alike(conflicts: Sequence[Conflict], articles: Sequence[Article]) -> list[Conflict]:
    """Figure conflicts whose two sides include one pair of passages the strict same-statement
    model (MSRP-fitted) scores at least half way to its threshold.

    Why: a fact groups claims that share most of their content, which is right for counting
    sources but too loose for telling a reader that outlets disagree: "the authority has offered
    4.5 per cent" and "the authority had been prepared to raise its pay offer to 6 per cent if …"
    are one fact, not a dispute over a figure.  A disagreement is the same statement with a
    different figure, so it takes the stricter decision; only the few passages of conflicts are
    scored."""
    by_id = {a.id: a for a in articles}
    owner: list[int] = []
    left: list[str] = []
    right: list[str] = []
    for number, conflict in enumerate(conflicts):
        if conflict.kind != "number":
            continue
        for i, first in enumerate(conflict.sides):
            for second in conflict.sides[i + 1 :]:
                for a, b in itertools.product(first.citations, second.citations):
                    if a.article_id != b.article_id:
                        owner.append(number)
                        left.append(by_id[a.article_id].slice(a))
                        right.append(by_id[b.article_id].slice(b))
    best = np.zeros(len(conflicts))
    if left:
        corpus = [c.text for a in articles for c in a.claims]
        scores = score_text_pairs(left, right, corpus=corpus, decision=None)
        np.maximum.at(best, np.array(owner, dtype=np.intp), scores)
    needed = STATEMENT_THRESHOLD * RELATED_SHARE
    return [c for n, c in enumerate(conflicts) if c.kind != "number" or best[n] >= needed]


def _unique(conflicts: Sequence[Conflict]) -> tuple[Conflict, ...]:
    """One conflict per disagreement, however many facts it turned up in."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    unique = []
    for conflict in conflicts:
        key = (conflict.kind, conflict.subject, tuple(side.value for side in conflict.sides))
        if key not in seen:
            seen.add(key)
            unique.append(conflict)
    return tuple(unique)


def _coverage_gaps(
    facts: Sequence[Fact],
    outlets: Sequence[str],
    nearest: Mapping[tuple[str, str], tuple[Span, float]],
    threshold: float,
) -> tuple[CoverageGap, ...]:
    """For each outlet, the corroborated facts (two or more independent sources) it leaves out.

    A fact is not called left out when the outlet has a passage the same-statement decision scores
    at or above ``threshold`` against it (average linkage may have kept that passage out of the
    fact, but the outlet does report it in other words); for every fact that is listed, the
    outlet's nearest passage and its score are given where one was compared, so a reader can judge.
    """
    shared = [f for f in facts if f.independent_sources >= 2]
    gaps = []
    for outlet in outlets:
        missing: list[str] = []
        near: list[NearestPassage] = []
        for fact in shared:
            if outlet in fact.outlets:
                continue
            closest = nearest.get((fact.id, outlet))
            if closest is not None and closest[1] >= threshold:
                continue
            missing.append(fact.id)
            if closest is not None:
                # rounded down, so a passage under the threshold never reads as at it (0.44996 →
                # 0.4499); the inner round keeps 0.57 from flooring to 0.5699 (0.57 * 1e4 < 5700)
                shown = math.floor(round(closest[1] * 1e4, 6)) / 1e4
                near.append(NearestPassage(fact.id, closest[0], shown))
        if missing:
            gaps.append(CoverageGap(outlet, tuple(missing), tuple(near)))
    return tuple(gaps)
