"""A small, realistic Report built by hand, for testing every output format.

Three outlets report a ferry fire (an invented story, written for these tests).  Spans are found by
searching the text, never typed as numbers, so they always slice correctly; ``build_report()``
asserts that for every span.  The brief has multi-outlet sentences, a single-source sentence and a
citation that crosses a quote, the Courier article has page furniture removed, and one input was
rejected.

The story also has what comparing the outlets finds: facts (disputed, corroborated and
single-source, listed with a single-source fact in the middle on purpose), a number conflict with
two sides, a quote group with an exact, a minor and a substantive variant (the NPA and Lakeside
texts end with a rewording of Reyl's quote for it), framing terms with two choice groups across
outlets and a span that is both a loaded word and a choice, a coverage gap, two phases (the second
undated) and a note.

The story has canonical entities (listed out of order on purpose) with aliases and mentions in
several articles; quotes from a speaker named differently in different outlets ("Reyl" / "Tomas
Reyl"), the same quote in two outlets, an unnamed source and a quote with no speaker; and a timeline
(also out of order) with anchored entries of several granularities and two unanchored ones from the
undated Lakeside copy.  Tests here use the ``report`` and ``make_report`` fixtures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newsfuse.models import (
    REPORT_SCHEMA_VERSION,
    Article,
    CitedSentence,
    Claim,
    Conflict,
    ConflictSide,
    CoverageGap,
    Entity,
    Fact,
    FactStatus,
    FramingTerm,
    Mention,
    Phase,
    Quote,
    QuoteGroup,
    QuoteVariant,
    Rejection,
    RemovedLine,
    Report,
    Span,
    Story,
    TimelineEntry,
    WordDiff,
    content_id,
)

COURIER_TEXT = (
    "LAKE VESSA: A passenger ferry caught fire on Lake Vessa on Saturday morning, forcing the "
    "evacuation of 212 people, the regional coastguard said.\n\n"
    "The blaze started in the engine room of the MV Kestrel about 40 minutes after it left Orrin "
    "harbour, according to coastguard spokesperson Tomas Reyl.\n\n"
    "\u201cEvery passenger was off the vessel within 25 minutes,\u201d Reyl said. "
    "\u201cNobody was seriously hurt.\u201d\n\n"
    "The ferry operator, Vessa Lines, has suspended all crossings until Monday."
)

NPA_TEXT = (
    "ORRIN, June 13 (NPA) - A fire on the ferry MV Kestrel forced about 210 passengers and crew "
    "into lifeboats on Lake Vessa on Saturday, officials said.\n\n"
    "The coastguard said the fire broke out in the engine room. Three people were treated for "
    "smoke inhalation at Orrin General Hospital.\n\n"
    "Vessa Lines chief executive Maren Holt said the company would cooperate fully with "
    "investigators.\n\n"
    "Crossings are suspended until Monday, the company said.\n\n"
    "\u201cThe Kestrel is stable and will be towed to Orrin,\u201d Reyl told reporters. "
    "\u201cWe will cooperate fully,\u201d Holt said.\n\n"
    # Reyl's words as the Courier printed them, with one small word added: a minor variation.
    "\u201cEvery passenger was off of the vessel within 25 minutes,\u201d Reyl said."
)

# A syndicated copy of the NPA story: same near-duplicate family, different outlet.
LAKESIDE_TEXT = (
    "ORRIN (NPA) - A fire on the ferry MV Kestrel forced about 210 passengers and crew into "
    "lifeboats on Lake Vessa on Saturday, officials said.\n\n"
    "Crossings are suspended until Monday, the company said.\n\n"
    "\u201cThe Kestrel is stable and will be towed to Orrin,\u201d Reyl told reporters.\n\n"
    "A coastguard official said the engine had been serviced in May.\n\n"
    "\u201cIt was chaos on deck.\u201d\n\n"
    # The same quotation reworded: a substantive change.
    "\u201cAll passengers were off within 25 minutes,\u201d Reyl said."
)


def find(article_id: str, text: str, needle: str, occurrence: int = 0) -> Span:
    """Return the span of the ``occurrence``-th appearance of ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(needle, start + 1)
        assert start >= 0, f"{needle!r} not in text"
    return Span(article_id, start, start + len(needle))


def _mention(aid: str, text: str, needle: str, label: str, norm: str) -> Mention:
    return Mention(find(aid, text, needle), needle, label, norm)


def _sentences(aid: str, text: str, sentences: list[str]) -> tuple[Span, ...]:
    return tuple(find(aid, text, sentence) for sentence in sentences)


def build_report() -> Report:
    """Build the three-article ferry-fire Report (deterministic: same call, equal value)."""
    c_id = content_id(COURIER_TEXT, prefix="a")
    n_id = content_id(NPA_TEXT, prefix="a")
    l_id = content_id(LAKESIDE_TEXT, prefix="a")
    c, n, lk = COURIER_TEXT, NPA_TEXT, LAKESIDE_TEXT

    reyl_quote = Quote(
        span=find(c_id, c, "Every passenger was off the vessel within 25 minutes"),
        text="Every passenger was off the vessel within 25 minutes",
        kind="direct",
        speaker="Tomas Reyl",
        speaker_span=find(c_id, c, "Reyl", 1),
        cue="said",
    )
    hurt_quote = Quote(
        span=find(c_id, c, "Nobody was seriously hurt."),
        text="Nobody was seriously hurt.",
        kind="direct",
        speaker="Tomas Reyl",
        speaker_span=find(c_id, c, "Reyl", 1),
        cue="said",
    )
    holt_quote = Quote(
        span=find(n_id, n, "the company would cooperate fully with investigators"),
        text="the company would cooperate fully with investigators",
        kind="indirect",
        speaker="Maren Holt",
        speaker_span=find(n_id, n, "Maren Holt"),
        cue="said",
    )
    n_quotes = (
        holt_quote,
        Quote(
            span=find(n_id, n, "Crossings are suspended until Monday"),
            text="Crossings are suspended until Monday",
            kind="indirect",
            speaker="Vessa Lines",
            speaker_span=find(n_id, n, "the company", 1),
            cue="said",
        ),
        # "Reyl" in this outlet, "Tomas Reyl" in the Courier: one speaker once entities join them.
        Quote(
            span=find(n_id, n, "The Kestrel is stable and will be towed to Orrin"),
            text="The Kestrel is stable and will be towed to Orrin",
            kind="direct",
            speaker="Reyl",
            speaker_span=find(n_id, n, "Reyl"),
            cue="told",
        ),
        Quote(
            span=find(n_id, n, "We will cooperate fully"),
            text="We will cooperate fully",
            kind="direct",
            speaker="Maren Holt",
            speaker_span=find(n_id, n, "Holt", 1),
            cue="said",
        ),
    )
    lk_quotes = (
        # The syndicated copy repeats the NPA's quote word for word: both are listed.
        Quote(
            span=find(l_id, lk, "The Kestrel is stable and will be towed to Orrin"),
            text="The Kestrel is stable and will be towed to Orrin",
            kind="direct",
            speaker="Reyl",
            speaker_span=find(l_id, lk, "Reyl"),
            cue="told",
        ),
        Quote(
            span=find(l_id, lk, "the engine had been serviced in May"),
            text="the engine had been serviced in May",
            kind="indirect",
            speaker="A coastguard official",
            speaker_span=find(l_id, lk, "A coastguard official"),
            cue="said",
        ),
        Quote(
            span=find(l_id, lk, "It was chaos on deck."),
            text="It was chaos on deck.",
            kind="direct",
            speaker=None,
            speaker_span=None,
            cue=None,
        ),
    )
    c_mentions = (
        _mention(c_id, c, "Lake Vessa", "LOC", "Lake Vessa"),
        _mention(c_id, c, "Saturday", "DATE", "2026-06-13"),
        _mention(c_id, c, "212", "CARDINAL", "212"),
        _mention(c_id, c, "MV Kestrel", "PRODUCT", "MV Kestrel"),
        _mention(c_id, c, "Tomas Reyl", "PERSON", "Tomas Reyl"),
        _mention(c_id, c, "Vessa Lines", "ORG", "Vessa Lines"),
    )
    n_mentions = (
        _mention(n_id, n, "MV Kestrel", "PRODUCT", "MV Kestrel"),
        _mention(n_id, n, "210", "CARDINAL", "210"),
        _mention(n_id, n, "Lake Vessa", "LOC", "Lake Vessa"),
        _mention(n_id, n, "Vessa Lines", "ORG", "Vessa Lines"),
        _mention(n_id, n, "Maren Holt", "PERSON", "Maren Holt"),
    )
    first_c = (
        "LAKE VESSA: A passenger ferry caught fire on Lake Vessa on Saturday morning, forcing the "
        "evacuation of 212 people, the regional coastguard said."
    )
    quote_sentence = "\u201cEvery passenger was off the vessel within 25 minutes,\u201d Reyl said."
    courier = Article(
        id=c_id,
        raw_id=content_id("raw", COURIER_TEXT, prefix="r"),
        origin="inbox/vessa-courier.txt",
        url="https://vessacourier.example/news/2026/06/13/ferry-fire-lake-vessa",
        outlet="Vessa Courier",
        title="Ferry fire forces evacuation of 212 on Lake Vessa",
        byline="By Ana Lind, Transport Correspondent",
        dateline="LAKE VESSA",
        published_at="2026-06-13T11:40:00+02:00",
        language="en",
        text=c,
        extractor="text-cleaner",
        removed=(
            RemovedLine(1, "Type to Search", "site chrome"),
            RemovedLine(3, "Home | Local | Lake & Rivers | Sport | Weather", "navigation menu"),
            RemovedLine(
                6, "Ferry fire forces evacuation of 212 on Lake Vessa", "repeated headline"
            ),
            RemovedLine(11, "Share This Article", "share widget"),
        ),
        dup_group=None,
        sentences=_sentences(c_id, c, [first_c, quote_sentence, "Nobody was seriously hurt."]),
        mentions=c_mentions,
        quotes=(reyl_quote, hurt_quote),
        claims=(
            Claim(
                id=content_id(c_id, first_c, prefix="c"),
                span=find(c_id, c, first_c),
                text=first_c,
                mentions=c_mentions[:3],
            ),
            Claim(
                id=content_id(c_id, quote_sentence, prefix="c"),
                span=find(c_id, c, quote_sentence),
                text=quote_sentence,
                quote=reyl_quote,
            ),
        ),
    )
    npa = Article(
        id=n_id,
        raw_id=content_id("raw", NPA_TEXT, prefix="r"),
        origin="inbox/npa.jsonl:3",
        url="https://npa.example/world/ferry-fire-kestrel",
        outlet="Northlake Press Agency",
        title="Ferry passengers take to lifeboats after engine-room fire",
        byline="By Piet Osk",
        dateline="ORRIN, June 13 (NPA)",
        published_at="2026-06-13",
        language="en",
        text=n,
        extractor="trafilatura",
        removed=(RemovedLine(14, "Read More: Lake levels fall for third summer", "related link"),),
        dup_group="g-kestrel-npa",
        mentions=n_mentions,
        quotes=n_quotes,
    )
    lakeside = Article(
        id=l_id,
        raw_id=content_id("raw", LAKESIDE_TEXT, prefix="r"),
        origin="inbox/lakeside-daily.html",
        url=None,
        outlet="Lakeside Daily",
        title=None,
        byline=None,
        dateline="ORRIN (NPA)",
        published_at=None,
        language="en",
        text=lk,
        extractor="fallback",
        dup_group="g-kestrel-npa",
        mentions=(_mention(l_id, lk, "MV Kestrel", "PRODUCT", "MV Kestrel"),),
        quotes=lk_quotes,
    )
    brief = (
        CitedSentence(
            text="The ferry MV Kestrel caught fire on Lake Vessa on Saturday and about 210 people "
            "were evacuated.",
            citations=(
                find(c_id, c, first_c),
                find(n_id, n, "A fire on the ferry MV Kestrel forced about 210 passengers"),
                find(l_id, lk, "A fire on the ferry MV Kestrel forced about 210 passengers"),
            ),
            outlets=("Lakeside Daily", "Northlake Press Agency", "Vessa Courier"),
            single_source=False,
        ),
        CitedSentence(
            text="The fire started in the engine room.",
            citations=(
                find(c_id, c, "The blaze started in the engine room of the MV Kestrel"),
                find(n_id, n, "the fire broke out in the engine room"),
            ),
            outlets=("Northlake Press Agency", "Vessa Courier"),
            single_source=False,
        ),
        CitedSentence(
            # This citation starts inside Reyl's first quote and ends inside the second: it crosses
            # both, which the HTML must still mark up as well-formed, complete passages.
            text="Passengers were off the vessel within 25 minutes and nobody was seriously hurt, "
            "the coastguard said.",
            citations=(find(c_id, c, "within 25 minutes,\u201d Reyl said. \u201cNobody was"),),
            outlets=("Vessa Courier",),
            single_source=True,
        ),
        CitedSentence(
            text="Vessa Lines has suspended crossings until Monday.",
            citations=(
                find(c_id, c, "Vessa Lines, has suspended all crossings until Monday"),
                find(n_id, n, "Crossings are suspended until Monday"),
                find(l_id, lk, "Crossings are suspended until Monday"),
                # Cited twice on purpose: a repeated span must keep one number.
                find(n_id, n, "Crossings are suspended until Monday"),
            ),
            outlets=("Lakeside Daily", "Northlake Press Agency", "Vessa Courier"),
            single_source=False,
        ),
    )
    story = Story(
        id=content_id(c_id, n_id, l_id, prefix="s"),
        title="Ferry fire on Lake Vessa",
        article_ids=(c_id, n_id, l_id),
        brief=brief,
        settings_hash="3f9a1c0d5e7b2a46",
        entities=_entities(c_id, n_id, l_id),
        timeline=_timeline(c_id, n_id, l_id),
        **_corroboration(c_id, n_id, l_id),
    )
    report = Report(
        schema_version=REPORT_SCHEMA_VERSION,
        settings_hash="3f9a1c0d5e7b2a46",
        story=story,
        articles=(courier, npa, lakeside),
        rejections=(
            Rejection("inbox/empty.txt", "ingest", "the file is empty"),
            Rejection("inbox/menu-only.html", "clean", "no article text was found on the page"),
        ),
    )
    assert_spans_slice(report)
    return report


def _entity(name: str, label: str, aliases: tuple[str, ...], *mentions: Span) -> Entity:
    return Entity(content_id(label, name, prefix="e"), name, label, aliases, mentions)


def _entities(c_id: str, n_id: str, l_id: str) -> tuple[Entity, ...]:
    """The story's canonical entities, deliberately not in the order the reports show them."""
    c, n, lk = COURIER_TEXT, NPA_TEXT, LAKESIDE_TEXT
    return (
        _entity(
            "MV Kestrel",
            "PRODUCT",
            ("Kestrel",),
            find(c_id, c, "MV Kestrel"),
            find(n_id, n, "MV Kestrel"),
            find(n_id, n, "Kestrel", 1),
            find(l_id, lk, "MV Kestrel"),
        ),
        _entity(
            "Orrin",
            "GPE",
            ("ORRIN",),
            find(c_id, c, "Orrin"),
            find(n_id, n, "ORRIN"),
            find(l_id, lk, "ORRIN"),
        ),
        _entity(
            "Maren Holt",
            "PERSON",
            ("Holt", "Vessa Lines chief executive Maren Holt"),
            find(n_id, n, "Maren Holt"),
            find(n_id, n, "Holt", 1),
        ),
        _entity(
            "Lake Vessa",
            "LOC",
            ("LAKE VESSA",),
            find(c_id, c, "LAKE VESSA"),
            find(c_id, c, "Lake Vessa"),
            find(n_id, n, "Lake Vessa"),
            find(l_id, lk, "Lake Vessa"),
        ),
        _entity(
            "Tomas Reyl",
            "PERSON",
            ("Reyl", "coastguard spokesperson Tomas Reyl"),
            find(c_id, c, "coastguard spokesperson Tomas Reyl"),
            find(c_id, c, "Reyl", 1),
            find(n_id, n, "Reyl"),
            find(l_id, lk, "Reyl"),
        ),
        _entity(
            "Vessa Lines",
            "ORG",
            (),
            find(c_id, c, "Vessa Lines"),
            find(n_id, n, "Vessa Lines"),
        ),
    )


def _timeline(c_id: str, n_id: str, l_id: str) -> tuple[TimelineEntry, ...]:
    """Dated events, out of order; the two from the undated Lakeside copy are not anchored."""
    c, n, lk = COURIER_TEXT, NPA_TEXT, LAKESIDE_TEXT
    return (
        TimelineEntry(
            when="XXXX-WXX-6",
            granularity="day",
            anchored=False,
            text="A fire forced about 210 passengers and crew into lifeboats on Saturday.",
            citations=(
                find(
                    l_id,
                    lk,
                    "A fire on the ferry MV Kestrel forced about 210 passengers and crew into "
                    "lifeboats on Lake Vessa on Saturday",
                ),
            ),
            outlets=("Lakeside Daily",),
        ),
        TimelineEntry(
            when="2026-06-15",
            granularity="day",
            anchored=True,
            text="Vessa Lines has suspended all crossings until Monday.",
            citations=(find(c_id, c, "has suspended all crossings until Monday"),),
            outlets=("Vessa Courier",),
        ),
        TimelineEntry(
            when="XXXX-WXX-1",
            granularity="day",
            anchored=False,
            text="Crossings are suspended until Monday.",
            citations=(find(l_id, lk, "Crossings are suspended until Monday"),),
            outlets=("Lakeside Daily",),
        ),
        TimelineEntry(
            when="2026-06-13",
            granularity="day",
            anchored=True,
            text="A passenger ferry caught fire on Lake Vessa.",
            citations=(
                # The first is also cited by the brief: it must keep a single mark.
                find(n_id, n, "A fire on the ferry MV Kestrel forced about 210 passengers"),
                find(c_id, c, "A passenger ferry caught fire on Lake Vessa on Saturday morning"),
            ),
            outlets=("Northlake Press Agency", "Vessa Courier"),
        ),
        TimelineEntry(
            when="2026-05",
            granularity="month",
            anchored=True,
            text="The engine had been serviced in May.",
            citations=(find(l_id, lk, "the engine had been serviced in May"),),
            outlets=("Lakeside Daily",),
        ),
    )


NOTE = "1 article(s) not in English, not aligned: inbox/vessa_posten.txt"


def _fact(text: str, status: FactStatus, sources: int, *claims: Span, **kw: str) -> Fact:
    return Fact(
        id=content_id(*(f"{s.article_id}:{s.start}:{s.end}" for s in claims), prefix="fct_"),
        text=text,
        claims=tuple(sorted(claims)),
        outlets=tuple(sorted({OUTLETS[s.article_id] for s in claims})),
        independent_sources=sources,
        status=status,
        when=kw.get("when"),
    )


OUTLETS: dict[str, str] = {
    content_id(COURIER_TEXT, prefix="a"): "Vessa Courier",
    content_id(NPA_TEXT, prefix="a"): "Northlake Press Agency",
    content_id(LAKESIDE_TEXT, prefix="a"): "Lakeside Daily",
}


def _corroboration(c_id: str, n_id: str, l_id: str) -> dict[str, Any]:
    """Facts, a conflict, a quote group, framing, a gap, phases and a note for the story."""
    c, n, lk = COURIER_TEXT, NPA_TEXT, LAKESIDE_TEXT
    first_c = find(c_id, c, "LAKE VESSA: A passenger ferry caught fire on Lake Vessa")
    first_c = Span(c_id, first_c.start, c.index("said.") + len("said."))
    first_n = "A fire on the ferry MV Kestrel forced about 210 passengers and crew into lifeboats "
    first_n += "on Lake Vessa on Saturday, officials said."
    fire = _fact(
        "A fire on the ferry MV Kestrel forced about 210 passengers and crew into lifeboats on "
        "Lake Vessa on Saturday, officials said.",
        "disputed",
        2,
        first_c,
        find(n_id, n, first_n),
        find(l_id, lk, first_n),
        when="2026-06-13",
    )
    treated = _fact(
        "Three people were treated for smoke inhalation at Orrin General Hospital.",
        "single_source",
        1,
        find(n_id, n, "Three people were treated for smoke inhalation at Orrin General Hospital."),
    )
    engine = _fact(
        "The coastguard said the fire broke out in the engine room.",
        "corroborated",
        2,
        find(c_id, c, "The blaze started in the engine room of the MV Kestrel"),
        find(n_id, n, "The coastguard said the fire broke out in the engine room."),
    )
    crossings = _fact(
        "Crossings are suspended until Monday, the company said.",
        "corroborated",
        2,
        find(c_id, c, "The ferry operator, Vessa Lines, has suspended all crossings until Monday."),
        find(n_id, n, "Crossings are suspended until Monday, the company said."),
        find(l_id, lk, "Crossings are suspended until Monday, the company said."),
    )
    serviced = _fact(
        "A coastguard official said the engine had been serviced in May.",
        "single_source",
        1,
        find(l_id, lk, "A coastguard official said the engine had been serviced in May."),
    )
    conflict = Conflict(
        id=content_id(fire.id, "number", "people", prefix="cfl_"),
        fact_id=fire.id,
        kind="number",
        subject="people",
        sides=(
            ConflictSide(
                "210",
                tuple(sorted([find(n_id, n, first_n), find(l_id, lk, first_n)])),
                ("Lakeside Daily", "Northlake Press Agency"),
            ),
            ConflictSide("212", (first_c,), ("Vessa Courier",)),
        ),
    )
    reference = "Every passenger was off the vessel within 25 minutes"
    minor = "Every passenger was off of the vessel within 25 minutes"
    substantive = "All passengers were off within 25 minutes"
    group = QuoteGroup(
        id=content_id("quote", reference, prefix="qgr_"),
        speaker="Tomas Reyl",
        reference=reference,
        label="substantive change",
        variants=(
            QuoteVariant(
                find(c_id, c, reference),
                reference,
                "Vessa Courier",
                "exact",
                (WordDiff("equal", reference.lower(), reference.lower()),),
            ),
            QuoteVariant(
                find(n_id, n, minor),
                minor,
                "Northlake Press Agency",
                "minor variation",
                (
                    WordDiff("equal", "every passenger was off", "every passenger was off"),
                    WordDiff("insert", "", "of"),
                    WordDiff(
                        "equal", "the vessel within 25 minutes", "the vessel within 25 minutes"
                    ),
                ),
            ),
            QuoteVariant(
                find(l_id, lk, substantive),
                substantive,
                "Lakeside Daily",
                "substantive change",
                (
                    WordDiff("replace", "every passenger was", "all passengers were"),
                    WordDiff("equal", "off", "off"),
                    WordDiff("delete", "the vessel", ""),
                    WordDiff("equal", "within 25 minutes", "within 25 minutes"),
                ),
            ),
        ),
    )
    blaze = find(c_id, c, "blaze")
    framing = (
        FramingTerm("Lakeside Daily", "fire", "choice:incident", (find(l_id, lk, "fire"),)),
        FramingTerm("Lakeside Daily", "told", "choice:speech", (find(l_id, lk, "told"),)),
        FramingTerm(
            "Northlake Press Agency",
            "fire",
            "choice:incident",
            (find(n_id, n, "fire"), find(n_id, n, "fire", 1)),
        ),
        FramingTerm("Northlake Press Agency", "fully", "intensifier", (find(n_id, n, "fully"),)),
        FramingTerm("Northlake Press Agency", "told", "choice:speech", (find(n_id, n, "told"),)),
        # The same span is a loaded word and a choice: it must be marked once.
        FramingTerm("Vessa Courier", "blaze", "choice:incident", (blaze,)),
        FramingTerm("Vessa Courier", "blaze", "loaded", (blaze,)),
        FramingTerm("Vessa Courier", "fire", "choice:incident", (find(c_id, c, "fire"),)),
        FramingTerm(
            "Vessa Courier",
            "said",
            "choice:speech",
            (find(c_id, c, "said"), find(c_id, c, "said", 1)),
        ),
    )
    phases = (
        Phase(
            id=content_id("fire", c_id, n_id, prefix="phs_"),
            label="fire and evacuation",
            summary=c[first_c.start : first_c.end],
            article_ids=(c_id, n_id),
            citations=(first_c, find(n_id, n, first_n)),
            outlets=("Northlake Press Agency", "Vessa Courier"),
            first_published="2026-06-13",
        ),
        Phase(
            id=content_id("suspended", l_id, prefix="phs_"),
            label="crossings suspended",
            summary="Crossings are suspended until Monday, the company said.",
            article_ids=(l_id,),
            citations=(find(l_id, lk, "Crossings are suspended until Monday, the company said."),),
            outlets=("Lakeside Daily",),
            first_published=None,
        ),
    )
    return {
        "facts": (fire, treated, engine, crossings, serviced),
        "conflicts": (conflict,),
        "quote_groups": (group,),
        "framing": framing,
        "coverage_gaps": (CoverageGap("Lakeside Daily", (engine.id,)),),
        "phases": phases,
        "notes": (NOTE,),
    }


def assert_spans_slice(report: Report) -> None:
    """Check that every record's text is exactly what its span slices from its article."""
    by_id = {article.id: article for article in report.articles}
    for article in report.articles:
        for mention in article.mentions:
            assert article.slice(mention.span) == mention.text
        for quote in article.quotes:
            assert article.slice(quote.span) == quote.text
        for claim in article.claims:
            assert article.slice(claim.span) == claim.text
    for sentence in report.story.brief:
        for span in sentence.citations:
            assert span.end <= len(by_id[span.article_id].text)
    for entity in report.story.entities:
        for span in entity.mentions:
            assert by_id[span.article_id].slice(span) in {entity.name, *entity.aliases}
    for entry in report.story.timeline:
        for span in entry.citations:
            assert span.end <= len(by_id[span.article_id].text)
    story = report.story
    for fact in story.facts:
        assert fact.text in {by_id[s.article_id].slice(s) for s in fact.claims}
    for group in story.quote_groups:
        for variant in group.variants:
            assert by_id[variant.span.article_id].slice(variant.span) == variant.text
    for term in story.framing:
        for span in term.citations:
            assert by_id[span.article_id].slice(span).lower() == term.term
    for phase in story.phases:
        for span in phase.citations:
            assert span.end <= len(by_id[span.article_id].text)


@pytest.fixture
def report() -> Report:
    """The ferry-fire Report."""
    return build_report()


@pytest.fixture
def make_report() -> Callable[[], Report]:
    """The builder itself, for tests that need two independently built, equal Reports.

    A fixture rather than an import: ``import conftest`` is ambiguous when tests/ has one too.
    """
    return build_report
