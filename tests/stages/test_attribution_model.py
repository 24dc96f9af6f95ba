"""The learned attribution model: the shipped weights load, and the attributions PolNeAR marks beyond
speech verbs (beliefs, "according to", noun cues, passives) come out with their sources."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from newsfuse.config import load_settings
from newsfuse.stages.extract.attribution_model import MODEL_PATH, climbed_subject, load_model
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


def test_the_benchmark_counts_one_relation_match_per_attribution_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The relation score counts one-to-one matches: each predicted attribution whose source, cue
    and content all overlap one gold attribution's, each gold one used once."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "benchmarks"))
    benchmark = importlib.import_module("attribution")
    gold = benchmark.Attr(source=((0, 12),), cue=((13, 17),), content=((20, 60),))
    other = benchmark.Attr(source=((70, 80),), cue=((81, 85),), content=((90, 120),))
    near = benchmark.Attr(source=((4, 12),), cue=((13, 16),), content=((25, 50),))
    wrong_source = benchmark.Attr(source=((70, 80),), cue=((13, 17),), content=((20, 60),))
    assert benchmark.relation_matches([near, wrong_source], [gold, other]) == 1
    assert benchmark.relation_matches([near, near], [gold]) == 1
    assert benchmark.relation_matches([gold, other], [gold, other]) == 2


def test_the_benchmark_splits_dev_into_two_fixed_disjoint_halves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Settings are chosen on one half of dev and the other is reported: the halves cover every
    text once, do not depend on the order the texts come in, and are the same on every run."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "benchmarks"))
    benchmark = importlib.import_module("attribution")
    names = [f"text{n:03d}" for n in range(84)]
    validation, held_out = benchmark.dev_halves(names)
    assert len(validation) == len(held_out) == 42
    assert validation | held_out == set(names) and not validation & held_out
    assert benchmark.dev_halves(list(reversed(names))) == (validation, held_out)
    assert validation != frozenset(names[:42])  # shuffled, not the first half by name


def test_a_conjoined_or_participle_cue_climbs_to_its_clause_subject() -> None:
    """ "… ran on his record and accused Obama", "…, saying": the cue has no subject of its own;
    the source feature points at the subject of the clause it hangs on, not at its object."""
    nlp = load_nlp(load_settings().extract.spacy_model)
    doc = nlp("Mitt Romney ran on his record as a businessman and accused Obama of bungling it.")
    accused = next(t for t in doc if t.text == "accused")
    subject, depth = climbed_subject(accused)
    assert subject is not None and subject.text == "Romney" and depth == 1
    doc = nlp("The governor warned of long delays at the port, saying the strike would go on.")
    saying = next(t for t in doc if t.text == "saying")
    subject, depth = climbed_subject(saying)
    assert subject is not None and subject.text == "governor" and depth == 1
    said = next(t for t in nlp("Officials said the port would reopen.") if t.text == "said")
    assert climbed_subject(said)[0] is not None and climbed_subject(said)[1] == 0


def test_a_dateline_the_parse_made_a_subject_is_not_the_climbed_subject() -> None:
    """spaCy parses a wire dateline as a second subject of the lead's verb; the participle cue's
    source is the subject next to that verb, not the city."""
    nlp = load_nlp(load_settings().extract.spacy_model)
    doc = nlp(
        "LONDON, May 3 (Reuters) — The port authority released a report on Friday, "
        "offering “a full account” of the strike."
    )
    offering = next(t for t in doc if t.text == "offering")
    subject, depth = climbed_subject(offering)
    assert subject is not None and subject.text == "authority" and depth == 1


def test_a_conjoined_cue_is_attributed_to_the_clause_subject() -> None:
    found = _attributions(
        "The senator ran on his record as a prosecutor and accused the governor of wasting "
        "millions on the new stadium."
    )
    assert any(
        cue == "accused" and source == "The senator" and "governor" in content
        for cue, content, source in found
    ), found


TRAIN = Path(__file__).resolve().parents[3] / "shared" / "bench" / "attribution-dev" / "train"


@pytest.mark.skipif(not TRAIN.is_dir(), reason="PolNeAR train split not in ../shared/bench")
def test_the_source_ranker_learns_to_put_the_annotated_source_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The conditional logit of ``train_attribution.fit_ranker`` on the source candidates of a few
    PolNeAR train texts: the annotated source head comes first in most of the groups it was fitted
    on, and a cue PolNeAR gives no source scores every candidate mostly below the "no source" 0."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "benchmarks"))
    trainer = importlib.import_module("train_attribution")
    texts = trainer.load_split(TRAIN, 12)
    parsed = trainer.parse([text for _, text, _ in texts])
    heads = trainer.gold_cue_heads(texts, parsed)
    examples = trainer.build_examples(texts, parsed, heads, frozenset())
    groups = [[(feats, label) for feats, label, _ in g] for g in examples.source if g]
    weights, no_dense = trainer.fit_ranker(groups, 1.0, null=True)
    assert no_dense is None

    def scores(group: list[tuple[list[str], int]]) -> list[float]:
        return [sum(weights.get(f, 0.0) for f in feats) for feats, _ in group]

    with_source = [g for g in groups if any(label for _, label in g)]
    first = sum(g[max(range(len(g)), key=scores(g).__getitem__)][1] for g in with_source)
    assert len(with_source) > 100 and first / len(with_source) > 0.9, first
    without = [g for g in groups if not any(label for _, label in g)]
    below = sum(max(scores(g)) < 0 for g in without)
    assert without and below / len(without) > 0.5, (below, len(without))
    # with the candidates' tok2vec vectors as 96 more columns it ranks at least as well
    vectors = [v for v in examples.source_vectors if v]
    weights, dense = trainer.fit_ranker(groups, 1.0, null=True, vectors=vectors)
    assert dense is not None and len(dense) == len(vectors[0][0])
    scored = [
        [
            sum(weights.get(f, 0.0) for f in feats) + float(v @ np.asarray(dense))
            for (feats, _), v in zip(g, gv, strict=True)
        ]
        for g, gv in zip(groups, vectors, strict=True)
    ]
    first_dense = sum(
        g[max(range(len(g)), key=s.__getitem__)][1]
        for g, s in zip(groups, scored, strict=True)
        if any(label for _, label in g)
    )
    assert first_dense >= first - 2, (first_dense, first)


def test_token_vectors_add_to_a_score_only_when_the_doc_has_them() -> None:
    """The tok2vec part of a score (issue 18): the parser's own contextual vector of the token,
    times the learned weights; a ``Doc`` without a tensor scores with the sparse weights alone."""
    from newsfuse.stages.extract.attribution_model import AttributionModel, token_vector

    nlp = load_nlp(load_settings().extract.spacy_model)
    doc = nlp("The minister said the talks had failed.")
    said = doc[2]
    vector = token_vector(said)
    assert vector is not None and vector.shape == (len(doc.tensor[0]),)
    data: dict[str, object] = {
        "cue": {"l=say": 1.0},
        "source": {},
        "content": {},
        "lexicon": ["say"],
        "thresholds": {"cue": 0.0, "source": 0.0},
    }
    sparse = AttributionModel(data)
    dense = AttributionModel({**data, "cue_dense": [float(x) for x in vector]})
    plain = sparse.cue_score(said, [], False)
    assert plain == 1.0
    assert dense.cue_score(said, [], False) == pytest.approx(1.0 + float(vector @ vector), rel=1e-4)
    bare = nlp.make_doc("The minister said the talks had failed.")  # no tok2vec: no tensor
    assert token_vector(bare[2]) is None
    assert dense.cue_score(bare[2], [], False) == sparse.cue_score(bare[2], [], False)
