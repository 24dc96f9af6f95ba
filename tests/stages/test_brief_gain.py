"""The learned greedy rule (issue 15): trees evaluated without scikit-learn follow their splits,
the shipped ensemble reads back as written, a broken file is named, and on the example story's
own sentences the rule keeps the forced "what changed" lead first, stops at the word budget and
does not take a wire copy of a sentence it already chose.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import vstack

from newsfuse.config import SummarizeSettings, load_settings
from newsfuse.errors import ConfigError
from newsfuse.models import Report
from newsfuse.pipeline import run
from newsfuse.stages.brief.gain import (
    GAIN_PATH,
    STEP_FEATURES,
    Pool,
    Trees,
    choose_by_gain,
    load_trees,
    step_rows,
    trees_from_json,
)
from newsfuse.stages.brief.scorer import FEATURES, load_model
from newsfuse.stages.summarize import BriefContext, candidate_table, gain_pool


@pytest.fixture(scope="module")
def example_pool(examples_dir: Path) -> Pool:
    report: Report = run([str(examples_dir)], load_settings())
    ordered = sorted(report.articles, key=lambda a: (a.published_at or "9999", a.id))
    table = candidate_table(ordered, SummarizeSettings(), BriefContext(report.story.facts))
    return gain_pool(table)


def test_trees_follow_their_splits() -> None:
    # one stump: feature 1 at most 0.5 -> leaf 1 (value 1.0), else leaf 2 (value 3.0)
    trees = Trees(
        base=0.5,
        rate=0.1,
        feature=((1, -1, -1),),
        threshold=((0.5, 0.0, 0.0),),
        left=((1, -1, -1),),
        right=((2, -1, -1),),
        value=((0.0, 1.0, 3.0),),
    )
    rows = np.array([[9.0, 0.2], [9.0, 0.5], [0.0, 0.7]])
    assert trees.predict(rows) == pytest.approx([0.6, 0.6, 0.8])
    assert trees.truncated(0).predict(rows) == pytest.approx([0.5, 0.5, 0.5])


def test_the_shipped_ensemble_reads_back_as_written(example_pool: Pool) -> None:
    trees = load_trees()
    assert load_model().gain is not None
    again = trees_from_json(json.loads(json.dumps(trees.to_json())), "again")
    n = len(example_pool.words)
    rows = step_rows(example_pool, list(range(1, n)), [0], 80, np.zeros(n))
    assert rows.shape == (n - 1, len(FEATURES) + len(STEP_FEATURES))
    assert np.array_equal(trees.predict(rows), again.predict(rows))
    assert len(set(trees.predict(rows).round(6))) > 1  # the signals move the prediction
    assert GAIN_PATH.stat().st_size < 1_000_000  # small enough to ship in the package


def test_a_broken_ensemble_file_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "brief_gain.json"
    broken.write_text('{"base": 0.1, "rate": 0.05}', encoding="utf-8")
    with pytest.raises(ValueError, match="brief_gain.json: not a tree ensemble"):
        load_trees(broken)


def test_the_forced_lead_comes_first_and_the_budget_holds(example_pool: Pool) -> None:
    trees = load_trees()
    n = len(example_pool.words)
    forced = n - 1
    chosen = choose_by_gain(example_pool, trees, range(n), limit=20, budget=90, forced=forced)
    words = [example_pool.words[i] for i in chosen]
    assert chosen[0] == forced and len(set(chosen)) == len(chosen)
    assert sum(words) >= 90 and sum(words[:-1]) < 90  # the last sentence may run over, no more
    again = choose_by_gain(example_pool, trees, range(n), limit=20, budget=90, forced=forced)
    assert again == chosen


def test_a_wire_copy_of_a_chosen_sentence_is_not_taken(example_pool: Pool) -> None:
    trees = load_trees()
    n = len(example_pool.words)
    first = choose_by_gain(example_pool, trees, range(n), limit=1, budget=1000, forced=None)[0]
    copied = replace(  # the same sentence again, as another outlet's wire copy would carry it
        example_pool,
        static=np.vstack([example_pool.static, example_pool.static[first]]),
        bigrams=[*example_pool.bigrams, example_pool.bigrams[first]],
        fact_shares=[*example_pool.fact_shares, example_pool.fact_shares[first]],
        articles=[*example_pool.articles, "wire-copy"],
        vectors=vstack([example_pool.vectors, example_pool.vectors[first]]).tocsr(),
        words=[*example_pool.words, example_pool.words[first]],
    )
    chosen = choose_by_gain(copied, trees, range(n + 1), limit=6, budget=1000, forced=None)
    assert first in chosen and n not in chosen


def test_a_report_with_a_word_budget_gets_a_brief_of_that_length(examples_dir: Path) -> None:
    """`summarize.brief_words` reaches the learned rule from a run; without it the report's brief
    is concept coverage with its sentence limit, as before."""
    budgeted = run([str(examples_dir)], load_settings(overrides=["summarize.brief_words=60"]))
    # the lines giving both sides of a dispute follow their sentence outside the budget
    chosen = [s for s in budgeted.story.brief if not s.text.startswith("Reports differ on ")]
    words = [len(s.text.split()) for s in chosen]
    assert sum(words) >= 60 and sum(words[:-1]) <= 60  # the last sentence may run over, no more
    assert all(s.citations for s in budgeted.story.brief)  # every sentence still cites a source
    plain = run([str(examples_dir)], load_settings())
    assert [s.text for s in plain.story.brief] != [s.text for s in budgeted.story.brief]
    with pytest.raises(ConfigError, match="brief_words must not be negative"):
        load_settings(overrides=["summarize.brief_words=-5"])
