"""Near-duplicate families that grow across ingests, looked up through the store's band keys.

:func:`newsfuse.stages.dedupe.group` finds the families of the articles it is given, all at once.
An ingest adds articles batch by batch, over days, and tomorrow's re-run of a wire copy must join
today's family without re-hashing everything stored.  So each stored article keeps its MinHash
signature and its LSH band keys (folded to 64-bit integers, indexed), and a new batch:

1. computes its articles' signatures and band keys;
2. takes as candidates the stored articles sharing a key (one index lookup per key) and the batch's
   own articles sharing a key;
3. keeps a candidate pair that :func:`~newsfuse.stages.dedupe.joined` joins (the estimated Jaccard
   reaches ``DedupeSettings.threshold``, or the shorter text lies within the longer) — the same
   test as ``group`` — and joins the new article to the candidate's family;
4. names each resulting family by its smallest article id (as ``group`` does) and renames stored
   families that were joined or bridged.

Every pair is tested once, when the later of its two articles arrives, so the families after any
sequence of batches are the connected components ``group`` finds over all the articles at once,
except that ``group`` compares every pair of a small set where only banded candidates are compared
here: a copy cut to a third of its source shares a band with it only about a third of the time.
Articles stored before shingle counts were kept (count 0) are matched by the Jaccard alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsfuse.models import Article
from newsfuse.stages.dedupe import DedupeSettings, Signature, band_keys, joined, signatures
from newsfuse.stages.grouping import UnionFind
from newsfuse.store import Store

__all__ = ["FamilyUpdate", "fold_key", "join_families"]


@dataclass(frozen=True, slots=True)
class FamilyUpdate:
    """What one batch did to the families: its articles' family ids, and stored families renamed."""

    family_of: dict[str, str]
    """New article id → family id."""
    renamed: dict[str, str]
    """Stored family id → the family id it became (it was joined by a smaller id or bridged)."""
    joined: int
    """New articles whose family has other members (stored or in the batch)."""
    signatures: dict[str, tuple[bytes, list[int], int]]
    """New article id → (packed MinHash, folded band keys, shingle count), to keep once the article
    is stored."""

    def save_signatures(self, store: Store) -> None:
        """Keep the batch's signatures and band keys (after its articles: they refer to them)."""
        store.put_signatures(self.signatures)


def fold_key(key: str) -> int:
    """A band key (``"<band>:<hex>"``) as a signed 64-bit integer, the store's indexed column."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def _packed(sig: Signature) -> bytes:
    return np.asarray(sig.minhash, dtype=">u4").tobytes()


def _agree(left: bytes, right: bytes) -> int:
    a = np.frombuffer(left, dtype=">u4")
    b = np.frombuffer(right, dtype=">u4")
    if a.shape != b.shape:
        return -1  # a signature made under other settings can never match
    return int((a == b).sum())


def join_families(
    store: Store, articles: Sequence[Article], settings: DedupeSettings
) -> FamilyUpdate:
    """Assign the batch's ``articles`` to families, joining (and renaming) stored ones.

    Call inside ``store.batch()``, then put the articles and :meth:`FamilyUpdate.save_signatures`
    in the same batch, so the lookup and the writes are one transaction and a concurrent ingest
    cannot slip an article in between.
    """
    sigs = {a.id: signatures(a.id, a.text, settings) for a in articles}
    new_ids = sorted(sigs)
    keys = {i: sorted({fold_key(k) for k in band_keys(sigs[i], settings)}) for i in new_ids}
    packed = {i: _packed(sigs[i]) for i in new_ids}
    shingles = {i: sigs[i].shingles for i in new_ids}
    stored_by_key = store.band_key_matches(sorted({k for ks in keys.values() for k in ks}))
    stored = store.signatures_of(sorted({i for ids in stored_by_key.values() for i in ids}))
    stored_families = sorted({family for _, family, _ in stored.values()})

    # Every candidate pair first (a new article and a stored family, or two new articles), then
    # one vectorized verdict for them all.  Nodes are the new articles and the stored families
    # (each already one component); the smallest key of a set is its root, which is exactly how a
    # family is named, so the order of the unions does not matter.
    pairs: list[tuple[str, str]] = []
    agreements: list[int] = []
    sizes_of_pair: list[tuple[int, int]] = []
    seen_by_key: dict[int, list[str]] = {}
    for article_id in new_ids:
        tested: set[str] = set()
        for key in keys[article_id]:
            for other in stored_by_key.get(key, ()):
                if other not in tested:
                    tested.add(other)
                    minhash, family, size = stored[other]
                    agree = _agree(packed[article_id], minhash)
                    if agree >= 0:
                        pairs.append((article_id, family))
                        agreements.append(agree)
                        sizes_of_pair.append((shingles[article_id], size))
            for other in seen_by_key.get(key, ()):
                if other not in tested:
                    tested.add(other)
                    pairs.append((article_id, other))
                    agreements.append(_agree(packed[article_id], packed[other]))
                    sizes_of_pair.append((shingles[article_id], shingles[other]))
            seen_by_key.setdefault(key, []).append(article_id)

    families = UnionFind[str]([*new_ids, *stored_families])
    if pairs:
        left_sizes, right_sizes = zip(*sizes_of_pair, strict=True)
        verdicts = joined(
            np.array(agreements), np.array(left_sizes), np.array(right_sizes), settings
        )
        for (left, right), same in zip(pairs, verdicts.tolist(), strict=True):
            if same:
                families.union(left, right)

    family_of = {i: families.find(i) for i in new_ids}
    renamed = {f: families.find(f) for f in stored_families if families.find(f) != f}
    for old, new in renamed.items():
        store.rename_family(old, new)
    sizes: dict[str, int] = {}
    for node in [*new_ids, *stored_families]:
        root = families.find(node)
        sizes[root] = sizes.get(root, 0) + 1
    joined_count = sum(1 for i in new_ids if sizes[family_of[i]] > 1)
    return FamilyUpdate(
        family_of=family_of,
        renamed=renamed,
        joined=joined_count,
        signatures={i: (packed[i], keys[i], shingles[i]) for i in new_ids},
    )
