"""Story listings for readers (the web app's story list): one page of stories with their sources.

:meth:`Store.list_stories` returns whole stories one query each, which is right for the CLI but not
for a page a browser asks for many times a minute over a store of thousands of stories.  Here a page
costs three queries whatever its size: the matching stories (filtered and paged in SQL), and the
outlet, origin and near-duplicate family of their articles (for the outlets and the count of
independent sources), plus one count for the pager.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from newsfuse.store.schema import ArticleRow, StoryArticleRow, StoryRow

__all__ = ["StoryFilter", "StoryPage", "StorySource", "StorySummary", "story_page"]

_MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """What a reader asks of the story list; every field is optional.

    ``search`` matches the story's title or an article's title, ``outlet`` an article's outlet
    (both case-insensitive substrings, ``%`` and ``_`` matching themselves); ``updated_from`` and
    ``updated_to`` bound the last update (aware datetimes, inclusive).
    """

    search: str | None = None
    outlet: str | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class StorySource:
    """One article of a story as the list needs it: who published it (its outlet's name and its
    web address), its copy family and its dateline (which may credit the agency whose copy it is)."""

    article_id: str
    outlet: str | None
    origin: str
    dup_group: str | None
    dateline: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story's line in the list."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    sources: tuple[StorySource, ...]


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One page of the list and how many stories match in all."""

    stories: tuple[StorySummary, ...]
    total: int


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query: Select[Any], wanted: StoryFilter) -> Select[Any]:
    for bound in (wanted.updated_from, wanted.updated_to):
        if bound is not None and bound.tzinfo is None:
            raise ValueError("StoryFilter needs aware datetimes")
    if wanted.updated_from is not None:
        query = query.where(StoryRow.updated_at >= wanted.updated_from)
    if wanted.updated_to is not None:
        query = query.where(StoryRow.updated_at <= wanted.updated_to)
    if wanted.search:
        pattern = "%" + _escape_like(wanted.search) + "%"
        in_articles = exists(
            select(StoryArticleRow.article_id)
            .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
            .where(
                StoryArticleRow.story_id == StoryRow.id,
                ArticleRow.title.ilike(pattern, escape="\\"),
            )
        )
        query = query.where(or_(StoryRow.title.ilike(pattern, escape="\\"), in_articles))
    if wanted.outlet:
        pattern = "%" + _escape_like(wanted.outlet) + "%"
        query = query.where(
            exists(
                select(StoryArticleRow.article_id)
                .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
                .where(
                    StoryArticleRow.story_id == StoryRow.id,
                    # an unnamed page is listed under its address's domain ("dawn.com")
                    or_(
                        ArticleRow.outlet.ilike(pattern, escape="\\"),
                        and_(
                            ArticleRow.outlet.is_(None), ArticleRow.url.ilike(pattern, escape="\\")
                        ),
                    ),
                )
            )
        )
    return query


def story_page(session: Session, wanted: StoryFilter) -> StoryPage:
    """The stories ``wanted`` asks for, newest update first, each with its articles' sources."""
    limit = max(1, min(wanted.limit, _MAX_PAGE))
    offset = max(0, wanted.offset)
    rows: Sequence[StoryRow] = session.scalars(
        _filtered(select(StoryRow), wanted)
        .order_by(StoryRow.updated_at.desc(), StoryRow.id)
        .limit(limit)
        .offset(offset)
    ).all()
    total = int(
        session.scalar(
            select(func.count()).select_from(_filtered(select(StoryRow), wanted).subquery())
        )
        or 0
    )
    sources: dict[str, list[StorySource]] = {row.id: [] for row in rows}
    if rows:
        members = session.execute(
            select(
                StoryArticleRow.story_id,
                ArticleRow.id,
                ArticleRow.outlet,
                ArticleRow.origin,
                ArticleRow.dup_group,
                ArticleRow.dateline,
                ArticleRow.url,
            )
            .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
            .where(StoryArticleRow.story_id.in_(list(sources)))
            .order_by(StoryArticleRow.story_id, StoryArticleRow.position)
        )
        for story_id, article_id, outlet, origin, dup_group, dateline, url in members:
            sources[story_id].append(
                StorySource(article_id, outlet, origin, dup_group, dateline, url)
            )
    return StoryPage(
        stories=tuple(
            StorySummary(row.id, row.title, row.created_at, row.updated_at, tuple(sources[row.id]))
            for row in rows
        ),
        total=total,
    )
