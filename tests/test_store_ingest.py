"""The store-backed ingest finds what the in-memory corpus run finds, keeps it, and grows it.

Real files (the example story and the seeds), real SQLite stores.  One ingest over an empty store
must give the same families and stories as ``analyse_corpus``; later ingests must extend them.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from factories import ecb_events
from newsfuse.config import Settings, load_settings
from newsfuse.corpus import CorpusResult, analyse_corpus, families_of, ingest, report_story
from newsfuse.errors import ConfigError, InputError
from newsfuse.models import RawDocument
from newsfuse.outputs.json import load_report_schema
from newsfuse.stages.extract import annotate
from newsfuse.stages.ingest.sources import read_sources
from newsfuse.store import NotInStoreError, Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE = ROOT / "examples" / "harbour-strike"


@pytest.fixture(scope="module")
def sources() -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    return [str(EXAMPLE), str(SEEDS)]


@pytest.fixture(scope="module")
def reference(sources: list[str]) -> CorpusResult:
    raws = [r for r in read_sources(sources, Settings().ingest) if isinstance(r, RawDocument)]
    return analyse_corpus(raws, Settings(), min_articles=10**6)  # stories only, no reports


@pytest.fixture(scope="module")
def ingested(sources: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store made by one ingest, in batches of 4 so families and stories cross batches."""
    path = tmp_path_factory.mktemp("ingested") / "store.db"
    with Store.open(path) as store:
        summary = ingest(sources, store, Settings(), batch_size=4)
    assert (summary.read, summary.stored, summary.articles, summary.tracked) == (13, 13, 13, 13)
    assert len(summary.new_stories) == 2 and not summary.extended_stories
    return path


def _copy(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store.db"
    shutil.copyfile(path, target)
    return target


def test_one_ingest_matches_the_in_memory_corpus_run(
    ingested: Path, reference: CorpusResult
) -> None:
    with Store.open(ingested) as store:
        stories = {s.id: s.article_ids for s in store.list_stories()}
        articles = store.get_articles(store.article_ids())
        state = store.tracker_state("cluster")
    assert stories == dict(reference.stories)
    assert families_of(articles) == dict(reference.families)
    assert max(len(ids) for ids in reference.families.values()) == 2  # a family to get right
    assert state is not None and state["seq"] == 13  # the tracker is kept, to be resumed


def test_batch_size_does_not_change_the_result(
    sources: list[str], reference: CorpusResult, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "one.db") as store:
        ingest(sources, store, Settings(), batch_size=1000)
        assert {s.id: s.article_ids for s in store.list_stories()} == dict(reference.stories)
        assert families_of(store.get_articles(store.article_ids())) == dict(reference.families)


def test_a_pool_of_workers_gives_the_same_result(
    sources: list[str], reference: CorpusResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two worker processes prepare each batch while the one before is stored, and are replaced
    by fresh ones every two batches (of four)."""
    monkeypatch.setattr(importlib.import_module("newsfuse.corpus.ingest"), "WORKER_BATCHES", 2)
    settings = load_settings(None, ["run.workers=2"])
    with Store.open(tmp_path / "pool.db") as store:
        summary = ingest(sources, store, settings, batch_size=4)
        assert {s.id: s.article_ids for s in store.list_stories()} == dict(reference.stories)
        assert families_of(store.get_articles(store.article_ids())) == dict(reference.families)
    assert (summary.prepared, summary.articles, summary.tracked) == (13, 13, 13)


def test_ingesting_the_same_sources_again_is_a_no_op(
    ingested: Path, sources: list[str], tmp_path: Path
) -> None:
    path = _copy(ingested, tmp_path)
    with Store.open(path) as store:
        before = store.counts()
        stories = store.list_stories()
        summary = ingest(sources, store, Settings(), batch_size=4)
        assert store.counts() == before
        assert store.list_stories() == stories
    assert (summary.read, summary.known, summary.stored) == (13, 13, 0)
    assert (summary.prepared, summary.articles, summary.tracked) == (0, 0, 0)
    assert summary.new_stories == summary.extended_stories == ()


def test_a_later_ingest_extends_the_story_and_joins_the_family(
    reference: CorpusResult, tmp_path: Path
) -> None:
    """Ingest the example without one copy of its wire story, then that copy alone."""
    family = next(ids for ids in reference.families.values() if len(ids) == 2)
    held_back = Path(reference.articles[max(family)].origin)
    first = tmp_path / "first"
    first.mkdir()
    for path in sorted(EXAMPLE.iterdir()):
        if path != held_back:
            shutil.copyfile(path, first / path.name)
    with Store.open(tmp_path / "store.db") as store:
        ingest([str(first)], store, Settings(), batch_size=3)
        (story,) = store.list_stories()
        assert len(story.article_ids) == 7
        summary = ingest([str(held_back)], store, Settings())
        assert summary.extended_stories == (story.id,) and summary.new_stories == ()
        assert summary.in_families == 1
        (grown,) = store.list_stories()
        assert grown.article_ids[:7] == story.article_ids and len(grown.article_ids) == 8
        assert families_of(store.get_articles(store.article_ids())) == {
            key: ids for key, ids in reference.families.items() if key in grown.article_ids
        }


def test_an_article_with_a_smaller_id_renames_the_stored_family(
    reference: CorpusResult, tmp_path: Path
) -> None:
    """A family is named by its smallest id whatever the order: hold back the smaller one."""
    family = next(ids for ids in reference.families.values() if len(ids) == 2)
    smaller = Path(reference.articles[min(family)].origin)
    larger = Path(reference.articles[max(family)].origin)
    with Store.open(tmp_path / "store.db") as store:
        ingest([str(larger)], store, Settings())
        assert store.get_article(max(family)).dup_group == max(family)
        ingest([str(smaller)], store, Settings())
        assert {store.get_article(i).dup_group for i in family} == {min(family)}


def test_report_story_reports_from_stored_articles_and_keeps_the_json(
    ingested: Path, reference: CorpusResult, tmp_path: Path
) -> None:
    path = _copy(ingested, tmp_path)
    story_id = max(reference.stories, key=lambda s: len(reference.stories[s]))
    with Store.open(path) as store:
        report = report_story(store, story_id, Settings())
        stored = store.latest_report(story_id)
        with pytest.raises(NotInStoreError, match="story_nope"):
            report_story(store, "story_nope", Settings())
    assert sorted(a.id for a in report.articles) == sorted(reference.stories[story_id])
    assert stored is not None
    jsonschema.validate(stored.data(), load_report_schema())
    assert stored.data()["settings_hash"] == report.settings_hash
    assert json.loads(stored.body)["story"]["article_ids"] == list(report.story.article_ids)


def test_other_cluster_or_dedupe_settings_are_refused(ingested: Path, tmp_path: Path) -> None:
    path = _copy(ingested, tmp_path)
    with Store.open(path) as store:
        for override in ("cluster.threshold=0.5", "dedupe.threshold=0.6"):
            with pytest.raises(ConfigError, match=override.split("=")[0]):
                ingest([str(EXAMPLE)], store, load_settings(None, [override]))


def test_a_store_built_before_the_containment_test_takes_the_defaults(
    ingested: Path, tmp_path: Path
) -> None:
    """Its recorded dedupe settings lack ``containment``: they read as the default (its stored
    signatures have no shingle counts and are matched by the Jaccard alone), so an ingest with
    the default settings goes on, and another containment is refused as any other change is."""
    path = _copy(ingested, tmp_path)
    with Store.open(path) as store:
        recorded = store.tracker_state("dedupe")
        assert recorded is not None
        store.put_tracker_state("dedupe", {k: v for k, v in recorded.items() if k != "containment"})
        summary = ingest([str(EXAMPLE)], store, Settings())
        assert summary.read == 8 and summary.stored == 0
        with pytest.raises(ConfigError, match="dedupe.containment"):
            ingest([str(EXAMPLE)], store, load_settings(None, ["dedupe.containment=0.9"]))


def test_a_missing_source_stops_before_anything_is_written(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store.db") as store:
        with pytest.raises(InputError, match=r"missing\.txt: no such file"):
            ingest([str(EXAMPLE), str(tmp_path / "missing.txt")], store, Settings())
        assert store.counts()["raw_documents"] == 0


class _Stop(Exception):
    """Raised from the progress callback: the ingest stops right after a committed batch."""


def test_tracking_resumed_after_every_commit_matches_the_in_memory_corpus_run(
    sources: list[str], reference: CorpusResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stop the ingest after each tracking commit and run it again: every run resumes the tracker
    from the stored rows (header, per-story rows, per-feature counts), and the end result must be
    the uninterrupted one, ids and all.  The feature log is folded into its table once it holds
    more than 300 entries, so the runs resume from features in both.

    The stories are the in-memory corpus run's; their ids may not be: the default tracker
    consolidates once per commit (the in-memory run once, at the end), and a merge keeps the id
    of the story that is bigger when it happens, which depends on where the commits fell."""
    monkeypatch.setattr(importlib.import_module("newsfuse.corpus.ingest"), "TRACK_BATCHES", 1)
    monkeypatch.setattr(importlib.import_module("newsfuse.store.store"), "FEATURE_LOG_MIN", 300)

    def stop_after_tracking(stage: str, done: int, total: int) -> None:
        if stage == "track":
            raise _Stop

    runs = 0
    with Store.open(tmp_path / "store.db") as store:
        while store.articles_without_story() or runs == 0:
            runs += 1
            with pytest.raises(_Stop):
                ingest(sources, store, Settings(), batch_size=2, on_progress=stop_after_tracking)
        resumed = {s.id: s.article_ids for s in store.list_stories()}
        counts = store.counts()
        assert counts["tracker_stories"] == counts["tracker_norms"] == len(reference.stories)
        assert counts["tracker_features"] and counts["tracker_feature_log"]
    assert runs == 7  # 13 articles, two per commit: six resumptions
    with Store.open(tmp_path / "uninterrupted.db") as store:
        ingest(sources, store, Settings(), batch_size=2)
        assert resumed == {s.id: s.article_ids for s in store.list_stories()}
    assert sorted(map(sorted, resumed.values())) == sorted(
        map(sorted, dict(reference.stories).values())
    )


def test_an_article_whose_extraction_raises_is_a_stored_rejection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a store ingest too: that document is rejected at extract (and counts as done), beside a
    page the clean stage rejects, and every other document gets its article."""
    real = annotate._annotate

    def fragile(article: Any, *args: Any) -> Any:
        if article.origin.endswith("02_calderra-press-agency.txt"):
            raise RuntimeError("boom on this page")
        return real(article, *args)

    monkeypatch.setattr(annotate, "_annotate", fragile)
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLE, folder)
    (folder / "00_short.txt").write_text("Too short to be an article.", encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        summary = ingest([str(folder)], store, Settings(), batch_size=4)
        reasons = {(r.item, r.stage, r.reason) for r in store.rejections()}
        assert (
            str(folder / "02_calderra-press-agency.txt"),
            "extract",
            "unexpected RuntimeError: boom on this page",
        ) in reasons
        assert any(item.endswith("00_short.txt") and stage == "clean" for item, stage, _ in reasons)
        assert store.raw_ids_without_article() == []
        assert summary.articles == len(list(EXAMPLE.iterdir())) - 1


def test_ingest_progress_gives_a_total_for_every_stage_that_knows_one(tmp_path: Path) -> None:
    """The progress bars show "done of total" once the total is known: clean and extract know the
    pending documents, track the articles to place; read cannot know how many documents a feed
    or a JSONL file holds before reading it, and says 0 (unknown)."""
    seen: dict[str, list[tuple[int, int]]] = {}

    def on_progress(stage: str, done: int, total: int) -> None:
        seen.setdefault(stage, []).append((done, total))

    with Store.open(tmp_path / "s.db") as store:
        ingest([str(EXAMPLE)], store, Settings(), batch_size=3, on_progress=on_progress)
    assert {total for _, total in seen["read"]} == {0}
    for stage in ("clean", "extract", "track"):
        assert {total for _, total in seen[stage]} == {8}, stage
        assert seen[stage][-1] == (8, 8), stage


def _cut_of_the_wire(folder: Path, paragraphs: int) -> Path:
    """A paper's re-run of the example's wire copy: its first ``paragraphs`` paragraphs."""
    wire = EXAMPLE / "02_calderra-press-agency.txt"
    lines = [line for line in wire.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = folder / "09_local-daily.txt"
    folder.mkdir()
    path.write_text("\n\n".join(lines[:paragraphs]) + "\n", encoding="utf-8")
    return path


def test_a_later_cut_copy_of_the_wire_story_joins_its_family(tmp_path: Path) -> None:
    """A re-run of the example's wire copy cut to its first half (17 of 33 paragraphs), ingested
    a day later, joins the wire copy's stored family (one source), where the Jaccard test alone
    would not."""
    cut = _cut_of_the_wire(tmp_path / "later", 17)
    with Store.open(tmp_path / "store.db") as store:
        ingest([str(EXAMPLE)], store, Settings(), batch_size=3)
        family = next(
            a.dup_group for a in store.get_articles(store.article_ids()) if "02_" in a.origin
        )
        summary = ingest([str(cut)], store, Settings())
        assert summary.in_families == 1
        (added,) = [
            a for a in store.get_articles(store.article_ids()) if a.origin.endswith(cut.name)
        ]
        assert added.dup_group == family


def test_a_cut_copy_the_bands_miss_is_still_one_source_in_its_storys_report(
    tmp_path: Path,
) -> None:
    """Cut to 14 of 33 paragraphs the copy shares no LSH band with the wire copy, so the store's
    families (banded candidates) keep it apart; the story's report compares every pair of its
    articles and counts it as the wire copy's source."""
    cut = _cut_of_the_wire(tmp_path / "later", 14)
    with Store.open(tmp_path / "store.db") as store:
        ingest([str(EXAMPLE)], store, Settings(), batch_size=3)
        ingest([str(cut)], store, Settings())
        stored = {Path(a.origin).name: a for a in store.get_articles(store.article_ids())}
        wire = stored["02_calderra-press-agency.txt"]
        assert stored[cut.name].dup_group == stored[cut.name].id != wire.dup_group
        (story,) = store.list_stories()
        assert stored[cut.name].id in story.article_ids
        report = report_story(store, story.id, Settings())
    reported = {Path(a.origin).name: a for a in report.articles}
    assert reported[cut.name].dup_group == reported[wire.origin.rsplit("/", 1)[-1]].dup_group


def test_a_story_cut_at_the_commit_is_stored_as_its_parts(tmp_path: Path) -> None:
    """ECB+ topic 30 (two events of one kind, 27 undated reports) in one tracking commit: the
    commit's merges leave one story holding both events, the split cuts it (``cluster.
    split_threshold``), and the store lists exactly the stories of the in-memory run, none
    mixing the two events."""
    events = ecb_events(30)
    if events is None:
        pytest.skip("ECB+ not found under ../shared/bench/events-dev")
    reports = [(a.text, name) for name, each in events.items() for a in each]
    event = {f"https://ecb.example/{n}": name for n, (_, name) in enumerate(reports)}
    lines = [
        json.dumps({"text": text, "url": f"https://ecb.example/{n}"})
        for n, (text, _) in enumerate(reports)
    ]
    source = tmp_path / "topic30.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raws = [r for r in read_sources([str(source)], Settings().ingest) if isinstance(r, RawDocument)]
    reference = analyse_corpus(raws, Settings(), min_articles=10**6)
    unsplit = dataclasses.replace(Settings().cluster, split_threshold=0.0)
    whole = analyse_corpus(raws, Settings(), cluster_settings=unsplit, min_articles=10**6)
    assert len(reference.stories) > len(whole.stories)  # the split did cut a story here
    with Store.open(tmp_path / "store.db") as store:
        ingest([str(source)], store, Settings(), batch_size=8)
        stories = {s.id: s.article_ids for s in store.list_stories()}
        articles = {a.id: a for a in store.get_articles(store.article_ids())}
    assert stories == dict(reference.stories)

    def mixed(found: dict[str, tuple[str, ...]]) -> int:
        return sum(len({event[str(articles[i].url)] for i in ids}) > 1 for ids in found.values())

    assert mixed(stories) < mixed(dict(whole.stories))


def _event_source(path: Path, reports: list[tuple[str, str]]) -> dict[str, str]:
    """Write ``(text, event)`` reports as a JSON-lines source; each report's URL → its event."""
    lines = [
        json.dumps({"text": text, "url": f"https://ecb.example/{path.stem}/{n}"})
        for n, (text, _) in enumerate(reports)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {f"https://ecb.example/{path.stem}/{n}": event for n, (_, event) in enumerate(reports)}


def test_a_stored_story_is_checked_again_when_later_reports_join_it(tmp_path: Path) -> None:
    """ECB+ topic 13 in two ingests, with a join that takes any story (``link_threshold`` 0): three
    reports of one event make one stored story; six reports of the other event, ingested later,
    join it.  That commit reads the story's stored articles back and cuts the newcomers out, so
    the stored story holds what it held and no story mixes the two events (without the split,
    the story ends with both).  Only the commit's own articles moved, which no one saw in the
    stored story: no split is recorded."""
    events = ecb_events(13)
    if events is None:
        pytest.skip("ECB+ not found under ../shared/bench/events-dev")
    (first_name, first), (second_name, second) = events.items()
    event = _event_source(tmp_path / "first.jsonl", [(a.text, first_name) for a in first[:3]])
    event |= _event_source(tmp_path / "second.jsonl", [(a.text, second_name) for a in second])
    found = {}
    for split in (0.0, Settings().cluster.split_threshold):
        cluster = dataclasses.replace(
            Settings().cluster,
            link_threshold=0.0,
            merge_threshold=1.0,
            merge_linkage="cosine",
            split_threshold=split,
        )
        settings = dataclasses.replace(Settings(), cluster=cluster)
        with Store.open(tmp_path / f"store-{split}.db") as store:
            ingest([str(tmp_path / "first.jsonl")], store, settings)
            (stored,) = store.list_stories()
            summary = ingest([str(tmp_path / "second.jsonl")], store, settings)
            stories = {s.id: s.article_ids for s in store.list_stories()}
            url = {a.id: str(a.url) for a in store.get_articles(store.article_ids())}
            history = store.split_history(list(stories))
        mixed = sum(len({event[url[i]] for i in ids}) > 1 for ids in stories.values())
        found[split > 0] = (stored, summary, stories, mixed, history)
    stored, summary, stories, mixed, history = found[True]
    assert stories[stored.id] == stored.article_ids
    assert mixed == 0 < found[False][3]
    assert summary.split_stories == () and history == ({}, {})
    assert sorted(a for ids in stories.values() for a in ids) == sorted(url)
