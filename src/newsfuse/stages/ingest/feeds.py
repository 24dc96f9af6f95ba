"""The feed-ingest stage: RSS and Atom feeds, from files or URLs, become one RawDocument per entry.

A source is a path or an ``http(s)`` URL.  URLs are fetched with :mod:`newsfuse.stages.ingest.http`
(robots.txt, timeouts, size cap, politeness); feedparser only ever parses bytes we hand it, so it never
opens a connection of its own, and a local feed file is size-checked like any other input.

Each entry becomes a RawDocument whose content is the entry's full ``content`` (Atom ``<content>``,
RSS ``<content:encoded>``) or else its ``summary``/``<description>``, as the feed gave it (feedparser's
HTML sanitising and URL rewriting are off: we keep what was published).  HTML content is
``text/html``, plain text ``text/plain``.  ``origin`` is ``FEED#entry-N`` (N counts from 1 in feed
order); the entry's link, title, author and date (ISO 8601, UTC) are its DeclaredMetadata.

With ``FeedSettings.fetch_articles``, an entry with a link is fetched instead, because feeds often
carry a teaser only; the document's origin is then the link.  Links go through the same
:class:`~newsfuse.stages.ingest.http.Fetcher` as any URL, so a third-party feed cannot point it at
an internal address (``http.allow_private``), and credentials in links are neither kept nor sent.  An entry without a link still uses the
feed's content.

Security: a DOCTYPE declaring entities is refused before any parser sees it.  Entity declarations
have no place in a news feed, and they are how an "XML bomb" (billion laughs: entities nesting
entities, a few hundred bytes expanding to gigabytes) attacks a parser.  Refusing them outright is
simpler to trust than any expansion limit.

Invalid XML rejects the whole feed, naming the parser's error and where it is: feedparser's lenient
fallback can salvage entries from broken XML, but a user should fix (or knowingly drop) a broken feed
rather than ingest a guess.
"""

from __future__ import annotations

import codecs
import io
import re
import time
import xml.sax
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import feedparser

from newsfuse.config import FeedSettings, IngestSettings
from newsfuse.errors import ItemError
from newsfuse.models import DeclaredMetadata, RawDocument, Rejection
from newsfuse.stages.ingest.http import (
    STAGE,
    Fetcher,
    HttpSettings,
    fetch_page,
    raw_document,
    strip_credentials,
)
from newsfuse.stages.ingest.opening import open_input
from newsfuse.stages.published import publication_date

__all__ = ["FEED_TYPES", "FeedSettings", "parse_feed", "read_feeds"]

FEED_TYPES: Final = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/plain",  # many servers still label feeds so
    }
)
_HTML_CONTENT: Final = frozenset({"text/html", "application/xhtml+xml"})

_DOCTYPE: Final = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY: Final = re.compile(rb"<!ENTITY\b", re.IGNORECASE)
_WIDE_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_feeds(
    sources: Sequence[str],
    ingest: IngestSettings,
    feeds: FeedSettings | None = None,
    http: HttpSettings | None = None,
) -> Iterator[RawDocument | Rejection]:
    """Yield a RawDocument per feed entry of each source (path or URL), or a Rejection saying why not.

    One :class:`~newsfuse.stages.ingest.http.Fetcher` serves every URL, so robots.txt and the
    per-host delay hold across feeds and the articles they link to; it is only opened if needed.
    """
    feed_settings = feeds if feeds is not None else FeedSettings()
    fetcher: Fetcher | None = None
    try:
        for given in sources:
            is_url = given.lower().startswith(("http://", "https://"))
            source = strip_credentials(given) if is_url else given
            if (is_url or feed_settings.fetch_articles) and fetcher is None:
                fetcher = Fetcher(http if http is not None else HttpSettings())
            if is_url and fetcher is not None:
                try:
                    fetched = fetcher.fetch(source, FEED_TYPES, "an RSS or Atom feed")
                except ItemError as error:
                    yield Rejection(source, STAGE, error.reason)
                    continue
                content, fetched_at = fetched.content, fetched.fetched_at
            else:
                read = _read_file(Path(source), ingest)
                if isinstance(read, Rejection):
                    yield read
                    continue
                content, fetched_at = read, None
            for entry in _entries(source, content, fetched_at):
                if feed_settings.fetch_articles and entry.declared.url and fetcher is not None:
                    yield fetch_page(fetcher, entry.declared.url, entry.declared)
                else:
                    yield entry.document
    finally:
        if fetcher is not None:
            fetcher.close()


def parse_feed(
    origin: str, content: bytes, fetched_at: str | None = None
) -> Iterator[RawDocument | Rejection]:
    """Yield one RawDocument per entry of the feed in ``content``, or a Rejection naming ``origin``."""
    for entry in _entries(origin, content, fetched_at):
        yield entry.document


@dataclass(frozen=True, slots=True)
class _Entry:
    """One entry: what the feed says about it, and the document (or Rejection) its text makes."""

    declared: DeclaredMetadata
    document: RawDocument | Rejection


def _entries(origin: str, content: bytes, fetched_at: str | None) -> Iterator[_Entry]:
    try:
        _refuse_entities(content)
    except ItemError as error:
        yield _Entry(DeclaredMetadata(), Rejection(origin, STAGE, error.reason))
        return
    parsed = feedparser.parse(
        io.BytesIO(content),  # a stream: feedparser never fetches anything itself
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    problem = parsed.get("bozo_exception")
    reason: str | None = None
    if parsed.get("bozo") and isinstance(problem, xml.sax.SAXException):
        reason = f"invalid XML: {_sax_message(problem)}"
    elif not parsed.get("version"):
        reason = "not an RSS or Atom feed" + (f" ({problem})" if problem is not None else "")
    elif not parsed.get("entries"):
        reason = "feed has no entries"
    if reason is not None:
        yield _Entry(DeclaredMetadata(), Rejection(origin, STAGE, reason))
        return
    for number, entry in enumerate(parsed["entries"], start=1):
        yield _entry(f"{origin}#entry-{number}", entry, fetched_at)


# --- entries -----------------------------------------------------------------------------------------


def _entry(origin: str, entry: Mapping[str, Any], fetched_at: str | None) -> _Entry:
    declared = DeclaredMetadata(
        url=_link(entry.get("link")),
        title=_text(entry.get("title")),
        byline=_text(entry.get("author")),
        published_at=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
    )
    body = _body(entry)
    if body is None:
        reason = "entry has no content or summary"
        if declared.url:
            reason += " (feeds.fetch_articles would fetch its link)"
        return _Entry(declared, Rejection(origin, STAGE, reason))
    media_type, text = body
    return _Entry(
        declared, raw_document(origin, media_type, text.encode("utf-8"), declared, fetched_at)
    )


def _body(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    """The fullest text the entry carries, and its media type."""
    candidates: list[Mapping[str, Any]] = list(entry.get("content") or [])
    summary = entry.get("summary_detail")
    if summary:
        candidates.append(summary)
    for candidate in candidates:
        value = candidate.get("value")
        if isinstance(value, str) and value.strip():
            kind = str(candidate.get("type") or "text/html").lower()
            return ("text/html" if kind in _HTML_CONTENT else "text/plain"), value
    return None


def _link(value: object) -> str | None:
    """The entry's link without credentials: it is stored in the report, and fetched from."""
    link = _text(value)
    return strip_credentials(link) if link is not None else None


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _iso(parsed: object) -> str | None:
    """feedparser's UTC ``struct_time`` as ISO 8601 (it normalises every date format feeds use)."""
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        value = datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except ValueError:
        return None
    return value if publication_date(value) is not None else None  # pubDate year 9999: none


# --- input checks ------------------------------------------------------------------------------------


def _read_file(path: Path, settings: IngestSettings) -> bytes | Rejection:
    origin = str(path)
    try:
        with open_input(path) as stream:
            content = stream.read(settings.max_bytes + 1)
    except ItemError as error:
        return Rejection(origin, STAGE, error.reason)
    except FileNotFoundError:
        return Rejection(origin, STAGE, "no such file or directory")
    except IsADirectoryError:
        return Rejection(origin, STAGE, "is a directory")
    except OSError as error:
        return Rejection(origin, STAGE, f"cannot read: {error.strerror or error}")
    if len(content) > settings.max_bytes:
        return Rejection(origin, STAGE, "file is over the size limit (ingest.max_bytes)")
    return content


def _refuse_entities(content: bytes) -> None:
    """Raise ItemError when a DOCTYPE declares entities (see the module docstring)."""
    head = content
    for bom, encoding in _WIDE_BOMS:
        if content.startswith(bom):
            head = content.decode(encoding, "replace").encode("utf-8")
            break
    else:
        if content[:4] in (b"<\x00?\x00", b"\x00<\x00?"):  # UTF-16 without a byte-order mark
            encoding = "utf-16-le" if content[0] == 0x3C else "utf-16-be"
            head = content.decode(encoding, "replace").encode("utf-8")
    doctype = _DOCTYPE.search(head)
    if doctype is not None and _ENTITY.search(head, doctype.end()):
        raise ItemError(
            "refused: the DOCTYPE declares XML entities (a feed needs none; "
            "they are how entity-expansion bombs work)"
        )


def _sax_message(error: xml.sax.SAXException) -> str:
    if isinstance(error, xml.sax.SAXParseException):
        return f"{error.getMessage()} at line {error.getLineNumber()}, column {error.getColumnNumber()}"
    return str(error)
