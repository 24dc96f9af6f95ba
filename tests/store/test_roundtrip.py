"""What goes into the store comes out equal: raw documents, articles (with every nested record),
rejections and reports, all built from the example story's real text."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from newsfuse.models import (
    REPORT_SCHEMA_VERSION,
    Article,
    CitedSentence,
    Claim,
    Mention,
    Quote,
    RawDocument,
    Rejection,
    Report,
    Span,
    Story,
)
from newsfuse.outputs.json import render_json, report_to_dict
from newsfuse.store import NotInStoreError, Store, StoreError
from newsfuse.store.codec import article_from_json, article_to_json


def annotate(article: Article, *, foreign: bool = True) -> Article:
    """Give a real article real-looking annotations: spans found in its own text by search."""
    text = article.text
    words = [m for m in re.finditer(r"\b[A-Z][a-z]{3,}\b", text)][:6]
    assert len(words) >= 3, "the example article should have capitalised words"
    sentences = tuple(
        Span(article.id, m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]", text)
    )[:5]
    mentions = tuple(
        Mention(Span(article.id, m.start(), m.end()), m.group(), "ORG", m.group().lower())
        for m in words
    )
    first = sentences[0]
    quote = Quote(
        span=first,
        text=text[first.start : first.end],
        kind="indirect",
        speaker=words[0].group(),
        speaker_span=mentions[0].span,
        cue=None,
    )
    bare_quote = dataclasses.replace(quote, kind="direct", speaker=None, speaker_span=None)
    claims = (
        Claim("clm_1", first, quote.text, mentions[:2], quote),
        Claim("clm_2", sentences[1], text[sentences[1].start : sentences[1].end]),
        # A span into another article must survive too (the codec writes its id only then).
        Claim("clm_3", Span("art_elsewhere", 0, 4), "else", (), bare_quote),
    )
    if not foreign:  # reports check that every span points into its own article
        claims = (*claims[:2], dataclasses.replace(claims[2], span=sentences[2]))
    return dataclasses.replace(
        article,
        dup_group="dup_0001",
        sentences=sentences,
        mentions=mentions,
        quotes=(quote, bare_quote),
        claims=claims,
    )


def test_raw_documents_round_trip(store: Store, example_raws: list[RawDocument]) -> None:
    with store.batch():
        assert all(store.add_raw(raw) for raw in example_raws)
    for raw in example_raws:
        assert store.get_raw(raw.id) == raw
    assert store.raw_ids_without_article() == sorted(raw.id for raw in example_raws)


def test_ingesting_the_same_documents_again_is_a_no_op(
    store: Store, example_raws: list[RawDocument]
) -> None:
    with store.batch():
        added = [store.add_raw(raw) for raw in example_raws]
    with store.batch():
        again = [store.add_raw(raw) for raw in example_raws]
        # ...and within one batch, too.
        assert store.add_raw(example_raws[0]) is False
    assert added == [True] * len(example_raws)
    assert again == [False] * len(example_raws)
    assert store.counts()["raw_documents"] == len(example_raws)


def test_cleaned_articles_round_trip(
    store: Store, example_raws: list[RawDocument], example_articles: list[Article]
) -> None:
    assert any(article.removed for article in example_articles), "want RemovedLines to test"
    with store.batch():
        for raw, article in zip(example_raws, example_articles, strict=True):
            store.add_raw(raw)
            store.put_article(article)
    for article in example_articles:
        assert store.get_article(article.id) == article
    assert store.raw_ids_without_article() == []
    assert store.article_ids() == sorted(a.id for a in example_articles)


def test_annotated_article_round_trips_exactly(
    store: Store, example_raws: list[RawDocument], example_articles: list[Article]
) -> None:
    article = annotate(example_articles[0])
    store.add_raw(example_raws[0])
    store.put_article(example_articles[0])
    store.put_article(article)  # a later stage replaces the article with its annotated copy
    stored = store.get_article(article.id)
    assert stored == article
    assert all(article.slice(s) == stored.slice(s) for s in stored.sentences)
    assert store.counts()["articles"] == 1


def test_codec_writes_plain_json_and_reads_it_back(example_articles: list[Article]) -> None:
    article = annotate(example_articles[1])
    data = json.loads(json.dumps(article_to_json(article)))
    assert article_from_json(data) == article
    # Spans into the owning article are written without its id; others keep theirs.
    assert data["annotations"]["sentences"][0] == [
        article.sentences[0].start,
        article.sentences[0].end,
    ]
    assert data["annotations"]["claims"][2]["span"] == [0, 4, "art_elsewhere"]


def test_malformed_annotations_name_the_article(example_articles: list[Article]) -> None:
    data = article_to_json(example_articles[0])
    data["annotations"]["v"] = 99
    with pytest.raises(StoreError, match=example_articles[0].id):
        article_from_json(data)


@pytest.mark.slow
def test_articles_annotated_by_the_extract_stage_round_trip(
    store: Store, example_raws: list[RawDocument], example_articles: list[Article]
) -> None:
    from newsfuse.config import Settings
    from newsfuse.stages.extract.annotate import Extractor

    annotated = Extractor(Settings().extract)(example_articles[:2])
    assert any(a.quotes and a.claims and a.mentions for a in annotated)
    with store.batch():
        for raw, article in zip(example_raws, annotated, strict=False):
            store.add_raw(raw)
            store.put_article(article)
    assert [store.get_article(a.id) for a in annotated] == annotated
    # what the story tracker reads: the same articles without sentences, quotes and claims
    light = store.get_articles([a.id for a in annotated], mentions_only=True)
    assert light == [dataclasses.replace(a, sentences=(), quotes=(), claims=()) for a in annotated]


def test_batched_writes_and_reads_match_one_by_one(
    store: Store, example_raws: list[RawDocument], example_articles: list[Article]
) -> None:
    """add_raws / put_articles / get_raws write and read what add_raw / put_article / get_raw do."""
    first, *rest = example_raws
    assert store.add_raws([first, first]) == {first.id}  # a document twice: stored once
    assert store.add_raws(example_raws) == {raw.id for raw in rest}
    assert store.get_raws([raw.id for raw in reversed(example_raws)]) == example_raws[::-1]
    store.put_articles(example_articles)
    store.put_articles(example_articles[:1])  # putting again replaces, as put_article does
    ids = [a.id for a in example_articles]
    assert store.get_articles(ids) == example_articles
    assert store.raw_ids_without_article() == []
    with pytest.raises(NotInStoreError, match="nope"):
        store.get_raws([first.id, "nope"])


def test_article_of_an_unknown_raw_document_is_refused(
    store: Store, example_articles: list[Article]
) -> None:
    with pytest.raises(NotInStoreError, match="add_raw"):
        store.put_article(example_articles[0])
    with pytest.raises(NotInStoreError, match=example_articles[0].id):
        store.get_article(example_articles[0].id)


def test_rejections_are_kept_and_mark_their_raw_document_done(
    store: Store, example_raws: list[RawDocument]
) -> None:
    raw = example_raws[0]
    store.add_raw(raw)
    store.add_raw(example_raws[1])
    store.add_rejection(Rejection("feed.xml:3", "ingest", "not JSON"), run_id="run1")
    store.add_rejection(
        Rejection(raw.origin, "clean", "no article text"), run_id="run2", raw_id=raw.id
    )
    assert store.rejections() == [
        Rejection("feed.xml:3", "ingest", "not JSON"),
        Rejection(raw.origin, "clean", "no article text"),
    ]
    assert store.rejections(run_id="run2") == [Rejection(raw.origin, "clean", "no article text")]
    assert store.raw_ids_without_article() == [example_raws[1].id]
    assert set(store.raw_ids_without_article(include_rejected=True)) == {
        raw.id,
        example_raws[1].id,
    }


def test_report_round_trips_byte_for_byte(
    store: Store, example_raws: list[RawDocument], example_articles: list[Article]
) -> None:
    articles = tuple(annotate(a, foreign=False) for a in example_articles[:2])
    for raw, article in zip(example_raws, articles, strict=False):
        store.add_raw(raw)
        store.put_article(article)
    citations = (articles[0].sentences[0], articles[1].sentences[0])
    story = Story(
        id="sty_harbour",
        title="Harbour strike",
        article_ids=tuple(a.id for a in articles),
        brief=(CitedSentence("Dockers walked out.", citations, ("A", "B"), False),),
        settings_hash="abc123",
    )
    report = Report(REPORT_SCHEMA_VERSION, "abc123", story, articles, ())
    store.put_story(story.id, story.title, story.article_ids)
    assert store.latest_report(story.id) is None

    first = store.put_report(story.id, report_to_dict(report))
    text = render_json(report)
    second = store.put_report(story.id, text)
    latest = store.latest_report(story.id)

    assert latest is not None and latest.id == second != first
    assert latest.body == text
    assert latest.data() == report_to_dict(report)
    assert (latest.schema_version, latest.settings_hash) == (REPORT_SCHEMA_VERSION, "abc123")
    # A dict is stored the way render_json writes it, so both forms give the same bytes.
    with store.batch():
        store.put_report(story.id, report_to_dict(report))
        assert store.latest_report(story.id).body == text  # type: ignore[union-attr]


def test_report_of_an_unknown_story_or_without_versions_is_refused(store: Store) -> None:
    with pytest.raises(NotInStoreError, match="put_story"):
        store.put_report("sty_missing", {"schema_version": "1.1", "settings_hash": "x"})
    store.put_story("sty_1", "Empty", [])
    with pytest.raises(StoreError, match="schema_version"):
        store.put_report("sty_1", "{}")
    with pytest.raises(StoreError, match="not JSON"):
        store.put_report("sty_1", "{")


def test_a_failed_batch_leaves_nothing_behind(
    store: Store, example_raws: list[RawDocument]
) -> None:
    with pytest.raises(RuntimeError), store.batch():
        store.add_raw(example_raws[0])
        raise RuntimeError("the stage crashed")
    assert store.counts()["raw_documents"] == 0
    with store.batch(), pytest.raises(StoreError, match="nest"), store.batch():
        pass  # pragma: no cover
