"""The cleaner on the bundled example story: headlines, outlets and menus of eight fictional pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.config import CleanSettings, IngestSettings
from newsfuse.models import Article, RawDocument
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.ingest.files import read_inputs

TITLES = {
    "01_merrow-herald.txt": "Port Merrow talks collapse as dock strike enters third day",
    "02_calderra-press-agency.txt": "Calderra dock strike talks break down, 41 ships stranded at Port Merrow",
    "03_national-ledger.html": "Militant union holds nation to ransom as Port Merrow talks collapse",
    "05_calderra-today.html": "Port Merrow dock strike suspended for 72 hours after overnight mediation",
}
OUTLETS = {
    "01_merrow-herald.txt": "Merrow Herald",
    "02_calderra-press-agency.txt": "Calderra Press Agency",
    "03_national-ledger.html": "The National Ledger",
    "08_calderra-sentinel.txt": "Calderra Sentinel",
}


@pytest.fixture(scope="module")
def articles(examples_dir: Path) -> dict[str, Article]:
    docs = [
        d for d in read_inputs([str(examples_dir)], IngestSettings()) if isinstance(d, RawDocument)
    ]
    return {Path(d.origin).name: clean_document(d, CleanSettings()) for d in docs}


def test_titles_and_outlets(articles: dict[str, Article]) -> None:
    for name, title in TITLES.items():
        assert articles[name].title == title, name
    for name, outlet in OUTLETS.items():
        assert articles[name].outlet == outlet, name


def test_menus_and_headlines_are_not_article_text(articles: dict[str, Article]) -> None:
    for name, article in articles.items():
        assert " | " not in article.text, name  # "News | Sport | Life" menus
        if article.title:
            assert article.title not in article.text.split("\n"), name
    reasons = {r.reason for a in articles.values() for r in a.removed}
    assert {"navigation menu", "title", "repeated title", "copyright notice"} <= reasons
