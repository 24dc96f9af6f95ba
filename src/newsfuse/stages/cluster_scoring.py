"""Learned link score of the story tracker: how likely an article reports the same story as a candidate.

Why learned: the hand-mixed score (term cosine with the story centroid, a fixed share of entity
cosine) misses reports whose outlets frame one event differently: "Sanders sends Democratic
establishment into panic mode" and "The evidence doesn't back Democrats' panic that Bernie can't win"
share few words with the *centroid*, but their headlines and leads share the rare ones.  A handful
of pair features, each cheap and bounded, weighed by a logistic regression fitted on the roundups
``train`` split (``benchmarks/fit_cluster_scorer.py`` refits and rewrites
:mod:`newsfuse.stages.cluster_weights`), separates same-story pairs better than any one of them.

Why the story's members and not only its centroid: a centroid averages its members, so one
article that shares a headline with one member but not the others is diluted by them.  Each story
keeps its ``members`` most recent articles as :class:`Member` sketches (capped terms, title terms,
numbers) and the article is scored against each (max link), so the cost per candidate is bounded
however big the story grows.

Features (all in [0, 1]; see :data:`FEATURES`):

* ``centroid``: IDF-weighted cosine of the article's terms with the story centroid (the old score);
* ``member``: the best such cosine with one of the kept members;
* ``title``: the best IDF-weighted cosine of the article's title terms with a member's;
* ``headline``: the best share of one headline's IDF mass found among the other article's terms,
  both ways averaged (a headline names the story; another outlet's lead repeats its rare words);
* ``coverage``: the share of the article's IDF mass the story centroid carries;
* ``entity``: cosine of the entity features (0 when either side has none);
* ``numbers``: shared numbers (two or more digits) with a member, capped at two;
* ``entity_member``: the best share of the article's entity IDF mass that one member names too
  (two earthquakes share "earthquake", not the town; two weeks' jobless claims share the words,
  not the week's figures and names);
* ``entity_novel``: the share of the article's entity IDF mass the story has never named (an
  article about another event brings people and places of its own);
* ``numbers_novel``: the share of the article's numbers that none of the kept members gives (0 when
  it gives none): next week's jobless claims repeat every word but the figures;
* ``member_margin``: how far the ``member`` cosine stands above the best *other* candidate's (the
  article's own best when it has one candidate).  An article that beats every other story by a
  wide margin belongs to it even at a modest cosine; a new story's article is about equally (un)like
  many stories;
* ``embedding``, ``embedding_margin``: cosine of the article's MiniLM vector with the story's mean,
  and its margin likewise (only in the embedding model).

The story size is deliberately *not* a feature: the roundups have exactly three articles a story,
so a fitted weight on size would learn the benchmark, not the news.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from newsfuse.stages import cluster_weights

__all__ = [
    "EMBEDDING_FEATURES",
    "FEATURES",
    "PAIR_FEATURES",
    "Link",
    "LinkModel",
    "Member",
    "Probe",
    "embedding_model",
    "link_features",
    "member_cosines",
    "numbers",
    "unranked_model",
    "with_margins",
    "words_model",
]

PAIR_FEATURES = (
    "centroid",
    "member",
    "title",
    "headline",
    "coverage",
    "entity",
    "numbers",
    "entity_member",
    "entity_novel",
    "numbers_novel",
)
"""Names of the features of one (article, story) pair, in the order :func:`link_features` gives."""

FEATURES = (*PAIR_FEATURES, "member_margin")
"""The words-only model's inputs: the pair features and the member cosine's margin."""

EMBEDDING_FEATURES = (
    "centroid",
    "member",
    "title",
    "headline",
    "coverage",
    "entity",
    "numbers",
    "member_margin_v1",
    "embedding",
    "embedding_margin_v1",
)
"""The embedding model's inputs: the earlier words-only features (before ``entity_member`` and
``entity_novel``) plus the MiniLM cosine and its margin.  It was fitted on roundups ``train`` with
MiniLM vectors and is not refitted with the words-only model (no vectors for ECB+ here); it was
fitted when a lone candidate's margins were its own values, so it reads them that way (``_v1``)."""

_NUMBER = re.compile(r"(?<![\w.,])\d[\d,.]*\d(?![\w])")
_MAX_SHARED_NUMBERS = 2


def numbers(text: str) -> tuple[str, ...]:
    """Distinct numbers of two or more digits in ``text`` ("36", "1,200" → "1200"), sorted.

    Figures are what different outlets copy most faithfully from one announcement.
    """
    found = {m.group(0).replace(",", "").rstrip(".") for m in _NUMBER.finditer(text)}
    return tuple(sorted(n for n in found if len(n) > 1))


@dataclass(frozen=True, slots=True)
class LinkModel:
    """A logistic regression over named link features: ``sigmoid(bias + weights · features)``."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def __post_init__(self) -> None:
        if len(self.features) != len(self.weights):
            raise ValueError("a link model needs one weight per feature")

    def probability(self, values: Sequence[float]) -> float:
        """The probability that the pair reports one story (features in :attr:`features` order)."""
        z = self.bias + sum(w * v for w, v in zip(self.weights, values, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


@cache
def words_model() -> LinkModel:
    """The fitted words-only model (:mod:`newsfuse.stages.cluster_weights`)."""
    return LinkModel(FEATURES, cluster_weights.WORDS_WEIGHTS, cluster_weights.WORDS_BIAS)


@cache
def unranked_model() -> LinkModel:
    """The fitted model without the margin (:data:`PAIR_FEATURES`), for the arrival-link graph."""
    return LinkModel(PAIR_FEATURES, cluster_weights.UNRANKED_WEIGHTS, cluster_weights.UNRANKED_BIAS)


@cache
def embedding_model() -> LinkModel:
    """The fitted model for trackers given MiniLM vectors."""
    return LinkModel(
        EMBEDDING_FEATURES, cluster_weights.EMBEDDING_WEIGHTS, cluster_weights.EMBEDDING_BIAS
    )


def member_cosines(left: Member, right: Member, idf: Callable[[str], float]) -> tuple[float, float]:
    """IDF-weighted cosines of two kept members' terms and of their headlines (binary terms)."""
    shared = sorted(left.terms.keys() & right.terms.keys())
    terms = sum(left.terms[t] * right.terms[t] * idf(t) ** 2 for t in shared)
    terms /= left.norm * right.norm or 1.0
    titles = sum(idf(t) ** 2 for t in sorted(set(left.title).intersection(right.title)))
    titles /= left.title_norm * right.title_norm or 1.0
    return terms, titles


@dataclass(slots=True)
class Member:
    """One kept article of a story: its capped terms (unit tf), title terms and numbers.

    ``norm`` is the IDF-weighted norm of ``terms``, ``title_norm`` and ``title_mass`` the norm and
    the IDF sum of the title terms, all refreshed with the story's norms (same staleness), so
    scoring a member costs no IDF look-ups of its own.  ``article_id`` and ``when`` (days since
    the epoch, None when undated) are the article's: the key a story keeps its members by when
    ``members_by`` is ``"time"`` (empty and None in states written before it).
    """

    terms: dict[str, float]
    title: tuple[str, ...]
    numbers: tuple[str, ...]
    entities: tuple[str, ...] = ()
    norm: float = 0.0
    title_norm: float = 0.0
    title_mass: float = 0.0
    article_id: str = ""
    when: float | None = None

    @property
    def key(self) -> tuple[bool, float, str]:
        """(dated, publication time, article id): a story with ``members_by = "time"`` keeps the
        members with the largest keys, the latest dated articles (undated ones only where too
        few are dated), ties and undated news by article id.  Nothing of the arrival order is in
        it, so the kept members are a function of the story's articles alone."""
        return (self.when is not None, self.when or 0.0, self.article_id)

    def state(self) -> dict[str, Any]:
        """JSON-ready plain values."""
        return {
            # pairs, not an object: PostgreSQL's JSONB reorders object keys, and the order of the
            # terms is the order their norm is summed in (a resumed tracker must not drift)
            "terms": [[term, weight] for term, weight in self.terms.items()],
            "title": list(self.title),
            "numbers": list(self.numbers),
            "entities": list(self.entities),
            "norm": self.norm,
            "title_norm": self.title_norm,
            "title_mass": self.title_mass,
            "article_id": self.article_id,
            "when": self.when,
        }

    @classmethod
    def from_state(cls, raw: Mapping[str, Any]) -> Member:
        """Inverse of :meth:`state`."""
        return cls(
            terms={str(k): float(v) for k, v in dict(raw["terms"]).items()},
            title=tuple(str(t) for t in raw["title"]),
            numbers=tuple(str(n) for n in raw["numbers"]),
            entities=tuple(str(e) for e in raw.get("entities", ())),
            norm=float(raw["norm"]),
            title_norm=float(raw["title_norm"]),
            title_mass=float(raw["title_mass"]),
            article_id=str(raw.get("article_id", "")),
            when=None if raw.get("when") is None else float(raw["when"]),
        )

    def refresh(self, idf: Callable[[str], float]) -> None:
        """Recompute the norms with the current IDF."""
        self.norm = math.sqrt(sum((v * idf(t)) ** 2 for t, v in self.terms.items()))
        weights = [idf(t) for t in self.title]
        self.title_norm = math.sqrt(sum(w * w for w in weights))
        self.title_mass = sum(weights)


@dataclass(frozen=True, slots=True)
class Probe:
    """The article side of every link, computed once per article (not once per candidate).

    ``terms`` are tf × IDF², so a dot product with raw (unit tf) weights is the IDF-weighted one.
    """

    terms: Mapping[str, float]
    term_norm: float
    idf: Mapping[str, float]  # IDF of each of the article's terms and title terms
    idf_mass: float  # sum of ``idf`` over the article's terms
    title: tuple[str, ...]
    title_norm: float
    title_mass: float
    numbers: frozenset[str]
    entities: Mapping[str, float] = field(default_factory=dict)  # IDF of the article's entities
    entity_mass: float = 0.0

    @classmethod
    def build(
        cls,
        terms: Mapping[str, float],
        term_norm: float,
        raw_terms: Sequence[str],
        title: Sequence[str],
        found_numbers: Sequence[str],
        idf: Callable[[str], float],
        entities: Sequence[str] = (),
    ) -> Probe:
        """A probe from the tracker's weighted terms, the raw term names, the title terms and the
        entity features."""
        weights = {t: idf(t) for t in [*raw_terms, *title]}
        named = {e: idf(e) for e in entities}
        return cls(
            terms=terms,
            term_norm=term_norm,
            idf=weights,
            idf_mass=sum(weights[t] for t in raw_terms) or 1.0,
            title=tuple(title),
            title_norm=math.sqrt(sum(weights[t] ** 2 for t in title)),
            title_mass=sum(weights[t] for t in title),
            numbers=frozenset(found_numbers),
            entities=named,
            entity_mass=sum(named[e] for e in sorted(named)),
        )


def link_features(
    probe: Probe,
    centroid_cosine: float,
    entity_cosine: float,
    centroid: Mapping[str, float],
    members: Sequence[Member],
    story_entities: Mapping[str, float] = MappingProxyType({}),
) -> list[float]:
    """The words-only features of one (article, story) pair, in :data:`PAIR_FEATURES` order."""
    member = title = headline = entity_member = 0.0
    shared_numbers = 0
    given: set[str] = set()
    for sketch in members:
        given.update(sketch.numbers)
        shared = sorted(probe.terms.keys() & sketch.terms.keys())
        dot = sum(probe.terms[t] * sketch.terms[t] for t in shared)
        member = max(member, dot / (probe.term_norm * sketch.norm or 1.0))
        title = max(title, _title_cosine(probe, sketch))
        headline = max(headline, _headline_share(probe, sketch))
        shared_numbers = max(shared_numbers, len(probe.numbers.intersection(sketch.numbers)))
        entity_member = max(entity_member, _entity_share(probe, sketch.entities))
    covered = sum(probe.idf[t] for t in sorted(probe.terms.keys() & centroid.keys()))
    novel = sum(probe.entities[e] for e in sorted(probe.entities.keys() - story_entities.keys()))
    return [
        centroid_cosine,
        member,
        title,
        headline,
        covered / probe.idf_mass,
        entity_cosine,
        min(shared_numbers, _MAX_SHARED_NUMBERS) / _MAX_SHARED_NUMBERS,
        entity_member,
        novel / probe.entity_mass if probe.entity_mass else 0.0,
        len(probe.numbers - given) / len(probe.numbers) if probe.numbers else 0.0,
    ]


def _entity_share(probe: Probe, named: Sequence[str]) -> float:
    """The share of the article's entity IDF mass that ``named`` (one member's entities) holds."""
    if not probe.entity_mass:
        return 0.0
    shared = sorted(probe.entities.keys() & set(named))
    return sum(probe.entities[e] for e in shared) / probe.entity_mass


def _title_cosine(probe: Probe, sketch: Member) -> float:
    """IDF-weighted cosine of two headlines' (binary) term sets."""
    if not probe.title or not sketch.title:
        return 0.0
    shared = sum(probe.idf[t] ** 2 for t in sorted(set(probe.title).intersection(sketch.title)))
    return shared / (probe.title_norm * sketch.title_norm or 1.0)


def _headline_share(probe: Probe, sketch: Member) -> float:
    """How much of each headline the other article's terms repeat (IDF mass), averaged.

    (The member's title terms found among the article's terms have their IDF in the probe.)
    """
    found = sum(probe.idf[t] for t in probe.title if t in sketch.terms)
    echoed = sum(probe.idf[t] for t in sketch.title if t in probe.terms)
    return 0.5 * (found / (probe.title_mass or 1.0) + echoed / (sketch.title_mass or 1.0))


@dataclass(frozen=True, slots=True)
class Link:
    """One candidate story as the learned scorer sees it.

    ``values`` are the :data:`PAIR_FEATURES`, ``semantic`` the embedding cosine (None without
    vectors), ``decay`` the time decay the probability is multiplied by, and ``margins`` what
    :func:`with_margins` adds (member margin, embedding margin, and 1.0 when the link was the
    only candidate, else 0.0).
    """

    story_id: str
    values: list[float]
    semantic: float | None
    decay: float
    margins: tuple[float, ...] = ()

    def named(self) -> dict[str, float]:
        """Every feature of the link by name (the embedding ones only when it has a vector)."""
        found = dict(zip(PAIR_FEATURES, self.values, strict=True))
        found["member_margin"] = self.margins[0]
        if self.semantic is not None:
            found["embedding"] = self.semantic
            found["embedding_margin"] = self.margins[1]
            alone = self.margins[2] > 0
            found["member_margin_v1"] = found["member"] if alone else self.margins[0]
            found["embedding_margin_v1"] = self.semantic if alone else self.margins[1]
        return found

    def row(self, features: Sequence[str] = FEATURES) -> list[float]:
        """The inputs of a model reading ``features``, in that order."""
        named = self.named()
        return [named[name] for name in features]

    def probability(self) -> float:
        """The time-decayed probability that the article belongs to this story."""
        model = words_model() if self.semantic is None else embedding_model()
        return model.probability(self.row(model.features)) * self.decay

    def unranked_probability(self) -> float:
        """The time-decayed probability of the unranked model (:func:`unranked_model`: the same
        examples, fitted without the margin): the article against this story on its own, as if
        no other candidate stood beside it.

        Why: a margin says how far a candidate stands above the article's *other* candidates,
        which depends on which stories happened to exist when it arrived (the arrival order).  A
        join needs that (the best of several stories), but the arrival-link graph
        (``merge_linkage = "graph"``) asks whether two stories are one, and there a margin counts
        against exactly the pairs in question: when one story is split in two, an article that
        joins one half scores the other half with a negative margin.  With embeddings (a model
        fitted with margins only) the margins are set to 0 instead.
        """
        if self.semantic is None:
            return unranked_model().probability(self.values) * self.decay
        plain = Link(self.story_id, self.values, self.semantic, self.decay, (0.0, 0.0, 0.0))
        return embedding_model().probability(plain.row(EMBEDDING_FEATURES)) * self.decay


def with_margins(links: Sequence[Link]) -> list[Link]:
    """The links with each one's margins over the best of the *other* candidates."""
    member = _margins([link.values[PAIR_FEATURES.index("member")] for link in links])
    semantic = _margins([link.semantic or 0.0 for link in links])
    alone = float(len(links) == 1)
    return [
        Link(link.story_id, link.values, link.semantic, link.decay, (m, s, alone))
        for link, m, s in zip(links, member, semantic, strict=True)
    ]


def _margins(values: Sequence[float]) -> list[float]:
    """Each value minus the largest of the others (0 when there are no others: one candidate
    has beaten nobody, and counting its whole value as a margin made the first article of a
    topic's second event join the first event's story, the only one there to compare with)."""
    if len(values) < 2:
        return [0.0] * len(values)
    ranked = sorted(range(len(values)), key=lambda i: -values[i])
    first, second = values[ranked[0]], values[ranked[1]]
    return [v - (second if i == ranked[0] else first) for i, v in enumerate(values)]
