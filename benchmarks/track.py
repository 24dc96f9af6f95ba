"""The track phase of ``newsfuse ingest`` alone, at several corpus sizes, from a prepared store.

Why a benchmark of its own: end to end, the prepare phase (spaCy) takes ~90% of an ingest, so the
track phase's growth hides in the totals, and measuring it at 100k end to end takes hours.  Here
each size runs in a fresh process that

1. generates the synthetic corpus of ``benchmarks/corpus.py`` (seed ``--seed``, name pools as in
   ``benchmarks/scale.py``) and stores its raw documents and articles directly, untimed, as the
   prepare phase would have left them (without extracted mentions: the tracker then guesses entities
   from capitalised words, as for any article that skipped the extract stage);
2. runs ``ingest`` over an empty source, with one worker: read and prepare find nothing to do, so
   what is timed is the track phase — the tracker resumed from the store, fed every article in
   canonical order, committing every ``TRACK_BATCHES * batch_size`` articles.

Reported per size: wall and CPU seconds (``time.process_time``) of the track phase and per 1,000
articles, the bytes the process wrote (``write_bytes`` of ``/proc/self/io``: what reached the block
layer, WAL and checkpoints included) and per article, the store's size afterwards, the stories found,
and a digest of the stories (id → article ids) so two versions of the code can be checked to track
identically.  ``--profile N`` prints the N costliest functions (cProfile, cumulative) of the phase.

    python benchmarks/track.py [--sizes 5000,20000,40000] [--seed 7] [--profile 0]
                               [--set cluster.merge_linkage=graph_learned ...] [--out results.md]

(``--set`` changes the ingest's settings, e.g. to measure a non-default tracker; write such runs
to another ``--out`` so the README's figures stay those of the defaults.)
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from newsfuse.models import DeclaredMetadata, RawDocument

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate
from scale import names_for, to_article

RESULTS = Path(__file__).resolve().parent / "results" / "track.md"
_BATCH = 256


def written_bytes() -> int:
    """Bytes this process has caused to be written to storage so far (Linux; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def prepare_store(path: Path, size: int, seed: int) -> None:
    """Store the generated corpus's raw documents and articles, as a prepare phase would."""
    from newsfuse.store import Store

    articles = [to_article(a) for a in generate(size, seed, names=names_for(size))]
    with Store.open(path) as store:
        for start in range(0, len(articles), _BATCH):
            chunk = articles[start : start + _BATCH]
            raws = [
                RawDocument(
                    id=a.raw_id,
                    origin=f"generated:{a.id}",
                    media_type="text/plain",
                    content=a.text.encode("utf-8"),
                    declared=DeclaredMetadata(
                        url=a.url, title=a.title, outlet=a.outlet, published_at=a.published_at
                    ),
                )
                for a in chunk
            ]
            with store.batch():
                store.add_raws(raws)
                store.put_articles(chunk)


def stories_digest(path: Path) -> tuple[int, str]:
    """How many stories the store has, and a sha256 of every story's id and article ids in order."""
    from newsfuse.store import Store

    digest = hashlib.sha256()
    with Store.open(path) as store:
        stories = sorted(store.list_stories(), key=lambda s: s.id)
        for story in stories:
            digest.update(json.dumps([story.id, list(story.article_ids)]).encode())
    return len(stories), digest.hexdigest()[:16]


def worker(size: int, seed: int, profile: int, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """Prepare a store of ``size`` articles, then time tracking them; in this (fresh) process;
    ``overrides`` are ``--set`` settings (``cluster.merge_linkage=graph_learned``)."""
    from newsfuse.config import load_settings
    from newsfuse.corpus import ingest
    from newsfuse.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path, empty = Path(tmp) / "store.sqlite", Path(tmp) / "empty.jsonl"
        empty.write_text("", encoding="utf-8")
        prepare_store(path, size, seed)
        prepared_bytes = path.stat().st_size
        settings = load_settings(overrides=["run.workers=1", *overrides])
        profiler = cProfile.Profile() if profile else None
        with Store.open(path) as store:
            before_io, start, start_cpu = written_bytes(), time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            summary = ingest([str(empty)], store, settings)
            if profiler is not None:
                profiler.disable()
            seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
            wrote = written_bytes() - before_io
        stories, digest = stories_digest(path)
        result: dict[str, Any] = {
            "size": size,
            "tracked": summary.tracked,
            "seconds": seconds,
            "cpu_seconds": cpu,
            "written_bytes": wrote,
            "store_bytes_before": prepared_bytes,
            "store_bytes_after": path.stat().st_size,
            "stories": stories,
            "digest": digest,
        }
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        result["profile"] = out.getvalue()
    return result


def render(rows: Sequence[Mapping[str, Any]], command: str) -> str:
    """The results table and the growth of the per-article cost between the sizes."""
    lines = [
        f"Command: `{command}` — synthetic corpora from `benchmarks/corpus.py`, stored as prepared "
        "articles (no extracted mentions), then `ingest` over an empty source with one worker: "
        "only the track phase runs. Each size in a fresh process on a 2-core machine shared with "
        "other jobs (CPU seconds are the steadier measure). Bytes written: `write_bytes` of "
        "`/proc/self/io` during the phase (WAL and checkpoints included).",
        "",
        "| articles | stories | wall s | CPU s | CPU s / 1k articles | MB written | "
        "KB written / article | store MB before → after | stories digest |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['stories']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | "
            f"{1000 * r['cpu_seconds'] / r['size']:.2f} | {r['written_bytes'] / 1e6:,.0f} | "
            f"{r['written_bytes'] / 1e3 / r['size']:.1f} | {r['store_bytes_before'] / 1e6:,.0f} → "
            f"{r['store_bytes_after'] / 1e6:,.0f} | `{r['digest']}` |"
        )
    if len(rows) > 1:
        small, big = rows[0], rows[-1]
        grow = big["size"] / small["size"]
        lines += [
            "",
            f"- From {small['size']:,} to {big['size']:,} articles ({grow:.0f}x): CPU seconds "
            f"{big['cpu_seconds'] / small['cpu_seconds']:.2f}x, wall "
            f"{big['seconds'] / small['seconds']:.2f}x, bytes written "
            f"{big['written_bytes'] / max(1, small['written_bytes']):.2f}x (linear: {grow:.0f}x).",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5000,20000,40000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--set", action="append", default=[], help="a setting for the ingest, key=value"
    )
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.seed, args.profile, args.set)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        worker_args = [
            "--worker",
            str(size),
            "--seed",
            str(args.seed),
            "--profile",
            str(args.profile),
            *(f"--set={override}" for override in args.set),
        ]
        done = subprocess.run(
            [sys.executable, __file__, *worker_args],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        if "profile" in row:
            print(row.pop("profile"), file=sys.stderr)
        print(json.dumps(row), file=sys.stderr, flush=True)
        rows.append(row)
    command = f"python benchmarks/track.py --sizes {args.sizes} --seed {args.seed}" + "".join(
        f" --set {override}" for override in args.set
    )
    text = render(rows, command)
    print(text)
    if not args.profile:  # a profiled run is slower: its figures are not the results
        args.out.write_text("# Track phase\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
