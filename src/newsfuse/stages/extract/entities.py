"""Entity, number and date mentions with a canonical key.

spaCy finds the mentions; this module gives each a ``norm`` that matches across articles: a
surname or titled form goes to the fullest name the article uses ("Asif" → "Khawaja Asif"), a leading
"the" and a possessive are dropped, numbers become digits.  Cross-article canonical entities with
aliases are built on top of these keys (:mod:`newsfuse.stages.extract.canonical`).

spaCy's small English model splits some names in ways a reader never would, so its entities are
repaired first (:func:`repaired_entities`): Urdu/Persian izafat compounds ("Tehreek-e-Taliban
Pakistan" comes out as ORG "Tehreek" + GPE "Pakistan"), a demonym before an organisation ("Pakistani"
+ "Taliban") and an untagged acronym that a text defines in parentheses ("... Army (BLA)").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newsfuse.models import Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "ENTITY_LABELS",
    "NUMBER_LABELS",
    "POSSESSIVE",
    "article_people",
    "mentions_in_paragraph",
    "normalise",
    "repaired_entities",
]

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "EVENT", "FAC"})
NUMBER_LABELS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
TIME_LABELS = frozenset({"DATE", "TIME"})

_WORD_NUMBERS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "dozens": "dozens",
}  # fmt: skip
POSSESSIVE = re.compile(r"[’']s$")  # "Asif’s", "the union's"


def normalise(text: str, label: str) -> str:
    """The label-specific canonical form of a mention's text."""
    value = " ".join(text.split())
    value = POSSESSIVE.sub("", value)
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
    for start, end, label in repaired_entities(doc.text, _spacy_entities(doc)):
        if label not in ENTITY_LABELS | NUMBER_LABELS | TIME_LABELS:
            continue
        text = doc.text[start:end]
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
        found.append(Mention(Span(article_id, offset + start, offset + end), text, label, norm))
    return found


def _surnames(people: Sequence[str]) -> set[str]:
    return {p.split()[-1] for p in people if len(p.split()) > 1}


def _full_name(name: str, people: Sequence[str]) -> str:
    last = name.split()[-1] if name.split() else name
    for person in people:
        if person == name or (len(person.split()) > 1 and person.split()[-1] == last):
            return person
    return name


# A char-offset entity as spaCy gives it: (start, end, label).
_Ent = tuple[int, int, str]

# Izafat and Arabic-article compounds: "Tehreek-e-Taliban", "Lashkar-e-Taiba", "Hizb-ut-Tahrir".
# The lower-case linker is what marks them; plain hyphenated names ("Al-Qaeda") spaCy keeps whole.
_IZAFAT = re.compile(r"\b[A-Z][a-z]+(?:-(?:e|i|ul|ud|ur|us|ut|al|el|un|o)-[A-Z][a-z]+)+\b")
# Labels a compound may absorb from a neighbour: "Pakistan Tehreek-e-Insaf", "... Taliban Pakistan".
_ABSORBABLE = frozenset({"GPE", "NORP", "LOC", "ORG"})
# Capitalised words, then a parenthesised acronym: the words are (the rest of) a defined name.
_NAME_THEN_ACRONYM = re.compile(r"((?: [A-Z][\w’'-]*)+)[ \t]*\([A-Z][A-Z0-9&]{1,7}\)")
# A parenthesised acronym right after a name: "Balochistan Liberation Army (BLA)".
_ACRONYM_AFTER = re.compile(r"[ \t]*\(([A-Z][A-Z0-9&]{1,7})\)")


def _spacy_entities(doc: Doc) -> list[_Ent]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def repaired_entities(text: str, ents: Sequence[_Ent]) -> list[_Ent]:
    """spaCy's entities of ``text`` with three documented repairs, sorted by start.

    1. An izafat compound ("Tehreek-e-Taliban") becomes one entity together with any entity it
       overlaps and any GPE/NORP/LOC/ORG entity directly beside it, one space apart ("Tehreek-e-Taliban
       Pakistan", "Pakistan Tehreek-e-Insaf"); it keeps the label of the entity it overlapped, else ORG.
    2. A NORP directly followed by an ORG ("Pakistani" "Taliban") is one ORG, as spaCy already tags
       "Afghan Taliban": the demonym is part of the name, and the acronym after it defines the whole.
       So is a NORP followed by untagged capitalised words and a parenthesised acronym
       ("Pakistani Taliban (TTP)", where spaCy tags only "Pakistani"): the acronym marks a name.
    3. An untagged acronym in parentheses right after an ORG becomes an ORG, so the acronym's
       definition has a span ("Balochistan Liberation Army (BLA)").  After a place it is usually a
       news agency's credit in a dateline ("PORT MERROW (CPA) -"), so it is left alone there.
    """
    current = sorted(ents)
    for match in _IZAFAT.finditer(text):
        start, end = match.start(), match.end()
        overlapped = [e for e in current if e[0] < end and start < e[1]]
        label = next((e[2] for e in overlapped if e[2] in ENTITY_LABELS), "ORG")
        if overlapped:
            start = min(start, *(e[0] for e in overlapped))
            end = max(end, *(e[1] for e in overlapped))
        merged = set(overlapped)
        for ent in current:
            if ent[2] not in _ABSORBABLE or ent in merged:
                continue
            if ent[1] + 1 == start and text[ent[1]] == " ":
                start = ent[0]
                merged.add(ent)
            elif ent[0] == end + 1 and text[end] == " ":
                end = ent[1]
                merged.add(ent)
        current = sorted([e for e in current if e not in merged] + [(start, end, label)])
    joined: list[_Ent] = []
    for index, ent in enumerate(current):
        if ent[2] == "NORP":
            named = _NAME_THEN_ACRONYM.match(text, ent[1])
            following = current[index + 1] if index + 1 < len(current) else None
            if named is not None and (following is None or following[0] >= named.end(1)):
                ent = (ent[0], named.end(1), "ORG")  # "Pakistani Taliban (TTP)", name untagged
        if (
            joined
            and joined[-1][2] == "NORP"
            and ent[2] == "ORG"
            and joined[-1][1] + 1 == ent[0]
            and text[joined[-1][1]] == " "
        ):
            ent = (joined.pop()[0], ent[1], "ORG")
        joined.append(ent)
    acronyms: list[_Ent] = []
    for index, ent in enumerate(joined):
        if ent[2] != "ORG":
            continue  # "Port Merrow (CPA):" credits an agency; it does not define the place
        defined = _ACRONYM_AFTER.match(text, ent[1])
        if defined is None:
            continue
        following = joined[index + 1] if index + 1 < len(joined) else None
        if following is not None and following[0] < defined.end(1):
            continue  # spaCy tagged the acronym itself
        acronyms.append((defined.start(1), defined.end(1), ent[2]))
    return sorted(joined + acronyms)
