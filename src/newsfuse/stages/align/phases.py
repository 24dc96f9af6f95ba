"""Story development: when the story changes state ("talks failed" → "talks extended").

Each article's lead (its title and first two sentences) is read for the state it reports, with two
documented cue lists: ``BREAKDOWN`` (failed, collapsed, broke down, ended without…) and
``CONTINUATION`` (extended, resumed, reopened, suspended the strike, agreed to continue…).  Articles
reporting the same state form a phase.  Phases are ordered by their first publication time where
known; otherwise a phase whose articles also mention the other phase's cues *outside their lead* is
the later one (a report of the extension recalls the earlier breakdown, not the reverse).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse.models import Article, Phase, Span, content_id
from newsfuse.stages.align.sources import SourceIndex

__all__ = ["BREAKDOWN", "CONTINUATION", "find_phases"]

BREAKDOWN = (
    r"fail(?:ed|s|ure)?", r"collaps(?:e|ed|es)", r"broke down", r"break(?:s)? down", r"breakdown",
    r"ended without", r"end(?:ed)? in deadlock", r"stalled", r"impasse", r"walked out",
    r"without (?:a )?(?:breakthrough|agreement|progress|deal)",
)  # fmt: skip
CONTINUATION = (
    r"extend(?:ed|s)?", r"resum(?:e|ed|es)", r"reopen(?:ed|s)?", r"re-?open", r"suspend(?:ed|s)?",
    r"agreed to (?:continue|stay|remain|return)", r"back (?:at|to) the table", r"pause",
    r"renewed", r"revive", r"breakthrough came", r"deal (?:was )?reached", r"give peace another chance",
)  # fmt: skip
_BREAKDOWN = re.compile(r"\b(?:" + "|".join(BREAKDOWN) + r")\b", re.IGNORECASE)
_CONTINUATION = re.compile(r"\b(?:" + "|".join(CONTINUATION) + r")\b", re.IGNORECASE)
_LABELS = {"breakdown": "breakdown", "continuation": "continuation"}
_LEAD_SENTENCES = 2


def find_phases(articles: Sequence[Article], sources: SourceIndex) -> tuple[Phase, ...]:
    """The story's phases in order; empty when fewer than two states are reported."""
    states: dict[str, list[tuple[Article, tuple[Span, ...]]]] = {
        "breakdown": [],
        "continuation": [],
    }
    for article in sorted(articles, key=lambda a: (a.published_at or "9999", a.id)):
        state, spans = _lead_state(article)
        if state is not None:
            states[state].append((article, spans))
    if not all(states.values()):
        return ()
    phases = [_phase(label, members, sources) for label, members in states.items()]
    return _ordered(phases, states)


def _lead(article: Article) -> list[Span]:
    return list(article.sentences[:_LEAD_SENTENCES])


def _lead_state(article: Article) -> tuple[str | None, tuple[Span, ...]]:
    lead = _lead(article)
    texts = [(article.title or "", None), *((article.slice(s), s) for s in lead)]
    scores = {"breakdown": 0, "continuation": 0}
    cited: dict[str, list[Span]] = {"breakdown": [], "continuation": []}
    for weight, (text, span) in zip((2, 2, 1), texts, strict=False):
        for state, pattern in (("breakdown", _BREAKDOWN), ("continuation", _CONTINUATION)):
            hits = len(pattern.findall(text))
            if hits:
                scores[state] += weight * hits
                if span is not None:
                    cited[state].append(span)
    if scores["breakdown"] == scores["continuation"]:
        return None, ()
    state = max(scores, key=lambda s: scores[s])
    spans = cited[state] or lead[:1]
    return state, tuple(spans)


def _phase(
    label: str, members: list[tuple[Article, tuple[Span, ...]]], sources: SourceIndex
) -> Phase:
    citations = tuple(sorted(s for _, spans in members for s in spans))
    first = members[0]
    summary_span = first[1][0] if first[1] else first[0].sentences[0]
    published = sorted(a.published_at for a, _ in members if a.published_at)
    return Phase(
        id=content_id(label, *(a.id for a, _ in members), prefix="phs_"),
        label=_LABELS[label],
        summary=first[0].slice(summary_span),
        article_ids=tuple(a.id for a, _ in members),
        citations=citations,
        outlets=tuple(sorted({sources.outlet(a.id) for a, _ in members})),
        first_published=published[0] if published else None,
    )


def _ordered(
    phases: list[Phase], states: dict[str, list[tuple[Article, tuple[Span, ...]]]]
) -> tuple[Phase, ...]:
    if all(p.first_published for p in phases):
        return tuple(sorted(phases, key=lambda p: (p.first_published or "", p.label)))

    def recalls_other(phase: Phase) -> float:
        """Share of the phase's articles whose body (after the lead) names the other state."""
        other = _CONTINUATION if phase.label == "breakdown" else _BREAKDOWN
        members = states[phase.label]
        hits = sum(1 for article, _ in members if other.search(_body_after_lead(article)))
        return hits / max(len(members), 1)

    return tuple(sorted(phases, key=lambda p: (recalls_other(p), p.label)))


def _body_after_lead(article: Article) -> str:
    lead = article.sentences[:_LEAD_SENTENCES]
    return article.text[lead[-1].end :] if lead else article.text
