"""The store-backed ingest on each backend: SQLite always, PostgreSQL when configured.

The SQL the ingest adds (multi-row ON CONFLICT inserts, 64-bit band keys, ``IN`` lookups, family
renames, appending to stories) must behave the same on both.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsfuse.config import Settings
from newsfuse.corpus import families_of, ingest, report_story
from newsfuse.errors import ConfigError
from newsfuse.stages.cluster import ClusterSettings, StoryTracker
from newsfuse.store import Store

ROUNDUPS = Path(__file__).resolve().parents[2].parent / "shared" / "bench" / "roundups-dev"
"""Public benchmark data beside the repository (skipped without it): its validation file only."""
FIRST = ("01_merrow-herald.txt", "03_national-ledger.html", "04_eastshore-daily.txt")
LATER = ("02_calderra-press-agency.txt", "05_calderra-today.html")  # 02: the wire copy 04 re-ran


def test_ingest_twice_and_extend_on_each_backend(store_url: str, examples_dir: Path) -> None:
    first = [str(examples_dir / name) for name in FIRST]
    later_sources = [str(examples_dir / name) for name in LATER]
    with Store.open(store_url) as store:
        summary = ingest(first, store, Settings(), batch_size=2)
        assert (summary.articles, summary.tracked, len(summary.new_stories)) == (3, 3, 1)
        assert ingest(first, store, Settings()).articles == 0  # a no-op the second time
        (story,) = store.list_stories()
        later = ingest(later_sources, store, Settings(), batch_size=1)
        assert later.extended_stories == (story.id,)
        (grown,) = store.list_stories()
        assert grown.article_ids[:3] == story.article_ids
        assert len(grown.article_ids) == 3 + later.articles
        families = families_of(store.get_articles(store.article_ids()))
        assert sorted(len(ids) for ids in families.values()) == [1, 1, 1, 2]
        assert store.counts()["band_keys"] > 0


@pytest.mark.parametrize(
    "cluster",
    [
        ClusterSettings(link_threshold=1.0, merge_threshold=0.2),
        ClusterSettings(link_threshold=1.0, merge_threshold=0.05, merge_linkage="graph"),
    ],
    ids=["cosine", "graph"],
)
def test_a_story_merged_by_a_later_ingest_is_moved_and_recorded(
    store_url: str, examples_dir: Path, cluster: ClusterSettings
) -> None:
    """With consolidation on and a join so strict that every article starts a story of its own, the
    tracker's merges are what puts the story together: within one commit the new stories are
    folded before they are stored; a story stored by an earlier ingest is moved into the one the
    later articles built, the merge is recorded, and the tracker resumed from the store holds the
    same stories as the memberships (with the graph linkage, the arrival links stored in the story
    rows point at stories that still exist: a merge moves them)."""
    settings = dataclasses.replace(Settings(), cluster=cluster)
    later = [n for n in sorted(p.name for p in examples_dir.iterdir()) if n not in FIRST[:1]]
    with Store.open(store_url) as store:
        first = ingest([str(examples_dir / FIRST[0])], store, settings)
        (stored,) = first.new_stories
        summary = ingest([str(examples_dir / n) for n in later], store, settings, batch_size=1)
        (story,) = store.list_stories()
        assert summary.merged_stories == (stored,)
        assert summary.new_stories == (story.id,)
        assert len(story.article_ids) == 1 + summary.articles == len(later) + 1
        assert store.merged_from([story.id]) == {story.id: [stored]}
        assert store.merged_into(stored) == story.id
        header = store.tracker_state("cluster")
        assert header is not None
        rows, norms = store.tracker_rows("cluster")
        features = store.tracker_feature_rows("cluster")
        tracker = StoryTracker.from_rows(header, rows, norms, features, store.story_article_ids())
        assert {s: sorted(ids) for s, ids in tracker.stories().items()} == {
            story.id: sorted(story.article_ids)
        }
        assert all(other == story.id for row in rows for other, _ in row["graph"])


def test_a_store_built_before_a_cluster_setting_existed_keeps_its_behaviour(
    store_url: str, examples_dir: Path
) -> None:
    """A store whose tracker settings lack ``merge_threshold`` and ``merge_linkage`` (built, one
    pass only, before they existed) reads them as the values it ran with (no merges), not as
    today's defaults: it takes more articles with those settings, and any other value is
    refused with a line naming the setting."""
    first, later = [str(examples_dir / n) for n in FIRST], [str(examples_dir / n) for n in LATER]
    one_pass = ClusterSettings(link_threshold=0.45, merge_threshold=1.0, merge_linkage="cosine")
    old = dataclasses.replace(Settings(), cluster=one_pass)
    with Store.open(store_url) as store:
        ingest(first, store, old)
        header = store.tracker_state("cluster")
        assert header is not None
        del header["settings"]["merge_threshold"], header["settings"]["merge_linkage"]
        store.put_tracker_state("cluster", header)
        assert ingest(later[:1], store, old).tracked == 1
        merging = dataclasses.replace(
            Settings(), cluster=dataclasses.replace(one_pass, merge_threshold=0.2)
        )
        with pytest.raises(ConfigError, match=r"cluster\.merge_threshold = 0\.2"):
            ingest(later[1:], store, merging)


@pytest.mark.parametrize("merged_on_the_graph", [True, False])
def test_a_store_built_before_the_neighbour_cap_keeps_scoring_every_neighbour(
    store_url: str, examples_dir: Path, merged_on_the_graph: bool
) -> None:
    """A store whose graph merge model scored every arrival-graph neighbour (its settings lack
    ``merge_neighbours``) reads the cap as 0, what it ran with: a capped tracker is refused with a
    line naming it, the uncapped one goes on.  A one-pass store without the setting never read it
    and goes on with the defaults' cap."""
    first, later = [str(examples_dir / n) for n in FIRST], [str(examples_dir / n) for n in LATER]
    graph = ClusterSettings(link_threshold=0.9, merge_threshold=0.1, merge_linkage="graph_learned")
    one_pass = ClusterSettings(link_threshold=0.45, merge_threshold=1.0, merge_linkage="cosine")
    built = dataclasses.replace(Settings(), cluster=graph if merged_on_the_graph else one_pass)
    with Store.open(store_url) as store:
        ingest(first, store, built)
        header = store.tracker_state("cluster")
        assert header is not None
        del header["settings"]["merge_neighbours"]
        store.put_tracker_state("cluster", header)
        if not merged_on_the_graph:
            assert ingest(later[:1], store, built).tracked == 1
            return
        with pytest.raises(ConfigError, match=r"cluster\.merge_neighbours = 4 \(the store has 0\)"):
            ingest(later[:1], store, built)
        uncapped = dataclasses.replace(
            Settings(), cluster=dataclasses.replace(graph, merge_neighbours=0)
        )
        assert ingest(later[:1], store, uncapped).tracked == 1


@pytest.mark.parametrize("merged_on_the_graph", [True, False])
def test_a_store_built_before_relinking_keeps_the_links_made_on_arrival(
    store_url: str, examples_dir: Path, merged_on_the_graph: bool
) -> None:
    """A store whose graph merges read the links made on arrival (its settings lack
    ``merge_relink``) reads it as off, what it ran with: a relinking tracker is refused with a
    line naming it, the arrival-link one goes on.  A one-pass store never read it and goes on
    with either."""
    first, later = [str(examples_dir / n) for n in FIRST], [str(examples_dir / n) for n in LATER]
    graph = ClusterSettings(
        link_threshold=0.9, merge_threshold=0.1, merge_linkage="graph_learned", merge_relink=True
    )
    one_pass = ClusterSettings(link_threshold=0.45, merge_threshold=1.0, merge_linkage="cosine")
    built = dataclasses.replace(Settings(), cluster=graph if merged_on_the_graph else one_pass)
    with Store.open(store_url) as store:
        ingest(first, store, built)
        header = store.tracker_state("cluster")
        assert header is not None
        del header["settings"]["merge_relink"]
        store.put_tracker_state("cluster", header)
        if not merged_on_the_graph:
            assert ingest(later[:1], store, built).tracked == 1
            return
        with pytest.raises(
            ConfigError, match=r"cluster\.merge_relink = True \(the store has False\)"
        ):
            ingest(later[:1], store, built)
        arrival = dataclasses.replace(
            Settings(), cluster=dataclasses.replace(graph, merge_relink=False)
        )
        assert ingest(later[:1], store, arrival).tracked == 1


def test_a_store_built_before_members_by_keeps_its_members_by_arrival(
    store_url: str, examples_dir: Path
) -> None:
    """A store whose stories kept their most recent members by arrival (its settings lack
    ``members_by``) reads it as ``"arrival"``, what it ran with: today's default (members by
    publication time and id) is refused with one line naming it, the arrival one goes on."""
    first, later = [str(examples_dir / n) for n in FIRST], [str(examples_dir / n) for n in LATER]
    with Store.open(store_url) as store:
        ingest(first, store, Settings())
        header = store.tracker_state("cluster")
        assert header is not None
        del header["settings"]["members_by"]
        store.put_tracker_state("cluster", header)
        with pytest.raises(ConfigError) as refused:
            ingest(later[:1], store, Settings())
        message = str(refused.value)
        assert "\n" not in message
        assert "cluster.members_by = 'time' (the store has 'arrival')" in message
        arrival = dataclasses.replace(
            Settings(), cluster=dataclasses.replace(ClusterSettings(), members_by="arrival")
        )
        assert ingest(later[:1], store, arrival).tracked == 1


def test_a_store_built_with_the_one_pass_refuses_todays_defaults_in_one_line(
    store_url: str, examples_dir: Path
) -> None:
    """The default tracker changed (the one pass at 0.45 became the graph merge model): a store
    built with the one pass is not switched silently, mid-corpus, to another way of making
    stories.  Ingesting into it with today's defaults is refused with one line that names every
    cluster setting that differs and the store's value; given its own settings it goes on."""
    first, later = [str(examples_dir / n) for n in FIRST], [str(examples_dir / n) for n in LATER]
    one_pass = ClusterSettings(link_threshold=0.45, merge_threshold=1.0, merge_linkage="cosine")
    old = dataclasses.replace(Settings(), cluster=one_pass)
    with Store.open(store_url) as store:
        ingest(first, store, old)
        with pytest.raises(ConfigError) as refused:
            ingest(later[:1], store, Settings())
        message = str(refused.value)
        assert "\n" not in message
        for changed in (
            "cluster.link_threshold = 0.9 (the store has 0.45)",
            "cluster.merge_threshold = 0.1 (the store has 1.0)",
            "cluster.merge_linkage = 'graph_learned' (the store has 'cosine')",
        ):
            assert changed in message
        assert "merge_neighbours" not in message
        assert ingest(later[:1], store, old).tracked == 1


def _dated_chunks(folder: Path, examples_dir: Path) -> list[Path]:
    """Real reports in time order, one JSONL chunk per ingest: the example story's five pasted
    pages 1.9 days apart (a story that goes on, each report just inside a 2-day window of the one
    before) and, between them, four AllSides roundups of the validation file each (title and
    lead of three outlets: stories that stop, and leave the window).  Each chunk ends 1.8 days
    after its example report, so at the next one the example story is still live but its last
    article is near the window's edge: loading one story too few changes where it goes."""
    source = ROUNDUPS / "val.source"
    if not source.is_file():
        pytest.skip(f"roundups not found at {ROUNDUPS}")
    roundups = source.read_text(encoding="utf-8").splitlines()
    pages = sorted(examples_dir.glob("*.txt"))
    start = datetime(2025, 3, 1, 6, tzinfo=UTC)
    paths = []
    for number, page in enumerate(pages):
        at = start + timedelta(days=1.9 * number)
        records = [_record(page.read_text(encoding="utf-8"), None, page.stem, at)]
        for offset, line in enumerate(roundups[4 * number : 4 * number + 4]):
            for outlet, part in enumerate(line.split(" [SEP] ")):
                title, _, text = part.removeprefix("TITLE=> ").partition(" ARTICLE=> ")
                when = at + timedelta(hours=6 + 12 * offset + outlet)
                records.append(_record(text, title, f"outlet-{outlet}-{number}-{offset}", when))
        path = folder / f"chunk-{number}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        paths.append(path)
    return paths


def _record(text: str, title: str | None, name: str, at: datetime) -> dict[str, str | None]:
    return {
        "title": title,
        "text": text,
        "outlet": name.split("-")[0],
        "url": f"https://{name}.example/",
        "published_at": at.isoformat(timespec="minutes"),
    }


def _memberships(store: Store) -> dict[str, list[str]]:
    return {story.id: story.article_ids for story in store.list_stories()}


def _count_feature_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record how many feature rows each :meth:`Store.tracker_feature_rows` call returns."""
    counts: list[int] = []
    original = Store.tracker_feature_rows

    def counted(
        self: Store, name: str, features: Iterable[str] | None = None
    ) -> dict[str, tuple[int, int]]:
        rows = original(self, name, features)
        counts.append(len(rows))
        return rows

    monkeypatch.setattr(Store, "tracker_feature_rows", counted)
    return counts


def _load_whole_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ingest resumes the tracker from every stored story and feature row, and the tracker
    forgets neither stories nor frequencies: how tracking ran before windows and feature reads."""
    original = Store.tracker_feature_rows
    monkeypatch.setattr(StoryTracker, "live_from", staticmethod(lambda header: None))
    monkeypatch.setattr(StoryTracker, "forget_expired", lambda self: 0)
    monkeypatch.setattr(StoryTracker, "forget_features", lambda self: 0)
    monkeypatch.setattr(
        Store,
        "tracker_feature_rows",
        lambda self, name, features=None: original(self, name),
    )


@pytest.mark.parametrize("merging", [False, True], ids=["joins", "joins-and-merges"])
def test_an_ingest_resumes_only_the_live_stories_and_tracks_as_a_whole_store_load(
    store_url: str,
    tmp_path: Path,
    examples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    merging: bool,
) -> None:
    """Real reports over ten days, ingested chunk after chunk with a 2-day window: each ingest
    resumes the tracker from the stories inside its window only (and forgets those that leave
    it after each commit), and the stories come out exactly as when every ingest resumes it from
    every story the store holds and forgets none."""
    chunks = _dated_chunks(tmp_path, examples_dir)
    # merging: every story made by consolidation (the graph merge model); else the one pass alone
    cluster = ClusterSettings(window_days=2.0, link_threshold=0.45, merge_threshold=1.0)
    if merging:
        cluster = dataclasses.replace(
            cluster, link_threshold=1.0, merge_threshold=0.15, merge_linkage="graph_learned"
        )
    settings = dataclasses.replace(Settings(), cluster=cluster)
    monkeypatch.setattr(importlib.import_module("newsfuse.corpus.ingest"), "TRACK_BATCHES", 1)
    read = _count_feature_reads(monkeypatch)
    with Store.open(store_url) as windowed:
        for chunk in chunks:
            ingest([str(chunk)], windowed, settings, batch_size=4)
        most = max(read)
        features = windowed.tracker_feature_rows("cluster")
        # each resumed ingest read the rows of its window's and its articles' features only
        assert 0 < most < len(features) // 2
        header = windowed.tracker_state("cluster")
        assert header is not None
        live_from = StoryTracker.live_from(header)
        assert live_from is not None
        live, _ = windowed.tracker_rows("cluster", live_from=live_from)
        every, _ = windowed.tracker_rows("cluster")
        assert 0 < len(live) < len(every) // 2  # the window does leave most stories out
        assert all(row["last_time"] >= live_from for row in live)
        found = _memberships(windowed)
    # the reference: each ingest loads every stored story and feature, the tracker forgets none
    _load_whole_store(monkeypatch)
    with Store.open(tmp_path / "whole.db") as whole:
        for chunk in chunks:
            ingest([str(chunk)], whole, settings, batch_size=4)
        expected = _memberships(whole)
        assert whole.tracker_feature_rows("cluster") == features
    assert found == expected
    # the example story went on over the whole ten days: the one each chunk had to reload
    assert max(len(ids) for ids in found.values()) >= 4


def _undated_chunks(folder: Path, examples_dir: Path) -> list[Path]:
    """The chunks of :func:`_dated_chunks` with no publication date given: the roundups (stories
    that stop) are undated, and the example story's five pasted pages, one per chunk, carry only
    the date their own text gives (the cleaner reads it), so the stream mixes both windows."""
    paths = []
    for path in _dated_chunks(folder, examples_dir):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        undated = folder / f"undated-{path.name}"
        undated.write_text(
            "".join(json.dumps({**r, "published_at": None}) + "\n" for r in records),
            encoding="utf-8",
        )
        paths.append(undated)
    return paths


@pytest.mark.parametrize("merging", [False, True], ids=["joins", "joins-and-merges"])
def test_an_undated_ingest_resumes_only_the_stories_inside_its_arrival_window(
    store_url: str,
    tmp_path: Path,
    examples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    merging: bool,
) -> None:
    """The same reports undated, ingested chunk after chunk with an arrival window of 20
    articles (``cluster.undated_window``): each ingest resumes only the undated stories the
    last 20 articles touched (selected in SQL), with the dated ones of its time window, and
    forgets those that leave; the stories come out exactly as when every ingest loads every
    stored story and forgets none; and the undated stories that left are still in the store,
    listed and reported like any other."""
    chunks = _undated_chunks(tmp_path, examples_dir)
    cluster = ClusterSettings(link_threshold=0.45, merge_threshold=1.0, undated_window=20)
    if merging:
        cluster = dataclasses.replace(
            cluster, link_threshold=1.0, merge_threshold=0.15, merge_linkage="graph_learned"
        )
    settings = dataclasses.replace(Settings(), cluster=cluster)
    monkeypatch.setattr(importlib.import_module("newsfuse.corpus.ingest"), "TRACK_BATCHES", 1)
    read = _count_feature_reads(monkeypatch)
    with Store.open(store_url) as windowed:
        for chunk in chunks:
            ingest([str(chunk)], windowed, settings, batch_size=4)
        most = max(read)
        features = windowed.tracker_feature_rows("cluster")
        assert 0 < most < len(features) * 2 // 3  # the window holds 20 of 65 articles
        header = windowed.tracker_state("cluster")
        assert header is not None
        updated_from = StoryTracker.live_updated_from(header)
        assert updated_from == header["seq"] - 20 + 1
        live, _ = windowed.tracker_rows(
            "cluster", live_from=StoryTracker.live_from(header), live_updated_from=updated_from
        )
        every, _ = windowed.tracker_rows("cluster")
        undated = [r for r in every if r["last_time"] is None]
        assert len(undated) > len(every) * 3 // 4  # the roundups' stories
        assert 0 < len(live) < len(every) // 2  # the window does leave most stories out
        assert all(r["updated"] >= updated_from for r in live if r["last_time"] is None)
        found = _memberships(windowed)
        # a story that left the window is still a story of the store: listed and reported
        left = sorted({str(r["id"]) for r in undated} - {str(r["id"]) for r in live})
        assert left and set(left) <= set(found)
        report = report_story(windowed, left[0], settings)
        assert report.articles and {a.id for a in report.articles} == set(found[left[0]])
    # the reference: each ingest loads every stored story and feature, the tracker forgets none
    _load_whole_store(monkeypatch)
    monkeypatch.setattr(StoryTracker, "live_updated_from", staticmethod(lambda header: None))
    with Store.open(tmp_path / "whole.db") as whole:
        for chunk in chunks:
            ingest([str(chunk)], whole, settings, batch_size=4)
        expected = _memberships(whole)
        assert whole.tracker_feature_rows("cluster") == features
    assert found == expected
    # the example story (dated by its pages) went on over every chunk
    assert max(len(ids) for ids in found.values()) >= 4


def test_one_undated_ingest_is_one_batch_whatever_its_commits(
    store_url: str, tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All the undated reports in one ingest, tracked in commits of 4 in id order (which
    scatters each roundup's reports over the whole ingest) with an arrival window of 20: no
    story leaves before the ingest ends, so the stories are those of no window at all; after it
    the window applies again (the header closes the batch, the live rows are bounded)."""
    chunks = [str(c) for c in _undated_chunks(tmp_path, examples_dir)]
    cluster = ClusterSettings(link_threshold=0.45, merge_threshold=1.0, undated_window=20)
    monkeypatch.setattr(importlib.import_module("newsfuse.corpus.ingest"), "TRACK_BATCHES", 1)
    found: dict[str, dict[str, list[str]]] = {}
    for window in (20, 0):
        settings = dataclasses.replace(
            Settings(), cluster=dataclasses.replace(cluster, undated_window=window)
        )
        with Store.open(store_url if window else tmp_path / "off.db") as store:
            ingest(chunks, store, settings, batch_size=4)
            found[str(window)] = _memberships(store)
            header = store.tracker_state("cluster")
            assert header is not None and header["batch_from"] is None
            if window:
                every, _ = store.tracker_rows("cluster")
                live, _ = store.tracker_rows(
                    "cluster",
                    live_from=StoryTracker.live_from(header),
                    live_updated_from=StoryTracker.live_updated_from(header),
                )
                assert 0 < len(live) < len(every)  # the undated stories that left are out
    assert found["20"] == found["0"]
    assert max(len(ids) for ids in found["20"].values()) >= 3


def test_an_interrupted_undated_ingest_resumes_its_batch(
    store_url: str, tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An undated ingest stopped after its third tracking commit leaves its batch open in the
    header; the ingest that takes it up holds the same stories live (it loads them from SQL
    through ``live_updated_from``), closes the batch, and the stories come out as from one
    uninterrupted ingest; an ingest with nothing to track closes a batch left open."""
    chunks = [str(c) for c in _undated_chunks(tmp_path, examples_dir)]
    cluster = ClusterSettings(link_threshold=0.45, merge_threshold=1.0, undated_window=8)
    settings = dataclasses.replace(Settings(), cluster=cluster)
    module = importlib.import_module("newsfuse.corpus.ingest")
    monkeypatch.setattr(module, "TRACK_BATCHES", 1)
    with Store.open(tmp_path / "whole.db") as whole:
        ingest(chunks[:2], whole, settings, batch_size=4)
        ingest(chunks[2:], whole, settings, batch_size=4)
        expected = _memberships(whole)

    commit = module._Run._commit
    calls = [0]

    def stopping(run: Any, tracking: Any, article_ids: list[str]) -> None:
        calls[0] += 1
        if calls[0] == 3:
            raise KeyboardInterrupt
        commit(run, tracking, article_ids)

    with Store.open(store_url) as store:
        ingest(chunks[:2], store, settings, batch_size=4)
        monkeypatch.setattr(module._Run, "_commit", stopping)
        with pytest.raises(KeyboardInterrupt):
            ingest(chunks[2:], store, settings, batch_size=4)
        header = store.tracker_state("cluster")
        assert header is not None and header["batch_from"] is not None
        assert header["batch_from"] > 1  # the batch began after the first ingest's articles
        monkeypatch.setattr(module._Run, "_commit", commit)
        ingest(chunks[2:], store, settings, batch_size=4)
        assert _memberships(store) == expected
        assert store.tracker_state("cluster")["batch_from"] is None  # type: ignore[index]

        # a batch left open and nothing left to track: the next ingest closes it
        header = store.tracker_state("cluster")
        assert header is not None
        with store.batch():
            store.put_tracker_state("cluster", {**header, "batch_from": header["seq"] - 3})
        ingest(chunks[:1], store, settings, batch_size=4)  # all stored already
        assert store.tracker_state("cluster")["batch_from"] is None  # type: ignore[index]
