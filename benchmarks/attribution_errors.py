"""Where attribution F1 is lost on PolNeAR dev: missed cues, false cues, or the right cue with the
wrong source / content span.

For each role (source, content) every unmatched gold span and every unmatched predicted span (after
the benchmark's one-to-one overlap matching) is put in one class:

* **missed cue** (gold) / **false cue** (predicted): no attribution on the other side has a cue
  overlapping this attribution's cue, so no span boundary could have saved it;
* **no span** (gold): the cue was found but the predicted attribution has no span of this role;
* **wrong span**: the cue was found on both sides but the spans of this role do not overlap
  (a boundary or an assignment error);
* **matching**: the span overlaps one on the other side that the one-to-one matching gave to another.

Dev only (``../shared/bench/attribution-dev/dev``); the split the benchmark reports.  With
``--show N`` it prints N examples of each class.

    python benchmarks/attribution_errors.py [--split dev] [--show N] [--validation-half]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import (
    DEFAULT_BENCH_DIR,
    ROLES,
    Attr,
    Fragments,
    _overlaps,
    dev_halves,
    greedy_pairs,
    load_split,
    predict,
)


def classify(
    role: str, predicted: list[Attr], gold: list[Attr]
) -> Iterable[tuple[str, str, Attr, Fragments]]:
    """``(side, class, attribution, span)`` for each unmatched span of ``role``."""
    pred_spans = sorted({s for a in predicted if (s := a.role(role)) is not None})
    gold_spans = sorted({s for a in gold if (s := a.role(role)) is not None})
    used_p, used_g = greedy_pairs(pred_spans, gold_spans)
    for side, spans, used, mine, theirs in (
        ("gold", gold_spans, used_g, gold, predicted),
        ("predicted", pred_spans, used_p, predicted, gold),
    ):
        for index, span in enumerate(spans):
            if index in used:
                continue
            owner = next(a for a in mine if a.role(role) == span)
            other_spans = [s for a in theirs if (s := a.role(role)) is not None]
            partners = [a for a in theirs if _overlaps(a.cue, owner.cue)]
            if any(_overlaps(span, s) for s in other_spans):
                kind = "matching"
            elif not partners:
                kind = "missed cue" if side == "gold" else "false cue"
            elif all(a.role(role) is None for a in partners):
                kind = "no span"
            else:
                kind = "wrong span"
            yield side, kind, owner, span


def _show(text: str, attr: Attr, span: Fragments) -> str:
    start = min(f[0] for f in span)
    end = max(f[1] for f in span)
    cue = " ".join(text[a:b] for a, b in attr.cue or ())
    window = text[max(0, start - 80) : end + 80].replace("\n", " ")
    return f"[{text[start:end][:120]!r}] cue={cue!r}\n      …{window[:360]}…"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument(
        "--validation-half",
        action="store_true",
        help="only the validation half of dev (attribution.dev_halves), for choosing what to fix",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    loaded = load_split(args.bench_dir / args.split, None)
    if args.validation_half:
        validation, _ = dev_halves([name for name, _, _ in loaded])
        loaded = [item for item in loaded if item[0] in validation]
    predictions = predict([text for _, text, _ in loaded])
    counts: Counter[tuple[str, str, str]] = Counter()
    examples: dict[tuple[str, str, str], list[str]] = {}
    for (_, text, gold), predicted in zip(loaded, predictions, strict=True):
        for role in ROLES:
            for side, kind, attr, span in classify(role, predicted, gold):
                counts[role, side, kind] += 1
                examples.setdefault((role, side, kind), []).append(_show(text, attr, span))
    for role in ROLES:
        print(f"{role}:")
        for side in ("gold", "predicted"):
            row = {k[2]: v for k, v in counts.items() if k[0] == role and k[1] == side}
            total = sum(row.values())
            print(
                f"  unmatched {side}: {total}  "
                + ", ".join(f"{k} {v}" for k, v in sorted(row.items()))
            )
    if args.show:
        rng = random.Random(7)
        for key in sorted(examples):
            print(f"\n== {key}")
            for line in rng.sample(examples[key], min(args.show, len(examples[key]))):
                print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
