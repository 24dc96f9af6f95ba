"""Which cue candidates the context cue decision gets wrong, on the validation half of PolNeAR dev.

The cue decision (:mod:`newsfuse.stages.extract.cue_decision`) re-decides every lexicon token; this
script lists, for the validation half of dev only (:func:`attribution.dev_halves`; the held-out
half is never opened here), how its verdicts and the linear tagger's compare with the gold cues, by
kind of candidate: lemma, part of speech, dependency, and whether the sentence holds a quotation.
A candidate counts as a gold cue when its characters overlap a gold cue span.  It also counts the
gold cues no candidate can reach (no lexicon token inside them, or every one under the trees'
floor): those bound what any decision over the candidates can recall.

    python benchmarks/cue_decision_errors.py [--show N]
"""

from __future__ import annotations

import argparse
import bisect
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import DEFAULT_BENCH_DIR, Attr, dev_halves, load_split, parse
from newsfuse.stages.extract import attribution_model
from newsfuse.stages.extract.attribution_model import quoted_sentences, sentences_of
from newsfuse.stages.extract.cue_decision import candidate_features, load_decision
from newsfuse.stages.extract.quotes import find_quote_marks, quoted_characters


@dataclass(frozen=True, slots=True)
class Verdict:
    """One candidate of the validation half: what it is, what each decision said, the gold."""

    lemma: str
    pos: str
    dep: str
    quoted_sentence: bool
    context: str
    gold: int | None  # the gold cue (numbered over the whole half) it overlaps, if any
    tagger: bool
    trees: bool
    log_odds: float


def _gold_cues(gold: Sequence[Attr]) -> list[tuple[int, int]]:
    return sorted({fragment for a in gold if a.cue is not None for fragment in a.cue})


def _hits(start: int, end: int, cues: Sequence[tuple[int, int]]) -> list[int]:
    return [n for n, (s, e) in enumerate(cues) if s < end and start < e]


def verdicts(
    loaded: Sequence[tuple[str, str, list[Attr]]],
) -> tuple[list[Verdict], Counter[str]]:
    """Every candidate's verdicts, and the count of gold cues by how far a decision can reach."""
    model = attribution_model.load_model()
    decision = load_decision()
    parsed = parse([text for _, text, _ in loaded])
    found: list[Verdict] = []
    reach: Counter[str] = Counter()
    numbered = 0
    for (_, _, gold), pairs in zip(loaded, parsed, strict=True):
        cues = _gold_cues(gold)
        numbered += len(cues)
        base = numbered - len(cues)
        touched: dict[int, str] = {}  # gold cue -> best reach: "candidate" over "under floor"
        for offset, doc in pairs:
            paragraph = doc.text
            inside = quoted_characters(paragraph, find_quote_marks(paragraph))
            sentences = sentences_of(doc)
            quoted = quoted_sentences(sentences, inside)
            firsts = [s[2] for s in sentences]
            tokens = [t for t in doc if model.is_candidate(t)]
            index = [max(bisect.bisect_right(firsts, t.i) - 1, 0) for t in tokens]
            scores = [
                model.cue_score(t, inside, quoted[i]) for t, i in zip(tokens, index, strict=True)
            ]
            worth = [n for n, s in enumerate(scores) if s >= decision.floor]
            rows = candidate_features(
                doc,
                [tokens[n] for n in worth],
                [scores[n] for n in worth],
                [index[n] for n in worth],
                sentences,
                inside,
                decision.priors,
                model.lexicon,
            )
            odds = dict(zip(worth, decision.log_odds(rows).tolist(), strict=True))
            for n, token in enumerate(tokens):
                start = offset + token.idx
                hit = _hits(start, start + len(token.text), cues)
                for h in hit:
                    kind = "candidate" if n in odds else "under floor"
                    if touched.get(h) != "candidate":
                        touched[h] = kind
                if n not in odds:
                    continue
                first_char = sentences[index[n]][0]
                context = paragraph[max(first_char, token.idx - 60) : token.idx + 60]
                found.append(
                    Verdict(
                        token.lemma_.lower(),
                        token.pos_,
                        token.dep_,
                        quoted[index[n]],
                        context.replace("\n", " "),
                        base + hit[0] if hit else None,
                        scores[n] >= model.cue_threshold,
                        odds[n] >= decision.cut and scores[n] >= decision.floor,
                        odds[n],
                    )
                )
        for h in range(len(cues)):
            reach[touched.get(h, "no lexicon token")] += 1
    return found, reach


def errors(rows: Sequence[Verdict], decider: str) -> tuple[list[Verdict], list[Verdict]]:
    """The false cues of ``decider`` (taken candidates on no gold cue) and its missed gold cues
    (cues none of whose candidates it took), each missed cue stood for by its candidate the trees
    score highest (its likely head), so that both deciders' misses are grouped alike."""
    false = [r for r in rows if getattr(r, decider) and r.gold is None]
    by_cue: dict[int, list[Verdict]] = {}
    for row in rows:
        if row.gold is not None:
            by_cue.setdefault(row.gold, []).append(row)
    missed = [
        max(members, key=lambda m: m.log_odds)
        for members in by_cue.values()
        if not any(getattr(m, decider) for m in members)
    ]
    return false, missed


def _table(title: str, key: str, rows: Sequence[Verdict], top: int) -> list[str]:
    """Errors of both decisions grouped by ``key``, most errors of the trees first."""
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        tally = counts.setdefault(str(getattr(row, key)), Counter())
        tally["candidates"] += 1
    for decider in ("trees", "tagger"):
        false, missed = errors(rows, decider)
        for kind, members in (("false", false), ("missed", missed)):
            for row in members:
                counts[str(getattr(row, key))][f"{decider} {kind}"] += 1
    order = sorted(counts, key=lambda g: (-counts[g]["trees false"] - counts[g]["trees missed"], g))
    out = [
        f"By {title} (the {top} with most errors of the trees):",
        "",
        f"| {title} | candidates | trees false | trees missed | tagger false | tagger missed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for group in order[:top]:
        c = counts[group]
        out.append(
            f"| {group} | {c['candidates']} | {c['trees false']} | {c['trees missed']} "
            f"| {c['tagger false']} | {c['tagger missed']} |"
        )
    return [*out, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--show", type=int, default=8, help="examples of each error kind")
    args = parser.parse_args()
    loaded = load_split(args.bench_dir / "dev", None)
    validation, _ = dev_halves([name for name, _, _ in loaded])
    loaded = [item for item in loaded if item[0] in validation]
    rows, reach = verdicts(loaded)
    total = sum(reach.values())
    lines = [
        f"Validation half of PolNeAR dev: {len(loaded)} texts, {total} gold cue spans; "
        + ", ".join(f"{kind}: {n}" for kind, n in sorted(reach.items()))
        + ".",
        "",
    ]
    reachable = len({r.gold for r in rows if r.gold is not None})
    for decider in ("tagger", "trees"):
        false, missed = errors(rows, decider)
        taken = sum(1 for r in rows if getattr(r, decider))
        lines.append(
            f"- {decider}: takes {taken} candidates, {len(false)} on no gold cue; misses "
            f"{len(missed)} of the {reachable} gold cues a candidate above the floor reaches"
        )
    lines.append("")
    lines += _table("lemma", "lemma", rows, 20)
    lines += _table("part of speech", "pos", rows, 8)
    lines += _table("dependency", "dep", rows, 12)
    lines += _table("sentence with a quotation", "quoted_sentence", rows, 2)
    false, missed = errors(rows, "trees")
    for kind, chosen in (
        ("false cues of the trees", sorted(false, key=lambda r: -r.log_odds)),
        (
            "missed cues of the trees (nearest the cut first)",
            sorted(missed, key=lambda r: -r.log_odds),
        ),
    ):
        lines.append(
            f"Most confident {kind}:" if "false" in kind else f"{kind[0].upper()}{kind[1:]}:"
        )
        lines += [
            f"- {r.log_odds:+.2f} {r.lemma}/{r.pos}/{r.dep}: …{r.context}…"
            for r in chosen[: args.show]
        ]
        lines.append("")
    sys.stdout.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
