"""The story list as readers see it: outlets and independent sources for each story.

Independent sources are counted as everywhere else (:mod:`newsfuse.stages.align.sources`): articles
sharing an outlet, a near-duplicate family or the news agency their datelines credit are one source.
"""

from __future__ import annotations

import threading
import time as clock
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from newsfuse.models import dateline_credit, outlet_name
from newsfuse.stages.align.sources import (
    OutletSighting,
    SourceMember,
    canonical_outlets,
    source_groups,
)
from newsfuse.store import Store
from newsfuse.store.listing import StoryFilter, StoryPage, StorySource, StorySummary

__all__ = [
    "ListingCache",
    "StoryLine",
    "independent_sources",
    "parse_bound",
    "source_names",
    "story_filter",
    "story_line",
]


def _outlets(sources: tuple[StorySource, ...]) -> dict[str, str | None]:
    """Each stored article's outlet under its one name in the story, as ``unify_outlets`` gives a
    report's articles (None: no name and no web address)."""
    return canonical_outlets(OutletSighting(s.article_id, s.outlet, s.url) for s in sources)


def source_names(
    sources: tuple[StorySource, ...], outlets: dict[str, str | None] | None = None
) -> dict[str, str]:
    """The outlet each stored article of one story counts for, by the rules of a report: each
    outlet under its one name in the story, then ``Article.source_name``."""
    outlets = _outlets(sources) if outlets is None else outlets
    return {s.article_id: outlet_name(outlets[s.article_id], s.origin) for s in sources}


def independent_sources(
    sources: tuple[StorySource, ...], outlets: dict[str, str | None] | None = None
) -> int:
    """How many independent sources a story's articles are (an outlet, a family and a credited
    agency once), by the rule a report counts with."""
    outlets = _outlets(sources) if outlets is None else outlets
    names = source_names(sources, outlets)
    members = (
        SourceMember(
            s.article_id,
            names[s.article_id],
            s.dup_group,
            outlets[s.article_id],  # the outlet's name as a report's article carries it
            dateline_credit(s.dateline),
        )
        for s in sources
    )
    return len(set(source_groups(members).values()))


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
    outlets = _outlets(summary.sources)
    return StoryLine(
        id=summary.id,
        title=summary.title,
        created_at=summary.created_at.astimezone(UTC).isoformat(timespec="seconds"),
        updated_at=summary.updated_at.astimezone(UTC).isoformat(timespec="seconds"),
        articles=len(summary.sources),
        outlets=tuple(sorted(set(source_names(summary.sources, outlets).values()), key=str.lower)),
        independent_sources=independent_sources(summary.sources, outlets),
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


class ListingCache:
    """Story-list pages, checked against the store at most once per ``ttl`` seconds.

    A reader sees a new story within ``ttl``.  The check is one index lookup
    (:meth:`~newsfuse.store.Store.last_story_update`) shared by every listing: a listing is read
    again only when a story was made or extended since it was read, so a busy list over a quiet
    store queries nothing, and its rendered forms are kept as long as it is.  While one request
    checks or refreshes a listing, the others are served the known one rather than all querying
    at once.
    """

    def __init__(self, store: Store, ttl: float = 1.0, size: int = 256) -> None:
        self._store = store
        self._ttl = ttl
        self._size = size
        # filter -> (when checked, the store's last story update it reflects, the page)
        self._pages: OrderedDict[StoryFilter, tuple[float, datetime | None, StoryPage]] = (
            OrderedDict()
        )
        self._renders: dict[tuple[StoryFilter, str], tuple[StoryPage, str]] = {}
        self._refreshing: set[StoryFilter] = set()
        self._stamp: tuple[float, datetime | None] | None = None
        self._lock = threading.Lock()

    def fresh(self, wanted: StoryFilter) -> StoryPage | None:
        """The page when it was checked less than ``ttl`` seconds ago, or is being checked now."""
        with self._lock:
            kept = self._pages.get(wanted)
            refreshing = wanted in self._refreshing
        if kept is None or (clock.monotonic() - kept[0] >= self._ttl and not refreshing):
            return None
        return kept[2]

    def fresh_render(self, wanted: StoryFilter, kind: str) -> str | None:
        """The listing rendered as ``kind`` (``html``, ``json``) from the fresh listing, if it was."""
        page = self.fresh(wanted)
        return None if page is None else self.rendered(wanted, kind, page)

    def rendered(self, wanted: StoryFilter, kind: str, page: StoryPage) -> str | None:
        """``page`` rendered as ``kind`` earlier, if it was."""
        with self._lock:
            kept = self._renders.get((wanted, kind))
        return kept[1] if kept is not None and kept[0] is page else None

    def keep_render(self, wanted: StoryFilter, kind: str, page: StoryPage, text: str) -> None:
        """Keep ``page`` rendered as ``kind`` (served while that listing is current)."""
        with self._lock:
            if len(self._renders) >= 2 * self._size:
                self._renders.clear()
            self._renders[(wanted, kind)] = (page, text)

    def _last_update(self) -> datetime | None:
        """The store's last story update, asked at most once per ``ttl`` for all listings."""
        with self._lock:
            known = self._stamp
        if known is not None and clock.monotonic() - known[0] < self._ttl:
            return known[1]
        latest = self._store.last_story_update()
        with self._lock:
            self._stamp = (clock.monotonic(), latest)
        return latest

    def get(self, wanted: StoryFilter) -> StoryPage:
        """The page: from memory when fresh or when no story changed since, else from the store."""
        found = self.fresh(wanted)
        if found is not None:
            return found
        with self._lock:
            self._refreshing.add(wanted)
            kept = self._pages.get(wanted)
        try:
            latest = self._last_update()
            if kept is not None and kept[1] == latest:
                page = kept[2]
            else:
                page = self._store.story_page(wanted)
        finally:
            with self._lock:
                self._refreshing.discard(wanted)
        with self._lock:
            self._pages[wanted] = (clock.monotonic(), latest, page)
            self._pages.move_to_end(wanted)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)
        return page
