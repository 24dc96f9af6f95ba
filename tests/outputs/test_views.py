"""The views both human-readable reports share: outlet names, speaker groups and entity groups."""

from __future__ import annotations

import dataclasses

import pytest

from newsfuse.models import Entity, Quote, Report, Span
from newsfuse.outputs.html import render_html
from newsfuse.outputs.json import articles_by_id
from newsfuse.outputs.markdown import render_markdown
from newsfuse.outputs.views import UNATTRIBUTED, entity_groups, outlet_name, speaker_groups
from newsfuse.stages.summarize import outlet_key


def _with_quotes(report: Report, *speakers: str | None) -> Report:
    """The report with only these quotes: one per speaker given, all in the Courier."""
    courier, *others = report.articles
    template = courier.quotes[0]
    quotes = tuple(
        dataclasses.replace(template, speaker=speaker, speaker_span=None) for speaker in speakers
    )
    articles = (
        dataclasses.replace(courier, quotes=quotes),
        *(dataclasses.replace(article, quotes=()) for article in others),
    )
    return dataclasses.replace(report, articles=articles)


def test_speakers_tie_on_count_by_name_and_unattributed_is_last_even_when_largest(
    report: Report,
) -> None:
    bare = dataclasses.replace(report, story=dataclasses.replace(report.story, entities=()))
    groups = speaker_groups(
        _with_quotes(bare, None, "zed officials", "Bea", None, None, "Zed", "Bea")
    )
    assert [(g.speaker, len(g.rows)) for g in groups] == [
        ("Bea", 2),
        ("Zed", 1),
        ("zed officials", 1),
        (UNATTRIBUTED, 3),
    ]
    assert [g.kind for g in groups] == ["named", "named", "unnamed", "unattributed"]


def test_things_a_text_attributes_to_come_after_every_speaker(report: Report) -> None:
    # PolNeAR-style attributions to things ("The talks focused on …") stay listed, after the
    # people and bodies; a place is a thing too, a description naming a body or document is not.
    span = report.story.entities[0].mentions[0]
    tora = Entity("e9", "Tora Bora", "LOC", (), (span,))
    story = dataclasses.replace(report.story, entities=(*report.story.entities, tora))
    groups = speaker_groups(
        _with_quotes(
            dataclasses.replace(report, story=story),
            "The talks", "The talks", "evidence", "Tora Bora", "the union", "a Gallup poll",
            "Bernie Sanders",
        )
    )  # fmt: skip
    kinds = {g.speaker: g.kind for g in groups}
    assert kinds == {
        "the talks": "thing",
        "evidence": "thing",
        "Tora Bora": "thing",
        "the union": "unnamed",
        "a Gallup poll": "unnamed",
        "Bernie Sanders": "named",  # a name the model did not tag is still someone
    }
    assert [g.kind for g in groups].index("thing") == 3


def test_unnamed_sources_are_each_their_own_group(report: Report) -> None:
    groups = speaker_groups(
        _with_quotes(report, "two officials", "a Pakistani security official", "Officials")
    )
    kinds = {g.speaker: g.kind for g in groups}
    assert kinds["two officials"] == "unnamed"
    assert kinds["a Pakistani security official"] == "unnamed"
    assert kinds["Officials"] == "named"  # capitalised and no determiner: taken as a name


def test_a_description_is_one_speaker_whatever_its_case(report: Report) -> None:
    groups = speaker_groups(
        _with_quotes(report, "The union", "the union", "A spokesperson", "a spokesperson")
    )
    counts = {g.speaker: (len(g.rows), g.kind) for g in groups}
    assert counts == {"the union": (2, "unnamed"), "a spokesperson": (2, "unnamed")}


def test_an_alias_shared_by_two_entities_does_not_merge_speakers(report: Report) -> None:
    span = report.story.entities[0].mentions[0]
    holt = Entity("e1", "Maren Holt", "PERSON", ("Holt",), (span,))
    other = Entity("e2", "Jon Holt", "PERSON", ("Holt",), (span,))
    story = dataclasses.replace(report.story, entities=(holt, other))
    groups = speaker_groups(_with_quotes(dataclasses.replace(report, story=story), "Holt"))
    assert "Holt" in {g.speaker for g in groups}


def test_entities_of_unknown_labels_follow_the_known_groups(report: Report) -> None:
    span = Span(report.articles[0].id, 0, 4)
    extra = (
        Entity("e1", "Summit", "EVENT", (), (span,)),
        Entity("e2", "Ferry Act", "LAW", (), (span,)),
        Entity("e3", "Vessans", "NORP", (), (span, span)),  # a repeated span counts once
    )
    story = dataclasses.replace(report.story, entities=(*report.story.entities, *extra))
    changed = dataclasses.replace(report, story=story)
    groups = entity_groups(changed, articles_by_id(changed))
    assert [g.title for g in groups] == [
        "People",
        "Organisations",
        "Places",
        "Groups",
        "Events",
        "Other (LAW)",
        "Other (PRODUCT)",
    ]
    groups_by_title = {g.title: g for g in groups}
    assert groups_by_title["Groups"].entities[0].mentions == 1
    assert groups_by_title["Groups"].entities[0].outlets == ("Vessa Courier",)


def test_quotes_keep_text_order_within_an_article(report: Report) -> None:
    courier = report.articles[0]
    reversed_quotes = tuple(reversed(courier.quotes))
    changed = dataclasses.replace(
        report,
        articles=(dataclasses.replace(courier, quotes=reversed_quotes), *report.articles[1:]),
    )
    reyl = speaker_groups(changed)[0]
    quotes: list[Quote] = [row.quote for row in reyl.rows]
    assert [q.text for q in quotes[:2]] == [
        "Every passenger was off the vessel within 25 minutes",
        "Nobody was seriously hurt.",
    ]


@pytest.mark.parametrize(
    ("outlet", "origin"),
    [
        ("Vessa Courier", "inbox/vessa-courier.txt"),
        (None, "/work/inbox/001_story.txt"),
        (None, "<stdin>"),
        (None, "https://example.org/news/ferry-fire"),
        ("", "inbox/npa.jsonl:3"),
    ],
)
def test_outlet_name_is_the_name_the_stages_use(
    report: Report, outlet: str | None, origin: str
) -> None:
    """Facts, framing and the brief name outlets with the stages' key; the reports must match."""
    article = dataclasses.replace(report.articles[0], outlet=outlet, origin=origin)
    assert outlet_name(article) == outlet_key(article)


def test_reports_mark_things_apart_from_speakers(report: Report) -> None:
    changed = _with_quotes(report, "The talks", "a coastguard official")
    markdown = render_markdown(changed)
    assert "### the talks · 1 quote *(not a speaker: a thing or event the text attributes to)*" in (
        markdown
    )
    assert "### a coastguard official · 1 quote *(unnamed source)*" in markdown
    html = render_html(changed)
    assert html.count(">not a speaker</span>") == 1
