"""Train the context-aware cue decision (``src/newsfuse/stages/extract/cue_decision.json.gz``).

Reads only PolNeAR **train** (840 texts, first annotator per text, as the benchmark reads them);
dev is never read here (its validation half chooses the decision's threshold in
``benchmarks/attribution.py``, its held-out half is reported there once).

Examples: every token whose lemma is in the shipped cue lexicon (``attribution_model.json.gz``),
labelled 1 when it heads a gold cue span; a token inside a gold cue that is not its head is no
example (as ``train_attribution.py`` does).  Features: :data:`newsfuse.stages.extract.cue_decision.FEATURES`.
Two of them come from train itself and would be too good on the texts they were fitted on — the
linear cue score and the lemma's cue rate — so both are **out of fold**: the texts are cut into
five folds (``random.Random(FOLD_SEED)`` over the texts in name order, text *k* of that order in
fold *k* mod 5), and each fold's scores and rates come from a linear cue scorer
(``train_attribution.fit``, the shipped model's C) and counts fitted on the other four.  The trees
so learn how far the linear score and the rates can be trusted on text they have not seen, which
is how they meet them at run time (the shipped linear model and the rates of all of train).

A candidate whose linear score is below ``floor`` (the score under which no more than
``FLOOR_MISS`` of train's out-of-fold gold cues fall) is no cue and no example: the trees then
see only candidates worth a second look, and the run time skips the rest.

Trees: scikit-learn's ``HistGradientBoostingClassifier``; the number of trees and the depth are
chosen on fold 0 (fitted on folds 1-4, by log loss), then refitted on all of train.  The trees are
written as flat arrays (:class:`newsfuse.stages.extract.cue_decision.CueDecision` walks them with
NumPy), checked against scikit-learn's own decision function before writing.

    pip install -c requirements/lock.txt -e '.[bench]'
    python benchmarks/train_cue_decision.py [--cache DIR]      # a few minutes with a cached parse
    python benchmarks/train_cue_decision.py --set-threshold T  # only the decision's log-odds cut
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from attribution import DEFAULT_BENCH_DIR, Attr, load_split
from newsfuse.stages.extract import attribution_model, cue_decision
from newsfuse.stages.extract.attribution_model import (
    cue_features,
    quoted_sentences,
    sentence_index,
    sentences_of,
)
from newsfuse.stages.extract.cue_decision import FEATURES, LemmaPriors, candidate_features
from newsfuse.stages.extract.quotes import quoted_characters
from train_attribution import Parsed, _tokens_in, fit, gold_cue_heads, parse_cached, write

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

FOLD_SEED = 6
FOLDS = 5
FLOOR_MISS = 0.005  # share of train's gold cues the floor may drop
LINEAR_C = 0.5  # the shipped linear cue scorer's C (train_attribution.py's default)
GRID = ((3, 0.1), (4, 0.1), (6, 0.1), (6, 0.05))  # (max depth, learning rate) tried on fold 0
MAX_TREES = 400


@dataclass(slots=True)
class Candidate:
    """One lexicon token of train: where it is, its label and its sparse linear features."""

    text: int
    doc: Doc
    token: Token
    label: int
    sparse: list[str]
    score: float = 0.0


def candidates_of(
    texts: Sequence[tuple[str, str, list[Attr]]], parsed: Parsed, lexicon: frozenset[str]
) -> list[Candidate]:
    """Every lexicon token of the texts, labelled (1: it heads a gold cue)."""
    heads = gold_cue_heads(texts, parsed)
    found: list[Candidate] = []
    for number, ((_, _, gold), pairs, cues) in enumerate(zip(texts, parsed, heads, strict=True)):
        cue_ids = {(id(t.doc), t.i) for _, _, t in cues}
        in_cues = {
            (id(t.doc), t.i)
            for attr in gold
            if attr.cue is not None
            for _, t in _tokens_in(pairs, attr.cue)
        }
        for _, doc in pairs:
            inside = quoted_characters(doc.text)
            sentences = sentences_of(doc)
            quoted = quoted_sentences(sentences, inside)
            for token in doc:
                if token.lemma_.lower() not in lexicon:
                    continue
                key = (id(doc), token.i)
                label = int(key in cue_ids)
                if not label and key in in_cues:
                    continue  # "call" in "made an unprompted call for": no cue of its own
                in_quotes = quoted[sentence_index(sentences, token)]
                found.append(
                    Candidate(number, doc, token, label, cue_features(token, inside, in_quotes))
                )
    return found


def priors_of(rows: Sequence[Candidate]) -> LemmaPriors:
    """Each lemma's (and lemma-with-POS's) cue count and candidate count over ``rows``."""
    lemma: Counter[str] = Counter()
    lemma_cues: Counter[str] = Counter()
    pos: Counter[str] = Counter()
    pos_cues: Counter[str] = Counter()
    for row in rows:
        key = row.token.lemma_.lower()
        lemma[key] += 1
        lemma_cues[key] += row.label
        pos[key + "|" + row.token.pos_] += 1
        pos_cues[key + "|" + row.token.pos_] += row.label
    overall = sum(r.label for r in rows) / max(len(rows), 1)
    return LemmaPriors(
        {k: (lemma_cues[k], n) for k, n in sorted(lemma.items())},
        {k: (pos_cues[k], n) for k, n in sorted(pos.items())},
        overall,
    )


def features_of(
    rows: Sequence[Candidate], priors: LemmaPriors, lexicon: frozenset[str]
) -> np.ndarray:
    """The :data:`FEATURES` matrix of ``rows`` (their ``score`` already set), paragraph by
    paragraph as the extractor computes them."""
    matrix = np.zeros((len(rows), len(FEATURES)))
    by_doc: dict[int, list[int]] = {}
    for n, row in enumerate(rows):
        by_doc.setdefault(id(row.doc), []).append(n)
    for members in by_doc.values():
        doc = rows[members[0]].doc
        inside = quoted_characters(doc.text)
        sentences = sentences_of(doc)
        tokens = [rows[n].token for n in members]
        matrix[members] = candidate_features(
            doc,
            tokens,
            [rows[n].score for n in members],
            [sentence_index(sentences, t) for t in tokens],
            sentences,
            inside,
            priors,
            lexicon,
        )
    return matrix


def out_of_fold(rows: list[Candidate], folds: Sequence[int]) -> list[LemmaPriors]:
    """Set each row's linear score from a scorer fitted on the other folds; the priors of each
    fold from the other folds' counts."""
    priors: list[LemmaPriors] = []
    for fold in range(FOLDS):
        started = time.perf_counter()
        others = [r for r in rows if folds[r.text] != fold]
        weights, _ = fit([(r.sparse, r.label) for r in others], LINEAR_C)
        for row in rows:
            if folds[row.text] == fold:
                row.score = sum(weights.get(f, 0.0) for f in row.sparse)
        priors.append(priors_of(others))
        print(f"  fold {fold}: linear scorer fitted ({time.perf_counter() - started:.0f}s)")
    return priors


def fold_matrix(
    rows: Sequence[Candidate],
    folds: Sequence[int],
    priors: Sequence[LemmaPriors],
    lexicon: frozenset[str],
) -> np.ndarray:
    matrix = np.zeros((len(rows), len(FEATURES)))
    for fold in range(FOLDS):
        members = [n for n, r in enumerate(rows) if folds[r.text] == fold]
        matrix[members] = features_of([rows[n] for n in members], priors[fold], lexicon)
    return matrix


def _log_loss(y: np.ndarray, raw: np.ndarray) -> float:
    p = 1.0 / (1.0 + np.exp(-raw))
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _classifier(depth: int, rate: float, trees: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_depth=depth,
        learning_rate=rate,
        max_iter=trees,
        max_leaf_nodes=31,
        l2_regularization=1.0,
        min_samples_leaf=40,
        early_stopping=False,
        random_state=0,
    )


def choose(x: np.ndarray, y: np.ndarray, validation: np.ndarray) -> tuple[int, float, int]:
    """Depth, learning rate and number of trees with the lowest log loss on fold 0."""
    best: tuple[float, int, float, int] = (math.inf, 0, 0.0, 0)
    for depth, rate in GRID:
        model = _classifier(depth, rate, MAX_TREES).fit(x[~validation], y[~validation])
        for trees, raw in enumerate(model.staged_decision_function(x[validation]), start=1):
            if trees % 25:
                continue
            loss = _log_loss(y[validation], np.ravel(raw))
            if loss < best[0]:
                best = (loss, depth, rate, trees)
        print(f"  depth {depth}, rate {rate}: best so far {best}", flush=True)
    return best[1], best[2], best[3]


def export(model: Any, depth: int) -> dict[str, object]:
    """The fitted trees as flat arrays (scikit-learn's predictor nodes; leaves get ``left`` -1)."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    for (predictor,) in model._predictors:  # one tree per iteration for a binary problem
        nodes = predictor.nodes
        base = len(feature)
        roots.append(base)
        for node in nodes:
            leaf = bool(node["is_leaf"])
            feature.append(0 if leaf else int(node["feature_idx"]))
            threshold.append(0.0 if leaf else float(node["num_threshold"]))
            left.append(-1 if leaf else base + int(node["left"]))
            right.append(-1 if leaf else base + int(node["right"]))
            value.append(round(float(node["value"]), 7) if leaf else 0.0)
    return {
        "trees": {
            "feature": feature,
            "threshold": threshold,
            "left": left,
            "right": right,
            "value": value,
            "roots": roots,
        },
        "depth": depth,
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--cache", type=Path, default=None, help="keep the parsed train split here")
    parser.add_argument("--output", type=Path, default=cue_decision.DECISION_PATH)
    # the cut benchmarks/attribution.py chose on dev's validation half (its rows: -1.0 ... +0.5)
    parser.add_argument("--threshold", type=float, default=-0.5, help="log-odds cut to ship")
    parser.add_argument(
        "--set-threshold", type=float, default=None, help="only rewrite OUTPUT's log-odds cut"
    )
    args = parser.parse_args()
    if args.set_threshold is not None:
        with gzip.open(args.output, "rt", encoding="utf-8") as handle:
            shipped = json.load(handle)
        shipped["threshold"] = args.set_threshold
        write(shipped, args.output)
        print(f"{args.output}: threshold {args.set_threshold:+.2f}")
        return 0
    started = time.perf_counter()
    texts = load_split(args.bench_dir / "train", None)
    # the shipped linear cue scorer reads no token vectors: no tok2vec rerun for cached docs
    parsed = parse_cached([text for _, text, _ in texts], args.cache, tensors=False)
    print(f"{len(texts)} train texts parsed ({time.perf_counter() - started:.0f}s)", flush=True)
    lexicon = attribution_model.load_model().lexicon
    rows = candidates_of(texts, parsed, lexicon)
    order = list(range(len(texts)))
    random.Random(FOLD_SEED).shuffle(order)
    folds = [0] * len(texts)
    for position, text in enumerate(order):
        folds[text] = position % FOLDS
    positives = sum(r.label for r in rows)
    print(f"{len(rows)} candidates, {positives} gold cue heads; out-of-fold linear scores:")
    priors = out_of_fold(rows, folds)
    cue_scores = sorted(r.score for r in rows if r.label)
    floor = round(cue_scores[int(FLOOR_MISS * len(cue_scores))] - 0.005, 2)
    kept = [r for r in rows if r.score >= floor]
    print(
        f"floor {floor:+.2f}: {len(kept)} of {len(rows)} candidates kept, "
        f"{sum(r.label for r in kept)} of {positives} gold cue heads",
        flush=True,
    )
    x = fold_matrix(kept, folds, priors, lexicon)
    y = np.array([r.label for r in kept], dtype=float)
    fold0 = np.array([folds[r.text] == 0 for r in kept])
    linear = x[fold0, 0]
    print(
        f"fold 0 log loss of the linear score alone (as log-odds): {_log_loss(y[fold0], linear):.4f}"
    )
    depth, rate, trees = choose(x, y, fold0)
    print(f"chosen on fold 0: depth {depth}, learning rate {rate}, {trees} trees", flush=True)
    model = _classifier(depth, rate, trees).fit(x, y)
    data: dict[str, object] = {
        "features": list(FEATURES),
        **export(model, depth),
        "threshold": args.threshold,
        "floor": floor,
    }
    everything = priors_of(rows)  # as each fold's priors: over every candidate
    data["priors"] = {
        "lemma": {k: list(v) for k, v in everything.lemma.items()},
        "lemma_pos": {k: list(v) for k, v in everything.lemma_pos.items()},
    }
    data["overall_rate"] = everything.overall
    data["training"] = {
        "fold_seed": FOLD_SEED,
        "depth": depth,
        "learning_rate": rate,
        "trees": trees,
        "candidates": len(kept),
        "cues": int(y.sum()),
    }
    ours = cue_decision.CueDecision(data).log_odds(x)
    theirs = model.decision_function(x)
    gap = float(np.max(np.abs(ours - theirs)))
    if gap > 1e-4:
        raise SystemExit(f"exported trees disagree with scikit-learn's (max gap {gap:.2e})")
    write(data, args.output)
    print(
        f"wrote {args.output} ({args.output.stat().st_size // 1024} KiB; {trees} trees of depth "
        f"<= {depth}; export matches scikit-learn within {gap:.1e}) in "
        f"{time.perf_counter() - started:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
