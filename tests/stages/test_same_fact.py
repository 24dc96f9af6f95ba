"""The same-fact decisions on claims of the bundled example story (our own text)."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.config import load_settings
from newsfuse.errors import ConfigError
from newsfuse.stages.align.same_fact import CONTAINMENT, DEFAULT_THRESHOLD, LEXICAL, FactMatcher

# One fact told by two outlets with different detail, and two facts of the same story.
STRIKE_BEGAN = (
    "About 4,200 union members have been on strike since 6 a.m. on Monday, March 9, halting "
    "almost all cargo handling at Calderra's largest port."
)
STRIKE_BEGAN_TOO = (
    "The stoppage began at 6 a.m. on Monday, March 9, when about 4,200 members of the Calderran "
    "Dockworkers' Union (CDU) walked out over pay and what the union says are 14 million crowns "
    "in overtime arrears owed since 2024."
)
TALKS_COLLAPSED = (
    "Talks at the authority's Quay Street headquarters collapsed on Wednesday afternoon."
)
SHIPS_WAITING = (
    "According to the harbour authority, 38 ships are now waiting at anchor or tied up at idle "
    "berths, among them container vessels, two bulk carriers and a car transporter."
)
TEXTS = [STRIKE_BEGAN, STRIKE_BEGAN_TOO, TALKS_COLLAPSED, SHIPS_WAITING]


def _scores(matcher: FactMatcher, pairs: list[tuple[int, int]]) -> list[float]:
    claims = matcher.prepare(TEXTS)
    left = np.array([i for i, _ in pairs], dtype=np.intp)
    right = np.array([j for _, j in pairs], dtype=np.intp)
    return [float(s) for s in matcher.score(claims, left, right)]


def test_containment_joins_a_fact_told_with_different_detail() -> None:
    """Each adds detail the other lacks; the shared figures, day and time make them one fact."""
    (same,) = _scores(FactMatcher(decision=CONTAINMENT), [(0, 1)])
    assert same >= DEFAULT_THRESHOLD


def test_containment_keeps_different_facts_of_one_story_apart() -> None:
    matcher = FactMatcher(decision=CONTAINMENT)
    for score in _scores(matcher, [(0, 2), (2, 3), (1, 3)]):
        assert matcher.at_share(0.0) <= score < DEFAULT_THRESHOLD


def test_the_lexical_decision_joins_a_fact_told_with_other_detail_and_parts_others() -> None:
    """The default decision weighs the word, n-gram and character overlaps both ways: the two
    strike reports share the figures, day and time; the talks and the ships share only the
    story's words."""
    matcher = FactMatcher(decision=LEXICAL)
    (same,) = _scores(matcher, [(0, 1)])
    assert same >= DEFAULT_THRESHOLD
    for score in _scores(matcher, [(0, 2), (2, 3), (1, 3)]):
        assert matcher.at_share(0.0) <= score < DEFAULT_THRESHOLD


def test_the_lexical_decision_does_not_depend_on_the_order_of_a_pair() -> None:
    matcher = FactMatcher(decision=LEXICAL)
    forward = _scores(matcher, [(0, 1), (2, 3), (1, 3)])
    assert forward == pytest.approx(_scores(matcher, [(1, 0), (3, 2), (3, 1)]))


def test_weakly_related_is_measured_from_the_decisions_floor() -> None:
    containment = FactMatcher(decision=CONTAINMENT)
    assert containment.at_share(0.0) == pytest.approx(CONTAINMENT.floor)
    assert CONTAINMENT.floor < containment.at_share(0.5) < containment.threshold
    assert FactMatcher(threshold=0.4).at_share(0.5) == pytest.approx(0.2)


def test_the_decision_is_a_setting() -> None:
    assert load_settings().align.decision == "lexical"
    assert load_settings(overrides=["align.decision=statement"]).align.decision == "statement"
    with pytest.raises(
        ConfigError, match="decision must be one of containment, encoder, lexical, statement"
    ):
        load_settings(overrides=["align.decision=cosine"])
    with pytest.raises(ConfigError, match="probabilities"):
        load_settings(overrides=["align.threshold=1.5"])
