"""What the corroboration sections show, decided once for Markdown and HTML alike.

The align stage compares the outlets of a story: facts with their independent-source counts,
conflicts inside facts, quotations worded differently, framing words, coverage gaps and phases.
This module turns those records into the views both human-readable reports lay out, so that "F3"
or "C1" names the same fact or conflict in either file:

* facts are shown corroborated and disputed first, single-source facts after (there are many), each
  group in the story's order, and labelled ``F1``, ``F2``... in that display order;
* conflicts are labelled ``C1``... in story order and know the label of their fact;
* framing becomes two tables: loaded words and intensifiers per outlet, and a matrix of outlets ×
  choice groups saying which alternative each outlet uses;
* coverage gaps list the facts themselves, not their ids.

Every ordering is total and taken from the Report's tuples or from names, never from set or dict
iteration, so the output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.models import (
    Conflict,
    ConflictKind,
    DiffOp,
    DriftLabel,
    Fact,
    FactStatus,
    FramingTerm,
    NearestPassage,
    Report,
    Span,
    WordDiff,
)

__all__ = [
    "BAR_WIDTH",
    "CONFLICT_KINDS",
    "DRIFT_CLASSES",
    "FRAMING_KINDS",
    "STATUS_LABELS",
    "UPDATE_KINDS",
    "ConflictView",
    "CorroborationView",
    "DiffPiece",
    "FactView",
    "FramingView",
    "GapView",
    "OutletTerms",
    "TermUse",
    "corroboration_view",
    "diff_pieces",
    "is_framing_kind",
    "source_bar",
]

UPDATE_KINDS: dict[str, str] = {  # how the update section heads each kind of fact change
    "new": "New facts",
    "newly_corroborated": "Newly corroborated",
    "more_sources": "More sources",
}
STATUS_LABELS: dict[FactStatus, str] = {
    "corroborated": "corroborated",
    "disputed": "disputed",
    "single_source": "single source",
}
CONFLICT_KINDS: dict[ConflictKind, str] = {
    "number": "Figures differ",
    "date": "Dates differ",
    "speaker": "Speakers differ",
}
DRIFT_CLASSES: dict[DriftLabel, str] = {
    "exact": "exact",
    "minor variation": "minor",
    "substantive change": "substantive",
}
FRAMING_KINDS = ("loaded", "intensifier")
"""The framing kinds that are not a choice group; a choice group's kind is ``choice:<group>``."""
_CHOICE = "choice:"

BAR_WIDTH = 10
"""The most cells a source bar has; with more outlets than this the bar is scaled."""


def is_framing_kind(kind: str) -> bool:
    """Whether ``kind`` is one the reports (and the JSON schema) know."""
    return kind in FRAMING_KINDS or (kind.startswith(_CHOICE) and len(kind) > len(_CHOICE))


def source_bar(count: int, total: int) -> tuple[int, int]:
    """Return (filled, empty) cells of a bar showing ``count`` of ``total`` outlets.

    One cell per outlet up to :data:`BAR_WIDTH` outlets; beyond that the bar is scaled, and a
    fact reported anywhere keeps at least one filled cell.
    """
    total = max(total, count, 1)
    width = min(total, BAR_WIDTH)
    filled = round(count * width / total)
    if count and not filled:
        filled = 1
    return filled, width - filled


@dataclass(frozen=True, slots=True)
class FactView:
    """A fact, its display label ("F1") and the labels of the conflicts inside it."""

    fact: Fact
    label: str
    anchor: str
    bar: tuple[int, int]
    conflicts: tuple[tuple[str, str], ...]  # (label, anchor) of each conflict in the fact


@dataclass(frozen=True, slots=True)
class ConflictView:
    """A conflict, its label ("C1") and the fact it is in."""

    conflict: Conflict
    label: str
    anchor: str
    fact: FactView


@dataclass(frozen=True, slots=True)
class TermUse:
    """One framing word of one outlet and every place the outlet uses it."""

    term: str
    citations: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class OutletTerms:
    """An outlet's loaded words and intensifiers, most used first."""

    outlet: str
    loaded: tuple[TermUse, ...]
    intensifiers: tuple[TermUse, ...]


@dataclass(frozen=True, slots=True)
class FramingView:
    """Loaded words and intensifiers per outlet, and the outlets × choice-groups matrix.

    ``choices[i][j]`` lists the words outlet ``outlets[i]`` uses from group ``groups[j]``.
    ``terms`` is empty when no outlet uses a loaded word or intensifier.
    """

    outlets: tuple[str, ...]
    terms: tuple[OutletTerms, ...]
    groups: tuple[str, ...]
    choices: tuple[tuple[tuple[TermUse, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class GapView:
    """An outlet and the corroborated facts it leaves out, with the outlet's nearest passage to
    each (and its same-statement score) where one was compared."""

    outlet: str
    facts: tuple[FactView, ...]
    nearest: dict[str, NearestPassage]  # by fact id


@dataclass(frozen=True, slots=True)
class CorroborationView:
    """Everything the corroboration sections show."""

    outlets: tuple[str, ...]
    lead: tuple[FactView, ...]  # corroborated and disputed facts
    single: tuple[FactView, ...]  # single-source facts
    facts: dict[str, FactView]  # by fact id
    conflicts: tuple[ConflictView, ...]
    framing: FramingView
    gaps: tuple[GapView, ...]

    @property
    def status_counts(self) -> dict[FactStatus, int]:
        """How many facts have each status, in the order the reports name them."""
        counts: dict[FactStatus, int] = {"corroborated": 0, "disputed": 0, "single_source": 0}
        for view in self.facts.values():
            counts[view.fact.status] += 1
        return counts


@dataclass(frozen=True, slots=True)
class DiffPiece:
    """One piece of a rendered word diff: kept words, or words deleted from or inserted into the
    reference wording."""

    kind: str  # "equal", "delete" or "insert"
    text: str


def diff_pieces(diff: tuple[WordDiff, ...]) -> list[DiffPiece]:
    """Flatten a word diff into pieces to show in order; a replacement is a delete then an insert.

    Empty pieces are dropped, so no renderer writes an empty ``<del>`` or ``~~~~``.
    """
    pieces: list[DiffPiece] = []
    for step in diff:
        parts: list[tuple[str, str]]
        op: DiffOp = step.op
        if op == "equal":
            parts = [("equal", step.variant or step.reference)]
        elif op == "delete":
            parts = [("delete", step.reference)]
        elif op == "insert":
            parts = [("insert", step.variant)]
        else:
            parts = [("delete", step.reference), ("insert", step.variant)]
        pieces += [DiffPiece(kind, text.strip()) for kind, text in parts if text.strip()]
    return pieces


def _aligned_outlets(report: Report) -> tuple[str, ...]:
    """The outlets the corroboration records name (as the align stage names them), sorted."""
    story = report.story
    names: set[str] = set()
    for fact in story.facts:
        names.update(fact.outlets)
    for conflict in story.conflicts:
        for side in conflict.sides:
            names.update(side.outlets)
    for group in story.quote_groups:
        names.update(variant.outlet for variant in group.variants)
    names.update(term.outlet for term in story.framing)
    names.update(gap.outlet for gap in story.coverage_gaps)
    for phase in story.phases:
        names.update(phase.outlets)
    return tuple(sorted(names))


def _term_uses(terms: list[FramingTerm]) -> tuple[TermUse, ...]:
    """Merge an outlet's terms of one kind by word; most used first, then alphabetically."""
    spans: dict[str, dict[Span, None]] = {}
    for term in terms:
        spans.setdefault(term.term, {}).update(dict.fromkeys(term.citations))
    uses = [TermUse(term, tuple(cited)) for term, cited in spans.items()]
    return tuple(sorted(uses, key=lambda use: (-len(use.citations), use.term)))


def _framing(report: Report, outlets: tuple[str, ...]) -> FramingView:
    by_kind: dict[tuple[str, str], list[FramingTerm]] = {}
    for term in report.story.framing:
        by_kind.setdefault((term.outlet, term.kind), []).append(term)
    terms = tuple(
        OutletTerms(
            outlet,
            _term_uses(by_kind.get((outlet, "loaded"), [])),
            _term_uses(by_kind.get((outlet, "intensifier"), [])),
        )
        for outlet in outlets
    )
    if not any(row.loaded or row.intensifiers for row in terms):
        terms = ()
    kinds = sorted({t.kind for t in report.story.framing if t.kind.startswith(_CHOICE)})
    groups = tuple(kind[len(_CHOICE) :] for kind in kinds)
    choices = tuple(
        tuple(_term_uses(by_kind.get((outlet, kind), [])) for kind in kinds) for outlet in outlets
    )
    return FramingView(outlets, terms, groups, choices if groups else ())


def corroboration_view(report: Report) -> CorroborationView:
    """Compute the corroboration views of a report.

    The report's references are assumed checked (see
    :func:`newsfuse.outputs.json.articles_by_id`): every conflict and gap names a fact of the story.
    """
    story = report.story
    outlets = _aligned_outlets(report)
    total = len(outlets)
    conflict_labels = {
        conflict.id: (f"C{number}", f"conflict-{conflict.id}")
        for number, conflict in enumerate(story.conflicts, start=1)
    }
    in_fact: dict[str, list[tuple[str, str]]] = {}
    for conflict in story.conflicts:
        in_fact.setdefault(conflict.fact_id, []).append(conflict_labels[conflict.id])
    ordered = [f for f in story.facts if f.status != "single_source"]
    ordered += [f for f in story.facts if f.status == "single_source"]
    facts = {
        fact.id: FactView(
            fact,
            f"F{number}",
            f"fact-{fact.id}",
            source_bar(len(fact.outlets), total),
            tuple(in_fact.get(fact.id, ())),
        )
        for number, fact in enumerate(ordered, start=1)
    }
    views = list(facts.values())
    conflicts = tuple(
        ConflictView(conflict, *conflict_labels[conflict.id], facts[conflict.fact_id])
        for conflict in story.conflicts
    )
    gaps = tuple(
        GapView(
            gap.outlet,
            tuple(facts[fact_id] for fact_id in gap.missing_fact_ids),
            {near.fact_id: near for near in gap.nearest},
        )
        for gap in story.coverage_gaps
    )
    return CorroborationView(
        outlets=outlets,
        lead=tuple(v for v in views if v.fact.status != "single_source"),
        single=tuple(v for v in views if v.fact.status == "single_source"),
        facts=facts,
        conflicts=conflicts,
        framing=_framing(report, outlets),
        gaps=gaps,
    )
