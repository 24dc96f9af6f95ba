"""The Markdown report: citations resolve to the right passages, and article text cannot inject."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from newsfuse.models import Report
from newsfuse.outputs.markdown import citation_numbers, entity_rows, render_markdown


def _section(markdown: str, heading: str) -> str:
    """Return the body of a ``##``/``###`` section, up to the next heading of any level."""
    start = markdown.index(heading + "\n") + len(heading) + 1
    following = re.search(r"^#{1,3} ", markdown[start:], flags=re.MULTILINE)
    return markdown[start : start + following.start()] if following else markdown[start:]


def _passages(markdown: str) -> dict[int, str]:
    """Map each number in *Cited passages* to the blockquoted passage under it (unescaped)."""
    body = _section(markdown, "### Cited passages")
    passages: dict[int, str] = {}
    for match in re.finditer(r"^\*\*\[(\d+)\]\*\* .*\n((?:>.*\n?)+)", body, flags=re.MULTILINE):
        lines = [line[2:] if line.startswith("> ") else "" for line in match.group(2).splitlines()]
        passages[int(match.group(1))] = re.sub(r"\\(.)", r"\1", "\n".join(lines))
    return passages


def test_every_brief_citation_resolves_to_its_passage(report: Report) -> None:
    markdown = render_markdown(report)
    passages = _passages(markdown)
    texts = {article.id: article.text for article in report.articles}
    brief = _section(markdown, "## Brief")
    for sentence in report.story.brief:
        line = next(line for line in brief.splitlines() if line.startswith(sentence.text))
        cited = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        expected = [texts[s.article_id][s.start : s.end] for s in dict.fromkeys(sentence.citations)]
        assert [passages[n] for n in cited] == expected


def test_numbers_follow_first_citation_and_repeat_for_the_same_span(report: Report) -> None:
    numbers = citation_numbers(report)
    assert list(numbers.values()) == list(range(1, 10))  # 10 citations, one span cited twice
    last = render_markdown(report).split("Vessa Lines has suspended crossings until Monday.")[1]
    assert last.startswith(" [7] [8] [9]\n")


def test_cited_passage_names_outlet_title_and_link(report: Report) -> None:
    markdown = render_markdown(report)
    assert (
        "**[2]** **Northlake Press Agency** — *Ferry passengers take to lifeboats after "
        "engine-room fire* — <https://npa.example/world/ferry-fire-kestrel>, characters 23–81"
    ) in markdown
    # No URL: the origin stands in, so the reader still knows where the passage came from.
    assert "**[3]** **Lakeside Daily** — `inbox/lakeside-daily.html`" in markdown


def test_single_source_sentence_is_marked(report: Report) -> None:
    lines = render_markdown(report).splitlines()
    marked = [line for line in lines if line.endswith("*(single source)*")]
    assert marked == [
        "Passengers were off the vessel within 25 minutes and nobody was seriously hurt, "
        "the coastguard said. [6] *(single source)*"
    ]


def test_sources_quotes_entities_rejections_and_audit(report: Report) -> None:
    markdown = render_markdown(report)
    assert "### 1. Vessa Courier — Ferry fire forces evacuation of 212 on Lake Vessa" in markdown
    courier = _section(
        markdown, "### 1. Vessa Courier — Ferry fire forces evacuation of 212 on Lake Vessa"
    )
    assert "- Byline: By Ana Lind, Transport Correspondent" in courier
    assert "- Dateline: LAKE VESSA" in courier
    assert "- Published: 2026-06-13T11:40:00+02:00" in courier
    assert "- Origin: `inbox/vessa-courier.txt`" in courier
    quotes = _section(markdown, "## Who said what")
    assert (
        "| Tomas Reyl | Every passenger was off the vessel within 25 minutes | direct | Vessa Courier |"
        in quotes
    )
    assert (
        "| Maren Holt | the company would cooperate fully with investigators | indirect |" in quotes
    )
    entities = _section(markdown, "## Entities")
    assert (
        "| PRODUCT | MV Kestrel | 3 | Lakeside Daily, Northlake Press Agency, Vessa Courier |"
        in entities
    )
    rejected = _section(markdown, "## Rejected inputs")
    assert "- `inbox/empty.txt` (ingest): the file is empty" in rejected
    assert "- `inbox/menu-only.html` (clean): no article text was found on the page" in rejected
    audit = _section(markdown, "## Removed page furniture")
    assert (
        "| 1. Vessa Courier | 4 | navigation menu ×1; repeated headline ×1; share widget ×1; site chrome ×1 |"
        in audit
    )
    assert "| 3. Lakeside Daily | 0 | — |" in audit


def test_entities_group_by_norm_across_outlets(report: Report) -> None:
    rows = {(row.label, row.norm): row for row in entity_rows(report)}
    assert rows[("LOC", "Lake Vessa")].mentions == 2
    assert rows[("LOC", "Lake Vessa")].outlets == ("Northlake Press Agency", "Vessa Courier")


def test_article_text_cannot_inject_markdown_or_html(report: Report) -> None:
    courier = report.articles[0]
    hostile = "<script>alert(1)</script> | *bold* [link](http://evil.example)"
    text = courier.text + "\n\n" + hostile
    span = dataclasses.replace(
        report.story.brief[2].citations[0], start=len(courier.text) + 2, end=len(text)
    )
    quote = dataclasses.replace(courier.quotes[0], span=span, text=hostile)
    courier = dataclasses.replace(courier, text=text, quotes=(quote,), title="Fire | *Lake*")
    sentence = dataclasses.replace(report.story.brief[2], citations=(span,))
    story = dataclasses.replace(report.story, brief=(sentence,))
    markdown = render_markdown(
        dataclasses.replace(report, story=story, articles=(courier, *report.articles[1:]))
    )
    assert "<script>" not in markdown
    assert "\\<script\\>" in markdown
    assert "[link](http" not in markdown
    assert "\\[link\\]" in markdown
    quote_row = next(
        line for line in markdown.splitlines() if "alert(1)" in line and line.startswith("|")
    )
    assert quote_row.count(" | ") == 3  # the pipe inside the quote is escaped, not a new column
    assert _passages(markdown)[1] == hostile
    assert "### 1. Vessa Courier — Fire \\| \\*Lake\\*" in markdown


def test_empty_parts_say_so(report: Report) -> None:
    story = dataclasses.replace(report.story, brief=())
    bare = dataclasses.replace(
        report,
        story=story,
        rejections=(),
        articles=tuple(
            dataclasses.replace(a, quotes=(), mentions=(), claims=()) for a in report.articles
        ),
    )
    markdown = render_markdown(bare)
    assert "*No brief was produced for this story.*" in markdown
    assert "*No quotes were found.*" in markdown
    assert "*No entities were found.*" in markdown
    assert "*No input was rejected.*" in markdown
    assert "### Cited passages" not in markdown


def test_markdown_is_deterministic(make_report: Callable[[], Report]) -> None:
    first = render_markdown(make_report())
    assert first == render_markdown(make_report())
    assert first.endswith("|\n") and not first.endswith("\n\n")
