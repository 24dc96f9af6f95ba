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

**The graph merge model** (``merge_linkage = "graph_learned"``, :func:`graph_merge_model`) decides
the same question from what the one pass already computed plus story-level signals.  Why: the
plain graph average linkage (``merge_linkage = "graph"``) is one number whose scale depends on the
news: ECB+ (long documents, big stories) wanted a merge threshold of about 0.04, the roundups
(title + lead, three articles a story) about 0.1, so one threshold served neither.  A model fitted
on both (``benchmarks/fit_cluster_merger.py``, each source weighted the same) turns the evidence
into one probability whose threshold is chosen once on both validation sets.  Its features
(:data:`GRAPH_MERGE_FEATURES`, all in [0, 1], computed by :func:`graph_merge_features`):

* ``graph_mean``: the graph average linkage (summed arrival link weight over article pairs);
* ``linked_share``: the share of the two stories' articles that linked, on arrival, to the other;
* ``link_mean`` / ``link_max``: the mean and the best of those arrival link probabilities;
* ``member_mean`` / ``member_max`` / ``centroid`` / ``entity``: as above (words and names);
* ``inverse_small`` / ``inverse_large``: one over the smaller and the larger story's size (an
  average over a few article pairs is weaker evidence than over many).

Time is not a feature: neither training set carries publication times, so a learned weight of a
date gap would be fitted on nothing.  Instead the gap between the two stories' spans decays the
evidence the way a link is decayed: the arrival links were decayed by their own gaps when they
were made, the word and name similarities are multiplied by the same half-life decay before the
model reads them (:func:`decayed`; undated news, as in training, is unchanged), and the
probability is decayed once more like every other linkage.  Why both: a copy of a report a week
later has member and centroid cosines near 1, which alone would merge it back into the story its
own decayed link kept it out of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from newsfuse.stages import cluster_merge_weights
from newsfuse.stages.cluster_scoring import LinkModel

__all__ = [
    "GRAPH_MERGE_FEATURES",
    "MERGE_FEATURES",
    "GraphEvidence",
    "decayed",
    "graph_merge_features",
    "graph_merge_model",
    "merge_model",
]

MERGE_FEATURES = ("link_mean", "link_min", "member_mean", "member_max", "centroid", "entity")
"""Names of the features of one story pair, in the order the tracker computes them."""


@cache
def merge_model() -> LinkModel:
    """The fitted merge model (:mod:`newsfuse.stages.cluster_merge_weights`)."""
    return LinkModel(
        MERGE_FEATURES, cluster_merge_weights.MERGE_WEIGHTS, cluster_merge_weights.MERGE_BIAS
    )


GRAPH_MERGE_FEATURES = (
    "graph_mean",
    "linked_share",
    "link_mean",
    "link_max",
    "member_mean",
    "member_max",
    "centroid",
    "entity",
    "inverse_small",
    "inverse_large",
)
"""Names of the graph merge model's features, in the order :func:`graph_merge_features` gives."""


@dataclass(frozen=True, slots=True)
class GraphEvidence:
    """What the tracker holds about one story pair, both directions summed.

    ``weight``: the summed arrival link weights (each link times the kept members it stands for);
    ``links``: how many arrival links; ``probability_sum`` / ``probability_max``: the sum and the
    best of their probabilities; ``sizes``: the two stories' article counts.
    """

    weight: float
    links: float
    probability_sum: float
    probability_max: float
    sizes: tuple[int, int]


def graph_merge_features(
    evidence: GraphEvidence, member_cosines: Sequence[float], centroid: float, entity: float
) -> list[float]:
    """The :data:`GRAPH_MERGE_FEATURES` of one story pair (undecayed), each in [0, 1]."""
    small, large = sorted(max(1, size) for size in evidence.sizes)
    links = evidence.links
    return [
        min(evidence.weight / (small * large), 1.0),
        min(links / (small + large), 1.0),
        evidence.probability_sum / links if links else 0.0,
        evidence.probability_max,
        sum(member_cosines) / len(member_cosines) if member_cosines else 0.0,
        max(member_cosines, default=0.0),
        min(centroid, 1.0),
        min(entity, 1.0),
        1.0 / small,
        1.0 / large,
    ]


_SIMILARITIES = ("member_mean", "member_max", "centroid", "entity")
"""The graph merge features that compare words and names (not yet decayed by time)."""


def decayed(values: Sequence[float], decay: float) -> list[float]:
    """:func:`graph_merge_features` with the word and name similarities multiplied by ``decay``
    (the half-life decay of the gap between the two stories; see the module docstring)."""
    return [
        v * decay if name in _SIMILARITIES else v
        for name, v in zip(GRAPH_MERGE_FEATURES, values, strict=True)
    ]


@cache
def graph_merge_model() -> LinkModel:
    """The fitted graph merge model (:mod:`newsfuse.stages.cluster_merge_weights`)."""
    return LinkModel(
        GRAPH_MERGE_FEATURES,
        cluster_merge_weights.GRAPH_MERGE_WEIGHTS,
        cluster_merge_weights.GRAPH_MERGE_BIAS,
    )
