"""The timeline on the seeds: dated events with ISO dates and the outlets that report them."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.config import load_settings
from newsfuse.models import Report
from newsfuse.pipeline import run
from newsfuse.stages.timeline import granularity_of


@pytest.fixture(scope="module")
def anchored(seeds_dir: Path) -> Report:
    # The pasted seeds carry no publication date; seed 001 says "on Thursday", 30 October 2025.
    return run([str(seeds_dir)], load_settings(overrides=['extract.reference_date="2025-10-30"']))


def _entry(report: Report, when: str, words: str) -> tuple[str, ...]:
    for entry in report.story.timeline:
        if entry.when == when and words in entry.text:
            return entry.outlets
    raise AssertionError(f"no timeline entry {when} with {words!r}")


def test_dated_events_have_iso_dates_and_sources(anchored: Report) -> None:
    ceasefire = _entry(anchored, "2025-10-19", "ceasefire")
    assert len(ceasefire) == 2  # seeds 001 and 002 both date the Doha ceasefire
    _entry(anchored, "2025-10-25", "began on Oct. 25")
    _entry(anchored, "2025-10", "October 2025")
    _entry(anchored, "2021", "took power in Kabul in 2021")
    _entry(anchored, "2001", "late 2001")
    _entry(anchored, "2025-10-29", "Parliament House")  # "on Wednesday", the day before
    _entry(anchored, "2025-10-28", "local TV channel")  # "on Tuesday"
    _entry(anchored, "2025-W44", "earlier this week")
    whens = [e.when for e in anchored.story.timeline if e.anchored]
    assert whens == sorted(whens)
    assert not any(e.when.startswith("2025-FA") for e in anchored.story.timeline)  # "the fall of"


def test_without_a_reference_dates_stay_unanchored(seeds_dir: Path) -> None:
    report = run([str(seeds_dir / "001_17e2471a18869a4b.txt")], load_settings())
    unanchored = {e.when for e in report.story.timeline if not e.anchored}
    assert "XXXX-10-19" in unanchored
    assert "XXXX-10-25" in unanchored
    assert "2021" in {e.when for e in report.story.timeline if e.anchored}


def test_every_timeline_citation_is_its_sentence(anchored: Report) -> None:
    articles = {a.id: a for a in anchored.articles}
    for entry in anchored.story.timeline:
        assert entry.text in [articles[s.article_id].slice(s) for s in entry.citations]
        assert granularity_of(entry.when) == entry.granularity


@pytest.mark.parametrize(
    ("value", "granularity"),
    [
        ("2025-10-19", "day"),
        ("2025-10-29TMO", "time"),
        ("2025-W44", "week"),
        ("2025-10", "month"),
        ("2025-Q3", "quarter"),
        ("2012-H1", "half"),
        ("2001", "year"),
        ("199", "decade"),
        ("XXXX-10-19", "day"),
        ("P4D", None),
        ("PRESENT_REF", None),
    ],
)
def test_granularity_of_values(value: str, granularity: str | None) -> None:
    assert granularity_of(value) == granularity
