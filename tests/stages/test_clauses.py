"""Clause-level claims on real sentences of the harbour-strike example.

A compound sentence of two independent clauses becomes two claims; attribution ("…, the authority
said"), one subject with two verbs, and a split that would cut a quotation stay one claim.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from newsfuse.config import load_settings
from newsfuse.pipeline import run
from newsfuse.stages.extract.clauses import clause_bounds
from newsfuse.stages.extract.nlp import load_nlp

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
        # every sentence is covered by its claims, in order, without overlaps
        spans = [c.span for c in article.claims]
        assert spans == sorted(spans)
        assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert clauses >= 2  # 01 and 07 each hold a compound sentence
