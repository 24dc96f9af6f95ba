"""Lexical sentence similarity: content-word TF-IDF vectors and their cosine.

Shared by the brief (which passages support a sentence) and the timeline (which sentences report the
same dated event).  Deliberately simple and deterministic; the corroboration stage adds embeddings.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache
from typing import Any

__all__ = ["cosine", "sparse_rows", "stem", "stop_words", "terms", "tfidf"]

_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words of ``text`` (stop words dropped)."""
    stop_words = _stop_words()
    words = (w.lower().replace("’", "'") for w in _WORD.findall(text))
    return [stem(w) for w in words if w not in stop_words and len(w) > 1]


def stop_words() -> frozenset[str]:
    """The stop words :func:`terms` drops (spaCy's English list)."""
    return _stop_words()


@cache
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words, imported on first use: importing spaCy takes seconds, and the
    settings (which name the cluster stage, which uses this module) are read by every command."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def stem(word: str) -> str:
    """A deliberately crude stemmer: enough to match "talks"/"talk", "warned"/"warning"."""
    for suffix in ("'s", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def tfidf(documents: list[list[str]]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors (sublinear tf, smoothed idf) of term lists."""
    frequency = Counter(term for doc in documents for term in set(doc))
    total = len(documents)
    vectors: list[dict[str, float]] = []
    for doc in documents:
        counts = Counter(doc)
        vector = {
            t: (1 + math.log(c)) * math.log((1 + total) / (1 + frequency[t]))
            for t, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in sorted(vector.items())})
    return vectors


def cosine(left: dict[str, float], right: dict[str, float]) -> float:
    """Cosine of two normalised sparse vectors."""
    if len(left) > len(right):
        left, right = right, left
    return sum(v * right.get(t, 0.0) for t, v in left.items())


def sparse_rows(vectors: list[dict[str, float]]) -> Any:
    """The vectors as rows of one scipy CSR matrix (columns: the terms in sorted order), so many
    cosines are one sparse product instead of a Python loop of dictionary look-ups."""
    from scipy import sparse

    vocabulary = {t: i for i, t in enumerate(sorted({t for v in vectors for t in v}))}
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for vector in vectors:
        for term in sorted(vector):
            indices.append(vocabulary[term])
            data.append(vector[term])
        indptr.append(len(indices))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(vectors), max(len(vocabulary), 1)))
