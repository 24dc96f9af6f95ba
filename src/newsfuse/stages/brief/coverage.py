"""Choose the brief's sentences by the concepts they cover (concept coverage, greedy or exact ILP).

This is the objective of Gillick & Favre (2009), the best classic extractive system on DUC/TAC
news summarisation: the summary is the set of sentences that covers the most concept weight within
the word budget, **each concept counted once** however many chosen sentences state it, so a
sentence that only repeats what is already covered adds nothing and redundancy is excluded by the
objective itself, not by a similarity threshold.  The concepts here are

* content-word **bigrams** (stemmed; a bigram of two stop words is no concept), weighted by the
  number of near-duplicate families (independent reports) that contain them, kept when at least
  :attr:`Weights.bigram_min_docs` families do (what several reports say is what the story is), or
  by a learned model over that count and other signals (:data:`BIGRAM_FEATURES`);
* the corroboration stage's **facts**, weighted by their independent sources: the facts are the
  product's unit of support, so covering a fact that three outlets carry is worth more than one
  only one outlet tells;

and each sentence also brings the learned sentence model's worth (its score scaled to [0, 1] within
the story), so the model's signals (position, centrality, headlines) still count.  The weights of
the three parts, the bigram weighting (the reports containing a bigram, or a ridge regression of
whether a human summary has it, fitted on train) and the greedy rule's cost power are chosen on
validation data (``benchmarks/brief.py``).

Repetition is what the issue means by it: a sentence is **closed once its main content is a fact
already stated** (:attr:`Weights.main_fact_share`: the fact's claims cover at least that share of
the sentence, a threshold chosen on validation), so three outlets' wordings of one fact do not all
enter; a sentence that only touches a stated fact (one clause of it, the rest new) may still enter
and is credited only with its new concepts, as the objective counts each concept once.  The greedy
rule applies it as it goes; the exact programme as "at most one sentence per fact has that fact as
its main content", which allows the same briefs (any such set can be read in an order in which
each sentence's main fact is new when it enters).  When the programme leaves the brief short of its
word budget, the best remaining open sentences fill it (new-concept gain, then the model's worth),
so a 100-word brief has about 100 words.

Two solvers over a bounded pool, the :data:`POOL` sentences the model values most (plus the forced
"what changed" lead).  **greedy** (the default): the budgeted greedy rule, the sentence adding the
most uncovered weight per word (to a power chosen on validation) while it fits, then the better of
that and the best single sentence; for power 1 within (1 - 1/e) / 2 of the optimum (Khuller, Moss &
Naor 1999), O(limit x pool x concepts per sentence) per story.  **exact**: the integer programme,
solved by HiGHS (``scipy.optimize.milp``) with at most :data:`POOL` binary sentence variables and
one variable per concept shared by two pooled sentences (a concept only one pooled sentence has is
folded into that sentence's value), a node limit keeping it bounded and repeatable.  The benchmark
scores both with the same weights; the report uses the greedy rule because importing
``scipy.optimize`` alone costs a report about 0.3-0.6 s and HiGHS 1.12 prints a stray debugging line
to stdout on some programmes (HiGHS issue 2783), which must not land in a report written to stdout.
Either way the cost per story is bounded by the pool, and the step is linear in the story's size
(reading its concepts).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from newsfuse.stages.similarity import stem, stop_words

__all__ = [
    "BIGRAM_FEATURES",
    "POOL",
    "Concepts",
    "Weights",
    "bigram_features",
    "bigrams",
    "cover",
    "document_frequency",
    "pool_of",
    "scaled_worth",
]

POOL = 40  # sentences the programme chooses among: the model's most valued, plus a forced lead
_NODE_LIMIT = 2000  # branch-and-bound nodes: unlike a time limit, a repeatable bound
_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
Bigram = tuple[str, str]
Floats = npt.NDArray[np.float64]


def bigrams(text: str) -> frozenset[Bigram]:
    """The stemmed bigrams of ``text`` that are concepts (not both words stop words)."""
    stops = stop_words()
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    return frozenset(
        (stem(a), stem(b)) for a, b in pairwise(words) if not (a in stops and b in stops)
    )


def document_frequency(families: Sequence[Sequence[str]]) -> dict[Bigram, int]:
    """How many families (each a list of its articles' texts) contain each bigram."""
    counts: dict[Bigram, int] = {}
    for texts in families:
        for gram in frozenset().union(*(bigrams(t) for t in texts)):
            counts[gram] = counts.get(gram, 0) + 1
    return counts


@dataclass(frozen=True, slots=True)
class Concepts:
    """What each candidate sentence covers, and what the story weighs it by."""

    bigrams: Sequence[frozenset[Bigram]]  # per candidate
    frequency: dict[Bigram, int]  # families containing each bigram
    families: int  # near-duplicate families in the story
    facts: Sequence[tuple[int, ...]]  # per candidate: indices of the facts it states
    fact_sources: Sequence[int]  # per fact: independent sources
    positions: Sequence[int] = ()  # per candidate: sentence index in its article
    # per candidate: each fact it states and the share of the sentence its claims cover
    # (empty: every fact a sentence states is its main content)
    fact_shares: Sequence[Mapping[int, float]] = ()
    headline: frozenset[Bigram] = frozenset()  # the bigrams of the outlets' titles


BIGRAM_FEATURES = (
    "share",  # share of the story's families that contain it
    "several",  # two or more families contain it
    "sentences",  # log(1 + pooled sentences containing it)
    "earliest",  # 1 / (1 + the earliest position of a sentence containing it)
    "headline",  # in an outlet's title
    "stop_word",  # one of its words is a stop word
    "figure",  # one of its words is a figure
    "worth",  # the highest scaled worth among the sentences containing it
    "fact_sources",  # the most independent sources among those sentences' facts, over the story's
)


def bigram_features(
    concepts: Concepts, pool: Sequence[int], scaled: Floats
) -> tuple[list[Bigram], Floats]:
    """Each bigram of the pooled sentences (sorted) and its :data:`BIGRAM_FEATURES` row: what a
    learned concept weight is read from (Li et al. 2013: supervised bigram weights for the ILP)."""
    stops = stop_words()
    families = max(1, concepts.families)
    most_sources = max(concepts.fact_sources, default=1) or 1
    found: dict[Bigram, list[float]] = {}
    for i in pool:
        position = concepts.positions[i] if concepts.positions else 0
        sources = max((concepts.fact_sources[f] for f in concepts.facts[i]), default=0)
        for gram in concepts.bigrams[i]:
            row = found.get(gram)
            if row is None:
                docs = concepts.frequency.get(gram, 1)
                found[gram] = [
                    docs / families,
                    float(docs >= 2),
                    1.0,
                    1 / (1 + position),
                    float(gram in concepts.headline),
                    float(gram[0] in stops or gram[1] in stops),
                    float(any(w[:1].isdigit() for w in gram)),
                    float(scaled[i]),
                    sources / most_sources,
                ]
            else:
                row[2] += 1.0
                row[3] = max(row[3], 1 / (1 + position))
                row[7] = max(row[7], float(scaled[i]))
                row[8] = max(row[8], sources / most_sources)
    keys = sorted(found)
    matrix = np.array([found[k] for k in keys], dtype=np.float64).reshape(len(keys), -1)
    if len(keys):
        matrix[:, 2] = np.log1p(matrix[:, 2])
    return keys, matrix


@dataclass(frozen=True, slots=True)
class Weights:
    """The objective's settings (chosen on validation; see the module docstring)."""

    bigram_min_docs: int
    fact_weight: float
    sentence_weight: float
    # a sentence is closed once a fact whose claims cover at least this share of it is stated
    # (0: once any fact it states is; None: facts may repeat)
    main_fact_share: float | None
    # learned bigram weight: intercept then one coefficient per BIGRAM_FEATURES (None: the number
    # of families containing the bigram, Gillick & Favre's weight)
    bigram_model: tuple[float, ...] | None = None
    # "greedy": the budgeted greedy rule (gain per word ** cost_power, then the best single
    # sentence if it alone covers more); "exact": the integer programme (HiGHS)
    solver: str = "greedy"
    cost_power: float = 1.0


def cover(
    concepts: Concepts,
    worth: Floats,
    words: Sequence[int],
    weights: Weights,
    *,
    limit: int,
    max_words: int | None,
    forced: int | None,
) -> list[int]:
    """Indices of the chosen candidates, the forced one first, then by ``worth`` (best first).

    The budget is ``max_words`` (the programme stays within it; then, as every system in the
    benchmark may, one more sentence, the one adding most, fills the budget and may run over) or,
    without one, ``limit`` times the median candidate length; at most ``limit`` sentences.
    """
    n = len(worth)
    if n == 0:
        return []
    pool = pool_of(worth, forced)
    scaled = scaled_worth(worth)
    families = max(1, concepts.families)
    min_docs = min(weights.bigram_min_docs, families)
    value: dict[tuple[str, object], float] = {}
    holders: dict[tuple[str, object], list[int]] = {}
    if weights.bigram_model is not None:
        keys, rows = bigram_features(concepts, pool, scaled)
        model = np.array(weights.bigram_model)
        predicted = rows @ model[1:] + model[0] if len(keys) else np.zeros(0)
        value.update(
            (("bigram", k), float(p)) for k, p in zip(keys, predicted, strict=True) if p > 0
        )
    for i in pool:
        for gram in concepts.bigrams[i]:
            if weights.bigram_model is not None:
                if ("bigram", gram) in value:
                    holders.setdefault(("bigram", gram), []).append(i)
                continue
            docs = concepts.frequency.get(gram, 1)
            if docs >= min_docs:
                value[("bigram", gram)] = float(docs)
                holders.setdefault(("bigram", gram), []).append(i)
        for fact in concepts.facts[i]:
            if weights.fact_weight > 0:
                value[("fact", fact)] = weights.fact_weight * concepts.fact_sources[fact]
                holders.setdefault(("fact", fact), []).append(i)
    bonus = {i: weights.sentence_weight * float(scaled[i]) + 1e-6 * (n - i) / n for i in pool}
    budget = max_words if max_words is not None else limit * int(np.median(words))
    facts = Repeats(
        stated={i: frozenset(concepts.facts[i]) for i in pool},
        main={i: main_facts(concepts, i, weights.main_fact_share) for i in pool},
    )
    programme = _Programme(pool, value, holders, bonus, words, budget, limit, facts, forced)
    if weights.solver == "exact":
        chosen = _solve(programme)
    else:
        chosen = _greedy(programme, weights.cost_power)
    if max_words is not None:
        chosen = _fill(chosen, programme, scaled, max_words)
    return sorted(chosen, key=lambda i: (i != forced, -float(worth[i]), i))


def main_facts(concepts: Concepts, index: int, share: float | None) -> frozenset[int]:
    """The facts that are candidate ``index``'s main content: their claims cover at least
    ``share`` of it (all it states for 0, or when the shares are unknown; none for None)."""
    if share is None:
        return frozenset()
    if not concepts.fact_shares:
        return frozenset(concepts.facts[index])
    shares = concepts.fact_shares[index]
    return frozenset(f for f in concepts.facts[index] if shares.get(f, 1.0) >= share)


@dataclass(frozen=True, slots=True)
class Repeats:
    """Per pooled sentence: the facts it states, and those that are its main content (once one
    of these is stated, the sentence would mostly repeat it and is closed)."""

    stated: Mapping[int, frozenset[int]]
    main: Mapping[int, frozenset[int]]

    def open(self, index: int, told: set[int] | frozenset[int]) -> bool:
        """Whether the sentence may still enter a brief that states the facts ``told``."""
        return not self.main[index] & told

    def told(self, chosen: Sequence[int]) -> set[int]:
        return {f for i in chosen for f in self.stated[i]}


def pool_of(worth: Floats, forced: int | None) -> list[int]:
    """The :data:`POOL` candidates of highest worth (ties: the first), and the forced one."""
    ranked = sorted(range(len(worth)), key=lambda i: (-float(worth[i]), i))[:POOL]
    if forced is not None and forced not in ranked:
        ranked.append(forced)
    return sorted(ranked)


def scaled_worth(worth: Floats) -> Floats:
    """``worth`` mapped to [0, 1] within the story (all 1 when it does not vary)."""
    low, high = float(worth.min()), float(worth.max())
    if high - low <= 0:
        return np.ones(len(worth))
    return np.asarray((worth - low) / (high - low), dtype=np.float64)


def _one_main_per_fact(pool: Sequence[int], facts: Repeats) -> list[list[int]]:
    """For each fact that is the main content of two or more pooled sentences, those sentences:
    at most one of each group may enter (the exact programme's form of :class:`Repeats`)."""
    mains: dict[int, list[int]] = {}
    for i in pool:
        for fact in facts.main[i]:
            mains.setdefault(fact, []).append(i)
    return [group for _, group in sorted(mains.items()) if len(group) >= 2]


@dataclass(frozen=True, slots=True)
class _Programme:
    """One brief's selection problem, as every solver reads it: the pooled candidates, each valued
    concept and the pooled sentences holding it, each sentence's own bonus and length, the word
    budget, the sentence limit, the facts' repeat rule and the sentence that must be chosen."""

    pool: Sequence[int]
    value: dict[tuple[str, object], float]
    holders: dict[tuple[str, object], list[int]]
    bonus: dict[int, float]
    words: Sequence[int]
    budget: int
    limit: int
    facts: Repeats
    forced: int | None


def _solve(programme: _Programme) -> list[int]:
    """The optimal pooled sentences (HiGHS); concepts held by one sentence join its value."""
    pool, value, holders, bonus = (
        programme.pool,
        programme.value,
        programme.holders,
        programme.bonus,
    )
    words, budget, limit, facts, forced = (
        programme.words,
        programme.budget,
        programme.limit,
        programme.facts,
        programme.forced,
    )
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    column = {i: k for k, i in enumerate(pool)}
    objective = [bonus[i] for i in pool]
    shared = []
    for key in sorted(value, key=repr):
        own = holders[key]
        if len(own) == 1:
            objective[column[own[0]]] += value[key]
        else:
            shared.append(key)
    sentences = len(pool)
    objective += [value[key] for key in shared]
    rows, columns, data = [], [], []
    upper: list[float] = []

    def add_row(entries: Sequence[tuple[int, float]], bound: float) -> None:
        for col, coefficient in entries:
            rows.append(len(upper))
            columns.append(col)
            data.append(coefficient)
        upper.append(bound)

    add_row([(column[i], float(words[i])) for i in pool], float(max(budget, 0)))
    add_row([(column[i], 1.0) for i in pool], float(limit))
    for k, key in enumerate(shared):  # a concept counts only if a chosen sentence states it
        add_row([(sentences + k, 1.0)] + [(column[i], -1.0) for i in holders[key]], 0.0)
        for i in holders[key]:  # and is covered by every chosen sentence stating it (tighter LP)
            add_row([(column[i], 1.0), (sentences + k, -1.0)], 0.0)
    for group in _one_main_per_fact(pool, facts):
        add_row([(column[i], 1.0) for i in group], 1.0)
    size = sentences + len(shared)
    matrix = coo_array((data, (rows, columns)), shape=(len(upper), size)).tocsr()
    lower_bounds = np.zeros(size)
    if forced is not None:
        lower_bounds[column[forced]] = 1.0
    result = milp(
        -np.array(objective),
        integrality=np.ones(size),
        bounds=Bounds(lower_bounds, np.ones(size)),
        constraints=LinearConstraint(matrix, -np.inf, np.array(upper)),
        # no presolve: the programmes are small, and HiGHS prints a stray line to stdout when it
        # repairs a presolved solution (HiGHS issue 2783), which must not land in a report on stdout
        options={"node_limit": _NODE_LIMIT, "presolve": False},
    )
    if result.x is None:  # infeasible (a forced sentence over the budget): keep it alone
        return [forced] if forced is not None else []
    return [i for i in pool if result.x[column[i]] > 0.5]


def _greedy(programme: _Programme, cost_power: float) -> list[int]:
    """The budgeted greedy rule (Khuller, Moss & Naor 1999; Lin & Bilmes 2010): repeatedly take the
    open sentence that fits and adds the most uncovered weight per word (``** cost_power``); then
    keep the better of that and the best single sentence that fits, which bounds it at
    (1 - 1/e) / 2 of the optimum for ``cost_power`` 1.  Each step scans the pool once."""
    pool, value, bonus, words = programme.pool, programme.value, programme.bonus, programme.words
    budget, limit, facts, forced = (
        programme.budget,
        programme.limit,
        programme.facts,
        programme.forced,
    )
    concepts_of = _concepts_of(programme.holders)

    def total(chosen: Sequence[int]) -> float:
        keys = {k for i in chosen for k in concepts_of.get(i, ())}
        return sum(value[k] for k in keys) + sum(bonus[i] for i in chosen)

    def run(start: list[int]) -> list[int]:
        chosen = list(start)
        covered = {k for i in chosen for k in concepts_of.get(i, ())}
        told = facts.told(chosen)
        used = sum(words[i] for i in chosen)
        while len(chosen) < limit:
            best, best_ratio = -1, 0.0
            for i in pool:
                if i in chosen or used + words[i] > budget or not facts.open(i, told):
                    continue
                gain = bonus[i] + sum(value[k] for k in concepts_of.get(i, ()) if k not in covered)
                ratio = gain / max(1, words[i]) ** cost_power
                if ratio > best_ratio:
                    best, best_ratio = i, ratio
            if best < 0:
                return chosen
            chosen.append(best)
            covered.update(concepts_of.get(best, ()))
            told.update(facts.stated[best])
            used += words[best]
        return chosen

    start = [forced] if forced is not None else []
    chosen = run(start)
    told = facts.told(start)
    singles = [
        [*start, i]
        for i in pool
        if i != forced and sum(words[j] for j in start) + words[i] <= budget and facts.open(i, told)
    ]
    best_single = max(singles, key=total, default=start)
    return chosen if total(chosen) >= total(best_single) else best_single


def _concepts_of(
    holders: dict[tuple[str, object], list[int]],
) -> dict[int, list[tuple[str, object]]]:
    """Each pooled sentence's valued concepts (in a fixed order)."""
    concepts_of: dict[int, list[tuple[str, object]]] = {}
    for key in sorted(holders, key=repr):
        for i in holders[key]:
            concepts_of.setdefault(i, []).append(key)
    return concepts_of


def _fill(chosen: list[int], programme: _Programme, worth: Floats, max_words: int) -> list[int]:
    """Fill the word budget: while the brief is short of ``max_words`` and open sentences remain,
    add the one adding the most uncovered concept weight (ties: the model's worth, then the first),
    even when it adds none; the last may run over the budget, as every system's does."""
    pool, value, words = programme.pool, programme.value, programme.words
    limit, facts = programme.limit, programme.facts
    result = list(chosen)
    concepts_of = _concepts_of(programme.holders)
    covered = {k for i in result for k in concepts_of.get(i, ())}
    told = facts.told(result)
    used = sum(words[i] for i in result)
    while used < max_words and len(result) < limit:
        open_ = [i for i in pool if i not in result and facts.open(i, told)]
        if not open_:
            break

        def rank(i: int) -> tuple[float, float, int]:
            gain = sum(value[k] for k in concepts_of.get(i, ()) if k not in covered)
            return (gain, float(worth[i]), -i)

        best = max(open_, key=rank)
        result.append(best)
        covered.update(concepts_of.get(best, ()))
        told.update(facts.stated[best])
        used += words[best]
    return result
