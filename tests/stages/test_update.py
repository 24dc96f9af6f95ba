"""Update mode (``--since``) on real text: the harbour strike's two days and the Istanbul seeds.

Day 1 of the harbour strike is files 01–04 (published 2026-03-11), day 2 is 05–08 (2026-03-12).
A report of day 1, then a report of both days ``--since day1.json``, must call new exactly what
the day-2 articles brought; ``--since 2026-03-11`` must agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from newsfuse.config import load_settings
from newsfuse.models import Report
from newsfuse.outputs.html import render_html
from newsfuse.outputs.json import load_report_schema, render_json
from newsfuse.outputs.markdown import render_markdown
from newsfuse.pipeline import run
from newsfuse.stages.update import SinceError, apply_update, parse_since, published_after

DAY1 = ("01_", "02_", "03_", "04_")


@pytest.fixture(scope="module")
def reports(
    examples_dir: Path, seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Report | Path]:
    settings = load_settings(None, [])
    day1_files = sorted(str(p) for p in examples_dir.iterdir() if p.name.startswith(DAY1))
    seeds = sorted(str(p) for p in seeds_dir.iterdir())
    folder = tmp_path_factory.mktemp("since")
    day1 = run(day1_files, settings)
    seeds3 = run(seeds[:3], settings)
    (folder / "day1.json").write_text(render_json(day1), encoding="utf-8")
    (folder / "seeds3.json").write_text(render_json(seeds3), encoding="utf-8")
    return {
        "all": run([str(examples_dir)], settings),
        "seeds": run(seeds, settings),
        "day1.json": folder / "day1.json",
        "seeds3.json": folder / "seeds3.json",
    }


def _report(reports: dict[str, Report | Path], name: str) -> Report:
    report = reports[name]
    assert isinstance(report, Report)
    return report


def _update(reports: dict[str, Report | Path], name: str, since: str) -> Report:
    return apply_update(_report(reports, name), parse_since(since), 7)


def _day1_ids(report: Report) -> set[str]:
    return {a.id for a in report.articles if a.origin.rsplit("/", 1)[-1].startswith(DAY1)}


def test_since_previous_report_finds_only_what_day_two_brought(
    reports: dict[str, Report | Path],
) -> None:
    report = _update(reports, "all", str(reports["day1.json"]))
    update = report.update
    assert update is not None and update.basis == "report"
    day1 = _day1_ids(report)
    assert set(update.new_article_ids) == {a.id for a in report.articles} - day1
    facts = {f.id: f for f in report.story.facts}
    new = [f for f in update.facts if f.kind == "new"]
    assert new
    for change in new:  # a new fact rests on day-2 articles only
        assert all(span.article_id not in day1 for span in facts[change.fact_id].claims)
    changed = {f.fact_id for f in update.facts}
    for fact in report.story.facts:  # and every fact resting on day 2 only is reported as new
        if all(span.article_id not in day1 for span in fact.claims):
            assert fact.id in changed
    corroborated = [f for f in update.facts if f.kind == "newly_corroborated"]
    assert corroborated, "a single-source day-1 fact that day-2 outlets repeat"
    for change in corroborated:
        fact = facts[change.fact_id]
        assert change.sources_before == 1 and change.sources_now == fact.independent_sources >= 2
        assert any(span.article_id in day1 for span in fact.claims)
        assert change.new_claims and all(s.article_id not in day1 for s in change.new_claims)
    assert update.current_phase is not None and update.previous_phase != update.current_phase


def test_since_date_agrees_with_since_previous_report(reports: dict[str, Report | Path]) -> None:
    by_report = _update(reports, "all", str(reports["day1.json"])).update
    by_date = _update(reports, "all", "2026-03-11").update
    assert by_report is not None and by_date is not None and by_date.basis == "date"
    assert by_date.new_article_ids == by_report.new_article_ids
    assert by_date.facts == by_report.facts
    assert by_date.conflict_ids == by_report.conflict_ids
    assert by_date.quotes == by_report.quotes
    assert by_date.timeline == by_report.timeline
    assert by_date.brief == by_report.brief
    assert any(
        "4 of 8 dated article(s) were published after 2026-03-11" in n for n in by_date.notes
    )


def test_update_brief_says_only_what_is_new_and_cites_it(
    reports: dict[str, Report | Path],
) -> None:
    report = _update(reports, "all", "2026-03-11")
    assert report.update is not None and report.update.brief
    day1 = _day1_ids(report)
    index = {a.id: a for a in report.articles}
    main = {s.text for s in report.story.brief}
    for sentence in report.update.brief:
        assert any(span.article_id not in day1 for span in sentence.citations)
        assert any(sentence.text in index[s.article_id].slice(s) for s in sentence.citations)
        # it cites its fact: one claim of every outlet behind it
        (fact,) = [f for f in report.story.facts if set(sentence.citations) <= set(f.claims)]
        cited = [index[s.article_id].source_name for s in sentence.citations]
        assert sorted(cited) == sorted(set(cited)) == sorted(fact.outlets)
        assert sentence.single_source == (fact.independent_sources < 2)
        assert sentence.text[0].isupper() or sentence.text[0] in '"“'  # reads on its own
    assert not {s.text for s in report.update.brief} <= main  # it is not the main brief again


def test_new_quotes_are_not_worded_in_day_one(reports: dict[str, Report | Path]) -> None:
    report = _update(reports, "all", "2026-03-11")
    assert report.update is not None and report.update.quotes
    day1 = _day1_ids(report)
    old = [q.text for a in report.articles if a.id in day1 for q in a.quotes]
    for quote in report.update.quotes:
        assert quote.span.article_id not in day1
        assert quote.text not in old


def test_previous_report_of_another_story_counts_everything_as_new(
    reports: dict[str, Report | Path],
) -> None:
    report = _update(reports, "all", str(reports["seeds3.json"]))
    assert report.update is not None
    assert any("shares no article" in note for note in report.update.notes)
    assert len(report.update.new_article_ids) == len(report.articles)
    assert {f.fact_id for f in report.update.facts} == {f.id for f in report.story.facts}
    assert {f.kind for f in report.update.facts} == {"new"}


def test_seeds_since_an_earlier_report_of_three(reports: dict[str, Report | Path]) -> None:
    report = _update(reports, "seeds", str(reports["seeds3.json"]))
    update = report.update
    assert update is not None
    previous = json.loads(Path(str(reports["seeds3.json"])).read_text(encoding="utf-8"))
    known = {a["id"] for a in previous["articles"]}
    assert set(update.new_article_ids) == {a.id for a in report.articles} - known
    assert len(update.new_article_ids) == 2
    facts = {f.id: f for f in report.story.facts}
    for change in update.facts:
        claims = facts[change.fact_id].claims
        if change.kind == "new":
            assert all(s.article_id not in known for s in claims)
        else:
            assert any(s.article_id in known for s in claims)


def test_undated_articles_count_as_new_and_a_note_says_so(
    reports: dict[str, Report | Path],
) -> None:
    report = _update(reports, "seeds", "2025-10-28")
    assert report.update is not None
    undated = [a for a in report.articles if not a.published_at]
    assert undated
    note = next(n for n in report.update.notes if "no publication date" in n)
    assert f"{len(undated)} article(s)" in note and "counted as new" in note
    assert set(report.update.new_article_ids) >= {a.id for a in undated}


def test_outputs_render_the_update(reports: dict[str, Report | Path]) -> None:
    report = _update(reports, "all", str(reports["day1.json"]))
    text = render_json(report)
    assert text == render_json(_update(reports, "all", str(reports["day1.json"])))
    doc = json.loads(text)
    jsonschema.validate(doc, load_report_schema())
    assert doc["update"]["since"] == str(reports["day1.json"])
    for change in doc["update"]["facts"]:
        for claim in change["new_claims"]:
            article = next(a for a in doc["articles"] if a["id"] == claim["article_id"])
            assert article["text"][claim["start"] : claim["end"]] == claim["quote"]
    assert "## What's new since" in render_markdown(report)
    assert 'id="update"' in render_html(report)
    assert "update" not in json.loads(render_json(_report(reports, "all")))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "neither a date"),
        ("2025-13-45", "not a valid date"),
        ("missing-report.json", "no such report file"),
    ],
)
def test_bad_since_values_are_named(value: str, message: str) -> None:
    with pytest.raises(SinceError, match=message) as caught:
        parse_since(value)
    assert value in str(caught.value)


def test_a_folder_is_not_a_report(tmp_path: Path) -> None:
    with pytest.raises(SinceError, match="a folder"):
        parse_since(str(tmp_path))


def test_files_that_are_not_newsfuse_reports_are_refused(tmp_path: Path) -> None:
    cases = {
        "notes.json": "this is not json",
        "other.json": json.dumps({"name": "a package.json"}),
        "future.json": json.dumps({"schema_version": "2.0", "story": {}, "articles": []}),
    }
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(SinceError, match=name):
            parse_since(str(path))


def test_published_after_compares_days_when_either_side_has_no_time() -> None:
    cutoff = parse_since("2026-03-11").cutoff
    assert cutoff is not None
    assert published_after("2026-03-11T21:05:00+01:00", cutoff) is False
    assert published_after("2026-03-12", cutoff) is True
    assert published_after(None, cutoff) is None
    moment = parse_since("2026-03-12T09:00:00+01:00").cutoff
    assert moment is not None
    assert published_after("2026-03-12T08:30:00+01:00", moment) is False
    assert published_after("2026-03-12T13:10:00+01:00", moment) is True
    assert published_after("2026-03-12", moment) is False  # same day: at or before


def test_previous_report_is_matched_by_wording_when_article_ids_differ(
    reports: dict[str, Report | Path], tmp_path: Path
) -> None:
    """An earlier report whose articles were cleaned differently (other ids) still counts as known
    through the wording of its claims and sentences; fact ids are never compared."""
    doc = json.loads(Path(str(reports["day1.json"])).read_text(encoding="utf-8"))
    for article in doc["articles"]:
        article["id"] = "old_" + article["id"]
    for fact in doc["story"]["facts"]:
        fact["id"] = "fct_renamed_" + fact["id"]
    renamed = tmp_path / "day1-recleaned.json"
    renamed.write_text(json.dumps(doc), encoding="utf-8")
    by_ids = _update(reports, "all", str(reports["day1.json"])).update
    by_words = _update(reports, "all", str(renamed)).update
    assert by_ids is not None and by_words is not None
    new_by_ids = {f.fact_id for f in by_ids.facts if f.kind == "new"}
    new_by_words = {f.fact_id for f in by_words.facts if f.kind == "new"}
    assert new_by_words and new_by_words <= new_by_ids
    report = _report(reports, "all")
    day1 = _day1_ids(report)
    facts = {f.id: f for f in report.story.facts}
    for fact_id in new_by_words:
        assert all(s.article_id not in day1 for s in facts[fact_id].claims)
    assert not any("shares no article" in note for note in by_words.notes)
