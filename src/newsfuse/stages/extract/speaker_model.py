"""A small learned chooser of a quotation's speaker among the candidates the rules propose.

The rules of :mod:`newsfuse.stages.extract.quotes` each propose a cue and a speaker for a quoted
passage — the speech verb right after it, the colon's clause, the model cue whose content holds it,
the nearest speech verb, the previous sentence's verb, a signature, the paragraph before's lead-in,
the previous quote's speaker — and a fixed order used to decide between them.  Which one is right
depends on evidence the order cannot weigh together (how far the cue is, on which side, how the
quote ends, whether the candidate speaker is a name, a pronoun or a role noun), so a linear model
trained on PolNeAR's train split by ``benchmarks/train_speakers.py`` scores every candidate from such
features and the best one wins; the rule order's own pick is one feature among them ("rule").

The weights are a plain feature → weight map (``speaker_model.json.gz`` beside this module), loaded
once per process; a candidate's score is a sum of dictionary look-ups, so choosing costs next to
nothing beside parsing.  Without the file the rule order's pick stands.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["CHOOSER_PATH", "SpeakerChooser", "distance_bucket", "load_chooser"]

CHOOSER_PATH = Path(__file__).with_name("speaker_model.json.gz")
_BUCKETS = (0, 1, 2, 3, 5, 8, 12, 20, 40)  # upper bounds of the distance buckets


def distance_bucket(distance: int) -> str:
    """A distance (tokens or characters) as a coarse label: near ones apart, far ones together."""
    for bound in _BUCKETS:
        if distance <= bound:
            return str(bound)
    return "far"


@dataclass(frozen=True, slots=True)
class SpeakerChooser:
    """Feature weights; :meth:`best` picks the candidate with the highest sum (the first on a tie)."""

    weights: dict[str, float]

    def score(self, features: Iterable[str]) -> float:
        weights = self.weights
        return sum(weights.get(f, 0.0) for f in features)

    def best(self, candidates: Sequence[Sequence[str]]) -> int:
        """Index of the best-scoring feature list (0 when there are none, or no weights)."""
        if not self.weights or len(candidates) < 2:
            return 0
        scores = [self.score(features) for features in candidates]
        return max(range(len(scores)), key=lambda i: (scores[i], -i))


@lru_cache(maxsize=2)
def load_chooser(path: str | None = None) -> SpeakerChooser:
    """The trained chooser (by default :data:`CHOOSER_PATH`), read once per process; an empty one,
    which keeps the rule order's pick, when the file is missing."""
    target = Path(path) if path else CHOOSER_PATH
    if not target.exists():
        return SpeakerChooser({})
    with gzip.open(target, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return SpeakerChooser({str(k): float(v) for k, v in data["weights"].items()})
