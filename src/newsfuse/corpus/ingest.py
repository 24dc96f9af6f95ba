"""Store-backed corpus runs: ingest a large, growing corpus batch by batch; re-report a story.

:func:`ingest` streams, so memory stays bounded by the batch size, not the corpus:

1. **read** — documents from the sources are stored as raw documents, ``batch_size`` per
   transaction (a document already stored is a no-op: ids are content hashes);
2. **prepare** — the raw documents still pending, oldest first, ``batch_size`` at a time: clean and
   extract through the executor, drop texts already stored, join near-duplicate families through
   the store's band keys (:mod:`newsfuse.corpus.families`), and commit the articles;
3. **track** — the articles in no story yet, in the tracker's canonical time order, go through the
   :class:`~newsfuse.stages.cluster.StoryTracker` resumed from the store; each batch commits its
   story memberships together with the tracker's state.

Each phase asks the store what is left to do, so a run killed at any point (SIGKILL included) loses
at most the batch it was in, and running the same command again finishes the job.  Over an empty
store one ingest gives the same families and stories as :func:`newsfuse.corpus.analyse_corpus` over
the same documents, whatever the batch size: families are connected components however the pairs
arrive, and the tracker sees the new articles in the same canonical order.  A later ingest feeds
its new articles after everything already tracked, so they extend the stories they belong to.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from newsfuse.config import DedupeSettings, Settings
from newsfuse.corpus.families import join_families
from newsfuse.errors import ConfigError, InputError
from newsfuse.executors.base import Executor
from newsfuse.executors.local import LocalExecutor
from newsfuse.models import Article, RawDocument, Rejection, Report
from newsfuse.pipeline import (
    ProgressCallback,
    RejectionCallback,
    analyse_story,
    clean_articles,
    extract_articles,
)
from newsfuse.stages.cluster import (
    ArticleFeatures,
    ClusterSettings,
    StoryMerge,
    StorySplit,
    StoryTracker,
    article_features,
    story_row_features,
)
from newsfuse.stages.ingest.sources import read_sources
from newsfuse.store import Store

__all__ = ["DEFAULT_BATCH_SIZE", "IngestSummary", "check_sources", "ingest", "report_story"]

DEFAULT_BATCH_SIZE = 256
"""Documents per transaction: large enough that commits are a small share of the time, small
enough that a batch of raw pages, their articles and annotations stay well under 100 MB."""

_TASK_SIZE = 16
"""Raw documents per executor task: enough for spaCy's batching, small enough to spread a batch
over the workers (as the extract stage's own batches of 16)."""

TRACK_BATCHES = 8
"""Tracking commits every ``TRACK_BATCHES * batch_size`` articles.  A commit writes the rows of the
stories that changed since the last one, and a busy story changes in every commit, so fewer,
larger commits write it fewer times; the articles of one commit are all it holds in memory."""

WORKER_BATCHES = 64
"""Prepare batches a pool of workers parses before it is replaced by a fresh one: spaCy's string
store grows with every new string a worker sees, so over a long ingest the workers grew slowly;
recycling them bounds that, for a model load per worker every 64 batches (16k documents)."""

_CLUSTER = "cluster"  # tracker_states: StoryTracker.state()
_CLUSTER_SEQ = (
    "cluster.seq"  # tracker_states: how many articles that state has seen (cheap to read)
)
_LEGACY_CLUSTER: Mapping[str, Any] = {
    "merge_threshold": 1.0,
    "merge_linkage": "cosine",
    "merge_neighbours": 0,
    "merge_relink": False,
    "undated_window": 0,
    "members_by": "arrival",
    "split_threshold": 0.0,
}
"""What a store built before a cluster setting existed ran with: no merges (and, had it merged,
the member cosine, every arrival-graph neighbour scored, the links as the articles made them on
arrival, no window for undated stories), and stories that kept their most recent members by
arrival.  Not the current defaults: those changed since (the graph merge model, the neighbour
cap, the undated window, members kept by publication time and id)."""


def _graph_merging(cluster: Mapping[str, Any]) -> bool:
    """Whether stored cluster settings consolidate on the arrival graph (read ``merge_neighbours``)."""
    settings = ClusterSettings(**cluster)
    return settings.merging and settings.arrival_graph


_DEDUPE = "dedupe"  # tracker_states: the DedupeSettings the stored signatures were made with


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingest did, stage by stage."""

    run_id: str
    read: int = 0
    """Documents read from the sources."""
    stored: int = 0
    """Of those, raw documents new to the store."""
    known: int = 0
    """Of those, raw documents already stored (re-ingesting them is a no-op)."""
    prepared: int = 0
    """Pending raw documents cleaned and extracted in this run (a resumed run's leftovers too)."""
    articles: int = 0
    """New articles stored."""
    duplicates: int = 0
    """Articles whose exact text was already stored, counted once."""
    in_families: int = 0
    """New articles that joined a near-duplicate family (stored or new)."""
    tracked: int = 0
    """Articles put into stories."""
    new_stories: tuple[str, ...] = ()
    extended_stories: tuple[str, ...] = ()
    merged_stories: tuple[str, ...] = ()
    """Stored stories a later article showed to be part of another (moved there; see
    ``Store.merge_stories``)."""
    split_stories: tuple[str, ...] = ()
    """Stored stories later articles showed to be two or more: the parts cut from them are among
    ``new_stories`` (see ``Store.split_stories``)."""
    rejected: Mapping[str, int] = field(default_factory=dict)
    """Rejections by stage (read, clean, dedupe, …)."""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The per-stage counts as short lines, for a terminal."""
        rejected = ", ".join(f"{n} at {stage}" for stage, n in sorted(self.rejected.items()))
        return [
            f"read      {self.read} document(s): {self.stored} new, {self.known} already stored",
            f"prepare   {self.prepared} document(s): {self.articles} new article(s), "
            f"{self.duplicates} duplicate text(s), {self.in_families} in near-duplicate families",
            f"track     {self.tracked} article(s): {len(self.new_stories)} new stories, "
            f"{len(self.extended_stories)} extended, {len(self.merged_stories)} merged into another, "
            f"{len(self.split_stories)} split",
            f"rejected  {sum(self.rejected.values())}" + (f" ({rejected})" if rejected else ""),
        ]


def ingest(
    sources: Sequence[str],
    store: Store,
    settings: Settings,
    *,
    executor: Executor | None = None,
    on_progress: ProgressCallback | None = None,
    on_rejection: RejectionCallback | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    stdin: BinaryIO | None = None,
    debug: bool = False,
) -> IngestSummary:
    """Add ``sources`` to ``store``: raw documents, articles, families, stories (see the module).

    Raises :class:`~newsfuse.errors.InputError` when a source path does not exist (before anything
    is written), and :class:`~newsfuse.errors.ConfigError` when the dedupe or cluster settings
    differ from those the store was built with (its signatures and tracker would not fit them).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    check_sources(sources)
    started = time.monotonic()
    # Our own pool is kept for the whole run: the workers load spaCy once, not once per batch.
    own = (
        None
        if executor is not None
        else LocalExecutor(settings.run.workers, keep_pool=True, recycle_after=WORKER_BATCHES)
    )
    run = _Run(
        store=store,
        settings=settings,
        executor=executor or own or LocalExecutor(),
        progress=on_progress or (lambda stage, done, total: None),
        on_rejection=on_rejection,
        batch_size=batch_size,
        debug=debug,
    )
    # One ingest at a time: interleaved batches of two would each prepare the other's pending
    # documents (double work, false duplicate rejections).  The lock dies with the process.
    with store.exclusive_writer():
        try:
            run.check_settings()
            run.read(sources, stdin)
            run.prepare()
        except BaseException:  # stopped (Ctrl-C, SIGTERM) or failed: the workers' work is moot
            if own is not None:
                own.abort()
            raise
        if own is not None:
            own.close()
        run.track()
    return run.summary(time.monotonic() - started)


def report_story(store: Store, story_id: str, settings: Settings) -> Report:
    """Report a stored story from its stored articles, and keep the JSON report in the store.

    Raises :class:`~newsfuse.store.NotInStoreError` when there is no such story.
    """
    from newsfuse.outputs.json import render_json

    articles = store.story_articles(story_id)
    report = analyse_story(articles, settings, story_id=story_id)
    store.put_report(story_id, render_json(report))
    return report


# --- the run -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    """One ingest's state and counters; each phase method commits as it goes."""

    store: Store
    settings: Settings
    executor: Executor
    progress: ProgressCallback
    on_rejection: RejectionCallback | None
    batch_size: int
    debug: bool
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    counts: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    new_stories: set[str] = field(default_factory=set)
    extended: set[str] = field(default_factory=set)
    merged: set[str] = field(default_factory=set)
    split: set[str] = field(default_factory=set)

    def summary(self, seconds: float) -> IngestSummary:
        c = self.counts
        return IngestSummary(
            run_id=self.run_id,
            read=c["read"],
            stored=c["stored"],
            known=c["known"],
            prepared=c["prepared"],
            articles=c["articles"],
            duplicates=c["duplicates"],
            in_families=c["in_families"],
            tracked=c["tracked"],
            new_stories=tuple(sorted(self.new_stories - self.merged)),
            extended_stories=tuple(sorted(self.extended - self.new_stories - self.merged)),
            merged_stories=tuple(sorted(self.merged)),
            split_stories=tuple(sorted(self.split - self.merged)),
            rejected=dict(sorted(self.rejected.items())),
            seconds=round(seconds, 3),
        )

    def reject(self, rejection: Rejection, raw_id: str | None = None) -> None:
        """Keep a rejection (inside the current batch) and tell the caller at once."""
        self.store.add_rejection(rejection, run_id=self.run_id, raw_id=raw_id)
        self.rejected[rejection.stage] += 1
        if self.on_rejection is not None:
            self.on_rejection(rejection)

    # -- settings the store was built with ---------------------------------------------------

    def check_settings(self) -> None:
        """Refuse dedupe/cluster settings other than the store's: old signatures and the tracker's
        vectors were made with those, and mixing would silently change what matches."""
        dedupe = dataclasses.asdict(self.settings.dedupe)
        stored = self.store.tracker_state(_DEDUPE)
        if stored is None:
            self.store.put_tracker_state(_DEDUPE, dedupe)
        else:
            # a store built before the containment test reads as built with its default: its
            # signatures have no shingle counts, so they are matched by the Jaccard alone anyway
            legacy = {"containment": DedupeSettings().containment}
            _same_settings(self.store, "dedupe", {**legacy, **stored}, dedupe)
        state = self.store.tracker_state(_CLUSTER)
        if state is not None:
            # a setting added since the store was built reads as the value that keeps the
            # behaviour it was built with (_LEGACY_CLUSTER), else as its default
            stored_cluster = {
                **dataclasses.asdict(ClusterSettings()),
                **_LEGACY_CLUSTER,
                **state["settings"],
            }
            for graph_only in ("merge_neighbours", "merge_relink"):
                if graph_only not in state["settings"] and not _graph_merging(stored_cluster):
                    # never read by a store that did not consolidate on the arrival graph:
                    # whatever value it is given now, the store's stories are the same
                    stored_cluster[graph_only] = getattr(self.settings.cluster, graph_only)
            if "members_by" not in state["settings"] and stored_cluster["scorer"] != "learned":
                # kept members are the learned scorer's: the hand-mixed cosine keeps none
                stored_cluster["members_by"] = self.settings.cluster.members_by
            _same_settings(
                self.store, "cluster", stored_cluster, dataclasses.asdict(self.settings.cluster)
            )

    # -- 1. read -------------------------------------------------------------------------------

    def read(self, sources: Sequence[str], stdin: BinaryIO | None) -> None:
        items = read_sources(
            sources,
            self.settings.ingest,
            stdin=stdin,
            http=self.settings.http,
            feeds=self.settings.feed,
        )
        for batch in _batches(items, self.batch_size):
            with self.store.batch():
                docs: list[RawDocument] = []
                for item in batch:
                    if isinstance(item, Rejection):
                        self.reject(item)
                    else:
                        docs.append(item)
                new = self.store.add_raws(docs)
            self.counts["read"] += len(docs)
            self.counts["stored"] += len(new)
            self.counts["known"] += len(docs) - len(new)
            self.progress("read", self.counts["read"], 0)

    # -- 2. prepare ----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Clean and extract in the executor one batch ahead of the batch being stored.

        The next batch is handed to the executor before this one is written, so a process pool
        parses while the store commits (an in-process executor simply runs each batch when it is
        stored).  At most two batches of raw documents and articles are in memory.
        """
        todo = self.store.raw_ids_without_article()
        batches = [todo[i : i + self.batch_size] for i in range(0, len(todo), self.batch_size)]
        task = _PrepareTask(self.settings, self.debug)
        ahead = self._submit(task, batches[0]) if batches else None
        for number in range(len(batches)):
            current = ahead
            ahead = self._submit(task, batches[number + 1]) if number + 1 < len(batches) else None
            assert current is not None
            raws, results = current
            self._store_batch(raws, results, done=number * self.batch_size, total=len(todo))

    def _submit(
        self, task: _PrepareTask, raw_ids: list[str]
    ) -> tuple[list[RawDocument], Iterator[list[Article | Rejection]]]:
        raws = self.store.get_raws(raw_ids)
        chunks = [raws[i : i + _TASK_SIZE] for i in range(0, len(raws), _TASK_SIZE)]
        return raws, self.executor.map(task, chunks)

    def _store_batch(
        self,
        raws: list[RawDocument],
        results: Iterator[list[Article | Rejection]],
        *,
        done: int,
        total: int,
    ) -> None:
        prepared: list[Article | Rejection] = []
        for chunk in results:
            prepared.extend(chunk)
            self.progress("clean", done + len(prepared), total)
        cleaned = [a for a in prepared if isinstance(a, Article)]
        keep, duplicates = self._unique(cleaned)
        with self.store.batch():
            for raw, result in zip(raws, prepared, strict=True):
                if isinstance(result, Rejection):
                    self.reject(result, raw.id)
            for article, first in duplicates:
                self.counts["duplicates"] += 1
                self.reject(
                    Rejection(
                        article.origin, "dedupe", f"same article text as {first}; counted once"
                    ),
                    article.raw_id,
                )
            families = join_families(self.store, keep, self.settings.dedupe)
            self.store.put_articles(
                [dataclasses.replace(a, dup_group=families.family_of[a.id]) for a in keep]
            )
            families.save_signatures(self.store)
        self.counts["prepared"] += len(raws)
        self.counts["articles"] += len(keep)
        self.counts["in_families"] += families.joined
        self.progress("extract", done + len(raws), total)

    def _unique(self, cleaned: list[Article]) -> tuple[list[Article], list[tuple[Article, str]]]:
        """Articles whose text is new, and (duplicate, origin or id of the copy kept) for the rest.

        Within a batch the copy kept is the one with the smallest origin, as in the one-story
        pipeline; a text stored by an earlier batch or run keeps its stored copy.
        """
        stored = self.store.stored_article_ids([a.id for a in cleaned])
        seen: dict[str, str] = {}
        keep: list[Article] = []
        duplicates: list[tuple[Article, str]] = []
        for article in sorted(cleaned, key=lambda a: (a.origin, a.id)):
            if article.id in stored:
                duplicates.append((article, f"stored article {article.id}"))
            elif article.id in seen:
                duplicates.append((article, seen[article.id]))
            else:
                seen[article.id] = article.origin
                keep.append(article)
        return keep, duplicates

    # -- 3. track ------------------------------------------------------------------------------

    def track(self) -> None:
        """Track every stored article that is in no story yet, a commit of ``batch_size *
        TRACK_BATCHES`` at a time, as one tracker batch (``StoryTracker.begin_batch``): the
        ingest's undated articles come in id order, not as they arrived, so none of its stories
        leaves the arrival window before the ingest ends."""
        untracked = self.store.articles_without_story()
        todo = [i for _, i in sorted((_time_order(i, when), i) for i, when in untracked)]
        tracking: _Tracking | None = None
        step = self.batch_size * TRACK_BATCHES
        for start in range(0, len(todo), step):
            ids = todo[start : start + step]
            with self.store.batch():
                tracking = self._current(tracking)  # and skip what another ingest tracked
                # one batch for the whole ingest (kept open in the header if it is interrupted)
                tracking.tracker.begin_batch()
                tracked = self.store.article_ids_in_stories(ids)
                new = [i for i in ids if i not in tracked]
                self._commit(tracking, new)
                tracking.save(self.store)
            self.counts["tracked"] += len(new)
            self.progress("track", start + len(ids), len(todo))
        self._close_batch(tracking)

    def _close_batch(self, tracking: _Tracking | None) -> None:
        """End the tracker batch this ingest (or one interrupted before it) opened, in a commit
        of its own: from now on its undated stories leave by arrivals again."""
        if tracking is None:  # nothing tracked now: close a batch an interrupted ingest left open
            header = self.store.tracker_state(_CLUSTER)
            if header is None or header.get("batch_from") is None:
                return
        with self.store.batch():
            tracking = self._current(tracking)
            tracking.tracker.end_batch()
            tracking.save(self.store)

    def _current(self, tracking: _Tracking | None) -> _Tracking:
        """The tracker as stored (call inside the write transaction): ``tracking`` unless another
        ingest moved the tracker on since it was loaded, then loaded again."""
        stored_seq = (self.store.tracker_state(_CLUSTER_SEQ) or {}).get("seq", 0)
        if tracking is None or stored_seq != tracking.seq:
            return _Tracking.load(self.store, self.settings)
        return tracking

    def _commit(self, tracking: _Tracking, article_ids: list[str]) -> None:
        """Track one commit's articles and write what it made of the stories, in the order the
        tracker decided it: the commit's articles into their stories (creating the new ones),
        then the merges, then the splits (call inside the commit's batch)."""
        added, titles, merges, cuts = self._track_articles(tracking, article_ids)
        created = self.store.append_to_stories(
            {story_id: (titles[story_id], ids) for story_id, ids in added.items()}
        )
        moved = self.store.merge_stories(merges)
        cut, parts = self.store.split_stories(cuts, new_articles=article_ids, titles=titles)
        self.split.update(cut)
        self.new_stories.update(created, parts)
        self.extended.update(set(added) - created)
        self.extended.update(into for absorbed, into, _ in merges if absorbed in moved)
        self.merged.update(moved)

    def _track_articles(
        self, tracking: _Tracking, article_ids: list[str]
    ) -> tuple[
        dict[str, list[str]],
        dict[str, str],
        list[tuple[str, str, float]],
        list[tuple[str, list[tuple[str, list[str]]]]],
    ]:
        """Feed articles to the tracker, then let it consolidate (``StoryTracker.consolidate``);
        their ids by story, a title for each story, the merges for the store
        (``Store.merge_stories``), each into the story it ended up in, and the splits
        (``Store.split_stories``): each cut story with the whole membership of it and its parts.

        Read ``batch_size`` at a time and kept only as ids: a commit's articles with their
        annotations were the largest thing a tracking commit held in memory.  A story merged into
        another hands this commit's articles over here; its stored articles (if it was stored
        before) are moved by the store.  The parts of a cut story take their articles, stored or
        new, from the split; the cut story takes this commit's here (so a story the commit
        creates exists before a merge into it), and the split then writes its whole membership.
        """
        added: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        article_titles: dict[str, str] = {}  # a split's part is titled by its first article
        for start in range(0, len(article_ids), self.batch_size):
            chunk = article_ids[start : start + self.batch_size]
            articles = self.store.get_articles(chunk, mentions_only=True)
            for article, story_id in zip(
                articles, tracking.add_all(self.store, articles), strict=True
            ):
                article_titles[article.id] = _title(article)
                titles.setdefault(story_id, article_titles[article.id])
                added.setdefault(story_id, []).append(article.id)
        splits, consolidated = tracking.consolidate(self.store)
        merges: list[tuple[str, str, float]] = []
        for merge in consolidated:
            moved = added.pop(merge.absorbed, [])
            if moved:
                added.setdefault(merge.into, []).extend(moved)
                titles.setdefault(merge.into, titles[merge.absorbed])
            titles.pop(merge.absorbed, None)
            # an earlier merge into the story just absorbed now ends in its new home
            merges = [(a, merge.into if i == merge.absorbed else i, w) for a, i, w in merges]
            merges.append((merge.absorbed, merge.into, merge.similarity))
        # the splits come after the merges (see StoryTracker.consolidate); a part named as a story
        # merged in this commit takes that id back, and that merge has no record.  Each story of
        # a split takes this commit's articles here, so one this commit creates exists before a
        # merge into it; the split then writes every membership of the story and its parts.
        commit = set(article_ids)
        cuts: list[tuple[str, list[tuple[str, list[str]]]]] = []
        for split in splits:
            members = [split.story, *(part for part, _ in split.parts)]
            cuts.append((split.story, [(s, tracking.tracker.story_articles(s)) for s in members]))
            for story_id, ids in cuts[-1][1]:
                added.pop(story_id, None)
                kept = [a for a in ids if a in commit]
                if kept:
                    added[story_id] = kept
                if story_id != split.story or story_id not in titles:
                    titles[story_id] = article_titles.get(ids[0]) or self._stored_title(ids[0])
        return added, titles, merges, cuts

    def _stored_title(self, article_id: str) -> str:
        """The title a story started by a stored article takes (a split's part)."""
        return _title(self.store.get_articles([article_id], mentions_only=True)[0])


@dataclass(slots=True)
class _Tracking:
    """The run's story tracker and what of it the store does not have yet.

    A commit writes the header, the rows of the stories that took an article since the last one,
    the norms of those and of the candidates whose norms were recomputed, and the rows of the
    features whose frequency or last eviction may have moved: the features of those articles, and
    those the stories carried when they took them (where absorbing an article evicts other
    stories).  All of these are what the commit's articles touched, so a commit costs the same
    however many stories the store holds.
    """

    tracker: StoryTracker
    seq: int
    """The tracker's ``seq`` as stored."""
    touched: set[str] = field(default_factory=set)
    """Features whose document frequency or last eviction may have changed since the last commit."""

    @classmethod
    def load(cls, store: Store, settings: Settings) -> _Tracking:
        """The tracker as stored (a new one for a store that has none), with only the stories it
        can still link an article to: those inside its time window and the undated ones inside
        its arrival window (``StoryTracker.live_from``, ``StoryTracker.live_updated_from``),
        selected in SQL with their memberships.  Loading every
        story the store had ever tracked made each ingest cost memory and time in proportion to
        the whole store; the stories that are left out could never take an article again, so the
        decisions are the same (``tests/test_store_ingest.py`` compares with a whole-store load).
        """
        header = store.tracker_state(_CLUSTER)
        if header is None:
            tracker = StoryTracker(settings.cluster)
        else:
            stories, norms = store.tracker_rows(
                _CLUSTER,
                live_from=StoryTracker.live_from(header),
                live_updated_from=StoryTracker.live_updated_from(header),
            )
            carried = set().union(*map(story_row_features, stories))
            features = store.tracker_feature_rows(_CLUSTER, carried)
            memberships = store.story_article_ids([str(row["id"]) for row in stories])
            tracker = StoryTracker.from_rows(header, stories, norms, features, memberships)
        return cls(tracker, int(tracker.header()["seq"]))

    def add_all(self, store: Store, articles: Sequence[Article]) -> list[str]:
        """Track articles in order; their stories' ids."""
        found = self._features(store, articles)
        return [self.add(a, f) for a, f in zip(articles, found, strict=True)]

    def fetch(
        self, store: Store, article_ids: Sequence[str]
    ) -> list[tuple[ArticleFeatures, Sequence[float] | None]]:
        """Stored articles' features (and embeddings) for a split check (the tracker asks for a
        few hundred at a time)."""
        articles = store.get_articles(list(article_ids), mentions_only=True)
        features = self._features(store, articles)
        return list(zip(features, map(self.tracker.vector, articles), strict=True))

    def _features(self, store: Store, articles: Sequence[Article]) -> list[ArticleFeatures]:
        """The articles' features, with the frequencies of those the tracker lacks read first.

        The tracker holds the frequencies of its stories' features only (see
        ``StoryTracker.know_features``): those of the articles' features it lacks are read from
        the store in one read for the lot (a query per few hundred features), so the IDF it
        weighs them with is the corpus's.
        """
        found = [article_features(a, self.tracker.settings) for a in articles]
        unknown = set().union(*map(self.tracker.unknown_features, found))
        if unknown:
            self.tracker.know_features(store.tracker_feature_rows(_CLUSTER, unknown))
        return found

    def add(self, article: Article, features: ArticleFeatures) -> str:
        """Track one article whose features' frequencies the tracker holds; its story's id."""
        story_id, features = self.tracker.add_article(article, features)
        self.touched.update(features.terms)
        self.touched.update(features.entities)
        self.touched.update(self.tracker.carried(story_id))
        return story_id

    def consolidate(self, store: Store) -> tuple[list[StorySplit], list[StoryMerge]]:
        """The tracker's splits and merges for this commit (see ``StoryTracker.consolidate``).  A
        split or a merge re-posts the stories it makes under their features, which can evict other
        stories from their postings: those features' rows are written with the commit.  A story
        due for a split check has its earlier articles read back from ``store``."""
        merges = self.tracker.consolidate(lambda ids: self.fetch(store, ids))
        self.tracker.take_merges()  # the caller hands them to the store with the memberships
        splits = self.tracker.take_splits()
        made = [m.into for m in merges] + [i for s in splits for i in (s.story, *dict(s.parts))]
        for story_id in made:
            if self.tracker.has_story(story_id):
                self.touched.update(self.tracker.carried(story_id))
        return splits, merges

    def save(self, store: Store) -> None:
        """Write what changed since the last commit (call inside the batch with the memberships)."""
        joined, rescored = self.tracker.take_changes()
        rows = [self.tracker.story_row(s) for s in joined]
        norms = {s: self.tracker.norms_row(s) for s in rescored}
        store.put_tracker_rows(_CLUSTER, rows, norms, self.tracker.feature_rows(self.touched))
        header = self.tracker.header()
        store.put_tracker_state(_CLUSTER, header)
        store.put_tracker_state(_CLUSTER_SEQ, {"seq": header["seq"]})
        self.seq, self.touched = int(header["seq"]), set()
        # their rows are written: hold only the window in memory, as a reload would
        self.tracker.forget_expired()
        self.tracker.forget_features()


@dataclass(frozen=True, slots=True)
class _PrepareTask:
    """Clean, then extract, a few raw documents: one call in a worker, one result per document.

    One task for both stages, so documents and articles cross between processes once each way,
    and the workers never sit idle between a batch's clean and its extract.  Exact duplicates are
    dropped afterwards, by the store (rare, and their extraction is the same work either way).
    """

    settings: Settings
    debug: bool

    def __call__(self, raws: Sequence[RawDocument]) -> list[Article | Rejection]:
        inline = LocalExecutor(1)
        unclean: list[Rejection] = []
        cleaned = clean_articles(
            raws, self.settings, executor=inline, reject=unclean.append, debug=self.debug
        )
        unextracted: list[Rejection] = []
        extracted = extract_articles(
            cleaned, self.settings, executor=inline, reject=unextracted.append, debug=self.debug
        )
        annotated = {a.raw_id: a for a in extracted}
        cleaned_ids = {a.raw_id for a in cleaned}
        # both stages keep input order, so the k-th rejection of a stage is the k-th document
        # that stage gave no article for
        clean_rejected, extract_rejected = iter(unclean), iter(unextracted)
        return [
            annotated[raw.id]
            if raw.id in annotated
            else next(extract_rejected if raw.id in cleaned_ids else clean_rejected)
            for raw in raws
        ]


# --- helpers -------------------------------------------------------------------------------------


def check_sources(sources: Sequence[str]) -> None:
    """Fail before writing anything when a local source is missing: a typo in a scheduled ingest
    should stop it, not quietly ingest the rest."""
    if not sources:
        raise InputError("no sources given")
    for source in sources:
        if source == "-" or source.lower().startswith(("http://", "https://")):
            continue
        if not Path(source).exists():
            raise InputError(f"{source}: no such file or directory")


def _same_settings(
    store: Store, section: str, stored: Mapping[str, Any], current: Mapping[str, Any]
) -> None:
    changed = [
        f"{section}.{key} = {current.get(key)!r} (the store has {stored.get(key)!r})"
        for key in sorted(set(stored) | set(current))
        if stored.get(key) != current.get(key)
    ]
    if changed:
        raise ConfigError(
            f"store {store.location} was built with other {section} settings: "
            + "; ".join(changed)
            + ". Use the store's settings, or a new store"
        )


def _batches(items: Iterator[RawDocument | Rejection], size: int) -> Iterator[list[Any]]:
    batch: list[RawDocument | Rejection] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _time_order(article_id: str, published_at: str | None) -> tuple[int, float, str]:
    """The tracker's canonical order (as in ``cluster()``): dated articles by time, then undated
    ones; ties by id.  Computed from two columns, so ordering 100k articles loads no text."""
    if published_at:
        try:
            moment = datetime.fromisoformat(published_at.strip())
        except ValueError:
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return (0, moment.timestamp() / 86400.0, article_id)
    return (1, 0.0, article_id)


def _title(article: Article) -> str:
    """A new story's title: its first article's headline, else the opening of its text."""
    if article.title and article.title.strip():
        return article.title.strip()
    opening = " ".join(article.text.split()[:12])
    return opening + ("…" if len(article.text.split()) > 12 else "")
