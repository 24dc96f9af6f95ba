"""One story report at 20, 80 and 320 real articles, timed against the bare spaCy floor.

Why: ``newsfuse report`` used to be quadratic in a story's sentences (a 25-page story took 125 s, 181
pages was killed past 6 GB).  The targets: at 80 articles the report costs at most 2x the bare
spaCy floor (``nlp.pipe`` of the same model over the same texts, in a fresh process, same run);
time(320)/time(80) <= 5 (near linear); peak memory under 1.5 GB at 320 articles.

The story (real text only, never copied into the repository; read from ``../shared`` at run time):

* ECB+ articles (``../shared/bench/events-dev/ecbplus/<topic>/*.xml``), detokenised, one paragraph
  per annotated sentence.  Each topic holds ~15-40 articles about two similar events (two
  earthquakes, two celebrity arrests), so whole topics in a seeded order give a story of many
  articles about overlapping events, which is what a crawled story looks like;
* after every four ECB+ articles one other article: first the five seed reports
  (``../shared/seeds``), then the bundled example (``examples/harbour-strike``), then the
  extraction-dev article bodies (``../shared/bench/extraction-dev/*/expected.html``, seeded order):
  pasted pages with their cruft, longer articles, and off-topic noise a crawl lets through.

A story of N articles is the first N of that fixed order, so the 20 articles are inside the 80, and
the 80 inside the 320.  Each article gets a fictitious outlet (``outlet-17.example``) and url, and is
written as JSONL (``text``, ``title``, ``url``, ``outlet``, ``published_at`` when known) to a temp
dir; HTML bodies are reduced to their paragraphs' text, so the floor and newsfuse read the same text.

Every measurement is its own fresh process, so its peak RSS (``os.wait4``'s ``ru_maxrss``) is that
run's alone:

* the floor: ``python -c`` loading the model newsfuse uses (``extract.spacy_model``, the packaged
  ``en_core_web_sm``) and running ``list(nlp.pipe(texts))``; wall time from outside (interpreter,
  import, model load and parse) and the pipe alone from inside;
* newsfuse: ``python -m newsfuse report story.jsonl -o out.json --quiet`` with whatever ``newsfuse``
  is on the path (the alignment is being rewritten; this must measure old and new code alike).

Each run is capped by ``--timeout`` seconds and an address-space limit (``RLIMIT_AS``,
``--memory-gb``), and reported as "timed out" / "out of memory" instead of failing the benchmark; a
size is skipped once a smaller one has failed (``--keep-going`` runs it anyway).  ``--repeat`` runs
alternate floor and newsfuse and report the median.  ``--profile N`` instead runs the report of N
articles in a fresh process under cProfile (same limits; a timed-out run is interrupted and its
profile so far still printed) and prints the top functions by cumulative and by total time.

    python benchmarks/story_scale.py [--sizes 20,80,320] [--repeat 1] [--timeout 600]
                                     [--memory-gb 6] [--seed 7] [--keep-going] [--no-write]
    python benchmarks/story_scale.py --sizes 20,80 --set align.decision=encoder \
        --results benchmarks/results/story_scale_encoder.md
    python benchmarks/story_scale.py --profile 20 [--profile-out story.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLE = ROOT / "examples" / "harbour-strike"
EXTRACTION = SHARED / "bench" / "extraction-dev"
ECBPLUS = SHARED / "bench" / "events-dev" / "ecbplus"
RESULTS = ROOT / "benchmarks" / "results" / "story_scale.md"

TARGET_RATIO_80 = 2.0
TARGET_GROWTH = 5.0
TARGET_PEAK_MB = 1.5 * 1024
ECB_PER_OTHER = 4  # ECB+ articles between two articles of the other sources
MB = 1024 * 1024
MIN_WORDS = 50  # a stub (a headline-only ECB+ file, an empty body) is not an article


# --- the story -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One article of the benchmark story; ``source`` says which data set it came from."""

    source: str
    name: str
    text: str
    title: str | None = None
    published_at: str | None = None


_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd", "dt"}
_SKIPPED = {"script", "style", "nav", "header", "footer", "aside", "noscript", "figure", "form"}


class _Paragraphs(HTMLParser):
    """The text of a page's paragraph-like elements (p, headings, list items), one per paragraph.

    A body of Readability's output or a bundled example page both keep their article in such
    elements; navigation, header, footer and scripts are dropped so the floor parses the article,
    not the chrome, and newsfuse gets the same text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._parts: list[str] = []
        self._depth = 0  # open paragraph-like elements
        self._skip = 0  # open skipped elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self._flush()
            self._depth += 1
        elif tag == "br":
            self._parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self._flush()
            self._depth = max(0, self._depth - 1)

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip:
            self._parts.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.paragraphs.append(text)
        self._parts = []


def html_text(html: str) -> str:
    """Paragraph text of an HTML page or body, paragraphs separated by a blank line."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.paragraphs)


_ATTACH_LEFT = re.compile(r" ([,.;:!?)\]}%]|'s|'S|n't|'re|'ll|'ve|'m|'d|”)(?= |$)")
_ATTACH_RIGHT = re.compile(r"([(\[{$“]) ")
_JOINED = re.compile(r"(?<=\w) ([-/]) (?=\w)|(?<=\d)(?<!\d{4}) ([.:]|,(?= \d{3}\b)) (?=\d)")


def detokenise(tokens: Sequence[str]) -> str:
    """ECB+'s tokens of one sentence as running text ('90 - day' -> '90-day', '`` x ''' -> '“x”')."""
    words = ["“" if t == "``" else "”" if t == "''" else t for t in tokens]
    text = " ".join(words)
    text = _JOINED.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ATTACH_LEFT.sub(r"\1", text)
    return _ATTACH_RIGHT.sub(r"\1", text)


def ecb_article(path: Path) -> StoryArticle:
    """An ECB+ document: a URL line (ecbplus files) is dropped and the next sentence is the title."""
    sentences: dict[int, list[str]] = {}
    for token in ET.parse(path).getroot().iter("token"):
        sentences.setdefault(int(token.get("sentence", "0")), []).append(token.text or "")
    lines = [detokenise(sentences[n]) for n in sorted(sentences)]
    lines = [line for line in lines if line]
    title = None
    if lines and lines[0].replace(" ", "").startswith("http"):
        lines = lines[1:]
        if len(lines) > 1:
            title, lines = lines[0], lines[1:]
    return StoryArticle("ECB+", f"{path.parent.name}/{path.name}", "\n\n".join(lines), title)


def ecb_topics(rng: random.Random) -> Iterator[StoryArticle]:
    """ECB+ articles topic by topic, topics and the articles inside each in a seeded order."""
    topics = sorted((p for p in ECBPLUS.iterdir() if p.is_dir()), key=lambda p: int(p.name))
    rng.shuffle(topics)
    for topic in topics:
        files = sorted(topic.glob("*.xml"))
        rng.shuffle(files)
        for path in files:
            article = ecb_article(path)
            if len(article.text.split()) >= MIN_WORDS:
                yield article


def _iso(value: object) -> str | None:
    """A publication time newsfuse's JSONL reader accepts, or None (unparseable values are left out)."""
    if not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def other_articles(rng: random.Random) -> Iterator[StoryArticle]:
    """The seeds, the bundled example, then the extraction-dev bodies in a seeded order."""
    for path in sorted(SEEDS.glob("*.txt")):
        yield StoryArticle("seeds", path.name, path.read_text(encoding="utf-8"))
    for path in sorted(EXAMPLE.iterdir()):
        if path.suffix == ".txt":
            yield StoryArticle("example", path.name, path.read_text(encoding="utf-8"))
        elif path.suffix == ".html":
            yield StoryArticle("example", path.name, html_text(path.read_text(encoding="utf-8")))
    pages = sorted(p for p in EXTRACTION.iterdir() if (p / "expected.html").is_file())
    rng.shuffle(pages)
    for page in pages:
        text = html_text((page / "expected.html").read_text(encoding="utf-8"))
        if len(text.split()) < MIN_WORDS:
            continue
        meta_path = page / "expected-metadata.json"
        meta: dict[str, Any] = (
            json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        )
        title = meta.get("title") if isinstance(meta.get("title"), str) else None
        yield StoryArticle(
            "extraction-dev", page.name, text, title or None, _iso(meta.get("publishedTime"))
        )


def story(size: int, seed: int) -> list[StoryArticle]:
    """The first ``size`` articles of the fixed order: four ECB+ articles, then one other, and so on."""
    ecb, other = ecb_topics(random.Random(seed)), other_articles(random.Random(seed + 1))
    articles: list[StoryArticle] = []
    while len(articles) < size:
        before = len(articles)
        for _ in range(ECB_PER_OTHER):
            article = next(ecb, None)
            if article is not None and len(articles) < size:
                articles.append(article)
        article = next(other, None)
        if article is not None and len(articles) < size:
            articles.append(article)
        if len(articles) == before:
            raise SystemExit(f"only {len(articles)} articles under {SHARED}; asked for {size}")
    return articles


def write_story(articles: Sequence[StoryArticle], path: Path) -> None:
    """The story as newsfuse's JSONL input (see ``newsfuse.stages.ingest.files``)."""
    with path.open("w", encoding="utf-8") as out:
        for number, article in enumerate(articles, 1):
            record: dict[str, str] = {
                "text": article.text,
                "url": f"https://outlet-{number}.example/news/{number}",
                "outlet": f"outlet-{number}.example",
            }
            if article.title:
                record["title"] = article.title
            if article.published_at:
                record["published_at"] = article.published_at
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def word_count(articles: Sequence[StoryArticle]) -> int:
    return sum(len(a.text.split()) for a in articles)


def composition(articles: Sequence[StoryArticle]) -> str:
    """'64 ECB+ (topics 3, 7, 22), 5 seeds, …': what a size is made of, for the results file."""
    counts = Counter(a.source for a in articles)
    topics = sorted({a.name.split("/")[0] for a in articles if a.source == "ECB+"}, key=int)
    parts = []
    for source, count in counts.items():
        extra = f" (topics {', '.join(topics)})" if source == "ECB+" else ""
        parts.append(f"{count} {source}{extra}")
    return ", ".join(parts)


# --- measuring one process -----------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    """One process's outcome: ``status`` is "ok", "timed out", "out of memory" or "failed (…)"."""

    status: str
    seconds: float
    peak_mb: float
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


_OOM_SIGNS = ("MemoryError", "Unable to allocate", "bad_alloc", "Cannot allocate memory")


def _limit_memory(limit_bytes: int | None) -> Callable[[], None] | None:
    """A preexec_fn capping the child's address space, so a blow-up fails fast instead of swapping
    the machine (or getting the benchmark itself killed by the OOM killer)."""
    if not limit_bytes:
        return None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


def run_process(
    command: Sequence[str],
    *,
    timeout: float,
    memory_bytes: int | None,
    cwd: Path,
    interrupt_first: bool = False,
) -> Run:
    """Run ``command`` as its own process group; wall time and its own peak RSS (``os.wait4``).

    On timeout the group is killed (``interrupt_first``: sent SIGINT and given 30 s to wrap up,
    so a profiled run can still write its profile)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_limit_memory(memory_bytes),
        )
        timed_out = False
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if not timed_out and time.perf_counter() > deadline:
                timed_out = True
                if interrupt_first:
                    os.killpg(process.pid, signal.SIGINT)
                    deadline = time.perf_counter() + 30
                    continue
                os.killpg(process.pid, signal.SIGKILL)
            elif timed_out and time.perf_counter() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    code = process.returncode
    if timed_out:
        verdict = "timed out"
    elif code == 0:
        verdict = "ok"
    elif code == -signal.SIGKILL or any(sign in stderr for sign in _OOM_SIGNS):
        verdict = "out of memory"
    else:
        verdict = f"failed (exit {code})"
    return Run(verdict, seconds, usage.ru_maxrss / 1024, stdout, stderr)


FLOOR_SCRIPT = """
import json, sys, time
start = time.perf_counter()
import spacy
nlp = spacy.load(sys.argv[2])
loaded = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as lines:
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
docs = list(nlp.pipe(texts))
done = time.perf_counter()
print(json.dumps({"load": loaded - start, "pipe": done - loaded,
                  "sentences": sum(1 for doc in docs for _ in doc.sents)}))
"""


def floor_command(story_path: Path, model: str) -> list[str]:
    """The bare spaCy floor: load the model, ``list(nlp.pipe(texts))``, nothing else."""
    return [sys.executable, "-c", FLOOR_SCRIPT, str(story_path), model]


def set_options(settings: Sequence[str]) -> list[str]:
    """``--set KEY=VALUE`` for each of ``settings``, as ``newsfuse report`` takes them."""
    return [part for setting in settings for part in ("--set", setting)]


def newsfuse_command(story_path: Path, output: Path, settings: Sequence[str] = ()) -> list[str]:
    """The report as a user runs it (``newsfuse`` as imported from this interpreter's path), with
    ``--set KEY=VALUE`` for each of ``settings``."""
    return [
        sys.executable,
        "-m",
        "newsfuse",
        "report",
        str(story_path),
        "-o",
        str(output),
        "--quiet",
        *set_options(settings),
    ]


# --- one size ------------------------------------------------------------------------------------


@dataclass(slots=True)
class SizeResult:
    """Everything measured for one story size (medians over the repeats that succeeded)."""

    size: int
    words: int
    composition: str
    sentences: int | None = None
    floor_seconds: float | None = None
    floor_pipe_seconds: float | None = None
    floor_peak_mb: float | None = None
    seconds: float | None = None
    peak_mb: float | None = None
    status: str = "ok"
    reported_articles: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.seconds is None or not self.floor_seconds:
            return None
        return self.seconds / self.floor_seconds


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


def _reported_articles(path: Path) -> int | None:
    """How many articles the written report says it used (a sanity check that the run was real)."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    articles = report.get("articles") if isinstance(report, dict) else None
    return len(articles) if isinstance(articles, list) else None


def measure_size(
    size: int, args: argparse.Namespace, model: str, workdir: Path, log: Callable[[str], None]
) -> SizeResult:
    """Floor and newsfuse on one story size, ``--repeat`` times alternating, medians kept."""
    articles = story(size, args.seed)
    path = workdir / f"story-{size}.jsonl"
    write_story(articles, path)
    result = SizeResult(size, word_count(articles), composition(articles))
    log(f"{size} articles, {result.words:,} words: {result.composition}")
    floors: list[Run] = []
    floor_inside: list[dict[str, Any]] = []
    reports: list[Run] = []
    memory = int(args.memory_gb * 1024 * MB) if args.memory_gb > 0 else None
    for attempt in range(args.repeat):
        floor = run_process(
            floor_command(path, model), timeout=args.timeout, memory_bytes=None, cwd=workdir
        )
        if not floor.ok:
            raise SystemExit(f"spaCy floor {floor.status}: {_tail(floor.stderr)}")
        floors.append(floor)
        floor_inside.append(json.loads(floor.stdout.strip().splitlines()[-1]))
        log(
            f"  floor: {floor.seconds:.1f} s (pipe {floor_inside[-1]['pipe']:.1f} s), "
            f"{floor_inside[-1]['sentences']:,} sentences, peak {floor.peak_mb:,.0f} MB"
        )
        output = workdir / f"report-{size}-{attempt}.json"
        report = run_process(
            newsfuse_command(path, output, args.set),
            timeout=args.timeout,
            memory_bytes=memory,
            cwd=workdir,
        )
        log(f"  newsfuse: {report.status}, {report.seconds:.1f} s, peak {report.peak_mb:,.0f} MB")
        if not report.ok:
            log(f"  newsfuse said: {_tail(report.stderr, 2)}")
            result.status = report.status
            if report.status == "timed out":
                result.notes.append(f"timed out after {args.timeout:g} s")
            elif report.status == "out of memory":
                result.notes.append(
                    f"out of memory after {report.seconds:.0f} s "
                    f"(limit {args.memory_gb:g} GB address space)"
                )
            else:
                result.notes.append(f"{report.status}: {_tail(report.stderr)}")
            result.peak_mb = report.peak_mb
            break
        reports.append(report)
        result.reported_articles = _reported_articles(output)
    result.floor_seconds = _median([f.seconds for f in floors])
    result.floor_pipe_seconds = _median([f["pipe"] for f in floor_inside])
    result.floor_peak_mb = _median([f.peak_mb for f in floors])
    result.sentences = floor_inside[0]["sentences"] if floor_inside else None
    if result.status == "ok":
        result.seconds = _median([r.seconds for r in reports])
        result.peak_mb = _median([r.peak_mb for r in reports])
    return result


# --- the table -----------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def table(results: Sequence[SizeResult]) -> list[str]:
    lines = [
        "| articles | words | sentences | spaCy floor s (pipe alone) | newsfuse s "
        "| ratio to floor | peak RSS MB (floor) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        seconds = _fmt(r.seconds) if r.status == "ok" else r.status
        peak = _fmt(r.peak_mb, 0) if r.peak_mb is not None else "—"
        if r.status != "ok" and r.peak_mb is not None:
            peak = f"≥ {peak}"
        lines.append(
            f"| {r.size:,} | {r.words:,} | {_fmt(r.sentences, 0) if r.sentences else '—'} "
            f"| {_fmt(r.floor_seconds)} ({_fmt(r.floor_pipe_seconds)}) | {seconds} "
            f"| {_fmt(r.ratio, 2) + 'x' if r.ratio is not None else '—'} "
            f"| {peak} ({_fmt(r.floor_peak_mb, 0)}) |"
        )
    return lines


def targets(results: Sequence[SizeResult]) -> list[str]:
    """The issue's three targets, each met / missed / not measured, with the figure behind it."""
    by_size = {r.size: r for r in results}
    lines = []
    at80, at320 = by_size.get(80), by_size.get(320)
    if at80 is None:
        lines.append(f"- time(80)/floor(80): not measured (target ≤ {TARGET_RATIO_80:g}x).")
    elif at80.ratio is None:
        lines.append(
            f"- time(80)/floor(80): {at80.status} (target ≤ {TARGET_RATIO_80:g}x): missed."
        )
    else:
        verdict = "met" if at80.ratio <= TARGET_RATIO_80 else "missed"
        lines.append(
            f"- time(80)/floor(80): {at80.ratio:.2f}x (target ≤ {TARGET_RATIO_80:g}x): {verdict}."
        )
    if at80 is None or at320 is None or at80.seconds is None:
        lines.append(f"- time(320)/time(80): not measured (target ≤ {TARGET_GROWTH:g}).")
    elif at320.seconds is None:
        lines.append(
            f"- time(320)/time(80): 320 articles {at320.status} "
            f"(target ≤ {TARGET_GROWTH:g}): missed."
        )
    else:
        growth = at320.seconds / at80.seconds
        verdict = "met" if growth <= TARGET_GROWTH else "missed"
        lines.append(f"- time(320)/time(80): {growth:.2f} (target ≤ {TARGET_GROWTH:g}): {verdict}.")
    if at320 is None or at320.peak_mb is None:
        lines.append(f"- peak RSS at 320: not measured (target < {TARGET_PEAK_MB:,.0f} MB).")
    elif at320.status != "ok":
        lines.append(
            f"- peak RSS at 320: {at320.status} at ≥ {at320.peak_mb:,.0f} MB "
            f"(target < {TARGET_PEAK_MB:,.0f} MB): missed."
        )
    else:
        verdict = "met" if at320.peak_mb < TARGET_PEAK_MB else "missed"
        lines.append(
            f"- peak RSS at 320: {at320.peak_mb:,.0f} MB "
            f"(target < {TARGET_PEAK_MB:,.0f} MB): {verdict}."
        )
    return lines


def _revision() -> str:
    """The commit measured, and whether ``src/`` differs from it (the code timed, not this script)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return f"{head}{' + uncommitted changes to src/' if dirty else ''}"


def results_markdown(
    results: Sequence[SizeResult], args: argparse.Namespace, command: str, model: str
) -> str:
    header = (
        f"Command: `{command}` — newsfuse at {_revision()}, {os.cpu_count()} cores "
        f"({platform.machine()}, Python {platform.python_version()}), shared machine. "
        f"Each story is the first N articles of one fixed order (seed {args.seed}): whole ECB+ "
        f"topics (`../shared/bench/events-dev/ecbplus`, two similar events a topic) with one "
        f"article of the seeds, the bundled example and the extraction-dev bodies after every "
        f"{ECB_PER_OTHER}; fictitious outlet per article, JSONL input. Floor: a fresh process "
        f"loading `{model}` (en_core_web_sm) and running `list(nlp.pipe(texts))` over the same "
        f"texts, timed from outside (start, import, load, parse; the parse alone in brackets). "
        f"newsfuse: a fresh `python -m newsfuse report story.jsonl -o out.json --quiet`, capped at "
        f"{args.timeout:g} s and {args.memory_gb:g} GB address space. Peak RSS: the process's "
        f"`ru_maxrss`. Median of {args.repeat} alternating run(s)."
    )
    lines = [
        "# One story at 20, 80 and 320 articles against bare spaCy",
        "",
        header,
        "",
        *table(results),
        "",
        *targets(results),
        "",
        "Stories:",
        "",
    ]
    for r in results:
        notes = f" ({'; '.join(r.notes)})" if r.notes else ""
        used = f"; the report used {r.reported_articles}" if r.reported_articles is not None else ""
        lines.append(f"- {r.size} articles: {r.composition}{used}{notes}.")
    return "\n".join(lines) + "\n"


# --- profile -------------------------------------------------------------------------------------


def profile_worker(
    story_path: Path, output: Path, stats_path: Path, settings: Sequence[str] = ()
) -> int:
    """In this process: the report under cProfile (with ``--set`` for each of ``settings``), stats
    dumped even when interrupted or failing."""
    from newsfuse.cli import app

    profiler = cProfile.Profile()
    code = 0
    profiler.enable()
    try:
        app(
            [
                "report",
                str(story_path),
                "-o",
                str(output),
                "--quiet",
                *set_options(settings),
            ],
            standalone_mode=False,
        )
    except KeyboardInterrupt:
        code = 130
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except MemoryError:
        code = 137
    finally:
        profiler.disable()
        profiler.dump_stats(str(stats_path))
    return code


def profile(size: int, args: argparse.Namespace, workdir: Path) -> int:
    """Profile one report of ``size`` articles in a fresh, capped process and print its top lines."""
    articles = story(size, args.seed)
    path = workdir / f"story-{size}.jsonl"
    write_story(articles, path)
    stats_path = Path(args.profile_out) if args.profile_out else workdir / "story.prof"
    print(f"profiling a report of {size} articles, {word_count(articles):,} words", flush=True)
    memory = int(args.memory_gb * 1024 * MB) if args.memory_gb > 0 else None
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--profile-worker",
        str(path),
        str(workdir / "report.json"),
        str(stats_path),
        *set_options(args.set),
    ]
    run = run_process(
        command, timeout=args.timeout, memory_bytes=memory, cwd=workdir, interrupt_first=True
    )
    print(f"report: {run.status}, {run.seconds:.1f} s, peak RSS {run.peak_mb:,.0f} MB")
    if not stats_path.is_file():
        print(f"no profile written: {_tail(run.stderr, 5)}")
        return 1
    prefixes = sorted(
        {
            str(ROOT / "src"),
            *(p for p in sys.path if p.endswith("-packages")),
            sysconfig.get_paths()["stdlib"],
        },
        key=len,
        reverse=True,
    )
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(str(stats_path), stream=buffer).sort_stats(order).print_stats(25)
        text = buffer.getvalue().split("\n", 1)[1].strip()
        for prefix in prefixes:  # paths short, yet unambiguous (strip_dirs merges __init__.py's)
            text = text.replace(prefix + os.sep, "")
        print(f"\n=== top 25 by {order} ===")
        print(text)
    if args.profile_out:
        print(f"\nprofile: {stats_path} (open with snakeviz or python -m pstats)")
    return 0 if run.ok else 1


# --- main ----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", default="20,80,320", help="comma-separated article counts")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the median is kept")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per newsfuse run")
    parser.add_argument(
        "--memory-gb", type=float, default=6, help="address-space cap per run (0: none)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seeds the article order")
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="run larger sizes even after a smaller one timed out or ran out of memory",
    )
    parser.add_argument("--no-write", action="store_true", help="print only, keep the results file")
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="where the table goes (another file for a run with --set; each results file has a"
        " README block)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a newsfuse setting for the report runs (e.g. align.decision=encoder)",
    )
    parser.add_argument("--profile", type=int, metavar="N", help="profile the report of N articles")
    parser.add_argument("--profile-out", help="keep the cProfile stats here")
    parser.add_argument("--profile-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.profile_worker:
        story_path, output, stats_path = (Path(p) for p in args.profile_worker)
        return profile_worker(story_path, output, stats_path, args.set)

    with tempfile.TemporaryDirectory(prefix="story-scale-") as tmp:
        workdir = Path(tmp)
        if args.profile is not None:
            return profile(args.profile, args, workdir)

        from newsfuse.config import ExtractSettings

        model = ExtractSettings().spacy_model
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
        results: list[SizeResult] = []
        failed: SizeResult | None = None
        for size in sizes:
            if failed is not None and not args.keep_going:
                articles = story(size, args.seed)
                skipped = SizeResult(size, word_count(articles), composition(articles))
                skipped.status = "skipped"
                skipped.notes.append(f"not run: {failed.size} articles already {failed.status}")
                print(f"{size} articles: skipped ({failed.size} articles {failed.status})")
                results.append(skipped)
                continue
            result = measure_size(size, args, model, workdir, lambda s: print(s, flush=True))
            results.append(result)
            if result.status != "ok":
                failed = result

    command = "python benchmarks/story_scale.py " + " ".join(sys.argv[1:] if argv is None else argv)
    markdown = results_markdown(results, args, command.strip(), model)
    print()
    print(markdown)
    if not args.no_write:
        args.results.write_text(markdown, encoding="utf-8")
        print(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
