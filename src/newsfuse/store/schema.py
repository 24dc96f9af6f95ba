"""The store's tables, as typed SQLAlchemy 2.0 declarative classes.

The tables are the *current* schema; the Alembic revisions under ``migrations/versions`` are what
actually create and change it in a database.  A test checks that migrating an empty database to head
yields exactly these tables and columns, so the two cannot drift apart unnoticed.

Design choices, and why:

* **Content-hash primary keys** for raw documents and articles (``RawDocument.id``, ``Article.id``),
  so ingesting the same bytes twice is an ``INSERT ... ON CONFLICT DO NOTHING`` no-op.
* **Declared metadata as columns**, not JSON, because people filter and search on outlet, title and
  date.  Annotations (sentences, mentions, quotes, claims) are one JSON document per article: they
  are read and written whole, always with the article.
* **``raw_documents.status``** (``pending`` / ``article`` / ``rejected``) records what became of each
  raw document.  Resuming an interrupted ingest asks for the ``pending`` ones; a join from articles
  would not do, because two raw documents with the same body make one article (ids are hashes of the
  text), and a raw document that was rejected has no article but needs no more work.
* **Timestamps are timezone-aware UTC** (:class:`UTCDateTime`), since SQLite has no time zones and
  would otherwise hand back naive datetimes that compare wrongly with aware ones.
* **Report bodies are text**, stored byte for byte as rendered, so a stored report diffs cleanly
  against a fresh run; JSONB would reorder its keys.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ArticleRow",
    "BandKeyRow",
    "Base",
    "RawDocumentRow",
    "RawStatus",
    "RejectionRow",
    "ReportRow",
    "SignatureRow",
    "StoryArticleRow",
    "StoryMergeRow",
    "StoryRow",
    "StorySplitRow",
    "TrackerFeatureLogRow",
    "TrackerFeatureRow",
    "TrackerNormsRow",
    "TrackerStateRow",
    "TrackerStoryRow",
    "UTCDateTime",
]

ID = String(64)
"""Ids are short content hashes with a prefix; 64 leaves room without allowing arbitrary text."""

JSONDoc = JSON().with_variant(JSONB(), "postgresql")
"""JSON on SQLite, JSONB on PostgreSQL (smaller, indexable; key order is irrelevant for these)."""

# Constraint names fixed by convention, so that later migrations can drop or alter them by name on
# both SQLite (batch mode recreates tables) and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class RawStatus:
    """Values of ``raw_documents.status``: what became of a raw document."""

    PENDING = "pending"
    ARTICLE = "article"
    REJECTED = "rejected"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite stores naive text, so values are normalised to UTC and stored naive there, and given
    their UTC zone back when read.  Naive input is refused: guessing its zone would misorder stories.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class RawDocumentRow(Base):
    """A :class:`~newsfuse.models.RawDocument`, kept exactly as ingested."""

    __tablename__ = "raw_documents"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    origin: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    declared_url: Mapped[str | None] = mapped_column(Text)
    declared_title: Mapped[str | None] = mapped_column(Text)
    declared_outlet: Mapped[str | None] = mapped_column(Text)
    declared_byline: Mapped[str | None] = mapped_column(Text)
    declared_published_at: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[str | None] = mapped_column(Text)  # as the source gave it (ISO 8601 text)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=RawStatus.PENDING, index=True)
    article_id: Mapped[str | None] = mapped_column(ID)  # the article it became, when it did


class RejectionRow(Base):
    """A :class:`~newsfuse.models.Rejection`, with the run that made it and, if known, the raw id."""

    __tablename__ = "rejections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    run_id: Mapped[str | None] = mapped_column(String(64), index=True)
    raw_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("raw_documents.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ArticleRow(Base):
    """An :class:`~newsfuse.models.Article`: metadata as columns, annotations as one JSON document."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    raw_id: Mapped[str] = mapped_column(
        ID, ForeignKey("raw_documents.id", ondelete="RESTRICT"), index=True
    )
    origin: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    dateline: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))  # BCP 47 tags are at most 35 chars
    text: Mapped[str] = mapped_column(Text)
    extractor: Mapped[str] = mapped_column(String(64))
    dup_group: Mapped[str | None] = mapped_column(ID, index=True)
    removed: Mapped[list[Any]] = mapped_column(JSONDoc)
    annotations: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SignatureRow(Base):
    """An article's MinHash signature (``num_perm`` big-endian uint32 values), kept so that a later
    ingest can verify a near-duplicate candidate without re-reading and re-hashing the article."""

    __tablename__ = "article_signatures"

    article_id: Mapped[str] = mapped_column(
        ID, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    shingles: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Distinct shingles of the text, for the containment test (``NULL`` before revision 0008)."""


class BandKeyRow(Base):
    """One LSH band key of an article, folded to a signed 64-bit integer.

    Articles sharing a key are near-duplicate candidates; the primary key (key first) is the index a
    new article's keys are looked up in, so finding its family costs a few index probes however
    large the corpus.  A folding collision only adds a candidate that verification then rejects.
    """

    __tablename__ = "band_keys"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[str] = mapped_column(
        ID, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )


class StoryRow(Base):
    """A tracked story; ``state`` is whatever the incremental tracker keeps for it (JSON)."""

    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    state: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)


class StoryArticleRow(Base):
    """Membership of an article in a story; ``position`` keeps the story's article order."""

    __tablename__ = "story_articles"

    story_id: Mapped[str] = mapped_column(
        ID, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[str] = mapped_column(
        ID, ForeignKey("articles.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)


class ReportRow(Base):
    """One rendered JSON report of a story; older ones are kept, the newest is the current one."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_story_id_created_at", "story_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    story_id: Mapped[str] = mapped_column(ID, ForeignKey("stories.id", ondelete="CASCADE"))
    settings_hash: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StoryMergeRow(Base):
    """Later articles showed two stories to be one: ``absorbed_id`` was merged into ``into_id``
    (``similarity``: the linkage that decided it, ``StoryTracker.consolidate``).

    History, not a live link: the absorbed story's row is gone (its articles moved to ``into_id``),
    and ``into_id`` may itself be merged later, so neither id is a foreign key.  ``newsfuse
    stories`` lists a story's merges, and asking for an absorbed story's report names the story
    it went to (whose report is regenerated on request from its articles, now including these).
    """

    __tablename__ = "story_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    absorbed_id: Mapped[str] = mapped_column(ID, index=True)
    into_id: Mapped[str] = mapped_column(ID, index=True)
    similarity: Mapped[float] = mapped_column(Float)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StorySplitRow(Base):
    """Later articles showed a story to be two (or more): ``part_id`` was cut from ``story_id``
    with ``articles`` articles (``StoryTracker.consolidate``, ``cluster.split_threshold``).

    History, as :class:`StoryMergeRow`: both stories live on (the cut one keeps its first article
    and its id), and either may be merged or cut again later, so neither id is a foreign key.
    ``newsfuse stories`` shows where a story's articles went; both reports are regenerated on
    request from their articles.
    """

    __tablename__ = "story_splits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    story_id: Mapped[str] = mapped_column(ID, index=True)
    part_id: Mapped[str] = mapped_column(ID, index=True)
    articles: Mapped[int] = mapped_column(Integer)
    split_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TrackerStateRow(Base):
    """Corpus-wide state of a named component, e.g. ``StoryTracker.state()`` of the cluster stage.

    The tracker's document frequencies and inverted index belong to no single story, so they need a
    home of their own to resume clustering tomorrow where it stopped today.
    """

    __tablename__ = "tracker_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TrackerStoryRow(Base):
    """One story's share of a tracker's state (``StoryTracker.story_row``), kept per story.

    Written only when the story took an article, so a commit costs the stories it touched, not
    every story the tracker has ever seen (the whole state in one document grew with the corpus).
    The story's article ids are not in it (they are its ``story_articles`` rows), nor its norms
    (:class:`TrackerNormsRow`).

    ``last_time`` repeats the state's ``last_time`` (days since the epoch of the story's latest
    dated article; ``NULL``: none dated) in a column of its own, indexed, so that an ingest loads
    only the stories still inside the tracker's window (``Store.tracker_rows(live_from=...)``)
    rather than every story the store has ever tracked.  ``updated`` repeats the state's
    ``updated`` (the tracker's arrival count at the story's last article) for the same purpose
    with the stories that have no dated article: they leave by arrivals, not time
    (``cluster.undated_window``; ``Store.tracker_rows(live_updated_from=...)``).
    """

    __tablename__ = "tracker_stories"
    __table_args__ = (
        Index("ix_tracker_stories_tracker_last_time", "tracker", "last_time"),
        Index("ix_tracker_stories_tracker_updated", "tracker", "updated"),
    )

    tracker: Mapped[str] = mapped_column(String(64), primary_key=True)
    story_id: Mapped[str] = mapped_column(
        ID, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    last_time: Mapped[float | None] = mapped_column(Float, nullable=True)
    updated: Mapped[int | None] = mapped_column(Integer, nullable=True)


class TrackerNormsRow(Base):
    """One story's norms in a tracker's state (``StoryTracker.norms_row``), apart from its row.

    Scoring a story as a candidate can recompute its norms, and many more stories are scored than
    joined in a commit: a few numbers per rescored story, rather than its whole row.
    """

    __tablename__ = "tracker_norms"

    tracker: Mapped[str] = mapped_column(String(64), primary_key=True)
    story_id: Mapped[str] = mapped_column(
        ID, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    norms: Mapped[list[Any]] = mapped_column(JSONDoc)


class TrackerFeatureLogRow(Base):
    """The feature rows (:class:`TrackerFeatureRow` values) one tracking commit changed, appended
    as one document and folded into ``tracker_features`` once the log holds more than
    ``FEATURE_LOG_MIN`` entries.

    Updating tens of thousands of rows in place dirtied nearly every page of ``tracker_features``
    at each commit, more pages the larger the vocabulary; one appended document costs what the
    commit touched.  ``body`` maps feature → ``[df, evicted]``; later rows win.
    """

    __tablename__ = "tracker_feature_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracker: Mapped[str] = mapped_column(String(64), index=True)
    entries: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSONDoc)


class TrackerFeatureRow(Base):
    """A tracker's document frequency of one feature (a term, or ``@entity``), kept per feature
    for the same reason as :class:`TrackerStoryRow`: a commit rewrites only the counts that moved.

    ``evicted`` is the ``updated`` of the last story evicted from the feature's postings (0: none):
    with it the postings are rebuilt from the story rows, so an eviction rewrites this row rather
    than the evicted story's (see ``StoryTracker.from_rows``).
    """

    __tablename__ = "tracker_features"

    tracker: Mapped[str] = mapped_column(String(64), primary_key=True)
    feature: Mapped[str] = mapped_column(Text, primary_key=True)
    df: Mapped[int] = mapped_column(Integer)
    evicted: Mapped[int] = mapped_column(Integer, server_default="0")
