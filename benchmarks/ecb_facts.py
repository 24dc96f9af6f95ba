"""Whole-article stories from ECB+ with every cross-outlet same-fact sentence pair marked by hand.

Why: the labelled roundups (``benchmarks/data/roundup_fact_pairs.jsonl``) are AllSides leads, two
or three sentences an outlet, and every choice of the fact grouping was made on them; the stories
newsfuse reports, and the stories it is judged on, are whole articles, where each sentence has tens
of sentences of the same story to be confused with.  ECB+ (``../shared/bench/events-dev/ecbplus``)
holds whole articles of many outlets on one happening, so three of them make a whole-article
story.  Its own annotation marks event mentions, not facts, so the facts are marked here by hand.

Stories: one ECB+ subtopic (one event) is one story; three of its documents of at most
:data:`MAX_SENTENCES` sentences, drawn with ``random.Random(SEED)``.  Parts: ``validation`` = the
subtopics of :data:`ecb.CHOOSE_TOPICS` (settings are chosen on them); ``fit`` = those of
:data:`ecb.FIT_TOPICS` (models may be fitted on them), in the seeded order, the first
:data:`FIT_STORIES`; ``test`` = those of the val topics of ``train_val_test_split.json`` (the
held-out split of ``benchmarks/clustering.py`` too), labelled after every setting was chosen and
reported once.  Topics 36–45 are never read.

Articles as the pipeline reads them: the document's title line (a document with a web address opens
with its title) and a date line under it are the title and left out of the body; the outlet is the
web address's domain, or the document's name when it has none.  Sentences are the extract stage's.

Labels (``benchmarks/data/ecb_fact_pairs.jsonl``): every pair of sentences of different articles of a
story, each of at least :data:`MIN_WORDS` words, named by document, character span and the SHA-1 of
its text (no text is copied); ``same`` as in ``roundup_fact_pairs.jsonl`` (the guide in
``benchmarks/data/README.md``).  A reader lists the pairs that are the same from a sheet of the three
articles' numbered sentences (``--sheets DIR``); every pair not listed is labelled different.

    python benchmarks/ecb_facts.py --sheets /tmp/sheets          # write the labelling sheets
    python benchmarks/ecb_facts.py --answers /tmp/answers        # answers → the labels file
    python benchmarks/ecb_facts.py --answers /tmp/second --out benchmarks/data/ecb_fact_pairs_reader2.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from hashlib import sha1
from pathlib import Path

import ecb
from newsfuse.domains import registrable_domain
from newsfuse.models import Article, Span
from newsfuse.stages.extract.canonical import canonicalise
from roundups import bench_article

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "data" / "ecb_fact_pairs.jsonl"
SEED = 2027
MAX_SENTENCES = 30
MIN_WORDS = 5
FIT_STORIES = 24
_DATE_LINE = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class EcbStory:
    """One subtopic's three documents, annotated, and each one's sentences to label."""

    part: str
    name: str
    docs: tuple[str, ...]
    articles: tuple[Article, ...]

    def sentences(self, index: int) -> list[Span]:
        """The sentences of the ``index``-th article that are labelled (at least MIN_WORDS)."""
        article = self.articles[index]
        return [
            s for s in article.sentences if len(article.text[s.start : s.end].split()) >= MIN_WORDS
        ]


def _article(doc: ecb.EcbDocument) -> Article:
    lines = [line for line in doc.text.split("\n") if line.strip()]
    title = None
    if doc.url is not None and lines:
        title = lines.pop(0)
        if lines and len(lines[0].split()) <= 8 and _DATE_LINE.search(lines[0]):
            lines.pop(0)
    origin = f"ecbplus/{doc.topic}/{doc.doc}.xml"
    outlet = registrable_domain(doc.url) or f"outlet {doc.doc}"
    return bench_article(origin, "\n".join(lines), outlet=outlet, title=title, url=doc.url)


def _annotated(articles: Sequence[Article]) -> list[Article]:
    from facts import prepare_annotated  # the pipeline's extract stage, default settings

    return list(canonicalise(prepare_annotated(list(articles)))[1])


@cache
def load_stories(part: str) -> tuple[EcbStory, ...]:
    """The part's stories (``validation``, ``fit`` or ``test``), in their seeded order; annotated
    once per process (the facts benchmark and the reader agreement read a part more than once)."""
    topics = {
        "validation": ecb.CHOOSE_TOPICS,
        "fit": ecb.FIT_TOPICS,
        "test": ecb.split_topics()["val"],
    }[part]
    documents = ecb.load_documents(topics)
    by_story: dict[str, list[ecb.EcbDocument]] = {}
    for doc in documents:
        by_story.setdefault(doc.story, []).append(doc)
    rng = random.Random(SEED)
    names = sorted(by_story)
    rng.shuffle(names)
    stories = []
    for name in names:
        prepared = _annotated([_article(d) for d in by_story[name]])
        short = [
            (doc, article)
            for doc, article in zip(by_story[name], prepared, strict=True)
            if 3 <= len(article.sentences) <= MAX_SENTENCES
        ]
        if len(short) < 3:
            continue
        chosen = sorted(rng.sample(range(len(short)), 3))
        stories.append(
            EcbStory(
                part,
                name,
                tuple(short[i][0].doc for i in chosen),
                tuple(short[i][1] for i in chosen),
            )
        )
        if part == "fit" and len(stories) >= FIT_STORIES:
            break
    return tuple(stories)


def _sha(text: str) -> str:
    return sha1(text.encode()).hexdigest()[:16]


def write_sheets(stories: Sequence[EcbStory], folder: Path) -> None:
    """One Markdown sheet per story: the three articles' numbered sentences (A1, B1, C1 …)."""
    folder.mkdir(parents=True, exist_ok=True)
    for story in stories:
        lines = [f"# Story {story.name} ({story.part})", ""]
        for index, article in enumerate(story.articles):
            letter = "ABC"[index]
            lines += [f"## Article {letter} ({article.outlet}): {article.title or ''}", ""]
            for number, span in enumerate(story.sentences(index), start=1):
                lines.append(f"{letter}{number}. {article.text[span.start : span.end]}")
            lines.append("")
        (folder / f"{story.name}.md").write_text("\n".join(lines), encoding="utf-8")


def label_rows(story: EcbStory, same: set[frozenset[str]]) -> list[dict[str, object]]:
    """Every cross-article pair of the story's labelled sentences, ``same`` when listed."""
    units = [
        (f"{'ABC'[i]}{n}", i, span)
        for i in range(3)
        for n, span in enumerate(story.sentences(i), start=1)
    ]
    rows: list[dict[str, object]] = []
    for x, (a_id, a_index, a_span) in enumerate(units):
        for b_id, b_index, b_span in units[x + 1 :]:
            if a_index == b_index:
                continue
            a_text = story.articles[a_index].slice(a_span)
            b_text = story.articles[b_index].slice(b_span)
            rows.append(
                {
                    "part": story.part,
                    "story": story.name,
                    "a_doc": story.docs[a_index],
                    "a_start": a_span.start,
                    "a_end": a_span.end,
                    "a_sha1": _sha(a_text),
                    "b_doc": story.docs[b_index],
                    "b_start": b_span.start,
                    "b_end": b_span.end,
                    "b_sha1": _sha(b_text),
                    "same": int(frozenset((a_id, b_id)) in same),
                }
            )
    return rows


def read_answers(stories: Sequence[EcbStory], folder: Path) -> list[dict[str, object]]:
    """The labels of every story with an answer file (``<story>.json``: {"same": [["A1", "B2"],
    …]}); a pair naming a sentence the sheet does not have fails loudly."""
    rows: list[dict[str, object]] = []
    for story in stories:
        path = folder / f"{story.name}.json"
        if not path.is_file():
            continue
        known = {f"{'ABC'[i]}{n}" for i in range(3) for n in range(1, len(story.sentences(i)) + 1)}
        listed = json.loads(path.read_text(encoding="utf-8"))["same"]
        same = set()
        for pair in listed:
            a, b = (str(x).strip().upper() for x in pair)
            if a not in known or b not in known or a[0] == b[0]:
                raise ValueError(f"{path}: {pair} is not a pair of sentences of two articles")
            same.add(frozenset((a, b)))
        rows += label_rows(story, same)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sheets", type=Path, help="write the labelling sheets here")
    parser.add_argument("--answers", type=Path, help="read answers here into the labels file")
    parser.add_argument("--out", type=Path, default=LABELS, help="the labels file to write")
    args = parser.parse_args(argv)
    stories = load_stories("validation") + load_stories("fit") + load_stories("test")
    if args.sheets:
        write_sheets(stories, args.sheets)
        print(f"{len(stories)} sheets in {args.sheets}")
    if args.answers:
        rows = read_answers(stories, args.answers)
        args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"{len(rows)} pairs ({sum(int(str(r['same'])) for r in rows)} same) in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
