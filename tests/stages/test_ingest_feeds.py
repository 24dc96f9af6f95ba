"""read_feeds on RSS 2.0 and Atom feeds written to tmp_path and served from a real local server."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsfuse.config import IngestSettings
from newsfuse.models import RawDocument, Rejection
from newsfuse.stages.ingest.feeds import FeedSettings, parse_feed, read_feeds
from newsfuse.stages.ingest.http import HttpSettings

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Harbour Gazette</title>
    <link>https://gazette.example/</link>
    <description>News from the harbour</description>
    <item>
      <title>Dock workers walk out</title>
      <link>{base}/articles/strike.html</link>
      <dc:creator>Amina Roy</dc:creator>
      <pubDate>Thu, 30 Oct 2025 14:05:00 +0100</pubDate>
      <description>Teaser only.</description>
      <content:encoded><![CDATA[<p>Dock workers walked out on Thursday, the union said.</p>]]></content:encoded>
    </item>
    <item>
      <title>Talks “constructive”</title>
      <link>{base}/articles/talks.html</link>
      <description>&lt;p&gt;Talks resumed, an official said.&lt;/p&gt;</description>
    </item>
    <item>
      <title>Photo gallery</title>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire Service</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2025-10-30T15:00:00Z</updated>
  <entry>
    <title>Port reopens</title>
    <link href="https://wire.example/port-reopens"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2025-10-31T09:30:00Z</updated>
    <published>2025-10-31T08:00:00+02:00</published>
    <author><name>Lee Park</name></author>
    <summary type="text">The port reopened on Friday.</summary>
  </entry>
  <entry>
    <title>Ships queue</title>
    <link href="https://wire.example/ships-queue"/>
    <id>urn:uuid:2225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2025-10-31T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Forty ships queued outside the harbour.&lt;/p&gt;</content>
  </entry>
</feed>
"""

ARTICLE = (
    b"<!DOCTYPE html><html><head><title>Strike</title></head><body><p>Full story.</p></body></html>"
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""

FAST = HttpSettings(
    allow_private=True, timeout=1.0, total_timeout=3.0, retries=0, delay=0.0, max_bytes=1_000_000
)


def _write(path: Path, text: str | bytes) -> str:
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return str(path)


def _docs(items: list[RawDocument | Rejection]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def _rejections(items: list[RawDocument | Rejection]) -> list[Rejection]:
    return [item for item in items if isinstance(item, Rejection)]


# --- a real local server -----------------------------------------------------------------------------


class Site:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.base = ""


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest shows failures, not access logs."""

        def do_GET(self) -> None:
            site.hits[self.path] += 1
            routes: dict[str, tuple[int, str, bytes]] = {
                "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /articles/talks\n"),
                "/feed.rss": (200, "application/rss+xml", RSS.format(base=site.base).encode()),
                "/atom.xml": (200, "application/atom+xml; charset=utf-8", ATOM.encode()),
                "/page.html": (200, "text/html", ARTICLE),
                "/articles/strike.html": (200, "text/html; charset=utf-8", ARTICLE),
                "/bomb.xml": (200, "application/xml", BILLION_LAUGHS.encode()),
            }
            status, content_type, body = routes.get(self.path, (404, "text/plain", b"no"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    """A real server on 127.0.0.1 and an ephemeral port, stopped after the test."""
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    host, port = server.server_address[:2]
    state.base = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


# --- files -------------------------------------------------------------------------------------------


def test_rss_entries_become_documents(tmp_path: Path) -> None:
    feed = _write(tmp_path / "gazette.rss", RSS.format(base="https://gazette.example"))
    items = list(read_feeds([feed], IngestSettings()))
    first, second, third = items
    assert isinstance(first, RawDocument)
    assert first.origin == f"{feed}#entry-1"
    assert first.media_type == "text/html"
    # the full content:encoded wins over the teaser in <description>
    assert first.content == b"<p>Dock workers walked out on Thursday, the union said.</p>"
    assert first.declared.url == "https://gazette.example/articles/strike.html"
    assert first.declared.title == "Dock workers walk out"
    assert first.declared.byline == "Amina Roy"
    assert first.declared.published_at == "2025-10-30T13:05:00+00:00"
    assert first.fetched_at is None
    assert isinstance(second, RawDocument)
    assert second.origin == f"{feed}#entry-2"
    assert second.content == b"<p>Talks resumed, an official said.</p>"
    assert second.declared.title == "Talks “constructive”"
    assert second.declared.published_at is None
    assert isinstance(third, Rejection)
    assert third.item == f"{feed}#entry-3"
    assert third.reason == "entry has no content or summary"


def test_atom_entries_become_documents(tmp_path: Path) -> None:
    feed = _write(tmp_path / "wire.atom", ATOM)
    first, second = list(read_feeds([feed], IngestSettings()))
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.media_type == "text/plain"  # <summary type="text">
    assert first.content == b"The port reopened on Friday."
    assert first.declared.url == "https://wire.example/port-reopens"
    assert first.declared.byline == "Lee Park"
    assert first.declared.published_at == "2025-10-31T06:00:00+00:00"
    assert second.media_type == "text/html"
    assert second.content == b"<p>Forty ships queued outside the harbour.</p>"
    assert second.declared.published_at == "2025-10-31T10:00:00+00:00"  # <updated> as fallback


def test_invalid_xml_rejects_the_feed_naming_the_error(tmp_path: Path) -> None:
    broken = ATOM.replace("</entry>\n  <entry>", "</entri>\n  <entry>", 1)
    feed = _write(tmp_path / "broken.atom", broken)
    [rejection] = list(read_feeds([feed], IngestSettings()))
    assert isinstance(rejection, Rejection)
    assert rejection.item == feed
    assert rejection.reason.startswith("invalid XML: mismatched tag at line 14")


def test_a_page_that_is_not_a_feed_is_rejected(tmp_path: Path) -> None:
    feed = _write(tmp_path / "page.xml", ARTICLE)
    [rejection] = list(read_feeds([feed], IngestSettings()))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith(("not an RSS or Atom feed", "invalid XML"))


def test_billion_laughs_is_refused_before_any_entity_is_expanded(tmp_path: Path) -> None:
    feed = _write(tmp_path / "bomb.rss", BILLION_LAUGHS)
    [rejection] = list(read_feeds([feed], IngestSettings()))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("refused: the DOCTYPE declares XML entities")


def test_billion_laughs_in_utf16_is_refused(tmp_path: Path) -> None:
    feed = _write(tmp_path / "bomb16.rss", BILLION_LAUGHS.encode("utf-16"))
    [rejection] = list(read_feeds([feed], IngestSettings()))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("refused: the DOCTYPE declares XML entities")


def test_a_doctype_without_entities_is_fine() -> None:
    rss = RSS.format(base="https://gazette.example").replace(
        "<rss ", '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "">\n<rss ', 1
    )
    items = list(parse_feed("feed.rss", rss.encode()))
    assert len(_docs(items)) == 2


def test_missing_and_oversized_feed_files_are_rejected(tmp_path: Path) -> None:
    feed = _write(tmp_path / "wire.atom", ATOM)
    items = list(read_feeds([str(tmp_path / "absent.rss"), feed], IngestSettings(max_bytes=100)))
    assert [r.reason for r in _rejections(items)] == [
        "no such file or directory",
        "file is over the size limit (ingest.max_bytes)",
    ]


# --- URLs --------------------------------------------------------------------------------------------


def test_feed_from_a_url(site: Site) -> None:
    url = f"{site.base}/atom.xml"
    items = list(read_feeds([url], IngestSettings(), http=FAST))
    docs = _docs(items)
    assert [doc.origin for doc in docs] == [f"{url}#entry-1", f"{url}#entry-2"]
    assert all(doc.fetched_at for doc in docs)
    assert site.hits["/atom.xml"] == 1


def test_entity_bomb_from_a_url_is_refused(site: Site) -> None:
    [rejection] = list(read_feeds([f"{site.base}/bomb.xml"], IngestSettings(), http=FAST))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("refused: the DOCTYPE declares XML entities")


def test_a_feed_url_serving_html_is_rejected(site: Site) -> None:
    [rejection] = list(read_feeds([f"{site.base}/page.html"], IngestSettings(), http=FAST))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "unsupported content type 'text/html'; expected an RSS or Atom feed"


def test_fetch_articles_fetches_linked_pages(site: Site) -> None:
    url = f"{site.base}/feed.rss"
    items = list(read_feeds([url], IngestSettings(), FeedSettings(fetch_articles=True), http=FAST))
    strike, talks, gallery = items
    assert isinstance(strike, RawDocument)
    assert strike.origin == f"{site.base}/articles/strike.html"
    assert strike.content == ARTICLE
    assert strike.declared.title == "Dock workers walk out"  # the feed's metadata is kept
    assert strike.declared.published_at == "2025-10-30T13:05:00+00:00"
    assert isinstance(talks, Rejection)  # robots.txt disallows /articles/talks
    assert talks.reason == f"disallowed by {site.base}/robots.txt"
    assert isinstance(gallery, Rejection)  # no link to fetch, no content either
    assert site.hits["/robots.txt"] == 1


def test_feedparser_never_fetches_by_itself(tmp_path: Path, site: Site) -> None:
    """A local feed naming server URLs is parsed without any request being made."""
    feed = _write(tmp_path / "gazette.rss", RSS.format(base=site.base))
    items = list(read_feeds([feed], IngestSettings(), http=FAST))
    assert len(_docs(items)) == 2
    assert sum(site.hits.values()) == 0


def test_a_pubdate_in_year_9999_is_no_date() -> None:
    rss = RSS.format(base="https://gazette.example").replace("30 Oct 2025", "30 Oct 9999")
    first = _docs(list(parse_feed("feed.rss", rss.encode())))[0]
    assert first.declared.title == "Dock workers walk out"
    assert first.declared.published_at is None


# --- internal addresses and credentials in links -----------------------------------------------------

LINKS_RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Aggregator</title>
<link>https://aggregator.example/</link><description>d</description>
<item><title>Local</title><link>{base}/articles/strike.html</link><description>a</description></item>
<item><title>Metadata</title><link>http://169.254.169.254/latest/meta-data/</link>
<description>b</description></item>
<item><title>Mapped</title><link>http://[::ffff:127.0.0.1]:{port}/page.html</link>
<description>c</description></item>
</channel></rss>"""


def test_fetch_articles_refuses_links_to_internal_addresses(tmp_path: Path, site: Site) -> None:
    """A third-party feed cannot point the fetcher at this machine or the cloud metadata service."""
    port = site.base.rsplit(":", 1)[1]
    feed = _write(tmp_path / "aggregator.rss", LINKS_RSS.format(base=site.base, port=port))
    settings = dataclasses.replace(FAST, allow_private=False)
    items = list(read_feeds([feed], IngestSettings(), FeedSettings(fetch_articles=True), settings))
    assert [(r.item, r.reason) for r in _rejections(items)] == [
        (
            f"{site.base}/articles/strike.html",
            "refused: 127.0.0.1 is a loopback address (set http.allow_private = true to fetch it)",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            "refused: 169.254.169.254 is a link-local address "
            "(set http.allow_private = true to fetch it)",
        ),
        (
            f"http://[::ffff:127.0.0.1]:{port}/page.html",
            "refused: ::ffff:127.0.0.1 is a loopback address "
            "(set http.allow_private = true to fetch it)",
        ),
    ]
    assert sum(site.hits.values()) == 0


def test_credentials_in_feed_and_link_urls_are_not_kept(tmp_path: Path, site: Site) -> None:
    feed_url = site.base.replace("http://", "http://reader:s3cret@") + "/feed.rss"
    items = list(read_feeds([feed_url], IngestSettings(), http=FAST))
    assert [doc.origin for doc in _docs(items)] == [
        f"{site.base}/feed.rss#entry-1",
        f"{site.base}/feed.rss#entry-2",
    ]
    local = _write(
        tmp_path / "secret.rss",
        LINKS_RSS.format(base="https://u:s3cret@news.example", port=1),
    )
    [first, *_] = _docs(list(read_feeds([local], IngestSettings(), http=FAST)))
    assert first.declared.url == "https://news.example/articles/strike.html"
    assert "s3cret" not in repr(items)
