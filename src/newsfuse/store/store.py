"""The :class:`Store`: everything newsfuse keeps at corpus scale, behind one small API.

Writes go through :meth:`Store.batch`, one transaction per batch: a process killed with SIGKILL
loses at most the batch it was in, and resuming asks :meth:`Store.raw_ids_without_article` what
is left.  A write called outside a batch is a batch of its own (convenient, but one disk sync per
call).  A Store is not thread-safe; give each thread or process its own (they coordinate through
the database's locks).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from newsfuse.models import (
    Article,
    DeclaredMetadata,
    RawDocument,
    Rejection,
)
from newsfuse.store import migrate
from newsfuse.store.codec import annotations_to_json, article_from_json, removed_to_json
from newsfuse.store.engine import WRITE, Location, create_store_engine, resolve, translate_errors
from newsfuse.store.errors import NotInStoreError, StoreError
from newsfuse.store.listing import StoryFilter, StoryPage, story_page
from newsfuse.store.schema import (
    ArticleRow,
    BandKeyRow,
    Base,
    RawDocumentRow,
    RawStatus,
    RejectionRow,
    ReportRow,
    SignatureRow,
    StoryArticleRow,
    StoryMergeRow,
    StoryRow,
    StorySplitRow,
    TrackerFeatureLogRow,
    TrackerFeatureRow,
    TrackerNormsRow,
    TrackerStateRow,
    TrackerStoryRow,
)
from newsfuse.store.writer_lock import writer_lock

__all__ = ["DEFAULT_BUSY_TIMEOUT", "FEATURE_LOG_MIN", "Store", "StoredReport", "StoredStory"]

_IN_CHUNK = 500
"""Values per ``IN (...)`` list: under SQLite's bound-parameter limit on every build."""

FEATURE_LOG_MIN = 100_000
"""Logged feature entries above which a tracker's feature log is folded into its table (see
:meth:`Store._compact_feature_log`): a log this long costs little to read back."""

_BATCH_LOCK = 0x6E657773  # "news": the PostgreSQL advisory lock that serializes batches

DEFAULT_BUSY_TIMEOUT = 30.0
"""Seconds a writer waits for another writer's lock before :class:`StoreLockedError`."""


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story as the store keeps it: its articles in order and the tracker's state for it."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    state: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class StoredReport:
    """One stored JSON report; ``body`` is the text exactly as it was put."""

    id: int
    story_id: str
    settings_hash: str
    schema_version: str
    created_at: datetime
    body: str

    def data(self) -> dict[str, Any]:
        """The report parsed back into ``report_to_dict`` form."""
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    """newsfuse's store: raw documents, rejections, articles, stories and reports.

    Open with :meth:`open`; use as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        engine: Engine,
        location: Location,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        """Wrap an engine made by :func:`newsfuse.store.engine.create_store_engine`; prefer :meth:`open`."""
        self._engine = engine
        self._writer = engine.execution_options(**{WRITE: True})
        self._location = location
        self._busy_timeout = busy_timeout
        self._clock = clock
        self._batch: Session | None = None

    # -- opening, migrating, closing ----------------------------------------------------------

    @classmethod
    def open(
        cls,
        url: str | Path,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        upgrade: bool = True,
        clock: Callable[[], datetime] = _utcnow,
        read_only: bool = False,
    ) -> Store:
        """Open the store at ``url``: a path or ``sqlite:///…`` (SQLite), or ``postgresql+psycopg://…``.

        By default the schema is brought to head (creating it in a new store), because a store
        without its tables is of no use to anyone.  ``upgrade=False`` leaves that to an explicit
        :meth:`upgrade`.  A store whose schema is newer than this code is refused either way.
        ``clock`` returns the aware UTC time stamped on rows (tests pass a fixed one).
        ``read_only`` opens a SQLite file for reading only (a store the user may not write can
        still be listed); such a store is never upgraded, so it must be at this code's schema.
        """
        location = resolve(url)
        with translate_errors(location, busy_timeout):
            engine = create_store_engine(location, busy_timeout, read_only=read_only)
        store = cls(engine, location, busy_timeout=busy_timeout, clock=clock)
        try:
            with store._errors(), engine.connect() as connection:
                state = migrate.check_revision(connection, location.display)
            if read_only and state != "current":
                raise StoreError(
                    f"store {location.display} is "
                    + ("empty" if state == "empty" else "at an older schema")
                    + ": run newsfuse ingest on it first (reading commands do not write)"
                )
            if upgrade and state != "current":
                store.upgrade()
        except BaseException:
            store.close()
            raise
        return store

    @property
    def location(self) -> str:
        """The store's path, or its URL without the password."""
        return self._location.display

    def upgrade(self) -> None:
        """Run the Alembic migrations up to head, in one transaction (a no-op when at head)."""
        self._no_batch("upgrade")
        with self._errors(), self._writer.begin() as connection:
            if migrate.check_revision(connection, self.location) != "current":
                migrate.upgrade(connection)

    def revision(self) -> str | None:
        """The schema revision the database is at (``None`` before the first upgrade)."""
        from alembic.runtime.migration import MigrationContext

        with self._errors(), self._engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def close(self) -> None:
        """Release every connection; the Store cannot be used afterwards."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def exclusive_writer(self) -> Iterator[None]:
        """Be the store's only ingest inside the ``with`` block; another waits up to the busy
        timeout, then gets :class:`StoreLockedError` (see :mod:`newsfuse.store.writer_lock`)."""
        with writer_lock(self._engine, self._location.path, self.location, self._busy_timeout):
            yield

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run the writes inside the ``with`` block as one transaction, committed at its end.

        Everything in the block becomes durable together or, if the block raises or the process
        dies, not at all.  Reads inside the block see its own writes.  Batches do not nest.
        """
        self._no_batch("batch")
        with self._errors(), Session(self._writer) as session, session.begin():
            if self._engine.dialect.name == "postgresql":
                # SQLite's BEGIN IMMEDIATE makes batches take turns; PostgreSQL needs a lock for
                # that.  Without it two ingests could each read the tracker, then write, and one's
                # tracker rows (or feature log, folded and cleared by the other) would be lost.
                # ``lock_timeout`` bounds the wait like SQLite's busy timeout.
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _BATCH_LOCK})
            self._batch = session
            try:
                yield
            finally:
                self._batch = None

    @contextmanager
    def _write(self) -> Iterator[Session]:
        if self._batch is not None:
            yield self._batch
            return
        with self._errors(), Session(self._writer) as session, session.begin():
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        if self._batch is not None:
            yield self._batch
            return
        with self._errors(), Session(self._engine) as session, session.begin():
            yield session

    @contextmanager
    def _errors(self) -> Iterator[None]:
        with translate_errors(self._location, self._busy_timeout):
            yield

    def _no_batch(self, what: str) -> None:
        if self._batch is not None:
            raise StoreError(
                f"{what}() cannot run inside a batch of store {self.location}: batches do not nest"
            )

    def _insert(self, model: type[Base]) -> sqlite.Insert | postgresql.Insert:
        # Both dialects support INSERT ... ON CONFLICT, which makes re-ingesting race-free: two
        # processes adding the same document cannot both insert it, and neither fails.
        if self._engine.dialect.name == "postgresql":
            return postgresql.insert(model)
        return sqlite.insert(model)

    # -- raw documents and rejections ----------------------------------------------------------

    def add_raw(self, doc: RawDocument) -> bool:
        """Keep a raw document; ``False`` when one with its id (a content hash) is already there."""
        return doc.id in self.add_raws([doc])

    def add_raws(self, docs: Sequence[RawDocument]) -> set[str]:
        """Keep raw documents; the ids of those that were new (the others were already stored).

        One multi-row statement, not one per document: at corpus scale the round trips, not the
        bytes, were what storing raw documents cost.
        """
        now = self._clock()
        rows = {doc.id: _raw_values(doc, now) for doc in docs}  # a document twice: kept once
        if not rows:
            return set()
        statement = (
            self._insert(RawDocumentRow)
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(RawDocumentRow.id)
        )
        with self._write() as session:
            # RETURNING, not rowcount: drivers disagree on rowcount for ON CONFLICT DO NOTHING.
            return set(session.scalars(statement, list(rows.values())))

    def get_raw(self, raw_id: str) -> RawDocument:
        """The raw document with ``raw_id``, exactly as added."""
        return self.get_raws([raw_id])[0]

    def get_raws(self, raw_ids: Sequence[str]) -> list[RawDocument]:
        """The raw documents with ``raw_ids``, in that order (one query per few hundred ids)."""
        rows: dict[str, RawDocumentRow] = {}
        with self._read() as session:
            for chunk in _chunks(list(dict.fromkeys(raw_ids))):
                query = select(RawDocumentRow).where(RawDocumentRow.id.in_(chunk))
                rows.update((row.id, row) for row in session.scalars(query))
            missing = [i for i in raw_ids if i not in rows]
            if missing:
                raise NotInStoreError(
                    f"raw document {missing[0]} is not in store {self.location}"
                    + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                )
            return [_raw(rows[i]) for i in raw_ids]

    def raw_ids_without_article(self, *, include_rejected: bool = False) -> list[str]:
        """Raw documents not yet made into an article: what an interrupted ingest has left to do.

        Documents whose processing was rejected (:meth:`add_rejection` with ``raw_id``) count as
        done unless ``include_rejected`` (e.g. to retry them with new settings).  Oldest first.
        """
        statuses = [RawStatus.PENDING]
        if include_rejected:
            statuses.append(RawStatus.REJECTED)
        query = (
            select(RawDocumentRow.id)
            .where(RawDocumentRow.status.in_(statuses))
            .order_by(RawDocumentRow.ingested_at, RawDocumentRow.id)
        )
        with self._read() as session:
            return list(session.scalars(query))

    def add_rejection(
        self, rejection: Rejection, *, run_id: str | None = None, raw_id: str | None = None
    ) -> None:
        """Keep a rejection; with ``raw_id``, that pending raw document counts as done."""
        with self._write() as session:
            if raw_id is not None:
                self._require_raw(session, raw_id, f"rejection of {rejection.item}")
                session.execute(
                    update(RawDocumentRow)
                    .where(RawDocumentRow.id == raw_id, RawDocumentRow.status == RawStatus.PENDING)
                    .values(status=RawStatus.REJECTED)
                )
            session.add(
                RejectionRow(
                    item=rejection.item,
                    stage=rejection.stage,
                    reason=rejection.reason,
                    run_id=run_id,
                    raw_id=raw_id,
                    created_at=self._clock(),
                )
            )

    def rejections(self, *, run_id: str | None = None) -> list[Rejection]:
        """Stored rejections, in the order they were added; only ``run_id``'s when given."""
        query = select(RejectionRow).order_by(RejectionRow.id)
        if run_id is not None:
            query = query.where(RejectionRow.run_id == run_id)
        with self._read() as session:
            return [Rejection(r.item, r.stage, r.reason) for r in session.scalars(query)]

    # -- articles ------------------------------------------------------------------------------

    def put_article(self, article: Article) -> None:
        """Insert or replace the article with ``article.id``; its raw document must be stored.

        Replacing is how later stages (dedupe, extract) record what they added.  The raw document
        it came from is marked done, so a resumed ingest skips it.
        """
        self.put_articles([article])

    def put_articles(self, articles: Sequence[Article]) -> None:
        """:meth:`put_article` for many articles, in three multi-row statements.

        Row by row, an article cost a raw-document lookup, an upsert and an update (about 16 ms
        at corpus scale); batched, the statements are prepared once and the rows stream.
        """
        if not articles:
            return
        now = self._clock()
        rows = {a.id: _article_values(a, now) for a in articles}  # the last put of an id wins
        insert = self._insert(ArticleRow)
        replaced = [c for c in rows[articles[0].id] if c not in ("id", "created_at")]
        upsert = insert.on_conflict_do_update(
            index_elements=["id"], set_={c: insert.excluded[c] for c in replaced}
        )
        done = (
            update(RawDocumentRow)
            .where(RawDocumentRow.id == bindparam("raw"))
            .values(status=RawStatus.ARTICLE, article_id=bindparam("article"))
        )
        with self._write() as session:
            raw_ids = sorted({a.raw_id for a in articles})
            known: set[str] = set()
            for chunk in _chunks(raw_ids):
                known.update(
                    session.scalars(select(RawDocumentRow.id).where(RawDocumentRow.id.in_(chunk)))
                )
            for article in articles:
                if article.raw_id not in known:
                    raise NotInStoreError(
                        f"article {article.id} refers to raw document {article.raw_id}, which is "
                        f"not in store {self.location}; add_raw() it first"
                    )
            session.execute(upsert, list(rows.values()))
            session.connection().execute(
                done, [{"raw": a.raw_id, "article": a.id} for a in articles]
            )

    def get_article(self, article_id: str) -> Article:
        """The article with ``article_id``, equal to the one put."""
        with self._read() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                raise NotInStoreError(f"article {article_id} is not in store {self.location}")
            return _article(row)

    def article_ids(self) -> list[str]:
        """Every stored article id, sorted."""
        with self._read() as session:
            return list(session.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))

    def get_articles(
        self, article_ids: Sequence[str], *, mentions_only: bool = False
    ) -> list[Article]:
        """The articles with ``article_ids``, in that order (one query per few hundred ids).

        ``mentions_only`` leaves sentences, quotes and claims empty: the story tracker reads only
        the text, title, time and mentions, and decoding every claim of 100k articles into typed
        objects was a tenth of what tracking them cost.
        """
        rows: dict[str, ArticleRow] = {}
        with self._read() as session:
            for chunk in _chunks(list(dict.fromkeys(article_ids))):
                rows.update(
                    (row.id, row)
                    for row in session.scalars(select(ArticleRow).where(ArticleRow.id.in_(chunk)))
                )
            missing = [i for i in article_ids if i not in rows]
            if missing:
                raise NotInStoreError(
                    f"article {missing[0]} is not in store {self.location}"
                    + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
                )
            return [_article(rows[i], mentions_only=mentions_only) for i in article_ids]

    def stored_article_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of ``article_ids`` are stored (an article id is a hash of its text)."""
        found: set[str] = set()
        with self._read() as session:
            for chunk in _chunks(list(article_ids)):
                found.update(session.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(chunk))))
        return found

    def article_ids_in_stories(self, article_ids: Sequence[str]) -> set[str]:
        """Which of ``article_ids`` already belong to a story."""
        found: set[str] = set()
        with self._read() as session:
            for chunk in _chunks(list(article_ids)):
                query = select(StoryArticleRow.article_id).where(
                    StoryArticleRow.article_id.in_(chunk)
                )
                found.update(session.scalars(query))
        return found

    def articles_without_story(self) -> list[tuple[str, str | None]]:
        """``(id, published_at)`` of every article in no story yet, by id: what is left to track.

        Small tuples rather than articles, so that a resumed ingest can order a large remainder
        (the tracker wants it in time order) without holding its texts.
        """
        in_story = exists(
            select(StoryArticleRow.article_id).where(StoryArticleRow.article_id == ArticleRow.id)
        )
        query = (
            select(ArticleRow.id, ArticleRow.published_at).where(~in_story).order_by(ArticleRow.id)
        )
        with self._read() as session:
            return [(row[0], row[1]) for row in session.execute(query)]

    # -- near-duplicate lookup -----------------------------------------------------------------

    def put_signatures(self, signatures: Mapping[str, tuple[bytes, Sequence[int], int]]) -> None:
        """Keep articles' MinHash signatures, LSH band keys and shingle counts: article id →
        (signature, keys, count).

        Already kept ones are left alone.  Two multi-row statements for the whole batch, since a
        row-by-row insert of 32 keys per article would cost more than computing them.
        """
        if not signatures:
            return
        rows = [
            {"article_id": i, "minhash": m, "shingles": n}
            for i, (m, _, n) in sorted(signatures.items())
        ]
        keys = [
            {"key": key, "article_id": i}
            for i, (_, ks, _) in sorted(signatures.items())
            for key in sorted(set(ks))
        ]
        with self._write() as session:
            session.execute(
                self._insert(SignatureRow).on_conflict_do_nothing(index_elements=["article_id"]),
                rows,
            )
            if keys:
                session.execute(
                    self._insert(BandKeyRow).on_conflict_do_nothing(
                        index_elements=["key", "article_id"]
                    ),
                    keys,
                )

    def band_key_matches(self, keys: Sequence[int]) -> dict[int, list[str]]:
        """Stored articles filed under each of ``keys``: key → article ids (keys with none left out)."""
        found: dict[int, list[str]] = {}
        with self._read() as session:
            for chunk in _chunks(sorted(set(keys))):
                query = (
                    select(BandKeyRow.key, BandKeyRow.article_id)
                    .where(BandKeyRow.key.in_(chunk))
                    .order_by(BandKeyRow.key, BandKeyRow.article_id)
                )
                for key, article_id in session.execute(query):
                    found.setdefault(int(key), []).append(article_id)
        return found

    def signatures_of(self, article_ids: Sequence[str]) -> dict[str, tuple[bytes, str, int]]:
        """Stored signature, family id (``dup_group``, else the article's own id) and shingle count
        (0 for signatures kept before counts were) by article."""
        found: dict[str, tuple[bytes, str, int]] = {}
        with self._read() as session:
            for chunk in _chunks(list(article_ids)):
                query = (
                    select(
                        SignatureRow.article_id,
                        SignatureRow.minhash,
                        ArticleRow.dup_group,
                        SignatureRow.shingles,
                    )
                    .join(ArticleRow, ArticleRow.id == SignatureRow.article_id)
                    .where(SignatureRow.article_id.in_(chunk))
                )
                for article_id, minhash, family, shingles in session.execute(query):
                    found[article_id] = (bytes(minhash), family or article_id, shingles or 0)
        return found

    def rename_family(self, old: str, new: str) -> int:
        """Move every article of family ``old`` into family ``new``; how many moved.

        Needed when a new article bridges two families, or has a smaller id than its family's:
        a family's id is its smallest article id, whatever order the articles came in.
        """
        with self._write() as session:
            moved = session.execute(
                update(ArticleRow)
                .where(
                    or_(
                        ArticleRow.dup_group == old,
                        (ArticleRow.id == old) & ArticleRow.dup_group.is_(None),
                    )
                )
                .values(dup_group=new)
            )
            return int(getattr(moved, "rowcount", 0) or 0)

    def _require_raw(self, session: Session, raw_id: str, what: str) -> None:
        if session.get(RawDocumentRow, raw_id) is None:
            raise NotInStoreError(
                f"{what} refers to raw document {raw_id}, which is not in store {self.location}; "
                "add_raw() it first"
            )

    # -- stories -------------------------------------------------------------------------------

    def put_story(
        self,
        story_id: str,
        title: str,
        article_ids: Sequence[str],
        *,
        state: Mapping[str, Any] | None = None,
    ) -> None:
        """Insert or update a story and replace its article list (every article must be stored).

        ``state`` is the tracker's JSON-able state for this story; ``None`` keeps what is stored.
        """
        if len(set(article_ids)) != len(article_ids):
            raise ValueError(f"story {story_id} lists an article twice")
        now = self._clock()
        with self._write() as session:
            known = set(
                session.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(list(article_ids))))
            )
            missing = [a for a in article_ids if a not in known]
            if missing:
                raise NotInStoreError(
                    f"story {story_id} lists article(s) not in store {self.location}: "
                    + ", ".join(missing[:5])
                    + (" …" if len(missing) > 5 else "")
                )
            row = session.get(StoryRow, story_id)
            if row is None:
                row = StoryRow(id=story_id, title=title, created_at=now, updated_at=now)
                row.state = None if state is None else dict(state)
                session.add(row)
            else:
                row.title = title
                row.updated_at = now
                if state is not None:
                    row.state = dict(state)
            session.flush()
            session.execute(delete(StoryArticleRow).where(StoryArticleRow.story_id == story_id))
            session.add_all(
                StoryArticleRow(story_id=story_id, article_id=a, position=i)
                for i, a in enumerate(article_ids)
            )

    def append_to_story(self, story_id: str, title: str, article_ids: Sequence[str]) -> bool:
        """Add articles at the end of a story, creating it (with ``title``) if it is new.

        Unlike :meth:`put_story` it writes only the new memberships, so a story that grows by a
        few articles a day costs a few rows a day, however long it has run.  A stored story keeps
        its title.  ``True`` when the story was created.
        """
        return story_id in self.append_to_stories({story_id: (title, article_ids)})

    def append_to_stories(self, stories: Mapping[str, tuple[str, Sequence[str]]]) -> set[str]:
        """:meth:`append_to_story` for many stories (story id → (title, article ids)); the ids of
        the stories created.

        A few multi-row statements for all of them: one ORM round trip per story was a tenth of
        what a tracking commit cost.
        """
        todo = {s: (t, list(ids)) for s, (t, ids) in sorted(stories.items()) if ids}
        for story_id, (_, ids) in todo.items():
            if len(set(ids)) != len(ids):
                raise ValueError(f"story {story_id} lists an article twice")
        if not todo:
            return set()
        now = self._clock()
        with self._write() as session:
            sizes: dict[str, int] = {}
            for chunk in _chunks(list(todo)):
                known = session.scalars(select(StoryRow.id).where(StoryRow.id.in_(chunk)))
                sizes.update((story_id, 0) for story_id in known)
                counted = session.execute(
                    select(StoryArticleRow.story_id, func.count())
                    .where(StoryArticleRow.story_id.in_(chunk))
                    .group_by(StoryArticleRow.story_id)
                )
                sizes.update((story_id, int(n)) for story_id, n in counted)
            created = [s for s in todo if s not in sizes]
            if created:
                session.execute(
                    self._insert(StoryRow),
                    [
                        {"id": s, "title": todo[s][0], "created_at": now, "updated_at": now}
                        for s in created
                    ],
                )
            for chunk in _chunks(sorted(sizes)):
                session.connection().execute(
                    update(StoryRow).where(StoryRow.id.in_(chunk)).values(updated_at=now)
                )
            session.execute(
                self._insert(StoryArticleRow),
                [
                    {"story_id": s, "article_id": a, "position": sizes.get(s, 0) + i}
                    for s, (_, ids) in todo.items()
                    for i, a in enumerate(ids)
                ],
            )
        return set(created)

    def merge_stories(self, merges: Sequence[tuple[str, str, float]]) -> list[str]:
        """Apply the story tracker's merges in order, each ``(absorbed, into, similarity)``; the
        absorbed stories that were stored (the merges applied).

        The absorbed story's articles move to the end of ``into`` (which must be stored), the
        absorbed story goes (its tracker rows and stored reports with it: its articles are
        reported as part of ``into`` from now on) and a :class:`StoryMergeRow` keeps the history.
        A merge whose absorbed story was never stored (created and absorbed within one commit)
        is skipped: no one has seen that story.
        """
        now = self._clock()
        applied: list[str] = []
        with self._write() as session:
            for absorbed, into, similarity in merges:
                if session.get(StoryRow, absorbed) is None:
                    continue
                target = session.get(StoryRow, into)
                if target is None:
                    raise NotInStoreError(f"story {into} is not in store {self.location}")
                size = session.scalar(
                    select(func.count())
                    .select_from(StoryArticleRow)
                    .where(StoryArticleRow.story_id == into)
                )
                moved = list(
                    session.scalars(
                        select(StoryArticleRow.article_id)
                        .where(StoryArticleRow.story_id == absorbed)
                        .order_by(StoryArticleRow.position)
                    )
                )
                session.execute(delete(StoryArticleRow).where(StoryArticleRow.story_id == absorbed))
                session.execute(delete(StoryRow).where(StoryRow.id == absorbed))
                session.add_all(
                    StoryArticleRow(story_id=into, article_id=a, position=(size or 0) + i)
                    for i, a in enumerate(moved)
                )
                target.updated_at = now
                session.add(
                    StoryMergeRow(
                        absorbed_id=absorbed,
                        into_id=into,
                        similarity=similarity,
                        merged_at=now,
                    )
                )
                session.flush()
                applied.append(absorbed)
        return applied

    def merged_from(self, story_ids: Sequence[str]) -> dict[str, list[str]]:
        """The stories merged into each of ``story_ids`` (oldest merge first; stories with none
        left out)."""
        if not story_ids:
            return {}
        found: dict[str, list[str]] = {}
        with self._read() as session:
            for chunk in _chunks(list(story_ids)):
                query = (
                    select(StoryMergeRow.into_id, StoryMergeRow.absorbed_id)
                    .where(StoryMergeRow.into_id.in_(chunk))
                    .order_by(StoryMergeRow.id)
                )
                for into, absorbed in session.execute(query):
                    found.setdefault(into, []).append(absorbed)
        return found

    def split_stories(
        self,
        splits: Sequence[tuple[str, Sequence[tuple[str, Sequence[str]]]]],
        *,
        new_articles: Collection[str] = (),
        titles: Mapping[str, str] | None = None,
    ) -> tuple[list[str], list[str]]:
        """Apply the story tracker's splits (``StoryTracker.take_splits``, after
        :meth:`merge_stories`), each ``(story, [(story id, article ids), ...])``: the whole
        membership, in order, of the cut story and of each part cut from it.  Returns the cut
        stories whose split is recorded and the parts this call created.

        The memberships of the listed articles are written anew: an article that was stored in
        the cut story (or, after a merge the split undid, in a part) ends in exactly the story
        listed for it.  A part not yet stored is created, titled from ``titles`` (else by its first
        article's headline).  The cut
        story and its parts count as updated, so their stored reports are out of date and
        regenerated on request.  A part is recorded (a :class:`StorySplitRow`) only when it takes
        an article the cut story held before this commit (one not in ``new_articles``): a part
        of this commit's articles alone, or any part of a story this commit created, was never
        seen in the cut story.
        """
        now = self._clock()
        new = set(new_articles)
        recorded: list[str] = []
        created: list[str] = []
        with self._write() as session:
            for story_id, members in splits:
                if not members:
                    continue
                ids = [s for s, _ in members]
                articles = [a for _, listed in members for a in listed]
                stored = set(session.scalars(select(StoryRow.id).where(StoryRow.id.in_(ids))))
                held = select(StoryArticleRow.article_id).where(
                    StoryArticleRow.story_id == story_id
                )
                seen = set(session.scalars(held)) - new
                for part_id, listed in members:
                    if part_id not in stored:
                        title = (titles or {}).get(part_id)
                        if title is None:
                            first = session.get(ArticleRow, listed[0])
                            title = (first.title if first else None) or ""
                        session.add(
                            StoryRow(id=part_id, title=title, created_at=now, updated_at=now)
                        )
                        created.append(part_id)
                session.execute(update(StoryRow).where(StoryRow.id.in_(ids)).values(updated_at=now))
                session.execute(delete(StoryArticleRow).where(StoryArticleRow.story_id.in_(ids)))
                for chunk in _chunks(articles):
                    session.execute(
                        delete(StoryArticleRow).where(StoryArticleRow.article_id.in_(chunk))
                    )
                session.add_all(
                    StoryArticleRow(story_id=part_id, article_id=a, position=i)
                    for part_id, listed in members
                    for i, a in enumerate(listed)
                )
                parts = [(p, len(listed)) for p, listed in members[1:] if seen & set(listed)]
                session.add_all(
                    StorySplitRow(story_id=story_id, part_id=p, articles=n, split_at=now)
                    for p, n in parts
                )
                if parts:
                    recorded.append(story_id)
                session.flush()
        return recorded, created

    def split_history(
        self, story_ids: Sequence[str]
    ) -> tuple[dict[str, list[str]], dict[str, str]]:
        """For each of ``story_ids``: the stories cut from it (oldest first), and the story it was
        last cut from (stories with none left out of each)."""
        into: dict[str, list[str]] = {}
        origin: dict[str, str] = {}
        rows = select(StorySplitRow.story_id, StorySplitRow.part_id).order_by(StorySplitRow.id)
        with self._read() as session:
            for part in _every_or_keyed(session, rows, StorySplitRow.story_id, story_ids):
                for story_id, part_id in part:
                    into.setdefault(story_id, []).append(part_id)
            for part in _every_or_keyed(session, rows, StorySplitRow.part_id, story_ids):
                origin.update((part_id, story_id) for story_id, part_id in part)
        return into, origin

    def merged_into(self, story_id: str) -> str | None:
        """The story that ``story_id`` ended up in after its merges (following later merges of
        that story too), or ``None`` when it was never merged or is a story again (a split can
        cut a part named as a story merged away long before: its id is taken back)."""
        found, seen = None, {story_id}
        with self._read() as session:
            if session.get(StoryRow, story_id) is not None:
                return None
            while True:
                into = session.scalar(
                    select(StoryMergeRow.into_id)
                    .where(StoryMergeRow.absorbed_id == (found or story_id))
                    .order_by(StoryMergeRow.id.desc())
                    .limit(1)
                )
                if into is None or into in seen:  # the end of the chain (or a cycle: stop)
                    return found
                if session.get(StoryRow, into) is not None:  # a story (again): it holds them
                    return into
                seen.add(into)
                found = into

    def get_story(self, story_id: str) -> StoredStory:
        """The story with ``story_id``."""
        with self._read() as session:
            row = session.get(StoryRow, story_id)
            if row is None:
                raise NotInStoreError(f"story {story_id} is not in store {self.location}")
            return self._stored_story(session, row)

    def list_stories(
        self,
        since: datetime | None = None,
        search: str | None = None,
        *,
        limit: int | None = None,
    ) -> list[StoredStory]:
        """Stories updated at or after ``since`` whose title, or an article's title, has ``search``.

        The search is a case-insensitive substring match (``ILIKE`` on PostgreSQL, ``lower() LIKE``
        on SQLite); ``%`` and ``_`` in it match themselves.  Newest update first; at most ``limit``
        of them, cut in SQL, so a store of many stories is not read whole to show a few.
        """
        query = select(StoryRow).order_by(StoryRow.updated_at.desc(), StoryRow.id)
        if since is not None:
            if since.tzinfo is None:
                raise ValueError("list_stories(since=...) needs an aware datetime")
            query = query.where(StoryRow.updated_at >= since)
        if search:
            pattern = "%" + _escape_like(search) + "%"
            in_articles = exists(
                select(StoryArticleRow.article_id)
                .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
                .where(
                    StoryArticleRow.story_id == StoryRow.id,
                    ArticleRow.title.ilike(pattern, escape="\\"),
                )
            )
            query = query.where(or_(StoryRow.title.ilike(pattern, escape="\\"), in_articles))
        if limit is not None:
            query = query.limit(limit)
        with self._read() as session:
            return [self._stored_story(session, row) for row in session.scalars(query)]

    def story_page(self, wanted: StoryFilter) -> StoryPage:
        """One page of stories for a reader, with their articles' outlets and families
        (:mod:`newsfuse.store.listing`: a few queries per page, whatever the store's size)."""
        with self._read() as session:
            return story_page(session, wanted)

    def last_story_update(self) -> datetime | None:
        """When a story was last made or extended (``None`` in a store without stories).

        Every ingest that stores an article puts it in a story, so (with writers' clocks that do
        not go back) this changes whenever what a list of stories shows can change; one index
        lookup, so a cached list can be checked against it far more cheaply than read again.
        """
        with self._read() as session:
            latest: datetime | None = session.scalar(select(func.max(StoryRow.updated_at)))
            return latest

    def undated_articles(self, story_ids: Sequence[str]) -> dict[str, int]:
        """How many articles of each story carry no publication date (stories with none left out).

        The tracker places such articles by words and names alone, without its time window and
        decay (an undated story leaves by arrivals, ``cluster.undated_window``); ``newsfuse
        stories`` says so rather than changing behaviour silently.
        """
        if not story_ids:
            return {}
        query = (
            select(StoryArticleRow.story_id, func.count())
            .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
            .where(
                StoryArticleRow.story_id.in_(list(story_ids)),
                or_(ArticleRow.published_at.is_(None), ArticleRow.published_at == ""),
            )
            .group_by(StoryArticleRow.story_id)
        )
        with self._read() as session:
            return {str(story): int(count) for story, count in session.execute(query)}

    def story_articles(self, story_id: str) -> list[Article]:
        """The story's articles, in the story's order."""
        query = (
            select(ArticleRow)
            .join(StoryArticleRow, StoryArticleRow.article_id == ArticleRow.id)
            .where(StoryArticleRow.story_id == story_id)
            .order_by(StoryArticleRow.position)
        )
        with self._read() as session:
            if session.get(StoryRow, story_id) is None:
                raise NotInStoreError(f"story {story_id} is not in store {self.location}")
            return [_article(row) for row in session.scalars(query)]

    def _stored_story(self, session: Session, row: StoryRow) -> StoredStory:
        ids = session.scalars(
            select(StoryArticleRow.article_id)
            .where(StoryArticleRow.story_id == row.id)
            .order_by(StoryArticleRow.position)
        )
        return StoredStory(
            id=row.id,
            title=row.title,
            article_ids=tuple(ids),
            created_at=row.created_at,
            updated_at=row.updated_at,
            state=row.state,
        )

    # -- reports -------------------------------------------------------------------------------

    def put_report(self, story_id: str, report_json: str | Mapping[str, Any]) -> int:
        """Keep a JSON report of a story (``render_json`` text or ``report_to_dict`` data); its id.

        Text is stored byte for byte; data is rendered the way ``render_json`` renders it.  Older
        reports are kept: :meth:`latest_report` returns the newest.
        """
        if isinstance(report_json, str):
            body = report_json
            try:
                data = json.loads(body)
            except json.JSONDecodeError as error:
                raise StoreError(f"report for story {story_id} is not JSON: {error}") from error
        else:
            data = dict(report_json)
            body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if not isinstance(data, dict):
            raise StoreError(f"report for story {story_id} is not a JSON object")
        schema_version, settings_hash = data.get("schema_version"), data.get("settings_hash")
        if not isinstance(schema_version, str) or not isinstance(settings_hash, str):
            raise StoreError(
                f"report for story {story_id} lacks schema_version or settings_hash; "
                "store what newsfuse.outputs.json renders"
            )
        with self._write() as session:
            if session.get(StoryRow, story_id) is None:
                raise NotInStoreError(
                    f"report for story {story_id}: the story is not in store {self.location}; "
                    "put_story() it first"
                )
            row = ReportRow(
                story_id=story_id,
                settings_hash=settings_hash,
                schema_version=schema_version,
                body=body,
                created_at=self._clock(),
            )
            session.add(row)
            session.flush()
            return row.id

    def latest_report(self, story_id: str) -> StoredReport | None:
        """The newest report of the story, or ``None`` when it has none."""
        query = (
            select(ReportRow)
            .where(ReportRow.story_id == story_id)
            .order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
            .limit(1)
        )
        with self._read() as session:
            row = session.scalars(query).first()
            if row is None:
                return None
            return StoredReport(
                id=row.id,
                story_id=row.story_id,
                settings_hash=row.settings_hash,
                schema_version=row.schema_version,
                created_at=row.created_at,
                body=row.body,
            )

    # -- corpus-wide state and counts ----------------------------------------------------------

    def put_tracker_state(self, name: str, state: Mapping[str, Any]) -> None:
        """Keep the corpus-wide state of a component (e.g. ``"cluster"``: ``StoryTracker.state()``)."""
        with self._write() as session:
            row = session.get(TrackerStateRow, name)
            if row is None:
                session.add(TrackerStateRow(name=name, state=dict(state), updated_at=self._clock()))
            else:
                row.state = dict(state)
                row.updated_at = self._clock()

    def tracker_state(self, name: str) -> dict[str, Any] | None:
        """The state kept under ``name``, or ``None``."""
        with self._read() as session:
            row = session.get(TrackerStateRow, name)
            return None if row is None else row.state

    def put_tracker_rows(
        self,
        name: str,
        stories: Sequence[Mapping[str, Any]],
        norms: Mapping[str, Sequence[Any]],
        features: Mapping[str, tuple[int, int]],
    ) -> None:
        """Insert or replace per-story states (each with its ``"id"``), per-story norms (by story
        id) and per-feature ``(document frequency, evicted)`` of tracker ``name``: the parts of its
        state that changed, so a commit costs what changed, not the whole state.  Each story must
        be stored (:meth:`append_to_stories` it first)."""
        story_rows = [
            {
                "tracker": name,
                "story_id": s["id"],
                "state": dict(s),
                "last_time": None if s.get("last_time") is None else float(s["last_time"]),
                "updated": None if s.get("updated") is None else int(s["updated"]),
            }
            for s in stories
        ]
        norm_rows = [
            {"tracker": name, "story_id": s, "norms": list(n)} for s, n in sorted(norms.items())
        ]
        logged = {f: [int(n), int(e)] for f, (n, e) in sorted(features.items())}
        with self._write() as session:
            if story_rows:
                insert = self._insert(TrackerStoryRow)
                session.connection().execute(
                    insert.on_conflict_do_update(
                        index_elements=["tracker", "story_id"],
                        set_={
                            "state": insert.excluded.state,
                            "last_time": insert.excluded.last_time,
                            "updated": insert.excluded.updated,
                        },
                    ),
                    story_rows,
                )
            if norm_rows:
                insert = self._insert(TrackerNormsRow)
                session.connection().execute(
                    insert.on_conflict_do_update(
                        index_elements=["tracker", "story_id"],
                        set_={"norms": insert.excluded.norms},
                    ),
                    norm_rows,
                )
            if logged:
                session.connection().execute(
                    self._insert(TrackerFeatureLogRow),
                    [{"tracker": name, "entries": len(logged), "body": logged}],
                )
                self._compact_feature_log(session, name)

    def _compact_feature_log(self, session: Session, name: str) -> None:
        """Fold tracker ``name``'s feature log into ``tracker_features`` once the log holds more
        than :data:`FEATURE_LOG_MIN` entries.

        Why a log: a commit touches tens of thousands of features spread over the whole table,
        so updating them in place dirtied nearly every page of it — a cost that grew with the
        vocabulary, hence with the corpus.  Appending them is one sequential write of what the
        commit touched; folding updates the rows of many commits at once.  Why a fixed bound
        rather than one that grows with the table: every resumed ingest reads the log
        (:meth:`tracker_feature_rows`), so its length is the part of that read that no index
        narrows.
        """
        entries = session.scalar(
            select(func.coalesce(func.sum(TrackerFeatureLogRow.entries), 0)).where(
                TrackerFeatureLogRow.tracker == name
            )
        )
        if int(entries or 0) <= FEATURE_LOG_MIN:
            return
        folded = self._read_feature_log(session, name, {})
        insert = self._insert(TrackerFeatureRow)
        session.connection().execute(
            insert.on_conflict_do_update(
                index_elements=["tracker", "feature"],
                set_={"df": insert.excluded.df, "evicted": insert.excluded.evicted},
            ),
            [
                {"tracker": name, "feature": f, "df": n, "evicted": e}
                for f, (n, e) in sorted(folded.items())
            ],
        )
        session.connection().execute(
            delete(TrackerFeatureLogRow).where(TrackerFeatureLogRow.tracker == name)
        )

    @staticmethod
    def _read_feature_log(
        session: Session,
        name: str,
        features: dict[str, tuple[int, int]],
        only: set[str] | None = None,
    ) -> dict[str, tuple[int, int]]:
        """``features`` updated with tracker ``name``'s logged feature rows (of ``only``, when
        given), oldest log row first."""
        query = (
            select(TrackerFeatureLogRow.body)
            .where(TrackerFeatureLogRow.tracker == name)
            .order_by(TrackerFeatureLogRow.id)
        )
        for body in session.scalars(query):
            features.update(
                (str(f), (int(n), int(e)))
                for f, (n, e) in body.items()
                if only is None or f in only
            )
        return features

    def tracker_rows(
        self,
        name: str,
        *,
        live_from: float | None = None,
        live_updated_from: int | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
        """The per-story states (sorted by story id) and per-story norms of tracker ``name``.

        With ``live_from``, only the stories whose last article is at or after it (days since the
        epoch) or that have no dated article: what a tracker whose window starts there can still
        link to.  With ``live_updated_from`` too, of the stories with no dated article only those
        updated at or after it (the arrival window of ``cluster.undated_window``).  Selected in
        SQL through ``ix_tracker_stories_tracker_last_time`` and ``..._updated``, so resuming a
        tracker costs the stories inside its windows, not every story the store has tracked.
        Their features' rows are :meth:`tracker_feature_rows`.
        """
        live: ColumnElement[bool] = TrackerStoryRow.tracker == name
        undated: ColumnElement[bool] = TrackerStoryRow.last_time.is_(None)
        if live_updated_from is not None:
            undated = and_(undated, TrackerStoryRow.updated >= int(live_updated_from))
        if live_from is not None:
            live = and_(live, or_(undated, TrackerStoryRow.last_time >= float(live_from)))
        elif live_updated_from is not None:  # nothing dated yet: every dated row is live
            live = and_(live, or_(undated, TrackerStoryRow.last_time.is_not(None)))
        stories = select(TrackerStoryRow.state).where(live).order_by(TrackerStoryRow.story_id)
        norms = (
            select(TrackerNormsRow.story_id, TrackerNormsRow.norms)
            .join(
                TrackerStoryRow,
                and_(
                    TrackerStoryRow.tracker == TrackerNormsRow.tracker,
                    TrackerStoryRow.story_id == TrackerNormsRow.story_id,
                ),
            )
            .where(live)
        )
        with self._read() as session:
            states = [dict(state) for state in session.scalars(stories)]
            kept = {str(s): list(n) for s, n in session.execute(norms)}
        return states, kept

    def tracker_feature_rows(
        self, name: str, features: Iterable[str] | None = None
    ) -> dict[str, tuple[int, int]]:
        """The per-feature ``(df, evicted)`` of tracker ``name``: of ``features`` (those the store
        has; through the table's primary key, a few hundred per query), or of every feature.

        A resumed tracker asks for the features of its stories and of the articles it is about to
        take, so an ingest reads rows in proportion to its window, not to the vocabulary of the
        whole corpus (every name the news ever brought).  The feature log is read too (it is at
        most :data:`FEATURE_LOG_MIN` entries long), its newer rows winning.
        """
        only = None if features is None else set(features)
        table = select(
            TrackerFeatureRow.feature, TrackerFeatureRow.df, TrackerFeatureRow.evicted
        ).where(TrackerFeatureRow.tracker == name)
        counts: dict[str, tuple[int, int]] = {}
        with self._read() as session:
            for part in _every_or_keyed(session, table, TrackerFeatureRow.feature, only):
                counts.update((str(f), (int(n), int(e))) for f, n, e in part)
            self._read_feature_log(session, name, counts, only)
        return counts

    def story_article_ids(self, story_ids: Sequence[str] | None = None) -> dict[str, list[str]]:
        """Each story's article ids in the story's order, by story id: of ``story_ids`` (through
        the memberships' primary key, a few hundred ids per query), or of every story.

        How a resumed tracker gets its stories' memberships back without storing them twice.
        """
        query = select(StoryArticleRow.story_id, StoryArticleRow.article_id).order_by(
            StoryArticleRow.story_id, StoryArticleRow.position
        )
        found: dict[str, list[str]] = {}
        with self._read() as session:
            for part in _every_or_keyed(session, query, StoryArticleRow.story_id, story_ids):
                for story_id, article_id in part:
                    found.setdefault(str(story_id), []).append(str(article_id))
        return found

    def counts(self) -> dict[str, int]:
        """Rows per table, and raw documents per status (``raw_documents.pending`` …)."""
        tables: list[type[Base]] = [
            RawDocumentRow,
            RejectionRow,
            ArticleRow,
            StoryRow,
            StoryArticleRow,
            ReportRow,
            SignatureRow,
            BandKeyRow,
            TrackerStoryRow,
            TrackerNormsRow,
            TrackerFeatureRow,
            TrackerFeatureLogRow,
        ]
        with self._read() as session:
            counts = {
                str(model.__tablename__): int(
                    session.scalar(select(func.count()).select_from(model)) or 0
                )
                for model in tables
            }
            by_status = session.execute(
                select(RawDocumentRow.status, func.count()).group_by(RawDocumentRow.status)
            )
            for status, count in by_status:
                counts[f"raw_documents.{status}"] = int(count)
        return counts


def _raw_values(doc: RawDocument, now: datetime) -> dict[str, Any]:
    return {
        "id": doc.id,
        "origin": doc.origin,
        "media_type": doc.media_type,
        "content": doc.content,
        "declared_url": doc.declared.url,
        "declared_title": doc.declared.title,
        "declared_outlet": doc.declared.outlet,
        "declared_byline": doc.declared.byline,
        "declared_published_at": doc.declared.published_at,
        "fetched_at": doc.fetched_at,
        "ingested_at": now,
        "status": RawStatus.PENDING,
        "article_id": None,
    }


def _raw(row: RawDocumentRow) -> RawDocument:
    return RawDocument(
        id=row.id,
        origin=row.origin,
        media_type=row.media_type,
        content=row.content,
        declared=DeclaredMetadata(
            url=row.declared_url,
            title=row.declared_title,
            outlet=row.declared_outlet,
            byline=row.declared_byline,
            published_at=row.declared_published_at,
        ),
        fetched_at=row.fetched_at,
    )


def _article_values(article: Article, now: datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "raw_id": article.raw_id,
        "origin": article.origin,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "byline": article.byline,
        "dateline": article.dateline,
        "published_at": article.published_at,
        "language": article.language,
        "text": article.text,
        "extractor": article.extractor,
        "dup_group": article.dup_group,
        "removed": removed_to_json(article.removed),
        "annotations": annotations_to_json(article),
        "created_at": now,
        "updated_at": now,
    }


def _article(row: ArticleRow, *, mentions_only: bool = False) -> Article:
    annotations = row.annotations
    if mentions_only and isinstance(annotations, dict):
        empty: list[Any] = []
        annotations = {**annotations, "sentences": empty, "quotes": empty, "claims": empty}
    return article_from_json(
        {
            "id": row.id,
            "raw_id": row.raw_id,
            "origin": row.origin,
            "url": row.url,
            "outlet": row.outlet,
            "title": row.title,
            "byline": row.byline,
            "dateline": row.dateline,
            "published_at": row.published_at,
            "language": row.language,
            "text": row.text,
            "extractor": row.extractor,
            "dup_group": row.dup_group,
            "removed": row.removed,
            "annotations": annotations,
        }
    )


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


def _every_or_keyed(
    session: Session, query: Select[*tuple[Any, ...]], column: Any, keys: Iterable[str] | None
) -> Iterator[Any]:
    """The results of ``query``: all of them (``keys`` None), or those whose ``column`` is one of
    ``keys``, read through ``IN`` lists of :data:`_IN_CHUNK` (sorted, so the reads are the same
    for the same keys)."""
    if keys is None:
        yield session.execute(query)
        return
    for chunk in _chunks(sorted(set(keys))):
        yield session.execute(query.where(column.in_(list(chunk))))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
