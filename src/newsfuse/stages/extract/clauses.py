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
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["MIN_CLAUSE_WORDS", "clause_bounds", "coordinated", "separator_start"]

MIN_CLAUSE_WORDS = 5  # as facts' MIN_CLAIM_WORDS: shorter pieces state too little to check
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_VERBS = frozenset({"VERB", "AUX"})
_SEPARATORS = frozenset({",", ";", ":", "-", "–", "—"})


def clause_bounds(sentence: SpacySpan) -> list[tuple[int, int]]:
    """Character ranges (relative to the sentence's doc) of the sentence's independent clauses.

    Returns one range, the whole sentence, when it is not a compound of independent clauses.
    """
    pieces = coordinated(sentence.root, sentence.start, sentence.end)
    if len(pieces) == 1:
        return [(sentence.start_char, sentence.end_char)]
    doc = sentence.doc
    return [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b, _ in pieces]


def coordinated(head: Token, begin: int, end: int) -> list[tuple[int, int, Token]]:
    """Token ranges ``[a, b)`` of the independent clauses coordinated on ``head`` within
    ``[begin, end)``, each with its own head verb; ``[(begin, end, head)]`` when there are none.

    A range rather than a sentence, so that the content of reported speech ("said that talks had
    failed and Pakistan would act") splits by the same rule as a whole sentence.
    """
    whole = [(begin, end, head)]
    if head.pos_ not in _VERBS:
        return whole
    doc = head.doc
    heads: list[Token] = []
    for child in head.children:
        if child.dep_ != "conj" or child.pos_ not in _VERBS or child.i <= head.i:
            continue
        if child.right_edge.i >= end:
            continue
        if not any(grand.dep_ in _SUBJECTS for grand in child.children):
            continue  # "began on Monday and spread to rail": one subject, one claim
        if _joined(doc, begin, child):
            heads.append(child)
    if not heads:
        return whole
    pieces: list[tuple[int, int, Token]] = []
    start, current = begin, head
    for child in sorted(heads, key=lambda t: t.i):
        if child.left_edge.i <= start:
            return whole  # a non-projective parse: the clauses interleave, keep the range
        a, b = _trimmed(doc, start, separator_start(doc, begin, child.left_edge.i))
        pieces.append((a, b, current))
        start, current = child.left_edge.i, child
    a, b = _trimmed(doc, start, end)
    pieces.append((a, b, current))
    if any(b <= a for a, b, _ in pieces):
        return whole
    texts = (doc[a:b].text for a, b, _ in pieces)  # doc.text would join the whole doc each time
    if not all(_checkable(text) for text in texts):
        return whole
    return pieces


def _joined(doc: Doc, begin: int, conj: Token) -> bool:
    """Whether a coordinating conjunction or a semicolon stands right before the clause."""
    i = conj.left_edge.i - 1
    while i >= begin and doc[i].is_punct and doc[i].text != ";":
        i -= 1
    if i < begin:
        return False
    token = doc[i]
    return token.dep_ == "cc" or token.pos_ == "CCONJ" or token.text == ";"


def separator_start(doc: Doc, begin: int, index: int) -> int:
    """Where the separator before a clause begins: back over the conjunction and punctuation."""
    i = index - 1
    while i > begin and (doc[i].pos_ == "CCONJ" or doc[i].text in _SEPARATORS):
        i -= 1
    return i + 1


def _trimmed(doc: Doc, begin: int, end: int) -> tuple[int, int]:
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
