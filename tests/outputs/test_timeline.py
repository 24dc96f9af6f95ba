"""Timeline dates: written out for people, and sorted by the time they cover, not as strings."""

from __future__ import annotations

import pytest

from newsfuse.models import Report, Span, TimelineEntry
from newsfuse.outputs.timeline import (
    TimelineItem,
    describe_when,
    html_datetime,
    timeline_citation_numbers,
    timeline_items,
    when_key,
)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2025-10-19", "19 October 2025"),
        ("2025-10", "October 2025"),
        ("2025", "2025"),
        ("2025-W44", "week 44 of 2025"),
        ("2025-W44-WE", "weekend of week 44 of 2025"),
        ("2025-W44-3", "29 October 2025"),
        ("2025-Q3", "the third quarter of 2025"),
        ("2025-QX", "a quarter of 2025"),
        ("2019-SU", "summer 2019"),
        ("2012-H2", "the second half of 2012"),
        ("199", "the 1990s"),
        ("199X", "the 1990s"),
        ("19", "the 20th century"),
        ("2025-10-19T14:30", "19 October 2025, 14:30"),
        ("2025-10-29TMO", "29 October 2025, morning"),
        ("PRESENT_REF", "the present"),
        ("XXXX-10-19", "19 October (year unknown)"),
        ("XXXX-10", "October (year unknown)"),
        ("XXXX-WXX-3", "a Wednesday (date unknown)"),
        ("XXXX-WXX-WE", "a weekend (date unknown)"),
        ("XXXX-Q3", "the third quarter (year unknown)"),
        ("XXXX", "a year (unknown)"),
        ("P2D", "P2D"),  # not a point in time: shown as it is
        ("2025-13-01", "2025-13-01"),
    ],
)
def test_describe_when(value: str, words: str) -> None:
    assert describe_when(value) == words


def _entry(when: str, granularity: str = "day", anchored: bool = True) -> TimelineEntry:
    return TimelineEntry(when, granularity, anchored, f"text {when}", (), ())


def test_values_sort_by_the_time_they_cover_coarser_first() -> None:
    values = [
        "2025-12-31",
        "2025-W44",
        "2025-10-27",
        "2025-10",
        "2025",
        "2025-Q4",
        "2025-H2",
        "199",
        "19",
        "2001",
        "2025-10-27T09:00",
        "2025-10-27TAF",
        "2025-10-27TMO",
    ]
    ordered = sorted((_entry(v) for v in values), key=when_key)
    assert [e.when for e in ordered] == [
        "19",
        "199",
        "2001",
        "2025",
        "2025-H2",  # starts 1 July, before the fourth quarter
        "2025-Q4",  # starts 1 October, like the month; a quarter is coarser
        "2025-10",
        "2025-W44",  # Monday 27 October 2025
        "2025-10-27",
        "2025-10-27TMO",
        "2025-10-27T09:00",
        "2025-10-27TAF",
        "2025-12-31",
    ]


def test_undated_then_unanchored_entries_come_last() -> None:
    entries = [
        _entry("XXXX-WXX-6", anchored=False),
        _entry("PRESENT_REF", "none"),
        _entry("XXXX-10-19", anchored=False),
        _entry("2026-01-01"),
    ]
    ordered = sorted(entries, key=when_key)
    assert [e.when for e in ordered] == ["2026-01-01", "PRESENT_REF", "XXXX-10-19", "XXXX-WXX-6"]


def test_html_datetime_only_for_values_html_accepts() -> None:
    assert html_datetime(_entry("2025-10-19")) == "2025-10-19"
    assert html_datetime(_entry("2025-W44", "week")) == "2025-W44"
    assert html_datetime(_entry("2025-10-19T14:30", "time")) == "2025-10-19T14:30"
    assert html_datetime(_entry("2025-Q3", "quarter")) is None
    assert html_datetime(_entry("2025-10-29TMO", "time")) is None
    assert html_datetime(_entry("XXXX-10-19", anchored=False)) is None


def test_items_and_citation_numbers_follow_reading_order(report: Report) -> None:
    items = timeline_items(report)
    assert [item.entry.when for item in items] == [
        "2026-05",
        "2026-06-13",
        "2026-06-15",
        "XXXX-WXX-1",
        "XXXX-WXX-6",
    ]
    assert items[0].label == "May 2026"
    numbers = timeline_citation_numbers(items)
    assert list(numbers.values()) == list(range(1, 7))
    assert next(iter(numbers)) == items[0].entry.citations[0]


def test_a_span_cited_twice_keeps_one_number() -> None:
    span, other = Span("a", 0, 4), Span("a", 5, 9)
    items = [
        TimelineItem(TimelineEntry("2026-01-01", "day", True, "one", (span,), ()), "1 January"),
        TimelineItem(TimelineEntry("2026-01-02", "day", True, "two", (span, other), ()), "2 Jan"),
    ]
    assert timeline_citation_numbers(items) == {span: 1, other: 2}
