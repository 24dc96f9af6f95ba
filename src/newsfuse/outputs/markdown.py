"""The Markdown report: the brief for people, readable raw in a terminal and rendered on a forge.

Notes about the comparison (if any) come first, then, when the report was asked what is new
(``--since``), what is new: its own cited brief, new and newly corroborated facts, new conflicts,
quotes and timeline entries, and a change of phase.  Every brief sentence ends in numbered citations
(``[1] [2]``) that resolve, under *Cited passages*, to the outlet, title, URL (or origin) and the
exact cited passage, so a reader can check each sentence without opening the articles.  What
comparing the outlets found follows: the facts (corroborated and disputed first, each with a
source-count bar and every claim that states it), the conflicts side by side, quotations worded
differently (with the word-level changes struck out and bolded), each outlet's framing words, the
corroborated facts each outlet leaves out, and the story's phases (their citations footnotes
``[^p1]``).  The timeline follows, in date order, its citations written as footnotes (``[^t1]``).
Then come the sources, who said what (grouped by speaker), the story's entities (grouped by kind),
the inputs that were rejected and how much page furniture the cleaner removed from each article:
the parts of the run a careful reader audits.

Article text is untrusted, so everything taken from it is escaped: it cannot open links, emphasis,
tables, footnotes or raw HTML in a renderer.  What each section shows, and in which order, comes from
:mod:`newsfuse.outputs.views` and :mod:`newsfuse.outputs.timeline`, which the HTML report shares, so
that "[3]" or "t2" means the same passage in both formats.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from newsfuse.models import Article, CitedSentence, Report, Span, WordDiff
from newsfuse.outputs.corroboration import (
    CONFLICT_KINDS,
    STATUS_LABELS,
    UPDATE_KINDS,
    CorroborationView,
    FactView,
    TermUse,
    corroboration_view,
    diff_pieces,
)
from newsfuse.outputs.json import articles_by_id
from newsfuse.outputs.timeline import timeline_citation_numbers, timeline_items
from newsfuse.outputs.views import (
    SpeakerGroup,
    citation_numbers,
    entity_groups,
    entity_rows,
    outlet_name,
    speaker_groups,
)

__all__ = ["render_markdown"]


def render_markdown(report: Report) -> str:
    """Return the report as CommonMark (with GitHub-style tables and footnotes), ending in one newline."""
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
    ]
    if story.notes:
        out += ["## Notes", ""]
        out += [f"- {_inline(note)}" for note in story.notes]
        out.append("")
    view = corroboration_view(report)
    out += _update_section(report, view, numbers, index)
    out += ["## Brief", ""]
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

    out += _facts_section(view, index)
    out += _conflicts_section(view, index)
    out += _quote_variants_section(report)
    out += _framing_section(view)
    out += _coverage_section(view, index)
    out += _development_section(report, index)
    out += _timeline_section(report, index)

    out += ["## Sources", ""]
    for position, article in enumerate(report.articles, start=1):
        out += _article_section(position, article)

    out += _quotes_section(report)
    out += _entities_section(report, index)

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


def _cited_line(sentence: CitedSentence, numbers: Mapping[Span, int]) -> str:
    marks = " ".join(f"[{numbers[span]}]" for span in dict.fromkeys(sentence.citations))
    line = _inline(sentence.text)
    if marks:
        line += " " + marks
    if sentence.single_source:
        line += " *(single source)*"
    return line


def _update_section(
    report: Report,
    view: CorroborationView,
    numbers: Mapping[Span, int],
    index: Mapping[str, Article],
) -> list[str]:
    """What is new since ``--since``: its own brief, then new and newly corroborated facts,
    conflicts, quotes, timeline entries and the phase change.  Citations share the brief's numbers."""
    update = report.update
    if update is None:
        return []
    out = [f"## What's new since {_inline(update.since)}", ""]
    out += [f"- {_inline(note)}" for note in update.notes]
    if update.current_phase and update.previous_phase != update.current_phase:
        before = _inline(update.previous_phase or "no phase")
        out.append(f"- The story moved on: {before} → **{_inline(update.current_phase)}**.")
    out.append("")
    if update.brief:
        out += ["### What's new, in brief", ""]
        for sentence in update.brief:
            out += [_cited_line(sentence, numbers), ""]
    else:
        out += ["*Nothing new to report.*", ""]
    for kind, heading in UPDATE_KINDS.items():
        changes = [f for f in update.facts if f.kind == kind]
        if not changes:
            continue
        out += [f"### {heading}", ""]
        for change in changes:
            fact = view.facts[change.fact_id]
            line = f"- **{fact.label}** {_inline(fact.fact.text)} — "
            if change.kind == "new":
                line += _plural(change.sources_now, "independent source")
            else:
                line += f"{change.sources_before} → {change.sources_now} independent sources"
            if change.new_outlets:
                line += f" (new: {_inline(', '.join(change.new_outlets))})"
            out.append(line)
        out.append("")
    conflicts = [c for c in view.conflicts if c.conflict.id in set(update.conflict_ids)]
    if conflicts:
        out += ["### New conflicts", ""]
        for conflict in conflicts:
            values = " vs ".join(_inline(side.value) for side in conflict.conflict.sides)
            out.append(
                f"- **{conflict.label}** {_inline(conflict.conflict.subject)}: {values} "
                f"(in {conflict.fact.label})"
            )
        out.append("")
    if update.quotes:
        out += ["### New quotes", ""]
        for quote in update.quotes:
            article = index[quote.span.article_id]
            out.append(
                f"- **{_inline(quote.speaker or 'unattributed')}**: “{_inline(quote.text)}” "
                f"({_inline(outlet_name(article))})"
            )
        out.append("")
    if update.timeline:
        out += ["### New on the timeline", ""]
        for entry in update.timeline:
            out.append(
                f"- {_code(entry.when)} {_inline(entry.text)} ({_inline(', '.join(entry.outlets))})"
            )
        out.append("")
    return out


def _timeline_section(report: Report, index: Mapping[str, Article]) -> list[str]:
    """The timeline table; its citations are footnotes ``[^t1]`` defined right under it."""
    out = ["## Timeline", ""]
    items = timeline_items(report)
    if not items:
        return [*out, "*No dated events were found.*", ""]
    numbers = timeline_citation_numbers(items)
    out += [
        "Events in date order; dates that no publication date could fix come last, marked "
        "*not anchored*.",
        "",
        "| When | What happened | Outlets |",
        "| --- | --- | --- |",
    ]
    for item in items:
        entry = item.entry
        when = f"{_inline(item.label)} · {_code(entry.when)} · {_inline(entry.granularity)}"
        if not entry.anchored:
            when += " · *not anchored*"
        what = _inline(entry.text)
        notes = " ".join(f"[^t{numbers[span]}]" for span in dict.fromkeys(entry.citations))
        if notes:
            what += " " + notes
        out.append(f"| {when} | {what or ' '} | {_cell(', '.join(entry.outlets))} |")
    out.append("")
    for span, number in numbers.items():
        article = index[span.article_id]
        passage = _inline(article.text[span.start : span.end])
        out += [
            f"[^t{number}]: {_source_line(article)}, characters {span.start}–{span.end}: "
            f"“{passage}”",
            "",
        ]
    return out


def _bar(view: FactView) -> str:
    filled, empty = view.bar
    return "■" * filled + "□" * empty


def _facts_section(view: CorroborationView, index: Mapping[str, Article]) -> list[str]:
    """Facts with corroborated and disputed ones first; single-source facts in their own part."""
    out = ["## Facts", ""]
    if not view.facts:
        return [*out, "*No facts were aligned across the articles.*", ""]
    counts = view.status_counts
    out += [
        f"{_plural(len(view.facts), 'fact')} from {_plural(len(view.outlets), 'outlet')}: "
        + ", ".join(f"{n} {STATUS_LABELS[status]}" for status, n in counts.items())
        + ". The bar shows how many of the story's outlets carry each fact (■ carries it, □ does "
        "not); independent sources count an outlet, a family of near-duplicate copies and the copies "
        "credited to one news agency once.",
        "",
    ]
    if view.lead:
        out += ["### Corroborated and disputed facts", ""]
        for fact in view.lead:
            out += _fact_block(fact, len(view.outlets), index)
    if view.single:
        out += [
            "### Single-source facts",
            "",
            "Each of these is carried by one independent source only: treat with care.",
            "",
        ]
        for fact in view.single:
            out += _fact_block(fact, len(view.outlets), index)
    return out


def _fact_block(view: FactView, total: int, index: Mapping[str, Article]) -> list[str]:
    fact = view.fact
    status = f"**{STATUS_LABELS[fact.status]}**"
    if view.conflicts:
        status += " (see " + ", ".join(label for label, _ in view.conflicts) + ")"
    parts = [
        f"**{view.label}**",
        f"{_bar(view)} {len(fact.outlets)} of {max(total, len(fact.outlets))} outlets "
        f"({_inline(', '.join(fact.outlets))})",
        _plural(fact.independent_sources, "independent source"),
        status,
    ]
    if fact.when:
        parts.append(_code(fact.when))
    out = [" · ".join(parts) + "\\", _inline(fact.text) or "*(no text)*", ""]
    same = " ".join(fact.text.split())
    for span in fact.claims:
        article = index[span.article_id]
        passage = article.text[span.start : span.end]
        line = f"- **{_inline(outlet_name(article))}**, characters {span.start}–{span.end}"
        if " ".join(passage.split()) != same:
            line += f": “{_inline(passage)}”"
        out.append(line)
    return [*out, ""] if fact.claims else out


def _passage_ref(span: Span, index: Mapping[str, Article]) -> str:
    article = index[span.article_id]
    passage = _inline(article.text[span.start : span.end])
    return f"“{passage}” ({_inline(outlet_name(article))}, characters {span.start}–{span.end})"


def _conflicts_section(view: CorroborationView, index: Mapping[str, Article]) -> list[str]:
    """Each conflict as a table: one row per value, with its outlets and passages."""
    out = ["## Conflicts", ""]
    if not view.conflicts:
        return [*out, "*The outlets do not disagree on any figure, date or speaker.*", ""]
    for item in view.conflicts:
        conflict = item.conflict
        out += [
            f"### {item.label} · {CONFLICT_KINDS[conflict.kind]}: {_inline(conflict.subject)} "
            f"· in {item.fact.label}",
            "",
            f"{item.fact.label}: {_inline(item.fact.fact.text)}",
            "",
            "| Value | Outlets | Passages |",
            "| --- | --- | --- |",
        ]
        out += [
            f"| {_cell(side.value)} | {_cell(', '.join(side.outlets))} "
            f"| {'; '.join(_passage_ref(span, index) for span in side.citations) or ' '} |"
            for side in conflict.sides
        ]
        out.append("")
    return out


def _diff(diff: tuple[WordDiff, ...]) -> str:
    """A word diff in Markdown: deleted words ~~struck~~, inserted words **bold**."""
    words = []
    for piece in diff_pieces(diff):
        if piece.kind == "delete":
            words.append(f"~~{_inline(piece.text)}~~")
        elif piece.kind == "insert":
            words.append(f"**{_inline(piece.text)}**")
        else:
            words.append(_inline(piece.text))
    return " ".join(words) or " "


def _quote_variants_section(report: Report) -> list[str]:
    """Each quote group: its reference wording, then each outlet's wording and word-level diff."""
    out = ["## Quote variants", ""]
    groups = report.story.quote_groups
    if not groups:
        return [*out, "*No quotation is worded differently by different outlets.*", ""]
    out += [
        "The same quotation as different outlets print it, compared word by word with a "
        "reference wording: ~~struck~~ words are the reference's only, **bold** words the "
        "outlet's only.",
        "",
    ]
    for group in groups:
        speaker = _inline(group.speaker) if group.speaker else "*Unattributed*"
        out += [
            f"### {speaker} · {group.label}",
            "",
            f"Reference: “{_inline(group.reference)}”",
            "",
            "| Outlet | Drift | As printed | Against the reference |",
            "| --- | --- | --- | --- |",
        ]
        for variant in group.variants:
            span = variant.span
            out.append(
                f"| {_cell(variant.outlet)} | {variant.label} "
                f"| “{_inline(variant.text)}” (characters {span.start}–{span.end}) "
                f"| {_diff(variant.diff)} |"
            )
        out.append("")
    return out


def _uses(uses: tuple[TermUse, ...]) -> str:
    return ", ".join(f"{_inline(use.term)} ×{len(use.citations)}" for use in uses) or "—"


def _framing_section(view: CorroborationView) -> list[str]:
    """Loaded words and intensifiers per outlet, then which alternative each outlet chooses."""
    out = ["## Framing", ""]
    framing = view.framing
    if not framing.terms and not framing.groups:
        return [*out, "*No loaded words, intensifiers or differing word choices were found.*", ""]
    out += [
        "Words each outlet uses in its own voice (outside quotations), with how often.",
        "",
    ]
    if framing.terms:
        out += [
            "### Loaded words and intensifiers",
            "",
            "| Outlet | Loaded words | Intensifiers |",
            "| --- | --- | --- |",
        ]
        out += [
            f"| {_cell(row.outlet)} | {_cell(_uses(row.loaded))} "
            f"| {_cell(_uses(row.intensifiers))} |"
            for row in framing.terms
        ]
        out.append("")
    if framing.groups:
        out += [
            "### Word choices",
            "",
            "Where outlets choose differently among words for the same thing.",
            "",
            "| Outlet | " + " | ".join(_cell(group) for group in framing.groups) + " |",
            "| --- " * (len(framing.groups) + 1) + "|",
        ]
        out += [
            f"| {_cell(outlet)} | " + " | ".join(_uses(cell) for cell in cells) + " |"
            for outlet, cells in zip(framing.outlets, framing.choices, strict=True)
        ]
        out.append("")
    return out


def _coverage_section(view: CorroborationView, index: Mapping[str, Article]) -> list[str]:
    """Per outlet, the corroborated facts it leaves out, each with the outlet's nearest passage."""
    out = ["## Coverage gaps", ""]
    if not view.gaps:
        return [*out, "*Every outlet reports every corroborated fact.*", ""]
    out += [
        "Facts that two or more independent sources report, which an outlet leaves out.",
        "",
    ]
    for gap in view.gaps:
        out += [f"### {_inline(gap.outlet)} · leaves out {_plural(len(gap.facts), 'fact')}", ""]
        for fact in gap.facts:
            out.append(f"- **{fact.label}** {_inline(fact.fact.text)}")
            near = gap.nearest.get(fact.fact.id)
            if near is not None:
                out.append(
                    f"  - its nearest passage (same-statement score {near.score:.2f}): "
                    + _passage_ref(near.passage, index)
                )
        out.append("")
    return out


def _development_section(report: Report, index: Mapping[str, Article]) -> list[str]:
    """The story's phases in order; their citations are footnotes ``[^p1]`` under them."""
    out = ["## Story development", ""]
    phases = report.story.phases
    if not phases:
        return [*out, "*The articles report the story in one state; no phases were found.*", ""]
    numbers: dict[Span, int] = {}
    for phase in phases:
        for span in phase.citations:
            numbers.setdefault(span, len(numbers) + 1)
    for position, phase in enumerate(phases, start=1):
        published = (
            f"First published {_inline(phase.first_published)}"
            if phase.first_published
            else "Publication date unknown"
        )
        notes = " ".join(f"[^p{numbers[span]}]" for span in dict.fromkeys(phase.citations))
        summary = _inline(phase.summary)
        out += [
            f"### {position}. {_inline(phase.label)}",
            "",
            f"{published} · {_plural(len(phase.article_ids), 'article')} · "
            f"{_inline(', '.join(phase.outlets)) or '—'}",
            "",
            f"{summary} {notes}".strip() or "*(no summary)*",
            "",
        ]
    for span, number in numbers.items():
        article = index[span.article_id]
        passage = _inline(article.text[span.start : span.end])
        out += [
            f"[^p{number}]: {_source_line(article)}, characters {span.start}–{span.end}: "
            f"“{passage}”",
            "",
        ]
    return out


def _quotes_section(report: Report) -> list[str]:
    """Who said what: one table per speaker, most quoted first, unattributed quotes last."""
    out = ["## Who said what", ""]
    groups = speaker_groups(report)
    if not groups:
        return [*out, "*No quotes were found.*", ""]
    for group in groups:
        out += [_speaker_heading(group), ""]
        out += ["| Kind | Quote | Cue | Outlet |", "| --- | --- | --- | --- |"]
        out += [
            f"| {row.quote.kind} | {_cell(row.quote.text)} | {_cell(row.quote.cue or '—')} "
            f"| {_cell(outlet_name(row.article))} |"
            for row in group.rows
        ]
        out.append("")
    return out


def _speaker_heading(group: SpeakerGroup) -> str:
    heading = f"### {_inline(group.speaker)} · {_plural(len(group.rows), 'quote')}"
    if group.kind == "unnamed":
        heading += " *(unnamed source)*"
    elif group.kind == "thing":
        heading += " *(not a speaker: a thing or event the text attributes to)*"
    elif group.kind == "unattributed":
        heading += " *(no speaker in the text)*"
    return heading


def _entities_section(report: Report, index: Mapping[str, Article]) -> list[str]:
    """The story's canonical entities by kind; without them, raw mentions grouped by key."""
    out = ["## Entities", ""]
    groups = entity_groups(report, index)
    if groups:
        for group in groups:
            out += [f"### {_inline(group.title)}", ""]
            out += [
                "| Entity | Also called | Mentions | Outlets |",
                "| --- | --- | --- | --- |",
            ]
            out += [
                f"| {_cell(view.entity.name)} | {_cell(', '.join(view.entity.aliases) or '—')} "
                f"| {view.mentions} | {_cell(', '.join(view.outlets))} |"
                for view in group.entities
            ]
            out.append("")
        return out
    rows = entity_rows(report)
    if not rows:
        return [*out, "*No entities were found.*", ""]
    out += ["| Label | Entity | Mentions | Outlets |", "| --- | --- | --- | --- |"]
    out += [
        f"| {_cell(row.label)} | {_cell(row.norm)} | {row.mentions} "
        f"| {_cell(', '.join(row.outlets))} |"
        for row in rows
    ]
    return [*out, ""]


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
