"""The same-statement decision: do two sentences from different articles say the same thing?

A pair is described by cheap, readable features and scored by a logistic regression whose weights
were fitted on the Microsoft Research Paraphrase Corpus (MSRP, news sentence pairs labelled "same
statement" or not) by ``benchmarks/alignment.py``.  The weights are pasted below as constants, so
scoring needs neither scikit-learn nor a training step, and the benchmark prints the fit it pasted
so a reader can check it.  Every figure it reports is 10-fold cross-validated.

Why these features:

* **lexical overlap** (TF-IDF cosine over stemmed content words, rapidfuzz ``token_set_ratio``, word
  bigram and character 4-gram overlap) – reworded reports of one event still share most words;
* **machine-translation-metric features** – word n-gram precision and recall for n = 1…4 (BLEU- and
  ROUGE-like, each pair's lower and higher direction), the longest common word subsequence, word
  edit distance and character 3-/5-gram containment: what MT evaluation uses to tell a faithful
  rewording from a different sentence (Madnani et al. 2012 reach ~0.77 on MSRP with such metrics);
* **coverage** – the share of each sentence's content words the other one has, plain and weighted
  by rarity, and how many (and how rare) the words are that one side lacks: a sentence that adds a
  clause ("…, and sold it for $1.8 billion") says *more* than the other, which is the most common
  reason a near-identical pair is not the same statement;
* **figures** – a different number is strong evidence of a different statement (or of a conflict,
  which the caller handles separately: :func:`number_agreement` is exposed on its own for that);
* **named entities** – the same people, places and organisations; the pipeline passes its canonical
  entity keys, otherwise capitalised words stand in;
* **negation and length** – "did not" against "did", and how far the lengths differ;
* **embeddings** (optional, all-MiniLM-L6-v2) – the sentence cosine, and a BERTScore-style soft
  alignment of the two sentences' contextual word-piece vectors: each piece's best cosine on the
  other side, averaged plainly and by rarity (precision/recall), and the rarity-weighted mass of
  pieces that find no good match – paraphrases that share few words.

Two weight sets exist: with and without the embedding features, so the decision works without the
optional model (:data:`WEIGHTS_LEXICAL`) and the benchmark can show what the model adds.

Cost: everything about one sentence (word n-grams, character n-grams, rarity weights, its
vectors) is computed once per sentence, and a batch of pairs is scored at once: the overlaps as sparse products
over every sentence's rows (:mod:`newsfuse.stages.align.pair_rows`), the sequence measures in
rapidfuzz's own loop, the word-piece matching one product per sentence against all its partners.
A story's tens of thousands of claim pairs cost 10-15 µs each without embeddings.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt

from newsfuse.stages.align.background import Background, load_background
from newsfuse.stages.align.pair_rows import LEXICAL_COLUMNS, ProfileRows, lexical_rows
from newsfuse.stages.similarity import cosine, sparse_rows, stem, terms
from newsfuse.stages.spacy_import import STOP_WORDS

if TYPE_CHECKING:
    from newsfuse.stages.align.embeddings import Encoded, SentenceEncoder

__all__ = [
    "EMBEDDING_FEATURES",
    "FEATURES",
    "MIN_SUPPORT",
    "OVERLAP_FEATURES",
    "SUPPORT_FEATURE",
    "WEIGHTS_EMBEDDING",
    "WEIGHTS_LEXICAL",
    "Hints",
    "PairFeatures",
    "StatementContext",
    "StatementMatcher",
    "Weights",
    "candidate_entities",
    "candidate_numbers",
    "logistic",
    "number_agreement",
    "pair_features",
    "same_statement_scores",
]


@dataclass(frozen=True, slots=True)
class Weights:
    """A fitted logistic regression over :data:`FEATURES` (raw, unscaled feature values)."""

    intercept: float
    coefficients: tuple[float, ...]
    uses_embedding: bool

    def probability(self, values: Sequence[float]) -> float:
        """P(same statement) for one feature vector."""
        z = self.intercept + sum(w * v for w, v in zip(self.coefficients, values, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def probabilities(self, matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """P(same statement) for each row of feature vectors."""
        z = self.intercept + matrix @ np.array(self.coefficients, dtype=np.float64)
        return logistic(z)


# "_min"/"_max": a directional measure taken both ways (a against b, b against a), the lower and the
# higher value, so the features do not depend on which sentence comes first.
LEXICAL_FEATURES: tuple[str, ...] = LEXICAL_COLUMNS
# Only with an encoder; 0.0 (and weight 0.0) in the lexical weights.
EMBEDDING_FEATURES: tuple[str, ...] = (
    "embedding",
    "token_match_min",
    "token_match_max",
    "token_idf_match_min",
    "token_idf_match_max",
    "token_idf_f",
    "token_unmatched_min",
    "token_unmatched_max",
    "token_weak_min",
    "token_weak_max",
)
# Feature order of every weight vector.
FEATURES: tuple[str, ...] = LEXICAL_FEATURES + EMBEDDING_FEATURES


# Fitted by `python benchmarks/alignment.py` on all 4,076 MSRP training pairs (L2 logistic
# regression, C=1, on standardised features, folded back to raw-feature weights).  Its printout
# lists the same numbers; re-fit and paste when a feature changes.
WEIGHTS_EMBEDDING = Weights(
    intercept=7.7356,
    coefficients=(
        -0.6121,  # tfidf
        -3.8599,  # token_set
        0.8625,  # bigram_dice
        -1.7656,  # char4_dice
        -1.7123,  # coverage_min
        -0.0920,  # unmatched_log
        -7.1152,  # length_ratio
        -0.7556,  # numbers_conflict
        0.0247,  # numbers_one_sided
        -0.3265,  # entity_jaccard
        0.1569,  # entity_unmatched
        9.4578,  # ngram1_min
        -1.8457,  # ngram1_max
        0.5385,  # ngram2_min
        -0.6227,  # ngram2_max
        -1.6318,  # ngram3_min
        -1.6631,  # ngram3_max
        -1.7031,  # ngram4_min
        0.9404,  # ngram4_max
        4.5971,  # lcs_longer
        -3.7236,  # lcs_shorter
        -1.0260,  # negation_mismatch
        -0.1038,  # length_difference
        -1.6349,  # log_length_ratio_sq
        0.0018,  # unmatched_min
        0.2696,  # unmatched_max
        3.0906,  # edit_similarity
        0.0006,  # unmatched_idf_min
        -1.5995,  # unmatched_idf_max
        -0.9702,  # coverage_idf_min
        1.0050,  # coverage_idf_max
        1.7744,  # char3_min
        5.3421,  # char3_max
        3.6717,  # char5_min
        -4.6465,  # char5_max
        6.4907,  # embedding
        -4.5543,  # token_match_min
        -9.8488,  # token_match_max
        3.3685,  # token_idf_match_min
        5.8991,  # token_idf_match_max
        0.3511,  # token_idf_f
        0.0027,  # token_unmatched_min
        0.0104,  # token_unmatched_max
        -0.0141,  # token_weak_min
        -0.0169,  # token_weak_max
    ),
    uses_embedding=True,
)
WEIGHTS_LEXICAL = Weights(
    intercept=7.4826,
    coefficients=(
        2.3398,  # tfidf
        -3.6874,  # token_set
        1.3260,  # bigram_dice
        1.1538,  # char4_dice
        -2.5943,  # coverage_min
        0.4805,  # unmatched_log
        -6.8546,  # length_ratio
        -0.6141,  # numbers_conflict
        -0.0877,  # numbers_one_sided
        -0.3587,  # entity_jaccard
        0.0409,  # entity_unmatched
        9.3412,  # ngram1_min
        -2.0836,  # ngram1_max
        0.4334,  # ngram2_min
        -1.4838,  # ngram2_max
        -2.0194,  # ngram3_min
        -1.7525,  # ngram3_max
        -1.7953,  # ngram4_min
        1.0878,  # ngram4_max
        4.7450,  # lcs_longer
        -3.6816,  # lcs_shorter
        -1.1101,  # negation_mismatch
        -0.0914,  # length_difference
        -1.7660,  # log_length_ratio_sq
        -0.0307,  # unmatched_min
        0.2439,  # unmatched_max
        3.0151,  # edit_similarity
        -0.0062,  # unmatched_idf_min
        -2.1212,  # unmatched_idf_max
        -1.5076,  # coverage_idf_min
        0.9722,  # coverage_idf_max
        2.9336,  # char3_min
        5.2302,  # char3_max
        1.4198,  # char5_min
        -4.5711,  # char5_max
        0.0000,  # embedding
        0.0000,  # token_match_min
        0.0000,  # token_match_max
        0.0000,  # token_idf_match_min
        0.0000,  # token_idf_match_max
        0.0000,  # token_idf_f
        0.0000,  # token_unmatched_min
        0.0000,  # token_unmatched_max
        0.0000,  # token_weak_min
        0.0000,  # token_weak_max
    ),
    uses_embedding=False,
)

_THRESHOLD = 0.5  # a calibrated probability: "same" when more likely than not

OVERLAP_FEATURES = ("tfidf", "coverage_idf_min", "coverage_idf_max", "embedding")
"""The features :meth:`StatementContext.overlap` computes on their own (``embedding``: the sentence
cosine, 0.0 without an encoder)."""

SUPPORT_FEATURE = "coverage_idf_max"
MIN_SUPPORT = 0.2
"""Pairs whose better direction covers less than this share of a sentence's rarity-weighted words
score 0.0, whatever the model says.

Why: every MSRP pair was picked for lexical overlap before it was labelled (99.4% of them have
``coverage_idf_max`` ≥ 0.2, and none of the "same" ones is below it), so the model has never seen
two sentences that share almost nothing, and extrapolating its linear score there is meaningless:
on the seeds it gave P(same) ≥ 0.5 to 135 of 2,868 cross-outlet pairs whose median TF-IDF cosine
was 0.06 ("Tarar acknowledged the support of Qatar…" against "Islamabad has agreed to extend peace
talks…": 0.78).  Inside the support the model decides; outside it, the answer is "different".
On MSRP the gate changes no decision (``benchmarks/alignment.py``); on our labelled fact pairs
(``benchmarks/facts.py``) it is most of the precision gain."""
_WEAK_MATCH = 0.5  # a word piece whose best cosine on the other side is below this has no match

_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'&.-]*")
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
            *("seventeen", "eighteen", "nineteen", "twenty"),
        )
    )
    if value >= 2  # "one" is as often a pronoun ("one of them") as a figure
}
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True, slots=True)
class Hints:
    """What the pipeline already knows about a sentence, used instead of the cheap guesses.

    ``entities`` are canonical entity keys (``Mention.norm`` / ``Entity.name``), ``numbers`` canonical
    figures; ``None`` means "not known": the matcher then guesses from the text.
    """

    entities: frozenset[str] | None = None
    numbers: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class PairFeatures:
    """The features of one pair, by name (``features["tfidf"]``); :meth:`vector` orders them as
    :data:`FEATURES`."""

    values: Mapping[str, float]
    number_agreement: float | None  # see number_agreement(); not a model input itself

    def __getitem__(self, name: str) -> float:
        return self.values[name]

    def vector(self) -> tuple[float, ...]:
        return tuple(float(self.values[name]) for name in FEATURES)


def candidate_numbers(text: str) -> frozenset[str]:
    """The figures a sentence states, normalised: "4,200" → "4200", "2.5 billion" → "2500000000",
    "four" → "4"."""
    found: set[str] = set()
    words = [w.lower() for w in _WORD.findall(text)]
    for index, word in enumerate(words):
        if word in _NUMBER_WORDS and not (index + 1 < len(words) and words[index + 1] == "of"):
            found.add(_NUMBER_WORDS[word])
    for match in _NUMBER.finditer(text):
        raw = match.group()
        if raw.count(",") and all(len(g) == 3 for g in raw.split(",")[1:]):
            raw = raw.replace(",", "")
        raw = raw.rstrip(".,")
        following = text[match.end() : match.end() + 12].strip().lower()
        scale = next((v for k, v in _SCALE.items() if following.startswith(k)), None)
        if scale is not None:
            with contextlib.suppress(ValueError):  # "1.2.3": not a plain decimal, kept as written
                raw = _plain(float(raw.replace(",", "")) * scale)
        found.add(raw)
    return frozenset(found)


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def candidate_entities(text: str) -> frozenset[str]:
    """Capitalised words that are not sentence-initial function words: a cheap stand-in for NER.

    Good enough to tell "Safeway" from "Kroger"; the pipeline passes canonical entities instead.
    """
    found: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        word = match.group().rstrip(".’'-").replace("’", "'").removesuffix("'s").lower()
        if len(word) < 2 or word in STOP_WORDS:
            continue
        found.add(word)
    return frozenset(found)


def number_agreement(left: frozenset[str], right: frozenset[str]) -> float | None:
    """How far two sentences' figures agree: Jaccard of the figure sets, ``None`` if neither has one.

    1.0 is full agreement; below 1.0 with figures on both sides is either a different statement or a
    conflict about the same one — the conflict stage tells which, by what the figures count.
    """
    if not left and not right:
        return None
    return len(left & right) / len(left | right)


_Item = TypeVar("_Item", str, int)
_NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "nobody", "nothing", "without"})


@dataclass(frozen=True, slots=True)
class _Profile:
    """Everything about one sentence the pair features need, computed once per sentence."""

    content: frozenset[str]
    content_weight: float  # summed rarity of the content words
    bigrams: frozenset[tuple[str, str]]
    char4: frozenset[str]
    char3: frozenset[str]
    char5: frozenset[str]
    lowered: str
    stems: tuple[str, ...]  # every word, stop words too, crudely stemmed: the MT features' unit
    ngrams: tuple[Counter[tuple[str, ...]], ...]  # of stems, n = 1..4
    negated: bool
    numbers: frozenset[str]
    entities: frozenset[str]


def logistic(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """1 / (1 + e^-z), without overflow for large negative z."""
    positive = z >= 0
    e = np.exp(-np.abs(z))
    return np.asarray(np.where(positive, 1.0 / (1.0 + e), e / (1.0 + e)), dtype=np.float64)


def _char_ngrams(text: str, n: int) -> frozenset[str]:
    return frozenset(text[i : i + n] for i in range(max(len(text) - n + 1, 0)))


def _profile(text: str, hints: Hints | None, rarity: Mapping[str, float]) -> _Profile:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    squashed = " ".join(words)
    lowered = text.lower()
    stems = tuple(stem(w) for w in words)
    content = frozenset(terms(text))
    return _Profile(
        content=content,
        content_weight=sum(rarity[t] for t in content),
        bigrams=frozenset(itertools.pairwise(words)),
        char4=_char_ngrams(squashed, 4),
        char3=_char_ngrams(lowered, 3),
        char5=_char_ngrams(lowered, 5),
        lowered=squashed,
        stems=stems,
        ngrams=tuple(
            Counter(stems[i : i + n] for i in range(len(stems) - n + 1)) for n in (1, 2, 3, 4)
        ),
        negated=any(w in _NEGATIONS or w.endswith("n't") for w in words),
        numbers=hints.numbers
        if hints is not None and hints.numbers is not None
        else candidate_numbers(text),
        entities=hints.entities
        if hints is not None and hints.entities is not None
        else candidate_entities(text),
    )


def _both_ways(shared: float, left: float, right: float) -> tuple[float, float]:
    """``shared`` as a share of each side (1.0 for an empty side), lower first (one pair's; the
    batch form is :func:`newsfuse.stages.align.pair_rows._both_ways`)."""
    first = shared / left if left else 1.0
    second = shared / right if right else 1.0
    return (first, second) if first <= second else (second, first)


def _rarity(documents: Sequence[Sequence[_Item]]) -> Counter[_Item]:
    """Document frequency of each item."""
    return Counter(item for doc in documents for item in set(doc))


def _idf(frequency: int, total: int) -> float:
    """IDF floored at 1 (``ln((1+N)/(1+df)) + 1``): see :func:`_tfidf_vectors`."""
    return math.log((1 + total) / (1 + frequency)) + 1


def _tfidf_vectors(
    documents: Sequence[Sequence[str]], frequency: Mapping[str, int], total: int
) -> list[dict[str, float]]:
    """TF-IDF vectors with the idf floored at 1 (``ln((1+N)/(1+df)) + 1``).

    :func:`newsfuse.stages.similarity.tfidf` gives a term found in every document zero weight, which
    is right for a story's many sentences but, for a single pair, zeroes every shared word.  With the
    +1, a lone pair is scored by plain word overlap and a large batch by proper rarity.  ``total``:
    how many documents ``frequency`` counts over.
    """
    vectors: list[dict[str, float]] = []
    for doc in documents:
        vector = {t: (1 + math.log(c)) * _idf(frequency[t], total) for t, c in Counter(doc).items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def _soft_alignment(
    encoded: Sequence[Encoded],
    weights: Sequence[npt.NDArray[np.float64]],
    left: npt.NDArray[np.intp],
    right: npt.NDArray[np.intp],
) -> npt.NDArray[np.float64]:
    """BERTScore-style matching of word pieces (Zhang et al. 2020) for each pair ``(left[k],
    right[k])`` of ``encoded``: :data:`EMBEDDING_FEATURES` after the sentence cosine.

    Each piece is matched to its most similar piece on the other side (greedy, cosine); the mean best
    cosine is the precision/recall of the matching, plain and weighted by rarity (``weights``).  The
    rarity mass left unmatched (``1 - best cosine``) and of pieces with no match above
    :data:`_WEAK_MATCH` says how much one sentence states that the other does not.  The pairs of one
    left sentence are matched in one product against all their right sentences' pieces.
    """
    found = np.zeros((len(left), len(EMBEDDING_FEATURES) - 1), dtype=np.float64)
    order = np.argsort(left, kind="stable")
    breaks = np.flatnonzero(np.diff(left[order])) + 1
    for positions in np.split(order, breaks):
        if not len(positions):
            continue
        first = encoded[int(left[positions[0]])]
        weight_a = weights[int(left[positions[0]])]
        if not len(first.tokens):
            continue
        positions = np.array([k for k in positions if len(encoded[int(right[k])].tokens)])
        if not len(positions):
            continue
        partners = [int(right[k]) for k in positions]
        sizes = np.array([len(encoded[j].tokens) for j in partners])
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        # In float64: a float32 product's rounding would depend on how many partners are stacked,
        # and a pair's features on the batch it came in.
        stacked = np.vstack([encoded[j].tokens for j in partners]).astype(np.float64)
        similarity = first.tokens.astype(np.float64) @ stacked.T
        best_a = np.maximum.reduceat(similarity, starts, axis=1)
        best_b = similarity.max(axis=0)
        weight_b = np.concatenate([weights[j] for j in partners])
        match_a = best_a.mean(axis=0)
        match_b = np.add.reduceat(best_b, starts) / sizes
        idf_a = weight_a @ best_a / weight_a.sum()
        idf_b = np.add.reduceat(best_b * weight_b, starts) / np.add.reduceat(weight_b, starts)
        unmatched_a = weight_a @ (1 - best_a)
        unmatched_b = np.add.reduceat((1 - best_b) * weight_b, starts)
        weak_a = weight_a @ (best_a < _WEAK_MATCH)
        weak_b = np.add.reduceat(weight_b * (best_b < _WEAK_MATCH), starts)
        both = idf_a + idf_b
        found[positions] = np.column_stack(
            [
                np.minimum(match_a, match_b),
                np.maximum(match_a, match_b),
                np.minimum(idf_a, idf_b),
                np.maximum(idf_a, idf_b),
                np.where(both > 0, 2 * idf_a * idf_b / np.where(both > 0, both, 1.0), 0.0),
                np.minimum(unmatched_a, unmatched_b),
                np.maximum(unmatched_a, unmatched_b),
                np.minimum(weak_a, weak_b),
                np.maximum(weak_a, weak_b),
            ]
        )
    return found


def pair_features(
    left: Sequence[str],
    right: Sequence[str],
    *,
    encoder: SentenceEncoder | None,
    left_hints: Sequence[Hints] | None = None,
    right_hints: Sequence[Hints] | None = None,
    corpus: Sequence[str] = (),
    background: Background | None = None,
) -> list[PairFeatures]:
    """The features of each pair ``(left[i], right[i])``.

    Rarity (IDF, of words and of word pieces) comes from ``corpus`` plus every sentence given (pass
    the story's claims as ``corpus`` when scoring a few pairs of a larger story), and word rarity
    also from ``background`` when given (see :class:`StatementContext`).  Each sentence is
    profiled and encoded once, however many pairs it is in.  Without an ``encoder`` the embedding
    features are 0.0.
    """
    context, pairs, hints, matrix = _pairs_matrix(
        left, right, encoder, left_hints, right_hints, corpus, background
    )
    return [
        PairFeatures(
            dict(zip(FEATURES, row.tolist(), strict=True)),
            number_agreement(
                context.profile_numbers(a, None if hints is None else hints[k][0]),
                context.profile_numbers(b, None if hints is None else hints[k][1]),
            ),
        )
        for k, ((a, b), row) in enumerate(zip(pairs, matrix, strict=True))
    ]


def _pairs_matrix(
    left: Sequence[str],
    right: Sequence[str],
    encoder: SentenceEncoder | None,
    left_hints: Sequence[Hints] | None,
    right_hints: Sequence[Hints] | None,
    corpus: Sequence[str],
    background: Background | None,
) -> tuple[
    StatementContext,
    list[tuple[str, str]],
    list[tuple[Hints | None, Hints | None]] | None,
    npt.NDArray[np.float64],
]:
    """The context, the pairs, their hints and their feature rows, for :func:`pair_features` and
    :func:`same_statement_scores`."""
    if len(left) != len(right):
        raise ValueError(f"{len(left)} left sentences but {len(right)} right ones")
    for given in (left_hints, right_hints):
        if given is not None and len(given) != len(left):
            raise ValueError("hints must give one entry per sentence")
    context = StatementContext(
        sorted(set(left) | set(right) | set(corpus)), encoder=encoder, background=background
    )
    pairs = list(zip(left, right, strict=True))
    hints: list[tuple[Hints | None, Hints | None]] | None = None
    if left_hints is not None or right_hints is not None:
        hints = [
            (
                left_hints[k] if left_hints is not None else None,
                right_hints[k] if right_hints is not None else None,
            )
            for k in range(len(pairs))
        ]
    return context, pairs, hints, context.feature_matrix(pairs, hints)


class StatementContext:
    """Everything about a set of sentences the pair features need, computed once: rarity (IDF over
    these sentences), TF-IDF vectors, word-piece vectors with an encoder, and each sentence's
    profile on first use.  Scoring pairs then costs their own features only
    (:meth:`feature_matrix`), whatever the number of sentences: a story's candidate pairs are
    scored without recomputing the story's rarity for every batch.

    ``background``: for sentences that come without their story (a lone pair), word rarity and the
    TF-IDF weights count the background's news sentences too, so a common word stays common
    (:mod:`newsfuse.stages.align.background`).  Word pieces' rarity (the embedding features) still
    comes from these sentences alone."""

    def __init__(
        self,
        texts: Sequence[str],
        *,
        encoder: SentenceEncoder | None = None,
        background: Background | None = None,
    ) -> None:
        self.texts = list(dict.fromkeys(texts))
        self._index = {t: i for i, t in enumerate(self.texts)}
        documents = [terms(t) for t in self.texts]
        frequency: Mapping[str, int] = _rarity(documents)
        total = len(self.texts)
        if background is not None:
            frequency = {t: c + background.frequency.get(t, 0) for t, c in frequency.items()}
            total += background.sentences
        self._rarity = {t: _idf(c, total) for t, c in frequency.items()}
        self._vectors = _tfidf_vectors(documents, frequency, total)
        self._encoded: list[Encoded] | None = None
        self._sentence_matrix: npt.NDArray[np.float32] | None = None
        self._piece_weights: list[npt.NDArray[np.float64]] = []
        if encoder is not None:
            self._encoded = encoder.encode_tokens(self.texts)
            piece_frequency = _rarity([e.pieces for e in self._encoded])
            self._piece_weights = [
                np.array(
                    [_idf(piece_frequency[p], len(self.texts)) for p in e.pieces],
                    dtype=np.float64,
                )
                for e in self._encoded
            ]
        self._profiles: dict[tuple[str, Hints | None], _Profile] = {}
        self._rows: ProfileRows | None = None
        self._read: set[str] = set()  # the sentences plain calls have read, until _rows is made

    def sentence_vectors(self) -> npt.NDArray[np.float32] | None:
        """The unit sentence embeddings of :attr:`texts`, when an encoder was given."""
        if self._encoded is None or not self._encoded:
            return None
        if self._sentence_matrix is None:
            self._sentence_matrix = np.stack([e.sentence for e in self._encoded])
        return self._sentence_matrix

    def positions(self, texts: Sequence[str]) -> npt.NDArray[np.intp]:
        """The row of each text in :attr:`texts` (and in :meth:`sentence_vectors`)."""
        return np.array([self._index[t] for t in texts], dtype=np.intp)

    def _profile(self, text: str, hints: Hints | None) -> _Profile:
        key = (text, hints)
        if key not in self._profiles:
            self._profiles[key] = _profile(text, hints, self._rarity)
        return self._profiles[key]

    def _rows_of(self, keys: Sequence[tuple[str, Hints | None]]) -> ProfileRows:
        """Rows of these sentences' profiles, each made for its row and dropped (the character
        n-gram sets of a large story's sentences would hold hundreds of MB as Python sets)."""
        return ProfileRows.build(
            (self._profiles.get(key) or _profile(key[0], key[1], self._rarity) for key in keys),
            tfidf=sparse_rows([self._vectors[self._index[text]] for text, _ in keys]),
            rarity=self._rarity,
        )

    def feature_matrix(
        self,
        pairs: Sequence[tuple[str, str]],
        hints: Sequence[tuple[Hints | None, Hints | None]] | None = None,
    ) -> npt.NDArray[np.float64]:
        """The :data:`FEATURES` of each pair of this context's sentences, one row per pair.

        The lexical features come from sparse rows of the sentences' profiles
        (:mod:`newsfuse.stages.align.pair_rows`): of every sentence, built once and kept, once
        the calls so far have read at least half of them (a story's candidate pairs, or many
        small calls); before that, of only the sentences a call reads (a few pairs scored
        against a story's rarity), and likewise for a call with ``hints`` (one entry per
        pair)."""
        if hints is not None and len(hints) != len(pairs):
            raise ValueError(f"{len(hints)} hints for {len(pairs)} pairs")
        found = np.zeros((len(pairs), len(FEATURES)), dtype=np.float64)
        if not pairs:
            return found
        plain = hints is None or all(h == (None, None) for h in hints)
        if plain and self._rows is None:
            self._read.update(text for pair in pairs for text in pair)
        keyed = [
            (
                (a, None if plain or hints is None else hints[k][0]),
                (b, None if plain or hints is None else hints[k][1]),
            )
            for k, (a, b) in enumerate(pairs)
        ]
        keys = list(dict.fromkeys(key for pair in keyed for key in pair))
        if plain and (self._rows is not None or 2 * len(self._read) >= len(self.texts)):
            if self._rows is None:
                self._rows = self._rows_of([(t, None) for t in self.texts])
                self._read.clear()
            rows = self._rows
            left = self.positions([a for a, _ in pairs])
            right = self.positions([b for _, b in pairs])
        else:
            row_of = {key: i for i, key in enumerate(keys)}
            rows = self._rows_of(keys)
            left = np.array([row_of[first] for first, _ in keyed], dtype=np.intp)
            right = np.array([row_of[second] for _, second in keyed], dtype=np.intp)
        found[:, : len(LEXICAL_COLUMNS)] = lexical_rows(rows, left, right)
        if self._encoded is not None:
            first = self.positions([a for a, _ in pairs])
            second = self.positions([b for _, b in pairs])
            sentences = self.sentence_vectors()
            assert sentences is not None
            found[:, len(LEXICAL_COLUMNS)] = np.einsum(
                "ij,ij->i", sentences[first], sentences[second]
            )
            found[:, len(LEXICAL_COLUMNS) + 1 :] = _soft_alignment(
                self._encoded, self._piece_weights, first, second
            )
        return found

    def profile_numbers(self, text: str, hints: Hints | None = None) -> frozenset[str]:
        """The figures of one of this context's sentences (the hints' when given), as its profile
        reads them, without making the rest of the profile."""
        if hints is not None and hints.numbers is not None:
            return hints.numbers
        return candidate_numbers(text)

    def features(
        self, a: str, b: str, a_hints: Hints | None = None, b_hints: Hints | None = None
    ) -> PairFeatures:
        """The features of one pair of sentences of this context (a batch of pairs is cheaper
        through :meth:`feature_matrix`)."""
        row = self.feature_matrix([(a, b)], [(a_hints, b_hints)])[0]
        return PairFeatures(
            dict(zip(FEATURES, row.tolist(), strict=True)),
            number_agreement(self.profile_numbers(a, a_hints), self.profile_numbers(b, b_hints)),
        )

    def overlap(self, a: str, b: str) -> dict[str, float]:
        """Only :data:`OVERLAP_FEATURES` of one pair (the same values :meth:`features` gives), for
        a decision that needs no more: a set intersection and a cosine, without the n-gram,
        subsequence and edit-distance work of the full set."""
        i, j = self._index[a], self._index[b]
        first, second = self._profile(a, None), self._profile(b, None)
        shared = sum(self._rarity[t] for t in first.content & second.content)
        low, high = _both_ways(shared, first.content_weight, second.content_weight)
        embedding = (
            float(np.dot(self._encoded[i].sentence, self._encoded[j].sentence))
            if self._encoded is not None
            else 0.0
        )
        return {
            "tfidf": cosine(self._vectors[i], self._vectors[j]),
            "coverage_idf_min": low,
            "coverage_idf_max": high,
            "embedding": embedding,
        }

    def scores(
        self, pairs: Sequence[tuple[str, str]], *, min_support: float = MIN_SUPPORT
    ) -> list[float]:
        """P(same statement) of each pair (0.0 outside the model's support)."""
        weights = WEIGHTS_EMBEDDING if self._encoded is not None else WEIGHTS_LEXICAL
        matrix = self.feature_matrix(pairs)
        supported = matrix[:, FEATURES.index(SUPPORT_FEATURE)] >= min_support
        return [float(x) for x in np.where(supported, weights.probabilities(matrix), 0.0)]


def same_statement_scores(
    left: Sequence[str],
    right: Sequence[str],
    *,
    encoder: SentenceEncoder | None,
    left_hints: Sequence[Hints] | None = None,
    right_hints: Sequence[Hints] | None = None,
    corpus: Sequence[str] = (),
    min_support: float = MIN_SUPPORT,
    background: Background | None = None,
) -> list[float]:
    """P(same statement) of each pair ``(left[i], right[i])``; 0.5 and above means "the same".

    With an ``encoder`` the embedding weights are used, without one the lexical weights.  Pairs
    outside the model's support (:data:`MIN_SUPPORT`) score 0.0.  Rarity as in
    :func:`pair_features`.
    """
    weights = WEIGHTS_EMBEDDING if encoder is not None else WEIGHTS_LEXICAL
    _, _, _, matrix = _pairs_matrix(
        left, right, encoder, left_hints, right_hints, corpus, background
    )
    supported = matrix[:, FEATURES.index(SUPPORT_FEATURE)] >= min_support
    return [float(x) for x in np.where(supported, weights.probabilities(matrix), 0.0)]


class StatementMatcher:
    """The same-statement decision as an object: scores pairs, decides, and scores a whole story.

    Also a :class:`newsfuse.stages.align.facts.PairScorer` (``similarity_matrix`` and ``threshold``),
    so fact alignment can use it in place of the plain lexical scorer.
    """

    def __init__(
        self,
        encoder: SentenceEncoder | None = None,
        threshold: float = _THRESHOLD,
        min_support: float = MIN_SUPPORT,
    ) -> None:
        self.encoder = encoder
        self._threshold = threshold
        self.min_support = min_support

    @property
    def threshold(self) -> float:
        return self._threshold

    @property
    def weights(self) -> Weights:
        return WEIGHTS_EMBEDDING if self.encoder is not None else WEIGHTS_LEXICAL

    def score(self, a: str, b: str, *, hints: tuple[Hints, Hints] | None = None) -> float:
        """P(``a`` and ``b`` are the same statement), the two read as a lone pair: word rarity
        from the shipped news background (:mod:`newsfuse.stages.align.background`) and the pair."""
        return same_statement_scores(
            [a],
            [b],
            encoder=self.encoder,
            left_hints=None if hints is None else [hints[0]],
            right_hints=None if hints is None else [hints[1]],
            min_support=self.min_support,
            background=load_background(),
        )[0]

    def decide(self, a: str, b: str, *, hints: tuple[Hints, Hints] | None = None) -> bool:
        """Whether ``a`` and ``b`` state the same thing."""
        return self.score(a, b, hints=hints) >= self._threshold

    def similarity_matrix(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Symmetric matrix of P(same statement) over all pairs of ``texts`` (1.0 on the diagonal);
        rarity from ``texts``, a story's sentences."""
        n = len(texts)
        matrix = np.eye(n, dtype=np.float64)
        if n < 2:
            return matrix
        rows, columns = np.triu_indices(n, k=1)
        scores = same_statement_scores(
            [texts[int(i)] for i in rows],
            [texts[int(j)] for j in columns],
            encoder=self.encoder,
            corpus=texts,
            min_support=self.min_support,
        )
        matrix[rows, columns] = scores
        matrix[columns, rows] = scores
        return matrix
