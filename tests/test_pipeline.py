"""End to end on real text: the bundled example story and the five seed reports.

These tests check the contract every stage relies on: every span slices out exactly what its record
says, the brief cites real passages of other outlets, and the same input gives the same bytes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from newsfuse import pipeline
from newsfuse.config import Settings, load_settings
from newsfuse.models import Article, RawDocument, Rejection, Report, Span
from newsfuse.outputs.json import load_report_schema, render_json
from newsfuse.pipeline import prepare_articles, run
from newsfuse.stages.extract import annotate
from newsfuse.stages.ingest.files import read_inputs


@pytest.fixture(scope="module")
def example_report(examples_dir: Path) -> Report:
    return run([str(examples_dir)], load_settings())


@pytest.fixture(scope="module")
def seeds_report(seeds_dir: Path) -> Report:
    return run([str(seeds_dir)], load_settings())


def _check_spans(report: Report) -> None:
    articles = {a.id: a for a in report.articles}
    for article in report.articles:
        for span in article.sentences:
            assert (
                article.text[span.start : span.end].strip() == article.text[span.start : span.end]
            )
        for mention in article.mentions:
            assert article.slice(mention.span) == mention.text
        for quote in article.quotes:
            assert article.slice(quote.span) == quote.text
            if quote.speaker_span is not None:
                assert quote.speaker_span.article_id == article.id
                assert quote.speaker_span.end <= len(article.text)
        for claim in article.claims:
            assert article.slice(claim.span) == claim.text
    for sentence in report.story.brief:
        assert sentence.citations, sentence.text
        cited = [articles[s.article_id].slice(s) for s in sentence.citations]
        if sentence.text.startswith("Reports differ on"):  # both sides of a disputed figure
            assert len(cited) >= 2
            continue
        # the brief's words are an outlet's own words, except a reference resolved in brackets
        own = re.compile(
            ".+?".join(re.escape(p) for p in re.split(r"\[[^\]]*\]", sentence.text)) + "$",
            re.DOTALL,
        )
        assert any(own.match(passage) for passage in cited), sentence.text
        if len(sentence.outlets) == 1:  # one outlet never corroborates itself
            assert sentence.single_source


@pytest.mark.parametrize("fixture", ["example_report", "seeds_report"])
def test_every_span_slices_its_record(fixture: str, request: pytest.FixtureRequest) -> None:
    _check_spans(request.getfixturevalue(fixture))


def test_example_story_is_fully_reported(example_report: Report) -> None:
    assert len(example_report.articles) == 8
    assert example_report.rejections == ()
    brief = example_report.story.brief
    assert 4 <= len(brief) <= load_settings().summarize.brief_sentences
    # the strike's core facts are corroborated by several outlets
    assert max(len(s.outlets) for s in brief) >= 4
    formats = {a.extractor for a in example_report.articles}
    assert formats == {"text-cleaner", "trafilatura"}


def test_brief_never_cites_a_conflicting_figure(example_report: Report) -> None:
    """Outlets disagree on 38 vs 41 stranded ships: neither figure may be cited as the other's support."""
    articles = {a.id: a for a in example_report.articles}
    for sentence in example_report.story.brief:
        for figure, other in (("38", "41"), ("41", "38")):
            if f"{figure} ships" in sentence.text and f"{other} ships" not in sentence.text:
                for span in sentence.citations:
                    cited = articles[span.article_id].slice(span)
                    # a passage that reports the dispute itself gives both figures
                    assert f"{other} ships" not in cited or figure in cited, cited


def test_seed_brief_cites_several_outlets(seeds_report: Report) -> None:
    assert len(seeds_report.articles) == 5
    outlets = {o for s in seeds_report.story.brief for o in s.outlets}
    assert len(outlets) >= 4
    assert any(len(s.outlets) >= 3 for s in seeds_report.story.brief)


def test_seed_quotes_have_their_speakers(seeds_report: Report) -> None:
    quotes = {q.text[:40]: q for a in seeds_report.articles for q in a.quotes}

    def speaker_of(start: str) -> str | None:
        matches = [q for key, q in quotes.items() if key.startswith(start)]
        assert matches, start
        return matches[0].speaker

    assert speaker_of("We have borne your treachery") == "Khawaja Asif"
    assert speaker_of("We will carry out strikes") == "Khawaja Asif"
    assert speaker_of("Let me assure them") == "Khawaja Asif"
    assert speaker_of("The government in Kabul has been penetra") == "Khawaja Asif"
    assert speaker_of("On the request of our hosts") == "a Pakistani security official"
    assert speaker_of("Our demands were logical") == "Attaullah Tarar"
    assert speaker_of("If Islamabad even looks at them") == "Khawaja Asif"
    assert speaker_of("Our expectations were clear") == "a senior official"
    # seed 004 calls him "Atta Tarar": one canonical person across the story
    assert speaker_of("We will continue operations") == "Attaullah Tarar"


def test_json_is_deterministic_and_valid(examples_dir: Path, example_report: Report) -> None:
    first = render_json(example_report)
    second = render_json(run([str(examples_dir)], load_settings()))
    assert first == second
    jsonschema.validate(json.loads(first), load_report_schema())


def test_process_pool_gives_the_same_report(examples_dir: Path, example_report: Report) -> None:
    pooled = run([str(examples_dir)], load_settings(overrides=["run.workers=2"]))
    assert render_json(pooled) == render_json(example_report)


def test_byte_identical_articles_count_once(tmp_path: Path, examples_dir: Path) -> None:
    source = examples_dir / "01_merrow-herald.txt"
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(source.read_bytes())
    report = run([str(tmp_path)], load_settings())
    assert len(report.articles) == 1
    assert [r.stage for r in report.rejections] == ["dedupe"]
    assert all(s.single_source for s in report.story.brief)


def test_span_type_rejects_inverted_ranges() -> None:
    with pytest.raises(ValueError):
        Span("a", 5, 2)


def test_story_entities_are_canonical(seeds_report: Report) -> None:
    by_name = {e.name: e for e in seeds_report.story.entities}
    assert "Atta Tarar" in by_name["Attaullah Tarar"].aliases
    assert "Asif" in by_name["Khawaja Asif"].aliases
    articles = {a.id: a for a in seeds_report.articles}
    for entity in seeds_report.story.entities:
        for span in entity.mentions:
            assert articles[span.article_id].slice(span)
    speakers = {q.speaker for a in seeds_report.articles for q in a.quotes}
    assert "Atta Tarar" not in speakers


def test_unanchored_dates_come_with_a_note_on_how_to_anchor_them(
    seeds_dir: Path, seeds_report: Report, example_report: Report
) -> None:
    # The seeds are pasted page text without publication dates: "Thursday", "Oct. 25" have no year.
    loose = [entry for entry in seeds_report.story.timeline if not entry.anchored]
    assert loose
    (note,) = [n for n in seeds_report.story.notes if "--reference-date" in n]
    assert note.startswith(f"{len(loose)} of {len(seeds_report.story.timeline)} timeline dates")
    anchored = run(
        [str(seeds_dir)], load_settings(overrides=['extract.reference_date="2025-10-30"'])
    )
    assert all(entry.anchored for entry in anchored.story.timeline)
    assert not [n for n in anchored.story.notes if "--reference-date" in n]
    # The example's articles are dated; its "throughout the week" (2026-WXX) is vague, not
    # unanchored, and no reference date would change it: no note.
    assert [e for e in example_report.story.timeline if not e.anchored]
    assert not [n for n in example_report.story.notes if "--reference-date" in n]


def test_an_article_whose_extraction_raises_is_one_rejection(
    examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug met by one article in the extract stage names that article and the stage; the other
    articles of its batch (and of the run) are annotated as usual."""
    real = annotate._annotate

    def fragile(article: Article, *args: Any) -> Article:
        if article.origin.endswith("02_calderra-press-agency.txt"):
            raise RuntimeError("boom on this page")
        return real(article, *args)

    monkeypatch.setattr(annotate, "_annotate", fragile)
    settings = load_settings()
    raws = [
        r for r in read_inputs([str(examples_dir)], settings.ingest) if isinstance(r, RawDocument)
    ]
    rejections: list[Rejection] = []
    articles = prepare_articles(raws, settings, reject=rejections.append)
    bad = str(examples_dir / "02_calderra-press-agency.txt")
    assert [(r.item, r.stage, r.reason) for r in rejections] == [
        (bad, "extract", "unexpected RuntimeError: boom on this page")
    ]
    assert len(articles) == len(raws) - 1
    assert bad not in {a.origin for a in articles}
    assert all(a.sentences and a.claims for a in articles)
    with pytest.raises(RuntimeError, match="boom"):  # --debug: the traceback, not a rejection
        prepare_articles(raws, settings, debug=True)


@pytest.mark.parametrize(
    ("stage", "target", "kept"),
    [
        ("canonical", "canonicalise", "brief"),
        ("align", "corroborate", "brief"),
        ("summarize", "build_story", "facts"),
        ("timeline", "build_timeline", "facts"),
    ],
)
def test_a_story_step_that_raises_costs_only_its_part(
    example_articles: list[Article],
    monkeypatch: pytest.MonkeyPatch,
    stage: str,
    target: str,
    kept: str,
) -> None:
    """A bug met by one story's text in a story-level step leaves that step's part empty, names the
    story and the step in a rejection and a note, and the rest of the report is still written."""

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom in this story")

    monkeypatch.setattr(pipeline, target, broken)
    seen: list[Rejection] = []
    report = pipeline.analyse_story(example_articles, load_settings(), on_rejection=seen.append)
    [failure] = report.rejections
    assert seen == [failure]
    assert failure.stage == stage and failure.item == f"story {report.story.id}"
    assert failure.reason.startswith("unexpected RuntimeError: boom in this story")
    assert any(note.startswith(f"The {stage} step failed") for note in report.story.notes)
    assert getattr(report.story, kept), f"the {kept} should survive a failed {stage} step"
    assert len(report.articles) == len(example_articles)
    jsonschema.validate(json.loads(render_json(report)), load_report_schema())
    _check_spans(report)
    with pytest.raises(RuntimeError, match="boom"):  # --debug: the traceback, not a rejection
        pipeline.analyse_story(example_articles, load_settings(), debug=True)


def test_a_cut_copy_of_the_wire_story_corroborates_nothing(
    tmp_path: Path, examples_dir: Path
) -> None:
    """A paper that ran only the first part of the wire copy is the wire copy's source again: it
    joins the wire's family, and no fact counts it as a source of its own.  With the Jaccard test
    alone (``dedupe.containment = 0``) it is a family of its own and facts count it."""
    for path in examples_dir.iterdir():
        shutil.copyfile(path, tmp_path / path.name)
    wire = (examples_dir / "02_calderra-press-agency.txt").read_text(encoding="utf-8")
    lines = [line for line in wire.splitlines() if line.strip()]
    cut = tmp_path / "09_harbour-city-courier.txt"
    cut.write_text("\n\n".join(lines[: len(lines) * 2 // 5]) + "\n", encoding="utf-8")

    def sources_added_by_the_cut(settings: Settings) -> list[int]:
        report = run([str(tmp_path)], settings)
        by_name = {Path(a.origin).name: a for a in report.articles}
        cut_id = by_name[cut.name].id
        families = {a.id: a.dup_group or a.id for a in report.articles}
        outlets = {a.id: a.outlet for a in report.articles}
        added = []
        for fact in report.story.facts:
            ids = {span.article_id for span in fact.claims}
            if cut_id in ids and len(ids) > 1:
                others = ids - {cut_id}
                same_source = any(
                    families[i] == families[cut_id] or outlets[i] == outlets[cut_id] for i in others
                )
                added.append(0 if same_source else 1)
        return added

    with_containment = sources_added_by_the_cut(load_settings())
    assert with_containment and not any(with_containment)
    jaccard_only = load_settings(overrides=["dedupe.containment=0"])
    assert any(sources_added_by_the_cut(jaccard_only))
