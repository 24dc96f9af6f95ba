"""Union-find: the one way newsfuse groups items that are linked in pairs.

Near-duplicate families, canonical entities, facts, quote groups and independent sources all come
from pairwise links.  The smaller key always becomes the root, so the groups *and* their
representatives never depend on the order the links arrive in — output stays deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

__all__ = ["UnionFind"]

K = TypeVar("K", int, str)


class UnionFind(Generic[K]):
    """Disjoint sets over ``keys`` with path compression; the smallest key of a set is its root."""

    def __init__(self, keys: Iterable[K]) -> None:
        self.parent: dict[K, K] = {key: key for key in keys}

    def find(self, key: K) -> K:
        """The root of ``key``'s set."""
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, left: K, right: K) -> K:
        """Join the sets of ``left`` and ``right``; return the root of the joined set."""
        left_root, right_root = self.find(left), self.find(right)
        root = min(left_root, right_root)
        if left_root != right_root:
            self.parent[max(left_root, right_root)] = root
        return root
