"""Error breakdown of newsfuse's temporal expressions on one part of the timex-dev split.

Why: value F1 on TBAQ lags relaxed span F1 by about 0.14, so most of the loss is wrong values on
spans we find.  Rules should go where the errors are, and a category is a better guide than a list
of examples: one fix for "a weekday resolved in the wrong direction" helps on text the rule has
never seen, a fix for one sentence does not.  Only the **fit** part is for design (see
``timex.py``'s docstring); ``--part validation`` exists to confirm, not to look for new rules.

Every error is one gold/system pair of the TempEval-3 alignment (``timex_metrics.score_document``)
put in the first category that applies, in this order:

* ``missed span`` – a gold timex that no system timex overlaps (costs recall);
* ``spurious span`` – a system timex that overlaps no gold one (costs precision);
* ``SET`` – either side is a SET and the other is not, or both are SETs with other values;
* ``DURATION vs DATE`` – one side is a DURATION, the other a DATE or TIME (the type decides the
  value's form: ``P3Y`` against ``1986``);
* ``vague *_REF`` – either value is ``PAST_REF``/``PRESENT_REF``/``FUTURE_REF`` and they differ;
* ``quarter/season/half/decade`` – either value names a quarter, season, half year, decade or century;
* ``wrong granularity`` – both are points but of different resolution (a week against a day);
* ``wrong anchor/direction`` – same resolution, another point (last week's Friday for this week's);
* ``duration amount`` – both durations with different amounts or units (``PT24H`` against ``P1D``);
* ``span only`` – the value is right but the offsets differ (costs strict F1 only, listed apart).

    python benchmarks/timex_errors.py [--part fit|validation] [--examples N] [--category NAME]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timex import DEFAULT_BENCH_DIR, PARTS, run_newsfuse, split_names
from timex_metrics import GoldTimex, SystemTimex, TmlDocument, parse_tml, score_document

CATEGORIES = (
    "missed span",
    "spurious span",
    "SET",
    "DURATION vs DATE",
    "vague *_REF",
    "quarter/season/half/decade",
    "wrong granularity",
    "wrong anchor/direction",
    "duration amount",
    "other value",
    "span only",
)

_CALENDAR_PART = re.compile(r"-(?:Q[\dX]|H[12X]|SP|SU|FA|WI)$|^\d{2,3}X?$")


def granularity(value: str) -> str:
    """A coarse resolution label for a TIMEX3 point value (enough to tell 'week' from 'day')."""
    if "T" in value:
        return "time"
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", value) or re.fullmatch(
        r"[\dX]{4}-W[\dX]{2}-\d", value
    ):
        return "day"
    if re.fullmatch(r"[\dX]{4}-W[\dX]{2}(?:-WE)?", value):
        return "week"
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}", value):
        return "month"
    if re.fullmatch(r"[\dX]{4}", value):
        return "year"
    return "other"


def value_kind(kind: str, value: str) -> str:
    """What a missed or spurious timex is: a vague ``*_REF``, a duration, a set, a time or a date."""
    if value.endswith("_REF"):
        return "*_REF"
    return kind


def categorise(g: GoldTimex | None, s: SystemTimex | None) -> str | None:
    """The error category of one aligned pair, ``None`` when it is exactly right."""
    if s is None:
        return "missed span"
    if g is None:
        return "spurious span"
    if g.value == s.value:
        return None if (g.start, g.end) == (s.start, s.end) else "span only"
    if (g.type == "SET") != (s.type == "SET") or g.type == s.type == "SET":
        return "SET"
    if (g.type == "DURATION") != (s.type == "DURATION"):
        return "DURATION vs DATE"
    if g.value.endswith("_REF") or s.value.endswith("_REF"):
        return "vague *_REF"
    if _CALENDAR_PART.search(g.value) or _CALENDAR_PART.search(s.value):
        return "quarter/season/half/decade"
    if g.type == "DURATION":
        return "duration amount"
    if granularity(g.value) != granularity(s.value):
        return "wrong granularity"
    if granularity(g.value) != "other":
        return "wrong anchor/direction"
    return "other value"


def breakdown(
    docs: list[TmlDocument],
) -> tuple[Counter[str], dict[str, list[str]]]:
    """Count the errors of ``docs`` by category and keep a one-line description of each."""
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        _, pairs = score_document(doc.timexes, run_newsfuse(doc))
        for g, s in pairs:
            category = categorise(g, s)
            if category is None:
                continue
            counts[category] += 1
            if category in ("missed span", "spurious span"):
                t = g if g is not None else s
                assert t is not None
                counts[f"{category}: {value_kind(t.type, t.value)}"] += 1
            at = s.start if s else g.start if g else 0
            context = doc.text[max(0, at - 50) : at + 40].replace("\n", " ")
            gold = f"{g.text!r} {g.type} {g.value}" if g else "-"
            found = f"{doc.text[s.start : s.end]!r} {s.type} {s.value}" if s else "-"
            examples[category].append(
                f"  {doc.name} dct={doc.dct} gold={gold} sys={found} ctx={context!r}"
            )
    return counts, examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--part", choices=PARTS, default="fit")
    parser.add_argument("--examples", type=int, default=0, help="examples listed per category")
    parser.add_argument("--category", default=None, help="list only this category's examples")
    args = parser.parse_args(argv)

    paths = sorted(args.bench_dir.rglob("*.tml"), key=lambda p: p.name)
    part_of = split_names([p.name for p in paths])
    docs = [parse_tml(p) for p in paths if part_of[p.name] == args.part]
    counts, examples = breakdown(docs)
    n_gold = sum(len(d.timexes) for d in docs)
    value_errors = sum(counts[c] for c in CATEGORIES if c != "span only")
    print(
        f"# newsfuse timex errors, {args.part} part: {len(docs)} documents, {n_gold} gold timexes, "
        f"{value_errors} value errors (+{counts['span only']} right values on inexact spans)"
    )
    print()
    print("| category | errors | share of value errors |")
    print("|---|---|---|")
    for category in CATEGORIES:
        share = counts[category] / value_errors if category != "span only" and value_errors else 0
        shown = f"{share:.1%}" if category != "span only" else "(strict only)"
        print(f"| {category} | {counts[category]} | {shown} |")
        if category in ("missed span", "spurious span"):
            for kind in ("*_REF", "DATE", "TIME", "DURATION", "SET"):
                print(f"| … {kind} | {counts[f'{category}: {kind}']} | |")
    if args.examples:
        for category in CATEGORIES:
            if args.category and category != args.category:
                continue
            print(f"\n## {category}")
            print("\n".join(examples[category][: args.examples]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
