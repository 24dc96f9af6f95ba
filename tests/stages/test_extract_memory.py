"""The extract stage does not grow spaCy's string store with what it reads (issue 16).

Every new string a parse meets used to stay in the model's ``StringStore`` for the life of the
process, so a long in-process ingest grew with the vocabulary of everything it had read (the
soak's creep of about 5 MB per 1,000 articles).  The extractor parses each batch inside
``nlp.memory_zone()``; these tests feed it real news text it has never seen and check the store
is the same size after two batches, while the annotations it returns stay whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import make_article
from newsfuse.config import load_settings
from newsfuse.models import Article
from newsfuse.stages.extract.annotate import Extractor
from newsfuse.stages.extract.nlp import load_nlp

SHARED = Path(__file__).resolve().parents[3] / "shared"
TEXTS = SHARED / "bench" / "attribution-dev" / "train" / "text"


def _articles(names: list[str]) -> list[Article]:
    return [
        make_article(
            (TEXTS / name).read_text(encoding="utf-8"), article_id=name, raw_id=name, origin=name
        )
        for name in names
    ]


def test_two_batches_of_new_text_leave_the_string_store_as_it_was() -> None:
    if not TEXTS.is_dir():
        pytest.skip(f"PolNeAR train texts not found at {TEXTS}")
    names = sorted(p.name for p in TEXTS.glob("*.txt"))
    first, second = _articles(names[100:106]), _articles(names[400:406])
    extract = Extractor(load_settings().extract)
    strings = load_nlp(extract.settings.spacy_model).vocab.strings
    words = {w for a in first + second for w in a.text.split() if w.isalpha()}
    unseen = {w for w in words if w not in strings}
    assert len(unseen) >= 10, "the texts must hold words the model has never stored"
    before = len(strings)

    done_first = extract(first)
    after_first = len(strings)
    done_second = extract(second)

    assert after_first == before
    assert len(strings) == before
    assert all(w not in strings for w in unseen)
    # the annotations are plain values that outlive the zone: names, quotes and claims are whole
    for article in done_first + done_second:
        assert article.sentences and article.claims
        assert all(article.slice(m.span) == m.text for m in article.mentions)
        assert all(c.text == article.slice(c.span) for c in article.claims)
    assert any(m.label == "PERSON" for a in done_second for m in a.mentions)
