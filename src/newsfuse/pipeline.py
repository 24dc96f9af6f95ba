"""The newsfuse pipeline, top to bottom.

    ingest → clean → (exact duplicates) → near-duplicate families → extract → canonical entities
           → summarize, timeline, align (facts, conflicts, quote drift, framing, phases) → Report

Per-article stages (clean, extract) run through an :class:`~newsfuse.executors.base.Executor`; the
story-level stage (summarize) runs once over the story's articles.  Every per-item failure becomes a
:class:`~newsfuse.models.Rejection` that is reported, and the rest of the input goes on.  Later
stages (near-duplicate families, clustering, alignment into facts) slot in here, in this order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO, TypeVar

from newsfuse.config import (
    AlignSettings,
    CleanSettings,
    Settings,
    settings_hash,
    units_for,
)
from newsfuse.errors import InputError, ItemError
from newsfuse.executors.base import Executor
from newsfuse.executors.local import LocalExecutor
from newsfuse.models import (
    REPORT_SCHEMA_VERSION,
    Article,
    RawDocument,
    Rejection,
    Report,
    Story,
    TimelineEntry,
    content_id,
)
from newsfuse.stages.align.corroborate import Corroboration, corroborate
from newsfuse.stages.align.embeddings import SentenceEncoder, model_path
from newsfuse.stages.align.pair_encoder import PairEncoder
from newsfuse.stages.align.same_fact import (
    CONTAINMENT,
    CONTAINMENT_EMBEDDING,
    LEXICAL,
    LEXICAL_EMBEDDING,
    EncoderDecision,
    FactMatcher,
    PairDecision,
    VectorDecision,
)
from newsfuse.stages.align.sources import unify_outlets
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.dedupe import assign_families, refine_families
from newsfuse.stages.extract.annotate import Extractor
from newsfuse.stages.extract.canonical import canonicalise
from newsfuse.stages.ingest.sources import read_sources
from newsfuse.stages.summarize import BriefContext, build_story
from newsfuse.stages.timeline import build_timeline

__all__ = [
    "ProgressCallback",
    "RejectionCallback",
    "analyse_story",
    "clean_articles",
    "extract_articles",
    "prepare_articles",
    "run",
]

_T = TypeVar("_T")

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``(stage, done, total)`` while a stage advances."""
RejectionCallback = Callable[[Rejection], None]
"""Called once for each rejected item, as soon as it is rejected."""

_EXTRACT_BATCH = (
    16  # articles per extract task: big enough for nlp.pipe batching, small for progress
)


@dataclass(frozen=True, slots=True)
class _CleanTask:
    """Picklable per-document clean step that turns an ItemError into a Rejection."""

    settings: CleanSettings
    debug: bool = False

    def __call__(self, raw: RawDocument) -> Article | Rejection:
        try:
            return clean_document(raw, self.settings)
        except ItemError as exc:
            return Rejection(raw.origin, "clean", exc.reason)
        except Exception as exc:  # a bug on one page must not lose the other pages
            if self.debug:
                raise
            return Rejection(raw.origin, "clean", f"unexpected {type(exc).__name__}: {exc}")


@dataclass(frozen=True, slots=True)
class _ExtractTask:
    """Picklable extract step for a batch: annotated articles, or a Rejection for one that fails.

    The batch goes through spaCy in one ``nlp.pipe`` call (where its speed comes from).  Only when
    that raises is each article of the batch annotated alone, so the one that fails becomes a
    Rejection naming it and the stage, and its fifteen neighbours are not lost with it.
    """

    extractor: Extractor
    debug: bool = False

    def __call__(self, articles: Sequence[Article]) -> list[Article | Rejection]:
        try:
            return list(self.extractor(articles))
        except Exception:
            if self.debug:
                raise
        results: list[Article | Rejection] = []
        for article in articles:
            try:
                results.extend(self.extractor([article]))
            except Exception as exc:  # a bug on one article must not lose the others
                results.append(
                    Rejection(article.origin, "extract", f"unexpected {type(exc).__name__}: {exc}")
                )
        return results


def run(
    sources: Sequence[str],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    executor: Executor | None = None,
    on_progress: ProgressCallback | None = None,
    on_rejection: RejectionCallback | None = None,
    debug: bool = False,
) -> Report:
    """Run the whole pipeline over ``sources`` (taken to be one story) and return the report.

    Raises :class:`~newsfuse.errors.InputError` when no article could be produced at all.
    """
    check_models(settings.align)
    progress = on_progress or (lambda stage, done, total: None)
    rejections: list[Rejection] = []

    def reject(rejection: Rejection) -> None:
        rejections.append(rejection)
        if on_rejection is not None:
            on_rejection(rejection)

    raws: list[RawDocument] = []
    for item in read_sources(
        sources, settings.ingest, stdin=stdin, http=settings.http, feeds=settings.feed
    ):
        if isinstance(item, Rejection):
            reject(item)
        else:
            raws.append(item)
        progress("ingest", len(raws), 0)

    warm_up = _warm_up_models(settings.align)
    articles = prepare_articles(
        raws, settings, executor=executor, reject=reject, on_progress=progress, debug=debug
    )
    if not articles:
        raise InputError(
            f"nothing could be processed: {len(rejections)} input(s) rejected"
            if rejections
            else "no input files found"
        )
    if warm_up is not None:
        warm_up.join()
    return analyse_story(
        articles,
        settings,
        rejections=rejections,
        on_progress=progress,
        on_rejection=on_rejection,
        debug=debug,
    )


def clean_articles(
    raws: Sequence[RawDocument],
    settings: Settings,
    *,
    executor: Executor | None = None,
    reject: RejectionCallback | None = None,
    on_progress: ProgressCallback | None = None,
    debug: bool = False,
) -> list[Article]:
    """Clean each raw document into an article (in input order); failures go to ``reject``."""
    executor = executor or LocalExecutor(settings.run.workers)
    progress = on_progress or (lambda stage, done, total: None)
    articles: list[Article] = []
    task = _CleanTask(settings.clean, debug)
    for done, result in enumerate(executor.map(task, raws), start=1):
        if isinstance(result, Rejection):
            if reject is not None:
                reject(result)
        else:
            articles.append(result)
        progress("clean", done, len(raws))
    return articles


def extract_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    executor: Executor | None = None,
    reject: RejectionCallback | None = None,
    on_progress: ProgressCallback | None = None,
    debug: bool = False,
) -> list[Article]:
    """Annotate articles (sentences, mentions, quotes, claims) in batches, in input order.

    An article whose annotation raises goes to ``reject`` (stage ``extract``), in input order, and
    the others go on; ``debug`` lets the exception through instead, for its traceback.
    """
    executor = executor or LocalExecutor(settings.run.workers)
    progress = on_progress or (lambda stage, done, total: None)
    task = _ExtractTask(Extractor(settings.extract), debug)
    batches = [articles[i : i + _EXTRACT_BATCH] for i in range(0, len(articles), _EXTRACT_BATCH)]
    annotated: list[Article] = []
    done = 0
    for batch in executor.map(task, batches):
        for result in batch:
            if isinstance(result, Rejection):
                if reject is not None:
                    reject(result)
            else:
                annotated.append(result)
        done += len(batch)
        progress("extract", done, len(articles))
    return annotated


def prepare_articles(
    raws: Sequence[RawDocument],
    settings: Settings,
    *,
    executor: Executor | None = None,
    reject: RejectionCallback | None = None,
    on_progress: ProgressCallback | None = None,
    debug: bool = False,
) -> list[Article]:
    """The per-article half of the pipeline: clean → exact duplicates → families → extract.

    Byte-identical texts are kept once (the others go to ``reject``); near-duplicate families are
    assigned over the documents given, so a wire copy and its re-run count as one source.
    """
    executor = executor or LocalExecutor(settings.run.workers)
    cleaned = clean_articles(
        raws, settings, executor=executor, reject=reject, on_progress=on_progress, debug=debug
    )
    unique = _drop_exact_duplicates(cleaned, reject or (lambda rejection: None))
    families = assign_families(
        unique, settings.dedupe
    )  # wire copies re-run with small edits: one source
    return extract_articles(
        families,
        settings,
        executor=executor,
        reject=reject,
        on_progress=on_progress,
        debug=debug,
    )


def analyse_story(
    articles: Sequence[Article],
    settings: Settings,
    *,
    rejections: Sequence[Rejection] = (),
    on_progress: ProgressCallback | None = None,
    on_rejection: RejectionCallback | None = None,
    debug: bool = False,
    story_id: str | None = None,
) -> Report:
    """The story-level half: canonical entities, corroboration, the brief (which covers the facts
    corroboration found), timeline → a Report.

    ``story_id`` is the id the story already has (a store's or a corpus run's story id), so a
    report names the story as the rest of the system does; without one, a hash of the article ids.

    ``articles`` are annotated articles of one story (from :func:`prepare_articles`, or from a
    store); the report is the same whichever way they came, given the same articles and settings.

    A step that raises unexpectedly (a bug met by one story's text) does not lose the report: the
    step's part is left empty, a Rejection names the story and the step (also passed to
    ``on_rejection``), and a note tells the reader what is missing.  ``debug`` lets it through.
    """
    progress = on_progress or (lambda stage, done, total: None)
    failures: list[Rejection] = []
    story_id = story_id or content_id(*sorted(a.id for a in articles), prefix="sty_")

    def guarded(stage: str, missing: str, step: Callable[[], _T], empty: Callable[[], _T]) -> _T:
        try:
            return step()
        except Exception as exc:  # one story's bug must not cost the report (or other stories)
            if debug:
                raise
            failure = Rejection(
                f"story {story_id}",
                stage,
                f"unexpected {type(exc).__name__}: {exc}; the report has no {missing}",
            )
            failures.append(failure)
            if on_rejection is not None:
                on_rejection(failure)
            return empty()

    steps = 4  # canonical names, corroboration, brief (of the facts), timeline
    progress("story", 0, steps)
    # a story's articles from a corpus come with families found on banded candidates; within the
    # story every pair is compared, so a copy cut to fit counts as the source it copies
    articles = refine_families(articles, settings.dedupe)
    articles = unify_outlets(articles)  # one outlet, one name: "Dawn", "dawn.com", "DAWN"
    entities, annotated_tuple = guarded(
        "canonical",
        "merged entity names",
        lambda: canonicalise(list(articles)),
        lambda: ((), tuple(articles)),
    )
    annotated = list(annotated_tuple)
    digest = settings_hash(settings)
    progress("story", 1, steps)
    corroboration = guarded(
        "align",
        "facts, conflicts, quote variants or framing",
        lambda: corroborate(
            annotated, _matcher(settings.align, progress), units=units_for(settings.align)
        ),
        lambda: Corroboration((), (), (), (), (), (), ()),
    )
    progress("story", 2, steps)
    found = BriefContext(
        facts=corroboration.facts,
        phases=corroboration.phases,
        conflicts=corroboration.conflicts,
        framing=corroboration.framing,
    )
    story = guarded(
        "summarize",
        "brief",
        lambda: build_story(annotated, settings.summarize, digest, context=found),
        lambda: _story_without_brief(story_id, annotated, digest),
    )
    progress("story", 3, steps)
    no_entries: tuple[TimelineEntry, ...] = ()
    timeline = guarded(
        "timeline", "timeline", lambda: build_timeline(annotated), lambda: no_entries
    )
    progress("story", 4, steps)
    by_id = {a.id: a for a in annotated}
    failure_notes = tuple(f"The {f.stage} step failed: {f.reason}." for f in failures)
    story = dataclasses.replace(
        story,
        id=story_id,
        entities=entities,
        timeline=timeline,
        facts=corroboration.facts,
        conflicts=corroboration.conflicts,
        quote_groups=corroboration.quote_groups,
        framing=corroboration.framing,
        coverage_gaps=corroboration.coverage_gaps,
        phases=corroboration.phases,
        notes=failure_notes + corroboration.notes + _anchoring_notes(timeline, annotated, settings),
    )
    return Report(
        schema_version=REPORT_SCHEMA_VERSION,
        settings_hash=digest,
        story=story,
        articles=tuple(by_id[i] for i in story.article_ids),
        rejections=tuple(
            sorted([*rejections, *failures], key=lambda r: (r.item, r.stage, r.reason))
        ),
    )


def _story_without_brief(story_id: str, articles: Sequence[Article], digest: str) -> Story:
    """The story when its brief could not be built: its articles, in publication order, no brief."""
    ordered = sorted(articles, key=lambda a: (a.published_at or "9999", a.id))
    title = next((a.title for a in ordered if a.title), None) or "Untitled story"
    return Story(
        id=story_id,
        title=title,
        article_ids=tuple(a.id for a in ordered),
        brief=(),
        settings_hash=digest,
    )


def _anchoring_notes(
    timeline: Sequence[TimelineEntry], articles: Sequence[Article], settings: Settings
) -> tuple[str, ...]:
    """Tell the reader how to place the dates the timeline could not: pasted page text seldom
    carries a publication date, and without one "Thursday" or "Oct. 25" has no year or week.

    Only entries whose articles lack a date count: "throughout the week" in a dated article stays
    ``2026-WXX`` whatever the reference, and the note must not promise what the flag cannot do.
    """
    if settings.extract.reference_date:
        return ()
    undated = {article.id for article in articles if not article.published_at}
    loose = sum(
        not entry.anchored and any(span.article_id in undated for span in entry.citations)
        for entry in timeline
    )
    if not loose:
        return ()
    return (
        f"{loose} of {len(timeline)} timeline dates are not anchored: their articles give no "
        "publication date. Run with --reference-date YYYY-MM-DD (the day the reports came out) "
        "to place them.",
    )


def check_models(settings: AlignSettings) -> None:
    """Fail before any work when the settings ask for a model that is not installed: without this,
    every story would lose its facts to the same MissingExtraError, one rejection at a time."""
    if settings.decision == "encoder":
        PairEncoder().check()  # the base model, torch and the tuned weights
    elif settings.embeddings or settings.decision == "vectors":
        model_path()


def _warm_up_models(settings: AlignSettings) -> threading.Thread | None:
    """Load the sentence-embedding model and the pair encoder, as the settings ask, in the
    background while spaCy parses.

    Importing torch and transformers and reading a model costs seconds; done in parallel
    with the extract stage, a run hardly waits for it.  A failure here is ignored: the align stage
    loads the model again and reports the error where it matters.
    """
    if not settings.embeddings and settings.decision not in ("encoder", "vectors"):
        return None

    def load() -> None:
        with contextlib.suppress(Exception):  # the align stage's own load reports any error
            if settings.embeddings or settings.decision == "vectors":
                SentenceEncoder().setup()
            if settings.decision == "encoder":
                PairEncoder().setup()

    thread = threading.Thread(target=load, name="newsfuse-embeddings", daemon=True)
    thread.start()
    return thread


def _matcher(settings: AlignSettings, progress: ProgressCallback | None = None) -> FactMatcher:
    """The same-fact matcher the settings ask for; with the pair encoder, whose passes are the
    long part of a big story's run, ``progress`` hears of the pairs it has read ("encoder")."""
    vectors = settings.decision == "vectors"
    encoder = SentenceEncoder() if settings.embeddings or vectors else None
    lexical = CONTAINMENT_EMBEDDING if settings.embeddings else CONTAINMENT
    decision: PairDecision | None = None
    if settings.decision == "containment":
        decision = lexical
    elif vectors:
        decision = VectorDecision()
    elif settings.decision == "lexical":
        decision = LEXICAL_EMBEDDING if settings.embeddings else LEXICAL
    elif settings.decision == "encoder":
        report = None if progress is None else partial(progress, "encoder")
        decision = EncoderDecision(lexical, encoder=PairEncoder(on_progress=report))
    return FactMatcher(
        encoder,
        threshold=settings.threshold,
        link_threshold=settings.link_threshold,
        decision=decision,
    )


def _drop_exact_duplicates(articles: list[Article], reject: RejectionCallback) -> list[Article]:
    """Keep one article per identical text: byte-identical copies are one source, not two."""
    seen: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: (a.origin, a.id)):
        if article.id in seen:
            reject(
                Rejection(
                    article.origin,
                    "dedupe",
                    f"same article text as {seen[article.id].origin}; counted once",
                )
            )
            continue
        seen[article.id] = article
    return list(seen.values())
