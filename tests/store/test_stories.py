"""Stories: membership in order, tracker state, listing by time and searching titles."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from newsfuse.config import Settings
from newsfuse.corpus.ingest import _Run
from newsfuse.executors.local import LocalExecutor
from newsfuse.models import Article, RawDocument
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.cluster import ClusterSettings, StoryMerge, StorySplit, StoryTracker
from newsfuse.store import NotInStoreError, Store
from newsfuse.store import store as store_module


def _id(article: Article) -> str:
    return article.id


@pytest.fixture
def filled(store: Store, example_raws: list[RawDocument], example_articles: list[Article]) -> Store:
    with store.batch():
        for raw, article in zip(example_raws, example_articles, strict=True):
            store.add_raw(raw)
            store.put_article(article)
    return store


def test_story_keeps_its_articles_in_order_and_its_state(
    filled: Store, example_articles: list[Article], clock: Any
) -> None:
    ids = [a.id for a in reversed(example_articles)]
    filled.put_story("sty_1", "Harbour strike", ids, state={"centroid": {"dock": 0.5}})
    created = clock.now
    stored = filled.get_story("sty_1")
    assert stored.article_ids == tuple(ids)
    assert stored.state == {"centroid": {"dock": 0.5}}
    assert filled.story_articles("sty_1") == list(reversed(example_articles))

    clock.advance(hours=1)
    filled.put_story("sty_1", "Harbour strike ends", ids[:1])  # state=None keeps the state
    stored = filled.get_story("sty_1")
    assert (stored.title, stored.article_ids) == ("Harbour strike ends", tuple(ids[:1]))
    assert stored.state == {"centroid": {"dock": 0.5}}
    assert (stored.created_at, stored.updated_at) == (created, clock.now)
    assert stored.updated_at.tzinfo is not None


def test_story_with_unknown_article_is_refused(filled: Store) -> None:
    with pytest.raises(NotInStoreError, match="art_nope"):
        filled.put_story("sty_1", "x", ["art_nope"])
    with pytest.raises(NotInStoreError):
        filled.story_articles("sty_1")


def test_list_stories_since_and_search(
    filled: Store, example_articles: list[Article], clock: Any
) -> None:
    a, b, c = example_articles
    assert a.title and b.title, "the example articles have titles"
    filled.put_story("sty_old", "Ferry timetable", [c.id])
    middle = clock.advance(days=1)
    filled.put_story("sty_new", "Port dispute", [a.id, b.id])
    clock.advance(days=1)
    filled.put_story("sty_empty", "100% pay_rise", [])

    assert [s.id for s in filled.list_stories()] == ["sty_empty", "sty_new", "sty_old"]
    assert [s.id for s in filled.list_stories(since=middle)] == ["sty_empty", "sty_new"]
    # Story titles, case-insensitively.
    assert [s.id for s in filled.list_stories(search="port DISPUTE")] == ["sty_new"]
    # Titles of the story's articles.
    word = a.title.split()[-1].upper()
    found = {s.id for s in filled.list_stories(search=word)}
    assert "sty_new" in found and "sty_empty" not in found
    # LIKE wildcards in the search match only themselves.
    assert [s.id for s in filled.list_stories(search="100%")] == ["sty_empty"]
    assert [s.id for s in filled.list_stories(search="y_r")] == ["sty_empty"]
    assert [s.id for s in filled.list_stories(search="pa_")] == []  # would match "pay"
    assert [s.id for s in filled.list_stories(search="1%y")] == []  # would match "100% pay"
    assert filled.list_stories(since=datetime(2030, 1, 1, tzinfo=UTC), search="port") == []
    with pytest.raises(ValueError, match="aware"):
        filled.list_stories(since=datetime(2025, 1, 1))


def test_search_matches_non_ascii_titles(
    store: Store, example_raws: list[RawDocument], example_articles: list[Article]
) -> None:
    article = dataclasses.replace(example_articles[0], title="Grève au port de Calderra")
    store.add_raw(example_raws[0])
    store.put_article(article)
    store.put_story("sty_fr", "Calderra", [article.id])
    assert [s.id for s in store.list_stories(search="grève")] == ["sty_fr"]


def test_tracker_state_round_trips(store: Store) -> None:
    assert store.tracker_state("cluster") is None
    state = {"version": 1, "df": {"dock": 3}, "docs": 3, "now": None, "stories": []}
    store.put_tracker_state("cluster", state)
    store.put_tracker_state("cluster", {**state, "docs": 4})
    assert store.tracker_state("cluster") == {**state, "docs": 4}


def _by_id(state: dict[str, Any]) -> dict[str, Any]:
    return {**state, "stories": sorted(state["stories"], key=lambda s: s["id"])}


@pytest.mark.parametrize("fold", [False, True], ids=["feature-log", "folded"])
def test_tracker_kept_as_rows_comes_back_and_goes_on_like_the_original(
    store: Store,
    all_example_raws: list[RawDocument],
    fold: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows written after every article, each time only for what changed (the stories that took
    an article or were rescored, the features touched), rebuild the whole tracker: postings,
    evictions and expired stories included, so the resumed tracker decides like the original.
    Whether the features are still in the log or were folded into their table does not matter."""
    if fold:  # fold the log at every commit
        monkeypatch.setattr(store_module, "FEATURE_LOG_MIN", 0)
    cleaned = sorted((clean_document(r, Settings().clean) for r in all_example_raws), key=_id)
    # the real texts, a day apart, so that a 2-day window expires stories; a strict threshold, so
    # that they make several stories; one story per posting, so that busier ones evict the others
    articles = [
        dataclasses.replace(a, published_at=f"2025-10-{10 + i:02d}") for i, a in enumerate(cleaned)
    ]
    settings = ClusterSettings(
        window_days=2.0, max_postings=1, threshold=0.5, scorer="learned", link_threshold=0.99
    )
    tracker, half = StoryTracker(settings), len(articles) // 2
    store.add_raws(all_example_raws)
    store.put_articles(articles)
    rescored_only: list[str] = []
    for article in articles[:half]:
        with store.batch():
            story_id, features = tracker.add_article(article)
            store.append_to_story(story_id, "t", [article.id])
            joined, rescored = tracker.take_changes()
            rescored_only += set(rescored) - set(joined)
            rows = [tracker.story_row(s) for s in joined]
            norms = {s: tracker.norms_row(s) for s in rescored}
            touched = {*features.terms, *features.entities, *tracker.carried(story_id)}
            store.put_tracker_rows("cluster", rows, norms, tracker.feature_rows(touched))
            store.put_tracker_state("cluster", tracker.header())
    state = tracker.state()
    posted = {sid for items in state["postings"].values() for sid, _ in items}
    assert rescored_only  # stories scored but not joined: only their norms were written
    assert len(posted) < len(state["stories"])  # stories expired, or were evicted from all
    features = store.tracker_feature_rows("cluster")
    assert any(evicted for _, evicted in features.values())  # busier stories evicted others
    assert all("article_ids" not in row for row in store.tracker_rows("cluster")[0])
    assert bool(store.counts()["tracker_features"]) == fold  # else all still in the log

    header = store.tracker_state("cluster")
    assert header is not None
    resumed = StoryTracker.from_rows(
        header, *store.tracker_rows("cluster"), features, store.story_article_ids()
    )
    assert all(s["members"] for s in resumed.state()["stories"])  # the learned scorer's too
    assert _by_id(resumed.state()) == _by_id(tracker.state())
    assert [resumed.add(a) for a in articles[half:]] == [tracker.add(a) for a in articles[half:]]
    assert _by_id(resumed.state()) == _by_id(tracker.state())


def test_appending_to_many_stories_at_once_is_appending_to_each(
    store: Store, all_example_raws: list[RawDocument]
) -> None:
    """One batched append per commit gives the memberships, positions and new stories that one
    append per story gives."""
    articles = sorted((clean_document(r, Settings().clean) for r in all_example_raws), key=_id)
    store.add_raws(all_example_raws)
    store.put_articles(articles)
    ids = [a.id for a in articles]
    assert store.append_to_stories({"s1": ("One", ids[:2]), "s2": ("Two", ids[2:3])}) == {
        "s1",
        "s2",
    }
    created = store.append_to_stories({"s1": ("Ignored", ids[3:5]), "s3": ("Three", ids[5:6])})
    assert created == {"s3"}
    assert store.get_story("s1").article_ids == tuple(ids[:2] + ids[3:5])
    assert store.get_story("s1").title == "One"  # a stored story keeps its title
    assert store.story_article_ids() == {"s1": ids[:2] + ids[3:5], "s2": ids[2:3], "s3": ids[5:6]}
    assert store.append_to_stories({}) == set()
    with pytest.raises(ValueError, match="lists an article twice"):
        store.append_to_stories({"s4": ("Four", [ids[6], ids[6]])})


def test_a_merge_moves_the_articles_and_keeps_the_history(
    filled: Store, example_articles: list[Article], clock: Any
) -> None:
    """The tracker's merge in the store: the absorbed story's articles go to the end of the story
    it joined, the absorbed story goes with its tracker rows and reports, and the merge stays on
    record both ways (what a story absorbed, where an absorbed story went)."""
    a, b, c = example_articles
    filled.put_story("sty_a", "Harbour strike", [a.id])
    filled.put_story("sty_b", "Harbour strike, day two", [b.id, c.id])
    filled.put_tracker_rows("cluster", [{"id": "sty_a"}, {"id": "sty_b"}], {"sty_a": [1.0]}, {})
    filled.put_report("sty_a", {"schema_version": "1", "settings_hash": "x", "title": "Strike"})
    merged_at = clock.advance(hours=1)

    # a story created and absorbed within one commit was never stored: nothing to move
    assert filled.merge_stories([("sty_a", "sty_b", 0.31), ("sty_never", "sty_b", 0.5)]) == [
        "sty_a"
    ]

    story = filled.get_story("sty_b")
    assert story.article_ids == (b.id, c.id, a.id)
    assert story.updated_at == merged_at
    with pytest.raises(NotInStoreError):
        filled.get_story("sty_a")
    assert filled.latest_report("sty_a") is None
    stories, norms = filled.tracker_rows("cluster")
    assert [row["id"] for row in stories] == ["sty_b"]
    assert norms == {}
    assert filled.merged_from(["sty_a", "sty_b"]) == {"sty_b": ["sty_a"]}
    assert filled.merged_into("sty_a") == "sty_b"
    assert filled.merged_into("sty_b") is None
    with pytest.raises(NotInStoreError, match="sty_gone"):
        filled.put_story("sty_c", "x", [])
        filled.merge_stories([("sty_c", "sty_gone", 0.4)])


def test_a_split_rewrites_the_memberships_and_keeps_the_history(
    filled: Store, example_articles: list[Article], clock: Any
) -> None:
    """The tracker's split in the store: the cut story keeps the articles listed for it, each part
    is created (titled by its first article) with its own, every article ends in one story, both
    count as updated (their reports are out of date), and the split stays on record both ways;
    a part made only of the commit's own articles is cut without a record (no one saw them in
    the cut story)."""
    a, b, c = example_articles
    filled.put_story("sty_a", "Harbour strike", [a.id, b.id, c.id])
    split_at = clock.advance(hours=1)

    cut = filled.split_stories([("sty_a", [("sty_a", [a.id, c.id]), ("sty_p", [b.id])])])
    assert cut == (["sty_a"], ["sty_p"])

    assert filled.get_story("sty_a").article_ids == (a.id, c.id)
    part = filled.get_story("sty_p")
    assert part.article_ids == (b.id,) and part.title == b.title
    assert filled.get_story("sty_a").updated_at == part.updated_at == split_at
    assert filled.split_history(["sty_a", "sty_p"]) == ({"sty_a": ["sty_p"]}, {"sty_p": "sty_a"})
    moved = filled.split_stories(
        [("sty_p", [("sty_p", [b.id]), ("sty_q", [a.id])])], new_articles=[a.id]
    )
    assert moved == ([], ["sty_q"])
    assert filled.get_story("sty_a").article_ids == (c.id,)  # a moved on with the second cut
    assert filled.split_history(["sty_q"]) == ({}, {})


def test_a_story_merged_away_and_cut_out_again_is_not_reported_as_merged(
    filled: Store, example_articles: list[Article]
) -> None:
    """A part takes the id of the story its first article started, even one merged away long
    before: that story exists again, so it is no longer "merged into" the story it left."""
    a, b, c = example_articles
    filled.put_story("sty_a", "Harbour strike", [a.id])
    filled.put_story("sty_b", "Harbour strike, day two", [b.id, c.id])
    filled.merge_stories([("sty_a", "sty_b", 0.3)])
    assert filled.merged_into("sty_a") == "sty_b"
    filled.split_stories([("sty_b", [("sty_b", [b.id, c.id]), ("sty_a", [a.id])])])
    assert filled.merged_into("sty_a") is None
    assert filled.get_story("sty_a").article_ids == (a.id,)


class _ScriptedTracking:
    """A tracking whose decisions are given (joins, merges, splits, final memberships): a commit
    whose shape real reports reach only by chance, written through the ingest's own code."""

    def __init__(
        self,
        joins: dict[str, str],
        merges: list[StoryMerge],
        splits: list[StorySplit],
        members: dict[str, list[str]],
    ) -> None:
        self.joins, self.merges, self.splits, self.members = joins, merges, splits, members
        self.tracker = self

    def add_all(self, store: Store, articles: list[Article]) -> list[str]:
        return [self.joins[a.id] for a in articles]

    def consolidate(self, store: Store) -> tuple[list[StorySplit], list[StoryMerge]]:
        return self.splits, self.merges

    def story_articles(self, story_id: str) -> list[str]:
        return self.members[story_id]


def test_a_part_that_takes_back_a_story_made_in_the_commit_still_takes_its_merge(
    filled: Store, example_articles: list[Article]
) -> None:
    """A story A made by this commit absorbs a stored story D and then merges into a stored C,
    which the split cuts again, A taking its id back (its merge into C is undone, D's into A
    stands): the commit creates A before D's merge moves D's article there, and the split
    writes every membership; no split is recorded, since C never held what A took."""
    a, c, d = (x.id for x in example_articles)
    filled.put_story("sty_c", "C", [c])
    filled.put_story("sty_d", "D", [d])
    scripted = _ScriptedTracking(
        joins={a: "sty_a"},
        merges=[StoryMerge("sty_d", "sty_a", 0.4)],
        splits=[StorySplit("sty_c", (("sty_a", (a, d)),))],
        members={"sty_c": [c], "sty_a": [a, d]},
    )
    run = _Run(
        store=filled,
        settings=Settings(),
        executor=LocalExecutor(),
        progress=lambda stage, done, total: None,
        on_rejection=None,
        batch_size=8,
        debug=False,
    )
    with filled.batch():
        run._commit(scripted, [a])  # type: ignore[arg-type]
    assert filled.get_story("sty_c").article_ids == (c,)
    assert filled.get_story("sty_a").article_ids == (a, d)
    assert filled.merged_into("sty_d") == "sty_a"
    assert filled.split_history(["sty_c", "sty_a"]) == ({}, {})
    assert run.new_stories == {"sty_a"} and not run.split
