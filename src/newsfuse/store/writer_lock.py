"""One ingest at a time per store, held for the whole ingest, released when the process dies.

Batches already take turns (SQLite's ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock per
transaction), but two ingests interleaving batch by batch each re-prepare the other's pending
documents, double the work and store false "same article text as stored article" rejections.  So
an ingest first takes this lock, for its whole run:

* SQLite file: an exclusive ``flock`` on ``<store>.ingest-lock`` beside the database (``flock``, not
  ``fcntl``: SQLite's own POSIX locks on the database file are not touched, and closing this file
  cannot drop them).  A store in a folder where that file cannot be made is left to the store's
  own error (it cannot be written either).
* PostgreSQL: a session-level advisory lock on a connection kept for the run.

Both are released by the operating system or the server when the process dies (``kill -9``
included), so a crash never leaves a stale lock.  A second ingest polls until ``timeout`` seconds
have passed, then raises :class:`~newsfuse.store.errors.StoreLockedError` (exit status 75).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text

from newsfuse.store.errors import StoreLockedError

__all__ = ["INGEST_LOCK", "writer_lock"]

INGEST_LOCK = 0x6E667573  # "nfus": the PostgreSQL advisory lock of a whole ingest
_POLL = 0.1  # seconds between two attempts


@contextlib.contextmanager
def writer_lock(engine: Engine, path: Path | None, display: str, timeout: float) -> Iterator[None]:
    """Hold the store's ingest lock inside the ``with`` block (see the module docstring)."""
    if engine.dialect.name == "postgresql":
        with _postgres_lock(engine, display, timeout):
            yield
    elif path is not None:
        with _file_lock(path.with_name(path.name + ".ingest-lock"), display, timeout):
            yield
    else:  # an in-memory SQLite store belongs to this process alone
        yield


def _give_up(display: str, timeout: float) -> StoreLockedError:
    return StoreLockedError(
        f"store {display} is being written by another ingest; gave up after waiting {timeout:g} s "
        "(try again when it has finished)"
    )


@contextlib.contextmanager
def _file_lock(lock_path: Path, display: str, timeout: float) -> Iterator[None]:
    import fcntl

    try:
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:  # a read-only folder: the store's own error names the problem
        yield
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _give_up(display, timeout) from None
                time.sleep(_POLL)
        yield
    finally:
        os.close(descriptor)  # releases the flock


@contextlib.contextmanager
def _postgres_lock(engine: Engine, display: str, timeout: float) -> Iterator[None]:
    with engine.connect() as connection:
        deadline = time.monotonic() + timeout
        while not connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": INGEST_LOCK}
        ).scalar():
            connection.rollback()
            if time.monotonic() >= deadline:
                raise _give_up(display, timeout)
            time.sleep(_POLL)
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": INGEST_LOCK})
            connection.commit()
