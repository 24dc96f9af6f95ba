"""``newsfuse spark-run``: the corpus run on Spark from the command line.

Kept apart from :mod:`newsfuse.cli` (which only registers it) so that the main CLI never imports
PySpark and the Spark path can change without touching the other commands.  The same command works
under ``spark-submit`` (the master comes from the submission; leave ``--master`` out) and for a
local run (``--master 'local[2]'``).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Annotated

import typer

from newsfuse.cli_options import ConfigFile, Overrides, command_settings
from newsfuse.errors import NewsfuseError

__all__ = ["spark_run"]


def spark_run(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT",
            help="Files, folders or globs (.jsonl .warc .warc.gz .txt .md .html), local or "
            "object-store URIs (s3a://, gs://, hdfs://).",
        ),
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out", "-o", help="Output folder or URI: Parquet tables and a JSON report per story."
        ),
    ],
    master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            "--master",
            help="Spark master URL, e.g. local[2]; default: what spark-submit set, else local[*].",
        ),
    ] = None,
    config: ConfigFile = None,
    overrides: Overrides = None,
    min_articles: Annotated[
        int, typer.Option("--min-articles", min=1, help="Report stories with this many articles.")
    ] = 1,
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="Partitions per stage (default 2 x cores)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
) -> None:
    """Find the stories in a corpus and report each one, on Apache Spark (extra: spark)."""
    try:
        settings = command_settings(config, overrides)
    except NewsfuseError as exc:
        typer.echo(f"newsfuse: error: {exc}", err=True)
        raise typer.Exit(1) from None
    try:
        from pyspark.sql import SparkSession

        from newsfuse.corpus.spark import spark_corpus
        from newsfuse.corpus.spark_io import write_json_reports, write_tables
        from newsfuse.executors.spark import local_session
    except ImportError:
        typer.echo("newsfuse: error: PySpark is missing: pip install 'newsfuse[spark]'", err=True)
        raise typer.Exit(1) from None

    started = time.perf_counter()
    active = SparkSession.getActiveSession()
    if active is not None:
        spark = active
    elif master is None and "pyspark.shell" not in sys.modules and _submitted():
        spark = SparkSession.builder.appName("newsfuse").getOrCreate()
    else:
        spark = local_session(master or "local[*]")
    run = spark_corpus(spark, inputs, settings, min_articles=min_articles, partitions=partitions)
    for rejection in run.rejections:
        typer.echo(f"newsfuse: skipped {rejection.item}: {rejection.reason}", err=True)
    write_tables(spark, run.articles, run.story_of(), dict(run.stories), out)
    written = write_json_reports(run.reports, out)
    if not quiet:
        typer.echo(
            f"newsfuse: wrote {out}: {run.articles.count()} article(s), {len(run.stories)} "
            f"stories, {written} report(s), {len(run.rejections)} input(s) rejected "
            f"in {time.perf_counter() - started:.1f}s",
            err=True,
        )


def _submitted() -> bool:
    """Whether ``spark-submit`` started this process (it set the master and holds the JVM)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ
