"""newsfuse: many news reports of one developing story in, one trustworthy, fully sourced account out.

The public API is small on purpose: :func:`run` the pipeline with :func:`load_settings`, and read the
records of :mod:`newsfuse.models`.  Importing this package loads nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsfuse.config import Settings, load_settings
from newsfuse.models import (
    Article,
    CitedSentence,
    Claim,
    Mention,
    Quote,
    RawDocument,
    Rejection,
    Report,
    Span,
    Story,
)

if TYPE_CHECKING:
    from newsfuse.pipeline import run

__all__ = [
    "Article",
    "CitedSentence",
    "Claim",
    "Mention",
    "Quote",
    "RawDocument",
    "Rejection",
    "Report",
    "Settings",
    "Span",
    "Story",
    "__version__",
    "load_settings",
    "run",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import the pipeline lazily, so ``import newsfuse`` stays light."""
    if name == "run":
        from newsfuse.pipeline import run

        return run
    raise AttributeError(f"module 'newsfuse' has no attribute {name!r}")
