"""Soak: ingest generated articles in batches while stories are reported from the store, then check.

A long-running ingest must not lose documents, fail on any of them, or grow in memory with what it
has already processed.  This script ingests a synthetic corpus (``benchmarks/corpus.py``: stories
told by several outlets, wire copies re-run with edits, byte-identical re-runs, noise) into a fresh
SQLite store, one chunk of ``--chunk`` articles per ``newsfuse.corpus.ingest`` call, and after each
chunk reports the story with the most articles among the first page of the story list (the 50
stories updated last, ``Store.story_page``; ``report_story``), as a reader would while the crawl
goes on.  The articles come in publication order, ``--per-day`` of them a day (50: the 100k corpus
spans 2,000 days), as a crawl meets them: the story tracker's window (``cluster.window_days``, 14)
then slides over the corpus, and stories leave it as the crawl goes on.  At the end it checks:

* documents in = documents stored (every generated line is read and is a raw document in the
  store, new or identical to one stored before) and none is left pending;
* zero unexpected errors (no rejection saying "unexpected", no exception);
* memory flat: the peak resident memory sampled over the last quarter of the chunks is within
  10% of the first quarter's.

The duration is bounded: ``--max-minutes`` stops feeding chunks once that much time has passed
(the chunk in progress finishes), and the checks apply to the articles fed.  The throughput at
2,000 and 10,000 articles and over the last quarter is printed with the time 100,000 articles would
take at the last quarter's rate, so a bounded run says how long the full one would be.

The default (``--articles 2000``) runs in a few minutes on a shared 2-core machine; the full run
of the issue is ``--articles 100000`` (67 minutes here with ``--chunk 1000 --workers 2``;
about two hours with one process).  Writes ``benchmarks/results/soak.md``.

    python benchmarks/soak.py [--articles 2000] [--chunk 200] [--workers 1] [--seed 11]
                              [--per-day 50] [--max-minutes M]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import CorpusArticle, generate  # noqa: E402
from newsfuse.config import load_settings  # noqa: E402
from newsfuse.corpus import ingest, report_story  # noqa: E402
from newsfuse.models import Rejection  # noqa: E402
from newsfuse.store import Store  # noqa: E402
from newsfuse.store.listing import StoryFilter  # noqa: E402

RESULT = ROOT / "benchmarks" / "results" / "soak.md"
FLAT = 1.10  # the last quarter's peak may exceed the first quarter's by at most 10%


def rss_mb() -> float:
    """This process's resident memory now (not its high-water mark, which can only grow)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakSampler:
    """Samples this process's resident memory every 0.1 s in a thread; :meth:`take` returns the
    highest value since the last call (the chunk's peak, not a point reading)."""

    def __init__(self) -> None:
        self._peak = rss_mb()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            value = rss_mb()
            with self._lock:
                self._peak = max(self._peak, value)

    def take(self) -> float:
        with self._lock:
            peak, self._peak = max(self._peak, rss_mb()), rss_mb()
        return peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def write_chunk(articles: list[CorpusArticle], path: Path) -> None:
    """The chunk as newsfuse JSONL (truth labels left out: newsfuse must not see them)."""
    with path.open("w", encoding="utf-8") as out:
        for article in articles:
            record = asdict(article)
            fields = ("text", "title", "outlet", "url", "published_at")
            out.write(json.dumps({key: record[key] for key in fields}) + "\n")


def throughput(progress: list[tuple[int, float]]) -> list[tuple[str, str]]:
    """Articles per second at 2,000 and 10,000 articles and over the last quarter of the chunks,
    and the time 100,000 articles would take going on at the last quarter's rate."""
    rows: list[tuple[str, str]] = []
    for mark in (2000, 10000):
        reached = [(n, t) for n, t in progress if n >= mark]
        if reached:
            n, t = reached[0]
            rows.append((f"throughput over the first {n:,} articles (articles/s)", f"{n / t:.2f}"))
    if len(progress) >= 4:
        start = progress[-(len(progress) // 4) - 1]
        n, t = progress[-1]
        rate = (n - start[0]) / (t - start[1])
        rows.append(("throughput over the last quarter (articles/s)", f"{rate:.2f}"))
        if n < 100_000:
            hours = (t + (100_000 - n) / rate) / 3600
            rows.append(("100,000 articles at that rate would take (hours)", f"{hours:.1f}"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--per-day", type=int, default=50, help="Articles per day of publication time."
    )
    parser.add_argument(
        "--max-minutes", type=float, default=None, help="Stop feeding chunks after this long."
    )
    args = parser.parse_args()
    days = max(1, math.ceil(args.articles / args.per_day))
    generated = generate(args.articles, args.seed, names=max(1, args.articles // 1000), days=days)
    corpus = sorted(generated, key=lambda a: (a.published_at, a.id))  # as a crawl meets them
    settings = load_settings(overrides=[f"run.workers={args.workers}"])
    rejections: list[Rejection] = []
    samples: list[float] = []  # peak RSS of each chunk (its ingest and its report)
    sampler = PeakSampler()
    errors: list[str] = []
    read = stored_now = known = reported = fed = 0
    progress: list[tuple[int, float]] = []  # (articles fed, seconds) after each chunk
    started = time.monotonic()
    budget = None if args.max_minutes is None else 60 * args.max_minutes
    with (
        tempfile.TemporaryDirectory(prefix="newsfuse-soak-") as folder,
        Store.open(Path(folder) / "soak.db") as store,
    ):
        for first in range(0, len(corpus), args.chunk):
            if budget is not None and time.monotonic() - started >= budget:
                break
            path = Path(folder) / f"chunk-{first:07d}.jsonl"
            chunk = corpus[first : first + args.chunk]
            fed += len(chunk)
            write_chunk(chunk, path)
            try:
                summary = ingest([str(path)], store, settings, on_rejection=rejections.append)
                read += summary.read
                stored_now += summary.stored
                known += summary.known
                page = store.story_page(StoryFilter(limit=50)).stories
                biggest = max(page, key=lambda s: (len(s.sources), s.id))
                report_story(store, biggest.id, settings)
                reported += 1
            except Exception as error:  # counted and shown: the check below fails
                errors.append(f"chunk at {first}: {type(error).__name__}: {error}")
            samples.append(sampler.take())
            path.unlink()
            progress.append((fed, time.monotonic() - started))
            print(
                f"{fed:>7,} articles: peak {samples[-1]:,.0f} MB, {progress[-1][1]:,.0f} s",
                file=sys.stderr,
                flush=True,
            )
        counts = store.counts()
    sampler.stop()
    seconds = time.monotonic() - started
    unexpected = [r for r in rejections if "unexpected" in r.reason]
    duplicates = sum(1 for r in rejections if r.stage == "dedupe")
    quarter = max(1, len(samples) // 4)
    first_peak, last_peak = max(samples[:quarter]), max(samples[-quarter:])
    stored = counts.get("raw_documents", 0)
    pending = counts.get("raw_documents.pending", 0)
    articles = counts.get("articles", 0)
    rates = throughput(progress)
    distinct_texts = len({a.text for a in corpus[:fed]})  # of the articles fed, not generated
    checks = {
        "documents in = documents stored": read == fed
        and stored_now + known == read
        and stored == stored_now,
        "nothing left pending": pending == 0,
        "zero unexpected errors": not unexpected and not errors,
        f"memory flat (last quarter's peak <= {FLAT:.2f} x first quarter's)": last_peak
        <= FLAT * first_peak,
    }
    lines = [
        "# Soak",
        "",
        f"`python benchmarks/soak.py --articles {args.articles} --chunk {args.chunk} "
        f"--workers {args.workers} --seed {args.seed} --per-day {args.per_day}"
        + (f" --max-minutes {args.max_minutes:g}" if args.max_minutes is not None else "")
        + f"` (the full run is `--articles 100000`): {fed:,} of {len(corpus):,} generated "
        f"articles (publication order, {days:,} days) ingested into a fresh SQLite store in "
        f"{len(samples)} chunks, the largest of the 50 stories updated last reported from the "
        f"store after each chunk, in {seconds:,.0f} s on a shared 2-core "
        f"machine (niceness {os.nice(0)}, other engineers' jobs running).",
        "",
        "| Figure | Value |",
        "|---|---:|",
        f"| documents fed / read by ingest | {fed:,} / {read:,} |",
        f"| raw documents stored new / already stored (identical) / in the store | "
        f"{stored_now:,} / {known:,} / {stored:,} |",
        f"| distinct texts / raw documents left pending | {distinct_texts:,} / {pending:,} |",
        f"| articles stored | {articles:,} |",
        f"| rejections: same text as a stored article / other | {duplicates:,} / "
        f"{len(rejections) - duplicates:,} |",
        f"| unexpected errors | {len(unexpected) + len(errors)} |",
        f"| reports generated from the store | {reported} |",
        f"| stories | {counts.get('stories', 0):,} |",
        f"| peak RSS, first quarter / last quarter of the chunks (MB) | {first_peak:,.0f} / "
        f"{last_peak:,.0f} |",
        *(f"| {name} | {value} |" for name, value in rates),
        "",
        "| Check | Result |",
        "|---|---|",
        *(f"| {name} | {'met' if ok else 'MISSED'} |" for name, ok in checks.items()),
        "",
    ]
    for problem in [*errors, *(f"{r.item}: {r.stage}: {r.reason}" for r in unexpected)][:10]:
        lines.append(f"- {problem}")
    text = "\n".join(lines).rstrip() + "\n"
    RESULT.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
