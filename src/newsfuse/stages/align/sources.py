"""Counting independent sources: an outlet once, a near-duplicate family once, a wire once.

Five papers re-running one wire copy are one source, not five; one outlet's two articles are one
source.  Articles are joined when they share an outlet or a near-duplicate family, or when their
datelines credit the same agency, and a set of articles counts as many sources as it has joined
groups.

A credited copy ("KABUL (Reuters) -" on a paper's page) is the agency's reporting even when the
paper edited it past near-duplicate reach, so all copies crediting one agency are one source, and
so is the agency's own article when the story has it: the credit names it by its name or by the
initials of a name of several words ("CPA" for Calderra Press Agency; initials two outlets of the
story share name neither).  A paper that adds its own reporting to a credited copy is counted with
the agency: the count errs towards fewer sources rather than a false "corroborated".

A claim one outlet relays from another outlet of the story ("…, Geo News reported" in a paper's
article, when Geo News's own report is in the story) is that outlet's report again, not a second
confirmation: :meth:`SourceIndex.count_claims` counts it for the outlet it names (by name, not
initials: a speaker's "the PM" is no outlet's initials).  Only outlets of the story are
recognised, so a reported source that is not an article here still counts for the article that
relays it.

An outlet is one outlet under every name a story gives it (:func:`unify_outlets`): the same name
however written ("The COW News", "COW News"), and an unnamed page of the domain that outlet's
pages name it on ("Dawn" at www.dawn.com, an unnamed page of epaper.dawn.com, "dawn.com" as a
page's linked site).  Counted apart, one outlet's two reports would be two "independent" sources
and a fact only it reports would read as corroborated.  An unnamed page joins a named outlet only
where its domain carries that one name and spells it: an aggregator's domain, whose links each
name their source, keeps them apart, and its unnamed pages are one outlet, the domain.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from newsfuse.domains import registrable_domain
from newsfuse.models import Article
from newsfuse.stages.grouping import UnionFind
from newsfuse.stages.summarize import outlet_key

__all__ = [
    "OutletSighting",
    "SourceIndex",
    "SourceMember",
    "canonical_outlets",
    "outlet_name_key",
    "outlet_names",
    "source_groups",
    "unify_outlets",
]

_NOT_A_NAME_CHARACTER = re.compile(r"[^\w]+")
_NAME_WORD = re.compile(r"[^\W\d_]+")
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "de", "du", "la"})


def outlet_name_key(name: str) -> str:
    """An outlet's name as a speaker and as metadata both give it: case, punctuation and a leading
    "the" dropped ("The COW News" and "the COW News," are one key)."""
    words = _NOT_A_NAME_CHARACTER.sub(" ", name.casefold()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _initials(name: str) -> str | None:
    """The initials a name of several words is credited by ("Agence France-Presse" → "afp",
    "Associated Press of Pakistan" → "app"), as a name key; None for a name of one word."""
    words = [w for w in _NAME_WORD.findall(name) if w.casefold() not in _MINOR_WORDS]
    return "".join(w[0] for w in words).casefold() if len(words) >= 2 else None


@dataclass(frozen=True, slots=True)
class OutletSighting:
    """What an article says of its outlet: the name it gives (None: none) and its web address."""

    article_id: str
    outlet: str | None
    url: str | None


def canonical_outlets(sightings: Iterable[OutletSighting]) -> dict[str, str | None]:
    """Each article's outlet under the one name the story gives that outlet (see the module).

    Articles that name their outlet are one outlet when the names share a key.  A page that names
    none joins the outlet named on its registrable domain when the domain carries that one name
    and the domain spells the name (:func:`_fits`: "Dawn" and dawn.com, "BBC News" and bbc.co.uk);
    otherwise the unnamed pages of a domain are one outlet, the domain.  A page naming a domain
    ("nayakashmir.com", a linked site) is that domain's, wherever it is hosted.  The name shown is
    the outlet's most used name (then the longest, then the first alphabetically); an outlet no
    article names is its domain; an article with neither a name nor a web address keeps None (its
    own source).  The result does not depend on order."""
    ordered = sorted(sightings, key=lambda s: s.article_id)
    groups = UnionFind[str](s.article_id for s in ordered)
    shown: dict[str, str | None] = {}
    domain_of: dict[str, str] = {}
    names_on: dict[str, dict[str, str]] = {}  # domain → name key → its first article
    first_by_name: dict[str, str] = {}
    for sighting in ordered:
        named_domain = registrable_domain(sighting.outlet)  # "nayakashmir.com" as a page's name
        domain = named_domain or registrable_domain(sighting.url)
        key = outlet_name_key(sighting.outlet) if sighting.outlet and not named_domain else ""
        shown[sighting.article_id] = sighting.outlet if key else None
        if domain is not None:
            domain_of[sighting.article_id] = domain
            names_on.setdefault(domain, {})
        if key:
            groups.union(first_by_name.setdefault(key, sighting.article_id), sighting.article_id)
            if domain is not None:
                names_on[domain].setdefault(key, sighting.article_id)
    first_unnamed: dict[str, str] = {}
    for sighting in ordered:
        domain = domain_of.get(sighting.article_id)
        if domain is None or shown[sighting.article_id]:
            continue
        named = names_on[domain]
        if len(named) == 1:
            ((key, owner),) = named.items()
            if _fits(key, domain):
                groups.union(owner, sighting.article_id)
                continue
        groups.union(first_unnamed.setdefault(domain, sighting.article_id), sighting.article_id)
    members: dict[str, list[str]] = {}
    for sighting in ordered:
        members.setdefault(groups.find(sighting.article_id), []).append(sighting.article_id)
    result: dict[str, str | None] = {}
    for ids in members.values():
        names = Counter(name for i in ids if (name := shown[i]))
        domains = Counter(domain_of[i] for i in ids if i in domain_of)
        best = min(names, key=lambda n: (-names[n], -len(n), n)) if names else None
        best = best or (min(domains, key=lambda d: (-domains[d], d)) if domains else None)
        result.update(dict.fromkeys(ids, best))
    return result


def _fits(key: str, domain: str) -> bool:
    """Whether an unnamed page of ``domain`` is the outlet named ``key`` there: a name the domain
    spells ("dawn" in dawn.com, "bbc" in "bbc news", "guardian" in theguardian.com) or opens
    with its initials ("ft.com", "nytimes.com", "apnews.com").  The host alone says nothing: one
    "Reuters" link among an aggregator's pages does not make the aggregator's other pages
    Reuters's."""
    label = domain.split(".", 1)[0]
    compact = key.replace(" ", "")
    initials = "".join(word[0] for word in key.split())
    spelled = (len(label) >= 3 and label in compact) or (len(compact) >= 2 and compact in label)
    return spelled or (len(initials) >= 2 and label.startswith(initials))


def unify_outlets(articles: Sequence[Article]) -> list[Article]:
    """The story's articles with each outlet under its one name (:func:`canonical_outlets`)."""
    names = canonical_outlets(OutletSighting(a.id, a.outlet, a.url) for a in articles)
    return [a if names[a.id] == a.outlet else replace(a, outlet=names[a.id]) for a in articles]


@dataclass(frozen=True, slots=True)
class SourceMember:
    """What the count reads of an article: its id, the outlet it counts for, its near-duplicate
    family (None: its own), its outlet's own name when known, and the agency its dateline credits."""

    article_id: str
    outlet: str
    family: str | None = None
    named_outlet: str | None = None
    credit: str | None = None

    @classmethod
    def of(cls, article: Article) -> SourceMember:
        return cls(
            article.id, outlet_key(article), article.dup_group, article.outlet, article.credit
        )


def outlet_names(members: Iterable[SourceMember], *, initials: bool = False) -> dict[str, str]:
    """Name key → the first article (by id) of the outlet it names: each named outlet's name and,
    with ``initials``, its initials; initials two outlets share name neither.  Initials are for a
    dateline's credit ("(CPA)"); a speaker is matched by name only, since a speaker's short forms
    ("the PM", "the AG") would meet some outlet's initials."""
    found: dict[str, str] = {}
    owners: dict[str, set[str]] = {}
    for member in sorted(members, key=lambda m: m.article_id):
        if not member.named_outlet or not (key := outlet_name_key(member.named_outlet)):
            continue
        found.setdefault(key, member.article_id)
        owners.setdefault(key, set()).add(key)
        short = _initials(member.named_outlet) if initials else None
        if short is not None and short != key:
            found.setdefault(short, member.article_id)
            owners.setdefault(short, set()).add(key)
    return {key: article_id for key, article_id in found.items() if len(owners[key]) == 1}


def source_groups(members: Iterable[SourceMember]) -> dict[str, str]:
    """Each article's independent-source group: articles sharing an outlet, a near-duplicate family
    or a credited agency are one group, and a credit naming an outlet of the story joins that
    outlet's group.  The one rule for reports (:class:`SourceIndex`) and for anything counting
    stored articles."""
    ordered = sorted(members, key=lambda m: m.article_id)
    groups = UnionFind[str](m.article_id for m in ordered)
    first_by_key: dict[str, str] = {}
    for member in ordered:
        keys = [f"outlet:{member.outlet}", f"family:{member.family or member.article_id}"]
        if member.credit and (credit := outlet_name_key(member.credit)):
            keys.append(f"credit:{credit}")
        for key in keys:
            if key in first_by_key:
                groups.union(first_by_key[key], member.article_id)
            else:
                first_by_key[key] = member.article_id
    names = outlet_names(ordered, initials=True)
    for member in ordered:
        if member.credit and (named := names.get(outlet_name_key(member.credit))) is not None:
            groups.union(named, member.article_id)
    return {m.article_id: groups.find(m.article_id) for m in ordered}


class SourceIndex:
    """Maps every article of a story to its independent-source group."""

    def __init__(self, articles: Sequence[Article]) -> None:
        members = [SourceMember.of(a) for a in articles]
        self._members = {m.article_id: m for m in members}
        self._group = source_groups(members)
        self._outlet = {a.id: outlet_key(a) for a in articles}
        self._group_of_name: Mapping[str, str] = {
            key: self._group[article_id] for key, article_id in outlet_names(members).items()
        }

    def outlet(self, article_id: str) -> str:
        """The outlet name an article counts for."""
        return self._outlet[article_id]

    def count(self, article_ids: Iterable[str]) -> int:
        """How many independent sources the given articles are."""
        return len({self._group[a] for a in article_ids})

    def count_claims(self, claims: Iterable[tuple[str, str | None]]) -> int:
        """How many independent sources give the claims ``(article id, speaker or None)``: a claim
        whose speaker is another outlet of the story counts for that outlet (see the module)."""
        groups = set()
        for article_id, speaker in claims:
            relayed = self._group_of_name.get(outlet_name_key(speaker)) if speaker else None
            groups.add(relayed or self._group[article_id])
        return len(groups)

    def shared_sources(self) -> list[str]:
        """One line for each independent source that several outlets of the story stand for,
        naming them and why they count once: a reader who sees two outlets carry a fact and one
        source counted deserves the reason (near-duplicate copies, a credited agency)."""
        by_group: dict[str, list[SourceMember]] = {}
        for article_id in sorted(self._group):
            by_group.setdefault(self._group[article_id], []).append(self._members[article_id])
        lines = []
        for members in by_group.values():
            outlets = sorted({m.outlet for m in members})
            if len(outlets) < 2:
                continue
            outlets_of_family: dict[str, set[str]] = {}
            for member in members:
                outlets_of_family.setdefault(member.family or member.article_id, set()).add(
                    member.outlet
                )
            why = []
            if any(len(found) > 1 for found in outlets_of_family.values()):
                why.append("near-duplicate copies of one text")
            credits = sorted({m.credit for m in members if m.credit})
            if credits:
                why.append(f"datelines crediting {' and '.join(credits)}")
            lines.append(
                f"Counted as one independent source: {', '.join(outlets)} ({'; '.join(why)})."
            )
        return lines
