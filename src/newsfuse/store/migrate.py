"""Alembic, run from code: where the revisions are, what revision a database is at, and upgrading.

The store never asks users to run ``alembic``: :meth:`newsfuse.store.Store.upgrade` calls
:func:`upgrade` with a connection, and :func:`check_revision` refuses a database whose revision this
code does not know (written by a newer newsfuse), because old code would misread or damage it.
"""

from __future__ import annotations

from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, inspect

from newsfuse.store.errors import StoreError, StoreVersionError

__all__ = ["alembic_config", "check_revision", "head_revision", "upgrade"]

SCRIPT_LOCATION = "newsfuse.store:migrations"
"""A package resource, so the revisions are found in a wheel as well as in a checkout."""

RevisionState = Literal["empty", "behind", "current"]


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config without an ``alembic.ini``: everything it needs is set here."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision this code ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships revisions
        raise StoreVersionError("newsfuse ships no store migrations; the installation is broken")
    return head


def check_revision(connection: Connection, where: str) -> RevisionState:
    """Say whether the database is empty, behind or at head; raise if it is ahead of this code."""
    script = ScriptDirectory.from_config(alembic_config())
    current = MigrationContext.configure(connection).get_current_heads()
    if not current:
        _refuse_someone_elses_database(connection, where)
        return "empty"
    for revision in current:
        try:
            known = script.get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise StoreVersionError(
                f"store {where} has schema revision {revision!r}, newer than this newsfuse knows "
                f"(head {script.get_current_head()!r}); upgrade newsfuse to use it"
            )
    return "current" if set(current) == set(script.get_heads()) else "behind"


def _refuse_someone_elses_database(connection: Connection, where: str) -> None:
    """A database with tables but no newsfuse revision belongs to something else: adding
    newsfuse's tables to it would quietly change another program's data, so refuse it."""
    tables = sorted(inspect(connection).get_table_names())
    if tables:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{where} is not a newsfuse store: it holds other tables ({shown}); give newsfuse "
            "a new file or an empty database"
        )


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database behind ``connection`` to ``revision``, inside the caller's transaction."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
