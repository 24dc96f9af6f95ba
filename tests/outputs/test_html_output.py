"""The HTML report: self-contained, every citation lands on its passage, article text stays text."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import random
import re
from collections.abc import Callable

import lxml.html
import pytest
from lxml import etree
from lxml.html import HtmlElement

from newsfuse.models import Report, Span
from newsfuse.outputs.html import Mark, mark_up, render_html, span_anchor


def _parse(html: str) -> HtmlElement:
    return lxml.html.document_fromstring(html)


def _fragment(markup: str) -> etree._Element:
    """Parse marked-up text as XML: stricter than HTML, so it also proves the tags are well nested."""
    return etree.fromstring(f"<div>{markup}</div>")


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _span_text(root: etree._Element, anchor: str) -> str:
    """Join the text of every fragment of one span, in document order."""
    return "".join(_text(el) for el in root.xpath("//*[@data-span=$a]", a=anchor))


def test_document_is_self_contained(report: Report) -> None:
    html = render_html(report)
    root = _parse(html)
    assert root.xpath("//link") == []
    assert root.xpath("//*[@src]") == []  # no images, scripts or frames fetched from anywhere
    assert [el.text for el in root.xpath("//script")] and root.xpath("//style")
    assert "url(" not in html and "@import" not in html
    urls = {article.url for article in report.articles if article.url}
    for anchor in root.xpath("//a[@href]"):
        href = anchor.get("href")
        assert href.startswith("#") or (href in urls and "external" in anchor.get("class"))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?//""", html)
    csp = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp


def test_csp_allows_exactly_the_inline_script(report: Report) -> None:
    root = _parse(render_html(report))
    script = root.xpath("//script")[0].text
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert f"script-src 'sha256-{digest}'" in csp


def test_every_internal_link_has_a_target_and_ids_are_unique(report: Report) -> None:
    root = _parse(render_html(report))
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))
    hrefs = [href[1:] for href in root.xpath("//a/@href") if href.startswith("#")]
    assert hrefs
    assert set(hrefs) <= set(ids)


def test_each_citation_links_to_a_mark_around_exactly_its_passage(report: Report) -> None:
    root = _parse(render_html(report))
    texts = {article.id: article.text for article in report.articles}
    items = root.xpath("//ol[@class='brief']/li")
    assert len(items) == len(report.story.brief)
    for item, sentence in zip(items, report.story.brief, strict=True):
        hrefs = item.xpath("a[@class='cite']/@href")
        spans = list(dict.fromkeys(sentence.citations))
        assert hrefs == ["#" + span_anchor(span) for span in spans]
        for span in spans:
            target = root.get_element_by_id(span_anchor(span))
            assert target.tag == "mark"
            assert (
                _span_text(root, span_anchor(span)) == texts[span.article_id][span.start : span.end]
            )
            article = target.xpath("ancestor::article")[0]
            assert article.get("id") == "art-" + span.article_id


def test_crossing_citation_is_split_but_complete(report: Report) -> None:
    span = report.story.brief[2].citations[0]
    root = _parse(render_html(report))
    fragments = root.xpath("//*[@data-span=$a]", a=span_anchor(span))
    assert len(fragments) == 2  # it crosses the first quote's end
    assert [f.get("id") for f in fragments] == [span_anchor(span), None]
    assert "cont" in fragments[1].get("class")
    assert (
        _span_text(root, span_anchor(span))
        == "within 25 minutes,\u201d Reyl said. \u201cNobody was"
    )


def test_article_text_is_reproduced_exactly(report: Report) -> None:
    root = _parse(render_html(report))
    bodies = root.xpath("//article[@class='source']/div[@class='text']")
    assert [body.text_content() for body in bodies] == [a.text for a in report.articles]


def test_single_source_badge_quotes_removed_lines_and_rejections(report: Report) -> None:
    root = _parse(render_html(report))
    badges = root.xpath("//ol[@class='brief']/li[span[@class='badge']]")
    assert len(badges) == 1 and badges[0].text.startswith("Passengers were off the vessel")
    removed = root.xpath("//article[@id=$a]//details//tbody/tr", a="art-" + report.articles[0].id)
    assert [tr.xpath("td")[2].text for tr in removed][:2] == ["site chrome", "navigation menu"]
    summary = root.xpath("//article[@id=$a]//details/summary", a="art-" + report.articles[0].id)[0]
    assert summary.text_content().startswith("Removed page furniture: 4 lines")
    rejected = root.xpath("//section[@id='rejections']//tbody/tr/td[3]/text()")
    assert rejected == ["the file is empty", "no article text was found on the page"]


def test_script_in_article_text_is_shown_not_run(report: Report) -> None:
    courier = report.articles[0]
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    courier = dataclasses.replace(
        courier,
        text=courier.text + "\n\n" + hostile,
        title="</title><script>alert(2)</script>",
        url="javascript:alert(3)",
        removed=(*courier.removed, dataclasses.replace(courier.removed[0], text="<b>menu</b>")),
    )
    html = render_html(dataclasses.replace(report, articles=(courier, *report.articles[1:])))
    root = _parse(html)
    assert len(root.xpath("//script")) == 1  # only newsfuse's own
    assert root.xpath("//img") == [] and root.xpath("//b") == []
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert root.xpath("//div[@class='text']")[0].text_content().endswith(hostile)
    assert not any(href.startswith("javascript:") for href in root.xpath("//a/@href"))
    assert "javascript:alert(3)" in root.xpath("//article//dd/code/text()")


def test_every_quote_links_to_its_span_in_its_article(report: Report) -> None:
    root = _parse(render_html(report))
    links = root.xpath("//section[@id='quotes']//a[@class='quote']")
    quotes = {
        ("#q-" + span_anchor(q.span)): (article.id, q.text)
        for article in report.articles
        for q in article.quotes
    }
    assert sorted(link.get("href") for link in links) == sorted(quotes)
    for link in links:
        anchor = link.get("href")[1:]
        target = root.get_element_by_id(anchor)
        assert target.tag == "span" and "quote" in target.get("class")
        article_id, text = quotes[link.get("href")]
        assert target.xpath("ancestor::article")[0].get("id") == "art-" + article_id
        assert _span_text(root, anchor) == text == link.text


def test_quotes_are_grouped_by_speaker_most_quoted_first(report: Report) -> None:
    root = _parse(render_html(report))
    groups = root.xpath("//section[@id='quotes']//table/tbody")
    headings = [g.xpath("tr/th[@scope='rowgroup']")[0].text.strip() for g in groups]
    assert headings == [
        "Tomas Reyl",
        "Maren Holt",
        "a coastguard official",  # a description, as written inside a sentence
        "Vessa Lines",
        "Unattributed",
    ]
    assert [g.get("class") for g in groups] == [
        "speaker named",
        "speaker named",
        "speaker unnamed",
        "speaker named",
        "speaker unattributed",
    ]
    assert [len(g.xpath("tr[td]")) for g in groups] == [4, 2, 1, 1, 1]
    reyl = groups[0].xpath("tr[td]")
    assert [tr.xpath("td")[3].text for tr in reyl] == [
        "Vessa Courier",
        "Vessa Courier",
        "Northlake Press Agency",
        "Lakeside Daily",
    ]
    assert [td.text for td in reyl[2].xpath("td")][::2] == ["direct", "told"]
    assert groups[2].xpath(".//span[@class='badge']/text()") == ["unnamed source"]
    assert groups[4].xpath("tr[td]/td[3]/text()") == ["—"]


def test_entities_are_grouped_by_kind(report: Report) -> None:
    root = _parse(render_html(report))
    section = root.get_element_by_id("entities")
    assert section.xpath("h3/text()") == ["People", "Organisations", "Places", "Other (PRODUCT)"]
    names = section.xpath(".//table[@class='entities']/tbody/tr/td[1]/text()")
    assert names == ["Tomas Reyl", "Maren Holt", "Vessa Lines", "Lake Vessa", "Orrin", "MV Kestrel"]
    reyl = section.xpath(".//tbody/tr")[0]
    assert [td.text for td in reyl.xpath("td")] == [
        "Tomas Reyl",
        "Reyl, coastguard spokesperson Tomas Reyl",
        "4",
        "Lakeside Daily, Northlake Press Agency, Vessa Courier",
    ]


def test_without_story_entities_mentions_are_listed(report: Report) -> None:
    bare = dataclasses.replace(report, story=dataclasses.replace(report.story, entities=()))
    section = _parse(render_html(bare)).get_element_by_id("entities")
    assert section.xpath("h3") == []
    assert "MV Kestrel" in section.xpath(".//table[@class='mentions']/tbody/tr/td[2]/text()")


def test_timeline_is_in_date_order_and_cites_marked_passages(report: Report) -> None:
    root = _parse(render_html(report))
    texts = {article.id: article.text for article in report.articles}
    items = root.xpath("//ol[@class='timeline']/li")
    assert [item.xpath(".//code/text()")[0] for item in items] == [
        "2026-05",
        "2026-06-13",
        "2026-06-15",
        "XXXX-WXX-1",
        "XXXX-WXX-6",
    ]
    assert [item.get("class") for item in items] == [None, None, None, "unanchored", "unanchored"]
    assert items[1].xpath(".//time/@datetime") == ["2026-06-13"]
    assert items[1].xpath(".//time/text()") == ["13 June 2026"]
    assert items[3].xpath(".//time") == []  # an unanchored value is no valid datetime
    assert items[3].xpath(".//span[@class='badge']/text()") == ["not anchored"]
    assert items[3].xpath(".//span[@class='label']/text()") == ["a Monday (date unknown)"]
    labels = [a.text for item in items for a in item.xpath(".//a[@class='cite']")]
    assert labels == [f"[t{n}]" for n in range(1, 7)]
    for item in items:
        for link in item.xpath(".//a[@class='cite']"):
            anchor = link.get("href")[1:]
            target = root.get_element_by_id(anchor)
            assert target.tag == "mark"
            article_id, start, end = anchor.rsplit("-", 2)
            assert target.xpath("ancestor::article")[0].get("id") == "art-" + article_id
            assert _span_text(root, anchor) == texts[article_id][int(start) : int(end)]


def test_a_span_cited_by_brief_and_timeline_has_one_mark(report: Report) -> None:
    span = report.story.brief[0].citations[1]  # also the timeline's [t2]
    root = _parse(render_html(report))
    marks = root.xpath("//mark[@id=$a]", a=span_anchor(span))
    assert len(marks) == 1
    assert marks[0].get("title") == "Cited as [2], [t2]"


def test_nav_links_every_section(report: Report) -> None:
    root = _parse(render_html(report))
    assert root.xpath("//nav/a/@href") == [
        "#notes",
        "#brief",
        "#facts",
        "#conflicts",
        "#quote-variants",
        "#framing",
        "#coverage",
        "#development",
        "#timeline",
        "#sources",
        "#quotes",
        "#entities",
        "#rejections",
    ]
    sections = root.xpath("//main/section/@id")
    assert sections == [href[1:] for href in root.xpath("//nav/a/@href")]


def test_empty_timeline_says_so(report: Report) -> None:
    bare = dataclasses.replace(report, story=dataclasses.replace(report.story, timeline=()))
    section = _parse(render_html(bare)).get_element_by_id("timeline")
    assert section.xpath("p[@class='empty']/text()") == ["No dated events were found."]


def test_story_text_from_entities_quotes_and_timeline_is_escaped(report: Report) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    story = report.story
    entity = dataclasses.replace(story.entities[0], name=hostile, aliases=(hostile,))
    entry = dataclasses.replace(story.timeline[0], text=hostile, when=hostile)
    courier = report.articles[0]
    quote = dataclasses.replace(courier.quotes[0], speaker=hostile, cue=hostile)
    courier = dataclasses.replace(courier, quotes=(quote, *courier.quotes[1:]))
    html = render_html(
        dataclasses.replace(
            report,
            story=dataclasses.replace(
                story,
                entities=(entity, *story.entities[1:]),
                timeline=(entry, *story.timeline[1:]),
            ),
            articles=(courier, *report.articles[1:]),
        )
    )
    root = _parse(html)
    assert root.xpath("//img") == []
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 6


def test_html_is_deterministic(make_report: Callable[[], Report]) -> None:
    assert render_html(make_report()) == render_html(make_report())


# --- mark_up: nested, crossing, identical, adjacent and empty spans ------------------------------


def _cite(start: int, end: int) -> Mark:
    return Mark(start, end, "mark", "cite", anchor=f"m-{start}-{end}")


def test_mark_up_nests_contained_spans_without_splitting() -> None:
    markup = mark_up("abcdefgh", [_cite(2, 4), _cite(0, 8)])
    assert markup == (
        '<mark class="cite" id="m-0-8" data-span="m-0-8">ab'
        '<mark class="cite" id="m-2-4" data-span="m-2-4">cd</mark>efgh</mark>'
    )


def test_mark_up_splits_crossing_spans_into_well_formed_fragments() -> None:
    markup = mark_up("abcdefgh", [_cite(1, 5), _cite(3, 7)])
    assert markup == (
        'a<mark class="cite" id="m-1-5" data-span="m-1-5">bc'
        '<mark class="cite" id="m-3-7" data-span="m-3-7">de</mark></mark>'
        '<mark class="cite cont" data-span="m-3-7">fg</mark>h'
    )


def test_mark_up_handles_identical_adjacent_empty_and_edge_spans() -> None:
    text = "one two"
    marks = [_cite(0, 3), Mark(0, 3, "span", "quote", anchor="q"), _cite(3, 7), _cite(7, 7)]
    root = _fragment(str(mark_up(text, marks)))
    assert _text(root) == text
    assert _span_text(root, "m-0-3") == "one" and _span_text(root, "q") == "one"
    assert _span_text(root, "m-3-7") == " two"
    assert _text(root.xpath("//*[@id='m-7-7']")[0]) == ""


def test_mark_up_escapes_every_slice() -> None:
    text = 'a <b>&amp;</b> "c"'
    markup = str(mark_up(text, [_cite(2, 5), _cite(4, 12)]))
    assert "<b>" not in markup
    assert _text(_fragment(markup)) == text


def test_mark_up_rejects_marks_outside_the_text() -> None:
    with pytest.raises(ValueError, match="outside"):
        mark_up("abc", [_cite(1, 4)])


@pytest.mark.parametrize("seed", range(25))
def test_mark_up_random_overlaps_keep_text_and_every_span(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice("ab <&>\"'\n") for _ in range(rng.randint(0, 40)))
    spans: set[Span] = set()
    for _ in range(rng.randint(0, 12)):
        start = rng.randint(0, len(text))
        spans.add(Span("x", start, rng.randint(start, len(text))))
    marks = [_cite(span.start, span.end) for span in sorted(spans)]
    root = _fragment(str(mark_up(text, marks)))
    assert _text(root) == text
    for span in spans:
        assert _span_text(root, f"m-{span.start}-{span.end}") == text[span.start : span.end]
        assert len(root.xpath("//*[@id=$a]", a=f"m-{span.start}-{span.end}")) == 1


# --- what comparing the outlets found -------------------------------------------------------------


def _bodies(html: str) -> list[etree._Element]:
    """Each article's marked-up text, parsed as XML to prove its tags are well nested."""
    return [_fragment(body) for body in re.findall(r'<div class="text">(.*?)</div>', html, re.S)]


def test_marked_article_texts_are_well_formed_and_complete(report: Report) -> None:
    bodies = _bodies(render_html(report))
    assert [_text(body) for body in bodies] == [article.text for article in report.articles]


def test_every_corroboration_link_lands_on_its_passage(report: Report) -> None:
    root = _parse(render_html(report))
    texts = {article.id: article.text for article in report.articles}
    sections = ["facts", "conflicts", "framing", "development"]
    links = [
        link
        for section in sections
        for link in root.get_element_by_id(section).xpath(".//a[@href]")
        if not link.get("href").startswith(("#fact-", "#conflict-"))
    ]
    assert len(links) == 27
    for link in links:
        anchor = link.get("href")[1:]
        target = root.get_element_by_id(anchor)
        assert target.tag == "mark", anchor
        article_id, start, end = anchor.rsplit("-", 2)
        assert target.xpath("ancestor::article")[0].get("id") == "art-" + article_id
        assert _span_text(root, anchor) == texts[article_id][int(start) : int(end)]


def test_every_fact_links_every_claim(report: Report) -> None:
    root = _parse(render_html(report))
    for fact in report.story.facts:
        item = root.xpath("//li[@id=$a]", a="fact-" + fact.id)[0]
        hrefs = item.xpath(".//p[@class='sources-line']/a/@href")
        assert sorted(hrefs) == sorted("#" + span_anchor(span) for span in fact.claims)


def test_a_span_cited_by_brief_fact_conflict_and_phase_has_one_mark(report: Report) -> None:
    span = report.story.brief[0].citations[0]  # the Courier's first sentence
    root = _parse(render_html(report))
    marks = root.xpath("//*[@data-span=$a]", a=span_anchor(span))
    assert len(marks) == 1
    assert marks[0].get("class") == "cite"
    assert marks[0].get("title") == "Cited as [1], F1, C1, P1"


def test_claims_and_framing_words_are_marked_quietly(report: Report) -> None:
    root = _parse(render_html(report))
    single = next(f for f in report.story.facts if f.status == "single_source")
    claim = root.get_element_by_id(span_anchor(single.claims[0]))
    assert claim.tag == "mark" and claim.get("class") == "claim"
    blaze = next(t for t in report.story.framing if t.term == "blaze").citations[0]
    marks = root.xpath("//*[@data-span=$a]", a=span_anchor(blaze))
    assert len(marks) == 1  # a loaded word and a choice: one mark
    assert marks[0].get("class") == "term"
    assert marks[0].get("title") == "Framing: blaze (loaded), blaze (choice: incident)"


def test_facts_show_bar_status_and_sources_single_source_collapsed(report: Report) -> None:
    section = _parse(render_html(report)).get_element_by_id("facts")
    lead = section.xpath("ul[@class='facts']/li")
    single = section.xpath("details/ul[@class='facts']/li")
    assert [li.xpath(".//span[@class='fact-label']/text()")[0] for li in lead] == ["F1", "F2", "F3"]
    assert [li.xpath(".//span[@class='fact-label']/text()")[0] for li in single] == ["F4", "F5"]
    assert section.xpath("details/summary")[0].text.startswith("Single-source facts (2)")
    assert [li.xpath(".//span[contains(@class, 'badge')]/text()")[0] for li in lead + single] == [
        "disputed",
        "corroborated",
        "corroborated",
        "single source",
        "single source",
    ]
    bars = [li.xpath(".//span[@class='bar']")[0] for li in lead + single]
    assert [bar.text_content() for bar in bars] == ["■■■", "■■□", "■■■", "■□□", "■□□"]
    assert [bar.xpath("span[@class='on']/text()")[0] for bar in bars] == [
        "■■■",
        "■■",
        "■■■",
        "■",
        "■",
    ]
    assert bars[1].get("aria-label") == "2 of 3 outlets"
    first = lead[0]
    assert first.xpath(".//span[@class='independent']/text()") == ["2 independent sources"]
    assert first.xpath(".//code/text()") == ["2026-06-13"]
    assert first.xpath(".//a[@class='conflict-link']/@href") == [
        "#conflict-" + report.story.conflicts[0].id
    ]
    assert [a.text for a in first.xpath(".//p[@class='sources-line']/a")] == [
        "Northlake Press Agency",
        "Vessa Courier",
        "Lakeside Daily",
    ]


def test_conflict_sides_stand_side_by_side_with_their_passages(report: Report) -> None:
    root = _parse(render_html(report))
    (conflict,) = root.get_element_by_id("conflicts").xpath("div[@class='conflict number']")
    assert conflict.xpath("h3")[0].text_content() == "C1 Figures differ: people in F1"
    assert conflict.xpath("h3//a/@href") == ["#fact-" + report.story.facts[0].id]
    sides = conflict.xpath(".//div[@class='side']")
    assert [side.xpath("p[@class='value']/text()")[0] for side in sides] == ["210", "212"]
    assert [side.xpath("p[@class='outlets']/text()")[0] for side in sides] == [
        "Lakeside Daily, Northlake Press Agency",
        "Vessa Courier",
    ]
    assert [len(side.xpath("blockquote")) for side in sides] == [2, 1]
    assert sides[1].xpath("blockquote")[0].text_content().startswith("Vessa Courier: LAKE VESSA:")


def test_quote_variants_diff_with_del_and_ins_and_link_their_spans(report: Report) -> None:
    root = _parse(render_html(report))
    (group,) = root.get_element_by_id("quote-variants").xpath("div[@class='quote-group']")
    assert group.xpath("h3/span[contains(@class, 'badge')]/text()") == ["substantive change"]
    rows = group.xpath(".//tbody/tr")
    assert [row.get("class") for row in rows] == ["exact", "minor", "substantive"]
    cells = [row.xpath("td[@class='diff']")[0] for row in rows]
    assert cells[0].xpath("del|ins") == []
    assert [e.tag + ":" + e.text for e in cells[1].xpath("del|ins")] == ["ins:of"]
    assert [e.tag + ":" + e.text for e in cells[2].xpath("del|ins")] == [
        "del:every passenger was",
        "ins:all passengers were",
        "del:the vessel",
    ]
    assert cells[2].text_content() == (
        "every passenger was all passengers were off the vessel within 25 minutes"
    )
    for row, variant in zip(rows, report.story.quote_groups[0].variants, strict=True):
        link = row.xpath(".//a[@class='quote']")[0]
        anchor = link.get("href")[1:]
        assert anchor == "q-" + span_anchor(variant.span)
        assert _span_text(root, anchor) == variant.text == link.text


def test_framing_tables_and_choice_matrix(report: Report) -> None:
    section = _parse(render_html(report)).get_element_by_id("framing")
    terms = section.xpath(".//table[@class='framing-terms']/tbody/tr")
    assert [tr.xpath("th/text()")[0] for tr in terms] == [
        "Lakeside Daily",
        "Northlake Press Agency",
        "Vessa Courier",
    ]
    assert [td.text_content() for td in terms[2].xpath("td")] == ["blaze ×1", "—"]
    matrix = section.xpath(".//table[@class='framing-choices']")[0]
    assert matrix.xpath("thead/tr/th/text()") == ["Outlet", "incident", "speech"]
    rows = {
        tr.xpath("th/text()")[0]: [td.text_content() for td in tr.xpath("td")]
        for tr in matrix.xpath("tbody/tr")
    }
    assert rows == {
        "Lakeside Daily": ["fire ×1", "told ×1"],
        "Northlake Press Agency": ["fire ×2[2]", "told ×1"],
        "Vessa Courier": ["blaze ×1, fire ×1", "said ×2[2]"],
    }


def test_coverage_gaps_link_to_the_facts(report: Report) -> None:
    root = _parse(render_html(report))
    section = root.get_element_by_id("coverage")
    assert section.xpath("h3")[0].text_content() == "Lakeside Daily · leaves out 1 fact"
    (item,) = section.xpath("ul[@class='gap']/li")
    engine = report.story.coverage_gaps[0].missing_fact_ids[0]
    assert item.xpath("a/@href") == ["#fact-" + engine]
    assert item.text_content() == "F2 The coastguard said the fire broke out in the engine room."
    assert root.get_element_by_id("fact-" + engine).tag == "li"


def test_phases_in_order_with_date_or_its_absence(report: Report) -> None:
    items = _parse(render_html(report)).xpath("//ol[@class='phases']/li")
    assert [li.xpath(".//strong/text()")[0] for li in items] == [
        "fire and evacuation",
        "crossings suspended",
    ]
    heads = [li.xpath("div[@class='when']")[0].text_content() for li in items]
    assert heads == [
        "fire and evacuation · first published 2026-06-13 · 2 articles",
        "crossings suspended · publication date unknown · 1 article",
    ]
    assert [a.text for a in items[0].xpath(".//p[@class='sources-line']/a")] == [
        "Vessa Courier",
        "Northlake Press Agency",
    ]


def test_notes_section_first_and_only_with_notes(report: Report) -> None:
    root = _parse(render_html(report))
    assert root.xpath("//main/section")[0].get("id") == "notes"
    assert root.xpath("//section[@id='notes']//li/text()") == [
        "1 article(s) not in English, not aligned: inbox/vessa_posten.txt"
    ]
    bare = dataclasses.replace(report, story=dataclasses.replace(report.story, notes=()))
    root = _parse(render_html(bare))
    assert root.xpath("//section[@id='notes']") == []
    assert "#notes" not in root.xpath("//nav/a/@href")


def test_empty_corroboration_sections_say_so_and_links_still_resolve(report: Report) -> None:
    story = dataclasses.replace(
        report.story,
        facts=(),
        conflicts=(),
        quote_groups=(),
        framing=(),
        coverage_gaps=(),
        phases=(),
    )
    root = _parse(render_html(dataclasses.replace(report, story=story)))
    for section in ("facts", "conflicts", "quote-variants", "framing", "coverage", "development"):
        assert root.get_element_by_id(section).xpath("p[@class='empty']"), section
    ids = set(root.xpath("//@id"))
    assert {h[1:] for h in root.xpath("//a/@href") if h.startswith("#")} <= ids


def test_corroboration_text_is_escaped(report: Report) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    story = report.story
    fact = dataclasses.replace(story.facts[0], text=hostile, when=hostile)
    conflict = story.conflicts[0]
    side = dataclasses.replace(conflict.sides[0], value=hostile, outlets=(hostile,))
    conflict = dataclasses.replace(conflict, subject=hostile, sides=(side, *conflict.sides[1:]))
    group = story.quote_groups[0]
    variant = group.variants[2]
    step = dataclasses.replace(variant.diff[0], reference=hostile, variant=hostile)
    variant = dataclasses.replace(variant, diff=(step, *variant.diff[1:]), outlet=hostile)
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
    html = render_html(dataclasses.replace(report, story=story))
    root = _parse(html)
    assert root.xpath("//img") == []
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 14
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_a_bidi_override_in_a_title_is_isolated(report: Report) -> None:
    """A right-to-left override (U+202E) in a title used to reverse everything after it on the
    line; each title is isolated (<bdi> in the page, FSI...PDI in the window title)."""
    hostile = "Strike \u202eends today"
    courier = dataclasses.replace(report.articles[0], title=hostile)
    html = render_html(
        dataclasses.replace(
            report,
            story=dataclasses.replace(report.story, title=hostile),
            articles=(courier, *report.articles[1:]),
        )
    )
    root = _parse(html)
    assert root.xpath("//h1/bdi")[0].text == hostile
    assert hostile in [element.text for element in root.xpath("//article//strong/bdi")]
    assert root.xpath("//title")[0].text.startswith(f"\u2068{hostile}\u2069")
