"""Word rarity for sentences that come without a story: document frequencies of news sentences.

The same-statement features weigh words by rarity, which a story's own sentences give.  A pair
scored on its own has no story, and rarity from its two sentences alone makes every word look
rare ("per cent" as rare as a name).  This table, built from public news text by
``benchmarks/build_background.py`` (sentence-level document frequencies of PolNeAR train and
unlabelled AllSides roundups, terms as :func:`newsfuse.stages.similarity.terms` gives them), stands
in for the story.  62 KB (43,263 sentences, 14,412 terms), loaded once per process on first use.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["BACKGROUND_PATH", "Background", "load_background"]

BACKGROUND_PATH = Path(__file__).with_name("background.json.gz")


@dataclass(frozen=True, slots=True)
class Background:
    """How many background sentences there are, and in how many of them each term occurs."""

    sentences: int
    frequency: Mapping[str, int]


@lru_cache(maxsize=1)
def load_background(path: Path = BACKGROUND_PATH) -> Background:
    """The shipped background table."""
    data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    return Background(
        int(data["sentences"]), {str(k): int(v) for k, v in data["frequency"].items()}
    )
