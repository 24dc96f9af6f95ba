"""Near-duplicate families on real text: the example story's wire copy and its re-run, the seeds."""

from __future__ import annotations

import dataclasses
import importlib
import pickle
import random
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from factories import make_article
from newsfuse.config import CleanSettings, IngestSettings
from newsfuse.models import Article, RawDocument, content_id
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.dedupe import (
    DedupeSettings,
    Signature,
    _candidate_pairs,
    _components,
    assign_families,
    band_keys,
    estimate_jaccard,
    group,
    normalise,
    refine_families,
    signatures,
)
from newsfuse.stages.grouping import UnionFind
from newsfuse.stages.ingest.files import read_inputs

WIRE = "02_calderra-press-agency.txt"
RERUN = "04_eastshore-daily.txt"


def _clean(directory: Path) -> dict[str, Article]:
    """Cleaned articles by file name (ingest + clean only: no spaCy, so the tests stay fast)."""
    docs = [
        d for d in read_inputs([str(directory)], IngestSettings()) if isinstance(d, RawDocument)
    ]
    return {Path(d.origin).name: clean_document(d, CleanSettings()) for d in docs}


@pytest.fixture(scope="module")
def example(examples_dir: Path) -> dict[str, Article]:
    return _clean(examples_dir)


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Article]:
    return _clean(seeds_dir)


def _article(text: str, name: str = "x") -> Article:
    return make_article(text, article_id=content_id(name, text, prefix="art_"), origin=name)


def test_wire_copy_and_its_rerun_share_a_family(example: dict[str, Article]) -> None:
    families = {
        name: a.dup_group
        for name, a in zip(example, assign_families(list(example.values())), strict=True)
    }
    assert families[WIRE] == families[RERUN]
    assert families[WIRE] == min(example[WIRE].id, example[RERUN].id)
    others = [name for name in example if name not in (WIRE, RERUN)]
    assert len(others) == 6
    for name in others:  # every other outlet's report is a family of its own
        assert families[name] == example[name].id, name


def test_rerun_similarity_is_well_above_the_threshold(example: dict[str, Article]) -> None:
    settings = DedupeSettings()
    wire, rerun = (signatures(example[n].id, example[n].text, settings) for n in (WIRE, RERUN))
    assert estimate_jaccard(wire, rerun) > settings.threshold + 0.1
    assert set(band_keys(wire, settings)) & set(band_keys(rerun, settings))
    for name, article in example.items():
        if name not in (WIRE, RERUN):
            other = signatures(article.id, article.text, settings)
            assert estimate_jaccard(wire, other) < 0.2, name


def test_seeds_are_distinct_families(seeds: dict[str, Article]) -> None:
    assert len(seeds) == 5
    families = group(signatures(a.id, a.text) for a in seeds.values())
    assert families == {a.id: a.id for a in seeds.values()}


def test_identical_texts_share_a_family(example: dict[str, Article]) -> None:
    original = example["01_merrow-herald.txt"]
    copy = dataclasses.replace(original, id="art_copy", origin="copy.txt")
    reflowed = dataclasses.replace(
        original, id="art_reflowed", text=" ".join(original.text.split()).upper()
    )
    sigs = [signatures(a.id, a.text) for a in (original, copy, reflowed)]
    assert len({s.exact for s in sigs}) == 1  # layout and case do not matter
    families = group(sigs)
    assert set(families.values()) == {min(families)}


def test_order_does_not_matter(example: dict[str, Article], seeds: dict[str, Article]) -> None:
    sigs = [signatures(a.id, a.text) for a in [*example.values(), *seeds.values()]]
    expected = group(sigs)
    rng = random.Random(3)
    for _ in range(5):
        shuffled = list(sigs)
        rng.shuffle(shuffled)
        assert group(shuffled) == expected
        assert group(reversed(shuffled)) == expected


def test_families_on_a_small_generated_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Families on a few hundred articles match the generator's truth labels, in any order."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "benchmarks"))
    corpus = importlib.import_module("corpus")
    articles = corpus.generate(400, seed=11)
    sigs = [signatures(a.id, a.text) for a in articles]
    families = group(sigs)
    truth: dict[str, set[str]] = {}
    found: dict[str, set[str]] = {}
    for a in articles:
        truth.setdefault(a.family, set()).add(a.id)
        found.setdefault(families[a.id], set()).add(a.id)
    assert sorted(map(sorted, found.values())) == sorted(map(sorted, truth.values()))
    assert all(family == min(members) for family, members in found.items())
    assert group(sigs[::-1]) == families


def test_deterministic_and_picklable(example: dict[str, Article]) -> None:
    article = example[WIRE]
    first = signatures(article.id, article.text)
    assert signatures(article.id, article.text) == first
    assert pickle.loads(pickle.dumps(first)) == first
    assert len(first.minhash) == DedupeSettings().num_perm
    assert all(0 <= v < 2**32 for v in first.minhash)
    assert len(pickle.dumps(first)) < 1000  # compact: what Spark shuffles
    keys = band_keys(first)
    assert len(keys) == DedupeSettings().bands
    assert len(set(keys)) == len(keys)


def test_seed_changes_signatures_not_families(example: dict[str, Article]) -> None:
    settings = DedupeSettings(seed=99)
    articles = list(example.values())
    default = group(signatures(a.id, a.text) for a in articles)
    reseeded_sigs = [signatures(a.id, a.text, settings) for a in articles]
    assert reseeded_sigs[0].minhash != signatures(articles[0].id, articles[0].text).minhash
    assert group(reseeded_sigs, settings) == default


def test_empty_and_short_texts_do_not_crash() -> None:
    articles = [_article("", "empty"), _article("...", "dots"), _article("Strike ends.", "short")]
    families = assign_families(articles)
    empty, dots, short = (a.dup_group for a in families)
    assert (
        empty == dots == min(articles[0].id, articles[1].id)
    )  # no words: the same normalised text
    assert short == articles[2].id
    assert group([]) == {}
    assert assign_families([]) == []


def test_mismatched_signatures_are_rejected() -> None:
    sig = signatures("a", "one two three four five six")
    short = Signature("b", sig.exact, sig.minhash[:10])
    with pytest.raises(ValueError, match="slots"):
        group([sig, short])
    with pytest.raises(ValueError, match="bands x rows"):
        DedupeSettings(bands=50, rows=3)


def test_normalise_ignores_layout_case_and_punctuation() -> None:
    assert normalise("“Port  Merrow”—STRIKE,\n\nends!") == "port merrow strike ends"


def test_estimate_tracks_true_jaccard() -> None:
    """The estimate stays within a few standard errors of the exact shingle Jaccard."""
    rng = random.Random(5)
    words = [f"w{rng.randrange(10**6)}" for _ in range(400)]
    for changes in (0, 10, 40, 120):
        other = list(words)
        for _ in range(changes):
            other[rng.randrange(len(other))] = f"x{rng.randrange(10**6)}"
        left, right = ({tuple(w[i : i + 5]) for i in range(len(w) - 4)} for w in (words, other))
        true = len(left & right) / len(left | right)
        estimate = estimate_jaccard(
            signatures("a", " ".join(words)), signatures("b", " ".join(other))
        )
        assert abs(estimate - true) < 0.15, (changes, true, estimate)


def test_max_bucket_bounds_candidate_pairs_and_keeps_real_families() -> None:
    rng = random.Random(3)
    width = DedupeSettings().num_perm
    # 300 signatures that share the first band (a stock phrase) and nothing else ...
    shared = [rng.getrandbits(32) for _ in range(4)]
    sigs = [
        Signature(
            f"a{i:03d}", f"e{i}", tuple(shared + [rng.getrandbits(32) for _ in range(width - 4)])
        )
        for i in range(300)
    ]
    # ... and one true near-duplicate pair among them (identical beyond the first band)
    sigs.append(Signature("a999", "e999", sigs[150].minhash))
    matrix = np.array(
        [s.minhash for s in sorted(sigs, key=lambda s: s.article_id)], dtype=np.uint32
    )
    unbounded = _candidate_pairs(matrix, DedupeSettings())[0].size
    bounded = _candidate_pairs(matrix, DedupeSettings(max_bucket=16))[0].size
    assert unbounded == 301 * 300 // 2  # every pair of the shared bucket
    assert bounded <= 301 * 15 + 1  # neighbours in id order, plus a999's own buckets
    families = group(sigs, DedupeSettings(max_bucket=16))
    assert families["a999"] == families["a150"] == "a150"
    assert len(set(families.values())) == 300
    with pytest.raises(ValueError):
        DedupeSettings(max_bucket=1)


def test_components_match_a_union_find_on_long_chains_and_stars() -> None:
    """The numpy min-label propagation names each component by its smallest member, like the
    union-find it replaced, also when edges arrive in the order that needs the most rounds."""
    rng = random.Random(5)
    n = 2000
    edges = [(i, i + 1) for i in range(0, 600)][::-1]  # one long chain, far end first
    edges += [(1500, j) for j in range(1501, 1600)]  # a star
    edges += [(rng.randrange(n), rng.randrange(n)) for _ in range(400)]  # random bridges
    expected = UnionFind[int](range(n))
    for i, j in edges:
        expected.union(i, j)
    left = np.array([min(e) for e in edges], dtype=np.int64)
    right = np.array([max(e) for e in edges], dtype=np.int64)
    found = _components(n, left, right)
    assert found.tolist() == [expected.find(i) for i in range(n)]
    assert _components(3, left[:0], right[:0]).tolist() == [0, 1, 2]


def _cut(article: Article, share: float, name: str) -> Article:
    """A paper's re-run of ``article`` cut to its first ``share`` of paragraphs, new dateline."""
    paragraphs = [p for p in article.text.splitlines() if p.strip()]
    keep = paragraphs[: max(1, round(len(paragraphs) * share))]
    return _article("PORT CALDERRA (Local Daily) - " + "\n\n".join(keep), name)


def test_a_wire_copy_cut_to_its_first_third_is_one_source_with_it(
    example: dict[str, Article],
) -> None:
    """A third of the wire copy shares about a third of its shingles (below the Jaccard test):
    the containment test joins it, and no other outlet's report joins the family with it."""
    wire = example[WIRE]
    cut = _cut(wire, 1 / 3, "cut")
    settings = DedupeSettings()
    wire_sig, cut_sig = signatures(wire.id, wire.text), signatures(cut.id, cut.text)
    assert estimate_jaccard(wire_sig, cut_sig) < settings.threshold
    articles = [*example.values(), cut]
    families = {a.origin: a.dup_group for a in assign_families(articles, settings)}
    assert families["cut"] == families[wire.origin] == families[example[RERUN].origin]
    for name, article in example.items():
        if name not in (WIRE, RERUN):
            assert families[article.origin] == article.id, name
    jaccard_only = dataclasses.replace(settings, containment=0.0)
    before = {a.origin: a.dup_group for a in assign_families(articles, jaccard_only)}
    assert before["cut"] == cut.id  # the rule, not the candidates, does the joining


def test_a_short_report_sharing_a_quote_is_not_a_copy(seeds: dict[str, Article]) -> None:
    """An outlet's short item that repeats one long quotation of another report shares those
    shingles but not most of its own: it stays an independent source."""
    long_report = max(seeds.values(), key=lambda a: len(a.text))
    sentences = long_report.text.split(". ")
    quoted = ". ".join(sentences[2:5])
    short = _article(
        "Officials met again on Tuesday, according to people briefed on the talks, and a"
        " statement is expected later in the week. Neither side commented on the reports. "
        + quoted
        + ". Analysts in the region said the outcome remained uncertain and that both delegations"
        " faced pressure at home to show progress before the next round, which has not been"
        " scheduled. Markets were little moved by the news.",
        "short",
    )
    families = group(signatures(a.id, a.text) for a in [long_report, short])
    assert families[short.id] == short.id


def test_signatures_count_their_distinct_shingles(example: dict[str, Article]) -> None:
    wire = example[WIRE]
    words = normalise(wire.text).split()
    distinct = {tuple(words[i : i + 5]) for i in range(len(words) - 4)}
    assert signatures(wire.id, wire.text).shingles == len(distinct)
    assert signatures("empty", "").shingles == 0


def test_refining_a_storys_families_joins_what_every_pair_finds_and_keeps_names(
    example: dict[str, Article],
) -> None:
    """Families that came from a corpus keep their names (a smallest id that may lie outside the
    story); a copy they missed joins its source's family; on families just assigned, nothing moves."""
    wire, rerun = example[WIRE], example[RERUN]
    cut = _cut(wire, 0.4, "cut")
    outside = "art_000000000000"  # the family's smallest member is in another story
    stored = [
        dataclasses.replace(wire, dup_group=outside),
        dataclasses.replace(rerun, dup_group=outside),
        dataclasses.replace(cut, dup_group=cut.id),  # banded candidates missed it
        *(a for name, a in example.items() if name not in (WIRE, RERUN)),
    ]
    refined = refine_families(stored)
    assert [a.dup_group for a in refined[:3]] == [outside] * 3
    assert all(a.dup_group in (None, a.id) for a in refined[3:])
    assigned = assign_families([*example.values(), cut])
    assert refine_families(assigned) == assigned


def test_a_crowded_lsh_bucket_is_compared_in_bounded_memory(
    example: dict[str, Article], seeds: dict[str, Article]
) -> None:
    """A band key that hundreds of copies of one wire story share is one Spark bucket: its pairs
    are verified without holding every pair's MinHash rows at once (400 members are 79,800 pairs,
    82 MB of rows gathered side by side), and the verdicts are the pairwise rule's."""
    from newsfuse.corpus.spark import _bucket_edges

    settings = DedupeSettings()
    wire = signatures("wire", example[WIRE].text, settings)
    other = signatures("other", next(iter(seeds.values())).text, settings)
    bucket = [
        dataclasses.replace(sig, article_id=f"{sig.article_id}-{n:03d}")
        for sig in (wire, other)
        for n in range(200)
    ]
    tracemalloc.start()
    try:
        edges = sorted(_bucket_edges(bucket, settings))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    expected = sorted(
        (f"{name}-{i:03d}", f"{name}-{j:03d}")
        for name in ("other", "wire")
        for i in range(200)
        for j in range(i + 1, 200)
    )
    assert edges == expected  # every copy with every copy, never across the two stories
    assert peak < 20_000_000, f"{peak:,} bytes traced while comparing one bucket"
