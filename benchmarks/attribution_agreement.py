"""How far two PolNeAR annotators agree: the human ceiling for the attribution benchmark.

PolNeAR annotated some texts twice.  Scoring the second annotator's file (by name) against the
first's with the benchmark's own measures (:func:`attribution.score_text`: overlap F1 per role,
relation F1, speaker accuracy on quoted contents) tells how much of the distance to a perfect
score is disagreement between people about what an attribution is.  Reads only the gold ``.ann``
files of the split (``train`` by default: 16 texts annotated twice; dev has 2).

    python benchmarks/attribution_agreement.py [--split train]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from attribution import DEFAULT_BENCH_DIR, ROLES, Tally, parse_ann, score_text


def agreement(directory: Path) -> tuple[int, Tally]:
    """Texts annotated twice, and the second annotator scored against the first."""
    tally, texts = Tally(), 0
    for path in sorted((directory / "text").glob("*.txt")):
        anns = sorted((directory / "attributions").glob(f"{path.stem}_*.ann"))
        if len(anns) < 2:
            continue
        texts += 1
        first, second = (parse_ann(a.read_text(encoding="utf-8")) for a in anns[:2])
        score_text(path.read_text(encoding="utf-8"), second, first, tally)
    return texts, tally


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--split", default="train")
    args = parser.parse_args(list(argv) if argv is not None else None)
    texts, tally = agreement(args.bench_dir / args.split)
    overlap = ", ".join(f"{role} {tally.overlap[role].prf()[2]:.3f}" for role in ROLES)
    speakers = tally.speaker_hits / tally.speaker_total if tally.speaker_total else 0.0
    print(
        f"PolNeAR {args.split}: {texts} texts annotated twice ({tally.relation.gold} attributions "
        f"by the first annotator); second vs first, overlap F1: {overlap}; relation F1 "
        f"{tally.relation.prf()[2]:.3f}; speaker accuracy on quoted contents {speakers:.3f} "
        f"({tally.speaker_hits}/{tally.speaker_total})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
