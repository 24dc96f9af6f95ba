"""A deterministic synthetic news corpus with known near-duplicate families and stories.

Corpus-scale benchmarks (near-duplicate families, story clustering) need thousands to hundreds of
thousands of articles *with truth labels*, which no bundled data set has.  This generator builds
them from templates and word lists written for it (no bench data, no real news text):

* **stories** — an event with its own people, organisation, place, figures and a handful of facts.
  Several outlets report each story in their own words: every report picks a subset of the facts,
  renders each with a different sentence template and different synonyms, in a different order.
  Reports of one story share names and numbers but little wording, like real coverage.
* **near-duplicate families** — for about half of the stories a wire agency's report is re-run by
  other outlets with small edits: a new dateline, dropped or added sentences, a trimmed ending,
  a few changed words, different paragraphing; some re-runs are byte-identical.  The wire report and
  its re-runs form one family; every other article is a family of its own.
* **noise** — one-off articles on unrelated events.

Every article has a title, an outlet, a URL and a publication time (stories start at random over a
30-day window; reports follow within two days, re-runs after their wire copy), so the clustering
benchmark can reuse the same corpora.  Output is shuffled deterministically, so families are not
contiguous.  The same ``(n, seed)`` always yields the same corpus, byte for byte.

    python benchmarks/corpus.py --n 10000 [--seed 7] [--write corpus.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["CorpusArticle", "generate", "write_jsonl"]

_WINDOW_DAYS = 30
_START = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
_NOISE_SHARE = 0.2  # of all articles
_WIRE_SHARE = 0.5  # of stories that have a wire report re-run by other outlets


@dataclass(frozen=True, slots=True)
class CorpusArticle:
    """One generated article and its truth labels.

    ``family`` is the near-duplicate family (the wire report's id for a wire copy and its re-runs,
    the article's own id otherwise); ``story`` is the event it reports.  ``edit`` says how a re-run
    was made (``original`` for everything that is not a re-run).
    """

    id: str
    text: str
    title: str
    outlet: str
    published_at: str
    url: str
    family: str
    story: str
    edit: str = "original"


def _split(text: str, sep: str) -> list[str]:
    """Word lists are written as one string each: easier to read and edit than list literals."""
    return text.split(sep)


# --- word lists -------------------------------------------------------------------------------

_SYLLABLES = _split(
    (
        "al ar ba bel bor ca cal dan del dor el en fa fen gar gor ha hal ir is ka kel kor la len lor "
        "ma mar mer mon na nor o ol pa per ra ren ros sa sel sor ta tel tor u ul va vel vor wen ya zel"
    ),
    " ",
)
_GIVEN = _split(
    (
        "Ada Alan Amira Anton Bea Boris Carla Cyrus Dana Dario Edda Emil Fatima Felix Greta Hugo "
        "Ines Ivan Jana Jonas Kai Kira Lena Luca Maja Marek Nadia Nils Olga Omar Petra Pavel Rosa "
        "Ruben Sara Stefan Tara Tomas Una Viktor Wanda Yusuf Zora Milan Helena Marta Leon Irena"
    ),
    " ",
)
_ROLES = _split(
    (
        "chief executive|spokesperson|general secretary|finance minister|mayor|police chief|"
        "director|chair|head of operations|senior analyst|union leader|health minister|"
        "transport minister|deputy governor|lead investigator|coach|president|treasurer"
    ),
    "|",
)
_ORG_KINDS = _split(
    (
        "Authority|Council|Union|Bank|Ministry|Federation|Institute|Commission|Group|Holdings|"
        "Association|Agency|Board|Trust|Alliance|Partners"
    ),
    "|",
)
_TOPICS: dict[str, dict[str, list[str]]] = {
    "labour": {
        "nouns": _split(
            "strike|pay deal|walkout|overtime dispute|pension plan|contract talks|picket line|wage offer|shift pattern|ballot",
            "|",
        ),
        "things": _split("workers|dockers|nurses|drivers|teachers|staff|members|cleaners", "|"),
        "verbs": _split(
            "rejected|accepted|debated|suspended|extended|renewed|blocked|approved", "|"
        ),
    },
    "business": {
        "nouns": _split(
            "merger|takeover bid|profit warning|share sale|bond issue|price cut|factory closure|quarterly result|rights issue|buyback",
            "|",
        ),
        "things": _split("shares|investors|customers|suppliers|jobs|stores|plants|bonds", "|"),
        "verbs": _split(
            "announced|confirmed|postponed|revised|finalised|scrapped|delayed|backed", "|"
        ),
    },
    "politics": {
        "nouns": _split(
            "budget|coalition deal|reform bill|election pledge|tax plan|inquiry|referendum|cabinet reshuffle|motion|ceasefire",
            "|",
        ),
        "things": _split(
            "voters|lawmakers|ministers|delegates|officials|senators|residents|parties", "|"
        ),
        "verbs": _split(
            "passed|defeated|tabled|amended|withdrew|endorsed|challenged|unveiled", "|"
        ),
    },
    "weather": {
        "nouns": _split(
            "storm|flood warning|heatwave|landslide|drought|cold snap|wildfire|tidal surge|gale|blizzard",
            "|",
        ),
        "things": _split("homes|roads|farms|flights|schools|villages|bridges|households", "|"),
        "verbs": _split("hit|flooded|closed|damaged|cut off|evacuated|battered|reopened", "|"),
    },
    "crime": {
        "nouns": _split(
            "robbery|fraud case|smuggling ring|trial|arrest|bribery probe|cyberattack|heist|raid|verdict",
            "|",
        ),
        "things": _split(
            "suspects|witnesses|victims|officers|detectives|accounts|vehicles|documents", "|"
        ),
        "verbs": _split(
            "charged|detained|questioned|released|convicted|seized|traced|identified", "|"
        ),
    },
    "health": {
        "nouns": _split(
            "outbreak|vaccine rollout|hospital plan|waiting list|drug trial|clinic closure|screening scheme|funding gap|staff shortage|ward",
            "|",
        ),
        "things": _split("patients|doctors|beds|clinics|cases|doses|nurses|families", "|"),
        "verbs": _split(
            "reported|treated|admitted|vaccinated|discharged|screened|recorded|tested", "|"
        ),
    },
    "transport": {
        "nouns": _split(
            "rail line|bus route|airport expansion|fare rise|bridge repair|tunnel project|ferry service|timetable|signal failure|road toll",
            "|",
        ),
        "things": _split("passengers|trains|ships|commuters|buses|lorries|flights|cyclists", "|"),
        "verbs": _split(
            "cancelled|delayed|diverted|restored|halted|rerouted|stranded|grounded", "|"
        ),
    },
    "sport": {
        "nouns": _split(
            "final|transfer|title race|cup tie|derby|league season|stadium plan|doping case|relegation fight|tournament",
            "|",
        ),
        "things": _split("fans|players|tickets|goals|points|supporters|clubs|matches", "|"),
        "verbs": _split("won|lost|drew|signed|sold|fined|banned|sacked", "|"),
    },
    "science": {
        "nouns": _split(
            "satellite launch|research grant|fossil find|telescope survey|climate study|reactor test|gene study|space probe|field survey|lab closure",
            "|",
        ),
        "things": _split(
            "researchers|samples|species|scientists|students|probes|sensors|volunteers", "|"
        ),
        "verbs": _split(
            "discovered|measured|launched|published|observed|confirmed|mapped|recovered", "|"
        ),
    },
    "culture": {
        "nouns": _split(
            "festival|museum reopening|film premiere|book prize|concert tour|art sale|theatre season|heritage bid|library plan|gallery",
            "|",
        ),
        "things": _split("visitors|artists|tickets|works|readers|musicians|critics|audiences", "|"),
        "verbs": _split(
            "opened|sold|attracted|postponed|celebrated|honoured|restored|acquired", "|"
        ),
    },
}
_ADJ = _split(
    (
        "sharp|sudden|long-running|bitter|unexpected|modest|major|fragile|costly|controversial|"
        "rare|widespread|partial|temporary|record|lengthy|tense|prolonged|limited|serious"
    ),
    "|",
)
_DAYS = _split("Monday Tuesday Wednesday Thursday Friday Saturday Sunday", " ")
_TIMES = _split(
    "early on|late on|on|by the end of|overnight into|at midday on|on the morning of", "|"
)
_SAY = _split(
    "said|told reporters|said in a statement|told a news conference|wrote on social media|confirmed",
    "|",
)
_SAY_SHORT = _split("said|added|noted|argued|warned|insisted|stressed", "|")
_FEEL = _split(
    (
        "unacceptable|a step forward|deeply worrying|long overdue|the right decision|a serious mistake|"
        "a fair compromise|only the beginning|not the end of the matter|a clear signal"
    ),
    "|",
)
_REACT = _split(
    (
        "critics|opposition figures|local leaders|analysts|residents|business groups|campaigners|"
        "neighbouring officials"
    ),
    "|",
)
_REACT_VERB = _split("welcomed|condemned|questioned|criticised|praised|cautiously welcomed", "|")
_NEXT = _split(
    (
        "further talks are expected|a decision is due|a review will be published|a vote is planned|"
        "the hearing will resume|officials will meet again|an update is expected"
    ),
    "|",
)
_WIRES = (
    "Northline Press",
    "Continental Wire",
    "Meridian News Agency",
    "Harbourgate Press Service",
    "Union Press International",
)
_OUTLET_WORDS_A = _split(
    ("Morning|Evening|Daily|Weekly|Coastal|Northern|Southern|Western|Eastern|Valley|City|County"),
    "|",
)
_OUTLET_WORDS_B = _split(
    (
        "Herald|Ledger|Courier|Chronicle|Observer|Gazette|Post|Tribune|Standard|Mirror|Record|Sentinel|"
        "Examiner|Journal|Times|Echo"
    ),
    "|",
)
_SYNONYMS = {
    "said": "stated",
    "told": "informed",
    "about": "around",
    "more than": "over",
    "percent": "per cent",
    "expected": "likely",
    "officials": "authorities",
    "began": "started",
    "week": "weekend",
    "residents": "locals",
    "also": "further",
    "announced": "declared",
    "people": "persons",
    "after": "following",
}
_SYNONYM_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in _SYNONYMS) + r")\b")


@dataclass(slots=True)
class _Story:
    """Everything the reports of one event are built from."""

    id: str
    topic: str
    place: str
    region: str
    org: str
    people: list[tuple[str, str]]  # (name, role)
    noun: str
    things: list[str]
    verbs: list[str]
    numbers: list[int]
    day: str
    year: int
    start: datetime
    facts: list[int] = field(default_factory=list)  # which fact kinds, in the story's order


class _Generator:
    """Stateful renderer: one ``random.Random`` drives every choice, so output is reproducible."""

    def __init__(self, seed: int, names: int = 1, days: int = _WINDOW_DAYS) -> None:
        self.rng = random.Random(seed)
        self.window_days = days
        rng = self.rng
        self.outlets = sorted(
            {f"The {rng.choice(_OUTLET_WORDS_A)} {rng.choice(_OUTLET_WORDS_B)}" for _ in range(200)}
            | {f"{self._name(2)} {rng.choice(_OUTLET_WORDS_B)}" for _ in range(60)}
        )
        self.surnames = sorted(
            {self._name(rng.choice((2, 2, 3) if names == 1 else (3,))) for _ in range(3000 * names)}
        )
        self.places = sorted(
            {self._name(rng.choice((2, 3) if names == 1 else (3,))) for _ in range(1500 * names)}
        )

    # --- small pieces

    def _name(self, syllables: int) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()

    def _person(self) -> tuple[str, str]:
        return f"{self.rng.choice(_GIVEN)} {self.rng.choice(self.surnames)}", self.rng.choice(
            _ROLES
        )

    def story(self, index: int) -> _Story:
        rng = self.rng
        topic = rng.choice(sorted(_TOPICS))
        words = _TOPICS[topic]
        place = rng.choice(self.places)
        story = _Story(
            id=f"story-{index:06d}",
            topic=topic,
            place=place,
            region=rng.choice(self.places),
            org=f"{place} {rng.choice(_ORG_KINDS)}",
            people=[self._person() for _ in range(3)],
            noun=rng.choice(words["nouns"]),
            things=rng.sample(words["things"], 3),
            verbs=rng.sample(words["verbs"], 3),
            numbers=[rng.choice((2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 20, 25, 40)) for _ in range(2)]
            + [rng.randrange(100, 9000), rng.randrange(2, 60)],
            day=rng.choice(_DAYS),
            year=rng.randrange(1998, 2025),
            start=_START + timedelta(minutes=rng.randrange(self.window_days * 24 * 60)),
        )
        story.facts = [rng.randrange(len(_FACTS)) for _ in range(rng.randrange(18, 28))]
        return story

    def report(self, story: _Story, outlet: str, wire: bool) -> tuple[str, str]:
        """One outlet's own wording of the story: (title, text)."""
        rng = self.rng
        chosen = [f for f in story.facts if rng.random() < 0.85]
        head, tail = chosen[:3], chosen[3:]
        rng.shuffle(tail)  # the lead stays first, the rest comes in each outlet's own order
        sentences = [_FACTS[f](self, story) for f in head + tail]
        sentences += [self._filler(story) for _ in range(rng.randrange(1, 4))]
        when = story.start.strftime("%B %-d")
        if wire:
            sentences[0] = f"{story.place.upper()}, {when} ({_acronym(outlet)}) - {sentences[0]}"
        elif rng.random() < 0.5:
            sentences[0] = f"{story.place.upper()} - {sentences[0]}"
        return self._title(story), _paragraphs(sentences, rng)

    def _title(self, story: _Story) -> str:
        rng = self.rng
        n = story.numbers
        return rng.choice(
            (
                f"{story.place} {story.noun}: {n[2]} {story.things[0]} affected",
                f"{story.org} {story.verbs[0]} {story.noun} as {story.things[0]} wait",
                f"{story.people[0][0]} says {story.noun} is {rng.choice(_FEEL)}",
                f"{_cap(rng.choice(_ADJ))} {story.noun} in {story.place} leaves {n[2]} {story.things[1]} waiting",
                f"{story.noun.capitalize()} {story.verbs[1]} in {story.place}",
            )
        )

    def _filler(self, story: _Story) -> str:
        """Context every outlet adds in its own words: background that is not a shared fact."""
        rng = self.rng
        region, thing = rng.choice(self.places), rng.choice(story.things)
        return rng.choice(
            (
                f"{rng.choice(self.places)} has seen {rng.randrange(2, 9)} similar cases since {rng.randrange(1990, 2025)}, according to {rng.choice(self.places)} records.",
                f"Readers in {region} can follow updates on the {rng.choice(_OUTLET_WORDS_A).lower()} bulletin.",
                f"The {rng.choice(_ADJ)} situation in {region} is being watched by {rng.choice(_REACT)} and {thing} alike.",
                f"{self._person()[0]}, a {rng.choice(_ROLES)} from {region}, described the mood as {rng.choice(_FEEL)}.",
                f"In {region}, {rng.randrange(10, 900)} {thing} were reported to be {rng.choice(('waiting', 'affected', 'involved', 'concerned'))}.",
            )
        )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _paragraphs(sentences: list[str], rng: random.Random) -> str:
    """Join sentences into paragraphs of one to three sentences (news style)."""
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        size = rng.choice((1, 1, 2, 2, 3))
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    return "\n\n".join(paragraphs)


# --- fact templates: each renders one fact of a story, in one of several wordings ---------------


def _fact_event(g: _Generator, s: _Story) -> str:
    r, n = g.rng, s.numbers
    time = f"{r.choice(_TIMES)} {s.day}"
    return r.choice(
        (
            f"The {s.noun} in {s.place} {s.verbs[0]} {time}, affecting {n[2]} {s.things[0]}, the {s.org} said.",
            f"{n[2]} {s.things[0]} were affected after the {s.noun} in {s.place} {s.verbs[0]} {time}, according to the {s.org}.",
            f"{_cap(time)}, a {r.choice(_ADJ)} {s.noun} {s.verbs[0]} in {s.place}; the {s.org} put the number of {s.things[0]} affected at {n[2]}.",
            f"Some {n[2]} {s.things[0]} in {s.place} felt the impact {time} as the {s.noun} {s.verbs[0]}, officials at the {s.org} said.",
        )
    )


def _fact_quote(g: _Generator, s: _Story) -> str:
    r = g.rng
    name, role = s.people[r.randrange(2)]
    feel = r.choice(_FEEL)
    return r.choice(
        (
            f'"This is {feel}," {name}, {role} of the {s.org}, {r.choice(_SAY)}.',
            f'{name}, the {s.org} {role}, called the {s.noun} "{feel}".',
            f"The {s.org}'s {role}, {name}, {r.choice(_SAY_SHORT)} that the situation was {feel}.",
            f'"What we are seeing is {feel}," {r.choice(_SAY_SHORT)} {name}.',
            f"According to {name}, {role} at the {s.org}, the {s.noun} is {feel}.",
        )
    )


def _fact_number(g: _Generator, s: _Story) -> str:
    r, n = g.rng, s.numbers
    return r.choice(
        (
            f"The {s.org} said {n[0]} percent of {s.things[1]} had been {s.verbs[1]} by {s.day} evening.",
            f"By {s.day} evening, {n[0]} percent of {s.things[1]} had been {s.verbs[1]}, figures from the {s.org} showed.",
            f"Figures show that about {n[0]} percent of {s.things[1]} were {s.verbs[1]}.",
            f"Roughly {n[0]} in every hundred {s.things[1]} have now been {s.verbs[1]}, the {s.org} estimates.",
        )
    )


def _fact_money(g: _Generator, s: _Story) -> str:
    r, n = g.rng, s.numbers
    cost = f"{n[3]} million crowns"
    return r.choice(
        (
            f"The {s.noun} is expected to cost about {cost}, the {s.org} estimated.",
            f"Estimates put the cost of the {s.noun} at {cost}.",
            f"The bill for the {s.noun} could reach {cost}, according to an estimate by the {s.org}.",
            f"Officials at the {s.org} priced the damage at close to {cost}.",
        )
    )


def _fact_background(g: _Generator, s: _Story) -> str:
    r = g.rng
    return r.choice(
        (
            f"The dispute over the {s.noun} dates back to {s.year}, when the {s.org} first {s.verbs[2]} a similar plan.",
            f"It is the first {s.noun} of its kind in {s.region} since {s.year}.",
            f"In {s.year}, a comparable {s.noun} in {s.region} was {s.verbs[2]} after weeks of pressure.",
            f"{s.region} last faced a {s.noun} on this scale in {s.year}.",
        )
    )


def _fact_reaction(g: _Generator, s: _Story) -> str:
    r = g.rng
    name, role = s.people[2]
    return r.choice(
        (
            f"{_cap(r.choice(_REACT))} in {s.region} {r.choice(_REACT_VERB)} the move, and {name}, a {role}, said {r.choice(_FEEL)} was the only way to describe it.",
            f"{name}, {role}, {r.choice(_REACT_VERB)} the {s.org}'s handling of the {s.noun}.",
            f"The response drew criticism from {r.choice(_REACT)}, including {name}.",
            f"{name} {r.choice(_REACT_VERB)} the decision, saying {s.things[2]} deserved better.",
        )
    )


def _fact_next(g: _Generator, s: _Story) -> str:
    r, n = g.rng, s.numbers
    return r.choice(
        (
            f"{_cap(r.choice(_NEXT))} within {n[1]} days, the {s.org} said.",
            f"The {s.org} said {r.choice(_NEXT)} in the next {n[1]} days.",
            f"Within {n[1]} days, {r.choice(_NEXT)}, according to officials.",
        )
    )


def _fact_detail(g: _Generator, s: _Story) -> str:
    r = g.rng
    thing = r.choice(s.things)
    return r.choice(
        (
            f"Many {thing} in {s.place} said they had little warning before the {s.noun}.",
            f"Local {thing} described {r.choice(_TIMES)} {s.day} as {r.choice(_ADJ)}.",
            f"The {s.org} has set up a hotline for {thing} in {s.place} and {s.region}.",
            f"Several {thing} gathered outside the {s.org} offices in {s.place} to demand answers.",
            f"Officials did not say how many {thing} in {s.region} were involved.",
        )
    )


_FACTS = (
    _fact_event,
    _fact_quote,
    _fact_number,
    _fact_money,
    _fact_background,
    _fact_reaction,
    _fact_next,
    _fact_detail,
)


# --- re-runs of a wire copy --------------------------------------------------------------------


def _rerun(g: _Generator, wire_text: str, story: _Story, outlet: str) -> tuple[str, str]:
    """A newspaper's re-run of a wire copy: the small edits sub-editors make. Returns (text, edit)."""
    r = g.rng
    kind = r.random()
    if kind < 0.1:
        return wire_text, "identical"
    if kind < 0.15:
        return " ".join(wire_text.split()), "reflowed"  # pasted without paragraph breaks
    paragraphs = wire_text.split("\n\n")
    sentences = [s for p in paragraphs for s in re.split(r"(?<=[.!?\"])\s+", p) if s]
    edits: list[str] = []
    # new dateline: drop or rewrite the wire's "PLACE, March 3 (NP) - "
    lead = re.sub(r"^[A-Z]+, \w+ \d+ \([A-Z]+\) - ", "", sentences[0])
    sentences[0] = r.choice((lead, f"{story.place} ({outlet}): {lead}", f"{lead}"))
    edits.append("dateline")
    if r.random() < 0.6:  # trim the ending, as papers cut to fit
        cut = r.randrange(1, max(2, len(sentences) // 5))
        sentences = sentences[:-cut]
        edits.append(f"trim{cut}")
    for _ in range(r.choice((0, 1, 1, 2))):  # drop a sentence from the middle
        if len(sentences) > 4:
            del sentences[r.randrange(1, len(sentences))]
            edits.append("drop")
    for _ in range(r.choice((0, 0, 1, 2))):  # add the outlet's own line
        sentences.insert(r.randrange(1, len(sentences) + 1), g._filler(story))
        edits.append("add")
    text = _paragraphs(sentences, r)
    swaps = r.randrange(0, 5)  # change a few words
    if swaps:
        count = 0

        def swap(match: re.Match[str]) -> str:
            nonlocal count
            if count < swaps and r.random() < 0.3:
                count += 1
                return _SYNONYMS[match.group(1)]
            return match.group(1)

        text = _SYNONYM_RE.sub(swap, text)
        edits.append(f"words{count}")
    if r.random() < 0.3:
        text += f"\n\n({r.choice(('Reporting by', 'Additional reporting by', 'Editing by'))} {g._person()[0]})"
        edits.append("credit")
    return text, "+".join(edits)


# --- the corpus --------------------------------------------------------------------------------


def generate(
    n: int, seed: int = 7, *, names: int = 1, days: int = _WINDOW_DAYS
) -> list[CorpusArticle]:
    """Return ``n`` articles (shuffled, deterministic for the arguments) with truth labels.

    ``names`` multiplies the pools of place names and surnames (1,500 and 3,000; three-syllable
    names when enlarged, so that there are enough distinct ones); ``days`` is the span stories start
    in.  The defaults are the original corpus (``benchmarks/dedupe.py``'s figures).  With them, a
    100k corpus has ~17,000 stories over 1,500 places in a month: each place is *the* place of about
    eleven stories at once, every name recurs across stories, and no story tracker could take them
    apart — a limit of the generator, not of real news, whose name space grows with the corpus.
    ``benchmarks/scale.py`` therefore uses ``names = max(1, n // 1000)`` for its clustering figures.
    """
    if names < 1 or days < 1:
        raise ValueError("names and days must be at least 1")
    g = _Generator(seed, names, days)
    rng = g.rng
    records: list[CorpusArticle] = []
    n_noise = int(n * _NOISE_SHARE)
    story_index = 0
    while len(records) < n - n_noise:
        story = g.story(story_index)
        story_index += 1
        outlets = rng.sample(g.outlets, rng.randrange(2, 7))
        for outlet in outlets:
            title, text = g.report(story, outlet, wire=False)
            at = story.start + timedelta(minutes=rng.randrange(30, 48 * 60))
            records.append(_record(story, outlet, title, text, at, family=None))
        if rng.random() < _WIRE_SHARE:
            wire = rng.choice(_WIRES)
            title, text = g.report(story, wire, wire=True)
            family = f"fam-{story.id}"
            at = story.start + timedelta(minutes=rng.randrange(10, 120))
            records.append(_record(story, wire, title, text, at, family=family))
            for outlet in rng.sample(g.outlets, rng.randrange(1, 7)):
                rerun, edit = _rerun(g, text, story, outlet)
                later = at + timedelta(minutes=rng.randrange(20, 24 * 60))
                retitled = title if rng.random() < 0.5 else _SYNONYM_RE.sub(_swap_all, title)
                records.append(
                    _record(story, outlet, retitled, rerun, later, family=family, edit=edit)
                )
    while len(records) < n:
        story = g.story(story_index)
        story_index += 1
        outlet = rng.choice(g.outlets)
        title, text = g.report(story, outlet, wire=False)
        records.append(_record(story, outlet, title, text, story.start, family=None))
    records = records[:n]
    rng.shuffle(records)
    articles: list[CorpusArticle] = []
    for i, rec in enumerate(records):
        article_id = f"doc-{seed}-{i:07d}"
        articles.append(replace(rec, id=article_id, family=rec.family or article_id))
    return articles


def _swap_all(match: re.Match[str]) -> str:
    return _SYNONYMS[match.group(1)]


def _record(
    story: _Story,
    outlet: str,
    title: str,
    text: str,
    at: datetime,
    *,
    family: str | None,
    edit: str = "original",
) -> CorpusArticle:
    """An article with no id yet (ids follow the final shuffle); a family of ``None`` means
    the article will be a family of its own."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    domain = re.sub(r"[^a-z0-9]+", "", outlet.lower()) + ".example"
    url = f"https://{domain}/{at:%Y/%m/%d}/{slug}-{zlib.crc32((story.id + outlet).encode()) % 10**6:06d}"
    return CorpusArticle(
        id="",
        text=text,
        title=title,
        outlet=outlet,
        published_at=at.isoformat(timespec="minutes"),
        url=url,
        family=family or "",
        story=story.id,
        edit=edit,
    )


def write_jsonl(articles: list[CorpusArticle], path: Path) -> None:
    """Write one JSON object per line: the article fields, truth labels under ``family``/``story``."""
    with path.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(asdict(article), ensure_ascii=False) + "\n")


def iter_pairs(articles: list[CorpusArticle]) -> Iterator[tuple[str, str]]:
    """Every unordered pair of article ids in the same truth family (for small corpora)."""
    by_family: dict[str, list[str]] = {}
    for a in articles:
        by_family.setdefault(a.family, []).append(a.id)
    for ids in by_family.values():
        ids.sort()
        for i, left in enumerate(ids):
            for right in ids[i + 1 :]:
                yield left, right


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path, default=None, help="write the corpus as JSONL here")
    args = parser.parse_args()
    articles = generate(args.n, args.seed)
    families = {a.family for a in articles}
    stories = {a.story for a in articles}
    words = sum(len(a.text.split()) for a in articles)
    print(
        f"{len(articles)} articles, {len(stories)} stories, {len(families)} families, "
        f"{words / len(articles):.0f} words per article",
        file=sys.stderr,
    )
    if args.write:
        write_jsonl(articles, args.write)
    else:
        print(articles[0].text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
