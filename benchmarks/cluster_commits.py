"""Story tracking streamed in commits, as a store ingests it: stored stories checked for a split
with their earlier articles, against the check of stories born within one commit only.

Why (issue 14, "one is two"): ``benchmarks/clustering.py`` feeds each set as one commit, so every
story is born in the commit that checks it.  A store commits every few thousand articles and a
feed every few minutes, so a story usually spans commits; before, such a story was never checked
again (its earlier articles' features were gone), and a join or a merge that put two events
together stayed.  Now a story is checked when it has grown by a quarter since its last check
(``split_growth``), its earlier articles read back (``StoryTracker.consolidate(fetch)``; a store
reads them from its articles, here they come from memory).

Each set is fed to the default tracker (``ClusterSettings()``) in ``--seeds`` shuffled orders (the
orders of ``clustering.py``), consolidated after every K articles and at the end, for K in
``--commits``, both ways, and as separate ingests track such commits: each commit's articles put
in the canonical order first (``cluster.canonical_order``: by time, then id), so only which commit
an article arrives in depends on the arrival order; the one-commit run and two TF-IDF baselines
(a single pass, which streams, and average-linkage agglomerative, which sees the whole set) beside
them, their thresholds chosen on the two validation sets (best mean F1, as ``clustering.py``
chooses).  Sets as in ``clustering.py``: ECB+ validation (``ecb.CHOOSE_TOPICS``) and test (the
val topics), the roundups ``val`` halves.  Nothing here is chosen on a test set: the growth factor
(1.5) and the split threshold are the shipped ones.

``--growth 1,1.25,1.5,2`` runs the choice of ``cluster.split_growth`` instead (how much a story
must have grown since its last check to be checked again), on the validation sets only, at each
``--commits`` size, and writes ``results/cluster_commits_growth.md``.

    python benchmarks/cluster_commits.py [--seeds 3] [--commits 25,100] [--growth LIST]
                                         [--out FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from clustering import (
    AGGLOMERATIVE_THRESHOLDS,
    SINGLE_PASS_THRESHOLDS,
    Pool,
    Run,
    _cell,
    _gold,
    _shuffled,
    agglomerative,
    bcubed,
    choose,
    ecb_pool,
    roundups_halves,
    single_pass,
)
from ecb import CHOOSE_TOPICS, split_topics
from newsfuse.models import Article
from newsfuse.stages.cluster import (
    ArticleFeatures,
    ClusterSettings,
    FetchArticles,
    StoryTracker,
    article_features,
    canonical_order,
)

RESULTS = Path(__file__).resolve().parent / "results" / "cluster_commits.md"
GROWTH_RESULTS = Path(__file__).resolve().parent / "results" / "cluster_commits_growth.md"
ECB_VAL, ROUNDUPS_VAL = "ECB+ validation", "roundups validation"
ECB_TEST, ROUNDUPS_TEST = "ECB+ test", "roundups test"


def _fetcher(articles: Sequence[Article], settings: ClusterSettings) -> FetchArticles:
    """Hand back earlier articles' features from memory, as a store reads them back."""
    by_id = {a.id: a for a in articles}

    def fetch(ids: Sequence[str]) -> list[tuple[ArticleFeatures, None]]:
        return [(article_features(by_id[i], settings), None) for i in ids]

    return fetch


def streamed(
    pool: Pool,
    commit: int,
    fetching: bool,
    orders: int,
    settings: ClusterSettings | None = None,
    as_ingest: bool = False,
) -> Run:
    """The tracker (default settings unless given) fed ``pool`` in ``orders`` shuffled orders,
    consolidated every ``commit`` articles (0: once, at the end), earlier articles handed back
    when ``fetching``; ``as_ingest``: each commit's articles put in the canonical order first, as
    an ingest tracks them (so only which commit an article arrives in depends on the order)."""
    settings = settings or ClusterSettings()
    scores = []
    for seed in range(orders):
        articles = _shuffled(pool, seed)
        if as_ingest:
            size = commit or len(articles)
            articles = [
                article
                for start in range(0, len(articles), size)
                for article in canonical_order(articles[start : start + size])
            ]
        handed = _fetcher(articles, settings) if fetching else None
        tracker = StoryTracker(settings)
        for n, article in enumerate(articles, 1):
            tracker.add(article)
            if commit and n % commit == 0:
                tracker.consolidate(handed)
        tracker.consolidate(handed)
        predicted = {a: story for story, ids in tracker.stories().items() for a in ids}
        scores.append(bcubed(predicted, _gold(pool)))
    return Run(scores, [0.0] * orders)


def growth_grid(growths: Sequence[float], commits: Sequence[int], orders: int) -> str:
    """Pooled validation F1 (the mean of the two sets' mean F1) of each growth factor at each
    commit size, as a Markdown table; nothing on the test sets is read."""
    sets = {ECB_VAL: ecb_pool(CHOOSE_TOPICS), ROUNDUPS_VAL: roundups_halves()[0]}
    lines = [
        f"Command: `python benchmarks/cluster_commits.py --seeds {orders} --commits "
        f"{','.join(map(str, commits))} --growth {','.join(map(str, growths))}` — validation "
        f"sets only, {orders} shuffled orders; BCubed F1 mean (spread) per set, pooled = the mean "
        "of the two; CPU s: the tracking of both sets in every order (`time.process_time`, one "
        "process on a shared machine: compare within a commit size).",
        "",
        "| split_growth | commit | " + " | ".join(sets) + " | pooled | CPU s |",
        "|---:|---:|" + "---:|" * (len(sets) + 2),
    ]
    for growth in growths:
        settings = replace(ClusterSettings(), split_growth=growth)
        for commit in commits:
            start = time.process_time()
            runs = {n: streamed(p, commit, True, orders, settings) for n, p in sets.items()}
            seconds = time.process_time() - start
            cells = [f"{run.f1:.4f} ({run.spread:.3f})" for run in runs.values()]
            pooled = statistics.mean(run.f1 for run in runs.values())
            row = " | ".join([str(growth), str(commit), *cells, f"{pooled:.4f}", f"{seconds:.1f}"])
            lines.append(f"| {row} |")
            print(lines[-1], flush=True)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="arrival orders per set")
    parser.add_argument("--commits", default="25,100", help="articles per commit")
    parser.add_argument("--growth", default="", help="split_growth values to compare instead")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    orders = args.seeds
    commits = [int(k) for k in args.commits.split(",")]
    if args.growth:
        grid = growth_grid([float(g) for g in args.growth.split(",")], commits, orders)
        out = args.out or GROWTH_RESULTS
        out.write_text("# Story tracking streamed in commits: split_growth\n\n" + grid)
        print(grid)
        return 0
    roundups_val, roundups_test = roundups_halves()
    sets = {
        ECB_VAL: ecb_pool(CHOOSE_TOPICS),
        ROUNDUPS_VAL: roundups_val,
        ECB_TEST: ecb_pool(split_topics()["val"]),
        ROUNDUPS_TEST: roundups_test,
    }
    choice = [sets[ECB_VAL], sets[ROUNDUPS_VAL]]
    rows: list[tuple[str, Callable[[Pool], Run]]] = [
        (
            "default tracker, the whole set one commit, one article at a time as shuffled",
            partial(streamed, commit=0, fetching=True, orders=orders),
        ),
        (
            "default tracker, the whole set one commit in the canonical order (as an ingest "
            "tracks it)",
            partial(streamed, commit=0, fetching=True, orders=orders, as_ingest=True),
        ),
    ]
    for k in commits:
        rows += [
            (
                f"commits of {k}, each in the canonical order, as separate ingests track them "
                "(as shipped)",
                partial(streamed, commit=k, fetching=True, orders=orders, as_ingest=True),
            ),
            (
                f"commits of {k}: stored stories checked again (one article at a time as shuffled)",
                partial(streamed, commit=k, fetching=True, orders=orders),
            ),
            (
                f"commits of {k}: only stories born in the commit checked (before)",
                partial(streamed, commit=k, fetching=False, orders=orders),
            ),
        ]
    single = float(str(choose(single_pass, SINGLE_PASS_THRESHOLDS, choice, orders)[0]))
    batch = float(str(choose(agglomerative, AGGLOMERATIVE_THRESHOLDS, choice, 1)[0]))
    rows += [
        (
            f"TF-IDF single pass (threshold {single}, chosen on validation)",
            partial(single_pass, threshold=single, orders=orders),
        ),
        (
            f"TF-IDF + agglomerative, batch (threshold {batch}, chosen on validation)",
            partial(agglomerative, threshold=batch, orders=1),
        ),
    ]
    lines = [
        f"Command: `python benchmarks/cluster_commits.py --seeds {orders} --commits "
        f"{args.commits}` — BCubed F1, mean ± standard deviation over {orders} shuffled arrival "
        "orders (seeds 0..), and the spread (max − min); "
        + ", ".join(f"{name} {len(pool)} articles" for name, pool in sets.items())
        + ".  Gap: the mean of the two validation F1 minus the mean of the two test F1.",
        "",
        "| system | " + " | ".join(f"{name} F1 | spread" for name in sets) + " | val − test |",
        "|---|" + "---:|---:|" * len(sets) + "---:|",
    ]
    for label, system in rows:
        runs = {name: system(pool) for name, pool in sets.items()}
        cells = []
        for run in runs.values():
            cells += [_cell([s[2] for s in run.scores]), f"{run.spread:.3f}"]
        gap = statistics.mean([runs[ECB_VAL].f1, runs[ROUNDUPS_VAL].f1]) - statistics.mean(
            [runs[ECB_TEST].f1, runs[ROUNDUPS_TEST].f1]
        )
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {gap:+.3f} |")
        print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    (args.out or RESULTS).write_text("# Story tracking streamed in commits\n\n" + text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
