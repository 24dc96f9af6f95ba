"""Names that used to hang or flood a run: devices, FIFOs, endless pipes, huge URL lists.

Each case is one rejection line and the run goes on; none reads more than ``ingest.max_bytes``.
Symbolic links to ``/dev/zero`` stand for a device given a harmless-looking name.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfuse.config import IngestSettings
from newsfuse.models import RawDocument, Rejection
from newsfuse.stages.ingest.sources import read_sources

SMALL = IngestSettings(max_bytes=100_000)
ARTICLE = "Dock workers in Calderra stopped work on Monday, the union said. " * 10

needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def _read(*sources: str) -> list[RawDocument | Rejection]:
    return list(read_sources(list(sources), SMALL))


@needs_dev_zero
@pytest.mark.parametrize("name", ["x.txt", "x.html", "x.jsonl", "x.urls", "x.rss", "x.warc"])
def test_a_device_under_any_name_is_refused_unread(tmp_path: Path, name: str) -> None:
    """/dev/zero named x.jsonl looped forever; named x.urls it filled memory (21 GB)."""
    (tmp_path / name).symlink_to("/dev/zero")
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    rejection, document = _read(str(tmp_path / name), str(good))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("not a regular file (a character device)")
    assert isinstance(document, RawDocument)


@needs_fifo
@pytest.mark.parametrize("name", ["x.txt", "x.jsonl", "x.rss", "x.urls"])
def test_a_fifo_without_a_writer_does_not_block(tmp_path: Path, name: str) -> None:
    """open() of a FIFO nobody writes to blocked forever; now it reads as empty."""
    fifo = tmp_path / name
    os.mkfifo(fifo)
    items = _read(str(fifo))
    assert all(isinstance(item, Rejection) for item in items)


@pytest.fixture
def endless_fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO named x.jsonl whose writer sends zeros (never a newline) until the test ends.

    The writer end is open before the test reads (O_RDWR does not wait for a reader), and writes
    without blocking, so the thread stops when told even after the reader has gone.
    """
    fifo = tmp_path / "endless.jsonl"
    os.mkfifo(fifo)
    descriptor = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            try:
                os.write(descriptor, b"\0" * 65536)
            except BlockingIOError:
                stop.wait(0.01)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    yield fifo
    stop.set()
    writer.join(timeout=5)
    os.close(descriptor)


@needs_fifo
def test_an_endless_jsonl_line_from_a_pipe_stops_at_the_limit(endless_fifo: Path) -> None:
    """A regular file's over-long line is skipped to its newline; a pipe may never send one."""
    over, stopped = _read(str(endless_fifo))
    assert isinstance(over, Rejection) and over.item.endswith("endless.jsonl:1")
    assert "line is over the" in over.reason
    assert isinstance(stopped, Rejection) and "a pipe, not a file" in stopped.reason


def test_a_url_list_over_the_limit_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "many.urls"
    path.write_text("https://news.example/a\n" * 10_000, encoding="utf-8")  # 230 kB > 100 kB
    [rejection] = _read(str(path))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "URL list is over the 100,000-byte limit (ingest.max_bytes)"
