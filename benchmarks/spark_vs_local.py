"""Spark ``local[N]`` against the local executor on the same synthetic corpus: same output? how fast?

The corpus comes from ``benchmarks/corpus.py`` (imported, not copied), written as JSONL shards to a
temporary folder; both sides read those same files (the local side through ``read_sources``, Spark
through its own reader), so ingest is compared too.  Two measurements:

* **corpus stages** at ``--n`` articles (default 10,000): ingest → clean → exact duplicates →
  near-duplicate families → stories, *without* spaCy extraction and per-story reports.  Local:
  ``pipeline.clean_articles`` + ``assign_families`` + ``cluster`` in one process.  Spark:
  ``spark_corpus(extract=False)``.  Families and stories must be identical.
* **full pipeline** at ``--full-n`` articles (default 200): everything, spaCy and a report per
  story.  Local: ``analyse_corpus`` (one process); Spark: ``spark_corpus``.  Families, stories and
  every story's facts (claims, outlets, independent sources) must be identical.  The full run is
  smaller because spaCy parsing and the per-story analysis dominate and this is a shared 2-core
  machine: 200 articles took 47 s locally, so 10k end to end would take about 40 minutes locally
  and more on Spark, per run.

Times are wall-clock seconds on the same machine; Spark's are measured after the SparkSession is
up (its JVM start is reported on its own), and the ratio is Spark / local.  On one machine Spark
can at best use the same cores with more overhead (serialising every article between the JVM and
Python workers, shuffles written to disk), so a ratio above 1 is expected here; what ``local[2]``
shows is that the distributed plan gives the same answer, which is what lets it scale out.

    python benchmarks/spark_vs_local.py [--n 10000] [--full-n 200] [--master local[2]] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsfuse.config import Settings
from newsfuse.corpus import analyse_corpus, families_of
from newsfuse.corpus.spark import spark_corpus
from newsfuse.executors.spark import local_session
from newsfuse.models import RawDocument, Report
from newsfuse.pipeline import _drop_exact_duplicates, clean_articles
from newsfuse.stages.cluster import cluster
from newsfuse.stages.dedupe import assign_families
from newsfuse.stages.ingest.sources import read_sources

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import CorpusArticle, generate, write_jsonl

RESULTS = Path(__file__).resolve().parent / "results" / "spark.md"
_SHARDS = 8  # JSONL files per corpus: the reader parallelises over files


def write_shards(articles: list[CorpusArticle], folder: Path) -> list[str]:
    """Write ``articles`` as ``_SHARDS`` JSONL files and return the folder as the one input."""
    folder.mkdir(parents=True, exist_ok=True)
    for shard in range(_SHARDS):
        write_jsonl(articles[shard::_SHARDS], folder / f"part-{shard:02d}.jsonl")
    return [str(folder)]


def local_corpus_stages(
    inputs: Sequence[str], settings: Settings
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Families and stories without extraction, in one process (the reference for ``--n``)."""
    raws = [i for i in read_sources(inputs, settings.ingest) if isinstance(i, RawDocument)]
    cleaned = clean_articles(raws, settings)
    unique = assign_families(_drop_exact_duplicates(cleaned, lambda rejection: None))
    stories = {sid: tuple(ids) for sid, ids in cluster(unique).items()}
    return families_of(unique), stories


def facts_of(reports: dict[str, Report]) -> dict[str, list[tuple[Any, ...]]]:
    """Every story's facts by claim spans, outlets and independent sources."""
    return {
        sid: sorted(
            (
                tuple(sorted((c.article_id, c.start, c.end) for c in fact.claims)),
                fact.outlets,
                fact.independent_sources,
                fact.status,
            )
            for fact in report.story.facts
        )
        for sid, report in sorted(reports.items())
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles for the corpus stages")
    parser.add_argument("--full-n", type=int, default=200, help="articles for the full pipeline")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path, default=RESULTS)
    args = parser.parse_args()
    settings = Settings()
    rows: list[str] = []
    checks: list[str] = []

    with tempfile.TemporaryDirectory(prefix="newsfuse-spark-bench-") as tmp:
        corpus_inputs = write_shards(generate(args.n, args.seed), Path(tmp) / "corpus")
        full_inputs = write_shards(generate(args.full_n, args.seed), Path(tmp) / "full")

        started = time.perf_counter()
        spark = local_session(args.master, "newsfuse-bench")
        startup = time.perf_counter() - started
        print(f"SparkSession {args.master} up in {startup:.1f}s", flush=True)

        # --- corpus stages at --n -------------------------------------------------------------
        started = time.perf_counter()
        local_families, local_stories = local_corpus_stages(corpus_inputs, settings)
        local_seconds = time.perf_counter() - started
        print(f"local corpus stages, {args.n}: {local_seconds:.1f}s", flush=True)
        started = time.perf_counter()
        run = spark_corpus(spark, corpus_inputs, settings, extract=False, min_articles=10**9)
        remote = run.collect()
        spark_seconds = time.perf_counter() - started
        print(f"spark corpus stages, {args.n}: {spark_seconds:.1f}s", flush=True)
        same = remote.families == local_families and remote.stories == local_stories
        checks.append(
            f"corpus stages, {args.n:,} articles: families "
            f"{'identical' if remote.families == local_families else 'DIFFERENT'} "
            f"({len(local_families):,}, {sum(len(v) > 1 for v in local_families.values()):,} "
            f"with re-runs), stories "
            f"{'identical' if remote.stories == local_stories else 'DIFFERENT'} "
            f"({len(local_stories):,})"
        )
        rows.append(_row("ingest → families → stories", args.n, local_seconds, spark_seconds))

        # --- full pipeline at --full-n ----------------------------------------------------------
        started = time.perf_counter()
        raws = [i for i in read_sources(full_inputs, settings.ingest) if isinstance(i, RawDocument)]
        local = analyse_corpus(raws, settings)
        local_seconds = time.perf_counter() - started
        print(f"local full pipeline, {args.full_n}: {local_seconds:.1f}s", flush=True)
        started = time.perf_counter()
        remote = spark_corpus(spark, full_inputs, settings).collect()
        spark_seconds = time.perf_counter() - started
        print(f"spark full pipeline, {args.full_n}: {spark_seconds:.1f}s", flush=True)
        spark.stop()
        full_same = (
            remote.families == local.families
            and remote.stories == local.stories
            and facts_of(dict(remote.reports)) == facts_of(dict(local.reports))
        )
        facts = sum(len(r.story.facts) for r in local.reports.values())
        checks.append(
            f"full pipeline, {args.full_n:,} articles: families, stories and facts "
            f"{'identical' if full_same else 'DIFFERENT'} ({len(local.families):,} families, "
            f"{len(local.stories):,} stories, {facts:,} facts in {len(local.reports):,} reports; "
            f"reports equal as objects: {remote.reports == local.reports})"
        )
        rows.append(
            _row("full pipeline (spaCy, reports)", args.full_n, local_seconds, spark_seconds)
        )

    text = _markdown(args, startup, rows, checks)
    print(text)
    args.write.parent.mkdir(parents=True, exist_ok=True)
    args.write.write_text(text, encoding="utf-8")
    return 0 if same and full_same else 1


def _row(what: str, n: int, local: float, spark: float) -> str:
    return f"| {what} | {n:,} | {local:.1f} | {spark:.1f} | {spark / local:.2f} |"


def _markdown(args: argparse.Namespace, startup: float, rows: list[str], checks: list[str]) -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return "\n".join(
        [
            "# Spark vs the local executor",
            "",
            f"Command: `python benchmarks/spark_vs_local.py --n {args.n} --full-n {args.full_n} "
            f"--master '{args.master}' --seed {args.seed}` — synthetic corpus "
            "(`benchmarks/corpus.py`), 8 JSONL shards read by both sides.",
            "",
            f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
            f"{load:.1f} at the end (the machine is shared, so times are noisy). Local runs in one "
            f"process; Spark `{args.master}` (JVM start {startup:.1f}s, not counted).",
            "",
            "| stages | articles | local s | Spark s | Spark / local |",
            "|---|---:|---:|---:|---:|",
            *rows,
            "",
            "Same output:",
            "",
            *(f"- {check}" for check in checks),
            "",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
