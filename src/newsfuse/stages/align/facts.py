"""Claims of different articles that report the same thing become one Fact.

The chain, linear in the story's claims up to the candidate lists' size:

1. every claim is profiled once (:func:`~newsfuse.stages.align.claim_features.prepare_claims`);
2. **candidates**: each claim's few most promising claims of *other* articles, found through an
   inverted index of rare words, names, figures and quotations (and embeddings, when on) —
   :func:`~newsfuse.stages.align.candidates.candidate_pairs`, never all pairs;
3. **the same-fact decision** on those pairs only (:class:`~newsfuse.stages.align.same_fact.
   FactMatcher`: the MSRP-fitted same-statement model, the story's rarity computed once);
4. **facts**: pairs at or above the threshold are joined strongest first, and two groups join only
   when the claims of different articles across them score on average at least the link threshold
   (average linkage; pairs never scored are scored then).  So A~B and B~C do not make A and C one
   fact when A and C say different things: a chain of weak links cannot stretch a fact.

One article may give several claims of one fact (a lead restated lower down); sources are counted by
:class:`~newsfuse.stages.align.sources.SourceIndex` (an outlet and a near-duplicate family once, a
claim relayed from another outlet of the story for that outlet).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsfuse.models import Article, Claim, Fact, Span, content_id
from newsfuse.stages.align.candidates import PER_CLAIM, candidate_pairs
from newsfuse.stages.align.same_fact import FactMatcher, PreparedClaims
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.grouping import UnionFind

__all__ = [
    "MIN_CLAIM_WORDS",
    "Alignment",
    "ClaimRef",
    "align_facts",
    "group_claims",
    "sentence_units",
]

_JOINS_AHEAD = 256
"""Joins whose claim pairs :func:`group_claims` scores in one call before trying them."""
MIN_CLAIM_WORDS = 5  # shorter sentences ("Kabul denies this.") state too little to align
_DANGLING_PENALTY = 1000.0  # never show "He warned …" when another outlet names the speaker
_DANGLING = frozenset({"he", "she", "they", "it", "this", "that", "these", "those", "his", "her"})

Indices = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]


def _dangling(text: str) -> bool:
    """Whether a sentence leans on the one before it ("He said …") to make sense."""
    first = text.split(maxsplit=1)[0].lower() if text.split() else ""
    return first in _DANGLING


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """A claim with the article it belongs to."""

    article: Article
    claim: Claim


class _PairScores:
    """Same-fact probabilities of claim pairs: the candidates' up front, any other pair on demand.

    Scoring pays a fixed cost per call (:mod:`.pair_rows` builds a few sparse products), so pairs
    that will probably be asked for can be scored ahead in one call (:meth:`prefetch`); they count
    as scored only once asked for, so what the grouping reports as scored does not depend on it.
    """

    def __init__(self, claims: PreparedClaims, matcher: FactMatcher) -> None:
        self._claims = claims
        self._matcher = matcher
        self._known: dict[tuple[int, int], float] = {}
        self._ahead: dict[tuple[int, int], float] = {}

    def at_least(self, threshold: float) -> list[tuple[int, int]]:
        """Every scored pair at or above ``threshold``, sorted."""
        return sorted(k for k, s in self._known.items() if s >= threshold)

    def items(self) -> list[tuple[tuple[int, int], float]]:
        """Every scored pair and its score, sorted by pair."""
        return sorted(self._known.items())

    def add(self, left: Indices, right: Indices, scores: Floats) -> None:
        for i, j, s in zip(left.tolist(), right.tolist(), scores.tolist(), strict=True):
            self._known[(min(i, j), max(i, j))] = s

    def prefetch(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Score now, in one call, those of ``pairs`` not scored yet."""
        missing = sorted(
            {(min(i, j), max(i, j)) for i, j in pairs} - self._known.keys() - self._ahead.keys()
        )
        self._ahead.update(zip(missing, self._score(missing), strict=True))

    def mean(self, pairs: list[tuple[int, int]]) -> float:
        keys = [(min(i, j), max(i, j)) for i, j in pairs]
        for key in keys:
            if key not in self._known and key in self._ahead:
                self._known[key] = self._ahead.pop(key)
        missing = sorted({k for k in keys if k not in self._known})
        self._known.update(zip(missing, self._score(missing), strict=True))
        return float(np.mean([self._known[k] for k in keys])) if keys else 0.0

    def _score(self, pairs: Sequence[tuple[int, int]]) -> list[float]:
        """The matcher's scores of ``pairs`` (each ``(i, j)`` with ``i < j``), in one call."""
        if not pairs:
            return []
        left = np.array([i for i, _ in pairs], dtype=np.intp)
        right = np.array([j for _, j in pairs], dtype=np.intp)
        scores: list[float] = self._matcher.score(self._claims, left, right).tolist()
        return scores


def group_claims(
    claims: PreparedClaims, article_of: Indices, matcher: FactMatcher, *, per_claim: int = PER_CLAIM
) -> tuple[list[list[int]], _PairScores]:
    """Claims in groups that state one fact each (see the module docstring), every claim in one.

    Cost: O(n · per_claim) candidate pairs scored, plus, per join, the pairs across the two groups
    that were not candidates (bounded by the facts' sizes, not the story's).
    """
    n = len(claims)
    left, right = candidate_pairs(claims.index, article_of, per_claim=per_claim)
    scores = matcher.score(claims, left, right)
    known = _PairScores(claims, matcher)
    known.add(left, right, scores)
    linked = UnionFind[int](range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    strong = np.flatnonzero(scores >= matcher.threshold)
    # Strongest first, ties in (i, j) order, so the joins do not depend on the candidates' order.
    order = sorted((-float(scores[k]), int(left[k]), int(right[k])) for k in strong)

    def across(i: int, j: int) -> list[tuple[int, int]]:
        a, b = linked.find(i), linked.find(j)
        if a == b:
            return []
        return [(x, y) for x in members[a] for y in members[b] if article_of[x] != article_of[y]]

    for start in range(0, len(order), _JOINS_AHEAD):
        ahead = order[start : start + _JOINS_AHEAD]
        known.prefetch(pair for _, i, j in ahead for pair in across(i, j))
        for _, i, j in ahead:
            pairs = across(i, j)
            if not pairs or known.mean(pairs) < matcher.link_threshold:
                continue
            a, b = linked.find(i), linked.find(j)
            root = linked.union(a, b)
            members[root] = sorted(members.pop(a) + members.pop(b))
    return [members[root] for root in sorted(members)], known


@dataclass(frozen=True, slots=True)
class Alignment:
    """What grouping the claims found.

    ``members``: each fact's claims; ``related``: pairs of facts (indices into ``facts``, lower
    first) with a scored claim pair at or above the related threshold; ``nearest``: for a fact and
    an outlet that does not carry it, the outlet's best-scoring claim against the fact's claims and
    that score, among the pairs scored while grouping (no extra scoring).
    """

    facts: tuple[Fact, ...]
    members: dict[str, tuple[ClaimRef, ...]]
    related: list[tuple[int, int]]
    nearest: dict[tuple[str, str], tuple[Span, float]]


def sentence_units(article: Article) -> list[Claim]:
    """Each sentence as one unit, with the mentions of its claims and its first claim's quote.

    Whole sentences, fragments included: the claims drop a sentence that states nothing alone by
    the extract stage's rules (a lowercase start, an unbalanced quotation mark), but one sentence
    of a quotation that runs over several ("He called her a third-rate politician," Schumer told
    reporters) still corroborates another outlet's report of it, and readers label it so."""
    starts = [s.start for s in article.sentences]
    claims_of: dict[int, list[Claim]] = {}
    for claim in article.claims:
        claims_of.setdefault(bisect.bisect_right(starts, claim.span.start) - 1, []).append(claim)
    units = []
    for position, sentence in enumerate(article.sentences):
        members = claims_of.get(position, [])
        if len(members) == 1 and members[0].span == sentence:
            units.append(members[0])
            continue
        units.append(
            Claim(
                id=content_id(article.id, str(sentence.start), str(sentence.end), prefix="clm_"),
                span=sentence,
                text=article.text[sentence.start : sentence.end],
                mentions=tuple(dict.fromkeys(m for c in members for m in c.mentions)),
                quote=next((c.quote for c in members if c.quote is not None), None),
            )
        )
    return units


def align_facts(
    articles: Sequence[Article],
    matcher: FactMatcher,
    sources: SourceIndex,
    *,
    related_threshold: float = 1.0,
    units: str = "claims",
) -> Alignment:
    """Group the story's claims into facts (see the module docstring).

    ``units``: ``claims`` compares the claims themselves; ``sentences`` compares whole sentences
    (:func:`sentence_units`), what the pair encoder was trained on (see
    ``newsfuse.config.UNITS``)."""
    ordered = sorted(articles, key=lambda a: (a.published_at or "9999", a.id))
    refs = [
        ClaimRef(article, claim)
        for article in ordered
        for claim in (sentence_units(article) if units == "sentences" else article.claims)
        if len(claim.text.split()) >= MIN_CLAIM_WORDS
    ]
    if not refs:
        return Alignment((), {}, [], {})
    position = {a.id: i for i, a in enumerate(ordered)}
    article_of = np.array([position[r.article.id] for r in refs], dtype=np.intp)
    claims = matcher.prepare([r.claim.text for r in refs])
    groups, known = group_claims(claims, article_of, matcher)
    facts: list[Fact] = []
    members: dict[str, tuple[ClaimRef, ...]] = {}
    fact_of_claim: dict[int, str] = {}
    outlets_of: dict[str, set[str]] = {}
    for indices in groups:
        fact, group = _fact([refs[i] for i in indices], indices, article_of, known, sources)
        facts.append(fact)
        members[fact.id] = group
        fact_of_claim.update(dict.fromkeys(indices, fact.id))
        outlets_of[fact.id] = set(fact.outlets)
    facts.sort(key=lambda f: (-f.independent_sources, min(f.claims).article_id, f.id))
    position_of = {f.id: i for i, f in enumerate(facts)}
    related = sorted(
        {
            (min(a, b), max(a, b))
            for i, j in known.at_least(related_threshold)
            if (a := position_of[fact_of_claim[i]]) != (b := position_of[fact_of_claim[j]])
        }
    )
    nearest: dict[tuple[str, str], tuple[Span, float]] = {}
    floor = matcher.at_share(0.0)
    for (i, j), score in known.items():
        if score <= floor:
            continue  # nothing in common: no passage is "near" at the decision's floor
        for own, other in ((i, j), (j, i)):
            fact_id = fact_of_claim[own]
            outlet = sources.outlet(refs[other].article.id)
            if outlet in outlets_of[fact_id]:
                continue
            best = nearest.get((fact_id, outlet))
            if best is None or score > best[1]:
                nearest[(fact_id, outlet)] = (refs[other].claim.span, score)
    return Alignment(tuple(facts), members, related, nearest)


def _fact(
    refs: list[ClaimRef],
    indices: list[int],
    article_of: Indices,
    known: _PairScores,
    sources: SourceIndex,
) -> tuple[Fact, tuple[ClaimRef, ...]]:
    # The representative wording: the claim that matches the other outlets' claims best on average
    # (ties: earliest), never one that leans on the sentence before it when another one exists.
    centrality = []
    for position, i in enumerate(indices):
        others = [(i, j) for j in indices if article_of[j] != article_of[i]]
        score = known.mean(others) if others else 0.0
        centrality.append(
            score - (_DANGLING_PENALTY if _dangling(refs[position].claim.text) else 0)
        )
    representative = refs[int(np.argmax(centrality))]
    article_ids = {r.article.id for r in refs}
    count = sources.count_claims(
        (r.article.id, r.claim.quote.speaker if r.claim.quote is not None else None) for r in refs
    )
    spans = tuple(sorted(r.claim.span for r in refs))
    when = Counter(
        m.norm
        for r in refs
        for m in r.claim.mentions
        if m.label == "DATE" and len(m.norm) == 10 and "X" not in m.norm
    ).most_common(1)
    fact = Fact(
        id=content_id(*(f"{s.article_id}:{s.start}:{s.end}" for s in spans), prefix="fct_"),
        text=representative.claim.text,
        claims=spans,
        outlets=tuple(sorted({sources.outlet(a) for a in article_ids})),
        independent_sources=count,
        status="corroborated" if count >= 2 else "single_source",
        when=when[0][0] if when else None,
    )
    return fact, tuple(sorted(refs, key=lambda r: r.claim.span))
