"""Which publication dates newsfuse believes, and that a stored unbelievable one cannot fail a run."""

from __future__ import annotations

from datetime import date

import pytest

from newsfuse.config import CleanSettings
from newsfuse.models import DeclaredMetadata, RawDocument, content_id
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.published import NOT_ISO, date_problem, publication_date


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2025-10-30", date(2025, 10, 30)),
        ("2025-10-30T14:05:00Z", date(2025, 10, 30)),
        ("1900-01-01", date(1900, 1, 1)),
        ("2100-12-31T23:59:59+14:00", date(2100, 12, 31)),
        ("9999-12-31", None),
        ("0001-01-01", None),
        ("1899-12-31T23:59:59Z", None),
        ("last Tuesday", None),
        ("", None),
        (None, None),
    ],
)
def test_publication_date(value: str | None, day: date | None) -> None:
    assert publication_date(value) == day


def test_date_problem_says_why() -> None:
    assert date_problem("2025-10-30") is None
    assert date_problem("soon") == NOT_ISO
    assert date_problem("9999-12-31") == "year 9999 is outside 1900–2100"


def test_a_stored_raw_document_dated_9999_cleans_to_an_undated_article() -> None:
    """Raw documents were stored before this check: preparing them again must not crash."""
    content = ("The harbour strike entered its third day on Tuesday, the union said. " * 4).encode()
    raw = RawDocument(
        id=content_id("text/plain", content, prefix="raw_"),
        origin="old.jsonl:1",
        media_type="text/plain",
        content=content,
        declared=DeclaredMetadata(published_at="9999-12-31"),
    )
    article = clean_document(raw, CleanSettings())
    assert article.published_at is None
