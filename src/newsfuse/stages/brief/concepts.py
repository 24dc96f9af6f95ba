"""Which facts each candidate sentence states: the concepts the brief covers.

The facts of the corroboration stage are claims (clauses) grouped across outlets.  A sentence states
a fact when one of the fact's claims lies at least half inside the sentence's span; the same rule
decides which facts support a brief sentence, so the brief's sources and single-source marks are
the Facts section's.  How much of the sentence a fact's claims take up (:func:`fact_shares`) says
whether the fact is the sentence's main content or a side of it: selection excludes a sentence only
when its main content is a fact already stated.  Linear in claims: each claim is placed by a binary
search over its article's candidate starts.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from newsfuse.models import Fact, Span

__all__ = ["fact_shares", "facts_of_sentences", "inside"]


def inside(claim: Span, sentence: Span) -> bool:
    """Whether at least half of ``claim`` lies inside ``sentence`` (same article assumed)."""
    overlap = min(claim.end, sentence.end) - max(claim.start, sentence.start)
    return 2 * overlap >= claim.end - claim.start > 0


def facts_of_sentences(spans: Sequence[Span], facts: Sequence[Fact]) -> list[tuple[int, ...]]:
    """For each sentence span, the indices (into ``facts``, ascending) of the facts it states."""
    return [tuple(sorted(found)) for found in _placed(spans, facts)]


def fact_shares(spans: Sequence[Span], facts: Sequence[Fact]) -> list[dict[int, float]]:
    """For each sentence span, each fact it states (index into ``facts``) and the share of the
    sentence's characters that the fact's claims cover (their union, clipped to the sentence)."""
    shares: list[dict[int, float]] = []
    for span, found in zip(spans, _placed(spans, facts), strict=True):
        length = max(1, span.end - span.start)
        shares.append({fact: _union(parts) / length for fact, parts in sorted(found.items())})
    return shares


def _placed(spans: Sequence[Span], facts: Sequence[Fact]) -> list[dict[int, list[tuple[int, int]]]]:
    """Per sentence: each fact it states and the parts of the sentence its claims cover."""
    by_article: dict[str, list[tuple[int, int]]] = {}
    for index, span in enumerate(spans):
        by_article.setdefault(span.article_id, []).append((span.start, index))
    for entries in by_article.values():
        entries.sort()
    found: list[dict[int, list[tuple[int, int]]]] = [{} for _ in spans]
    for number, fact in enumerate(facts):
        for claim in fact.claims:
            starts = by_article.get(claim.article_id, [])
            position = bisect.bisect_right(starts, (claim.start, len(spans))) - 1
            for k in (position, position + 1):  # the sentence it starts in, or the next one
                if 0 <= k < len(starts):
                    sentence = spans[starts[k][1]]
                    if inside(claim, sentence):
                        part = (max(claim.start, sentence.start), min(claim.end, sentence.end))
                        found[starts[k][1]].setdefault(number, []).append(part)
    return found


def _union(parts: list[tuple[int, int]]) -> int:
    """The number of characters the intervals cover together."""
    total, reached = 0, -1
    for start, end in sorted(parts):
        if end > reached:
            total += end - max(start, reached)
            reached = end
    return total
