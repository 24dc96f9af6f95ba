"""The store-backed ingest on each backend: SQLite always, PostgreSQL when configured.

The SQL the ingest adds (multi-row ON CONFLICT inserts, 64-bit band keys, ``IN`` lookups, family
renames, appending to stories) must behave the same on both.
"""

from __future__ import annotations

from pathlib import Path

from newsfuse.config import Settings
from newsfuse.corpus import families_of, ingest
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
