"""Choose the brief's sentences one at a time by what each would still add: a learned greedy rule.

The concept-coverage objective (:mod:`newsfuse.stages.brief.coverage`) fixes by hand how a
sentence's worth falls once its content is stated (each concept counts once; a sentence whose main
fact is already stated is closed at a share chosen on validation).  On the roundups that rule held
on its development data and fell on held-out stories: three short leads restate one event, and
the human summaries often restate it too, in words no single lead uses.  So here the decision is
learned instead.  At each step every open sentence gets a row of signals: its own
(:data:`newsfuse.stages.brief.scorer.FEATURES`) and what depends on the sentences already chosen
(:data:`STEP_FEATURES`: how many of its bigrams are new, how close it is to a chosen sentence,
how much of it a stated fact already covers, how much of the budget is used).  A gradient-boosted
tree ensemble (:class:`Trees`), fitted by ``benchmarks/brief.py`` on the *train* part of AllSides
roundups, predicts from that row how many of the human summary's bigrams the sentence would add per
bigram of its own (its marginal ROUGE-2 gain per word); the sentence predicted to add most enters,
until the word budget is reached.  Whether restating a stated fact pays is thus what the model
learned from the references, not a threshold.  The rule chooses a brief of a given word budget
(``build_story(max_words=...)``, what ROUGE measures); a report's brief, which has only a sentence
limit, keeps concept coverage with each fact once, since a rule fitted to fill a budget has no
point at which to stop short of the limit.

Bounded and linear: the steps scan a pool of at most :data:`newsfuse.stages.brief.coverage.POOL`
sentences (the sentence model's most valued, plus the forced "what changed" lead), so a story costs
O(limit x pool x tree depth x trees) after reading its sentences once.  Deterministic: ties go to
the lower index, and the trees are plain numbers evaluated with NumPy (no scikit-learn at run time).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "GAIN_PATH",
    "STEP_FEATURES",
    "Pool",
    "Trees",
    "choose_by_gain",
    "load_trees",
    "step_rows",
    "trees_from_json",
]

GAIN_PATH = Path(__file__).with_name("brief_gain.json")
STEP_FEATURES = (
    "new_bigrams",  # share of its bigrams no chosen sentence has
    "new_bigram_reports",  # reports containing its new bigrams, per bigram, over the story's reports
    "closest_chosen",  # highest TF-IDF cosine with a chosen sentence
    "stated_share",  # largest share of it that one already stated fact's claims cover
    "stated_facts",  # facts it states that a chosen sentence states
    "chosen",  # sentences chosen so far
    "budget_used",  # words chosen so far / the word budget
    "budget_left",  # words left in the budget / its words
    "same_article",  # a sentence of its article is already chosen
    "bigram_reports",  # reports containing its bigrams, per bigram, over the story's reports
    "first_pick",  # nothing is chosen yet
)

Floats = npt.NDArray[np.float64]
Matrix = Any  # scipy.sparse.csr_matrix (scipy ships no type stubs)
Bigram = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Trees:
    """A gradient-boosted regression tree ensemble as plain arrays (written by scikit-learn's
    ``GradientBoostingRegressor`` in ``benchmarks/brief.py``): prediction = ``base`` + ``rate`` x the
    sum of each tree's leaf value.  Node ``k`` of a tree splits on ``feature[k]`` (-1: a leaf) at
    ``threshold[k]``, going to ``left[k]`` when the value, as float32, is at most the threshold."""

    base: float
    rate: float
    feature: tuple[tuple[int, ...], ...]
    threshold: tuple[tuple[float, ...], ...]
    left: tuple[tuple[int, ...], ...]
    right: tuple[tuple[int, ...], ...]
    value: tuple[tuple[float, ...], ...]
    # the same nodes as NumPy arrays, one (feature, threshold, left, right, value) per tree
    nodes: tuple[tuple[npt.NDArray[Any], ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        nodes = tuple(
            (
                np.array(f, dtype=np.intp),
                np.array(t, dtype=np.float64),
                np.array(lo, dtype=np.intp),
                np.array(hi, dtype=np.intp),
                np.array(v, dtype=np.float64),
            )
            for f, t, lo, hi, v in zip(
                self.feature, self.threshold, self.left, self.right, self.value, strict=True
            )
        )
        object.__setattr__(self, "nodes", nodes)

    def predict(self, rows: Floats) -> Floats:
        """The predicted gain of each row (columns: the static features, then STEP_FEATURES)."""
        x = rows.astype(np.float32).astype(np.float64)  # the trees split float32 values
        total = np.zeros(len(rows))
        every = np.arange(len(rows))
        for feature, threshold, left, right, value in self.nodes:
            node = np.zeros(len(rows), dtype=np.intp)
            while True:
                split = feature[node] >= 0
                if not split.any():
                    break
                at = node[split]
                goes_left = x[every[split], feature[at]] <= threshold[at]
                node[split] = np.where(goes_left, left[at], right[at])
            total += value[node]
        return np.asarray(self.base + self.rate * total, dtype=np.float64)

    def truncated(self, count: int) -> Trees:
        """The first ``count`` trees (how many is chosen on validation)."""
        return Trees(
            self.base,
            self.rate,
            self.feature[:count],
            self.threshold[:count],
            self.left[:count],
            self.right[:count],
            self.value[:count],
        )

    def to_json(self) -> dict[str, object]:
        return {
            "base": self.base,
            "rate": self.rate,
            "trees": [
                [list(f), list(t), list(lo), list(hi), list(v_)]
                for f, t, lo, hi, v_ in zip(
                    self.feature, self.threshold, self.left, self.right, self.value, strict=True
                )
            ],
        }


def trees_from_json(data: Mapping[str, object], source: str) -> Trees:
    """The ensemble a JSON object describes; a malformed one names ``source``."""
    try:
        rows = data["trees"]
        assert isinstance(rows, list)
        base, rate = data["base"], data["rate"]
        assert isinstance(base, int | float) and isinstance(rate, int | float)
        return Trees(
            float(base),
            float(rate),
            tuple(tuple(int(v) for v in tree[0]) for tree in rows),
            tuple(tuple(float(v) for v in tree[1]) for tree in rows),
            tuple(tuple(int(v) for v in tree[2]) for tree in rows),
            tuple(tuple(int(v) for v in tree[3]) for tree in rows),
            tuple(tuple(float(v) for v in tree[4]) for tree in rows),
        )
    except (KeyError, IndexError, TypeError, ValueError, AssertionError) as error:
        raise ValueError(f"{source}: not a tree ensemble ({error})") from None


def load_trees(path: Path = GAIN_PATH) -> Trees:
    """The shipped ensemble (``brief_gain.json``, written by ``benchmarks/brief.py``)."""
    return trees_from_json(json.loads(path.read_text(encoding="utf-8")), str(path))


@dataclass(frozen=True, slots=True)
class Pool:
    """The candidates a brief is chosen from, with what the step signals read."""

    static: Floats  # rows: candidates; columns: the sentence model's features
    bigrams: Sequence[frozenset[Bigram]]  # per candidate
    frequency: Mapping[Bigram, int]  # reports containing each bigram
    families: int  # reports (near-duplicate families) in the story
    fact_shares: Sequence[Mapping[int, float]]  # per candidate: fact -> share of it the fact covers
    articles: Sequence[str]  # per candidate: its article
    vectors: Matrix  # L2-normalised TF-IDF rows
    words: Sequence[int]  # per candidate


def step_rows(
    pool: Pool, indices: Sequence[int], chosen: Sequence[int], budget: int, closest: Floats
) -> Floats:
    """The signal rows of the candidates ``indices`` given the ``chosen`` ones (``closest``: each
    candidate's highest cosine with a chosen sentence)."""
    covered: set[Bigram] = set().union(*(pool.bigrams[i] for i in chosen))
    stated = {f for i in chosen for f in pool.fact_shares[i]}
    used = sum(pool.words[i] for i in chosen)
    articles = {pool.articles[i] for i in chosen}
    families = max(1, pool.families)
    rows = []
    for i in indices:
        grams = pool.bigrams[i]
        count = max(1, len(grams))
        new = [g for g in grams if g not in covered]
        shares = pool.fact_shares[i]
        rows.append(
            [
                len(new) / count,
                sum(pool.frequency.get(g, 1) for g in new) / count / families,
                float(closest[i]),
                max((share for f, share in shares.items() if f in stated), default=0.0),
                float(sum(f in stated for f in shares)),
                float(len(chosen)),
                used / max(1, budget),
                (budget - used) / max(1, pool.words[i]),
                float(pool.articles[i] in articles),
                sum(pool.frequency.get(g, 1) for g in grams) / count / families,
                float(not chosen),
            ]
        )
    dynamic = np.array(rows, dtype=np.float64).reshape(len(indices), len(STEP_FEATURES))
    return np.hstack([pool.static[list(indices)], dynamic])


def choose_by_gain(
    pool: Pool,
    trees: Trees,
    candidates: Sequence[int],
    *,
    limit: int,
    budget: int,
    forced: int | None,
) -> list[int]:
    """Indices of the chosen candidates in the order chosen (the forced one first): repeatedly the
    open candidate of ``candidates`` with the highest predicted gain (ties: the lower index), until
    ``budget`` words are reached (the last sentence may run over) or ``limit`` sentences.
    """
    chosen: list[int] = [forced] if forced is not None else []
    closest = np.zeros(len(pool.words))
    ordered = sorted(candidates)
    rows_of = pool.vectors[ordered] if ordered else None

    def close_to(index: int) -> None:
        if rows_of is None:
            return
        cosines = np.asarray((rows_of @ pool.vectors[index].T).toarray()).ravel()
        for k, i in enumerate(ordered):
            closest[i] = max(closest[i], float(cosines[k]))

    for index in chosen:
        close_to(index)
    used = sum(pool.words[i] for i in chosen)
    while used < budget and len(chosen) < limit:
        open_ = [i for i in ordered if i not in chosen]
        if not open_:
            break
        predicted = trees.predict(step_rows(pool, open_, chosen, budget, closest))
        best = open_[int(np.argmax(predicted))]  # argmax: the first of equal values
        chosen.append(best)
        used += pool.words[best]
        close_to(best)
    return chosen
