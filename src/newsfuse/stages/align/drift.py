"""Quote drift: the same quotation worded differently by different outlets.

Quotations (direct and partial) of different outlets are grouped when their words match closely
(rapidfuzz ratio on normalised words) or one is a fragment of the other (a partial quote lifted from a
longer one).  Each variant is diffed word by word against the group's reference wording (the longest
one) and labelled:

* ``exact`` – the same words (case, punctuation and quote marks aside);
* ``minor variation`` – the same words once contractions are expanded and punctuation ignored, or
  one small function word dropped or swapped;
* ``substantive change`` – words added, dropped or replaced: a paraphrase presented in quotation
  marks, or a different excerpt.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from newsfuse.models import (
    Article,
    DriftLabel,
    Quote,
    QuoteGroup,
    QuoteVariant,
    Span,
    WordDiff,
    content_id,
)
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.extract.quotes import spoken_words
from newsfuse.stages.grouping import UnionFind
from newsfuse.stages.spacy_import import STOP_WORDS

__all__ = ["find_quote_groups", "label_variant"]

SAME_QUOTE = 80.0  # rapidfuzz ratio (0–100) of normalised words above which two quotes are one
MIN_QUOTE_WORDS = 3
_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
# Abbreviations ("U.S.", "a.m."), figures ("1,200", "4.5", "9:30"), words with inner apostrophes or
# hyphens ("won't", "well-placed"), single punctuation marks.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,:/]\d+)+|[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]")
_QUOTE_MARKS = frozenset({'"', "“", "”", "'", "‘", "’", "«", "»"})
_CONTRACTIONS = {
    "won't": "will not", "can't": "cannot", "n't": " not", "'re": " are", "'ve": " have",
    "'ll": " will", "'d": " would", "'m": " am", "it's": "it is", "that's": "that is",
    "let's": "let us",
}  # fmt: skip
_FUNCTION_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "that", "for", "so"}
)
_RANK: dict[DriftLabel, int] = {"exact": 0, "minor variation": 1, "substantive change": 2}


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _normalised(words: list[str]) -> list[str]:
    text = " ".join(words)
    for short, long in _CONTRACTIONS.items():
        text = text.replace(short, long)
    return text.split()


def label_variant(reference: str, variant: str) -> tuple[DriftLabel, tuple[WordDiff, ...]]:
    """How far ``variant`` drifts from ``reference``, and the word-level diff.

    A variant that quotes only part of the reference is compared with that part: leaving words
    out at either end is excerpting, not rewording.  Tokens are compared case-folded, but the diff
    shows them as each outlet printed them ("Pakistan’s", "clear, verifiable"), so a reader sees
    the quotation and not a normalised form of it.
    """
    ref, var = _printed(reference), _printed(variant)
    ref = ref.part(*_excerpt_range(ref.keys, var.keys))
    diff = _diff(ref, var)
    if ref.keys == var.keys:
        return "exact", diff
    ref_words, var_words = _excerpt(_words(reference), _words(variant))
    if ref_words == var_words:
        return "minor variation", diff  # punctuation or case only
    ref_norm, var_norm = _excerpt(_normalised(ref_words), _normalised(var_words))
    if ref_norm == var_norm:
        return "minor variation", diff  # contractions
    changed = [d for d in _word_diff(ref_norm, var_norm) if d.op != "equal"]
    changed_words = {w for d in changed for w in (d.reference + " " + d.variant).split()}
    if len(changed) == 1 and changed_words <= _FUNCTION_WORDS:
        return "minor variation", diff
    return "substantive change", diff


@dataclass(frozen=True, slots=True)
class _Printed:
    """A quotation's tokens as spans of its printed text, so that a diff shows each stretch exactly
    as the outlet printed it ("U.S.", "1,200", "Dockworkers' Union") while tokens are compared
    case-folded."""

    text: str
    spans: tuple[tuple[int, int], ...]
    keys: list[str]  # what two tokens are compared by: case aside, curly and straight ' one

    def part(self, start: int, end: int) -> _Printed:
        return _Printed(self.text, self.spans[start:end], self.keys[start:end])

    def between(self, start: int, end: int) -> str:
        """The printed text from token ``start`` to token ``end - 1``, marks and spacing kept."""
        if start >= end:
            return ""
        return self.text[self.spans[start][0] : self.spans[end - 1][1]]


def _printed(text: str) -> _Printed:
    """Words, figures, abbreviations and punctuation of ``text``; quote marks are no tokens."""
    spans = tuple(m.span() for m in _TOKEN.finditer(text) if m.group() not in _QUOTE_MARKS)
    return _Printed(text, spans, [text[a:b].lower().replace("’", "'") for a, b in spans])


def _excerpt_range(reference: list[str], variant: list[str]) -> tuple[int, int]:
    """The stretch of the reference the variant quotes, when the variant is shorter."""
    if len(variant) >= len(reference) or not variant:
        return 0, len(reference)
    blocks = [
        b
        for b in difflib.SequenceMatcher(
            a=reference, b=variant, autojunk=False
        ).get_matching_blocks()
        if b.size
    ]
    if not blocks:
        return 0, len(reference)
    start = max(blocks[0].a - blocks[0].b, 0)
    end = min(
        blocks[-1].a + blocks[-1].size + (len(variant) - blocks[-1].b - blocks[-1].size),
        len(reference),
    )
    return start, end


def _excerpt(reference: list[str], variant: list[str]) -> tuple[list[str], list[str]]:
    """Trim the reference to the stretch the variant quotes, when the variant is shorter."""
    start, end = _excerpt_range(reference, variant)
    return reference[start:end], variant


def _diff(left: _Printed, right: _Printed) -> tuple[WordDiff, ...]:
    """Token diff of two printed quotations, each step written as printed."""
    matcher = difflib.SequenceMatcher(a=left.keys, b=right.keys, autojunk=False)
    return tuple(
        WordDiff(op, left.between(i1, i2), right.between(j1, j2))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def _word_diff(left: list[str], right: list[str]) -> tuple[WordDiff, ...]:
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    return tuple(
        WordDiff(op, " ".join(left[i1:i2]), " ".join(right[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def find_quote_groups(
    articles: Sequence[Article],
    sources: SourceIndex,
    facts: Iterable[Sequence[Span]] = (),
) -> tuple[QuoteGroup, ...]:
    """Groups of matching quotations from at least two outlets, most drift first.

    Two quotations are one when their words match closely (see the module docstring), or when the
    corroboration stage put the claims holding them into one fact (``facts``: each fact's claim
    spans), the same speaker is credited with both and they share a content word: one statement
    quoted in different words ("solid and verifiable evidence" / "sufficient and irrefutable
    evidence" / "ample and irrefutable"), which no string similarity would call the same.
    """
    quotes: list[tuple[Article, Quote, str]] = [
        (article, quote, " ".join(_words(spoken_words(quote.text))))
        for article in sorted(articles, key=lambda a: a.id)
        for quote in article.quotes
        if quote.kind in {"direct", "partial"}
        and len(_words(spoken_words(quote.text))) >= MIN_QUOTE_WORDS
    ]
    linked = UnionFind[int](range(len(quotes)))

    for i, j in _sharing_words(quotes):
        left_article, _, left = quotes[i]
        right_article, _, right = quotes[j]
        if sources.outlet(left_article.id) == sources.outlet(right_article.id):
            continue
        if _same_quote(left, right):
            linked.union(i, j)
    for i, j in _same_statement_quotes(quotes, sources, facts):
        linked.union(i, j)
    groups: dict[int, list[int]] = {}
    for index in range(len(quotes)):
        groups.setdefault(linked.find(index), []).append(index)
    result = []
    for members in groups.values():
        outlets = {sources.outlet(quotes[m][0].id) for m in members}
        if len(outlets) < 2:
            continue
        result.append(_group([quotes[m] for m in members], sources))
    return tuple(sorted(result, key=lambda g: (-_RANK[g.label], g.speaker or "~", g.reference)))


def _sharing_words(quotes: Sequence[tuple[Article, Quote, str]]) -> list[tuple[int, int]]:
    """Pairs of quotations (i < j) worth comparing: those sharing a content word that at most
    max(50, 4·√n) quotations use (all of a quotation's words when none is that rare).  Two
    wordings of one quotation share their rare words, so this finds them through an inverted
    index instead of comparing every quotation of a story with every other."""
    words = [_content(normalised) for _, _, normalised in quotes]
    postings: dict[str, list[int]] = {}
    for index, found in enumerate(words):
        for word in found:
            postings.setdefault(word, []).append(index)
    cap = max(50, int(4 * math.sqrt(len(quotes))))
    pairs: set[tuple[int, int]] = set()
    for i, found in enumerate(words):
        rare = [w for w in found if len(postings[w]) <= cap] or sorted(found)
        for word in rare:
            pairs.update((i, j) for j in postings[word] if j > i)
    return sorted(pairs)


def _same_statement_quotes(
    quotes: Sequence[tuple[Article, Quote, str]],
    sources: SourceIndex,
    facts: Iterable[Sequence[Span]],
) -> list[tuple[int, int]]:
    """Pairs of quotations (indices) inside the claims of one fact, of different outlets, credited to
    one speaker and sharing a content word."""
    by_article: dict[str, list[int]] = {}
    for index, (article, _, _) in enumerate(quotes):
        by_article.setdefault(article.id, []).append(index)
    pairs: list[tuple[int, int]] = []
    for claims in facts:
        inside = sorted(
            {
                index
                for claim in claims
                for index in by_article.get(claim.article_id, ())
                if claim.start <= quotes[index][1].span.start
                and quotes[index][1].span.end <= claim.end
                and quotes[index][1].speaker
            }
        )
        for position, i in enumerate(inside):
            for j in inside[position + 1 :]:
                (left_article, left, left_words), (right_article, right, right_words) = (
                    quotes[i],
                    quotes[j],
                )
                if sources.outlet(left_article.id) == sources.outlet(right_article.id):
                    continue
                if left.speaker == right.speaker and _content(left_words) & _content(right_words):
                    pairs.append((i, j))
    return pairs


def _content(words: str) -> set[str]:
    return {w for w in words.split() if w not in STOP_WORDS and len(w) > 2}


def _same_quote(left: str, right: str) -> bool:
    if fuzz.ratio(left, right) >= SAME_QUOTE:
        return True
    shorter, longer = sorted((left, right), key=len)
    # A partial quote lifted from a longer one: its words appear (almost) verbatim inside.
    return len(shorter.split()) >= MIN_QUOTE_WORDS and fuzz.partial_ratio(shorter, longer) >= 95


def _group(members: list[tuple[Article, Quote, str]], sources: SourceIndex) -> QuoteGroup:
    _reference_article, reference_quote, _ = max(members, key=lambda m: (len(m[1].text), m[0].id))
    variants = []
    for article, quote, _ in sorted(members, key=lambda m: (m[0].id, m[1].span.start)):
        # an interrupted quotation is compared on its words, without the reporter's "he said"
        label, diff = label_variant(spoken_words(reference_quote.text), spoken_words(quote.text))
        variants.append(
            QuoteVariant(quote.span, quote.text, sources.outlet(article.id), label, diff)
        )
    worst = max((v.label for v in variants), key=lambda label: _RANK[label])
    counts = Counter(q.speaker for _, q, _ in members if q.speaker)
    speakers = sorted(counts, key=lambda name: (-counts[name], name))
    return QuoteGroup(
        id=content_id(*(f"{v.span.article_id}:{v.span.start}" for v in variants), prefix="qgr_"),
        speaker=speakers[0] if speakers else None,
        reference=reference_quote.text,
        label=worst,
        variants=tuple(variants),
    )
