"""Fact alignment on real stories: are the claims grouped into one fact really the same statement?

``benchmarks/alignment.py`` measures the same-statement decision on MSRP pairs; this measures what a
reader sees: which claims of different outlets the pipeline puts into one fact (and so counts as
corroborating each other), and whether each passage's fact names the right set of outlets.

Ground truth, labelled 1 when two passages of different outlets state the same fact (a reader could
cite one as corroborating at least part of the other), else 0; labels were written from the
sentences alone, before any setting was chosen:

* ``benchmarks/data/roundup_fact_pairs.jsonl``: **AllSides roundups** (``../shared/bench/
  roundups-dev``, real three-outlet stories): 80 lines of ``train.source`` with three articles,
  drawn with ``random.Random(2026)`` over a shuffled line order; **every** cross-outlet sentence
  pair of each (1,396 pairs), so recall is against all of them.  The first 40 drawn are
  **validation** ("roundups A"), the other 40 **test** ("roundups B"); 130 drawn later (after the
  fit parts) are a second validation set ("roundups A2", 2,225 pairs); choices are made on A and
  A2 pooled.  A passage is named by the line, the article's position, its character span and the
  SHA-1 of its text (no text is copied).
* ``benchmarks/data/ecb_fact_pairs.jsonl``: **whole-article stories** (:mod:`ecb_facts`: three
  ECB+ articles on one event a story), every cross-outlet pair of sentences of at least 5 words;
  **validation** (12 stories of ``ecb.CHOOSE_TOPICS``) and **test** (15 of the val topics of
  ``train_val_test_split.json``, reported once).  Leads are not what newsfuse reports: in a whole
  article each sentence meets tens of others of the same story.
* ``benchmarks/data/fact_pairs.jsonl``: the five **seeds** (test, never tuned on) and our own
  **example** story, 1,194 cross-outlet pairs that any of several loose signals called a
  candidate (recall is against those candidates only), named by file, span and SHA-1.

Thresholds of the methods that have one to choose are chosen on validation, by the mean of two
pair F1s, the roundups (A and A2 pooled) and the whole-article stories, so that neither kind of
story decides alone (:func:`choose`); the default decision (``align.decision``) and thresholds
(``align.threshold``, ``align.link_threshold``) are the ones chosen here.
Baselines run in the same grouping (candidates, strongest first, average linkage), only the pair
decision differs: a TF-IDF cosine threshold, an all-MiniLM-L6-v2 cosine threshold.

Reported per method and set: pair precision (of labelled pairs put into one fact, how many are
labelled the same), recall (of pairs labelled the same, how many share a fact), F1, and the share
of labelled passages whose outlets come out right (its own plus those of the passages labelled the
same as it, against those of the facts it is in); and the validation-to-test F1 gaps (roundups,
whole articles).  A passage belongs to every fact one of its claims is in (a claim at least half
inside it), so labels stay valid when claims split.  Two figures for one thing ("41 ships" / "38
ships") are labelled different statements; when the pipeline puts them into one (disputed) fact
they count against precision here.

    python benchmarks/facts.py
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass
from hashlib import sha1
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsfuse.config import load_settings
from newsfuse.errors import MissingExtraError
from newsfuse.models import Article, Span
from newsfuse.pipeline import prepare_articles
from newsfuse.stages.align.embeddings import Encoded, SentenceEncoder, model_path
from newsfuse.stages.align.facts import MIN_CLAIM_WORDS, align_facts
from newsfuse.stages.align.pair_encoder import ADAPTER_PATH, PairEncoder
from newsfuse.stages.align.pairs import StatementContext, StatementMatcher
from newsfuse.stages.align.same_fact import (
    CONTAINMENT,
    CONTAINMENT_EMBEDDING,
    LEXICAL,
    LEXICAL_EMBEDDING,
    EncoderDecision,
    FactMatcher,
    PairDecision,
    PreparedClaims,
    VectorDecision,
)
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.extract.annotate import Extractor
from newsfuse.stages.extract.canonical import canonicalise
from newsfuse.stages.grouping import UnionFind
from newsfuse.stages.ingest.sources import read_sources

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roundups import DEFAULT_DIR as ROUNDUP_DIR
from roundups import read_stories

Indices = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]
ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "data" / "fact_pairs.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "facts.md"
STORIES = {
    "seeds": ROOT.parent / "shared" / "seeds",
    "example": ROOT / "examples" / "harbour-strike",
}


VALIDATION, TEST = "roundups A", "roundups B"
ECB_VALIDATION, ECB_TEST = "ECB+ whole articles, validation", "ECB+ whole articles, test"
"""Three whole articles of one ECB+ event a story (:mod:`ecb_facts`): the stories newsfuse reports
are whole articles, where each sentence meets tens of sentences of the same story, not leads of
two or three sentences.  Settings are chosen on the mean of the pooled roundups' F1 and this
set's, so neither kind of story decides alone."""
SECOND_VALIDATION = "roundups A2"
"""130 more labelled roundups (part ``validation2``).  Thresholds, bands and units are chosen on A
and A2 pooled (2,872 pairs): on A alone (647 pairs) a pair F1 is uncertain by about ±0.03, more
than most differences between the methods, and A-only choices did not carry to A2."""
ROUNDUP_SPLIT = "train"
ROUNDUP_LABELS = ROOT / "benchmarks" / "data" / "roundup_fact_pairs.jsonl"
Groups = list[list[tuple[str, Span]]]


class CosineMatcher(FactMatcher):
    """A plain baseline decision in the same grouping: the cosine of the claims' TF-IDF rows, or
    of their MiniLM sentence vectors when an encoder is given."""

    def score(self, claims: PreparedClaims, left: Indices, right: Indices) -> Floats:
        index = claims.index
        if index.embeddings is not None:
            vectors = index.embeddings.astype(np.float64)
            return np.asarray(np.einsum("ij,ij->i", vectors[left], vectors[right]))
        return np.asarray(index.tfidf[left].multiply(index.tfidf[right]).sum(axis=1)).ravel()


class RememberingPairEncoder(PairEncoder):
    """The pair encoder with every pair's logit kept: the threshold and band grids re-score the
    same pairs many times, and the encoder is by far the dearest part of a run."""

    def __init__(self) -> None:
        super().__init__()
        self._known: dict[tuple[str, str], float] = {}

    def logits(self, pairs: Sequence[tuple[str, str]]) -> Floats:
        missing = sorted({p for p in pairs if p not in self._known})
        if missing:
            self._known.update(zip(missing, super().logits(missing).tolist(), strict=True))
        return np.array([self._known[p] for p in pairs], dtype=np.float64)


PAIR_ENCODER = RememberingPairEncoder()


class RememberingSentenceEncoder(SentenceEncoder):
    """The sentence encoder with every text's vectors kept, for the same reason."""

    def __init__(self) -> None:
        super().__init__()
        self._known: dict[str, Encoded] = {}

    def encode_tokens(self, texts: Sequence[str]) -> list[Encoded]:
        missing = sorted({t for t in texts if t not in self._known})
        if missing:
            self._known.update(zip(missing, super().encode_tokens(missing), strict=True))
        return [self._known[t] for t in texts]


SENTENCE_ENCODER = RememberingSentenceEncoder()


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    kind: str  # "old", "statement", "containment", "lexical", "encoder", "vectors" or "cosine"
    thresholds: tuple[float, ...]  # one: fixed; several: chosen on validation
    embeddings: bool = False
    bands: tuple[float, ...] = (0.0,)  # the encoder's band (see same_fact.EncoderDecision)
    link_offsets: tuple[float, ...] = (0.0,)  # link threshold = threshold + offset
    units: str = "claims"  # what is matched: claims, or each sentence's claims as one


_GRID = tuple(round(t, 2) for t in np.arange(0.05, 0.91, 0.05))
_LINK_OFFSETS = (0.0, 0.1, 0.2, 0.3)
"""For the default decision's rows: the average a join needs (``align.link_threshold``) may be above
the pair threshold, so that a chain of weak links cannot join two groups that a strong pair does
not tie; chosen with the threshold on validation."""
METHODS = (
    Method("before: StatementMatcher on all pairs, mutual best + average linkage", "old", (0.5,)),
    Method(
        "MSRP-fitted statement model on candidates + average linkage (`align.decision = "
        '"statement"`), threshold chosen on validation',
        "statement",
        _GRID,
    ),
    Method(
        "containment decision fitted on our fit roundups and ECB+ (`align.decision = "
        '"containment"`), threshold chosen on validation',
        "containment",
        _GRID,
    ),
    Method(
        "the same with the MiniLM cosine as a feature and MiniLM neighbours as candidates "
        "(`align.embeddings = true`), threshold chosen on validation",
        "containment",
        _GRID,
        embeddings=True,
    ),
    Method(
        "the containment decision comparing sentences (each sentence's claims as one unit, "
        "`align.units = sentences`), threshold chosen on validation",
        "containment",
        _GRID,
        units="sentences",
    ),
    Method(
        "logistic regression over every lexical pair feature, fitted on our fit roundups,"
        ' comparing sentences (`align.decision = "lexical"`, `align.units = sentences`), threshold'
        " and link chosen on validation",
        "lexical",
        _GRID,
        units="sentences",
        link_offsets=_LINK_OFFSETS,
    ),
    Method(
        'the lexical decision comparing claims (`align.decision = "lexical"`, units auto ='
        " claims), threshold and link chosen on validation",
        "lexical",
        _GRID,
        link_offsets=_LINK_OFFSETS,
    ),
    Method(
        "the lexical decision with the MiniLM features too and MiniLM neighbours as candidates"
        " (`align.embeddings = true`), comparing claims, threshold and link chosen on validation",
        "lexical",
        _GRID,
        embeddings=True,
        link_offsets=_LINK_OFFSETS,
    ),
    Method(
        "containment decision for sure non-matches, the MiniLM pair encoder tuned on our fit"
        ' roundups for the rest, comparing sentences (`align.decision = "encoder"`, units'
        " auto = sentences), band and threshold chosen on validation",
        "encoder",
        _GRID,
        bands=(0.13, 0.16, 0.20, 0.25, 0.30),
        units="sentences",
    ),
    Method(
        "the same comparing claims (`align.units = claims`), band and threshold chosen on"
        " validation",
        "encoder",
        _GRID,
        bands=(0.13, 0.16, 0.20, 0.25, 0.30),
    ),
    Method(
        "logistic regression over the containment features and the two sentences' MiniLM vectors"
        " (product and difference per dimension), fitted on our fit roundups, comparing"
        ' sentences (`align.decision = "vectors"`, units auto = sentences), threshold chosen on'
        " validation",
        "vectors",
        _GRID,
        bands=(0.0, 0.13, 0.20, 0.30),
        units="sentences",
    ),
    Method(
        "the same comparing claims (`align.units = claims`), threshold chosen on validation",
        "vectors",
        _GRID,
    ),
    Method("baseline: TF-IDF cosine, threshold chosen on validation", "cosine", _GRID),
    Method(
        "baseline: MiniLM cosine, threshold chosen on validation", "cosine", _GRID, embeddings=True
    ),
)


def load_story(folder: Path) -> list[Article]:
    """The story's annotated articles, as the pipeline prepares them."""
    settings = load_settings()
    raws = [r for r in read_sources([str(folder)], settings.ingest) if not hasattr(r, "stage")]
    articles = prepare_articles(raws, settings, reject=lambda rejection: None)
    return list(canonicalise(list(articles))[1])


def _named(articles: list[Article]) -> dict[str, Article]:
    return {Path(a.origin).name: a for a in articles}


def load_folder_story(folder: Path, labels: Sequence[dict[str, object]]) -> Story:
    """A story folder (the seeds, the example) and its labels of ``fact_pairs.jsonl``."""
    articles = load_story(folder)
    return Story(
        articles,
        [
            Label(
                (str(x["a_file"]), int(x["a_start"]), int(x["a_end"])),  # type: ignore[call-overload]
                (str(x["b_file"]), int(x["b_start"]), int(x["b_end"])),  # type: ignore[call-overload]
                bool(x["same"]),
            )
            for x in labels
        ],
        _named(articles),
    )


def load_roundup_stories(part: str, labels_file: Path = ROUNDUP_LABELS) -> list[Story]:
    """The labelled AllSides roundups of one part (``validation``, ``test`` or ``fit``), annotated
    as the pipeline annotates articles; a label whose passage text changed (its SHA-1) is left out.
    ``labels_file``: another reader's labels of the same pairs (same layout)."""
    every = [json.loads(line) for line in labels_file.read_text(encoding="utf-8").splitlines()]
    labels = [x for x in every if x["part"] == part]
    lines = {int(x["line"]) for x in labels}
    stories = read_stories(ROUNDUP_SPLIT, lines)
    flat = [a for story in stories for a in story.articles]
    annotated = iter(prepare_annotated(flat))
    found = []
    for story in stories:
        articles = [next(annotated) for _ in story.articles]
        articles = list(canonicalise(articles)[1])
        keys = {str(k): a for k, a in enumerate(articles)}
        mine = [x for x in labels if int(x["line"]) == story.line]
        found.append(Story(articles, checked_labels(mine, keys, "article"), keys))
    return found


def checked_labels(
    rows: Sequence[dict[str, Any]], keys: dict[str, Article], field: str
) -> list[Label]:
    """The labels of ``rows`` whose two passages (article ``<side>_<field>``, span, SHA-1 of the
    text) still read as labelled; one whose text changed is left out."""
    found = []
    for x in rows:
        ends = []
        for side in ("a", "b"):
            article = keys[str(x[f"{side}_{field}"])]
            start, end = int(x[f"{side}_start"]), int(x[f"{side}_end"])
            if sha1(article.text[start:end].encode()).hexdigest()[:16] != x[f"{side}_sha1"]:
                break
            ends.append((str(x[f"{side}_{field}"]), start, end))
        if len(ends) == 2:
            found.append(Label(ends[0], ends[1], bool(x["same"])))
    return found


def load_ecb_stories(part: str, labels_file: Path | None = None) -> list[Story]:
    """The labelled whole-article ECB+ stories of one part (``validation`` or ``fit``;
    :mod:`ecb_facts`), only those with labels; a label whose passage text changed is left out."""
    import ecb_facts

    path = labels_file or ecb_facts.LABELS
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    found = []
    for story in ecb_facts.load_stories(part):
        keys = dict(zip(story.docs, story.articles, strict=True))
        mine = checked_labels(
            [x for x in rows if x["story"] == story.name and x["part"] == part], keys, "doc"
        )
        if mine:
            found.append(Story(list(story.articles), mine, keys))
    return found


def labelled_rows(
    part: str,
    encoder: SentenceEncoder | None,
    features: Callable[[StatementContext, list[tuple[str, str]]], Floats],
) -> tuple[Floats, Floats, Floats]:
    """``features`` rows, labels and the containment decision's scores of one roundup part's
    labelled pairs; rarity over each story's labelled passages, as a run computes it over a
    story's units (what the fit scripts train on)."""
    rows: list[Floats] = []
    labels: list[float] = []
    containment: list[float] = []
    for story in load_roundup_stories(part):
        pairs, same = story.labelled_texts()
        labels.extend(same)
        context = StatementContext(sorted({t for pair in pairs for t in pair}), encoder=encoder)
        rows.append(features(context, pairs))
        containment.extend(CONTAINMENT.scores(context, pairs).tolist())
    return np.vstack(rows), np.array(labels), np.array(containment)


def prepare_annotated(articles: Sequence[Article]) -> list[Article]:
    """Articles annotated by the extract stage with the default settings."""
    return list(Extractor(load_settings().extract)(list(articles)))


def _old_groups(articles: Sequence[Article], threshold: float) -> Groups:
    """The grouping that shipped before this benchmark's default: every claim against every claim
    with the MSRP-fitted matcher, mutual best pairs at 0.5, average linkage, one claim per article."""
    refs = [
        (article.id, claim)
        for article in sorted(articles, key=lambda a: (a.published_at or "9999", a.id))
        for claim in article.claims
        if len(claim.text.split()) >= MIN_CLAIM_WORDS
    ]
    scorer = StatementMatcher(threshold=threshold)
    scores = scorer.similarity_matrix([c.text for _, c in refs])
    by_article: dict[str, list[int]] = defaultdict(list)
    for index, (article_id, _) in enumerate(refs):
        by_article[article_id].append(index)
    groups = [np.array(v) for _, v in sorted(by_article.items())]
    pairs: list[tuple[int, int]] = []
    for a, left in enumerate(groups):
        for right in groups[a + 1 :]:
            block = scores[np.ix_(left, right)]
            best_right, best_left = block.argmax(axis=1), block.argmax(axis=0)
            for row, column in enumerate(best_right):
                if best_left[column] == row and block[row, column] >= scorer.threshold:
                    pairs.append((int(left[row]), int(right[column])))
    linked = UnionFind[int](range(len(refs)))
    articles_of = {i: {refs[i][0]} for i in range(len(refs))}
    members_of = {i: [i] for i in range(len(refs))}
    for i, j in sorted(pairs, key=lambda p: (-scores[p[0], p[1]], p)):
        left_root, right_root = linked.find(i), linked.find(j)
        if left_root == right_root or articles_of[left_root] & articles_of[right_root]:
            continue
        if scores[np.ix_(members_of[left_root], members_of[right_root])].mean() < scorer.threshold:
            continue
        root = linked.union(left_root, right_root)
        articles_of[root] = articles_of.pop(left_root) | articles_of.pop(right_root)
        members_of[root] = members_of.pop(left_root) + members_of.pop(right_root)
    return [[(refs[i][0], refs[i][1].span) for i in members] for members in members_of.values()]


def _groups(
    articles: Sequence[Article], method: Method, threshold: float, band: float, link: float
) -> Groups:
    if method.kind == "old":
        return _old_groups(articles, threshold)
    encoder = SENTENCE_ENCODER if method.embeddings or method.kind == "vectors" else None
    matcher: FactMatcher
    if method.kind == "cosine":
        matcher = CosineMatcher(encoder, threshold=threshold, link_threshold=link)
    else:
        lexical = CONTAINMENT_EMBEDDING if method.embeddings else CONTAINMENT
        decision: PairDecision | None = None
        if method.kind == "containment":
            decision = lexical
        elif method.kind == "lexical":
            decision = LEXICAL_EMBEDDING if method.embeddings else LEXICAL
        elif method.kind == "encoder":
            decision = EncoderDecision(lexical, band=band, encoder=PAIR_ENCODER)
        elif method.kind == "vectors":
            decision = VectorDecision(band=band)
        matcher = FactMatcher(encoder, threshold=threshold, link_threshold=link, decision=decision)
    members = align_facts(articles, matcher, SourceIndex(articles), units=method.units).members
    return [[(r.article.id, r.claim.span) for r in refs] for refs in members.values()]


@dataclass(frozen=True, slots=True)
class Label:
    """Two passages of different articles of one story (article key, character span) and whether
    they state the same fact."""

    a: tuple[str, int, int]
    b: tuple[str, int, int]
    same: bool


@dataclass(frozen=True, slots=True)
class Story:
    """A story's annotated articles, its labelled pairs and how a label names an article."""

    articles: list[Article]
    labels: list[Label]
    keys: dict[str, Article]

    def labelled_texts(self) -> tuple[list[tuple[str, str]], list[float]]:
        """Each labelled pair's two passages as text, and its label (1.0: the same fact)."""
        pairs = [
            (
                self.keys[label.a[0]].text[label.a[1] : label.a[2]],
                self.keys[label.b[0]].text[label.b[1] : label.b[2]],
            )
            for label in self.labels
        ]
        return pairs, [float(label.same) for label in self.labels]


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    unmatched: int = 0
    multi: int = 0
    outlets_right: int = 0
    passages: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def evaluate(story: Story, groups: Groups) -> Counts:
    """Pair counts of one story, its multi-source facts, and its labelled passages whose outlets
    come out right.

    A labelled passage is found by its character span; it belongs to every fact one of its claims
    (a claim overlapping the span by at least half of the claim) is in, so a sentence split into
    clauses is still compared as the sentence the label names.  A passage's outlets are right when
    the outlets of the facts it is in (its own outlet when it is in none) are exactly its own plus
    those of the passages labelled the same as it."""
    facts_of: dict[str, list[tuple[Span, int]]] = defaultdict(list)
    for number, group in enumerate(groups):
        for article_id, span in group:
            facts_of[article_id].append((span, number))
    sources = SourceIndex(story.articles)

    def facts_at(key: str, start: int, end: int) -> set[int] | None:
        article = story.keys.get(key)
        if article is None:
            return None
        found = set()
        for span, number in facts_of.get(article.id, []):
            overlap = min(span.end, end) - max(span.start, start)
            if overlap * 2 >= span.end - span.start:
                found.add(number)
        return found

    outlet_of_group = [{sources.outlet(article_id) for article_id, _ in g} for g in groups]
    tp = fp = fn = unmatched = 0
    gold: dict[tuple[str, int, int], set[str]] = {}
    found: dict[tuple[str, int, int], set[str]] = {}
    for label in story.labels:
        a, b = facts_at(*label.a), facts_at(*label.b)
        if a is None or b is None:
            unmatched += 1
            continue
        together = bool(a & b)
        tp += together and label.same
        fp += together and not label.same
        fn += label.same and not together
        for own, facts, other in ((label.a, a, label.b), (label.b, b, label.a)):
            outlet = sources.outlet(story.keys[own[0]].id)
            gold.setdefault(own, {outlet})
            if label.same:
                gold[own].add(sources.outlet(story.keys[other[0]].id))
            found[own] = set().union({outlet}, *(outlet_of_group[f] for f in facts))
    multi = sum(sources.count({article_id for article_id, _ in group}) >= 2 for group in groups)
    right = sum(gold[p] == found[p] for p in gold)
    return Counts(tp, fp, fn, unmatched, multi, right, len(gold))


def _embeddings_installed() -> bool:
    try:
        model_path()
    except MissingExtraError:
        return False
    return True


def _scores(counts: Counts) -> tuple[float, float, float]:
    precision = counts.tp / (counts.tp + counts.fp) if counts.tp + counts.fp else 0.0
    recall = counts.tp / (counts.tp + counts.fn) if counts.tp + counts.fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run(
    stories: Sequence[Story],
    method: Method,
    threshold: float,
    band: float = 0.0,
    link: float | None = None,
) -> Counts:
    """The method's counts summed over the stories (each story grouped on its own); ``link``, the
    average a join needs, is ``threshold`` unless given."""
    total = Counts()
    for story in stories:
        groups = _groups(
            story.articles, method, threshold, band, threshold if link is None else link
        )
        total = total + evaluate(story, groups)
    return total


def choose(
    method: Method, validations: Sequence[Sequence[Story]]
) -> tuple[float, float, float, list[Counts]]:
    """Band, threshold and link threshold by the mean pair F1 over the validation sets (each set
    weighing the same, whatever its size): per band its best threshold and link (on a tie the
    higher threshold, then the lower link: every pair threshold under the link groups the same,
    and the higher lets fewer pairs into the grouping), then the highest band (the fewest encoder
    passes) within 0.005 of the best band's mean F1.  Returns the chosen setting and its counts on
    each set."""
    per_band: list[tuple[float, float, float, float, list[Counts]]] = []
    for band in method.bands:
        best: tuple[float, float, float, list[Counts]] | None = None
        for threshold in sorted(method.thresholds, reverse=True):
            for offset in method.link_offsets:
                link = round(threshold + offset, 2)
                if link > max(method.thresholds):
                    continue
                counts = [run(stories, method, threshold, band, link) for stories in validations]
                f1 = float(np.mean([_scores(c)[2] for c in counts]))
                if best is None or f1 > best[0] + 1e-9:
                    best = (f1, threshold, link, counts)
        assert best is not None
        per_band.append((band, *best))
    top = max(f1 for _, f1, _, _, _ in per_band)
    band, _, threshold, link, counts = max(
        (p for p in per_band if p[1] >= top - 0.005), key=lambda p: p[0]
    )
    return band, threshold, link, counts


def _cell(counts: Counts) -> str:
    p, r, f = _scores(counts)
    outlets = counts.outlets_right / counts.passages if counts.passages else 0.0
    return f"{p:.3f} / {r:.3f} / **{f:.3f}** | {outlets:.2f}"


def _describe(name: str, stories: Sequence[Story]) -> str:
    pairs = sum(len(s.labels) for s in stories)
    same = sum(label.same for s in stories for label in s.labels)
    return f"{name} ({len(stories)} stories, {pairs} pairs, {same} same)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--only", action="append", default=[], help="run the methods whose name has this text"
    )
    args = parser.parse_args(argv)
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    missing = sorted(name for name, folder in STORIES.items() if not folder.is_dir())
    if missing or not (ROUNDUP_DIR / f"{ROUNDUP_SPLIT}.source").is_file():
        print(f"missing: {', '.join(missing) or ROUNDUP_DIR}", file=sys.stderr)
        return 1
    sets: dict[str, list[Story]] = {
        VALIDATION: load_roundup_stories("validation"),
        TEST: load_roundup_stories("test"),
        SECOND_VALIDATION: load_roundup_stories("validation2"),
        ECB_VALIDATION: load_ecb_stories("validation"),
        ECB_TEST: load_ecb_stories("test"),
    }
    for name, folder in STORIES.items():
        sets[name] = [load_folder_story(folder, [x for x in labels if x["story"] == name])]
    lines = [
        "Command: `python benchmarks/facts.py` — cross-outlet passage pairs labelled same / "
        "different. Validation (thresholds chosen on the mean of two F1s: roundups A and A2 "
        "pooled, and the whole-article ECB+ stories): "
        + _describe(VALIDATION, sets[VALIDATION])
        + ", "
        + _describe(SECOND_VALIDATION, sets[SECOND_VALIDATION])
        + " and "
        + _describe(ECB_VALIDATION, sets[ECB_VALIDATION])
        + "; test, never tuned on: "
        + _describe(TEST, sets[TEST])
        + ", "
        + _describe(ECB_TEST, sets[ECB_TEST])
        + " and "
        + _describe("the seeds", sets["seeds"])
        + "; also our own example story: "
        + _describe("example", sets["example"])
        + ". Roundup and ECB+ pairs are every cross-outlet sentence pair (recall is against all "
        "of them; ECB+ sentences of at least 5 words); seeds and example pairs are the "
        "candidates of loose signals. Cells: pair precision / recall / F1 | share of labelled "
        "passages whose outlet set (its own plus those labelled the same) the facts give exactly.",
        "",
        "| method | threshold | validation: A + A2 pooled | outlets right "
        "| validation: roundups A | outlets right | validation: roundups A2 | outlets right "
        "| validation: ECB+ whole articles | outlets right "
        "| test: roundups B | outlets right | test: ECB+ whole articles | outlets right "
        "| test: seeds | outlets right | example | outlets right "
        "| gap (val − test F1): roundups | ECB+ |",
        "|---|---:|---|---:|---|---:|---|---:|---|---:|---|---:|---|---:|---|---:|---|---:|---:|---:|",
    ]
    for method in METHODS:
        if args.only and not any(part in method.name for part in args.only):
            continue
        needs_model = method.embeddings or method.kind in ("encoder", "vectors")
        if needs_model and not (_embeddings_installed() and ADAPTER_PATH.is_file()):
            lines.append(f"| {method.name} |" + " — |" * 17 + " not installed | — |")
            continue
        pooled = sets[VALIDATION] + sets[SECOND_VALIDATION]
        band, threshold, link, (validation, ecb) = choose(method, [pooled, sets[ECB_VALIDATION]])
        reported = (VALIDATION, SECOND_VALIDATION, ECB_VALIDATION, TEST, ECB_TEST)
        reported += ("seeds", "example")
        results = {name: run(sets[name], method, threshold, band, link) for name in reported}
        results[ECB_VALIDATION] = ecb
        banded = method.kind == "encoder" or band > 0.0
        chosen = (
            f"{threshold:.2f}"
            + (f", link {link:.2f}" if link != threshold else "")
            + (f" (band {band:.2f})" if banded else "")
        )
        gaps = (
            _scores(validation)[2] - _scores(results[TEST])[2],
            _scores(ecb)[2] - _scores(results[ECB_TEST])[2],
        )
        lines.append(
            f"| {method.name} | {chosen} | {_cell(validation)} | "
            + " | ".join(_cell(results[name]) for name in reported)
            + f" | {gaps[0]:+.3f} | {gaps[1]:+.3f} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write and not args.only:  # a partial table never replaces the whole one
        RESULTS.write_text("# Fact alignment on real stories\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
