"""Quotes and their speakers, from one parsed paragraph.

Three kinds, as the data model names them:

* ``direct`` – a passage in quotation marks that carries the statement ("“We will carry out strikes,”
  Asif told reporters").
* ``partial`` – a quoted phrase inside the reporter's own sentence ("criticized the Taliban for making
  “venomous statements,”").
* ``indirect`` – reported speech with no quotation marks ("Tarar said that Kabul failed to ...",
  "according to Tarar, ...").

The speaker is the subject of the nearest speech verb (the *cue*) outside the quotation marks, in the
sentences the quote touches.  Names are canonicalised against the article's PERSON mentions ("Asif" →
"Khawaja Asif"), pronouns go to the last person named before the quote, and unnamed sources keep their
description ("a Pakistani security official").  A paragraph that is nothing but a quote and has no cue
continues the previous quote's speaker, as newspapers write multi-paragraph quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsfuse.models import Quote, QuoteKind, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["SPEECH_VERBS", "QuoteContext", "find_quote_marks", "quotes_in_paragraph"]

SPEECH_VERBS = frozenset(  # lemmas of verbs that introduce speech
    """say tell write add warn state claim allege insist argue stress note explain acknowledge
    confirm announce declare vow pledge threaten accuse deny reiterate emphasize emphasise assert
    remark reply respond ask urge describe call criticize criticise tweet post predict suggest
    admit concede caution complain maintain recall report""".split()  # noqa: SIM905 - a word list reads better as prose
)

_OPENERS = {"“": "”", '"': '"', "«": "»", "„": "“"}
_CLOSERS = {"”", '"', "»", "“"}
_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "it", "we", "i"})
_MAX_DESCRIPTION_TOKENS = 8  # longer subject phrases are cut at their head noun
_RELATIVES = frozenset({"which", "that", "who", "what"})
_MIN_DIRECT_SHARE = 0.45  # a quote covering less of its sentence than this is a partial quote


def find_quote_marks(text: str) -> list[tuple[int, int, bool]]:
    """Return ``(start, end, closed)`` of each quoted passage, marks excluded.

    Curly and straight marks may be mixed; a quote whose closing mark never comes runs to the end of
    ``text`` with ``closed=False``.  Single quotes are ignored: they are apostrophes far more often.
    """
    found: list[tuple[int, int, bool]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in _OPENERS:
            expected = _OPENERS[char]
            close = _find_close(text, index + 1, expected)
            if close is None:
                found.append((index + 1, len(text), False))
                break
            if close > index + 1:
                found.append((index + 1, close, True))
            index = close + 1
            continue
        index += 1
    return found


def _find_close(text: str, start: int, expected: str) -> int | None:
    for position in range(start, len(text)):
        char = text[position]
        if char == expected or (char in _CLOSERS and char != "“"):
            return position
    return None


@dataclass(slots=True)
class QuoteContext:
    """What attribution carries from one paragraph to the next within an article."""

    people: Sequence[str]  # canonical PERSON names of the article, longest first
    last_person: str | None = None
    last_person_is_subject: bool = False
    last_speaker: tuple[str, Span | None, str | None] | None = None

    def salient_person(self) -> str | None:
        """Who a pronoun at the start of a paragraph means: the last person who was a subject,
        else the last named speaker, else the last person named."""
        if self.last_person and self.last_person_is_subject:
            return self.last_person
        if self.last_speaker and self.last_speaker[0] in self.people:
            return self.last_speaker[0]
        return self.last_person


def quotes_in_paragraph(
    doc: Doc, offset: int, article_id: str, context: QuoteContext
) -> list[Quote]:
    """Find the quotes of one parsed paragraph; ``offset`` places ``doc`` in the article text."""
    text = doc.text
    marks = find_quote_marks(text)
    inside = _inside_mask(len(text), marks)
    quotes: list[Quote] = []
    for start, end, _closed in marks:
        content = text[start:end].strip()
        if len(content.split()) < 2 and not content.endswith((".", ",")):
            continue  # a scare-quoted single word is not a quotation
        cue = _nearest_cue(doc, start, end, inside)
        speaker: tuple[str, Span | None, str | None] | None = None
        if cue is not None:
            speaker = _speaker_of(cue, offset, article_id, context)
        elif start <= 1 and _covers_paragraph(text, start, end):
            speaker = context.last_speaker
        kind = _kind(doc, start, end)
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        span = Span(article_id, offset + start + lead, offset + start + lead + len(content))
        name, speaker_span, cue_text = speaker if speaker else (None, None, None)
        quotes.append(Quote(span, content, kind, name, speaker_span, cue_text))
        if speaker is not None:
            context.last_speaker = speaker
    quotes.extend(_indirect_quotes(doc, offset, article_id, context, inside))
    _remember_people(doc, context)
    return sorted(quotes, key=lambda q: (q.span.start, q.span.end))


def _inside_mask(length: int, marks: Sequence[tuple[int, int, bool]]) -> list[bool]:
    mask = [False] * length
    for start, end, _ in marks:
        for position in range(max(start - 1, 0), min(end + 1, length)):
            mask[position] = True
    return mask


def _nearest_cue(doc: Doc, start: int, end: int, inside: list[bool]) -> Token | None:
    """The speech verb outside quotation marks closest to the quote, in the sentences it touches."""
    sentences = [s for s in doc.sents if s.start_char < end + 1 and s.end_char > start - 1]
    best: tuple[int, int, Token] | None = None
    for sentence in sentences:
        for token in sentence:
            if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() not in SPEECH_VERBS:
                continue
            if inside[min(token.idx, len(inside) - 1)]:
                continue
            distance = start - token.idx if token.idx < start else token.idx - end
            key = (abs(distance), token.i)
            if best is None or key < best[:2]:
                best = (key[0], key[1], token)
    if best is None:
        found = _according_to(doc, start, end, inside)
        if found is None:
            found = _cue_in_previous_sentence(doc, start, inside)
        return found
    return best[2]


def _cue_in_previous_sentence(doc: Doc, start: int, inside: list[bool]) -> Token | None:
    """ "Tarar criticized the Taliban. “Instead of …”": the cue sits in the sentence before."""
    previous = [s for s in doc.sents if s.end_char <= start]
    if not previous:
        return None
    for token in reversed(list(previous[-1])):
        if (
            token.lemma_.lower() in SPEECH_VERBS
            and token.pos_ in {"VERB", "AUX"}
            and not inside[min(token.idx, len(inside) - 1)]
            and _subject(token) is not None
        ):
            return token
    return None


def _according_to(doc: Doc, start: int, end: int, inside: list[bool]) -> Token | None:
    for sentence in doc.sents:
        if not (sentence.start_char < end and sentence.end_char > start):
            continue
        for token in sentence:
            if token.lower_ == "according" and not inside[token.idx]:
                return token
    return None


def _speaker_of(
    cue: Token, offset: int, article_id: str, context: QuoteContext
) -> tuple[str, Span | None, str | None]:
    if cue.lower_ == "according":
        objects = [
            t for c in cue.children if c.lower_ == "to" for t in c.children if t.dep_ == "pobj"
        ]
        subject = objects[0] if objects else None
        cue_text = "according to"
    else:
        subject = _subject(cue)
        cue_text = cue.text
    if subject is None:
        return (
            (context.last_person or "", None, cue_text) if context.last_person else ("", None, None)
        )
    name, token_span = _describe(subject, context)
    span = Span(article_id, offset + token_span[0], offset + token_span[1])
    return name, span, cue_text


def _subject(verb: Token) -> Token | None:
    """The grammatical subject of a cue; participles ("…, saying") borrow their clause's subject.

    Climbing prefers an ancestor that is itself a speech verb ("He warned that …, saying “…”"), so
    the speaker is the one who speaks, not the subject of an embedded clause.
    """
    own = _own_subject(verb)
    if own is not None:
        return own
    if verb.dep_ not in {"conj", "advcl"} or any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    ):
        return None  # an infinitive ("leading Islamabad to announce") has no speaker of its own
    fallback: Token | None = None
    for ancestor in verb.ancestors:
        subject = _own_subject(ancestor)
        if subject is None:
            continue
        if ancestor.lemma_.lower() in SPEECH_VERBS:
            return subject
        fallback = fallback or subject
    return fallback


def _own_subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child.lower_ not in _RELATIVES:
            return child
    return None


def _describe(subject: Token, context: QuoteContext) -> tuple[str, tuple[int, int]]:
    """Canonical speaker name (or description) and its character range in the paragraph."""
    doc = subject.doc
    if subject.lower_ in _PRONOUNS:
        span = (subject.idx, subject.idx + len(subject.text))
        return _antecedent(subject, context) or subject.text, span
    left = subject.left_edge.idx
    right = subject.right_edge.idx + len(subject.right_edge.text)
    for ent in doc.ents:
        if ent.label_ == "PERSON" and left <= ent.start_char and ent.end_char <= right:
            return _canonical_person(ent.text, context), (ent.start_char, ent.end_char)
    person = _person_of_token(subject, context)
    if person is not None:
        return person, (subject.idx, subject.idx + len(subject.text))
    for token in reversed(list(subject.subtree)):
        person = _person_of_token(token, context)
        if person is not None:  # "Minister for Information Attaullah Tarar", name tagged ORG
            return person, (token.idx, token.idx + len(token.text))
    # A named organisation or an unnamed source: the words up to the head noun, without the
    # trailing modifiers ("a Pakistani security official", "State-run Pakistan TV Digital").
    between = [
        ent
        for ent in doc.ents
        if ent.label_ == "PERSON"
        and left <= ent.start_char
        and ent.end <= subject.head.i
        and ent.sent == subject.sent
    ]
    if (
        between
    ):  # "Minister for Information Attaullah Tarar confirmed": the parse split the name off
        ent = between[0]
        return _canonical_person(ent.text, context), (ent.start_char, ent.end_char)
    subtree = list(subject.subtree)
    if len(subtree) <= _MAX_DESCRIPTION_TOKENS and not any(t.is_punct for t in subtree):
        return doc.text[left:right], (left, right)
    head_end = subject.idx + len(subject.text)
    return doc.text[left:head_end], (left, head_end)


def _person_of_token(token: Token, context: QuoteContext) -> str | None:
    """The canonical person a proper-noun token names, if it is (part of) a known person's name."""
    if token.pos_ != "PROPN":
        return None
    for ent in token.doc.ents:
        if ent.label_ == "PERSON" and ent.start <= token.i < ent.end:
            return _canonical_person(ent.text, context)
    name = _canonical_person(token.text, context)
    return (
        name
        if (name in context.people and name != token.text) or token.text in context.people
        else None
    )


def _antecedent(pronoun: Token, context: QuoteContext) -> str | None:
    """The person a pronoun most likely means: the last person *subject* before it in the paragraph,
    else the last person named there, else the salient person carried from earlier paragraphs."""
    named: list[tuple[bool, str]] = []
    for token in pronoun.doc[: pronoun.i]:
        person = _person_of_token(token, context)
        if person is not None and (not named or named[-1][1] != person or token.dep_ == "nsubj"):
            named.append((token.dep_ in {"nsubj", "nsubjpass"}, person))
    subjects = [name for is_subject, name in named if is_subject]
    if subjects:
        return subjects[-1]
    if named:
        return named[-1][1]
    return context.salient_person()


def _canonical_person(name: str, context: QuoteContext) -> str:
    """Map a surname or short form to the fullest name of the article that ends with it."""
    clean = name.removesuffix("’s").removesuffix("'s").strip()
    last = clean.split()[-1] if clean.split() else clean
    for person in context.people:
        if person == clean or person.split()[-1] == last:
            return person
    return clean


def _covers_paragraph(text: str, start: int, end: int) -> bool:
    outside = (text[: max(start - 1, 0)] + text[end + 1 :]).strip(' ,.;:”"')
    return not outside


def _kind(doc: Doc, start: int, end: int) -> QuoteKind:
    sentences = [s for s in doc.sents if s.start_char < end and s.end_char > start]
    total = sum(len(s.text) for s in sentences) or 1
    return "direct" if (end - start) / total >= _MIN_DIRECT_SHARE else "partial"


def _indirect_quotes(
    doc: Doc, offset: int, article_id: str, context: QuoteContext, inside: list[bool]
) -> list[Quote]:
    """Reported speech without quotation marks: a speech verb with a clausal complement."""
    found: list[Quote] = []
    for token in doc:
        if token.lemma_.lower() not in SPEECH_VERBS or inside[min(token.idx, len(inside) - 1)]:
            continue
        complements = [c for c in token.children if c.dep_ == "ccomp"]
        if not complements:
            continue
        clause = complements[0]
        left = clause.left_edge.idx
        right = clause.right_edge.idx + len(clause.right_edge.text)
        if any(inside[left:right]) or right - left < 20:
            continue
        subject = _subject(token)
        if subject is None:
            continue
        name, subject_range = _describe(subject, context)
        clause_text = doc.text[left:right]
        found.append(
            Quote(
                Span(article_id, offset + left, offset + right),
                clause_text,
                "indirect",
                name,
                Span(article_id, offset + subject_range[0], offset + subject_range[1]),
                token.text,
            )
        )
    return found


def _remember_people(doc: Doc, context: QuoteContext) -> None:
    named = [
        (t.dep_ in {"nsubj", "nsubjpass"}, p) for t in doc if (p := _person_of_token(t, context))
    ]
    subjects = [name for is_subject, name in named if is_subject]
    if subjects:
        context.last_person, context.last_person_is_subject = subjects[-1], True
    elif named:
        context.last_person, context.last_person_is_subject = named[-1][1], False
