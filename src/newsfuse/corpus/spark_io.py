"""Reading inputs and writing results for the corpus run on Spark (:mod:`newsfuse.corpus.spark`).

Reading is split in two so that the rules stay the local reader's:

* **listing** (driver): each input — a file, a directory or a glob, on a local disk or an object
  store (``s3a://``, ``gs://``, ``abfss://``, ``hdfs://``: whatever Hadoop file system the cluster
  has) — is listed through that Hadoop file system *without reading the content*; files found
  under a directory are kept by :func:`newsfuse.stages.ingest.files.is_selected`, the walk's own
  ``ingest.include`` / ``ingest.exclude`` rule.  An input that lists nothing is rejected, as a local
  run rejects a missing path or an empty folder.
* **parsing** (executors): each chosen file's bytes are read by ``binaryFile`` and handed to the
  same parsers as a local run — :func:`~newsfuse.stages.ingest.files.read_file_content` for
  ``.txt``/``.md``/``.html``/``.jsonl`` and :func:`~newsfuse.stages.ingest.warc.read_warc_stream`
  for ``.warc``/``.warc.gz`` — so documents, their ``origin`` (``path:LINE`` for JSONL,
  ``path#<record id>`` for WARC) and rejections are the ones a local run gives.

One file is one task's record, read whole: a JSONL file is therefore not split across tasks (line
numbers, which name rejected records, need the whole file) — shard big JSONL collections into files
of a few hundred MB, as crawls (CC-NEWS) and exports usually are.  ``binaryFile`` cannot read a file
over 2 GB.  Local files are named by their plain path (``/data/a.jsonl``, not
``file:/data/a.jsonl``) so origins match a local run; other URIs are kept as they are.

Writing: Parquet tables through Spark's writer (so any Hadoop path works, no pyarrow needed) and one
JSON report per story, rendered by :func:`newsfuse.outputs.json.render_json`.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfuse.config import IngestSettings
from newsfuse.models import Article, RawDocument, Rejection, Report
from newsfuse.outputs.json import render_json, report_to_dict
from newsfuse.stages.ingest.files import is_selected, read_file_content
from newsfuse.stages.ingest.warc import read_warc_stream

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

__all__ = [
    "WARC_SUFFIXES",
    "list_inputs",
    "local_path",
    "parse_file",
    "read_documents",
    "write_json_reports",
    "write_tables",
]

WARC_SUFFIXES = (".warc", ".warc.gz")
_STAGE = "ingest"
_GLOB = frozenset("*?[{")


def local_path(uri: str) -> str:
    """``file:/a/b`` and ``file:///a/b`` → ``/a/b``; any other URI or path unchanged."""
    if uri.startswith("file://"):
        return uri[len("file://") :]
    if uri.startswith("file:"):
        return uri[len("file:") :]
    return uri


def list_inputs(
    spark: SparkSession, inputs: Sequence[str], settings: IngestSettings
) -> tuple[list[str], list[Rejection]]:
    """The files to read (URIs, sorted, each once) and a Rejection per input that had none.

    Listed on the driver through the Hadoop file system of each input's scheme (no Spark job, and
    the same credentials and connectors Spark's readers use).  Globs are expanded; directories are
    walked recursively and filtered by the include/exclude rule.
    """
    sc = spark.sparkContext
    jvm, conf = sc._jvm, sc._jsc.hadoopConfiguration()
    if jvm is None:
        raise RuntimeError("the SparkContext has no JVM gateway (is it stopped?)")
    chosen: set[str] = set()
    rejections: list[Rejection] = []
    for source in inputs:
        path = jvm.org.apache.hadoop.fs.Path(source)
        system = path.getFileSystem(conf)
        statuses = system.globStatus(path)
        if statuses is None or (len(statuses) == 0 and not any(c in source for c in _GLOB)):
            rejections.append(Rejection(source, _STAGE, "no such file or directory"))
            continue
        found = 0
        for status in statuses:
            if not status.isDirectory():
                chosen.add(status.getPath().toString())  # named (or globbed) by the user
                found += 1
                continue
            root = status.getPath().toString().rstrip("/") + "/"
            files = system.listFiles(status.getPath(), True)
            while files.hasNext():
                uri = files.next().getPath().toString()
                if uri.startswith(root) and is_selected(uri[len(root) :], settings):
                    chosen.add(uri)
                    found += 1
        if not found:
            rejections.append(
                Rejection(
                    source,
                    _STAGE,
                    "no input files in this directory (ingest.include: "
                    f"{', '.join(settings.include) or 'nothing'})",
                )
            )
    return sorted(chosen), rejections


def parse_file(
    uri: str, content: bytes, settings: IngestSettings
) -> Iterator[RawDocument | Rejection]:
    """The documents of one file read by an executor: the local reader's parsers, on bytes."""
    origin = local_path(uri)
    if origin.lower().endswith(WARC_SUFFIXES):
        yield from read_warc_stream(io.BytesIO(content), origin, settings)
    else:
        yield from read_file_content(origin, content, settings)


def read_documents(
    spark: SparkSession, files: Sequence[str], settings: IngestSettings
) -> RDD[RawDocument | Rejection]:
    """Read ``files`` on the executors and parse each into documents and rejections."""
    if not files:
        return spark.sparkContext.emptyRDD()
    frame = spark.read.format("binaryFile").load(list(files)).select("path", "content")

    def parse(rows: Iterable[Any]) -> Iterator[RawDocument | Rejection]:
        for row in rows:
            yield from parse_file(row.path, bytes(row.content), settings)

    return frame.rdd.mapPartitions(parse)


def write_tables(
    spark: SparkSession,
    articles: RDD[Article],
    story_of: dict[str, str],
    stories: dict[str, tuple[str, ...]],
    out: str,
) -> None:
    """Write ``articles``, ``families`` and ``stories`` Parquet tables under ``out``.

    ``articles`` holds each article's metadata, text, family id and story id; ``families`` one row
    per (family, article) and ``stories`` one per (story, position, article), so a reader can
    rebuild both partitions without the text.
    """
    from pyspark.sql.types import IntegerType, StringType, StructField, StructType

    def text(name: str) -> StructField:
        return StructField(name, StringType(), True)

    columns = ("id", "origin", "url", "outlet", "title", "published_at", "family_id", "story_id")
    article_schema = StructType([*(text(c) for c in columns), text("text")])
    lookup = spark.sparkContext.broadcast(story_of)

    def article_row(article: Article) -> tuple[str | None, ...]:
        return (
            article.id,
            article.origin,
            article.url,
            article.outlet,
            article.title,
            article.published_at,
            article.dup_group or article.id,
            lookup.value.get(article.id),
            article.text,
        )

    frame = spark.createDataFrame(articles.map(article_row), article_schema)
    frame.sortWithinPartitions("id").write.mode("overwrite").parquet(_join(out, "articles"))
    family_schema = StructType([text("family_id"), text("article_id")])
    families = articles.map(lambda a: (a.dup_group or a.id, a.id))
    spark.createDataFrame(families, family_schema).write.mode("overwrite").parquet(
        _join(out, "families")
    )
    story_schema = StructType(
        [text("story_id"), StructField("position", IntegerType(), False), text("article_id")]
    )
    story_rows = [
        (sid, position, aid)
        for sid, ids in sorted(stories.items())
        for position, aid in enumerate(ids)
    ]
    spark.createDataFrame(story_rows, story_schema).coalesce(1).write.mode("overwrite").parquet(
        _join(out, "stories")
    )


def write_json_reports(reports: RDD[tuple[str, Report]], out: str) -> int:
    """Write one JSON report per story; return how many.

    A local ``out`` gets ``reports/<story id>.json`` (streamed to the driver one partition at a
    time); an object-store ``out`` gets ``reports/`` as JSON Lines part files written by the
    executors, one report a line, since object stores have no cheap small-file writes.
    """
    target = _join(out, "reports")
    if "://" in out and not out.startswith("file:"):
        lines = reports.map(lambda item: json.dumps(report_to_dict(item[1]), ensure_ascii=False))
        lines.saveAsTextFile(target)
        return int(lines.count())
    folder = Path(local_path(target))
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for story_id, report in reports.toLocalIterator():
        path = folder / f"{story_id}.json"
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(render_json(report), encoding="utf-8")
        os.replace(temporary, path)
        count += 1
    return count


def _join(base: str, name: str) -> str:
    return f"{base.rstrip('/')}/{name}"
