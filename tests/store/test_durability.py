"""Failure modes: a process killed mid-ingest, a store locked by another writer, a read-only file,
a bad location.  Each ends in an intact store or a one-line NewsfuseError naming the store."""

from __future__ import annotations

import ctypes
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newsfuse.config import Settings
from newsfuse.errors import NewsfuseError
from newsfuse.models import RawDocument
from newsfuse.stages.clean.article import clean_document
from newsfuse.store import Store, StoreError, StoreLockedError

BATCH = 2

# Ingests like a resumable pipeline would: store every raw document first (one batch), then clean
# them two per batch, saying after each commit which batch is durable.  In the third batch it
# writes one article, reports that it is mid-batch and waits to be killed.
INGEST = textwrap.dedent(
    """
    import sys, time
    from newsfuse.config import Settings
    from newsfuse.stages.clean.article import clean_document
    from newsfuse.stages.ingest.files import read_inputs
    from newsfuse.store import Store

    store_path, *files = sys.argv[1:]
    settings = Settings()
    raws = [item for item in read_inputs(files, settings.ingest)]
    with Store.open(store_path) as store:
        with store.batch():
            for raw in raws:
                store.add_raw(raw)
        print("raws", flush=True)
        todo = store.raw_ids_without_article()
        for number, start in enumerate(range(0, len(todo), {batch}), start=1):
            with store.batch():
                for raw_id in todo[start : start + {batch}]:
                    store.put_article(clean_document(store.get_raw(raw_id), settings.clean))
                    if number == 3:
                        print("mid-batch", flush=True)
                        time.sleep(600)
            print("committed", number, flush=True)
    """
).format(batch=BATCH)


def test_sigkill_loses_only_the_open_batch_and_resume_finishes(
    tmp_path: Path, all_example_raws: list[RawDocument], examples_dir: Path
) -> None:
    path = tmp_path / "store.db"
    files = sorted(str(p) for p in examples_dir.iterdir())
    child = subprocess.Popen(
        [sys.executable, "-c", INGEST, str(path), *files],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = []
    try:
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line.strip())
            if line.strip() == "mid-batch":
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert lines == ["raws", "committed 1", "committed 2", "mid-batch"]

    with Store.open(path) as store:
        ordered = store.raw_ids_without_article(include_rejected=True)
        counts = store.counts()
        remaining = store.raw_ids_without_article()
        assert counts["raw_documents"] == len(all_example_raws)
        assert counts["articles"] == 2 * BATCH  # the half-written third batch is gone
        assert len(remaining) == len(all_example_raws) - 2 * BATCH == len(ordered)
        done = {raw.id for raw in all_example_raws} - set(remaining)
        settings = Settings()
        for raw_id in done:  # every committed article is intact
            article = clean_document(store.get_raw(raw_id), settings.clean)
            assert store.get_article(article.id) == article
        # Resume: process what is left, in batches, until nothing is.
        for start in range(0, len(remaining), BATCH):
            with store.batch():
                for raw_id in remaining[start : start + BATCH]:
                    store.put_article(clean_document(store.get_raw(raw_id), settings.clean))
        assert store.raw_ids_without_article() == []
        assert store.counts()["articles"] == len(all_example_raws)
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_locked_store_fails_after_the_busy_timeout(
    tmp_path: Path, example_raws: list[RawDocument]
) -> None:
    path = tmp_path / "store.db"
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer, in the middle of a long transaction
    other.execute("INSERT INTO tracker_states VALUES ('x', '{}', '2025-01-01 00:00:00')")
    try:
        with Store.open(path, busy_timeout=0.5) as store:
            assert store.raw_ids_without_article() == []  # reading still works (WAL)
            started = time.monotonic()
            with pytest.raises(StoreLockedError) as caught:
                store.add_raw(example_raws[0])
            waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert 0.4 < waited < 10
    assert isinstance(caught.value, NewsfuseError)
    assert str(caught.value) == (
        f"store {path} is locked by another process; gave up after waiting 0.5 s "
        "(another newsfuse run may be writing to it)"
    )
    with Store.open(path) as store:  # and once the lock is gone, it works
        assert store.add_raw(example_raws[0])


def _without_root_powers() -> None:
    # Root ignores file permissions (CAP_DAC_OVERRIDE), and the tests may well run as root in CI:
    # drop those capabilities from the bounding set so that the child's exec loses them.
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


OPEN_AND_WRITE = textwrap.dedent(
    """
    import sys
    from newsfuse.models import RawDocument
    from newsfuse.store import Store, StoreReadOnlyError
    try:
        with Store.open(sys.argv[1]) as store:
            store.add_raw(RawDocument("raw_x", "x", "text/plain", b"x"))
    except StoreReadOnlyError as error:
        print(error)
    else:
        print("wrote")
    """
)


def _open_and_write(path: Path) -> str:
    run_as_root = os.geteuid() == 0
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_WRITE, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_without_root_powers if run_as_root else None,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.skipif(sys.platform != "linux", reason="drops capabilities with Linux prctl")
def test_read_only_store_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store.open(path).close()
    path.chmod(0o444)
    try:
        assert _open_and_write(path) == f"store {path} is read-only: newsfuse needs to write to it"
    finally:
        path.chmod(0o644)
    assert _open_and_write(path) == "wrote"


@pytest.mark.skipif(sys.platform != "linux", reason="drops capabilities with Linux prctl")
def test_store_in_read_only_directory_is_named(tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir()
    directory.chmod(0o555)
    try:
        message = _open_and_write(directory / "new.db")
    finally:
        directory.chmod(0o755)
    assert (
        message == f"cannot create store {directory / 'new.db'}: directory {directory} is read-only"
    )


def test_bad_locations_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "store.db"
    with pytest.raises(StoreError, match=f"directory {tmp_path / 'no' / 'such'} does not exist"):
        Store.open(missing)
    with pytest.raises(StoreError, match="SQLite .* or PostgreSQL"):
        Store.open("mysql://localhost/newsfuse")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database, just some words\n" * 100)
    with pytest.raises(StoreError, match=str(not_a_db)):
        Store.open(not_a_db)


def test_someone_elses_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    """Given as --store, another program's SQLite database used to get newsfuse's tables added
    to it silently; it is refused, naming the file and what it holds, and left as it was."""
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        other.execute("INSERT INTO contacts VALUES ('Ana', '555-0100')")
    other.close()
    with pytest.raises(StoreError) as raised:
        Store.open(path)
    assert str(raised.value) == (
        f"{path} is not a newsfuse store: it holds other tables (contacts); give newsfuse a new "
        "file or an empty database"
    )
    with sqlite3.connect(path) as check:
        tables = [row[0] for row in check.execute("SELECT name FROM sqlite_master")]
    check.close()
    assert tables == ["contacts"]


def test_postgres_password_is_not_shown() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql://user:s3cret@127.0.0.1:1/nowhere", busy_timeout=1)
    assert "s3cret" not in str(caught.value)
    assert "postgresql+psycopg://user:***@127.0.0.1:1/nowhere" in str(caught.value)


def test_postgres_lock_fails_after_the_timeout(
    store_url: str, example_raws: list[RawDocument]
) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's lock_timeout; SQLite's busy timeout is tested above")
    raw = example_raws[0]
    with Store.open(store_url) as holder, Store.open(store_url, busy_timeout=0.5) as waiter:
        with holder.batch():
            holder.add_raw(raw)  # uncommitted: the same id now waits on this transaction
            with pytest.raises(StoreLockedError, match="gave up after waiting 0.5 s"):
                waiter.add_raw(raw)
        assert waiter.add_raw(raw) is False


def test_batches_take_turns(store_url: str, example_raws: list[RawDocument]) -> None:
    """Two processes' batches never interleave, on either database: a batch reads the tracker and
    writes it back, so a second batch in between would lose the first one's tracker rows.  SQLite
    gets this from BEGIN IMMEDIATE, PostgreSQL from an advisory lock; both give up after the busy
    timeout with a clear error."""
    with Store.open(store_url) as holder, Store.open(store_url, busy_timeout=0.5) as waiter:
        with holder.batch():
            holder.add_raw(example_raws[0])
            started = time.monotonic()
            locked = pytest.raises(StoreLockedError, match="gave up after waiting 0.5 s")
            with locked, waiter.batch():  # writes nothing the holder touches, and still waits
                waiter.tracker_state("cluster")
            assert time.monotonic() - started > 0.4
        with waiter.batch():  # the holder committed: the waiter's turn
            assert waiter.add_raw(example_raws[1])


def test_one_ingest_at_a_time(store_url: str, example_raws: list[RawDocument]) -> None:
    """A second ingest does not interleave its batches with the first one's (it would re-prepare the
    first one's pending documents and store false duplicate rejections): it waits for the whole
    ingest, up to the busy timeout, then gives up with a clear error; readers are not held up."""
    with Store.open(store_url) as holder, Store.open(store_url, busy_timeout=0.5) as waiter:
        with holder.exclusive_writer():
            started = time.monotonic()
            locked = pytest.raises(StoreLockedError, match="being written by another ingest")
            with locked, waiter.exclusive_writer():
                pass
            assert time.monotonic() - started > 0.4
            with holder.batch():  # the holder's own batches go on
                holder.add_raw(example_raws[0])
            assert waiter.counts()["raw_documents"] >= 1  # reading is not blocked
        with waiter.exclusive_writer(), waiter.batch():  # the first ingest ended: the second's turn
            assert waiter.add_raw(example_raws[1])
