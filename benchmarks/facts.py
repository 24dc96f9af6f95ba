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
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from newsfuse.config import load_settings
from newsfuse.errors import MissingExtraError
from newsfuse.models import Article
from newsfuse.pipeline import prepare_articles
from newsfuse.stages.align.embeddings import SentenceEncoder, model_path
from newsfuse.stages.align.facts import align_facts
from newsfuse.stages.align.pairs import MIN_SUPPORT, StatementMatcher
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.extract.canonical import canonicalise
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
    threshold: float
    min_support: float
    average_linkage: bool
    embeddings: bool = False


def configs() -> list[Config]:
    """The default and the settings before it, one change at a time."""
    default = load_settings().align.threshold
    return [
        Config("before: threshold 0.2, no support gate, single linkage", 0.2, 0.0, False),
        Config("threshold 0.2 + support gate", 0.2, MIN_SUPPORT, False),
        Config("threshold 0.2 + support gate + average linkage", 0.2, MIN_SUPPORT, True),
        Config(
            f"default: threshold {default} + support gate + average linkage",
            default,
            MIN_SUPPORT,
            True,
        ),
        Config(f"threshold {default}, no support gate, average linkage", default, 0.0, True),
        Config(
            "default + MiniLM features (`align.embeddings = true`, the embeddings extra)",
            default,
            MIN_SUPPORT,
            True,
            embeddings=True,
        ),
    ]


def claim_key(file: str, text: str) -> tuple[str, str]:
    return file, hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def load_story(folder: Path) -> list[Article]:
    """The story's annotated articles, as the pipeline prepares them."""
    settings = load_settings()
    raws = [r for r in read_sources([str(folder)], settings.ingest) if not hasattr(r, "stage")]
    articles = prepare_articles(raws, settings, reject=lambda rejection: None)
    return list(canonicalise(list(articles))[1])


def evaluate(
    articles: Sequence[Article], labels: Sequence[dict[str, object]], config: Config
) -> tuple[int, int, int, int, int]:
    """(true positives, false positives, false negatives, unmatched labels, multi-source facts)."""
    encoder = SentenceEncoder() if config.embeddings else None
    scorer = StatementMatcher(encoder, threshold=config.threshold, min_support=config.min_support)
    facts, members = align_facts(
        articles, scorer, SourceIndex(articles), average_linkage=config.average_linkage
    )
    fact_of: dict[tuple[str, str], str] = {}
    for fact_id, refs in members.items():
        for ref in refs:
            fact_of[claim_key(Path(ref.article.origin).name, ref.claim.text)] = fact_id
    known = {claim_key(Path(a.origin).name, c.text) for a in articles for c in a.claims}
    tp = fp = fn = unmatched = 0
    for label in labels:
        a = (str(label["a_file"]), str(label["a_claim"]))
        b = (str(label["b_file"]), str(label["b_claim"]))
        if a not in known or b not in known:
            unmatched += 1
            continue
        together = a in fact_of and fact_of[a] == fact_of.get(b)
        same = bool(label["same"])
        tp += together and same
        fp += together and not same
        fn += same and not together
    multi = sum(1 for f in facts if f.independent_sources >= 2)
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
    for config in configs():
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
