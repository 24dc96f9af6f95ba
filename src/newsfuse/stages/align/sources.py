"""Counting independent sources: an outlet once, a near-duplicate family once.

Five papers re-running one wire copy are one source, not five; one outlet's two articles are one
source.  Articles are joined when they share an outlet or a near-duplicate family, and a set of
articles counts as many sources as it has joined groups.

A claim one outlet relays from another outlet of the story ("…, Geo News reported" in a paper's
article, when Geo News's own report is in the story) is that outlet's report again, not a second
confirmation: :meth:`SourceIndex.count_claims` counts it for the outlet it names.  Only outlets of
the story are recognised (by name, as the attribution stage gives the claim's speaker), so a
reported source that is not an article here still counts for the article that relays it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsfuse.models import Article
from newsfuse.stages.grouping import UnionFind
from newsfuse.stages.summarize import outlet_key

__all__ = ["SourceIndex", "outlet_name_key", "source_groups"]

_NOT_A_NAME_CHARACTER = re.compile(r"[^\w]+")


def outlet_name_key(name: str) -> str:
    """An outlet's name as a speaker and as metadata both give it: case, punctuation and a leading
    "the" dropped ("The COW News" and "the COW News," are one key)."""
    words = _NOT_A_NAME_CHARACTER.sub(" ", name.casefold()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


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
        self._group_of_name = {
            key: self._group[a.id]
            for a in sorted(articles, key=lambda a: a.id, reverse=True)
            if (key := outlet_name_key(a.outlet or ""))
        }

    def outlet(self, article_id: str) -> str:
        """The outlet name an article counts for."""
        return self._outlet[article_id]

    def count(self, article_ids: Iterable[str]) -> int:
        """How many independent sources the given articles are."""
        return len({self._group[a] for a in article_ids})

    def count_claims(self, claims: Iterable[tuple[str, str | None]]) -> int:
        """How many independent sources give the claims ``(article id, speaker or None)``: a claim
        whose speaker is another outlet of the story counts for that outlet (see the module)."""
        groups = set()
        for article_id, speaker in claims:
            relayed = self._group_of_name.get(outlet_name_key(speaker)) if speaker else None
            groups.add(relayed or self._group[article_id])
        return len(groups)
