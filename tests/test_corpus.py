"""The in-memory corpus run finds the two stories of a mixed pile and reports each one."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.config import Settings
from newsfuse.corpus import analyse_corpus
from newsfuse.models import RawDocument
from newsfuse.stages.ingest.sources import read_sources

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE = ROOT / "examples" / "harbour-strike"


@pytest.fixture(scope="module")
def mixed() -> list[RawDocument]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    settings = Settings()
    return [
        item
        for item in read_sources([str(EXAMPLE), str(SEEDS)], settings.ingest)
        if isinstance(item, RawDocument)
    ]


def test_two_stories_come_apart_and_each_gets_a_report(mixed: list[RawDocument]) -> None:
    result = analyse_corpus(mixed, Settings())
    by_origin = {a.id: a.origin for a in result.articles.values()}
    groups = sorted(
        sorted("seeds" if "seeds" in by_origin[i] else "example" for i in ids)
        for ids in result.stories.values()
    )
    assert groups == [["example"] * 8, ["seeds"] * 5]
    assert set(result.reports) == set(result.stories)
    # the wire copy and its re-run in the example are one family; everything else is alone
    assert sorted(len(ids) for ids in result.families.values()) == [1] * 11 + [2]


def test_corpus_run_is_independent_of_input_order(mixed: list[RawDocument]) -> None:
    forward = analyse_corpus(mixed, Settings(), min_articles=99)
    backward = analyse_corpus(list(reversed(mixed)), Settings(), min_articles=99)
    assert forward.stories == backward.stories
    assert forward.families == backward.families
