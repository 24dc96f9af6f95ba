"""Corroboration on the seeds and the example: facts with independent sources, conflicts, quote
variants, framing, coverage gaps and the story's phases."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsfuse.config import load_settings
from newsfuse.models import Fact, Report
from newsfuse.pipeline import run
from newsfuse.stages.align.corroborate import looks_english
from newsfuse.stages.align.drift import label_variant
from newsfuse.stages.align.sources import SourceIndex


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> Report:
    return run([str(seeds_dir)], load_settings())


@pytest.fixture(scope="module")
def example(examples_dir: Path) -> Report:
    return run([str(examples_dir)], load_settings())


def _claim_texts(report: Report, fact: Fact) -> list[str]:
    articles = {a.id: a for a in report.articles}
    return [articles[span.article_id].slice(span) for span in fact.claims]


def _fact_with(report: Report, words: str) -> Fact:
    (fact,) = [f for f in report.story.facts if any(words in t for t in _claim_texts(report, f))]
    return fact


def test_facts_corroborated_by_other_outlets(seeds: Report) -> None:
    """Restatements of one fact by different outlets are one fact with their sources counted."""
    conflict = _fact_with(seeds, "Asif also accused the Taliban of pushing Afghanistan")
    assert conflict.independent_sources >= 2 and conflict.status == "corroborated"
    assert any("blindly pushing Afghanistan" in t for t in _claim_texts(seeds, conflict))
    breakthrough = _fact_with(seeds, "four-day diplomatic round in the Turkish city")
    assert any("had ended without a breakthrough" in t for t in _claim_texts(seeds, breakthrough))
    assert breakthrough.independent_sources >= 2
    articles = {a.id: a for a in seeds.articles}
    for fact in seeds.story.facts:
        # outlets and near-duplicate families count once: never more sources than articles
        assert 1 <= fact.independent_sources <= len({s.article_id for s in fact.claims})
        for span in fact.claims:
            assert articles[span.article_id].slice(span)


def test_unrelated_claims_of_one_story_are_not_one_fact(seeds: Report) -> None:
    """Sentences that merely share the story's words are no corroboration.

    Before the support gate and average linkage, a chain of weak links made one "five-outlet fact"
    of Tarar thanking Qatar, the talks being extended, a blame-game quote and the breakdown.
    """
    thanks = _fact_with(seeds, "Tarar acknowledged the support of Qatar")
    texts = _claim_texts(seeds, thanks)
    assert not any("agreed to extend peace talks" in t for t in texts), texts
    assert not any("blame game" in t for t in texts), texts


def test_single_source_facts_are_flagged(seeds: Report) -> None:
    single = [f for f in seeds.story.facts if f.independent_sources == 1]
    assert single
    assert all(f.status == "single_source" for f in single)


@pytest.mark.xfail(
    strict=True,
    reason="known false link of the lexical decision: the reporter's gloss 'Asif's reference to "
    "Tora Bora alluded to the US bombardment of Taliban and Al-Qaeda fighters…' and 'referring to "
    "the Afghan Taliban's failure to rein in anti-Pakistan militants' score above the link "
    "threshold (see benchmarks/results/facts.md for the decision's precision)",
)
def test_a_reporters_gloss_only_one_outlet_gives_is_single_source(seeds: Report) -> None:
    tora_bora = [f for f in seeds.story.facts if "White Mountains" in f.text]
    assert tora_bora and tora_bora[0].status == "single_source"  # only one seed explains it


def test_quote_variants_across_outlets(seeds: Report, example: Report) -> None:
    demand = [g for g in seeds.story.quote_groups if "verifiable" in g.reference]
    assert demand
    wordings = {v.text for v in demand[0].variants}
    assert "clear, verifiable, and effective action" in wordings
    assert "clear, verifiable and effective action" in wordings
    assert any(v.label == "minor variation" for v in demand[0].variants)
    varga = [g for g in example.story.quote_groups if "back to the docks" in g.reference]
    assert varga and varga[0].label == "substantive change"
    assert varga[0].speaker == "Ines Varga"
    changed = [v for v in varga[0].variants if v.label == "substantive change"]
    assert changed and any(d.op == "replace" for d in changed[0].diff)


def test_phases_breakdown_then_extension(seeds: Report, example: Report) -> None:
    assert [p.label for p in seeds.story.phases] == ["breakdown", "continuation"]
    assert [p.label for p in example.story.phases] == ["breakdown", "continuation"]
    assert example.story.phases[0].first_published is not None
    assert example.story.phases[0].first_published <= (
        example.story.phases[1].first_published or ""
    )


def test_conflicting_figures_are_disputed(example: Report) -> None:
    ships = [c for c in example.story.conflicts if c.kind == "number" and c.subject == "ship"]
    assert ships, [(c.kind, c.subject) for c in example.story.conflicts]
    values = {side.value for c in ships for side in c.sides}
    assert {"38", "41"} <= values
    disputed = {f.id for f in example.story.facts if f.status == "disputed"}
    assert {c.fact_id for c in ships} <= disputed


def test_figures_of_different_things_are_no_conflict(example: Report) -> None:
    """1.9 million containers a year, 14 million crowns owed and 22 million crowns a day lost are
    three different quantities, and an outlet that gives the union's 9 per cent and the
    authority's 4.5 per cent (or the 4.5 offered and the 6 it had been prepared to offer) is
    contrasting them: the story's only figure dispute is the 38 vs 41 ships."""
    numbers = [c for c in example.story.conflicts if c.kind == "number"]
    assert {side.value for c in numbers for side in c.sides} == {"38", "41"}, [
        (c.subject, [s.value for s in c.sides]) for c in numbers
    ]


def test_framing_and_coverage(example: Report) -> None:
    loaded = {(t.outlet, t.term) for t in example.story.framing if t.kind == "loaded"}
    assert ("The National Ledger", "crippling") in loaded
    assert all(t.citations for t in example.story.framing)
    assert example.story.coverage_gaps
    fact_ids = {f.id for f in example.story.facts}
    for gap in example.story.coverage_gaps:
        assert set(gap.missing_fact_ids) <= fact_ids


def test_one_article_says_there_is_nothing_to_corroborate(examples_dir: Path) -> None:
    report = run([str(examples_dir / "01_merrow-herald.txt")], load_settings())
    assert any("nothing to corroborate" in note for note in report.story.notes)
    assert report.story.brief
    assert all(f.status == "single_source" for f in report.story.facts)


def test_articles_in_another_language_are_not_aligned(tmp_path: Path, examples_dir: Path) -> None:
    (tmp_path / "en.txt").write_bytes((examples_dir / "01_merrow-herald.txt").read_bytes())
    (tmp_path / "es.txt").write_text(
        "PUERTO MERROW: Las conversaciones entre el sindicato de estibadores y la autoridad "
        "portuaria fracasaron el miércoles por la tarde, y decenas de buques quedaron varados "
        "frente a la ciudad mientras la huelga de los trabajadores portuarios entraba en su "
        "tercer día. Los negociadores de ambas partes abandonaron la sede de la autoridad poco "
        "después de las tres de la tarde, menos de dos horas después de que comenzara la sesión.",
        encoding="utf-8",
    )
    report = run([str(tmp_path)], load_settings())
    assert any("not in English" in note and "es.txt" in note for note in report.story.notes)
    assert not looks_english((tmp_path / "es.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("reference", "variant", "label"),
    [
        ("We will strike.", "we will strike", "exact"),
        ("clear, verifiable and effective", "clear, verifiable, and effective", "minor variation"),
        ("We will not go back", "We won't go back", "minor variation"),
        ("We will not go back to the docks", "We won't return to the docks", "substantive change"),
        ("It will gouge out its eyes, he said", "gouge out its eyes", "exact"),
    ],
)
def test_drift_labels(reference: str, variant: str, label: str) -> None:
    assert label_variant(reference, variant)[0] == label


def test_drift_diff_shows_the_words_as_printed() -> None:
    # The seeds' two wordings of Pakistan's demand (000 and 001): compared case-folded, shown as
    # printed, punctuation closed up to its word.
    _, diff = label_variant(
        "“The talks will be based on Pakistan’s demand that Kabul take clear, verifiable and "
        "effective action (now).”",
        "“Pakistan’s demand that Kabul take clear, verifiable, and effective action (now)”",
    )
    assert [(d.op, d.reference, d.variant) for d in diff] == [
        (
            "equal",
            "Pakistan’s demand that Kabul take clear, verifiable",
            "Pakistan’s demand that Kabul take clear, verifiable",
        ),
        ("insert", "", ","),
        ("equal", "and effective action (now)", "and effective action (now)"),
    ]  # fmt: skip  (the words outside the excerpt, the reference's full stop too, are left out)


def test_drift_diff_keeps_figures_abbreviations_and_hyphens_whole() -> None:
    label, diff = label_variant(
        "U.S. officials said 1,200 well-placed jobs at the Dockworkers' Union cost $4.5 billion",
        "U.S. officials said 1,300 well-placed jobs at the Dockworkers' Union cost $4.5 billion",
    )
    assert label == "substantive change"
    assert [(d.op, d.reference, d.variant) for d in diff] == [
        ("equal", "U.S. officials said", "U.S. officials said"),
        ("replace", "1,200", "1,300"),
        ("equal", "well-placed jobs at the Dockworkers' Union cost $4.5 billion",
         "well-placed jobs at the Dockworkers' Union cost $4.5 billion"),
    ]  # fmt: skip


def test_a_wire_copy_and_its_rerun_are_one_source(example: Report) -> None:
    by_name = {Path(a.origin).name: a for a in example.articles}
    wire, rerun = by_name["02_calderra-press-agency.txt"], by_name["04_eastshore-daily.txt"]
    assert wire.dup_group == rerun.dup_group
    assert len({a.dup_group for a in example.articles}) == len(example.articles) - 1
    both = [
        f for f in example.story.facts if {wire.id, rerun.id} <= {s.article_id for s in f.claims}
    ]
    assert both
    for fact in both:  # every other article is its own outlet and family: the pair counts once
        assert fact.independent_sources == len({s.article_id for s in fact.claims}) - 1


def test_the_seeds_named_cases_are_corroborated(seeds: Report) -> None:
    """Facts several outlets plainly report count their outlets (they were single-source facts when
    every claim was a whole sentence and a fact took one claim per article)."""
    tora_bora = _fact_with(seeds, "the repeat of the scenes of their rout at Tora Bora")
    assert tora_bora.independent_sources == 2, _claim_texts(seeds, tora_bora)
    kabul = _fact_with(seeds, "backpedalled after receiving fresh instructions from Kabul")
    assert kabul.independent_sources >= 2, _claim_texts(seeds, kabul)
    assert any("changed its stance after consulting Kabul" in t for t in _claim_texts(seeds, kabul))
    evidence = _fact_with(seeds, "“ample and irrefutable” evidence")
    wordings = " ".join(_claim_texts(seeds, evidence))
    assert "sufficient and irrefutable evidence" in wordings
    assert "solid and verifiable evidence" in wordings
    assert evidence.independent_sources >= 3


def test_extending_the_talks_is_not_corroborated_by_the_airstrike_threat(seeds: Report) -> None:
    extend = _fact_with(seeds, "Islamabad has agreed to extend peace talks with the Afghan Taliban")
    assert extend.independent_sources >= 2
    assert not any("airstrikes" in t for t in _claim_texts(seeds, extend))


def test_one_statement_quoted_in_three_wordings_is_a_quote_variant_group(seeds: Report) -> None:
    """Tarar's evidence, quoted as "sufficient and irrefutable", "solid and verifiable" and "ample
    and irrefutable" by three outlets: no string similarity joins them, the fact they share does."""
    (group,) = [
        g
        for g in seeds.story.quote_groups
        if any("ample and irrefutable" in v.text for v in g.variants)
    ]
    texts = {v.text for v in group.variants}
    assert {"sufficient and irrefutable evidence", "solid and verifiable evidence"} <= texts
    assert len({v.outlet for v in group.variants}) == 3
    assert group.speaker == "Attaullah Tarar" and group.label == "substantive change"


def test_coverage_gaps_show_the_outlets_nearest_passage(seeds: Report) -> None:
    """A reader sees, for a fact an outlet is said to leave out, what the outlet says closest to it."""
    facts = {f.id: f for f in seeds.story.facts}
    articles = {a.id: a for a in seeds.articles}
    assert any(gap.nearest for gap in seeds.story.coverage_gaps)
    for gap in seeds.story.coverage_gaps:
        assert set(gap.missing_fact_ids) >= {n.fact_id for n in gap.nearest}
        for fact_id in gap.missing_fact_ids:
            assert facts[fact_id].independent_sources >= 2
            assert gap.outlet not in facts[fact_id].outlets
        for near in gap.nearest:
            # at or above the same-statement threshold, the outlet reports it: no gap
            assert 0.0 < near.score < load_settings().align.threshold
            assert articles[near.passage.article_id].source_name == gap.outlet


def test_brief_marks_come_from_the_facts(seeds: Report, example: Report) -> None:
    """A brief sentence is single-source exactly when no fact it states has two or more sources."""
    for report in (seeds, example):
        for sentence in report.story.brief:
            cited = set(sentence.citations)
            facts = [f for f in report.story.facts if cited & set(f.claims)]
            if facts:
                assert sentence.single_source == all(f.independent_sources < 2 for f in facts)


def test_a_claim_relayed_from_another_outlet_of_the_story_counts_for_that_outlet(
    seeds: Report,
) -> None:
    """TDI writes that the delegation would stay in Istanbul, "Geo News reported": were Geo News's
    own report in the story, the two would be one source.  Geo News is not among the seeds, so
    TDI's claim still counts for TDI; given a seed report as Geo News's, it counts for Geo News."""
    articles = {a.outlet or a.origin: a for a in seeds.articles}
    tdi = articles["TDI"]
    (relayed,) = [c for c in tdi.claims if c.quote is not None and c.quote.speaker == "Geo News"]
    assert "extend its stay in Istanbul" in relayed.text
    other = next(a for a in seeds.articles if a.outlet is None)
    as_seeds = SourceIndex(seeds.articles)
    assert as_seeds.count_claims([(tdi.id, "Geo News"), (other.id, None)]) == 2
    with_geo = SourceIndex(
        [dataclasses.replace(other, outlet="Geo News") if a is other else a for a in seeds.articles]
    )
    assert with_geo.count_claims([(tdi.id, "Geo News"), (other.id, None)]) == 1
    assert with_geo.count_claims([(tdi.id, "the Geo News,"), (other.id, None)]) == 1
    assert with_geo.count_claims([(tdi.id, None), (other.id, None)]) == 2
    assert with_geo.count_claims([(tdi.id, "a security official"), (other.id, None)]) == 2
