"""The ``newsfuse`` command: a thin adapter that parses arguments and calls the library.

Errors are one line naming the file and the problem (``--debug`` shows the traceback); rejected
inputs are listed as they happen and the rest of the input goes on; long work shows progress on
stderr when it is a terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from newsfuse import __version__
from newsfuse.config import load_settings
from newsfuse.errors import NewsfuseError
from newsfuse.models import Rejection

__all__ = ["app"]

app = typer.Typer(
    name="newsfuse",
    help="Turn many news reports of one story into one sourced account.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()


@app.command()
def report(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt .md .html .htm .jsonl), folders, or - for standard input."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here; the extension picks the format."),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="json, markdown or html.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="A TOML settings file.")
    ] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a setting: section.key=value (repeatable)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", min=1, help="Worker processes.")
    ] = None,
    reference_date: Annotated[
        str | None,
        typer.Option(
            "--reference-date",
            help="YYYY-MM-DD: anchor 'Thursday', 'earlier this week' in undated articles.",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit non-zero if any input is rejected.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Build one sourced report (brief, sources, quotes) from the given reports of one story."""
    try:
        extra = [f'extract.reference_date="{reference_date}"'] if reference_date else []
        _report(
            paths, output, fmt, config, [*(overrides or []), *extra], workers, strict, quiet, debug
        )
    except typer.Exit:
        raise
    except NewsfuseError as exc:
        if debug:
            raise
        _err.print(f"newsfuse: error: {exc}", markup=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _err.print("newsfuse: interrupted", markup=False)
        raise typer.Exit(130) from None
    except Exception as exc:  # a bug: say so in one line; --debug shows where
        if debug:
            raise
        _err.print(
            f"newsfuse: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
            markup=False,
        )
        raise typer.Exit(70) from None


def _report(
    paths: list[str],
    output: Path | None,
    fmt: str | None,
    config: Path | None,
    overrides: list[str],
    workers: int | None,
    strict: bool,
    quiet: bool,
    debug: bool,
) -> None:
    from newsfuse.outputs.write import write_report
    from newsfuse.pipeline import run

    if workers is not None:
        overrides = [*overrides, f"run.workers={workers}"]
    settings = load_settings(config, overrides)
    rejected: list[Rejection] = []

    def on_rejection(rejection: Rejection) -> None:
        rejected.append(rejection)
        _err.print(f"newsfuse: skipped {rejection.item}: {rejection.reason}", markup=False)

    show_progress = not quiet and _err.is_terminal
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err,
        disable=not show_progress,
        transient=True,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        stdin = sys.stdin.buffer if "-" in paths else None
        result = run(
            paths,
            settings,
            stdin=stdin,
            on_progress=on_progress,
            on_rejection=on_rejection,
            debug=debug,
        )
    text = write_report(result, output, fmt)
    if output is None:
        sys.stdout.write(text)
    if not quiet:
        story = result.story
        single = sum(1 for s in story.brief if s.single_source)
        target = str(output) if output else "stdout"
        _err.print(
            f"newsfuse: wrote {target}: {len(result.articles)} article(s), "
            f"{len(story.brief)} brief sentence(s) ({single} single-source), "
            f"{len(rejected)} input(s) rejected",
            markup=False,
        )
    if strict and rejected:
        _err.print(f"newsfuse: --strict: {len(rejected)} input(s) rejected", markup=False)
        raise typer.Exit(1)


# The corpus run on Spark lives in its own module and imports PySpark only when it runs.
from newsfuse.executors.spark_cli import spark_run  # noqa: E402

app.command("spark-run")(spark_run)
