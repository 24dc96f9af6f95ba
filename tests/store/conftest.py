"""Fixtures for the store tests: real raw documents and articles from the example story, and
stores on SQLite (always) and PostgreSQL (when ``NEWSFUSE_TEST_POSTGRES_URL`` names a database that
the tests may wipe)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from newsfuse.config import Settings
from newsfuse.models import Article, RawDocument
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.ingest.files import read_inputs
from newsfuse.store import Store
from newsfuse.store.schema import Base

POSTGRES_ENV = "NEWSFUSE_TEST_POSTGRES_URL"
EXAMPLE_FILES = ("01_merrow-herald.txt", "03_national-ledger.html", "04_eastshore-daily.txt")
LEGACY_TABLES = ("tracker_states",)
"""Tables of older schema revisions that the migration tests create and the models no longer name."""
TABLES = tuple(
    dict.fromkeys(
        [
            *(table.name for table in reversed(Base.metadata.sorted_tables)),
            *LEGACY_TABLES,
            "alembic_version",
        ]
    )
)
"""Every table a test may leave in the PostgreSQL database, children first: taken from the models,
so a table added by a new revision is wiped too."""


def read_raws(paths: list[Path]) -> list[RawDocument]:
    """Read files the way the ingest stage does; fail on any rejection (the examples are good)."""
    raws = []
    for item in read_inputs([str(p) for p in paths], Settings().ingest):
        assert isinstance(item, RawDocument), item
        raws.append(item)
    return raws


@pytest.fixture(scope="session")
def example_raws(examples_dir: Path) -> list[RawDocument]:
    return read_raws([examples_dir / name for name in EXAMPLE_FILES])


@pytest.fixture(scope="session")
def all_example_raws(examples_dir: Path) -> list[RawDocument]:
    return read_raws(sorted(examples_dir.iterdir()))


@pytest.fixture(scope="session")
def example_articles(example_raws: list[RawDocument]) -> list[Article]:
    return [clean_document(raw, Settings().clean) for raw in example_raws]


def _wipe_postgres(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            for table in TABLES:
                connection.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty store: a SQLite file, then (if configured) a wiped PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL store tests")
    _wipe_postgres(url)
    return url


class Clock:
    """A clock the test moves by hand, so that ``since`` filters and ordering are exact."""

    def __init__(self) -> None:
        self.now = datetime(2025, 11, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_url: str, clock: Clock) -> Iterator[Store]:
    with Store.open(store_url, clock=clock) as opened:
        yield opened
