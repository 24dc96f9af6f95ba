"""The brief's reading order: the story's phases and time, with what changed first.

A developing story has phases ("talks collapsed" → "strike suspended"; found by the align stage).
When it has moved, the reader needs the latest development before the background, so the brief
opens with the best sentence reporting the latest phase (the "what changed" line) and then tells
the rest in the story's order: by phase, then publication time, then how high in its article the
sentence stood (leads before detail).  A story without phases or dates reads lead sentences first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsfuse.models import Phase, Span

__all__ = ["Placed", "latest_development", "phase_of_articles", "reporting_phase", "story_order"]


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a chosen sentence sits in the story."""

    span: Span
    published_at: str | None
    position: int  # sentence index in its article


def latest_development(phases: Sequence[Phase]) -> Phase | None:
    """The phase the story has moved to, or None when it has not moved (fewer than two phases)."""
    if len(phases) < 2 or phases[-1].label == phases[0].label:
        return None
    return phases[-1]


def phase_of_articles(phases: Sequence[Phase]) -> dict[str, int]:
    """Each article's phase number (0 = earliest) for articles whose lead reports a phase."""
    return {article_id: n for n, phase in enumerate(phases) for article_id in phase.article_ids}


def reporting_phase(spans: Sequence[Span], phase: Phase) -> list[int]:
    """Indices of the sentences that are lead passages the phase was read from (the phase's
    citations looked up by article: linear in sentences and citations)."""
    cited: dict[str, list[Span]] = {}
    for citation in phase.citations:
        cited.setdefault(citation.article_id, []).append(citation)
    return [
        i
        for i, span in enumerate(spans)
        if any(c.start < span.end and span.start < c.end for c in cited.get(span.article_id, ()))
    ]


def story_order(chosen: Sequence[Placed], phases: Sequence[Phase], lead: int | None) -> list[int]:
    """Indices into ``chosen`` in reading order; ``lead`` (an index) goes first when given.

    An article outside every phase is background (phase 0) unless its publication time places it:
    with times known, the order is by time within a phase.
    """
    phase_of: Mapping[str, int] = phase_of_articles(phases)

    def key(index: int) -> tuple[int, int, str, int, str, int]:
        placed = chosen[index]
        return (
            0 if index == lead else 1,
            phase_of.get(placed.span.article_id, 0),
            placed.published_at or "9999",
            placed.position,
            placed.span.article_id,
            placed.span.start,
        )

    return sorted(range(len(chosen)), key=key)
