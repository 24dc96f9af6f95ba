"""Claims below the sentence, on real sentences of the harbour-strike example and the seeds.

A compound sentence of two independent clauses becomes two claims; attribution ("…, the authority
said"), one subject with two verbs, and a split that would cut a quotation stay one claim.  Reported
content is a claim of its own with the speaker on ``Claim.quote``; a non-restrictive relative
clause is a claim; datelines are cut off; fragments are no claims.  Seed sentences are found at test
time by a few words they start with (the seeds stay out of the repository).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from newsfuse.config import load_settings
from newsfuse.models import Article, Claim
from newsfuse.pipeline import run
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.extract.annotate import Extractor
from newsfuse.stages.extract.claims import claim_bounds, dateline_end, is_balanced
from newsfuse.stages.extract.clauses import clause_bounds
from newsfuse.stages.extract.nlp import load_nlp
from newsfuse.stages.ingest.files import read_inputs

SPLIT = {
    "On Wednesday, Transport Minister Tomas Hale said the government would not be held to ransom, "
    "and officials began preparing emergency back-to-work legislation.": (
        "On Wednesday, Transport Minister Tomas Hale said the government would not be held to ransom",
        "officials began preparing emergency back-to-work legislation.",
    ),
    "Carriers calling at Port Merrow began working through a backlog of stranded vessels on "
    "Thursday after the Calderran Dockworkers' Union (CDU) suspended its strike for 72 hours, but "
    "shipping lines warned that the disruption would be felt for weeks.": (
        "Carriers calling at Port Merrow began working through a backlog of stranded vessels on "
        "Thursday after the Calderran Dockworkers' Union (CDU) suspended its strike for 72 hours",
        "shipping lines warned that the disruption would be felt for weeks.",
    ),
}
WHOLE = (
    # attribution, not coordination
    "Ferry services to the island of Sarn, which run from a separate terminal staffed by a "
    "different union, are operating normally, the authority said.",
    # one subject, two verbs: one statement
    'In a statement, the authority said its offer was "fair and affordable" and accused the union '
    "of walking away from the table.",
    # splitting would cut the quotation from its speaker
    'There is still a great deal of work to do, and nobody should pretend otherwise," Strand said.',
)


@pytest.fixture(scope="module")
def example_text(examples_dir: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(examples_dir.iterdir()) if p.is_file()
    )


def _clauses(sentence: str) -> list[str]:
    doc = load_nlp(load_settings(None, []).extract.spacy_model)(sentence)
    sentences = list(doc.sents)
    assert len(sentences) == 1
    return [sentence[start:end] for start, end in clause_bounds(sentences[0])]


@pytest.mark.parametrize("sentence", sorted(SPLIT))
def test_independent_clauses_become_separate_claims(sentence: str, example_text: str) -> None:
    assert sentence in example_text  # real text of the example
    assert tuple(_clauses(sentence)) == SPLIT[sentence]


@pytest.mark.parametrize("sentence", WHOLE)
def test_attribution_shared_subjects_and_quotations_stay_whole(
    sentence: str, example_text: str
) -> None:
    assert sentence in example_text
    assert _clauses(sentence) == [sentence]


def test_claims_of_a_run_slice_exactly_and_own_their_mentions(examples_dir: Path) -> None:
    files = [
        str(examples_dir / n) for n in ("01_merrow-herald.txt", "07_harbour-trade-review.html")
    ]
    report = run(files, load_settings(None, []))
    clauses = 0
    for article in report.articles:
        for claim in article.claims:
            assert article.slice(claim.span) == claim.text
            for mention in claim.mentions:
                assert claim.span.start <= mention.span.start <= mention.span.end <= claim.span.end
            if claim.quote is not None:
                assert claim.quote.span.start < claim.span.end
                assert claim.quote.span.end > claim.span.start
            inside = [s for s in article.sentences if s.start <= claim.span.start < s.end]
            assert len(inside) == 1 and claim.span.end <= inside[0].end  # within one sentence
            clauses += claim.span not in article.sentences
        # claims in order, each once; two overlap only where one is a relative clause added to
        # the clause it sits in ("Ferry services …, which run …, are operating normally")
        spans = [c.span for c in article.claims]
        assert spans == sorted(set(spans))
        for a, b in itertools.pairwise(article.claims):
            if a.span.end > b.span.start:
                assert any(w in b.text for w in _RELATIVES), (a.text, b.text)
    assert clauses >= 2  # 01 and 07 each hold a compound sentence


_RELATIVES = (", which ", ", who ", ", where ", ", during which ", ", in which ", ", when ")


def _annotated(paths: list[str]) -> dict[str, Article]:
    settings = load_settings()
    raws = list(read_inputs(paths, settings.ingest))
    articles = [clean_document(raw, settings.clean) for raw in raws]  # type: ignore[arg-type]
    return {Path(a.origin).name[:3]: a for a in Extractor(settings.extract)(articles)}


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, Article]:
    return _annotated([str(seeds_dir)])


@pytest.fixture(scope="module")
def example(examples_dir: Path) -> dict[str, Article]:
    return _annotated([str(examples_dir)])


def _sentence(article: Article, start: str) -> tuple[str, int, list[Claim]]:
    """The sentence that starts with ``start``, where it starts, and the claims inside it."""
    found = [s for s in article.sentences if article.slice(s).startswith(start)]
    assert len(found) == 1, start
    span = found[0]
    inside = [c for c in article.claims if span.start <= c.span.start < span.end]
    return article.slice(span), span.start, inside


def test_reported_content_is_the_claim_and_the_speaker_rides_on_its_quote(
    seeds: dict[str, Article],
) -> None:
    lead = "Tarar reiterated that "
    sentence, start, claims = _sentence(seeds["004"], lead)
    (claim,) = claims  # the attribution is no claim of its own, the sentence not a second one
    assert claim.text == sentence.removeprefix(lead).removesuffix(".")
    assert (claim.span.start, claim.span.end) == (start + len(lead), start + len(sentence) - 1)
    assert claim.quote is not None and claim.quote.cue == "reiterated"
    assert claim.quote.speaker == "Atta Tarar"  # as this outlet names him; the story stage
    # canonicalises him to "Attaullah Tarar"

    # a direct quotation before its verb: the words inside the marks
    sentence, start, claims = _sentence(seeds["002"], "“Our patience has worn thin")
    (claim,) = claims
    assert claim.text == sentence[1 : sentence.index(",”")]
    assert claim.quote is not None
    assert (claim.quote.kind, claim.quote.speaker) == ("direct", "Attaullah Tarar")


def test_coordinated_content_splits_into_claims_of_one_speaker(seeds: dict[str, Article]) -> None:
    sentence, _, claims = _sentence(seeds["003"], "He argued that Pakistan")
    first, second = claims
    assert first.text.startswith("Pakistan has repeatedly engaged")
    assert first.text.endswith("then in Istanbul")
    # "…, but that the Taliban has shown …": neither the conjunction nor "that" is said
    assert second.text.startswith("the Taliban has shown")
    assert sentence.endswith(second.text + ".")
    assert {c.quote.speaker for c in claims if c.quote} == {"Attaullah Tarar"}


def test_a_report_on_the_tail_keeps_the_statement_before_it(seeds: dict[str, Article]) -> None:
    sentence, start, claims = _sentence(seeds["002"], "Federal Information Minister Attaullah")
    statement, content = claims
    assert statement.span.start == start
    assert statement.text == sentence[: sentence.index(", saying")]
    assert content.text.startswith("the Afghan side refused")
    assert content.quote is not None and content.quote.speaker == "Attaullah Tarar"


def test_the_reported_claim_takes_the_quote_of_its_speaker_not_of_a_name_inside_it(
    seeds: dict[str, Article],
) -> None:
    # "Tarar stated that while Islamabad laid out …": Islamabad's own attribution lies inside
    # the content; the content is Tarar's
    _, _, claims = _sentence(seeds["003"], "Information Minister Attaullah Tarar stated")
    (claim,) = claims
    assert claim.text.startswith("while Islamabad laid out")
    assert claim.quote is not None and claim.quote.speaker == "Attaullah Tarar"


def test_datelines_are_not_part_of_any_claim(
    seeds: dict[str, Article], example: dict[str, Article]
) -> None:
    for article, dateline in [
        (seeds["000"], "Istanbul (TDI): "),
        (seeds["004"], "Islamabad (The COW News Digital) "),
        (example["02_"], "PORT MERROW, March 11 (CPA) - "),
    ]:
        _, start, claims = _sentence(article, dateline)
        assert claims and claims[0].span.start == start + len(dateline)
    for seed in ("001", "002"):  # "ISLAMABAD:" on its own line is a sentence of no claim
        sentence, _, claims = _sentence(seeds[seed], "ISLAMABAD:")
        assert sentence == "ISLAMABAD:" and claims == []


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("ISLAMABAD (Reuters) - Pakistan said", "ISLAMABAD (Reuters) - "),
        ("KABUL, Oct 29 (AP) — Afghan officials", "KABUL, Oct 29 (AP) — "),
        ("ISLAMABAD: The latest round", "ISLAMABAD: "),
        ("Tehreek-e-Taliban Pakistan (TTP) said", ""),  # an abbreviation, not an agency
        ("Transport Minister Tomas Hale said", ""),
    ],
)
def test_dateline_forms(text: str, dateline: str) -> None:
    assert text[: dateline_end(text)] == dateline


def test_fragments_are_no_claims(seeds: dict[str, Article]) -> None:
    sentence, _, _ = _sentence(seeds["003"], "Defence Minister Khawaja Asif has also")
    # what a splitter that cut the sentence at its comma would leave: a lowercase start
    fragment = sentence[sentence.index("the Afghan delegation backpedalled") :]
    doc = load_nlp(load_settings().extract.spacy_model)(fragment)
    assert [claim_bounds(s) for s in doc.sents] == [[]]
    # a sentence that closes a quotation opened in the sentence before, then names its speaker:
    # the whole, with its unpaired mark, is no claim; what was said and what was added are
    sentence, _, claims = _sentence(seeds["000"], "Any terrorist attack or suicide")
    assert not is_balanced(sentence)
    assert [c.text for c in claims] == [
        sentence[: sentence.index(",”")],
        sentence[sentence.index("adding that ") + len("adding that ") : -1],
    ]
    assert all(c.quote is not None and c.quote.speaker == "Khawaja Asif" for c in claims)


def test_a_sentence_of_a_quotation_over_several_loses_only_the_dangling_mark(
    seeds: dict[str, Article],
) -> None:
    sentence, start, claims = _sentence(seeds["003"], "“Instead of accepting")
    (claim,) = claims
    assert (claim.span.start, claim.text) == (start + 1, sentence[1:])


def test_relative_clauses_are_claims_with_the_noun_they_describe(
    seeds: dict[str, Article], example: dict[str, Article]
) -> None:
    # at the end of its clause: the rest before it is the main claim
    sentence, _, claims = _sentence(seeds["001"], "Kabul denies this and insists")
    main, relative = claims
    assert main.text == sentence[: sentence.index(", which")]
    assert relative.text == sentence[sentence.index("the TTP, which") : -1]
    # in the middle: the clause stays whole and the relative clause is added; the parser hangs
    # it on "Sarn", the verb's number ("run") gives it back to the services
    sentence, _, claims = _sentence(example["01_"], "Ferry services to the island of Sarn")
    relative, whole = claims  # in span order: the shorter first
    assert whole.text == sentence[: sentence.index(", the authority said")]
    assert relative.text == sentence[: sentence.index(", are operating")]
    assert whole.quote is not None and whole.quote.speaker == "the authority"
    # a relative clause in the attribution is kept when the attribution goes
    sentence, _, claims = _sentence(example["07_"], "Transport Minister Tomas Hale, who")
    assert sentence[: sentence.index(", said")] in [c.text for c in claims]


def test_every_claim_slices_exactly_and_is_no_fragment(
    seeds: dict[str, Article], example: dict[str, Article]
) -> None:
    for article in [*seeds.values(), *example.values()]:
        for claim in article.claims:
            assert article.slice(claim.span) == claim.text
            assert is_balanced(claim.text), claim.text
            assert len(claim.text.split()) >= 5, claim.text
            assert claim.text == claim.text.strip(" ,;:")
