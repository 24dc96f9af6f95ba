"""Soak: ingest generated articles in batches while stories are reported from the store, then check.

A long-running ingest must not lose documents, fail on any of them, or grow in memory with what it
has already processed.  This script ingests a synthetic corpus (``benchmarks/corpus.py``: stories
told by several outlets, wire copies re-run with edits, byte-identical re-runs, noise) into a fresh
SQLite store, one chunk of ``--chunk`` articles per ``newsfuse.corpus.ingest`` call, and after each
chunk reports the story with the most articles from the store (``report_story``), as a reader
would while the crawl goes on.  At the end it checks:

* documents in = documents stored (every generated line is read and is a raw document in the
  store, new or identical to one stored before) and none is left pending;
* zero unexpected errors (no rejection saying "unexpected", no exception);
* memory flat: the peak resident memory sampled over the last quarter of the chunks is within
  10% of the first quarter's.

The default (``--articles 2000``) runs in a few minutes on a shared 2-core machine; the full run
of the issue is ``--articles 100000`` (hours here).  Writes ``benchmarks/results/soak.md``.

    python benchmarks/soak.py [--articles 2000] [--chunk 200] [--workers 1] [--seed 11]
"""

from __future__ import annotations

import argparse
import json
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    corpus = generate(args.articles, args.seed, names=max(1, args.articles // 1000))
    distinct_texts = len({a.text for a in corpus})
    settings = load_settings(overrides=[f"run.workers={args.workers}"])
    rejections: list[Rejection] = []
    samples: list[float] = []  # peak RSS of each chunk (its ingest and its report)
    sampler = PeakSampler()
    errors: list[str] = []
    read = stored_now = known = reported = 0
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="newsfuse-soak-") as folder,
        Store.open(Path(folder) / "soak.db") as store,
    ):
        for first in range(0, len(corpus), args.chunk):
            path = Path(folder) / f"chunk-{first:07d}.jsonl"
            write_chunk(corpus[first : first + args.chunk], path)
            try:
                summary = ingest([str(path)], store, settings, on_rejection=rejections.append)
                read += summary.read
                stored_now += summary.stored
                known += summary.known
                stories = store.list_stories()
                biggest = max(stories, key=lambda s: (len(s.article_ids), s.id))
                report_story(store, biggest.id, settings)
                reported += 1
            except Exception as error:  # counted and shown: the check below fails
                errors.append(f"chunk at {first}: {type(error).__name__}: {error}")
            samples.append(sampler.take())
            path.unlink()
            print(
                f"{first + args.chunk:>7,} articles: peak {samples[-1]:,.0f} MB, "
                f"{time.monotonic() - started:,.0f} s",
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
    checks = {
        "documents in = documents stored": read == len(corpus)
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
        f"--workers {args.workers} --seed {args.seed}` (the full run is `--articles 100000`): "
        f"{len(corpus):,} generated articles ingested into a fresh SQLite store in "
        f"{len(samples)} chunks, the largest story reported from the store after each chunk, "
        f"in {seconds:,.0f} s on a shared 2-core machine.",
        "",
        "| Figure | Value |",
        "|---|---:|",
        f"| documents generated / read by ingest | {len(corpus):,} / {read:,} |",
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
