"""Fit the vector same-fact decision (``align.decision = "vectors"``) and write its weights.

The decision is a logistic regression over what two units' sentence vectors and words share: the
containment features of :data:`newsfuse.stages.align.same_fact.CONTAINMENT` (TF-IDF cosine,
rarity-weighted coverage both ways) and, from the bundled all-MiniLM-L6-v2's unit vectors ``u``
and ``v``, their element-wise product, their element-wise absolute difference and their cosine.
Why this shape: a cosine weighs every one of the 384 dimensions alike, but only some of them
carry "what happened" as opposed to "what the story is about" — two sentences of one story share
its topic whether or not they state the same fact.  A weight per dimension of ``u * v`` and
``|u - v|`` (Conneau et al.'s InferSent features, a diagonal bilinear similarity) learns which
ones do, from our labelled pairs, at the price of a dot product per pair; the vectors themselves
are the ones the sentence encoder computes once per unit, so a story costs one encoder pass over
its sentences (linear) and a fixed-size product per candidate pair.

Training rows: every labelled cross-outlet sentence pair of the parts ``fit`` .. ``fit5`` of
``benchmarks/data/roundup_fact_pairs.jsonl`` (656 AllSides three-outlet roundups, 11,154 pairs),
rarity over each story's labelled sentences, as a run computes it over a story's units.  Also
tried: ECB+'s fit topics as a second source, each source weighing the same (as the containment
decision is fitted); it lowered the validation pair ROC AUC (0.865 / 0.863 against 0.875 / 0.865
on roundups A / A2), because ECB+'s "same" is "mentions the same event", so it is not used.  Also
tried: LoRA-tuning the encoder itself as a bi-encoder on the same pairs (two epochs, learning rate
5e-4): validation AUC fell to 0.74 / 0.79, so the vectors stay the bundled model's.

Chosen on validation: the regularisation ``C`` by the pair ROC AUC on roundups A and A2 pooled
(the validation parts; nothing reads the test roundups here).  ``benchmarks/facts.py`` then chooses
the grouping threshold on roundups A and reports the test roundups.  Printed beside the fitted
model, on both validation parts: the containment decision, the TF-IDF and MiniLM cosines.

Writes ``src/newsfuse/stages/align/fact_vectors.npz`` (``--out``): the coefficients in the order of
:data:`newsfuse.stages.align.same_fact.VECTOR_FEATURES` and the intercept, shifted so that the
decision shares ``align.threshold``'s default (``--chosen``, the threshold ``benchmarks/facts.py``
chose for it on validation before any shift).

    python benchmarks/fit_fact_vectors.py [--chosen 0.40] [--out PATH]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import facts
from newsfuse.config import DEFAULT_THRESHOLD
from newsfuse.stages.align.embeddings import SentenceEncoder
from newsfuse.stages.align.same_fact import VECTORS_PATH, vector_features

FIT_PARTS = ("fit", "fit2", "fit3", "fit4", "fit5")
VALIDATION_PARTS = ("validation", "validation2")
GRID = (0.1, 0.3, 1.0, 3.0)

Floats = npt.NDArray[np.float64]


def part_rows(part: str, encoder: SentenceEncoder) -> tuple[Floats, Floats, Floats]:
    """Feature rows, labels and the containment decision's scores of one part's labelled pairs."""
    return facts.labelled_rows(part, encoder, vector_features)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chosen", type=float, default=None)
    parser.add_argument("--out", type=Path, default=VECTORS_PATH)
    args = parser.parse_args(argv)
    encoder = SentenceEncoder()
    fit = [part_rows(part, encoder) for part in FIT_PARTS]
    x = np.vstack([f[0] for f in fit])
    y = np.concatenate([f[1] for f in fit])
    held = {part: part_rows(part, encoder) for part in VALIDATION_PARTS}
    print(f"fit rows: {len(y)} ({int(y.sum())} same) from parts {', '.join(FIT_PARTS)}")

    pooled_x = np.vstack([held[p][0] for p in VALIDATION_PARTS])
    pooled_y = np.concatenate([held[p][1] for p in VALIDATION_PARTS])
    best: tuple[float, float, LogisticRegression] | None = None
    for c in GRID:
        model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
        auc = float(roc_auc_score(pooled_y, model.decision_function(pooled_x)))
        print(f"C={c}: pooled validation pair ROC AUC {auc:.4f}")
        if best is None or auc > best[0]:
            best = (auc, c, model)
    assert best is not None
    _, chosen_c, model = best
    print(f"chosen C={chosen_c}")
    for part in VALIDATION_PARTS:
        features, labels, containment = held[part]

        def part_auc(scores: Floats, labels: Floats = labels) -> float:
            return float(roc_auc_score(labels, scores))

        print(
            f"{part}: pair ROC AUC vectors {part_auc(model.decision_function(features)):.3f}, "
            f"containment {part_auc(containment):.3f}, TF-IDF cosine {part_auc(features[:, 0]):.3f}, "
            f"MiniLM cosine {part_auc(features[:, -1]):.3f} ({len(labels)} pairs)"
        )
    intercept = float(model.intercept_[0])
    if args.chosen is not None:
        intercept += _logit(DEFAULT_THRESHOLD) - _logit(args.chosen)
        print(f"intercept shifted by logit({DEFAULT_THRESHOLD}) - logit({args.chosen})")
    np.savez_compressed(
        args.out,
        coefficients=model.coef_[0].astype(np.float64),
        intercept=np.array([intercept]),
    )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.1f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
