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
    # its byline credits the paper's staff; "(CPA)" in its dateline is the wire it runs
    "04_eastshore-daily.txt": "Eastshore Daily",
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


def test_lists_appeals_and_comment_prompts_below_the_article_are_removed(
    articles: dict[str, Article],
) -> None:
    """A related-stories list whose last item ends in "?" still ends the article, and a donation
    appeal or a comment prompt is never article text."""
    sentinel = articles["08_calderra-sentinel.txt"]
    assert sentinel.text.endswith("suspension expires at 6 a.m. on Sunday, March 15.")
    removed = {r.text: r.reason for r in sentinel.removed}
    assert removed["Emergency legislation: can the government order strikers back to work?"] == (
        "section list"
    )
    voice = articles["06_workers-voice.txt"]
    assert voice.text.endswith("Talks resume on Friday.")
    removed = {r.text: r.reason for r in voice.removed}
    assert removed["Support independent labour journalism - donate today."] == "donation appeal"
    assert removed["Join the discussion - comments are open to members."] == "comment form"
    assert removed["Rail workers pledge solidarity with Merrow dockers"] == "section list"


def test_an_article_over_max_article_chars_is_one_rejection(tmp_path: Path) -> None:
    """200,000 short lines (2.4 MB, under ingest.max_bytes) ran past 120 s in extraction."""
    from newsfuse.errors import ItemError

    path = tmp_path / "lines.txt"
    path.write_text(
        "\n".join(f"Dock workers met on day {i} of the strike." for i in range(20_000)),
        encoding="utf-8",
    )
    [raw] = read_inputs([str(path)], IngestSettings())
    assert isinstance(raw, RawDocument)
    with pytest.raises(ItemError, match=r"over clean.max_article_chars \(200,000\)"):
        clean_document(raw, CleanSettings())
    assert clean_document(raw, CleanSettings(max_article_chars=2_000_000)).text
