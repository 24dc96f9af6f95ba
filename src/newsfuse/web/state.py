"""What the app's routes share: the config, the reading store, the report cache, the ingest queue."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from newsfuse.store import Store
from newsfuse.web.catalog import ListingCache
from newsfuse.web.config import WebConfig
from newsfuse.web.jobs import IngestQueue
from newsfuse.web.reports import ReportCache

__all__ = ["AppState", "app_state"]


@dataclass(frozen=True, slots=True)
class AppState:
    """One per app; the store here only reads (the ingest queue opens its own)."""

    config: WebConfig
    store: Store
    reports: ReportCache
    listings: ListingCache
    jobs: IngestQueue


async def app_state(request: Request) -> AppState:
    """The running app's state (a FastAPI dependency)."""
    state: AppState = request.app.state.newsfuse
    return state
