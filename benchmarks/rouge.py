"""A small, documented ROUGE-1 / ROUGE-2 / ROUGE-L F1, written for newsfuse's brief benchmark.

ROUGE (Lin, 2004) compares a candidate summary with a human reference by the words they share:

* **ROUGE-N** counts the reference n-grams the candidate also contains, each n-gram at most as often as
  it occurs in both ("clipped" counts).  Precision divides by the candidate's n-grams, recall by the
  reference's; F1 is their harmonic mean.
* **ROUGE-L** uses the longest common subsequence (LCS) of the two token sequences: words in the same
  order, not necessarily adjacent.  P = LCS / candidate length, R = LCS / reference length, F1 as
  above (the plain F1, i.e. ROUGE-1.5.5's ``beta = 1``).  The summary is scored as one token sequence
  (sentences concatenated), not with the union-LCS per reference sentence of ROUGE-1.5.5's
  summary-level ROUGE-L; numbers are therefore close to, not identical with, the Perl script's.

Tokenisation: lower-case, keep runs of ASCII letters and digits (``[a-z0-9]+``), everything else is a
separator, as ROUGE-1.5.5 does.  Stemming (on by default, like ROUGE's ``-m``) uses NLTK's
:class:`~nltk.stem.PorterStemmer`, which needs no downloaded data.  Stop words are kept (no ``-s``).

We write our own rather than paste a scorer so the benchmark has no hidden settings; every choice is
above.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from nltk.stem import PorterStemmer  # type: ignore[import-untyped]

__all__ = ["Scores", "rouge", "rouge2_recall", "tokens"]

_TOKEN = re.compile(r"[a-z0-9]+")
_PORTER = PorterStemmer()


@dataclass(frozen=True, slots=True)
class Scores:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 of one candidate against one reference."""

    rouge1: float
    rouge2: float
    rougeL: float  # the metric's conventional name


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Porter stem, cached: the same words recur in every story."""
    return str(_PORTER.stem(word))


def tokens(text: str, *, stem: bool = True) -> list[str]:
    """Lower-cased alphanumeric tokens of ``text``, Porter-stemmed when ``stem``."""
    words = _TOKEN.findall(text.lower())
    return [_stem(w) for w in words] if stem else words


def _f1(overlap: float, candidate_total: int, reference_total: int) -> float:
    if overlap == 0 or candidate_total == 0 or reference_total == 0:
        return 0.0
    precision = overlap / candidate_total
    recall = overlap / reference_total
    return 2 * precision * recall / (precision + recall)


def _ngrams(words: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def rouge_n(candidate: list[str], reference: list[str], n: int) -> float:
    """ROUGE-N F1 with clipped n-gram counts."""
    cand, ref = _ngrams(candidate, n), _ngrams(reference, n)
    overlap = sum((cand & ref).values())  # Counter "&" keeps the minimum count: clipping
    return _f1(overlap, sum(cand.values()), sum(ref.values()))


def lcs_length(left: list[str], right: list[str]) -> int:
    """Length of the longest common subsequence, by the usual O(len*len) dynamic programme."""
    if len(left) < len(right):
        left, right = right, left
    previous = [0] * (len(right) + 1)
    for word in left:
        current = [0]
        for j, other in enumerate(right, start=1):
            current.append(
                previous[j - 1] + 1 if word == other else max(previous[j], current[j - 1])
            )
        previous = current
    return previous[-1]


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    """ROUGE-L F1 (beta = 1) over the whole token sequences."""
    return _f1(lcs_length(candidate, reference), len(candidate), len(reference))


def rouge(candidate: str, reference: str, *, stem: bool = True) -> Scores:
    """ROUGE-1/2/L F1 of ``candidate`` against ``reference`` (see the module docstring)."""
    cand, ref = tokens(candidate, stem=stem), tokens(reference, stem=stem)
    return Scores(rouge_n(cand, ref, 1), rouge_n(cand, ref, 2), rouge_l(cand, ref))


def rouge2_recall(candidate: str, reference: str, *, words: int = 100) -> float:
    """DUC-style ROUGE-2 recall: the candidate cut to its first ``words`` words (whitespace
    tokens, as DUC truncates a summary), clipped bigram overlap over the reference's bigrams."""
    cut = " ".join(candidate.split()[:words])
    cand, ref = _ngrams(tokens(cut), 2), _ngrams(tokens(reference), 2)
    total = sum(ref.values())
    return sum((cand & ref).values()) / total if total else 0.0
