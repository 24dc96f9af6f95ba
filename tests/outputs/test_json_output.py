"""The JSON report: valid against its schema, byte-stable, and every offset slices its article."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest

from newsfuse.errors import OutputError
from newsfuse.models import (
    REPORT_SCHEMA_VERSION,
    ConflictKind,
    DiffOp,
    DriftLabel,
    FactStatus,
    Report,
    Span,
)
from newsfuse.outputs.json import load_report_schema, render_json, report_to_dict


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return load_report_schema()


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_output_validates_against_schema(report: Report, schema: dict[str, Any]) -> None:
    doc = json.loads(render_json(report))
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["schema_version"] == REPORT_SCHEMA_VERSION


def _break_missing_key(doc: dict[str, Any]) -> None:
    del doc["articles"][0]["extractor"]


def _break_extra_key(doc: dict[str, Any]) -> None:
    doc["story"]["brief"][0]["confidence"] = 0.9


def _break_quote_kind(doc: dict[str, Any]) -> None:
    doc["articles"][0]["quotes"][0]["kind"] = "paraphrase"


def _break_negative_offset(doc: dict[str, Any]) -> None:
    doc["story"]["brief"][0]["citations"][0]["start"] = -1


def _break_type(doc: dict[str, Any]) -> None:
    doc["story"]["brief"][0]["single_source"] = "no"


def _break_version(doc: dict[str, Any]) -> None:
    doc["schema_version"] = "2.0"


def _break_line_no(doc: dict[str, Any]) -> None:
    doc["articles"][0]["removed"][0]["line_no"] = 0


def _break_timeline_missing_anchored(doc: dict[str, Any]) -> None:
    del doc["story"]["timeline"][0]["anchored"]


def _break_timeline_anchored_type(doc: dict[str, Any]) -> None:
    doc["story"]["timeline"][0]["anchored"] = "no"


def _break_timeline_granularity(doc: dict[str, Any]) -> None:
    doc["story"]["timeline"][0]["granularity"] = "fortnight"


def _break_timeline_extra_key(doc: dict[str, Any]) -> None:
    doc["story"]["timeline"][0]["confidence"] = 0.5


def _break_timeline_citation_without_quote(doc: dict[str, Any]) -> None:
    del doc["story"]["timeline"][0]["citations"][0]["quote"]


def _break_timeline_empty_when(doc: dict[str, Any]) -> None:
    doc["story"]["timeline"][0]["when"] = ""


def _break_entity_alias_type(doc: dict[str, Any]) -> None:
    doc["story"]["entities"][0]["aliases"] = "Kestrel"


def _break_entity_mention_without_article(doc: dict[str, Any]) -> None:
    del doc["story"]["entities"][0]["mentions"][0]["article_id"]


def _break_entity_extra_key(doc: dict[str, Any]) -> None:
    doc["story"]["entities"][0]["salience"] = 1


def _break_fact_status(doc: dict[str, Any]) -> None:
    doc["story"]["facts"][0]["status"] = "confirmed"


def _break_fact_sources_type(doc: dict[str, Any]) -> None:
    doc["story"]["facts"][0]["independent_sources"] = "2"


def _break_fact_missing_when(doc: dict[str, Any]) -> None:
    del doc["story"]["facts"][0]["when"]


def _break_fact_claim_without_quote(doc: dict[str, Any]) -> None:
    del doc["story"]["facts"][0]["claims"][0]["quote"]


def _break_conflict_kind(doc: dict[str, Any]) -> None:
    doc["story"]["conflicts"][0]["kind"] = "place"


def _break_conflict_side_extra_key(doc: dict[str, Any]) -> None:
    doc["story"]["conflicts"][0]["sides"][0]["weight"] = 1


def _break_group_label(doc: dict[str, Any]) -> None:
    doc["story"]["quote_groups"][0]["label"] = "paraphrase"


def _break_variant_label(doc: dict[str, Any]) -> None:
    doc["story"]["quote_groups"][0]["variants"][1]["label"] = "minor"


def _break_diff_op(doc: dict[str, Any]) -> None:
    doc["story"]["quote_groups"][0]["variants"][1]["diff"][1]["op"] = "add"


def _break_variant_without_article(doc: dict[str, Any]) -> None:
    del doc["story"]["quote_groups"][0]["variants"][0]["article_id"]


def _break_framing_kind(doc: dict[str, Any]) -> None:
    doc["story"]["framing"][0]["kind"] = "biased"


def _break_framing_empty_choice(doc: dict[str, Any]) -> None:
    doc["story"]["framing"][0]["kind"] = "choice:"


def _break_gap_ids_type(doc: dict[str, Any]) -> None:
    doc["story"]["coverage_gaps"][0]["missing_fact_ids"] = "fct_1"


def _break_phase_missing_first_published(doc: dict[str, Any]) -> None:
    del doc["story"]["phases"][1]["first_published"]


def _break_note_type(doc: dict[str, Any]) -> None:
    doc["story"]["notes"] = [{"text": "a note"}]


@pytest.mark.parametrize(
    "breaker",
    [
        _break_fact_status,
        _break_fact_sources_type,
        _break_fact_missing_when,
        _break_fact_claim_without_quote,
        _break_conflict_kind,
        _break_conflict_side_extra_key,
        _break_group_label,
        _break_variant_label,
        _break_diff_op,
        _break_variant_without_article,
        _break_framing_kind,
        _break_framing_empty_choice,
        _break_gap_ids_type,
        _break_phase_missing_first_published,
        _break_note_type,
        _break_missing_key,
        _break_extra_key,
        _break_quote_kind,
        _break_negative_offset,
        _break_type,
        _break_version,
        _break_line_no,
        _break_timeline_missing_anchored,
        _break_timeline_anchored_type,
        _break_timeline_granularity,
        _break_timeline_extra_key,
        _break_timeline_citation_without_quote,
        _break_timeline_empty_when,
        _break_entity_alias_type,
        _break_entity_mention_without_article,
        _break_entity_extra_key,
    ],
)
def test_broken_documents_fail_validation(
    report: Report, schema: dict[str, Any], breaker: Any
) -> None:
    doc = report_to_dict(report)
    broken = copy.deepcopy(doc)
    breaker(broken)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid(doc)
    assert not validator.is_valid(broken)


def test_same_report_gives_identical_bytes(make_report: Callable[[], Report]) -> None:
    first = render_json(make_report()).encode("utf-8")
    second = render_json(make_report()).encode("utf-8")
    assert first == second


def test_text_is_unescaped_utf8_with_one_trailing_newline(report: Report) -> None:
    text = render_json(report)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "\u201cNobody was" in text  # curly quotes kept as characters, not \u escapes
    assert "\\u201c" not in text


def test_key_order_follows_the_layout(report: Report) -> None:
    doc = report_to_dict(report)
    assert list(doc) == ["schema_version", "settings_hash", "story", "articles", "rejections"]
    assert list(doc["story"]) == [
        "id",
        "title",
        "article_ids",
        "brief",
        "entities",
        "timeline",
        "facts",
        "conflicts",
        "quote_groups",
        "framing",
        "coverage_gaps",
        "phases",
        "notes",
    ]
    assert list(doc["story"]["entities"][0]) == ["id", "name", "label", "aliases", "mentions"]
    assert list(doc["story"]["timeline"][0]) == [
        "when",
        "granularity",
        "anchored",
        "text",
        "citations",
        "outlets",
    ]
    assert list(doc["articles"][0])[:3] == ["id", "raw_id", "origin"]
    assert list(doc["articles"][0])[-1] == "dup_group"


def test_every_citation_carries_its_passage(report: Report) -> None:
    doc = report_to_dict(report)
    texts = {article["id"]: article["text"] for article in doc["articles"]}
    citations = [c for sentence in doc["story"]["brief"] for c in sentence["citations"]]
    assert len(citations) == 10
    for citation in citations:
        assert (
            citation["quote"] == texts[citation["article_id"]][citation["start"] : citation["end"]]
        )


def test_every_offset_in_the_document_slices_its_article(report: Report) -> None:
    doc = report_to_dict(report)
    for article in doc["articles"]:
        text = article["text"]
        for record in [*article["mentions"], *article["quotes"], *article["claims"]]:
            assert text[record["start"] : record["end"]] == record["text"]
        for claim in article["claims"]:
            for mention in claim["mentions"]:
                assert text[mention["start"] : mention["end"]] == mention["text"]
        speaker = article["quotes"][0]["speaker_span"] if article["quotes"] else None
        if speaker is not None:
            assert text[speaker["start"] : speaker["end"]] in article["quotes"][0]["speaker"]


def test_absent_values_are_null_not_missing(report: Report) -> None:
    lakeside = report_to_dict(report)["articles"][2]
    assert lakeside["url"] is None and lakeside["title"] is None and lakeside["byline"] is None
    assert lakeside["removed"] == [] and lakeside["claims"] == []
    assert lakeside["quotes"][2]["speaker"] is None and lakeside["quotes"][2]["cue"] is None


def test_rejections_are_listed(report: Report) -> None:
    assert report_to_dict(report)["rejections"][0] == {
        "item": "inbox/empty.txt",
        "stage": "ingest",
        "reason": "the file is empty",
    }


def test_other_schema_version_is_refused(report: Report) -> None:
    with pytest.raises(OutputError, match="schema_version '0.9'"):
        render_json(dataclasses.replace(report, schema_version="0.9"))


def _with_first_citation(report: Report, span: Span) -> Report:
    brief = report.story.brief
    sentence = dataclasses.replace(brief[0], citations=(span, *brief[0].citations[1:]))
    story = dataclasses.replace(report.story, brief=(sentence, *brief[1:]))
    return dataclasses.replace(report, story=story)


def test_citation_of_an_unknown_article_is_an_error(report: Report) -> None:
    broken = _with_first_citation(report, Span("a-missing", 0, 4))
    with pytest.raises(OutputError, match="a-missing"):
        render_json(broken)


def test_citation_past_the_end_of_the_text_is_an_error(report: Report) -> None:
    article = report.articles[2]
    broken = _with_first_citation(report, Span(article.id, 0, len(article.text) + 1))
    with pytest.raises(OutputError, match="past the end"):
        render_json(broken)


def test_span_filed_under_the_wrong_article_is_an_error(report: Report) -> None:
    courier, npa, lakeside = report.articles
    stray = dataclasses.replace(npa.mentions[0], span=courier.mentions[0].span)
    npa = dataclasses.replace(npa, mentions=(stray, *npa.mentions[1:]))
    with pytest.raises(OutputError, match="filed under"):
        render_json(dataclasses.replace(report, articles=(courier, npa, lakeside)))


def test_a_1_0_document_without_entities_or_timeline_still_validates(
    report: Report, schema: dict[str, Any]
) -> None:
    """The 1.1 keys are additive: every 1.0 document stays valid (docs/report-schema.md)."""
    doc = report_to_dict(report)
    del doc["story"]["entities"], doc["story"]["timeline"]
    doc["schema_version"] = "1.0"
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_entities_are_written_in_story_order_with_aliases_and_spans(report: Report) -> None:
    entities = report_to_dict(report)["story"]["entities"]
    assert [e["name"] for e in entities] == [e.name for e in report.story.entities]
    reyl = next(e for e in entities if e["name"] == "Tomas Reyl")
    assert reyl["label"] == "PERSON"
    assert reyl["aliases"] == ["Reyl", "coastguard spokesperson Tomas Reyl"]
    texts = {article.id: article.text for article in report.articles}
    assert len({m["article_id"] for m in reyl["mentions"]}) == 3
    for mention in reyl["mentions"]:
        assert list(mention) == ["article_id", "start", "end"]
        assert texts[mention["article_id"]][mention["start"] : mention["end"]] in {
            reyl["name"],
            *reyl["aliases"],
        }


def test_timeline_is_written_in_story_order_and_citations_carry_passages(
    report: Report,
) -> None:
    timeline = report_to_dict(report)["story"]["timeline"]
    assert [t["when"] for t in timeline] == [e.when for e in report.story.timeline]
    unanchored = timeline[0]
    assert unanchored["when"] == "XXXX-WXX-6" and unanchored["anchored"] is False
    assert unanchored["granularity"] == "day"
    texts = {article.id: article.text for article in report.articles}
    for entry in timeline:
        for citation in entry["citations"]:
            assert (
                citation["quote"]
                == texts[citation["article_id"]][citation["start"] : citation["end"]]
            )
    assert timeline[3]["outlets"] == ["Northlake Press Agency", "Vessa Courier"]


def _with_story(report: Report, **changes: Any) -> Report:
    return dataclasses.replace(report, story=dataclasses.replace(report.story, **changes))


def test_entity_mention_of_an_unknown_article_is_an_error(report: Report) -> None:
    first, *rest = report.story.entities
    stray = dataclasses.replace(first, mentions=(Span("a-missing", 0, 3),))
    with pytest.raises(OutputError, match="entity 'MV Kestrel' cites article a-missing"):
        render_json(_with_story(report, entities=(stray, *rest)))


def test_timeline_citation_past_the_end_of_the_text_is_an_error(report: Report) -> None:
    article = report.articles[2]
    first, *rest = report.story.timeline
    broken = dataclasses.replace(first, citations=(Span(article.id, 0, len(article.text) + 1),))
    with pytest.raises(OutputError, match="past the end"):
        render_json(_with_story(report, timeline=(broken, *rest)))


def test_docs_describe_the_current_version_and_every_new_key(schema: dict[str, Any]) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "report-schema.md").read_text(encoding="utf-8")
    assert f"* **{REPORT_SCHEMA_VERSION}** —" in docs  # the changelog lists the version we write
    names = ("story", "entity", "timeline_entry", "span", "fact", "conflict", "conflict_side")
    names += ("quote_group", "quote_variant", "word_diff", "framing_term", "coverage_gap", "phase")
    for name in names:
        for key in schema["$defs"][name]["properties"]:
            assert f"`{key}`" in docs or f"`{name}.{key}`" in docs, (name, key)
    defs = schema["$defs"]
    enums = [
        defs["timeline_entry"]["properties"]["granularity"]["enum"],
        defs["fact"]["properties"]["status"]["enum"],
        defs["conflict"]["properties"]["kind"]["enum"],
        defs["drift_label"]["enum"],
        defs["word_diff"]["properties"]["op"]["enum"],
    ]
    for value in (value for enum in enums for value in enum):
        assert f"`{value}`" in docs, value


def test_schema_enums_match_the_models(schema: dict[str, Any]) -> None:
    """The closed lists of the schema are the models' Literal types, value for value."""
    defs = schema["$defs"]
    assert defs["fact"]["properties"]["status"]["enum"] == list(get_args(FactStatus))
    assert defs["conflict"]["properties"]["kind"]["enum"] == list(get_args(ConflictKind))
    assert defs["drift_label"]["enum"] == list(get_args(DriftLabel))
    assert defs["word_diff"]["properties"]["op"]["enum"] == list(get_args(DiffOp))


# --- what comparing the outlets found (schema 1.2) ------------------------------------------------


def test_a_1_1_document_without_the_corroboration_keys_still_validates(
    report: Report, schema: dict[str, Any]
) -> None:
    """The 1.2 keys are additive: every 1.1 document stays valid (docs/report-schema.md)."""
    doc = report_to_dict(report)
    for key in ("facts", "conflicts", "quote_groups", "framing", "coverage_gaps", "phases"):
        del doc["story"][key]
    del doc["story"]["notes"]
    doc["schema_version"] = "1.1"
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_a_story_without_corroboration_writes_empty_lists(
    report: Report, schema: dict[str, Any]
) -> None:
    bare = _with_story(
        report, facts=(), conflicts=(), quote_groups=(), framing=(), coverage_gaps=(), phases=()
    )
    doc = report_to_dict(dataclasses.replace(bare, story=dataclasses.replace(bare.story, notes=())))
    jsonschema.Draft202012Validator(schema).validate(doc)
    story = doc["story"]
    assert [story[key] for key in list(story)[6:]] == [[], [], [], [], [], [], []]


def _texts(report: Report) -> dict[str, str]:
    return {article.id: article.text for article in report.articles}


def _assert_citations(citations: list[dict[str, Any]], texts: dict[str, str]) -> None:
    assert citations
    for citation in citations:
        assert list(citation) == ["article_id", "start", "end", "quote"]
        text = texts[citation["article_id"]]
        assert citation["quote"] == text[citation["start"] : citation["end"]]


def test_facts_keep_story_order_and_every_claim_carries_its_passage(report: Report) -> None:
    facts = report_to_dict(report)["story"]["facts"]
    assert [f["id"] for f in facts] == [f.id for f in report.story.facts]
    assert list(facts[0]) == [
        "id",
        "text",
        "claims",
        "outlets",
        "independent_sources",
        "status",
        "when",
    ]
    assert [f["status"] for f in facts] == [
        "disputed",
        "single_source",
        "corroborated",
        "corroborated",
        "single_source",
    ]
    assert facts[0]["independent_sources"] == 2 and facts[0]["when"] == "2026-06-13"
    assert facts[1]["when"] is None
    assert facts[0]["outlets"] == ["Lakeside Daily", "Northlake Press Agency", "Vessa Courier"]
    for fact in facts:
        _assert_citations(fact["claims"], _texts(report))
        assert fact["text"] in {claim["quote"] for claim in fact["claims"]}


def test_conflicts_phases_and_framing_cite_passages(report: Report) -> None:
    story = report_to_dict(report)["story"]
    texts = _texts(report)
    (conflict,) = story["conflicts"]
    assert conflict["fact_id"] == story["facts"][0]["id"]
    assert (conflict["kind"], conflict["subject"]) == ("number", "people")
    assert [side["value"] for side in conflict["sides"]] == ["210", "212"]
    assert conflict["sides"][1]["outlets"] == ["Vessa Courier"]
    for side in conflict["sides"]:
        _assert_citations(side["citations"], texts)
    for phase in story["phases"]:
        _assert_citations(phase["citations"], texts)
        assert set(phase["article_ids"]) <= set(texts)
    assert [p["first_published"] for p in story["phases"]] == ["2026-06-13", None]
    for term in story["framing"]:
        _assert_citations(term["citations"], texts)
        assert all(c["quote"].lower() == term["term"] for c in term["citations"])
    assert {t["kind"] for t in story["framing"]} == {
        "loaded",
        "intensifier",
        "choice:incident",
        "choice:speech",
    }


def test_quote_variants_are_bare_spans_that_slice_to_their_text(report: Report) -> None:
    (group,) = report_to_dict(report)["story"]["quote_groups"]
    texts = _texts(report)
    assert group["speaker"] == "Tomas Reyl" and group["label"] == "substantive change"
    assert [v["label"] for v in group["variants"]] == [
        "exact",
        "minor variation",
        "substantive change",
    ]
    for variant in group["variants"]:
        assert list(variant) == ["article_id", "start", "end", "text", "outlet", "label", "diff"]
        assert texts[variant["article_id"]][variant["start"] : variant["end"]] == variant["text"]
    assert group["variants"][2]["diff"][:2] == [
        {"op": "replace", "reference": "every passenger was", "variant": "all passengers were"},
        {"op": "equal", "reference": "off", "variant": "off"},
    ]


def test_gaps_name_facts_and_notes_are_written(report: Report) -> None:
    story = report_to_dict(report)["story"]
    engine = next(f for f in story["facts"] if "engine room" in f["text"])
    assert story["coverage_gaps"] == [
        {"outlet": "Lakeside Daily", "missing_fact_ids": [engine["id"]], "nearest": []}
    ]
    assert story["notes"] == ["1 article(s) not in English, not aligned: inbox/vessa_posten.txt"]


def test_fact_claim_of_an_unknown_article_is_an_error(report: Report) -> None:
    first, *rest = report.story.facts
    stray = dataclasses.replace(first, claims=(Span("a-missing", 0, 3),))
    with pytest.raises(OutputError, match=f"fact {first.id} cites article a-missing"):
        render_json(_with_story(report, facts=(stray, *rest)))


def test_quote_variant_past_the_end_of_the_text_is_an_error(report: Report) -> None:
    (group,) = report.story.quote_groups
    article = report.articles[0]
    variant = dataclasses.replace(
        group.variants[0], span=Span(article.id, 0, len(article.text) + 1)
    )
    broken = dataclasses.replace(group, variants=(variant, *group.variants[1:]))
    with pytest.raises(OutputError, match="past the end"):
        render_json(_with_story(report, quote_groups=(broken,)))


def test_conflict_or_gap_naming_a_missing_fact_is_an_error(report: Report) -> None:
    (conflict,) = report.story.conflicts
    stray = dataclasses.replace(conflict, fact_id="fct_missing")
    with pytest.raises(OutputError, match="fact fct_missing, which is not in the story"):
        render_json(_with_story(report, conflicts=(stray,)))
    (gap,) = report.story.coverage_gaps
    stray_gap = dataclasses.replace(gap, missing_fact_ids=("fct_missing",))
    with pytest.raises(OutputError, match="coverage gap of Lakeside Daily names fact fct_missing"):
        render_json(_with_story(report, coverage_gaps=(stray_gap,)))


def test_duplicate_fact_unknown_phase_article_and_unknown_framing_kind_are_errors(
    report: Report,
) -> None:
    facts = report.story.facts
    with pytest.raises(OutputError, match="twice"):
        render_json(_with_story(report, facts=(*facts, facts[0])))
    first, *rest = report.story.phases
    stray = dataclasses.replace(first, article_ids=("a-missing",))
    with pytest.raises(OutputError, match="phase .* lists article a-missing"):
        render_json(_with_story(report, phases=(stray, *rest)))
    term, *others = report.story.framing
    odd = dataclasses.replace(term, kind="biased")
    with pytest.raises(OutputError, match="kind 'biased'"):
        render_json(_with_story(report, framing=(odd, *others)))
