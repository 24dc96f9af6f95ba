"""Counting independent sources: an outlet once, a near-duplicate family once.

Five papers re-running one wire copy are one source, not five; one outlet's two articles are one
source.  Articles are joined when they share an outlet or a near-duplicate family, and a set of
articles counts as many sources as it has joined groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsfuse.models import Article
from newsfuse.stages.grouping import UnionFind
from newsfuse.stages.summarize import outlet_key

__all__ = ["SourceIndex", "source_groups"]


def source_groups(members: Iterable[tuple[str, str, str | None]]) -> dict[str, str]:
    """Each article's independent-source group, from ``(article id, outlet, near-duplicate family
    or None)``: articles sharing an outlet or a family are one group.  The one rule for reports
    (:class:`SourceIndex`) and for anything counting stored articles."""
    ordered = sorted(members)
    groups = UnionFind[str](article_id for article_id, _, _ in ordered)
    first_by_key: dict[str, str] = {}
    for article_id, outlet, family in ordered:
        for key in (f"outlet:{outlet}", f"family:{family or article_id}"):
            if key in first_by_key:
                groups.union(first_by_key[key], article_id)
            else:
                first_by_key[key] = article_id
    return {article_id: groups.find(article_id) for article_id, _, _ in ordered}


class SourceIndex:
    """Maps every article of a story to its independent-source group."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._group = source_groups((a.id, outlet_key(a), a.dup_group) for a in articles)
        self._outlet = {a.id: outlet_key(a) for a in articles}

    def outlet(self, article_id: str) -> str:
        """The outlet name an article counts for."""
        return self._outlet[article_id]

    def count(self, article_ids: Iterable[str]) -> int:
        """How many independent sources the given articles are."""
        return len({self._group[a] for a in article_ids})
