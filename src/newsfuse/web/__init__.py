"""newsfuse's web app and HTTP API (``pip install 'newsfuse[web]'``, ``newsfuse serve``).

A reader of the store and a caller of the same library functions as the command line: stories are
listed from the store (:mod:`newsfuse.store.listing`), reported with
:func:`newsfuse.corpus.ingest.report_story` (cached per story version, :mod:`.reports`), and
submitted reports go through :func:`newsfuse.corpus.ingest.ingest` (:mod:`.jobs`).  No stage knows
the web exists.

* :mod:`.app` builds the FastAPI application (:func:`create_app`);
* :mod:`.api` holds the JSON endpoints, :mod:`.pages` the server-rendered pages;
* :mod:`.auth` the token and CSRF checks, :mod:`.security` the headers and body caps;
* :mod:`.cli` the ``newsfuse serve`` command.
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str) -> object:
    # FastAPI loads only when the app is asked for: ``import newsfuse.web`` stays cheap.
    if name == "create_app":
        from newsfuse.web.app import create_app

        return create_app
    raise AttributeError(name)
