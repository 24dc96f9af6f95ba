"""Sentences that read on their own once lifted out of their article.

A brief sentence is read without the sentences that stood before it, so "the minister thanked …" or
"Asif also accused …" leaves the reader asking who.  Selection prefers sentences that need nothing
from their neighbours (the scorer's ``dangling`` signal; sentences opening with "He"/"This" are not
candidates at all).  Where a chosen sentence still refers back, the reference is resolved *for
display* in the editor's way, in square brackets ("[Attaullah Tarar] thanked …"), and the passage
that names the person is cited beside the sentence's own span, so the reader can check it:

* a short form of a person's name ("Asif") becomes the canonical full name the story uses, citing
  the article's own mention of that full name;
* a definite description that is a quote's speaker ("the minister thanked …") becomes the nearest
  person named before it in the article whose title carries the description's noun ("Information
  Minister Attaullah Tarar"), citing that mention; a quote's speaker given as "he" or "she" ("“…,”
  he said") becomes the first person named in the nearest sentence that names one.

Nothing is resolved without a passage to cite, and quotations are never cut (candidates with an
unbalanced quotation mark are excluded before selection).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsfuse.models import Article, Mention, Span

__all__ = ["Resolved", "leans_on_context", "resolve"]

_DESCRIPTION = re.compile(r"^the ([a-z]+(?: [a-z]+)?)$", re.IGNORECASE)
_LEANING = re.compile(
    r"^(?:[A-Z][\w’'-]+ )?(?:also|further|too|again|additionally|then)\b|"
    r"\b(?:the (?:minister|spokesman|spokeswoman|official|president|premier|chief|leader))\b",
    re.IGNORECASE,
)
_PRONOUNS = frozenset({"he", "she"})
_NAME_BEFORE = re.compile(r"[A-Z][\w’'-]*\s$")
_TITLE_WINDOW = 60  # characters before a name in which its title ("Information Minister") stands


@dataclass(frozen=True, slots=True)
class Resolved:
    """A sentence as displayed, and the passages that name what its brackets resolve."""

    text: str
    citations: tuple[Span, ...]


def leans_on_context(text: str) -> bool:
    """Whether a sentence refers back to text that will not be there ("also", "the minister")."""
    return bool(_LEANING.search(text))


def resolve(article: Article, span: Span, text: str) -> Resolved:
    """``text`` (the article's ``span``, possibly without its dateline) with references resolved."""
    offset = span.end - len(text)  # text is a suffix of the span's text
    replacements: list[tuple[int, int, str, Span]] = []
    replacements += _short_names(article, offset, span.end, text)
    replacements += _descriptions(article, offset, span.end)
    replacements.sort(key=lambda r: r[0])
    shown, cited, last = [], [], offset
    for start, end, name, source in replacements:
        if start < last:
            continue  # overlapping resolutions: keep the first
        shown.append(article.text[last:start])
        shown.append(f"[{name}]")
        cited.append(source)
        last = end
    shown.append(article.text[last : span.end])
    return Resolved("".join(shown), tuple(sorted(set(cited))))


def _people(article: Article) -> list[Mention]:
    return [m for m in article.mentions if m.label == "PERSON"]


def _short_names(
    article: Article, start: int, end: int, text: str
) -> list[tuple[int, int, str, Span]]:
    """A person called by surname alone when the sentence never gives the full name.

    The surname is looked for in the text as well as among the mentions: the tagger misses names
    at the start of a sentence ("Asif also accused …") that the article names in full elsewhere.
    """
    full_names: dict[str, Mention] = {}
    written: dict[str, set[str]] = {}  # each person's multi-word forms in this article
    for mention in _people(article):
        words = mention.text.split()
        if len(words) > 1 and words[-1] == mention.norm.split()[-1]:
            full_names.setdefault(words[-1], mention)
            written.setdefault(mention.norm, set()).add(mention.text)
    found = []
    for surname, full in sorted(full_names.items()):
        if full.norm in text or any(name in text for name in written[full.norm]):
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(surname)}(?![\w-])")
        for match in pattern.finditer(article.text, start, end):
            if _NAME_BEFORE.search(article.text, max(0, match.start() - 40), match.start()):
                continue  # part of a longer name or title ("Minister Asif"): not a bare surname
            found.append((match.start(), match.end(), full.norm, full.span))
            break
    return found


def _descriptions(article: Article, start: int, end: int) -> list[tuple[int, int, str, Span]]:
    """A quote's speaker given as "the minister" or "he": the nearest person named before it
    (for a description, the nearest whose title carries the description's noun)."""
    found = []
    for quote in article.quotes:
        where = quote.speaker_span
        if where is None or not (start <= where.start and where.end <= end):
            continue
        speaker = article.slice(where)
        match = _DESCRIPTION.match(speaker)
        if match is None and speaker.lower() not in _PRONOUNS:
            continue
        if match is None:
            person = _subject_before(article, where)
            if person is not None:
                found.append((where.start, where.end, person.norm, person.span))
            continue
        noun = match.group(1).split()[-1].lower()
        earlier = [m for m in _people(article) if m.span.end <= where.start]
        for mention in reversed(earlier):
            title = article.text[max(0, mention.span.start - _TITLE_WINDOW) : mention.span.start]
            if noun in title.lower() or noun in mention.text.lower():
                found.append((where.start, where.end, mention.norm, mention.span))
                break
    return found


def _subject_before(article: Article, where: Span) -> Mention | None:
    """Who "he" or "she" most likely is: the first person named in the sentence, before the
    pronoun, or else in the nearest earlier sentence that names one (the subject usually comes
    first: "Defence Minister Khawaja Asif echoed Tarar's frustration. '…,' he said")."""
    people = [m for m in _people(article) if m.span.end <= where.start]
    if not people:
        return None
    starts = [s.start for s in article.sentences]
    sentence_of = [bisect.bisect_right(starts, m.span.start) - 1 for m in people]
    latest = max(sentence_of)
    return next(m for m, k in zip(people, sentence_of, strict=True) if k == latest)
