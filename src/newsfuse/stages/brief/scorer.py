"""What one candidate sentence is worth to the brief: a linear model over signals computed once.

The weights are not set by hand: ``benchmarks/brief.py`` fits them (ridge regression, each signal
standardised) on the *train* part of AllSides roundups to predict how much of a sentence a neutral
human summary of the story repeats (its share of bigrams and words found in the summary), chooses
the ridge strength and the selection settings on the *validation* part, and writes
``brief_model.json`` beside this module (about 1 kB).  It also carries the selection settings
chosen on validation with the weights: :attr:`SentenceModel.coverage_weights`, the concept-coverage
objective's weights (and its learned bigram weights; :mod:`newsfuse.stages.brief.coverage`), which
takes :meth:`SentenceModel.value` as each sentence's own worth; without them the greedy rule ranks
by that value (plus a term per fact stated, per a power of its length).  Signals that do not vary on the
roundups (they carry no publication dates, so ``latest`` is always 0) get weight 0 there; recency
is handled by the order step, which leads with what changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from newsfuse.stages.brief.coverage import Weights
from newsfuse.stages.brief.gain import Trees, load_trees

__all__ = ["FEATURES", "SentenceModel", "load_model"]

FEATURES = (
    "lead",  # 1 / (1 + position): news puts what matters first
    "first",  # the article's first sentence
    "relative_position",  # position / sentences in the article
    "centroid",  # cosine with the story's mean TF-IDF vector
    "centrality",  # mean cosine with the other outlets' sentences
    "headlines",  # cosine with the outlets' headlines
    "outlets",  # share of the other outlets with a lexically matching sentence
    "support",  # summed similarity of those matching sentences
    "fact_sources",  # most independent sources among the facts it states, over the story's most
    "corroborated_facts",  # facts it states that two or more independent sources carry
    "facts",  # facts it states
    "quoted",  # carries a quotation: one outlet's voice
    "words",  # length in words / 30
    "figures",  # states a figure
    "dangling",  # leans on text that is not there ("also", "the minister")
    "latest",  # from the articles of the story's latest development
)
MODEL_PATH = Path(__file__).with_name("brief_model.json")

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class SentenceModel:
    """Standardised linear weights and the selection settings chosen with them."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    redundancy: float | None  # lexical cosine at which a sentence repeats a chosen one (None: off)
    coverage: float = 0.0  # added per fact a sentence states: the concept-coverage term
    length_power: float = 0.0  # value divided by (words / 30) ** length_power: worth per word
    # the concept-coverage objective (:mod:`newsfuse.stages.brief.coverage`); None: greedy by value
    coverage_weights: Weights | None = None
    # the learned greedy rule (:mod:`newsfuse.stages.brief.gain`): when set, it chooses the
    # sentences, reading :meth:`value` only to pool the candidates
    gain: Trees | None = None

    def score(self, features: Floats) -> Floats:
        """Predicted worth of each row of ``features`` (columns in :data:`FEATURES` order)."""
        if features.shape[0] == 0:
            return np.zeros(0)
        standard = (features - np.array(self.mean)) / np.array(self.scale)
        return np.asarray(standard @ np.array(self.coef) + self.intercept, dtype=np.float64)

    def value(self, features: Floats) -> Floats:
        """What selection ranks by: the predicted worth plus :attr:`coverage` per fact stated,
        per :attr:`length_power` of the length (both chosen on validation data)."""
        if features.shape[0] == 0:
            return np.zeros(0)
        facts = features[:, FEATURES.index("facts")]
        words = np.maximum(features[:, FEATURES.index("words")], 1 / 30)
        worth = self.score(features) + self.coverage * facts
        return np.asarray(worth / words**self.length_power, dtype=np.float64)

    def to_json(self) -> dict[str, object]:
        """The model as JSON; the gain trees, when set, go to their own file (``gain`` says so)."""
        return {
            "gain": self.gain is not None,
            "features": list(FEATURES),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "redundancy": self.redundancy,
            "coverage": round(self.coverage, 6),
            "length_power": self.length_power,
            "coverage_weights": None
            if self.coverage_weights is None
            else {
                "bigram_min_docs": self.coverage_weights.bigram_min_docs,
                "fact_weight": self.coverage_weights.fact_weight,
                "sentence_weight": self.coverage_weights.sentence_weight,
                "main_fact_share": self.coverage_weights.main_fact_share,
                "bigram_model": None
                if self.coverage_weights.bigram_model is None
                else [round(v, 6) for v in self.coverage_weights.bigram_model],
                "solver": self.coverage_weights.solver,
                "cost_power": self.coverage_weights.cost_power,
            },
        }


def model_from_json(data: dict[str, object], source: str) -> SentenceModel:
    """The model a JSON object describes; a mismatch with :data:`FEATURES` names ``source``."""
    if data.get("features") != list(FEATURES):
        raise ValueError(f"{source}: fitted for other features; run benchmarks/brief.py --fit")

    def floats(key: str) -> tuple[float, ...]:
        values = data[key]
        assert isinstance(values, list)
        return tuple(float(v) for v in values)

    redundancy = data.get("redundancy")
    intercept = data["intercept"]
    assert isinstance(intercept, int | float)
    return SentenceModel(
        mean=floats("mean"),
        scale=floats("scale"),
        coef=floats("coef"),
        intercept=float(intercept),
        redundancy=float(redundancy) if isinstance(redundancy, int | float) else None,
        coverage=_number(data.get("coverage", 0.0)),
        length_power=_number(data.get("length_power", 0.0)),
        coverage_weights=_weights(data.get("coverage_weights")),
        gain=load_trees() if data.get("gain") else None,
    )


def _weights(data: object) -> Weights | None:
    if data is None:
        return None
    assert isinstance(data, dict)
    return Weights(
        bigram_min_docs=int(data["bigram_min_docs"]),
        fact_weight=_number(data["fact_weight"]),
        sentence_weight=_number(data["sentence_weight"]),
        main_fact_share=_main_fact_share(data),
        bigram_model=_bigram_model(data.get("bigram_model")),
        solver=str(data.get("solver", "greedy")),
        cost_power=_number(data.get("cost_power", 1.0)),
    )


def _main_fact_share(data: dict[str, object]) -> float | None:
    """The repeat threshold; a model written before it had "facts_once" (true: any shared fact
    closes a sentence, the threshold 0; false: facts may repeat)."""
    if "main_fact_share" not in data:
        return 0.0 if data.get("facts_once") else None
    share = data["main_fact_share"]
    return None if share is None else _number(share)


def _bigram_model(data: object) -> tuple[float, ...] | None:
    if data is None:
        return None
    assert isinstance(data, list)
    return tuple(_number(v) for v in data)


def _number(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)


@cache
def load_model() -> SentenceModel:
    """The shipped model (read once per process)."""
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return model_from_json(data, str(MODEL_PATH))
