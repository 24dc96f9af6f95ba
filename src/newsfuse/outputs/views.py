"""What the human-readable reports show, decided once for Markdown and HTML alike.

Both formats number the brief's citations, group the story's entities and its quotes, and order
its timeline the same way, so that "[3]", "People" or "Tomas Reyl · 2 quotes" mean the same thing in
either file.  This module computes those views from a :class:`~newsfuse.models.Report`; the
renderers only lay them out and escape them.  Every ordering here is total (ties fall back to names
and text positions), so the output never depends on set or dict iteration order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from newsfuse.models import Article, Entity, Quote, Report, Span

__all__ = [
    "UNATTRIBUTED",
    "EntityGroup",
    "EntityRow",
    "EntityView",
    "QuoteRow",
    "SpeakerGroup",
    "SpeakerKind",
    "citation_numbers",
    "entity_groups",
    "entity_rows",
    "outlet_name",
    "speaker_groups",
]

UNATTRIBUTED = "Unattributed"
"""The heading of the group of quotes whose speaker the text does not name or describe."""


def outlet_name(article: Article) -> str:
    """Name an article's source as readers know it: the outlet, else "unknown outlet (<file>)".

    The same rule the stages use (:attr:`Article.source_name`), so one source never appears under
    two names.
    """
    return article.source_name


def citation_numbers(report: Report) -> dict[Span, int]:
    """Number the distinct cited spans 1, 2, ... in order of first citation in the brief(s).

    A span cited by two sentences keeps one number, so the list of passages has no repeats.
    """
    numbers: dict[Span, int] = {}
    update = report.update.brief if report.update is not None else ()
    for sentence in (*update, *report.story.brief):  # the update comes first in both formats
        for span in sentence.citations:
            numbers.setdefault(span, len(numbers) + 1)
    return numbers


def _outlets_of(spans: Iterable[Span], index: Mapping[str, Article]) -> tuple[str, ...]:
    return tuple(sorted({outlet_name(index[span.article_id]) for span in spans}))


# --- entities ------------------------------------------------------------------------------------

# spaCy labels as readers name them, in the order the groups appear.  GPE, LOC and FAC are all
# places to a reader; the distinction (country vs. lake vs. airport) is spaCy's, not the story's.
_LABEL_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("People", frozenset({"PERSON"})),
    ("Organisations", frozenset({"ORG"})),
    ("Places", frozenset({"GPE", "LOC", "FAC"})),
    ("Groups", frozenset({"NORP"})),
    ("Events", frozenset({"EVENT"})),
)


@dataclass(frozen=True, slots=True)
class EntityView:
    """One canonical entity with what a reader wants to know: how often, and who names it."""

    entity: Entity
    mentions: int
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityGroup:
    """The story's entities of one kind ("People"), most mentioned first."""

    title: str
    entities: tuple[EntityView, ...]


def _group_title(label: str) -> str:
    for title, labels in _LABEL_GROUPS:
        if label in labels:
            return title
    return f"Other ({label})"


def entity_groups(report: Report, index: Mapping[str, Article]) -> list[EntityGroup]:
    """Group ``story.entities`` by kind: People, Organisations, Places, Groups, Events, then others.

    Unknown labels each get an "Other (LABEL)" group, after the known ones, in label order.  Within
    a group, entities are ordered by number of mentions (most first), then name.  ``index`` maps
    article ids to articles (see :func:`newsfuse.outputs.json.articles_by_id`).
    """
    titles = [title for title, _ in _LABEL_GROUPS]
    grouped: dict[str, list[EntityView]] = {}
    for entity in report.story.entities:
        spans = set(entity.mentions)
        view = EntityView(entity, len(spans), _outlets_of(spans, index))
        grouped.setdefault(_group_title(entity.label), []).append(view)
    order = sorted(grouped, key=lambda t: (titles.index(t) if t in titles else len(titles), t))
    return [
        EntityGroup(
            title,
            tuple(
                sorted(
                    grouped[title],
                    key=lambda v: (-v.mentions, v.entity.name.casefold(), v.entity.name),
                )
            ),
        )
        for title in order
    ]


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One mention key (entity, number or date) across the story: how often, which outlets."""

    label: str
    norm: str
    mentions: int
    outlets: tuple[str, ...]


def entity_rows(report: Report) -> list[EntityRow]:
    """Aggregate raw mentions by (label, norm), sorted by label, then most mentioned, then name.

    The fallback when no stage built ``story.entities``.  Grouping by ``norm`` rather than surface
    text still joins "Reyl" and "Tomas Reyl" within an article, and seeing how many outlets name
    someone shows how widely a detail is reported.
    """
    counts: Counter[tuple[str, str]] = Counter()
    outlets: dict[tuple[str, str], set[str]] = {}
    for article in report.articles:
        for mention in article.mentions:
            key = (mention.label, mention.norm)
            counts[key] += 1
            outlets.setdefault(key, set()).add(outlet_name(article))
    rows = [
        EntityRow(label, norm, counts[(label, norm)], tuple(sorted(outlets[(label, norm)])))
        for label, norm in counts
    ]
    return sorted(rows, key=lambda row: (row.label, -row.mentions, row.norm))


# --- who said what -------------------------------------------------------------------------------

SpeakerKind = Literal["named", "unnamed", "thing", "unattributed"]

# Words that make a description a source that can speak: people, bodies and the documents they
# issue ("the union", "officials involved in the process", "a Gallup poll").  The attribution model
# follows PolNeAR, which also attributes to things ("The talks focused on …", "evidence of …
# continue"); those stay in the table, grouped after the speakers, so nothing is lost.
_SPEAKER_WORDS = frozenset({
    "official", "spokesman", "spokeswoman", "spokesperson", "spokespeople", "minister", "ministry",
    "secretary", "president", "premier", "chancellor", "governor", "mayor", "senator", "lawmaker",
    "legislator", "leader", "chief", "head", "director", "executive", "chairman", "chairwoman",
    "chair", "commissioner", "ambassador", "envoy", "diplomat", "mediator", "negotiator",
    "delegation", "representative", "source", "analyst", "observer", "expert", "economist",
    "scholar", "researcher", "scientist", "lawyer", "attorney", "prosecutor", "judge", "court",
    "investigator", "aide", "adviser", "advisor", "union", "authority", "government",
    "administration", "regime", "agency", "police", "army", "military", "committee", "board",
    "council", "parliament", "congress", "company", "firm", "association", "federation", "chamber",
    "group", "party", "member", "worker", "driver", "resident", "business", "retailer",
    "manufacturer", "staff", "people", "person", "side", "nation", "country", "state", "newspaper",
    "paper", "broadcaster", "network", "channel", "station", "outlet", "report", "statement",
    "poll", "survey", "study", "document", "filing", "letter", "memo", "website", "magazine",
    "organisation", "organization", "campaign", "critic", "supporter", "protester", "witness",
    "family", "voter", "owner", "operator", "employer", "employee", "manager", "coastguard",
    "insurer", "line", "carrier", "shipper", "airline", "bank", "fund", "investor", "trader",
    "farmer", "producer", "exporter", "importer", "customer", "consumer", "user", "student",
    "teacher", "doctor", "nurse", "patient", "victim", "survivor", "activist",
})  # fmt: skip

# First words of a description rather than a name: "a Pakistani security official", "two
# officials", "the ministry".  A speaker that starts lower-case is a description too.
_DESCRIPTION_STARTS = frozenset(
    {"a", "an", "the", "one", "two", "three", "several", "some", "many", "other", "another"}
)


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One quote of the who-said-what table and the article it is from."""

    article: Article
    quote: Quote


@dataclass(frozen=True, slots=True)
class SpeakerGroup:
    """Every quote of one speaker, across outlets, in report then text order.

    ``speaker`` is the canonical name, an unnamed source's description, or :data:`UNATTRIBUTED`;
    ``kind`` says which.
    """

    speaker: str
    kind: SpeakerKind
    rows: tuple[QuoteRow, ...]


def _speaker_names(entities: Iterable[Entity]) -> dict[str, str]:
    """Map each entity's name, and each alias that names only one entity, to the canonical name.

    The quote stage canonicalises speakers within an article; this joins "Asif" in one outlet to
    "Khawaja Asif" in another when the story's entities say they are the same person.
    """
    names: dict[str, str] = {}
    owners: dict[str, set[str]] = {}
    for entity in entities:
        names[entity.name] = entity.name
        for alias in entity.aliases:
            owners.setdefault(alias, set()).add(entity.name)
    for alias, owner in owners.items():
        if alias not in names and len(owner) == 1:
            names[alias] = next(iter(owner))
    return names


def _can_speak(speaker: str, label: str | None) -> bool:
    """Whether a group's source is someone (a person, a body, a document they issue) rather than a
    thing or an event the text attributes to."""
    if label is not None:
        return label in {"PERSON", "ORG", "NORP", "GPE"}
    words = re.findall(r"[a-z]+", speaker.lower())
    return any(not _SPEAKER_WORDS.isdisjoint(_singulars(word)) for word in words)


def _singulars(word: str) -> set[str]:
    """The word and what it may be the plural of ("officials", "witnesses", "authorities")."""
    forms = {word, word.removesuffix("s"), word.removesuffix("es")}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    return forms


def _is_description(speaker: str) -> bool:
    first = speaker.split(maxsplit=1)[0] if speaker.strip() else ""
    return first.casefold() in _DESCRIPTION_STARTS or (first[:1].islower())


def _speaker_kind(speaker: str, names: dict[str, str], labels: dict[str, str]) -> SpeakerKind:
    """A name the model did not tag ("Bernie Sanders" untagged) is someone; a description ("the
    talks", "evidence") is someone only when one of its words says so; an entity by its label."""
    described = speaker not in names and _is_description(speaker)
    if (speaker in labels or described) and not _can_speak(speaker, labels.get(speaker)):
        return "thing"
    return "unnamed" if described else "named"


def _sentence_case_undone(description: str) -> str:
    """ "The union" as "the union": a description opening a sentence is one speaker with the same
    description inside one, so the table groups them and writes them in lower case."""
    return description[:1].lower() + description[1:]


def speaker_groups(report: Report) -> list[SpeakerGroup]:
    """Group every quote of the story by speaker.

    Speakers are ordered by number of quotes (most first), then name; unnamed sources are speakers
    of their own, grouped by their description; quotes without a speaker come last, under
    :data:`UNATTRIBUTED`.  Descriptions differing only in case ("The union", "the union") are one
    group.  Sources that are things rather than someone ("The talks", "evidence", a place) come
    after every speaker, kind ``thing``.  Within a group quotes keep report order (article by article) and text
    order.  Near-identical quotes from different outlets are all listed: comparing them is the
    reader's job here, not the table's.
    """
    names = _speaker_names(report.story.entities)
    grouped: dict[str | None, list[QuoteRow]] = {}
    spelled: dict[str, str] = {}  # a description's case-folded form → how the table writes it
    for article in report.articles:
        for quote in sorted(article.quotes, key=lambda q: (q.span.start, q.span.end)):
            speaker = quote.speaker.strip() if quote.speaker else None
            key = names.get(speaker, speaker) if speaker else None
            if key is not None and key not in names and _is_description(key):
                key = spelled.setdefault(key.casefold(), _sentence_case_undone(key))
            grouped.setdefault(key, []).append(QuoteRow(article, quote))
    labels = {entity.name: entity.label for entity in report.story.entities}
    groups = [
        SpeakerGroup(speaker, _speaker_kind(speaker, names, labels), tuple(rows))
        for speaker, rows in grouped.items()
        if speaker is not None
    ]
    groups.sort(key=lambda g: (g.kind == "thing", -len(g.rows), g.speaker.casefold(), g.speaker))
    if None in grouped:
        groups.append(SpeakerGroup(UNATTRIBUTED, "unattributed", tuple(grouped[None])))
    return groups
