"""Fit the same-fact decision on our labelled roundups and ECB+, and print the constants it ships.

The decision (:data:`newsfuse.stages.align.same_fact.CONTAINMENT` and, with sentence embeddings
on, :data:`~newsfuse.stages.align.same_fact.CONTAINMENT_EMBEDDING`) is a logistic regression over
a few pair features on their raw scale, so it ships as constants and needs no scikit-learn at run
time.  Training rows, from two sources so that neither's notion of "the same" is the whole story:

* the **fit** part of ``benchmarks/data/roundup_fact_pairs.jsonl`` (120 AllSides roundups, every
  cross-outlet sentence pair labelled by hand; the claim pair with the highest TF-IDF cosine stands
  for its sentence pair, rarity over the story's claims);
* the **ECB+ fit topics** (``ecb.seeded_split``, seed 13): sentences of different documents that
  share an event chain, rarity per topic.

Each source weighs the same in total (ECB+ has eight times more rows).  Nothing here reads the
validation or test roundups' labels: ``benchmarks/facts.py`` chooses the threshold on roundups A
and reports B and the seeds.  Printed: the constants and the pair-level ROC AUC on both roundup
parts beside the TF-IDF and MiniLM cosines, for a reader to check.

    python benchmarks/fit_fact_decision.py
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import facts
from fact_models import LabelledSet, _representatives, labelled_rows, training_sources
from newsfuse.stages.align.embeddings import SentenceEncoder
from newsfuse.stages.align.pairs import FEATURES

LEXICAL = ("tfidf", "coverage_idf_min", "coverage_idf_max")
WITH_EMBEDDING = (*LEXICAL, "embedding")
SHARED_THRESHOLD = 0.40
"""``align.threshold``'s default: what ``benchmarks/facts.py`` chose on the validation roundups for
the lexical decision.  For the embedding decision it chose 0.35 on the fitted scale; its intercept
ships shifted by logit(0.40) - logit(0.35) so that one default threshold serves both."""
CHOSEN = {"CONTAINMENT": 0.40, "CONTAINMENT_EMBEDDING": 0.35}


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def fit(
    names: Sequence[str], roundups: LabelledSet, ecb_x: np.ndarray, ecb_y: np.ndarray
) -> LogisticRegression:
    """A logistic regression on raw features, each source weighing the same in total."""
    columns = [FEATURES.index(n) for n in names]
    own = _representatives(roundups)[:, columns]
    x = np.vstack([own, ecb_x[:, columns]])
    y = np.concatenate([roundups.labels, ecb_y])
    weight = np.concatenate(
        [np.full(len(own), len(x) / (2 * len(own))), np.full(len(ecb_y), len(x) / (2 * len(ecb_y)))]
    )
    model = LogisticRegression(C=1.0, max_iter=5000)
    model.fit(x, y, sample_weight=weight)
    return model


def main() -> int:
    encoder = SentenceEncoder()
    roundups = labelled_rows(facts.load_roundup_stories("fit"), encoder)
    checks = {
        part: labelled_rows(facts.load_roundup_stories(part), encoder)
        for part in ("validation", "test")
    }
    ecb = next(s for s in training_sources(encoder) if s.name == "ECB+ fit topics")
    print(
        f"rows: roundups fit {len(roundups.labels)} ({int(roundups.labels.sum())} same), "
        f"ECB+ fit topics {len(ecb.y)} ({int(ecb.y.sum())} same)"
    )
    for name in ("tfidf", "embedding"):
        column = FEATURES.index(name)
        aucs = [
            roc_auc_score(d.labels, [rows[:, column].max() for rows in d.rows])
            for d in checks.values()
        ]
        print(f"baseline {name} cosine: pair AUC validation {aucs[0]:.3f}, test {aucs[1]:.3f}")
    for label, names in (("CONTAINMENT", LEXICAL), ("CONTAINMENT_EMBEDDING", WITH_EMBEDDING)):
        model = fit(names, roundups, ecb.x, ecb.y)
        columns = [FEATURES.index(n) for n in names]
        aucs = [
            roc_auc_score(
                d.labels, [model.predict_proba(rows[:, columns])[:, 1].max() for rows in d.rows]
            )
            for d in checks.values()
        ]
        coefficients = ", ".join(f"{c:.4f}" for c in model.coef_[0])
        shift = _logit(SHARED_THRESHOLD) - _logit(CHOSEN[label])
        print(
            f"{label}: features={names} intercept={model.intercept_[0]:.4f} "
            f"(shipped {model.intercept_[0] + shift:.4f}, shifted {shift:+.4f}) "
            f"coefficients=({coefficients}); pair AUC validation {aucs[0]:.3f}, test {aucs[1]:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
