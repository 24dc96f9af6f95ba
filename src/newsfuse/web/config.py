"""What one running web app is set up with: its store, settings, token and limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from newsfuse.config import Settings

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "UPLOAD_SUFFIXES", "WebConfig", "is_loopback"]

DEFAULT_MAX_UPLOAD_BYTES = 5_000_000
"""A request body over this is refused with 413 before it is read in full."""

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
"""File types an upload may have: what ``newsfuse ingest`` reads as pasted text, pages or JSONL."""


def is_loopback(host: str) -> bool:
    """True when ``host`` (what the server binds to) is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class WebConfig:
    """The app's setup.

    ``store`` is what ``--store`` names (a path or URL); ``token`` guards every write, and every
    read too when ``reads_need_token`` (the server is bound to a non-loopback address).
    ``upload_dir`` is where submitted reports are written before they are ingested (kept, like the
    raw documents, so an ingest can be re-run); ``None`` puts them beside a SQLite store.
    """

    store: str
    settings: Settings
    token: str
    reads_need_token: bool = False
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    upload_dir: Path | None = None
    poll_seconds: float = 10.0
    report_cache_size: int = 64
