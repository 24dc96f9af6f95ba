"""The story's timeline as readers see it: in date order, with dates written out.

Timeline entries carry TIMEX3 values ("2025-10-19", "2025-W44", "2025-Q3", "199" for the 1990s,
"XXXX-10-19" when no reference date could fix the year).  Sorting those strings would put
"2025-W44" after "2025-12-31" and "199" before "2001", so :func:`when_key` turns each value into
the first moment it covers and sorts on that, coarser before finer at the same start ("October
2025" before "1 October 2025"), which reads as context, then detail.  Unanchored entries come last,
in value order, and are marked: their position in time is unknown.

:func:`describe_when` writes a value for people ("19 October 2025", "week 44 of 2025", "the
1990s"); the reports show it beside the ISO value and the granularity, so nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from newsfuse.models import Report, Span, TimelineEntry

__all__ = [
    "TimelineItem",
    "describe_when",
    "html_datetime",
    "timeline_citation_numbers",
    "timeline_items",
    "when_key",
]

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINAL_WORDS = ("first", "second", "third", "fourth")
_SEASONS = {"SP": ("spring", 3), "SU": ("summer", 6), "FA": ("autumn", 9), "WI": ("winter", 12)}
# TIMEX3 parts of day; the hour is only for sorting ("morning" before "afternoon" on one day).
_PARTS_OF_DAY = {
    "MO": ("morning", 8),
    "MI": ("midday", 12),
    "AF": ("afternoon", 15),
    "EV": ("evening", 19),
    "NI": ("night", 22),
    "DT": ("daytime", 12),
}
_REFS = {"PAST_REF": "the past", "PRESENT_REF": "the present", "FUTURE_REF": "the future"}
# Coarse to fine: at the same start the coarser entry sorts first.
_PRECISION = ("century", "decade", "year", "half", "quarter", "month", "week", "day", "time")

_DAY = re.compile(r"(?P<y>[\dX]{4})-(?P<m>[\dX]{2})-(?P<d>[\dX]{2})")
_TIME = re.compile(r"T(?:(?P<h>\d{2}):(?P<min>\d{2})(?::\d{2}(?:\.\d+)?)?|(?P<part>[A-Z]{2}))")
_WEEK = re.compile(r"(?P<y>[\dX]{4})-W(?P<w>[\dX]{2})(?:-(?P<wd>[1-7]|WE))?")
_MONTH = re.compile(r"(?P<y>[\dX]{4})-(?P<m>[\dX]{2})")
_QUARTER = re.compile(r"(?P<y>[\dX]{4})-Q(?P<q>[1-4X])")
_SEASON = re.compile(r"(?P<y>[\dX]{4})-(?P<s>SP|SU|FA|WI)")
_HALF = re.compile(r"(?P<y>[\dX]{4})-H(?P<h>[12])")
_YEAR = re.compile(r"(?P<y>[\dX]{4})")
_DECADE = re.compile(r"(?P<d>\d{3})X?")
_CENTURY = re.compile(r"(?P<c>\d{2})")

# Values an HTML ``<time datetime>`` accepts, among those newsfuse writes.
_HTML_DATETIME = re.compile(
    r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?|-W\d{2})?"
)


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """A timeline entry with its date written out for readers."""

    entry: TimelineEntry
    label: str


def _known(field: str | None) -> int | None:
    return int(field) if field is not None and field.isdigit() else None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _time_suffix(rest: str) -> tuple[str, int] | None:
    """Parse a ``T...`` suffix into (words, minutes since midnight), or ``None`` if it is not one."""
    match = _TIME.fullmatch(rest)
    if match is None:
        return None
    if match["part"] is not None:
        if match["part"] not in _PARTS_OF_DAY:
            return None
        words, hour = _PARTS_OF_DAY[match["part"]]
        return words, hour * 60
    hour, minute = int(match["h"]), int(match["min"])
    return f"{hour:02d}:{minute:02d}", hour * 60 + minute


def _describe_day(year: int | None, month: int | None, day: int | None) -> str | None:
    if month is None or not 1 <= month <= 12:
        return None
    name = _MONTH_NAMES[month - 1]
    if day is None:
        return name + (f" {year}" if year is not None else " (year unknown)")
    return f"{day} {name}" + (f" {year}" if year is not None else " (year unknown)")


def describe_when(value: str) -> str:
    """Write a TIMEX3 value for people: "19 October 2025", "week 44 of 2025", "the 1990s".

    Placeholders (``X``) become "(year unknown)" and the like; a value this function does not
    know is returned as it is, so nothing is ever hidden.
    """
    if value in _REFS:
        return _REFS[value]
    day_part, _, rest = value.partition("T")
    if rest:
        suffix = _time_suffix("T" + rest)
        base = describe_when(day_part)
        return value if suffix is None or base == day_part else f"{base}, {suffix[0]}"
    if match := _DAY.fullmatch(value):
        y, m, d = _known(match["y"]), _known(match["m"]), _known(match["d"])
        return _describe_day(y, m, d) or value
    if match := _WEEK.fullmatch(value):
        y, w, wd = _known(match["y"]), _known(match["w"]), match["wd"]
        if y is not None and w is not None:
            try:
                if wd is not None and wd != "WE":
                    day = date.fromisocalendar(y, w, int(wd))
                    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"
            except ValueError:
                return value
            return f"{'weekend of ' if wd == 'WE' else ''}week {w} of {y}"
        if wd == "WE":
            return "a weekend (date unknown)"
        if wd is not None:
            return f"a {_WEEKDAY_NAMES[int(wd) - 1]} (date unknown)"
        return f"week {w} (year unknown)" if w is not None else "a week (date unknown)"
    if match := _MONTH.fullmatch(value):
        return _describe_day(_known(match["y"]), _known(match["m"]), None) or value
    if match := _QUARTER.fullmatch(value):
        y, q = _known(match["y"]), _known(match["q"])
        which = f"the {_ORDINAL_WORDS[q - 1]} quarter" if q is not None else "a quarter"
        return which + (f" of {y}" if y is not None else " (year unknown)")
    if match := _HALF.fullmatch(value):
        y, which = _known(match["y"]), ("first", "second")[int(match["h"]) - 1]
        return f"the {which} half of {y}" if y is not None else f"the {which} half (year unknown)"
    if match := _SEASON.fullmatch(value):
        y, season = _known(match["y"]), _SEASONS[match["s"]][0]
        return f"{season} {y}" if y is not None else f"{season} (year unknown)"
    if match := _DECADE.fullmatch(value):  # before years: "199X" is the 1990s
        return f"the {match['d']}0s"
    if match := _YEAR.fullmatch(value):
        y = _known(match["y"])
        return str(y) if y is not None else "a year (unknown)"
    if match := _CENTURY.fullmatch(value):
        return f"the {_ordinal(int(match['c']) + 1)} century"
    return value


def _start(value: str) -> tuple[tuple[int, int, int, int], str] | None:
    """The first moment a fully known value covers, as (year, month, day, minute), and its precision.

    ``None`` when the value has placeholders where the start needs digits, or is not a date.
    """
    day_part, _, rest = value.partition("T")
    if rest:
        suffix = _time_suffix("T" + rest)
        start = _start(day_part)
        if suffix is None or start is None or start[1] != "day":
            return None
        (year, month, day, _), _ = start
        return (year, month, day, suffix[1]), "time"
    if match := _DAY.fullmatch(value):
        y, m, d = _known(match["y"]), _known(match["m"]), _known(match["d"])
        if y is None or m is None or d is None:
            return None
        return (y, m, d, 0), "day"
    if match := _WEEK.fullmatch(value):
        y, w, wd = _known(match["y"]), _known(match["w"]), match["wd"]
        if y is None or w is None:
            return None
        weekday = 6 if wd == "WE" else (int(wd) if wd is not None else 1)
        try:
            first = date.fromisocalendar(y, w, weekday)
        except ValueError:
            return None
        precision = "day" if wd is not None and wd != "WE" else "week"
        return (first.year, first.month, first.day, 0), precision
    if match := _MONTH.fullmatch(value):
        y, m = _known(match["y"]), _known(match["m"])
        return None if y is None or m is None else ((y, m, 1, 0), "month")
    if match := _QUARTER.fullmatch(value):
        y, q = _known(match["y"]), _known(match["q"])
        if y is None:
            return None
        return ((y, 1, 1, 0), "year") if q is None else ((y, 3 * q - 2, 1, 0), "quarter")
    if match := _HALF.fullmatch(value):
        y = _known(match["y"])
        return None if y is None else ((y, 6 * int(match["h"]) - 5, 1, 0), "half")
    if match := _SEASON.fullmatch(value):
        y = _known(match["y"])
        return None if y is None else ((y, _SEASONS[match["s"]][1], 1, 0), "quarter")
    if match := _DECADE.fullmatch(value):
        return (int(match["d"]) * 10, 1, 1, 0), "decade"
    if match := _YEAR.fullmatch(value):
        y = _known(match["y"])
        return None if y is None else ((y, 1, 1, 0), "year")
    if match := _CENTURY.fullmatch(value):
        return (int(match["c"]) * 100, 1, 1, 0), "century"
    return None


def when_key(entry: TimelineEntry) -> tuple[int, tuple[int, int, int, int], int, str]:
    """Sort key of a timeline entry: dated entries by start, then anchored but undated, then
    unanchored ones by value.

    Ties keep report order (the sort is stable), so equal keys never reorder by accident.
    """
    start = _start(entry.when) if entry.anchored else None
    if start is not None:
        moment, precision = start
        return 0, moment, _PRECISION.index(precision), entry.when
    return (1 if entry.anchored else 2), (0, 0, 0, 0), 0, entry.when


def timeline_items(report: Report) -> list[TimelineItem]:
    """The story's timeline in reading order (see :func:`when_key`), each date written out."""
    ordered = sorted(report.story.timeline, key=when_key)
    return [TimelineItem(entry, describe_when(entry.when)) for entry in ordered]


def timeline_citation_numbers(items: list[TimelineItem]) -> dict[Span, int]:
    """Number the distinct spans the timeline cites 1, 2, ... in reading order.

    The formats print them as ``t1``, ``t2``...: a separate series from the brief's ``[1]``, so
    adding a timeline never renumbers the brief.
    """
    numbers: dict[Span, int] = {}
    for item in items:
        for span in item.entry.citations:
            numbers.setdefault(span, len(numbers) + 1)
    return numbers


def html_datetime(entry: TimelineEntry) -> str | None:
    """The value for ``<time datetime>``, or ``None`` when HTML has no syntax for it."""
    if entry.anchored and _HTML_DATETIME.fullmatch(entry.when):
        return entry.when
    return None
