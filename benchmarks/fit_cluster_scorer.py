"""Refit the story tracker's link model on the roundups ``train`` split and rewrite its weights.

How the training pairs are made: the real tracker is run over shuffled ``train`` chunks (as many
stories as ``val``, so the pool, the IDF and the candidates look like the benchmark's), but with a
teacher: every candidate it scores becomes one example (its link features; label: is it the
article's true story), and the article then joins its true story whatever the scores said.  So
the examples are exactly the (article, partial story) pairs the tracker meets, drawn from the
bounded candidate search, with stories of one, two, … members.

The words-only model is fitted on every chunk; the embedding model (``--vectors``: an ``.npz`` of
MiniLM rows written by ``benchmarks/clustering.py --vector-cache``) on the chunks whose articles have
vectors.  Writes ``src/newsfuse/stages/cluster_weights.py``.

    python benchmarks/fit_cluster_scorer.py [--chunks 7] [--seeds 2] [--vectors PATH] [--dry-run]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from clustering import VECTORS, load, load_vectors
from newsfuse.models import Article
from newsfuse.stages.cluster import ClusterSettings, StoryTracker
from newsfuse.stages.cluster_scoring import EMBEDDING_FEATURES, FEATURES, Link

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "src" / "newsfuse" / "stages" / "cluster_weights.py"
STORIES_PER_CHUNK = 307  # as many as val: the same number of distractors
REGULARISATION = 10.0  # scikit-learn's C; features are all in [0, 1]


class Teacher(StoryTracker):
    """A tracker that records every scored candidate with its true label, then joins the truth."""

    def __init__(self, settings: ClusterSettings, lines: Mapping[str, int]) -> None:
        super().__init__(settings)
        self.lines = lines  # article id → true line
        self.story_line: dict[str, int] = {}
        self.line_story: dict[int, str] = {}
        self.line = -1
        self.rows: list[list[float]] = []
        self.labels: list[int] = []

    def add(self, article: Article, vector: Sequence[float] | None = None) -> str:
        self.line = self.lines[article.id]
        story_id = super().add(article, vector)
        self.story_line[story_id] = self.line
        self.line_story[self.line] = story_id
        return story_id

    def _pick(self, links: Sequence[Link]) -> str | None:
        for link in links:
            self.rows.append(link.row())
            self.labels.append(int(self.story_line[link.story_id] == self.line))
        return self.line_story.get(self.line)


def examples(chunks: int, seeds: int) -> tuple[list[list[float]], list[int]]:
    """Link features and labels of every candidate the teacher scored."""
    pooled = load("train", STORIES_PER_CHUNK * chunks)
    rows: list[list[float]] = []
    labels: list[int] = []
    settings = ClusterSettings(embedding_weight=0.5 if VECTORS else 0.0)
    for chunk in range(chunks):
        part = [p for p in pooled if p[1] // STORIES_PER_CHUNK == chunk]
        lines = {a.id: line for a, line in part}
        for seed in range(seeds):
            order = [a for a, _ in part]
            random.Random(1000 + seed).shuffle(order)
            embedded = all(a.id in VECTORS for a in order)
            teacher = Teacher(settings if embedded else ClusterSettings(), lines)
            for article in order:
                teacher.add(article, VECTORS.get(article.id) if embedded else None)
            rows.extend(teacher.rows)
            labels.extend(teacher.labels)
            print(f"chunk {chunk} seed {seed}: {len(teacher.rows)} candidates", flush=True)
    return rows, labels


def fit(
    rows: Sequence[Sequence[float]], labels: Sequence[int], width: int
) -> tuple[list[float], float]:
    """Logistic regression on the first ``width`` features of the rows that have them."""
    keep = [i for i, row in enumerate(rows) if len(row) >= width]
    x = np.array([rows[i][:width] for i in keep])
    y = np.array([labels[i] for i in keep])
    model = LogisticRegression(C=REGULARISATION, max_iter=1000).fit(x, y)
    auc = roc_auc_score(y, model.decision_function(x))
    print(f"{width} features, {len(y)} pairs ({int(y.sum())} same story): train AUC {auc:.4f}")
    return [round(float(w), 4) for w in model.coef_[0]], round(float(model.intercept_[0]), 4)


def render(words: tuple[list[float], float], embedding: tuple[list[float], float] | None) -> str:
    """The weights module's text (the embedding model is kept as is when not refitted)."""
    if embedding is None:
        from newsfuse.stages import cluster_weights

        embedding = (list(cluster_weights.EMBEDDING_WEIGHTS), cluster_weights.EMBEDDING_BIAS)
    return (
        '"""Fitted weights of the tracker\'s link model (:mod:`newsfuse.stages.cluster_scoring`).\n\n'
        "Generated by ``python benchmarks/fit_cluster_scorer.py``; do not edit by hand.\n"
        f"Words-only features: {', '.join(FEATURES)}; the embedding model adds "
        f"{', '.join(EMBEDDING_FEATURES[len(FEATURES) :])}.\n"
        '"""\n\n'
        f"WORDS_WEIGHTS = {_tuple(words[0], FEATURES)}\n"
        f"WORDS_BIAS = {words[1]!r}\n"
        f"EMBEDDING_WEIGHTS = {_tuple(embedding[0], EMBEDDING_FEATURES)}\n"
        f"EMBEDDING_BIAS = {embedding[1]!r}\n"
    )


def _tuple(weights: Sequence[float], names: Sequence[str]) -> str:
    """A tuple literal one weight a line, each named (the layout ``ruff format`` keeps)."""
    body = "".join(f"    {w!r},  # {n}\n" for w, n in zip(weights, names, strict=True))
    return f"(\n{body})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=7, help="train chunks of 307 stories")
    parser.add_argument("--seeds", type=int, default=2, help="shuffled orders per chunk")
    parser.add_argument("--vectors", type=Path, default=None, help="MiniLM rows (.npz)")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args()
    if args.vectors is not None:
        load_vectors(args.vectors)
    rows, labels = examples(args.chunks, args.seeds)
    words = fit(rows, labels, len(FEATURES))
    embedding = None
    if any(len(row) == len(EMBEDDING_FEATURES) for row in rows):
        embedding = fit(rows, labels, len(EMBEDDING_FEATURES))
    text = render(words, embedding)
    print(text)
    if not args.dry_run:
        WEIGHTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
