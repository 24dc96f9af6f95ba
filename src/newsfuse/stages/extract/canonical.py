"""Canonical entities across a story: every way the reports refer to one thing, merged into one.

Per article, :mod:`~newsfuse.stages.extract.entities` already maps a surname to the fullest name
*that article* uses.  Across a story the same person is "Atta Tarar" in one report, "Attaullah Tarar"
in another; a country is "Turkey", "Turkiye" and "Türkiye"; a group is "TTP", "Tehreek-e-Taliban
Pakistan" and "Tehrik-e-Taliban Pakistan"; and the tagger calls "Tarar" an ORG in one place and
"Tora Bora" a PERSON.  :func:`canonicalise` turns all of that into one :class:`~newsfuse.models.Entity`
per thing and rewrites every mention's ``norm`` (and quote speaker) to its canonical name.

The work is done on *surface forms*, not mentions: mentions are grouped by their folded form
(:func:`fold`), so a story of a hundred articles has a few hundred forms however many mentions it has,
and pairwise comparisons are further blocked by label and first letter (or surname, for people).

The rules, in the order they run:

1. **Furniture is dropped.**  A mention on a line that links elsewhere ("Read More: ...", "Tags:"),
   made only of furniture words ("Read More", "Happen Next"; :data:`aliases.FURNITURE_WORDS`), or
   a one-word ORG that is part of a role title ("Defence" in "Defence Minister Khawaja Asif") is
   not a reference of this story; it is removed from the article (and its claims).  A PERSON
   form seen only in headline-case lines and never in prose, with no other sign of being a person,
   is dropped too: spaCy reads Title Case pairs as names.
2. **Titles are stripped** from the front of names: honorifics from any label ("Ms Varga" → "Varga",
   and an honorific makes it a person), role titles from people ("Defence Minister Khawaja Asif").
3. **One label per form** by majority vote over its mentions (ties: place labels first, then ORG,
   PERSON, NORP, EVENT; see :data:`_LABEL_PRIORITY`), then corrected by evidence:
   an ORG form that is, or ends with, the surname of a multi-word form spaCy tagged PERSON at least
   once (or of an honorific form) is a PERSON ("Tarar", "Helena Strand");  a PERSON form with no
   sign of personhood (never a quote speaker, no honorific, not sharing a surname) that follows a
   locative preposition or "<place noun> of" somewhere is a LOC ("at Tora Bora", "port of
   Castellan"); a one-word PERSON form after "the" with no such sign is an ORG ("the Herald"); a
   PERSON form only ever written in capitals with no such sign takes its next most voted label,
   else ORG (the "MERROW" of a dateline, an agency's "CPA").
4. **People merge by surname**: multi-word names with the same surname (transliteration-folded) and
   compatible given names (equal, an initial, a prefix of at least three letters as in
   "Atta"/"Attaullah", or the same consonant skeleton as in "Mohammad"/"Muhammad") are one person;
   a titled form ending with a known full name joins it; a lone surname joins the one person who has
   it (when two people share a surname it stays apart: no guessing).
5. **Spelling variants merge** within a label: forms whose transliteration keys are equal
   (:func:`translit_key`: "ee"→"i", "oo"→"u", soft "c"→"s", doubled letters collapsed) or whose
   ``rapidfuzz`` ``token_sort_ratio`` is at least :data:`FUZZY_THRESHOLD` (both at least
   :data:`FUZZY_MIN_LENGTH` characters, same digits).  Country names are settled only by
   :data:`aliases.COUNTRY_ALIASES`: two different known countries never merge.
6. **Acronyms merge with the name a text defines them as**, "Name (ACR)" or "ACR (Name)", when every
   letter of the acronym is an initial of the name's words (order-free, so a translated name such
   as "Pakistani Taliban (TTP)" counts).  One definition holds for the whole story.
7. **The canonical name** of a merged entity is its most frequent full form (not an acronym, not a
   lone surname when a full name exists, not all capitals when another form is not), counting each
   mention by its per-article ``norm``; ties go to the longer form, then alphabetical order.

Demonyms (NORP "Pakistani") stay separate from their countries (GPE "Pakistan"): they are
adjectives about people or things, not references to the state.  Output is sorted by label then name.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from newsfuse.models import Article, Claim, Entity, Mention, Quote, Span, content_id
from newsfuse.stages.extract.aliases import (
    COUNTRY_ALIASES,
    FURNITURE_LINE_PREFIXES,
    FURNITURE_WORDS,
    HONORIFICS,
    LOCATIVE_PREPOSITIONS,
    ORG_HEAD_WORDS,
    PLACE_NOUNS,
    ROLE_TITLE_WORDS,
)
from newsfuse.stages.extract.entities import ENTITY_LABELS, POSSESSIVE
from newsfuse.stages.grouping import UnionFind

__all__ = ["FUZZY_MIN_LENGTH", "FUZZY_THRESHOLD", "canonicalise", "fold", "translit_key"]

FUZZY_THRESHOLD = 90.0
"""Minimum ``token_sort_ratio`` (0-100) of two transliteration keys for a spelling variant.

90 joins "Tehreek-e-Taliban Pakistan"/"Tehrik-e-Taliban Pakistan" (94) but not "Austria"/"Australia"
(88), "Gate 2"/"Gate 4" (83) or "COW News"/"Geo News" (75)."""
FUZZY_MIN_LENGTH = 5
"""Shorter forms are never fuzzy-matched: one letter apart is a different name ("Iran"/"Iraq")."""

_Resolver = Callable[[str], "tuple[str, str] | None"]
"""Form key → (canonical name, label) of its entity, or None when the form was dropped or unknown."""
# Tie-break of the label vote: a surface form tagged both ways is more often a place or an
# organisation spaCy misread as a person than the reverse (people get their own evidence rule).
_LABEL_PRIORITY = ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "EVENT")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Z0-9&]{1,7})\s*\)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s+(?:([A-Za-z]+)\s+)?$")
_HEADLINE_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_FURNITURE_LINE = re.compile(
    r"\s*(?:" + "|".join(re.escape(p) for p in FURNITURE_LINE_PREFIXES) + r")\s*[:|]",
    re.IGNORECASE,
)
_COUNTRY_OF: dict[str, str] = {
    variant: canonical
    for canonical, variants in COUNTRY_ALIASES.items()
    for variant in (canonical, *variants)
}


def fold(text: str) -> str:
    """Compare-form of a name: accents stripped, case folded, apostrophes and spaces unified.

    "Türkiye" and "Turkiye", "Dockworkers’ Union" and "Dockworkers' Union" fold alike; hyphens become
    spaces so "Al-Qaeda" and "Al Qaeda" do too.
    """
    text = text.replace("ı", "i").replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = re.sub(r"[‐-―-]", " ", stripped)
    return " ".join(stripped.casefold().split())


def translit_key(folded: str) -> str:
    """A key under which common romanisation and British/American variants coincide.

    "tehreek"/"tehrik" (ee → i), "defence"/"defense" (soft c → s), "yousuf"/"yusuf" (ou → u);
    doubled letters are collapsed ("attaullah"/"ataulah").
    """
    key = folded.replace("ee", "i").replace("oo", "u").replace("ou", "u").replace("ph", "f")
    key = re.sub(r"c(?=[eiy])", "s", key)
    return re.sub(r"(.)\1+", r"\1", key)


def _skeleton(word: str) -> str:
    """First letter and consonants: given names that differ only in vowels ("Mohammad"/"Muhammad")."""
    key = translit_key(word)
    return key[:1] + re.sub(r"[aeiouy]", "", key[1:])


def _is_acronym(form: str) -> bool:
    return _ACRONYM.fullmatch(form) is not None


# --------------------------------------------------------------------------------------------------
# Collection: one record per folded surface form


@dataclass(slots=True)
class _Form:
    """Everything the story says about one folded surface form."""

    key: str
    labels: Counter[str] = field(default_factory=Counter)
    displays: Counter[str] = field(default_factory=Counter)
    raw: set[str] = field(default_factory=set)
    refs: list[tuple[int, int]] = field(default_factory=list)  # (article index, mention index)
    honorific: bool = False
    locative: int = 0
    after_the: int = 0
    in_prose: int = 0
    speaker: bool = False
    label: str = ""

    @property
    def tokens(self) -> list[str]:
        return self.key.split()


def _strip_titles(name: str, person: bool) -> tuple[str, bool]:
    """``name`` without leading honorifics (always) and role titles (people only).

    Returns the stripped name and whether an honorific was found.  Never strips to nothing.
    """
    words = name.split()
    honorific = False
    while len(words) > 1:
        lowered = words[0].casefold()
        if lowered in HONORIFICS:
            honorific = True
        elif not (person and lowered in ROLE_TITLE_WORDS):
            break
        words = words[1:]
    return " ".join(words), honorific


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


def _is_headline(line: str) -> bool:
    """Headline case: nearly every word longer than three letters capitalised, no closing stop."""
    stripped = line.strip()
    if not stripped or stripped[-1] in '.!?”"':
        return False
    words = [w for w in _HEADLINE_WORD.findall(stripped) if len(w) > 3]
    if len(words) < 2:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.8 * len(words)


def _is_furniture_phrase(text: str) -> bool:
    words = _HEADLINE_WORD.findall(text)
    return bool(words) and all(w.casefold() in FURNITURE_WORDS and not w.isupper() for w in words)


def _is_title_fragment(mention: Mention, text: str) -> bool:
    """A one-word ORG that is part of a role title: "Defence" in "Defence Minister Khawaja Asif"."""
    if mention.label != "ORG" or mention.text.casefold() not in ROLE_TITLE_WORDS:
        return False
    following = text[mention.span.end : mention.span.end + 30].split()
    return bool(following) and following[0].casefold() in ROLE_TITLE_WORDS


@dataclass(slots=True)
class _Collected:
    forms: dict[str, _Form]
    mention_form: dict[tuple[int, int], str]  # kept mentions → form key
    dropped: set[tuple[int, int]]
    speakers: set[str]


def _collect(articles: Sequence[Article]) -> _Collected:
    forms: dict[str, _Form] = {}
    mention_form: dict[tuple[int, int], str] = {}
    dropped: set[tuple[int, int]] = set()
    # Speaking in quotation marks is a sign of personhood; being the source of an indirect
    # attribution is not ("Asif's reference to Tora Bora alluded to ..." makes no speaker of it).
    speakers = {
        fold(_strip_titles(q.speaker, True)[0])
        for a in articles
        for q in a.quotes
        if q.speaker is not None and q.kind != "indirect"
    }
    for ai, article in enumerate(articles):
        text = article.text
        for mi, mention in enumerate(article.mentions):
            if mention.label not in ENTITY_LABELS:
                continue
            line_start, line_end = _line_bounds(text, mention.span.start, mention.span.end)
            line = text[line_start:line_end]
            if (
                _FURNITURE_LINE.match(line)
                or _is_furniture_phrase(mention.text)
                or _is_title_fragment(mention, text)
            ):
                dropped.add((ai, mi))
                continue
            display, honorific = _strip_titles(mention.norm, mention.label == "PERSON")
            key = fold(display)
            if not key:
                dropped.add((ai, mi))
                continue
            form = forms.setdefault(key, _Form(key))
            form.labels[mention.label] += 1
            form.displays[display] += 1
            # As written, but "Afghan Taliban’s" is no other name of the Afghan Taliban.
            form.raw.update({POSSESSIVE.sub("", " ".join(mention.text.split())), mention.norm})
            form.refs.append((ai, mi))
            form.honorific |= honorific
            form.in_prose += not _is_headline(line)
            before = _WORD_BEFORE.search(
                text, max(line_start, mention.span.start - 40), mention.span.start
            )
            if before is not None:
                last = (before.group(2) or before.group(1)).casefold()
                previous = before.group(1).casefold() if before.group(2) else ""
                possessive = mention.text.endswith(("’s", "'s"))
                if not possessive and (
                    last in LOCATIVE_PREPOSITIONS or (last == "of" and previous in PLACE_NOUNS)
                ):
                    form.locative += 1
                form.after_the += last == "the"
            mention_form[(ai, mi)] = key
    for form in forms.values():
        form.speaker = form.key in speakers
    return _Collected(forms, mention_form, dropped, speakers)


# --------------------------------------------------------------------------------------------------
# Labels


def _vote(labels: Counter[str]) -> str:
    return min(labels, key=lambda lab: (-labels[lab], _LABEL_PRIORITY.index(lab)))


def _assign_labels(forms: dict[str, _Form]) -> set[str]:
    """Give each form one label (rule 3); return the keys of forms dropped as headline-only names."""
    surnames: set[str] = set()
    for form in forms.values():
        tokens = form.tokens
        if form.labels["PERSON"] and len(tokens) > 1:
            surnames.add(translit_key(tokens[-1]))
        if form.honorific:
            surnames.add(translit_key(tokens[-1]))
    surname_use = Counter(translit_key(f.tokens[-1]) for f in forms.values())
    dropped: set[str] = set()
    for key in sorted(forms):
        form = forms[key]
        tokens = form.tokens
        label = "PERSON" if form.honorific else _vote(form.labels)
        last = translit_key(tokens[-1])
        if (
            label == "ORG"
            and last in surnames
            and len(tokens) <= 3
            and tokens[-1] not in ORG_HEAD_WORDS
            and not _is_acronym(next(iter(form.displays)))
        ):
            label = "PERSON"
        if label == "PERSON":
            personal = (
                form.honorific
                or form.speaker
                or (len(tokens) > 1 and surname_use[last] > 1)
                or (len(tokens) == 1 and last in surnames)
            )
            if not personal and all(d.isupper() for d in form.displays):
                others = Counter({k: v for k, v in form.labels.items() if k != "PERSON"})
                label = _vote(others) if others else "ORG"  # "MERROW" of a dateline, "CPA"
            elif not personal and form.locative:
                label = "LOC"
            elif not personal and len(tokens) == 1 and form.after_the:
                label = "ORG"
            elif not personal and not form.in_prose:
                dropped.add(key)
        form.label = label
    return dropped


# --------------------------------------------------------------------------------------------------
# Merging


def _given_names_compatible(a: str, b: str) -> bool:
    a, b = a.rstrip("."), b.rstrip(".")
    if a == b or translit_key(a) == translit_key(b):
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 3 and longer.startswith(shorter):
        return True
    return _skeleton(a) == _skeleton(b) and len(_skeleton(a)) >= 3


def _merge_people(people: list[_Form], uf: UnionFind[str]) -> None:
    """Rule 4: full names by surname and given name; titled forms; lone surnames."""
    by_key = {f.key: f for f in people}
    multi = [f for f in people if len(f.tokens) > 1]
    for form in multi:  # "minister for information attaullah tarar" → "attaullah tarar"
        tokens = form.tokens
        for k in range(len(tokens) - 1, 1, -1):
            suffix = " ".join(tokens[-k:])
            if suffix in by_key:
                uf.union(form.key, suffix)
                break
    blocks: dict[str, list[_Form]] = defaultdict(list)
    for form in multi:
        blocks[translit_key(form.tokens[-1])].append(form)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if _given_names_compatible(a.tokens[0], b.tokens[0]):
                    uf.union(a.key, b.key)
    for form in people:
        if len(form.tokens) != 1:
            continue
        roots = sorted({uf.find(f.key) for f in blocks.get(translit_key(form.key), [])})
        if len(roots) == 1:
            uf.union(form.key, roots[0])


def _variants(a: str, b: str) -> bool:
    """Rule 5 for two folded forms of one label."""
    country_a, country_b = _COUNTRY_OF.get(a), _COUNTRY_OF.get(b)
    if country_a or country_b:
        return country_a == country_b
    if min(len(a), len(b)) < FUZZY_MIN_LENGTH or re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    ka, kb = translit_key(a), translit_key(b)
    return ka == kb or fuzz.token_sort_ratio(ka, kb) >= FUZZY_THRESHOLD


def _merge_variants(forms: list[_Form], uf: UnionFind[str]) -> None:
    by_key = {f.key: f for f in forms}
    for form in forms:  # the alias table joins names that look nothing alike ("UK"/"Britain")
        country = _COUNTRY_OF.get(form.key)
        if country is not None:
            for variant in (country, *COUNTRY_ALIASES[country]):
                other = by_key.get(variant)
                if other is not None and other.label == form.label:
                    uf.union(form.key, variant)
    blocks: dict[tuple[str, str], list[_Form]] = defaultdict(list)
    for form in forms:
        if form.label != "PERSON" and not _is_acronym(next(iter(form.displays))):
            blocks[(form.label, translit_key(form.key)[:1])].append(form)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if _variants(a.key, b.key):
                    uf.union(a.key, b.key)


def _defines(acronym: str, name: str) -> bool:
    """Every letter of ``acronym`` is an initial of a word of ``name`` (rule 6)."""
    initials = {w[0].upper() for w in re.split(r"[\s\-‐-―]+", name) if w}
    letters = [c for c in acronym if c.isalpha()]
    return len(name.split()) > 1 and bool(letters) and all(c in initials for c in letters)


def _merge_acronyms(
    articles: Sequence[Article], collected: _Collected, uf: UnionFind[str]
) -> dict[str, set[str]]:
    """Rule 6; returns acronyms defined in text but never tagged, as extra aliases by form key."""
    extra: dict[str, set[str]] = defaultdict(set)
    forms = collected.forms
    for ai, article in enumerate(articles):
        spans = {
            (m.span.start, m.span.end): collected.mention_form[(ai, mi)]
            for mi, m in enumerate(article.mentions)
            if (ai, mi) in collected.mention_form
        }
        for (start, end), key in sorted(spans.items()):
            match = _ACRONYM_AFTER.match(article.text, end)
            if match is None:
                continue
            inner = article.text[match.start(1) : match.end(1)]
            inner_key = spans.get((match.start(1), match.end(1)))
            outer_display = article.text[start:end]
            if _is_acronym(outer_display.strip()):
                continue  # "TTP (TTP)"; the reverse pattern is handled below
            if not _defines(inner, outer_display):
                continue
            if inner_key is None:
                extra[key].add(inner)
            else:
                forms[inner_key].label = forms[key].label
                uf.union(key, inner_key)
        for (start, end), key in sorted(spans.items()):  # "TTP (Tehreek-e-Taliban Pakistan)"
            acronym = article.text[start:end]
            if not _is_acronym(acronym):
                continue
            after = re.match(r"\s*\(", article.text[end:])
            if after is None:
                continue
            inner_start = end + after.end()
            for (s, e), inner_key in spans.items():
                if (
                    s == inner_start
                    and article.text[e : e + 1] == ")"
                    and _defines(acronym, article.text[s:e])
                ):
                    forms[key].label = forms[inner_key].label
                    uf.union(key, inner_key)
    return extra


# --------------------------------------------------------------------------------------------------
# Naming and output


def _canonical_name(members: list[_Form]) -> str:
    """Rule 7: most frequent full form; ties by length, then alphabet."""
    counts: Counter[str] = Counter()
    for form in members:
        counts.update(form.displays)
    candidates = [d for d in counts if not _is_acronym(d)] or list(counts)
    if any(len(d.split()) > 1 for d in candidates) and members[0].label == "PERSON":
        candidates = [d for d in candidates if len(d.split()) > 1]
    mixed = [d for d in candidates if not d.isupper()]
    candidates = mixed or candidates
    return min(candidates, key=lambda d: (-counts[d], -len(d), d))


def canonicalise(
    articles: Sequence[Article],
) -> tuple[tuple[Entity, ...], tuple[Article, ...]]:
    """Merge every way the story refers to one thing into one :class:`Entity` (rules above).

    Returns the entities, sorted by label then name, and the articles with each entity mention's
    ``norm`` and ``label`` set to its entity's, false entities removed (from ``mentions`` and from
    each claim's), and each quote's ``speaker`` set to the canonical name when it names an entity.
    Spans are unchanged; nothing is mutated.
    """
    collected = _collect(articles)
    forms = collected.forms
    headline_only = _assign_labels(forms)
    for key in sorted(headline_only):
        for ref in forms.pop(key).refs:
            collected.dropped.add(ref)
            del collected.mention_form[ref]
    uf = UnionFind[str](sorted(forms))
    by_label: dict[str, list[_Form]] = defaultdict(list)
    for key in sorted(forms):
        by_label[forms[key].label].append(forms[key])
    _merge_people(by_label.get("PERSON", []), uf)
    _merge_variants([f for k in sorted(forms) if (f := forms[k]).label != "PERSON"], uf)
    extra = _merge_acronyms(articles, collected, uf)

    clusters: dict[str, list[_Form]] = defaultdict(list)
    for key in sorted(forms):
        clusters[uf.find(key)].append(forms[key])
    name_of: dict[str, tuple[str, str]] = {}  # root → (name, label)
    entities: list[Entity] = []
    for root, members in clusters.items():
        labels: Counter[str] = Counter()
        for form in members:
            labels[form.label] += len(form.refs)
        label = _vote(labels)
        for form in members:
            form.label = label
        name = _canonical_name(members)
        name_of[root] = (name, label)
        aliases: set[str] = set()
        spans: list[Span] = []
        for form in members:
            aliases.update(form.raw, form.displays, extra.get(form.key, ()))
            spans.extend(articles[ai].mentions[mi].span for ai, mi in form.refs)
        aliases.discard(name)
        entities.append(
            Entity(
                id=content_id(label, name, prefix="ent_"),
                name=name,
                label=label,
                aliases=tuple(sorted(aliases)),
                mentions=tuple(sorted(spans)),
            )
        )
    entities.sort(key=lambda e: (e.label, e.name, e.id))

    def resolve(key: str) -> tuple[str, str] | None:
        return name_of[uf.find(key)] if key in forms else None

    rewritten = tuple(
        _rewrite(ai, article, collected, resolve) for ai, article in enumerate(articles)
    )
    return tuple(entities), rewritten


def _rewrite(
    ai: int,
    article: Article,
    collected: _Collected,
    resolve: _Resolver,
) -> Article:
    new_mentions: dict[Mention, Mention | None] = {}
    kept: list[Mention] = []
    for mi, mention in enumerate(article.mentions):
        if (ai, mi) in collected.dropped:
            new_mentions[mention] = None
            continue
        key = collected.mention_form.get((ai, mi))
        target = resolve(key) if key is not None else None
        if target is not None:
            mention = dataclasses.replace(mention, norm=target[0], label=target[1])
        new_mentions[article.mentions[mi]] = mention
        kept.append(mention)
    entity_mentions = [
        (m, collected.mention_form[(ai, mi)])
        for mi, m in enumerate(article.mentions)
        if (ai, mi) in collected.mention_form
    ]
    new_quotes = {q: _speaker(q, entity_mentions, resolve, article.text) for q in article.quotes}
    claims = tuple(_rewrite_claim(c, new_mentions, new_quotes) for c in article.claims)
    return dataclasses.replace(
        article,
        mentions=tuple(kept),
        quotes=tuple(new_quotes[q] for q in article.quotes),
        claims=claims,
    )


def _speaker(
    quote: Quote, mentions: list[tuple[Mention, str]], resolve: _Resolver, text: str
) -> Quote:
    """The quote with its speaker canonical when it names an entity; descriptions stay as they are.

    Tried in order: a mention that ends where the speaker span ends ("State-run Pakistan TV
    Digital") or holds it (a source head "Merrow" inside "Port Merrow Harbour Authority"); the
    speaker string itself ("Atta Tarar" after a pronoun was resolved) and the longest tail of it
    that is a known form ("Minister ... Attaullah Tarar"); the name a relative pronoun hangs on
    (:func:`_named_before`); the one organisation of its kind the article names, for a definite
    description ("the union"; :func:`_named_by_description`); the one person of the article with
    that surname (:func:`_named_by_surname`).
    """
    if quote.speaker is None:
        return quote
    target: tuple[str, str] | None = None
    span = quote.speaker_span
    if span is not None:
        for mention, key in mentions:
            ends_it = span.start <= mention.span.start and mention.span.end == span.end
            holds_it = mention.span.start <= span.start and span.end <= mention.span.end
            if ends_it or holds_it:
                target = resolve(key)
                break
    if target is None:
        words = fold(_strip_titles(POSSESSIVE.sub("", quote.speaker), True)[0]).split()
        for k in range(len(words), 0, -1):
            candidate = resolve(" ".join(words[-k:]))
            if candidate is not None and (k > 1 or candidate[1] == "PERSON" or k == len(words)):
                target = candidate
                break
    if target is None and span is not None and fold(quote.speaker) in _RELATIVE_PRONOUNS:
        target = _named_before(fold(quote.speaker), span, text, mentions, resolve)
    if target is None:
        target = _named_by_description(quote.speaker, mentions, resolve)
    if target is None:
        target = _named_by_surname(POSSESSIVE.sub("", quote.speaker), mentions, resolve)
    if target is None or target[0] == quote.speaker:
        return quote
    return dataclasses.replace(quote, speaker=target[0])


_RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
_PARENTHESIS_AT_END = re.compile(r"\s*\([^()]*\)$")  # "(CDU)" between a name and its "which"


def _named_before(
    pronoun: str, span: Span, text: str, mentions: list[tuple[Mention, str]], resolve: _Resolver
) -> tuple[str, str] | None:
    """The name a relative pronoun hangs on: "the Calderran Fresh Produce Association (CFPA),
    which warned …" is the association's warning, so the table lists it there and not under
    "which".  "Who" is a person or a body of people, never a place; "which" is never a person
    ("a letter to Khawaja Asif, which said" is the letter's)."""
    before = text[: span.start].rstrip().rstrip(",").rstrip()
    end = len(_PARENTHESIS_AT_END.sub("", before).rstrip().rstrip(","))
    allowed = {"who": {"PERSON", "ORG", "NORP"}, "which": {"ORG", "GPE", "NORP", "LOC", "FAC"}}
    for mention, key in mentions:
        if mention.span.end == end:
            target = resolve(key)
            if target is None or target[1] not in allowed.get(pronoun, {target[1]}):
                return None
            return target
    return None


def _named_by_surname(
    speaker: str, mentions: list[tuple[Mention, str]], resolve: _Resolver
) -> tuple[str, str] | None:
    """The one person of the article whose name ends with ``speaker``, a lone surname.

    The quote stage maps surnames to full names itself; this catches a source the attribution
    model found in a form no entity mention covers ("Asif’s reference to Tora Bora").
    """
    words = fold(speaker).split()
    if len(words) != 1:
        return None
    found = {
        target
        for _, key in mentions
        if (target := resolve(key)) is not None
        and target[1] == "PERSON"
        and fold(target[0]).split()[-1:] == words
    }
    return next(iter(found)) if len(found) == 1 else None


def _named_by_description(
    speaker: str, mentions: list[tuple[Mention, str]], resolve: _Resolver
) -> tuple[str, str] | None:
    """The organisation a definite description stands for, when the article names only one.

    Reports name a body once and then call it "the union" or "the harbour authority"; listing those
    quotes apart from "Calderran Dockworkers' Union" splits one speaker in three.  A description
    "the …" resolves when its last word ends the name of exactly one organisation the article
    mentions and its other words are all in that name; with two unions in the article "the union"
    stays a description, and "a union" (indefinite) never resolves.
    """
    words = fold(POSSESSIVE.sub("", speaker)).replace("'", "").split()  # "the dockworkers' union's"
    if len(words) < 2 or words[0] != "the":
        return None
    found: set[tuple[str, str]] = set()
    for _, key in mentions:
        target = resolve(key)
        if target is None or target[1] != "ORG":
            continue
        name = fold(target[0]).replace("'", "").split()
        if name and name[-1] == words[-1] and set(words[1:]) <= set(name):
            found.add(target)
    return next(iter(found)) if len(found) == 1 else None


def _rewrite_claim(
    claim: Claim,
    new_mentions: dict[Mention, Mention | None],
    new_quotes: dict[Quote, Quote],
) -> Claim:
    mentions = tuple(m2 for m in claim.mentions if (m2 := new_mentions.get(m, m)) is not None)
    quote = new_quotes.get(claim.quote, claim.quote) if claim.quote is not None else None
    return dataclasses.replace(claim, mentions=mentions, quote=quote)
