"""The same-statement decision: do two sentences from different articles say the same thing?

A pair is described by a few cheap, readable features and scored by a logistic regression whose
weights were fitted on the Microsoft Research Paraphrase Corpus (MSRP, news sentence pairs labelled
"same statement" or not) by ``benchmarks/alignment.py``.  The weights are pasted below as constants,
so scoring needs neither scikit-learn nor a training step, and the benchmark prints the fit it pasted
so a reader can check it.  Every figure it reports is 10-fold cross-validated.

Why these features:

* **lexical overlap** (TF-IDF cosine over stemmed content words, rapidfuzz ``token_set_ratio``, word
  bigram and character 4-gram overlap) – reworded reports of one event still share most words;
* **coverage** – the share of each sentence's content words the other one has, and how many it
  lacks: a sentence that adds a clause ("…, and sold it for $1.8 billion") says *more* than the other,
  which is the most common reason a near-identical pair is not the same statement;
* **figures** – a different number is strong evidence of a different statement (or of a conflict,
  which the caller handles separately: :func:`number_agreement` is exposed on its own for that);
* **named entities** – the same people, places and organisations; the pipeline passes its canonical
  entity keys, otherwise capitalised words stand in;
* **sentence embedding** (all-MiniLM-L6-v2 cosine) – paraphrases that share few words.

Two weight sets exist: with and without the embedding, so the decision works without the optional
model (:data:`WEIGHTS_LEXICAL`) and the benchmark can show what the model adds.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from newsfuse.stages.similarity import cosine, terms

if TYPE_CHECKING:
    from newsfuse.stages.align.embeddings import SentenceEncoder

__all__ = [
    "FEATURES",
    "WEIGHTS_EMBEDDING",
    "WEIGHTS_LEXICAL",
    "Hints",
    "PairFeatures",
    "StatementMatcher",
    "Weights",
    "candidate_entities",
    "candidate_numbers",
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


# Feature order of every weight vector.  "embedding" is 0.0 for the lexical weights.
FEATURES: tuple[str, ...] = (
    "tfidf",
    "token_set",
    "bigram_dice",
    "char4_dice",
    "coverage_min",
    "unmatched_log",
    "length_ratio",
    "numbers_conflict",
    "numbers_one_sided",
    "entity_jaccard",
    "entity_unmatched",
    "embedding",
)

# Fitted by `python benchmarks/alignment.py` on all 4,076 MSRP training pairs (L2 logistic
# regression, C=1, on standardised features, folded back to raw-feature weights).  Its printout
# lists the same numbers; re-fit and paste when a feature changes.
WEIGHTS_EMBEDDING = Weights(
    intercept=-6.5721,
    coefficients=(
        0.6318,  # tfidf
        -0.2886,  # token_set
        -2.9433,  # bigram_dice
        7.0450,  # char4_dice
        -1.7189,  # coverage_min
        -0.7708,  # unmatched_log
        4.4981,  # length_ratio
        -0.6397,  # numbers_conflict
        -0.0499,  # numbers_one_sided
        -0.5338,  # entity_jaccard
        0.0333,  # entity_unmatched
        4.4548,  # embedding
    ),
    uses_embedding=True,
)
WEIGHTS_LEXICAL = Weights(
    intercept=-6.1062,
    coefficients=(
        2.0489,  # tfidf
        0.9469,  # token_set
        -3.6001,  # bigram_dice
        8.0829,  # char4_dice
        -1.4532,  # coverage_min
        -0.5736,  # unmatched_log
        4.6951,  # length_ratio
        -0.5374,  # numbers_conflict
        -0.1853,  # numbers_one_sided
        -0.4106,  # entity_jaccard
        -0.0529,  # entity_unmatched
        0.0000,  # embedding
    ),
    uses_embedding=False,
)

_THRESHOLD = 0.5  # a calibrated probability: "same" when more likely than not

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
    """The features of one pair, by name; :meth:`vector` orders them as :data:`FEATURES`."""

    tfidf: float
    token_set: float
    bigram_dice: float
    char4_dice: float
    coverage_min: float
    unmatched_log: float
    length_ratio: float
    numbers_conflict: float
    numbers_one_sided: float
    entity_jaccard: float
    entity_unmatched: float
    embedding: float
    number_agreement: float | None  # see number_agreement(); not a model input itself

    def vector(self) -> tuple[float, ...]:
        return tuple(float(getattr(self, name)) for name in FEATURES)


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


@dataclass(frozen=True, slots=True)
class _Profile:
    """Everything about one sentence the pair features need, computed once per sentence."""

    content: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    char4: frozenset[str]
    lowered: str
    words: int
    numbers: frozenset[str]
    entities: frozenset[str]


def _profile(text: str, hints: Hints | None) -> _Profile:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    squashed = " ".join(words)
    return _Profile(
        content=frozenset(terms(text)),
        bigrams=frozenset(itertools.pairwise(words)),
        char4=frozenset(squashed[i : i + 4] for i in range(max(len(squashed) - 3, 0))),
        lowered=squashed,
        words=len(words),
        numbers=hints.numbers
        if hints is not None and hints.numbers is not None
        else candidate_numbers(text),
        entities=hints.entities
        if hints is not None and hints.entities is not None
        else candidate_entities(text),
    )


def _dice(left: frozenset[object], right: frozenset[object]) -> float:
    total = len(left) + len(right)
    return 2 * len(left & right) / total if total else 1.0


def _tfidf_vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """TF-IDF vectors with the idf floored at 1 (``ln((1+N)/(1+df)) + 1``).

    :func:`newsfuse.stages.similarity.tfidf` gives a term found in every document zero weight, which
    is right for a story's many sentences but, for a single pair, zeroes every shared word.  With the
    +1, a lone pair is scored by plain word overlap and a large batch by proper rarity.
    """
    documents = [terms(t) for t in texts]
    frequency = Counter(term for doc in documents for term in set(doc))
    total = len(documents)
    vectors: list[dict[str, float]] = []
    for doc in documents:
        vector = {
            t: (1 + math.log(c)) * (math.log((1 + total) / (1 + frequency[t])) + 1)
            for t, c in Counter(doc).items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def _features(a: _Profile, b: _Profile, tfidf: float, embedding: float) -> PairFeatures:
    shared = a.content & b.content
    coverage = min(
        len(shared) / len(a.content) if a.content else 1.0,
        len(shared) / len(b.content) if b.content else 1.0,
    )
    unmatched = len(a.content ^ b.content)
    agreement = number_agreement(a.numbers, b.numbers)
    both_numbers = bool(a.numbers) and bool(b.numbers)
    entity_union = a.entities | b.entities
    return PairFeatures(
        tfidf=tfidf,
        token_set=fuzz.token_set_ratio(a.lowered, b.lowered) / 100.0,
        bigram_dice=_dice(a.bigrams, b.bigrams),
        char4_dice=_dice(a.char4, b.char4),
        coverage_min=coverage,
        unmatched_log=math.log1p(unmatched),
        length_ratio=min(a.words, b.words) / max(a.words, b.words, 1),
        numbers_conflict=1.0 if both_numbers and a.numbers != b.numbers else 0.0,
        numbers_one_sided=1.0 if bool(a.numbers) != bool(b.numbers) else 0.0,
        entity_jaccard=len(a.entities & b.entities) / len(entity_union) if entity_union else 1.0,
        entity_unmatched=math.log1p(len(a.entities ^ b.entities)),
        embedding=embedding,
        number_agreement=agreement,
    )


def pair_features(
    left: Sequence[str],
    right: Sequence[str],
    *,
    encoder: SentenceEncoder | None,
    left_hints: Sequence[Hints] | None = None,
    right_hints: Sequence[Hints] | None = None,
    corpus: Sequence[str] = (),
) -> list[PairFeatures]:
    """The features of each pair ``(left[i], right[i])``.

    IDF comes from ``corpus`` plus every sentence given (pass the story's claims as ``corpus`` when
    scoring a few pairs of a larger story).  Without an ``encoder`` the embedding feature is 0.0.
    """
    if len(left) != len(right):
        raise ValueError(f"{len(left)} left sentences but {len(right)} right ones")
    for hints in (left_hints, right_hints):
        if hints is not None and len(hints) != len(left):
            raise ValueError("hints must give one entry per sentence")
    if not left:
        return []
    texts = sorted(set(left) | set(right) | set(corpus))
    index = {t: i for i, t in enumerate(texts)}
    vectors = _tfidf_vectors(texts)
    embeddings: npt.NDArray[np.float32] | None = None
    if encoder is not None:
        embeddings = encoder.encode(texts)
    profiles: dict[tuple[str, Hints | None], _Profile] = {}

    def profile(text: str, hints: Hints | None) -> _Profile:
        key = (text, hints)
        if key not in profiles:
            profiles[key] = _profile(text, hints)
        return profiles[key]

    found: list[PairFeatures] = []
    for position, (a, b) in enumerate(zip(left, right, strict=True)):
        i, j = index[a], index[b]
        embedding = 0.0 if embeddings is None else float(np.dot(embeddings[i], embeddings[j]))
        found.append(
            _features(
                profile(a, left_hints[position] if left_hints is not None else None),
                profile(b, right_hints[position] if right_hints is not None else None),
                cosine(vectors[i], vectors[j]),
                embedding,
            )
        )
    return found


def same_statement_scores(
    left: Sequence[str],
    right: Sequence[str],
    *,
    encoder: SentenceEncoder | None,
    left_hints: Sequence[Hints] | None = None,
    right_hints: Sequence[Hints] | None = None,
    corpus: Sequence[str] = (),
) -> list[float]:
    """P(same statement) of each pair ``(left[i], right[i])``; 0.5 and above means "the same".

    With an ``encoder`` the embedding weights are used, without one the lexical weights.
    """
    weights = WEIGHTS_EMBEDDING if encoder is not None else WEIGHTS_LEXICAL
    features = pair_features(
        left,
        right,
        encoder=encoder,
        left_hints=left_hints,
        right_hints=right_hints,
        corpus=corpus,
    )
    return [weights.probability(f.vector()) for f in features]


class StatementMatcher:
    """The same-statement decision as an object: scores pairs, decides, and scores a whole story.

    Also a :class:`newsfuse.stages.align.facts.PairScorer` (``similarity_matrix`` and ``threshold``),
    so fact alignment can use it in place of the plain lexical scorer.
    """

    def __init__(
        self, encoder: SentenceEncoder | None = None, threshold: float = _THRESHOLD
    ) -> None:
        self.encoder = encoder
        self._threshold = threshold

    @property
    def threshold(self) -> float:
        return self._threshold

    @property
    def weights(self) -> Weights:
        return WEIGHTS_EMBEDDING if self.encoder is not None else WEIGHTS_LEXICAL

    def score(self, a: str, b: str, *, hints: tuple[Hints, Hints] | None = None) -> float:
        """P(``a`` and ``b`` are the same statement)."""
        return same_statement_scores(
            [a],
            [b],
            encoder=self.encoder,
            left_hints=None if hints is None else [hints[0]],
            right_hints=None if hints is None else [hints[1]],
        )[0]

    def decide(self, a: str, b: str, *, hints: tuple[Hints, Hints] | None = None) -> bool:
        """Whether ``a`` and ``b`` state the same thing."""
        return self.score(a, b, hints=hints) >= self._threshold

    def similarity_matrix(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Symmetric matrix of P(same statement) over all pairs of ``texts`` (1.0 on the diagonal)."""
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
        )
        matrix[rows, columns] = scores
        matrix[columns, rows] = scores
        return matrix
