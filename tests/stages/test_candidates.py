"""Candidate claim pairs on a real story: the index finds the pairs worth scoring, never pairs inside
one article, and keeps their number linear in the claims."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsfuse.config import load_settings
from newsfuse.models import Report
from newsfuse.pipeline import run
from newsfuse.stages.align.candidates import PER_CLAIM, candidate_pairs
from newsfuse.stages.align.claim_features import prepare_claims


@pytest.fixture(scope="module")
def example(examples_dir: Path) -> Report:
    return run([str(examples_dir)], load_settings())


def _claims(report: Report) -> tuple[list[str], np.ndarray]:
    texts, articles = [], []
    for number, article in enumerate(report.articles):
        for claim in article.claims:
            texts.append(claim.text)
            articles.append(number)
    return texts, np.array(articles, dtype=np.intp)


def test_candidates_hold_every_close_pair_of_different_articles(example: Report) -> None:
    texts, article_of = _claims(example)
    claims = prepare_claims(texts)
    left, right = candidate_pairs(claims, article_of)
    found = set(zip(left.tolist(), right.tolist(), strict=True))
    assert all(i < j and article_of[i] != article_of[j] for i, j in found)
    assert len(found) <= len(texts) * PER_CLAIM
    cosine = (claims.tfidf @ claims.tfidf.T).toarray()
    close = {
        (i, j)
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if article_of[i] != article_of[j] and cosine[i, j] >= 0.5
    }
    assert close, "the example has restatements across outlets"
    assert close <= found


def test_a_lone_claim_has_no_candidates() -> None:
    claims = prepare_claims(["Dock workers walked off the job on Monday in a dispute over pay."])
    left, right = candidate_pairs(claims, np.zeros(1, dtype=np.intp))
    assert len(left) == len(right) == 0


def test_near_copies_and_one_long_article_keep_candidates_linear(example: Report) -> None:
    """Memory used to grow with the square of the claims (a feature dict per claim pair, pairs
    inside one article included): 50 near-copies of one 3.8 KB article took 3.4 GB, and one
    25,000-word article did not finish.  The index keeps at most PER_CLAIM pairs per claim and
    none inside one article, however alike the claims are."""
    base = [claim.text for claim in example.articles[0].claims]
    texts = [f"{text} (edition {copy})" for copy in range(50) for text in base]
    article_of = np.repeat(np.arange(50, dtype=np.intp), len(base))
    left, right = candidate_pairs(prepare_claims(texts), article_of)
    assert len(left) <= len(texts) * PER_CLAIM
    assert not np.any(article_of[left] == article_of[right])
    one_article = np.zeros(len(texts), dtype=np.intp)  # the same claims as one very long article
    left, right = candidate_pairs(prepare_claims(texts), one_article)
    assert len(left) == 0
