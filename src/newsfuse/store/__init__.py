"""newsfuse's store: SQLite by default (a path), PostgreSQL by URL.

::

    from newsfuse.store import Store

    with Store.open("newsfuse.db") as store:        # creates / migrates the schema
        with store.batch():                          # one transaction
            for doc in raw_documents:
                store.add_raw(doc)                   # False if already stored
        for raw_id in store.raw_ids_without_article():   # what is left to do (resume)
            ...

See ``docs/store.md`` for the schema, migrations and PostgreSQL.  Needs the ``sqlalchemy`` and
``alembic`` packages; PostgreSQL also ``pip install 'newsfuse[postgres]'``.
"""

from __future__ import annotations

from newsfuse.store.errors import (
    NotInStoreError,
    StoreError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreVersionError,
)
from newsfuse.store.migrate import head_revision
from newsfuse.store.store import DEFAULT_BUSY_TIMEOUT, Store, StoredReport, StoredStory

__all__ = [
    "DEFAULT_BUSY_TIMEOUT",
    "NotInStoreError",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreReadOnlyError",
    "StoreVersionError",
    "StoredReport",
    "StoredStory",
    "head_revision",
]
