"""The pieces the Spark executor reuses from the local stages behave like the local stages."""

from __future__ import annotations

import json
from pathlib import Path

from factories import make_article
from newsfuse.config import IngestSettings
from newsfuse.models import Article, RawDocument, Rejection
from newsfuse.stages.cluster import StoryTracker, article_features, cluster
from newsfuse.stages.ingest.files import is_selected, read_file_content
from newsfuse.stages.ingest.sources import read_sources


def _article(n: int, title: str, text: str, day: int | None) -> Article:
    return make_article(
        text,
        article_id=f"a{n:03d}",
        raw_id=f"r{n:03d}",
        origin=f"o{n}",
        title=title,
        published_at=None if day is None else f"2025-10-{day:02d}",
    )


def test_tracker_fed_features_gives_the_stories_of_cluster() -> None:
    topics = [
        ("Harbour strike enters second week", "Dock workers in Merrow kept the port closed."),
        ("Port talks collapse in Merrow", "Union leaders walked out of the harbour talks."),
        ("Flood warning for Calderra valley", "Rivers rose across Calderra after heavy rain."),
        ("Calderra river bursts its banks", "Heavy rain flooded farms in the Calderra valley."),
    ]
    articles = [
        _article(n, title, text, day)
        for n, (title, text) in enumerate(topics * 3)
        for day in ([1 + n] if n % 5 else [None])
    ]
    features = sorted((article_features(a) for a in articles), key=lambda f: f.canonical_key())
    tracker = StoryTracker()
    for item in features:
        tracker.add_features(item)
    tracker.consolidate()  # as cluster() does, once after the batch
    assert tracker.stories() == cluster(articles)
    assert len(cluster(articles)) < len(articles)  # some articles joined a story


def test_read_file_content_matches_a_local_read(tmp_path: Path) -> None:
    settings = IngestSettings(max_bytes=300)
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Dock workers walked out.</p></body></html>", encoding="utf-8")
    lines = tmp_path / "feed.jsonl"
    lines.write_text(
        "\n".join([json.dumps({"text": "One."}), "{bad", json.dumps({"text": "x" * 400})]) + "\n",
        encoding="utf-8",
    )
    big = tmp_path / "big.txt"
    big.write_text("y" * 400, encoding="utf-8")
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b", encoding="utf-8")
    for path in (page, lines, big, odd):
        local = list(read_sources([str(path)], settings))
        remote = list(read_file_content(str(path), path.read_bytes(), settings))
        assert remote == local
        assert all(isinstance(i, RawDocument | Rejection) for i in remote)


def test_is_selected_follows_the_directory_walk(tmp_path: Path) -> None:
    settings = IngestSettings(exclude=("drafts", "*.md"))
    for relative in ("a.txt", "sub/b.html", "drafts/c.txt", "sub/.d.txt", "e.md", "f.csv"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("Dock workers walked out of the port.", encoding="utf-8")
    read = {
        Path(i.origin).relative_to(tmp_path).as_posix()
        for i in read_sources([str(tmp_path)], settings)
        if isinstance(i, RawDocument)
    }
    relatives = ["a.txt", "sub/b.html", "drafts/c.txt", "sub/.d.txt", "e.md", "f.csv"]
    assert {r for r in relatives if is_selected(r, settings)} == read == {"a.txt", "sub/b.html"}
