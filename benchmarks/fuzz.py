"""Coverage-guided fuzzing (atheris) of the ingest paths, bounded in time; figures for README.md.

Three targets take arbitrary bytes the way newsfuse takes a file: ``html`` (a saved page through
decoding and the HTML cleaner: lxml, trafilatura, readability), ``text`` (pasted page text through
decoding and newsfuse's own cleaner) and ``jsonl`` (one JSONL line through the record reader, then
the cleaner).  A rejection (:class:`~newsfuse.errors.ItemError`, a Rejection value) is the expected
answer to bad input; any other exception is a crash, which atheris saves as ``crash-*`` in the
work folder and this script reports with its input, to be turned into a regression test.

Each target runs in a child process for ``--seconds`` (libFuzzer's ``-max_total_time``), seeded
with the bundled example's files.  Needs ``pip install atheris`` (the ``bench`` extra).

    python benchmarks/fuzz.py [--seconds 60] [--targets html,text,jsonl]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "harbour-strike"
RESULT = ROOT / "benchmarks" / "results" / "fuzz.md"
TARGETS = ("html", "text", "jsonl")
FIXED = (
    'html: a page with a `<head>` and no body made lxml assert "too many bodies" when it re-read '
    'readability\'s summary (an "unexpected AssertionError" rejection); now "no article text '
    'found" (`tests/stages/test_clean_html.py::test_a_page_with_a_head_and_no_body_is_no_article_not_a_crash`)',
)
"""Crashes this script found, each fixed and held by a regression test."""


def fuzz_one(target: str) -> None:
    """Run inside the child: instrument newsfuse, then fuzz ``target`` until libFuzzer stops."""
    import atheris

    with atheris.instrument_imports(include=["newsfuse"]):
        from newsfuse.config import CleanSettings
        from newsfuse.errors import ItemError
        from newsfuse.models import RawDocument, Rejection, content_id
        from newsfuse.stages.clean.article import clean_document
        from newsfuse.stages.ingest import files

    settings = CleanSettings(min_article_chars=1)

    def clean(media_type: str, data: bytes) -> None:
        raw = RawDocument(content_id(media_type, data), "fuzz", media_type, data)
        with contextlib.suppress(ItemError):  # a rejection is the expected answer
            clean_document(raw, settings)

    def one_input(data: bytes) -> None:
        if target == "html":
            clean("text/html", data)
        elif target == "text":
            clean("text/plain", data)
        else:
            record = files._jsonl_record("fuzz.jsonl:1", data)
            if not isinstance(record, Rejection):
                with contextlib.suppress(ItemError):
                    clean_document(record, settings)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


def _seeds(target: str, folder: Path) -> None:
    """The example's files as the starting corpus (JSONL: each text as a record)."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(EXAMPLE.iterdir()):
        data = path.read_bytes()
        if (target, path.suffix) in (("html", ".html"), ("text", ".txt")):
            (folder / path.name).write_bytes(data)
        elif target == "jsonl":
            line = json.dumps({"text": data.decode("utf-8"), "title": path.stem})
            (folder / (path.stem + ".jsonl")).write_text(line, encoding="utf-8")


def run_target(target: str, seconds: int, work: Path) -> dict[str, object]:
    """One child fuzzing ``target``; its executions, coverage, time and crashes."""
    corpus = work / f"corpus-{target}"
    _seeds(target, corpus)
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        target,
        f"-max_total_time={seconds}",
        "-rss_limit_mb=4096",
        "-timeout=30",
        f"-artifact_prefix={work}/{target}-",
        str(corpus),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=work, check=False)
    log = done.stderr
    runs = re.findall(r"Done (\d+) runs in (\d+) second", log)
    coverage = re.findall(r"cov: (\d+)", log)
    crashes = sorted(str(p.name) for p in work.glob(f"{target}-*"))
    problem = ""
    if done.returncode != 0 and not crashes:
        problem = log.strip().splitlines()[-1] if log.strip() else f"exit {done.returncode}"
    traceback = re.findall(r"=== Uncaught Python exception: ===\n(.*?)\n", log)
    return {
        "target": target,
        "runs": int(runs[-1][0]) if runs else 0,
        "seconds": int(runs[-1][1]) if runs else seconds,
        "coverage": int(coverage[-1]) if coverage else 0,
        "crashes": crashes,
        "exception": traceback[0] if traceback else "",
        "problem": problem,
    }


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        target = sys.argv.pop(2)
        sys.argv.pop(1)
        fuzz_one(target)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--targets", default=",".join(TARGETS))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsfuse-fuzz-") as folder:
        for target in args.targets.split(","):
            row = run_target(target, args.seconds, Path(folder))
            print(row, file=sys.stderr, flush=True)
            rows.append(row)
    lines = [
        "# Fuzzing",
        "",
        f"`python benchmarks/fuzz.py --seconds {args.seconds}` (atheris, coverage-guided, one child "
        "process per target, seeded with the bundled example; a rejection is the expected answer, "
        "any other exception a crash):",
        "",
        "| Target | Executions | Seconds | Coverage (edges) | Crashes |",
        "|---|---:|---:|---:|---|",
    ]
    for row in rows:
        crashes = row["crashes"]
        shown = (
            f"{len(crashes)}: {row['exception']}"  # type: ignore[arg-type]
            if crashes
            else (row["problem"] or "0")
        )
        lines.append(
            f"| {row['target']} | {row['runs']:,} | {row['seconds']} | {row['coverage']:,} | {shown} |"
        )
    lines += ["", "Crashes found by earlier runs, fixed, each with a regression test:", ""]
    lines += [f"- {fixed}" for fixed in FIXED]
    text = "\n".join(lines) + "\n"
    RESULT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
