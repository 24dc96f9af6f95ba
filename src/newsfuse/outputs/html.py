"""The HTML report: one self-contained page where every brief sentence can be checked in one click.

Each citation in the brief and the timeline links to ``#<article_id>-<start>-<end>``, a ``<mark>``
around exactly that passage in the article's full text, and each quote in the who-said-what table
links to the quote's own span there (``#q-<article_id>-<start>-<end>``); the articles stand side by
side so the outlets' versions of a fact can be compared.  The page is a single file with inline CSS and a few lines of inline JS, no
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
from newsfuse.outputs.timeline import (
    html_datetime,
    timeline_citation_numbers,
    timeline_items,
)
from newsfuse.outputs.views import (
    SpeakerKind,
    citation_numbers,
    entity_groups,
    entity_rows,
    outlet_name,
    speaker_groups,
)

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
    text: str
    kind: str
    cue: str | None
    outlet: str
    href: str


@dataclass(frozen=True, slots=True)
class _SpeakerView:
    speaker: str
    kind: SpeakerKind
    quotes: list[_QuoteView]


@dataclass(frozen=True, slots=True)
class _TimelineCitation:
    label: str
    href: str
    outlet: str
    passage: str


@dataclass(frozen=True, slots=True)
class _TimelineView:
    label: str
    when: str
    datetime: str | None
    granularity: str
    anchored: bool
    text: str
    citations: list[_TimelineCitation]
    outlets: list[str]


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
    items = timeline_items(report)
    timeline_numbers = timeline_citation_numbers(items)

    def passage(span: Span) -> str:
        return index[span.article_id].text[span.start : span.end]

    brief = [
        _BriefSentence(
            text=sentence.text,
            citations=[
                _Citation(
                    number=numbers[span],
                    href="#" + span_anchor(span),
                    outlet=outlet_name(index[span.article_id]),
                    passage=passage(span),
                )
                for span in dict.fromkeys(sentence.citations)
            ],
            outlets=list(sentence.outlets),
            single_source=sentence.single_source,
        )
        for sentence in report.story.brief
    ]

    timeline = [
        _TimelineView(
            label=item.label,
            when=item.entry.when,
            datetime=html_datetime(item.entry),
            granularity=item.entry.granularity,
            anchored=item.entry.anchored,
            text=item.entry.text,
            citations=[
                _TimelineCitation(
                    label=f"t{timeline_numbers[span]}",
                    href="#" + span_anchor(span),
                    outlet=outlet_name(index[span.article_id]),
                    passage=passage(span),
                )
                for span in dict.fromkeys(item.entry.citations)
            ],
            outlets=list(item.entry.outlets),
        )
        for item in items
    ]

    # One mark per cited span, whether the brief, the timeline or both cite it.
    labels: dict[Span, list[str]] = {}
    for span, number in numbers.items():
        labels.setdefault(span, []).append(f"[{number}]")
    for span, number in timeline_numbers.items():
        labels.setdefault(span, []).append(f"[t{number}]")
    cited_by_article: dict[str, dict[Span, list[str]]] = {}
    for span, names in labels.items():
        cited_by_article.setdefault(span.article_id, {})[span] = names

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
                title="Cited as " + ", ".join(names),
            )
            for span, names in cited.items()
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

    speakers = [
        _SpeakerView(
            speaker=group.speaker,
            kind=group.kind,
            quotes=[
                _QuoteView(
                    text=row.quote.text,
                    kind=row.quote.kind,
                    cue=row.quote.cue,
                    outlet=outlet_name(row.article),
                    href="#" + _quote_anchor(row.quote.span),
                )
                for row in group.rows
            ],
        )
        for group in speaker_groups(report)
    ]
    groups = entity_groups(report, index)

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
                passage(span),
            )
            for span in numbers
        ],
        timeline=timeline,
        sources=sources,
        outlet_count=len({source.outlet for source in sources}),
        speakers=speakers,
        entity_groups=groups,
        entities=[] if groups else entity_rows(report),
        rejections=list(report.rejections),
        script=Markup(_SCRIPT),
        csp=f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
        "img-src data:; base-uri 'none'; form-action 'none'",
    )
    return html.rstrip("\n") + "\n"
