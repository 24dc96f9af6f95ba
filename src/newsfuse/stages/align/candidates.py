"""Candidate claim pairs: the few claims of other articles worth scoring against each claim.

Scoring every claim against every other is quadratic: a 300-article story has about 10,000 claims
and 50 million pairs.  Two claims that report the same fact share something specific — a rare word,
a name, a figure, a quoted phrase — so candidates come from an inverted index over those features:
a sparse product ``X · Xᵀ`` of rows that keep only features at most :func:`max_document_frequency`
claims share.  A feature shared by *df* claims costs df² products, so with the cap the product
costs O(n · features per claim · cap), about O(n^1.5): "Pakistan" in half a story's claims is left
out of the index (it still counts in the pair's score), "Istanbul" or "41" is kept.  Each claim then
keeps its :data:`PER_CLAIM` best candidates of other articles.  With sentence embeddings the nearest
neighbours by cosine are added, so a rewording that shares no rare word is still found; that block
product is dense (O(n² · d) multiply-adds in BLAS, in row blocks of bounded memory).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import sparse

from newsfuse.stages.align.claim_features import ClaimMatrix

__all__ = ["PER_CLAIM", "candidate_pairs", "max_document_frequency"]

PER_CLAIM = 32
"""Candidates kept per claim: enough for a fact reported by a dozen outlets, some twice, to be found
through any of its claims, and for the claims that give a different figure for the same thing
(scored but not joined) to be compared; the cost is linear in it."""
_BLOCK = 2048  # rows of the dense embedding product at a time: 2048 × n floats

Indices = npt.NDArray[np.intp]


def max_document_frequency(claims: int) -> int:
    """The most claims an index feature may appear in: 4·√n, at least 50."""
    return max(50, int(4 * math.sqrt(claims)))


def _index_rows(claims: ClaimMatrix) -> sparse.csr_matrix:
    """Rare content words (TF-IDF weighted), names, figures and quoted phrases, rows L2-normalised."""
    parts = [claims.tfidf, claims.entities * 0.5, claims.numbers * 0.5, claims.quoted * 0.5]
    matrix = sparse.csr_matrix(sparse.hstack(parts, format="csr"))
    frequency = np.asarray((matrix > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero((frequency >= 2) & (frequency <= max_document_frequency(len(claims))))
    matrix = sparse.csr_matrix(matrix[:, keep])
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _top_per_row(
    rows: Indices, columns: Indices, values: npt.NDArray[np.float64], per_row: int
) -> tuple[Indices, Indices]:
    """The ``per_row`` highest-valued entries of each row (ties: lower column first)."""
    if not len(rows):
        return rows, columns
    order = np.lexsort((columns, -values, rows))
    rows, columns = rows[order], columns[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = rank < per_row
    return rows[keep], columns[keep]


def candidate_pairs(
    claims: ClaimMatrix, article_of: Indices, *, per_claim: int = PER_CLAIM
) -> tuple[Indices, Indices]:
    """Pairs ``(left[k] < right[k])`` of claims of different articles worth scoring, sorted."""
    article_of = np.asarray(article_of, dtype=np.intp)
    n = len(claims)
    if n < 2:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    index = _index_rows(claims)
    product = sparse.coo_matrix(index @ index.T)
    rows, columns = product.row.astype(np.intp), product.col.astype(np.intp)
    values = product.data.astype(np.float64)
    other = article_of[rows] != article_of[columns]
    found_rows, found_columns = _top_per_row(rows[other], columns[other], values[other], per_claim)
    pieces = [(found_rows, found_columns)]
    if claims.embeddings is not None:
        pieces.append(_nearest_by_embedding(claims.embeddings, article_of, per_claim))
    left = np.concatenate([p[0] for p in pieces])
    right = np.concatenate([p[1] for p in pieces])
    low, high = np.minimum(left, right), np.maximum(left, right)
    unique = np.unique(low.astype(np.int64) * n + high)
    return (unique // n).astype(np.intp), (unique % n).astype(np.intp)


def _nearest_by_embedding(
    vectors: npt.NDArray[np.float32], article_of: Indices, per_claim: int
) -> tuple[Indices, Indices]:
    """Each claim's ``per_claim`` nearest claims of other articles by cosine."""
    n = len(vectors)
    take = min(per_claim, n - 1)
    rows: list[Indices] = []
    columns: list[Indices] = []
    for start in range(0, n, _BLOCK):
        block = vectors[start : start + _BLOCK] @ vectors.T
        block[article_of[start : start + _BLOCK, None] == article_of[None, :]] = -np.inf
        best = np.argpartition(-block, take - 1, axis=1)[:, :take]
        for offset, found in enumerate(best):
            keep = found[np.isfinite(block[offset, found])]
            rows.append(np.full(len(keep), start + offset, dtype=np.intp))
            columns.append(keep.astype(np.intp))
    if not rows:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    return np.concatenate(rows), np.concatenate(columns)
