"""The context-aware cue decision: the shipped trees load and walk as trees do, and on real
sentences a reporting verb that opens an attribution is a cue while the same word used otherwise
("the said document", "all told") is not."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.config import load_settings
from newsfuse.stages.extract.cue_decision import (
    DECISION_PATH,
    FEATURES,
    CueDecision,
    load_decision,
)
from newsfuse.stages.extract.nlp import load_nlp
from newsfuse.stages.extract.quotes import QuoteContext, attributions_in_paragraph


def _cues(text: str, decision: CueDecision | None) -> list[str]:
    """The cue texts of the attributions found in one paragraph with ``decision``."""
    doc = load_nlp(load_settings().extract.spacy_model)(text)
    context = QuoteContext(people=(), cue_decision=decision)
    return [
        text[a.cue_span.start : a.cue_span.end]
        for a in attributions_in_paragraph(doc, 0, "a", context)
        if a.cue_span is not None
    ]


def _walk(decision: CueDecision, row: np.ndarray) -> float:
    """The log-odds of one row, one tree after another, node by node (the reference the
    vectorised walk must agree with)."""
    total = decision.baseline
    for root in decision.roots:
        node = int(root)
        while not decision.is_leaf[node]:
            go_left = row[decision.feature[node]] <= decision.threshold[node]
            node = int(decision.left[node] if go_left else decision.right[node])
        total += float(decision.value[node])
    return total


def test_the_shipped_trees_are_small_and_load_once() -> None:
    assert DECISION_PATH.stat().st_size < 1024 * 1024
    decision = load_decision()
    assert decision is load_decision()
    assert len(decision.roots) > 10
    assert decision.priors.lemma["say"][0] > 100  # "say" is a cue hundreds of times in train
    assert decision.priors.rate(decision.priors.lemma, "say") > decision.priors.overall


def test_the_vectorised_walk_agrees_with_a_tree_by_tree_walk() -> None:
    decision = load_decision()
    rows = np.random.default_rng(0).normal(0.0, 3.0, size=(50, len(FEATURES)))
    rows[:, 0] = np.linspace(-3, 3, 50)
    walked = decision.log_odds(rows)
    expected = np.array([_walk(decision, row) for row in rows])
    assert np.allclose(walked, expected)
    assert walked.std() > 0  # the trees do not answer every row alike


_BOTH = pytest.mark.parametrize("decider", ["tagger", "context"])


def _decision(decider: str) -> CueDecision | None:
    return load_decision() if decider == "context" else None


@_BOTH
def test_a_reporting_verb_that_opens_an_attribution_is_a_cue(decider: str) -> None:
    decision = _decision(decider)
    assert "said" in _cues("He said he would resign before the end of the year.", decision)
    assert "told" in _cues(
        "The minister told reporters that the talks had failed on Thursday.", decision
    )


@pytest.mark.parametrize(
    "decider",
    [
        "tagger",
        pytest.param(
            "context",
            marks=pytest.mark.xfail(
                strict=True,
                reason="a known miss: the trees score 'said' as a modifier at log-odds -0.49, "
                "just over the cut -0.50 chosen on dev (the linear tagger: -1.68)",
            ),
        ),
    ],
)
def test_said_as_an_adjective_is_no_cue(decider: str) -> None:
    assert "said" not in _cues(
        "The said document was filed with the court on Monday by the company.", _decision(decider)
    )


@pytest.mark.parametrize(
    "decider",
    [
        "tagger",
        pytest.param(
            "context",
            marks=pytest.mark.xfail(
                strict=True,
                reason="a known miss: the parse makes 'All' the subject of 'told' and the trees "
                "(log-odds +0.26 against the cut -0.50) take it for '…, he told' (the linear "
                "tagger scores it -0.59, just under its -0.50)",
            ),
        ),
    ],
)
def test_all_told_is_no_cue(decider: str) -> None:
    assert "told" not in _cues(
        "All told, the storm destroyed more than 300 homes along the coast.", _decision(decider)
    )


def test_the_context_decision_is_the_default_of_the_extract_stage() -> None:
    """Chosen on PolNeAR dev's validation half and confirmed on its held-out half
    (benchmarks/results/attribution.md): the extract stage decides cues with the trees unless
    ``extract.cue_decision = "tagger"`` says otherwise."""
    assert load_settings().extract.cue_decision == "context"
    assert load_settings(overrides=["extract.cue_decision=tagger"]).extract.cue_decision == (
        "tagger"
    )


def test_the_stage_finds_the_same_attribution_either_way_on_a_plain_report() -> None:
    """A plain '"…," she said' report is found by the default stage and by the tagger alike."""
    text = '"We will not sign this agreement," the minister said on Tuesday in Brussels.'
    for decision in (load_decision(), None):
        assert _cues(text, decision) == ["said"]
