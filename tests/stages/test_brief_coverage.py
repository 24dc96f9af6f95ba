"""The concept-coverage selection (issue 15, item 1) on the example story's own sentences: each
concept counts once, the exact programme is optimal (checked against every subset of a small pool)
and the greedy rule within its bound, the word budget holds before the one sentence that fills it,
and each fact is stated once when asked.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newsfuse.config import load_settings
from newsfuse.models import Report
from newsfuse.pipeline import run
from newsfuse.stages.brief.concepts import fact_shares, facts_of_sentences
from newsfuse.stages.brief.coverage import Concepts, Weights, bigrams, cover, document_frequency


@pytest.fixture(scope="module")
def example_report(examples_dir: Path) -> Report:
    return run([str(examples_dir)], load_settings())


def _sentences(report: Report, count: int) -> list[str]:
    """The first sentences of the example's articles, in turn (real text, several outlets)."""
    per_article = [[a.slice(s) for s in a.sentences[:3]] for a in report.articles]
    return [s for row in itertools.zip_longest(*per_article) for s in row if s][:count]


def _concepts(report: Report, texts: list[str], facts: list[tuple[int, ...]]) -> Concepts:
    return Concepts(
        bigrams=[bigrams(t) for t in texts],
        frequency=document_frequency([[a.text] for a in report.articles]),
        families=len(report.articles),
        facts=facts,
        fact_sources=[3, 1],
    )


def _objective(concepts: Concepts, chosen: list[int], weights: Weights) -> float:
    grams = frozenset().union(*(concepts.bigrams[i] for i in chosen))
    return sum(
        float(concepts.frequency.get(g, 1))
        for g in grams
        if concepts.frequency.get(g, 1) >= weights.bigram_min_docs
    )


def test_bigrams_drop_pairs_of_stop_words_and_stem() -> None:
    found = bigrams("The union said it would strike on the docks")
    assert ("union", "said") in found
    assert ("the", "dock") in found  # "docks" stemmed; one stop word is enough to keep a pair
    assert ("on", "the") not in found and ("it", "would") not in found


def test_a_sentence_repeating_covered_concepts_adds_nothing(example_report: Report) -> None:
    texts = _sentences(example_report, 6)
    texts.append(texts[0])  # the same sentence again, as a wire copy would carry it
    concepts = _concepts(example_report, texts, [() for _ in texts])
    worth = np.zeros(len(texts))
    words = [len(t.split()) for t in texts]
    weights = Weights(bigram_min_docs=2, fact_weight=0.0, sentence_weight=0.0, main_fact_share=None)
    chosen = cover(concepts, worth, words, weights, limit=7, max_words=None, forced=None)
    assert not {0, len(texts) - 1} <= set(chosen)


def test_the_programme_is_optimal_within_the_budget(example_report: Report) -> None:
    texts = _sentences(example_report, 9)
    concepts = _concepts(example_report, texts, [() for _ in texts])
    words = [len(t.split()) for t in texts]
    budget = sum(sorted(words)[:4])
    weights = Weights(
        bigram_min_docs=2,
        fact_weight=0.0,
        sentence_weight=0.0,
        main_fact_share=None,
        solver="exact",
    )
    # without max_words: at most ``limit`` sentences within limit * the median length
    room = 3 * int(np.median(words))
    chosen = cover(
        concepts, np.zeros(len(texts)), words, weights, limit=3, max_words=None, forced=None
    )
    feasible = [
        subset
        for size in range(4)
        for subset in itertools.combinations(range(len(texts)), size)
        if sum(words[i] for i in subset) <= room
    ]
    best = max(_objective(concepts, list(subset), weights) for subset in feasible)
    assert _objective(concepts, chosen, weights) == pytest.approx(best)
    assert len(chosen) <= 3 and sum(words[i] for i in chosen) <= room
    assert best > min(_objective(concepts, list(subset), weights) for subset in feasible[1:])
    greedy = cover(
        concepts,
        np.zeros(len(texts)),
        words,
        replace(weights, solver="greedy"),
        limit=3,
        max_words=None,
        forced=None,
    )
    assert len(greedy) <= 3 and sum(words[i] for i in greedy) <= room
    assert _objective(concepts, greedy, weights) >= (1 - 1 / math.e) / 2 * best  # its guarantee
    filled = cover(
        concepts, np.zeros(len(texts)), words, weights, limit=9, max_words=budget, forced=None
    )
    total = sum(words[i] for i in filled)
    assert total >= budget  # filled up to the budget ...
    assert any(total - words[i] <= budget for i in filled)  # ... by one sentence past the programme


def test_each_fact_is_stated_once_and_the_forced_lead_comes_first(example_report: Report) -> None:
    texts = _sentences(example_report, 8)
    facts: list[tuple[int, ...]] = [(0,), (0,), (1,), (), (0,), (), (), ()]
    concepts = _concepts(example_report, texts, facts)
    words = [len(t.split()) for t in texts]
    worth = np.linspace(1.0, 0.0, len(texts))
    weights = Weights(bigram_min_docs=2, fact_weight=5.0, sentence_weight=1.0, main_fact_share=0.0)
    chosen = cover(concepts, worth, words, weights, limit=8, max_words=120, forced=5)
    assert chosen[0] == 5
    assert sum(0 in facts[i] for i in chosen) == 1
    relaxed = Weights(bigram_min_docs=2, fact_weight=5.0, sentence_weight=1.0, main_fact_share=None)
    assert cover(concepts, worth, words, relaxed, limit=8, max_words=None, forced=None)


@pytest.mark.parametrize("solver", ["greedy", "exact"])
def test_a_sentence_mostly_stating_a_told_fact_is_closed_one_touching_it_is_not(
    example_report: Report, solver: str
) -> None:
    texts = _sentences(example_report, 8)
    facts: list[tuple[int, ...]] = [(0,), (0,), (0,), (), (), (), (), ()]
    # sentence 0 and 2 are mostly fact 0 (two outlets' wordings of it); sentence 1 has it in one
    # clause and says something new in the rest
    shares = [{0: 0.9}, {0: 0.3}, {0: 0.8}, {}, {}, {}, {}, {}]
    concepts = replace(_concepts(example_report, texts, facts), fact_shares=shares)
    words = [len(t.split()) for t in texts]
    worth = np.linspace(1.0, 0.0, len(texts))
    budget = sum(words)  # room for every sentence: only the repeat rule keeps one out
    chosen = {}
    for share in (None, 0.0, 0.5):
        weights = Weights(
            bigram_min_docs=2,
            fact_weight=0.0,
            sentence_weight=1.0,
            main_fact_share=share,
            solver=solver,
        )
        chosen[share] = set(
            cover(concepts, worth, words, weights, limit=8, max_words=budget, forced=0)
        )
    assert {0, 1, 2} <= chosen[None]  # facts may repeat: all three
    assert 0 in chosen[0.0] and not {1, 2} & chosen[0.0]  # any shared fact closes the others
    assert {0, 1} <= chosen[0.5] and 2 not in chosen[0.5]  # only the one mostly repeating it


def test_a_short_brief_is_filled_with_the_open_sentences(example_report: Report) -> None:
    texts = _sentences(example_report, 9)
    words = [len(t.split()) for t in texts]
    facts: list[tuple[int, ...]] = [(0,), (0,), (0,), (0,), (), (), (), (), ()]
    shares = [{0: 0.3} for _ in range(4)] + [{} for _ in range(5)]
    concepts = replace(_concepts(example_report, texts, facts), fact_shares=shares)
    worth = np.zeros(len(texts))
    budget = sum(words) - min(words)  # all but about one sentence fit
    weights = Weights(bigram_min_docs=2, fact_weight=0.0, sentence_weight=0.0, main_fact_share=0.5)
    chosen = cover(concepts, worth, words, weights, limit=9, max_words=budget, forced=None)
    assert sum(words[i] for i in chosen) >= budget  # the concepts alone would stop short
    hard = replace(weights, main_fact_share=0.0)
    closed = cover(concepts, worth, words, hard, limit=9, max_words=budget, forced=None)
    assert sum(0 in facts[i] for i in closed) == 1  # filling never reopens a closed sentence


def test_fact_shares_say_how_much_of_a_sentence_a_fact_is(example_report: Report) -> None:
    spans = [s for a in example_report.articles for s in a.sentences]
    facts = example_report.story.facts
    shares = fact_shares(spans, facts)
    assert [tuple(found) for found in shares] == facts_of_sentences(spans, facts)
    assert all(0 < v <= 1 for found in shares for v in found.values())
    texts = {a.id: a.text for a in example_report.articles}
    share_of = {
        texts[s.article_id][s.start : s.end]: found for s, found in zip(spans, shares, strict=True)
    }
    # one statement, one claim: the fact is the whole sentence
    (whole,) = share_of["About 4,200 dock workers had been on strike since Monday."].values()
    assert whole == 1.0
    # two statements in one sentence (two facts), neither the whole of it
    mixed = next(found for found in shares if len(found) >= 2)
    assert all(v < 1.0 for v in mixed.values())
