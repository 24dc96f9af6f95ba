"""Choose the brief's sentences: the most valuable ones within the budget, each fact stated once.

A concept-coverage objective solved greedily: a sentence's value is what the scorer gives it (which
counts the facts it states, their independent sources and centrality); once a sentence is chosen,
every other sentence stating one of its facts would add nothing new and is excluded, so no two
brief sentences state one fact *by construction*.  The facts are conservative (a pair must clear the
same-statement threshold), so paraphrases they miss are caught by an optional lexical check whose
threshold is chosen on validation data with the weights (:attr:`SentenceModel.redundancy`).
Because a chosen sentence closes the others that share its facts, the values of the sentences still
open never change, and the greedy pass is one sort plus an inverted index of facts: linear in
candidates and claims, plus one sparse product per chosen sentence for the lexical check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["choose"]


def choose(
    value: npt.NDArray[np.float64],
    words: Sequence[int],
    facts: Sequence[tuple[int, ...]],
    vectors: Any,
    *,
    limit: int,
    max_words: int | None,
    redundancy: float | None,
) -> list[int]:
    """Indices of the chosen candidates, in the order they were chosen (best first).

    ``facts[i]`` are the facts candidate ``i`` states; ``vectors`` its L2-normalised TF-IDF rows
    (a scipy CSR matrix).  Stops at ``limit`` sentences or once ``max_words`` are reached (the last
    sentence may run over, as every system in the benchmark does).  Ties go to the lower index.
    """
    order = sorted(range(len(value)), key=lambda i: (-float(value[i]), i))
    holders: dict[int, list[int]] = {}
    for index, stated in enumerate(facts):
        for fact in stated:
            holders.setdefault(fact, []).append(index)
    closed = np.zeros(len(value), dtype=bool)
    overlap = np.zeros(len(value))
    chosen: list[int] = []
    total = 0
    for index in order:
        if len(chosen) >= limit or (max_words is not None and total >= max_words):
            break
        if closed[index] or (redundancy is not None and overlap[index] >= redundancy):
            continue
        chosen.append(index)
        total += words[index]
        for fact in facts[index]:
            closed[holders[fact]] = True
        if redundancy is not None:
            row = np.asarray(vectors[index].toarray(), dtype=np.float64).ravel()
            overlap = np.maximum(overlap, np.asarray(vectors @ row).ravel())
    return chosen
