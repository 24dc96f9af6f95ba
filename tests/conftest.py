"""Shared fixtures: the seeds and bench data live in ../shared, never in the repo.

Records a test builds by hand (an ``Article`` with only its text and a few fields) come from
``factories.py`` beside this file, a plain module: module-level test data can use it too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfuse.config import load_settings
from newsfuse.models import Article, RawDocument
from newsfuse.pipeline import prepare_articles
from newsfuse.stages.ingest.files import read_inputs

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five real reports of the Istanbul talks story, as pasted from their pages."""
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"seeds not found at {path}")
    return path


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The project's own example story."""
    return REPO / "examples" / "harbour-strike"


@pytest.fixture(scope="session")
def example_articles(examples_dir: Path) -> list[Article]:
    """The example story's articles, cleaned and annotated as a run prepares them."""
    settings = load_settings()
    raws = [
        r for r in read_inputs([str(examples_dir)], settings.ingest) if isinstance(r, RawDocument)
    ]
    return prepare_articles(raws, settings)


# Flags for a browser on a machine without a network: no background fetches, no first-run work.
_BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium driven by Playwright (Debian's package in CI, ``NEWSFUSE_TEST_CHROMIUM``);
    the test is skipped, saying so, where there is none."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
    executable = (
        os.environ.get("NEWSFUSE_TEST_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if executable is None:
        pytest.skip("no Chromium (install Debian's chromium, or set NEWSFUSE_TEST_CHROMIUM)")
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=_BROWSER_ARGS)
        yield launched
        launched.close()
