"""The same-fact decision for a story's claims: profile them once, score only the pairs asked for.

The default decision is a logistic regression over every lexical pair feature of
:mod:`newsfuse.stages.align.pairs`, fitted on our labelled roundups (:data:`LEXICAL`); the others
are the smaller :data:`CONTAINMENT` (TF-IDF cosine and rarity-weighted coverage both ways;
:data:`CONTAINMENT_EMBEDDING` adds the MiniLM sentence cosine), the pair encoder
(:class:`EncoderDecision`), the vector decision (:class:`VectorDecision`) and the MSRP-fitted
same-statement model (``align.decision = "statement"``).  What this module adds is the story-scale
shape the fact grouping needs: the claims' rarity, TF-IDF vectors and profiles are computed once
(:class:`~newsfuse.stages.align.pairs.StatementContext`), the candidate index's sparse rows once
(:func:`~newsfuse.stages.align.claim_features.prepare_claims`), and then any pairs — the candidates
up front, a few more when two groups of claims are compared — cost only their own features.

Fitted on ECB+ event coreference alone, the full feature set ranked our labelled pairs well but its
notion of "the same" (both sentences mention the topic's main event) is looser than a fact's.  The
containment decisions are fitted on our hand-labelled roundups and ECB+ together, few features
each; for the lexical decision ECB+ as a second source lowered the validation ranking, so it is
fitted on the roundups alone (656 stories by now, against 120 when the containment decision was).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from newsfuse.config import DECISIONS, DEFAULT_LINK_THRESHOLD, DEFAULT_THRESHOLD
from newsfuse.stages.align.claim_features import ClaimMatrix, prepare_claims
from newsfuse.stages.align.pair_encoder import PairEncoder
from newsfuse.stages.align.pairs import (
    FEATURES,
    LEXICAL_FEATURES,
    MIN_SUPPORT,
    OVERLAP_FEATURES,
    StatementContext,
    logistic,
)

if TYPE_CHECKING:
    from newsfuse.stages.align.embeddings import SentenceEncoder

__all__ = [
    "CONTAINMENT",
    "CONTAINMENT_EMBEDDING",
    "DECISIONS",
    "DEFAULT_LINK_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "ENCODER_BAND",
    "LEXICAL",
    "LEXICAL_EMBEDDING",
    "STATEMENT_THRESHOLD",
    "VECTORS_PATH",
    "VECTOR_FEATURES",
    "EncoderDecision",
    "FactMatcher",
    "LinearDecision",
    "PairDecision",
    "PreparedClaims",
    "VectorDecision",
    "score_text_pairs",
    "vector_features",
]

Indices = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]


class PairDecision(Protocol):
    """P(same fact) of claim pairs of one story, and what "nothing in common" scores."""

    def scores(self, context: StatementContext, pairs: Sequence[tuple[str, str]]) -> Floats: ...

    @property
    def floor(self) -> float: ...


@dataclass(frozen=True, slots=True)
class LinearDecision:
    """P(same fact) = logistic(intercept + Σ coefficient · feature) over a few named pair features
    of :mod:`newsfuse.stages.align.pairs` (raw values, no scaling)."""

    features: tuple[str, ...]
    intercept: float
    coefficients: tuple[float, ...]

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.intercept + sum(
            c * features[name] for name, c in zip(self.features, self.coefficients, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def scores(self, context: StatementContext, pairs: Sequence[tuple[str, str]]) -> Floats:
        """P(same fact) of each pair of ``context``'s texts, from only the features it reads."""
        if set(self.features) <= set(OVERLAP_FEATURES):
            return np.array([self.probability(context.overlap(a, b)) for a, b in pairs])
        if not pairs:
            return np.zeros(0, dtype=np.float64)
        columns = [FEATURES.index(name) for name in self.features]
        z = self.intercept + context.feature_matrix(pairs)[:, columns] @ np.array(self.coefficients)
        return logistic(z)

    @property
    def floor(self) -> float:
        """The probability of two claims that share nothing (every feature 0)."""
        return 1.0 / (1.0 + math.exp(-self.intercept))


CONTAINMENT = LinearDecision(
    features=("tfidf", "coverage_idf_min", "coverage_idf_max"),
    intercept=-1.9587,
    coefficients=(2.3450, 6.4436, 1.9037),
)
"""How much of each claim's rarity-weighted content the other states, and their TF-IDF cosine,
combined by a logistic regression fitted on two sources: the hand-labelled *fit* roundups of
``benchmarks/data/roundup_fact_pairs.jsonl`` (120 AllSides three-outlet stories) and ECB+'s training
topics (sentences of different articles that share an event chain), each source weighing the same
(``python benchmarks/fit_fact_decision.py`` fits it and prints these constants).  Why not the
MSRP-fitted statement model: on real three-outlet stories it ranks same-fact pairs worse than a
TF-IDF cosine, because MSRP's "same" is a full paraphrase, and a corroborating report usually adds
or leaves out detail."""

CONTAINMENT_EMBEDDING = LinearDecision(
    features=("tfidf", "coverage_idf_min", "coverage_idf_max", "embedding"),
    intercept=-2.9093,
    coefficients=(5.3827, 1.4101, -0.1020, 3.9743),
)
""":data:`CONTAINMENT` with the claims' MiniLM sentence cosine, fitted the same way: the decision
when ``align.embeddings`` is on.  The cosine sees a rewording that shares few words ("dropped out
of the race" / "ending his run"): pair ROC AUC on the validation roundups 0.851 against 0.831 for
the lexical decision and 0.821 for the MiniLM cosine alone.  The fitted intercept (-3.1229) is
shifted by logit(0.40) - logit(0.35) = +0.2136: the validation roundups chose 0.35 on the fitted
scale, and the shift lets both decisions share ``align.threshold``'s one default (the ranking of
pairs is unchanged)."""


LEXICAL = LinearDecision(
    features=LEXICAL_FEATURES,
    intercept=-6.6751,
    coefficients=(
        2.8526,  # tfidf
        -0.2754,  # token_set
        0.9837,  # bigram_dice
        2.6904,  # char4_dice
        1.5859,  # coverage_min
        1.8508,  # unmatched_log
        0.2217,  # length_ratio
        -0.1286,  # numbers_conflict
        -0.1073,  # numbers_one_sided
        -0.5020,  # entity_jaccard
        -0.0474,  # entity_unmatched
        0.4163,  # ngram1_min
        0.4380,  # ngram1_max
        0.8154,  # ngram2_min
        -0.6902,  # ngram2_max
        -2.8323,  # ngram3_min
        -0.5613,  # ngram3_max
        -1.4323,  # ngram4_min
        0.1989,  # ngram4_max
        3.2948,  # lcs_longer
        0.8737,  # lcs_shorter
        -0.4455,  # negation_mismatch
        0.0067,  # length_difference
        -0.2016,  # log_length_ratio_sq
        -0.0042,  # unmatched_min
        0.0114,  # unmatched_max
        1.0662,  # edit_similarity
        -0.1415,  # unmatched_idf_min
        -0.5073,  # unmatched_idf_max
        2.8553,  # coverage_idf_min
        1.5088,  # coverage_idf_max
        -0.0217,  # char3_min
        2.4494,  # char3_max
        -0.7698,  # char5_min
        -0.2697,  # char5_max
    ),
)
"""Every lexical pair feature of :mod:`newsfuse.stages.align.pairs` (word, n-gram and character
overlaps both ways, rarity-weighted coverage, longest common subsequence, edit similarity, figures
that differ, entities, negation, lengths), combined by a logistic regression fitted on whole
sentences of our 656 labelled fit roundups (``python benchmarks/fit_fact_lexical.py``; ``C`` and
the source mix chosen by pair ROC AUC on the validation roundups: ECB+ as a second source lowered
it, 0.853 against 0.864).  The same features as the MSRP statement model, weighed by what
corroboration looks like rather than paraphrase: pair ROC AUC 0.856 / 0.867 on roundups A / A2
against 0.842 / 0.846 for :data:`CONTAINMENT`, with no model beyond spaCy's; the cost is the full
feature set per candidate pair (``benchmarks/story_scale.py``).  The fitted intercept (-7.5818) is
shifted by +0.9067 (logit(0.40) - logit(0.212)), so that the pair threshold a first validation run
chose for claims lands on the shared default of that time (0.40).  A shift keeps the ranking of
pairs but not the averages that average linkage compares with the link threshold, so the thresholds
were then chosen again on this shipped scale (``benchmarks/facts.py``: 0.30 to 0.40 with link 0.50
on the roundups; 0.45 with link 0.45 once whole-article ECB+ stories joined the validation)."""


LEXICAL_EMBEDDING = LinearDecision(
    features=FEATURES,
    intercept=-12.1357,
    coefficients=(
        -1.2161,  # tfidf
        -0.9766,  # token_set
        0.0953,  # bigram_dice
        3.4627,  # char4_dice
        -1.1050,  # coverage_min
        3.3936,  # unmatched_log
        0.7577,  # length_ratio
        -0.4511,  # numbers_conflict
        -0.0622,  # numbers_one_sided
        -0.4300,  # entity_jaccard
        0.0027,  # entity_unmatched
        -1.6907,  # ngram1_min
        1.3400,  # ngram1_max
        3.6172,  # ngram2_min
        -1.0244,  # ngram2_max
        -9.0359,  # ngram3_min
        1.8247,  # ngram3_max
        3.5835,  # ngram4_min
        -1.1400,  # ngram4_max
        6.2929,  # lcs_longer
        -1.3958,  # lcs_shorter
        -0.3889,  # negation_mismatch
        0.0166,  # length_difference
        -0.2401,  # log_length_ratio_sq
        -0.0084,  # unmatched_min
        -0.0667,  # unmatched_max
        0.6942,  # edit_similarity
        -0.5515,  # unmatched_idf_min
        0.0483,  # unmatched_idf_max
        8.0026,  # coverage_idf_min
        0.9723,  # coverage_idf_max
        -5.3612,  # char3_min
        3.1574,  # char3_max
        0.3356,  # char5_min
        -1.6390,  # char5_max
        1.8964,  # embedding
        -12.2695,  # token_match_min
        -15.8789,  # token_match_max
        16.4353,  # token_idf_match_min
        23.0424,  # token_idf_match_max
        -4.5716,  # token_idf_f
        -0.0103,  # token_unmatched_min
        -0.0159,  # token_unmatched_max
        0.0052,  # token_weak_min
        0.0005,  # token_weak_max
    ),
)
""":data:`LEXICAL` with the MiniLM features too (the sentence cosine and the word-piece alignment
both ways of :data:`~newsfuse.stages.align.pairs.EMBEDDING_FEATURES`): the decision when
``align.embeddings`` is on.  Fitted the same way (``python benchmarks/fit_fact_lexical.py
--embeddings``; ``C`` = 3 chosen by pooled validation pair ROC AUC, ECB+ again lowered it): pair ROC
AUC 0.884 / 0.880 on roundups A / A2, the best ranking of any decision here (the pair encoder
0.866 / 0.867, the vector decision 0.875 / 0.865), at the cost of one MiniLM pass over the units.
The fitted intercept (-12.9827) is shifted by logit(0.50) - logit(0.30) = +0.8473: a first
validation run chose link 0.30 on the fitted scale, and the shift puts it on
``align.link_threshold``'s default (the thresholds were then chosen again on this scale)."""

ENCODER_BAND = 0.30
"""Pairs the lexical decision scores below this are "different" without asking the pair encoder:
chosen on the validation roundups of ``benchmarks/facts.py`` as the highest band (the fewest
encoder passes) whose pair F1 is within 0.005 of the best band's (of 0.13, 0.16, 0.20, 0.25,
0.30)."""
ENCODER_SHIFT = 0.9808
"""Added to the pair encoder's logit: logit(0.40) - logit(0.20), from a first validation run
without it (which chose 0.20 for both thresholds), so that the encoder can share
``align.threshold``'s and ``align.link_threshold``'s one default.  A shift does not simply move the
operating point (a group's average mixes the encoder's probabilities with the lexical scores of
the sure-different pairs), so the choice was made again with it: the validation roundups chose
band 0.30 and threshold 0.40, the figures in ``benchmarks/results/facts.md``."""


@dataclass(frozen=True, slots=True)
class EncoderDecision:
    """The lexical decision answers for the pairs it is sure about; the pair encoder for the rest.

    A candidate pair that the lexical decision scores below ``band`` keeps that score (below any
    sensible threshold: "different"); every other pair is scored by the fine-tuned cross-encoder
    of :mod:`.pair_encoder`, which reads both claims at once and sees past wording.  The band keeps
    the encoder's forward passes to the pairs in doubt, so a story's cost stays near the lexical
    decision's (``benchmarks/story_scale.py``).
    """

    lexical: LinearDecision
    band: float = ENCODER_BAND
    shift: float = ENCODER_SHIFT
    encoder: PairEncoder = field(default_factory=PairEncoder)

    def scores(self, context: StatementContext, pairs: Sequence[tuple[str, str]]) -> Floats:
        found = self.lexical.scores(context, pairs)
        doubt = np.flatnonzero(found >= self.band)
        if doubt.size:
            logits = self.encoder.logits([pairs[k] for k in doubt.tolist()]) + self.shift
            found[doubt] = 1.0 / (1.0 + np.exp(-logits))
        return found

    @property
    def floor(self) -> float:
        """The lexical decision's floor: two claims that share nothing never reach the encoder."""
        return self.lexical.floor


VECTORS_PATH = Path(__file__).with_name("fact_vectors.npz")
VECTOR_FEATURES = (
    *CONTAINMENT.features,
    *(f"product{k}" for k in range(384)),
    *(f"difference{k}" for k in range(384)),
    "embedding",
)
"""What the vector decision weighs, in order: the containment features, then of the two units'
MiniLM vectors ``u`` and ``v`` each dimension of ``u * v`` and of ``|u - v|``, then their cosine."""
_VECTOR_CHUNK = 2048  # pairs whose feature rows are built at once (~12 MB), so memory stays flat


def vector_features(context: StatementContext, pairs: Sequence[tuple[str, str]]) -> Floats:
    """The :data:`VECTOR_FEATURES` rows of pairs of ``context``'s texts (built with an encoder)."""
    vectors = context.sentence_vectors()
    if vectors is None:
        raise ValueError("the vector decision needs sentence vectors: give the context an encoder")
    names = CONTAINMENT.features
    overlaps = (context.overlap(a, b) for a, b in pairs)
    lexical = np.array([[found[n] for n in names] for found in overlaps], dtype=np.float64)
    lexical = lexical.reshape(len(pairs), len(names))
    left = vectors[context.positions([a for a, _ in pairs])].astype(np.float64)
    right = vectors[context.positions([b for _, b in pairs])].astype(np.float64)
    product = left * right
    return np.hstack([lexical, product, np.abs(left - right), product.sum(axis=1, keepdims=True)])


@lru_cache(maxsize=2)
def _vector_weights(path: Path) -> tuple[Floats, float]:
    with np.load(path) as weights:
        coefficients = np.asarray(weights["coefficients"], dtype=np.float64)
        intercept = float(weights["intercept"][0])
    if coefficients.shape != (len(VECTOR_FEATURES),):
        raise ValueError(
            f"{path}: {coefficients.shape[0]} weights for {len(VECTOR_FEATURES)} features"
        )
    return coefficients, intercept


@dataclass(frozen=True, slots=True)
class VectorDecision:
    """P(same fact) = logistic regression over :data:`VECTOR_FEATURES`, fitted on our labelled
    roundups by ``benchmarks/fit_fact_vectors.py`` (weights in ``fact_vectors.npz``, 6 kB).

    Why: a plain cosine of two sentence vectors weighs every dimension alike, and two sentences of
    one story are close on the dimensions that say what the story is about whether or not they
    state the same fact; a weight per dimension of ``u * v`` and ``|u - v|`` learns which ones
    separate the two.  Pair ROC AUC on the validation roundups about the pair encoder's, at the
    cost of one encoder pass per unit (done once for the story by its
    :class:`~newsfuse.stages.align.pairs.StatementContext`) and a dot product per pair, so a story
    costs O(units + candidate pairs).
    """

    lexical: LinearDecision = CONTAINMENT
    band: float = 0.0
    weights: Path = VECTORS_PATH

    def scores(self, context: StatementContext, pairs: Sequence[tuple[str, str]]) -> Floats:
        coefficients, intercept = _vector_weights(self.weights)
        found = self.lexical.scores(context, pairs) if self.band > 0.0 else np.ones(len(pairs))
        doubt = [pairs[k] for k in np.flatnonzero(found >= self.band).tolist()]
        if not doubt:
            return found
        scored = np.empty(len(doubt), dtype=np.float64)
        for start in range(0, len(doubt), _VECTOR_CHUNK):
            chunk = doubt[start : start + _VECTOR_CHUNK]
            z = vector_features(context, chunk) @ coefficients + intercept
            scored[start : start + len(chunk)] = 1.0 / (1.0 + np.exp(-z))
        found[found >= self.band] = scored
        return found

    @property
    def floor(self) -> float:
        """The probability with every feature 0 (no shared words, orthogonal vectors)."""
        if self.band > 0.0:
            return self.lexical.floor
        return 1.0 / (1.0 + math.exp(-_vector_weights(self.weights)[1]))


STATEMENT_THRESHOLD = 0.4
"""The MSRP-fitted statement model's threshold, chosen by pair F1 on our example story before the
containment decision replaced it as the default; conflicts still use that model (see
:mod:`newsfuse.stages.align.corroborate`)."""


@dataclass(frozen=True, slots=True)
class PreparedClaims:
    """A story's claims, profiled once: the candidate index's rows and the pair scorer's context."""

    index: ClaimMatrix
    context: StatementContext

    def __len__(self) -> int:
        return len(self.index)


class FactMatcher:
    """Scores claim pairs of one story: light to construct; the encoder loads on first use."""

    def __init__(
        self,
        encoder: SentenceEncoder | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        link_threshold: float = DEFAULT_LINK_THRESHOLD,
        min_support: float = MIN_SUPPORT,
        decision: PairDecision | None = None,
    ) -> None:
        self.encoder = encoder
        self.decision = decision
        self.threshold = threshold
        self.link_threshold = link_threshold
        self.min_support = min_support

    def at_share(self, share: float) -> float:
        """The score ``share`` of the way from "nothing in common" to the threshold: what
        "weakly related" means on this decision's own scale (the statement model gives pairs
        outside its support 0.0; the containment decision gives them its floor)."""
        floor = self.decision.floor if self.decision is not None else 0.0
        return floor + (self.threshold - floor) * share

    def prepare(self, texts: Sequence[str]) -> PreparedClaims:
        """Profile the claims once (O(total words), one encoder pass when embeddings are on)."""
        context = StatementContext(sorted(set(texts)), encoder=self.encoder)
        vectors = context.sentence_vectors()
        if vectors is not None:
            position = {t: i for i, t in enumerate(context.texts)}
            vectors = vectors[[position[t] for t in texts]]
        return PreparedClaims(prepare_claims(texts, embeddings=vectors), context)

    def score(self, claims: PreparedClaims, left: Indices, right: Indices) -> Floats:
        """P(same statement) of the pairs ``(left[k], right[k])`` of ``claims``."""
        texts = claims.index.texts
        pairs = [(texts[i], texts[j]) for i, j in zip(left.tolist(), right.tolist(), strict=True)]
        if self.decision is not None:
            return self.decision.scores(claims.context, pairs)
        return np.array(claims.context.scores(pairs, min_support=self.min_support), dtype=float)


def score_text_pairs(
    left: Sequence[str],
    right: Sequence[str],
    *,
    encoder: SentenceEncoder | None = None,
    corpus: Sequence[str] = (),
    decision: PairDecision | None = CONTAINMENT,
) -> Floats:
    """P(same fact) of each pair ``(left[k], right[k])`` by ``decision`` (``None``: the MSRP-fitted
    same-statement model), rarity over every text given plus ``corpus`` (pass the story's claims
    when scoring a few pairs of a larger story)."""
    if len(left) != len(right):
        raise ValueError(f"{len(left)} left texts but {len(right)} right ones")
    context = StatementContext(sorted(set(left) | set(right) | set(corpus)), encoder=encoder)
    pairs = list(zip(left, right, strict=True))
    if decision is not None:
        return decision.scores(context, pairs)
    return np.array(context.scores(pairs), dtype=float)
