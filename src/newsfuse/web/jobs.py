"""Submitted reports, ingested one job at a time by the same function as ``newsfuse ingest``.

A submission (JSON articles, pasted text, uploaded files, URLs) is first written as files into the
app's upload folder: articles and pasted text as one JSONL file (the format ``newsfuse ingest``
reads, with ``outlet``, ``title``, ``url``, ``published_at``), uploads under a cleaned name, and
URLs are passed on as they are (fetched by the ingest's guarded fetcher, which refuses private
addresses unless ``http.allow_private``).  One worker thread then runs
:func:`newsfuse.corpus.ingest.ingest` on them with its own store connection: the store has one
writer at a time anyway, and a request never waits for the pipeline.  Jobs live in memory; what
they wrote lives in the store.
"""

from __future__ import annotations

import json
import queue
import re
import secrets
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from newsfuse.models import Rejection
from newsfuse.web.config import WebConfig

__all__ = ["IngestQueue", "Job", "clean_file_name", "upload_root"]

JobState = Literal["queued", "running", "done", "failed"]
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_JOBS_KEPT = 500


def upload_root(config: WebConfig) -> Path:
    """Where submissions are written: ``--upload-dir``, else ``<store>.uploads`` beside a SQLite
    store, else a temporary folder (a PostgreSQL store has no folder of its own)."""
    if config.upload_dir is not None:
        return config.upload_dir
    from newsfuse.store.engine import resolve

    location = resolve(config.store)
    if location.path is not None:
        return location.path.with_name(location.path.name + ".uploads")
    return Path(tempfile.mkdtemp(prefix="newsfuse-uploads-"))


def clean_file_name(name: str) -> str:
    """The last part of an uploaded file's name with only safe characters: never a path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    stem = _UNSAFE.sub("_", stem if dot else base).strip("._")[:80] or "upload"
    return f"{stem}.{_UNSAFE.sub('', suffix).lower()}" if dot else stem


@dataclass(slots=True)
class Job:
    """One submission on its way into the store."""

    id: str
    what: str
    sources: tuple[str, ...]
    created_at: str
    state: JobState = "queued"
    summary: list[str] = field(default_factory=list)
    new_stories: tuple[str, ...] = ()
    extended_stories: tuple[str, ...] = ()
    rejections: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def stories(self) -> tuple[str, ...]:
        """The stories the submission made or extended, new ones first."""
        return (*self.new_stories, *self.extended_stories)

    def as_dict(self) -> dict[str, object]:
        """The job as the API shows it."""
        return {
            "id": self.id,
            "what": self.what,
            "state": self.state,
            "created_at": self.created_at,
            "summary": list(self.summary),
            "new_stories": list(self.new_stories),
            "extended_stories": list(self.extended_stories),
            "stories": list(self.stories),
            "rejections": list(self.rejections),
            "error": self.error,
        }


class IngestQueue:
    """Writes submissions to files and ingests them, one job at a time, in a worker thread."""

    def __init__(self, config: WebConfig) -> None:
        self._config = config
        self._root = upload_root(config)
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._worker = threading.Thread(target=self._run, name="newsfuse-ingest", daemon=True)
        self._worker.start()

    # -- submissions ---------------------------------------------------------------------------

    def _folder(self, job_id: str) -> Path:
        folder = self._root / job_id
        folder.mkdir(parents=True, exist_ok=False)
        return folder

    def submit_articles(self, records: Sequence[Mapping[str, str | None]], what: str) -> Job:
        """Queue articles given as JSONL records (``text`` or ``html`` plus metadata)."""
        job_id = secrets.token_hex(8)
        path = self._folder(job_id) / "submitted.jsonl"
        lines = [
            json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False)
            for record in records
        ]
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        return self._enqueue(job_id, what, [str(path)])

    def submit_files(self, files: Sequence[tuple[str, bytes]], what: str) -> Job:
        """Queue uploaded files (name, content); names must already be checked and cleaned."""
        job_id = secrets.token_hex(8)
        folder = self._folder(job_id)
        paths: list[str] = []
        for position, (name, content) in enumerate(files, start=1):
            path = folder / f"{position:03d}-{name}"
            path.write_bytes(content)
            paths.append(str(path))
        return self._enqueue(job_id, what, paths)

    def submit_urls(self, urls: Sequence[str], what: str) -> Job:
        """Queue URLs for the ingest's guarded fetcher."""
        return self._enqueue(secrets.token_hex(8), what, list(urls))

    def _enqueue(self, job_id: str, what: str, sources: list[str]) -> Job:
        job = Job(
            id=job_id,
            what=what,
            sources=tuple(sources),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self._lock:
            self._jobs[job_id] = job
            if len(self._jobs) > _MAX_JOBS_KEPT:
                finished = [j for j in self._jobs.values() if j.state in ("done", "failed")]
                for old in finished[: len(self._jobs) - _MAX_JOBS_KEPT]:
                    del self._jobs[old.id]
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """The job with that id, if this server still knows it."""
        with self._lock:
            return self._jobs.get(job_id)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued job is finished (tests and shutdown); False on time-out."""
        finished = threading.Event()

        def watch() -> None:
            self._queue.join()
            finished.set()

        threading.Thread(target=watch, daemon=True).start()
        return finished.wait(timeout)

    def close(self) -> None:
        """Stop the worker after the jobs already queued."""
        self._queue.put(None)

    # -- the worker ----------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                self._ingest(job)
            finally:
                self._queue.task_done()

    def _ingest(self, job: Job) -> None:
        from newsfuse.corpus.ingest import ingest
        from newsfuse.errors import NewsfuseError
        from newsfuse.store import Store

        job.state = "running"

        def on_rejection(rejection: Rejection) -> None:
            job.rejections.append(f"{_shown(rejection.item, self._root)}: {rejection.reason}")

        try:
            with Store.open(self._config.store) as store:
                summary = ingest(
                    list(job.sources), store, self._config.settings, on_rejection=on_rejection
                )
        except NewsfuseError as error:
            job.error = str(error)
            job.state = "failed"
        except Exception as error:  # a bug: the job says so; the server goes on
            job.error = f"internal error: {type(error).__name__}: {error}"
            job.state = "failed"
        else:
            job.summary = summary.lines()
            job.new_stories = summary.new_stories
            job.extended_stories = summary.extended_stories
            job.state = "done"


def _shown(item: str, root: Path) -> str:
    """A rejected item named without the upload folder's path: the name the user gave."""
    prefix = str(root) + "/"
    if item.startswith(prefix):
        rest = item[len(prefix) :]
        return rest.split("/", 1)[-1]
    return item
