"""Near-duplicate families: a wire copy and its re-runs with small edits count as one source.

Two steps, shaped for Spark as much as for one process (see DESIGN.md):

* :func:`signatures` — the **map**.  Per article, from its text alone: a hash of the normalised
  text (exact duplicates) and a MinHash signature of its word shingles.  A :class:`Signature` is a
  few hundred bytes when pickled and keeps no text or shingle set, so the barrier moves little data.
* :func:`group` — the **barrier**.  Exact duplicates collapse first (same normalised text, same
  family, no further work).  One representative of each exact group goes through LSH banding:
  signatures that agree on every row of at least one band become candidate pairs, and a candidate
  pair is kept only when the signatures' estimated Jaccard similarity reaches
  ``DedupeSettings.threshold``.  Families are the connected components of the kept pairs.
  The grouping is a pure function of the signatures: on Spark, ``flatMap(band_keys)``, ``groupBy``
  the key, verify the pairs of each bucket, then connected components give the same families.

A family's id is the smallest article id in it, so families do not depend on input order, and a
singleton's family id is its own id.

Hashing is done once per token (CRC-32 of the token's UTF-8 bytes, deterministic on every machine
and Python process, unlike ``hash()``), shingle hashes are combined from token hashes with numpy,
and the ``num_perm`` hash functions are multiply-add permutations of 64-bit shingle hashes applied
as one numpy operation per article.  That is why this stage needs no dependency beyond numpy and
why it is several times faster than hashing every shingle with SHA-1 in Python.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from newsfuse.config import DedupeSettings
from newsfuse.models import Article
from newsfuse.stages.grouping import UnionFind

__all__ = [
    "CONTAINMENT_MIN_JACCARD",
    "EXHAUSTIVE_UP_TO",
    "DedupeSettings",
    "Signature",
    "assign_families",
    "band_keys",
    "estimate_jaccard",
    "group",
    "joined",
    "normalise",
    "refine_families",
    "signatures",
]

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]

_WORD = re.compile(r"\w+")
_MAX_HASH = 0xFFFFFFFF  # every slot of an empty text's signature: larger than any real minimum
_CHUNK = 2048  # shingles per numpy block: bounds the temporary (chunk x num_perm x 8 bytes)
_PAIR_CHUNK = 16384  # candidate pairs verified per numpy block: two 8 MB slices of the matrix
_SLOT = next(code for code in ("I", "L") if array(code).itemsize == 4)  # a 4-byte unsigned int

CONTAINMENT_MIN_JACCARD = 0.125
"""The Jaccard a pair needs before containment is considered (see :func:`joined`): 16 of 128
slots, so one slot more or less moves the containment estimate by a few points, not tens."""
EXHAUSTIVE_UP_TO = 1000
"""Up to this many distinct texts :func:`group` compares every pair rather than banded candidates."""


_DEFAULT = DedupeSettings()


@dataclass(frozen=True, slots=True)
class Signature:
    """What the barrier needs to know about one article, and nothing more.

    ``exact`` is a hash of the normalised text (same value = same words, whatever the whitespace,
    case or punctuation); ``minhash`` holds ``num_perm`` unsigned 32-bit minima; ``shingles`` is the
    size of the shingle set they summarise.
    """

    article_id: str
    exact: str
    minhash: tuple[int, ...]
    shingles: int = 0
    """How many distinct shingles the text has (0 when unknown, as for signatures stored before it
    was kept): with the Jaccard estimate it gives how much of the shorter text the longer holds."""


def normalise(text: str) -> str:
    """Return the words of ``text``, NFKC-normalised and case-folded, joined by single spaces.

    Punctuation, quotes and layout are dropped so that a re-run pasted with other line breaks or
    curly instead of straight quotes is still an exact duplicate.
    """
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def signatures(article_id: str, text: str, settings: DedupeSettings | None = None) -> Signature:
    """Compute the :class:`Signature` of one article (the map step; pure and picklable)."""
    settings = settings or _DEFAULT
    normal = normalise(text).encode("utf-8")
    exact = hashlib.blake2b(normal, digest_size=16).hexdigest()
    shingles = _shingle_hashes(normal, settings.shingle)
    distinct = int(np.unique(shingles).size)
    return Signature(article_id, exact, tuple(_minhash(shingles, settings).tolist()), distinct)


def band_keys(sig: Signature, settings: DedupeSettings | None = None) -> list[str]:
    """The LSH bucket keys of a signature: ``"<band>:<hex of the band's rows>"``.

    Two signatures are candidates exactly when they share a key.  Keys are built from the values
    themselves (big-endian), so they are the same on every machine: on Spark, group by them.
    """
    settings = settings or _DEFAULT
    values = np.asarray(sig.minhash, dtype=">u4")
    r = settings.rows
    return [f"{b:02d}:{values[b * r : (b + 1) * r].tobytes().hex()}" for b in range(settings.bands)]


def estimate_jaccard(left: Signature, right: Signature) -> float:
    """The share of MinHash slots on which two signatures agree: an estimate of their Jaccard."""
    if len(left.minhash) != len(right.minhash):
        raise ValueError("signatures were computed with different num_perm")
    if not left.minhash:
        return 0.0
    same = sum(a == b for a, b in zip(left.minhash, right.minhash, strict=True))
    return same / len(left.minhash)


def joined(
    agree: npt.NDArray[np.int64],
    left_shingles: npt.NDArray[np.int64],
    right_shingles: npt.NDArray[np.int64],
    settings: DedupeSettings,
) -> npt.NDArray[np.bool_]:
    """Whether each pair of signatures is one family, from the MinHash slots they agree on and the
    sizes of their shingle sets: the one rule of every place that joins families.

    A pair is joined when its estimated Jaccard reaches ``settings.threshold`` (a re-run with small
    edits), or when the shorter text lies within the longer one (a re-run cut to fit: a paper that
    runs the first third of a wire copy shares a third of its shingles, a Jaccard of 0.33, and is
    still the same source).  The share of the shorter text's shingles that the longer one holds is
    estimated from the Jaccard ``J`` and the set sizes ``a <= b`` as ``J (a + b) / ((1 + J) a)``;
    it must reach ``settings.containment``, and ``J`` must reach :data:`CONTAINMENT_MIN_JACCARD`,
    which keeps the estimate's error small and means a copy shorter than an eighth of its source
    is not matched.  Signatures with no shingle count (0) are judged by the Jaccard alone.
    """
    agree = np.asarray(agree, dtype=np.int64)
    by_jaccard = agree >= settings.threshold * settings.num_perm - 1e-9
    if settings.containment <= 0:
        return by_jaccard
    left = np.asarray(left_shingles, dtype=np.float64)
    right = np.asarray(right_shingles, dtype=np.float64)
    smaller = np.minimum(left, right)
    jaccard = agree / settings.num_perm
    shared = jaccard / (1.0 + jaccard) * (left + right)
    contained = shared >= settings.containment * smaller - 1e-9
    enough = agree >= CONTAINMENT_MIN_JACCARD * settings.num_perm - 1e-9
    return by_jaccard | (contained & enough & (smaller > 0))


def group(
    signatures: Iterable[Signature], settings: DedupeSettings | None = None
) -> dict[str, str]:
    """Map every article id to its family id, the smallest article id of its family (the barrier).

    Input order does not matter: signatures are sorted by id first, and every candidate pair is
    found whatever the order.  Candidates come from LSH banding, whose work is linear in the number
    of articles plus the number of candidate pairs (a bucket of ``m`` signatures yields
    ``m(m-1)/2`` pairs).  Banding finds a pair of Jaccard 0.5 with probability 0.87 but a cut copy
    of Jaccard 0.33 with 0.32, so up to :data:`EXHAUSTIVE_UP_TO` distinct texts (one story's report,
    a small corpus) every pair is a candidate instead: at most half a million comparisons of two
    rows, a fraction of a second, and no cut copy is missed for want of a shared band.
    """
    settings = settings or _DEFAULT
    width = settings.num_perm
    # Keep each signature as 4 bytes per slot, not as a tuple of Python ints (~40 bytes per slot):
    # a streamed input never has to be held in memory as Signature objects.
    row_of: dict[str, int] = {}
    exacts: list[str] = []
    slots = array(_SLOT)
    sizes = array("q")
    for sig in signatures:
        if len(sig.minhash) != width:
            raise ValueError(
                f"signature of {sig.article_id} has {len(sig.minhash)} slots, settings say {width}"
            )
        if sig.article_id in row_of:  # ids are content hashes: a repeated id is the same article
            continue
        row_of[sig.article_id] = len(exacts)
        exacts.append(sig.exact)
        slots.extend(sig.minhash)
        sizes.append(sig.shingles)
    ids = sorted(row_of)
    rep_rows, rep_of = _exact_representatives([exacts[row_of[i]] for i in ids])
    del exacts
    order = np.fromiter((row_of[i] for i in ids), dtype=np.int64, count=len(ids))
    matrix = np.frombuffer(slots, dtype=np.uint32).reshape(-1, width)[order[rep_rows]]
    shingles = np.frombuffer(sizes, dtype=np.int64)[order[rep_rows]]
    del slots, sizes
    roots = _near_duplicate_roots(matrix, shingles, settings)
    # sorted position of each id's family name: its representative's root, as a position
    family_pos = rep_rows[roots[rep_of]].tolist()
    return dict(zip(ids, map(ids.__getitem__, family_pos), strict=True))


def _exact_representatives(exacts: Sequence[str]) -> tuple[npt.NDArray[np.int64], ...]:
    """For texts listed in id order: the positions of each distinct text's first (smallest-id)
    occurrence, and for every position the index of its text among those representatives.

    Integer arrays rather than dicts keyed by id: at 100k articles, chains of dict lookups over
    ids cost more per article than at 10k (memory, not work), and arrays do not.
    """
    first: dict[str, int] = {}
    rep_of = np.fromiter(
        (first.setdefault(exact, len(first)) for exact in exacts), dtype=np.int64, count=len(exacts)
    )
    rep_rows = np.full(len(first), len(exacts), dtype=np.int64)
    np.minimum.at(rep_rows, rep_of, np.arange(len(exacts), dtype=np.int64))
    return rep_rows, rep_of


def assign_families(
    articles: Sequence[Article], settings: DedupeSettings | None = None
) -> list[Article]:
    """Return copies of ``articles`` (same order) with ``dup_group`` set to their family id."""
    settings = settings or _DEFAULT
    families = group((signatures(a.id, a.text, settings) for a in articles), settings)
    return [dataclasses.replace(a, dup_group=families[a.id]) for a in articles]


def refine_families(
    articles: Sequence[Article], settings: DedupeSettings | None = None
) -> list[Article]:
    """Return copies of ``articles`` (same order) whose families also hold the joins :func:`group`
    finds among them, as well as those they came with (``dup_group``).

    For one story's articles from a corpus: corpus families come from banded candidates (a store
    ingest, Spark, a corpus of more than :data:`EXHAUSTIVE_UP_TO` texts), which miss most copies
    cut to a third of their source; within one story every pair is compared, so its report counts
    such a copy as the source it copies.  A family keeps its name (its smallest article id, which
    may be an article outside the story) unless two families are joined, when the smaller name is
    kept.  Articles with no ``dup_group`` are their own family; on articles that
    :func:`assign_families` just grouped it changes nothing.
    """
    settings = settings or _DEFAULT
    found = group((signatures(a.id, a.text, settings) for a in articles), settings)
    families = UnionFind[str](
        key for a in articles for key in (a.id, a.dup_group or a.id, found[a.id])
    )
    for article in articles:
        families.union(article.id, article.dup_group or article.id)
        families.union(article.id, found[article.id])
    return [
        a
        if a.dup_group == (family := families.find(a.id))
        else dataclasses.replace(a, dup_group=family)
        for a in articles
    ]


# --- hashing --------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[U64, U64]:
    """Multipliers (odd, so each map is a bijection on 64-bit values) and offsets of the hashes."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64, endpoint=False) | np.uint64(1)
    b = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64, endpoint=False)
    return a, b


@lru_cache(maxsize=8)
def _position_multipliers(shingle: int) -> U64:
    """Fixed odd constants that weight each word's hash by its position in the shingle."""
    rng = np.random.default_rng(0x5EED)
    return rng.integers(0, 2**64, size=shingle, dtype=np.uint64) | np.uint64(1)


def _shingle_hashes(normal: bytes, k: int) -> U64:
    """64-bit hashes of every ``k``-word shingle of a normalised text (a text shorter than ``k``
    words is one shingle; an empty text has none)."""
    words = normal.split()
    if not words:
        return np.empty(0, dtype=np.uint64)
    tokens = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    k = min(k, len(tokens))
    count = len(tokens) - k + 1
    weights = _position_multipliers(k)
    mixed: U64 = tokens[:count] * weights[0]
    for j in range(1, k):
        mixed += tokens[j : j + count] * weights[j]
    # murmur3's 64-bit finaliser: spreads the sum over all bits before the permutations
    mixed ^= mixed >> np.uint64(33)
    mixed *= np.uint64(0xFF51AFD7ED558CCD)
    mixed ^= mixed >> np.uint64(33)
    mixed *= np.uint64(0xC4CEB9FE1A85EC53)
    mixed ^= mixed >> np.uint64(33)
    return mixed


def _minhash(shingles: U64, settings: DedupeSettings) -> U32:
    """The ``num_perm`` minima of ``a * h + b (mod 2**64)`` over the shingle hashes, top 32 bits.

    Taking the top bits after the minimum equals the minimum of the top bits, and saves a pass.
    """
    a, b = _permutations(settings.num_perm, settings.seed)
    if len(shingles) == 0:
        return np.full(settings.num_perm, _MAX_HASH, dtype=np.uint32)
    low = np.full(settings.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(shingles), _CHUNK):
        block = np.multiply.outer(shingles[start : start + _CHUNK], a)
        block += b
        np.minimum(low, block.min(axis=0), out=low)
    return (low >> np.uint64(32)).astype(np.uint32)


# --- the barrier -----------------------------------------------------------------------------


def _near_duplicate_roots(
    matrix: U32, shingles: npt.NDArray[np.int64], settings: DedupeSettings
) -> npt.NDArray[np.int64]:
    """For each row (representatives sorted by id), the row of its family's smallest member."""
    n = matrix.shape[0]
    if settings.containment > 0 and n <= EXHAUSTIVE_UP_TO:
        left, right = (side.astype(np.int64) for side in np.triu_indices(n, k=1))
    else:
        left, right = _candidate_pairs(matrix, settings)
    return _components(n, *_verified(matrix, shingles, left, right, settings))


def _components(
    n: int, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Connected components of ``n`` nodes and the given edges: each node's smallest member.

    Min-label propagation with pointer jumping, in numpy: the same components and roots as a
    union-find (the smallest index is the root), without a Python call per node and per edge.
    Families are small, so it settles in a few rounds.
    """
    label = np.arange(n, dtype=np.int64)
    while left.size:
        low = np.minimum(label[left], label[right])
        np.minimum.at(label, left, low)
        np.minimum.at(label, right, low)
        label = label[label]  # pointer jumping: a label's own label is smaller still, or itself
        if np.array_equal(label[left], label[right]) and np.array_equal(label[label], label):
            break
    return label


def _candidate_pairs(matrix: U32, settings: DedupeSettings) -> tuple[npt.NDArray[np.int64], ...]:
    """Every pair ``(i, j)``, ``i < j``, whose rows agree on all values of at least one band
    (within ``max_bucket`` positions of each other in id order, when that is set).

    Each band's rows are folded into one 64-bit key; a fold collision only adds a candidate that
    verification then rejects, so it cannot merge two families.
    """
    n = matrix.shape[0]
    r = settings.rows
    weights = _position_multipliers(r)
    codes: list[npt.NDArray[np.int64]] = []
    for band in range(settings.bands):
        rows = matrix[:, band * r : (band + 1) * r].astype(np.uint64)
        keys = (rows * weights).sum(axis=1, dtype=np.uint64) + np.uint64(band)
        order = np.argsort(keys, kind="stable")  # within a bucket: row (= id) order
        sorted_keys = keys[order]
        same_as_next = sorted_keys[1:] == sorted_keys[:-1]
        if not same_as_next.any():
            continue
        # for each sorted position, how many later positions share its key
        run_start = np.flatnonzero(np.concatenate(([True], ~same_as_next)))
        run_end = np.append(run_start[1:], n)
        lengths = run_end - run_start
        remaining = np.repeat(run_end, lengths) - np.arange(n) - 1
        if settings.max_bucket is not None:  # see DedupeSettings
            np.minimum(remaining, settings.max_bucket - 1, out=remaining)
        active = np.flatnonzero(remaining > 0)
        step = 1
        while active.size:
            lo = order[active].astype(np.int64)
            hi = order[active + step].astype(np.int64)
            codes.append(np.minimum(lo, hi) * n + np.maximum(lo, hi))
            step += 1
            active = active[remaining[active] >= step]
    if not codes:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    # sort + compare rather than np.unique, which hashes int64 arrays and is several times slower
    joined = np.sort(np.concatenate(codes))
    unique = joined[np.concatenate(([True], joined[1:] != joined[:-1]))]
    return unique // n, unique % n


def _verified(
    matrix: U32,
    shingles: npt.NDArray[np.int64],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    settings: DedupeSettings,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The candidate pairs that :func:`joined` joins."""
    keep = np.zeros(left.shape[0], dtype=bool)
    for start in range(0, left.shape[0], _PAIR_CHUNK):
        stop = start + _PAIR_CHUNK
        rows_left, rows_right = left[start:stop], right[start:stop]
        agree = (matrix[rows_left] == matrix[rows_right]).sum(axis=1)
        keep[start:stop] = joined(agree, shingles[rows_left], shingles[rows_right], settings)
    return left[keep], right[keep]
