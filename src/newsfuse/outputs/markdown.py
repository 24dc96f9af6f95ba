"""The Markdown report: the brief for people, readable raw in a terminal and rendered on a forge.

Every brief sentence ends in numbered citations (``[1] [2]``) that resolve, under *Cited passages*,
to the outlet, title, URL (or origin) and the exact cited passage, so a reader can check each
sentence without opening the articles.  Then come the sources, who said what, the entities, the
inputs that were rejected and how much page furniture the cleaner removed from each article: the
parts of the run a careful reader audits.

Article text is untrusted, so everything taken from it is escaped: it cannot open links, emphasis,
tables or raw HTML in a renderer.  The numbering and the quote and entity tables are public because
the HTML report uses the same ones, so that "[3]" means the same passage in both formats.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from newsfuse.models import Article, Quote, Report, Span
from newsfuse.outputs.json import articles_by_id

__all__ = [
    "EntityRow",
    "QuoteRow",
    "citation_numbers",
    "entity_rows",
    "outlet_name",
    "quote_rows",
    "render_markdown",
]


def citation_numbers(report: Report) -> dict[Span, int]:
    """Number the distinct cited spans 1, 2, ... in order of first citation in the brief.

    A span cited by two sentences keeps one number, so the list of passages has no repeats.
    """
    numbers: dict[Span, int] = {}
    for sentence in report.story.brief:
        for span in sentence.citations:
            numbers.setdefault(span, len(numbers) + 1)
    return numbers


def outlet_name(article: Article) -> str:
    """Name an article's source as readers know it: the outlet, else where the file came from."""
    return article.outlet or article.origin


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One row of the who-said-what table."""

    article: Article
    quote: Quote

    @property
    def speaker(self) -> str:
        """The speaker, or a plain statement that the text does not say."""
        return self.quote.speaker or "unattributed"


def quote_rows(report: Report) -> list[QuoteRow]:
    """List every quote, article by article in report order, each in text order."""
    return [
        QuoteRow(article, quote)
        for article in report.articles
        for quote in sorted(article.quotes, key=lambda q: (q.span.start, q.span.end))
    ]


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One entity (or number, or date) across the story: how often, and which outlets name it."""

    label: str
    norm: str
    mentions: int
    outlets: tuple[str, ...]


def entity_rows(report: Report) -> list[EntityRow]:
    """Aggregate mentions by (label, norm), sorted by label, then most mentioned, then name.

    Grouping by ``norm`` rather than surface text is the point: "Reyl" and "Tomas Reyl" are one
    person, and seeing how many outlets name someone shows how widely a detail is reported.
    """
    counts: Counter[tuple[str, str]] = Counter()
    outlets: dict[tuple[str, str], set[str]] = {}
    for article in report.articles:
        for mention in article.mentions:
            key = (mention.label, mention.norm)
            counts[key] += 1
            outlets.setdefault(key, set()).add(outlet_name(article))
    rows = [
        EntityRow(label, norm, counts[(label, norm)], tuple(sorted(outlets[(label, norm)])))
        for label, norm in counts
    ]
    return sorted(rows, key=lambda row: (row.label, -row.mentions, row.norm))


def render_markdown(report: Report) -> str:
    """Return the report as CommonMark (with GitHub-style tables), ending in one newline."""
    index = articles_by_id(report)
    numbers = citation_numbers(report)
    outlets = sorted({outlet_name(article) for article in report.articles})
    story = report.story
    out: list[str] = [
        f"# {_inline(story.title)}",
        "",
        f"Story {_code(story.id)} · {_plural(len(report.articles), 'article')} from "
        f"{_plural(len(outlets), 'outlet')} · settings {_code(report.settings_hash)} · "
        f"report schema {report.schema_version}",
        "",
        "## Brief",
        "",
    ]
    if not story.brief:
        out += ["*No brief was produced for this story.*", ""]
    for sentence in story.brief:
        marks = " ".join(f"[{numbers[span]}]" for span in dict.fromkeys(sentence.citations))
        line = _inline(sentence.text)
        if marks:
            line += " " + marks
        if sentence.single_source:
            line += " *(single source)*"
        out += [line, ""]

    if numbers:
        out += ["### Cited passages", ""]
        for span, number in numbers.items():
            article = index[span.article_id]
            out.append(
                f"**[{number}]** {_source_line(article)}, characters {span.start}–{span.end}"
            )
            out += [_blockquote(article.text[span.start : span.end]), ""]

    out += ["## Sources", ""]
    for position, article in enumerate(report.articles, start=1):
        out += _article_section(position, article)

    out += ["## Who said what", ""]
    rows = quote_rows(report)
    if rows:
        out += ["| Speaker | Quote | Kind | Outlet |", "| --- | --- | --- | --- |"]
        out += [
            f"| {_cell(row.speaker)} | {_cell(row.quote.text)} | {row.quote.kind} "
            f"| {_cell(outlet_name(row.article))} |"
            for row in rows
        ]
    else:
        out.append("*No quotes were found.*")
    out.append("")

    out += ["## Entities", ""]
    entities = entity_rows(report)
    if entities:
        out += ["| Label | Entity | Mentions | Outlets |", "| --- | --- | --- | --- |"]
        out += [
            f"| {_cell(row.label)} | {_cell(row.norm)} | {row.mentions} "
            f"| {_cell(', '.join(row.outlets))} |"
            for row in entities
        ]
    else:
        out.append("*No entities were found.*")
    out.append("")

    out += ["## Rejected inputs", ""]
    if report.rejections:
        out += [
            f"- {_code(rejection.item)} ({_inline(rejection.stage)}): {_inline(rejection.reason)}"
            for rejection in report.rejections
        ]
    else:
        out.append("*No input was rejected.*")
    out.append("")

    out += [
        "## Removed page furniture",
        "",
        "Lines the cleaner dropped from each input before analysis (menus, share buttons, "
        "duplicate headlines…), counted so that cleaning can be audited.",
        "",
        "| Article | Lines removed | Reasons |",
        "| --- | --- | --- |",
    ]
    for position, article in enumerate(report.articles, start=1):
        out.append(
            f"| {position}. {_cell(outlet_name(article))} | {len(article.removed)} "
            f"| {_cell(_reason_counts(article))} |"
        )
    return "\n".join(out).rstrip("\n") + "\n"


def _source_line(article: Article) -> str:
    parts = [f"**{_inline(outlet_name(article))}**"]
    if article.title:
        parts.append(f"*{_inline(article.title)}*")
    parts.append(_link_or_origin(article))
    return " — ".join(parts)


def _article_section(position: int, article: Article) -> list[str]:
    heading = f"### {position}. {_inline(outlet_name(article))}"
    if article.title:
        heading += f" — {_inline(article.title)}"
    fields: list[tuple[str, str | None]] = [
        ("Byline", article.byline),
        ("Dateline", article.dateline),
        ("Published", article.published_at),
        ("Language", article.language),
    ]
    lines = [heading, ""]
    lines += [f"- {name}: {_inline(value)}" for name, value in fields if value]
    lines.append(f"- Origin: {_code(article.origin)}")
    if article.url:
        lines.append(f"- URL: {_url(article.url)}")
    lines.append(f"- Article id: {_code(article.id)} · extracted by {_code(article.extractor)}")
    if article.dup_group:
        lines.append(f"- Near-duplicate family: {_code(article.dup_group)}")
    lines.append(f"- Removed page furniture: {_plural(len(article.removed), 'line')}")
    lines.append("")
    return lines


def _reason_counts(article: Article) -> str:
    counts = Counter(line.reason for line in article.removed)
    return "; ".join(f"{reason} ×{n}" for reason, n in sorted(counts.items())) or "—"


def _link_or_origin(article: Article) -> str:
    return _url(article.url) if article.url else _code(article.origin)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- escaping -------------------------------------------------------------------------------------
# Characters that open Markdown constructs mid-line, and the patterns that do so only at a line's
# start (headings, quotes, lists, thematic breaks).  Backslash-escaping ASCII punctuation is always
# allowed in CommonMark, so escaping is safe even where it was not needed.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_URL_SAFE = re.compile(r"^https?://[^\s<>]+$")


def _escape_line(text: str) -> str:
    return _LINE_START_SPECIAL.sub(_escape_line_start, _INLINE_SPECIAL.sub(r"\\\1", text))


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    return match.group(1) + marker[:-1] + "\\" + marker[-1]


def _inline(text: str) -> str:
    """Escape text for one line of Markdown; line breaks become spaces."""
    return _escape_line(" ".join(text.split()))


def _cell(text: str) -> str:
    """Escape text for a table cell (pipes are escaped by ``_inline``)."""
    return _inline(text) or " "


def _blockquote(text: str) -> str:
    lines = text.strip("\n").split("\n")
    return "\n".join(f"> {_escape_line(line.strip())}".rstrip() for line in lines)


def _code(text: str) -> str:
    """Wrap text in a code span long enough that backticks inside cannot close it."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _url(url: str) -> str:
    """Autolink plain http(s) URLs; show anything else as code so it cannot become a link."""
    return f"<{url}>" if _URL_SAFE.match(url) else _code(url)
