"""A title that takes no side: no disputed figure, no outlet's loaded word, the latest development.

Outlets' headlines are the candidates (a headline written like a menu, with two or more "|", is
not).  A headline part ("…, 41 ships stranded", "Militant union holds nation to ransom as …") that
gives a figure the outlets dispute or a word the framing step calls loaded is cut at its clause
boundary (",", ":", ";", " as ", " after ", " - "); a headline left with fewer than three words is
dropped.  When the story has moved, the headlines of its latest phase are preferred.  Among the
rest, the one closest to all the headlines wins (mean TF-IDF cosine: the common ground), ties by
the earliest article.  Without any usable headline, the brief's first sentence, cut at 12 words.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from newsfuse.models import Article, CitedSentence, Phase
from newsfuse.stages.similarity import cosine, terms, tfidf

__all__ = ["neutral_title"]

_CLAUSE = re.compile(r",\s+|:\s+|;\s+|\s+[-–—]\s+|\s+(?=(?:as|after|while|with|amid)\s)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MIN_WORDS = 3


def neutral_title(
    articles: Sequence[Article],
    brief: Sequence[CitedSentence],
    *,
    disputed: Collection[str] = (),
    loaded: Collection[str] = (),
    latest: Phase | None = None,
) -> str:
    """The story's title (rules above); ``disputed`` figures and ``loaded`` words to keep out."""
    headlines = [
        (a.id, a.title) for a in articles if a.title and a.title.count("|") < 2
    ]  # articles come in publication order
    cleaned = [(aid, _clean(title, disputed, loaded)) for aid, title in headlines]
    usable = [(aid, title) for aid, title in cleaned if title]
    if latest is not None:
        preferred = [(aid, t) for aid, t in usable if aid in latest.article_ids]
        usable = preferred or usable
    if usable:
        vectors = tfidf([terms(t) for _, t in usable])
        total: dict[str, float] = {}
        for vector in vectors:
            for term, weight in vector.items():
                total[term] = total.get(term, 0.0) + weight
        best = max(range(len(usable)), key=lambda i: (cosine(vectors[i], total), -i))
        return usable[best][1]
    if brief:
        words = brief[0].text.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return "Untitled story"


def _clean(title: str, disputed: Collection[str], loaded: Collection[str]) -> str | None:
    """The title without the parts that take a side, or None when too little is left."""
    parts = _CLAUSE.split(title)
    kept: list[str] = []
    for part in parts:
        if _takes_side(part, disputed, loaded):
            break  # what follows depends on the part cut out
        kept.append(part)
    text = ", ".join(p.strip() for p in kept if p.strip()) if len(kept) < len(parts) else title
    return text if len(text.split()) >= _MIN_WORDS else None


def _takes_side(part: str, disputed: Collection[str], loaded: Collection[str]) -> bool:
    figures = {n.replace(",", "") for n in _NUMBER.findall(part)}
    if figures & set(disputed):
        return True
    lowered = part.lower()
    return any(re.search(rf"\b{re.escape(word.lower())}\b", lowered) for word in loaded)
