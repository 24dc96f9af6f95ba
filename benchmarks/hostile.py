"""Hostile inputs through ``newsfuse report``: the time, the peak memory and the one line each gets.

Each case is generated here (nothing is downloaded), written to a temporary folder and given to
the command in a child process of its own, so its peak resident memory is the child's alone
(``os.wait4``).  A case must end within ``--limit`` seconds (default 150) or it counts as a hang.
The bundled example's article stands in for real text.  Writes ``benchmarks/results/hostile.md``
(copied into README.md by ``update_readme.py``) and prints it; docs/reliability.md explains the
bounds and names the test that holds each case.

    python benchmarks/hostile.py            # ~3 minutes here
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (ROOT / "examples" / "harbour-strike" / "02_calderra-press-agency.txt").read_text(
    encoding="utf-8"
)
RESULT = ROOT / "benchmarks" / "results" / "hostile.md"


@dataclass(frozen=True)
class Case:
    """One hostile input: a file name and a function that writes it (or links it) into a folder."""

    label: str
    name: str
    make: Callable[[Path], None]


def _write(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text, encoding="utf-8")


def _jsonl(records: list[dict[str, str]]) -> Callable[[Path], None]:
    return _write("".join(json.dumps(record) + "\n" for record in records))


def _warc_with_gzip_bomb(path: Path) -> None:
    """A WARC holding one HTML response whose gzip body inflates to 200 MB of spaces."""
    bomb = gzip.compress(b"<html><body><p>" + b" " * 200_000_000, compresslevel=9)
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(bomb)}\r\n\r\n".encode()
        + bomb
    )
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example/\r\n"
        "WARC-Date: 2025-10-30T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:0>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    path.write_bytes(head + http + b"\r\n\r\n")


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


CASES = (
    Case("a 50 MB one-line text file", "line.txt", _write("word " * 10_000_000)),
    Case(
        "a 50 MB JSONL line, then a good one",
        "line.jsonl",
        _jsonl([{"text": "word " * 10_000_000}, {"text": ARTICLE}]),
    ),
    Case(
        "a 19 MB one-paragraph text (under ingest.max_bytes)",
        "paragraph.txt",
        _write("Port workers said the strike would continue. " * 420_000),
    ),
    Case(
        "200,000 short lines (2.4 MB)",
        "lines.txt",
        _write("\n".join(f"Line {i} short." for i in range(200_000))),
    ),
    Case(
        "an HTML page nested 100,000 deep",
        "deep.html",
        _write(
            "<html><body>"
            + "<div>" * 100_000
            + f"<p>{ARTICLE}</p>"
            + "</div>" * 100_000
            + "</body></html>"
        ),
    ),
    Case(
        "a million tiny elements (8 MB of <i>a</i>)",
        "tiny.html",
        _write("<html><body><p>" + "<i>a</i>" * 1_000_000 + "</p></body></html>"),
    ),
    Case("a gzip bomb (200 MB) inside a WARC", "bomb.warc", _warc_with_gzip_bomb),
    Case("/dev/zero named x.jsonl", "zero.jsonl", _symlink("/dev/zero")),
    Case("/dev/zero named x.urls", "zero.urls", _symlink("/dev/zero")),
    Case("a FIFO with no writer named x.txt", "fifo.txt", _fifo),
    Case(
        "2,000 copies of one article",
        "copies.jsonl",
        _jsonl([{"text": ARTICLE, "url": f"https://copies.example/{i}"} for i in range(2000)]),
    ),
    Case(
        "50 near-copies of one article, 50 outlets",
        "near.jsonl",
        _jsonl(
            [
                {
                    "text": ARTICLE.replace("41", str(41 + i), 1) + f" Update {i}: ships waited.",
                    "outlet": f"Outlet {i}",
                }
                for i in range(50)
            ]
        ),
    ),
)


@dataclass(frozen=True)
class Outcome:
    seconds: float
    peak_mb: float
    status: str
    line: str


def run_case(path: Path, limit: float) -> Outcome:
    """``newsfuse report PATH`` in a child process; its wall time, peak RSS and last stderr line."""
    command = [sys.executable, "-m", "newsfuse", "report", str(path), "-o", str(path) + ".json"]
    started = time.monotonic()
    with tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        timer = threading.Timer(limit, lambda: child.send_signal(signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        stderr.seek(0)
        lines = [line for line in stderr.read().decode("utf-8", "replace").splitlines() if line]
    hung = child.returncode == -signal.SIGKILL
    shown = lines[0] if lines else ""
    return Outcome(
        seconds=seconds,
        peak_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        status="killed at the limit" if hung else f"exit {child.returncode}",
        line=shown.replace(str(path.parent) + os.sep, ""),
    )


def _make_apart(case: Case, path: Path) -> None:
    """Write the case in a forked process: building 200 MB here would raise this process's memory,
    and a child started from it begins with that peak in its own ``ru_maxrss``."""
    maker = multiprocessing.get_context("fork").Process(target=case.make, args=(path,))
    maker.start()
    maker.join()
    if maker.exitcode != 0:
        raise RuntimeError(f"could not write the case {case.label!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--limit", type=float, default=150.0, help="seconds before a case is a hang"
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsfuse-hostile-") as folder:
        for case in CASES:
            path = Path(folder) / case.name
            _make_apart(case, path)
            outcome = run_case(path, args.limit)
            print(f"{case.label}: {outcome}", file=sys.stderr, flush=True)
            rows.append((case, outcome))
            if path.is_file() and not path.is_symlink():
                path.unlink()
    lines = [
        "# Hostile inputs",
        "",
        f"`python benchmarks/hostile.py` (limit {args.limit:g} s per case; each case is one "
        "`newsfuse report FILE -o FILE.json` in a child process of its own; peak = its maximum "
        "resident memory, the Python interpreter, spaCy and the models included; on a 2-core "
        "machine shared with other jobs, so times are upper bounds). What each case is held to "
        "and the test that proves it: docs/reliability.md.",
        "",
        "| Input | Time (s) | Peak (MB) | Status | First line on stderr |",
        "|---|---:|---:|---|---|",
    ]
    for case, outcome in rows:
        line = outcome.line.replace("|", r"\|")
        lines.append(
            f"| {case.label} | {outcome.seconds:.1f} | {outcome.peak_mb:,.0f} | {outcome.status} "
            f"| `{line}` |"
        )
    text = "\n".join(lines) + "\n"
    RESULT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
