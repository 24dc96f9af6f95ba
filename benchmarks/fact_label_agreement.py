"""How far two readers agree on the roundup fact labels: the ceiling of the facts benchmark.

``benchmarks/data/roundup_fact_pairs.jsonl`` was labelled by one reader per pair, following the
written guide (``benchmarks/data/README.md``).  A second reader labelled every pair of the
validation roundups again, independently, from the same guide and the sentences alone
(``roundup_fact_pairs_reader2.jsonl``, same layout), and every pair of the validation ECB+
whole-article stories (``ecb_fact_pairs_reader2.jsonl``; :mod:`ecb_facts`).  Printed:

* the second reader scored against the first (pair precision / recall / F1, Cohen's kappa): how
  much of the distance to a perfect score is disagreement between readers about what "the same
  fact" is;
* the shipped decision (``align.decision``, ``align.threshold`` and ``align.link_threshold`` at
  their defaults) and the TF-IDF cosine baseline (its threshold
  as ``benchmarks/facts.py`` chose it on these stories), each scored against either reader, so a
  reader can see whether a method is nearer the readers than they are to each other.

Only the validation part is read: it is where settings are chosen, so a second opinion on it
costs no held-out data.

    python benchmarks/fact_label_agreement.py
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ecb_facts
import facts
from newsfuse.config import DEFAULT_LINK_THRESHOLD, DEFAULT_THRESHOLD, AlignSettings

SECOND_READER = facts.ROOT / "benchmarks" / "data" / "roundup_fact_pairs_reader2.jsonl"
RESULTS = facts.ROOT / "benchmarks" / "results" / "fact_label_agreement.md"
TFIDF_THRESHOLD = 0.10
"""The TF-IDF cosine threshold ``benchmarks/facts.py`` chose on its two validation sets (the
roundups and the whole-article stories: one threshold for both)."""
ECB_SECOND_READER = facts.ROOT / "benchmarks" / "data" / "ecb_fact_pairs_reader2.jsonl"
ROUNDUP_KEY = ("line", "a_article", "a_start", "b_article", "b_start")
ECB_KEY = ("story", "a_doc", "a_start", "b_doc", "b_start")

Key = tuple[object, ...]


def _labels(path: Path, fields: Sequence[str] = ROUNDUP_KEY) -> dict[Key, int]:
    """The validation part's labels of one file, by the fields naming a pair."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        x = json.loads(line)
        if x["part"] == "validation":
            found[tuple(x[f] for f in fields)] = int(x["same"])
    return found


def agreement(
    first: dict[Key, int], second: dict[Key, int]
) -> tuple[int, float, float, float, float]:
    """Pairs both readers labelled; the second reader's precision, recall and F1 against the
    first; Cohen's kappa."""
    both = sorted(set(first) & set(second))
    tp = sum(first[k] and second[k] for k in both)
    fp = sum(second[k] and not first[k] for k in both)
    fn = sum(first[k] and not second[k] for k in both)
    n = len(both)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    observed = sum(first[k] == second[k] for k in both) / n
    p1, p2 = sum(first[k] for k in both) / n, sum(second[k] for k in both) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return n, precision, recall, f1, kappa


def _method(kind: str) -> facts.Method:
    """The benchmark's row for decision ``kind`` as shipped: claims compared, no embeddings."""
    return next(
        m for m in facts.METHODS if m.kind == kind and not m.embeddings and m.units == "claims"
    )


def section(
    title: str,
    first: dict[Key, int],
    second: dict[Key, int],
    readers: Sequence[Sequence[facts.Story]],
    tfidf_threshold: float,
) -> list[str]:
    """One set's table: the second reader against the first, then the shipped decision and the
    TF-IDF baseline against either reader."""
    n, precision, recall, f1, kappa = agreement(first, second)
    both = [k for k in second if k in first]
    lines = [
        f"{title}: {n} pairs labelled by both readers; same: "
        f"{sum(first[k] for k in both)} by the first, {sum(second[k] for k in both)} by the second.",
        "",
        "| scored | against reader 1: P / R / F1 | against reader 2: P / R / F1 |",
        "|---|---|---|",
        f"| reader 2 | {precision:.3f} / {recall:.3f} / **{f1:.3f}** (kappa {kappa:.3f}) | — |",
    ]
    shipped = AlignSettings().decision
    methods = (
        (
            f"{shipped} decision, {DEFAULT_THRESHOLD:.2f}, link {DEFAULT_LINK_THRESHOLD:.2f}"
            " (the defaults)",
            _method(shipped),
            DEFAULT_THRESHOLD,
            DEFAULT_LINK_THRESHOLD,
        ),
        (
            f"baseline: TF-IDF cosine, {tfidf_threshold:.2f}",
            _method("cosine"),
            tfidf_threshold,
            tfidf_threshold,
        ),
    )
    for name, method, threshold, link in methods:
        cells = []
        for stories in readers:
            p, r, f = facts._scores(facts.run(stories, method, threshold, link=link))
            cells.append(f"{p:.3f} / {r:.3f} / **{f:.3f}**")
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    for path in (SECOND_READER, ECB_SECOND_READER):
        if not path.is_file():
            print(f"newsfuse: {path}: no second reader's labels", file=sys.stderr)
            return 1
    lines = [
        "Command: `python benchmarks/fact_label_agreement.py`",
        "",
        *section(
            "Validation roundups",
            _labels(facts.ROUNDUP_LABELS),
            _labels(SECOND_READER),
            [
                facts.load_roundup_stories("validation"),
                facts.load_roundup_stories("validation", SECOND_READER),
            ],
            TFIDF_THRESHOLD,
        ),
        "",
        *section(
            "Validation ECB+ whole-article stories",
            _labels(ecb_facts.LABELS, ECB_KEY),
            _labels(ECB_SECOND_READER, ECB_KEY),
            [
                facts.load_ecb_stories("validation"),
                facts.load_ecb_stories("validation", ECB_SECOND_READER),
            ],
            TFIDF_THRESHOLD,
        ),
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
