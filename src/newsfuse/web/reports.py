"""Story reports for the app, computed once per story version and kept in memory.

A story's version is its last update and its article count: it changes exactly when an ingest
extends the story.  The first request for a version reports the story the way ``newsfuse report
--store`` does (:func:`newsfuse.corpus.ingest.report_story`, which also keeps the JSON in the store)
and later requests get the kept JSON and page; concurrent first requests for one story wait for one
computation instead of each running the pipeline.  The JSON endpoint serves a stored report without
running anything when the store already holds one made for the current version and settings.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from newsfuse.config import Settings, settings_hash
from newsfuse.models import Report
from newsfuse.store import Store, StoredStory

__all__ = ["CachedPage", "CachedReport", "ReportCache", "story_version"]


def story_version(story: StoredStory) -> str:
    """The key that changes when the story changes: last update and article count."""
    return f"{story.updated_at.isoformat()}/{len(story.article_ids)}"


@dataclass(frozen=True, slots=True)
class CachedPage:
    """A rendered page or report JSON, encoded and gzipped once (a story's page or JSON is a few
    hundred kB of text, which browsers and HTTP clients take compressed; encoding and compressing
    it per request would cost more than serving it)."""

    text: str
    encoded: bytes
    gzipped: bytes

    @classmethod
    def of(cls, text: str) -> CachedPage:
        """``text`` with its UTF-8 bytes and their gzip form (no time stamp: same bytes each time)."""
        encoded = text.encode("utf-8")
        return cls(text, encoded, gzip.compress(encoded, compresslevel=6, mtime=0))

    def response(self, request: Request, media_type: str, headers: dict[str, str]) -> Response:
        """The body, gzipped when the request accepts gzip."""
        sent = {**headers, "vary": "accept-encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            sent["content-encoding"] = "gzip"
            return Response(self.gzipped, media_type=media_type, headers=sent)
        return Response(self.encoded, media_type=media_type, headers=sent)


@dataclass(frozen=True, slots=True)
class CachedReport:
    """One story version's report, its JSON text, and its page (made on first request)."""

    version: str
    report: Report
    json_text: str


class ReportCache:
    """Reports by story, newest versions only, at most ``size`` stories (least recently used go)."""

    def __init__(
        self, store: Store, settings: Settings, size: int, version_ttl: float = 1.0
    ) -> None:
        self._store = store
        self._ttl = version_ttl
        self._versions: dict[str, tuple[float, StoredStory, str]] = {}
        self._refreshing: set[str] = set()
        self._settings = settings
        self._hash = settings_hash(settings)
        self._size = max(1, size)
        self._entries: OrderedDict[str, CachedReport] = OrderedDict()
        self._pages: dict[tuple[str, str], CachedPage] = {}
        self._stored_json: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._json_bodies: dict[str, tuple[str, CachedPage]] = {}
        self._lock = threading.Lock()
        self._story_locks: dict[str, threading.Lock] = {}

    def story(self, story_id: str) -> tuple[StoredStory, str]:
        """The stored story and its version (``NotInStoreError`` when there is none).

        A version read less than ``version_ttl`` seconds ago is trusted without asking the store:
        under load, most reads then touch no database at all, and a new report shows within that.
        While one request reads it again, the others keep the known version.
        """
        with self._lock:
            known = self._versions.get(story_id)
            refreshing = story_id in self._refreshing
        if known is not None and (refreshing or time.monotonic() - known[0] < self._ttl):
            return known[1], known[2]
        with self._lock:
            self._refreshing.add(story_id)
        try:
            story = self._store.get_story(story_id)
        finally:
            with self._lock:
                self._refreshing.discard(story_id)
        version = story_version(story)
        with self._lock:
            self._versions[story_id] = (time.monotonic(), story, version)
            if len(self._versions) > 16 * self._size:
                self._versions.clear()
        return story, version

    def _fresh_version(self, story_id: str) -> str | None:
        with self._lock:
            known = self._versions.get(story_id)
            refreshing = story_id in self._refreshing
        if known is None or (time.monotonic() - known[0] >= self._ttl and not refreshing):
            return None
        return known[2]

    def fresh_json(self, story_id: str) -> tuple[str, str] | None:
        """The report JSON and version when both are in memory and fresh (no store, no thread)."""
        version = self._fresh_version(story_id)
        if version is None:
            return None
        entry = self._cached(story_id, version)
        if entry is not None:
            return entry.json_text, version
        with self._lock:
            kept = self._stored_json.get(story_id)
        return (kept[1], version) if kept is not None and kept[0] == version else None

    def fresh_page(self, story_id: str, render: str) -> CachedPage | None:
        """A rendered page of the current version when it is in memory and fresh."""
        version = self._fresh_version(story_id)
        return None if version is None else self.page(story_id, version, render)

    def _cached(self, story_id: str, version: str) -> CachedReport | None:
        with self._lock:
            entry = self._entries.get(story_id)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(story_id)
            return entry

    def get(self, story_id: str) -> CachedReport:
        """The report of the story's current version, computed at most once per version."""
        _, version = self.story(story_id)
        entry = self._cached(story_id, version)
        if entry is not None:
            return entry
        with self._lock:
            story_lock = self._story_locks.setdefault(story_id, threading.Lock())
        with story_lock:
            entry = self._cached(story_id, version)
            if entry is not None:
                return entry
            from newsfuse.corpus.ingest import report_story
            from newsfuse.outputs.json import render_json

            report = report_story(self._store, story_id, self._settings)
            entry = CachedReport(version, report, render_json(report))
            with self._lock:
                self._entries[story_id] = entry
                self._entries.move_to_end(story_id)
                self._pages = {k: v for k, v in self._pages.items() if k[0] != story_id}
                while len(self._entries) > self._size:
                    gone, _ = self._entries.popitem(last=False)
                    self._pages = {k: v for k, v in self._pages.items() if k[0] != gone}
            return entry

    def json_text(self, story_id: str) -> tuple[str, str]:
        """The report JSON of the current version and that version.

        A report the store already holds is used when it is at least as new as the story's last
        update and was made with these settings; otherwise the story is reported.
        """
        story, version = self.story(story_id)
        entry = self._cached(story_id, version)
        if entry is not None:
            return entry.json_text, version
        with self._lock:
            kept = self._stored_json.get(story_id)
        if kept is not None and kept[0] == version:
            return kept[1], version
        stored = self._store.latest_report(story_id)
        if (
            stored is not None
            and stored.settings_hash == self._hash
            and stored.created_at >= story.updated_at
            and _article_count(stored.body) == len(story.article_ids)
        ):
            with self._lock:
                self._stored_json[story_id] = (version, stored.body)
                while len(self._stored_json) > self._size:
                    self._stored_json.popitem(last=False)
            return stored.body, version
        entry = self.get(story_id)
        return entry.json_text, entry.version

    def json_body(self, story_id: str, version: str, text: str) -> CachedPage:
        """The report JSON ``text`` of ``version``, encoded and gzipped once per version."""
        with self._lock:
            kept = self._json_bodies.get(story_id)
        if kept is not None and kept[0] == version:
            return kept[1]
        body = CachedPage.of(text)
        with self._lock:
            if len(self._json_bodies) >= 2 * self._size and story_id not in self._json_bodies:
                self._json_bodies.clear()
            self._json_bodies[story_id] = (version, body)
        return body

    def page(self, story_id: str, version: str, render: str) -> CachedPage | None:
        """A page rendered earlier for this version, if any."""
        with self._lock:
            return self._pages.get((story_id, version + render))

    def keep_page(self, story_id: str, version: str, render: str, html: str) -> CachedPage:
        """Keep a rendered page of the current version (and its gzip form); the kept page."""
        kept = CachedPage.of(html)
        with self._lock:
            if story_id in self._entries and self._entries[story_id].version == version:
                self._pages[(story_id, version + render)] = kept
        return kept


def _article_count(body: str) -> int:
    import json

    try:
        data = json.loads(body)
        return len(data.get("articles", []))
    except (ValueError, AttributeError):
        return -1
