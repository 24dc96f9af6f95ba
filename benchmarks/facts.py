"""Fact alignment on real stories: are the claims grouped into one fact really the same statement?

``benchmarks/alignment.py`` measures the same-statement decision on MSRP pairs; this measures what a
reader sees: which claims of different outlets the pipeline puts into one fact (and so counts as
corroborating each other).  Ground truth: ``benchmarks/data/fact_pairs.jsonl``, 1,194 cross-outlet
claim pairs of the five seed reports (../shared/seeds) and the bundled example
(examples/harbour-strike), each labelled 1 when the two claims state the same fact (a reader could
cite one as corroborating the other), else 0.  The pairs are every cross-outlet claim pair that
any of several loose signals called a candidate (P(same) ≥ 0.5 under the old scorer, or
rarity-weighted coverage ≥ 0.2, or TF-IDF cosine ≥ 0.15), so recall is measured against the
labelled candidates, not against every possible pair.  Labels were written by two of us (one
half each) from the sentences alone, before any setting was chosen; claims are keyed by file name
and the SHA-1 of their text, so no seed text is copied into the repository (a claim whose text
changes is reported as unmatched).

Reported per configuration: pair precision (of labelled pairs put into one fact, how many are
labelled the same), recall (of pairs labelled the same, how many share a fact), F1, and the number
of multi-source facts.  Note: two figures for one thing from two sources ("41 ships" / "38 ships")
are labelled different statements but are one fact on purpose (the pipeline shows it as
disputed), so they count against precision here.

    python benchmarks/facts.py
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsfuse.config import load_settings
from newsfuse.errors import MissingExtraError
from newsfuse.models import Article, Span
from newsfuse.pipeline import prepare_articles
from newsfuse.stages.align.embeddings import SentenceEncoder, model_path
from newsfuse.stages.align.facts import MIN_CLAIM_WORDS, align_facts
from newsfuse.stages.align.pairs import StatementMatcher
from newsfuse.stages.align.same_fact import FactMatcher
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.extract.canonical import canonicalise
from newsfuse.stages.grouping import UnionFind
from newsfuse.stages.ingest.sources import read_sources

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "data" / "fact_pairs.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "facts.md"
STORIES = {
    "seeds": ROOT.parent / "shared" / "seeds",
    "example": ROOT / "examples" / "harbour-strike",
}


@dataclass(frozen=True, slots=True)
class Config:
    name: str
    old: bool  # the sentence-pair matcher and mutual-best grouping that shipped before
    embeddings: bool = False


CONFIGS = (
    Config("before: MSRP-fitted StatementMatcher, mutual best + average linkage", old=True),
    Config("candidates + the same scorer on them + average linkage (default)", old=False),
    Config(
        "default + MiniLM features and neighbours (`align.embeddings = true`)",
        old=False,
        embeddings=True,
    ),
)


def load_story(folder: Path) -> list[Article]:
    """The story's annotated articles, as the pipeline prepares them."""
    settings = load_settings()
    raws = [r for r in read_sources([str(folder)], settings.ingest) if not hasattr(r, "stage")]
    articles = prepare_articles(raws, settings, reject=lambda rejection: None)
    return list(canonicalise(list(articles))[1])


def _old_groups(articles: Sequence[Article]) -> list[list[tuple[str, Span]]]:
    """The grouping that shipped before this benchmark's default: every claim against every claim
    with the MSRP-fitted matcher, mutual best pairs at 0.5, average linkage, one claim per article."""
    refs = [
        (article.id, claim)
        for article in sorted(articles, key=lambda a: (a.published_at or "9999", a.id))
        for claim in article.claims
        if len(claim.text.split()) >= MIN_CLAIM_WORDS
    ]
    scorer = StatementMatcher()
    scores = scorer.similarity_matrix([c.text for _, c in refs])
    by_article: dict[str, list[int]] = defaultdict(list)
    for index, (article_id, _) in enumerate(refs):
        by_article[article_id].append(index)
    groups = [np.array(v) for _, v in sorted(by_article.items())]
    pairs: list[tuple[int, int]] = []
    for a, left in enumerate(groups):
        for right in groups[a + 1 :]:
            block = scores[np.ix_(left, right)]
            best_right, best_left = block.argmax(axis=1), block.argmax(axis=0)
            for row, column in enumerate(best_right):
                if best_left[column] == row and block[row, column] >= scorer.threshold:
                    pairs.append((int(left[row]), int(right[column])))
    linked = UnionFind[int](range(len(refs)))
    articles_of = {i: {refs[i][0]} for i in range(len(refs))}
    members_of = {i: [i] for i in range(len(refs))}
    for i, j in sorted(pairs, key=lambda p: (-scores[p[0], p[1]], p)):
        left_root, right_root = linked.find(i), linked.find(j)
        if left_root == right_root or articles_of[left_root] & articles_of[right_root]:
            continue
        if scores[np.ix_(members_of[left_root], members_of[right_root])].mean() < scorer.threshold:
            continue
        root = linked.union(left_root, right_root)
        articles_of[root] = articles_of.pop(left_root) | articles_of.pop(right_root)
        members_of[root] = members_of.pop(left_root) + members_of.pop(right_root)
    return [[(refs[i][0], refs[i][1].span) for i in members] for members in members_of.values()]


def _new_groups(articles: Sequence[Article], embeddings: bool) -> list[list[tuple[str, Span]]]:
    matcher = FactMatcher(SentenceEncoder() if embeddings else None)
    _, members, _ = align_facts(articles, matcher, SourceIndex(articles))
    return [[(r.article.id, r.claim.span) for r in refs] for refs in members.values()]


def evaluate(
    articles: Sequence[Article], labels: Sequence[dict[str, object]], config: Config
) -> tuple[int, int, int, int, int]:
    """(true positives, false positives, false negatives, unmatched labels, multi-source facts).

    A labelled passage is found by its character span; it belongs to every fact one of its claims
    (a claim overlapping the span by at least half of the claim) is in, so a sentence split into
    clauses is still compared as the sentence the label names."""
    groups = _old_groups(articles) if config.old else _new_groups(articles, config.embeddings)
    by_file = {Path(a.origin).name: a for a in articles}
    facts_of: dict[str, list[tuple[Span, int]]] = defaultdict(list)
    for number, group in enumerate(groups):
        for article_id, span in group:
            facts_of[article_id].append((span, number))

    def facts_at(file: str, start: int, end: int) -> set[int] | None:
        article = by_file.get(file)
        if article is None:
            return None
        found = set()
        for span, number in facts_of.get(article.id, []):
            overlap = min(span.end, end) - max(span.start, start)
            if overlap * 2 >= span.end - span.start:
                found.add(number)
        return found

    tp = fp = fn = unmatched = 0
    for label in labels:
        a = facts_at(str(label["a_file"]), int(label["a_start"]), int(label["a_end"]))  # type: ignore[call-overload]
        b = facts_at(str(label["b_file"]), int(label["b_start"]), int(label["b_end"]))  # type: ignore[call-overload]
        if a is None or b is None:
            unmatched += 1
            continue
        together = bool(a & b)
        same = bool(label["same"])
        tp += together and same
        fp += together and not same
        fn += same and not together
    multi = 0
    sources = SourceIndex(articles)
    for group in groups:
        multi += sources.count({article_id for article_id, _ in group}) >= 2
    return tp, fp, fn, unmatched, multi


def _embeddings_installed() -> bool:
    try:
        model_path()
    except MissingExtraError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    stories = {name: folder for name, folder in STORIES.items() if folder.is_dir()}
    missing = sorted(set(STORIES) - set(stories))
    articles = {name: load_story(folder) for name, folder in stories.items()}
    lines = [
        "Command: `python benchmarks/facts.py` — claim pairs of different outlets labelled same / "
        f"different (`benchmarks/data/fact_pairs.jsonl`: {len(labels)} pairs, "
        f"{sum(int(label['same']) for label in labels)} labelled same), stories: "
        + ", ".join(f"{name} ({len(articles[name])} articles)" for name in stories)
        + (f"; missing: {', '.join(missing)}" if missing else "")
        + ". Pair precision / recall: of the labelled pairs, those the pipeline puts into one "
        "fact. Lexical scorer (the default install).",
        "",
        "| configuration | precision | recall | F1 | multi-source facts | unmatched labels |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for config in CONFIGS:
        if config.embeddings and not _embeddings_installed():
            lines.append(f"| {config.name} | — | — | — | — | not installed |")
            continue
        tp = fp = fn = unmatched = multi = 0
        per_story = []
        for name, story in articles.items():
            subset = [label for label in labels if label["story"] == name]
            counts = evaluate(story, subset, config)
            tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
            unmatched, multi = unmatched + counts[3], multi + counts[4]
            per_story.append(f"{name} {counts[4]}")
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        lines.append(
            f"| {config.name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | "
            f"{multi} ({', '.join(per_story)}) | {unmatched} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write and not missing:
        RESULTS.write_text("# Fact alignment on real stories\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
