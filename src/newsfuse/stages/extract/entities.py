"""Entity, number and date mentions with a canonical key.

spaCy finds the mentions; this module gives each a ``norm`` that matches across articles: a
surname or titled form goes to the fullest name the article uses ("Asif" → "Khawaja Asif"), a leading
"the" and a possessive are dropped, numbers become digits.  Cross-article canonical entities with
aliases are built on top of these keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newsfuse.models import Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["ENTITY_LABELS", "NUMBER_LABELS", "article_people", "mentions_in_paragraph", "normalise"]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC"})
NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
TIME_LABELS = frozenset({"DATE", "TIME"})

_WORD_NUMBERS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "dozens": "dozens",
}  # fmt: skip
_POSSESSIVE = re.compile(r"[’']s$")


def normalise(text: str, label: str) -> str:
    """The label-specific canonical form of a mention's text."""
    value = " ".join(text.split())
    value = _POSSESSIVE.sub("", value)
    if label in ENTITY_LABELS and value.lower().startswith("the "):
        value = value[4:]
    if label in NUMBER_LABELS:
        lowered = value.lower().replace(",", "")
        if lowered in _WORD_NUMBERS:
            return _WORD_NUMBERS[lowered]
        digits = re.sub(r"(?<=\d),(?=\d{3})", "", value)
        return digits
    return value


def article_people(docs: Iterable[Doc]) -> list[str]:
    """The article's PERSON names, fullest first, so a surname can be mapped to the full name."""
    names = {normalise(e.text, "PERSON") for doc in docs for e in doc.ents if e.label_ == "PERSON"}
    multiword = sorted((n for n in names if len(n.split()) > 1), key=lambda n: (-len(n), n))
    single = sorted(n for n in names if len(n.split()) == 1)
    return multiword + single


def mentions_in_paragraph(
    doc: Doc, offset: int, article_id: str, people: Sequence[str]
) -> list[Mention]:
    """Mentions of one parsed paragraph, anchored in the article text."""
    found: list[Mention] = []
    for ent in doc.ents:
        label = ent.label_
        if label not in ENTITY_LABELS | NUMBER_LABELS | TIME_LABELS:
            continue
        text = ent.text
        start = ent.start_char
        if label in ENTITY_LABELS and text.lower().startswith("the "):
            start += 4
            text = text[4:]
        norm = normalise(text, label)
        if label in {"PERSON", "ORG"}:
            norm = (
                _full_name(norm, people) if label == "PERSON" or norm in _surnames(people) else norm
            )
            if label == "ORG" and norm in people:
                label = "PERSON"  # spaCy often tags a lone surname as ORG ("Tarar")
        found.append(
            Mention(Span(article_id, offset + start, offset + ent.end_char), text, label, norm)
        )
    return found


def _surnames(people: Sequence[str]) -> set[str]:
    return {p.split()[-1] for p in people if len(p.split()) > 1}


def _full_name(name: str, people: Sequence[str]) -> str:
    last = name.split()[-1] if name.split() else name
    for person in people:
        if person == name or (len(person.split()) > 1 and person.split()[-1] == last):
            return person
    return name
