"""The views the corroboration sections share: labels, order, bars, diffs and framing tables."""

from __future__ import annotations

import dataclasses

import pytest

from newsfuse.models import Report, WordDiff
from newsfuse.outputs.corroboration import (
    DiffPiece,
    corroboration_view,
    diff_pieces,
    is_framing_kind,
    source_bar,
)


@pytest.mark.parametrize(
    ("count", "total", "cells"),
    [
        (0, 0, (0, 1)),
        (1, 1, (1, 0)),
        (2, 3, (2, 1)),
        (3, 10, (3, 7)),
        (5, 20, (2, 8)),  # scaled to ten cells
        (1, 40, (1, 9)),  # reported anywhere: at least one filled cell
        (40, 40, (10, 0)),
        (4, 3, (4, 0)),  # a count above the total widens the bar rather than overflow it
    ],
)
def test_source_bar(count: int, total: int, cells: tuple[int, int]) -> None:
    assert source_bar(count, total) == cells


def test_diff_pieces_split_replacements_and_drop_empty_steps() -> None:
    diff = (
        WordDiff("equal", "the kestrel", "the kestrel"),
        WordDiff("replace", "is", "was"),
        WordDiff("insert", "", "still"),
        WordDiff("delete", "very", ""),
        WordDiff("delete", " ", ""),
        WordDiff("equal", "stable", "stable"),
    )
    assert diff_pieces(diff) == [
        DiffPiece("equal", "the kestrel"),
        DiffPiece("delete", "is"),
        DiffPiece("insert", "was"),
        DiffPiece("insert", "still"),
        DiffPiece("delete", "very"),
        DiffPiece("equal", "stable"),
    ]


@pytest.mark.parametrize(
    ("kind", "known"),
    [
        ("loaded", True),
        ("intensifier", True),
        ("choice:government", True),
        ("choice:", False),
        ("Loaded", False),
        ("framing", False),
    ],
)
def test_framing_kinds(kind: str, known: bool) -> None:
    assert is_framing_kind(kind) is known


def test_facts_are_labelled_in_display_order_and_know_their_conflicts(report: Report) -> None:
    view = corroboration_view(report)
    assert view.outlets == ("Lakeside Daily", "Northlake Press Agency", "Vessa Courier")
    assert [(v.label, v.fact.status) for v in view.lead] == [
        ("F1", "disputed"),
        ("F2", "corroborated"),
        ("F3", "corroborated"),
    ]
    assert [(v.label, v.fact.status) for v in view.single] == [
        ("F4", "single_source"),
        ("F5", "single_source"),
    ]
    conflict = report.story.conflicts[0]
    assert view.lead[0].conflicts == (("C1", f"conflict-{conflict.id}"),)
    assert view.conflicts[0].fact is view.lead[0]
    assert view.status_counts == {"corroborated": 2, "disputed": 1, "single_source": 2}
    assert [(gap.outlet, [f.label for f in gap.facts]) for gap in view.gaps] == [
        ("Lakeside Daily", ["F2"])
    ]


def test_framing_merges_terms_and_orders_most_used_first(report: Report) -> None:
    extra = dataclasses.replace(report.story.framing[-1], term="told")  # Courier: said ×2, told ×2
    story = dataclasses.replace(report.story, framing=(*report.story.framing, extra))
    framing = corroboration_view(dataclasses.replace(report, story=story)).framing
    assert framing.groups == ("incident", "speech")
    courier = framing.choices[framing.outlets.index("Vessa Courier")]
    assert [(u.term, len(u.citations)) for u in courier[1]] == [("said", 2), ("told", 2)]
    assert [(u.term, len(u.citations)) for u in courier[0]] == [("blaze", 1), ("fire", 1)]


def test_no_loaded_words_means_no_terms_table(report: Report) -> None:
    choices = tuple(t for t in report.story.framing if t.kind.startswith("choice:"))
    story = dataclasses.replace(report.story, framing=choices)
    framing = corroboration_view(dataclasses.replace(report, story=story)).framing
    assert framing.terms == () and framing.groups == ("incident", "speech")
