"""Publication dates: which ISO 8601 dates newsfuse believes as the day an article came out.

A publication date is not just shown: it anchors every relative expression of the article
("Tuesday", "two years ago") and orders the timeline and the store's story tracker.  A placeholder
(``9999-12-31``, ``0001-01-01``) or a typo there is almost never a real date, and it sits at the
edge of what :mod:`datetime` can count from, so one such page used to crash the whole run.  So a
date outside :data:`EARLIEST_YEAR`..:data:`LATEST_YEAR` counts as no date: declared with the input
(JSONL ``published_at``) it rejects that line with the reason, as an unparseable date does; found on
a page or in a feed it is dropped, as an unparseable one is, and the article goes on undated.

Why 1900–2100: the news newsfuse reads is digital-era; a 19th-century reprint still carries the
date it was published *now*, and the range leaves a wide margin on both sides while keeping every
"N years ago" or weekday computed from it well inside :class:`datetime.date`'s years 1–9999.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

__all__ = ["EARLIEST_YEAR", "LATEST_YEAR", "NOT_ISO", "date_problem", "publication_date"]

EARLIEST_YEAR: Final = 1900
LATEST_YEAR: Final = 2100
NOT_ISO: Final = "not an ISO 8601 date"


def _parse(value: str) -> date | None:
    """The calendar day of an ISO 8601 date or datetime ("Z" allowed), or None if it is not one."""
    text = value.strip()
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            moment = parse(text.replace("Z", "+00:00") if parse is datetime.fromisoformat else text)
        except ValueError:
            continue
        return moment.date() if isinstance(moment, datetime) else moment
    return None


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a usable publication date, or None when it is one."""
    day = _parse(value)
    if day is None:
        return NOT_ISO
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return f"year {day.year} is outside {EARLIEST_YEAR}–{LATEST_YEAR}"
    return None


def publication_date(value: str | None) -> date | None:
    """The day ``value`` names when it is a usable publication date (see :func:`date_problem`)."""
    if not value:
        return None
    day = _parse(value)
    if day is None or not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return None
    return day
