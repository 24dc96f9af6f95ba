"""A large store for the web benchmark, written in bulk through the store API.

``benchmarks/api.py`` needs a store of 10,000 articles.  Ingesting them (``newsfuse ingest``) spends
almost all its time annotating every article with spaCy (about 90 ms each here, so 15 CPU-minutes)
and tracking stories, none of which the measured reads depend on: the story list reads stories,
memberships and the articles' titles, outlets and families; a story's page and JSON are served from
the app's memory once reported.  So this builds the store as an ingest would leave it, cheaply:

1. the synthetic corpus (``benchmarks/corpus.py``) is read by the ingest's own reader and stored
   as raw documents (``add_raws``);
2. every document is cleaned by the pipeline's clean stage (fast: no model); exact duplicate texts
   are kept once, as the ingest does;
3. the articles of the ``annotate`` largest stories (those the benchmark reads) are annotated by the
   pipeline's extract stage, so their reports are real; the other articles keep their cleaned text
   without annotations (``--annotate all`` annotates every article);
4. near-duplicate families come from the store's own join (``newsfuse.corpus.families``), and the
   articles are written with ``put_articles``, a few hundred per transaction;
5. stories are the generator's truth labels (no story tracker run), named as the tracker names them
   (after their earliest article) and written with ``append_to_story``, each stamped with its
   latest article's publication time, so the list's order and date filters behave as in real use.

The store has no tracker state: a later ``newsfuse ingest`` into it would start its own stories.

    python benchmarks/bulk_store.py --articles 10000 --store big.db [--annotate 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import CorpusArticle, generate, write_jsonl  # noqa: E402  (a sibling script)
from newsfuse.config import Settings, load_settings  # noqa: E402
from newsfuse.corpus.families import join_families  # noqa: E402
from newsfuse.models import Article, RawDocument, Rejection, content_id  # noqa: E402
from newsfuse.pipeline import clean_articles, extract_articles  # noqa: E402
from newsfuse.stages.ingest.sources import read_sources  # noqa: E402
from newsfuse.store import Store  # noqa: E402

__all__ = ["BuiltStore", "build_store", "largest_stories"]

_BATCH = 500
_Item = TypeVar("_Item")


@dataclasses.dataclass(frozen=True, slots=True)
class BuiltStore:
    """What :func:`build_store` wrote and how long each step took."""

    articles: int
    stories: int
    annotated: int
    seconds: dict[str, float]

    def describe(self) -> str:
        steps = ", ".join(f"{name} {sec:.0f} s" for name, sec in self.seconds.items())
        return f"{self.annotated:,} articles annotated; {steps}"


def largest_stories(counts: dict[str, int], n: int) -> list[str]:
    """The ``n`` stories with the most articles (ties by id): what the benchmark reads."""
    return [s for s, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]]


def build_store(
    path: Path,
    n_articles: int,
    seed: int,
    *,
    annotate: int | None,
    settings: Settings | None = None,
    progress: Callable[[str], None] = print,
) -> BuiltStore:
    """Write a store of ``n_articles`` generated articles at ``path`` (which must not exist).

    ``annotate`` is how many of the largest stories get annotated articles (``None``: all).
    """
    if path.exists():
        raise FileExistsError(f"{path}: already exists")
    chosen_settings = settings or load_settings(None, [])
    seconds: dict[str, float] = {}
    started = time.monotonic()
    # Some generated re-runs are byte-identical (one article): generate a few more documents and
    # keep those up to the n-th distinct article.
    corpus = generate(n_articles + n_articles // 20 + 10, seed)
    read = _read(corpus)
    raws, cleaned, duplicates = _distinct(read, clean_articles(read, chosen_settings), n_articles)
    story_of_origin = {
        raw.origin: article.story for raw, article in zip(raws, corpus, strict=False)
    }
    seconds["generate, read and clean"] = time.monotonic() - started

    members: dict[str, list[Article]] = defaultdict(list)
    for article in cleaned:
        members[story_of_origin[article.origin]].append(article)
    for articles in members.values():
        articles.sort(key=lambda a: (a.published_at or "", a.id))
    story_ids = {
        truth: content_id(articles[0].id, prefix="story_") for truth, articles in members.items()
    }
    counts = {story_ids[truth]: len(articles) for truth, articles in members.items()}
    wanted = set(largest_stories(counts, annotate if annotate is not None else len(counts)))
    to_annotate = [a for t, arts in members.items() if story_ids[t] in wanted for a in arts]
    started = time.monotonic()
    progress(f"annotating the {len(to_annotate):,} articles of {len(wanted):,} stories ...")
    annotated = {a.id: a for a in extract_articles(to_annotate, chosen_settings)}
    seconds["annotate"] = time.monotonic() - started

    started = time.monotonic()
    final = [annotated.get(a.id, a) for a in cleaned]
    with Store.open(path) as store:
        for batch in _chunks(raws):
            with store.batch():
                store.add_raws(batch)
        with store.batch():
            for copy, first in duplicates:
                reason = f"same article text as {first.origin}; counted once"
                store.add_rejection(Rejection(copy.origin, "dedupe", reason), raw_id=copy.raw_id)
        for batch in _chunks(final):
            with store.batch():
                families = join_families(store, batch, chosen_settings.dedupe)
                store.put_articles(
                    [dataclasses.replace(a, dup_group=families.family_of[a.id]) for a in batch]
                )
                families.save_signatures(store)
        seconds["store articles"] = time.monotonic() - started
        started = time.monotonic()
        _write_stories(path, members, story_ids)
    seconds["store stories"] = time.monotonic() - started
    return BuiltStore(len(final), len(members), len(annotated), seconds)


def _read(corpus: list[CorpusArticle]) -> list[RawDocument]:
    """The corpus as raw documents, read by the ingest's JSONL reader (``path:line`` origins)."""
    settings = load_settings(None, [])
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "corpus.jsonl"
        write_jsonl(corpus, source)
        items = list(read_sources([str(source)], settings.ingest))
    raws = [item for item in items if isinstance(item, RawDocument)]
    if len(raws) != len(corpus):
        raise RuntimeError(f"the reader rejected {len(corpus) - len(raws)} generated documents")
    return raws


def _distinct(
    raws: list[RawDocument], cleaned: list[Article], n: int
) -> tuple[list[RawDocument], list[Article], list[tuple[Article, Article]]]:
    """The raw documents up to the ``n``-th distinct article, those articles, and (duplicate,
    article kept) for each later copy of a text, which the ingest would reject as a duplicate."""
    if len(cleaned) != len(raws):
        raise RuntimeError(
            f"the clean stage rejected {len(raws) - len(cleaned)} generated documents"
        )
    kept: dict[str, Article] = {}
    duplicates: list[tuple[Article, Article]] = []
    used = 0
    for article in cleaned:
        if len(kept) == n and article.id not in kept:
            break
        used += 1
        if article.id in kept:
            if article.raw_id != kept[article.id].raw_id:  # else the same raw document, stored once
                duplicates.append((article, kept[article.id]))
        else:
            kept[article.id] = article
    return raws[:used], list(kept.values()), duplicates


def _write_stories(
    path: Path, members: dict[str, list[Article]], story_ids: dict[str, str]
) -> None:
    """Each story in order of its latest article, stamped with that article's time."""
    latest: dict[str, datetime] = {}
    for truth, articles in members.items():
        stamp = max((a.published_at for a in articles if a.published_at), default=None)
        latest[truth] = datetime.fromisoformat(stamp) if stamp else datetime.now(UTC)
    now = [datetime.now(UTC)]
    with Store.open(path, clock=lambda: now[0]) as store, store.batch():
        for truth in sorted(members, key=lambda t: (latest[t], story_ids[t])):
            articles = members[truth]
            when = latest[truth]
            now[0] = when if when.tzinfo else when.replace(tzinfo=UTC)
            title = (articles[0].title or "").strip() or " ".join(articles[0].text.split()[:12])
            store.append_to_story(story_ids[truth], title, [a.id for a in articles])


def _chunks(items: Sequence[_Item]) -> list[Sequence[_Item]]:
    return [items[i : i + _BATCH] for i in range(0, len(items), _BATCH)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument(
        "--annotate",
        default="20",
        help="how many of the largest stories get annotated articles, or 'all'",
    )
    args = parser.parse_args()
    annotate = None if args.annotate == "all" else int(args.annotate)
    try:
        built = build_store(args.store, args.articles, args.seed, annotate=annotate)
    except FileExistsError as error:
        print(f"bulk_store: {error}", file=sys.stderr)
        return 2
    print(
        f"{args.store}: {built.articles:,} articles in {built.stories:,} stories, {built.describe()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
