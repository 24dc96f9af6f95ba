"""The store commands as a user meets them: ingest, stories, report --store; and their failures
(unknown story, missing source, locked or read-only store, a SIGKILL mid-ingest), each one line
with a documented exit status."""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from newsfuse.cli import app
from newsfuse.cli_store import EXIT_LOCKED, STORE_ENV, parse_since
from newsfuse.corpus import families_of
from newsfuse.models import DeclaredMetadata, RawDocument, content_id
from newsfuse.outputs.json import load_report_schema
from newsfuse.store import Store

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE = ROOT / "examples" / "harbour-strike"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the example story and the seeds' story, made by ``newsfuse ingest``."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    path = tmp_path_factory.mktemp("cli") / "corpus.db"
    result = runner.invoke(app, ["ingest", str(EXAMPLE), str(SEEDS), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "13 document(s): 13 new" in result.stderr
    assert "2 new stories" in result.stderr
    return path


def _stories(path: Path, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["stories", "--store", str(path), "--json", *args])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_stories_are_listed_searched_and_filtered_by_time(store_path: Path) -> None:
    every = _stories(store_path)
    assert sorted(row["articles"] for row in every) == [5, 8]
    (strike,) = _stories(store_path, "--search", "MERROW")  # case-insensitive, titles
    assert strike["articles"] == 8
    assert _stories(store_path, "--search", "no story says this") == []
    assert len(_stories(store_path, "--since", "1h")) == 2
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    assert _stories(store_path, "--since", tomorrow) == []
    lines = runner.invoke(app, ["stories", "--store", str(store_path)]).stdout.splitlines()
    assert [line.split()[0] for line in lines] == [row["id"] for row in every]


def test_stories_lists_at_most_limit_stories_and_says_more_match(store_path: Path) -> None:
    every = _stories(store_path)
    result = runner.invoke(app, ["stories", "--store", str(store_path), "--json", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == every[:1]  # the most recently updated
    assert "the 1 most recently updated stories; more match (--limit 0 lists all)" in result.stderr
    assert _stories(store_path, "--limit", "2") == every == _stories(store_path, "--limit", "0")
    full = runner.invoke(app, ["stories", "--store", str(store_path), "--limit", "2"])
    assert "more match" not in full.stderr
    refused = runner.invoke(app, ["stories", "--store", str(store_path), "--limit", "-1"])
    assert refused.exit_code != 0
    assert "--limit -1: expected 0 (every story) or a positive number" in refused.stderr
    with Store.open(store_path) as store:
        assert [s.id for s in store.list_stories(limit=1)] == [every[0]["id"]]


def test_stories_note_the_articles_the_tracker_placed_without_a_date(store_path: Path) -> None:
    rows = _stories(store_path)
    with Store.open(store_path) as store:
        undated = {
            str(row["id"]): sum(
                1 for a in store.story_articles(str(row["id"])) if not a.published_at
            )
            for row in rows
        }
    assert {str(row["id"]): row["undated_articles"] for row in rows} == undated
    assert sum(undated.values()) > 0  # the seeds are pasted page text: some carry no date
    result = runner.invoke(app, ["stories", "--store", str(store_path)])
    total = sum(int(str(row["articles"])) for row in rows)
    assert f"note: {sum(undated.values())} of {total} listed article(s)" in result.stderr
    # and what does close an undated story (arrivals, not time) is named
    assert "cluster.undated_window" in " ".join(result.stderr.split())
    assert "note:" not in result.stdout  # standard output stays one line per story


def test_store_defaults_to_the_environment(store_path: Path) -> None:
    result = runner.invoke(app, ["stories", "--json"], env={STORE_ENV: str(store_path)})
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2


def test_second_ingest_of_the_same_sources_changes_nothing(
    store_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "again.db"
    shutil.copyfile(store_path, path)
    before = _stories(path)
    result = runner.invoke(app, ["ingest", str(EXAMPLE), str(SEEDS), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "13 already stored" in result.stderr
    assert "0 new article(s)" in result.stderr
    assert _stories(path) == before


def test_report_from_the_store_in_each_format(store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "report.db"
    shutil.copyfile(store_path, path)
    (strike,) = _stories(path, "--search", "merrow")
    for suffix in (".json", ".md", ".html"):
        out = tmp_path / f"story{suffix}"
        result = runner.invoke(
            app, ["report", "--store", str(path), "--story", str(strike["id"]), "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert f"story {strike['id']}, 8 article(s)" in result.stderr
    data = json.loads((tmp_path / "story.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, load_report_schema())
    assert len(data["articles"]) == 8
    assert "<html" in (tmp_path / "story.html").read_text(encoding="utf-8")
    with Store.open(path) as store:  # each report is kept in the store
        latest = store.latest_report(str(strike["id"]))
    assert latest is not None and latest.data()["story"] == data["story"]
    assert data["story"]["id"] == strike["id"]  # the store's id, not a hash of the article ids


def test_report_from_the_store_since_a_date_says_what_is_new(
    store_path: Path, tmp_path: Path
) -> None:
    """--since works on stored stories too; the stored report stays plain (no update section),
    so it can be a later run's --since."""
    path = tmp_path / "since.db"
    shutil.copyfile(store_path, path)
    (strike,) = _stories(path, "--search", "merrow")
    out = tmp_path / "update.json"
    args = ["report", "--store", str(path), "--story", str(strike["id"]), "-o", str(out)]
    result = runner.invoke(app, [*args, "--since", "2026-03-11"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, load_report_schema())
    update = data["update"]
    assert update["basis"] == "date" and update["new_article_ids"]
    assert any(fact["kind"] == "new" for fact in update["facts"]), update["facts"]
    with Store.open(path) as store:
        latest = store.latest_report(str(strike["id"]))
    assert latest is not None and "update" not in latest.data()


def test_a_merged_story_is_listed_and_its_old_id_names_where_it_went(
    store_path: Path, tmp_path: Path
) -> None:
    """After the tracker merged a story into another, ``stories`` lists the merge beside the story
    that took it, and asking for the absorbed story's report names the story to ask for instead
    (whose report is made from all its articles, the moved ones too)."""
    path = tmp_path / "merged.db"
    shutil.copyfile(store_path, path)
    small, big = sorted(_stories(path), key=lambda row: int(str(row["articles"])))
    with Store.open(path) as store:
        assert store.merge_stories([(str(small["id"]), str(big["id"]), 0.25)]) == [small["id"]]
    (merged,) = _stories(path)
    assert (merged["id"], merged["articles"]) == (big["id"], 13)
    assert merged["merged_from"] == [small["id"]]
    listing = runner.invoke(app, ["stories", "--store", str(path)]).stdout
    assert listing.rstrip("\n").endswith(f"(merged from {small['id']})")
    result = runner.invoke(app, ["report", "--store", str(path), "--story", str(small["id"])])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert f"story {small['id']} was merged into story {big['id']}" in result.stderr
    assert f"--story {big['id']}" in result.stderr


def test_unknown_story_is_one_line_and_exit_1(store_path: Path) -> None:
    result = runner.invoke(app, ["report", "--store", str(store_path), "--story", "story_nope"])
    assert result.exit_code == 1
    assert result.stderr == f"newsfuse: error: story story_nope is not in store {store_path}\n"


def test_missing_store_is_not_created_by_a_reading_command(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    for args in (["stories"], ["report", "--story", "story_x"]):
        result = runner.invoke(app, [*args, "--store", str(missing)])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"newsfuse: error: store {missing}: no such file")
        assert len(result.stderr.splitlines()) == 1
    assert not missing.exists()


def test_missing_source_is_one_line_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt"), "--store", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"newsfuse: error: {tmp_path / 'nope.txt'}: no such file or directory\n"
    assert not path.exists()  # a failed ingest leaves no empty store behind


def test_a_first_ingest_that_fails_leaves_no_empty_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib.import_module("newsfuse.corpus.ingest"), "ingest", fail)
    path = tmp_path / "first.db"
    result = runner.invoke(app, ["ingest", str(EXAMPLE), "--store", str(path)])
    assert result.exit_code == 130
    assert list(tmp_path.iterdir()) == []  # nor its write-ahead log or lock file


def test_bad_since_and_bad_setting_are_one_line(store_path: Path) -> None:
    result = runner.invoke(app, ["stories", "--store", str(store_path), "--since", "soon"])
    assert result.exit_code == 1
    assert "--since 'soon'" in result.stderr and len(result.stderr.splitlines()) == 1
    result = runner.invoke(
        app, ["ingest", str(EXAMPLE), "--store", str(store_path), "--set", "cluster.max_terms=0"]
    )
    assert result.exit_code == 1
    assert "cluster" in result.stderr and "max_terms" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_parse_since_reads_dates_times_and_ages() -> None:
    now = datetime(2025, 11, 5, 12, 0, tzinfo=UTC)
    assert parse_since("2025-11-01") == datetime(2025, 11, 1, tzinfo=UTC)
    assert parse_since("2025-11-01T09:30+01:00") == datetime(2025, 11, 1, 8, 30, tzinfo=UTC)
    assert parse_since("3d", now=now) == datetime(2025, 11, 2, 12, 0, tzinfo=UTC)
    assert parse_since("90m", now=now) == datetime(2025, 11, 5, 10, 30, tzinfo=UTC)


def test_locked_store_gives_up_in_bounded_time_with_exit_75(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer in the middle of a long transaction
    try:
        started = time.monotonic()
        result = runner.invoke(
            app, ["ingest", str(EXAMPLE), "--store", str(path), "--lock-timeout", "0.5"]
        )
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == EXIT_LOCKED
    assert result.stderr == (
        f"newsfuse: error: store {path} is locked by another process; gave up after waiting "
        "0.5 s (another newsfuse run may be writing to it)\n"
    )
    assert waited < 30


def _without_root_powers() -> None:
    # Root ignores file permissions; drop those capabilities so the child meets a read-only file.
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _newsfuse(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsfuse", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_without_root_powers if os.geteuid() == 0 else None,
        check=False,
    )


@pytest.mark.skipif(sys.platform != "linux", reason="drops capabilities with Linux prctl")
def test_a_second_ingest_waits_then_exits_75(store_path: Path, tmp_path: Path) -> None:
    """While another ingest holds the store, `ingest` waits --lock-timeout seconds, then one line
    and exit status 75 (try again), having stored nothing."""
    path = tmp_path / "busy.db"
    shutil.copy(store_path, path)
    with Store.open(path) as other, other.exclusive_writer():
        before = other.counts()["raw_documents"]
        result = runner.invoke(
            app, ["ingest", str(SEEDS), str(EXAMPLE), "--store", str(path), "--lock-timeout", "0.3"]
        )
        assert result.exit_code == EXIT_LOCKED, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines == [
            f"newsfuse: error: store {path} is being written by another ingest; gave up after "
            "waiting 0.3 s (try again when it has finished)"
        ]
        assert other.counts()["raw_documents"] == before


def test_read_only_store_is_one_line_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store.open(path).close()
    path.chmod(0o444)
    try:
        result = _newsfuse("ingest", str(EXAMPLE), "--store", str(path))
    finally:
        path.chmod(0o644)
    assert result.returncode == 1
    assert result.stderr == (
        f"newsfuse: error: store {path} is read-only: newsfuse needs to write to it\n"
    )


@pytest.mark.skipif(sys.platform != "linux", reason="drops capabilities with Linux prctl")
def test_stories_reads_a_read_only_store(store_path: Path, tmp_path: Path) -> None:
    """`stories` only reads: on a store the user may not write it used to say "newsfuse needs to
    write to it"; it lists the stories."""
    path = tmp_path / "shared.db"
    shutil.copy(store_path, path)
    path.chmod(0o444)
    try:
        result = _newsfuse("stories", "--store", str(path), "--json")
    finally:
        path.chmod(0o644)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [row["id"] for row in listed] == [row["id"] for row in _stories(store_path)]


def test_stories_says_why_it_lists_nothing(store_path: Path, tmp_path: Path) -> None:
    """An empty store, or filters that match nothing, used to print nothing at all."""
    empty = tmp_path / "empty.db"
    Store.open(empty).close()
    result = runner.invoke(app, ["stories", "--store", str(empty)])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == (
        f"newsfuse: store {empty} has no stories yet (add reports with: newsfuse ingest SOURCES "
        f"--store {empty})\n"
    )
    result = runner.invoke(app, ["stories", "--store", str(store_path), "--search", "volcano"])
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "newsfuse: no story matches --search 'volcano'\n"
    result = runner.invoke(app, ["stories", "--store", str(empty), "--json"])
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("command", [["stories"], ["ingest", str(EXAMPLE), "-q"]])
def test_a_truncated_store_is_one_line_and_exit_1(
    command: list[str], store_path: Path, tmp_path: Path
) -> None:
    """A store file cut in half (a copy interrupted, a full disk) is named in one line."""
    path = tmp_path / "cut.db"
    shutil.copy(store_path, path)
    with path.open("r+b") as cut:
        cut.truncate(path.stat().st_size // 2)
    result = runner.invoke(app, [*command, "--store", str(path)])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"newsfuse: error: store {path}: database disk image is malformed\n"


def _count(path: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:  # not created yet
        return 0


def test_sigkill_mid_ingest_then_the_same_command_finishes(
    store_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "killed.db"
    command = [sys.executable, "-m", "newsfuse", "ingest", str(EXAMPLE), "--store", str(path)]
    child = subprocess.Popen(
        [*command, "--batch-size", "1", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while _count(path, "articles") < 2 and child.poll() is None:
            assert time.monotonic() < deadline, "the ingest made no progress"
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    committed = _count(path, "articles")
    assert 2 <= committed < 8, "killed too late to test anything"
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    result = runner.invoke(app, ["ingest", str(EXAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "8 already stored" in result.stderr
    with Store.open(path) as store, Store.open(store_path) as complete:
        assert store.raw_ids_without_article() == [] and store.articles_without_story() == []
        (story,) = store.list_stories()
        whole = {s.id: s.article_ids for s in complete.list_stories()}
        assert whole[story.id] == story.article_ids  # as if it had never been interrupted
        expected = families_of(complete.get_articles(list(story.article_ids)))
        assert families_of(store.get_articles(store.article_ids())) == expected


def test_sigint_mid_ingest_exits_130_and_the_same_command_finishes(
    store_path: Path, tmp_path: Path
) -> None:
    """Ctrl-C during an ingest: one line, exit status 130, a consistent store, and the same command
    run again ends with the stories an uninterrupted ingest finds."""
    path = tmp_path / "interrupted.db"
    command = [sys.executable, "-m", "newsfuse", "ingest", str(EXAMPLE), "--store", str(path)]
    child = subprocess.Popen(
        [*command, "--batch-size", "1", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while _count(path, "articles") < 2 and child.poll() is None:
            assert time.monotonic() < deadline, "the ingest made no progress"
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
    if _count(path, "articles") == 8 and child.returncode == 0:
        pytest.skip("the ingest finished before the signal arrived")
    assert child.returncode == 130, stderr
    assert stderr.decode().strip().splitlines()[-1] == "newsfuse: interrupted"
    _assert_resumes_like_a_whole_ingest(path, store_path)


def _children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _parent_of(int(entry.name)) == pid:
            found.append(int(entry.name))
    return sorted(found)


def _parent_of(pid: int) -> int | None:
    """``pid``'s parent id, or None when it is gone or a zombie (dead, waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, parent = stat.rsplit(")", 1)[1].split()[:2]  # the name in parentheses may hold spaces
    return None if state in {"Z", "X"} else int(parent)


@pytest.mark.skipif(sys.platform != "linux", reason="finds the workers through /proc")
@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_workers_end_with_a_stopped_ingest_and_the_same_command_finishes(
    stop: signal.Signals, store_path: Path, tmp_path: Path
) -> None:
    """`ingest --workers 2` stopped by kill -9 or SIGTERM leaves no worker behind (they used to
    live on forever, re-parented and blocked on a pipe); SIGTERM stops as Ctrl-C does, with exit
    status 143 and one line; the store is consistent and the same command finishes the job."""
    path = tmp_path / "stopped.db"
    command = [sys.executable, "-m", "newsfuse", "ingest", str(EXAMPLE), "--store", str(path)]
    child = subprocess.Popen(
        [*command, "--workers", "2", "--batch-size", "1", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 180
        while child.poll() is None and (len(workers) < 2 or _count(path, "articles") < 1):
            assert time.monotonic() < deadline, "the ingest made no progress"
            workers = _children(child.pid)
            time.sleep(0.05)
        child.send_signal(stop)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
    if child.returncode == 0:
        pytest.skip("the ingest finished before the signal arrived")
    deadline = time.monotonic() + 30
    while any(_parent_of(pid) is not None for pid in workers):
        assert time.monotonic() < deadline, f"workers {workers} outlived the ingest"
        time.sleep(0.05)
    if stop == signal.SIGTERM:
        assert child.returncode == 143, stderr
        assert stderr.decode().strip().splitlines()[-1] == "newsfuse: terminated"
    else:
        assert child.returncode == -signal.SIGKILL
    _assert_resumes_like_a_whole_ingest(path, store_path)


def test_report_store_options_are_checked_before_any_work(store_path: Path) -> None:
    result = runner.invoke(app, ["report", "--store", str(store_path)])
    assert result.exit_code == 2
    assert "--store needs --story ID" in result.output
    result = runner.invoke(app, ["report", str(EXAMPLE), "--story", "story_x"])
    assert result.exit_code == 2
    assert "not both" in result.output


def test_a_stored_document_dated_9999_does_not_fail_later_ingests(tmp_path: Path) -> None:
    """Raw input is stored before it is processed, so a JSONL line dated 9999-12-31 stored by an
    earlier version (which accepted it, then crashed) is prepared again by every ingest: that must
    now give an undated article, and the new file its own, with exit 0."""
    path = tmp_path / "old.db"
    content = (EXAMPLE / "02_calderra-press-agency.txt").read_bytes()
    old = RawDocument(
        id=content_id("text/plain", content, prefix="raw_"),
        origin="old.jsonl:1",
        media_type="text/plain",
        content=content,
        declared=DeclaredMetadata(published_at="9999-12-31"),
    )
    with Store.open(path) as store:
        store.add_raws([old])
    good = EXAMPLE / "01_merrow-herald.txt"
    for _ in range(2):  # and the next ingest after that one
        result = runner.invoke(app, ["ingest", str(good), "--store", str(path)])
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.stderr
    with Store.open(path) as store:
        assert store.raw_ids_without_article(include_rejected=True) == []
    assert _count(path, "articles") == 2


def test_ingest_rejects_a_jsonl_line_dated_9999(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    text = (EXAMPLE / "02_calderra-press-agency.txt").read_text(encoding="utf-8")
    feed.write_text(json.dumps({"text": text, "published_at": "9999-12-31"}) + "\n")
    path = tmp_path / "s.db"
    result = runner.invoke(
        app, ["ingest", str(feed), str(EXAMPLE / "01_merrow-herald.txt"), "--store", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert f"{feed}:1: 'published_at' is not a believable date: '9999-12-31'" in result.stderr
    assert _count(path, "articles") == 1


def _assert_resumes_like_a_whole_ingest(path: Path, complete_path: Path) -> None:
    """The cut-short store is sound, and ingesting again finishes it with the stories of a store
    that was never cut short (``complete_path``)."""
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    result = runner.invoke(app, ["ingest", str(EXAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    with Store.open(path) as store, Store.open(complete_path) as complete:
        assert store.raw_ids_without_article() == [] and store.articles_without_story() == []
        (story,) = store.list_stories()
        whole = {s.id: s.article_ids for s in complete.list_stories()}
        assert whole[story.id] == story.article_ids


def test_a_split_story_is_listed_with_where_its_articles_went(
    store_path: Path, tmp_path: Path
) -> None:
    """After the tracker cut stored articles out of a story, ``stories`` names the part beside
    the story and the story beside the part (and in ``--json``)."""
    path = tmp_path / "split.db"
    shutil.copyfile(store_path, path)
    big = max(_stories(path), key=lambda row: int(str(row["articles"])))
    with Store.open(path) as store:
        ids = list(store.get_story(str(big["id"])).article_ids)
        cut, _ = store.split_stories(
            [(str(big["id"]), [(str(big["id"]), ids[:-2]), ("sty_part", ids[-2:])])]
        )
    assert cut == [big["id"]]
    rows = {row["id"]: row for row in _stories(path)}
    assert rows[big["id"]]["split_into"] == ["sty_part"] and rows[big["id"]]["split_from"] is None
    assert rows["sty_part"]["split_from"] == big["id"] and rows["sty_part"]["articles"] == 2
    listing = runner.invoke(app, ["stories", "--store", str(path)]).stdout
    assert "(split into sty_part)" in listing and f"(split from {big['id']})" in listing
