"""The Markdown report: citations resolve to the right passages, and article text cannot inject."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from newsfuse.models import Report
from newsfuse.outputs.markdown import render_markdown
from newsfuse.outputs.views import citation_numbers, entity_rows


def _section(markdown: str, heading: str) -> str:
    """Return the body of a ``##``/``###`` section, up to the next heading of any level."""
    start = markdown.index(heading + "\n") + len(heading) + 1
    following = re.search(r"^#{1,3} ", markdown[start:], flags=re.MULTILINE)
    return markdown[start : start + following.start()] if following else markdown[start:]


def _chapter(markdown: str, heading: str) -> str:
    """Return the body of a ``##`` section with its ``###`` subsections, up to the next ``##``."""
    start = markdown.index(heading + "\n") + len(heading) + 1
    following = re.search(r"^#{1,2} ", markdown[start:], flags=re.MULTILINE)
    return markdown[start : start + following.start()] if following else markdown[start:]


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


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
    quotes = _section(markdown, "### Tomas Reyl · 4 quotes")
    assert (
        "| direct | Every passenger was off the vessel within 25 minutes | said | Vessa Courier |"
        in quotes
    )
    holt = _section(markdown, "### Maren Holt · 2 quotes")
    assert (
        "| indirect | the company would cooperate fully with investigators | said "
        "| Northlake Press Agency |"
    ) in holt
    places = _section(markdown, "### Places")
    assert (
        "| Lake Vessa | LAKE VESSA | 4 | Lakeside Daily, Northlake Press Agency, Vessa Courier |"
        in places
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


def test_without_story_entities_mentions_group_by_norm_across_outlets(report: Report) -> None:
    rows = {(row.label, row.norm): row for row in entity_rows(report)}
    assert rows[("LOC", "Lake Vessa")].mentions == 2
    assert rows[("LOC", "Lake Vessa")].outlets == ("Northlake Press Agency", "Vessa Courier")
    bare = dataclasses.replace(report, story=dataclasses.replace(report.story, entities=()))
    entities = _chapter(render_markdown(bare), "## Entities")
    assert "### " not in entities
    assert "| Label | Entity | Mentions | Outlets |" in entities
    assert (
        "| PRODUCT | MV Kestrel | 3 | Lakeside Daily, Northlake Press Agency, Vessa Courier |"
        in entities
    )


def test_entities_are_grouped_by_kind_then_ordered_by_mentions_and_name(report: Report) -> None:
    entities = _chapter(render_markdown(report), "## Entities")
    headings = re.findall(r"^### (.*)$", entities, flags=re.MULTILINE)
    assert headings == ["People", "Organisations", "Places", "Other (PRODUCT)"]
    names = [row.split(" | ")[0][2:] for row in entities.splitlines() if row.startswith("| ")]
    names = [name for name in names if name not in {"Entity", "---"}]
    assert names == ["Tomas Reyl", "Maren Holt", "Vessa Lines", "Lake Vessa", "Orrin", "MV Kestrel"]
    people = _section(entities, "### People")
    assert (
        "| Tomas Reyl | Reyl, coastguard spokesperson Tomas Reyl | 4 "
        "| Lakeside Daily, Northlake Press Agency, Vessa Courier |"
    ) in people
    assert "| Vessa Lines | — | 2 | Northlake Press Agency, Vessa Courier |" in entities


def test_who_said_what_groups_by_speaker_most_quoted_first(report: Report) -> None:
    quotes = _chapter(render_markdown(report), "## Who said what")
    headings = re.findall(r"^### (.*)$", quotes, flags=re.MULTILINE)
    assert headings == [
        "Tomas Reyl · 4 quotes",  # "Reyl" in two outlets joins "Tomas Reyl" through the entity
        "Maren Holt · 2 quotes",
        "a coastguard official · 1 quote *(unnamed source)*",
        "Vessa Lines · 1 quote",
        "Unattributed · 1 quote *(no speaker in the text)*",
    ]
    reyl = _section(quotes, "### Tomas Reyl · 4 quotes")
    rows = [line for line in reyl.splitlines() if line.startswith("| direct")]
    # The same words in the NPA story and its syndicated copy: both listed, report order.
    assert rows[2:] == [
        "| direct | The Kestrel is stable and will be towed to Orrin | told | Northlake Press Agency |",
        "| direct | The Kestrel is stable and will be towed to Orrin | told | Lakeside Daily |",
    ]
    unattributed = _section(quotes, "### Unattributed · 1 quote *(no speaker in the text)*")
    assert "| direct | It was chaos on deck. | — | Lakeside Daily |" in unattributed


def test_timeline_is_in_date_order_with_unanchored_entries_last_and_marked(
    report: Report,
) -> None:
    timeline = _chapter(render_markdown(report), "## Timeline")
    rows = [line for line in timeline.splitlines() if line.startswith("| ") and "`" in line]
    assert [row.split(" · ")[1] for row in rows] == [
        "`2026-05`",
        "`2026-06-13`",
        "`2026-06-15`",
        "`XXXX-WXX-1`",
        "`XXXX-WXX-6`",
    ]
    assert rows[0].startswith("| May 2026 · `2026-05` · month | The engine had been serviced")
    assert rows[1].startswith("| 13 June 2026 · `2026-06-13` · day |")
    assert [row.count("*not anchored*") for row in rows] == [0, 0, 0, 1, 1]
    assert rows[3].startswith("| a Monday (date unknown) · `XXXX-WXX-1` · day · *not anchored* |")
    assert rows[1].endswith(
        "| A passenger ferry caught fire on Lake Vessa. [^t2] [^t3] "
        "| Northlake Press Agency, Vessa Courier |"
    )


def test_timeline_footnotes_resolve_to_their_passages(report: Report) -> None:
    markdown = render_markdown(report)
    timeline = _chapter(markdown, "## Timeline")
    refs = re.findall(r"\[\^(t\d+)\](?!:)", timeline)
    notes = dict(re.findall(r"^\[\^(t\d+)\]: (.*)$", timeline, flags=re.MULTILINE))
    assert refs == [f"t{n}" for n in range(1, 7)]
    assert sorted(notes, key=lambda label: int(label[1:])) == refs
    texts = {article.outlet: article.text for article in report.articles}
    for label, note in notes.items():
        outlet = re.match(r"\*\*(.+?)\*\*", note)
        assert outlet is not None, label
        chars = re.search(r"characters (\d+)–(\d+): “(.*)”$", note)
        assert chars is not None, note
        start, end = int(chars.group(1)), int(chars.group(2))
        assert _unescape(chars.group(3)) == texts[outlet.group(1)][start:end]
    assert notes["t2"].startswith("**Northlake Press Agency** — *Ferry passengers take")


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
    story = dataclasses.replace(report.story, brief=(), entities=(), timeline=())
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
    assert "*No dated events were found.*" in markdown
    assert "[^t" not in markdown
    assert "*No input was rejected.*" in markdown
    assert "### Cited passages" not in markdown


def test_markdown_is_deterministic(make_report: Callable[[], Report]) -> None:
    first = render_markdown(make_report())
    assert first == render_markdown(make_report())
    assert first.endswith("|\n") and not first.endswith("\n\n")


# --- what comparing the outlets found -------------------------------------------------------------


def _headings(markdown: str, level: str = "##") -> list[str]:
    return re.findall(rf"^{level} (.*)$", markdown, flags=re.MULTILINE)


def test_sections_follow_the_reading_order(report: Report) -> None:
    assert _headings(render_markdown(report)) == [
        "Notes",
        "Brief",
        "Facts",
        "Conflicts",
        "Quote variants",
        "Framing",
        "Coverage gaps",
        "Story development",
        "Timeline",
        "Sources",
        "Who said what",
        "Entities",
        "Rejected inputs",
        "Removed page furniture",
    ]


def test_notes_come_first_and_only_when_there_are_some(report: Report) -> None:
    markdown = render_markdown(report)
    notes = _section(markdown, "## Notes")
    assert notes.strip() == "- 1 article(s) not in English, not aligned: inbox/vessa\\_posten.txt"
    assert markdown.index("## Notes") < markdown.index("## Brief")
    bare = dataclasses.replace(report, story=dataclasses.replace(report.story, notes=()))
    assert "## Notes" not in render_markdown(bare)


def _fact_heads(chapter: str) -> list[str]:
    return re.findall(r"^\*\*(F\d+)\*\* · (.*)\\$", chapter, flags=re.MULTILINE)


def test_corroborated_and_disputed_facts_come_first_then_single_source(report: Report) -> None:
    facts = _chapter(render_markdown(report), "## Facts")
    assert facts.lstrip().startswith(
        "5 facts from 3 outlets: 2 corroborated, 1 disputed, 2 single source."
    )
    assert _headings(facts, "###") == [
        "Corroborated and disputed facts",
        "Single-source facts",
    ]
    lead = _fact_heads(_section(facts, "### Corroborated and disputed facts"))
    single = _fact_heads(_section(facts, "### Single-source facts"))
    assert [label for label, _ in lead] == ["F1", "F2", "F3"]
    assert [label for label, _ in single] == ["F4", "F5"]
    assert lead[0][1] == (
        "■■■ 3 of 3 outlets (Lakeside Daily, Northlake Press Agency, Vessa Courier) · "
        "2 independent sources · **disputed** (see C1) · `2026-06-13`"
    )
    assert lead[1][1] == (
        "■■□ 2 of 3 outlets (Northlake Press Agency, Vessa Courier) · 2 independent sources "
        "· **corroborated**"
    )
    assert single[0][1] == (
        "■□□ 1 of 3 outlets (Northlake Press Agency) · 1 independent source · **single source**"
    )


def test_every_fact_lists_every_claim_with_its_passage(report: Report) -> None:
    facts = _chapter(render_markdown(report), "## Facts")
    texts = {article.outlet: article.text for article in report.articles}
    blocks = re.split(r"^\*\*F\d+\*\* · ", facts, flags=re.MULTILINE)[1:]
    shown = [f for f in report.story.facts if f.status != "single_source"]
    shown += [f for f in report.story.facts if f.status == "single_source"]
    for fact, block in zip(shown, blocks, strict=True):
        lines = block.splitlines()
        assert _unescape(lines[1]) == fact.text
        claims = [line for line in lines if line.startswith("- **")]
        assert len(claims) == len(fact.claims)
        for claim in claims:
            match = re.match(r"- \*\*(.+?)\*\*, characters (\d+)–(\d+)(?:: “(.*)”)?$", claim)
            assert match is not None, claim
            passage = texts[match.group(1)][int(match.group(2)) : int(match.group(3))]
            # The passage is repeated only where it is not the fact's own wording.
            assert _unescape(match.group(4) or fact.text) == passage


def test_conflicts_show_each_side_with_outlets_and_passages(report: Report) -> None:
    conflicts = _chapter(render_markdown(report), "## Conflicts")
    assert _headings(conflicts, "###") == ["C1 · Figures differ: people · in F1"]
    rows = [line for line in conflicts.splitlines() if line.startswith("| 21")]
    assert len(rows) == 2
    assert rows[0].startswith("| 210 | Lakeside Daily, Northlake Press Agency | “A fire on the")
    assert "(Northlake Press Agency, characters 23–148); “A fire on the" in rows[0]
    assert rows[1].startswith("| 212 | Vessa Courier | “LAKE VESSA: A passenger ferry caught")
    assert rows[1].endswith("(Vessa Courier, characters 0–144) |")


def test_quote_variants_strike_deleted_and_bold_inserted_words(report: Report) -> None:
    variants = _chapter(render_markdown(report), "## Quote variants")
    assert _headings(variants, "###") == ["Tomas Reyl · substantive change"]
    assert "Reference: “Every passenger was off the vessel within 25 minutes”" in variants
    rows = [line for line in variants.splitlines() if line.startswith("| ") and "“" in line]
    assert rows == [
        "| Vessa Courier | exact | “Every passenger was off the vessel within 25 minutes” "
        "(characters 298–350) | every passenger was off the vessel within 25 minutes |",
        "| Northlake Press Agency | minor variation | “Every passenger was off of the vessel "
        "within 25 minutes” (characters 553–608) "
        "| every passenger was off **of** the vessel within 25 minutes |",
        "| Lakeside Daily | substantive change | “All passengers were off within 25 minutes” "
        "(characters 363–404) | ~~every passenger was~~ **all passengers were** off "
        "~~the vessel~~ within 25 minutes |",
    ]


def test_framing_tables_count_terms_and_cross_outlets_with_choice_groups(report: Report) -> None:
    framing = _chapter(render_markdown(report), "## Framing")
    terms = _section(framing, "### Loaded words and intensifiers")
    assert "| Vessa Courier | blaze ×1 | — |" in terms
    assert "| Northlake Press Agency | — | fully ×1 |" in terms
    assert "| Lakeside Daily | — | — |" in terms
    choices = _section(framing, "### Word choices")
    assert "| Outlet | incident | speech |" in choices
    rows = [line for line in choices.splitlines() if line.startswith("| ") and "×" in line]
    assert rows == [
        "| Lakeside Daily | fire ×1 | told ×1 |",
        "| Northlake Press Agency | fire ×2 | told ×1 |",
        "| Vessa Courier | blaze ×1, fire ×1 | said ×2 |",
    ]


def test_coverage_gaps_list_the_missing_facts(report: Report) -> None:
    gaps = _chapter(render_markdown(report), "## Coverage gaps")
    assert _headings(gaps, "###") == ["Lakeside Daily · leaves out 1 fact"]
    assert "- **F2** The coastguard said the fire broke out in the engine room." in gaps


def test_story_development_lists_phases_in_order_with_footnotes(report: Report) -> None:
    markdown = render_markdown(report)
    development = _chapter(markdown, "## Story development")
    assert _headings(development, "###") == ["1. fire and evacuation", "2. crossings suspended"]
    first = _section(development, "### 1. fire and evacuation")
    assert "First published 2026-06-13 · 2 articles · Northlake Press Agency, Vessa Courier" in (
        first
    )
    assert first.rstrip().endswith("the regional coastguard said. [^p1] [^p2]")
    second = _section(development, "### 2. crossings suspended")
    assert "Publication date unknown · 1 article · Lakeside Daily" in second
    notes = dict(re.findall(r"^\[\^(p\d+)\]: (.*)$", development, flags=re.MULTILINE))
    assert sorted(notes) == ["p1", "p2", "p3"]
    texts = {article.outlet: article.text for article in report.articles}
    for note in notes.values():
        outlet = re.match(r"\*\*(.+?)\*\*", note)
        chars = re.search(r"characters (\d+)–(\d+): “(.*)”$", note)
        assert outlet is not None and chars is not None, note
        start, end = int(chars.group(1)), int(chars.group(2))
        assert _unescape(chars.group(3)) == texts[outlet.group(1)][start:end]
    # Footnote labels stay distinct from the timeline's.
    assert len(re.findall(r"^\[\^p1\]:", markdown, flags=re.MULTILINE)) == 1


def test_empty_corroboration_says_so(report: Report) -> None:
    story = dataclasses.replace(
        report.story,
        facts=(),
        conflicts=(),
        quote_groups=(),
        framing=(),
        coverage_gaps=(),
        phases=(),
        notes=(),
    )
    markdown = render_markdown(dataclasses.replace(report, story=story))
    assert "*No facts were aligned across the articles.*" in markdown
    assert "*The outlets do not disagree on any figure, date or speaker.*" in markdown
    assert "*No quotation is worded differently by different outlets.*" in markdown
    assert "*No loaded words, intensifiers or differing word choices were found.*" in markdown
    assert "*Every outlet reports every corroborated fact.*" in markdown
    assert "*The articles report the story in one state; no phases were found.*" in markdown
    assert "[^p" not in markdown


def test_only_single_source_facts_still_get_their_section(report: Report) -> None:
    single = tuple(f for f in report.story.facts if f.status == "single_source")
    story = dataclasses.replace(report.story, facts=single, conflicts=(), coverage_gaps=())
    facts = _chapter(render_markdown(dataclasses.replace(report, story=story)), "## Facts")
    assert _headings(facts, "###") == ["Single-source facts"]
    assert [label for label, _ in _fact_heads(facts)] == ["F1", "F2"]


def test_corroboration_text_cannot_inject_markdown_or_html(report: Report) -> None:
    hostile = "<script>alert(1)</script> | *x* [link](http://evil.example) ~~y~~"
    story = report.story
    fact = dataclasses.replace(story.facts[0], text=hostile)
    conflict = story.conflicts[0]
    side = dataclasses.replace(conflict.sides[0], value=hostile)
    conflict = dataclasses.replace(conflict, subject=hostile, sides=(side, *conflict.sides[1:]))
    group = story.quote_groups[0]
    variant = group.variants[2]
    diff = (dataclasses.replace(variant.diff[0], reference=hostile, variant=hostile),)
    variant = dataclasses.replace(variant, diff=(*diff, *variant.diff[1:]), outlet=hostile)
    group = dataclasses.replace(
        group, speaker=hostile, reference=hostile, variants=(*group.variants[:2], variant)
    )
    term = dataclasses.replace(story.framing[0], term=hostile, kind="choice:" + hostile)
    phase = dataclasses.replace(story.phases[0], label=hostile, summary=hostile)
    gap = dataclasses.replace(story.coverage_gaps[0], outlet=hostile)
    story = dataclasses.replace(
        story,
        facts=(fact, *story.facts[1:]),
        conflicts=(conflict,),
        quote_groups=(group,),
        framing=(term, *story.framing[1:]),
        phases=(phase, *story.phases[1:]),
        coverage_gaps=(gap,),
        notes=(hostile,),
    )
    markdown = render_markdown(dataclasses.replace(report, story=story))
    assert "<script>" not in markdown and "[link](http" not in markdown
    assert "~~y~~" not in markdown
    assert markdown.count("\\<script\\>alert(1)\\</script\\> \\| \\*x\\*") >= 10
    for line in markdown.splitlines():
        if line.startswith("| ") and "alert(1)" in line:
            # Every pipe inside the hostile text is escaped: the column count is the header's.
            assert len(re.findall(r"(?<!\\)\|", line)) in {4, 5}, line
