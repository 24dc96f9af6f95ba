"""Claims of different articles that state the same thing become one Fact.

Every claim (a sentence, for now) is compared with the claims of every other article.  Two claims are
linked when each is the other's best match in the other article (mutual best) and the pair scorer
says they are the same statement.  Linked claims form facts, strongest links first, and two groups
of claims join only when their claims match on average (average linkage) and come from different
articles.  Mutual-best linking keeps one article from pulling unrelated sentences into a fact; the
average keeps a chain of pairwise links from joining claims that do not match each other.

The pair scorer is pluggable (:class:`PairScorer`); the pipeline uses the trained
:class:`~newsfuse.stages.align.pairs.StatementMatcher`, with or without sentence embeddings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from newsfuse.models import Article, Claim, Fact, content_id
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.grouping import UnionFind

__all__ = ["ClaimRef", "PairScorer", "align_facts"]

MIN_CLAIM_WORDS = 5  # shorter sentences ("Kabul denies this.") state too little to align
_DANGLING_PENALTY = 1000.0  # never show "He warned …" when another outlet names the speaker
_DANGLING = frozenset({"he", "she", "they", "it", "this", "that", "these", "those", "his", "her"})


def _dangling(text: str) -> bool:
    """Whether a sentence leans on the one before it ("He said …") to make sense."""
    first = text.split(maxsplit=1)[0].lower() if text.split() else ""
    return first in _DANGLING


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """A claim with the article it belongs to."""

    article: Article
    claim: Claim


class PairScorer(Protocol):
    """Decides which claim pairs state the same thing."""

    def similarity_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """A symmetric matrix of same-statement scores for all pairs of ``texts``."""
        ...

    @property
    def threshold(self) -> float:
        """Scores at or above this mean "the same statement"."""
        ...


def align_facts(
    articles: Sequence[Article],
    scorer: PairScorer,
    sources: SourceIndex,
    *,
    average_linkage: bool = True,
) -> tuple[tuple[Fact, ...], dict[str, tuple[ClaimRef, ...]]]:
    """Group the story's claims into facts; also return each fact's claims for later analysis.

    ``average_linkage=False`` joins groups on their strongest link alone (single linkage, as before
    the average was required): kept so ``benchmarks/facts.py`` can show what the average buys.
    """
    refs = [
        ClaimRef(article, claim)
        for article in sorted(articles, key=lambda a: (a.published_at or "9999", a.id))
        for claim in article.claims
        if len(claim.text.split()) >= MIN_CLAIM_WORDS
    ]
    if not refs:
        return (), {}
    scores = scorer.similarity_matrix([r.claim.text for r in refs])
    linked = UnionFind[int](range(len(refs)))

    # Strongest links first; a fact never takes two claims of one article, so a chain of weak links
    # cannot fold an article's neighbouring sentences into one fact; and two groups join only when
    # their claims match on average (average linkage), so A~B and B~C do not make A and C one fact
    # when A and C say different things.
    articles_of: dict[int, set[str]] = {i: {ref.article.id} for i, ref in enumerate(refs)}
    members_of: dict[int, list[int]] = {i: [i] for i in range(len(refs))}
    pairs = _mutual_best_pairs(refs, scores, scorer.threshold)
    for i, j in sorted(pairs, key=lambda p: (-scores[p[0], p[1]], p)):
        left, right = linked.find(i), linked.find(j)
        if left == right or articles_of[left] & articles_of[right]:
            continue
        if average_linkage and _mean_score(scores, members_of[left], members_of[right]) < (
            scorer.threshold
        ):
            continue
        root = linked.union(left, right)
        articles_of[root] = articles_of.pop(left) | articles_of.pop(right)
        members_of[root] = members_of.pop(left) + members_of.pop(right)
    components: dict[int, list[int]] = defaultdict(list)
    for index in range(len(refs)):
        components[linked.find(index)].append(index)
    facts: list[Fact] = []
    members: dict[str, tuple[ClaimRef, ...]] = {}
    for indices in components.values():
        fact, claims = _fact([refs[i] for i in indices], scores[np.ix_(indices, indices)], sources)
        facts.append(fact)
        members[fact.id] = claims
    facts.sort(key=lambda f: (-f.independent_sources, min(f.claims).article_id, f.id))
    return tuple(facts), members


def _mean_score(scores: np.ndarray, left: list[int], right: list[int]) -> float:
    """The average same-statement score between two groups of claims (average linkage)."""
    return float(scores[np.ix_(left, right)].mean())


def _mutual_best_pairs(
    refs: list[ClaimRef], scores: np.ndarray, threshold: float
) -> list[tuple[int, int]]:
    by_article: dict[str, list[int]] = defaultdict(list)
    for index, ref in enumerate(refs):
        by_article[ref.article.id].append(index)
    groups = [np.array(v) for _, v in sorted(by_article.items())]
    pairs: list[tuple[int, int]] = []
    for a, left in enumerate(groups):
        for right in groups[a + 1 :]:
            block = scores[np.ix_(left, right)]
            best_right = block.argmax(axis=1)
            best_left = block.argmax(axis=0)
            for row, column in enumerate(best_right):
                if best_left[column] == row and block[row, column] >= threshold:
                    pairs.append((int(left[row]), int(right[column])))
    return sorted(pairs)


def _fact(
    refs: list[ClaimRef], scores: np.ndarray, sources: SourceIndex
) -> tuple[Fact, tuple[ClaimRef, ...]]:
    # The representative wording: the claim most similar to the others (ties: earliest).
    centrality = scores.sum(axis=1) - np.array(
        [_DANGLING_PENALTY if _dangling(r.claim.text) else 0.0 for r in refs]
    )
    representative = refs[int(np.argmax(centrality))]
    article_ids = {r.article.id for r in refs}
    count = sources.count(article_ids)
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
