"""Build the news background that gives a lone sentence pair its word rarity.

Why: the same-statement features weigh shared and unshared words by rarity, and within a story the
rarity comes from the story's own sentences.  A caller who scores one pair on its own
(``StatementMatcher.score`` / ``decide``) has no story: rarity from the two sentences alone makes
every word look rare, so "The union wants a 9 per cent rise" and "The authority offered 4.5 per
cent" share "per cent" as if it were a name, and the model calls them the same statement.  A
background of news sentences tells it that "per cent" is common.  The MSRP-fitted model was fitted
with rarity over thousands of news sentences, so sentence-level document frequencies are what its
features expect.

Data (public, none of it an evaluation set this background is used on):

* PolNeAR **train** texts (``../shared/bench/attribution-dev/train/text``), political news;
* the lines of AllSides roundups ``train.source`` that no labelled fact pair names
  (``benchmarks/data/roundup_fact_pairs.jsonl``, 1-based line numbers), three outlets' leads a
  line.

Each text is cut into sentences at ``.``, ``!`` or ``?`` followed by a space and a capital or a
quotation mark (no parser: only document frequencies are kept), and each sentence's terms are
:func:`newsfuse.stages.similarity.terms` (stemmed content words, as the features use).  Terms found
in fewer than :data:`MIN_SENTENCES` sentences are left out (a word the background has not seen is
rare either way).  Written deterministically (sorted, gzip without a time stamp) to
``src/newsfuse/stages/align/background.json.gz``.

    python benchmarks/build_background.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsfuse.stages.align.background import BACKGROUND_PATH
from newsfuse.stages.similarity import terms

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench"
POLNEAR_TRAIN = BENCH / "attribution-dev" / "train" / "text"
ROUNDUPS = BENCH / "roundups-dev" / "train.source"
LABELLED = ROOT / "benchmarks" / "data" / "roundup_fact_pairs.jsonl"
MIN_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘A-Z])")


def sentences(text: str) -> list[str]:
    """A text's sentences, cut at a full stop, question or exclamation mark before a capital."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def background_texts() -> Iterator[str]:
    """The background's articles: PolNeAR train, then the unlabelled roundups lines' leads."""
    for path in sorted(POLNEAR_TRAIN.glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    labelled = {
        int(json.loads(line)["line"])
        for line in LABELLED.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    for number, line in enumerate(ROUNDUPS.read_text(encoding="utf-8").splitlines(), start=1):
        if number in labelled:
            continue
        for part in line.split("[SEP]"):
            yield part.partition("ARTICLE=>")[2]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=BACKGROUND_PATH)
    args = parser.parse_args(argv)
    if not POLNEAR_TRAIN.is_dir() or not ROUNDUPS.is_file():
        print(f"missing: {POLNEAR_TRAIN} or {ROUNDUPS}", file=sys.stderr)
        return 1
    frequency: Counter[str] = Counter()
    total = 0
    for text in background_texts():
        for sentence in sentences(text):
            found = set(terms(sentence))
            if found:
                total += 1
                frequency.update(found)
    kept = {t: c for t, c in sorted(frequency.items()) if c >= MIN_SENTENCES}
    payload = json.dumps({"sentences": total, "frequency": kept}, sort_keys=True)
    args.out.write_bytes(gzip.compress(payload.encode("utf-8"), mtime=0))
    print(
        f"wrote {args.out}: {total:,} sentences, {len(kept):,} terms "
        f"(of {len(frequency):,}; seen in >= {MIN_SENTENCES}), {args.out.stat().st_size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
