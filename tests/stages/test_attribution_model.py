"""The learned attribution model: the shipped weights load, and the attributions PolNeAR marks beyond
speech verbs (beliefs, "according to", noun cues, passives) come out with their sources."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from newsfuse.config import load_settings
from newsfuse.stages.extract.attribution_model import MODEL_PATH, load_model
from newsfuse.stages.extract.nlp import load_nlp
from newsfuse.stages.extract.quotes import Attribution, QuoteContext, attributions_in_paragraph


def _attributions(text: str) -> list[tuple[str | None, str, str | None]]:
    """``(cue, content, source)`` texts of the attributions found in one paragraph."""
    doc = load_nlp(load_settings().extract.spacy_model)(text)
    found: list[Attribution] = attributions_in_paragraph(doc, 0, "a", QuoteContext(people=()))
    return [
        (
            text[a.cue_span.start : a.cue_span.end] if a.cue_span else None,
            a.quote.text,
            text[a.quote.speaker_span.start : a.quote.speaker_span.end]
            if a.quote.speaker_span
            else None,
        )
        for a in found
    ]


def test_the_shipped_weights_are_small_and_load_once() -> None:
    assert MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    model = load_model()
    assert model is load_model()
    assert {"say", "tell", "accord", "think", "believe"} <= model.lexicon
    assert model.cue and model.source and model.content


def test_belief_verbs_are_attributions() -> None:
    found = _attributions("Most Republican voters believe that the economy is getting worse.")
    assert any(
        cue == "believe" and source and "voters" in source and "economy" in content
        for cue, content, source in found
    ), found


def test_according_to_names_its_source() -> None:
    found = _attributions("The talks will resume on Monday, according to two senior diplomats.")
    assert any(
        cue == "according to" and source and "diplomats" in source and "talks" in content
        for cue, content, source in found
    ), found


def test_speech_verbs_still_carry_their_speakers() -> None:
    found = _attributions("The mayor said the budget would be balanced by next year.")
    assert any(
        cue == "said" and source == "The mayor" and "budget" in content
        for cue, content, source in found
    ), found


def test_a_dateline_colon_is_not_a_headline_attribution() -> None:
    found = _attributions(
        "ISLAMABAD: Islamabad has agreed to extend peace talks with the Afghan Taliban in Istanbul "
        "at the request of its hosts, a security official said on Thursday."
    )
    assert all(cue != ":" for cue, _, _ in found), found
    assert any(cue == "said" and source == "a security official" for cue, _, source in found), found


def test_the_benchmark_counts_quotes_sharing_a_cue_as_one_attribution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PolNeAR annotates "“A,” he said. “B.”" as one attribution with a two-part content; the
    benchmark must map the two quotes the extractor finds to that one attribution."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "benchmarks"))
    benchmark = importlib.import_module("attribution")
    text = (
        "“We will not raise taxes on the middle class,” the governor said on Tuesday. "
        "“Not this year, and not next year either.”"
    )
    (found,) = benchmark.predict([text])
    said = [a for a in found if a.cue and text[a.cue[0][0] : a.cue[0][1]] == "said"]
    assert len(said) == 1, found
    (attribution,) = said
    assert attribution.content is not None and len(attribution.content) == 2, attribution
    assert [text[s:e] for s, e in attribution.content] == [
        "We will not raise taxes on the middle class,",
        "Not this year, and not next year either.",
    ]
    assert attribution.source and text[slice(*attribution.source[0])] == "the governor"
