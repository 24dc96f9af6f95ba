"""Can a same-fact decision learned from public data beat a TF-IDF cosine on real stories?

``benchmarks/facts.py`` measures the facts a reader sees; this measures the pair decision under
them, and asks the question the corroboration issue turns on: fitted on the public training data we
have, does any combination of the pair scorer's features rank the claims of real stories better
than the plain baselines do?

Training sources (never the stories a model is measured on):

* **our fit roundups** (``benchmarks/data/roundup_fact_pairs.jsonl``, part ``fit``): 120 AllSides
  stories, every cross-outlet sentence pair labelled by hand, the same guide as the measured ones;
* **MSRP** (``../shared/bench/paraphrase-dev``): 4,075 news sentence pairs, "same" = paraphrase;
* **ECB+ fit topics** (``../shared/bench/events-dev``, the training topics minus the CHOOSE topics
  of :func:`ecb.seeded_split`, seed 13): every pair of sentences of different documents of a topic,
  "same" = they share a cross-document event chain; ``within`` keeps only pairs of one event
  (subtopic), the case inside one story.

Models: a logistic regression (standardised features) on all lexical features of
:mod:`newsfuse.stages.align.pairs`, on three containment features only (TF-IDF cosine and the
rarity-weighted coverage both ways), and scikit-learn's histogram gradient boosting on all of them;
with ``--embeddings`` the MiniLM features are added (and a MiniLM cosine baseline runs).

Evaluation: the labelled passage pairs of ``benchmarks/data/fact_pairs.jsonl`` (validation: the
example story; test: the seeds, never tuned on — the split of ``benchmarks/facts.py``).  A passage
pair's score is the best score of its claims' pairs (claims at least half inside the passage), so
this is the pair decision alone, before grouping.  Reported: ROC AUC on both, the F1-best threshold
on validation and the F1 at that threshold on test, the gap, and recall at precision >= 0.9 on
validation.

    python benchmarks/fact_models.py [--embeddings] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.base import ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import ecb
import facts
from alignment import load_pairs
from newsfuse.stages.align.embeddings import SentenceEncoder
from newsfuse.stages.align.pairs import (
    FEATURES,
    LEXICAL_FEATURES,
    WEIGHTS_EMBEDDING,
    WEIGHTS_LEXICAL,
    StatementContext,
)

ROOT = Path(__file__).resolve().parents[1]
MSRP = ROOT.parent / "shared" / "bench" / "paraphrase-dev" / "msr_paraphrase_train.txt"
RESULTS = ROOT / "benchmarks" / "results" / "fact_models.md"
CONTAINMENT = ("tfidf", "coverage_idf_min", "coverage_idf_max")
MIN_PRECISION = 0.9
VALIDATION = "roundups A"
TESTS = ("roundups B", "seeds")

Floats = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    x: Floats
    y: Labels


@dataclass(frozen=True, slots=True)
class LabelledSet:
    """Labelled passage pairs: each pair's label, its claim pairs' feature rows and its story."""

    labels: Labels
    rows: list[Floats]
    stories: npt.NDArray[np.intp]


def _encoder(on: bool) -> SentenceEncoder | None:
    return SentenceEncoder() if on else None


def training_sources(encoder: SentenceEncoder | None) -> list[Source]:
    """MSRP and the ECB+ fit topics as feature rows (IDF per set: MSRP whole, ECB+ per topic)."""
    rows = load_pairs(MSRP, None)
    context = StatementContext(
        sorted({r.left for r in rows} | {r.right for r in rows}), encoder=encoder
    )
    msrp = Source(
        "MSRP",
        context.feature_matrix([(r.left, r.right) for r in rows]),
        np.array([r.label for r in rows]),
    )
    sentences = ecb.load_sentences("train")
    fit, _ = ecb.seeded_split({s.topic for s in sentences})
    chosen = [s for s in sentences if s.topic in set(fit)]
    by_topic: dict[int, list[str]] = defaultdict(list)
    for sentence in chosen:
        by_topic[sentence.topic].append(sentence.text)
    contexts = {t: StatementContext(sorted(set(v)), encoder=encoder) for t, v in by_topic.items()}
    pairs = ecb.sentence_pairs(chosen)
    x = np.zeros((len(pairs), len(FEATURES)))
    of_topic: dict[int, list[int]] = defaultdict(list)
    for k, pair in enumerate(pairs):
        of_topic[pair.left.topic].append(k)
    for topic, mine in of_topic.items():
        x[mine] = contexts[topic].feature_matrix(
            [(pairs[k].left.text, pairs[k].right.text) for k in mine]
        )
    y = np.array([p.label for p in pairs])
    within = np.array([p.same_subtopic for p in pairs])
    return [
        msrp,
        Source("ECB+ fit topics", x, y),
        Source("ECB+ fit topics, within one event", x[within], y[within]),
    ]


def labelled_rows(stories: Sequence[facts.Story], encoder: SentenceEncoder | None) -> LabelledSet:
    """Labelled passage pairs as claim-pair feature rows (IDF over each story's claims)."""
    labels, rows, groups = [], [], []
    for number, story in enumerate(stories):
        context = StatementContext(
            sorted({c.text for a in story.articles for c in a.claims}), encoder=encoder
        )

        def claims_at(key: str, start: int, end: int, story: facts.Story = story) -> list[str]:
            return [
                c.text
                for c in story.keys[key].claims
                if (min(c.span.end, end) - max(c.span.start, start)) * 2
                >= c.span.end - c.span.start
            ]

        for label in story.labels:
            left, right = claims_at(*label.a), claims_at(*label.b)
            if not left or not right:
                continue
            labels.append(int(label.same))
            rows.append(context.feature_matrix([(a, b) for a in left for b in right]))
            groups.append(number)
    return LabelledSet(np.array(labels), rows, np.array(groups))


def _best_f1(labels: Labels, scores: Floats) -> tuple[float, float, float]:
    """(threshold, F1, recall at precision >= MIN_PRECISION) over all cut points."""
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1[:-1])) if len(thresholds) else 0
    high = recall[precision >= MIN_PRECISION]
    return float(thresholds[best]), float(f1[best]), float(high.max()) if high.size else 0.0


def _f1_at(labels: Labels, scores: Floats, threshold: float) -> float:
    said = scores >= threshold
    tp = int((said & (labels == 1)).sum())
    precision = tp / max(int(said.sum()), 1)
    recall = tp / max(int(labels.sum()), 1)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


Scorer = Callable[[Floats], Floats]


def _passage_scores(score: Scorer, data: LabelledSet) -> Floats:
    return np.array([score(rows).max() for rows in data.rows])


def _representatives(data: LabelledSet) -> Floats:
    """Each passage pair's claim pair with the highest TF-IDF cosine: the row a model fits on."""
    column = FEATURES.index("tfidf")
    return np.array([rows[int(np.argmax(rows[:, column]))] for rows in data.rows])


def _row(
    name: str, validation: Floats, sets: dict[str, LabelledSet], tests: dict[str, Floats]
) -> str:
    """One table row: the threshold is chosen on the validation scores given."""
    chosen = sets[VALIDATION]
    threshold, val_f1, val_recall = _best_f1(chosen.labels, validation)
    cells = [
        f"{roc_auc_score(sets[n].labels, tests[n]):.3f} / "
        f"{_f1_at(sets[n].labels, tests[n], threshold):.3f}"
        for n in TESTS
    ]
    gap = val_f1 - _f1_at(sets[TESTS[0]].labels, tests[TESTS[0]], threshold)
    line = (
        f"| {name} | {threshold:.3g} | {roc_auc_score(chosen.labels, validation):.3f} / "
        f"{val_f1:.3f} | " + " | ".join(cells) + f" | {gap:+.3f} | {val_recall:.3f} |"
    )
    print(line, file=sys.stderr, flush=True)
    return line


def _models() -> list[tuple[str, tuple[str, ...], Callable[[], ClassifierMixin]]]:
    return [
        (
            "logistic regression, all features",
            (),
            lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000)),
        ),
        (
            "logistic regression, containment (TF-IDF cosine, coverage both ways)",
            CONTAINMENT,
            lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000)),
        ),
        (
            "gradient-boosted trees, all features",
            (),
            lambda: HistGradientBoostingClassifier(
                max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0
            ),
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embeddings", action="store_true", help="add the MiniLM features")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not MSRP.is_file() or not all(folder.is_dir() for folder in facts.STORIES.values()):
        print("needs ../shared/bench and ../shared/seeds", file=sys.stderr)
        return 1
    encoder = _encoder(args.embeddings)
    names = FEATURES if args.embeddings else LEXICAL_FEATURES
    columns = {name: i for i, name in enumerate(FEATURES)}
    labels = [json.loads(line) for line in facts.LABELS.read_text(encoding="utf-8").splitlines()]
    sets = {
        VALIDATION: labelled_rows(facts.load_roundup_stories("validation"), encoder),
        TESTS[0]: labelled_rows(facts.load_roundup_stories("test"), encoder),
        TESTS[1]: labelled_rows(
            [
                facts.load_folder_story(
                    facts.STORIES["seeds"], [x for x in labels if x["story"] == "seeds"]
                )
            ],
            encoder,
        ),
    }
    own = labelled_rows(facts.load_roundup_stories("fit"), encoder)
    sources = [
        Source("our fit roundups", _representatives(own), own.labels),
        *training_sources(encoder),
    ]
    weights = WEIGHTS_EMBEDDING if args.embeddings else WEIGHTS_LEXICAL
    lines = [
        f"Command: `python benchmarks/fact_models.py{' --embeddings' if args.embeddings else ''}`"
        " — labelled passage pairs (`benchmarks/data/roundup_fact_pairs.jsonl`, "
        "`benchmarks/data/fact_pairs.jsonl`): "
        + "; ".join(
            f"{name} {len(d.labels)} pairs, {int(d.labels.sum())} same" for name, d in sets.items()
        )
        + ". Public training rows: "
        + ", ".join(f"{s.name} {len(s.y)} ({int(s.y.sum())} same)" for s in sources)
        + ". A passage pair scores its best claim pair (a model fits on the claim pair with the "
        "highest TF-IDF cosine of each labelled passage pair). Thresholds: the F1-best on "
        f"validation; recall at precision >= {MIN_PRECISION} is read on validation.",
        "",
        f"| decision | threshold | validation AUC / F1 | {TESTS[0]} AUC / F1 | {TESTS[1]} AUC / F1 "
        f"| gap (val − {TESTS[0]} F1) | validation recall at P >= {MIN_PRECISION} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def add(name: str, score: Scorer, validation: Floats | None = None) -> None:
        tests = {n: _passage_scores(score, sets[n]) for n in TESTS}
        found = _passage_scores(score, sets[VALIDATION]) if validation is None else validation
        lines.append(_row(name, found, sets, tests))

    tfidf = columns["tfidf"]
    add("baseline: TF-IDF cosine", lambda r: r[:, tfidf])
    if args.embeddings:
        cosine = columns["embedding"]
        add("baseline: MiniLM cosine", lambda r: r[:, cosine])
    add(
        "shipped: MSRP-fitted StatementMatcher (no support cut)",
        lambda r: np.array([weights.probability(tuple(v)) for v in r]),
    )
    keep_all = np.array([columns[n] for n in names])
    for model_name, subset, build in _models():
        keep = np.array([columns[n] for n in subset]) if subset else keep_all
        for source in sources:
            model = build()
            model.fit(source.x[:, keep], source.y)
            add(
                f"{model_name}, fitted on {source.name}",
                lambda r, m=model, k=keep: m.predict_proba(r[:, k])[:, 1],
            )
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        suffix = "_embeddings" if args.embeddings else ""
        path = RESULTS.with_name(f"fact_models{suffix}.md")
        path.write_text("# Same-fact decisions fitted on public data\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
