"""The speaker chooser: on the seed reports every quote's candidates are recorded with the fixed rule
order's pick first, that pick stands without weights, and weights do move the choice."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newsfuse.config import load_settings
from newsfuse.models import Span
from newsfuse.stages.extract.nlp import load_nlp
from newsfuse.stages.extract.paragraphs import paragraph_chunks
from newsfuse.stages.extract.quotes import (
    Attribution,
    Choice,
    QuoteContext,
    attributions_in_article,
)
from newsfuse.stages.extract.speaker_model import SpeakerChooser, load_chooser

if TYPE_CHECKING:
    from spacy.tokens import Doc


def _parsed(seeds_dir: Path) -> list[list[tuple[int, Doc]]]:
    nlp = load_nlp(load_settings().extract.spacy_model)
    articles = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        articles.append([(offset, nlp(chunk)) for offset, chunk in paragraph_chunks(text, 10_000)])
    return articles


def _run(
    article: list[tuple[int, Doc]], chooser: SpeakerChooser, trace: list[Choice] | None
) -> list[Attribution]:
    context = QuoteContext(people=(), chooser=chooser, trace=trace)
    return attributions_in_article(article, "a", context)


def _speakers(found: list[Attribution]) -> dict[Span, Span | None]:
    return {a.quote.span: a.quote.speaker_span for a in found if a.quote.kind != "indirect"}


@pytest.fixture(scope="module")
def seed_docs(seeds_dir: Path) -> list[list[tuple[int, Doc]]]:
    return _parsed(seeds_dir)


def test_rule_order_pick_is_first_and_stands_without_weights(
    seed_docs: list[list[tuple[int, Doc]]],
) -> None:
    for article in seed_docs:
        trace: list[Choice] = []
        traced = _run(article, SpeakerChooser({}), trace)
        assert trace, "every seed has quotations"
        for choice in trace:
            assert choice.chosen == 0 and "rule" in choice.candidates[0][0]
            assert all("rule" not in features for features, _ in choice.candidates[1:])
        # proposing every candidate changes nothing while the order decides
        assert _speakers(traced) == _speakers(_run(article, SpeakerChooser({}), None))


def test_weights_move_the_choice(seed_docs: list[list[tuple[int, Doc]]]) -> None:
    """A weight on features only another candidate has makes that candidate the quote's speaker."""
    moved = 0
    for article in seed_docs:
        trace: list[Choice] = []
        _run(article, SpeakerChooser({}), trace)
        for choice in trace:
            first_features, first_span = choice.candidates[0]
            for features, span in choice.candidates[1:]:
                own = [f for f in features if f not in first_features]
                if span is None or span == first_span or not own:
                    continue
                weighted: list[Choice] = []
                found = _speakers(_run(article, SpeakerChooser(dict.fromkeys(own, 10.0)), weighted))
                again = next(c for c in weighted if c.quote == choice.quote)
                taken_features, taken_span = again.candidates[again.chosen]
                assert again.chosen > 0 and set(own) & set(taken_features)
                spoken = [s for q, s in found.items() if choice.quote.start <= q.start]
                assert spoken[0] == taken_span  # the quote's speaker is the chosen candidate's
                moved += 1
                break
    assert moved, "some seed quotation has a second candidate speaker"


def test_no_weights_file_keeps_the_rule_order(tmp_path: Path) -> None:
    chooser = load_chooser(str(tmp_path / "missing.json.gz"))
    assert chooser.weights == {}
    assert chooser.best([["g:after"], ["g:nearest", "rule"]]) == 0
