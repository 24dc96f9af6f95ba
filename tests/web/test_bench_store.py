"""The web benchmark's store (``benchmarks/bulk_store.py``): written in bulk, it must still be a
store as an ingest leaves it, or the load figures would be about something else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsfuse.store import Store


@pytest.fixture
def bulk_store(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import bulk_store

    return bulk_store


def test_the_bulk_store_is_what_an_ingest_leaves(bulk_store: Any, tmp_path: Path) -> None:
    path = tmp_path / "bench.db"
    built = bulk_store.build_store(path, 120, seed=3, annotate=2, progress=lambda _: None)
    assert built.articles == 120
    with Store.open(path) as store:
        assert store.counts()["articles"] == 120
        stories = store.list_stories()
        members = [a for s in stories for a in s.article_ids]
        assert sorted(members) == store.article_ids()  # every article in exactly one story
        sizes = {s.id: len(s.article_ids) for s in stories}
        annotated = set(bulk_store.largest_stories(sizes, 2))
        for story in stories:
            articles = store.story_articles(story.id)
            assert all(a.dup_group for a in articles)
            # the stories the benchmark reads are annotated, so their reports are real
            assert all(bool(a.mentions) == (story.id in annotated) for a in articles), story.id
        assert store.raw_ids_without_article() == []  # nothing left for a later ingest to redo
    with pytest.raises(FileExistsError):
        bulk_store.build_store(path, 10, seed=3, annotate=0)
