"""Properties that hold for any text, checked on generated text (hypothesis).

News text from the open web holds anything: random Unicode, control characters, unbalanced
quotation marks, right-to-left text and bidi controls, huge numbers ("900000 weeks ago", "in the
year 99999"), absurd dates (year 1, year 9999), empty or whitespace-only text.  For every such text:

* the cleaner raises nothing but :class:`~newsfuse.errors.ItemError` (a rejection);
* the date normaliser never raises, whatever the reference date, and its spans stay in the text;
* sentences, mentions, quotes and claims (the extract stage) and the story steps (canonical
  names, alignment into facts, brief, timeline) never raise, with every span inside its article;
* the JSON writer's output validates against the report schema, and the Markdown and HTML writers
  do not raise.

Runs are derandomised (the same examples every time, so a failure reproduces), keep no example
database, and are bounded by example counts, never by time.  The story steps run with ``debug=True``: the guard that turns a
step's exception into a rejection must not hide a bug from this suite.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache

import jsonschema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from newsfuse.config import CleanSettings, Settings
from newsfuse.errors import ItemError
from newsfuse.models import Article, DeclaredMetadata, RawDocument, Report, content_id
from newsfuse.outputs.html import render_html
from newsfuse.outputs.json import load_report_schema, render_json
from newsfuse.outputs.markdown import render_markdown
from newsfuse.pipeline import analyse_story
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.clean.text import clean_page_text
from newsfuse.stages.extract.annotate import Extractor
from newsfuse.stages.extract.dates import find_timexes

HOSTILE_PIECES = (
    "900000 weeks ago",
    "in the year 99999",
    "on 9999-12-31",
    "in the year 1",
    "0001-01-01",
    "Thursday",
    "earlier this week",
    "12/31/9999",
    "1" * 400,
    "10^308 tonnes",
    '"unbalanced',
    "“curly ‘mixed” quote’",
    '" " "',
    "said the minister.",
    "\u202eevil\u202c",
    "النقابة قالت إن الإضراب سيستمر",
    "\u200f\u200e\u2066isolated\u2069",
    "\x00\x07\x1b[31m",
    "\r\n\r\n",
    "   \t  ",
    "",
    "The union, which represents 4,000 dock workers, said on Monday that talks had failed.",
    "Harbour Authority chief Mara Quist told reporters: “We will not negotiate under threat.”",
)

text_pieces = st.one_of(
    st.sampled_from(HOSTILE_PIECES),
    st.text(max_size=60),  # any Unicode scalar, control characters included
    st.text(alphabet=st.characters(categories=["Lu", "Ll", "Zs", "Po", "Nd"]), max_size=60),
)
texts = st.lists(text_pieces, max_size=12).map(" ".join)
absurd_dates = st.one_of(
    st.none(),
    st.sampled_from(["9999-12-31", "0001-01-01", "1900-01-01", "2100-12-31", "not a date", ""]),
    st.dates().map(date.isoformat),
)
reference_dates = st.one_of(
    st.none(), st.sampled_from([date(1, 1, 1), date(9999, 12, 31)]), st.dates()
)

CHEAP = settings(max_examples=150, derandomize=True, deadline=None, database=None)
SPACY = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    # no shrinking: a failing example of the whole story path can take minutes to shrink; the
    # failing input is printed as found, and is small already (at most 3 texts of 12 pieces)
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


@cache
def _extractor() -> Extractor:
    return Extractor(Settings().extract)


def _article(index: int, text: str, published_at: str | None) -> Article | None:
    raw_bytes = text.encode("utf-8", "surrogatepass")
    raw = RawDocument(
        id=content_id("text/plain", raw_bytes, prefix="raw_"),
        origin=f"generated-{index}.txt",
        media_type="text/plain",
        content=raw_bytes,
        declared=DeclaredMetadata(outlet=f"Outlet {index % 2}", published_at=published_at),
    )
    try:
        return clean_document(raw, CleanSettings(min_article_chars=1))
    except ItemError:
        return None


def _assert_spans_inside(article: Article) -> None:
    size = len(article.text)
    records = [
        *article.sentences,
        *(m.span for m in article.mentions),
        *(q.span for q in article.quotes),
        *(c.span for c in article.claims),
    ]
    for span in records:
        assert span.article_id == article.id
        assert 0 <= span.start <= span.end <= size
    for mention in article.mentions:
        assert article.slice(mention.span) == mention.text
    for claim in article.claims:
        assert article.slice(claim.span) == claim.text
    for quote in article.quotes:
        assert article.slice(quote.span) == quote.text
        if quote.speaker_span is not None:
            assert 0 <= quote.speaker_span.start <= quote.speaker_span.end <= size


@CHEAP
@given(texts)
def test_the_cleaner_only_rejects(text: str) -> None:
    try:
        page = clean_page_text(text)
    except ItemError:
        return
    assert page.text == clean_page_text(text).text  # deterministic


@CHEAP
@given(texts, reference_dates)
def test_the_date_normaliser_never_raises(text: str, reference: date | None) -> None:
    for timex in find_timexes(text, reference):
        assert 0 <= timex.start <= timex.end <= len(text)


@SPACY
@given(st.lists(st.tuples(texts, absurd_dates), min_size=1, max_size=3))
def test_any_text_gives_a_report_that_validates(items: list[tuple[str, str | None]]) -> None:
    cleaned = [_article(i, text, when) for i, (text, when) in enumerate(items)]
    # byte-identical texts are one article (the pipeline keeps one before extraction)
    articles = list({a.id: a for a in cleaned if a is not None}.values())
    if not articles:
        return
    annotated = list(_extractor()(articles))
    for article in annotated:
        _assert_spans_inside(article)
    report: Report = analyse_story(annotated, Settings(), debug=True)
    assert not report.rejections
    by_id = {a.id: a for a in report.articles}
    for article in report.articles:
        _assert_spans_inside(article)
    for sentence in report.story.brief:
        for span in sentence.citations:
            assert 0 <= span.start <= span.end <= len(by_id[span.article_id].text)
    for entry in report.story.timeline:
        for span in entry.citations:
            assert 0 <= span.start <= span.end <= len(by_id[span.article_id].text)
    jsonschema.validate(json.loads(render_json(report)), load_report_schema())
    render_markdown(report)
    render_html(report)
