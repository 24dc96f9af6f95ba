"""Feeds, web archives and URLs reach the whole pipeline through the same door as files."""

from __future__ import annotations

import functools
import html
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsfuse.config import load_settings
from newsfuse.outputs.json import render_json
from newsfuse.pipeline import run


def _paragraphs(path: Path) -> list[str]:
    return [
        line for line in path.read_text(encoding="utf-8").splitlines() if len(line.split()) > 25
    ]


LOCAL = ["http.allow_private=true"]  # the test site listens on 127.0.0.1


@pytest.fixture()
def feed(tmp_path: Path, examples_dir: Path) -> Path:
    items = []
    for number, name in enumerate(("01_merrow-herald.txt", "06_workers-voice.txt"), start=1):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in _paragraphs(examples_dir / name))
        items.append(
            f"<item><title>Report {number}</title><link>https://example.org/{number}</link>"
            f"<pubDate>Wed, 1{number} Mar 2026 18:00:00 GMT</pubDate>"
            f"<description>{html.escape(body)}</description></item>"
        )
    path = tmp_path / "strike.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Port news</title>'
        f"<link>https://example.org/</link><description>d</description>{''.join(items)}"
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def local_site(examples_dir: Path) -> Iterator[str]:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(examples_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_feed_and_a_url_make_one_report(feed: Path, local_site: str) -> None:
    url = f"{local_site}/03_national-ledger.html"
    report = run([str(feed), url], load_settings(overrides=LOCAL))
    origins = sorted(a.origin for a in report.articles)
    assert origins == [f"{feed}#entry-1", f"{feed}#entry-2", url]
    titles = {a.title for a in report.articles}
    assert {"Report 1", "Report 2"} <= titles
    assert any(a.published_at and a.published_at.startswith("2026-03-11") for a in report.articles)
    assert report.story.facts and report.story.brief


def test_a_missing_page_is_rejected_and_the_rest_reported(feed: Path, local_site: str) -> None:
    report = run([str(feed), f"{local_site}/no-such-page.html"], load_settings(overrides=LOCAL))
    assert len(report.articles) == 2
    assert [r.item for r in report.rejections] == [f"{local_site}/no-such-page.html"]


def test_credentials_in_a_url_stay_out_of_the_report(feed: Path, local_site: str) -> None:
    url = f"{local_site}/03_national-ledger.html"
    with_secret = url.replace("http://", "http://reader:s3cret@")
    report = run([str(feed), with_secret, f"{with_secret}.missing"], load_settings(overrides=LOCAL))
    assert url in {a.origin for a in report.articles}
    assert [r.item for r in report.rejections] == [f"{url}.missing"]
    assert "s3cret" not in render_json(report)
