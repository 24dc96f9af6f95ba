"""Train and score a contextual CUE tagger for PolNeAR attribution (issue 18): spaCy's ``ner``
with its own small CNN ``tok2vec`` (``benchmarks/cue_tagger.cfg``), trained by ``spacy train``.

The question it answers: does a contextual tagger find attribution cues better than the shipped
learned scorer over hand features (:mod:`newsfuse.stages.extract.attribution_model`)?  Most of the
source and content F1 lost on dev is lost to missed and false cues
(``benchmarks/attribution_errors.py``), so a tagger that wins on cues is the one worth wiring in.

Data: PolNeAR **train** (first annotator per text, as the benchmark reads it), split once the way
``benchmarks/train_attribution.py`` splits it: the texts in name order shuffled with
``random.Random(13)``, the first fifth held out for early stopping (spaCy's ``dev`` corpus), the
rest to fit.  Each gold cue span (all its fragments' extent) is a ``CUE`` entity; overlapping
cues keep the longest.  The trained tagger is then scored once on PolNeAR **dev** with the
benchmark's cue overlap P/R/F1, beside the shipped extractor's cues on the same texts.

    python benchmarks/train_cue_tagger.py --work DIR   # ~10 minutes on one core
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import DEFAULT_BENCH_DIR, Attr, Counts, greedy_matches, load_split, predict

CONFIG = Path(__file__).resolve().with_name("cue_tagger.cfg")
SPLIT_SEED = 13
HELD_FRACTION = 5  # one text in five is held out for early stopping


def cue_docs(texts: Iterable[tuple[str, str, list[Attr]]], nlp: object) -> object:
    """A DocBin of the texts, each gold cue a ``CUE`` entity."""
    from spacy.tokens import DocBin, Span
    from spacy.util import filter_spans

    store = DocBin()
    for _, text, gold in texts:
        doc = nlp.make_doc(text)  # type: ignore[attr-defined]
        spans = []
        for attr in gold:
            if attr.cue is None:
                continue
            span = doc.char_span(attr.cue[0][0], attr.cue[-1][1], "CUE", alignment_mode="expand")
            words = [t.i for t in span or () if not t.is_space]
            if words:  # an entity may not start or end with whitespace
                spans.append(Span(doc, words[0], words[-1] + 1, label="CUE"))
        doc.ents = filter_spans(spans)
        store.add(doc)
    return store


def score_dev(model: Path, bench: Path) -> str:
    """Cue overlap P/R/F1 on dev: the tagger's entities and the shipped extractor's cues."""
    import spacy

    loaded = load_split(bench / "dev", None)
    nlp = spacy.load(model)
    tagger, shipped = Counts(), Counts()
    predicted = predict([text for _, text, _ in loaded])
    for (_, text, gold), ours in zip(loaded, predicted, strict=True):
        gold_cues = sorted({a.cue for a in gold if a.cue is not None})
        doc = nlp(text)
        tagged = sorted({((e.start_char, e.end_char),) for e in doc.ents})
        tagger.add(greedy_matches(tagged, gold_cues), len(tagged), len(gold_cues))
        mine = sorted({a.cue for a in ours if a.cue is not None})
        shipped.add(greedy_matches(mine, gold_cues), len(mine), len(gold_cues))
    rows = ["| cues on PolNeAR dev | P | R | F1 |", "|---|---:|---:|---:|"]
    for label, counts in (("shipped extractor", shipped), ("spaCy ner cue tagger", tagger)):
        p, r, f = counts.prf()
        rows.append(f"| {label} | {p:.3f} | {r:.3f} | {f:.3f} |")
    return "\n".join(rows)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--work", type=Path, required=True, help="corpora and model go here")
    parser.add_argument("--score-only", action="store_true", help="score WORK/model-best")
    args = parser.parse_args(list(argv) if argv is not None else None)
    import spacy

    if not args.score_only:
        texts = load_split(args.bench_dir / "train", None)
        order = list(range(len(texts)))
        random.Random(SPLIT_SEED).shuffle(order)
        held = set(order[: len(order) // HELD_FRACTION])
        nlp = spacy.blank("en")
        args.work.mkdir(parents=True, exist_ok=True)
        fit = [t for i, t in enumerate(texts) if i not in held]
        hold = [t for i, t in enumerate(texts) if i in held]
        cue_docs(fit, nlp).to_disk(args.work / "fit.spacy")  # type: ignore[attr-defined]
        cue_docs(hold, nlp).to_disk(args.work / "held.spacy")  # type: ignore[attr-defined]
        print(f"{len(fit)} fit texts, {len(hold)} held out", flush=True)
        subprocess.run(
            [
                sys.executable, "-m", "spacy", "train", str(CONFIG),
                "--output", str(args.work),
                "--paths.train", str(args.work / "fit.spacy"),
                "--paths.dev", str(args.work / "held.spacy"),
            ],
            check=True,
        )  # fmt: skip
    print(score_dev(args.work / "model-best", args.bench_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
