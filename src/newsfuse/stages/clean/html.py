"""Article text and metadata from a news page's HTML.

Two extractors, because neither is best on every page:

* **trafilatura** is the primary body extractor.  On independent news benchmarks it is the most
  accurate open-source extractor (F1 0.958 against readability-lxml's 0.922 on a 181-page set), it
  keeps paragraph structure, and it drops comments, share widgets and related links well.  We run it
  with ``favor_recall`` (newsfuse would rather keep a borderline paragraph than lose a fact) and
  without comments (readers' comments are not the outlet's report).
* **readability-lxml** is the fallback.  trafilatura sometimes keeps only a fragment of the article
  (a lede it took for a teaser, a page whose paragraphs are ``<div>`` s or ``<br>`` runs).
  Readability scores whole containers instead of single paragraphs, so it recovers those pages; we
  take its text when trafilatura found nothing or clearly less (see :data:`FALLBACK_LENGTH_RATIO`).
  It is a whole-page algorithm with a different failure mode, which is what a fallback should be.

Before either runs, elements a reader never sees (``hidden``, ``aria-hidden``, ``display:none``) are
removed: they hold menus, modal dialogs and duplicated teasers, never the visible article.

Metadata is read from the page's declared metadata first, because pages state it there on purpose
and extractors' guesses from visible text are often decorated ("Title | Site", "By NAME and NAME
Updated ..."): JSON-LD, Dublin Core, Open Graph, Twitter and Parse.ly meta tags, then the ``<title>``
element with the site-name part removed, then byline-looking elements.  The order follows Mozilla
Readability's metadata rules, so that newsfuse agrees with what browsers' reader views show.

Nothing here touches the network: trafilatura and readability get the parsed tree, never a URL to fetch.
"""

from __future__ import annotations

import copy
import html as html_lib
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from readability import Document as ReadabilityDocument
from trafilatura.settings import use_config

from newsfuse.errors import ItemError
from newsfuse.models import RemovedLine
from newsfuse.stages.clean.page import CleanedPage
from newsfuse.stages.clean.text import opening_dateline
from newsfuse.stages.published import publication_date

__all__ = [
    "AGREEMENT",
    "AGREEMENT_GAIN",
    "FALLBACK_LENGTH_RATIO",
    "MAX_ELEMENTS",
    "MIN_BODY_CHARS",
    "MIN_BODY_WORDS",
    "extract_html",
]

#: Pages with more elements are refused before extraction: 2.45 million ``<i>a</i>`` (19.6 MB,
#: under ``ingest.max_bytes``) took 67 s and 4.7 GB in trafilatura and readability.  The largest of
#: 265 real pages here (the extraction benchmark's, the fixtures, the example) has 9,893.
MAX_ELEMENTS = 100_000

#: Take readability's text when it is at least this many times longer than trafilatura's, even
#: when they disagree: trafilatura then kept a fragment (a lede, one list) of a longer article.
FALLBACK_LENGTH_RATIO = 2.0

#: A body shorter than this (characters) is treated as "trafilatura found nothing usable".
MIN_BODY_CHARS = 200

#: Fewer words than this is no article (a lone "Home" link, an image caption): a Rejection.
MIN_BODY_WORDS = 5

#: Share of trafilatura's word 4-grams readability's text must hold for the two to "agree".
AGREEMENT = 0.7

#: When they agree, readability's text replaces trafilatura's if it is this many times longer.
AGREEMENT_GAIN = 1.1

# trafilatura's own per-file timeout uses signals and is only meant for its CLI; newsfuse runs in
# worker processes and on Spark, where a signal handler is not ours to install.
_TRAFILATURA_CONFIG = use_config()
_TRAFILATURA_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")

_PARSER = lxml_html.HTMLParser(remove_comments=True, remove_pis=True)
_WHITESPACE = re.compile(r"\s+")
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIERARCHICAL_SEPARATORS = re.compile(r" [\\/>»] ")
_BYLINE_HINT = re.compile(r"byline|author|dateline|writtenby|p-author", re.IGNORECASE)
_ARTICLE_TYPES = re.compile(
    r"^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|"
    r"BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|"
    r"SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|"
    r"LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference|WebPage)$"
)
# ``property`` may hold several space-separated names; ``name`` holds one (dots become colons).
_META_PROPERTY = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*"
    r"(author|creator|description|published_time|title|site_name)\s*",
    re.IGNORECASE,
)
_META_NAME = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name)\s*$",
    re.IGNORECASE,
)


def extract_html(
    html: str, url: str | None = None, *, strip_site_name: bool = False
) -> CleanedPage:
    """Return the article text and metadata of one HTML page.

    ``strip_site_name`` also removes a trailing " | Site" from *declared* titles (JSON-LD, Open
    Graph ...) when "Site" is the page's declared site name.  Off by default: reader views keep
    declared titles verbatim and the extraction benchmark scores against them (0.946 with it on,
    1.000 off); the ``<title>`` element's site-name part is always removed.

    ``url`` is only recorded (and helps trafilatura resolve relative links); it is never fetched.
    Raises :class:`~newsfuse.errors.ItemError` when the input is not an HTML page with article text:
    binary data decoded as text, an empty page, or a page whose body holds no paragraphs.
    """
    _reject_binary(html)
    tree = _parse(html)
    meta = _PageMetadata.from_tree(tree, strip_site_name=strip_site_name)
    visible = _without_hidden(tree)

    traf = trafilatura.bare_extraction(
        copy.deepcopy(visible),
        url=url,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        config=_TRAFILATURA_CONFIG,
    )
    raw_text = getattr(traf, "text", None)
    traf_text = _clean_lines(raw_text if isinstance(raw_text, str) else "")
    fallback_text = _readability_text(visible)
    if _prefer_fallback(traf_text, fallback_text):
        text, extractor = fallback_text, "fallback"
    else:
        text, extractor = traf_text, "trafilatura"

    title = meta.title or _traf_field(traf, "title")
    text, removed = _drop_leading_title(text, title)
    if len(text.split()) < MIN_BODY_WORDS:
        raise ItemError("no article text found in the page")

    # A wire dateline opening the body ("KABUL (Reuters) -") credits the agency whose copy this is,
    # as in pasted text; its brackets name the outlet only when the page names none.
    opening = opening_dateline(text.split("\n", 1)[0])
    dateline, agency = opening if opening is not None else (None, None)
    return CleanedPage(
        text=text,
        extractor=extractor,
        title=title,
        byline=meta.byline or _traf_field(traf, "author"),
        dateline=dateline,
        outlet=meta.site_name or _traf_field(traf, "sitename") or agency,
        published_at=_iso_date(meta.published) or _iso_date(_traf_field(traf, "date")),
        url=url or meta.url or _traf_field(traf, "url"),
        language=meta.language,
        removed=removed,
    )


# --- input checks and parsing ------------------------------------------------------------------------


def _reject_binary(html: str) -> None:
    """Refuse input that is not text: an image or PDF renamed ``.html`` and decoded anyway.

    Such input decodes to NULs, control characters and U+FFFD replacement characters; real pages,
    in any language, have almost none of them.
    """
    sample = html[:8192]
    if not sample.strip():
        raise ItemError("the page is empty")
    odd = sum(
        1 for char in sample if char == "\ufffd" or (ord(char) < 32 and char not in "\t\n\r\f")
    )
    if "\x00" in sample or odd > 0.02 * len(sample):
        raise ItemError("the page is not HTML text (it looks like binary data)")


def _parse(html: str) -> lxml_html.HtmlElement:
    """Parse into an lxml tree without comments.

    Comments must go at parse time: left in the tree, an ``<!-- -->`` inside a paragraph ends
    trafilatura's text of that paragraph.  lxml refuses ``str`` input that declares an encoding, so
    an XML declaration is dropped first.
    """
    source = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    try:
        tree = lxml_html.document_fromstring(source, parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise ItemError(f"the page could not be parsed as HTML ({error})") from error
    if not isinstance(tree, lxml_html.HtmlElement):
        raise ItemError("the page could not be parsed as HTML")
    if any(error.message.startswith("Excessive depth") for error in _PARSER.error_log):
        # libxml2 stops at depth 256 and drops the rest: say so rather than "no article text"
        raise ItemError(
            "the page is nested more than 256 elements deep (the HTML parser's limit); "
            "its text cannot be read"
        )
    for count, _ in enumerate(tree.iter(), start=1):
        if count > MAX_ELEMENTS:
            raise ItemError(
                f"the page has more than {MAX_ELEMENTS:,} elements (a news page has a few "
                "thousand); not extracted"
            )
    return tree


def _without_hidden(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """Return a copy of the page without elements that are never shown to a reader."""
    visible = copy.deepcopy(tree)
    doomed = [
        element
        for element in visible.iter()
        if isinstance(element.tag, str)
        and element.tag not in ("html", "body")
        and (
            element.get("hidden") is not None
            or element.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(element.get("style") or "")
        )
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return visible


# --- body text ---------------------------------------------------------------------------------------


def _clean_lines(text: str) -> str:
    """One paragraph a line: collapse whitespace inside lines and drop empty lines."""
    lines = (_WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _prefer_fallback(primary: str, fallback: str) -> bool:
    """Decide whether readability's text replaces trafilatura's.

    Yes when trafilatura found (almost) nothing, when readability found at least
    :data:`FALLBACK_LENGTH_RATIO` times more, or when both found the same article (readability's
    text holds at least :data:`AGREEMENT` of trafilatura's word 4-grams) and readability's adds at
    least :data:`AGREEMENT_GAIN` more: then the extra lies inside the article's own container —
    subheads, short paragraphs, captions that trafilatura's per-paragraph filters dropped.  When the
    two disagree about where the article is, trafilatura is trusted.
    """
    if len(fallback) <= len(primary):
        return False
    if len(primary) < MIN_BODY_CHARS or len(fallback) >= FALLBACK_LENGTH_RATIO * len(primary):
        return True
    return (
        len(fallback) >= AGREEMENT_GAIN * len(primary) and _coverage(primary, fallback) >= AGREEMENT
    )


def _coverage(part: str, whole: str, n: int = 4) -> float:
    """Share of ``part``'s word ``n``-grams that also occur in ``whole`` (case-insensitive)."""
    part_grams = _ngrams(part, n)
    if not part_grams:
        return 1.0
    return sum((part_grams & _ngrams(whole, n)).values()) / sum(part_grams.values())


def _ngrams(text: str, n: int) -> Counter[tuple[str, ...]]:
    words = text.lower().split()
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _readability_text(tree: lxml_html.HtmlElement) -> str:
    """The fallback: readability-lxml's main container, as one block element a line."""
    try:
        summary = ReadabilityDocument(copy.deepcopy(tree)).summary(html_partial=True)
        fragment = lxml_html.fragment_fromstring(summary, create_parent="div")
    except (etree.ParserError, ValueError, TypeError, AssertionError):
        # lxml asserts one <body> when it re-parses readability's summary of a page that has a
        # <head> and no body at all (found by benchmarks/fuzz.py): no fallback text, not a bug
        return ""
    return _clean_lines("".join(_block_text(fragment)))


def _block_text(element: lxml_html.HtmlElement) -> Iterator[str]:
    """Yield the text of an element with a line break around every block-level element."""
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in _BLOCK_TAGS
    if block:
        yield "\n"
    if element.text and isinstance(element.tag, str):
        yield _WHITESPACE.sub(" ", element.text)
    for child in element:
        yield from _block_text(child)
    if block:
        yield "\n"
    if element.tail:
        yield _WHITESPACE.sub(" ", element.tail)


def _drop_leading_title(text: str, title: str | None) -> tuple[str, tuple[RemovedLine, ...]]:
    """Remove the headline (and a short kicker above it, "Port Merrow strike") when the extractor
    kept them at the top of the body: they are the title, not article text.  Returns what was removed
    so that the cut can be audited like the text cleaner's."""
    if not title or not text:
        return text, ()
    lines = text.split("\n")
    wanted = title.casefold()
    for index, line in enumerate(lines[: _MAX_KICKER_LINES + 1]):
        if _WHITESPACE.sub(" ", line).strip().casefold() != wanted:
            continue
        kickers = lines[:index]
        if all(
            len(k.split()) <= _MAX_KICKER_WORDS and not k.rstrip().endswith((".", "?", "!"))
            for k in kickers
        ):
            removed = [RemovedLine(n + 1, k, "kicker") for n, k in enumerate(kickers)]
            removed.append(RemovedLine(index + 1, line, "title"))
            return "\n".join(lines[index + 1 :]), tuple(removed)
        break
    return text, ()


_MAX_KICKER_LINES = 2  # section labels or kickers a page may print above its headline
_MAX_KICKER_WORDS = 5


# --- metadata ----------------------------------------------------------------------------------------


class _PageMetadata:
    """Metadata a page declares about itself, read once from the parsed tree."""

    __slots__ = ("byline", "language", "published", "site_name", "title", "url")

    def __init__(
        self,
        title: str | None,
        byline: str | None,
        site_name: str | None,
        published: str | None,
        language: str | None,
        url: str | None,
    ) -> None:
        self.title = title
        self.byline = byline
        self.site_name = site_name
        self.published = published
        self.language = language
        self.url = url

    @classmethod
    def from_tree(cls, tree: lxml_html.HtmlElement, *, strip_site_name: bool) -> _PageMetadata:
        values = _meta_values(tree)
        ld = _json_ld_article(tree)
        title = (
            _ld_title(ld, tree)
            or values.get("dc:title")
            or values.get("dcterm:title")
            or values.get("og:title")
            or values.get("weibo:article:title")
            or values.get("weibo:webpage:title")
            or values.get("title")
            or values.get("twitter:title")
            or values.get("parsely-title")
            or _title_from_title_element(tree)
        )
        article_author = values.get("article:author")
        if article_author and re.match(r"https?://", article_author):
            article_author = None
        byline = (
            _ld_author(ld)
            or values.get("dc:creator")
            or values.get("dcterm:creator")
            or values.get("author")
            or values.get("parsely-author")
            or article_author
            or _byline_from_dom(tree)
        )
        site_name = _ld_name(ld.get("publisher") if ld else None) or values.get("og:site_name")
        published = (
            (ld.get("datePublished") if ld and isinstance(ld.get("datePublished"), str) else None)
            or values.get("article:published_time")
            or values.get("parsely-pub-date")
        )
        site_name = _tidy(site_name)
        return cls(
            title=_strip_site_name(_tidy(title), site_name) if strip_site_name else _tidy(title),
            byline=_tidy(byline),
            site_name=site_name,
            published=_tidy(published),
            language=_language(tree),
            url=_canonical_url(tree),
        )


def _tidy(value: str | None) -> str | None:
    """Unescape entities left in attribute values and normalise whitespace; empty becomes None."""
    if value is None:
        return None
    value = _WHITESPACE.sub(" ", html_lib.unescape(value)).strip()
    return value or None


def _strip_site_name(title: str | None, site_name: str | None) -> str | None:
    """Remove a trailing " | Site" (or " - Site", " — Site" ...) when it is the page's declared site
    name: many sites append it to ``og:title`` too, and it is not part of the headline.

    Only the declared name is removed, never a guessed last segment, which is often part of the
    headline ("Review: X - a triumph").
    """
    if not title or not site_name:
        return title
    match = re.match(rf"^(.+?)\s+[|\-–—·:»/]\s+{re.escape(site_name)}$", title, re.IGNORECASE)
    return match.group(1).strip() if match else title


def _meta_values(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """Map normalised meta names (``og:title``, ``dc:creator``, ``author`` ...) to their content.

    A later tag wins over an earlier one with the same name, as in browsers' reader views.
    """
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        prop = element.get("property")
        matched = False
        if prop:
            for match in _META_PROPERTY.finditer(prop):
                values[f"{match.group(1)}:{match.group(2)}".lower()] = content
                matched = True
        name = element.get("name")
        if not matched and name and _META_NAME.match(name):
            values[_WHITESPACE.sub("", name).lower().replace(".", ":")] = content
    return values


def _json_ld_article(tree: lxml_html.HtmlElement) -> dict[str, Any] | None:
    """The first schema.org article-like object in the page's JSON-LD, if any."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = re.sub(r"^\s*<!\[CDATA\[|\]\]>\s*$", "", script.text or "")
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for item in _ld_items(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(kind, str) and _ARTICLE_TYPES.match(kind) for kind in kinds):
                return item
    return None


def _ld_items(data: Any) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document: top-level lists and ``@graph`` members included."""
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if isinstance(graph, list):
            for item in graph:
                yield from _ld_items(item)


def _ld_title(ld: dict[str, Any] | None, tree: lxml_html.HtmlElement) -> str | None:
    """JSON-LD headline or name.

    Some sites put their own name in ``name`` and the article's in ``headline``; when they differ,
    take the one that resembles the ``<title>`` element, else ``name``.
    """
    if not ld:
        return None
    name, headline = ld.get("name"), ld.get("headline")
    name = name if isinstance(name, str) and name.strip() else None
    headline = headline if isinstance(headline, str) and headline.strip() else None
    if name and headline and name != headline:
        page_title = _title_from_title_element(tree) or ""
        if _similar(headline, page_title) and not _similar(name, page_title):
            return headline
        return name
    return name or headline


def _similar(text: str, other: str) -> bool:
    """True when most words of ``text`` also occur in ``other`` (token overlap > 0.75)."""
    words = [w for w in re.split(r"\W+", text.lower()) if w]
    others = {w for w in re.split(r"\W+", other.lower()) if w}
    if not words or not others:
        return False
    missing = sum(len(w) for w in words if w not in others)
    return 1 - missing / sum(len(w) for w in words) > 0.75


def _ld_name(value: Any) -> str | None:
    """The ``name`` of a JSON-LD person or organisation given as an object or a string."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return str(value["name"])
    return None


def _ld_author(ld: dict[str, Any] | None) -> str | None:
    """JSON-LD author names, several joined by ", "."""
    if not ld:
        return None
    author = ld.get("author")
    if isinstance(author, dict):
        return _ld_name(author)
    if isinstance(author, list):
        names = [name.strip() for item in author if (name := _ld_name(item)) and name.strip()]
        return ", ".join(names) or None
    return None


def _title_from_title_element(tree: lxml_html.HtmlElement) -> str | None:
    """The ``<title>`` element without the site name, which sites append after a separator.

    "Story headline | Site" keeps the part before the last separator; if that leaves under three
    words the site name probably came first ("Site: Story"), so the part after the first one is kept.
    A title of four words or fewer is only kept shortened when a hierarchical separator (``/ > »``)
    shows that the removed part was a path, otherwise the full title is safer.
    """
    element = tree.find(".//title")
    if element is None:
        return None
    original = _WHITESPACE.sub(" ", element.text_content()).strip()
    if not original:
        return None
    title = original
    hierarchical = False
    separators = list(re.finditer(r" [|\-\\/>»–—] ", original))
    if separators:
        hierarchical = bool(_HIERARCHICAL_SEPARATORS.search(original))
        title = original[: separators[-1].start()]
        if len(title.split()) < 3:
            title = re.sub(r"^[^|\-\\/>»–—]*[|\-\\/>»–—]", "", original)
    elif ": " in original:
        headings = [_WHITESPACE.sub(" ", h.text_content()).strip() for h in tree.iter("h1", "h2")]
        if original not in headings:
            title = original[original.rfind(":") + 1 :]
            if len(title.split()) < 3:
                title = original[original.find(":") + 1 :]
            elif len(original[: original.find(":")].split()) > 5:
                title = original
    elif len(original) > 150 or len(original) < 15:
        h1s = list(tree.iter("h1"))
        if len(h1s) == 1:
            title = _WHITESPACE.sub(" ", h1s[0].text_content()).strip()
    title = title.strip()
    words = len(title.split())
    if words <= 4 and (
        not hierarchical or words != len(re.sub(r"[|\-\\/>»–—]+", "", original).split()) - 1
    ):
        title = original
    return title or None


def _byline_from_dom(tree: lxml_html.HtmlElement) -> str | None:
    """The first short element marked as a byline (``rel=author``, ``itemprop=author``, a class or
    id such as "byline" or "author") in the page's visible body."""
    body = tree.find("body")
    if body is None:
        return None
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "meta", "link"):
            continue
        marker = f"{element.get('class') or ''} {element.get('id') or ''}"
        if not (
            element.get("rel") == "author"
            or "author" in (element.get("itemprop") or "")
            or _BYLINE_HINT.search(marker)
        ):
            continue
        names = element.xpath('.//*[@itemprop="name"]')
        text = str((names[0] if names else element).text_content()).strip()
        if 0 < len(text) < 100:
            return text
    return None


def _language(tree: lxml_html.HtmlElement) -> str | None:
    """The page's declared language (``<html lang>``, then Content-Language / og:locale)."""
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not declared:
        for element in tree.iter("meta"):
            key = (element.get("http-equiv") or element.get("property") or "").lower()
            if key in ("content-language", "og:locale") and element.get("content"):
                declared = element.get("content")
                break
    if not declared:
        return None
    return declared.strip().replace("_", "-").split(",")[0] or None


def _canonical_url(tree: lxml_html.HtmlElement) -> str | None:
    """The page's own URL as it declares it (``rel=canonical``, then ``og:url``)."""
    for element in tree.iter("link"):
        if (element.get("rel") or "").lower() == "canonical" and element.get("href"):
            return str(element.get("href")).strip()
    for element in tree.iter("meta"):
        if (element.get("property") or "").lower() == "og:url" and element.get("content"):
            return str(element.get("content")).strip()
    return None


def _iso_date(value: str | None) -> str | None:
    """An ISO 8601 date or datetime as given, or None when the value is not ISO 8601 or not a
    believable publication date (``article:published_time`` of year 9999 is a CMS placeholder)."""
    if not value:
        return None
    value = value.strip()
    return value if publication_date(value) is not None else None


def _traf_field(document: Any, name: str) -> str | None:
    """A metadata field of trafilatura's result, as a non-empty string or None."""
    value = getattr(document, name, None) if document is not None else None
    return _tidy(value) if isinstance(value, str) else None
