"""The batch ceiling of the tracker's own features: every article pair scored, average linkage.

Why: a one-pass tracker decides each article once, against the stories that exist when it arrives,
and reads only a bounded set of candidates.  The best it could do *with the same features* is a
batch clustering that scores every pair with them and joins, closest first, by average linkage.
``benchmarks/clustering.py`` prints this beside the tracker, so "within 0.03 of the best batch
clustering of the same features" is checked with both figures.

Two matrices, both from a tracker that has counted every article (the same IDF, prior included):

* ``link``: the learned link probability of article *i* against the one-article story *j*, every
  other article a competing candidate (so ``member_margin`` means what it means in the tracker),
  averaged with *j* against *i*;
* ``member``: the IDF-weighted cosine of the two articles' kept member sketches (what
  ``consolidate`` averages).

All pairs: O(n²) link features, for a benchmark of a few hundred articles only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from newsfuse.models import Article
from newsfuse.stages.cluster import (
    _GRAPH_EDGES,
    _GRAPH_FLOOR,
    ClusterSettings,
    StoryMerge,
    StoryTracker,
    article_features,
)
from newsfuse.stages.cluster_scoring import PAIR_FEATURES, Link

_MEMBER = PAIR_FEATURES.index("member")


class _Singletons(StoryTracker):
    """A tracker in which every article stays its own story (it joins nothing on arrival)."""

    def _pick(self, links: Sequence[Link]) -> str | None:
        return None


def similarity_matrices(
    articles: Sequence[Article], settings: ClusterSettings
) -> tuple[np.ndarray, np.ndarray]:
    """(link probability, member cosine) of every article pair, symmetric, diagonal 1."""
    n = len(articles)
    every = replace(settings, rescore=max(n, 1), max_candidates=max(n, 1))
    tracker = _Singletons(every)
    features = [article_features(a, settings) for a in articles]
    story_ids = [tracker.add_features(f) for f in features]
    index = {story_id: i for i, story_id in enumerate(story_ids)}
    link = np.eye(n)
    member = np.eye(n)
    for i, found in enumerate(features):
        weighted = tracker._features(found.terms, list(found.entities))
        probe = tracker._probe(weighted, found)
        others = [s for s in story_ids if s != story_ids[i]]
        for each in tracker._links(others, weighted, probe, None, None):
            j = index[each.story_id]
            link[i, j] = each.probability()
            member[i, j] = each.values[_MEMBER]
    return (link + link.T) / 2, (member + member.T) / 2


def average_linkage(similarity: np.ndarray, threshold: float) -> list[int]:
    """Average-linkage clusters joined while their mean similarity is at least ``threshold``."""
    if len(similarity) < 2:
        return [0] * len(similarity)
    distances = np.clip(1.0 - similarity, 0.0, 1.0)
    np.fill_diagonal(distances, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - threshold,
    ).fit_predict(distances)
    return [int(label) for label in labels]


def merge_model_batch(
    articles: Sequence[Article], settings: ClusterSettings, lowest: float
) -> tuple[list[str], list[StoryMerge]]:
    """The tracker's own consolidation run as a batch clustering: every article its own story,
    each linked to its ``_GRAPH_EDGES`` most probable other articles of the whole set (the
    unranked link model the arrival graph keeps, scored against every article, not only those
    that came before it), then the graph merge model's closest-pair-first merges down to
    ``lowest``, every graph neighbour scored (``merge_neighbours`` 0); the one-article story ids
    and the merges in the order they were made.

    Why: the same features and the same decision as the default tracker (arrival links, the
    graph merge model), with none of its one-pass limits: no arrival order, no candidate search,
    no neighbour cap.  Closest pair first, the merges made down to a threshold *t* are the
    prefix of the merges down to any lower one that stops at the first merge below *t* (a pair
    pops only after every pair above it), so :func:`replay` gives every threshold from one run.
    Cost: n² link features and O(n · neighbours) merge scorings, for a few hundred articles."""
    n = len(articles)
    every = replace(
        settings,
        rescore=max(n, 1),
        max_candidates=max(n, 1),
        link_threshold=1.0,
        merge_threshold=lowest,
        merge_linkage="graph_learned",
        merge_neighbours=0,
        merge_relink=False,
        members_by="time",
    )
    tracker = _Singletons(every)
    features = [article_features(a, settings) for a in articles]
    story_ids = [tracker.add_features(f) for f in features]
    for story in tracker._stories.values():  # the arrival links depend on the order: rebuilt
        story.graph.clear()
        story.links.clear()
    tracker._graph_in.clear()
    for i, found in enumerate(features):
        weighted = tracker._features(found.terms, list(found.entities))
        probe = tracker._probe(weighted, found)
        others = [s for s in story_ids if s != story_ids[i]]
        links = tracker._links(others, weighted, probe, None, None)
        ranked = sorted(
            ((link.unranked_probability(), link.story_id) for link in links),
            key=lambda item: (-item[0], item[1]),
        )
        kept = [(p, s) for p, s in ranked if p >= _GRAPH_FLOOR][:_GRAPH_EDGES]
        tracker._add_graph(
            tracker._stories[story_ids[i]],
            {s: p for p, s in kept},
            {s: [1.0, p, p] for p, s in kept},
        )
    return story_ids, tracker.consolidate()


def replay(story_ids: Sequence[str], merges: Sequence[StoryMerge], threshold: float) -> list[int]:
    """Cluster labels (one per story id) after the merges of :func:`merge_model_batch` made at
    or above ``threshold`` (the run stops at the first one below it)."""
    parent = {s: s for s in story_ids}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for merge in merges:
        if merge.similarity < threshold:
            break
        parent[root(merge.absorbed)] = root(merge.into)
    roots: dict[str, int] = {}
    return [roots.setdefault(root(s), len(roots)) for s in story_ids]
