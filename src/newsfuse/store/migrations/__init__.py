"""Alembic environment and revisions of the store's schema.

A package (not a bare data folder) so that setuptools ships the revisions as ordinary modules;
only ``script.py.mako`` needs a package-data glob.  Run through
:meth:`newsfuse.store.Store.upgrade`, not the ``alembic`` command.
"""
