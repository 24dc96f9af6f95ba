"""Fit the past-or-future decision for weekdays and months (``timex_direction.json``).

Reads only the **fit** part of the TBAQ split that ``timex.py`` makes (192 documents); the
validation part is scored once at the end, to confirm, never to choose.

Examples: every decision :func:`newsfuse.stages.extract.timex_direction.looks_ahead` makes while
the rules read a fit document (a weekday, a month, or a month and day with no year and no
"last"/"next") about a timex the rules keep (a candidate that loses to a longer one is none),
labelled 1 when the gold TIMEX3 that overlaps it has the *future* candidate's value,
0 when it has the past one's; a decision whose gold has neither value (annotation of a different
anchor, or no gold timex at all) is no example.  Features:
:data:`newsfuse.stages.extract.timex_direction.FEATURES`.

Model: scikit-learn's ``LogisticRegression`` (L2); its ``C`` is chosen by five-fold
cross-validation over the fit documents (folds by document, ``random.Random(18)``), by accuracy,
ties to the smaller ``C``; then refitted on all fit examples.  Printed beside it: the hand rule's
accuracy on the same examples.

    python benchmarks/fit_timex_direction.py [--no-write]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfuse.stages.extract.dates import find_timexes
from newsfuse.stages.extract.timex_direction import FEATURES, MODEL_PATH, recording
from timex import DEFAULT_BENCH_DIR, split_names
from timex_metrics import TmlDocument, parse_tml

C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5
SEED = 18

Example = tuple[str, tuple[float, ...], int, bool]  # document, features, label, hand rule's answer


def examples(docs: list[TmlDocument]) -> list[Example]:
    """The labelled decisions of ``docs`` (see the module docstring)."""
    out: list[Example] = []
    for doc in docs:
        with recording() as cases:
            found = find_timexes(doc.text, doc.dct)
        # Only decisions about timexes the rules keep: a candidate that loses to a longer one
        # ("February" inside "February this year") was never a real question.
        kept = {(t.start, t.end) for t in found}
        seen: set[tuple[int, int, str]] = set()
        for case in cases:
            key = (case.start, case.end, case.past_value)
            if key in seen or (case.start, case.end) not in kept:
                continue
            seen.add(key)
            for gold in doc.timexes:
                if gold.start < case.end and case.start < gold.end:
                    if gold.value.startswith(case.future_value):
                        out.append((doc.name, case.features, 1, case.hand))
                    elif gold.value.startswith(case.past_value):
                        out.append((doc.name, case.features, 0, case.hand))
                    break
    return out


def _fit(rows: list[Example], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=1000)
    model.fit([list(r[1]) for r in rows], [r[2] for r in rows])
    return model


def _accuracy(model: Any, rows: list[Example]) -> float:
    predicted = model.predict([list(r[1]) for r in rows])
    return sum(int(p) == r[2] for p, r in zip(predicted, rows, strict=True)) / len(rows)


def cross_validated(rows: list[Example], c: float) -> float:
    """Accuracy over ``FOLDS`` document folds of the fit part."""
    names = sorted({r[0] for r in rows})
    random.Random(SEED).shuffle(names)
    fold_of = {name: i % FOLDS for i, name in enumerate(names)}
    correct = 0
    for k in range(FOLDS):
        train = [r for r in rows if fold_of[r[0]] != k]
        test = [r for r in rows if fold_of[r[0]] == k]
        if test:
            correct += round(_accuracy(_fit(train, c), test) * len(test))
    return correct / len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    paths = sorted(args.bench_dir.rglob("*.tml"), key=lambda p: p.name)
    part_of = split_names([p.name for p in paths])
    docs = {
        part: [parse_tml(p) for p in paths if part_of[p.name] == part] for part in part_of.values()
    }
    fit_rows = examples(docs["fit"])
    val_rows = examples(docs["validation"])
    positives = sum(r[2] for r in fit_rows)
    print(f"fit part: {len(fit_rows)} decisions ({positives} future), validation: {len(val_rows)}")

    def hand(rows: list[Example]) -> float:
        return sum(int(r[3]) == r[2] for r in rows) / len(rows)

    scores = {c: cross_validated(fit_rows, c) for c in C_GRID}
    for c, acc in scores.items():
        print(f"  C={c:<5} cross-validated accuracy on fit {acc:.4f}")
    best = max(C_GRID, key=lambda c: (round(scores[c], 6), -c))
    model = _fit(fit_rows, best)
    print(f"chosen C={best}")
    print(f"hand rule: fit {hand(fit_rows):.4f}, validation {hand(val_rows):.4f}")
    print(
        f"learned:   fit {_accuracy(model, fit_rows):.4f} (cross-validated {scores[best]:.4f}), "
        f"validation {_accuracy(model, val_rows):.4f}"
    )
    weights = [round(float(w), 4) for w in model.coef_[0]]
    bias = round(float(model.intercept_[0]), 4)
    for name, w in zip(FEATURES, weights, strict=True):
        print(f"  {name:<14} {w:+.4f}")
    print(f"  {'bias':<14} {bias:+.4f}")
    if not args.no_write:
        payload = {
            "about": "past-or-future decision for weekdays and months; "
            "fitted by benchmarks/fit_timex_direction.py on the TBAQ fit part",
            "C": best,
            "examples": len(fit_rows),
            "features": list(FEATURES),
            "weights": weights,
            "bias": bias,
        }
        MODEL_PATH.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
