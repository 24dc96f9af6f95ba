"""fetch_urls against a real HTTP server on 127.0.0.1 (an ephemeral port, started per test).

The server misbehaves on purpose, one route per failure: errors, a flaky route, a slow one, a redirect
loop, an endless body, a robots.txt that disallows.  Every test is bounded to a few seconds.
"""

from __future__ import annotations

import dataclasses
import itertools
import socket
import threading
import time
import tracemalloc
import zlib
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from newsfuse.config import load_settings
from newsfuse.errors import ConfigError
from newsfuse.models import RawDocument, Rejection, content_id
from newsfuse.stages.ingest import http as http_module
from newsfuse.stages.ingest.http import (
    ACCEPT_ENCODING,
    USER_AGENT,
    Fetcher,
    HttpSettings,
    fetch_page,
    fetch_urls,
    read_url_list,
    strip_credentials,
)

PAGE = b"<!DOCTYPE html><html><head><title>Talks</title></head><body><p>Talks resumed.</p></body></html>"
NOTES = b"Talks resumed on Thursday, an official said.\n"
PNG_HEAD = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
)
CHUNK = b"<p>" + b"x" * 65_530 + b"</p>"  # 64 KiB of an endless page

FAST = HttpSettings(
    timeout=1.0,
    total_timeout=3.0,
    retries=2,
    backoff=0.01,
    delay=0.0,
    max_bytes=1_000_000,
    allow_private=True,  # the test server listens on 127.0.0.1
)


class Site:
    """What the test server serves, and what it saw."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.robots_status = 200
        self.robots = "User-agent: *\nDisallow: /private/\n"
        self.lock = threading.Lock()
        self.encoded: dict[str, tuple[str, bytes]] = {}  # path: (Content-Encoding, body)
        self.headers: list[dict[str, str]] = []


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # close-delimited bodies: the endless route needs no length

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest shows failures, not access logs."""

        def do_GET(self) -> None:
            with site.lock:
                site.hits[self.path] += 1
                hits = site.hits[self.path]
                site.user_agents.append(self.headers.get("User-Agent", ""))
                site.headers.append(dict(self.headers.items()))
            path = self.path
            if path in site.encoded:
                encoding, body = site.encoded[path]
                self._send(200, "text/html", body, encoding=encoding)
            elif path == "/robots.txt":
                self._send(site.robots_status, "text/plain", site.robots.encode())
            elif path in ("/article.html", "/private/page.html"):
                self._send(200, "text/html; charset=utf-8", PAGE)
            elif path == "/notes.txt":
                self._send(200, "text/plain; charset=utf-8", NOTES)
            elif path == "/image.png":
                self._send(200, "image/png", PNG_HEAD)
            elif path == "/missing":
                self._send(404, "text/html", b"<p>not here</p>")
            elif path == "/broken":
                self._send(500, "text/html", b"<p>oops</p>")
            elif path == "/flaky":
                if hits <= 2:
                    self._send(503, "text/html", b"<p>busy</p>")
                else:
                    self._send(200, "text/html", PAGE)
            elif path == "/busy":  # asks for a pause the first time, then answers
                if hits <= 1:
                    self._send(503, "text/html", b"<p>busy</p>", retry_after="3")
                else:
                    self._send(200, "text/html", PAGE)
            elif path == "/limited":  # always over its rate limit, asking for a long pause
                self._send(429, "text/html", b"<p>slow down</p>", retry_after="3600")
            elif path == "/slow":
                time.sleep(3)
                self._send(200, "text/html", PAGE)
            elif path in ("/loop-a", "/loop-b"):
                target = "/loop-b" if path == "/loop-a" else "/loop-a"
                self._send(302, "text/html", b"", location=target)
            elif path == "/moved":
                self._send(301, "text/html", b"", location="/article.html")
            elif path == "/to-ftp":
                self._send(302, "text/html", b"", location="ftp://127.0.0.1/file")
            elif path in ("/endless", "/declared-huge"):
                self._stream(declared=path == "/declared-huge")
            else:
                self._send(404, "text/plain", b"no such route")

        def _send(
            self,
            status: int,
            content_type: str,
            body: bytes,
            location: str = "",
            encoding: str = "",
            retry_after: str = "",
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if retry_after:
                self.send_header("Retry-After", retry_after)
            if location:
                self.send_header("Location", location)
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.end_headers()
            self.wfile.write(body)

        def _stream(self, *, declared: bool) -> None:
            """A 2 GB (or endless) page, written until the client hangs up."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if declared:
                self.send_header("Content-Length", str(2_000_000_000))
            self.end_headers()
            try:
                for _ in range(2_000_000_000 // len(CHUNK)):
                    self.wfile.write(CHUNK)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    """A real server on 127.0.0.1 and an ephemeral port; yields what it serves and its base URL."""
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True  # a handler still sleeping in /slow must not hold up the test
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield state, f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


def _fetch(*urls: str, settings: HttpSettings = FAST) -> list[RawDocument | Rejection]:
    return list(fetch_urls(urls, settings))


def _one_rejection(items: list[RawDocument | Rejection]) -> Rejection:
    assert len(items) == 1
    assert isinstance(items[0], Rejection), items[0]
    return items[0]


# --- success -----------------------------------------------------------------------------------------


def test_html_page_is_fetched_with_metadata(site: tuple[Site, str]) -> None:
    state, base = site
    [doc] = _fetch(f"{base}/article.html")
    assert isinstance(doc, RawDocument)
    assert doc.content == PAGE
    assert doc.media_type == "text/html"
    assert doc.origin == f"{base}/article.html"
    assert doc.declared.url == f"{base}/article.html"
    assert doc.id == content_id("text/html", PAGE, prefix="raw_")
    assert doc.fetched_at is not None and doc.fetched_at.endswith("+00:00")
    assert state.user_agents and all(ua == USER_AGENT for ua in state.user_agents)
    assert USER_AGENT.startswith("newsfuse/") and "(+https://github.com/newsfuse)" in USER_AGENT


def test_plain_text_is_fetched_as_text(site: tuple[Site, str]) -> None:
    _, base = site
    [doc] = _fetch(f"{base}/notes.txt")
    assert isinstance(doc, RawDocument)
    assert (doc.media_type, doc.content) == ("text/plain", NOTES)


def test_redirect_is_followed_and_the_final_url_declared(site: tuple[Site, str]) -> None:
    _, base = site
    [doc] = _fetch(f"{base}/moved")
    assert isinstance(doc, RawDocument)
    assert doc.origin == f"{base}/moved"
    assert doc.declared.url == f"{base}/article.html"


def test_robots_txt_is_fetched_once_per_host(site: tuple[Site, str]) -> None:
    state, base = site
    items = _fetch(f"{base}/article.html", f"{base}/notes.txt", f"{base}/article.html")
    assert all(isinstance(item, RawDocument) for item in items)
    assert state.hits["/robots.txt"] == 1


# --- errors and retries ------------------------------------------------------------------------------


def test_404_is_not_retried(site: tuple[Site, str]) -> None:
    state, base = site
    rejection = _one_rejection(_fetch(f"{base}/missing"))
    assert rejection.item == f"{base}/missing"
    assert rejection.stage == "ingest"
    assert rejection.reason == "HTTP 404 Not Found"
    assert state.hits["/missing"] == 1


def test_500_is_retried_then_rejected(site: tuple[Site, str]) -> None:
    state, base = site
    rejection = _one_rejection(_fetch(f"{base}/broken"))
    assert rejection.reason == "HTTP 500 Internal Server Error after 3 attempts"
    assert state.hits["/broken"] == 3  # the first try and http.retries = 2 more


def test_a_flaky_server_succeeds_on_retry(site: tuple[Site, str]) -> None:
    state, base = site
    [doc] = _fetch(f"{base}/flaky")
    assert isinstance(doc, RawDocument)
    assert state.hits["/flaky"] == 3


def _waits(url: str, settings: HttpSettings) -> tuple[RawDocument | Rejection, list[float]]:
    """Fetch ``url`` through a fetcher that records the waits between attempts, not takes them."""
    waits: list[float] = []
    with Fetcher(settings, sleep=waits.append) as fetcher:
        return fetch_page(fetcher, url), waits


def test_backoff_doubles_between_attempts(site: tuple[Site, str]) -> None:
    state, base = site
    settings = HttpSettings(allow_private=True, timeout=1.0, retries=3, backoff=0.2, delay=0.0)
    result, waits = _waits(f"{base}/broken", settings)
    assert isinstance(result, Rejection)
    assert result.reason == "HTTP 500 Internal Server Error after 4 attempts"
    assert state.hits["/broken"] == 4
    assert waits == [0.2, 0.4, 0.8]  # none after the last attempt


def test_retry_after_is_honoured_within_max_backoff(site: tuple[Site, str]) -> None:
    """A 503 asking for 3 s waits 3 s (longer than the backoff), then the page is had; a 429
    asking for an hour waits ``max_backoff`` each time, then is rejected."""
    state, base = site
    settings = HttpSettings(
        allow_private=True, timeout=1.0, retries=2, backoff=0.5, max_backoff=10.0, delay=0.0
    )
    busy, waits = _waits(f"{base}/busy", settings)
    assert isinstance(busy, RawDocument) and waits == [3.0]
    limited, waits = _waits(f"{base}/limited", settings)
    assert isinstance(limited, Rejection)
    assert limited.reason == "HTTP 429 Too Many Requests after 3 attempts"
    assert waits == [10.0, 10.0]
    assert (state.hits["/busy"], state.hits["/limited"]) == (2, 3)


def test_a_slow_server_times_out(site: tuple[Site, str]) -> None:
    state, base = site
    settings = HttpSettings(allow_private=True, timeout=0.3, retries=1, backoff=0.01, delay=0.0)
    started = time.monotonic()
    rejection = _one_rejection(_fetch(f"{base}/slow", settings=settings))
    assert time.monotonic() - started < 2.0
    assert rejection.reason == "timed out (no answer within 0.3 s) after 2 attempts"
    assert state.hits["/slow"] == 2


def test_connection_refused_is_rejected() -> None:
    # a port that was just free: nobody listens on it
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    rejection = _one_rejection(_fetch(f"http://127.0.0.1:{port}/x"))
    assert rejection.reason.startswith(
        f"http://127.0.0.1:{port}/robots.txt is unreachable (connection failed:"
    )


# --- bounds ------------------------------------------------------------------------------------------


def test_a_redirect_loop_is_rejected(site: tuple[Site, str]) -> None:
    _, base = site
    rejection = _one_rejection(_fetch(f"{base}/loop-a"))
    assert rejection.reason == f"redirect loop: {base}/loop-a → {base}/loop-b → {base}/loop-a"


def test_too_many_redirects_are_rejected(site: tuple[Site, str]) -> None:
    _, base = site
    settings = HttpSettings(allow_private=True, timeout=1.0, delay=0.0, max_redirects=0)
    rejection = _one_rejection(_fetch(f"{base}/moved", settings=settings))
    assert rejection.reason == "more than 0 redirects (http.max_redirects)"


def test_an_endless_body_is_cut_at_the_cap(site: tuple[Site, str]) -> None:
    _, base = site
    started = time.monotonic()
    rejection = _one_rejection(_fetch(f"{base}/endless"))
    assert time.monotonic() - started < 2.0  # 1 MB read, not 2 GB
    assert rejection.reason == "response over the 1 MB limit (http.max_bytes)"


def test_a_declared_huge_body_is_refused_unread(site: tuple[Site, str]) -> None:
    _, base = site
    started = time.monotonic()
    rejection = _one_rejection(_fetch(f"{base}/declared-huge"))
    assert time.monotonic() - started < 1.0
    assert rejection.reason == "response is 2 GB, over the 1 MB limit (http.max_bytes)"


def test_a_non_page_content_type_is_rejected(site: tuple[Site, str]) -> None:
    _, base = site
    rejection = _one_rejection(_fetch(f"{base}/image.png"))
    assert rejection.reason == "unsupported content type 'image/png'; expected HTML or plain text"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "127.0.0.1/page"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    rejection = _one_rejection(_fetch(url))
    assert rejection.reason.startswith("unsupported URL scheme")


@pytest.mark.parametrize(
    "url", ["http://[::1/page", "http://127.0.0.1:99999/page", "https:///page"]
)
def test_malformed_urls_are_rejected(url: str) -> None:
    rejection = _one_rejection(_fetch(url))
    assert rejection.reason.startswith("not a URL")


def test_a_redirect_to_another_scheme_is_rejected(site: tuple[Site, str]) -> None:
    _, base = site
    rejection = _one_rejection(_fetch(f"{base}/to-ftp"))
    assert rejection.reason == "unsupported URL scheme 'ftp'; newsfuse fetches http and https"


# --- robots.txt and politeness -----------------------------------------------------------------------


def test_robots_txt_disallow_is_respected(site: tuple[Site, str]) -> None:
    state, base = site
    rejection = _one_rejection(_fetch(f"{base}/private/page.html"))
    assert rejection.reason == f"disallowed by {base}/robots.txt"
    assert state.hits["/private/page.html"] == 0


def test_robots_txt_wildcards_follow_rfc_9309(site: tuple[Site, str]) -> None:
    """``*`` and ``$`` patterns, longest match wins (the standard library's parser ignored both)."""
    state, base = site
    state.robots = (
        "User-agent: *\nDisallow: /*.txt$\nDisallow: /priv*/\nAllow: /private/page.html$\n"
    )
    txt, page, other = _fetch(
        f"{base}/notes.txt", f"{base}/private/page.html", f"{base}/article.html"
    )
    assert isinstance(txt, Rejection) and txt.reason == f"disallowed by {base}/robots.txt"
    assert isinstance(page, RawDocument)  # the longer Allow wins over Disallow: /priv*/
    assert isinstance(other, RawDocument)
    assert state.hits["/notes.txt"] == 0


def test_robots_txt_can_be_ignored_on_purpose(site: tuple[Site, str]) -> None:
    state, base = site
    settings = HttpSettings(allow_private=True, timeout=1.0, delay=0.0, respect_robots=False)
    [doc] = _fetch(f"{base}/private/page.html", settings=settings)
    assert isinstance(doc, RawDocument)
    assert state.hits["/robots.txt"] == 0


def test_missing_robots_txt_allows_everything(site: tuple[Site, str]) -> None:
    state, base = site
    state.robots_status = 404
    [doc] = _fetch(f"{base}/private/page.html")
    assert isinstance(doc, RawDocument)


def test_unreachable_robots_txt_blocks_the_host(site: tuple[Site, str]) -> None:
    state, base = site
    state.robots_status = 503
    rejection = _one_rejection(_fetch(f"{base}/article.html"))
    assert rejection.reason.startswith(f"{base}/robots.txt is unreachable (HTTP 503")
    assert state.hits["/article.html"] == 0


def test_requests_to_one_host_are_spaced(site: tuple[Site, str]) -> None:
    _, base = site
    settings = HttpSettings(allow_private=True, timeout=1.0, delay=0.3)
    started = time.monotonic()
    items = _fetch(f"{base}/article.html", f"{base}/notes.txt", settings=settings)
    elapsed = time.monotonic() - started
    assert all(isinstance(item, RawDocument) for item in items)
    assert elapsed >= 0.55  # robots.txt, then two pages, 0.3 s apart


# --- URL lists ---------------------------------------------------------------------------------------


def test_url_list_skips_comments_and_rejects_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "sources.urls"
    path.write_text(
        "# outlets covering the talks\n"
        "https://example.org/a.html\n"
        "\n"
        "  https://example.org/b.html#section   # the live blog\n"
        "ftp://example.org/c.txt\n"
        "example.org/d.html\n",
        encoding="utf-8",
    )
    items = list(read_url_list(path))
    assert items[:2] == ["https://example.org/a.html", "https://example.org/b.html#section"]
    rejections = items[2:]
    assert [r.item for r in rejections if isinstance(r, Rejection)] == [f"{path}:5", f"{path}:6"]


def test_url_list_feeds_fetch_urls(tmp_path: Path, site: tuple[Site, str]) -> None:
    _, base = site
    path = tmp_path / "today.txt"
    path.write_text(f"{base}/article.html\n{base}/missing\n", encoding="utf-8")
    urls = [item for item in read_url_list(path) if isinstance(item, str)]
    items = _fetch(*urls)
    assert [type(item).__name__ for item in items] == ["RawDocument", "Rejection"]


def test_missing_url_list_is_rejected(tmp_path: Path) -> None:
    [rejection] = list(read_url_list(tmp_path / "absent.urls"))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("cannot read")


# --- compression bombs -------------------------------------------------------------------------------

BOMB_SIZE = 256 * 2**20  # 256 MiB of spaces, from a few hundred bytes on the wire
SMALL_CAP = HttpSettings(
    timeout=1.0, total_timeout=5.0, retries=0, delay=0.0, max_bytes=2_000_000, allow_private=True
)


def _gzip(chunks: Iterator[bytes] | list[bytes]) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return b"".join([*(packer.compress(chunk) for chunk in chunks), packer.flush()])


def _spaces() -> Iterator[bytes]:
    block = b" " * 2**20
    for _ in range(BOMB_SIZE // len(block)):
        yield block


def _cut_within_memory(state: Site, base: str, encoding: str, body: bytes) -> None:
    """The bomb is rejected at the 2 MB cap, fast, and never held in memory decoded."""
    state.encoded["/bomb"] = (encoding, body)
    assert len(body) < 300_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        rejection = _one_rejection(_fetch(f"{base}/bomb", settings=SMALL_CAP))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rejection.reason == "response over the 2 MB limit (http.max_bytes)"
    assert time.monotonic() - started < 3.0
    assert peak < 20_000_000, f"peak {peak} bytes: the bomb was decoded before it was counted"


def test_a_brotli_bomb_is_cut_at_the_cap(site: tuple[Site, str]) -> None:
    brotli = pytest.importorskip("brotli")
    packer = brotli.Compressor(quality=5)
    body = b"".join([*(packer.process(block) for block in _spaces()), packer.finish()])
    _cut_within_memory(*site, "br", body)


def test_a_stacked_gzip_bomb_is_cut_at_the_cap(site: tuple[Site, str]) -> None:
    _cut_within_memory(*site, "gzip, gzip", _gzip([_gzip(_spaces())]))


def test_a_single_gzip_bomb_is_cut_at_the_cap(site: tuple[Site, str]) -> None:
    _cut_within_memory(*site, "gzip", _gzip(_spaces()))


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "raw-deflate", "gzip, gzip"])
def test_encoded_pages_are_decoded(site: tuple[Site, str], encoding: str) -> None:
    state, base = site
    if encoding == "deflate":
        body = zlib.compress(PAGE)
    elif encoding == "raw-deflate":  # what some servers send as "deflate"
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        body, encoding = packer.compress(PAGE) + packer.flush(), "deflate"
    elif encoding == "gzip, gzip":
        body = _gzip([_gzip([PAGE])])
    else:
        body = _gzip([PAGE])
    state.encoded["/page"] = (encoding, body)
    [doc] = _fetch(f"{base}/page")
    assert isinstance(doc, RawDocument)
    assert doc.content == PAGE


def test_only_boundable_encodings_are_asked_for_and_others_rejected(
    site: tuple[Site, str],
) -> None:
    state, base = site
    state.encoded["/page"] = ("zstd", b"(\xb5/\xfd")
    rejection = _one_rejection(_fetch(f"{base}/page"))
    assert rejection.reason.startswith(
        "unsupported content encoding 'zstd' (newsfuse asks for gzip"
    )
    asked = {headers.get("Accept-Encoding") for headers in state.headers}
    assert asked == {ACCEPT_ENCODING}
    assert "zstd" not in ACCEPT_ENCODING and ACCEPT_ENCODING.startswith("gzip, deflate")


# --- a server dripping its headers -------------------------------------------------------------------


@pytest.fixture
def dripping() -> Iterator[tuple[str, list[int]]]:
    """A raw socket server answering every request with one header byte every 0.1 s, forever.

    Yields its base URL and a list with the number of connections it accepted.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()
    accepted = [0]

    def drip(connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65_536)
                for byte in itertools.cycle(b"HTTP/1.1 200 OK\r\nX-Slow: "):
                    if stop.wait(0.1):
                        return
                    connection.sendall(bytes([byte]))
            except OSError:
                return  # the client hung up: what we want

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            accepted[0] += 1
            threading.Thread(target=drip, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


DRIP = HttpSettings(
    timeout=0.5, total_timeout=1.0, retries=2, backoff=0.01, delay=0.0, allow_private=True
)


def test_dripped_headers_hit_the_total_timeout(dripping: tuple[str, list[int]]) -> None:
    base, accepted = dripping
    settings = dataclasses.replace(DRIP, respect_robots=False)
    started = time.monotonic()
    rejection = _one_rejection(_fetch(f"{base}/article.html", settings=settings))
    assert time.monotonic() - started < 2.0
    assert rejection.reason == "response took longer than 1 s (http.total_timeout)"
    assert accepted[0] == 1  # not retried: a second try would drip just the same


def test_a_dripping_robots_txt_hits_the_total_timeout(dripping: tuple[str, list[int]]) -> None:
    base, accepted = dripping
    started = time.monotonic()
    rejection = _one_rejection(_fetch(f"{base}/article.html", settings=DRIP))
    assert time.monotonic() - started < 2.0
    assert rejection.reason == (
        f"{base}/robots.txt is unusable (response took longer than 1 s (http.total_timeout)); "
        "not fetching from this host"
    )
    assert accepted[0] == 1


# --- internal addresses ------------------------------------------------------------------------------

NO_PRIVATE = dataclasses.replace(FAST, allow_private=False)


@pytest.mark.parametrize(
    ("host", "address", "kind"),
    [
        ("127.0.0.1", "", "a loopback address"),
        ("[::1]", "", "a loopback address"),
        ("localhost", "127.0.0.1", "a loopback address"),
        ("0x7f000001", "127.0.0.1", "a loopback address"),
        ("2130706433", "127.0.0.1", "a loopback address"),
        ("0.0.0.0", "", "an unspecified address"),
        ("[::ffff:127.0.0.1]", "", "a loopback address"),
        ("169.254.169.254", "", "a link-local address"),
        ("10.1.2.3", "", "a private address"),
    ],
)
def test_internal_addresses_are_refused(
    site: tuple[Site, str], host: str, address: str, kind: str
) -> None:
    state, base = site
    port = base.rsplit(":", 1)[1]
    url = f"http://{host}:{port}/article.html"
    rejection = _one_rejection(_fetch(url, settings=NO_PRIVATE))
    assert rejection.item == url
    bare = host.strip("[]")
    if address:  # a name; localhost may also resolve to ::1 first
        assert rejection.reason.startswith(f"refused: {bare} resolves to "), rejection.reason
        assert rejection.reason.endswith(f"{kind} (set http.allow_private = true to fetch it)")
    else:
        assert (
            rejection.reason
            == f"refused: {bare} is {kind} (set http.allow_private = true to fetch it)"
        )
    assert sum(state.hits.values()) == 0


def _mock_site(seen: list[str]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.path == "/moved":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1/admin"})
        if request.url.path == "/to-metadata":
            return httpx.Response(302, headers={"Location": "http://metadata.example/latest"})
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=PAGE)

    return httpx.MockTransport(answer)


ADDRESSES = {
    "news.example": ("93.184.216.34",),
    "127.0.0.1": ("127.0.0.1",),
    "metadata.example": ("2606:4700::1", "169.254.169.254"),
}


def _resolver(host: str, port: int, timeout: float) -> tuple[str, ...]:
    return ADDRESSES[host]


@pytest.mark.parametrize(
    ("path", "target", "why"),
    [
        ("/moved", "http://127.0.0.1/admin", "127.0.0.1 is a loopback address"),
        (
            "/to-metadata",
            "http://metadata.example/latest",
            "metadata.example resolves to 169.254.169.254, a link-local address",
        ),
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(path: str, target: str, why: str) -> None:
    seen: list[str] = []
    settings = dataclasses.replace(NO_PRIVATE, respect_robots=True)
    with Fetcher(settings, transport=_mock_site(seen), resolver=_resolver) as fetcher:
        rejection = fetch_page(fetcher, f"http://news.example{path}")
    assert isinstance(rejection, Rejection)
    assert rejection.item == f"http://news.example{path}"
    assert rejection.reason == (
        f"refused: redirect to {target}: {why} (set http.allow_private = true to fetch it)"
    )
    assert seen == ["http://news.example/robots.txt", f"http://news.example{path}"]


def test_a_url_httpx_cannot_parse_is_one_rejection() -> None:
    rejection = _one_rejection(_fetch("http://news\x00.example/", settings=NO_PRIVATE))
    assert rejection.reason.startswith("not a URL: Invalid non-printable ASCII character")


def test_the_connection_goes_to_the_checked_address(
    site: tuple[Site, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """news.example is not in DNS: only the pinned address can have reached the local server."""
    state, base = site
    port = int(base.rsplit(":", 1)[1])
    monkeypatch.setattr(http_module, "_non_public", lambda address: None)
    resolved: list[str] = []

    def resolver(host: str, port: int, timeout: float) -> tuple[str, ...]:
        resolved.append(host)
        return ("127.0.0.1",)

    with Fetcher(NO_PRIVATE, resolver=resolver) as fetcher:
        doc = fetch_page(fetcher, f"http://news.example:{port}/article.html")
    assert isinstance(doc, RawDocument), doc
    assert doc.content == PAGE
    assert resolved == ["news.example", "news.example"]  # robots.txt, then the page
    assert state.hits["/article.html"] == 1


# --- credentials in URLs -----------------------------------------------------------------------------


def test_credentials_are_neither_sent_nor_kept(site: tuple[Site, str]) -> None:
    state, base = site
    with_secret = base.replace("http://", "http://reader:s3cret@")
    doc, rejection = _fetch(f"{with_secret}/moved", f"{with_secret}/missing")
    assert isinstance(doc, RawDocument) and isinstance(rejection, Rejection)
    assert doc.origin == f"{base}/moved"
    assert doc.declared.url == f"{base}/article.html"
    assert rejection.item == f"{base}/missing"
    assert "s3cret" not in repr((doc, rejection))
    assert all("Authorization" not in headers for headers in state.headers)


@pytest.mark.parametrize(
    ("url", "stripped"),
    [
        ("https://user:pass@news.example/a?b=c@d", "https://news.example/a?b=c@d"),
        ("http://user@news.example:8080/", "http://news.example:8080/"),
        ("http://a:b@c@news.example#x@y", "http://news.example#x@y"),
        ("https://news.example/path@x", "https://news.example/path@x"),
        ("not a url", "not a url"),
    ],
)
def test_strip_credentials(url: str, stripped: str) -> None:
    assert strip_credentials(url) == stripped


def test_allow_private_is_off_by_default_and_typed() -> None:
    assert load_settings().http.allow_private is False
    assert load_settings(overrides=["http.allow_private=true"]).http.allow_private is True
    with pytest.raises(ConfigError, match=r"http.allow_private must be bool"):
        load_settings(overrides=["http.allow_private=1"])
