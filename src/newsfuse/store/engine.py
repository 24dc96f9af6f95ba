"""Turning a store location into a configured SQLAlchemy engine, and database errors into ours.

SQLite is set up for a store that several processes share and that must survive being killed:

* ``journal_mode=WAL``: readers never block the writer and the writer never blocks readers, and a
  commit is one append to the log, so a SIGKILL loses at most the transaction in progress.
* ``synchronous=FULL``: a commit has reached the disk when it returns, so power loss does not undo
  it either (WAL's usual ``NORMAL`` could lose the last commits).
* ``busy_timeout``: a writer waits that long for another writer's lock, then fails with
  :class:`StoreLockedError` instead of hanging or failing at once.
* ``foreign_keys=ON``: SQLite leaves them off unless asked, per connection.
* Writes start with ``BEGIN IMMEDIATE``: a deferred transaction that reads first and then tries to
  write can fail with "database is locked" at once, without waiting, when another writer committed
  in between; taking the write lock up front makes the busy timeout apply.

PostgreSQL gets the same "fail, don't hang" behaviour through ``lock_timeout``.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from newsfuse.errors import MissingExtraError
from newsfuse.store.errors import (
    StoreError,
    StoreLockedError,
    StoreReadOnlyError,
)

__all__ = ["WRITE", "Location", "create_store_engine", "resolve", "translate_errors"]

WRITE = "newsfuse_write"
"""Execution option that makes a SQLite transaction start with ``BEGIN IMMEDIATE``."""

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_CANTOPEN = 5, 6, 8, 14
_PG_LOCK_NOT_AVAILABLE, _PG_READ_ONLY = "55P03", "25006"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a store is: its SQLAlchemy URL and, for a SQLite file, the path (for messages)."""

    url: URL
    path: Path | None

    @property
    def display(self) -> str:
        """How messages name the store: the file path, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"


def resolve(target: str | Path) -> Location:
    """Read a path, a ``sqlite:///`` URL or a ``postgresql://`` URL; bare ``postgresql`` gets psycopg 3."""
    if isinstance(target, Path) or "://" not in target:
        path = Path(target).expanduser().absolute()
        return Location(URL.create("sqlite+pysqlite", database=str(path)), path)
    try:
        url = make_url(target)
    except ArgumentError as error:
        raise StoreError(f"cannot read store URL {target!r}: {error}") from error
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database
        if not database or database == ":memory:":
            return Location(url.set(drivername="sqlite+pysqlite", database=":memory:"), None)
        path = Path(database).expanduser().absolute()
        return Location(url.set(drivername="sqlite+pysqlite", database=str(path)), path)
    if backend in ("postgresql", "postgres"):
        # Name the driver explicitly: SQLAlchemy's default for a bare postgresql:// differs between
        # versions (psycopg2 in 2.0), and newsfuse's extra installs psycopg 3.
        driver = url.drivername.partition("+")[2]
        if driver in ("", "psycopg"):
            url = url.set(drivername="postgresql+psycopg")
        else:
            raise StoreError(f"store URL {url.render_as_string()!r}: use postgresql+psycopg://")
        return Location(url, None)
    raise StoreError(
        f"store URL {url.render_as_string()!r}: newsfuse stores are SQLite (a path or sqlite:///) "
        "or PostgreSQL (postgresql+psycopg://)"
    )


def create_store_engine(
    location: Location, busy_timeout: float, *, read_only: bool = False
) -> Engine:
    """An engine for ``location`` with the settings described in the module docstring.

    ``read_only`` (a command that only reads, such as ``newsfuse stories``) opens a SQLite file
    with ``mode=ro``: a store the user may read but not write is then read, not refused.
    """
    if location.is_sqlite:
        if location.path is not None and not read_only:
            _check_writable(location.path)
        return _sqlite_engine(location, busy_timeout, read_only=read_only)
    if importlib.util.find_spec("psycopg") is None:
        raise MissingExtraError("a PostgreSQL store", "postgres")
    timeout_ms = max(1, round(busy_timeout * 1000))
    return create_engine(
        location.url,
        pool_pre_ping=True,
        connect_args={"options": f"-c lock_timeout={timeout_ms}", "connect_timeout": 10},
    )


def _check_writable(path: Path) -> None:
    # SQLite would open a read-only file and fail only at the first write (or, in WAL mode, with a
    # puzzling "unable to open database file"), so say what is wrong, naming the path, up front.
    directory = path.parent
    if not directory.is_dir():
        raise StoreError(f"cannot open store {path}: directory {directory} does not exist")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreReadOnlyError(f"store {path} is read-only: newsfuse needs to write to it")
        if not os.access(directory, os.W_OK | os.X_OK):
            raise StoreReadOnlyError(
                f"store {path} is in read-only directory {directory}: SQLite keeps its "
                "write-ahead log next to the store file"
            )
    elif not os.access(directory, os.W_OK | os.X_OK):
        raise StoreReadOnlyError(f"cannot create store {path}: directory {directory} is read-only")


def _sqlite_engine(location: Location, busy_timeout: float, *, read_only: bool = False) -> Engine:
    in_memory = location.path is None
    read_only = read_only and not in_memory
    # The pool hands a connection to one thread at a time, but not always the thread that
    # opened it (the web app reads from a thread pool); sqlite3 is built thread-safe.
    connect_args: dict[str, Any] = {"timeout": busy_timeout, "check_same_thread": False}
    if read_only:
        reader = f"file:{quote(str(location.path))}?mode=ro"
        engine = create_engine(
            "sqlite+pysqlite://",
            creator=lambda: sqlite3.connect(reader, uri=True, **connect_args),
        )
    else:
        engine = create_engine(
            location.url, connect_args=connect_args, poolclass=StaticPool if in_memory else None
        )
    timeout_ms = max(1, round(busy_timeout * 1000))

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take BEGIN/COMMIT away from the sqlite3 module (it would defer BEGIN and could not say
        # IMMEDIATE); the "begin" hook below issues it instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not read_only:  # setting the journal mode is a write
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def translate_errors(location: Location, busy_timeout: float) -> Iterator[None]:
    """Turn database errors into :class:`StoreError` subclasses whose message names the store."""
    try:
        yield
    except DBAPIError as error:
        raise _translate(error, location, busy_timeout) from error
    except SQLAlchemyError as error:
        raise StoreError(f"store {location.display}: {error}") from error


def _translate(error: DBAPIError, location: Location, busy_timeout: float) -> StoreError:
    original = error.orig
    where = location.display
    if isinstance(original, sqlite3.Error):
        code = (getattr(original, "sqlite_errorcode", 0) or 0) & 0xFF
        text = str(original)
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
            return StoreLockedError(
                f"store {where} is locked by another process; gave up after waiting "
                f"{busy_timeout:g} s (another newsfuse run may be writing to it)"
            )
        if code == _SQLITE_READONLY or "readonly" in text:
            return StoreReadOnlyError(f"store {where} is read-only: {text}")
        if code == _SQLITE_CANTOPEN:
            return StoreError(f"cannot open store {where}: {text}")
        return StoreError(f"store {where}: {text}")
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate == _PG_LOCK_NOT_AVAILABLE:
        return StoreLockedError(
            f"store {where} is locked by another session; gave up after waiting {busy_timeout:g} s"
        )
    if sqlstate == _PG_READ_ONLY:
        return StoreReadOnlyError(f"store {where} is read-only: {original}")
    first_line = str(original).strip().splitlines()[0] if str(original).strip() else repr(original)
    return StoreError(f"store {where}: {first_line}")
