"""Canonical entities across a story: real seeds, the bundled example, and hand-made articles."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsfuse.config import load_settings
from newsfuse.models import Article, Claim, Entity, Mention, Quote, Span, content_id
from newsfuse.pipeline import run
from newsfuse.stages.extract.canonical import canonicalise, fold, translit_key
from newsfuse.stages.extract.entities import repaired_entities


def _article(
    text: str, found: list[tuple[str, str, str]], quotes: tuple[Quote, ...] = ()
) -> Article:
    """An article whose mentions are the first occurrence (after the previous one) of each text."""
    article_id = content_id(text, prefix="art_")
    mentions = []
    cursor = 0
    for surface, label, norm in found:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        mentions.append(Mention(Span(article_id, start, cursor), surface, label, norm))
    claim = Claim("clm_1", Span(article_id, 0, len(text)), text, tuple(mentions))
    return Article(
        id=article_id, raw_id="raw", origin="test", url=None, outlet=None, title=None,
        byline=None, dateline=None, published_at=None, language="en", text=text,
        extractor="test", mentions=tuple(mentions), quotes=quotes, claims=(claim,),
    )  # fmt: skip


def _by_name(entities: tuple[Entity, ...]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def _owner(entities: tuple[Entity, ...], form: str) -> Entity:
    owners = [e for e in entities if e.name == form or form in e.aliases]
    assert len(owners) == 1, (form, owners)
    return owners[0]


def _check_anchored(articles: tuple[Article, ...], entities: tuple[Entity, ...]) -> None:
    by_id = {a.id: a for a in articles}
    for article in articles:
        for mention in article.mentions:
            assert article.slice(mention.span) == mention.text
        for claim in article.claims:
            assert set(claim.mentions) <= set(article.mentions)
    for entity in entities:
        for span in entity.mentions:
            assert by_id[span.article_id].slice(span)


# --- the seeds: five real reports of the Istanbul talks -------------------------------------------


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> tuple[tuple[Entity, ...], tuple[Article, ...]]:
    report = run([str(seeds_dir)], load_settings())
    return canonicalise(report.articles)


def test_seed_people_merge_across_articles(
    seeds: tuple[tuple[Entity, ...], tuple[Article, ...]],
) -> None:
    entities, _ = seeds
    asif = _owner(entities, "Khawaja Asif")
    assert (asif.name, asif.label) == ("Khawaja Asif", "PERSON")
    assert "Asif" in asif.aliases
    tarar = _owner(entities, "Atta Tarar")
    assert tarar.name == "Attaullah Tarar" and tarar.label == "PERSON"
    assert {"Atta Tarar", "Tarar"} <= set(tarar.aliases)
    assert _owner(entities, "Tarar") is tarar


def test_seed_spelling_variants_and_acronyms_merge(
    seeds: tuple[tuple[Entity, ...], tuple[Article, ...]],
) -> None:
    entities, _ = seeds
    turkey = _owner(entities, "Turkey")
    assert {"Turkiye", "Türkiye"} <= set(turkey.aliases) and turkey.label == "GPE"
    ttp = _owner(entities, "TTP")
    assert ttp.name == "Tehreek-e-Taliban Pakistan" and ttp.label == "ORG"
    assert {"Tehrik-e-Taliban Pakistan", "Pakistani Taliban"} <= set(ttp.aliases)
    assert "BLA" in _owner(entities, "Balochistan Liberation Army").aliases
    # "the Afghan Taliban’s failure" (002) is a mention, not another name of the group.
    aliases = [alias for entity in entities for alias in entity.aliases]
    assert not [alias for alias in aliases if alias.endswith(("’s", "'s"))]


def test_seed_places_present_and_furniture_absent(
    seeds: tuple[tuple[Entity, ...], tuple[Article, ...]],
) -> None:
    entities, articles = seeds
    names = _by_name(entities)
    for place in ("Qatar", "Doha", "Istanbul", "Kabul", "Islamabad"):
        assert names[place].label == "GPE"
    assert names["Tora Bora"].label == "LOC"  # tagged PERSON, but "at Tora Bora"
    all_forms = {form for e in entities for form in (e.name, *e.aliases)}
    assert not {"Happen Next", "Read More", "Defence", "Defense"} & all_forms
    assert not any(e.label == "PERSON" and e.name == "Tora Bora" for e in entities)
    _check_anchored(articles, entities)


def test_seed_mentions_and_speakers_are_canonical(
    seeds: tuple[tuple[Entity, ...], tuple[Article, ...]],
) -> None:
    entities, articles = seeds
    names = {e.name for e in entities}
    for article in articles:
        for mention in article.mentions:
            if mention.label in {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"}:
                assert mention.norm in names
    speakers = {q.speaker for a in articles for q in a.quotes}
    assert "Atta Tarar" not in speakers and "Attaullah Tarar" in speakers
    assert "a Pakistani security official" in speakers  # descriptions stay
    assert "Islamabad officials" in speakers
    seed_004 = next(a for a in articles if a.origin.endswith("004_1328f30aec71de4e.txt"))
    assert {q.speaker for q in seed_004.quotes if q.speaker and "Tarar" in q.speaker} == {
        "Attaullah Tarar"
    }


def test_seed_output_is_deterministic_and_sorted(
    seeds: tuple[tuple[Entity, ...], tuple[Article, ...]], seeds_dir: Path
) -> None:
    entities, articles = seeds
    assert [(e.label, e.name) for e in entities] == sorted((e.label, e.name) for e in entities)
    assert len({e.id for e in entities}) == len(entities)
    again = canonicalise(run([str(seeds_dir)], load_settings()).articles)
    assert again == (entities, articles)
    assert canonicalise(articles)[0] == entities  # idempotent


# --- the bundled example story ---------------------------------------------------------------------


def test_example_story_entities(examples_dir: Path) -> None:
    entities, articles = canonicalise(run([str(examples_dir)], load_settings()).articles)
    varga = _owner(entities, "Varga")
    assert (varga.name, varga.label) == ("Ines Varga", "PERSON")
    hale = _owner(entities, "Hale")
    assert (hale.name, hale.label) == ("Tomas Hale", "PERSON")
    union = _owner(entities, "CDU")
    assert union.name == "Calderran Dockworkers' Union" and union.label == "ORG"
    strand = _owner(entities, "Strand")
    assert strand.name == "Helena Strand" and strand.label == "PERSON"  # tagged ORG 4 times
    assert _owner(entities, "Castellan").label == "LOC"  # "the port of Castellan"
    _check_anchored(articles, entities)


# --- hand-made articles: one rule each --------------------------------------------------------------


def test_surname_and_titled_forms_join_the_full_name() -> None:
    one = _article(
        "Defence Minister Khawaja Asif spoke. Asif said more. Khawaja Asif’s remarks.",
        [
            ("Defence Minister Khawaja Asif", "PERSON", "Defence Minister Khawaja Asif"),
            ("Asif", "PERSON", "Asif"),
            ("Khawaja Asif’s", "PERSON", "Khawaja Asif"),
        ],
    )
    entities, (article,) = canonicalise([one])
    (asif,) = entities
    assert asif.name == "Khawaja Asif"
    assert set(asif.aliases) == {"Asif", "Defence Minister Khawaja Asif"}  # a possessive is no name
    assert {m.norm for m in article.mentions} == {"Khawaja Asif"}
    assert article.claims[0].mentions == article.mentions


def test_canonical_name_is_most_frequent_full_form_then_longest() -> None:
    first = _article(
        "Atta Tarar said. Attaullah Tarar said. Attaullah Tarar again.",
        [("Atta Tarar", "PERSON", "Atta Tarar"), ("Attaullah Tarar", "PERSON", "Attaullah Tarar"),
         ("Attaullah Tarar", "PERSON", "Attaullah Tarar")],
    )  # fmt: skip
    second = _article(
        "Tarar said; Atta Tarar said.",
        [("Tarar", "ORG", "Tarar"), ("Atta Tarar", "PERSON", "Atta Tarar")],
    )
    entities, _ = canonicalise([first, second])
    (tarar,) = entities
    assert (tarar.name, tarar.label) == ("Attaullah Tarar", "PERSON")  # ORG "Tarar" reconciled
    longer = _article(
        "Atta Tarar and Attaullah Tarar.",
        [("Atta Tarar", "PERSON", "Atta Tarar"), ("Attaullah Tarar", "PERSON", "Attaullah Tarar")],
    )
    (tarar,), _ = canonicalise([longer])
    assert tarar.name == "Attaullah Tarar"  # tie on count → longer
    alphabet = _article(
        "Muhammad Ali and Mohammad Ali.",
        [("Muhammad Ali", "PERSON", "Muhammad Ali"), ("Mohammad Ali", "PERSON", "Mohammad Ali")],
    )
    (ali,), _ = canonicalise([alphabet])
    assert (ali.name, ali.aliases) == ("Mohammad Ali", ("Muhammad Ali",))  # then alphabetical


def test_two_people_sharing_a_surname_stay_apart_and_lone_surname_is_not_guessed() -> None:
    article = _article(
        "Imran Khan met Irfan Khan. Khan left.",
        [("Imran Khan", "PERSON", "Imran Khan"), ("Irfan Khan", "PERSON", "Irfan Khan"),
         ("Khan", "PERSON", "Khan")],
    )  # fmt: skip
    entities, _ = canonicalise([article])
    assert sorted(e.name for e in entities) == ["Imran Khan", "Irfan Khan", "Khan"]


def test_spelling_variants_merge_but_similar_countries_do_not() -> None:
    article = _article(
        "Turkey, Türkiye, Turkiye, Turkey, Austria, Australia, Iran, Iraq, the Defence Ministry and the "
        "Defense Ministry, Terminal 1 and Terminal 2, Tehreek-e-Insaf and Tehrik-e-Insaf.",
        [("Turkey", "GPE", "Turkey"), ("Türkiye", "GPE", "Türkiye"), ("Turkiye", "GPE", "Turkiye"),
         ("Turkey", "GPE", "Turkey"), ("Austria", "GPE", "Austria"), ("Australia", "GPE", "Australia"), ("Iran", "GPE", "Iran"),
         ("Iraq", "GPE", "Iraq"), ("Defence Ministry", "ORG", "Defence Ministry"),
         ("Defense Ministry", "ORG", "Defense Ministry"), ("Terminal 1", "FAC", "Terminal 1"),
         ("Terminal 2", "FAC", "Terminal 2"), ("Tehreek-e-Insaf", "ORG", "Tehreek-e-Insaf"),
         ("Tehrik-e-Insaf", "ORG", "Tehrik-e-Insaf")],
    )  # fmt: skip
    entities, _ = canonicalise([article])
    names = sorted(e.name for e in entities)
    assert names == sorted(
        ["Turkey", "Austria", "Australia", "Iran", "Iraq", "Defence Ministry", "Terminal 1",
         "Terminal 2", "Tehreek-e-Insaf"]
    )  # fmt: skip
    assert set(_owner(entities, "Türkiye").aliases) == {"Türkiye", "Turkiye"}


def test_acronym_definitions_in_both_directions() -> None:
    one = _article(
        "the Calderran Dockworkers' Union (CDU) struck; the CDU said so.",
        [("Calderran Dockworkers' Union", "ORG", "Calderran Dockworkers' Union"), ("CDU", "ORG", "CDU"),
         ("CDU", "GPE", "CDU")],
    )  # fmt: skip
    two = _article(
        "groups like the TTP (Tehreek-e-Taliban Pakistan) and Dawn (AFP) reported.",
        [("TTP", "ORG", "TTP"), ("Tehreek-e-Taliban Pakistan", "ORG", "Tehreek-e-Taliban Pakistan"),
         ("Dawn", "ORG", "Dawn"), ("AFP", "ORG", "AFP")],
    )  # fmt: skip
    entities, _ = canonicalise([one, two])
    assert _owner(entities, "CDU").name == "Calderran Dockworkers' Union"
    assert _owner(entities, "TTP").name == "Tehreek-e-Taliban Pakistan"
    assert _owner(entities, "AFP").name == "AFP"  # initials of "Dawn" do not define AFP


def test_false_entities_are_dropped_or_relabelled() -> None:
    text = (
        "Read More: Why Did Talks Fail and What Could Happen Next\n"
        "Pakistan Eyes Istanbul With Hamid Zorro\n"
        "The rout at Tora Bora was recalled. Tora Bora is remote. He told the Herald so.\n"
        "Islamabad spoke; Islamabad again; Islamabad listened.\n"
    )
    article = _article(
        text,
        [("Happen Next", "PERSON", "Happen Next"), ("Hamid Zorro", "PERSON", "Hamid Zorro"),
         ("Tora Bora", "PERSON", "Tora Bora"), ("Tora Bora", "PERSON", "Tora Bora"),
         ("Herald", "PERSON", "Herald"), ("Islamabad", "GPE", "Islamabad"),
         ("Islamabad", "PERSON", "Islamabad"), ("Islamabad", "GPE", "Islamabad")],
    )  # fmt: skip
    entities, (rewritten,) = canonicalise([article])
    labels = {e.name: e.label for e in entities}
    assert labels == {"Tora Bora": "LOC", "Herald": "ORG", "Islamabad": "GPE"}
    assert len(rewritten.mentions) == 6 and len(rewritten.claims[0].mentions) == 6
    assert {m.label for m in rewritten.mentions if m.text == "Islamabad"} == {"GPE"}


def test_quote_speakers_map_to_names_and_descriptions_stay() -> None:
    text = "Minister for Information Atta Tarar said x. Attaullah Tarar said y. An official said z."
    art_id = content_id(text, prefix="art_")
    start = text.index("Minister")
    titled = Quote(Span(art_id, 0, 1), "x", "indirect", text[start : text.index(" said")],
                   Span(art_id, start, text.index(" said")), "said")  # fmt: skip
    official = Quote(Span(art_id, 0, 1), "z", "indirect", "An official", None, "said")
    pronoun = Quote(Span(art_id, 0, 1), "y", "indirect", "Atta Tarar", None, "said")
    article = _article(
        text,
        [("Atta Tarar", "PERSON", "Atta Tarar"), ("Attaullah Tarar", "PERSON", "Attaullah Tarar"),
         ("Attaullah Tarar", "PERSON", "Attaullah Tarar")][:2],
        quotes=(titled, official, pronoun),
    )  # fmt: skip
    _, (rewritten,) = canonicalise([article])
    assert [q.speaker for q in rewritten.quotes] == [
        "Attaullah Tarar",
        "An official",
        "Attaullah Tarar",
    ]
    assert [q.span for q in rewritten.quotes] == [q.span for q in article.quotes]


def _said_by(text: str, speaker: str, at: str, after: str = "") -> Quote:
    """An indirect quote of ``text`` whose speaker span is the first ``at`` after ``after``."""
    art_id = content_id(text, prefix="art_")
    start = text.index(at, text.index(after) if after else 0)
    return Quote(Span(art_id, 0, 1), "x", "indirect", speaker,
                 Span(art_id, start, start + len(at)), "said")  # fmt: skip


def test_the_union_is_the_one_union_the_article_names() -> None:
    text = (
        "The Calderran Dockworkers' Union called the strike. The union said talks had failed. "
        "The harbour authority said so too. A union said otherwise."
    )
    quotes = (
        _said_by(text, "The union", "The union"),
        _said_by(text, "The harbour authority", "The harbour authority"),
        _said_by(text, "A union", "A union"),
    )
    article = _article(
        text, [("Calderran Dockworkers' Union", "ORG", "Calderran Dockworkers' Union")], quotes
    )
    _, (rewritten,) = canonicalise([article])
    # No authority is named, and "a union" is not "the union": both stay descriptions.
    assert [q.speaker for q in rewritten.quotes] == [
        "Calderran Dockworkers' Union",
        "The harbour authority",
        "A union",
    ]
    assert [q.speaker_span for q in rewritten.quotes] == [q.speaker_span for q in quotes]


def test_the_union_stays_a_description_when_the_article_names_two() -> None:
    text = "The Dockworkers' Union and the Rail Union met. The union said talks had failed."
    article = _article(
        text,
        [("Dockworkers' Union", "ORG", "Dockworkers' Union"), ("Rail Union", "ORG", "Rail Union")],
        (_said_by(text, "The union", "The union"),),
    )
    _, (rewritten,) = canonicalise([article])
    assert rewritten.quotes[0].speaker == "The union"


def test_a_speaker_inside_a_name_is_the_named_body() -> None:
    text = "The Port Merrow Harbour Authority has offered a 4.5% increase."
    article = _article(
        text,
        [("Port Merrow Harbour Authority", "ORG", "Port Merrow Harbour Authority")],
        (_said_by(text, "Port Merrow", "Merrow"),),  # the source head alone, as the model finds it
    )
    _, (rewritten,) = canonicalise([article])
    assert rewritten.quotes[0].speaker == "Port Merrow Harbour Authority"


def test_a_possessive_surname_is_the_one_person_of_that_name() -> None:
    text = "Khawaja Asif spoke. Asif’s reference to Tora Bora alluded to 2001. Jon Holt and Mia Holt met."
    article = _article(
        text,
        [("Khawaja Asif", "PERSON", "Khawaja Asif"), ("Jon Holt", "PERSON", "Jon Holt"),
         ("Mia Holt", "PERSON", "Mia Holt")],
        (
            _said_by(text, "Asif’s", "Asif’s"),
            dataclasses.replace(_said_by(text, "Holt", "Holt"), speaker_span=None),
        ),
    )  # fmt: skip
    _, (rewritten,) = canonicalise([article])
    # Two Holts: a lone "Holt" is not guessed.
    assert [q.speaker for q in rewritten.quotes] == ["Khawaja Asif", "Holt"]


def test_a_relative_pronoun_speaks_for_the_name_it_hangs_on() -> None:
    text = (
        "About 600 containers sit on the quay, according to the Calderran Fresh Produce "
        "Association, which warned that cargo could spoil. Port staff, who asked not to be named, "
        "said the same."
    )
    article = _article(
        text,
        [("Calderran Fresh Produce Association", "ORG", "Calderran Fresh Produce Association")],
        (_said_by(text, "which", "which"), _said_by(text, "who", "who")),
    )
    _, (rewritten,) = canonicalise([article])
    # "Port staff" is no entity: its "who" stays as found.
    assert [q.speaker for q in rewritten.quotes] == ["Calderran Fresh Produce Association", "who"]


def test_a_relative_pronoun_takes_only_a_name_of_its_kind() -> None:
    text = (
        "The Calderran Fresh Produce Association (CFPA), which warned of spoilage, met. "
        "A letter to Khawaja Asif, which said more, came. Officials from Kabul, who spoke, left."
    )
    article = _article(
        text,
        [("Calderran Fresh Produce Association", "ORG", "Calderran Fresh Produce Association"),
         ("Khawaja Asif", "PERSON", "Khawaja Asif"), ("Kabul", "GPE", "Kabul")],
        (_said_by(text, "which", "which"), _said_by(text, "which", "which", after="Asif"),
         _said_by(text, "who", "who")),
    )  # fmt: skip
    _, (rewritten,) = canonicalise([article])
    assert [q.speaker for q in rewritten.quotes] == [
        "Calderran Fresh Produce Association",  # past its acronym in brackets
        "which",  # the letter's, not Asif's
        "who",  # people from Kabul, not the city
    ]


def test_a_description_with_a_possessive_or_apostrophe_still_names_its_body() -> None:
    text = "The Calderran Dockworkers' Union struck. The dockworkers' union's leaders said no."
    article = _article(
        text,
        [("Calderran Dockworkers' Union", "ORG", "Calderran Dockworkers' Union")],
        (_said_by(text, "The dockworkers' union's", "The dockworkers' union's"),),
    )
    _, (rewritten,) = canonicalise([article])
    assert rewritten.quotes[0].speaker == "Calderran Dockworkers' Union"


def test_helpers_fold_and_transliterate() -> None:
    assert fold("Türkiye") == fold("TURKIYE") == "turkiye"
    assert fold("Dockworkers’ Union") == "dockworkers' union"
    assert translit_key("tehreek") == translit_key("tehrik")
    assert translit_key("defence") == translit_key("defense")


def test_repaired_entities_join_split_names() -> None:
    text = "the Tehreek-e-Taliban Pakistan (TTP) and the Pakistani Taliban (TTP) and Army (BLA)."
    t_start, p_start = text.index("Tehreek"), text.index("Pakistan (")
    norp = text.index("Pakistani")
    army = text.index("Army")
    ents = [(t_start, t_start + 7, "ORG"), (p_start, p_start + 8, "GPE"), (norp, norp + 9, "NORP"),
            (army, army + 4, "ORG")]  # fmt: skip
    found = [(text[s:e], label) for s, e, label in repaired_entities(text, ents)]
    assert found == [
        ("Tehreek-e-Taliban Pakistan", "ORG"),
        ("TTP", "ORG"),
        ("Pakistani Taliban", "ORG"),
        ("TTP", "ORG"),
        ("Army", "ORG"),
        ("BLA", "ORG"),
    ]


def test_copies_of_articles_add_no_entities(
    seeds: tuple[tuple[Entity, ...], tuple[Article, ...]],
) -> None:
    """A hundred articles that repeat the seeds name the same people and places as the seeds.
    (Speed is measured by benchmarks/throughput.py and story_scale.py, not by a timed test.)"""
    entities, articles = seeds
    many = [a for _ in range(20) for a in articles]
    found, _ = canonicalise(many)
    assert sorted(e.name for e in found) == sorted(e.name for e in entities)
