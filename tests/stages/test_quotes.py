"""Quotes and their speakers: every quotation of the five seed reports, quotations of PolNeAR news
texts whose speaker naive rules get wrong, and input that breaks naive quote finders (unclosed,
nested and mixed marks, a huge paragraph)."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import make_article
from newsfuse.config import load_settings
from newsfuse.models import Article, Quote
from newsfuse.stages.clean.article import clean_document
from newsfuse.stages.extract.annotate import Extractor
from newsfuse.stages.extract.nlp import load_nlp
from newsfuse.stages.extract.quotes import (
    QuoteContext,
    attributions_in_paragraph,
    find_quote_marks,
    spoken_words,
)
from newsfuse.stages.ingest.files import read_inputs

SHARED = Path(__file__).resolve().parents[3] / "shared"

# (seed file prefix, start of the quoted text, speaker): every passage in quotation marks.  Names are
# the article's own (cross-article canonical names come later): seed 004 says "Atta Tarar".
SEED_SPEAKERS = [
    ("000", "clear, verifiable, and effective", None),  # a demand, not anyone's words
    ("000", "venomous statements", "Khawaja Asif"),
    ("000", "devious and splintered mindset", "Khawaja Asif"),
    ("000", "We have borne your treachery", "Khawaja Asif"),
    ("000", "If they wish so, the repeat", "Khawaja Asif"),
    # "a security official" is "a Pakistani security official" further down the same article
    ("001", "clear, verifiable and effective", "a Pakistani security official"),
    ("001", "On the request of our hosts", "a Pakistani security official"),
    ("001", "The talks will be based on", "a Pakistani security official"),  # next paragraph
    ("001", "well-placed sources", "State-run Pakistan TV Digital"),
    ("001", "We will carry out strikes", "Khawaja Asif"),
    ("001", "We will certainly do it", "Khawaja Asif"),
    ("001", "Let me assure them", "Khawaja Asif"),
    ("001", "If they wish so, the repeat", "Khawaja Asif"),
    ("001", "blindly pushing Afghanistan", "Khawaja Asif"),
    ("001", "The government in Kabul has been", "Khawaja Asif"),  # "he told": pronoun resolved
    ("002", "failed to provide any concrete", "Attaullah Tarar"),
    ("002", "solid and verifiable evidence", "Attaullah Tarar"),
    ("002", "Our demands were logical", "Attaullah Tarar"),
    ("002", "indulging in excuses", "Attaullah Tarar"),
    ("002", "Our patience has worn thin", "Attaullah Tarar"),
    ("002", "non-representative of the Afghan", "Attaullah Tarar"),  # "the minister"
    ("002", "war economy.", "Attaullah Tarar"),
    ("002", "Pakistan has always stood for", "Attaullah Tarar"),  # "…,” he said, “but …”: one
    ("002", "to give peace another chance", "Attaullah Tarar"),
    ("002", "kept straying from the main", "Attaullah Tarar"),
    ("002", "If Islamabad even looks at them", "Khawaja Asif"),
    ("002", "Our expectations were clear", "a senior official"),  # "…,” … said, “but …”: one
    ("003", "sufficient and irrefutable", "Attaullah Tarar"),
    ("003", "all possible measures", "Attaullah Tarar"),
    ("003", "four or five times", "Khawaja Asif"),
    ("003", "Instead of accepting any", "Attaullah Tarar"),  # cue in the sentence before
    ("004", "ample and irrefutable", "Atta Tarar"),
    ("004", "Pakistan sought a practical", "Atta Tarar"),
    ("004", "We will continue operations", "Atta Tarar"),
]


# (PolNeAR train text, start of the quoted text, speaker, the speaker span's text, where the speaker
# is named): one case per kind of error the speaker rules fixed, on the texts they were found in.
POLNEAR_SPEAKERS = [
    # the parse and the model take "We" inside the quote for the subject of "told"
    (
        "breitbart_2016-04-12_mexican-anchor-crosses-swords-wi",
        "We were tremendously",
        "Ramos",
        "after",
    ),
    # "“…?” Trump said of Apple": the parser splits after "?", the verb is in the next sentence
    (
        "breitbart_2016-05-18_trump-s-investments-include-comp",
        "Who do they think",
        "Trump",
        "after",
    ),
    # "Cruz continued:" ¶ "“You look at the questions …”": the cue is the paragraph before
    ("breitbart_2015-11-11_the-ninth-circle-the-hellish-vie", "You look at the", "Cruz", "before"),
    (
        "breitbart_2015-11-11_the-ninth-circle-the-hellish-vie",
        "The clear winner",
        "Pollak",
        "before",
    ),
    # "Carter said that …" ¶ "“That’s because …”": a speech verb ends the paragraph before
    (
        "huff-post_2016-06-04_u-s-flexes-muscles-as-asia-worri",
        "That’s because this",
        "Carter",
        "before",
    ),
    # "“It's unusual,“ said Larry Noble": a typo'd opening mark closes the quote
    ("politico_2015-12-15_carson-huckabee-fiorina-earned-s", "It's unusual", "Noble", "after"),
    # "“I’d beat him,” Trump said. “…,” Trump said.": the second quote has its own cue after it
    (
        "west-journal_2016-01-26_trump-just-announced-who-he-woul",
        "I would love him",
        "Trump",
        "after",
    ),
    # "said Elmendorf, who supports Clinton": not the person in the relative clause
    (
        "usa-today_2016-04-06_sanders-says-he-s-riding-momentu",
        "The numbers don't",
        "Elmendorf",
        "after",
    ),
    # "Mr. Trump was prompted to say, ''…''": an infinitive cue speaks through its controller
    ("nyt_2016-03-12_republicans-lower-volume-in-deba", "So far, I cannot", "Trump", "before"),
    # "“…,” tweeted a German user": the parse takes the inverted subject for an object
    (
        "wash-post_2016-01-07_germany-targets-a-surge-of-vitri",
        "It's not politically",
        "user",
        "after",
    ),
    # "said a source close to the campaign", not "Bill Clinton" of the quote's sentence
    ("politico_2016-03-10_hillary-clinton-s-backseat-drive", "very worked up", "a source", "after"),
    # "Of Carson, Levine, who has given money to Marco Rubio, said": the source's own name first
    (
        "politico_2015-12-03_trump-carson-flop-with-jewish-re",
        "He’s flat-out scary",
        "Levine",
        "before",
    ),
    # "Mr. Trump continued: ''…'' He added that …": the colon's clause, not the next sentence's cue
    ("nyt_2016-02-17_jeb-bush-helped-by-george-goes-a", "The worst attack ever", "Trump", "before"),
    # "Here’s Clinton in December 1992: “…”": a colon introduces the quote, no speech verb at all
    (
        "huff-post_2016-03-23_how-the-democratic-elite-betraye",
        "Our new direction must",
        "Clinton",
        "before",
    ),
    # "Pollsters agree - Carl Bialik: “…”": the headline before the dash is not the source
    (
        "huff-post_2016-02-03_huffpollster-a-seismic-shift-amo",
        "One of the biggest lessons",
        "Bialik",
        "before",
    ),
    # "“…!” US Senator Jeff Sessions said": a four-word name between the quote and its verb
    (
        "breitbart_2016-07-19_republicans-begin-roll-call-vote",
        "The great state of Alabama",
        "Sessions",
        "after",
    ),
    # "“…, ‘… what can we do to help?’” Renteria told reporters": a nested quote ends the quote
    (
        "huff-post_2016-01-19_flint-water-response-perfectly-c",
        "When this came",
        "Renteria",
        "after",
    ),
    # "“…,” Trump, the … frontrunner … after winning the … primaries, said": a verb in the aside
    (
        "breitbart_2016-02-16_donald-trump-praises-breitbart-s",
        "Very good reporter,",
        "Trump",
        "after",
    ),
    # a quotation paragraph signed by the next one, "- Sanders.": not the speaker carried before
    (
        "wash-post_2016-02-05_in-the-democrats-debate-some-fam",
        "Boeing and GE and other",
        "Sanders",
        "after",
    ),
    ("wash-post_2016-07-29_convention-notebook", "Great speech. She's tested", "Obama", "after"),
    # "Sanders shot back, “…”": the cue holding the quote need not be a speech verb
    (
        "usa-today_2016-04-15_fiery-words-light-up-the-debate-",
        "Secretary Clinton called them out",
        "Sanders",
        "before",
    ),
    # "Trump has hailed … as “fantastic,” telling reporters …": a participle does not invert
    ("breitbart_2016-06-26_clinton-swipes-at-trump-over-bre", "fantastic", "Trump", "before"),
    # "“…!” LeVell declared, … during which callers asked how much … “I make my own money.”": the
    # sentence before has a quote with its cue, which the next quote continues
    (
        "wash-post_2016-04-17_donald-trump-is-not-a-racist-guy",
        "I make my own money",
        "LeVell",
        "before",
    ),
    # "… Mackler issued a statement saying his comment “has absolutely no place …”": the one who
    # issued the statement, not the statement or the comment
    (
        "usa-today_2016-08-10_nd-amendment-people-his-secret-w",
        "has absolutely no place",
        "Mackler",
        "before",
    ),
    (
        "breitbart_2016-06-08_ready-to-back-clinton-obama-work",
        "The struggle continues",
        "senator",
        "before",
    ),
    # "Lynch announced … “We are seeking ….” She further announced that …": the verb after the
    # quote reports a clause of its own; the quote is the sentence before's
    (
        "breitbart_2016-05-14_mccain-challenger-kelli-ward-imp",
        "We are seeking a court",
        "Lynch",
        "before",
    ),
    # "“Go back to Univision,” Trump barked": any verb, its subject parsed as a compound
    (
        "breitbart_2016-04-12_mexican-anchor-crosses-swords-wi",
        "Go back to Univision",
        "Trump",
        "after",
    ),
    # "…, as Mrs. Clinton echoed the criticism, saying Mr. Trump ''reminds us …''": "echo" is a
    # speech verb, its subject the participle's speaker, not "It" of the main clause
    (
        "nyt_2016-06-28_clinton-and-warren-team-up-on-tr",
        "reminds us every day",
        "Clinton",
        "before",
    ),
    # "PHILADELPHIA … — The Democratic National Committee released a statement …, offering “…”":
    # "release" is no speech verb, so its (misparsed) subject does not outrank the model's source
    (
        "breitbart_2016-07-25_dnc-issues-deep-and-sincere-apol",
        "a deep and sincere apology",
        "Democratic National Committee",
        "before",
    ),
    # "Richard Nixon ran on the slogan "Experience Counts"": no speech verb, yet the main verb the
    # quoted phrase hangs on says whose words they are
    (
        "usa-today_2016-03-16_clinton-extends-her-lead-despite",
        "Experience Counts",
        "Nixon",
        "before",
    ),
    # "''Whoever opens the borders …'' wrote a man calling himself Paul Paul": the parse makes
    # the inverted subject an object of "wrote"; it is still the first noun phrase after the verb
    (
        "nyt_2016-03-23_attacks-renew-bitter-debate-on-m",
        "Whoever opens the borders",
        "Paul Paul",
        "after",
    ),
    # "“…,” Sanders said, according to CNN": the words are Sanders's, though PolNeAR marks only
    # the outer source (CNN); who said it is what the reader asks
    (
        "breitbart_2016-07-25_dnc-issues-deep-and-sincere-apol",
        "I ask you as a personal courtesy",
        "Sanders",
        "after",
    ),
    (
        "west-journal_2015-11-23_look-how-trey-gowdy-just-fired-b",
        "The committee understands",
        "Jamal Ware",
        "after",
    ),
    # "''A,'' said Ermelino, …, who has not read the work. ''B.''": "read" is nearest to B but names
    # no one; B continues A
    (
        "nyt_2016-02-01_with-wall-st-center-stage-novel-",
        "Even though she is rich",
        "Ermelino",
        "before",
    ),
    # "“…,” screenwriter Cole Haddon wrote": "screenwriter" tagged a verb is no other statement
    ("wash-post_2016-07-03_trump-tweet-that-blasts-clinton-", "Just saw", "Haddon", "after"),
    # "In the letter - addressed to …, Channing D. Phillips - the Utah Republican asks for …
    # “…”": the name in the aside between the dashes is not the one who asks
    (
        "wash-post_2016-09-07_republican-seeks-new-clinton-inq",
        "Secretary Clinton or her employees",
        "Utah Republican",
        "before",
    ),
    # "“…,” said Kristen Day, executive director of Democrats for Life, reports USA Today": Day's
    (
        "breitbart_2016-07-22_tim-kaine-fully-embraced-abortio",
        "This platform’s language",
        "Kristen Day",
        "after",
    ),
    # "“…,” Will wrote": the columnist George Will, parsed as the modal of "wrote"
    (
        "west-journal_2015-11-21_after-trump-heard-what-his-fox-n",
        "The eruption of war",
        "Will",
        "after",
    ),
]

# (PolNeAR train text, start of the reported content, the source span's text, a name of the same
# sentence that is not the source): the span reported is the chosen source's own phrase, not another
# person named in its phrase or sentence.
POLNEAR_SOURCES = [
    # a headline "Lynch: …" whose content names Clinton
    (
        "breitbart_2016-02-08_lynch-no-outside-influence-on-fb",
        "No outside influence",
        "Lynch",
        "Clinton",
    ),
    # "Our Principles PAC, which was founded by former Mitt Romney staffer Katie Packer …, launched"
    (
        "breitbart_2016-04-24_anti-trump-groups-launch-ads-in-",
        "a television and radio ad",
        "Our Principles PAC",
        "Romney",
    ),
    # "Exit polls from the New Hampshire primary, which Mr. Trump won decisively, showed that …"
    ("nyt_2016-02-18_trump-fires-up-g-o-p-base-by-pri", "that 65 percent", "Exit polls", "Trump"),
    # a headline "Reid: 'Never, ever, ever underestimate Trump.'": nothing after the colon
    ("politico_2016-03-23_reid-never-ever-ever-underestima", "'Never, ever", "Reid", "Trump"),
    # headlines whose colon credits the name before it, not one after it
    ("breitbart_2016-01-31_issa-hillary-clinton-s-honesty-i", "‘Honesty Is", "Issa", "Clinton"),
    ("breitbart_2015-12-11_trump-cruz-has-to-come-a-long-wa", "Cruz Has", "Trump", "Cruz"),
    # "Advisers to four remaining mainstream candidates - former Florida governor Jeb Bush, …"
    (
        "wash-post_2016-01-31_can-the-gop-establishment-stop-t",
        "either of those outcomes",
        "Advisers",
        "Bush",
    ),
]


@pytest.fixture(scope="module")
def polnear_articles() -> dict[str, Article]:
    """The PolNeAR train texts of POLNEAR_SPEAKERS and POLNEAR_SOURCES, extracted (read from ../shared, not copied)."""
    directory = SHARED / "bench" / "attribution-dev" / "train" / "text"
    if not directory.is_dir():
        pytest.skip(f"PolNeAR train texts not found at {directory}")
    names = sorted({name for name, *_ in [*POLNEAR_SPEAKERS, *POLNEAR_SOURCES]})
    texts = [(directory / f"{name}.txt").read_text(encoding="utf-8") for name in names]
    articles = Extractor(load_settings().extract)(
        [_article(text, name) for name, text in zip(names, texts, strict=True)]
    )
    return dict(zip(names, articles, strict=True))


@pytest.mark.parametrize(("name", "start", "speaker", "where"), POLNEAR_SPEAKERS)
def test_polnear_quotation_has_its_speaker(
    polnear_articles: dict[str, Article], name: str, start: str, speaker: str, where: str
) -> None:
    article = polnear_articles[name]
    _check_anchored(article)
    (quote,) = [q for q in article.quotes if q.kind != "indirect" and q.text.startswith(start)]
    assert quote.speaker is not None and speaker in quote.speaker, quote
    assert quote.speaker_span is not None
    assert speaker in article.slice(quote.speaker_span)
    if where == "after":
        assert quote.speaker_span.start >= quote.span.end
    else:
        assert quote.speaker_span.end <= quote.span.start


@pytest.mark.parametrize(("name", "start", "source", "other"), POLNEAR_SOURCES)
def test_polnear_source_span_is_the_sources_own_phrase(
    polnear_articles: dict[str, Article], name: str, start: str, source: str, other: str
) -> None:
    article = polnear_articles[name]
    (quote,) = [q for q in article.quotes if q.kind == "indirect" and q.text.startswith(start)]
    assert quote.speaker_span is not None, quote
    reported = article.slice(quote.speaker_span)
    assert source in reported and other not in reported, reported
    assert quote.speaker is not None and other not in quote.speaker, quote


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> dict[str, Article]:
    settings = load_settings()
    raws = list(read_inputs([str(seeds_dir)], settings.ingest))
    articles = [clean_document(raw, settings.clean) for raw in raws]  # type: ignore[arg-type]
    return {Path(a.origin).name[:3]: a for a in Extractor(settings.extract)(articles)}


def _extract(text: str) -> Article:
    return Extractor(load_settings().extract)([_article(text)])[0]


def _article(text: str, ident: str = "a1") -> Article:
    return make_article(text, article_id=ident)


def _check_anchored(article: Article) -> None:
    for quote in article.quotes:
        assert article.slice(quote.span) == quote.text
        assert quote.text.strip() == quote.text and quote.text
        if quote.speaker_span is not None:
            assert 0 <= quote.speaker_span.start <= quote.speaker_span.end <= len(article.text)


def test_every_seed_quotation_has_its_speaker(seed_articles: dict[str, Article]) -> None:
    for seed, start, speaker in SEED_SPEAKERS:
        matches = [q for q in seed_articles[seed].quotes if q.text.startswith(start)]
        assert matches, (seed, start)
        assert matches[0].speaker == speaker, (seed, start, matches[0])


def test_no_seed_quotation_is_left_unchecked(seed_articles: dict[str, Article]) -> None:
    checked = {(seed, start) for seed, start, _ in SEED_SPEAKERS}
    for seed, article in seed_articles.items():
        for quote in article.quotes:
            if quote.kind == "indirect":
                continue
            assert any(s == seed and quote.text.startswith(t) for s, t in checked), quote.text


def test_seed_reported_speech(seed_articles: dict[str, Article]) -> None:
    def indirect(seed: str, start: str) -> Quote:
        found = [q for q in seed_articles[seed].quotes if q.text.startswith(start)]
        assert found, start
        return found[0]

    geo = indirect("000", "Pakistan’s delegation decided to extend its stay")
    assert (geo.kind, geo.speaker, geo.cue) == ("indirect", "Geo News", "reported")
    tarar = indirect("002", "Pakistan shared extensive proof")
    assert (tarar.speaker, tarar.cue) == ("Attaullah Tarar", "According to")
    sources = indirect("004", "that the Afghan delegation’s stance")
    assert sources.speaker == "Sources close to the talks"
    # "…, which it accuses of operating from sanctuaries": "it" is Islamabad, never a person
    accusation = indirect("003", "of operating from sanctuaries")
    assert (accusation.speaker, accusation.cue) == ("Islamabad", "accuses")


def test_seed_speakers_a_reader_would_accept(seed_articles: dict[str, Article]) -> None:
    """Issue 18: titles, pronouns after a title, glosses and fragments on the seeds' own text."""

    def quotes_of(seed: str, start: str) -> list[Quote]:
        return [q for q in seed_articles[seed].quotes if q.text.startswith(start)]

    # "Minister for Information and Broadcasting Attaullah Tarar confirmed … He pointed out":
    # the person, never the word "Minister" (no PERSON tag on his name in this article)
    (pointed,) = quotes_of("000", "that despite presenting evidence-backed")
    assert pointed.speaker == "Tarar" and pointed.cue == "pointed"
    assert all(q.speaker != "Minister" for q in seed_articles["000"].quotes)
    # "the minister" after "Information Minister Atta Tarar said": him, and not Defence Minister
    # Khawaja Asif, who is named only further down
    (thanked,) = [q for q in seed_articles["004"].quotes if q.cue == "thanked"]
    assert thanked.speaker == "Atta Tarar"
    assert thanked.speaker_span is not None
    assert seed_articles["004"].slice(thanked.speaker_span) == "the minister"
    # the reporter's gloss "Asif’s reference to Tora Bora alluded to …" is nobody's quote
    assert not [q for q in seed_articles["001"].quotes if q.cue in ("reference", "alluded")]
    assert not quotes_of("001", "alluded to the US bombardment")
    # "…, a charge New Delhi denies": "a charge" is not what New Delhi says
    assert not quotes_of("001", "a charge")
    # one unnamed source under one name
    speakers = {q.speaker for q in seed_articles["001"].quotes}
    assert "a Pakistani security official" in speakers and "a security official" not in speakers


def test_descriptions_unify_only_when_one_fuller_description_exists() -> None:
    article = _extract(
        "An official said the port would reopen. A senior official said talks went well. "
        "A port official said the cranes were idle. A senior port official said more."
    )
    speakers = sorted({q.speaker for q in article.quotes if q.speaker})
    # "a port official" and "a senior official" each have one fuller form; "an official" has three
    assert speakers == ["A senior port official", "An official"]


def test_it_is_the_body_before_it_and_never_a_person() -> None:
    article = _extract(
        "Union leader Ines Varga spoke on Monday. The union is seeking the immediate payment of "
        "about 14 million crowns it says its members are owed for overtime worked since 2024."
    )
    (owed,) = [q for q in article.quotes if q.cue == "says"]
    assert owed.speaker == "The union"  # the report's table then names the union the story names


def test_seed_spans_slice_their_text(seed_articles: dict[str, Article]) -> None:
    for article in seed_articles.values():
        _check_anchored(article)


# (example file, start of the quoted text, speaker): quotes of the bundled example whose speaker a
# naive rule gets wrong.
EXAMPLE_SPEAKERS = [
    # "Varga was equally cautious. “…,” she said.": spaCy tags "Varga" ORG and the paragraph before
    # ends with Strand's quote; "she" is the subject of the sentence before
    ("08_calderra-sentinel.txt", "This is not a victory and", "Ines Varga"),
    # "The union's general secretary, Ines Varga, … told reporters": a name tagged ORG in
    # apposition to a common noun is a person, and the one who speaks
    ("08_calderra-sentinel.txt", "We will not go back to th", "Ines Varga"),
    ("08_calderra-sentinel.txt", "Both sides have shown goo", "Helena Strand"),
    # "“… what Port Merrow will look like on Sunday,” he said": "he" is no one inside the quote
    ("07_harbour-trade-review.html", "Three days buys you time", "Dmitri Sollen"),
    # "a minister who … had insisted he would not be “held to ransom”": the minister, not "who"
    ("06_workers-voice.txt", "held to ransom", "a minister"),
]


@pytest.fixture(scope="module")
def example_articles(examples_dir: Path) -> dict[str, Article]:
    settings = load_settings()
    names = sorted({name for name, _, _ in EXAMPLE_SPEAKERS})
    raws = list(read_inputs([str(examples_dir / name) for name in names], settings.ingest))
    articles = [clean_document(raw, settings.clean) for raw in raws]  # type: ignore[arg-type]
    return {Path(a.origin).name: a for a in Extractor(settings.extract)(articles)}


@pytest.mark.parametrize(("name", "start", "speaker"), EXAMPLE_SPEAKERS)
def test_example_quotation_has_its_speaker(
    example_articles: dict[str, Article], name: str, start: str, speaker: str
) -> None:
    article = example_articles[name]
    _check_anchored(article)
    quotes = [q for q in article.quotes if q.kind != "indirect" and q.text.startswith(start)]
    assert quotes, start
    assert quotes[0].speaker == speaker, quotes[0]


@pytest.mark.parametrize("dash", ["—", "―"])  # HuffPost prints its dashes as U+2015
def test_signature_after_a_quote_names_its_speaker(dash: str) -> None:
    """ "“…” — Bernie Sanders" in the quote's own paragraph, or a paragraph "- Clinton." after it:
    the signature is the speaker, not the one a pronoun or the paragraph before would give."""
    text = (
        "Hale said the talks had failed.\n\n"
        f"“We will not be held to ransom by anyone.” {dash} Bernie Sanders\n\n"
        "“I went to Wall Street before the crash.”\n\n"
        "- Clinton.\n\n"
        "Hillary Clinton spoke later."
    )
    article = _extract(text)
    _check_anchored(article)
    speakers = {q.text[:10]: q for q in article.quotes if q.kind != "indirect"}
    sanders, clinton = speakers["We will no"], speakers["I went to "]
    assert sanders.speaker == "Bernie Sanders" and sanders.speaker_span is not None
    assert article.slice(sanders.speaker_span) == "Bernie Sanders"
    assert clinton.speaker == "Hillary Clinton" and clinton.speaker_span is not None
    assert article.slice(clinton.speaker_span) == "Clinton"


def test_signed_quotes_on_consecutive_lines_each_name_their_signer() -> None:
    """A collage of reader quotes, one per line of one paragraph, each signed "― Name", the first
    opened with a closing mark (a typo): every line's quote is its signer's, not a pronoun's or
    the verb's inside the quote ("He has empowered …")."""
    text = (
        "Readers told us what they think of the mayor.\n\n"
        "”The mayor ignores our street. He has empowered the developers to do as they like.” "
        "― Ana Ruiz\n"
        "“He never answers a question without blaming someone else first.”― Tom Okafor\n"
        "“We deserve a mayor who listens to the people who live here.” ―\xa0Lena Brandt."
    )
    article = _extract(text)
    _check_anchored(article)
    speakers = {q.text[:12]: q for q in article.quotes if q.kind != "indirect"}
    assert {k: q.speaker for k, q in speakers.items()} == {
        "The mayor ig": "Ana Ruiz",
        "He never ans": "Tom Okafor",
        "We deserve a": "Lena Brandt",
    }
    for quote in speakers.values():
        assert quote.speaker_span is not None
        assert article.slice(quote.speaker_span) == quote.speaker
    below = _extract("Readers wrote in.\n\n“Fix the buses before the stadium.”\n— Omar Haddad")
    assert [q.speaker for q in below.quotes if q.kind != "indirect"] == ["Omar Haddad"]


def test_quotation_interrupted_by_its_attribution_is_one_quote(
    seed_articles: dict[str, Article],
) -> None:
    """ "“Pakistan has always stood for peace …,” he said, “but the Taliban’s indifference …”" (seed
    002) is one quote of one speaker; its words, without "he said", are what outlets are compared
    on.  Two sentences ("“A,” he said. “B.”") stay two quotes."""
    article = seed_articles["002"]
    _check_anchored(article)
    (joined,) = [q for q in article.quotes if "Pakistan has always stood for" in q.text]
    assert joined.speaker == "Attaullah Tarar" and joined.kind == "direct"
    assert "Taliban’s indifference" in joined.text
    assert not [q for q in article.quotes if q.text.startswith("but the Taliban")]
    assert spoken_words(joined.text) == (
        "Pakistan has always stood for peace and prosperity in Afghanistan, but the Taliban’s "
        "indifference to our sacrifices is deeply disappointing."
    )
    two = _extract(
        "The talks ended on Sunday.\n\n"
        "“We came in good faith,” the minister said. “We leave with nothing.”\n\n"
        "“The border stays open,” said Ana Ruiz, who leads the delegation, “for now.”"
    )
    _check_anchored(two)
    texts = sorted(q.text for q in two.quotes if q.kind != "indirect")
    assert texts == [
        "The border stays open,” said Ana Ruiz, who leads the delegation, “for now.",
        "We came in good faith,",
        "We leave with nothing.",
    ]
    assert {q.speaker for q in two.quotes if q.text.startswith("The border")} == {"Ana Ruiz"}


def test_relative_clause_between_quote_and_verb_is_the_speakers() -> None:
    """'"…,"Katie Packer, who is chairman of Our Principles Pac said' (PolNeAR train, its missing
    space kept): the verb of a relative clause describes the speaker, it is no other statement."""
    article = _extract(
        "The ad ran on Monday.\n\n"
        '"Trump says different things to different audiences,"Katie Packer, who is chairman '
        "of Our Principles Pac said in a statement."
    )
    _check_anchored(article)
    (quote,) = [q for q in article.quotes if q.kind != "indirect"]
    assert quote.speaker is not None and quote.speaker_span is not None, quote
    assert "Katie Packer" in quote.speaker and "chairman" not in quote.speaker, quote
    assert article.slice(quote.speaker_span) in {"Katie Packer", "who"}


def test_colon_takes_the_outermost_speech_verb_of_its_clause() -> None:
    """ "he said he often thinks of what his parents told him: “…”" (PolNeAR train): the clause's
    own speech verb introduces the quotation, not one reported inside it."""
    article = _extract(
        "Attaullah Tarar spoke on Monday. His faith is important to him, and he said he often "
        "thinks of what his parents told him: “In order to get to heaven, you have to have "
        "letters of reference from poor people.”"
    )
    _check_anchored(article)
    (quote,) = [q for q in article.quotes if q.kind != "indirect"]
    assert quote.speaker == "Attaullah Tarar", quote


def test_speech_verb_tagged_as_a_noun_after_the_quote() -> None:
    """ "“…,” the two write." (PolNeAR train): the tagger makes "write" a noun after "two"; it is
    still the verb of the attribution slot, its subject the number before it."""
    article = _extract(
        "Chaffetz and Goodlatte sent the letter on Monday.\n\n"
        "“You seem to have picked a new standard out of thin air to describe the actions of "
        "Secretary Clinton,” the two write."
    )
    _check_anchored(article)
    (quote,) = [q for q in article.quotes if q.kind != "indirect"]
    assert quote.speaker_span is not None and quote.cue == "write", quote
    assert article.slice(quote.speaker_span) == "two"


def test_pull_quote_signed_inside_its_marks() -> None:
    """HuffPost's pull quotes keep their signature line inside the marks (PolNeAR train): the line
    after the open quotation names its speaker, not the last speaker before it; a last line with a
    verb is the quote's own."""
    text = (
        "Alpert said the deficit would grow.\n\n"
        '"We are going to enter the next recession, whenever it comes, without that consensus.\n'
        'Josh Bivens, Economic Policy Institute."\n\n'
        "Alpert said the budget was fine.\n\n"
        '"We will see a resurgence of balanced budgets.\n'
        'Everybody knows that."\n\n'
        "The vote is on Tuesday."
    )
    article = _extract(text)
    _check_anchored(article)
    signed, unsigned = [q for q in article.quotes if q.kind != "indirect"]
    assert signed.speaker == "Josh Bivens" and signed.speaker_span is not None
    assert article.slice(signed.speaker_span) == "Josh Bivens"
    assert unsigned.speaker == "Alpert"


# (PolNeAR train text, words of the paragraph, start of the quote, its speaker): a reported clause
# of another cue runs on over a quotation that has a speaker of its own.
ENCLOSED_QUOTES = [
    # "When asked why, Sembler responded …: “…”": the model's sourceless "asked" would take in
    # everything after it, attributed to nobody
    (
        "wash-post_2016-05-25_fundraisers-scorned-by-trump-on-",
        "Sembler resp",
        "Trump will be",
        "Sembler",
    ),
    # "Trump asserted that France had lost its identity: “France is no longer France,” he claimed":
    # "asserted" reports the clause before the colon, "claimed" the quote
    (
        "huff-post_2016-08-03_francois-hollande-says-donald-tr",
        "Trump asserted",
        "France is no",
        "Trump",
    ),
]


@pytest.mark.parametrize(("name", "words", "start", "speaker"), ENCLOSED_QUOTES)
def test_no_other_attribution_encloses_a_spoken_quote(
    name: str, words: str, start: str, speaker: str
) -> None:
    path = SHARED / "bench" / "attribution-dev" / "train" / "text" / f"{name}.txt"
    if not path.is_file():
        pytest.skip(f"PolNeAR train text not found at {path}")
    text = path.read_text(encoding="utf-8")
    (paragraph,) = [p for p in text.split("\n") if words in p]
    nlp = load_nlp(load_settings().extract.spacy_model)
    found = attributions_in_paragraph(nlp(paragraph), 0, "a", QuoteContext(people=(speaker,)))
    (quote,) = [a.quote for a in found if a.quote.text.startswith(start)]
    assert quote.speaker == speaker, quote
    enclosing = [
        a.quote
        for a in found
        if a.quote is not quote
        and a.quote.span.start <= quote.span.start
        and quote.span.end <= a.quote.span.end
    ]
    assert not enclosing, enclosing


def test_unclosed_quote_runs_to_paragraph_end() -> None:
    article = _extract("Asif told reporters: “We will never accept this\n\nA new paragraph.")
    _check_anchored(article)
    (quote,) = [q for q in article.quotes if q.kind != "indirect"]
    assert quote.text == "We will never accept this"
    assert quote.speaker == "Asif"


def test_nested_and_mixed_marks() -> None:
    text = (
        '“He called it ‘a disgrace’ and said "never again",” the minister said. '
        'Tarar added: “We saw it happen." Then he left.'
    )
    article = _extract(text)
    _check_anchored(article)
    speakers = {q.text[:10]: q.speaker for q in article.quotes if q.kind != "indirect"}
    assert speakers["He called "] == "the minister"
    assert speakers["We saw it "] == "Tarar"


def test_double_apostrophes_are_a_quotation_mark() -> None:
    text = "''We will win this,'' Mr. Smith said on Friday."
    assert [text[s:e] for s, e, _ in find_quote_marks(text)] == ["We will win this,"]


def test_huge_paragraph_neither_crashes_nor_escapes_the_article() -> None:
    sentence = "“We will not leave,” a spokesman said, adding that the port stayed shut. "
    article = _extract(sentence * 1400 + "“And it never closes")  # ~100k characters, one paragraph
    assert len(article.text) > 100_000
    _check_anchored(article)
    direct = [q for q in article.quotes if q.text.startswith("We will not leave")]
    assert len(direct) == 1400
    assert all(q.speaker == "a spokesman" for q in direct)


def test_a_quotation_is_never_its_own_speaker() -> None:
    """A cue whose only candidate speakers sit inside quotation marks falls back to the last
    person named; it must not credit a quote to its own words (review of the chooser change)."""
    text = "Tarar spoke on Friday. “The ministers” said “we will not be held to ransom by anyone.”"
    article = _extract(text)
    _check_anchored(article)
    for quote in article.quotes:
        if quote.kind == "indirect" or quote.speaker_span is None:
            continue
        start, end = quote.speaker_span.start, quote.speaker_span.end
        assert not (quote.span.start - 1 <= start and end <= quote.span.end + 1), quote
    assert all(q.speaker != "The ministers" for q in article.quotes), article.quotes
