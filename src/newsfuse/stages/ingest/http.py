"""The URL-ingest stage: web pages fetched politely become RawDocuments, kept byte for byte.

A fetch must never hang a run, fill memory or annoy a publisher, so every request goes through one
:class:`Fetcher`, which holds one ``httpx`` client and enforces, per URL:

* **schemes**: only ``http`` and ``https``; anything else (``file:``, ``ftp:``) is rejected unread.
* **robots.txt** (RFC 9309): fetched once per host through the same client and cached; a page it
  disallows for our user agent is rejected.  As the RFC says, a robots.txt answering 4xx means "no
  rules", while one that is unreachable (5xx, connection error) means "fetch nothing" from that host.
* **politeness**: at least ``delay`` seconds between two requests to the same host (robots.txt
  included).
* **time**: ``timeout`` bounds connecting and each read, and ``total_timeout`` the whole response, so a
  server dripping one byte at a time cannot stall a run either.
* **retries**: 429, 5xx, timeouts and connection errors are retried ``retries`` times with exponential
  backoff (``backoff``, doubled each time, never above ``max_backoff``; a ``Retry-After`` in seconds is
  honoured within that bound).  Other 4xx answers are final.
* **redirects**: followed by hand, at most ``max_redirects``, each hop checked for scheme and robots.txt;
  a loop is rejected as soon as a URL comes round again.
* **size**: a ``Content-Length`` over ``max_bytes`` is rejected before the body is read, and the
  body is counted while it streams (after content decoding, so a compression bomb is cut too): a 2 GB
  or endless response stops at ``max_bytes``.
* **media type**: from ``Content-Type``: HTML (``text/html``, ``application/xhtml+xml``) is
  ``text/html``, ``text/plain`` is ``text/plain``; anything else (images, PDFs, JSON) is rejected before
  its body is read.  A response without a Content-Type is sniffed like stdin.

Each problem becomes a :class:`~newsfuse.models.Rejection` naming the URL; nothing here raises for one
bad URL.  :func:`read_url_list` reads ``.urls``/``.txt`` files of one URL a line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import TracebackType
from typing import Final
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsfuse.errors import ItemError
from newsfuse.models import DeclaredMetadata, RawDocument, Rejection, content_id
from newsfuse.stages.ingest.decode import check_text
from newsfuse.stages.ingest.files import sniff_media_type

__all__ = [
    "HTML_TYPES",
    "STAGE",
    "USER_AGENT",
    "Fetched",
    "Fetcher",
    "HttpSettings",
    "fetch_page",
    "fetch_urls",
    "raw_document",
    "read_url_list",
]

STAGE: Final = "ingest"


def _version() -> str:
    try:
        return version("newsfuse")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


USER_AGENT: Final = f"newsfuse/{_version()} (+https://github.com/newsfuse)"
"""Names the tool and where to read about it, so a publisher can tell who fetched and why."""

HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
_PAGE_TYPES: Final[dict[str, str]] = {
    **dict.fromkeys(HTML_TYPES, "text/html"),
    "text/plain": "text/plain",
}
_SCHEMES: Final = ("http", "https")
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES: Final = 500_000  # RFC 9309: parse at least 500 KiB; more is not a robots.txt
_ROBOTS_REDIRECTS: Final = 5  # RFC 9309: follow at least five


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """How URLs are fetched.  Every bound is finite: a run must end whatever the servers do."""

    timeout: float = 10.0  # seconds to connect, and between two reads
    total_timeout: float = 60.0  # seconds for a whole response; stops slow-drip servers
    retries: int = 2  # further attempts after the first, on 429, 5xx, timeouts, connection errors
    backoff: float = 1.0  # seconds before the first retry; doubled for each further one
    max_backoff: float = 30.0  # upper bound of one wait, Retry-After included
    max_bytes: int = 20_000_000  # a larger response is cut off and rejected
    max_redirects: int = 5
    delay: float = 1.0  # seconds between two requests to the same host
    user_agent: str = USER_AGENT
    respect_robots: bool = True  # off only for sites you own or may crawl regardless


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response: its final URL (after redirects), media type (no parameters), body."""

    url: str
    media_type: str
    content: bytes
    fetched_at: str


class _StatusError(ItemError):
    """An HTTP error status; robots.txt handling needs the status, not only the sentence."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True, slots=True)
class _Redirect:
    location: str


class Fetcher:
    """One client, one robots.txt cache and one clock per host, shared by every fetch of a run.

    Sharing matters: robots.txt is fetched once per host, connections are reused, and the politeness
    delay holds across pages, feeds and the articles they link to.  Use as a context manager.
    """

    def __init__(self, settings: HttpSettings, *, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self._client = httpx.Client(
            headers={"User-Agent": settings.user_agent},
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,  # by hand: each hop is checked for scheme and robots.txt
            transport=transport,
        )
        self._robots: dict[str, RobotFileParser | str] = {}
        self._last_request: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, accept: Collection[str] | None, what: str = "a web page") -> Fetched:
        """Fetch ``url``, following redirects; raise ItemError saying why it cannot be had.

        ``accept`` lists the media types wanted (``None``: any); ``what`` names them in the error.
        """
        hops = [url]
        current = url
        while True:
            _check_scheme(current)
            if self.settings.respect_robots:
                self._check_robots(current)
            result = self._get(current, accept, what, self.settings.max_bytes)
            if isinstance(result, Fetched):
                return result
            target = urljoin(current, result.location)
            if target in hops:
                raise ItemError("redirect loop: " + " → ".join([*hops, target]))
            if len(hops) > self.settings.max_redirects:
                raise ItemError(
                    f"more than {self.settings.max_redirects} redirects (http.max_redirects)"
                )
            hops.append(target)
            current = target

    # --- one request, with retries ---------------------------------------------------------------

    def _get(
        self, url: str, accept: Collection[str] | None, what: str, limit: int
    ) -> Fetched | _Redirect:
        settings = self.settings
        attempt = 0
        while True:
            attempt += 1
            self._wait_for_host(url)
            retry_after: float | None = None
            status = 0
            try:
                with self._client.stream("GET", url) as response:
                    status = response.status_code
                    if status in _REDIRECTS and "location" in response.headers:
                        return _Redirect(response.headers["location"])
                    if status == 429 or status >= 500:
                        problem = f"HTTP {status} {response.reason_phrase}".rstrip()
                        retry_after = _retry_after(response.headers.get("retry-after"))
                    elif status >= 300:
                        raise _StatusError(
                            f"HTTP {status} {response.reason_phrase}".rstrip(), status
                        )
                    else:
                        return self._read(response, url, accept, what, limit)
            except httpx.TimeoutException:
                problem = f"timed out (no answer within {settings.timeout:g} s)"
            except httpx.TransportError as error:
                problem = f"connection failed: {error or type(error).__name__}"
            except (
                httpx.HTTPError
            ) as error:  # an invalid URL, undecodable gzip: retrying won't help
                raise ItemError(f"cannot fetch: {error or type(error).__name__}") from error
            if attempt > settings.retries:
                suffix = f" after {attempt} attempts" if attempt > 1 else ""
                raise _StatusError(problem + suffix, status)
            wait = settings.backoff * 2 ** (attempt - 1)
            if retry_after is not None:
                wait = max(wait, retry_after)
            time.sleep(min(wait, settings.max_backoff))

    def _read(
        self,
        response: httpx.Response,
        url: str,
        accept: Collection[str] | None,
        what: str,
        limit: int,
    ) -> Fetched:
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if accept is not None and media_type and media_type not in accept:
            raise ItemError(f"unsupported content type '{media_type}'; expected {what}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ItemError(
                f"response is {_mb(int(declared))}, over the {_mb(limit)} limit (http.max_bytes)"
            )
        deadline = time.monotonic() + self.settings.total_timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise ItemError(f"response over the {_mb(limit)} limit (http.max_bytes)")
            if time.monotonic() > deadline:
                raise ItemError(
                    f"response took longer than {self.settings.total_timeout:g} s "
                    "(http.total_timeout)"
                )
            chunks.append(chunk)
        return Fetched(str(response.url), media_type, b"".join(chunks), _now())

    # --- robots.txt and politeness ---------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(site)
        if rules is None:
            rules = self._robots[site] = self._load_robots(site)
        if isinstance(rules, str):
            raise ItemError(rules)
        if not rules.can_fetch(self.settings.user_agent, url):
            raise ItemError(f"disallowed by {site}/robots.txt")

    def _load_robots(self, site: str) -> RobotFileParser | str:
        """The host's rules, or the reason it may not be fetched at all (RFC 9309, 2.3.1)."""
        parser = RobotFileParser(f"{site}/robots.txt")
        url = f"{site}/robots.txt"
        try:
            for _ in range(_ROBOTS_REDIRECTS + 1):
                _check_scheme(url)
                result = self._get(url, None, "robots.txt", _ROBOTS_MAX_BYTES)
                if isinstance(result, Fetched):
                    parser.parse(result.content.decode("utf-8", "replace").splitlines())
                    return parser
                url = urljoin(url, result.location)
            parser.parse([])  # RFC 9309: too many redirects counts as "unavailable": no rules
            return parser
        except _StatusError as error:
            if 400 <= error.status < 500:
                parser.parse([])  # RFC 9309: no robots.txt, no rules
                return parser
            return f"{site}/robots.txt is unreachable ({error.reason}); not fetching from this host"
        except ItemError as error:
            return f"{site}/robots.txt is unusable ({error.reason}); not fetching from this host"

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None:
            remaining = self.settings.delay - (time.monotonic() - last)
            if remaining > 0:
                time.sleep(remaining)
        self._last_request[host] = time.monotonic()


# --- the stage ---------------------------------------------------------------------------------------


def fetch_urls(
    urls: Iterable[str],
    settings: HttpSettings,
    *,
    transport: httpx.BaseTransport | None = None,
) -> Iterator[RawDocument | Rejection]:
    """Yield a RawDocument for each URL (HTML or plain text), or a Rejection saying why not.

    ``origin`` is the URL as given; ``declared.url`` the final URL after redirects.
    """
    with Fetcher(settings, transport=transport) as fetcher:
        for url in urls:
            yield fetch_page(fetcher, url)


def fetch_page(
    fetcher: Fetcher, url: str, declared: DeclaredMetadata | None = None
) -> RawDocument | Rejection:
    """Fetch one page through ``fetcher``; ``declared`` (from a feed entry) gets the final URL."""
    try:
        fetched = fetcher.fetch(url, _PAGE_TYPES, "HTML or plain text")
    except ItemError as error:
        return Rejection(url, STAGE, error.reason)
    media_type = _PAGE_TYPES.get(fetched.media_type) or sniff_media_type(fetched.content)
    base = declared if declared is not None else DeclaredMetadata()
    metadata = DeclaredMetadata(
        url=fetched.url,
        title=base.title,
        outlet=base.outlet,
        byline=base.byline,
        published_at=base.published_at,
    )
    return raw_document(url, media_type, fetched.content, metadata, fetched.fetched_at)


def raw_document(
    origin: str,
    media_type: str,
    content: bytes,
    declared: DeclaredMetadata | None = None,
    fetched_at: str | None = None,
) -> RawDocument | Rejection:
    """A RawDocument, or the Rejection ``check_text`` calls for (binary, undecodable, empty)."""
    try:
        check_text(content)
    except ItemError as error:
        return Rejection(origin, STAGE, error.reason)
    return RawDocument(
        id=content_id(media_type, content, prefix="raw_"),
        origin=origin,
        media_type=media_type,
        content=content,
        declared=declared if declared is not None else DeclaredMetadata(),
        fetched_at=fetched_at,
    )


# --- URL lists ---------------------------------------------------------------------------------------

_COMMENT: Final = re.compile(r"\s#.*$")  # "url  # note"; a "#" inside a URL is a fragment


def read_url_list(path: Path) -> Iterator[str | Rejection]:
    """Yield the URLs of a ``.urls``/``.txt`` list: one a line, blank lines and ``#`` comments skipped.

    A line that is not an http(s) URL is rejected as ``path:LINE``; the others are still read.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        yield Rejection(str(path), STAGE, "a URL list must be UTF-8 text")
        return
    except OSError as error:
        yield Rejection(str(path), STAGE, f"cannot read: {error.strerror or error}")
        return
    for number, line in enumerate(text.splitlines(), start=1):
        entry = _COMMENT.sub("", line).strip()
        if not entry or entry.startswith("#"):
            continue
        try:
            _check_scheme(entry)
        except ItemError as error:
            yield Rejection(f"{path}:{number}", STAGE, error.reason)
            continue
        yield entry


# --- helpers -----------------------------------------------------------------------------------------


def _check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- a malformed port only raises when read
    except ValueError as error:
        raise ItemError(f"not a URL: {error}") from error
    if parts.scheme.lower() not in _SCHEMES:
        shown = f"'{parts.scheme}'" if parts.scheme else "(none)"
        raise ItemError(f"unsupported URL scheme {shown}; newsfuse fetches http and https")
    if not parts.hostname:
        raise ItemError("not a URL: no host name")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header; its HTTP-date form is ignored (backoff applies)."""
    if value is not None and value.strip().isdigit():
        return float(value.strip())
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _mb(size: int) -> str:
    """Decimal units, as ``max_bytes`` is written: 20_000_000 is "20 MB"."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size // scale} {unit}" if size % scale == 0 else f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
