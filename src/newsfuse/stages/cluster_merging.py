"""Learned story-pair merge decision of :meth:`StoryTracker.consolidate`.

Why learned: consolidation is the batch step that joins two stories a one-pass tracker left apart
(two reports that came first and shared few words).  Its linkage was first the mean cosine of the
stories' kept members, then the mean link probability of each story's members to the other story
(:mod:`newsfuse.stages.cluster_scoring`, each member scored as an article would be).  The two fail
on different news: the link probability of a short title + lead is lower than that of a long
document for the same story, so one threshold merged too little of the one and too much of the
other.  A logistic regression over both, fitted on ECB+ fit topics and roundups ``train``
(``benchmarks/fit_cluster_merger.py`` rewrites :mod:`newsfuse.stages.cluster_merge_weights`),
weighs them against each other and against the stories' centroids.

Features of one story pair (all in [0, 1]; see :data:`MERGE_FEATURES`):

* ``link_mean``: the mean link probability of the two stories' kept members to the other story,
  the two directions averaged (a direction the candidate search did not find counts as absent);
* ``link_min``: the smaller of the two directions (0 when one is absent): both stories must
  recognise each other;
* ``member_mean`` / ``member_max``: the mean and the best IDF-weighted cosine between the kept
  members (average and single linkage of the words);
* ``centroid``: the IDF-weighted cosine of the two story centroids;
* ``entity``: the IDF-weighted cosine of their entity counts (0 when either names none).

Like the link model's, the story size is not a feature (the roundups' stories all have three).
"""

from __future__ import annotations

from functools import cache

from newsfuse.stages import cluster_merge_weights
from newsfuse.stages.cluster_scoring import LinkModel

__all__ = ["MERGE_FEATURES", "merge_model"]

MERGE_FEATURES = ("link_mean", "link_min", "member_mean", "member_max", "centroid", "entity")
"""Names of the features of one story pair, in the order the tracker computes them."""


@cache
def merge_model() -> LinkModel:
    """The fitted merge model (:mod:`newsfuse.stages.cluster_merge_weights`)."""
    return LinkModel(
        MERGE_FEATURES, cluster_merge_weights.MERGE_WEIGHTS, cluster_merge_weights.MERGE_BIAS
    )
