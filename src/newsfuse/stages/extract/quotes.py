"""Quotes and their speakers, from one parsed paragraph.

Three kinds, as the data model names them:

* ``direct`` – a passage in quotation marks that carries the statement ("“We will carry out strikes,”
  Asif told reporters").
* ``partial`` – a quoted phrase inside the reporter's own sentence ("criticized the Taliban for making
  “venomous statements,”").
* ``indirect`` – reported speech with no quotation marks ("Tarar said that Kabul failed to ...",
  "according to Tarar, ...").

Cues, their sources and their contents come from a small learned model
(:mod:`newsfuse.stages.extract.attribution_model`, trained on PolNeAR's train split): besides speech
verbs it knows beliefs and expectations ("think", "is expected"), noun cues ("according to", "the
claim that"), passives and headline colons.  An attribution with no source the text names ("it is
expected that …") is an :class:`Attribution` but not a :class:`Quote`: who-said-what has no one to
put it under.  A quoted passage that breaks off on a comma takes the speech verb right after it
("“…,” she added"); otherwise the cue whose content holds it, else the nearest speech verb outside
the quotation marks in the sentences the quote touches, and when nothing else names a speaker the
main verb a quoted phrase hangs on ("Richard Nixon ran on the slogan “Experience Counts”"); its speaker is that cue's source, never a
word of the quote itself, and for a cue after the quote the first noun phrase beside it ("“…,” said
Elmendorf, who supports Clinton").  Names are canonicalised against the article's PERSON mentions
("Asif" → "Khawaja Asif"), pronouns go to the last person named before the quote, and unnamed
sources keep their description ("a Pakistani security official").  A paragraph that is nothing but
a quote and has no cue takes the speaker the paragraph before leads in with ("Cruz continued:",
"Carter said that …"), else continues the previous quote's speaker, as newspapers write
multi-paragraph quotes.  A headline's colon credits the name before it ("Issa: Hillary Clinton’s
‘Honesty Is In Question.’"); a pull quote may be signed on its own last line, inside the marks.
A definite title is the person the article last introduced with it ("Information Minister Attaullah
Tarar …; the minister described …" is Tarar's), and a pronoun after a title phrase whose name the
tagger missed is that name, never the title ("Minister for Information and Broadcasting Attaullah
Tarar confirmed … He pointed out" is Tarar's).  Some attributions PolNeAR-style annotation marks are
no one's words, and stay out of who-said-what (:attr:`Attribution.statement`): a reporter's gloss
on a statement ("Asif’s reference to Tora Bora alluded to …") and a noun a cue's clause modifies
("a charge New Delhi denies").  Within an article, an unnamed source takes its one fuller
description ("a security official" … "a Pakistani security official"; :func:`unify_descriptions`).
"“…,” Sanders said, according to CNN" stays Sanders's quote: PolNeAR marks only the outer source
(CNN), but a reader asking who said it wants Sanders, and CNN's report is an attribution of its own.

Each of those rules also proposes its own cue and speakers on its own; a learned chooser
(:mod:`newsfuse.stages.extract.speaker_model`, trained by ``benchmarks/train_speakers.py``) can
weigh all the proposals together, the fixed order's pick among them.  It is off while no weights
ship beside the module: on PolNeAR it has not yet beaten the order on dev, and proposing every
candidate costs a fifth of the parse time.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsfuse.models import Quote, QuoteKind, Span
from newsfuse.stages.extract import attribution_model
from newsfuse.stages.extract.attribution_model import (
    AttributionModel,
    quoted_sentences,
    sentences_of,
)
from newsfuse.stages.extract.cue_decision import CueDecision, candidate_features
from newsfuse.stages.extract.entities import normalise
from newsfuse.stages.extract.speaker_model import SpeakerChooser, distance_bucket, load_chooser

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "SPEECH_VERBS",
    "Attribution",
    "Choice",
    "QuoteContext",
    "attributions_in_article",
    "attributions_in_paragraph",
    "find_quote_marks",
    "quote_people",
    "quoted_characters",
    "quotes_in_paragraph",
    "unify_descriptions",
]

SPEECH_VERBS = frozenset(  # lemmas of verbs that introduce speech
    """say tell write add warn state claim allege insist argue stress note explain acknowledge
    confirm announce declare vow pledge threaten accuse deny reiterate emphasize emphasise assert
    remark reply respond ask urge describe call criticize criticise tweet post predict suggest
    admit concede caution complain maintain recall report answer echo observe exclaim shout yell
    chant scream interject confide quip joke retort scoff boast muse testify recount mutter whisper
    plead lament proclaim dub read""".split()  # noqa: SIM905 - a word list reads better as prose
)

_CUE_PARTS = frozenset({"aux", "auxpass", "neg"})  # "has said", "did not say"
_NAME_MODALS = frozenset({"Will", "May"})  # modals that are also surnames ("George Will said")
_NOUNISH = frozenset({"PROPN", "PRON", "NOUN"})
_NOT_HEADS = frozenset({"compound", "poss", "pobj", "amod", "det", "dobj", "npadvmod", "nmod"})
_MODIFIERS = frozenset({"compound", "poss", "amod", "det", "nmod", "pobj"})
_ANTECEDENT_TOKENS = 400  # how far back in a paragraph a pronoun looks for its person
# "— Bernie Sanders", "-President Obama, tweeting after …", on the quote's line or the next: a
# signature ends its line, and a collage of reader quotes puts the next signed quote on the very
# next line of the paragraph
_SIGNATURE = re.compile(
    r"[ \t\xa0]*\n?[ \t\xa0]*([-—–―]+)[ \t\xa0]*([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)*)(?:,[^\n]{0,80})?"
    r"[. \t\xa0]*(?:\n|$)"
)
_MAX_SIGNATURE_WORDS = 5
_MAX_SIGNED_LINE_WORDS = 12  # a signature line inside the marks: a name and a short affiliation
_PERSON_KEY = "newsfuse.quotes.person_at"
_QUOTED_KEY = "newsfuse.quotes.quoted"
_STATEMENT_ENDS = frozenset(",.!?")
_ADJACENT_TOKENS = 4  # how far from its quote a verb of any kind may be and still be the cue
_MAX_NAME_TOKENS = 4  # words of a name between a quote and its verb that do not count as distance
_EDGE_JUNK = " \t\n,;:—–―-"
# a dash that ends a headline run into its quotation's source; HuffPost prints its dashes as the
# horizontal bar (U+2015), "“…” ― Bernie Sanders", which every dash rule takes like an em dash
_DASHES = (" -", "—", "–", "―")

_OPENERS = {"“": "”", '"': '"', "«": "»", "„": "“"}
_CLOSERS = {"”", '"', "»", "“"}
# a closing mark that opens a line and touches the word after it opens a quotation: a typo
_OPEN_MARK = re.compile(r"''|[“\"«„]|(?:^|(?<=\n))”(?=\w)")
_CLOSE_MARK = re.compile(r"''|[”\"»]|(?<=[^\s“])“(?=\s|$)")  # “It's unusual,“ said: a typo
_CLOSE_AFTER_LOW = re.compile(r"''|[”\"»“]")  # „German style“ closes with a high opening mark
_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "it", "we", "i"})
_PERSONAL = frozenset({"he", "she", "him", "her"})  # pronouns that can only mean a person
_ORG_WORDS = frozenset(  # words that make a proper-noun phrase an organisation's name
    """union authority service party committee council ministry department agency association
    company corporation corp inc ltd group bank university court commission congress senate
    house times post news press campaign administration government office board institute
    foundation network federation league club team police army""".split()  # noqa: SIM905
)
_MAX_DESCRIPTION_TOKENS = 8  # longer subject phrases are cut at their head noun
_RELATIVES = frozenset({"which", "that", "who", "what"})
_COMPARISONS = frozenset({"like", "unlike", "including", "besides", "except"})  # "X, like Ryan,"
_MIN_DIRECT_SHARE = 0.45  # a quote covering less of its sentence than this is a partial quote


def find_quote_marks(text: str) -> list[tuple[int, int, bool]]:
    """Return ``(start, end, closed)`` of each quoted passage, marks excluded.

    Curly and straight marks may be mixed, and two apostrophes (``''``, as some wire copy writes a
    double mark) count as one mark; a quote whose closing mark never comes runs to the end of
    ``text`` with ``closed=False``.  Single quotes are ignored: they are apostrophes far more often.
    An opening mark glued to the word before it and followed by a space closes ("“It's unusual,“
    said Larry Noble"): a typo that would otherwise swallow the text up to the next quote.
    """
    found: list[tuple[int, int, bool]] = []
    index = 0
    while True:
        opener = _OPEN_MARK.search(text, index)
        if opener is None:
            break
        closers = _CLOSE_AFTER_LOW if opener.group() == "„" else _CLOSE_MARK
        close = closers.search(text, opener.end())
        if close is None:
            found.append((opener.end(), len(text), False))
            break
        if close.start() > opener.end():
            found.append((opener.end(), close.start(), True))
        index = close.end()
    return found


@dataclass(slots=True)
class QuoteContext:
    """What attribution carries from one paragraph to the next within an article."""

    people: Sequence[str]  # canonical PERSON names of the article, longest first
    last_person: str | None = None
    last_person_is_subject: bool = False
    last_speaker: tuple[str, Span | None, str | None] | None = None
    lead_in: tuple[tuple[str, Span | None, str | None], Span | None] | None = None  # see _lead_in
    lead_in_colon: bool = False  # the lead-in ends with a colon: it also takes a quote that opens
    titled: dict[str, str] = field(default_factory=dict)  # "minister" -> the last person so titled
    chooser: SpeakerChooser | None = None  # None: the trained one (speaker_model.json.gz)
    # which lexicon tokens are cues: None, the linear cue scorer's threshold; else the
    # context-aware second decision (cue_decision.py), as ``extract.cue_decision`` chooses
    cue_decision: CueDecision | None = None
    trace: list[Choice] | None = None  # when a list, each quote's candidates are appended to it

    def salient_person(self) -> str | None:
        """Who a pronoun at the start of a paragraph means: the last person who was a subject,
        else the last named speaker, else the last person named."""
        if self.last_person and self.last_person_is_subject:
            return self.last_person
        if self.last_speaker and self.last_speaker[0] in self.people:
            return self.last_speaker[0]
        return self.last_person


@dataclass(frozen=True, slots=True)
class Choice:
    """The candidates proposed for one quoted passage (``quote``: its characters in the article,
    marks excluded): each one's features and speaker span, and which one was taken.  Recorded for
    ``benchmarks/train_speakers.py``, which learns from them what to take."""

    quote: Span
    candidates: tuple[tuple[tuple[str, ...], Span | None], ...]
    chosen: int


@dataclass(frozen=True, slots=True)
class Attribution:
    """A quote with what the data model does not keep: where its cue is (for benchmarks, debugging)."""

    quote: Quote
    cue_span: Span | None
    statement: bool = True  # False: a gloss or fragment that is no one's words (see _no_statement)


@dataclass(frozen=True, slots=True)
class _Cue:
    """A cue found in a paragraph: the verb (or "according"), its characters, what it attributes."""

    token: Token
    span: tuple[int, int]  # the cue's characters in the paragraph ("has said", "according to")
    content: tuple[int, int]  # the attributed passage's characters in the paragraph
    source: Token | None  # the head of the source phrase


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What every quote of a paragraph looks things up in, computed once per paragraph."""

    doc: Doc
    text: str  # doc.text, which spaCy rebuilds from the tokens on every access
    inside: list[bool]  # per character: inside (or on) a pair of quotation marks
    sentences: list[tuple[int, int, int, int]]  # (start_char, end_char, first token, end token)
    token_starts: list[int]  # each token's first character, for bisecting
    cues: list[_Cue]


def quotes_in_paragraph(
    doc: Doc, offset: int, article_id: str, context: QuoteContext
) -> list[Quote]:
    """Find the quotes of one parsed paragraph; ``offset`` places ``doc`` in the article text."""
    return [
        a.quote
        for a in attributions_in_paragraph(doc, offset, article_id, context)
        if a.quote.kind != "indirect" or a.quote.speaker is not None
    ]


def attributions_in_paragraph(
    doc: Doc, offset: int, article_id: str, context: QuoteContext
) -> list[Attribution]:
    """Quotes of one paragraph with their cue spans; ``offset`` places ``doc`` in the article text.

    Quoted passages come first: each takes the cue whose attributed clause contains it, else the
    nearest speech verb of its sentences, else the previous sentence's, else (a paragraph that is
    all quote) the previous quote's speaker.  Then every cue whose clause holds no quotation becomes
    an indirect quote.
    """
    text = doc.text
    marks = find_quote_marks(text)
    parsed = _parse(doc, marks, context.cue_decision)
    found: list[Attribution] = []
    quoted: list[tuple[int, int]] = []
    claimed: set[int] = set()  # cue tokens a quoted passage took
    spoken: list[tuple[int, int]] = []  # quoted passages that found a speaker
    closed_quotes = [(s - 1, e + 1) for s, e, closed in marks if closed]
    para = _Paragraph(parsed, offset, article_id, context, closed_quotes, claimed)
    for start, end, _closed in marks:
        content = text[start:end].strip()
        if len(content.split()) < 2 and not content.endswith((".", ",", "?", "!")):
            continue  # a scare-quoted single word is not a quotation
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        quoted.append((start, end))
        chosen = _choose(para, start, end)
        speaker, cue_span = chosen.speaker, chosen.cue_span
        if chosen.cue is not None:
            claimed.add(chosen.cue.i)
        span = Span(article_id, offset + start + lead, offset + start + lead + len(content))
        name, speaker_span, cue_text = speaker if speaker else (None, None, None)
        quote = Quote(span, content, _kind(parsed, start, end), name, speaker_span, cue_text)
        found.append(Attribution(quote, cue_span))
        if speaker is not None:
            context.last_speaker = speaker
            para.previous = (speaker, cue_span)
            spoken.append((start, end))
    found = _join_interrupted(found, text, offset)
    for cue in parsed.cues:
        left, right = cue.content
        if cue.token.i in claimed:
            continue
        if cue.source is None and _encloses(cue, spoken):
            continue
        cut = _before_spoken(text, cue, spoken)
        if cut is None:
            continue
        left, right = _strip_space(text, *cut)
        source_name, subject_range = _indirect_source(cue, context)
        source_span = (
            None
            if subject_range is None
            else Span(article_id, offset + subject_range[0], offset + subject_range[1])
        )
        quote = Quote(
            Span(article_id, offset + left, offset + right),
            text[left:right],
            "indirect",
            source_name,
            source_span,
            text[cue.span[0] : cue.span[1]],
        )
        found.append(
            Attribution(
                quote,
                Span(article_id, offset + cue.span[0], offset + cue.span[1]),
                statement=not _no_statement(cue),
            )
        )
    context.lead_in = _lead_in(parsed, offset, article_id, context)
    context.lead_in_colon = text.rstrip().endswith(":")
    _remember_people(doc, context)
    return sorted(found, key=lambda a: (a.quote.span.start, a.quote.span.end))


# between the two halves of one interrupted quotation: a closing mark, the attribution clause with
# no sentence end in it (an abbreviation's or initial's full stop aside), a comma, an opening mark
_INTERRUPTION = re.compile(r"\s*[”\"»]\s*([^\n“\"]{1,160}?),\s*[“\"«]\s*$")
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Lt|Jr|Sr))(?<!\bMrs)(?<!\b(?:Sen|Rep|Gov|Gen|Col|Sgt))[.!?](?=\s|$)"
)


def _join_interrupted(found: list[Attribution], text: str, offset: int) -> list[Attribution]:
    """One quotation interrupted by its attribution ("“X,” he said, “Y.”") is one quote with one
    speaker, not two: the first half ends with a comma, the words between the halves hold its cue
    and end with a comma, and they end no sentence.  The joined quote spans both halves (its text
    is the article's, attribution included, so that it stays anchored); its words alone are
    :func:`spoken_words`."""
    joined: list[Attribution] = []
    for item in found:
        last = joined[-1] if joined else None
        if last is None or not _continues(last, item, text, offset):
            joined.append(item)
            continue
        first, second = last.quote, item.quote
        span = Span(first.span.article_id, first.span.start, second.span.end)
        words = text[span.start - offset : span.end - offset]
        kind: QuoteKind = "direct" if "direct" in (first.kind, second.kind) else first.kind
        quote = dataclasses.replace(first, span=span, text=words, kind=kind)
        if first.speaker is None:
            quote = dataclasses.replace(
                quote, speaker=second.speaker, speaker_span=second.speaker_span, cue=second.cue
            )
        joined[-1] = Attribution(quote, last.cue_span or item.cue_span, last.statement)
    return joined


def _continues(first: Attribution, second: Attribution, text: str, offset: int) -> bool:
    """Whether ``second`` is the rest of the quotation ``first`` (see :func:`_join_interrupted`)."""
    if first.quote.kind == "indirect" or second.quote.kind == "indirect":
        return False
    if not first.quote.text.endswith(","):
        return False
    between = text[first.quote.span.end - offset : second.quote.span.start - offset]
    match = _INTERRUPTION.match(between)
    if match is None or _SENTENCE_END.search(match.group(1)):
        return False
    cue = first.cue_span or second.cue_span
    if cue is None or not first.quote.span.end <= cue.start < second.quote.span.start:
        return False  # the words between must be the attribution itself
    same_cue = (
        first.cue_span is None or second.cue_span is None or first.cue_span == second.cue_span
    )
    return same_cue and (
        second.quote.speaker in (None, first.quote.speaker) or first.quote.speaker is None
    )


_QUOTED_PART = re.compile(r"[”\"»]\s*[^\n“\"]{1,160}?,\s*[“\"«]")


def spoken_words(quote_text: str) -> str:
    """A quote's own words: an interrupted quotation's text without the attribution between its
    halves ("Peace matters,” he said, “but not at any price." → "Peace matters, but not at any
    price.").  Comparing quotes across outlets reads these, not the reporter's "he said"."""
    return _QUOTED_PART.sub(" ", quote_text).replace(",  ", ", ").replace(" ,", ",")


_INDEFINITE = frozenset({"a", "an", "one"})


def unify_descriptions(quotes: Sequence[Quote]) -> list[Quote]:
    """One unnamed source per article when its own words say so.

    "a security official said on Thursday …" and, further down, "a Pakistani security official
    said, declining to be named" describe one person the second time more fully; listing them
    under two headings splits one source in two.  A speaker written as an indefinite description
    takes the fuller description of the same article that holds all its words and ends with the
    same noun, when exactly one such description exists ("an official" with both "a senior
    official" and "a security official" about stays as written)."""
    descriptions = sorted(
        {
            q.speaker
            for q in quotes
            if q.speaker
            and q.speaker.split()[0].lower() in _INDEFINITE
            and q.speaker.split()[-1].islower()  # a common noun heads it: no name
        }
    )
    fuller: dict[str, str] = {}
    for short in descriptions:
        words = short.split()
        longer = [
            d
            for d in descriptions
            if d != short and d.split()[-1] == words[-1] and set(words[1:]) <= set(d.split()[1:])
        ]
        if len(longer) == 1:
            fuller[short] = longer[0]
    if not fuller:
        return list(quotes)
    return [
        dataclasses.replace(q, speaker=fuller[q.speaker]) if q.speaker in fuller else q
        for q in quotes
    ]


def quote_people(people: Sequence[str], docs: Iterable[Doc]) -> list[str]:
    """``people`` and the names the small model tagged ORG that stand in apposition to a common
    noun, fullest first: "The union's general secretary, Ines Varga,", "Helena Strand, chair of
    the Conciliation Service," are people, so "Varga" and "she" can be mapped to Ines Varga."""
    found = set(people)
    for doc in docs:
        for ent in doc.ents:
            root = ent.root
            described = (root.dep_ == "appos" and root.head.pos_ == "NOUN") or any(
                c.dep_ == "appos" and c.pos_ == "NOUN" for c in root.children
            )
            if ent.label_ == "ORG" and described and _looks_like_name(ent):
                found.add(ent.text)
    multiword = sorted((n for n in found if len(n.split()) > 1), key=lambda n: (-len(n), n))
    return multiword + sorted(n for n in found if len(n.split()) == 1)


def _looks_like_name(ent: SpacySpan) -> bool:
    """Two or three capitalised proper nouns without a word organisations are named with."""
    words = list(ent)
    return (
        2 <= len(words) <= 3
        and all(w.pos_ == "PROPN" and w.text[:1].isupper() and not w.text.isupper() for w in words)
        and not any(w.lower_ in _ORG_WORDS for w in words)
    )


def attributions_in_article(
    docs: Sequence[tuple[int, Doc]], article_id: str, context: QuoteContext
) -> list[Attribution]:
    """:func:`attributions_in_paragraph` over an article's parsed paragraphs, in order, with what
    one paragraph tells of the one before.

    A paragraph that is only a signature ("- Bernie Sanders.", "-President Obama, tweeting after
    Clinton's speech.") names the speaker of the quotation paragraph above it, as fact-check and
    roundup pieces print them; that paragraph's quotes without a cue of their own take it instead
    of the speaker carried from further back.
    """
    found: list[Attribution] = []
    previous: list[Attribution] = []
    previous_start = 0
    left_open = False  # the paragraph before ends inside a quotation
    for offset, doc in docs:
        text = doc.text
        marks = find_quote_marks(text)
        signed: tuple[tuple[str, Span | None, str | None], Span | None] | None = (
            None if marks else _signature(text, 0, offset, article_id, context)
        )
        if left_open and signed is None:
            signed = _closing_signature(doc, offset, article_id, context)
        left_open = bool(marks) and not marks[-1][2]
        if signed is not None and previous:
            previous = [_resign(a, signed, previous_start) for a in previous]
            context.last_speaker = signed[0]
        found.extend(previous)
        previous = attributions_in_paragraph(doc, offset, article_id, context)
        previous_start = offset
    found.extend(previous)
    return found


def _resign(
    attribution: Attribution,
    signed: tuple[tuple[str, Span | None, str | None], Span | None],
    paragraph_start: int,
) -> Attribution:
    """``attribution`` with the signature's speaker, if its quote had no cue in its own paragraph."""
    quote = attribution.quote
    cue = attribution.cue_span
    if quote.kind == "indirect" or (cue is not None and cue.start >= paragraph_start):
        return attribution
    (name, speaker_span, cue_text), cue_span = signed
    return Attribution(
        dataclasses.replace(quote, speaker=name, speaker_span=speaker_span, cue=cue_text),
        cue_span,
    )


@dataclass(slots=True)
class _Paragraph:
    """The state one paragraph's quoted passages are attributed in, one after the other."""

    parsed: _Parsed
    offset: int
    article_id: str
    context: QuoteContext
    closed: list[tuple[int, int]]  # the closed quotations, marks included
    claimed: set[int]  # cue tokens an earlier quotation took
    previous: tuple[tuple[str, Span | None, str | None], Span | None] | None = None

    def span(self, chars: tuple[int, int]) -> Span:
        return Span(self.article_id, self.offset + chars[0], self.offset + chars[1])


@dataclass(slots=True)
class _Option:
    """One proposal of who said a quoted passage, and the features the chooser weighs it by."""

    speaker: tuple[str, Span | None, str | None] | None
    cue_span: Span | None
    cue: Token | None
    head: Token | None  # the speaker's head word, when it is in this paragraph
    features: list[str]


_MAX_SPEAKERS_PER_CUE = 3  # a cue's candidate speakers the chooser weighs, best first


def _choose(para: _Paragraph, start: int, end: int) -> _Option:
    """The speaker of the quoted passage ``start:end``: the candidate the learned chooser scores
    best, among the rule order's pick and what each rule proposes on its own.  Without weights
    (and no trace asked for) the rule order's pick is the answer, and the other candidates are
    not even proposed."""
    context = para.context
    chooser = context.chooser if context.chooser is not None else load_chooser()
    if not chooser.weights and context.trace is None:
        return _rule_option(para, start, end)
    options = _options(para, start, end)
    features = [option.features for option in options]
    index = chooser.best(features)
    if context.trace is not None:
        candidates = tuple(
            (tuple(f), o.speaker[1] if o.speaker else None)
            for f, o in zip(features, options, strict=True)
        )
        context.trace.append(Choice(para.span((start, end)), candidates, index))
    return options[index]


def _options(para: _Paragraph, start: int, end: int) -> list[_Option]:
    """The rule order's pick first, then every other proposal; proposals of the same cue and
    speaker are one option carrying the features of each rule that made it."""
    body = para.parsed.text[start:end].rstrip(" \t\n’'")
    merged: dict[tuple[int, int, int], _Option] = {}
    for option in [_rule_option(para, start, end), *_alternatives(para, start, end)]:
        speaker_span = option.speaker[1] if option.speaker else None
        key = (
            option.cue.i if option.cue is not None else -1,
            speaker_span.start if speaker_span else -1,
            speaker_span.end if speaker_span else -1,
        )
        known = merged.get(key)
        if known is None:
            merged[key] = option
        else:
            known.features.extend(f for f in option.features if f not in known.features)
    options = list(merged.values())
    ending = body[-1:] if body[-1:] in ",.?!:;-—" else "x"
    for option in options:
        option.features.extend(_common_features(para, option, start, end, ending))
    return options


def _rule_option(para: _Paragraph, start: int, end: int) -> _Option:
    """What the fixed rule order picks: the cue :func:`_cue_for_quote` finds and its speaker, else a
    signature, the paragraph before's lead-in, the last speaker, the previous quote's speaker.

    A cue with no speaker outside the quotations ("“A,” said Ermelino, who has not read the work.
    “B.”": "read" is nearest to B, in a relative clause) gives way to any of those that names
    someone; failing them, its speaker is the last person named."""
    parsed, context = para.parsed, para.context
    cue_token, cue_range = _cue_for_quote(parsed, start, end, para.claimed)
    if cue_token is None or cue_range is None:
        return _carried_option(para, start, end) or _Option(
            None, None, None, None, ["rule", "g:none"]
        )
    for kind, head, speaker in _cue_speakers(para, cue_token, start, end):
        return _Option(speaker, para.span(cue_range), cue_token, head, ["rule", f"k:{kind}"])
    carried = _carried_option(para, start, end)
    if carried is not None and carried.speaker is not None and carried.speaker[1] is not None:
        return carried
    # never a word of a quotation, which the candidates above already ruled out
    speaker = _fallback_speaker(cue_token, context)
    return _Option(speaker, para.span(cue_range), cue_token, None, ["rule", "k:none"])


def _carried_option(para: _Paragraph, start: int, end: int) -> _Option | None:
    """A quote's speaker when no cue of its own names one: a signature, the paragraph before's
    lead-in, the last speaker, the previous quote's speaker, the verb a quoted phrase hangs on."""
    parsed, context = para.parsed, para.context
    text = parsed.text
    covers = _covers_paragraph(text, start, end)
    if signed := _signature(text, _after_marks(text, end), para.offset, para.article_id, context):
        return _Option(signed[0], signed[1], None, None, ["rule", "g:signature"])  # "“…” — Sanders"
    if start <= 1 and context.lead_in and (context.lead_in_colon or covers):
        speaker, cue_span = context.lead_in  # "Cruz continued:" ¶ "“You look at …”"
        return _Option(speaker, cue_span, None, None, ["rule", "g:lead_in"])
    if start <= 1 and covers:
        return _Option(context.last_speaker, None, None, None, ["rule", "g:last_speaker"])
    if para.previous is not None and _starts_sentence(text, start):
        speaker, cue_span = para.previous  # "“A,” he said. “B.”": B is his too
        return _Option(speaker, cue_span, None, None, ["rule", "g:previous"])
    governor = _governing_verb(parsed, start, end)
    if governor is not None:
        for kind, head, speaker in _cue_speakers(para, governor, start, end):
            cue_span = para.span(_cue_range(parsed, governor))
            return _Option(speaker, cue_span, governor, head, ["rule", "g:governor", f"k:{kind}"])
    return None


def _governing_verb(parsed: _Parsed, start: int, end: int) -> Token | None:
    """The main verb outside the quotation marks that a quoted phrase hangs on, when it has a
    subject: "Trump has gone after Clinton's “…”", "she dismissed the report as “…”" — the
    reporter's sentence says whose words the phrase are even without a speech verb.  A clause
    that describes a noun does not ("Pakistan's core demand that Afghanistan take “…”": the
    demand is no one's words, and certainly not Afghanistan's)."""
    doc = parsed.doc
    first = bisect.bisect_left(parsed.token_starts, start)
    last = bisect.bisect_left(parsed.token_starts, end)
    if first >= last:
        return None
    roots = [t for t in doc[first:last] if not first <= t.head.i < last and t.head.i != t.i]
    if not roots:
        return None
    for token in roots[0].ancestors:
        if _is_inside(parsed, token.idx):
            continue
        if token.pos_ in {"VERB", "AUX"}:
            subject = _subject(token)
            described = token.dep_ in {"acl", "relcl"}  # "a demand that Afghanistan take “…”"
            if not described and subject is not None and not _is_inside(parsed, subject.idx):
                return token
            return None
    return None


def _cue_speakers(
    para: _Paragraph, cue: Token, start: int, end: int
) -> Iterator[tuple[str, Token, tuple[str, Span | None, str | None]]]:
    model_cue = next((c for c in para.parsed.cues if c.token.i == cue.i), None)
    return _speakers(
        cue,
        para.offset,
        para.article_id,
        para.context,
        model_cue.source if model_cue else None,
        (start - 1, end + 1),
        para.closed,
    )


def _alternatives(para: _Paragraph, start: int, end: int) -> list[_Option]:
    """What each rule proposes on its own, whatever the order: the speech verb after the quote, the
    colon's clause, each model cue holding it, the nearest speech verb, the previous sentence's,
    an adjacent verb — each with its first few speakers — and the speakers carried over."""
    parsed, context = para.parsed, para.context
    proposals = [
        ("after", _speech_verb_after(parsed, end)),
        ("after_stop", _speech_verb_after(parsed, end, True)),
        ("colon", _colon_cue(parsed, start)),
        ("nearest", _nearest_cue(parsed, start, end)),
        ("previous_sentence", _cue_in_previous_sentence(parsed, start, para.claimed)),
        ("adjacent", _adjacent_verb(parsed, start, end)),
        ("governor", _governing_verb(parsed, start, end)),
        *(("holder", cue.token) for cue in _holders(parsed, start, end)),
    ]
    options: list[_Option] = []
    for label, token in proposals:
        if token is None:
            continue
        cue_span = para.span(_cue_range(parsed, token))
        speakers = _cue_speakers(para, token, start, end)
        for rank, (kind, head, speaker) in enumerate(speakers):
            if rank == _MAX_SPEAKERS_PER_CUE:
                break
            features = [f"g:{label}", f"k:{kind}", f"r:{rank}"]
            options.append(_Option(speaker, cue_span, token, head, features))
    text = parsed.text
    if signed := _signature(text, _after_marks(text, end), para.offset, para.article_id, context):
        options.append(_Option(signed[0], signed[1], None, None, ["g:signature"]))
    if start <= 1 and context.lead_in:
        options.append(_Option(*context.lead_in, None, None, ["g:lead_in"]))
    if start <= 1 and context.last_speaker:
        options.append(_Option(context.last_speaker, None, None, None, ["g:last_speaker"]))
    if para.previous is not None:
        options.append(_Option(*para.previous, None, None, ["g:previous"]))
    return options


def _cue_range(parsed: _Parsed, token: Token) -> tuple[int, int]:
    """A cue's characters: the model's cue span ("has said"), "according to", else the word."""
    model_cue = next((c for c in parsed.cues if c.token.i == token.i), None)
    if model_cue is not None:
        return model_cue.span
    if token.lower_ == "according" and token.i + 1 < len(token.doc):
        return token.idx, token.nbor().idx + len(token.nbor().text)
    return token.idx, token.idx + len(token.text)


def _common_features(
    para: _Paragraph, option: _Option, start: int, end: int, ending: str
) -> list[str]:
    """Where the option's cue and speaker stand against the quote, what they are, and how the
    quote ends, crossed with each rule that proposed it."""
    rules = [f for f in option.features if f.startswith("g:")] or ["g:rule_only"]
    kinds = [f for f in option.features if f.startswith("k:")] or ["k:none"]
    features = [f"{rule}|end{ending}" for rule in rules]
    features += [f"{rule}|{kind}" for rule in rules for kind in kinds]
    cue = option.cue
    if cue is None:
        features += ["cue:none", f"cue:none|{_quote_place(para.parsed.text, start, end)}"]
    else:
        features += _cue_features(para.parsed, cue, start, end, ending)
    features += _speaker_features(para, option, start, end)
    return features


def _quote_place(text: str, start: int, end: int) -> str:
    """Whether a quote is its paragraph, opens a sentence, or sits inside one."""
    if _covers_paragraph(text, start, end):
        return "paragraph"
    return "sentence" if _starts_sentence(text, start) else "inside"


def _cue_features(parsed: _Parsed, cue: Token, start: int, end: int, ending: str) -> list[str]:
    """Side of and distance to the quote, lemma, kind of cue, whether it shares its sentence."""
    side = "<" if cue.idx < start else ">"
    first = bisect.bisect_left(parsed.token_starts, start)
    last = bisect.bisect_left(parsed.token_starts, end)
    gap = first - cue.i if side == "<" else cue.i - last
    lemma = cue.lemma_.lower()
    same = any(s[0] < end and s[1] > start and s[2] <= cue.i < s[3] for s in parsed.sentences)
    clause = any(c.dep_ == "ccomp" for c in cue.children)
    return [
        f"cue{side}{distance_bucket(max(gap, 0))}",
        f"cue{side}|end{ending}",
        f"cue{side}|same" if same else f"cue{side}|other_sentence",
        f"lemma:{lemma}",
        f"lemma:{lemma}|{side}",
        f"cue{side}|ccomp" if clause else f"cue{side}|no_ccomp",
        f"cue:dep:{cue.dep_}",
        "speech" if _is_speech(cue) else "not_speech",
        "model_cue" if any(c.token.i == cue.i for c in parsed.cues) else "rule_cue",
    ]


def _speaker_features(para: _Paragraph, option: _Option, start: int, end: int) -> list[str]:
    """What the speaker is (name, pronoun, role noun, carried from elsewhere) and where."""
    speaker = option.speaker
    if speaker is None or speaker[1] is None:
        return ["sp:none"]
    known = "sp:known" if speaker[0] in para.context.people else "sp:unknown"
    head = option.head
    local = speaker[1].start - para.offset
    if head is None or not 0 <= local <= len(para.parsed.text):
        return ["sp:carried", f"sp:carried|{known}"]
    side = "<" if local < start else ">"
    gap = start - local if side == "<" else local - end
    kind = "pron" if head.lower_ in _PRONOUNS else head.pos_
    return [
        f"sp:{kind}",
        f"sp{side}{distance_bucket(max(gap, 0) // 6)}",
        f"sp:{kind}|{side}",
        f"sp:dep:{head.dep_}",
        f"sp:dep:{head.dep_}|{side}",
        known,
        f"{known}|{kind}",
    ]


def _after_marks(text: str, end: int) -> int:
    """The first character after a quote's closing mark(s)."""
    while end < len(text) and text[end] in "”\"»'’":
        end += 1
    return end


def _closing_signature(
    doc: Doc, offset: int, article_id: str, context: QuoteContext
) -> tuple[tuple[str, Span | None, str | None], Span | None] | None:
    """Speaker of a paragraph that is a signature closing the quotation left open above it.

    HuffPost's pull quotes, flattened to text, keep their attribution line inside the marks: "“I
    worry that we may see … tax cuts.¶Dean Baker, Center for Economic and Policy Research.”".  The
    line is a signature when its only mark closes the quotation, it is short, starts with a capital
    and has no verb: a name or a role ("Republican National Committee member."), then perhaps a
    comma and an affiliation.  The signer is the part before that comma."""
    text = doc.text
    body = text.rstrip()
    if not body.endswith(("”", '"')) or len(find_quote_marks(body[:-1])) > 0:
        return None
    line = body[:-1].rstrip(_EDGE_JUNK + ".")
    if not line[:1].isupper() or len(line.split()) > _MAX_SIGNED_LINE_WORDS:
        return None
    if any(t.pos_ in {"VERB", "AUX"} for t in doc if t.idx < len(line)):
        return None
    right = line.find(",") if "," in line else len(line)
    if len(line[:right].split()) > _MAX_SIGNATURE_WORDS:
        return None
    name = _canonical_person(line[:right], context)
    return (name, Span(article_id, offset, offset + right), None), None


def _signature(
    text: str, start: int, offset: int, article_id: str, context: QuoteContext
) -> tuple[tuple[str, Span | None, str | None], Span] | None:
    """Speaker and cue of a signature that ends the paragraph from ``start`` on: a dash, a name of
    a few capitalised words, and at most a short description ("— Sanders.", "-Michelle Marks,
    Philadelphia.")."""
    match = _SIGNATURE.match(text, start)
    if match is None or len(match.group(2).split()) > _MAX_SIGNATURE_WORDS:
        return None
    left, right = match.span(2)
    if text[right - 1] == "." and len(text[left:right].split()[-1]) > 2:
        right -= 1  # "- Clinton." ends a sentence; "- Donald J." keeps its initial
    name = _canonical_person(text[left:right], context)
    dash = Span(article_id, offset + match.start(1), offset + match.end(1))
    return (name, Span(article_id, offset + left, offset + right), match.group(1)), dash


def _indirect_source(cue: _Cue, context: QuoteContext) -> tuple[str | None, tuple[int, int] | None]:
    """Name and characters of the source of a cue's reported passage: a headline's name before
    its colon, else the model's source described, else nobody."""
    headline = _headline_speaker(cue)
    if headline is not None:
        text = cue.token.doc.text
        return _canonical_person(text[headline[0] : headline[1]], context), headline
    if cue.source is not None:
        return _describe(cue.source, context)
    return None, None


def _headline_speaker(cue: _Cue) -> tuple[int, int] | None:
    """The name a headline's colon credits, when the model's source is not before the colon.

    "Trump: Cruz Has ‘To Come a Long Way’ On Ethanol", "Issa: Hillary Clinton’s ‘Honesty Is In
    Question.’", "Gillibrand on Hillary Releasing Her … Transcripts: ‘I Think She Will.’": who
    speaks is the run of capitalised words opening the paragraph, never a name after the colon (the
    model takes "Hillary Clinton’s", or nobody, or "Trump" whose parse subtree runs over "Cruz").  The tagger is lost on headline case, so
    the run is read off the words' capitals, not their tags; an article or a pronoun opening the
    sentence ("The message was clear: …") is no name."""
    colon = cue.token
    if colon.text != ":" or colon.i == 0:
        return None
    doc = colon.doc
    if colon.sent.start != 0 or doc[0].pos_ in {"DET", "PRON"}:
        return None
    run = 0
    while run < colon.i and doc[run].text[:1].isupper() and doc[run].text.isalpha():
        run += 1
    if run == 0 or run > _MAX_SIGNATURE_WORDS:
        return None
    if cue.source is not None and run <= cue.source.i < colon.i:
        return None  # "Former Mexico leader Calderon: …": the model's own pick before the colon
    return doc[0].idx, doc[run - 1].idx + len(doc[run - 1].text)


def _before_spoken(
    text: str, cue: _Cue, quotes: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """A cue's content up to the first quotation after the cue that has a speaker of its own, or
    ``None`` when little is left: "Trump asserted that France had lost its identity: “France is
    no longer France,” he claimed" — "asserted" reports the clause, "claimed" the quote."""
    left, right = cue.content
    inner = [s for s, e in quotes if left < s - 1 and e <= right and s - 1 > cue.token.idx]
    if not inner:
        return left, right
    new_left, new_right = _trim(text, left, min(inner) - 1)
    return (new_left, new_right) if len(text[new_left:new_right].split()) >= 2 else None


def _encloses(cue: _Cue, quotes: Sequence[tuple[int, int]]) -> bool:
    """Whether a cue's content takes in a whole quotation that has its own speaker: "When asked
    why, Sembler responded: “…”" is Sembler's, not a sourceless "asked" around it."""
    left, right = cue.content
    return any(left <= start and end <= right for start, end in quotes)


def quoted_characters(
    text: str, marks: Sequence[tuple[int, int, bool]] | None = None
) -> list[bool]:
    """Per character of ``text``: inside (or on) a pair of quotation marks."""
    inside = [False] * len(text)
    for start, end, _ in find_quote_marks(text) if marks is None else marks:
        inside[max(start - 1, 0) : min(end + 1, len(inside))] = [True] * (
            min(end + 1, len(inside)) - max(start - 1, 0)
        )
    return inside


def _parse(
    doc: Doc, marks: Sequence[tuple[int, int, bool]], decision: CueDecision | None
) -> _Parsed:
    text = doc.text
    inside = quoted_characters(text, marks)
    sentences = sentences_of(doc)
    parsed = _Parsed(doc, text, inside, sentences, [t.idx for t in doc], [])
    model = attribution_model.load_model()
    firsts = [s[2] for s in sentences]
    quoted = quoted_sentences(sentences, inside)
    candidates = [
        (token, max(bisect.bisect_right(firsts, token.i) - 1, 0))
        for token in doc
        if model.is_candidate(token)
    ]
    scores = [model.cue_score(token, inside, quoted[index]) for token, index in candidates]
    for (token, index), is_cue in zip(
        candidates, _decide_cues(parsed, model, decision, candidates, scores), strict=True
    ):
        if not is_cue or _is_dateline_colon(token, text):
            continue
        cue = _model_cue(token, parsed, model, index)
        if cue is not None:
            parsed.cues.append(cue)
    return parsed


def _decide_cues(
    parsed: _Parsed,
    model: AttributionModel,
    decision: CueDecision | None,
    candidates: Sequence[tuple[Token, int]],
    scores: Sequence[float],
) -> list[bool]:
    """Which candidates are cues: the linear score against its threshold, or (with a
    ``decision``) the context-aware trees over the candidates above their floor."""
    if decision is None:
        return [score >= model.cue_threshold for score in scores]
    worth = [n for n, score in enumerate(scores) if score >= decision.floor]
    rows = candidate_features(
        parsed.doc,
        [candidates[n][0] for n in worth],
        [scores[n] for n in worth],
        [candidates[n][1] for n in worth],
        parsed.sentences,
        parsed.inside,
        decision.priors,
        model.lexicon,
    )
    decided = [False] * len(candidates)
    for n, accepted in zip(worth, decision.accepts(rows).tolist(), strict=True):
        decided[n] = bool(accepted)
    return decided


def _is_dateline_colon(token: Token, text: str) -> bool:
    """ "ISLAMABAD: Islamabad has agreed ..." opens with a dateline, not a headline attribution
    ("Lynch: No outside influence"): a colon after a short run of capitals at the paragraph start."""
    if token.text != ":":
        return False
    head = text[text.rfind("\n", 0, token.idx) + 1 : token.idx].strip()
    return 0 < len(head.split()) <= 4 and head.upper() == head and any(c.isalpha() for c in head)


def _model_cue(token: Token, parsed: _Parsed, model: AttributionModel, index: int) -> _Cue | None:
    """The attribution the cue ``token`` (in sentence ``index``) introduces: its source and
    content as the learned model finds them, ``None`` when it finds no content."""
    source = model.best_source(token, parsed.inside, parsed.sentences[index])
    passage = model.best_content(token, source, parsed.sentences, index)
    if passage is None:
        return None
    content = _extend_to_marks(parsed, passage.start, passage.end)
    if content is None:
        return None
    if token.lower_ == "according" and token.i + 1 < len(token.doc):
        to = token.nbor()
        return _Cue(token, (token.idx, to.idx + len(to.text)), content, source)
    name = _modal_name(token)
    parts = [c for c in token.children if c.dep_ in _CUE_PARTS and c.i < token.i and c != name]
    left = min([token.idx] + [c.idx for c in parts])
    return _Cue(token, (left, token.idx + len(token.text)), content, source)


def _is_inside(parsed: _Parsed, char: int) -> bool:
    return bool(parsed.inside) and parsed.inside[min(char, len(parsed.inside) - 1)]


def _strip_space(text: str, left: int, right: int) -> tuple[int, int]:
    """``left:right`` without the whitespace at its ends, a no-break space included (the model's
    content may end on one: "… right away.\xa0"), so a quote's text is its span's, stripped."""
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    return left, right


def _trim(text: str, left: int, right: int) -> tuple[int, int]:
    while left < right and text[left] in _EDGE_JUNK:
        left += 1
    while right > left and text[right - 1] in _EDGE_JUNK:
        right -= 1
    return left, right


def _extend_to_marks(parsed: _Parsed, left: int, right: int) -> tuple[int, int] | None:
    """Take in a quotation mark the content starts or ends against."""
    text = parsed.text
    if left >= right:
        return None
    if left > 0 and text[left - 1] in _OPENERS:
        left -= 1
    if right < len(text) and text[right] in _CLOSERS:
        right += 1
    elif right + 1 < len(text) and text[right] in ".,!?" and text[right + 1] in _CLOSERS:
        right += 2
    return left, right


def _source_of(verb: Token) -> Token | None:
    subject = _subject(verb)
    if subject is not None:
        return subject
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [t for t in child.children if t.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _cue_for_quote(
    parsed: _Parsed, start: int, end: int, claimed: set[int] | frozenset[int] = frozenset()
) -> tuple[Token | None, tuple[int, int] | None]:
    """The cue a quoted passage belongs to and the cue's characters.

    A quotation that breaks off on a comma or a question mark is followed by its own cue ("“A,” he
    said. “B,” he added."): that verb goes first, before a cue of an earlier sentence whose content
    runs on over the quote.
    """
    body = parsed.text[start:end].rstrip(" \t\n’'")  # "… ‘what can we do to help?’”"
    token = None
    if body[-1:] in ",?!" and not _speech_verb_before(parsed, start):
        token = _speech_verb_after(parsed, end)
    if token is None:
        token = _colon_cue(parsed, start)
    if token is None:
        holder = _holder(parsed, start, end)
        if holder is not None:
            return holder.token, holder.span
        token = _nearest_cue(parsed, start, end)
    statement = body[-1:] in _STATEMENT_ENDS
    if token is None and statement:
        token = _speech_verb_after(parsed, end, body.endswith("."))  # "“Who …?” Trump said"
    if token is None:
        token = _cue_in_previous_sentence(parsed, start, claimed)
    if token is None and statement:
        token = _adjacent_verb(parsed, start, end)  # only a whole statement: "“…,” she went on"
    if token is None:
        return None, None
    model_cue = next((c for c in parsed.cues if c.token.i == token.i), None)
    if model_cue is not None:
        return token, model_cue.span
    if token.lower_ == "according":
        return token, (token.idx, token.nbor().idx + len(token.nbor().text))
    return token, (token.idx, token.idx + len(token.text))


def _colon_cue(parsed: _Parsed, start: int) -> Token | None:
    """The cue of a quotation a colon introduces: the clause before the colon is its attribution
    ("Mr. Trump continued: ''…''", "Clinton has since apologized for what happened: “…”").

    A speech verb of that clause goes first, the outermost, then the nearest to the colon; else the
    nearest verb with a subject.  A cue elsewhere (the next sentence's "He added", a relative
    clause's "which friends described") does not take it.
    """
    before = parsed.text[:start].rstrip().rstrip("“\"«„'").rstrip()
    if not before.endswith(":") or _is_inside(parsed, len(before) - 1):
        return None
    colon = bisect.bisect_right(parsed.token_starts, len(before) - 1) - 1
    doc = parsed.doc
    first = doc[colon].sent.start
    head = parsed.text[doc[first].idx : doc[colon].idx]
    dash = max(head.rfind(d) for d in _DASHES)  # "Pollsters agree - Carl Bialik: “…”"
    if dash >= 0:
        first = bisect.bisect_left(parsed.token_starts, doc[first].idx + dash + 2)
    clause = [
        t
        for t in reversed(doc[first:colon])
        if t.pos_ in {"VERB", "AUX"} and t.dep_ not in _CUE_PARTS and not _is_inside(parsed, t.idx)
    ]
    speech = [t for t in clause if t.lemma_.lower() in SPEECH_VERBS]
    # the outermost first: "he said he often thinks of what his parents told him: “…”" is his
    said = {t.i for t in speech}
    speech.sort(key=lambda t: any(a.i in said for a in t.ancestors))
    for token in speech + clause:
        if _source_of(token) is not None or _noun_head(token) is not None:
            return token
    if not clause and any(t.pos_ == "PROPN" for t in doc[first:colon]):
        return doc[colon]  # "Rep. Trey Gowdy (R-S.C.):“…”", "More from Jones: “…”"
    return None


def _sender(cue: Token) -> Token | None:
    """Who speaks through a participle on the object of their verb: "Black Lives Matter issued a
    statement saying …", "The Vermont senator emailed supporters saying: “…”"."""
    if cue.dep_ != "acl" or cue.tag_ != "VBG" or cue.head.dep_ != "dobj":
        return None
    return _subject(cue.head.head)


def _noun_head(verb: Token) -> Token | None:
    """The noun a participle describes, who speaks through it: "a voice over saying: “…”"."""
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in _NOUNISH:
        return verb.head
    return None


def _holder(parsed: _Parsed, start: int, end: int) -> _Cue | None:
    """The model's cue whose content holds most of the quote (the nearest on a tie).

    Any cue with a source, not only a speech verb: "Mr. Cruz pledged to oppose legal status …
    “today, tomorrow, forever.”", "Bush … calling him a “loser.”" are the cue's source's words.
    A cue with no source, or only a passive subject ("The negotiations are expected to focus on
    “…”"), attributes the passage to nobody unless it is a speech verb ("he was quoted as saying")."""
    holders = _holders(parsed, start, end)
    if not holders:
        return None
    return min(
        holders,
        key=lambda c: (
            -(min(c.content[1], end) - max(c.content[0], start)),
            not _is_speech(c.token),  # "Tarar stated that while Islamabad laid out “…”"
            abs(c.token.idx - start),
        ),
    )


def _holders(parsed: _Parsed, start: int, end: int) -> list[_Cue]:
    """The model's cues with a speaker whose content overlaps the quote, outside it."""
    return [
        cue
        for cue in parsed.cues
        if cue.content[0] < end
        and cue.content[1] > start
        and not start <= cue.token.idx < end
        and _has_speaker(cue)
    ]


def _has_speaker(cue: _Cue) -> bool:
    source = cue.source or _source_of(cue.token)
    if source is None:
        return False
    return _is_speech(cue.token) or source.dep_ != "nsubjpass"


def _is_speech(token: Token) -> bool:
    return token.lower_ == "according" or token.lemma_.lower() in SPEECH_VERBS


_ASIDE_DASH = re.compile(r"\s-{1,2}\s|\s?[—–―]\s?")
_DATELINE = re.compile(r"[A-Z][A-Z .,’'-]*(?:\([^)]*\))?\s*")  # "WASHINGTON (AP) —"
_ASIDES_KEY = "newsfuse.quotes.asides"


def _asides(doc: Doc) -> list[tuple[int, int]]:
    """The characters of each aside of ``doc`` between a pair of dashes in one sentence ("which —
    as Jonathan Chait noted — promises"); a dateline's dash ("WASHINGTON — …") opens none.
    Computed once per doc."""
    cached: list[tuple[int, int]] | None = doc.user_data.get(_ASIDES_KEY)
    if cached is None:
        text = doc.text
        dashes = [
            m for m in _ASIDE_DASH.finditer(text) if not _DATELINE.fullmatch(text[: m.start()])
        ]
        cached = _paired(dashes, [sent.start_char for sent in doc.sents])
        doc.user_data[_ASIDES_KEY] = cached
    return cached


def _paired(dashes: Sequence[re.Match[str]], starts: Sequence[int]) -> list[tuple[int, int]]:
    """What lies between each pair of dashes, paired left to right within a sentence (``starts``:
    the sentences' first characters); a dash alone in its sentence opens nothing."""
    pairs: list[tuple[int, int]] = []
    index = 0
    while index + 1 < len(dashes):
        left, right = dashes[index], dashes[index + 1]
        if bisect.bisect_right(starts, left.start()) != bisect.bisect_right(starts, right.start()):
            index += 1
            continue
        pairs.append((left.end(), right.start()))
        index += 2
    return pairs


def _aside_of(token: Token) -> tuple[int, int] | None:
    """The aside ``token`` stands in, if any: a word of an aside speaks for the aside only, not
    for the sentence around it."""
    return next(((a, b) for a, b in _asides(token.doc) if a <= token.idx < b), None)


def _nearest_cue(parsed: _Parsed, start: int, end: int) -> Token | None:
    """The speech verb outside quotation marks closest to the quote, in the sentences it touches."""
    doc = parsed.doc
    touched = [s for s in parsed.sentences if s[0] < end + 1 and s[1] > start - 1]
    best: tuple[int, int, Token] | None = None
    for _, _, first, last in touched:
        for token in doc[first:last]:
            if token.pos_ not in {"VERB", "AUX"} or token.lemma_.lower() not in SPEECH_VERBS:
                continue
            if _is_inside(parsed, token.idx):
                continue
            distance = start - token.idx if token.idx < start else token.idx - end
            key = (abs(distance), token.i)
            if best is None or key < best[:2]:
                best = (key[0], key[1], token)
    if best is not None:
        return best[2]
    for _, _, first, last in touched:
        for token in doc[first:last]:
            if token.lower_ == "according" and not _is_inside(parsed, token.idx):
                return token
    return None


def _speech_verb_after(parsed: _Parsed, end: int, full_stop: bool = False) -> Token | None:
    """A speech verb right after a quote, in the attribution slot ("“…,” Trump said", "“…,” said
    Kunin"); the parser splits "“Who do they think they are?” Trump said of Apple" after the
    question mark, so the verb may be in no sentence the quote touches.  A conjunction on the way
    ("“…,” but he denied") starts a new statement instead.  The words of a name do not count
    towards the distance: "“…!” US Senator Jeff Sessions said".  After a quote that ends its
    sentence (``full_stop``), a verb with a clause of its own reports that clause instead."""
    doc = parsed.doc
    last = bisect.bisect_left(parsed.token_starts, end)
    names = 0
    for token in doc[last : last + _ADJACENT_TOKENS + _MAX_NAME_TOKENS]:
        if token.i >= last + _ADJACENT_TOKENS + names:
            return None
        names += token.pos_ == "PROPN" and token.dep_ == "compound"
        if _is_inside(parsed, token.idx) and token.idx >= end + 1:
            return None
        if token.pos_ in {"CCONJ", "SCONJ"}:
            return None
        verb = token.lemma_.lower() in SPEECH_VERBS and token.pos_ in {"VERB", "AUX"}
        if verb or _verb_tagged_noun(token):
            if full_stop and any(c.dep_ == "ccomp" and c.i > token.i for c in token.children):
                return None  # "“….” She further announced that the DOJ …": its own content
            speaker = _subject(token) or _nearby_noun(token) or _speaker_beside_quote(token, end)
            return token if speaker is not None else None
    return None


def _verb_tagged_noun(token: Token) -> bool:
    """A speech verb in the present the tagger took for a noun after its subject: "“…,” the two
    write.", "“…,” the Saudis state in the white paper": the word before is a name or a number
    (not an article: "the claim"), the word after ends the clause or opens a phrase."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in SPEECH_VERBS or token.i == 0:
        return False
    after = token.nbor() if token.i + 1 < len(token.doc) else None
    ends = after is None or after.is_punct or after.pos_ == "ADP"
    return ends and token.nbor(-1).pos_ in {"PROPN", "NUM"}


def _speech_verb_before(parsed: _Parsed, start: int) -> bool:
    """Whether a speech verb introduces the quote right before it ("saying, “…”"), not across a
    full stop ("Trump said. “…,” Trump said.")."""
    first = bisect.bisect_left(parsed.token_starts, start)
    for token in reversed(parsed.doc[max(first - 3, 0) : first]):
        if token.text in {",", ":"} or token.text in _OPENERS or token.text == "''":
            continue
        return token.lemma_.lower() in SPEECH_VERBS and token.pos_ in {"VERB", "AUX"}
    return False


def _adjacent_verb(parsed: _Parsed, start: int, end: int) -> Token | None:
    """Any verb with a subject right against the quote: "“…,” she continued", "he went on: “…”"."""
    doc = parsed.doc
    first = bisect.bisect_left(parsed.token_starts, start)
    last = bisect.bisect_left(parsed.token_starts, end)
    after: list[Token] = list(doc[last : last + _ADJACENT_TOKENS])
    before: list[Token] = list(doc[max(first - _ADJACENT_TOKENS, 0) : first])
    window = after + before[::-1]
    for token in window:
        if token.is_sent_start and token.i >= last:
            break
        if (
            token.pos_ == "VERB"
            and not _is_inside(parsed, token.idx)
            and (_subject(token) is not None or _named_before(token, last))
        ):
            return token
    return None


def _named_before(verb: Token, first: int) -> bool:
    """Whether only a name stands between a quote (ending before token ``first``) and ``verb``,
    the parse having made it a modifier: "“…,” Trump barked"."""
    words = [t for t in verb.doc[first : verb.i] if not t.is_punct]
    return bool(words) and all(t.pos_ == "PROPN" for t in words)


def _nearby_noun(verb: Token, avoid: tuple[int, int] = (0, 0)) -> Token | None:
    """A speaker the parse lost ("“…,” Texas delegate Bill Eastland, wearing …, said"): the
    nearest noun-phrase head before the verb in its sentence, else right after it ("said Smith").
    Tokens in ``avoid`` (the quotation being attributed) are passed over."""
    if verb.dep_ in {"xcomp", "acl", "relcl"} or any(c.lower_ == "to" for c in verb.children):
        return None
    sentence = verb.sent
    before = sentence.text[: verb.idx - sentence.start_char]
    for token in reversed(verb.doc[sentence.start : verb.i]):
        if avoid[0] <= token.idx < avoid[1]:
            continue
        if token.pos_ in _NOUNISH and token.dep_ not in _NOT_HEADS:
            head = before[: token.idx - sentence.start_char]
            if head.count("“") <= head.count("”") and head.count('"') % 2 == 0:
                return token
    for token in verb.doc[verb.i + 1 : min(verb.i + 4, sentence.end)]:
        if token.pos_ in _NOUNISH and token.dep_ not in _NOT_HEADS:
            return token
    return None


def _starts_sentence(text: str, start: int) -> bool:
    before = text[: max(start - 1, 0)].rstrip()
    return not before or before[-1] in ".!?:”\"'"


def _cue_in_previous_sentence(
    parsed: _Parsed, start: int, claimed: set[int] | frozenset[int] = frozenset()
) -> Token | None:
    """ "Tarar criticized the Taliban. “Instead of …”": the cue sits in the sentence before.

    When a quote of that sentence already took a cue (in ``claimed``), it is that cue: "“A,"
    Francis said …, as he called for greater ethics. “B.”" continues Francis's quote."""
    previous = [s for s in parsed.sentences if s[1] <= start]
    if not previous:
        return None
    _, _, first, last = previous[-1]
    taken = [i for i in claimed if first <= i < last]
    if taken:
        return parsed.doc[max(taken)]
    for token in reversed(parsed.doc[first:last]):
        if (
            token.lemma_.lower() in SPEECH_VERBS
            and token.pos_ in {"VERB", "AUX"}
            and not _is_inside(parsed, token.idx)
            and _subject(token) is not None
        ):
            return token
    return None


def _speaker_of(
    cue: Token,
    offset: int,
    article_id: str,
    context: QuoteContext,
    source: Token | None = None,
    quote: tuple[int, int] | None = None,
    others: Sequence[tuple[int, int]] = (),
) -> tuple[str, Span | None, str | None]:
    """Who speaks through ``cue``: ``source`` (the model's source head) when given, else the
    cue's subject (or agent, or the object of "according to"), else a noun the parse lost.

    A candidate inside the quoted passage itself (``quote``, marks included) is skipped: in
    "“We were wrong,” Ramos told AFP" the parse or the model may take "We" for the subject, but
    a quotation never names its own speaker.  Nor does another closed quotation (``others``):
    "“Like Oakland. Or Ferguson,” Trump said. “The crime …”" is not Ferguson's.
    """
    for _, _, speaker in _speakers(cue, offset, article_id, context, source, quote, others):
        return speaker
    return _fallback_speaker(cue, context)


def _fallback_speaker(cue: Token, context: QuoteContext) -> tuple[str, Span | None, str | None]:
    """The last person the article named, through ``cue`` (no span: the name is elsewhere), when
    the cue's own sentence offers no speaker."""
    if not context.last_person:
        return ("", None, None)
    return (context.last_person, None, _cue_text(cue))


def _cue_text(cue: Token) -> str:
    """The cue as a speaker record names it: "according to" for its first word."""
    return "according to" if cue.lower_ == "according" else cue.text


def _speakers(
    cue: Token,
    offset: int,
    article_id: str,
    context: QuoteContext,
    source: Token | None = None,
    quote: tuple[int, int] | None = None,
    others: Sequence[tuple[int, int]] = (),
) -> Iterator[tuple[str, Token, tuple[str, Span | None, str | None]]]:
    """:func:`_speaker_candidates` outside the quotations, described: ``(rule, head, speaker)``."""
    cue_text = _cue_text(cue)
    avoid = [*others, quote] if quote else list(others)
    seen: set[int] = set()
    for kind, candidate in _speaker_candidates(cue, source, quote or (0, 0)):
        if candidate.i in seen or any(a <= candidate.idx < b for a, b in avoid):
            continue
        if _aside_of(candidate) != _aside_of(cue):
            continue  # "… D.C., Channing D. Phillips - the Utah Republican asks": not the aside's
        seen.add(candidate.i)
        name, token_span = _describe(candidate, context)
        if candidate.lower_ in _RELATIVES:  # the name of whom "who" stands for, the span "who"
            name = _describe(_relative_antecedent(candidate), context)[0]
        span = Span(article_id, offset + token_span[0], offset + token_span[1])
        yield kind, candidate, (name, span, cue_text)


def _relative_antecedent(token: Token) -> Token:
    """The noun a relative pronoun stands for: "a minister who had insisted he would not be “held
    to ransom”" was said by the minister, not by "who" (PolNeAR's source span is "who")."""
    clause = token.head
    if token.lower_ in _RELATIVES and clause.dep_ == "relcl" and clause.head.pos_ in _NOUNISH:
        return clause.head
    return token


def _speaker_candidates(
    cue: Token, source: Token | None, quote: tuple[int, int]
) -> list[tuple[str, Token]]:
    """Possible speakers of ``cue``, best first, each with the rule that found it: the first noun
    phrase beside a cue after its quote, the subject of the verb a participle hangs on ("He warned
    that …, saying “…”"), the model's source, the object of "according to", the cue's own subject
    or agent, a noun the parse lost."""
    found: list[tuple[str, Token | None]] = [
        ("beside", _speaker_beside_quote(cue, quote[1] - 1)),
        ("sender", _sender(cue)),
    ]
    if source is not None and _own_subject(cue) is None:
        found.append(("climbed", _speaking_subject(cue)))
    found.append(("model", source))
    if cue.lower_ == "according":
        objects = [
            t for c in cue.children if c.lower_ == "to" for t in c.children if t.dep_ == "pobj"
        ]
        if not objects and cue.i + 1 < len(cue.doc):
            objects = [t for t in cue.nbor().children if t.dep_ == "pobj"]
        found.extend(("according", t) for t in objects[:1])
    else:
        found.extend(
            (
                ("subject", _source_of(cue)),
                ("nearby", _nearby_noun(cue, quote)),
                ("controller", _controller(cue)),
                ("noun_head", _noun_head(cue)),
            )
        )
    return [(kind, t) for kind, t in found if t is not None]


def _speaking_subject(verb: Token) -> Token | None:
    """The subject of a speech verb a participle or conjunct hangs on: "He warned that …, saying
    “…”" is his.  Another verb's subject is no better than the model's own source, which goes
    first then: "The first incident came …, when Sanders protesters interrupted her speech,
    shouting “…”" is not the incident's."""
    if verb.dep_ not in {"conj", "advcl"}:
        return None
    for ancestor in verb.ancestors:
        subject = _own_subject(ancestor)
        if subject is not None and ancestor.lemma_.lower() in SPEECH_VERBS:
            return subject
    return None


def _controller(cue: Token) -> Token | None:
    """Who speaks through an infinitive cue: the object of the verb it completes ("urged Smith to
    say") or its subject ("Mr. Trump was prompted to say", "The email went on to say")."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children):
        return None
    head = cue.head
    if cue.dep_ == "xcomp":
        objects = [c for c in head.children if c.dep_ == "dobj" and c.pos_ in _NOUNISH]
        if objects:
            return objects[0]
    return _subject(head) if head.i != cue.i else None


def _speaker_beside_quote(cue: Token, quote_end: int) -> Token | None:
    """The speaker of a cue that comes after its quote, where newspapers put the name: between
    the quote and the verb ("“…,” Trump, the GOP frontrunner …, said") or right after the verb
    ("“…,” said Elmendorf, who supports Clinton").  The model and the parse stray to the
    appositive or the relative clause there; the first noun phrase is the one who spoke."""
    if quote_end <= 0 or cue.idx < quote_end or cue.lower_ == "according":
        return None
    if _verb_tagged_noun(cue):
        return cue.nbor(-1)  # "“…,” the two write": the number or name before it
    subject = _own_subject(cue)
    if subject is not None and subject.idx >= quote_end:
        return subject
    doc = cue.doc
    first = cue.i
    while first > 0 and doc[first - 1].idx >= quote_end:
        first -= 1
    words = [t for t in doc[first : cue.i] if not t.is_punct]
    described = _lost_head(words)
    aside = set() if described is None else {t.i for t in described.subtree} - {described.i}
    if any(_is_clause(t, cue) and t.i not in aside for t in words):
        return None  # "“…,” Carter continued, and Smith said": not the cue's own slot
    if words:
        head = next((t for t in words if t.pos_ in _NOUNISH and t.dep_ not in _NOT_HEADS), None)
        return head or _lost_head(words)
    # "“…,” tweeted a German user": the parse may take the inverted subject for an object; a
    # participle does not invert ("“New York values,” saying the city embodied …")
    if cue.tag_ == "VBG":
        return None
    following = doc[cue.i + 1 : cue.i + 1 + _ADJACENT_TOKENS]
    return next((t for t in following if t.pos_ in _NOUNISH and t.dep_ not in _MODIFIERS), None)


def _is_clause(token: Token, cue: Token) -> bool:
    """Whether ``token``, between a quote and its ``cue``, is a verb of another statement
    ("Carter continued"), not one that describes or names the speaker: a relative clause
    ("“…,” Katie Packer, who is chairman of Our Principles Pac said") or a role noun the tagger
    made a verb right before the name ("“…,” screenwriter Cole Haddon wrote")."""
    if token.pos_ not in {"VERB", "AUX"} or token.dep_ in {"aux", "relcl", "acl"}:
        return False
    name = token.doc[token.i + 1 : cue.i]
    return not (token.is_lower and len(name) > 0 and all(t.pos_ == "PROPN" for t in name))


def _lost_head(words: Sequence[Token]) -> Token | None:
    """The last word of the first noun phrase in ``words``, when the parse made every word of it a
    modifier of the verb after it ("“Go back to Univision,” Trump barked": "Trump" a compound)."""
    head: Token | None = None
    for token in words:
        if token.pos_ not in _NOUNISH:
            if head is not None:
                break
            continue
        head = token
    return head


def _lead_in(
    parsed: _Parsed, offset: int, article_id: str, context: QuoteContext
) -> tuple[tuple[str, Span | None, str | None], Span | None] | None:
    """Speaker and cue of a paragraph that introduces the next one.

    "Cruz continued:", "As Joel Pollak observed, the biggest victor was the stage itself:": the
    quotation that follows in its own paragraph has no cue there; its speaker is the one this last
    sentence names — through a speech verb, else a cue of the model, else its main subject.  A
    paragraph that ends without a colon leads in only through a speech verb of its last sentence
    ("Carter said that … would not happen." ¶ "“That’s because …”").
    """
    text = parsed.text.rstrip()
    if not parsed.sentences or _is_inside(parsed, len(text) - 1):
        return None
    doc = parsed.doc
    _, _, first, last = parsed.sentences[-1]
    outside = [t for t in doc[first:last] if not _is_inside(parsed, t.idx)]
    speech = [t for t in outside if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in {"VERB", "AUX"}]
    # the main clause's verb first: "Carter said that some critics had been predicting …"
    for token in sorted(speech, key=lambda t: (len(list(t.ancestors)), -t.i)):
        speaker = _speaker_of(token, offset, article_id, context)
        if speaker[1] is not None:
            return speaker, _token_span(token, offset, article_id)
    if not text.endswith(":"):
        return None
    subjects = [(c.token, c.source) for c in parsed.cues if first <= c.token.i < last]
    subjects += [(t, _own_subject(t)) for t in outside if t.dep_ == "ROOT"]
    for cue, source in reversed(subjects):
        if source is not None and not _is_inside(parsed, source.idx):
            name, (left, right) = _describe(source, context)
            speaker_span = Span(article_id, offset + left, offset + right)
            return (name, speaker_span, cue.text), _token_span(cue, offset, article_id)
    return None


def _token_span(token: Token, offset: int, article_id: str) -> Span:
    return Span(article_id, offset + token.idx, offset + token.idx + len(token.text))


def _subject(verb: Token) -> Token | None:
    """The grammatical subject of a cue; participles ("…, saying") borrow their clause's subject.

    Climbing prefers an ancestor that is itself a speech verb ("He warned that …, saying “…”"), so
    the speaker is the one who speaks, not the subject of an embedded clause.
    """
    own = _own_subject(verb)
    if own is not None:
        return own
    if verb.dep_ not in {"conj", "advcl"} or any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    ):
        return None  # an infinitive ("leading Islamabad to announce") has no speaker of its own
    fallback: Token | None = None
    for ancestor in verb.ancestors:
        subject = _own_subject(ancestor)
        if subject is None:
            continue
        if ancestor.lemma_.lower() in SPEECH_VERBS:
            return subject
        fallback = fallback or subject
    return fallback


def _own_subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child.lower_ not in _RELATIVES:
            return child
    return _modal_name(verb)


def _modal_name(verb: Token) -> Token | None:
    """A name the parse took for a modal: "“…,” Will wrote", "May said": a modal is followed by
    a bare verb, so right before a past or third-person form a capitalised "Will" or "May" is the
    columnist George Will or the prime minister, the verb's subject (and no part of the cue)."""
    if verb.tag_ not in {"VBD", "VBZ", "VBN"} or verb.i == 0:
        return None
    modal = verb.nbor(-1)
    if modal.dep_ == "aux" and modal.head.i == verb.i and modal.text in _NAME_MODALS:
        return modal
    return None


def _describe(subject: Token, context: QuoteContext) -> tuple[str, tuple[int, int]]:
    """Canonical speaker name (or description) and its character range in the paragraph."""
    doc = subject.doc
    if subject.lower_ in _PRONOUNS:
        span = (subject.idx, subject.idx + len(subject.text))
        return _antecedent(subject, context) or subject.text, span
    first = _first_word(subject)  # "“…,” Ramos, 58, told": the closing mark is no part of it
    left = doc[first].idx
    right = subject.right_edge.idx + len(subject.right_edge.text)
    # the chosen source's own name before any other name of its phrase: "Lynch: No outside
    # influence on FBI probe into Clinton emails" (Lynch a known person but not tagged PERSON here)
    own = _own_person(subject)
    if own is not None:
        return _canonical_person(own.text, context), (own.start_char, own.end_char)
    person = _person_of_token(subject, context)
    if person is not None:
        return person, (subject.idx, subject.idx + len(subject.text))
    clause = _clause_words(subject)
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start in clause:
            continue
        if left <= ent.start_char and ent.end_char <= right:
            return _canonical_person(ent.text, context), (ent.start_char, ent.end_char)
    for token in reversed(list(subject.subtree)):
        person = None if token.i in clause else _person_of_token(token, context)
        if person is not None:  # "Minister for Information Attaullah Tarar", name tagged ORG
            return person, (token.idx, token.idx + len(token.text))
    # A named organisation or an unnamed source: the words up to the head noun, without the
    # trailing modifiers ("a Pakistani security official", "State-run Pakistan TV Digital").
    between = [
        ent
        for ent in doc.ents
        if ent.label_ == "PERSON"
        and ent.start not in clause
        and left <= ent.start_char
        and ent.end <= subject.head.i
        and ent.sent == subject.sent
    ]
    if (
        between
    ):  # "Minister for Information Attaullah Tarar confirmed": the parse split the name off
        ent = between[0]
        return _canonical_person(ent.text, context), (ent.start_char, ent.end_char)
    titled = _titled_person(subject, context)
    if titled is not None:
        return titled, (left, right)
    subtree = list(doc[first : subject.right_edge.i + 1])
    if len(subtree) <= _MAX_DESCRIPTION_TOKENS and not any(t.is_punct for t in subtree):
        return doc[first : subject.right_edge.i + 1].text, (left, right)
    head_end = subject.idx + len(subject.text)
    return doc[first : subject.i + 1].text, (left, head_end)


def _clause_words(subject: Token) -> set[int]:
    """Tokens of the relative and participle clauses in ``subject``'s phrase, and of its
    comparisons: "said Elmendorf, who supports Clinton", "Some voters who were once intrigued by
    Mr. Trump now regard", "many Republicans, like Mr. Ryan, continued" name a person who is not
    the source; nor does what follows the colon of a headline ("Reid: 'Never, ever, ever
    underestimate Trump.'", "Poll: Donald Trump Ties Hillary Clinton …").  A common noun's
    source is that noun, not a person of its complements ("Advisers to … Jeb Bush", "Clinton's
    chief of staff"); a name in apposition still is ("a spokeswoman, Jennifer Palmieri,")."""
    words = {
        t.i
        for child in subject.subtree
        if child.i != subject.i
        and (
            child.dep_ in {"relcl", "acl"}
            or (child.dep_ == "prep" and child.lower_ in _COMPARISONS)
            or (subject.pos_ == "NOUN" and child.dep_ in {"prep", "poss"})
        )
        for t in child.subtree
    }
    colon = next((c.i for c in subject.rights if c.text == ":"), None)
    if colon is not None:
        words.update(t.i for c in subject.rights if c.i > colon for t in c.subtree)
    return words


def _own_person(subject: Token) -> SpacySpan | None:
    """The PERSON entity ``subject`` itself is part of: the chosen source's own name comes before
    any other name of its phrase or sentence ("Of Carson, Levine, who …, said")."""
    return next(
        (e for e in subject.doc.ents if e.label_ == "PERSON" and e.start <= subject.i < e.end),
        None,
    )


def _first_word(subject: Token) -> int:
    """Index of the first token of ``subject``'s phrase that is not punctuation."""
    first = subject.left_edge.i
    while first < subject.i and subject.doc[first].is_punct:
        first += 1
    return first


def _person_of_token(token: Token, context: QuoteContext) -> str | None:
    """The canonical person a proper-noun token names, if it is (part of) a known person's name."""
    if token.pos_ != "PROPN":
        return None
    person = _person_entities(token.doc).get(token.i)
    if person is not None:
        return _canonical_person(person, context)
    name = _canonical_person(token.text, context)
    return (
        name
        if (name in context.people and name != token.text) or token.text in context.people
        else None
    )


def _person_entities(doc: Doc) -> dict[int, str]:
    """Token index → text of the PERSON entity it is part of; computed once per doc."""
    cached: dict[int, str] | None = doc.user_data.get(_PERSON_KEY)
    if cached is None:
        cached = {
            i: ent.text
            for ent in doc.ents
            if ent.label_ == "PERSON"
            for i in range(ent.start, ent.end)
        }
        doc.user_data[_PERSON_KEY] = cached
    return cached


def _quoted_of(doc: Doc) -> list[bool]:
    """:func:`quoted_characters` of ``doc``'s text, computed once per doc."""
    cached: list[bool] | None = doc.user_data.get(_QUOTED_KEY)
    if cached is None:
        cached = quoted_characters(doc.text)
        doc.user_data[_QUOTED_KEY] = cached
    return cached


_BODIES = frozenset({"ORG", "GPE", "NORP"})  # what "it" may stand for when it speaks


def _body_antecedent(pronoun: Token) -> str | None:
    """The organisation, country or group "it" most likely means: the last subject before it in the
    paragraph that is such a name (or its owner: "Islamabad’s core demand") or a singular "the …"
    noun ("The union is seeking …, it says"), else the last such name there.  "It" is never a
    person: the seeds' "…, which it accuses of operating from sanctuaries" is Islamabad's
    accusation, not Khawaja Asif's, named in the sentence before."""
    last_named: str | None = None
    inside = _quoted_of(pronoun.doc)
    bodies = {e.end - 1: e for e in pronoun.doc.ents if e.label_ in _BODIES}  # by last token
    window = pronoun.doc[max(pronoun.i - _ANTECEDENT_TOKENS, 0) : pronoun.i]
    for token in reversed(window):
        if inside[token.idx]:
            continue
        role = token.dep_ if token.dep_ != "poss" else token.head.dep_
        subject = role in {"nsubj", "nsubjpass"}
        body = bodies.get(token.i)
        if body is not None:
            name = normalise(body.text, body.label_)  # "the Taliban’s" → "Taliban"
            if subject:
                return name
            last_named = last_named or name
        elif subject and not token.ent_type_ and token.tag_ == "NN" and _definite(token):
            return token.doc[token.left_edge.i : token.i + 1].text
    return last_named


def _definite(noun: Token) -> bool:
    """ "the union", "the harbour authority": a singular noun phrase opened by "the" and nothing
    but adjectives and nouns between."""
    words = list(noun.doc[noun.left_edge.i : noun.i])
    return (
        bool(words)
        and words[0].lower_ == "the"
        and all(w.dep_ in {"amod", "compound"} for w in words[1:])
    )


def _antecedent(pronoun: Token, context: QuoteContext) -> str | None:
    """The person a pronoun most likely means: the last person *subject* before it in the paragraph,
    else the last person named there, else the salient person carried from earlier paragraphs;
    for "it", the body :func:`_body_antecedent` finds."""
    if pronoun.lower_ == "it":
        return _body_antecedent(pronoun)
    last_named: str | None = None
    window = pronoun.doc[max(pronoun.i - _ANTECEDENT_TOKENS, 0) : pronoun.i]
    inside = _quoted_of(pronoun.doc)
    for token in reversed(window):
        if inside[token.idx]:
            continue  # "“… what Port Merrow will look like,” he said": not a person he can be
        subject = token.dep_ in {"nsubj", "nsubjpass"}
        person = _person_of_token(token, context)
        if person is None and subject:
            # "Minister for Information Attaullah Tarar confirmed … He pointed out": the subject's
            # head is the title; the person is the name inside its phrase, never "Minister"
            person = _person_in_phrase(token, context)
        if person is None and subject and pronoun.lower_ in _PERSONAL:
            person = _titled_name(token, context) or _untagged_name(token, context)
        if person is None:
            continue
        if subject:
            return person
        last_named = last_named or person
    if last_named is not None:
        return last_named
    return context.salient_person()


def _person_in_phrase(subject: Token, context: QuoteContext) -> str | None:
    """A known person named inside ``subject``'s own phrase (not its relative clauses)."""
    clause = _clause_words(subject) if subject.pos_ != "NOUN" else set()
    for token in subject.subtree:
        if token.i != subject.i and token.i not in clause:
            person = _person_of_token(token, context)
            if person is not None:
                return person
    return None


def _titled_name(subject: Token, context: QuoteContext) -> str | None:
    """The untagged name that ends a title phrase: "Minister for Information and Broadcasting
    Attaullah Tarar" (no PERSON tag) is Tarar, so "He pointed out" is his, not "Minister"'s.

    Only a proper-noun subject whose phrase runs on through "for"/"of" and ends in at least two
    capitalised proper nouns outside any entity naming a place or body is asked."""
    if subject.pos_ != "PROPN" or not any(
        c.dep_ == "prep" and c.lower_ in {"for", "of"} for c in subject.children
    ):
        return None
    last = subject.right_edge
    before = last.doc[last.i - 1] if last.i > subject.i + 1 else None
    if before is None or any(
        t.pos_ != "PROPN" or not t.text[:1].isupper() or t.text.isupper() or t.ent_type_ in _BODIES
        for t in (before, last)
    ):
        return None
    return _untagged_name(last, context)


_TITLE_LINKS = frozenset({"for", "of", "and", "&"})
_MAX_TITLE_TOKENS = 6


def _title_before(ent: SpacySpan) -> str | None:
    """The title a name is introduced with, lower-cased: "Information Minister Attaullah Tarar" and
    "Minister for Information and Broadcasting Attaullah Tarar" → "minister" (the last capitalised
    noun before the name, or the one before its "for"/"of")."""
    doc = ent.doc
    words: list[Token] = []
    j = ent.start - 1
    while j >= ent.sent.start and len(words) < _MAX_TITLE_TOKENS:
        token = doc[j]
        if token.lower_ in _TITLE_LINKS or (
            token.text[:1].isupper() and token.pos_ in {"NOUN", "PROPN", "ADJ"}
        ):
            words.insert(0, token)
            j -= 1
            continue
        break
    while words and words[0].lower_ in _TITLE_LINKS:
        words.pop(0)
    if not words:
        return None
    link = next((n for n, w in enumerate(words) if w.lower_ in {"for", "of"}), None)
    head = words[link - 1] if link else words[-1]
    return head.lower_ if head.pos_ in {"NOUN", "PROPN"} and head.is_alpha else None


def _titles(doc: Doc, before: int, context: QuoteContext) -> dict[str, str]:
    """Title → the last person ``doc`` introduces with it before token ``before``."""
    found: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON" and ent.end <= before:
            title = _title_before(ent)
            if title is not None:
                found[title] = _canonical_person(ent.text, context)
    return found


def _titled_person(subject: Token, context: QuoteContext) -> str | None:
    """ "the minister" → the person the article last introduced as "… Minister <name>".

    A reader takes a definite title for the last person given that title; it is resolved only when
    the subject is nothing but "the" and the title (adjectives allowed), so "the Afghan side" or
    "a senior official" keep their own words."""
    if subject.pos_ != "NOUN" or subject.tag_ != "NN" or not _definite(subject):
        return None
    if any(c.i > subject.i for c in subject.children):
        return None  # "the minister of state for …": a longer description, kept as written
    here = _titles(subject.doc, subject.left_edge.i, context)
    return here.get(subject.lower_) or context.titled.get(subject.lower_)


def _no_statement(cue: _Cue) -> bool:
    """Whether an indirect attribution is no one's words, though PolNeAR-style annotation may mark it.

    * a fragment: the cue sits in a clause that modifies its own content ("…, a charge New Delhi
      denies": "a charge" is not what New Delhi says);
    * a reporter's gloss: a statement noun that is the sentence's subject, whose "content" is the
      reporter's predicate about it ("Asif’s reference to Tora Bora alluded to …"), and the
      predicate itself when its subject is someone's statement and its verb no verb of speech.
    """
    token = cue.token
    left, right = cue.content
    if token.dep_ in {"relcl", "acl"} and left <= token.head.idx < right:
        return True
    if token.pos_ == "NOUN" and left > token.idx:
        predicate = _predicate_of(token)
        if predicate is not None and left <= predicate.idx < right:
            return True
    subject = _own_subject(token) if token.pos_ in {"VERB", "AUX"} else None
    if subject is None and token.dep_ == "acl" and token.head.pos_ == "NOUN":
        subject = token.head  # "Asif’s reference to Tora Bora alluded to …" parsed as a modifier
    return (
        subject is not None
        and subject.pos_ == "NOUN"
        and any(c.dep_ == "poss" for c in subject.children)
        and attribution_model.load_model().is_candidate(subject)
        and token.lemma_.lower() not in SPEECH_VERBS
    )


def _predicate_of(noun: Token) -> Token | None:
    """The verb that says something *about* ``noun``: the one it is the subject of, or a subjectless
    verb the parse hung on it ("reference … alluded"); not a clause with its own subject, which
    is the noun's content ("the claim that he lied")."""
    if noun.dep_ in {"nsubj", "nsubjpass"}:
        return noun.head
    return next(
        (
            c
            for c in noun.children
            if c.dep_ in {"acl", "relcl"}
            and c.pos_ == "VERB"
            and c.i > noun.i
            and not any(k.dep_ in {"nsubj", "nsubjpass", "mark"} for k in c.children)
        ),
        None,
    )


def _untagged_name(token: Token, context: QuoteContext) -> str | None:
    """A person's name the small model did not tag PERSON: a capitalised proper noun (with its
    compound first names) tagged nothing or ORG, without a word organisations are named with.

    "Varga was equally cautious. “…,” she said.": spaCy tags "Varga" ORG, yet "she" means her,
    not the previous paragraph's speaker.  Only a subject is asked, and only for "he" and "she"
    ("they" may well mean an organisation); nor a word of a sentence with quotation marks,
    which may be inside them."""
    if token.pos_ != "PROPN" or token.ent_type_ not in {"", "PERSON", "ORG"}:
        return None
    if any(c.dep_ == "det" for c in token.children) or _OPEN_MARK.search(token.sent.text):
        return None  # "the Afghan Taliban", or a name in a quotation
    words = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token]
    if any(not w.text[:1].isupper() or w.text.isupper() for w in words):
        return None  # "CDU", "iPhone"
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    phrase = (
        ent.text if ent is not None and ent.label_ == "ORG" else " ".join(w.text for w in words)
    )
    if any(w.strip(".,").lower() in _ORG_WORDS for w in phrase.split()):
        return None
    return _canonical_person(phrase, context)


def _canonical_person(name: str, context: QuoteContext) -> str:
    """Map a surname or short form to the fullest name of the article that ends with it."""
    clean = name.removesuffix("’s").removesuffix("'s").strip()
    last = clean.split()[-1] if clean.split() else clean
    for person in context.people:
        if person == clean or person.split()[-1] == last:
            return person
    return clean


def _covers_paragraph(text: str, start: int, end: int) -> bool:
    outside = (text[: max(start - 1, 0)] + text[end + 1 :]).strip(' ,.;:”"')
    return not outside


def _kind(parsed: _Parsed, start: int, end: int) -> QuoteKind:
    touched = [s for s in parsed.sentences if s[0] < end and s[1] > start]
    total = sum(e - s for s, e, _, _ in touched) or 1
    return "direct" if (end - start) / total >= _MIN_DIRECT_SHARE else "partial"


def _remember_people(doc: Doc, context: QuoteContext) -> None:
    context.titled.update(_titles(doc, len(doc), context))
    named = [
        (t.dep_ in {"nsubj", "nsubjpass"}, p) for t in doc if (p := _person_of_token(t, context))
    ]
    subjects = [name for is_subject, name in named if is_subject]
    if subjects:
        context.last_person, context.last_person_is_subject = subjects[-1], True
    elif named:
        context.last_person, context.last_person_is_subject = named[-1][1], False
