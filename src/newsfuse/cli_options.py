"""Options several commands share, declared once so their flags and help never drift apart.

``newsfuse run``, ``newsfuse ingest`` and ``newsfuse spark-run`` all read settings the same way
(a TOML file, then ``--set`` overrides); the two local commands also take a worker count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["ConfigFile", "Overrides", "Workers"]

ConfigFile = Annotated[Path | None, typer.Option("--config", "-c", help="A TOML settings file.")]
"""``--config``: the settings file (see ``newsfuse.config``)."""

Overrides = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a setting: section.key=value (repeatable)."),
]
"""``--set section.key=value``, applied after the settings file, in the order given."""

Workers = Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Worker processes.")]
"""``--workers``: the process pool of the per-article stages (``run.workers``)."""
