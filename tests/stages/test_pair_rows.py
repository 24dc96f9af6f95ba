"""The batched pair features and the grouping that scores joins ahead, on the example story's claims.

Scoring many pairs at once (:mod:`newsfuse.stages.align.pair_rows`) must give each pair the values
it gets alone, and scoring the joins' pairs ahead (:func:`group_claims`) must leave the facts, and
what the grouping reports as scored, as they are when every pair is scored on demand.
"""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.models import Article
from newsfuse.stages.align import facts as facts_module
from newsfuse.stages.align.embeddings import Encoded
from newsfuse.stages.align.facts import MIN_CLAIM_WORDS, group_claims
from newsfuse.stages.align.pairs import FEATURES, Hints, StatementContext, _soft_alignment
from newsfuse.stages.align.same_fact import FactMatcher

SAME = "About 4,200 dockworkers walked out on Monday, the union said."


@pytest.fixture(scope="module")
def claims(example_articles: list[Article]) -> tuple[list[str], np.ndarray]:
    """The example story's claims and the article each comes from."""
    texts: list[str] = []
    article_of: list[int] = []
    for number, article in enumerate(example_articles):
        for claim in article.claims:
            if len(claim.text.split()) >= MIN_CLAIM_WORDS:
                texts.append(claim.text)
                article_of.append(number)
    return texts, np.array(article_of, dtype=np.intp)


def test_a_pair_scores_the_same_in_a_batch_and_alone(
    claims: tuple[list[str], np.ndarray],
) -> None:
    texts, _ = claims
    context = StatementContext(texts)
    rng = np.random.default_rng(3)
    picked = rng.choice(len(texts), size=(200, 2))
    pairs = [(texts[i], texts[j]) for i, j in picked.tolist()]
    batch = context.feature_matrix(pairs)
    for k in range(0, 200, 20):
        alone = StatementContext(texts).features(*pairs[k]).vector()  # rows of its two alone
        assert batch[k] == pytest.approx(alone, abs=1e-12)


def test_identical_claims_overlap_fully_and_differing_figures_conflict() -> None:
    other = "About 3,900 dockworkers walked out on Tuesday, the union said."
    unrelated = "The harbour authority's chairman resigned after the vote."
    context = StatementContext([SAME, other, unrelated])
    same, changed, apart = context.feature_matrix([(SAME, SAME), (SAME, other), (SAME, unrelated)])
    column = {name: i for i, name in enumerate(FEATURES)}
    for name in ("tfidf", "char4_dice", "coverage_idf_min", "lcs_longer", "ngram4_min"):
        assert same[column[name]] == pytest.approx(1.0)
    assert same[column["numbers_conflict"]] == 0.0
    assert changed[column["numbers_conflict"]] == 1.0
    assert 0.3 < changed[column["coverage_min"]] < 1.0
    assert apart[column["coverage_idf_max"]] < 0.2
    assert apart[column["numbers_one_sided"]] == 1.0


def test_hints_replace_the_guessed_figures_of_one_pair() -> None:
    other = "Some 4,200 dock workers stopped work on Monday, according to the union."
    context = StatementContext([SAME, other])
    column = FEATURES.index("numbers_conflict")
    (plain,) = context.feature_matrix([(SAME, other)])
    (hinted,) = context.feature_matrix(
        [(SAME, other)], [(Hints(numbers=frozenset({"4200"})), Hints(numbers=frozenset({"5"})))]
    )
    assert plain[column] == 0.0
    assert hinted[column] == 1.0


def test_scoring_joins_ahead_changes_no_fact_and_no_reported_score(
    claims: tuple[list[str], np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> None:
    texts, article_of = claims
    matcher = FactMatcher()
    ahead_groups, ahead_known = group_claims(matcher.prepare(texts), article_of, matcher)
    monkeypatch.setattr(facts_module, "_JOINS_AHEAD", 1)
    one_groups, one_known = group_claims(matcher.prepare(texts), article_of, matcher)
    assert ahead_groups == one_groups
    ahead_items, one_items = ahead_known.items(), one_known.items()
    assert [pair for pair, _ in ahead_items] == [pair for pair, _ in one_items]
    assert [s for _, s in ahead_items] == pytest.approx([s for _, s in one_items], abs=1e-12)
    assert any(len(group) > 2 for group in ahead_groups)  # joins that needed pairs scored ahead


def test_pairs_scored_ahead_count_as_scored_only_once_asked_for(
    claims: tuple[list[str], np.ndarray],
) -> None:
    texts, _ = claims
    matcher = FactMatcher()
    known = facts_module._PairScores(matcher.prepare(texts), matcher)
    known.prefetch([(0, 5), (1, 6)])
    assert known.items() == []
    alone = known.mean([(5, 0)])
    assert [pair for pair, _ in known.items()] == [(0, 5)]
    fresh = facts_module._PairScores(matcher.prepare(texts), matcher)
    assert fresh.mean([(0, 5)]) == pytest.approx(alone, abs=1e-12)


def test_word_piece_matching_does_not_depend_on_the_batch() -> None:
    """The word-piece features of a pair are the same whether its sentence is matched against
    one partner or many at once (made-up unit vectors; no model needed)."""
    rng = np.random.default_rng(11)

    def encoded(pieces: int) -> Encoded:
        tokens = rng.normal(size=(pieces, 16)).astype(np.float32)
        tokens /= np.linalg.norm(tokens, axis=1, keepdims=True)
        sentence = tokens.sum(axis=0)  # (not a model's pooling: only the pieces are compared)
        return Encoded(sentence=sentence, tokens=tokens, pieces=tuple(range(pieces)))

    sentences = [encoded(n) for n in (7, 0, 12, 3, 30, 9)]
    weights = [rng.uniform(1.0, 4.0, size=len(e.tokens)) for e in sentences]
    left = np.zeros(5, dtype=np.intp)
    right = np.arange(1, 6, dtype=np.intp)
    together = _soft_alignment(sentences, weights, left, right)
    for k in range(5):
        alone = _soft_alignment(sentences, weights, left[k : k + 1], right[k : k + 1])
        assert together[k] == pytest.approx(alone[0], rel=1e-12, abs=1e-15)
    assert not together[0].any()  # a sentence with no word pieces matches nothing
    assert together[1:, 0].min() > 0
