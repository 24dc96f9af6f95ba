"""The store-backed ingest on each backend: SQLite always, PostgreSQL when configured.

The SQL the ingest adds (multi-row ON CONFLICT inserts, 64-bit band keys, ``IN`` lookups, family
renames, appending to stories) must behave the same on both.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsfuse.config import Settings
from newsfuse.corpus import families_of, ingest
from newsfuse.errors import ConfigError
from newsfuse.stages.cluster import ClusterSettings, StoryTracker
from newsfuse.store import Store

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
        rows, norms, features = store.tracker_rows("cluster")
        tracker = StoryTracker.from_rows(header, rows, norms, features, store.story_article_ids())
        assert {s: sorted(ids) for s, ids in tracker.stories().items()} == {
            story.id: sorted(story.article_ids)
        }
        assert all(other == story.id for row in rows for other, _ in row["graph"])


def test_a_store_built_before_a_cluster_setting_existed_takes_its_default(
    store_url: str, examples_dir: Path
) -> None:
    """A store whose tracker settings lack ``merge_threshold`` (built before it existed) takes
    more articles with the default, which keeps the old behaviour; any other value is refused."""
    first, later = [str(examples_dir / n) for n in FIRST], [str(examples_dir / n) for n in LATER]
    with Store.open(store_url) as store:
        ingest(first, store, Settings())
        header = store.tracker_state("cluster")
        assert header is not None
        del header["settings"]["merge_threshold"]
        store.put_tracker_state("cluster", header)
        assert ingest(later[:1], store, Settings()).tracked == 1
        merging = dataclasses.replace(Settings(), cluster=ClusterSettings(merge_threshold=0.2))
        with pytest.raises(ConfigError, match=r"cluster\.merge_threshold = 0\.2"):
            ingest(later[1:], store, merging)
