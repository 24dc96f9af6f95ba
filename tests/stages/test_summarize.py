"""The cited brief: what it prefers, what it flags, and that every citation holds up.

Hand-made articles (sentence spans given directly, so no model is needed) pin down the ranking rules;
the bundled example story and the seeds, run through the whole pipeline, check the issue's cases on
real text: each fact once, what changed first, references resolved, a title that takes no side.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factories import make_article
from newsfuse.config import SummarizeSettings, load_settings
from newsfuse.models import Article, CitedSentence, Fact, Report, Span, Story
from newsfuse.pipeline import run
from newsfuse.stages.brief.concepts import inside
from newsfuse.stages.extract.claims import dateline_end
from newsfuse.stages.summarize import BriefContext, build_story

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _article(outlet: str, sentences: list[str], title: str | None = None) -> Article:
    """An annotated-looking article whose sentences are the given strings, one after another."""
    return make_article(sentences, outlet=outlet, title=title)


CORE = "Dock workers in Merrow walked out on Monday over a dispute about pay and night shifts."
ALONE = "A local bakery near the quay reported selling unusually many pastries to waiting drivers."
STORY = [
    _article(
        "Alpha",
        [ALONE, CORE, "The port authority said talks with the union would resume next week."],
        "Merrow dock workers strike over pay",
    ),
    _article(
        "Beta",
        [
            "Merrow dock workers walked out on Monday in a dispute over pay and night shifts.",
            "Union leaders said talks with the port authority would resume next week.",
        ],
        "Strike halts Merrow docks",
    ),
    _article(
        "Gamma",
        [
            "Workers at the Merrow docks walked out on Monday over pay and night shifts.",
            "Cargo ships queued outside the harbour as cranes stood idle through the afternoon.",
        ],
        "Merrow port strike",
    ),
]


def _story(articles: list[Article], sentences: int = 8, max_words: int | None = None) -> Story:
    return build_story(
        articles, SummarizeSettings(brief_sentences=sentences), "h", max_words=max_words
    )


def test_corroborated_sentence_comes_first() -> None:
    brief = _story(STORY, sentences=1).brief
    assert len(brief) == 1
    assert "walked out on Monday" in brief[0].text
    assert brief[0].outlets == ("Alpha", "Beta", "Gamma")
    assert not brief[0].single_source
    assert len(brief[0].citations) == 3  # its own span and one passage per other outlet


def test_single_source_sentence_is_flagged() -> None:
    brief = _story(STORY).brief
    alone = [s for s in brief if s.text == ALONE]
    assert alone, "a long enough brief also carries what only one outlet reports"
    assert alone[0].single_source
    assert alone[0].outlets == ("Alpha",)
    assert len(alone[0].citations) == 1


def test_the_same_statement_appears_once() -> None:
    brief = _story(STORY).brief
    walkouts = [s for s in brief if "walked out" in s.text]
    assert len(walkouts) == 1  # three outlets' wordings of one fact are one brief sentence


def test_brief_respects_sentence_and_word_limits() -> None:
    assert len(_story(STORY, sentences=2).brief) == 2
    brief = _story(STORY, max_words=20).brief
    words = [len(s.text.split()) for s in brief]
    assert words and sum(words[:-1]) < 20  # whole sentences, stopping once 20 words are reached
    assert len(brief) < len(_story(STORY).brief)


def test_a_different_figure_is_no_support() -> None:
    articles = [
        _article("Alpha", ["Officials said 38 ships were stranded outside the harbour on Monday."]),
        _article("Beta", ["Officials said 41 ships were stranded outside the harbour on Monday."]),
    ]
    for sentence in _story(articles).brief:
        assert sentence.single_source
        assert len(sentence.citations) == 1


def test_same_input_in_any_order_gives_the_same_brief() -> None:
    first = _story(STORY)
    assert _story(list(reversed(STORY))) == first
    assert _story(STORY) == first


def test_an_outlet_quoted_whole_is_cited_once_and_counted() -> None:
    """Gamma carries the walkout only inside a two-sentence quotation, whose pieces are no brief
    candidates: a sentence stating the fact still cites Gamma once (its closest claim, not both)
    and names Gamma among its outlets, as for an outlet whose sentence could have been chosen."""
    gamma = _article(
        "Gamma",
        [
            "“Dock workers in Merrow walked out on Monday over pay and night shifts.",
            "They will stay out until the port authority restores the night rate,” a union "
            "official told reporters at the gate.",
        ],
    )
    alpha, beta = STORY[0], STORY[1]
    claims = (alpha.sentences[1], beta.sentences[0], *gamma.sentences)
    fact = Fact("fct_walkout", CORE, claims, ("Alpha", "Beta", "Gamma"), 3, "corroborated")
    story = build_story(
        [alpha, beta, gamma], SummarizeSettings(), "h", context=BriefContext(facts=(fact,))
    )
    (first,) = [s for s in story.brief if "walked out on Monday" in s.text]
    assert first.outlets == ("Alpha", "Beta", "Gamma")
    cited = [s for s in first.citations if s.article_id == gamma.id]
    assert cited == [gamma.sentences[0]]  # the claim that reads like the sentence


@pytest.fixture(scope="module")
def example_report(examples_dir: Path) -> Report:
    return run([str(examples_dir)], load_settings())


_BRACKETS = re.compile(r"\[[^\]]*\]")


def _own_span(sentence: CitedSentence, articles: dict[str, Article]) -> Span | None:
    """The span a brief sentence was taken from: its text, with display brackets read as any text."""
    pattern = re.compile(
        ".+?".join(re.escape(part) for part in _BRACKETS.split(sentence.text)) + "$", re.DOTALL
    )
    return next(
        (s for s in sentence.citations if pattern.search(articles[s.article_id].slice(s))), None
    )


def test_example_brief_cites_the_facts_it_states(example_report: Report) -> None:
    """Each sentence cites its own span and every claim of the facts it states, except claims giving
    another figure for a number the outlets dispute; its outlets are those claims', its
    single-source mark the facts' (the Facts section's), and a figure it gives is in its span."""
    articles = {a.id: a for a in example_report.articles}
    facts = example_report.story.facts
    for sentence in example_report.story.brief:
        if sentence.text.startswith("Reports differ"):
            continue
        own = _own_span(sentence, articles)
        assert own is not None, sentence.text
        shown = _BRACKETS.sub("", sentence.text)
        figures = {n.replace(",", "") for n in _NUMBER.findall(shown)}
        assert figures <= {
            n.replace(",", "") for n in _NUMBER.findall(articles[own.article_id].slice(own))
        }
        stated = [
            f
            for f in facts
            if any(c.article_id == own.article_id and inside(c, own) for c in f.claims)
        ]
        assert stated, sentence.text
        other_figures = {
            span
            for c in example_report.story.conflicts
            if c.kind == "number" and c.fact_id in {f.id for f in stated}
            for side in c.sides
            if side.value not in figures
            for span in side.citations
        }
        claims = {c for f in stated for c in f.claims} - other_figures
        cited = set(sentence.citations)
        # every outlet behind the facts it states is cited, by one passage of each fact at most
        assert {articles[c.article_id].source_name for c in claims} <= {
            articles[c.article_id].source_name for c in cited
        }
        for fact in stated:
            outlets = [articles[c.article_id].source_name for c in fact.claims if c in cited]
            assert len(outlets) == len(set(outlets)), (sentence.text, outlets)
        assert not other_figures & (set(sentence.citations) - {own})
        assert sentence.single_source == all(f.independent_sources < 2 for f in stated)
        assert set(sentence.outlets) == {articles[c.article_id].source_name for c in claims} | {
            articles[own.article_id].source_name
        }


def test_example_brief_prefers_corroboration_and_avoids_repeats(example_report: Report) -> None:
    brief = example_report.story.brief
    assert len(brief) <= load_settings().summarize.brief_sentences
    corroborated = [s for s in brief if not s.single_source]
    assert len(corroborated) >= len(brief) - len(corroborated)
    _assert_each_fact_once(example_report)


def test_no_brief_sentence_opens_with_a_wire_dateline(example_report: Report) -> None:
    """The wire copy's "PORT MERROW, March 11 (CPA) -" sits after a line of site furniture, so it
    is not the article's first sentence; a brief sentence still never shows it."""
    texts = [s.text for s in example_report.story.brief]
    assert not [t for t in texts if dateline_end(t)]
    assert not [t for t in texts if "(CPA)" in t]


def test_example_brief_is_deterministic(examples_dir: Path, example_report: Report) -> None:
    again = run([str(examples_dir)], load_settings())
    assert again.story.brief == example_report.story.brief


def _assert_each_fact_once(report: Report) -> None:
    articles = {a.id: a for a in report.articles}
    seen: dict[str, str] = {}
    for sentence in report.story.brief:
        own = _own_span(sentence, articles)
        if own is None:
            continue
        for fact in report.story.facts:
            if any(c.article_id == own.article_id and inside(c, own) for c in fact.claims):
                assert fact.id not in seen, (seen[fact.id], sentence.text)
                seen[fact.id] = sentence.text
