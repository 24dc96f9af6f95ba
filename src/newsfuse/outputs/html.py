"""The HTML report: one self-contained page where every brief sentence can be checked in one click.

Each citation in the brief links to ``#<article_id>-<start>-<end>``, a ``<mark>`` around exactly
that passage in the article's full text, and the articles stand side by side so the outlets' versions
of a fact can be compared.  The page is a single file with inline CSS and a few lines of inline JS, no
fonts, CDNs or other requests, so it can be mailed, archived or opened offline and always looks the
same; a Content-Security-Policy in the page enforces that in browsers.

Article text is untrusted input.  The marked-up text is built here, not in the template, from escaped
slices of the text (see :func:`mark_up`), and the template runs with autoescape on, so markup in an
article is shown as text and never executed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections import Counter
from dataclasses import dataclass, field

import jinja2
from markupsafe import Markup, escape

from newsfuse.models import Article, Report, Span
from newsfuse.outputs.json import articles_by_id
from newsfuse.outputs.markdown import citation_numbers, entity_rows, outlet_name, quote_rows

__all__ = ["Mark", "mark_up", "render_html", "span_anchor"]

# Highlights every fragment of the targeted span: a span that crosses another is split into several
# elements to keep the HTML well nested, and CSS ``:target`` only reaches the one holding the id.
_SCRIPT = (
    "(function(){function hit(){"
    "document.querySelectorAll('.hit').forEach(function(e){e.classList.remove('hit')});"
    "var id;try{id=decodeURIComponent(location.hash.slice(1))}catch(e){return}"
    "var el=id&&document.getElementById(id);"
    "if(!el||!el.dataset.span)return;"
    "document.querySelectorAll('[data-span=\"'+CSS.escape(el.dataset.span)+'\"]')"
    ".forEach(function(e){e.classList.add('hit')});}"
    "window.addEventListener('hashchange',hit);hit();})();"
)


def span_anchor(span: Span) -> str:
    """Return the fragment id of a cited span: ``<article_id>-<start>-<end>``, stable across runs."""
    return f"{span.article_id}-{span.start}-{span.end}"


def _quote_anchor(span: Span) -> str:
    return "q-" + span_anchor(span)


@dataclass(frozen=True, slots=True)
class Mark:
    """A range of an article's text to wrap in an element.

    ``tag`` and ``css_class`` pick the element; ``anchor`` (if any) becomes the ``id`` of the first
    fragment and the ``data-span`` of every fragment; ``title`` is the tooltip.
    """

    start: int
    end: int
    tag: str
    css_class: str
    anchor: str | None = None
    title: str | None = None


def mark_up(text: str, marks: list[Mark]) -> Markup:
    """Return ``text`` as escaped HTML with each mark's range wrapped in its element.

    Marks may nest or cross.  Nested marks become nested elements.  When a mark ends while marks
    opened after it are still open (they cross it), those are closed, the ending mark is closed, and
    they are reopened as continuation fragments: the output stays well formed and each fragment covers
    exactly its part of the text.  Text is escaped slice by slice, so the offsets are those of the
    plain text and no tag can be split.
    """
    for mark in marks:
        if not 0 <= mark.start <= mark.end <= len(text):
            raise ValueError(f"mark {mark.start}:{mark.end} is outside a text of {len(text)}")
    # Longer marks open first at the same position, so that nesting needs no splitting.
    ordered = sorted(marks, key=lambda m: (m.start, -m.end))
    bounds = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    starting: dict[int, list[Mark]] = {}
    for mark in ordered:
        starting.setdefault(mark.start, []).append(mark)

    out: list[str] = []
    stack: list[Mark] = []
    for position, following in zip(bounds, [*bounds[1:], len(text)], strict=True):
        ending = [i for i, mark in enumerate(stack) if mark.end == position]
        if ending:
            lowest = ending[0]
            reopen = [mark for mark in stack[lowest:] if mark.end != position]
            for mark in reversed(stack[lowest:]):
                out.append(f"</{mark.tag}>")
            del stack[lowest:]
            for mark in reopen:
                out.append(_open_tag(mark, first=False))
                stack.append(mark)
        for mark in starting.get(position, []):
            out.append(_open_tag(mark, first=True))
            if mark.end == mark.start:
                out.append(f"</{mark.tag}>")  # an empty span still needs its anchor
            else:
                stack.append(mark)
        out.append(str(escape(text[position:following])))
    return Markup("".join(out))


def _open_tag(mark: Mark, *, first: bool) -> str:
    classes = mark.css_class if first else f"{mark.css_class} cont"
    attrs = [f'class="{escape(classes)}"']
    if mark.anchor is not None:
        if first:
            attrs.append(f'id="{escape(mark.anchor)}"')
        attrs.append(f'data-span="{escape(mark.anchor)}"')
    if mark.title is not None:
        attrs.append(f'title="{escape(mark.title)}"')
    return f"<{mark.tag} {' '.join(attrs)}>"


@dataclass(frozen=True, slots=True)
class _Citation:
    number: int
    href: str
    outlet: str
    passage: str


@dataclass(frozen=True, slots=True)
class _BriefSentence:
    text: str
    citations: list[_Citation]
    outlets: list[str]
    single_source: bool


@dataclass(frozen=True, slots=True)
class _SourceView:
    article: Article
    outlet: str
    body: Markup
    cited: int
    url_href: str | None
    removed_reasons: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _QuoteView:
    speaker: str
    text: str
    kind: str
    cue: str | None
    outlet: str
    href: str


def _http_url(url: str | None) -> str | None:
    """Return the URL if it is safe to link (http or https); ``javascript:`` and the like are not."""
    if url is None:
        return None
    return url if url.lower().startswith(("http://", "https://")) else None


@functools.cache
def _environment() -> jinja2.Environment:
    """Build the template environment once; autoescape is on for every template, whatever its name."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsfuse.outputs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(report: Report) -> str:
    """Return the report as one self-contained HTML5 document."""
    index = articles_by_id(report)
    numbers = citation_numbers(report)
    passages = {span: index[span.article_id].text[span.start : span.end] for span in numbers}

    brief = [
        _BriefSentence(
            text=sentence.text,
            citations=[
                _Citation(
                    number=numbers[span],
                    href="#" + span_anchor(span),
                    outlet=outlet_name(index[span.article_id]),
                    passage=passages[span],
                )
                for span in dict.fromkeys(sentence.citations)
            ],
            outlets=list(sentence.outlets),
            single_source=sentence.single_source,
        )
        for sentence in report.story.brief
    ]

    cited_by_article: dict[str, dict[Span, list[int]]] = {}
    for span, number in numbers.items():
        cited_by_article.setdefault(span.article_id, {}).setdefault(span, []).append(number)

    sources: list[_SourceView] = []
    for article in report.articles:
        cited = cited_by_article.get(article.id, {})
        marks = [
            Mark(
                span.start,
                span.end,
                "mark",
                "cite",
                anchor=span_anchor(span),
                title="Cited as " + ", ".join(f"[{n}]" for n in nums),
            )
            for span, nums in cited.items()
        ]
        quote_spans = dict.fromkeys(quote.span for quote in article.quotes)
        marks += [
            Mark(span.start, span.end, "span", "quote", anchor=_quote_anchor(span), title="Quote")
            for span in quote_spans
        ]
        reasons = Counter(line.reason for line in article.removed)
        sources.append(
            _SourceView(
                article=article,
                outlet=outlet_name(article),
                body=mark_up(article.text, marks),
                cited=len(cited),
                url_href=_http_url(article.url),
                removed_reasons=sorted(reasons.items()),
            )
        )

    quotes = [
        _QuoteView(
            speaker=row.speaker,
            text=row.quote.text,
            kind=row.quote.kind,
            cue=row.quote.cue,
            outlet=outlet_name(row.article),
            href="#" + _quote_anchor(row.quote.span),
        )
        for row in quote_rows(report)
    ]

    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode()
    template = _environment().get_template("report.html.j2")
    html = template.render(
        report=report,
        story=report.story,
        brief=brief,
        passages=[
            _Citation(
                numbers[span],
                "#" + span_anchor(span),
                outlet_name(index[span.article_id]),
                passages[span],
            )
            for span in numbers
        ],
        sources=sources,
        outlet_count=len({source.outlet for source in sources}),
        quotes=quotes,
        entities=entity_rows(report),
        rejections=list(report.rejections),
        script=Markup(_SCRIPT),
        csp=f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
        "img-src data:; base-uri 'none'; form-action 'none'",
    )
    return html.rstrip("\n") + "\n"
