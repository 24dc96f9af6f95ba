"""A corpus run: many stories at once.

    raw documents → prepare_articles (clean, exact duplicates, near-duplicate families, extract)
                  → stories (the incremental tracker, fed in canonical time order)
                  → analyse_story per story → one Report per story

:func:`analyse_corpus` is the in-memory reference of what a corpus run computes; the store-backed
ingest and the Spark executor must give the same families, stories and facts for the same input and
settings (tests compare them).  Story ids and family ids are content hashes, so they do not depend on
where or in what order the work ran.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from newsfuse.config import Settings
from newsfuse.executors.base import Executor
from newsfuse.models import Article, RawDocument, Rejection, Report
from newsfuse.pipeline import ProgressCallback, analyse_story, prepare_articles
from newsfuse.stages.cluster import ClusterSettings, cluster

__all__ = ["CorpusResult", "analyse_corpus", "families_of", "report_stories"]


@dataclass(frozen=True, slots=True)
class CorpusResult:
    """What a corpus run found: articles, near-duplicate families, stories and their reports."""

    articles: Mapping[str, Article]
    """Annotated articles by id (the ``dup_group`` field holds the family id)."""
    families: Mapping[str, tuple[str, ...]]
    """Family id → its article ids, sorted; singletons included."""
    stories: Mapping[str, tuple[str, ...]]
    """Story id → its article ids in the order the tracker took them."""
    reports: Mapping[str, Report] = field(default_factory=dict)
    """Story id → the story's report (only for stories that were analysed)."""
    rejections: tuple[Rejection, ...] = ()


def families_of(articles: Sequence[Article]) -> dict[str, tuple[str, ...]]:
    """Family id → sorted article ids, from each article's ``dup_group``."""
    families: dict[str, list[str]] = {}
    for article in articles:
        families.setdefault(article.dup_group or article.id, []).append(article.id)
    return {key: tuple(sorted(ids)) for key, ids in sorted(families.items())}


def report_stories(
    articles: Mapping[str, Article],
    stories: Mapping[str, Sequence[str]],
    settings: Settings,
    *,
    min_articles: int = 1,
) -> dict[str, Report]:
    """Run the per-story analysis over each story with at least ``min_articles`` articles."""
    return {
        story_id: analyse_story([articles[i] for i in ids], settings, story_id=story_id)
        for story_id, ids in sorted(stories.items())
        if len(ids) >= min_articles
    }


def analyse_corpus(
    raws: Sequence[RawDocument],
    settings: Settings,
    *,
    cluster_settings: ClusterSettings | None = None,
    executor: Executor | None = None,
    on_progress: ProgressCallback | None = None,
    min_articles: int = 1,
) -> CorpusResult:
    """Find the stories in ``raws`` and report each one; the in-memory reference corpus run."""
    rejections: list[Rejection] = []
    reject: Callable[[Rejection], None] = rejections.append
    prepared = prepare_articles(
        raws, settings, executor=executor, reject=reject, on_progress=on_progress
    )
    articles = {article.id: article for article in prepared}
    stories = {
        sid: tuple(ids)
        for sid, ids in cluster(prepared, cluster_settings or settings.cluster).items()
    }
    reports = report_stories(articles, stories, settings, min_articles=min_articles)
    return CorpusResult(
        articles=articles,
        families=families_of(prepared),
        stories=stories,
        reports=reports,
        rejections=tuple(sorted(rejections, key=lambda r: (r.item, r.stage, r.reason))),
    )
