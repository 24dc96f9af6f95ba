"""Split a compound sentence into its independently checkable clauses, using spaCy's parse.

"Talks collapsed on Wednesday, and the union said 41 ships were stranded" states two things a
reader can check separately; as one claim, a second outlet that reports only the ships could not
corroborate it cleanly.  A clause split happens only where the parse shows coordinated *independent*
clauses: a ``conj`` of the sentence's root verb that has a subject of its own, joined by a
coordinating conjunction (``cc``: and, but, while …) or a semicolon.  "The strike began on Monday
and spread to rail" (one subject) and "38 ships were stranded, the authority said" (attribution,
not coordination) stay whole.

Splits that would leave a fragment (fewer than :data:`MIN_CLAUSE_WORDS` words) or cut a quotation
in two are not made: a clause must make sense lifted out of its sentence.  Every clause is a span of
the sentence's own text (separators and the conjunction are left out), so it slices exactly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

__all__ = ["MIN_CLAUSE_WORDS", "clause_bounds"]

MIN_CLAUSE_WORDS = 5  # as facts' MIN_CLAIM_WORDS: shorter pieces state too little to check
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_VERBS = frozenset({"VERB", "AUX"})
_SEPARATORS = frozenset({",", ";", ":", "-", "–", "—"})


def clause_bounds(sentence: SpacySpan) -> list[tuple[int, int]]:
    """Character ranges (relative to the sentence's doc) of the sentence's independent clauses.

    Returns one range, the whole sentence, when it is not a compound of independent clauses.
    """
    whole = [(sentence.start_char, sentence.end_char)]
    root = sentence.root
    if root.pos_ not in _VERBS:
        return whole
    starts: list[Token] = []
    for child in root.children:
        if child.dep_ != "conj" or child.pos_ not in _VERBS or child.i <= root.i:
            continue
        if not any(grand.dep_ in _SUBJECTS for grand in child.children):
            continue  # "began on Monday and spread to rail": one subject, one claim
        if _joined(sentence, child):
            starts.append(child.left_edge)
    if not starts:
        return whole
    pieces: list[tuple[int, int]] = []
    begin = sentence.start
    for start in sorted(starts, key=lambda t: t.i):
        if start.i <= begin:
            return whole  # a non-projective parse: the clauses interleave, keep the sentence
        pieces.append(_trimmed(sentence, begin, _separator_start(sentence, start.i)))
        begin = start.i
    pieces.append(_trimmed(sentence, begin, sentence.end))
    doc = sentence.doc
    bounds = [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in pieces if b > a]
    if len(bounds) != len(pieces) or not all(_checkable(doc.text[a:b]) for a, b in bounds):
        return whole
    return bounds


def _joined(sentence: SpacySpan, conj: Token) -> bool:
    """Whether a coordinating conjunction or a semicolon stands right before the clause."""
    i = conj.left_edge.i - 1
    while i >= sentence.start and sentence.doc[i].is_punct and sentence.doc[i].text != ";":
        i -= 1
    if i < sentence.start:
        return False
    token = sentence.doc[i]
    return token.dep_ == "cc" or token.pos_ == "CCONJ" or token.text == ";"


def _separator_start(sentence: SpacySpan, index: int) -> int:
    """Where the separator before a clause begins: back over the conjunction and punctuation."""
    i = index - 1
    while i > sentence.start and (
        sentence.doc[i].pos_ == "CCONJ" or sentence.doc[i].text in _SEPARATORS
    ):
        i -= 1
    return i + 1


def _trimmed(sentence: SpacySpan, begin: int, end: int) -> tuple[int, int]:
    doc = sentence.doc
    while end > begin and doc[end - 1].is_space:
        end -= 1
    while begin < end and doc[begin].is_space:
        begin += 1
    return begin, end


def _checkable(text: str) -> bool:
    """A clause long enough to state something, with no quotation cut open or shut."""
    if len(text.split()) < MIN_CLAUSE_WORDS:
        return False
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0
