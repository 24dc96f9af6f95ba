"""Which facts each candidate sentence states: the concepts the brief covers.

The facts of the corroboration stage are claims (clauses) grouped across outlets.  A sentence states
a fact when one of the fact's claims lies at least half inside the sentence's span; the same rule
decides which facts support a brief sentence, so the brief's sources and single-source marks are
the Facts section's.  Linear in claims: each claim is placed by a binary search over its article's
candidate starts.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from newsfuse.models import Fact, Span

__all__ = ["facts_of_sentences", "inside"]


def inside(claim: Span, sentence: Span) -> bool:
    """Whether at least half of ``claim`` lies inside ``sentence`` (same article assumed)."""
    overlap = min(claim.end, sentence.end) - max(claim.start, sentence.start)
    return 2 * overlap >= claim.end - claim.start > 0


def facts_of_sentences(spans: Sequence[Span], facts: Sequence[Fact]) -> list[tuple[int, ...]]:
    """For each sentence span, the indices (into ``facts``, ascending) of the facts it states."""
    by_article: dict[str, list[tuple[int, int]]] = {}
    for index, span in enumerate(spans):
        by_article.setdefault(span.article_id, []).append((span.start, index))
    for entries in by_article.values():
        entries.sort()
    found: list[set[int]] = [set() for _ in spans]
    for number, fact in enumerate(facts):
        for claim in fact.claims:
            starts = by_article.get(claim.article_id, [])
            position = bisect.bisect_right(starts, (claim.start, len(spans))) - 1
            for k in (position, position + 1):  # the sentence it starts in, or the next one
                if 0 <= k < len(starts) and inside(claim, spans[starts[k][1]]):
                    found[starts[k][1]].add(number)
    return [tuple(sorted(f)) for f in found]
