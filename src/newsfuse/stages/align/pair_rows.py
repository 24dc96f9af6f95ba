"""The lexical pair features of many sentence pairs at once, from sparse rows of their profiles.

:mod:`newsfuse.stages.align.pairs` profiles each sentence once (its content words, word bigrams,
character n-grams, stemmed word n-grams, entities, figures).  Scoring a pair from two profiles in
Python costs a dozen set intersections and dictionary look-ups, about 0.1 ms a pair, and a story
of 80 articles asks for tens of thousands of pairs.  Here every profile becomes one row of a few
sparse matrices (a column per distinct word, bigram, n-gram, entity), so a batch of pairs costs a
handful of sparse products: the size of a set intersection is the row-wise sum of the product of
two binary rows, an n-gram match count the row-wise sum of their minimum, a rarity-weighted overlap
that product times the rarity column.  The three sequence measures (rapidfuzz's token-set ratio,
longest common subsequence and edit distance of the stem sequences) run in rapidfuzz's own loop
(``process.cpdist``), each stem sequence spelt as a string of one character per distinct stem.

Cost: building the rows is linear in the sentences' total n-grams; a batch of ``p`` pairs costs
O(p · row length), in chunks of :data:`_CHUNK` pairs so memory stays bounded.  The values are the
ones the per-pair definitions give, up to the order of floating-point sums.
"""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq, Levenshtein
from rapidfuzz.process import cpdist
from scipy import sparse

__all__ = ["LEXICAL_COLUMNS", "ProfileFields", "ProfileRows", "lexical_rows"]

Floats = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]

LEXICAL_COLUMNS: tuple[str, ...] = (
    "tfidf",
    "token_set",
    "bigram_dice",
    "char4_dice",
    "coverage_min",
    "unmatched_log",
    "length_ratio",
    "numbers_conflict",
    "numbers_one_sided",
    "entity_jaccard",
    "entity_unmatched",
    *(f"ngram{n}_{side}" for n in (1, 2, 3, 4) for side in ("min", "max")),
    "lcs_longer",
    "lcs_shorter",
    "negation_mismatch",
    "length_difference",
    "log_length_ratio_sq",
    "unmatched_min",
    "unmatched_max",
    "edit_similarity",
    "unmatched_idf_min",
    "unmatched_idf_max",
    "coverage_idf_min",
    "coverage_idf_max",
    "char3_min",
    "char3_max",
    "char5_min",
    "char5_max",
)
"""The columns :func:`lexical_rows` returns, in order (the pair features' lexical names)."""

_CHUNK = 4096
_FIRST_STEM_CHARACTER = 0x10000  # past the surrogates, so every stem id is one valid character


class _Blocks:
    """Rows of several item collections side by side (each block its own columns; a set's members
    count 1, a multiset's their count), gathered row by row in typed arrays: a large story has
    millions of entries, and lists of Python numbers would cost several times their size."""

    def __init__(self, blocks: int) -> None:
        self.vocabularies: list[dict[Hashable, int]] = [{} for _ in range(blocks)]
        self._indices = array("q")
        self._block_of = array("b")
        self._data = array("f")  # counts are small whole numbers, exact in float32
        self._indptr = array("q", [0])

    def add(self, row: Sequence[Mapping[Any, int] | Iterable[Hashable]]) -> None:
        """One row: one collection per block."""
        for k, (items, vocabulary) in enumerate(zip(row, self.vocabularies, strict=True)):
            before = len(self._indices)
            if isinstance(items, Mapping):
                for item, count in items.items():
                    self._indices.append(vocabulary.setdefault(item, len(vocabulary)))
                    self._data.append(count)
            else:
                self._indices.extend(vocabulary.setdefault(i, len(vocabulary)) for i in items)
                self._data.extend(array("f", [1.0]) * (len(self._indices) - before))
            self._block_of.extend(array("b", [k]) * (len(self._indices) - before))
        self._indptr.append(len(self._indices))

    def starts(self) -> npt.NDArray[np.int64]:
        """The first column of each block."""
        widths = np.array([len(v) for v in self.vocabularies], dtype=np.int64)
        return np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int64)

    def matrices(self) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """The rows as one matrix, and the columns × blocks indicator that sums a row's values
        block by block."""
        widths = [len(v) for v in self.vocabularies]
        total = max(sum(widths), 1)
        columns = (
            np.frombuffer(self._indices, dtype=np.int64)
            + self.starts()[np.frombuffer(self._block_of, dtype=np.int8)]
        )
        matrix = sparse.csr_matrix(
            (
                np.frombuffer(self._data, dtype=np.float32),
                columns,
                np.frombuffer(self._indptr, dtype=np.int64),
            ),
            (len(self._indptr) - 1, total),
        )
        owner = np.repeat(np.arange(len(widths)), widths)
        indicator = sparse.csr_matrix(
            (np.ones(len(owner)), (np.arange(len(owner)), owner)), shape=(total, len(widths))
        )
        return matrix, indicator


class ProfileFields(Protocol):
    """What :class:`ProfileRows` reads of one sentence's profile."""

    @property
    def content(self) -> frozenset[str]: ...  # content words
    @property
    def bigrams(self) -> frozenset[tuple[str, str]]: ...  # word bigrams
    @property
    def char4(self) -> frozenset[str]: ...  # of the words joined by single spaces
    @property
    def char3(self) -> frozenset[str]: ...  # of the lowered text
    @property
    def char5(self) -> frozenset[str]: ...  # of the lowered text
    @property
    def ngrams(self) -> tuple[Mapping[tuple[str, ...], int], ...]: ...  # stem n-grams, n = 1..4
    @property
    def entities(self) -> frozenset[str]: ...
    @property
    def numbers(self) -> frozenset[str]: ...
    @property
    def negated(self) -> bool: ...
    @property
    def lowered(self) -> str: ...
    @property
    def stems(self) -> tuple[str, ...]: ...


def _spelt(sequences: Sequence[Sequence[str]]) -> list[str]:
    """Each sequence of stems as a string of one character per distinct stem, so rapidfuzz's string
    measures count whole stems, as they do on the sequences themselves.  Room for 1,048,576
    distinct stems (the code points past the surrogates; ``chr`` refuses more), far more than a
    story's."""
    ids: dict[str, int] = {}
    return [
        "".join(chr(_FIRST_STEM_CHARACTER + ids.setdefault(s, len(ids))) for s in stems)
        for stems in sequences
    ]


_SETS = ("content", "bigrams", "char4", "char3", "char5", "entities")
"""The blocks of :attr:`ProfileRows.sets`, in order."""


@dataclass(frozen=True, slots=True)
class ProfileRows:
    """A set of sentence profiles as sparse rows (row ``i``: profile ``i``).

    ``sets`` holds each profile's sets side by side (:data:`_SETS`: content words, word bigrams,
    character 4-, 3- and 5-grams, entities), ``grams`` its stemmed word n-gram counts (n = 1..4);
    ``set_sums`` / ``gram_sums`` sum a row block by block, ``set_sums`` with one more column, the
    content words' rarity.  Each row is read only against its pair's other row, so a pair's
    features are the same whichever other sentences were built alongside it (up to the order of
    floating-point sums, which follows the columns').  ``tfidf``: the normalised TF-IDF rows the
    caller computed."""

    tfidf: sparse.csr_matrix
    sets: sparse.csr_matrix
    set_sums: sparse.csr_matrix
    set_sizes: Floats  # rows × blocks of ``sets``
    content_weight: Floats  # per row: the summed rarity of its content words
    grams: sparse.csr_matrix
    gram_sums: sparse.csr_matrix
    numbers: Indices  # an id per distinct set of figures, -1 for none
    negated: npt.NDArray[np.bool_]
    length: Floats  # words (stems)
    lowered: list[str]
    stems: list[str]  # see _spelt

    @classmethod
    def build(
        cls,
        profiles: Iterable[ProfileFields],
        *,
        tfidf: sparse.csr_matrix,
        rarity: Mapping[str, float],
    ) -> ProfileRows:
        """The rows of ``profiles``, read one at a time (a caller may make each on the fly);
        ``rarity`` weighs the content words."""
        sets, grams = _Blocks(len(_SETS)), _Blocks(4)
        numbers: list[frozenset[str]] = []
        negated: list[bool] = []
        lowered: list[str] = []
        stems: list[tuple[str, ...]] = []
        for profile in profiles:
            sets.add(
                [
                    profile.content,
                    profile.bigrams,
                    profile.char4,
                    profile.char3,
                    profile.char5,
                    profile.entities,
                ]
            )
            grams.add(profile.ngrams)
            numbers.append(profile.numbers)
            negated.append(profile.negated)
            lowered.append(profile.lowered)
            stems.append(profile.stems)
        set_matrix, indicator = sets.matrices()
        weights = np.zeros(set_matrix.shape[1], dtype=np.float64)
        for word, column in sets.vocabularies[0].items():  # the content block starts at 0
            weights[column] = rarity[str(word)]
        gram_matrix, gram_sums = grams.matrices()
        figure_sets: dict[frozenset[str], int] = {}
        return cls(
            tfidf=tfidf,
            sets=set_matrix,
            set_sums=sparse.hstack(
                [indicator, sparse.csr_matrix(weights.reshape(-1, 1))], format="csr"
            ),
            set_sizes=np.asarray((set_matrix @ indicator).toarray(), dtype=np.float64),
            content_weight=np.asarray(set_matrix @ weights, dtype=np.float64),
            grams=gram_matrix,
            gram_sums=gram_sums,
            numbers=np.array(
                [figure_sets.setdefault(f, len(figure_sets)) if f else -1 for f in numbers],
                dtype=np.intp,
            ),
            negated=np.array(negated, dtype=np.bool_),
            length=np.array([len(s) for s in stems], dtype=np.float64),
            lowered=lowered,
            stems=_spelt(stems),
        )


def _both_ways(shared: Floats, left: Floats, right: Floats) -> tuple[Floats, Floats]:
    """``shared`` as a share of each side (1.0 for an empty side): the lower, then the higher."""
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.where(left > 0, shared / np.where(left > 0, left, 1.0), 1.0)
        second = np.where(right > 0, shared / np.where(right > 0, right, 1.0), 1.0)
    return np.minimum(first, second), np.maximum(first, second)


def _dice(shared: Floats, left: Floats, right: Floats) -> Floats:
    total = left + right
    return np.where(total > 0, 2 * shared / np.where(total > 0, total, 1.0), 1.0)


def lexical_rows(rows: ProfileRows, left: Indices, right: Indices) -> Floats:
    """The :data:`LEXICAL_COLUMNS` of each pair ``(left[k], right[k])`` of ``rows``' profiles."""
    found = np.zeros((len(left), len(LEXICAL_COLUMNS)), dtype=np.float64)
    for start in range(0, len(left), _CHUNK):
        chunk = slice(start, start + _CHUNK)
        found[chunk] = _chunk(rows, left[chunk], right[chunk])
    return found


def _chunk(rows: ProfileRows, a: Indices, b: Indices) -> Floats:
    column: dict[str, Floats] = {}
    shared_sets = np.asarray(
        (rows.sets[a].multiply(rows.sets[b]) @ rows.set_sums).toarray(), dtype=np.float64
    )
    matched_grams = np.asarray(
        (rows.grams[a].minimum(rows.grams[b]) @ rows.gram_sums).toarray(), dtype=np.float64
    )
    shared = dict(zip(_SETS, shared_sets.T, strict=False))
    left = dict(zip(_SETS, rows.set_sizes[a].T, strict=True))
    right = dict(zip(_SETS, rows.set_sizes[b].T, strict=True))
    shared_weight = shared_sets[:, len(_SETS)]
    only_a, only_b = left["content"] - shared["content"], right["content"] - shared["content"]
    length_a, length_b = rows.length[a], rows.length[b]
    figures_a, figures_b = rows.numbers[a] >= 0, rows.numbers[b] >= 0
    entity_union = left["entities"] + right["entities"] - shared["entities"]
    lowered_a, lowered_b = [rows.lowered[i] for i in a], [rows.lowered[i] for i in b]
    stems_a, stems_b = [rows.stems[i] for i in a], [rows.stems[i] for i in b]
    column["tfidf"] = np.asarray(
        rows.tfidf[a].multiply(rows.tfidf[b]).sum(axis=1), dtype=np.float64
    ).ravel()
    column["token_set"] = (
        cpdist(lowered_a, lowered_b, scorer=fuzz.token_set_ratio, dtype=np.float64) / 100.0
    )
    column["bigram_dice"] = _dice(shared["bigrams"], left["bigrams"], right["bigrams"])
    column["char4_dice"] = _dice(shared["char4"], left["char4"], right["char4"])
    column["coverage_min"] = _both_ways(shared["content"], left["content"], right["content"])[0]
    column["unmatched_log"] = np.log1p(only_a + only_b)
    column["length_ratio"] = np.minimum(length_a, length_b) / np.maximum(
        np.maximum(length_a, length_b), 1
    )
    column["numbers_conflict"] = (
        figures_a & figures_b & (rows.numbers[a] != rows.numbers[b])
    ).astype(np.float64)
    column["numbers_one_sided"] = (figures_a != figures_b).astype(np.float64)
    column["entity_jaccard"] = np.where(
        entity_union > 0, shared["entities"] / np.where(entity_union > 0, entity_union, 1.0), 1.0
    )
    column["entity_unmatched"] = np.log1p(
        left["entities"] + right["entities"] - 2 * shared["entities"]
    )
    for n in (1, 2, 3, 4):
        low, high = _both_ways(
            matched_grams[:, n - 1],
            np.maximum(length_a - n + 1, 0),
            np.maximum(length_b - n + 1, 0),
        )
        # A side too short for n-grams of this size shares none: 0, not "all of them matched".
        short = (length_a < n) | (length_b < n)
        column[f"ngram{n}_min"] = np.where(short, 0.0, low)
        column[f"ngram{n}_max"] = np.where(short, 0.0, high)
    common = cpdist(stems_a, stems_b, scorer=LCSseq.similarity, dtype=np.int64).astype(np.float64)
    column["lcs_longer"] = common / np.maximum(np.maximum(length_a, length_b), 1)
    column["lcs_shorter"] = common / np.maximum(np.minimum(length_a, length_b), 1)
    column["negation_mismatch"] = (rows.negated[a] != rows.negated[b]).astype(np.float64)
    column["length_difference"] = np.abs(length_a - length_b)
    column["log_length_ratio_sq"] = np.log((length_a + 1) / (length_b + 1)) ** 2
    column["unmatched_min"] = np.minimum(only_a, only_b)
    column["unmatched_max"] = np.maximum(only_a, only_b)
    column["edit_similarity"] = cpdist(
        stems_a, stems_b, scorer=Levenshtein.normalized_similarity, dtype=np.float64
    )
    # Clipped: the weight of the words one side lacks is its total less the shared weight, which
    # rounding can take a hair below zero.
    unmatched_a = np.maximum(rows.content_weight[a] - shared_weight, 0.0)
    unmatched_b = np.maximum(rows.content_weight[b] - shared_weight, 0.0)
    column["unmatched_idf_min"] = np.log1p(np.minimum(unmatched_a, unmatched_b))
    column["unmatched_idf_max"] = np.log1p(np.maximum(unmatched_a, unmatched_b))
    column["coverage_idf_min"], column["coverage_idf_max"] = _both_ways(
        shared_weight, rows.content_weight[a], rows.content_weight[b]
    )
    for name in ("char3", "char5"):
        column[f"{name}_min"], column[f"{name}_max"] = _both_ways(
            shared[name], left[name], right[name]
        )
    return np.column_stack([column[name] for name in LEXICAL_COLUMNS])
