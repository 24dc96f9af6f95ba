"""Options several commands share, declared once so their flags and help never drift apart.

``newsfuse run``, ``newsfuse ingest`` and ``newsfuse spark-run`` all read settings the same way
(a TOML file, then ``--set`` overrides); the two local commands also take a worker count.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from newsfuse.config import Settings

__all__ = ["ConfigFile", "Overrides", "Workers", "command_settings"]

ConfigFile = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="A TOML settings file (default: newsfuse.toml in the working folder, if any).",
    ),
]
"""``--config``: the settings file (see ``newsfuse.config``)."""

Overrides = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="SECTION.KEY=VALUE",
        help="Override a setting: section.key=value (repeatable).",
    ),
]
"""``--set section.key=value``, applied after the settings file, in the order given."""

Workers = Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Worker processes.")]
"""``--workers``: the process pool of the per-article stages (``run.workers``)."""


def command_settings(config: Path | None, overrides: list[str] | None) -> Settings:
    """The settings a command runs with: defaults, ``--config`` (else ``./newsfuse.toml``),
    ``NEWSFUSE_<SECTION>_<KEY>`` variables, then ``--set`` (see :mod:`newsfuse.config`)."""
    from newsfuse.config import load_settings

    return load_settings(config, overrides or [], environ=os.environ, folder=Path.cwd())
