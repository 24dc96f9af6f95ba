"""Migrations: an empty database reaches head, the result is exactly the models' schema, and a
database from a newer newsfuse is refused."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from newsfuse.config import Settings
from newsfuse.corpus import ingest
from newsfuse.models import Article, RawDocument
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.cluster import ClusterSettings, StoryTracker
from newsfuse.store import Store, StoreVersionError, head_revision
from newsfuse.store.engine import resolve
from newsfuse.store.migrate import alembic_config, upgrade
from newsfuse.store.schema import Base, TrackerStateRow, TrackerStoryRow


def _engine(url: str) -> Engine:
    return create_engine(resolve(url).url)


def test_empty_database_is_migrated_to_head(store_url: str) -> None:
    with Store.open(store_url, upgrade=False) as store:
        assert store.revision() is None
        store.upgrade()
        assert store.revision() == head_revision() == "0009"
        store.upgrade()  # at head: nothing to do
    engine = _engine(store_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) | {"alembic_version"} <= tables


def test_migrated_schema_matches_the_models(store_url: str) -> None:
    Store.open(store_url).close()
    engine = _engine(store_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_store_from_a_newer_newsfuse_is_refused(store_url: str) -> None:
    Store.open(store_url).close()
    engine = _engine(store_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()
    with pytest.raises(StoreVersionError, match="'9999', newer than this newsfuse"):
        Store.open(store_url)
    with pytest.raises(StoreVersionError, match="upgrade newsfuse"):
        Store.open(store_url, upgrade=False)


def test_sqlite_store_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db", busy_timeout=2.5)
    with store, store._engine.connect() as connection:  # the pragmas are what is tested
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == 2500
        assert pragma("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_store_at_0001_with_data_is_upgraded_to_head(
    store_url: str, example_articles: list[Article], example_raws: list[RawDocument]
) -> None:
    engine = _engine(store_url)
    try:
        with engine.begin() as connection:
            upgrade(connection, "0001")  # a store made before the band keys existed
    finally:
        engine.dispose()
    with Store.open(store_url, upgrade=False) as old:
        assert old.revision() == "0001"
        with old.batch():
            old.add_raw(example_raws[0])
            old.put_article(example_articles[0])
    with Store.open(store_url) as store:
        assert store.revision() == head_revision()
        assert store.get_article(example_articles[0].id) == example_articles[0]
        store.put_signatures({example_articles[0].id: (b"\x00" * 512, [1, 2], 40)})
        assert store.band_key_matches([2, 3]) == {2: [example_articles[0].id]}


def test_signatures_stored_before_0008_have_no_shingle_count_and_new_ones_keep_theirs(
    store_url: str, example_raws: list[RawDocument], example_articles: list[Article]
) -> None:
    """A store at 0007 keeps its signatures through the upgrade; they read with count 0 (matched
    by the Jaccard alone), and signatures stored afterwards keep their count."""
    engine = _engine(store_url)
    try:
        with engine.begin() as connection:
            upgrade(connection, "0007")
    finally:
        engine.dispose()
    old_id, new_id = example_articles[0].id, example_articles[1].id
    with Store.open(store_url, upgrade=False) as old:
        with old.batch():
            for raw, article in zip(example_raws[:2], example_articles[:2], strict=True):
                old.add_raw(raw)
                old.put_article(article)
        engine = _engine(store_url)
        try:
            with engine.begin() as connection:
                connection.execute(
                    text("INSERT INTO article_signatures (article_id, minhash) VALUES (:i, :m)"),
                    {"i": old_id, "m": b"\x00" * 512},
                )
        finally:
            engine.dispose()
    with Store.open(store_url) as store:
        assert store.revision() == head_revision()
        store.put_signatures({new_id: (b"\x01" * 512, [7], 321)})
        found = store.signatures_of([old_id, new_id])
    assert found[old_id] == (b"\x00" * 512, old_id, 0)
    assert found[new_id] == (b"\x01" * 512, new_id, 321)


def test_a_store_at_0002_with_a_whole_tracker_state_is_split_into_rows(
    store_url: str, examples_dir: Path
) -> None:
    """Before 0003 the tracker's whole state was one document; the upgrade splits it into rows
    from which the same tracker comes back, and the store goes on tracking."""
    first = [
        str(examples_dir / name) for name in ("01_merrow-herald.txt", "04_eastshore-daily.txt")
    ]
    with Store.open(store_url) as store:
        ingest(first, store, Settings(), batch_size=1)
        header = store.tracker_state("cluster")
        assert header is not None
        whole = StoryTracker.from_rows(
            header,
            *store.tracker_rows("cluster"),
            store.tracker_feature_rows("cluster"),
            store.story_article_ids(),
        ).state()
    engine = _engine(store_url)
    try:
        with engine.begin() as connection:  # back to 0002, with the state as 0002 kept it
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0002")
            states = TrackerStateRow.__table__
            connection.execute(
                states.update().where(states.c.name == "cluster").values(state=_as_0002(whole))
            )
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert store.revision() == head_revision()
        header = store.tracker_state("cluster")
        assert header is not None and "stories" not in header
        stories, norms = store.tracker_rows("cluster")
        features = store.tracker_feature_rows("cluster")
        assert len(stories) == len(norms) == len(whole["stories"])
        assert {f: df for f, (df, _) in features.items()} == whole["df"]
        resumed = StoryTracker.from_rows(
            header, stories, norms, features, store.story_article_ids()
        ).state()
        # JSONB may have reordered the 0002 objects' keys; the content must be the same
        assert _as_0002(resumed) == _as_0002(whole)
        (story,) = store.list_stories()
        later = ingest([str(examples_dir / "02_calderra-press-agency.txt")], store, Settings())
        assert later.extended_stories == (story.id,)


def _as_0002(state: dict[str, Any]) -> dict[str, Any]:
    """A tracker state as revision 0002 stored it: per-story weights as objects, not pairs."""
    stories = [
        {**story, "weights": dict(story["weights"]), "entities": dict(story["entities"])}
        for story in state["stories"]
    ]
    return {**state, "stories": stories}


def test_a_store_at_0003_with_evictions_in_its_story_rows_is_upgraded_to_head(
    store_url: str, all_example_raws: list[RawDocument]
) -> None:
    """At 0003 a story row held its article ids and the features it had been evicted from; the
    upgrade moves the evictions to the feature rows and drops both, and the same tracker comes
    back: same postings, same expired stories, same decisions afterwards."""
    cleaned = sorted(
        (clean_document(r, Settings().clean) for r in all_example_raws), key=lambda a: a.id
    )
    # a day apart with a 2-day window (stories expire), one story per posting (stories evicted),
    # the learned scorer (stories keep members, whose norms move to the norms rows)
    articles = [
        dataclasses.replace(a, published_at=f"2025-10-{10 + i:02d}") for i, a in enumerate(cleaned)
    ]
    settings = ClusterSettings(
        window_days=2.0, max_postings=1, threshold=0.5, scorer="learned", link_threshold=0.99
    )
    tracker, half = StoryTracker(settings), len(articles) // 2
    engine = _engine(store_url)
    try:
        with engine.begin() as connection:
            upgrade(connection, "0003")
    finally:
        engine.dispose()
    with Store.open(store_url, upgrade=False) as old, old.batch():
        old.add_raws(all_example_raws)
        old.put_articles(articles)
        for article in articles[:half]:
            old.append_to_story(tracker.add(article), "t", [article.id])
        old.put_tracker_state("cluster", tracker.header())
    whole = tracker.state()
    engine = _engine(store_url)
    try:
        with engine.begin() as connection:  # the rows as 0003's code wrote them
            connection.execute(TrackerStoryRow.__table__.insert(), _as_0003_rows(whole))
            features = sa.table(
                "tracker_features", sa.column("tracker"), sa.column("feature"), sa.column("df")
            )
            counts = [{"tracker": "cluster", "feature": f, "df": n} for f, n in whole["df"].items()]
            connection.execute(features.insert(), counts)
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert store.revision() == head_revision()
        stories, norms = store.tracker_rows("cluster")
        features_now = store.tracker_feature_rows("cluster")
        assert not any({"article_ids", "unposted", "norms"} & set(s) for s in stories)
        assert any(evicted for _, evicted in features_now.values())
        assert all(kept for *_, kept in norms.values())  # each member's norms
        header = store.tracker_state("cluster")
        assert header is not None
        memberships = store.story_article_ids()
        resumed = StoryTracker.from_rows(header, stories, norms, features_now, memberships)
        # 0006 filled ``last_time`` from the rows: the window selects the live stories in SQL
        live, live_norms = store.tracker_rows("cluster", live_from=StoryTracker.live_from(header))
        assert 0 < len(live) < len(stories)
        live_members = store.story_article_ids([str(row["id"]) for row in live])
        windowed = StoryTracker.from_rows(header, live, live_norms, features_now, live_members)
    assert _by_id(resumed.state()) == _by_id(whole)
    later = articles[half:]
    from_window = [windowed.add(a) for a in later]
    assert [resumed.add(a) for a in later] == [tracker.add(a) for a in later] == from_window
    assert _by_id(resumed.state()) == _by_id(tracker.state())


def _as_0003_rows(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Story rows as revision 0003 stored them: the whole story (article ids included) plus
    ``unposted``, the features it carries but is not posted under (``None``: in no posting)."""
    posted: dict[str, set[str]] = {}
    for feature, items in state["postings"].items():
        for story_id, _ in items:
            posted.setdefault(story_id, set()).add(feature)
    rows = []
    for story in state["stories"]:
        carried = sorted({f for f, _ in story["weights"]} | {f for f, _ in story["entities"]})
        mine = posted.get(story["id"])
        unposted = None if not mine else [f for f in carried if f not in mine]
        row = {**story, "unposted": unposted}
        rows.append({"tracker": "cluster", "story_id": story["id"], "state": row})
    return rows


def _by_id(state: dict[str, Any]) -> dict[str, Any]:
    return {**state, "stories": sorted(state["stories"], key=lambda s: s["id"])}
