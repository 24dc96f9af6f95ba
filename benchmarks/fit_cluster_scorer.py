"""Refit the story tracker's link model on ECB+ fit topics and roundups ``train``; rewrite its weights.

How the training pairs are made: the real tracker is run over shuffled pools (roundups ``train``
chunks with as many stories as roundups validation, so the pool, the IDF and the candidates look
like the benchmark's; and the ECB+ ``FIT_TOPICS`` pooled, where every topic holds two similar but
different events), but with a teacher: every candidate it scores becomes one example (its link
features; label: is it the article's true story), and the article then joins its true story
whatever the scores said.  So the examples are exactly the (article, partial story) pairs the
tracker meets, drawn from the bounded candidate search, with stories of one, two, … members.  Each
source gets the same total sample weight.  The threshold is not chosen here: ``benchmarks/
clustering.py`` chooses it on held-out choice sets.  Writes ``src/newsfuse/stages/cluster_weights.py``.

The same examples fit a second model without the margin feature (:data:`PAIR_FEATURES`): the
*unranked* link model the arrival-link graph reads (``merge_linkage = "graph"``), whose links must
not depend on which other candidates an article met (see ``Link.unranked_probability``).

    python benchmarks/fit_cluster_scorer.py [--chunks 8] [--seeds 2] [--dry-run]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from clustering import ecb_pool, load
from ecb import FIT_TOPICS
from newsfuse.models import Article
from newsfuse.stages.cluster import ClusterSettings, StoryTracker
from newsfuse.stages.cluster_scoring import EMBEDDING_FEATURES, FEATURES, PAIR_FEATURES, Link

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "src" / "newsfuse" / "stages" / "cluster_weights.py"
POOL_SIZES = (154, 500, 154, 500, 154)
"""Stories per roundups ``train`` chunk, in line order: as many as roundups validation, and as many
as a bigger pool (more distractors of the same topic: the model must not learn one density)."""
REGULARISATION = 10.0  # scikit-learn's C; features are all in [0, 1]
Source = tuple[str, list[list[float]], list[int]]
"""A training source: its name, feature rows and same-story labels."""


class Teacher(StoryTracker):
    """A tracker that records every scored candidate with its true label, then joins the truth."""

    def __init__(self, settings: ClusterSettings, truth: Mapping[str, Hashable]) -> None:
        super().__init__(settings)
        self.truth = truth  # article id → true story
        self.story_truth: dict[str, Hashable] = {}
        self.truth_story: dict[Hashable, str] = {}
        self.current: Hashable = None
        self.rows: list[list[float]] = []
        self.labels: list[int] = []

    def add(self, article: Article, vector: Sequence[float] | None = None) -> str:
        self.current = self.truth[article.id]
        story_id = super().add(article, vector)
        self.story_truth[story_id] = self.current
        self.truth_story[self.current] = story_id
        return story_id

    def _pick(self, links: Sequence[Link]) -> str | None:
        for link in links:
            self.rows.append(link.row(FEATURES))
            self.labels.append(int(self.story_truth[link.story_id] == self.current))
        return self.truth_story.get(self.current)


def teach(
    pool: Sequence[tuple[Article, Hashable]], seeds: int
) -> tuple[list[list[float]], list[int]]:
    """Link features and labels of every candidate the teacher scored over ``seeds`` orders."""
    truth = {a.id: story for a, story in pool}
    rows: list[list[float]] = []
    labels: list[int] = []
    for seed in range(seeds):
        order = [a for a, _ in pool]
        random.Random(1000 + seed).shuffle(order)
        teacher = Teacher(ClusterSettings(scorer="learned"), truth)
        for article in order:
            teacher.add(article)
        rows.extend(teacher.rows)
        labels.extend(teacher.labels)
    return rows, labels


def examples(chunks: int, seeds: int) -> tuple[list[list[float]], list[int], list[float]]:
    """Training pairs of both sources, and sample weights that give each source the same total:
    ECB+ teaches "same topic, different event" in long documents, the roundups one story in three
    outlets' headlines and leads; neither should drown the other."""
    sources: list[Source] = []
    pooled = load("train", sum(POOL_SIZES[:chunks]))
    rows: list[list[float]] = []
    labels: list[int] = []
    start = 0
    for size in POOL_SIZES[:chunks]:
        part = [(a, line) for a, line in pooled if start <= line < start + size]
        start += size
        more_rows, more_labels = teach(part, seeds)
        rows += more_rows
        labels += more_labels
    sources.append(("roundups train", rows, labels))
    sources.append(("ECB+ fit topics", *teach(ecb_pool(FIT_TOPICS), seeds)))
    return pool(sources, "candidates")


def pool(sources: Sequence[Source], unit: str) -> tuple[list[list[float]], list[int], list[float]]:
    """The sources' rows and labels in one list, weighted so that each source has the same total
    (ECB+ gives many more rows than the roundups); ``unit`` names a row in the printed counts."""
    all_rows: list[list[float]] = []
    all_labels: list[int] = []
    weights: list[float] = []
    for name, found_rows, found_labels in sources:
        print(f"{name}: {len(found_rows)} {unit}, {sum(found_labels)} same story", flush=True)
        all_rows += found_rows
        all_labels += found_labels
        weights += [1.0 / len(found_rows)] * len(found_rows)
    scale = len(weights) / sum(weights)
    return all_rows, all_labels, [w * scale for w in weights]


def fit(
    rows: Sequence[Sequence[float]], labels: Sequence[int], weights: Sequence[float]
) -> tuple[list[float], float]:
    """Weighted logistic regression over the rows' features (the link or the merge model's)."""
    x = np.array(rows)
    y = np.array(labels)
    model = LogisticRegression(C=REGULARISATION, max_iter=1000).fit(x, y, sample_weight=weights)
    auc = roc_auc_score(y, model.decision_function(x), sample_weight=weights)
    print(f"{x.shape[1]} features, {len(y)} pairs ({int(y.sum())} same story): train AUC {auc:.4f}")
    return [round(float(w), 4) for w in model.coef_[0]], round(float(model.intercept_[0]), 4)


def render(words: tuple[list[float], float], unranked: tuple[list[float], float]) -> str:
    """The weights module's text (the embedding model is kept as it was fitted)."""
    from newsfuse.stages import cluster_weights

    embedding = (list(cluster_weights.EMBEDDING_WEIGHTS), cluster_weights.EMBEDDING_BIAS)
    return (
        '"""Fitted weights of the tracker\'s link model (:mod:`newsfuse.stages.cluster_scoring`).\n\n'
        "Generated by ``python benchmarks/fit_cluster_scorer.py``; do not edit by hand.\n"
        f"Words-only model, fitted on ECB+ FIT_TOPICS and roundups train: {', '.join(FEATURES)}.\n"
        "Unranked model (the arrival-link graph's), fitted on the same examples: "
        f"{', '.join(PAIR_FEATURES)}.\n"
        "Embedding model (fitted earlier on roundups train with MiniLM vectors, kept): "
        f"{', '.join(EMBEDDING_FEATURES)}.\n"
        '"""\n\n'
        f"WORDS_WEIGHTS = {_tuple(words[0], FEATURES)}\n"
        f"WORDS_BIAS = {words[1]!r}\n"
        f"UNRANKED_WEIGHTS = {_tuple(unranked[0], PAIR_FEATURES)}\n"
        f"UNRANKED_BIAS = {unranked[1]!r}\n"
        f"EMBEDDING_WEIGHTS = {_tuple(embedding[0], EMBEDDING_FEATURES)}\n"
        f"EMBEDDING_BIAS = {embedding[1]!r}\n"
    )


def _tuple(weights: Sequence[float], names: Sequence[str]) -> str:
    """A tuple literal one weight a line, each named (the layout ``ruff format`` keeps)."""
    body = "".join(f"    {w!r},  # {n}\n" for w, n in zip(weights, names, strict=True))
    return f"(\n{body})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--chunks", type=int, default=len(POOL_SIZES), help="train chunks (POOL_SIZES)"
    )
    parser.add_argument("--seeds", type=int, default=2, help="shuffled orders per chunk")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args()
    rows, labels, weights = examples(args.chunks, args.seeds)
    pair_rows = [row[: len(PAIR_FEATURES)] for row in rows]  # FEATURES = PAIR_FEATURES + margin
    text = render(fit(rows, labels, weights), fit(pair_rows, labels, weights))
    print(text)
    if not args.dry_run:
        WEIGHTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
