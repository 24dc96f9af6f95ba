"""Claims as sparse feature rows for the candidate index.

Every claim is profiled once into rows of scipy sparse matrices — its content words weighted by
TF-IDF over the story's claims, the capitalised names it gives, its figures and its quoted words —
so that :mod:`newsfuse.stages.align.candidates` can find, for all claims at once, the claims of
other articles that share something specific with them (a sparse product, never a loop over pairs).
Entities and figures are read from the text itself (capitalised words, numerals and number words),
as the pair scorer reads them when the pipeline gives no hints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from newsfuse.stages.align.pairs import candidate_entities, candidate_numbers
from newsfuse.stages.similarity import terms

__all__ = ["ClaimMatrix", "prepare_claims"]

_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,}?)[”\"]")

Matrix = Any  # scipy.sparse.csr_matrix (scipy ships no type stubs)
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ClaimMatrix:
    """A story's claims as index rows; row *i* is claim *i* of ``texts``.

    ``tfidf`` holds L2-normalised TF-IDF rows of content words; ``entities``, ``numbers`` and
    ``quoted`` (word trigrams inside quotation marks) are binary rows; ``embeddings`` are unit
    sentence vectors when the caller has them.
    """

    texts: tuple[str, ...]
    tfidf: Matrix
    entities: Matrix
    numbers: Matrix
    quoted: Matrix
    embeddings: npt.NDArray[np.float32] | None

    def __len__(self) -> int:
        return len(self.texts)


def _rows(rows: Sequence[Sequence[str]], *, binary: bool) -> Matrix:
    """A CSR matrix with one row per item list: item counts, or 1 for each item present."""
    vocabulary: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    for items in rows:
        columns = [vocabulary.setdefault(item, len(vocabulary)) for item in items]
        indices.extend(sorted(set(columns)) if binary else columns)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    matrix = sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(rows), max(len(vocabulary), 1)),
    )
    matrix.sum_duplicates()
    return matrix


def _idf(binary: Matrix) -> Floats:
    """Smoothed IDF floored at 1 (``ln((1+N)/(1+df)) + 1``): with a lone pair every shared word still
    counts, with a large story the rare words weigh most."""
    frequency: Floats = np.asarray(binary.sum(axis=0), dtype=np.float64).ravel()
    total = float(binary.shape[0])
    return np.log((1.0 + total) / (1.0 + frequency)) + 1.0


def _normalised(matrix: Matrix) -> Matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _tfidf(counts: Matrix, idf: Floats) -> Matrix:
    sublinear = counts.copy()
    sublinear.data = 1.0 + np.log(sublinear.data)
    return _normalised(sparse.csr_matrix(sublinear @ sparse.diags(idf)))


def _quoted_trigrams(text: str) -> list[str]:
    found: list[str] = []
    for match in _QUOTED.finditer(text):
        words = [w.lower() for w in _WORD.findall(match.group(1))]
        if len(words) < 3:
            found.extend(words if len(words) == 2 else [])
            continue
        found.extend(" ".join(words[i : i + 3]) for i in range(len(words) - 2))
    return found


def prepare_claims(
    texts: Sequence[str], *, embeddings: npt.NDArray[np.float32] | None = None
) -> ClaimMatrix:
    """Profile every claim once: O(total words), rarity taken over these claims."""
    texts = tuple(texts)
    content = [terms(t) for t in texts]
    return ClaimMatrix(
        texts=texts,
        tfidf=_tfidf(_rows(content, binary=False), _idf(_rows(content, binary=True))),
        entities=_rows([sorted(candidate_entities(t)) for t in texts], binary=True),
        numbers=_rows([sorted(candidate_numbers(t)) for t in texts], binary=True),
        quoted=_rows([_quoted_trigrams(t) for t in texts], binary=True),
        embeddings=embeddings,
    )
