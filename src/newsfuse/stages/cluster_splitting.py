"""Where a story is really two: average linkage over its articles' links.

An article joins the story it links to best on arrival, once, against the stories that exist
then; a wrong join is never undone by the merges that follow.  With all its articles' features
(those that came since the last consolidation are held; a store reads the earlier ones back),
a story can be checked as a batch clustering would check it: each article's learned link probability to each
other article of the story (as a one-article story), symmetrised, and average linkage joining
while the mean link of two groups reaches the split threshold.  More than one group: the story is
cut.  Measured on the validation sets only (``benchmarks/clustering.py``; the threshold,
``cluster.split_threshold``, chosen there).  Cost: k² link features for a story of k articles,
for stories of at most :data:`SPLIT_MAX_ARTICLES`, checked again only once grown by a quarter, so
bounded per article.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

__all__ = ["SPLIT_MAX_ARTICLES", "SPLIT_MIN_ARTICLES", "average_linkage_groups"]

SPLIT_MIN_ARTICLES = 3
"""Two articles that joined are one link, already judged on arrival; three can outvote one."""
SPLIT_MAX_ARTICLES = 64
"""Larger stories are left whole: the check costs k² link features."""


def average_linkage_groups(links: npt.NDArray[np.float64], threshold: float) -> list[list[int]]:
    """Groups of the rows of a symmetric link-probability matrix (diagonal ignored), joined by
    average linkage while two groups' mean link is at least ``threshold``; each group sorted, the
    groups in the order of their first row."""
    n = len(links)
    if n < 2:
        return [list(range(n))]
    distances = np.clip(1.0 - links, 0.0, 1.0)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels.tolist()):
        groups.setdefault(int(label), []).append(row)
    return sorted(groups.values(), key=lambda group: group[0])
