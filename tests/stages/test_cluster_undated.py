"""Undated stories leave the tracker by arrivals (issue 16): real roundups, no publication dates.

With no date the time window never closes, so a tracker fed an undated stream used to keep every
story it had ever started live: its working set grew with the stream.  ``undated_window`` counts
arrivals instead; these tests feed AllSides roundups (title and lead of three outlets per story,
the public ``val`` file read from ``../shared``) one story's reports after another, as a feed
brings them, with a store's commit after each story (consolidate, write, forget what left).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from factories import make_article
from newsfuse.models import Article, content_id
from newsfuse.stages.cluster import ClusterSettings, StoryTracker

ROUNDUPS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "roundups-dev" / "val.source"
WINDOW = 60  # articles: 20 roundups of three reports


def _roundups() -> list[list[Article]]:
    """Each line of the file is one story told by three outlets: its reports, undated."""
    if not ROUNDUPS.is_file():
        pytest.skip(f"roundups not found at {ROUNDUPS}")
    stories = []
    for line in ROUNDUPS.read_text(encoding="utf-8").splitlines():
        reports = []
        for outlet, part in enumerate(line.split(" [SEP] ")):
            title, _, text = part.removeprefix("TITLE=> ").partition(" ARTICLE=> ")
            reports.append(
                make_article(
                    text,
                    article_id=content_id(title, text, prefix="art_"),
                    outlet=f"outlet-{outlet}",
                    title=title,
                )
            )
        stories.append(reports)
    return stories


def _stream(
    window: int, stories: list[list[Article]]
) -> tuple[StoryTracker, list[int], dict[str, str]]:
    """Feed the stories' reports one story after another, committing after each story as a
    store does; the number of stories held after each commit and each article's story id as
    the store would have it (the stories forgotten keep what was written for them)."""
    settings = dataclasses.replace(ClusterSettings(), undated_window=window)
    tracker = StoryTracker(settings)
    held: list[int] = []
    placed: dict[str, str] = {}
    for reports in stories:
        for article in reports:
            tracker.add(article)
        tracker.consolidate()
        tracker.take_changes()
        for story_id, ids in tracker.stories().items():  # what a store's memberships say
            placed.update(dict.fromkeys(ids, story_id))
        tracker.forget_expired()
        held.append(len(tracker.stories()))
    return tracker, held, placed


def _f1(placed: dict[str, str], truth: dict[str, int]) -> float:
    """BCubed F1 of the articles ``placed`` (story id by article id) against ``truth``."""
    found: dict[str, set[str]] = {}
    true: dict[int, set[str]] = {}
    for article, story in placed.items():
        found.setdefault(story, set()).add(article)
        true.setdefault(truth[article], set()).add(article)
    precision = recall = 0.0
    for article, story in placed.items():
        both = len(found[story] & true[truth[article]])
        precision += both / len(found[story])
        recall += both / len(true[truth[article]])
    precision, recall = precision / len(placed), recall / len(placed)
    return 2 * precision * recall / (precision + recall)


def _resumed_from_live_rows(
    tracker: StoryTracker, updated_from: int
) -> tuple[StoryTracker, list[dict[str, Any]], list[dict[str, Any]]]:
    """A tracker resumed as a store resumes it: from the rows of the stories updated at or
    after ``updated_from``; also those rows and all of them."""
    rows = [tracker.story_row(s) for s in tracker.stories()]
    live = [r for r in rows if r["updated"] >= updated_from]
    ids = tracker.stories()
    resumed = StoryTracker.from_rows(
        tracker.header(),
        live,
        {r["id"]: tracker.norms_row(r["id"]) for r in live},
        tracker.feature_rows(tracker.state()["df"]),
        {r["id"]: ids[r["id"]] for r in live},
    )
    return resumed, live, rows


def test_an_undated_stream_keeps_a_bounded_active_set_and_its_stories() -> None:
    stories = _roundups()
    truth = {a.id: n for n, reports in enumerate(stories) for a in reports}
    assert len(stories) > 5 * WINDOW // 3  # many more stories than the window holds

    _, held, placed = _stream(WINDOW, stories)
    _, held_off, placed_off = _stream(0, stories)

    # with the window: never more stories in memory than articles in the window
    assert max(held) <= WINDOW
    # without it (how undated streams ran before): every story the stream started stays live
    assert held_off[-1] >= len(stories) * 9 // 10
    # and the stories are as good: a roundup's reports come together, well inside the window
    assert _f1(placed, truth) >= _f1(placed_off, truth) - 0.005
    # every article is in exactly one story, held or left
    assert set(placed) == set(truth)


def test_a_story_that_left_the_window_is_final_as_an_expired_dated_one() -> None:
    """A story the last ``undated_window`` articles did not touch takes no new report of itself
    (it starts a story of its own, as a dated story's report after ``window_days`` does) and no
    merge, and it is not forgotten by ``stories()`` before ``forget_expired``; a resumed tracker
    (``from_rows`` with only the live rows, as a store loads) decides exactly as the original."""
    stories = _roundups()
    first, filler = stories[0], stories[1 : 1 + WINDOW // 3 + 2]
    settings = dataclasses.replace(ClusterSettings(), undated_window=WINDOW)
    tracker = StoryTracker(settings)
    for article in first[:2]:
        tracker.add(article)
    tracker.consolidate()
    (old,) = {sid for sid, ids in tracker.stories().items() if first[0].id in ids}
    assert set(tracker.stories()[old]) == {first[0].id, first[1].id}
    for reports in filler:  # more than WINDOW articles of other stories
        for article in reports:
            tracker.add(article)
        tracker.consolidate()
    assert old in tracker.stories()  # left the window, still a story until forgotten
    tracker.take_changes()

    # a store resumes from the live rows only; the left story's row is not among them
    header = tracker.header()
    updated_from = StoryTracker.live_updated_from(header)
    assert updated_from is not None
    resumed, live, rows = _resumed_from_live_rows(tracker, updated_from)
    assert old not in {r["id"] for r in live} and len(live) < len(rows)
    assert tracker.forget_expired() >= 1 and old not in tracker.stories()

    late = tracker.add(first[2])
    assert resumed.add(first[2]) == late
    assert late != old  # the third report starts a story of its own
    tracker.consolidate()
    assert old not in tracker.stories()  # and no merge brings the story that left back
    assert first[2].id in tracker.stories()[late]

    # without the window the same report, as many articles later, does join its story
    off = StoryTracker(dataclasses.replace(settings, undated_window=0))
    for article in [*first[:2], *(a for reports in filler for a in reports), first[2]]:
        off.add(article)
    off.consolidate()
    assert {a.id for a in first} <= set(off.stories()[old])


def _scattered(stories: list[list[Article]], count: int) -> list[Article]:
    """The reports of the first ``count`` roundups in id order, as a batch feeds undated articles:
    a story's three reports end up far apart."""
    return sorted((a for reports in stories[:count] for a in reports), key=lambda a: a.id)


def _batch(window: int, articles: list[Article], *, batch: bool) -> StoryTracker:
    tracker = StoryTracker(dataclasses.replace(ClusterSettings(), undated_window=window))
    if batch:
        tracker.begin_batch()
    for article in articles:
        tracker.add(article)
    tracker.consolidate()
    return tracker


def test_a_batch_keeps_its_undated_stories_live_until_it_ends() -> None:
    """Fed in id order, a batch of many more undated reports than the window cut its stories
    in pieces; held open as one batch it finds the stories the window-less tracker finds, and
    once closed its stories leave by arrivals again."""
    stories = _roundups()
    articles = _scattered(stories, 5 * WINDOW // 3)
    truth = {a.id: n for n, reports in enumerate(stories) for a in reports}

    def f1(tracker: StoryTracker) -> float:
        return _f1({a: s for s, ids in tracker.stories().items() for a in ids}, truth)

    off = _batch(0, articles, batch=False)
    cut = _batch(WINDOW, articles, batch=False)
    held = _batch(WINDOW, articles, batch=True)
    assert held.stories() == off.stories()
    assert f1(cut) < f1(off) - 0.05  # the window alone scatters them

    held.take_changes()
    assert held.forget_expired() == 0  # nothing leaves while the batch is open
    held.end_batch()
    before = len(held.stories())
    assert held.forget_expired() > before // 2  # then all but the last window's stories go


def test_a_tracker_resumed_inside_a_batch_decides_as_the_original() -> None:
    """A store persists the open batch in the header: resumed from the rows it selects as live
    (``live_updated_from``: the window's stories and every story since the batch began), a
    tracker goes on exactly as the uninterrupted one.  The batch opens after a stream whose
    older stories have left the window, so the selection does leave rows out."""
    stories = _roundups()
    before = [a for reports in stories[-WINDOW:] for a in reports]  # a stream, story by story
    articles = _scattered(stories, 5 * WINDOW // 3)
    first, rest = articles[: 2 * WINDOW], articles[2 * WINDOW :]
    tracker = StoryTracker(dataclasses.replace(ClusterSettings(), undated_window=WINDOW))
    for article in before:
        tracker.add(article)
    tracker.consolidate()
    tracker.begin_batch()
    for article in first:
        tracker.add(article)
    tracker.consolidate()
    tracker.take_changes()
    header = tracker.header()
    assert header["batch_from"] == len(before) + 1
    updated_from = StoryTracker.live_updated_from(header)
    assert updated_from == len(before) + 1  # the batch: the stream's stories have all left
    resumed, live, rows = _resumed_from_live_rows(tracker, updated_from)
    assert 0 < len(live) < len(rows)
    for article in rest:
        assert resumed.add(article) == tracker.add(article)
    for both in (tracker, resumed):
        both.consolidate()
        both.take_changes()
        both.forget_expired()
    assert resumed.stories() == tracker.stories()
