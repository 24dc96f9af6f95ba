"""Small, documented scoring functions shared by newsfuse's benchmark scripts.

Written from the metric definitions in ``../shared/bench/README.md`` rather than copied from another
project's scorer, so that every number we print can be traced to a few lines here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "PRF",
    "accuracy",
    "exact_match",
    "macro_average",
    "normalize_text",
    "normalize_value",
    "shingle_prf",
    "shingles",
]

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 of one comparison (each in ``[0, 1]``)."""

    precision: float
    recall: float
    f1: float


def normalize_text(text: str) -> str:
    """Lowercase and collapse every run of whitespace to one space.

    Extractors differ in how they lay out paragraphs (``\\n`` vs blank lines vs spaces); the body
    metric is about *which words* were kept, so layout and case are removed before comparing.
    """
    return _WHITESPACE.sub(" ", text).strip().lower()


def normalize_value(value: str | None) -> str:
    """Normalise a metadata value (title, byline) for exact matching: whitespace collapsed, trimmed.

    ``None`` becomes ``""`` so that "no title" matches an expected empty title.  Case is kept: a
    title in the wrong case is a different string on the page.
    """
    if value is None:
        return ""
    return _WHITESPACE.sub(" ", value).strip()


def exact_match(predicted: str | None, expected: str | None) -> bool:
    """True when both values are equal after :func:`normalize_value`."""
    return normalize_value(predicted) == normalize_value(expected)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Return the multiset of word ``n``-grams ("shingles") of the normalised text.

    A multiset rather than a set, so that an extractor that repeats a paragraph is penalised in
    precision.  Texts shorter than ``n`` words yield one shingle made of all their words, so a tiny
    but correct body still scores instead of being an empty set.
    """
    words = normalize_text(text).split()
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def shingle_prf(predicted: str, expected: str, n: int = 4) -> PRF:
    """Precision, recall and F1 of predicted against expected word ``n``-gram shingles.

    Overlap is the multiset intersection.  Conventions at the edges: both empty is a perfect score
    (nothing to find, nothing found); one side empty scores 0 for everything.
    """
    pred, gold = shingles(predicted, n), shingles(expected, n)
    if not pred and not gold:
        return PRF(1.0, 1.0, 1.0)
    if not pred or not gold:
        return PRF(0.0, 0.0, 0.0)
    overlap = sum((pred & gold).values())
    precision = overlap / sum(pred.values())
    recall = overlap / sum(gold.values())
    f1 = 0.0 if overlap == 0 else 2 * precision * recall / (precision + recall)
    return PRF(precision, recall, f1)


def macro_average(scores: Sequence[PRF]) -> PRF:
    """Average precision, recall and F1 separately over pages (each page weighs the same).

    Note that the averaged F1 is the mean of per-page F1s, not the F1 of the averaged P and R.
    """
    if not scores:
        return PRF(0.0, 0.0, 0.0)
    count = len(scores)
    return PRF(
        sum(s.precision for s in scores) / count,
        sum(s.recall for s in scores) / count,
        sum(s.f1 for s in scores) / count,
    )


def accuracy(hits: Iterable[bool]) -> float:
    """Share of true values; 0.0 for no values."""
    values = list(hits)
    return sum(values) / len(values) if values else 0.0
