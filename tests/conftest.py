"""Shared fixtures: the seeds and bench data live in ../shared, never in the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five real reports of the Istanbul talks story, as pasted from their pages."""
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip(f"seeds not found at {path}")
    return path


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The project's own example story."""
    return REPO / "examples" / "harbour-strike"
