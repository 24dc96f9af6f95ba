"""The HTML report: one self-contained page where every brief sentence can be checked in one click.

Each citation in the brief and the timeline links to ``#<article_id>-<start>-<end>``, a ``<mark>``
around exactly that passage in the article's full text, and each quote in the who-said-what table
links to the quote's own span there (``#q-<article_id>-<start>-<end>``); the articles stand side by
side so the outlets' versions of a fact can be compared.  The corroboration sections (facts,
conflicts, quote variants, framing, coverage gaps, story development) link the same way: a span
gets one ``<mark>`` and one id however many records cite it.  Passages the brief or the timeline
cite are highlighted; claims of facts, conflicts and phases (every sentence of a story may be one)
and framing words are marked quietly and light up only when a link targets them.  The page is a single file with inline CSS and a few lines of inline JS, no
fonts, CDNs or other requests, so it can be mailed, archived or opened offline and always looks the
same; a Content-Security-Policy in the page enforces that in browsers.  A report asked what is new
(``--since``) opens with a "What's new" section whose brief shares the brief's citation numbers.

Article text is untrusted input.  The marked-up text is built here, not in the template, from escaped
slices of the text (see :func:`mark_up`), and the template runs with autoescape on, so markup in an
article is shown as text and never executed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

import jinja2
from markupsafe import Markup, escape

from newsfuse.models import Article, CitedSentence, NearestPassage, Report, Span, Update
from newsfuse.outputs.corroboration import (
    CONFLICT_KINDS,
    DRIFT_CLASSES,
    STATUS_LABELS,
    UPDATE_KINDS,
    CorroborationView,
    DiffPiece,
    FactView,
    TermUse,
    corroboration_view,
    diff_pieces,
)
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

__all__ = [
    "REPORT_SCRIPT",
    "Mark",
    "ServedPage",
    "http_link",
    "mark_up",
    "render_html",
    "span_anchor",
]

# The page's one script (``templates/report.js``), inline in the single file and served as a file by
# the web app.  It highlights every fragment of the targeted span: a span that crosses another is
# split into several elements to keep the HTML well nested, and CSS ``:target`` only reaches the one
# holding the id.  It opens the collapsed section (single-source facts) that holds a target, so a
# link never lands on hidden text.  It shows a "back to the brief" link at a cited passage, pointing
# at the citation the reader followed (else the first one citing it), and on screens without hover
# a first tap on a citation previews its passage instead of jumping away.
_SCRIPT = (
    resources.files("newsfuse.outputs")
    .joinpath("templates/report.js")
    .read_text(encoding="utf-8")
    .strip()
)


@dataclass(frozen=True, slots=True)
class ServedPage:
    """How the web app serves the report page instead of writing one file.

    The script comes from ``script_src`` (the app's Content-Security-Policy allows no inline
    script), the page links back to the app, each source links to its article page
    (``article_href`` + article id), and ``live`` holds the data the live-update script polls with.
    """

    script_src: tuple[str, ...]
    stylesheet: str
    home_href: str
    submit_href: str
    article_href: str
    live: Mapping[str, str]


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


@dataclass(frozen=True, slots=True)
class _Link:
    """A link to a cited span, named by its outlet ("Vessa Courier", "Vessa Courier (2)")."""

    label: str
    href: str
    passage: str


@dataclass(frozen=True, slots=True)
class _FactView:
    label: str
    anchor: str
    text: str
    status: str
    status_label: str
    independent_sources: int
    outlets: list[str]
    outlet_total: int
    bar_filled: str
    bar_empty: str
    when: str | None
    conflicts: list[tuple[str, str]]  # (label, href)
    citations: list[_Link]


@dataclass(frozen=True, slots=True)
class _SideView:
    value: str
    outlets: list[str]
    citations: list[_Link]


@dataclass(frozen=True, slots=True)
class _ConflictView:
    label: str
    anchor: str
    kind: str
    kind_label: str
    subject: str
    fact_label: str
    fact_href: str
    fact_text: str
    sides: list[_SideView]


@dataclass(frozen=True, slots=True)
class _VariantView:
    outlet: str
    label: str
    css: str
    text: str
    href: str
    diff: list[DiffPiece]


@dataclass(frozen=True, slots=True)
class _QuoteGroupView:
    anchor: str
    speaker: str | None
    label: str
    css: str
    reference: str
    variants: list[_VariantView]


@dataclass(frozen=True, slots=True)
class _TermView:
    term: str
    count: int
    href: str
    more: list[tuple[int, str]]  # (occurrence number, href) of the second and later uses


@dataclass(frozen=True, slots=True)
class _TermRow:
    outlet: str
    loaded: list[_TermView]
    intensifiers: list[_TermView]


@dataclass(frozen=True, slots=True)
class _ChoiceRow:
    outlet: str
    cells: list[list[_TermView]]


@dataclass(frozen=True, slots=True)
class _FramingView:
    terms: list[_TermRow]
    groups: list[str]
    choices: list[_ChoiceRow]


@dataclass(frozen=True, slots=True)
class _GapFact:
    label: str
    href: str
    text: str
    nearest: _Link | None  # the outlet's nearest passage, named by its score


@dataclass(frozen=True, slots=True)
class _GapView:
    outlet: str
    facts: list[_GapFact]


@dataclass(frozen=True, slots=True)
class _PhaseView:
    label: str
    anchor: str
    summary: str
    first_published: str | None
    articles: int
    outlets: list[str]
    citations: list[_Link]


@dataclass(frozen=True, slots=True)
class _Corroboration:
    """Everything the corroboration sections of the template show."""

    outlet_total: int
    status_counts: list[tuple[str, int]]
    lead: list[_FactView]
    single: list[_FactView]
    conflicts: list[_ConflictView]
    quote_groups: list[_QuoteGroupView]
    framing: _FramingView
    gaps: list[_GapView]
    phases: list[_PhaseView]


class _Citations:
    """Collects every span the report cites, and who cites it, to mark each once in its article.

    ``rank`` picks the element's look: 0 for passages the brief or the timeline cite (highlighted),
    1 for claims of facts, conflicts and phases, 2 for framing words (both marked quietly).
    """

    _CLASSES = ("cite", "claim", "term")

    def __init__(self, index: dict[str, Article]) -> None:
        self._index = index
        self.rank: dict[Span, int] = {}
        self.cited_as: dict[Span, list[str]] = {}
        self.framing: dict[Span, list[str]] = {}

    def cite(self, span: Span, label: str, rank: int) -> str:
        """Record that ``label`` cites ``span``; return the link to it."""
        self.rank[span] = min(self.rank.get(span, rank), rank)
        names = self.framing if rank == 2 else self.cited_as
        names.setdefault(span, []).append(label)
        return "#" + span_anchor(span)

    def links(self, spans: tuple[Span, ...], label: str) -> list[_Link]:
        """Links to ``spans`` named by outlet, numbered when an outlet has several."""
        seen: Counter[str] = Counter()
        links = []
        for span in dict.fromkeys(spans):
            article = self._index[span.article_id]
            outlet = outlet_name(article)
            seen[outlet] += 1
            name = outlet if seen[outlet] == 1 else f"{outlet} ({seen[outlet]})"
            href = self.cite(span, label, 1)
            links.append(_Link(name, href, article.text[span.start : span.end]))
        return links

    def marks(self) -> dict[str, list[Mark]]:
        """One mark per cited span, grouped by article id, each list in text order."""
        marks: dict[str, list[Mark]] = {}
        for span in sorted(self.rank):
            titles = []
            if span in self.cited_as:
                titles.append("Cited as " + ", ".join(dict.fromkeys(self.cited_as[span])))
            if span in self.framing:
                titles.append("Framing: " + ", ".join(dict.fromkeys(self.framing[span])))
            marks.setdefault(span.article_id, []).append(
                Mark(
                    span.start,
                    span.end,
                    "mark",
                    self._CLASSES[self.rank[span]],
                    anchor=span_anchor(span),
                    title="; ".join(titles),
                )
            )
        return marks


def _nearest_link(near: NearestPassage | None, label: str, citations: _Citations) -> _Link | None:
    """A link to an outlet's nearest passage to a fact it leaves out, named by its score."""
    if near is None:
        return None
    (link,) = citations.links((near.passage,), f"{label} (nearest)")
    return _Link(f"{link.label}, score {near.score:.2f}", link.href, link.passage)


def _fact_view(view: FactView, total: int, citations: _Citations) -> _FactView:
    fact = view.fact
    filled, empty = view.bar
    return _FactView(
        label=view.label,
        anchor=view.anchor,
        text=fact.text,
        status=fact.status,
        status_label=STATUS_LABELS[fact.status],
        independent_sources=fact.independent_sources,
        outlets=list(fact.outlets),
        outlet_total=max(total, len(fact.outlets)),
        bar_filled="■" * filled,
        bar_empty="□" * empty,
        when=fact.when,
        conflicts=[(label, "#" + anchor) for label, anchor in view.conflicts],
        citations=citations.links(fact.claims, view.label),
    )


def _term_view(use: TermUse, label: str, citations: _Citations) -> _TermView:
    hrefs = [citations.cite(span, label, 2) for span in use.citations]
    return _TermView(
        term=use.term,
        count=len(use.citations),
        href=hrefs[0] if hrefs else "#framing",
        more=list(enumerate(hrefs[1:], start=2)),
    )


def _corroboration(
    report: Report, view: CorroborationView, citations: _Citations, quote_spans: dict[Span, None]
) -> _Corroboration:
    story = report.story
    total = len(view.outlets)
    lead = [_fact_view(fact, total, citations) for fact in view.lead]
    single = [_fact_view(fact, total, citations) for fact in view.single]
    conflicts = [
        _ConflictView(
            label=item.label,
            anchor=item.anchor,
            kind=item.conflict.kind,
            kind_label=CONFLICT_KINDS[item.conflict.kind],
            subject=item.conflict.subject,
            fact_label=item.fact.label,
            fact_href="#" + item.fact.anchor,
            fact_text=item.fact.fact.text,
            sides=[
                _SideView(
                    side.value, list(side.outlets), citations.links(side.citations, item.label)
                )
                for side in item.conflict.sides
            ],
        )
        for item in view.conflicts
    ]
    groups = []
    for group in story.quote_groups:
        variants = []
        for variant in group.variants:
            quote_spans.setdefault(variant.span)
            variants.append(
                _VariantView(
                    outlet=variant.outlet,
                    label=variant.label,
                    css=DRIFT_CLASSES[variant.label],
                    text=variant.text,
                    href="#" + _quote_anchor(variant.span),
                    diff=diff_pieces(variant.diff),
                )
            )
        groups.append(
            _QuoteGroupView(
                anchor=f"qgroup-{group.id}",
                speaker=group.speaker,
                label=group.label,
                css=DRIFT_CLASSES[group.label],
                reference=group.reference,
                variants=variants,
            )
        )
    framing = view.framing
    terms = [
        _TermRow(
            row.outlet,
            [_term_view(use, f"{use.term} (loaded)", citations) for use in row.loaded],
            [_term_view(use, f"{use.term} (intensifier)", citations) for use in row.intensifiers],
        )
        for row in framing.terms
    ]
    choices = [
        _ChoiceRow(
            outlet,
            [
                [_term_view(use, f"{use.term} (choice: {group})", citations) for use in cell]
                for group, cell in zip(framing.groups, cells, strict=True)
            ],
        )
        # no word-choice groups: ``choices`` is empty whatever the outlets (a one-article story)
        for outlet, cells in zip(
            framing.outlets, framing.choices or [()] * len(framing.outlets), strict=True
        )
        if framing.groups
    ]
    gaps = [
        _GapView(
            gap.outlet,
            [
                _GapFact(
                    fact.label,
                    "#" + fact.anchor,
                    fact.fact.text,
                    _nearest_link(gap.nearest.get(fact.fact.id), fact.label, citations),
                )
                for fact in gap.facts
            ],
        )
        for gap in view.gaps
    ]
    phases = [
        _PhaseView(
            label=phase.label,
            anchor=f"phase-{position}",
            summary=phase.summary,
            first_published=phase.first_published,
            articles=len(phase.article_ids),
            outlets=list(phase.outlets),
            citations=citations.links(phase.citations, f"P{position}"),
        )
        for position, phase in enumerate(story.phases, start=1)
    ]
    return _Corroboration(
        outlet_total=total,
        status_counts=[(STATUS_LABELS[s], n) for s, n in view.status_counts.items()],
        lead=lead,
        single=single,
        conflicts=conflicts,
        quote_groups=groups,
        framing=_FramingView(terms, list(framing.groups), choices),
        gaps=gaps,
        phases=phases,
    )


def _http_url(url: str | None) -> str | None:
    """Return the URL if it is safe to link (http or https); ``javascript:`` and the like are not."""
    if url is None:
        return None
    return url if url.lower().startswith(("http://", "https://")) else None


http_link = _http_url
"""The one rule for which article URLs may become links (the web app's article page uses it too)."""


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


@dataclass(frozen=True, slots=True)
class _FactChangeView:
    label: str
    href: str
    text: str
    kind: str
    sources: str  # "3 independent sources" or "1 → 3 independent sources"
    new_outlets: list[str]


@dataclass(frozen=True, slots=True)
class _UpdateView:
    """The "what's new" section: the update brief, then each kind of change."""

    since: str
    notes: list[str]
    phase_change: tuple[str, str] | None
    brief: list[_BriefSentence]
    facts: list[tuple[str, list[_FactChangeView]]]  # (heading, changes) per kind
    conflicts: list[tuple[str, str, str]]  # (label, href, "subject: 38 vs 41")
    quotes: list[tuple[str, str, str, str]]  # (speaker, text, outlet, href)
    timeline: list[tuple[str, str, str]]  # (when, text, outlets)


def _update_view(
    update: Update,
    view: CorroborationView,
    index: Mapping[str, Article],
    brief: list[_BriefSentence],
) -> _UpdateView:
    facts: list[tuple[str, list[_FactChangeView]]] = []
    for kind, heading in UPDATE_KINDS.items():
        changes = []
        for change in (f for f in update.facts if f.kind == kind):
            fact = view.facts[change.fact_id]
            sources = (
                f"{change.sources_now} independent source{'s' * (change.sources_now != 1)}"
                if change.kind == "new"
                else f"{change.sources_before} → {change.sources_now} independent sources"
            )
            changes.append(
                _FactChangeView(
                    fact.label,
                    "#" + fact.anchor,
                    fact.fact.text,
                    kind,
                    sources,
                    list(change.new_outlets),
                )
            )
        if changes:
            facts.append((heading, changes))
    wanted = set(update.conflict_ids)
    conflicts = [
        (
            c.label,
            "#" + c.anchor,
            f"{c.conflict.subject}: " + " vs ".join(side.value for side in c.conflict.sides),
        )
        for c in view.conflicts
        if c.conflict.id in wanted
    ]
    phase_change = (
        (update.previous_phase or "no phase", update.current_phase)
        if update.current_phase and update.previous_phase != update.current_phase
        else None
    )
    return _UpdateView(
        since=update.since,
        notes=list(update.notes),
        phase_change=phase_change,
        brief=brief,
        facts=facts,
        conflicts=conflicts,
        quotes=[
            (
                q.speaker or "unattributed",
                q.text,
                outlet_name(index[q.span.article_id]),
                "#" + _quote_anchor(q.span),
            )
            for q in update.quotes
        ],
        timeline=[(e.when, e.text, ", ".join(e.outlets)) for e in update.timeline],
    )


REPORT_SCRIPT = _SCRIPT
"""The report page's script, for the web app to serve as a file."""


def render_html(report: Report, served: ServedPage | None = None) -> str:
    """Return the report as one self-contained HTML5 document, or as the web app's page."""
    index = articles_by_id(report)
    numbers = citation_numbers(report)
    items = timeline_items(report)
    timeline_numbers = timeline_citation_numbers(items)

    def passage(span: Span) -> str:
        return index[span.article_id].text[span.start : span.end]

    def brief_of(sentences: Sequence[CitedSentence]) -> list[_BriefSentence]:
        return [
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
            for sentence in sentences
        ]

    brief = brief_of(report.story.brief)

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

    # One mark per cited span, whoever cites it: the brief, the timeline, facts, conflicts, phases
    # or framing.  The brief's and the timeline's labels come first in its tooltip.
    citations = _Citations(index)
    for span, number in numbers.items():
        citations.cite(span, f"[{number}]", 0)
    for span, number in timeline_numbers.items():
        citations.cite(span, f"[t{number}]", 0)
    quote_spans: dict[Span, None] = {}
    for article in report.articles:
        quote_spans.update(dict.fromkeys(quote.span for quote in article.quotes))
    view = corroboration_view(report)
    corroboration = _corroboration(report, view, citations, quote_spans)
    update = (
        None
        if report.update is None
        else _update_view(report.update, view, index, brief_of(report.update.brief))
    )

    marks_by_article = citations.marks()
    for span in quote_spans:
        marks_by_article.setdefault(span.article_id, []).append(
            Mark(span.start, span.end, "span", "quote", anchor=_quote_anchor(span), title="Quote")
        )
    cited_by_article = Counter(
        span.article_id for span, rank in citations.rank.items() if rank == 0
    )

    sources: list[_SourceView] = []
    for article in report.articles:
        marks = marks_by_article.get(article.id, [])
        cited = cited_by_article[article.id]
        reasons = Counter(line.reason for line in article.removed)
        sources.append(
            _SourceView(
                article=article,
                outlet=outlet_name(article),
                body=mark_up(article.text, marks),
                cited=cited,
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
        notes=list(report.story.notes),
        update=update,
        c=corroboration,
        sources=sources,
        outlet_count=len({source.outlet for source in sources}),
        speakers=speakers,
        entity_groups=groups,
        entities=[] if groups else entity_rows(report),
        rejections=list(report.rejections),
        script=Markup(_SCRIPT),
        served=served,
        csp=f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
        "img-src data:; base-uri 'none'; form-action 'none'",
    )
    return html.rstrip("\n") + "\n"
