"""Benchmark: article-body and metadata extraction from HTML, newsfuse against common extractors.

Runs, side by side on ``../shared/bench/extraction-dev`` (pages from Mozilla Readability's test
suite; see that folder's README):

* **newsfuse** – :func:`newsfuse.stages.clean.html.extract_html`;
* **trafilatura** – plain ``trafilatura.extract`` with its defaults (metadata from the same call);
* **newspaper4k** – ``Article.download(input_html=...)`` + ``parse()``, image fetching off;
* **readability-lxml** – ``Document(html).summary()`` / ``.title()`` (it finds no byline).

Nothing is downloaded: every system is given the stored HTML.  Per system it prints

* body precision / recall / F1 over word 4-gram shingles of the lowercased, whitespace-normalised
  text, **macro-averaged over pages** (every page weighs the same), against the ``text_content()``
  of ``expected.html``;
* title and byline accuracy: exact match after whitespace normalisation, over the pages whose
  expected value is not null (a missing prediction counts as ``""``);
* the seconds the system took over all pages.

Each page runs under a per-system timeout and exception guard: a crash or timeout is an empty output.
Caveat: the expected bodies are Readability.js's own output, which flatters readability-style
extractors.

    python benchmarks/extraction.py [--bench-dir DIR] [--limit N] [--timeout S]
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from lxml import html as lxml_html

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metrics import PRF, accuracy, exact_match, macro_average, shingle_prf

DEFAULT_BENCH_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
RESULTS = Path(__file__).resolve().parent / "results" / "extraction.md"


@dataclass(frozen=True, slots=True)
class Output:
    """What one system found on one page; empty when it crashed or timed out."""

    text: str = ""
    title: str | None = None
    byline: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its source HTML and what Readability.js found on it."""

    name: str
    html: str
    expected_text: str
    expected_title: str | None
    expected_byline: str | None


@dataclass(slots=True)
class Tally:
    """A system's per-page results, accumulated over the run."""

    body: list[PRF] = field(default_factory=list)
    titles: list[bool] = field(default_factory=list)
    bylines: list[bool] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0


class PageTimeout(Exception):
    """Raised by the alarm when one system spends too long on one page."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM; Unix, main thread)."""

    def _raise(signum: int, frame: FrameType | None) -> None:
        raise PageTimeout(f"over {seconds}s")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- the systems -----------------------------------------------------------------------------------


def run_newsfuse(html: str) -> Output:
    from newsfuse.stages.clean.html import extract_html

    page = extract_html(html)
    return Output(page.text, page.title, page.byline)


def run_trafilatura(html: str) -> Output:
    import trafilatura

    # Default extract() settings; JSON output only so the same call also yields title and author.
    result = trafilatura.extract(html, output_format="json", with_metadata=True)
    if not result:
        return Output()
    data: dict[str, Any] = json.loads(result)
    return Output(data.get("text") or "", data.get("title"), data.get("author"))


def run_newspaper(html: str) -> Output:
    from newspaper import Article
    from newspaper.configuration import Configuration

    config = Configuration()
    config.fetch_images = False  # otherwise parse() may download images to score the top image
    config.follow_meta_refresh = False
    article = Article("http://example.com/article", config=config)
    article.download(input_html=html)
    article.parse()
    byline = ", ".join(article.authors) if article.authors else None
    return Output(article.text or "", article.title or None, byline)


def run_readability(html: str) -> Output:
    from readability import Document

    document = Document(html)
    summary = document.summary(html_partial=True)
    text = lxml_html.fragment_fromstring(summary, create_parent="div").text_content()
    return Output(text, document.title(), None)


SYSTEMS: dict[str, Callable[[str], Output]] = {
    "newsfuse": run_newsfuse,
    "trafilatura": run_trafilatura,
    "newspaper4k": run_newspaper,
    "readability-lxml": run_readability,
}


# --- the data and the scoring ----------------------------------------------------------------------


def load_pages(extraction_dir: Path, limit: int | None) -> list[Page]:
    """Read every ``<name>/`` folder, sorted by name, optionally only the first ``limit``."""
    folders = sorted(p for p in extraction_dir.iterdir() if (p / "source.html").is_file())
    if limit is not None:
        folders = folders[:limit]
    pages = []
    for folder in folders:
        metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        expected_html = (folder / "expected.html").read_text(encoding="utf-8")
        expected_text = lxml_html.fragment_fromstring(
            expected_html, create_parent="div"
        ).text_content()
        pages.append(
            Page(
                name=folder.name,
                html=(folder / "source.html").read_text(encoding="utf-8", errors="replace"),
                expected_text=expected_text,
                expected_title=metadata.get("title"),
                expected_byline=metadata.get("byline"),
            )
        )
    return pages


def evaluate(pages: list[Page], timeout: float) -> dict[str, Tally]:
    """Run every system on every page under the timeout guard and score the outputs."""
    tallies = {name: Tally() for name in SYSTEMS}
    for page in pages:
        for name, system in SYSTEMS.items():
            tally = tallies[name]
            start = time.perf_counter()
            try:
                with time_limit(timeout), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    output = system(page.html)
            except Exception as error:  # a crash or timeout counts as empty output
                output = Output()
                tally.failures += 1
                print(f"  {name} failed on {page.name}: {type(error).__name__}", file=sys.stderr)
            tally.seconds += time.perf_counter() - start
            tally.body.append(shingle_prf(output.text, page.expected_text))
            if page.expected_title is not None:
                tally.titles.append(exact_match(output.title, page.expected_title))
            if page.expected_byline is not None:
                tally.bylines.append(exact_match(output.byline, page.expected_byline))
    return tallies


def render(tallies: dict[str, Tally], pages: int, command: str, timeout: float) -> str:
    """The Markdown report: the command and settings, then one row per system."""
    first = next(iter(tallies.values()))
    lines = [
        f"Command: `{command}` — {pages} pages of extraction-dev; body P/R/F1 over word 4-gram "
        "shingles (lowercased, whitespace-normalised), macro-averaged over pages; title/byline "
        f"exact match after whitespace normalisation over {len(first.titles)}/{len(first.bylines)} "
        f"pages with a non-null expected value; per-page timeout {timeout:g}s (crash = empty).",
        "",
        "| system | body P | body R | body F1 | title acc | byline acc | seconds | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, tally in tallies.items():
        body = macro_average(tally.body)
        lines.append(
            f"| {name} | {body.precision:.3f} | {body.recall:.3f} | {body.f1:.3f} "
            f"| {accuracy(tally.titles):.3f} | {accuracy(tally.bylines):.3f} "
            f"| {tally.seconds:.1f} | {tally.failures} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per page and system")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the table")
    args = parser.parse_args(argv)

    pages = load_pages(args.bench_dir / "extraction-dev", args.limit)
    tallies = evaluate(pages, args.timeout)
    shown = ["python", "benchmarks/extraction.py", *(argv if argv is not None else sys.argv[1:])]
    report = render(tallies, len(pages), " ".join(shown), args.timeout)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
