"""Refit the story tracker's merge models on ECB+ fit topics and roundups ``train``; rewrite their weights.

Two models, one file (``src/newsfuse/stages/cluster_merge_weights.py``); ``--model`` says which
one is refitted, and the other's weights are kept as they are:

* ``graph_learned`` (the default here): the **graph merge model** of ``merge_linkage =
  "graph_learned"`` (:func:`newsfuse.stages.cluster_merging.graph_merge_features`).  How the
  examples are made: the real tracker runs over shuffled pools (the roundups ``train`` chunks and
  the ECB+ ``FIT_TOPICS`` pooled, as ``benchmarks/fit_cluster_scorer.py`` makes them) at
  :data:`GRAPH_LINK_THRESHOLD` (nothing joined on arrival: every story is made by consolidation,
  the setting the graph linkage was chosen at), and then consolidates with a **teacher**: every
  story pair consolidation scores becomes one example (its features; label: the two stories'
  majority true stories are the same).  Round 1 merges exactly the true pairs (so the examples
  cover true partial stories of every size against each other); round 2 merges on the round-1
  model at 0.5, as the tracker will, so the examples also cover the impure stories its own
  mistakes make (the DAgger recipe: train on the states the learned policy visits).  The model is
  fitted on both rounds' examples.
* ``learned``: the merge model of ``merge_linkage = "learned"`` (mean member link probabilities;
  the earlier recipe: one pass at :data:`LINK_THRESHOLD`, every story paired with its candidate
  stories).

Each source (roundups ``train``, ECB+ fit topics) gets the same total sample weight.  The merge
threshold is not chosen here: ``benchmarks/clustering.py`` chooses it on the pooled validation sets.

    python benchmarks/fit_cluster_merger.py [--model graph_learned|learned] [--seeds 2] [--dry-run]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

from clustering import ecb_pool, load
from ecb import FIT_TOPICS
from fit_cluster_scorer import POOL_SIZES, Source, fit, pool
from newsfuse.models import Article
from newsfuse.stages import cluster_merge_weights
from newsfuse.stages.cluster import ClusterSettings, StoryTracker
from newsfuse.stages.cluster_merging import GRAPH_MERGE_FEATURES, MERGE_FEATURES
from newsfuse.stages.cluster_scoring import LinkModel

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "src" / "newsfuse" / "stages" / "cluster_merge_weights.py"
LINK_THRESHOLD = 0.7
"""The link threshold the one pass runs at while the ``learned`` model's pairs are made: a strict
join, since consolidation recovers the recall (a refit at 0.9 scored no better)."""
GRAPH_LINK_THRESHOLD = 1.0
"""The link threshold of the graph merge model's runs (see the module docstring)."""
POLICY_THRESHOLD = 0.5
"""Round 2 merges a pair when the round-1 model's probability reaches it."""

Pool = Sequence[tuple[Article, Hashable]]
Policy = Callable[[list[float], int], float]
"""(a pair's features, its label) → the score consolidation merges on in a teacher's run."""


def _majority(truth: Mapping[str, Hashable], article_ids: Sequence[str]) -> Hashable:
    """The true story most of a story's articles belong to (ties: the first to arrive)."""
    counts = Counter(truth[a] for a in article_ids)
    best = max(counts.values())
    return next(truth[a] for a in article_ids if counts[truth[a]] == best)


class Teacher(StoryTracker):
    """A tracker whose graph consolidation records every scored story pair and merges on a policy."""

    def __init__(
        self, settings: ClusterSettings, truth: Mapping[str, Hashable], policy: Policy
    ) -> None:
        super().__init__(settings)
        self.truth = truth
        self.policy = policy
        self.rows: list[list[float]] = []
        self.labels: list[int] = []

    def _graph_model_linkage(self, story: Any, other: Any) -> float:
        values = self.graph_merge_features(story.id, other.id)
        label = int(
            _majority(self.truth, story.article_ids) == _majority(self.truth, other.article_ids)
        )
        self.rows.append(values)
        self.labels.append(label)
        return self.policy(values, label)


def graph_pairs(pool: Pool, seeds: int, policy: Policy) -> tuple[list[list[float]], list[int]]:
    """Graph merge features and labels of every pair a teacher's consolidation scored."""
    truth = {a.id: story for a, story in pool}
    settings = ClusterSettings(
        link_threshold=GRAPH_LINK_THRESHOLD,
        merge_threshold=POLICY_THRESHOLD,
        merge_linkage="graph_learned",
    )
    rows: list[list[float]] = []
    labels: list[int] = []
    for seed in range(seeds):
        order = [a for a, _ in pool]
        random.Random(3000 + seed).shuffle(order)
        teacher = Teacher(settings, truth, policy)
        for article in order:
            teacher.add(article)
        teacher.consolidate()
        rows += teacher.rows
        labels += teacher.labels
    return rows, labels


def pairs(pool: Pool, seeds: int) -> tuple[list[list[float]], list[int]]:
    """The ``learned`` model's merge features and labels of every (story, candidate story) pair
    over ``seeds`` orders."""
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
        majority = {sid: _majority(truth, ids) for sid, ids in stories.items()}
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


def sources(make: Callable[[Pool], tuple[list[list[float]], list[int]]]) -> list[Source]:
    """The examples ``make`` gives on the roundups ``train`` chunks and on the ECB+ fit topics."""
    pooled = load("train", sum(POOL_SIZES))
    rows: list[list[float]] = []
    labels: list[int] = []
    start = 0
    for size in POOL_SIZES:
        part = [(a, line) for a, line in pooled if start <= line < start + size]
        start += size
        more_rows, more_labels = make(part)
        rows += more_rows
        labels += more_labels
    return [("roundups train", rows, labels), ("ECB+ fit topics", *make(ecb_pool(FIT_TOPICS)))]


def fit_graph(seeds: int) -> tuple[list[float], float]:
    """The graph merge model, fitted on the teacher's two rounds (see the module docstring)."""

    def oracle(values: list[float], label: int) -> float:
        return float(label)

    first = sources(lambda part: graph_pairs(part, seeds, oracle))
    print("round 1 (oracle merges):", flush=True)
    weights, bias = fit(*pool(first, "story pairs"))
    model = LinkModel(GRAPH_MERGE_FEATURES, tuple(weights), bias)

    def learned(values: list[float], label: int) -> float:
        return model.probability(values)

    second = sources(lambda part: graph_pairs(part, seeds, learned))
    print("round 2 (the round-1 model merges):", flush=True)
    both = [
        (name, a_rows + b_rows, a_labels + b_labels)
        for (name, a_rows, a_labels), (_, b_rows, b_labels) in zip(first, second, strict=True)
    ]
    print("both rounds:", flush=True)
    return fit(*pool(both, "story pairs"))


def _tuple(weights: Sequence[float], names: Sequence[str]) -> str:
    body = "".join(f"    {w!r},  # {n}\n" for w, n in zip(weights, names, strict=True))
    return f"(\n{body})"


def render(learned: tuple[Sequence[float], float], graph: tuple[Sequence[float], float]) -> str:
    """The weights module's text."""
    return (
        '"""Fitted weights of the tracker\'s merge models (:mod:`newsfuse.stages.cluster_merging`).\n\n'
        "Generated by ``python benchmarks/fit_cluster_merger.py``; do not edit by hand.\n"
        f"Both fitted on ECB+ FIT_TOPICS and roundups train.  Merge model: {', '.join(MERGE_FEATURES)}.\n"
        f"Graph merge model: {', '.join(GRAPH_MERGE_FEATURES)}.\n"
        '"""\n\n'
        f"MERGE_WEIGHTS = {_tuple(learned[0], MERGE_FEATURES)}\n"
        f"MERGE_BIAS = {learned[1]!r}\n"
        f"GRAPH_MERGE_WEIGHTS = {_tuple(graph[0], GRAPH_MERGE_FEATURES)}\n"
        f"GRAPH_MERGE_BIAS = {graph[1]!r}\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=("graph_learned", "learned"), default="graph_learned")
    parser.add_argument("--seeds", type=int, default=2, help="shuffled orders per pool")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = parser.parse_args()
    learned: tuple[Sequence[float], float] = (
        cluster_merge_weights.MERGE_WEIGHTS,
        cluster_merge_weights.MERGE_BIAS,
    )
    graph: tuple[Sequence[float], float] = (
        cluster_merge_weights.GRAPH_MERGE_WEIGHTS,
        cluster_merge_weights.GRAPH_MERGE_BIAS,
    )
    if args.model == "learned":
        learned = fit(*pool(sources(lambda part: pairs(part, args.seeds)), "story pairs"))
    else:
        graph = fit_graph(args.seeds)
    text = render(learned, graph)
    print(text)
    if not args.dry_run:
        WEIGHTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
