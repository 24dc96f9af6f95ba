"""The corpus run on Apache Spark: the same families, stories and reports as ``analyse_corpus``.

``pip install 'newsfuse[spark]'`` (PySpark; Java 17 on every machine).  :func:`spark_corpus` runs
:func:`newsfuse.corpus.analyse_corpus`'s pipeline with its work spread over a cluster:

1. **read** (:mod:`.spark_io`): inputs are listed on the driver and parsed on the executors with
   the local reader's own parsers (JSONL, WARC, text and HTML; local paths or object stores).
2. **clean** — ``mapPartitions`` of the picklable ``_CleanTask``: per document, no shared state.
3. **exact duplicates** — ``groupByKey`` on the article id (a hash of the cleaned text); the copy
   with the smallest origin is kept and the others are rejected naming it, as
   ``pipeline._drop_exact_duplicates`` does.
4. **near-duplicate families** — the map/barrier split of :mod:`newsfuse.stages.dedupe`:
   ``signatures`` per article on the executors; exact normalised texts collapse by ``groupByKey``
   on ``Signature.exact`` (the smallest id represents them); representatives ``flatMap`` to their
   LSH ``band_keys`` and ``groupByKey`` the key; each bucket's pairs are verified on the executors
   by the rule ``group`` uses (:func:`~newsfuse.stages.dedupe.joined`); the verified edges
   (far fewer than articles) go to the driver, where :class:`~newsfuse.stages.grouping.UnionFind`
   joins them — the smallest id becomes the root, exactly as ``group`` picks family ids, so the
   families equal ``assign_families`` whatever the partitioning.  Up to ``EXHAUSTIVE_UP_TO``
   distinct texts the representatives' signatures go to the driver and ``group`` compares every
   pair, as it does locally.
5. **extract** — ``mapPartitions`` of the picklable ``Extractor`` in batches: spaCy is loaded once
   per Python worker (``load_nlp`` caches it and Spark reuses workers), not once per article.
6. **stories, blocked by time** — the tracker is a single pass whose IDF and postings depend on
   *every* earlier article, so running it on independent time blocks in parallel would give other
   stories than ``cluster`` (an article's IDF would miss the earlier blocks).  Instead the costly
   part, each article's :func:`~newsfuse.stages.cluster.article_features` (stemmed, weighted terms
   and entity keys: a few hundred numbers, no text), is computed on the executors; ``sortBy`` the
   canonical key range-partitions the stream into consecutive time blocks, and the driver pulls
   them block by block (``toLocalIterator``, prefetching the next: at most two blocks in driver
   memory) into one :class:`~newsfuse.stages.cluster.StoryTracker`.  The stories are exactly
   ``cluster``'s.
7. **per-story analysis** — articles are keyed by their story id (``groupByKey``) and each story's
   ``analyse_story`` runs on an executor over its articles in the tracker's order.

Everything that reaches the driver is compact (listings, rejections, verified edges, features,
the story map); article texts and reports stay on the executors until written or collected.  Ids
are content hashes, so nothing depends on partitioning or scheduling.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from newsfuse.config import Settings
from newsfuse.corpus import CorpusResult, families_of
from newsfuse.corpus.spark_io import list_inputs, read_documents
from newsfuse.models import Article, RawDocument, Rejection, Report
from newsfuse.pipeline import _EXTRACT_BATCH, _CleanTask, analyse_story
from newsfuse.stages.cluster import ArticleFeatures, ClusterSettings, StoryTracker, article_features
from newsfuse.stages.dedupe import (
    EXHAUSTIVE_UP_TO,
    DedupeSettings,
    Signature,
    band_keys,
    group,
    joined,
    signatures,
)
from newsfuse.stages.extract.annotate import Extractor
from newsfuse.stages.grouping import UnionFind

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

__all__ = ["SparkCorpus", "spark_corpus"]

T = TypeVar("T")


@dataclass(frozen=True)
class SparkCorpus:
    """A corpus run on Spark: big parts stay distributed, the story map is on the driver."""

    articles: RDD[Article]
    """Annotated articles, ``dup_group`` set to the family id (cached)."""
    stories: Mapping[str, tuple[str, ...]]
    """Story id → its article ids in the order the tracker took them."""
    reports: RDD[tuple[str, Report]]
    """(story id, report) for each story with at least ``min_articles`` articles."""
    rejections: tuple[Rejection, ...]

    def story_of(self) -> dict[str, str]:
        """Article id → story id."""
        return {aid: sid for sid, ids in self.stories.items() for aid in ids}

    def collect(self) -> CorpusResult:
        """Everything on the driver, as :func:`~newsfuse.corpus.analyse_corpus` returns it."""
        articles = sorted(self.articles.collect(), key=lambda a: a.id)
        return CorpusResult(
            articles={a.id: a for a in articles},
            families=families_of(articles),
            stories=dict(sorted(self.stories.items())),
            reports=dict(sorted(self.reports.collect())),
            rejections=self.rejections,
        )


def spark_corpus(
    spark: SparkSession,
    inputs: Sequence[str] | RDD[RawDocument],
    settings: Settings,
    *,
    cluster_settings: ClusterSettings | None = None,
    dedupe_settings: DedupeSettings | None = None,
    min_articles: int = 1,
    partitions: int | None = None,
    extract: bool = True,
) -> SparkCorpus:
    """Run the corpus pipeline over ``inputs`` (paths/URIs, or an RDD of raw documents) on Spark.

    ``extract=False`` skips the spaCy stage (articles keep no mentions; the tracker then guesses
    entities from capitalised words, as it does for any unannotated article) — for measuring the
    corpus-scale stages alone; reports need annotated articles, so use it with a large
    ``min_articles``.
    """
    sc = spark.sparkContext
    slices = partitions or sc.defaultParallelism * 2
    rejections: list[Rejection] = []
    rejected: list[RDD[Rejection]] = []  # collected in one job once everything has run
    if isinstance(inputs, Sequence):
        files, unlisted = list_inputs(spark, inputs, settings.ingest)
        rejections.extend(unlisted)
        items = read_documents(spark, files, settings.ingest).cache()
        rejected.append(_of_type(items, Rejection))
        raws = _of_type(items, RawDocument)
    else:
        raws = inputs
    # a JSONL file or an archive is one record of the file listing: spread its documents out
    raws = raws.repartition(slices)

    cleaned = raws.mapPartitions(_clean_partition(settings)).cache()
    rejected.append(_of_type(cleaned, Rejection))
    unique = _drop_exact_duplicates(_of_type(cleaned, Article), slices).cache()
    rejected.append(_of_type(unique, Rejection))
    families = _assign_families(
        spark, _of_type(unique, Article), dedupe_settings or DedupeSettings(), slices
    )
    if extract:
        families = families.mapPartitions(_extract_partition(settings))
    articles = families.cache()

    stories = _track_stories(articles, cluster_settings or ClusterSettings())
    rejections.extend(sc.union(rejected).collect())
    reports = _analyse_stories(spark, articles, stories, settings, min_articles, slices)
    return SparkCorpus(
        articles=articles,
        stories=stories,
        reports=reports,
        rejections=tuple(sorted(rejections, key=lambda r: (r.item, r.stage, r.reason))),
    )


# --- per-article stages ------------------------------------------------------------------------------


def _of_type(items: RDD[Any], kind: type[T]) -> RDD[T]:
    """The items of one kind from a stage's mixed output (results and rejections)."""
    return items.filter(lambda item: isinstance(item, kind))


def _clean_partition(
    settings: Settings,
) -> Callable[[Iterable[RawDocument]], Iterator[Article | Rejection]]:
    task = _CleanTask(settings.clean)

    def clean(raws: Iterable[RawDocument]) -> Iterator[Article | Rejection]:
        return map(task, raws)

    return clean


def _extract_partition(settings: Settings) -> Callable[[Iterable[Article]], Iterator[Article]]:
    extractor = Extractor(settings.extract)

    def extract(articles: Iterable[Article]) -> Iterator[Article]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) == _EXTRACT_BATCH:
                yield from extractor(batch)
                batch = []
        if batch:
            yield from extractor(batch)

    return extract


def _drop_exact_duplicates(articles: RDD[Article], slices: int) -> RDD[Article | Rejection]:
    """One article per identical cleaned text (the smallest origin), the others rejected."""

    def keep_first(group: tuple[str, Iterable[Article]]) -> Iterator[Article | Rejection]:
        copies = sorted(group[1], key=lambda a: (a.origin, a.id))
        yield copies[0]
        for copy in copies[1:]:
            yield Rejection(
                copy.origin, "dedupe", f"same article text as {copies[0].origin}; counted once"
            )

    return articles.keyBy(lambda a: a.id).groupByKey(slices).flatMap(keep_first)


# --- near-duplicate families -------------------------------------------------------------------------


def _assign_families(
    spark: SparkSession, articles: RDD[Article], settings: DedupeSettings, slices: int
) -> RDD[Article]:
    """Set ``dup_group`` to the family id ``stages.dedupe.group`` would give (see module doc)."""

    def signed(article: Article) -> tuple[str, tuple[Article, Signature]]:
        sig = signatures(article.id, article.text, settings)
        return sig.exact, (article, sig)

    # exact normalised texts: one group, represented by its smallest id
    exact = articles.map(signed).groupByKey(slices).mapValues(_by_id).cache()
    representatives = exact.map(lambda item: item[1][0][1])

    if settings.containment > 0 and representatives.count() <= EXHAUSTIVE_UP_TO:
        # few enough to compare every pair, as ``group`` does: a few hundred signatures to the driver
        found = group(representatives.collect(), settings)
        family_of = spark.sparkContext.broadcast(found)
    else:
        edges = (
            representatives.flatMap(lambda sig: ((key, sig) for key in band_keys(sig, settings)))
            .groupByKey(slices)
            .flatMap(lambda bucket: _bucket_edges(bucket[1], settings))
            .distinct()
            .collect()
        )
        families = UnionFind[str](rep for pair in edges for rep in pair)
        for left, right in sorted(edges):
            families.union(left, right)
        family_of = spark.sparkContext.broadcast(
            {rep: families.find(rep) for rep in families.parent}
        )

    def tagged(exact_group: tuple[str, list[tuple[Article, Signature]]]) -> Iterator[Article]:
        members = exact_group[1]
        rep = members[0][0].id
        family = family_of.value.get(rep, rep)
        for article, _ in members:
            yield dataclasses.replace(article, dup_group=family)

    return exact.flatMap(tagged)


def _bucket_edges(
    signatures: Iterable[Signature], settings: DedupeSettings
) -> Iterator[tuple[str, str]]:
    """The joined pairs of one LSH bucket's signatures, each member against the later ones in one
    array operation.

    Row by row, not every pair at once: a band key that hundreds of copies of one wire story share
    is one bucket, and gathering both sides of its n(n-1)/2 pairs would hold that many MinHash rows
    (82 MB for 400 members, quadratic beyond); a row at a time holds the bucket's own rows."""
    members = sorted(signatures, key=lambda s: s.article_id)
    if len(members) < 2:
        return
    rows = np.array([m.minhash for m in members], dtype=np.uint32).reshape(len(members), -1)
    sizes = np.array([m.shingles for m in members], dtype=np.int64)
    for i in range(len(members) - 1):
        agree = (rows[i + 1 :] == rows[i]).sum(axis=1)
        right = sizes[i + 1 :]
        for k in np.flatnonzero(joined(agree, np.full_like(right, sizes[i]), right, settings)):
            yield members[i].article_id, members[i + 1 + int(k)].article_id


def _by_id(members: Iterable[tuple[Article, Signature]]) -> list[tuple[Article, Signature]]:
    return sorted(members, key=lambda member: member[0].id)


# --- stories -------------------------------------------------------------------------------------------


def _track_stories(articles: RDD[Article], settings: ClusterSettings) -> dict[str, tuple[str, ...]]:
    """Features on the executors, the sequential tracker on the driver, block by block in time."""
    features: RDD[ArticleFeatures] = articles.map(lambda a: article_features(a, settings))
    ordered = features.sortBy(lambda f: f.canonical_key())  # type: ignore[type-var]
    tracker = StoryTracker(settings)
    tracker.begin_batch()  # as cluster() does: one batch, consolidated once
    for item in ordered.toLocalIterator(prefetchPartitions=True):
        tracker.add_features(item)
    tracker.consolidate()  # as cluster() does: the same stories as the local path
    return {sid: tuple(ids) for sid, ids in tracker.stories().items()}


def _analyse_stories(
    spark: SparkSession,
    articles: RDD[Article],
    stories: Mapping[str, tuple[str, ...]],
    settings: Settings,
    min_articles: int,
    slices: int,
) -> RDD[tuple[str, Report]]:
    """``analyse_story`` per story on the executors, each over its articles in tracker order."""
    place = {
        aid: (sid, position)
        for sid, ids in stories.items()
        if len(ids) >= min_articles
        for position, aid in enumerate(ids)
    }
    lookup = spark.sparkContext.broadcast(place)

    def keyed(article: Article) -> Iterator[tuple[str, tuple[int, Article]]]:
        where = lookup.value.get(article.id)
        if where is not None:
            yield where[0], (where[1], article)

    def analyse(story: tuple[str, Iterable[tuple[int, Article]]]) -> tuple[str, Report]:
        story_id, members = story
        ordered = [article for _, article in sorted(members, key=_position)]
        return story_id, analyse_story(ordered, settings, story_id=story_id)

    return articles.flatMap(keyed).groupByKey(slices).map(analyse).cache()


def _position(member: tuple[int, Any]) -> int:
    return member[0]
