"""Alembic environment of the store.

:meth:`newsfuse.store.Store.upgrade` hands over an open connection (``config.attributes
["connection"]``) inside its own transaction, so migrating happens under the same SQLite pragmas and
write lock as everything else and commits or rolls back as one.  For writing a new revision by hand
(``alembic.command.revision`` with :func:`newsfuse.store.migrate.alembic_config`) an engine is made
from ``sqlalchemy.url`` instead.  SQLite gets batch mode, because it can only alter a table by
copying it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from newsfuse.store.schema import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("newsfuse migrations need a connection or sqlalchemy.url")
    engine = create_engine(url)
    try:
        with engine.begin() as own:
            _run(own)
    finally:
        engine.dispose()


_main()
