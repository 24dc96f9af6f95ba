"""Extract-stage throughput against bare spaCy on the same texts, side by side in one run.

The extract stage (sentences, mentions, quotes, claims) must cost at most 1.3x the time of bare
``nlp.pipe`` of the same model over the same paragraphs: everything newsfuse adds on top of parsing
has to stay cheap.  Texts: the PolNeAR dev articles (84 real news articles) plus the bundled example.
Each system runs ``--repeat`` times, alternating, and the median is reported (this machine is noisy).

    python benchmarks/throughput.py [--repeat 3] [--limit N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

from newsfuse.config import CUE_DECISIONS, ExtractSettings
from newsfuse.models import Article, content_id
from newsfuse.stages.extract.annotate import Extractor
from newsfuse.stages.extract.nlp import load_nlp
from newsfuse.stages.extract.paragraphs import paragraph_chunks

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "attribution-dev" / "dev" / "text"
RESULTS = ROOT / "benchmarks" / "results" / "throughput.md"


def _articles(limit: int | None) -> list[Article]:
    paths = sorted(BENCH.glob("*.txt"))[:limit] + sorted((ROOT / "examples").rglob("*.txt"))
    articles = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        articles.append(
            Article(
                id=content_id(text, prefix="art_"),
                raw_id="bench",
                origin=str(path),
                url=None,
                outlet=None,
                title=None,
                byline=None,
                dateline=None,
                published_at=None,
                language="en",
                text=text,
                extractor="bench",
            )
        )
    return articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    settings = ExtractSettings()
    other_decision = next(d for d in CUE_DECISIONS if d != settings.cue_decision)
    articles = _articles(args.limit)
    chars = sum(len(a.text) for a in articles)
    nlp = load_nlp(settings.spacy_model)
    systems = {
        "newsfuse extract stage (default)": Extractor(settings),
        f'newsfuse extract stage, `extract.cue_decision = "{other_decision}"`': Extractor(
            dataclasses.replace(settings, cue_decision=other_decision)
        ),
    }
    chunks = [
        c for a in articles for _, c in paragraph_chunks(a.text, settings.max_chars_per_chunk)
    ]
    for extractor in systems.values():
        extractor(articles[:2])  # warm up every path once
    load_before = os.getloadavg()[0]
    bare: list[float] = []
    full: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(args.repeat):
        start = time.perf_counter()
        for _doc in nlp.pipe(chunks, batch_size=settings.batch_size):
            pass
        bare.append(time.perf_counter() - start)
        for name, extractor in systems.items():
            start = time.perf_counter()
            extractor(articles)
            full[name].append(time.perf_counter() - start)
    load_after = os.getloadavg()[0]
    bare_s = statistics.median(bare)
    medians = {name: statistics.median(times) for name, times in full.items()}
    ratio = medians["newsfuse extract stage (default)"] / bare_s
    lines = [
        f"Command: `python benchmarks/throughput.py --repeat {args.repeat}` — {len(articles)} articles, "
        f"{chars:,} characters (PolNeAR dev texts + the example story), model "
        f"`{settings.spacy_model}`, batch size {settings.batch_size}, one process, median of "
        f"{args.repeat} alternating runs; the default is "
        f'`extract.cue_decision = "{settings.cue_decision}"`; 1-minute load average '
        f"{load_before:.1f} before, {load_after:.1f} after.",
        "",
        "| system | seconds | articles/s | chars/s | ratio to bare nlp.pipe |",
        "|---|---:|---:|---:|---:|",
        f"| bare `nlp.pipe` | {bare_s:.2f} | {len(articles) / bare_s:.1f} | {chars / bare_s:,.0f} | 1.00 |",
        *(
            f"| {name} | {seconds:.2f} | {len(articles) / seconds:.1f} | "
            f"{chars / seconds:,.0f} | {seconds / bare_s:.2f} |"
            for name, seconds in medians.items()
        ),
        "",
        f"Target (default): ratio ≤ 1.30 — {'met' if ratio <= 1.3 else 'missed'}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
