"""The story list as readers see it: outlets and independent sources for each story.

Independent sources are counted as everywhere else (:mod:`newsfuse.stages.align.sources`): articles
sharing an outlet or a near-duplicate family are one source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from newsfuse.stages.grouping import UnionFind
from newsfuse.store.listing import StoryFilter, StorySource, StorySummary

__all__ = [
    "StoryLine",
    "independent_sources",
    "parse_bound",
    "source_name",
    "story_filter",
    "story_line",
]


def source_name(source: StorySource) -> str:
    """The outlet a stored article counts for: the same rule as ``Article.source_name``."""
    if source.outlet:
        return source.outlet
    return f"unknown outlet ({source.origin.rsplit('/', 1)[-1]})"


def independent_sources(sources: tuple[StorySource, ...]) -> int:
    """How many independent sources a story's articles are (an outlet once, a family once)."""
    groups = UnionFind[str](s.article_id for s in sources)
    first: dict[str, str] = {}
    for source in sorted(sources, key=lambda s: s.article_id):
        for key in (
            f"outlet:{source_name(source)}",
            f"family:{source.dup_group or source.article_id}",
        ):
            if key in first:
                groups.union(first[key], source.article_id)
            else:
                first[key] = source.article_id
    return len({groups.find(s.article_id) for s in sources})


@dataclass(frozen=True, slots=True)
class StoryLine:
    """One story of the list, ready for JSON or a page."""

    id: str
    title: str
    created_at: str
    updated_at: str
    articles: int
    outlets: tuple[str, ...]
    independent_sources: int

    def as_dict(self) -> dict[str, object]:
        """The story as the list endpoint returns it."""
        return {
            "id": self.id,
            "title": self.title,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "articles": self.articles,
            "outlets": list(self.outlets),
            "independent_sources": self.independent_sources,
        }


def story_line(summary: StorySummary) -> StoryLine:
    """A stored story's line: outlets sorted by name, each once."""
    return StoryLine(
        id=summary.id,
        title=summary.title,
        created_at=summary.created_at.astimezone(UTC).isoformat(timespec="seconds"),
        updated_at=summary.updated_at.astimezone(UTC).isoformat(timespec="seconds"),
        articles=len(summary.sources),
        outlets=tuple(sorted({source_name(s) for s in summary.sources}, key=str.lower)),
        independent_sources=independent_sources(summary.sources),
    )


def parse_bound(text: str | None, *, end: bool) -> datetime | None:
    """A date filter: ``2025-11-01`` (the whole day: its start for ``from``, its end for ``to``)
    or an ISO date and time (UTC unless it says otherwise).  Raises ``ValueError`` otherwise."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    if len(value) == 10:
        day = date.fromisoformat(value)
        moment = datetime.combine(day, time.min, tzinfo=UTC)
        return moment + timedelta(days=1, microseconds=-1) if end else moment
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def story_filter(
    search: str | None,
    outlet: str | None,
    updated_from: str | None,
    updated_to: str | None,
    limit: int,
    offset: int,
) -> StoryFilter:
    """The store filter for the list's query parameters (``ValueError`` naming a bad date)."""
    bounds: list[datetime | None] = []
    for name, value, end in (("from", updated_from, False), ("to", updated_to, True)):
        try:
            bounds.append(parse_bound(value, end=end))
        except ValueError:
            raise ValueError(
                f"{name}={value!r}: expected a date (2025-11-01) or an ISO date and time"
            ) from None
    return StoryFilter(
        search=(search or "").strip() or None,
        outlet=(outlet or "").strip() or None,
        updated_from=bounds[0],
        updated_to=bounds[1],
        limit=limit,
        offset=offset,
    )
