"""Fit the lexical same-fact decision (``align.decision = "lexical"``) and print its constants.

The decision is a logistic regression over every lexical pair feature of
:mod:`newsfuse.stages.align.pairs` (:data:`~newsfuse.stages.align.pairs.LEXICAL_FEATURES`: word,
n-gram and character overlaps both ways, rarity-weighted coverage, longest common subsequence, edit
similarity, figures that differ, named entities, negation, lengths), fitted on whole sentences of
our labelled roundups.  Why: the MSRP-fitted statement model reads the same features but learned
MSRP's "same" (a full paraphrase), and the containment decision reads only three of them; a report
that corroborates another usually adds or leaves out detail, and which overlaps mean "the same
fact" then is best learned from labelled cross-outlet pairs.  It needs no model beyond spaCy's and
ships as constants (no scikit-learn at run time).

Training rows: every labelled cross-outlet sentence pair of the parts ``fit`` .. ``fit5`` of
``benchmarks/data/roundup_fact_pairs.jsonl`` (656 AllSides three-outlet roundups), rarity over
each story's labelled sentences, as a run computes it over a story's units; optionally (a second
source, each weighing the same in total) the sentence pairs of the ECB+ fit topics that share an
event chain, as :mod:`fact_models` builds them.

Chosen on validation: the source mix and the regularisation ``C``, by the pair ROC AUC on roundups
A and A2 pooled (the validation parts; nothing reads the test roundups here).  The features are
standardised for the fit and the weights folded back to raw values, so a run scales nothing.
``benchmarks/facts.py`` then chooses the grouping threshold on validation and reports the test
roundups.

``--embeddings`` fits :data:`~newsfuse.stages.align.same_fact.LEXICAL_EMBEDDING` instead, the
decision when ``align.embeddings`` is on: every feature, the MiniLM ones (sentence cosine, word-piece
alignment both ways) too.

    python benchmarks/fit_fact_lexical.py [--embeddings] [--chosen THRESHOLD]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import facts
from fact_models import training_sources
from newsfuse.config import DEFAULT_THRESHOLD
from newsfuse.stages.align.embeddings import SentenceEncoder
from newsfuse.stages.align.pairs import FEATURES, LEXICAL_FEATURES, StatementContext

FIT_PARTS = ("fit", "fit2", "fit3", "fit4", "fit5")
VALIDATION_PARTS = ("validation", "validation2")
GRID = (0.03, 0.1, 0.3, 1.0, 3.0)

Floats = npt.NDArray[np.float64]


def part_rows(
    part: str, names: Sequence[str], encoder: SentenceEncoder | None
) -> tuple[Floats, Floats, Floats]:
    """Feature rows (``names``), labels and containment scores of one part's labelled pairs."""
    columns = [FEATURES.index(n) for n in names]

    def named(context: StatementContext, pairs: list[tuple[str, str]]) -> Floats:
        return context.feature_matrix(pairs)[:, columns]

    return facts.labelled_rows(part, encoder, named)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def fit(
    sources: Sequence[tuple[Floats, Floats]], c: float
) -> tuple[LogisticRegression, Floats, Floats]:
    """A logistic regression on standardised features, each source weighing the same in total;
    with the mean and scale to fold its weights back to raw features."""
    x = np.vstack([s[0] for s in sources])
    y = np.concatenate([s[1] for s in sources])
    weight = np.concatenate(
        [np.full(len(s[1]), len(y) / (len(sources) * len(s[1]))) for s in sources]
    )
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0.0] = 1.0
    model = LogisticRegression(C=c, max_iter=10000).fit((x - mean) / scale, y, sample_weight=weight)
    return model, mean, scale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chosen", type=float, default=None)
    parser.add_argument(
        "--embeddings",
        action="store_true",
        help="every feature, MiniLM ones too: LEXICAL_EMBEDDING",
    )
    args = parser.parse_args(argv)
    names = FEATURES if args.embeddings else LEXICAL_FEATURES
    columns = [FEATURES.index(name) for name in names]
    encoder = SentenceEncoder() if args.embeddings else None
    roundups = [part_rows(part, names, encoder) for part in FIT_PARTS]
    own = (np.vstack([r[0] for r in roundups]), np.concatenate([r[1] for r in roundups]))
    ecb_source = next(s for s in training_sources(encoder) if s.name == "ECB+ fit topics")
    ecb = (np.asarray(ecb_source.x, dtype=np.float64)[:, columns], np.asarray(ecb_source.y, float))
    held = {part: part_rows(part, names, encoder) for part in VALIDATION_PARTS}
    pooled_x = np.vstack([held[p][0] for p in VALIDATION_PARTS])
    pooled_y = np.concatenate([held[p][1] for p in VALIDATION_PARTS])
    print(f"rows: roundups fit {len(own[1])} ({int(own[1].sum())} same), ECB+ {len(ecb[1])}")
    best: tuple[float, str, float, LogisticRegression, Floats, Floats] | None = None
    for mix, sources in (("roundups", [own]), ("roundups + ECB+", [own, ecb])):
        for c in GRID:
            model, mean, scale = fit(sources, c)
            auc = float(roc_auc_score(pooled_y, model.decision_function((pooled_x - mean) / scale)))
            print(f"{mix}, C={c}: pooled validation pair ROC AUC {auc:.4f}", flush=True)
            if best is None or auc > best[0] + 1e-4:
                best = (auc, mix, c, model, mean, scale)
    assert best is not None
    _, mix, c, model, mean, scale = best
    print(f"chosen: {mix}, C={c}")
    coefficients = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / scale))
    for part in VALIDATION_PARTS:
        x, labels, containment = held[part]
        lexical = x @ coefficients + intercept
        tfidf = x[:, names.index("tfidf")]
        print(
            f"{part}: pair ROC AUC lexical {roc_auc_score(labels, lexical):.3f}, containment "
            f"{roc_auc_score(labels, containment):.3f}, TF-IDF cosine "
            f"{roc_auc_score(labels, tfidf):.3f} ({len(labels)} pairs)"
        )
    if args.chosen is not None:
        intercept += _logit(DEFAULT_THRESHOLD) - _logit(args.chosen)
        print(f"intercept shifted by logit({DEFAULT_THRESHOLD}) - logit({args.chosen})")
    print(f"intercept={intercept:.4f},")
    print("coefficients=(")
    for name, value in zip(names, coefficients, strict=True):
        print(f"    {value:.4f},  # {name}")
    print("),")
    return 0


if __name__ == "__main__":
    sys.exit(main())
