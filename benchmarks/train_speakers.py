"""Train the speaker chooser (``src/newsfuse/stages/extract/speaker_model.json.gz``) on PolNeAR.

Reads only the **train** split of ``../shared/bench/attribution-dev`` (the first annotator's file per
text, as ``benchmarks/attribution.py`` does) and runs the extract flow over it with a trace on: for
every quoted passage, :mod:`newsfuse.stages.extract.quotes` records each candidate speaker the rules
propose and its features (:mod:`newsfuse.stages.extract.speaker_model`).  A candidate is right when
its speaker span overlaps the source of the gold attribution whose quoted content overlaps the
passage most — what the benchmark's speaker accuracy asks.  The weights are a conditional logit
(softmax over one passage's candidates, L2-penalised) fitted with SciPy's L-BFGS; the penalty is
chosen by the speaker accuracy of the whole extractor on five held-out folds of train, then the
weights are refitted on all of train.  Dev is never read.

    python benchmarks/train_speakers.py [--cache DIR] [--out PATH]   # five minutes on two cores

Measured (train 5-fold held out, the whole extractor): the chooser gets 5221/5529 quoted speakers
right against the rule order's 5212, but 571/625 on dev against the order's 572, and proposing every
candidate raises the extract stage from ~1.2x to ~1.45x bare spaCy.  So no weights ship: pass
``--out src/newsfuse/stages/extract/speaker_model.json.gz`` only once it beats the order on dev.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import (
    DEFAULT_BENCH_DIR,
    Attr,
    Fragments,
    Tally,
    is_quoted,
    load_split,
    merge_by_cue,
    score_text,
)
from newsfuse.stages.extract.entities import article_people
from newsfuse.stages.extract.quotes import (
    Choice,
    QuoteContext,
    attributions_in_article,
    quote_people,
)
from newsfuse.stages.extract.speaker_model import CHOOSER_PATH, SpeakerChooser
from train_attribution import Parsed, parse_cached

Gold = list[tuple[Fragments, Fragments]]  # (quoted content, source) of each gold attribution
FOLDS = 5
PENALTIES = (0.03, 0.1, 0.3, 1.0)
MIN_COUNT = 3  # a feature seen on fewer candidates is dropped


def run(parsed: Parsed, chooser: SpeakerChooser) -> tuple[list[list[Attr]], list[list[Choice]]]:
    """The benchmark's attributions of each parsed text with ``chooser``, and the traced choices."""
    found: list[list[Attr]] = []
    traces: list[list[Choice]] = []
    for index, pairs in enumerate(parsed):
        people = article_people(doc for _, doc in pairs)
        trace: list[Choice] = []
        context = QuoteContext(
            people=quote_people(people, (doc for _, doc in pairs)), chooser=chooser, trace=trace
        )
        attrs: list[Attr] = []
        for item in attributions_in_article(pairs, str(index), context):
            quote, cue = item.quote, item.cue_span
            speaker = quote.speaker_span
            if cue is None and speaker is None:
                continue
            attrs.append(
                Attr(
                    ((speaker.start, speaker.end),) if speaker else None,
                    ((cue.start, cue.end),) if cue else None,
                    ((quote.span.start, quote.span.end),),
                )
            )
        found.append(merge_by_cue(attrs))
        traces.append(trace)
    return found, traces


def quoted_gold(text: str, gold: Sequence[Attr]) -> Gold:
    """The gold attributions the speaker accuracy counts: quoted content with a source."""
    return [
        (g.content, g.source)
        for g in gold
        if g.content is not None and g.source is not None and is_quoted(text, g.content)
    ]


def _shared(a: Fragments, b: tuple[int, int]) -> int:
    return sum(max(0, min(e, b[1]) - max(s, b[0])) for s, e in a)


def labelled(choice: Choice, gold: Gold) -> tuple[list[tuple[str, ...]], list[bool]] | None:
    """The choice's candidates and which are right, or ``None`` when no gold quote matches."""
    span = (choice.quote.start, choice.quote.end)
    best = max(gold, key=lambda g: _shared(g[0], span), default=None)
    if best is None or _shared(best[0], span) <= 0:
        return None
    features = [f for f, _ in choice.candidates]
    right = [s is not None and _shared(best[1], (s.start, s.end)) > 0 for _, s in choice.candidates]
    return features, right


def fit(
    groups: Sequence[tuple[list[tuple[str, ...]], list[bool]]], penalty: float
) -> dict[str, float]:
    """Conditional-logit weights: maximise the log of the right candidates' softmax share.

    ``penalty`` is the inverse of the L2 strength (like scikit-learn's ``C``): the prior's
    variance, so a larger value regularises less.
    """
    counts: dict[str, int] = {}
    for features, _ in groups:
        for fs in features:
            for f in fs:
                counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    column = {f: i for i, f in enumerate(names)}
    rows: list[list[int]] = []
    group_of: list[int] = []
    right: list[bool] = []
    useful = [g for g in groups if any(g[1]) and not all(g[1])]
    for g_index, (features, labels) in enumerate(useful):
        for fs, label in zip(features, labels, strict=True):
            rows.append([column[f] for f in fs if f in column])
            group_of.append(g_index)
            right.append(label)
    from scipy.sparse import csr_matrix

    data = [1.0 for r in rows for _ in r]
    indices = [c for r in rows for c in r]
    indptr = np.cumsum([0] + [len(r) for r in rows])
    matrix = csr_matrix((data, indices, indptr), shape=(len(rows), len(names)))
    groups_arr = np.asarray(group_of)
    right_arr = np.asarray(right)
    n_groups = len(useful)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        scores = matrix @ w
        top = np.full(n_groups, -np.inf)
        np.maximum.at(top, groups_arr, scores)
        exp = np.exp(scores - top[groups_arr])
        total = np.bincount(groups_arr, exp, n_groups)
        good = np.bincount(groups_arr, exp * right_arr, n_groups)
        value = -np.sum(np.log(good) - np.log(total)) + 0.5 * np.dot(w, w) / penalty
        p_all = exp / total[groups_arr]
        p_good = np.where(right_arr, exp / good[groups_arr], 0.0)
        grad = matrix.T @ (p_all - p_good) + w / penalty
        return float(value), grad

    result = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B")
    return {f: round(float(v), 4) for f, v in zip(names, result.x, strict=True) if abs(v) > 1e-4}


def accuracy(texts: Sequence[tuple[str, str, list[Attr]]], found: Sequence[list[Attr]]) -> Tally:
    tally = Tally()
    for (_, text, gold), predicted in zip(texts, found, strict=True):
        score_text(text, predicted, gold, tally)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--cache", type=Path, default=None, help="keep the parsed train split here")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"write the weights here ({CHOOSER_PATH} turns the chooser on); default: report only",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    texts = load_split(args.bench_dir / "train", None)
    parsed = parse_cached([text for _, text, _ in texts], args.cache)
    golds = [quoted_gold(text, gold) for _, text, gold in texts]
    print(f"parsed {len(texts)} train texts in {time.perf_counter() - started:.0f}s")
    rule_found, traces = run(parsed, SpeakerChooser({}))
    rule_tally = accuracy(texts, rule_found)
    print(f"rule order: speaker accuracy {rule_tally.speaker_hits}/{rule_tally.speaker_total}")
    groups = [
        [item for c in trace if (item := labelled(c, gold)) is not None]
        for trace, gold in zip(traces, golds, strict=True)
    ]
    best: tuple[int, float] | None = None
    for penalty in PENALTIES:
        hits = 0
        for fold in range(FOLDS):
            train_groups = [g for i, gs in enumerate(groups) if i % FOLDS != fold for g in gs]
            held = [i for i in range(len(texts)) if i % FOLDS == fold]
            chooser = SpeakerChooser(fit(train_groups, penalty))
            found, _ = run([parsed[i] for i in held], chooser)
            hits += accuracy([texts[i] for i in held], found).speaker_hits
        print(f"penalty {penalty}: held-out speaker accuracy {hits}/{rule_tally.speaker_total}")
        if best is None or hits > best[0]:
            best = (hits, penalty)
    assert best is not None
    weights = fit([g for gs in groups for g in gs], best[1])
    final, _ = run(parsed, SpeakerChooser(weights))
    tally = accuracy(texts, final)
    print(
        f"refitted (penalty {best[1]}): train speaker accuracy {tally.speaker_hits}/{tally.speaker_total}"
    )
    if args.out is not None:
        payload = {"penalty": best[1], "weights": dict(sorted(weights.items()))}
        with gzip.open(args.out, "wt", encoding="utf-8") as handle:
            json.dump(payload, handle, separators=(",", ":"))
        print(f"wrote {len(weights)} weights to {args.out}")
    print(f"done in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
