"""Framing: the words each outlet chooses where others choose differently.

Two documented word lists drive it, because framing is about *which* words, and a reader must be able
to check why a word was flagged:

* ``CHOICES`` – groups of alternatives for the same referent or act ("regime" / "government" /
  "administration"; "vowed" / "said"); the table shows which alternative each outlet uses.
* ``LOADED`` and ``INTENSIFIERS`` – words that carry a judgement ("militant", "crippling",
  "firebrand") or turn the volume up ("stern", "deeply", "unequivocal").

Matches inside quotation marks are skipped: a quoted source's words are not the outlet's framing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from newsfuse.models import Article, FramingTerm, Span
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.extract.quotes import find_quote_marks

__all__ = ["CHOICES", "INTENSIFIERS", "LOADED", "find_framing"]

CHOICES: dict[str, tuple[str, ...]] = {
    "government": ("regime", "government", "administration", "authorities", "leadership"),
    "armed group": ("terrorists", "militants", "insurgents", "fighters", "rebels", "extremists"),
    "speech": ("vowed", "said", "pledged", "insisted", "claimed", "boasted", "admitted"),
    "warning": ("stern warning", "strong warning", "warning", "threat", "ultimatum"),
    "union leaders": ("union bosses", "union leaders", "union officials", "organisers"),
    "management": ("port bosses", "management", "the authority", "employers"),
    "stoppage": ("crippling strike", "walkout", "strike", "stoppage", "industrial action"),
    "outcome": ("breakdown", "collapse", "failure", "impasse", "stalemate", "pause"),
}
LOADED = (
    "regime", "militant union", "firebrand", "union bosses", "port bosses", "crippling",
    "holds nation to ransom", "held to ransom", "venomous", "treachery", "terror", "devious",
    "hardline", "radical", "extremist", "puppet", "thugs", "slammed", "blasted", "lashed out",
    "caved", "capitulated", "hard-fought", "defiant", "menacing", "notorious",
)  # fmt: skip
INTENSIFIERS = (
    "stern", "strongly worded", "deeply", "unequivocal", "unequivocally", "categorically",
    "utterly", "completely", "totally", "extremely", "fiercely", "furious", "massive",
    "huge", "dramatic", "dramatically", "unprecedented", "chaos", "chaotic",
)  # fmt: skip


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    alternatives = sorted(words, key=lambda w: (-len(w), w))
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in alternatives) + r")\b", re.IGNORECASE)


_LOADED = _pattern(LOADED)
_INTENSIFIERS = _pattern(INTENSIFIERS)
_CHOICE_PATTERNS = {group: _pattern(words) for group, words in CHOICES.items()}


def find_framing(articles: Sequence[Article], sources: SourceIndex) -> tuple[FramingTerm, ...]:
    """Loaded words, intensifiers and word choices per outlet, outside quotations."""
    found: dict[tuple[str, str, str], list[Span]] = defaultdict(list)
    for article in articles:
        outlet = sources.outlet(article.id)
        quoted = [
            (article_start - 1, end + 1) for article_start, end, _ in find_quote_marks(article.text)
        ]

        def outside(start: int, end: int, quoted: list[tuple[int, int]] = quoted) -> bool:
            return not any(q_start <= start and end <= q_end for q_start, q_end in quoted)

        for kind, pattern in (("loaded", _LOADED), ("intensifier", _INTENSIFIERS)):
            for match in pattern.finditer(article.text):
                if outside(match.start(), match.end()):
                    term = match.group(1).lower()
                    found[(outlet, term, kind)].append(Span(article.id, match.start(), match.end()))
        for group, pattern in _CHOICE_PATTERNS.items():
            for match in pattern.finditer(article.text):
                if outside(match.start(), match.end()):
                    term = match.group(1).lower()
                    found[(outlet, term, f"choice:{group}")].append(
                        Span(article.id, match.start(), match.end())
                    )
    # A choice group says something only when outlets differ in it.
    by_group: dict[str, set[str]] = defaultdict(set)
    for _outlet, term, kind in found:
        if kind.startswith("choice:"):
            by_group[kind].add(term)
    return tuple(
        FramingTerm(outlet, term, kind, tuple(sorted(spans)))
        for (outlet, term, kind), spans in sorted(found.items())
        if not kind.startswith("choice:") or len(by_group[kind]) > 1
    )
