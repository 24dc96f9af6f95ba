"""The story list's cache: a list is read from the store again only when a story changed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsfuse.store import Store
from newsfuse.store.listing import StoryFilter, StoryPage
from newsfuse.web.catalog import ListingCache


class _CountingStore:
    """The store, counting the list queries made through it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.queries = 0

    def story_page(self, wanted: StoryFilter) -> StoryPage:
        self.queries += 1
        return self.store.story_page(wanted)

    def last_story_update(self) -> datetime | None:
        return self.store.last_story_update()


def test_a_list_is_read_again_only_after_a_story_changed(store_path: Path) -> None:
    wanted = StoryFilter(limit=10)
    with Store.open(store_path) as store:
        counting = _CountingStore(store)
        cache = ListingCache(counting, ttl=0.0)  # type: ignore[arg-type]  # what it calls of a Store
        first = cache.get(wanted)
        assert cache.get(wanted) is first and counting.queries == 1  # nothing changed: no query
        (story,) = first.stories
    later = datetime.now(UTC) + timedelta(hours=1)
    with Store.open(store_path, clock=lambda: later) as writer:
        kept = writer.get_story(story.id)
        writer.put_story(kept.id, kept.title, kept.article_ids)  # the story is updated
        assert writer.last_story_update() == later
    with Store.open(store_path) as store:
        counting.store = store
        again = cache.get(wanted)
    assert counting.queries == 2 and again.stories[0].updated_at == later
