"""Independent sources: an outlet, a near-duplicate family and a credited wire count once."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from factories import make_article
from newsfuse.config import Settings, load_settings
from newsfuse.corpus import ingest
from newsfuse.models import Article, Report
from newsfuse.pipeline import run
from newsfuse.stages.align.sources import OutletSighting, SourceIndex, canonical_outlets
from newsfuse.store import Store
from newsfuse.store.listing import StoryFilter, StorySource
from newsfuse.web.catalog import independent_sources, source_names, story_line

# Two papers run one agency's copy, each cut and reworded past near-duplicate reach; a third
# paper reports the story itself.  Written for this test.
GAZETTE = """\
Harbour Gazette

Port Merrow strike ends after pay deal

VALLEN (Reuters) - Dock workers in Vallen voted on Friday to accept a pay deal that ends a \
strike of eleven days at the country's second port, the dockworkers' union said.

The port authority offered a rise of 6 per cent over two years and agreed to settle the \
overtime arrears within six months, according to the agreement seen by Reuters.

Union leader Ines Varga told members at a meeting in the port's canteen that the deal was \
"the best we could win without losing the summer season".

Shipping agents said some 30 vessels were still waiting at anchor and that clearing the \
backlog would take about a week.

© 2026 Harbour Gazette
"""

COURIER = """\
Vallen Courier

Dockers back deal, ending strike

VALLEN (Reuters) - Vallen's dock workers on Friday backed a pay agreement, bringing an \
eleven-day strike at the second-largest port in the country to an end, their union said.

Under the agreement the port authority raises pay by 6 per cent over two years and pays the \
overtime arrears within six months, Reuters reported after seeing the document.

The harbour master's office said normal working would resume with Monday's early shift and \
that extra crews had been called in for the weekend.

© 2026 Vallen Courier
"""

OBSERVER = """\
The Coastal Observer

Vallen strike over as workers accept offer

By Marta Kell, Coastal Observer Staff

Dock workers in Vallen accepted a pay offer on Friday, ending their eleven-day strike, after a \
vote at a mass meeting that the union described as overwhelming.

The authority will raise pay by 6 per cent over two years, a union official told the Observer.

© 2026 The Coastal Observer
"""


def _report(folder: Path, pages: dict[str, str]) -> Report:
    folder.mkdir()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return run([str(folder)], load_settings())


@pytest.fixture(scope="module")
def credited(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return _report(
        tmp_path_factory.mktemp("wire") / "story",
        {"gazette.txt": GAZETTE, "courier.txt": COURIER, "observer.txt": OBSERVER},
    )


def test_copies_crediting_one_agency_are_one_source(credited: Report) -> None:
    articles = {Path(a.origin).name: a for a in credited.articles}
    gazette, courier = articles["gazette.txt"], articles["courier.txt"]
    assert (gazette.outlet, gazette.credit) == ("Harbour Gazette", "Reuters")
    assert (courier.outlet, courier.credit) == ("Vallen Courier", "Reuters")
    assert gazette.dup_group != courier.dup_group  # edited past near-duplicate reach
    sources = SourceIndex(credited.articles)
    assert sources.count([gazette.id, courier.id]) == 1
    assert sources.count(a.id for a in credited.articles) == 2
    uncredited = [dataclasses.replace(a, dateline="VALLEN") for a in credited.articles]
    assert SourceIndex(uncredited).count(a.id for a in uncredited) == 3


def test_a_fact_two_wire_copies_and_a_paper_carry_has_two_sources(
    credited: Report, tmp_path: Path
) -> None:
    deal = [f for f in credited.story.facts if "6 per cent" in f.text]
    assert deal and len(deal[0].outlets) == 3
    assert deal[0].independent_sources == 2 and deal[0].status == "corroborated"
    uncredited = _report(
        tmp_path / "story",
        {
            name: text.replace("VALLEN (Reuters) -", "VALLEN -")
            for name, text in (("gazette.txt", GAZETTE), ("courier.txt", COURIER))
        }
        | {"observer.txt": OBSERVER},
    )
    deal = [f for f in uncredited.story.facts if "6 per cent" in f.text]
    assert deal and deal[0].independent_sources == 3


def _article(article_id: str, outlet: str | None, dateline: str | None) -> Article:
    return make_article(
        "Dock workers in Vallen accepted a pay offer on Friday.",
        article_id=article_id,
        outlet=outlet,
        dateline=dateline,
        origin=f"{article_id}.txt",
    )


def test_a_dateline_bracketing_a_place_credits_no_one(tmp_path: Path) -> None:
    """ "VALLEN (Norway) -" names where, not whose: the two papers stay two sources."""
    report = _report(
        tmp_path / "story",
        {
            name: text.replace("VALLEN (Reuters) -", "VALLEN (Norway) -")
            for name, text in (("gazette.txt", GAZETTE), ("courier.txt", COURIER))
        }
        | {"observer.txt": OBSERVER},
    )
    articles = {Path(a.origin).name: a for a in report.articles}
    courier = articles["courier.txt"]
    assert (courier.outlet, courier.dateline, courier.credit) == (
        "Vallen Courier",
        "VALLEN (Norway)",
        None,
    )
    assert SourceIndex(report.articles).count(a.id for a in report.articles) == 3
    deal = [f for f in report.story.facts if "6 per cent" in f.text]
    assert deal and deal[0].independent_sources == 3


def test_a_stored_dateline_bracketing_a_place_or_a_state_credits_no_one() -> None:
    kabul = _article("c1", "Daily Post", "KABUL (Afghanistan)")
    lahore = _article("c2", "Denver Post", "LAHORE (Punjab)")
    doha = _article("c3", "Coastal Observer", "DOHA (Qatar)")
    assert [a.credit for a in (kabul, lahore, doha)] == [None, None, None]
    assert SourceIndex([kabul, lahore, doha]).count(["c1", "c2", "c3"]) == 3
    assert _article("c4", "Vallen Courier", "KABUL (Reuters)").credit == "Reuters"


def test_a_credit_names_the_agency_of_the_story_by_its_initials() -> None:
    agency = _article("a1", "Calderra Press Agency", "PORT MERROW (CPA)")
    paper = _article("a2", "Eastshore Daily", "Port Merrow (CPA)")
    other = _article("a3", "Merrow Herald", "PORT MERROW")
    sources = SourceIndex([agency, paper, other])
    assert sources.count(["a1", "a2"]) == 1
    assert sources.count(["a1", "a2", "a3"]) == 2
    # a claim the Herald relays from the agency by name is the agency's report; initials name an
    # outlet only in a dateline ("the PM said" must not meet some outlet's initials)
    assert sources.count_claims([("a1", None), ("a3", "Calderra Press Agency")]) == 1
    assert sources.count_claims([("a1", None), ("a3", "CPA")]) == 2
    assert sources.count_claims([("a1", None), ("a3", "a union official")]) == 2


def test_initials_two_outlets_share_name_neither() -> None:
    post = _article("b1", "Daily Post", None)
    denver = _article("b2", "Denver Post", None)
    credited = _article("b3", "Coastal Observer", "VALLEN (DP)")
    sources = SourceIndex([post, denver, credited])
    assert sources.count(["b1", "b2", "b3"]) == 3
    # the same credit still joins the copies that give it
    again = _article("b4", "Vallen Courier", "VALLEN (DP)")
    assert SourceIndex([post, denver, credited, again]).count(["b1", "b2", "b3", "b4"]) == 3


def test_an_outlets_own_dateline_credits_no_other_source(seeds_dir: Path) -> None:
    report = run([str(seeds_dir / "000_78e875c4f491ef1c.txt")], load_settings())
    (tdi,) = report.articles
    assert (tdi.outlet, tdi.credit) == ("TDI", "TDI")


def test_a_stored_story_is_counted_by_the_same_rule(credited: Report) -> None:
    """The story list counts stored articles as the report counts them, credits included."""
    stored = tuple(
        StorySource(a.id, a.outlet, a.origin, a.dup_group, a.dateline) for a in credited.articles
    )
    assert independent_sources(stored) == 2
    before = tuple(dataclasses.replace(s, dateline=None) for s in stored)
    assert independent_sources(before) == 3


def _html(site: str, title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><meta property="og:site_name" content="{site}"><title>{title}</title>'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def test_an_html_page_credits_the_wire_its_dateline_names(tmp_path: Path) -> None:
    paragraphs = GAZETTE.split("\n\n")[2:-1]
    report = _report(
        tmp_path / "story",
        {
            "gazette.html": _html("Harbour Gazette", "Port Merrow strike ends", paragraphs),
            "courier.txt": COURIER,
            "observer.txt": OBSERVER,
        },
    )
    gazette = next(a for a in report.articles if a.origin.endswith("gazette.html"))
    assert (gazette.outlet, gazette.dateline, gazette.credit) == (
        "Harbour Gazette",
        "VALLEN (Reuters)",
        "Reuters",
    )
    assert SourceIndex(report.articles).count(a.id for a in report.articles) == 2


def test_the_report_says_which_outlets_count_as_one_source(credited: Report) -> None:
    assert (
        "Counted as one independent source: Harbour Gazette, Vallen Courier "
        "(datelines crediting Reuters)."
    ) in credited.story.notes
    assert not any("The Coastal Observer" in note for note in credited.story.notes)


def test_a_wire_copy_and_its_rerun_are_named_as_one_source(examples_dir: Path) -> None:
    report = run([str(examples_dir)], load_settings())
    shared = [n for n in report.story.notes if n.startswith("Counted as one independent source")]
    assert shared == [
        "Counted as one independent source: Calderra Press Agency, Eastshore Daily "
        "(near-duplicate copies of one text; datelines crediting CPA)."
    ]


def _body(page: str) -> str:
    """A page's report without its masthead, headline and copyright line: no name of its outlet."""
    return "\n\n".join(page.strip().split("\n\n")[2:-1])


def _gazette_pages() -> list[dict[str, str]]:
    """The Gazette's story at www., and the courier's text as an unnamed page of the Gazette's
    mobile site; neither credits the wire."""
    return [
        {
            "text": GAZETTE.replace("VALLEN (Reuters) -", "VALLEN -"),
            "url": "https://www.harbourgazette.com/2026/03/strike-ends",
        },
        {
            "text": _body(COURIER).replace("VALLEN (Reuters) -", "VALLEN -"),
            "url": "https://m.harbourgazette.com/dockers-back-deal",
        },
    ]


def _jsonl(folder: Path, rows: list[dict[str, str]]) -> Path:
    path = folder / "story.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_one_outlets_pages_under_two_host_names_are_one_source(tmp_path: Path) -> None:
    """The Gazette's story on www. and the courier's text on the Gazette's mobile site, unnamed:
    one outlet, so the pay deal the three pages carry has two independent sources, not three."""
    observer = {"text": OBSERVER, "url": "https://coastalobserver.co.uk/vallen-strike"}
    story = _jsonl(tmp_path, [*_gazette_pages(), observer])
    report = run([str(story)], load_settings())
    assert sorted(a.outlet or "" for a in report.articles) == [
        "Harbour Gazette",
        "Harbour Gazette",
        "The Coastal Observer",
    ]
    assert SourceIndex(report.articles).count(a.id for a in report.articles) == 2
    deal = [f for f in report.story.facts if "6 per cent" in f.text]
    assert deal and deal[0].independent_sources == 2
    assert set(deal[0].outlets) == {"Harbour Gazette", "The Coastal Observer"}


def test_an_outlets_name_however_written_is_one_outlet() -> None:
    names = canonical_outlets(
        [
            OutletSighting("o1", "The Coastal Observer", None),
            OutletSighting("o2", "Coastal Observer", None),
            OutletSighting("o3", "COASTAL OBSERVER", "https://coastalobserver.co.uk/a"),
            OutletSighting("o4", None, "https://www.coastalobserver.co.uk/b"),
            OutletSighting("o5", "coastalobserver.co.uk", None),  # a page's linked site
            OutletSighting("o6", "Vallen Courier", None),
            OutletSighting("o7", None, None),
        ]
    )
    assert {names[f"o{i}"] for i in range(1, 6)} == {"The Coastal Observer"}
    assert (names["o6"], names["o7"]) == ("Vallen Courier", None)
    articles = [
        _article(article_id, name, None) for article_id, name in names.items() if name is not None
    ]
    assert SourceIndex(articles).count(a.id for a in articles) == 2


def test_the_outlet_shows_its_most_used_name_whatever_the_order() -> None:
    sightings = [
        OutletSighting("n1", "COASTAL OBSERVER", None),
        OutletSighting("n2", "The Coastal Observer", None),
        OutletSighting("n3", "The Coastal Observer", "https://coastalobserver.co.uk/a"),
        OutletSighting("n4", "—", "https://www.coastalobserver.co.uk/b"),  # no name in it
        OutletSighting("n5", None, "https://epaper.coastalobserver.co.uk/c"),
    ]
    names = canonical_outlets(sightings)
    assert set(names.values()) == {"The Coastal Observer"}
    assert canonical_outlets(reversed(sightings)) == names


def test_one_name_on_an_aggregators_domain_does_not_claim_its_other_pages() -> None:
    names = canonical_outlets(
        [
            OutletSighting("y1", "Reuters", "https://news.aggregator.com/a"),
            OutletSighting("y2", None, "https://news.aggregator.com/b"),
            OutletSighting("y3", "nayakashmir.com", "https://news.aggregator.com/c"),
            OutletSighting("y4", "Coastal Observer", "https://news.aggregator.com/d"),
        ]
    )
    # a page naming a site by its domain is that site's, wherever it is hosted
    assert names == {
        "y1": "Reuters",
        "y2": "aggregator.com",
        "y3": "nayakashmir.com",
        "y4": "Coastal Observer",
    }
    alone = canonical_outlets(
        [
            OutletSighting("z1", "Reuters", "https://news.aggregator.com/a"),
            OutletSighting("z2", None, "https://news.aggregator.com/b"),
            OutletSighting("z3", "Financial Times", "https://www.ft.com/x"),
            OutletSighting("z4", None, "https://ft.com/y"),
        ]
    )
    assert alone == {
        "z1": "Reuters",
        "z2": "aggregator.com",
        "z3": "Financial Times",
        "z4": "Financial Times",
    }


def test_a_domain_carrying_several_names_joins_none_of_them() -> None:
    """An aggregator's links (one domain, each page naming its outlet) stay separate outlets."""
    names = canonical_outlets(
        [
            OutletSighting("g1", "Harbour Gazette", "https://news.aggregator.com/a"),
            OutletSighting("g2", "Vallen Courier", "https://news.aggregator.com/b"),
            OutletSighting("g3", None, "https://news.aggregator.com/c"),
            OutletSighting("g4", "Harbour Gazette", "https://www.harbourgazette.com/x"),
        ]
    )
    assert names == {
        "g1": "Harbour Gazette",
        "g2": "Vallen Courier",
        "g3": "aggregator.com",
        "g4": "Harbour Gazette",
    }


def test_an_unnamed_page_is_named_by_its_domain() -> None:
    page = dataclasses.replace(
        _article("u1", None, None), url="https://epaper.harbourgazette.com/2026/strike"
    )
    assert page.source_name == "harbourgazette.com"
    assert _article("u2", None, None).source_name == "unknown outlet (u2.txt)"


def test_a_stored_story_unifies_outlets_by_the_same_rule() -> None:
    stored = (
        StorySource("s1", "Harbour Gazette", "a.jsonl", None, None, "https://harbourgazette.com/a"),
        StorySource("s2", None, "b.jsonl", None, None, "https://m.harbourgazette.com/b"),
        StorySource("s3", "The Coastal Observer", "c.txt", None, None, None),
        StorySource("s4", "Coastal Observer", "d.txt", None, None, None),
    )
    assert independent_sources(stored) == 2
    # a credit naming the outlet joins its copy to it, as in a report
    credited = (
        *stored,
        StorySource("s5", "Vallen Courier", "e.txt", None, "VALLEN (Harbour Gazette)"),
    )
    assert independent_sources(credited) == 2
    assert source_names(stored) == {
        "s1": "Harbour Gazette",
        "s2": "Harbour Gazette",
        "s3": "The Coastal Observer",
        "s4": "The Coastal Observer",
    }


def test_the_story_list_finds_an_unnamed_page_by_its_domain(tmp_path: Path) -> None:
    """The list names an unnamed page by its address's domain, and its outlet filter finds it so."""
    story = _jsonl(tmp_path, _gazette_pages())
    with Store.open(tmp_path / "corpus.db") as store:
        ingest([str(story)], store, Settings())
        (found,) = store.story_page(StoryFilter(outlet="harbourgazette.com")).stories
        assert {s.outlet for s in found.sources} == {"Harbour Gazette", None}
        assert story_line(found).outlets == ("Harbour Gazette",)
        assert story_line(found).independent_sources == 1
        assert not store.story_page(StoryFilter(outlet="coastalobserver")).stories
