"""Errors of the store, all :class:`~newsfuse.errors.NewsfuseError` subclasses.

They live here rather than in :mod:`newsfuse.errors` only because the store is an optional piece
whose errors mean nothing without it; each is still a run-level error that the CLI prints as one line
naming the store (path, or URL with the password hidden) and the problem.
"""

from __future__ import annotations

from newsfuse.errors import NewsfuseError

__all__ = [
    "NotInStoreError",
    "StoreError",
    "StoreLockedError",
    "StoreReadOnlyError",
    "StoreVersionError",
]


class StoreError(NewsfuseError):
    """The store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process held the store's write lock for longer than the busy timeout.

    Raised instead of waiting forever, so that a second ``newsfuse`` run against a busy store fails
    with a message rather than hanging.
    """


class StoreReadOnlyError(StoreError):
    """The store's file (or its directory, where SQLite keeps its journal) cannot be written."""


class StoreVersionError(StoreError):
    """The store's schema is newer than this newsfuse, or older and not upgraded.

    Running old code on a newer schema could silently drop columns it does not know, so it refuses.
    """


class NotInStoreError(StoreError, LookupError):
    """A record asked for by id is not in the store."""
