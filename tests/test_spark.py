"""Spark ``local[2]`` gives the same families, stories and facts as the in-memory corpus run.

Skipped (saying why) when PySpark or Java 17 is missing; CI installs both so these run there.
One SparkSession serves the whole module: starting the JVM costs far more than the tests.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfuse.config import Settings
from newsfuse.corpus import CorpusResult, analyse_corpus
from newsfuse.models import RawDocument, Rejection, Report
from newsfuse.stages.ingest.sources import read_sources

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE = ROOT / "examples" / "harbour-strike"


def _java_major() -> int | None:
    java = shutil.which("java")
    if java is None:
        return None
    try:
        shown = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        ).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    if found is None:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (newsfuse[spark])")
if (_java_major() or 0) < 17:
    pytest.skip("Spark needs Java 17 or newer on PATH", allow_module_level=True)

from newsfuse.corpus.spark import spark_corpus  # noqa: E402
from newsfuse.executors.spark import SparkExecutor, local_session  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = local_session("local[2]", "newsfuse-tests", **{"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs() -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    return [str(EXAMPLE), str(SEEDS)]


@pytest.fixture(scope="module")
def reference(inputs: list[str]) -> CorpusResult:
    settings = Settings()
    items = list(read_sources(inputs, settings.ingest))
    raws = [item for item in items if isinstance(item, RawDocument)]
    result = analyse_corpus(raws, settings)
    rejected = tuple(item for item in items if isinstance(item, Rejection))
    return CorpusResult(
        result.articles,
        result.families,
        result.stories,
        result.reports,
        tuple(sorted(rejected + result.rejections, key=lambda r: (r.item, r.stage, r.reason))),
    )


@pytest.fixture(scope="module")
def on_spark(spark: Any, inputs: list[str]) -> CorpusResult:
    return spark_corpus(spark, inputs, Settings(), partitions=3).collect()


def _facts(report: Report) -> list[tuple[Any, ...]]:
    """Each fact by what it claims and how it is sourced, not by position or count alone."""
    return sorted(
        (
            fact.text,
            tuple(sorted((c.article_id, c.start, c.end) for c in fact.claims)),
            fact.outlets,
            fact.independent_sources,
            fact.status,
        )
        for fact in report.story.facts
    )


def test_worker_imports_this_newsfuse(spark: Any) -> None:
    def where(_: object) -> Iterator[str]:
        import newsfuse

        yield newsfuse.__file__ or ""

    import newsfuse

    found = set(spark.sparkContext.parallelize(range(2), 2).mapPartitions(where).collect())
    assert found == {newsfuse.__file__}


def test_same_articles_families_and_stories(
    on_spark: CorpusResult, reference: CorpusResult
) -> None:
    assert on_spark.articles == reference.articles  # same text, metadata, family, annotations
    assert on_spark.families == reference.families
    assert on_spark.stories == reference.stories
    assert len(on_spark.stories) == 2  # the example and the seeds: not a trivially equal output
    assert any(len(ids) > 1 for ids in on_spark.families.values())
    assert on_spark.rejections == reference.rejections


def test_same_facts_and_reports(on_spark: CorpusResult, reference: CorpusResult) -> None:
    assert set(on_spark.reports) == set(reference.reports) == set(reference.stories)
    for story_id, report in reference.reports.items():
        assert _facts(on_spark.reports[story_id]) == _facts(report)
        assert on_spark.reports[story_id] == report
    assert sum(len(r.story.facts) for r in reference.reports.values()) > 0


def _warc_response(number: int, uri: str, page: bytes) -> bytes:
    """One gzip member holding one WARC response record with an HTTP 200 HTML payload."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    http += f"Content-Length: {len(page)}\r\n\r\n".encode() + page
    head = (
        "WARC/1.1\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012d}>\r\n"
        f"WARC-Date: 2025-10-30T14:05:00Z\r\nWARC-Target-URI: {uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + http + b"\r\n\r\n")


def test_jsonl_warc_and_rejections_match_a_local_read(spark: Any, tmp_path: Path) -> None:
    """JSONL lines, WARC pages, bad lines, exact duplicates, re-runs, a missing path: as local."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*.txt"))]
    records = [
        {"text": texts[0], "outlet": "A", "published_at": "2025-10-30"},
        {"text": texts[0], "outlet": "B"},  # exact duplicate of the line above
        {"text": texts[1] + "\n\nA closing line added by the re-run.", "outlet": "C"},
        {"text": texts[1], "outlet": "D"},
        {"html": 5},  # rejected: not a string
        {"text": "too short"},  # rejected by clean
    ]
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8"
    )
    (folder / "skipped.csv").write_text("x", encoding="utf-8")  # not in ingest.include
    (folder / ".hidden.txt").write_text(texts[2], encoding="utf-8")  # hidden: not read
    pages = sorted(EXAMPLE.glob("*.html"))
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(
        b"".join(
            _warc_response(n, f"https://example.test/{p.stem}", p.read_bytes())
            for n, p in enumerate(pages, start=1)
        )
        + b"\x1f\x8b\x08"  # a cut-short last member: the damage is reported the same way
    )
    settings = Settings()
    sources = [str(folder), str(archive), str(tmp_path / "missing")]
    items = list(read_sources(sources, settings.ingest))
    local = analyse_corpus([i for i in items if isinstance(i, RawDocument)], settings)
    local_rejections = sorted(
        [i for i in items if isinstance(i, Rejection)] + list(local.rejections),
        key=lambda r: (r.item, r.stage, r.reason),
    )
    remote = spark_corpus(spark, sources, settings, partitions=2).collect()
    assert remote.articles == local.articles  # WARC origins FILE#<record id>, JSONL FILE:LINE
    assert remote.families == local.families
    assert remote.stories == local.stories
    assert remote.reports == local.reports
    assert list(remote.rejections) == local_rejections
    assert {r.stage for r in remote.rejections} == {"ingest", "clean", "dedupe"}
    assert any(len(ids) > 1 for ids in remote.families.values())  # the re-run joined its wire


def test_spark_executor_keeps_input_order(spark: Any) -> None:
    items = list(range(23, 0, -1))
    assert list(SparkExecutor(spark, partitions=3).map(str, items)) == [str(i) for i in items]


def test_spark_run_command_writes_parquet_and_json_reports(
    spark: Any, inputs: list[str], reference: CorpusResult, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from newsfuse.cli import app
    from newsfuse.outputs.json import render_json

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["spark-run", *inputs, "--out", str(out), "--partitions", "2"])
    assert result.exit_code == 0, result.output
    families = spark.read.parquet(str(out / "families")).collect()
    assert sorted((r.family_id, r.article_id) for r in families) == sorted(
        (fid, aid) for fid, ids in reference.families.items() for aid in ids
    )
    stories = spark.read.parquet(str(out / "stories")).collect()
    assert sorted((r.story_id, r.position, r.article_id) for r in stories) == sorted(
        (sid, n, aid) for sid, ids in reference.stories.items() for n, aid in enumerate(ids)
    )
    articles = {r.id: r for r in spark.read.parquet(str(out / "articles")).collect()}
    assert set(articles) == set(reference.articles)
    assert {r.story_id for r in articles.values()} == set(reference.stories)
    for story_id, report in reference.reports.items():
        written = (out / "reports" / f"{story_id}.json").read_text(encoding="utf-8")
        assert written == render_json(report)
