"""A story that is really two is cut at the consolidation (real reports: ECB+ topic 13, a
validation topic of ``benchmarks/clustering.py``, two events of one kind)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence

import numpy as np
import pytest

from factories import ecb_events, tracked
from newsfuse.models import Article
from newsfuse.stages.cluster import ArticleFeatures, ClusterSettings, StoryTracker, article_features
from newsfuse.stages.cluster_splitting import average_linkage_groups


@pytest.fixture(scope="module")
def topic_13() -> dict[str, list[Article]]:
    events = ecb_events(13)
    if events is None:
        pytest.skip("ECB+ not found under ../shared/bench/events-dev")
    return events


def _mixed(tracker: StoryTracker, event: dict[str, str]) -> int:
    """How many stories hold reports of both events."""
    return sum(len({event[a] for a in ids}) > 1 for ids in tracker.stories().values())


def test_a_story_that_mixes_two_events_is_cut_at_the_consolidation(
    topic_13: dict[str, list[Article]],
) -> None:
    """In two of three arrival orders the default join and merges end with one story holding
    reports of both events; with the split (the default) no story does, in any order."""
    articles = [a for each in topic_13.values() for a in each]
    event = {a.id: name for name, each in topic_13.items() for a in each}
    unsplit = dataclasses.replace(ClusterSettings(), split_threshold=0.0)
    mixed = {True: 0, False: 0}
    for seed in range(3):
        order = list(articles)
        random.Random(seed).shuffle(order)
        mixed[False] += _mixed(tracked(order, unsplit), event) > 0
        mixed[True] += _mixed(tracked(order, ClusterSettings()), event) > 0
    assert mixed == {False: 2, True: 0}


def test_a_cut_keeps_the_first_article_s_story_and_says_where_the_rest_went(
    topic_13: dict[str, list[Article]],
) -> None:
    articles = [a for each in topic_13.values() for a in each]
    order = list(articles)
    random.Random(1).shuffle(order)
    tracker = StoryTracker(ClusterSettings())
    for article in order:
        tracker.add(article)
    tracker.consolidate()
    splits = tracker.take_splits()
    assert splits and tracker.take_splits() == []
    stories = tracker.stories()
    for split in splits:
        assert split.story in stories
        for part, moved in split.parts:
            assert stories[part] == list(moved)  # the new story holds exactly what was cut
            assert not set(moved) & set(stories[split.story])
    assert sorted(a for ids in stories.values() for a in ids) == sorted(a.id for a in articles)


def test_a_story_with_earlier_articles_is_left_whole_when_they_cannot_be_fetched(
    topic_13: dict[str, list[Article]],
) -> None:
    """Articles that joined a story the last consolidation saw: without a way to read its older
    articles back, it is left as it is."""
    first, second = topic_13.values()
    settings = ClusterSettings(link_threshold=0.0, merge_threshold=1.0, merge_linkage="cosine")
    tracker = tracked(list(first), settings)
    before = dict(tracker.stories())
    tracker.take_splits()
    joined = {tracker.add(article) for article in second} & set(before)
    assert joined  # some of the second event's reports joined a story of the first batch
    tracker.consolidate()
    assert not {split.story for split in tracker.take_splits()} & set(before)
    for story_id in joined:  # grown, never cut: what it held before it still holds
        assert set(before[story_id]) <= set(tracker.stories()[story_id])


def test_a_grown_story_is_checked_again_with_its_earlier_articles_fetched(
    topic_13: dict[str, list[Article]],
) -> None:
    """Six reports of one event, consolidated; then the other event's reports, some of which
    join their story (grown by half since its check, so due again).  With the earlier articles
    handed back (as a store reads them) the story is checked whole and cut where the two events
    meet; only articles of the first batch are asked for."""
    first, second = topic_13.values()
    first = first[:6]
    event = {a.id: name for name, each in topic_13.items() for a in each}
    settings = ClusterSettings(link_threshold=0.0, merge_threshold=1.0, merge_linkage="cosine")
    features = {a.id: article_features(a, settings) for a in [*first, *second]}
    asked: list[str] = []

    def fetch(ids: Sequence[str]) -> list[tuple[ArticleFeatures, None]]:
        asked.extend(ids)
        return [(features[i], None) for i in ids]

    runs = {}
    for fetching in (False, True):
        tracker = tracked(list(first), settings)
        before = dict(tracker.stories())
        tracker.take_splits()
        for article in second:
            tracker.add(article)
        tracker.consolidate(fetch if fetching else None)
        runs[fetching] = (tracker, {s.story for s in tracker.take_splits()} & set(before))
    (whole, none_cut), (checked, cut) = runs[False], runs[True]
    assert not none_cut and cut
    assert asked and set(asked) <= {a.id for a in first}
    assert _mixed(checked, event) == 0 < _mixed(whole, event)
    assert sorted(a for ids in checked.stories().values() for a in ids) == sorted(features)


def test_average_linkage_joins_while_the_mean_link_reaches_the_threshold() -> None:
    links = np.array(
        [
            [1.0, 0.9, 0.05, 0.0],
            [0.9, 1.0, 0.0, 0.05],
            [0.05, 0.0, 1.0, 0.8],
            [0.0, 0.05, 0.8, 1.0],
        ]
    )
    assert average_linkage_groups(links, 0.03) == [[0, 1], [2, 3]]
    assert average_linkage_groups(links, 0.02) == [[0, 1, 2, 3]]  # the mean across is 0.025
    assert average_linkage_groups(links, 0.95) == [[0], [1], [2], [3]]
