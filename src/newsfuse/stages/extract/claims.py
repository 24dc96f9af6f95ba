"""The claims of one parsed sentence: the checkable statements below the sentence, each a span.

A sentence often states several things: "Asif, who met the delegation on Sunday, said that talks
had failed and Pakistan would act."  As one claim, a second outlet that reports only that talks
failed could not corroborate it cleanly; so the sentence is cut, along spaCy's parse, into the
pieces a reader could check one by one.  Every piece is one contiguous character range of the
sentence (the data contract cites spans, never rewritten text); the sentence itself stays in
``Article.sentences`` for display.

The rules, applied in this order:

* **Dateline** – "ISLAMABAD (Reuters) -", "KABUL, Oct 29 (AP) —", "ISLAMABAD:", "Istanbul (TDI):"
  at the start is where the report was filed, not something it states; claims start after it.
* **Fragment** – a sentence whose first letter is lowercase is the tail of a sentence the splitter
  cut in two, and states nothing alone: no claims.  (Clauses cut out *below* the sentence start
  lowercase, as "talks had failed" does; the rule looks only at the sentence.)
* **Coordinated clauses** – independent clauses joined by "and", "but", a semicolon …
  (:func:`newsfuse.stages.extract.clauses.coordinated`).
* **Reported content** – when a clause's verb is a speech verb (:data:`SPEECH_VERBS`, the lemmas
  the quote finder already uses) with a clausal complement, the complement is the statement and
  "Tarar said" is its attribution: the claims are the content's own clauses, and the attribution is
  no claim at all (the speaker rides on ``Claim.quote``, which the extract stage sets to the quote
  that overlaps the claim most, i.e. the one whose content it is).  A trailing "…, saying that X"
  or "… and insisted that X" on another statement makes both the statement and X claims.  Denials
  and questions ("denied that", "asked whether") do not assert their content, so they stay whole.
* **Relative clauses** – a non-restrictive relative clause with a verb and subject of its own
  ("the TTP, which has launched increasing attacks against Pakistani troops") is a claim, together
  with the noun it describes, so the claim names its subject.  When it ends its clause, the rest
  before it is the main claim; when it sits in the middle ("Asif, who met …, said"), the rest would
  not be contiguous, so the main claim keeps the whole clause and the relative one is added.
  Restrictive clauses ("groups that operate from its soil") stay: they narrow what the main claim
  says.  An appositive noun phrase alone states nothing a span could hold as a sentence; a relative
  clause inside one is found by the same rule.
* **Checkable** – a quotation mark left dangling at a claim's edge (one sentence of a quotation
  that runs over several) is trimmed off; a claim with any other unbalanced quotation mark, or
  fewer than :data:`MIN_CLAUSE_WORDS` words, is dropped.  When a split would drop a piece, the
  split is not made and the larger piece stays.

Everything works on the parse spaCy already made, in one pass over each sentence's tokens.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsfuse.stages.extract.clauses import MIN_CLAUSE_WORDS, coordinated, separator_start
from newsfuse.stages.extract.quotes import SPEECH_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["claim_bounds", "dateline_end", "is_balanced"]

Range = tuple[int, int, "Token"]  # token range [start, end) and the head verb of its clause

# Speech verbs whose complement the speaker does not assert: "denied that …", "asked whether …".
_NOT_ASSERTING = frozenset({"deny", "ask", "urge", "plead", "question", "dismiss", "reject"})
_ASSERTING = SPEECH_VERBS - _NOT_ASSERTING
_VERBS = frozenset({"VERB", "AUX"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_QUESTIONS = frozenset({"whether", "if", "what", "how", "why", "when", "where", "who", "which"})
_CLAUSES = frozenset({"advcl", "relcl", "acl", "ccomp", "xcomp", "conj"})
_ATTACHED = frozenset({"advcl", "conj"})  # "…, saying that X", "… and insisted that X"
_OPENING = frozenset({",", "(", "—", "–", "-"})  # what sets off a non-restrictive relative clause
_EDGE = " \t\n,;:—–-"
_OPEN_MARKS = '“"'
_CLOSE_MARKS = '”"'

_CAPS = r"[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Z.'’-]+)*"  # ISLAMABAD, NEW DELHI
_PLACE = r"[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,2}"  # Istanbul, Port Merrow
_DATE = r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"  # ", Oct 29", ", Oct. 29, 2025"
_SEP = r"\s*(?:[-–—:]+|--)\s*"
_DATELINE = re.compile(
    # a place in capitals, then a separator: "ISLAMABAD:", "WASHINGTON —"
    rf"^(?:{_CAPS}{_DATE}{_SEP}"
    # a place, a date, the agency in brackets, a separator: "KABUL, Oct 29 (AP) —", "Istanbul (TDI):"
    rf"|{_PLACE}{_DATE}\s*\([^()\n]{{1,40}}\){_SEP}"
    # no separator when the bracket is plainly an outlet's name: "Islamabad (The COW News Digital)"
    rf"|{_PLACE}{_DATE}\s*\((?:[A-Z][\w&.'’-]*\s+)+[A-Z][\w&.'’-]*\)\s+(?=[A-Z“\"]))"
)


def claim_bounds(sentence: SpacySpan) -> list[tuple[int, int]]:
    """Character ranges (relative to the sentence's doc) of the sentence's claims, in order.

    Empty for a fragment or a sentence too short to check.
    """
    doc = sentence.doc
    begin = _token_at(sentence, sentence.start_char + dateline_end(sentence.text))
    if begin >= sentence.end or _starts_lowercase(doc[begin : sentence.end].text):
        return []
    bounds: set[tuple[int, int]] = set()
    for a, b, head in coordinated(sentence.root, begin, sentence.end):
        bounds.update(_statements(doc, a, b, head))
    if not bounds:
        bounds.update(_quotation_part(doc, begin, sentence.end))
    return sorted(bounds)


def _quotation_part(doc: Doc, begin: int, end: int) -> list[tuple[int, int]]:
    """The claims of the quoted part of a sentence that a quotation mark cuts unpaired.

    ``“…There is work to do, and nobody should pretend otherwise,” Strand told reporters`` ends a
    quotation that opened sentences earlier; when the parse finds no reported content in it, the
    words before the closing mark are still what was said.  Likewise the words after an opening
    mark that closes in a later sentence.
    """
    marks = [t.i for t in doc[begin:end] if t.text in _OPEN_MARKS + _CLOSE_MARKS]
    if len(marks) != 1:
        return []
    mark = doc[marks[0]]
    # a straight mark closes when it leans on the word before it: ‘otherwise," Strand said’
    closing = mark.text == "”" or (
        mark.text == '"' and mark.i > begin and not doc[mark.i - 1].whitespace_
    )
    a, b = (begin, mark.i) if closing else (mark.i + 1, end)
    heads = [t for t in doc[a:b] if not a <= t.head.i < b or t.head == t]
    if b <= a or len(heads) != 1:
        return []
    claims: list[tuple[int, int]] = []
    for x, y, head in coordinated(heads[0], a, b):
        claims.extend(_statements(doc, x, y, head))
    return claims


def dateline_end(text: str) -> int:
    """Where the text begins after a dateline prefix ("KABUL, Oct 29 (AP) —"); 0 if it has none."""
    match = _DATELINE.match(text)
    return match.end() if match else 0


def is_balanced(text: str) -> bool:
    """Whether every quotation mark opened in ``text`` is closed in it (straight and curly)."""
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def _token_at(sentence: SpacySpan, char: int) -> int:
    """The index of the first token of ``sentence`` that starts at or after ``char``."""
    for token in sentence:
        if token.idx >= char:
            return token.i
    return sentence.end


def _starts_lowercase(text: str) -> bool:
    """Whether the first letter or digit, past quotation marks and brackets, is lowercase."""
    for char in text:
        if char.isalnum():
            return char.islower()
    return False


def _statements(doc: Doc, a: int, b: int, head: Token) -> list[tuple[int, int]]:
    """The checkable claims (character ranges) of one clause ``[a, b)`` headed by ``head``.

    Reported content is split from its attribution only when every piece of the split still
    yields a claim; otherwise the clause stays whole (with its relative clauses).
    """
    split = _reported(doc, a, b, head)
    if split is not None:
        main, contents = split
        # "warned that X, saying that Y": content holds content of its own, hence the recursion
        pieces = [_statements(doc, x, y, h) for x, y, h in contents]
        if main is not None:
            pieces.append(_with_relatives(doc, *main))
        if all(pieces):
            extra = _attribution_claims(doc, a, b, head, contents) if main is None else []
            return [claim for piece in pieces for claim in piece] + extra
    return _with_relatives(doc, a, b, head)


def _reported(doc: Doc, a: int, b: int, head: Token) -> tuple[Range | None, list[Range]] | None:
    """Split reported content from its attribution: (what remains of the clause, the contents).

    A clause whose own verb reports ("Tarar said that …") leaves no remainder worth a claim,
    unless its verb also heads something more ("Observers say …, but one backed by …"); one that
    reports on its tail ("Tarar confirmed the breakdown, saying that …") keeps what comes before.
    ``None`` when the clause reports nothing.
    """
    if _asserts(head) and any(_is_content(child, a, b) for child in head.children):
        if any(
            child.dep_ == "conj" and a <= child.i < b and not _asserts(child)
            for child in head.children
        ):
            return None
        contents = _contents(doc, head, a, b)
        return (None, contents) if contents else None
    last = _last_word(doc, a, b)
    for child in head.children:
        if child.dep_ not in _ATTACHED or child.i <= head.i or child.right_edge.i != last:
            continue
        if child.left_edge.i <= a or not _asserts(child):
            continue
        contents = _contents(doc, child, a, b)
        if contents:
            return (a, separator_start(doc, a, child.left_edge.i), head), contents
    return None


def _attribution_claims(
    doc: Doc, a: int, b: int, verb: Token, contents: list[Range]
) -> list[tuple[int, int]]:
    """What an attribution states besides who spoke, which would be lost with it: a relative
    clause ("Hale, who had earlier refused to rule out legislation, said …") and a clause that
    trails the verb without reporting ("…, the union said, leaving 41 ships stranded")."""
    inside = [(x, y) for x, y, _ in contents]
    out: list[tuple[int, int]] = []
    covered = a
    for token in doc[a:b]:
        if token.i < covered or any(x <= token.i < y for x, y in inside):
            continue
        if _is_relative(doc, token, a):
            covered = token.right_edge.i + 1
            out.extend(_relative_claims(doc, token, a, b))
    for child in verb.children:
        if (
            child.dep_ in _ATTACHED
            and child.i > verb.i
            and child.right_edge.i < b
            and child.pos_ in _VERBS
            and not _asserts(child)
        ):
            found = _checked(doc, child.left_edge.i, child.right_edge.i + 1)
            out.extend([found] if found else [])
    return out


def _is_content(child: Token, a: int, b: int) -> bool:
    """A clausal complement inside ``[a, b)`` that states something (not a question)."""
    return (
        child.dep_ == "ccomp"
        and child.pos_ in _VERBS
        and a <= child.i
        and child.right_edge.i < b
        and not _is_question(child)
    )


def _contents(doc: Doc, verb: Token, a: int, b: int) -> list[Range]:
    """The clauses a speech verb reports, split where they are coordinated: its complements and
    those of the speech verbs hanging on it ("said …, adding that …")."""
    out: list[Range] = []
    for child in verb.children:
        if _is_content(child, a, b) and _acts(child, verb):
            return []  # "Hale said it was a sensible step and thanked Strand": no split
        if _is_content(child, a, b):
            for x, y, h in coordinated(child, max(a, child.left_edge.i), child.right_edge.i + 1):
                while x < h.i and (
                    doc[x].is_punct
                    or doc[x].dep_ == "cc"
                    or (doc[x].dep_ == "mark" and doc[x].head == h)
                ):
                    x += 1  # "but that": the conjunction and complementiser are not what was said
                out.append((x, y, h))
        elif child.dep_ in _ATTACHED and child.i > verb.i and a <= child.i < b and _asserts(child):
            out.extend(_contents(doc, child, a, b))
    return sorted(out, key=lambda r: r[0])


def _acts(content: Token, verb: Token) -> bool:
    """Whether the content verb has a conjunct that is more likely the speaker's own act.

    In "Hale said the government would not be held to ransom and called on both sides …" the
    parser hangs "called" on the content; a conjunct without subject or auxiliary of its own, in
    the speech verb's form, under a content verb that has an auxiliary or is one, is the speaker
    doing something, and cutting the content there would put words in the speaker's mouth.
    """
    own_aux = content.pos_ == "AUX" or any(c.dep_ in {"aux", "auxpass"} for c in content.children)
    for conj in content.children:
        if conj.dep_ != "conj" or conj.pos_ != "VERB" or conj.tag_ != verb.tag_:
            continue
        if not any(c.dep_ in _SUBJECTS or c.dep_ in {"aux", "auxpass"} for c in conj.children):
            return own_aux
    return False


def _with_relatives(doc: Doc, a: int, b: int, head: Token) -> list[tuple[int, int]]:
    """The clause, if checkable, and the non-restrictive relative clauses in it that are."""
    out: list[tuple[int, int]] = []
    main_end = b
    last = _last_word(doc, a, b)
    covered = a  # relative clauses nested in one already taken are part of it
    for token in doc[a:b]:
        if token.i < covered or not _is_relative(doc, token, a):
            continue
        covered = _relative_end(doc, token, last)
        out.extend(_relative_claims(doc, token, a, b))
        if covered == last + 1:
            end = separator_start(doc, a, token.left_edge.i)
            if _checked(doc, a, end):
                main_end = end  # the relative clause ends the clause: the rest is contiguous
    main = _checked(doc, a, main_end)
    return ([main] if main else []) + out


def _relative_claims(doc: Doc, token: Token, a: int, b: int) -> list[tuple[int, int]]:
    """A relative clause as a claim, with the noun it describes; for one that reports ("…, in
    which he warned that Pakistan would …") what it reports."""
    end = _relative_end(doc, token, _last_word(doc, a, b))
    if _words(doc, token.left_edge.i, end) < MIN_CLAUSE_WORDS:
        return []
    split = _reported(doc, token.left_edge.i, end, token)
    if split is not None:
        reported = [r for x, y, h in split[1] for r in _statements(doc, x, y, h)]
        if reported:
            return reported
    relative = _checked(doc, max(a, _antecedent(token).left_edge.i), end)
    return [relative] if relative else []


def _relative_end(doc: Doc, token: Token, last: int) -> int:
    """Where a relative clause ends: its subtree, or the clause's end when nothing but words
    follow it (the parser hangs "a.m." in "ran until about 3 a.m." on the sentence)."""
    end = token.right_edge.i + 1
    if end <= last and not any(t.is_punct for t in doc[end : last + 1]):
        return last + 1
    return end


def _antecedent(token: Token) -> Token:
    """The noun a relative clause describes, corrected for number where the parser attached it
    to the nearest noun ("services to the island of Sarn, which run …": the services run)."""
    noun = token.head
    plural = _plural_verb(token)
    relative_subject = any(
        c.dep_ in _SUBJECTS and c.lower_ in {"which", "who", "that"} for c in token.children
    )
    if plural is None or not relative_subject:  # "where militants have …" agrees with militants
        return noun
    candidate = noun
    while _plural_noun(candidate) != plural:
        if candidate.dep_ != "pobj" or candidate.head.dep_ != "prep":
            return noun
        candidate = candidate.head.head
        if candidate.pos_ not in {"NOUN", "PROPN"}:
            return noun
    return candidate


def _plural_verb(verb: Token) -> bool | None:
    """Whether the relative clause's finite verb is plural; ``None`` when its form does not say."""
    for word in [verb, *(c for c in verb.children if c.dep_ in {"aux", "auxpass"})]:
        if word.tag_ == "VBZ" or word.lower_ == "was":
            return False
        if word.tag_ == "VBP" or word.lower_ == "were":
            return True
    return None


def _plural_noun(noun: Token) -> bool:
    return noun.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in noun.children)


def _is_relative(doc: Doc, token: Token, a: int) -> bool:
    """A relative clause with a verb and subject of its own, set off by a comma or bracket."""
    if token.dep_ != "relcl" or token.pos_ not in _VERBS or token.head.i < a:
        return False
    if token.left_edge.i <= max(a, token.head.i):
        return False
    if not any(child.dep_ in _SUBJECTS for child in token.children):
        return False  # "Wednesday, when asked what …": no subject, no statement
    return doc[token.left_edge.i - 1].text in _OPENING


def _asserts(verb: Token) -> bool:
    """Whether the verb reports speech whose content its speaker asserts."""
    if verb.pos_ not in _VERBS or verb.lemma_.lower() not in _ASSERTING:
        return False
    return not any(child.dep_ == "neg" for child in verb.children)


def _is_question(verb: Token) -> bool:
    """ "asked whether …", "asked what options Pakistan would avail": a question states nothing.

    A wh-word or "whether"/"if" counts only when it belongs to the complement's own clause, not
    to a clause inside it ("“If Islamabad even looks at them, it will gouge out its eyes”").
    """
    if any(child.dep_ == "mark" and child.lower_ in _QUESTIONS for child in verb.children):
        return True
    first = next((t for t in verb.subtree if not t.is_punct), verb)
    if not first.tag_.startswith("W"):
        return False
    while first != verb:
        if first.dep_ in _CLAUSES:
            return False
        first = first.head
    return True


def _last_word(doc: Doc, a: int, b: int) -> int:
    """The index of the range's last token that is not punctuation or space."""
    i = b - 1
    while i > a and (doc[i].is_punct or doc[i].is_space):
        i -= 1
    return i


def _words(doc: Doc, a: int, b: int) -> int:
    return sum(1 for token in doc[a:b] if not (token.is_punct or token.is_space))


def _chars(doc: Doc, a: int, b: int) -> tuple[int, int, str]:
    """The token range's characters, with separators and dangling quotation marks trimmed, and
    their text (from the span: ``doc.text`` joins the whole document on every access)."""
    text = doc[a:b].text
    start, end = _trim(text, 0, len(text))
    return doc[a].idx + start, doc[a].idx + end, text[start:end]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip separators from both edges and a quotation mark that the range leaves unpaired at an
    edge: one sentence of a quotation running over several opens or closes it and no more."""
    while True:
        before = (start, end)
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if start < end and not is_balanced(text[start:end]):
            if text[start] in _OPEN_MARKS and not _closes_at(text, start, end):
                start += 1
            elif text[end - 1] in _CLOSE_MARKS:
                end -= 1
        if (start, end) == before:
            return start, end


def _closes_at(text: str, start: int, end: int) -> bool:
    """Whether the opening mark at ``start`` is closed within ``[start, end)``."""
    mark = text[start]
    closer = "”" if mark == "“" else '"'
    return closer in text[start + 1 : end]


def _checked(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """The trimmed characters of token range ``[a, b)`` if they make a checkable claim."""
    if b <= a:
        return None
    start, end, text = _chars(doc, a, b)
    return (start, end) if _checkable(text) else None


def _checkable(text: str) -> bool:
    """Long enough to state something, with no quotation cut open or shut."""
    return len(text.split()) >= MIN_CLAUSE_WORDS and is_balanced(text)
