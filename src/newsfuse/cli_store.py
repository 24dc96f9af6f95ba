"""The store-backed commands behind ``newsfuse ingest``, ``newsfuse stories`` and
``newsfuse report --store``: argument handling only; the work is in :mod:`newsfuse.corpus.ingest`.

Kept apart from :mod:`newsfuse.cli` so that the one-story command stays short and these can grow.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from newsfuse.config import Settings
from newsfuse.errors import InputError
from newsfuse.models import Rejection

if TYPE_CHECKING:  # the pipeline (spaCy) and the store (SQLAlchemy) load only when a command runs
    from newsfuse.pipeline import ProgressCallback
    from newsfuse.stages.update import Since
    from newsfuse.store import Store

__all__ = [
    "DEFAULT_STORE",
    "EXIT_LOCKED",
    "STORE_ENV",
    "exit_code",
    "ingest_command",
    "open_existing_store",
    "parse_since",
    "report_from_store",
    "store_location",
    "stories_command",
]

STORE_ENV = "NEWSFUSE_STORE"
DEFAULT_STORE = "newsfuse.db"
"""The store when neither ``--store`` nor ``NEWSFUSE_STORE`` names one: a file in the current folder."""

EXIT_LOCKED = 75
"""Exit status when another process holds the store's lock: EX_TEMPFAIL, "try again later"."""

_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhm])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def store_location(store: str | None) -> str:
    """``--store``, else ``$NEWSFUSE_STORE``, else ``newsfuse.db`` in the current folder."""
    return store or os.environ.get(STORE_ENV) or DEFAULT_STORE


def exit_code(error: BaseException) -> int:
    """1 for every run-level error, except a locked store: 75, so a scheduler knows to retry."""
    from newsfuse.store import StoreLockedError

    return EXIT_LOCKED if isinstance(error, StoreLockedError) else 1


def open_existing_store(store: str | None, *, read_only: bool = False) -> Store:
    """Open a store that must already exist (reading commands must not create an empty one);
    ``read_only`` for a command that only reads, so a store it may not write is still read."""
    from newsfuse.store import Store, StoreError
    from newsfuse.store.engine import resolve

    target = store_location(store)
    location = resolve(target)
    if location.path is not None and not location.path.exists():
        raise StoreError(
            f"store {location.display}: no such file (ingest something first: "
            f"newsfuse ingest SOURCES --store {target})"
        )
    return Store.open(target, read_only=read_only)


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """``--since``: an ISO date or datetime (UTC unless it says otherwise), or ``3d``/``12h``/``30m`` ago."""
    relative = _RELATIVE.match(text)
    if relative:
        amount, unit = float(relative.group(1)), relative.group(2)
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"--since {text!r}: expected a date (2025-11-01), a date and time "
            "(2025-11-01T09:00) or an age (3d, 12h, 30m)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@contextmanager
def progress_bars(console: Console, *, enabled: bool) -> Iterator[ProgressCallback]:
    """Rich progress bars on stderr, one per stage, as a ``(stage, done, total)`` callback."""
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not enabled,
        transient=True,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        yield on_progress


def ingest_command(
    sources: list[str],
    store: str | None,
    settings: Settings,
    *,
    batch_size: int,
    lock_timeout: float,
    console: Console,
    quiet: bool,
    strict: bool,
    debug: bool,
) -> int:
    """Run ``newsfuse ingest``; the exit status (1 with ``--strict`` when anything was rejected)."""
    from newsfuse.corpus.ingest import check_sources, ingest
    from newsfuse.store import Store
    from newsfuse.store.engine import resolve

    rejected: list[Rejection] = []

    def on_rejection(rejection: Rejection) -> None:
        rejected.append(rejection)
        if not quiet:
            console.print(f"newsfuse: skipped {rejection.item}: {rejection.reason}", markup=False)

    target = store_location(store)
    check_sources(sources)  # a typo fails here, before a store file is created
    new_file = resolve(target).path
    if new_file is not None and new_file.exists():
        new_file = None
    try:
        with (
            Store.open(target, busy_timeout=lock_timeout) as opened,
            progress_bars(console, enabled=not quiet and console.is_terminal) as on_progress,
        ):
            stdin = sys.stdin.buffer if "-" in sources else None
            summary = ingest(
                sources,
                opened,
                settings,
                on_progress=on_progress,
                on_rejection=on_rejection,
                batch_size=batch_size,
                stdin=stdin,
                debug=debug,
            )
            counts = opened.counts()
    except BaseException:
        if new_file is not None:
            _remove_if_empty(new_file)
        raise
    if not quiet:
        rate = summary.prepared / summary.seconds if summary.seconds else 0.0
        console.print(
            f"newsfuse: ingested into {opened.location} in {summary.seconds:.1f}s", markup=False
        )
        for line in summary.lines():
            console.print(f"  {line}", markup=False)
        console.print(
            f"  store     {counts.get('articles', 0)} article(s) in {counts.get('stories', 0)} "
            f"stories ({rate:.1f} documents/s prepared this run)",
            markup=False,
        )
    if strict and rejected:
        console.print(f"newsfuse: --strict: {len(rejected)} input(s) rejected", markup=False)
        return 1
    return 0


def stories_command(
    store: str | None,
    since: str | None,
    search: str | None,
    *,
    as_json: bool,
    limit: int = 0,
) -> tuple[str, str | None]:
    """What ``newsfuse stories`` prints: one line per story, newest first (or JSON), and a note for
    standard error when the list was cut at ``limit`` stories (0: no limit) or some listed articles
    carry no publication date (else ``None``)."""
    if limit < 0:
        raise InputError(f"--limit {limit}: expected 0 (every story) or a positive number")
    since_at = parse_since(since) if since else None
    with open_existing_store(store, read_only=True) as opened:
        stories = opened.list_stories(
            since=since_at, search=search, limit=limit + 1 if limit else None
        )
        cut = bool(limit) and len(stories) > limit
        stories = stories[:limit] if cut else stories
        undated = opened.undated_articles([s.id for s in stories])
        merged = opened.merged_from([s.id for s in stories])
        split_into, split_from = opened.split_history([s.id for s in stories])
        if not stories:
            return ("[]\n" if as_json else ""), _nothing_listed_note(opened, since, search)
    more = f"newsfuse: the {limit} most recently updated stories; more match (--limit 0 lists all)"
    dates = undated_note(sum(undated.values()), sum(len(s.article_ids) for s in stories))
    note = "\n".join(n for n in (more if cut else None, dates) if n) or None
    if as_json:
        rows = [
            {
                "id": s.id,
                "title": s.title,
                "articles": len(s.article_ids),
                "undated_articles": undated.get(s.id, 0),
                "merged_from": merged.get(s.id, []),
                "split_into": split_into.get(s.id, []),
                "split_from": split_from.get(s.id),
                "created_at": s.created_at.isoformat(),
                "updated_at": s.updated_at.isoformat(),
            }
            for s in stories
        ]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n", note
    lines = [
        f"{s.id}  {s.updated_at.strftime('%Y-%m-%d %H:%M')}  {len(s.article_ids):>4}  {s.title}"
        + _merged_note(merged.get(s.id, []))
        + _split_note(split_into.get(s.id, []), split_from.get(s.id))
        for s in stories
    ]
    return "".join(f"{line}\n" for line in lines), note


def _remove_if_empty(path: Path) -> None:
    """Delete a store file this command created when it failed before storing anything, so a
    failed first ingest leaves no empty store behind (the next run would find it and go on as if
    it held something)."""
    import sqlite3
    from urllib.parse import quote

    try:
        with closing(sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)) as db:
            stored = db.execute("SELECT count(*) FROM raw_documents").fetchone()[0]
    except sqlite3.Error:  # no tables yet
        stored = 0
    if not stored:
        for leftover in (path, *(path.with_name(path.name + end) for end in _SIDECARS)):
            leftover.unlink(missing_ok=True)


_SIDECARS = ("-wal", "-shm", "-journal", ".ingest-lock")


def _nothing_listed_note(opened: Store, since: str | None, search: str | None) -> str:
    """Why ``stories`` lists nothing: an empty store (say how to fill it), or filters that match
    no story (say which), rather than printing nothing at all."""
    if opened.counts().get("stories", 0) == 0:
        return (
            f"newsfuse: store {opened.location} has no stories yet "
            f"(add reports with: newsfuse ingest SOURCES --store {opened.location})"
        )
    given = (("--since", since), ("--search", search))
    return "newsfuse: no story matches " + " ".join(
        f"{option} {value!r}" for option, value in given if value is not None
    )


def _merged_note(absorbed: Sequence[str]) -> str:
    """What a story line adds when later articles merged other stories into it: their ids, so a
    reader who knew them finds them again (and knows this story's report has grown)."""
    if not absorbed:
        return ""
    return f"  (merged from {', '.join(absorbed)})"


def _split_note(parts: Sequence[str], origin: str | None) -> str:
    """What a story line adds when later articles showed a story to be two: the stories cut from
    it, and the story it was cut from, so a reader who knew one finds where its articles went."""
    notes = [f"split into {', '.join(parts)}"] if parts else []
    notes += [f"split from {origin}"] if origin else []
    return f"  ({'; '.join(notes)})" if notes else ""


def undated_note(undated: int, total: int) -> str | None:
    """The line telling that articles without a publication date were grouped without time.

    Why a note: with dates the tracker keeps a story's articles within ``cluster.window_days`` and
    weighs a gap down by ``cluster.half_life_days``, so next week's report of a recurring topic
    starts a story of its own; without dates it cannot, and the reader should know which stories
    rest on words and names alone.  What closes an undated story is a count of arrivals instead
    (``cluster.undated_window``), and the note says so: a reader who finds a story's later report
    in a story of its own learns why.
    """
    if not undated:
        return None
    return (
        f"note: {undated} of {total} listed article(s) have no publication date; the story tracker "
        "grouped them by words and names alone, without its time window; a story with no dated "
        "article takes no more once cluster.undated_window articles in a row after the ingest "
        "that last added to it have not joined it (see undated_articles in --json)"
    )


def report_from_store(
    store: str | None,
    story_id: str,
    settings: Settings,
    output: Path | None,
    fmt: str | None,
    since: Since | None = None,
) -> tuple[str, int]:
    """Re-report a stored story (the report JSON is kept in the store); the text and article count.

    With ``since``, the written report adds what is new since then; the stored one stays plain, so
    it can serve as the ``--since`` of a later run.
    """
    from newsfuse.corpus.ingest import report_story
    from newsfuse.outputs.write import write_report
    from newsfuse.stages.update import apply_update
    from newsfuse.store import NotInStoreError

    with open_existing_store(store) as opened:
        into = opened.merged_into(story_id)
        if into is not None:
            raise NotInStoreError(
                f"story {story_id} was merged into story {into} (a later article showed them to "
                f"be one story); report that one: --story {into}"
            )
        report = report_story(opened, story_id, settings)
    if since is not None:
        report = apply_update(report, since, settings.summarize.brief_sentences)
    return write_report(report, output, fmt), len(report.articles)
