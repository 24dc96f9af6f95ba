"""The ``newsfuse`` command: a thin adapter that parses arguments and calls the library.

Errors are one line naming the file and the problem (``--debug`` shows the traceback); rejected
inputs are listed as they happen and the rest of the input goes on; long work shows progress on
stderr when it is a terminal.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from newsfuse import __version__
from newsfuse.cli_options import ConfigFile, Overrides, Workers, command_settings
from newsfuse.cli_store import DEFAULT_STORE, STORE_ENV, exit_code, progress_bars
from newsfuse.errors import NewsfuseError
from newsfuse.models import Rejection

if TYPE_CHECKING:
    from newsfuse.stages.update import Since

__all__ = ["app"]

app = typer.Typer(
    name="newsfuse",
    help="Turn many news reports of one story into one sourced account.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_err = Console(
    stderr=True, highlight=False, soft_wrap=True, emoji=False
)  # ":100:" is a line number
_STORE_OPTION = typer.Option(
    "--store",
    "-s",
    help=f"The store: a SQLite path or postgresql:// URL (default: ${STORE_ENV}, else "
    f"{DEFAULT_STORE} in the current folder).",
    show_default=False,
)


def _print_version(value: bool) -> None:
    """Eager: ``newsfuse --version`` needs no command (a plain callback option would ask for one)."""
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Turn many news reports of one story into one sourced account."""


@app.command()
def report(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SOURCE",
            help="Files (.txt .md .html .htm .jsonl), folders, feeds, WARCs, .urls, URLs, or - "
            "for standard input.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here; the extension picks the format."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="json|markdown|html",
            help="The output format (default: from the -o extension, else markdown).",
        ),
    ] = None,
    config: ConfigFile = None,
    overrides: Overrides = None,
    workers: Workers = None,
    reference_date: Annotated[
        str | None,
        typer.Option(
            "--reference-date",
            help="YYYY-MM-DD: anchor 'Thursday', 'earlier this week' in undated articles.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="A date (YYYY-MM-DD) or an earlier newsfuse report JSON: add what is new since.",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit non-zero if any input is rejected.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    store: Annotated[str | None, _STORE_OPTION] = None,
    story: Annotated[
        str | None,
        typer.Option("--story", help="Report this stored story (ids: newsfuse stories)."),
    ] = None,
) -> None:
    """Build one sourced report (brief, sources, quotes) from the given reports of one story,
    or with --story from a story in the store."""
    from newsfuse.errors import ConfigError, OutputError
    from newsfuse.outputs.write import check_output
    from newsfuse.stages.update import SinceError, parse_since

    try:
        # Read --since and check -o/--format before any work: a mistyped value is a usage error
        # (exit 2), not a run that fails at its end.
        parsed_since = parse_since(since) if since is not None else None
        check_output(output, fmt)
        if reference_date is not None:
            _check_reference_date(reference_date)
    except (SinceError, OutputError, ConfigError) as exc:
        if debug:
            raise
        _err.print(f"newsfuse: error: {exc}", markup=False)
        raise typer.Exit(2) from None
    if story is not None or store is not None:
        _report_stored(
            paths, store, story, output, fmt, config, overrides, quiet, debug, parsed_since
        )
        return
    if not paths:
        raise typer.BadParameter("give at least one PATH (or --story ID)", param_hint="PATHS")
    with _guarded(debug):
        extra = [f"extract.reference_date={json.dumps(reference_date)}"] if reference_date else []
        _report(
            paths,
            output,
            fmt,
            config,
            [*(overrides or []), *extra],
            workers,
            strict,
            quiet,
            debug,
            parsed_since,
        )


def _check_reference_date(text: str) -> None:
    """``--reference-date`` is checked as itself, so its message names the option the user typed."""
    from newsfuse.config import load_settings
    from newsfuse.errors import ConfigError

    try:
        load_settings(overrides=[f"extract.reference_date={json.dumps(text)}"])
    except ConfigError as exc:
        reason = str(exc).split(": extract.reference_date ", 1)[-1]
        raise ConfigError(f"--reference-date {text!r}: {reason}") from None


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
    since: Since | None = None,
) -> None:
    from newsfuse.outputs.write import write_report
    from newsfuse.pipeline import run
    from newsfuse.stages.update import apply_update

    if workers is not None:
        overrides = [*overrides, f"run.workers={workers}"]
    settings = command_settings(config, overrides)
    rejected: list[Rejection] = []

    def on_rejection(rejection: Rejection) -> None:
        rejected.append(rejection)
        _err.print(f"newsfuse: skipped {rejection.item}: {rejection.reason}", markup=False)

    show_progress = not quiet and _err.is_terminal
    with progress_bars(_err, enabled=show_progress) as on_progress:
        stdin = sys.stdin.buffer if "-" in paths else None
        result = run(
            paths,
            settings,
            stdin=stdin,
            on_progress=on_progress,
            on_rejection=on_rejection,
            debug=debug,
        )
    if since is not None:
        result = apply_update(result, since, settings.summarize.brief_sentences)
    text = write_report(result, output, fmt)
    if output is None:
        sys.stdout.write(text)
    if not quiet:
        story = result.story
        single = sum(1 for s in story.brief if s.single_source)
        target = str(output) if output else "stdout"
        new = ""
        if result.update is not None:
            facts = sum(1 for f in result.update.facts if f.kind == "new")
            new = f", {facts} new fact(s) since {result.update.since}"
        _err.print(
            f"newsfuse: wrote {target}: {len(result.articles)} article(s), "
            f"{len(story.brief)} brief sentence(s) ({single} single-source), "
            f"{len(rejected)} input(s) rejected{new}",
            markup=False,
        )
    if strict and rejected:
        _err.print(f"newsfuse: --strict: {len(rejected)} input(s) rejected", markup=False)
        raise typer.Exit(1)


# --- store-backed commands (newsfuse.cli_store does the work) -------------------------------------


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so a stop unwinds exactly as Ctrl-C does."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated


@contextmanager
def _stopped_cleanly_by_sigterm() -> Iterator[None]:
    """While a command runs, SIGTERM stops it as Ctrl-C does (open transaction rolled back, pool
    workers stopped, one line) instead of ending the process where it stands."""
    if threading.current_thread() is not threading.main_thread():  # handlers are main-thread only
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _guarded(debug: bool) -> Iterator[None]:
    """One-line errors and exit codes, the same for every command (``--debug`` re-raises).

    Stopped by a signal: Ctrl-C (SIGINT) exits 130 and SIGTERM exits 143 (128 + the signal's
    number, as a shell reports a process the signal ended), both after the same clean stop.
    """
    try:
        with _stopped_cleanly_by_sigterm():
            yield
    except (typer.Exit, typer.BadParameter):
        raise
    except NewsfuseError as exc:
        if debug:
            raise
        _err.print(f"newsfuse: error: {exc}", markup=False)
        raise typer.Exit(exit_code(exc)) from None
    except _Terminated:
        _err.print("newsfuse: terminated", markup=False)
        raise typer.Exit(128 + signal.SIGTERM) from None
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


@app.command()
def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE",
            help="What newsfuse report accepts: files, folders, .jsonl, feeds, .warc(.gz), "
            ".urls lists, http(s) URLs, - for standard input.",
            show_default=False,
        ),
    ],
    store: Annotated[str | None, _STORE_OPTION] = None,
    config: ConfigFile = None,
    overrides: Overrides = None,
    workers: Workers = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Documents per committed batch.")
    ] = 256,
    lock_timeout: Annotated[
        float,
        typer.Option(
            "--lock-timeout",
            min=0.0,
            help="Seconds to wait for another writer's lock before giving up (exit 75).",
        ),
    ] = 30.0,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit non-zero if any input is rejected.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or counts.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Add documents to the store: find their articles, near-duplicate families and stories.

    Re-running the same command is a no-op; after an interruption it finishes the job.
    """
    from newsfuse.cli_store import ingest_command

    with _guarded(debug):
        extra = [f"run.workers={workers}"] if workers is not None else []
        settings = command_settings(config, [*(overrides or []), *extra])
        status = ingest_command(
            sources,
            store,
            settings,
            batch_size=batch_size,
            lock_timeout=lock_timeout,
            console=_err,
            quiet=quiet,
            strict=strict,
            debug=debug,
        )
        if status:
            raise typer.Exit(status)


@app.command()
def stories(
    store: Annotated[str | None, _STORE_OPTION] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Only stories updated since: 2025-11-01, 2025-11-01T09:00, 3d, 12h."
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Only stories whose title or an article title has this."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
    limit: Annotated[
        int,
        typer.Option("--limit", help="At most this many stories, newest update first; 0: all."),
    ] = 100,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """List the stored stories, newest update first: id, last update (UTC), articles, title."""
    from newsfuse.cli_store import stories_command

    with _guarded(debug):
        listing, note = stories_command(store, since, search, as_json=as_json, limit=limit)
        sys.stdout.write(listing)
        if note is not None:
            sys.stderr.write(note + "\n")


def _report_stored(
    paths: list[str] | None,
    store: str | None,
    story: str | None,
    output: Path | None,
    fmt: str | None,
    config: Path | None,
    overrides: list[str] | None,
    quiet: bool,
    debug: bool,
    since: Since | None = None,
) -> None:
    from newsfuse.cli_store import report_from_store

    if paths:
        raise typer.BadParameter("give PATHS or --story, not both", param_hint="PATHS")
    if story is None:
        raise typer.BadParameter("--store needs --story ID (see newsfuse stories)")
    with _guarded(debug):
        settings = command_settings(config, overrides)
        text, count = report_from_store(store, story, settings, output, fmt, since)
        if output is None:
            sys.stdout.write(text)
        if not quiet:
            target = str(output) if output else "stdout"
            _err.print(f"newsfuse: wrote {target}: story {story}, {count} article(s)", markup=False)


config_app = typer.Typer(
    help="Show the settings: every key, its value, its default and what it does.",
    no_args_is_help=True,
)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(
    config: ConfigFile = None,
    overrides: Overrides = None,
    markdown: Annotated[
        bool,
        typer.Option("--markdown", help="Print the defaults as Markdown (docs/settings.md)."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Print every setting as TOML with the values in effect here (newsfuse.toml in this folder,
    NEWSFUSE_* variables, --config, --set), each with one line on what it does."""
    from newsfuse.settings_doc import settings_markdown, settings_toml

    with _guarded(debug):
        if markdown:
            sys.stdout.write(settings_markdown())
        else:
            sys.stdout.write(settings_toml(command_settings(config, overrides)))


# The corpus run on Spark lives in its own module and imports PySpark only when it runs.
from newsfuse.cli_spark import spark_run  # noqa: E402

app.command("spark-run")(spark_run)

# The web app lives in newsfuse.web and imports FastAPI only when it runs.
from newsfuse.web.cli import serve  # noqa: E402

app.command("serve")(serve)
