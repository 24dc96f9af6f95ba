"""Refit the story tracker's merge model on ECB+ fit topics and roundups ``train``; rewrite its weights.

How the training pairs are made: the real tracker (one pass, at :data:`LINK_THRESHOLD`, no
consolidation) is run over shuffled pools (the roundups ``train`` chunks and the ECB+
``FIT_TOPICS`` pooled, as ``benchmarks/fit_cluster_scorer.py`` makes them), and then every story
is paired with the candidate stories consolidation would score for it.  Each pair becomes one
example: its merge features (:mod:`newsfuse.stages.cluster_merging`); label: the two stories'
majority true stories are the same.  Each source gets the same total sample weight.  The merge
threshold is not chosen here: ``benchmarks/clustering.py`` chooses it on the validation sets.
Writes ``src/newsfuse/stages/cluster_merge_weights.py``.

    python benchmarks/fit_cluster_merger.py [--seeds 2] [--dry-run]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from clustering import ecb_pool, load
from ecb import FIT_TOPICS
from fit_cluster_scorer import POOL_SIZES
from newsfuse.models import Article
from newsfuse.stages.cluster import ClusterSettings, StoryTracker
from newsfuse.stages.cluster_merging import MERGE_FEATURES

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "src" / "newsfuse" / "stages" / "cluster_merge_weights.py"
LINK_THRESHOLD = 0.7
"""The link threshold the one pass runs at while the pairs are made: a strict join, since
consolidation recovers the recall (a refit at 0.9 scored no better on the validation sets)."""
REGULARISATION = 10.0  # scikit-learn's C; features are all in [0, 1]


def pairs(
    pool: Sequence[tuple[Article, Hashable]], seeds: int
) -> tuple[list[list[float]], list[int]]:
    """Merge features and labels of every (story, candidate story) pair over ``seeds`` orders."""
    truth = {a.id: story for a, story in pool}
    rows: list[list[float]] = []
    labels: list[int] = []
    for seed in range(seeds):
        order = [a for a, _ in pool]
        random.Random(2000 + seed).shuffle(order)
        tracker = StoryTracker(ClusterSettings(link_threshold=LINK_THRESHOLD, merge_threshold=1.0))
        for article in order:
            tracker.add(article)
        stories = tracker.stories()
        majority = {
            sid: Counter(truth[a] for a in ids).most_common(1)[0][0] for sid, ids in stories.items()
        }
        directed: dict[str, dict[str, float]] = {}
        seen: set[tuple[str, str]] = set()
        for story_id in stories:
            for other_id in tracker.merge_candidates(story_id):
                pair = (min(story_id, other_id), max(story_id, other_id))
                if pair in seen:
                    continue
                seen.add(pair)
                rows.append(tracker.merge_features(*pair, directed))
                labels.append(int(majority[pair[0]] == majority[pair[1]]))
    return rows, labels


def examples(seeds: int) -> tuple[list[list[float]], list[int], list[float]]:
    """Pairs of both sources, with sample weights that give each source the same total."""
    pooled = load("train", sum(POOL_SIZES))
    rows: list[list[float]] = []
    labels: list[int] = []
    start = 0
    for size in POOL_SIZES:
        part = [(a, line) for a, line in pooled if start <= line < start + size]
        start += size
        more_rows, more_labels = pairs(part, seeds)
        rows += more_rows
        labels += more_labels
    sources = [
        ("roundups train", rows, labels),
        ("ECB+ fit topics", *pairs(ecb_pool(FIT_TOPICS), seeds)),
    ]
    all_rows: list[list[float]] = []
    all_labels: list[int] = []
    weights: list[float] = []
    for name, found_rows, found_labels in sources:
        print(f"{name}: {len(found_rows)} story pairs, {sum(found_labels)} same story", flush=True)
        all_rows += found_rows
        all_labels += found_labels
        weights += [1.0 / len(found_rows)] * len(found_rows)
    scale = len(weights) / sum(weights)
    return all_rows, all_labels, [w * scale for w in weights]


def fit(
    rows: Sequence[Sequence[float]], labels: Sequence[int], weights: Sequence[float]
) -> tuple[list[float], float]:
    """Weighted logistic regression over the merge features."""
    x = np.array(rows)
    y = np.array(labels)
    model = LogisticRegression(C=REGULARISATION, max_iter=1000).fit(x, y, sample_weight=weights)
    auc = roc_auc_score(y, model.decision_function(x), sample_weight=weights)
    print(f"{x.shape[1]} features, {len(y)} pairs ({int(y.sum())} same story): train AUC {auc:.4f}")
    return [round(float(w), 4) for w in model.coef_[0]], round(float(model.intercept_[0]), 4)


def render(weights: Sequence[float], bias: float) -> str:
    """The weights module's text."""
    body = "".join(f"    {w!r},  # {n}\n" for w, n in zip(weights, MERGE_FEATURES, strict=True))
    return (
        '"""Fitted weights of the tracker\'s merge model (:mod:`newsfuse.stages.cluster_merging`).\n\n'
        "Generated by ``python benchmarks/fit_cluster_merger.py``; do not edit by hand.\n"
        f"Fitted on ECB+ FIT_TOPICS and roundups train: {', '.join(MERGE_FEATURES)}.\n"
        '"""\n\n'
        f"MERGE_WEIGHTS = (\n{body})\n"
        f"MERGE_BIAS = {bias!r}\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=2, help="shuffled orders per pool")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args()
    text = render(*fit(*examples(args.seeds)))
    print(text)
    if not args.dry_run:
        WEIGHTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
