"""The brief an editor would sign (issue 15), on the seeds and the example run end to end, and on
hand-made articles where a rule needs pinning down: each fact once, what changed first, the story's
order, references resolved with the naming passage cited, quotations whole, a title that takes no
side, and a disputed figure followed by both sides.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factories import make_article
from newsfuse.config import SummarizeSettings, load_settings
from newsfuse.models import (
    Article,
    Conflict,
    ConflictSide,
    Fact,
    FramingTerm,
    Report,
    Span,
)
from newsfuse.pipeline import run
from newsfuse.stages.brief.standalone import resolve
from newsfuse.stages.brief.title import neutral_title
from newsfuse.stages.summarize import BriefContext, build_story


@pytest.fixture(scope="module")
def seeds_report(seeds_dir: Path) -> Report:
    return run([str(seeds_dir)], load_settings())


@pytest.fixture(scope="module")
def example_report(examples_dir: Path) -> Report:
    return run([str(examples_dir)], load_settings())


def _article_with(report: Report, words: str) -> Article:
    return next(a for a in report.articles if words in a.text)


def _sentence_with(article: Article, words: str) -> Span:
    return next(s for s in article.sentences if words in article.slice(s))


def test_seeds_brief_does_not_repeat_itself(seeds_report: Report) -> None:
    texts = [s.text for s in seeds_report.story.brief]
    assert sum("verifiable" in t and "effective action" in t for t in texts) <= 1
    assert sum("Tarar" in t and "confirmed" in t for t in texts) <= 1


def test_seeds_brief_leads_with_the_latest_phase_then_keeps_the_story_order(
    seeds_report: Report,
) -> None:
    story = seeds_report.story
    assert [p.label for p in story.phases] == ["breakdown", "continuation"]
    phase_of = {a: n for n, p in enumerate(story.phases) for a in p.article_ids}
    articles = {a.id: a for a in seeds_report.articles}
    owners = []
    for sentence in story.brief:
        # its own passage: the text with each resolved [name] read as the words it replaced
        shown = ".+?".join(re.escape(p) for p in re.split(r"\[[^\]]*\]", sentence.text))
        own = next(
            s
            for s in sentence.citations
            if re.fullmatch(shown, articles[s.article_id].slice(s), re.DOTALL)
        )
        owners.append(phase_of.get(own.article_id, 0))
    assert owners[0] == 1  # what changed: talks extended / to reopen
    assert owners[1:] == sorted(owners[1:])


def test_example_brief_opens_with_the_suspension(example_report: Report) -> None:
    first = example_report.story.brief[0]
    assert "72 hours" in first.text and "suspend" in first.text
    latest = example_report.story.phases[-1]
    assert latest.label == "continuation"
    assert any(span.article_id in latest.article_ids for span in first.citations)


def test_example_title_takes_no_side(example_report: Report) -> None:
    title = example_report.story.title
    disputed = {side.value for c in example_report.story.conflicts for side in c.sides}
    assert {"38", "41"} <= disputed
    assert not set(re.findall(r"\d+", title)) & disputed
    loaded = {t.term.lower() for t in example_report.story.framing if t.kind == "loaded"}
    assert not any(word in title.lower() for word in loaded)
    articles = {a.id: a for a in example_report.articles}
    latest = example_report.story.phases[-1]
    assert title in {articles[a].title for a in latest.article_ids}


def test_no_brief_sentence_cuts_a_quotation(seeds_report: Report, example_report: Report) -> None:
    for report in (seeds_report, example_report):
        for sentence in report.story.brief:
            assert sentence.text.count("“") == sentence.text.count("”"), sentence.text
            assert sentence.text.count('"') % 2 == 0, sentence.text


def test_the_minister_is_resolved_and_the_naming_passage_cited(seeds_report: Report) -> None:
    article = _article_with(seeds_report, "the minister thanked Qatar")
    span = _sentence_with(article, "the minister thanked Qatar")
    shown = resolve(article, span, article.slice(span))
    assert "[Attaullah Tarar] thanked Qatar and Turkey" in shown.text
    assert "the minister thanked" not in shown.text
    # the article names him "Atta Tarar"; the display uses the story's canonical name
    assert [article.slice(s) for s in shown.citations] == ["Atta Tarar"]
    assert all(s.end <= span.start for s in shown.citations)  # named earlier in the article


def test_a_surname_alone_gets_the_full_name(seeds_report: Report) -> None:
    article = _article_with(seeds_report, "Asif also accused the Taliban of pushing")
    span = _sentence_with(article, "Asif also accused the Taliban of pushing")
    shown = resolve(article, span, article.slice(span))
    assert shown.text.startswith("[Khawaja Asif] also accused the Taliban")
    assert [article.slice(s) for s in shown.citations] == ["Khawaja Asif"]


def test_resolved_brief_sentences_cite_the_name(seeds_report: Report) -> None:
    articles = {a.id: a for a in seeds_report.articles}
    for sentence in seeds_report.story.brief:
        for name in re.findall(r"\[([^\]]+)\]", sentence.text):
            surname = name.split()[-1]
            assert any(
                articles[s.article_id].slice(s).endswith(surname) for s in sentence.citations
            )


def _article(outlet: str, sentences: list[str], title: str) -> Article:
    return make_article(sentences, outlet=outlet, title=title)


def test_a_disputed_figure_is_followed_by_both_sides() -> None:
    alpha = _article(
        "Alpha",
        ["Officials said 41 ships were stranded outside the harbour of Merrow on Monday."],
        "Port Merrow talks collapse, 41 ships stranded",
    )
    beta = _article(
        "Beta",
        ["Officials said 38 ships were stranded outside the harbour of Merrow on Monday."],
        "Port Merrow talks collapse as strike enters third day",
    )
    spans = (alpha.sentences[0], beta.sentences[0])
    fact = Fact("fct_ships", spans[0] and alpha.slice(spans[0]), spans, ("Alpha", "Beta"), 2,
                "disputed")  # fmt: skip
    conflict = Conflict(
        "cfl_ships",
        fact.id,
        "number",
        "ship",
        (
            ConflictSide("38", (spans[1],), ("Beta",)),
            ConflictSide("41", (spans[0],), ("Alpha",)),
        ),
    )
    loaded = FramingTerm("Alpha", "stranded", "loaded", (spans[0],))
    story = build_story(
        [alpha, beta],
        SummarizeSettings(),
        "h",
        context=BriefContext(facts=(fact,), conflicts=(conflict,), framing=(loaded,)),
    )
    texts = [s.text for s in story.brief]
    assert len(texts) == 2  # one sentence for the fact (stated once), then both sides
    assert texts[1] == "Reports differ on a figure: 38 (Beta); 41 (Alpha)."
    assert set(story.brief[1].citations) == set(spans)
    assert story.title.startswith("Port Merrow talks collapse")
    assert "41" not in story.title and "stranded" not in story.title


def test_neutral_title_cuts_the_side_taking_part() -> None:
    articles = [
        _article("A", ["Text one of enough words to be a sentence here."], title)
        for title in (
            "Militant union holds nation to ransom as Port Merrow talks collapse",
            "Calderra dock strike talks break down, 41 ships stranded at Port Merrow",
        )
    ]
    title = neutral_title(articles, (), disputed={"41", "38"}, loaded={"militant"})
    assert title == "Calderra dock strike talks break down"


def test_he_said_after_a_quotation_names_the_subject_before_it(seeds_report: Report) -> None:
    article = _article_with(seeds_report, "it will gouge out its eyes,” he said")
    span = _sentence_with(article, "it will gouge out its eyes,” he said")
    shown = resolve(article, span, article.slice(span))
    assert "its eyes,” [Khawaja Asif] said" in shown.text  # not Tarar, named later in that sentence
    assert [article.slice(s) for s in shown.citations] == ["Khawaja Asif"]
