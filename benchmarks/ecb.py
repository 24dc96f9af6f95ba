"""ECB+ as same-fact sentence pairs: a loader for ``../shared/bench/events-dev`` (train and val topics).

Why this set: ECB+ annotates which mentions of different news articles refer to the same real-world
happening (cross-document event coreference), and every topic holds two *similar but different*
events (two earthquakes, two celebrity arrests; the ``ecb`` and ``ecbplus`` subtopics).  Two
sentences of different articles that share an event chain report the same happening, which is what
newsfuse's "same fact" decision has to recognise; sentences of the other subtopic of the same topic
are the hard negatives (same kind of event, same vocabulary, different happening).

Source: ``ECB_{Train,Dev}_corpus.txt`` (the Cybulska–Vossen validated sentences; tab-separated
``doc_id  sentence_no  token_no  token  tag`` lines, a blank line between sentences).  ``tag`` is
``-`` or one coreference chain id: ``ACT…``/``NEG…`` event chains and ``HUM/LOC/TIM/NON…`` entity
chains span documents; ``Singleton_…`` and ``INTRA_…`` ids are single mentions or chains inside one
document, so they cannot link two articles and are left out.  A token carries one tag in that file:
there is no separator for several, and a token inside two mentions (an entity nested in an event
mention, e.g. "Attorney" of "Attorney Shawn Holley") keeps only one of them.  So the chain ids of the
``*_gold_mentions.json`` files (one record per mention, nested ones included) are added to their
sentence as well; on this data that changes no sentence's event set and one val sentence's entity
set.  Tags are still split on ``;`` and checked against the known shapes, so a file that packs
several tags into one field is read right and an unknown shape fails loudly.

The split: ``train_val_test_split.json`` names the train, val and test topics.  The test topics
(36–45) are not on disk and are never read; topics 15 and 17 are named as train topics but are not
in the corpus files (the Cybulska–Vossen setup leaves them out), so the train topics here are 25.
Those are split, once, with a fixed seed, into :data:`FIT_TOPICS` (for fitting model weights) and
:data:`CHOOSE_TOPICS` (for choosing thresholds and settings without touching the fit pairs); the
val topics are the held-out report set.  The constants are written out below so that a change of
data or code cannot move a topic silently; :func:`seeded_split` recomputes them.

    from ecb import load_sentences, sentence_pairs, FIT_TOPICS, CHOOSE_TOPICS
    pairs = sentence_pairs(load_sentences("train"))

(``benchmarks/`` scripts import their siblings by module name: the script's folder is on
``sys.path``; from elsewhere, put ``benchmarks`` on ``sys.path`` first.)
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "CHOOSE_TOPICS",
    "DEFAULT_DATA_DIR",
    "FIT_TOPICS",
    "SPLIT_SEED",
    "EcbDocument",
    "EcbSentence",
    "SentencePair",
    "detokenise",
    "load_documents",
    "load_sentences",
    "seeded_split",
    "sentence_pairs",
    "split_topics",
]

Split = Literal["train", "val"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "events-dev"
_CORPUS = {"train": "ECB_Train_corpus.txt", "val": "ECB_Dev_corpus.txt"}
_MENTIONS = {
    "train": ("ECB_Train_Event_gold_mentions.json", "ECB_Train_Entity_gold_mentions.json"),
    "val": ("ECB_Dev_Event_gold_mentions.json", "ECB_Dev_Entity_gold_mentions.json"),
}

SPLIT_SEED = 13
CHOOSE_COUNT = 6
# random.Random(SPLIT_SEED).sample(<the 25 train topics in ECB_Train_corpus.txt, ascending>, 6),
# sorted; FIT_TOPICS are the other 19.  seeded_split() recomputes both.
CHOOSE_TOPICS: tuple[int, ...] = (8, 10, 11, 13, 30, 31)
FIT_TOPICS: tuple[int, ...] = (1, 3, 4, 6, 7, 9, 14, 16, 19, 20, 22, 24, 25, 26, 27, 28, 29, 32, 33)

_EVENT_PREFIXES = ("ACT", "NEG")
_ENTITY_PREFIXES = ("HUM", "LOC", "TIM", "NON")
_CHAIN = re.compile(r"(ACT|NEG|HUM|LOC|TIM|NON)\d+")
_LOCAL = re.compile(r"(Singleton|INTRA)_[A-Z]+_\d+_\d+_\d+ecb(plus)?")
_DOC = re.compile(r"(\d+)_(\d+)(ecb|ecbplus)")


@dataclass(frozen=True, slots=True)
class EcbSentence:
    """One validated ECB+ sentence and the cross-document chains mentioned in it.

    ``subtopic`` is ``"<topic>_ecb"`` or ``"<topic>_ecbplus"``: the two different events of a topic.
    ``number`` is the sentence number inside the document (not contiguous: only validated sentences
    are in the corpus).  ``events`` / ``entities`` hold cross-document chain ids only (``ACT…``/
    ``NEG…`` and ``HUM…``/``LOC…``/``TIM…``/``NON…``).
    """

    topic: int
    subtopic: str
    doc: str
    number: int
    text: str
    events: frozenset[str]
    entities: frozenset[str]


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Two sentences of different documents of one topic; ``label`` 1 when they share an event chain.

    ``shared_events`` are the shared event chain ids (empty for label 0); ``same_subtopic`` tells
    the easy negatives (same event, other happening in it) from the hard ones (the topic's other
    event).
    """

    left: EcbSentence
    right: EcbSentence
    label: int
    same_subtopic: bool
    shared_events: frozenset[str]


def _doc_key(doc: str) -> tuple[int, str, int]:
    """(topic, "ecb"/"ecbplus", document number): a natural, deterministic document order."""
    match = _DOC.fullmatch(doc)
    if match is None:
        raise ValueError(f"unexpected ECB+ document id {doc!r}")
    return int(match.group(1)), match.group(3), int(match.group(2))


def _chains(field: str) -> list[str]:
    """The cross-document chain ids of one tag field (``-``, one id, or ids joined by ``;``)."""
    found: list[str] = []
    for tag in (part.strip() for part in field.split(";")):
        if not tag or tag == "-" or _LOCAL.fullmatch(tag):
            continue
        if not _CHAIN.fullmatch(tag):
            raise ValueError(f"unexpected ECB+ tag {tag!r}")
        found.append(tag)
    return found


_NO_SPACE_BEFORE = frozenset(
    {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'S", "n't", "N'T", "'re", "'ve"}
    | {"'ll", "'d", "'m", "''", "...", "'"}
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "``", "#"})


def detokenise(tokens: Sequence[str]) -> str:
    """Readable text from ECB+ tokens: "did n't" → "didn't", "Reid 's" → "Reid's", no space before
    ``, . ; : ) %``, none after ``( $``, ``` `` ``` / ``''`` → straight double quotes attached to the
    quoted words, and "year - old" → "year-old" (the corpus splits hyphens off; a hyphen between
    two word tokens is taken as part of a compound, so an unspaced dash between words is glued too),
    and "1 : 30" → "1:30".

    Straight ``"`` and a lone ``'`` open a quote when none of their kind is open and close it
    otherwise; a closing one attaches to the word before it, an opening one to the word after it.  A
    lone ``'`` after a word ending in "s", with no single quote open, is a plural possessive.
    """
    out: list[str] = []
    glue_next = False
    open_quote = {'"': False, "'": False}
    for position, token in enumerate(tokens):
        piece = token
        attach_left = False
        attach_right = False
        if token == "``":
            piece, attach_right = '"', True
        elif token == "''":
            piece, attach_left = '"', True
        elif token in open_quote:
            following = tokens[position + 1] if position + 1 < len(tokens) else ""
            closing = open_quote[token] or following == "" or following in _NO_SPACE_BEFORE
            if token == "'" and not closing and out and out[-1][-1:] in ("s", "S"):
                closing = True  # "Chargers ' Jackson": a plural possessive, not a quote
            else:
                open_quote[token] = not closing
            attach_left, attach_right = closing, not closing
        elif token == ":" and 0 < position < len(tokens) - 1:
            # "1 : 30" is a clock time; otherwise a colon ends the words before it.
            attach_left = True
            attach_right = tokens[position - 1].isdigit() and tokens[position + 1].isdigit()
        elif token in _NO_SPACE_BEFORE:
            attach_left = True
        elif len(token) > 1 and token.count('"') % 2 == 1:
            # A quote glued to a word ('"It' ... '!"') opens or closes one all the same.
            open_quote['"'] = token.startswith('"')
        elif token in _NO_SPACE_AFTER:
            attach_right = True
        elif token == "-" and out and position + 1 < len(tokens):
            before, after = tokens[position - 1], tokens[position + 1]
            if before[-1:].isalnum() and after[:1].isalnum():
                attach_left = attach_right = True
        if out and not attach_left and not glue_next:
            out.append(" ")
        out.append(piece)
        glue_next = attach_right
    return "".join(out)


@cache
def _load(split: Split, data_dir: Path) -> tuple[EcbSentence, ...]:
    tokens: dict[tuple[str, int], list[str]] = defaultdict(list)
    chains: dict[tuple[str, int], set[str]] = defaultdict(set)
    with (data_dir / _CORPUS[split]).open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if fields == [""]:
                continue
            # One line of the dev file has an empty extra field before the tag: the tag is the
            # last non-empty field after the token.
            rest = [f for f in fields[4:] if f.strip()]
            if len(fields) < 5 or len(rest) > 1:
                raise ValueError(f"unexpected ECB+ line {line!r}")
            key = (fields[0], int(fields[1]))
            tokens[key].append(fields[3])
            chains[key].update(_chains(rest[0] if rest else "-"))
    for name in _MENTIONS[split]:
        for mention in json.loads((data_dir / name).read_text(encoding="utf-8")):
            key = (str(mention["doc_id"]), int(mention["sent_id"]))
            if key in tokens:
                chains[key].update(_chains(str(mention["coref_chain"])))
    found: list[EcbSentence] = []
    for doc, number in sorted(tokens, key=lambda k: (_doc_key(k[0]), k[1])):
        topic, kind, _ = _doc_key(doc)
        ids = chains[(doc, number)]
        found.append(
            EcbSentence(
                topic=topic,
                subtopic=f"{topic}_{kind}",
                doc=doc,
                number=number,
                text=detokenise(tokens[(doc, number)]),
                events=frozenset(c for c in ids if c.startswith(_EVENT_PREFIXES)),
                entities=frozenset(c for c in ids if c.startswith(_ENTITY_PREFIXES)),
            )
        )
    wanted = set(split_topics(data_dir)[split])
    stray = {s.topic for s in found} - wanted
    if stray:
        raise ValueError(f"{_CORPUS[split]} holds topics {sorted(stray)} not named as {split}")
    return tuple(found)


def load_sentences(split: Split, *, data_dir: Path = DEFAULT_DATA_DIR) -> list[EcbSentence]:
    """The validated sentences of the ``train`` or ``val`` topics, ordered by topic, subtopic
    (``ecb`` first), document number and sentence number.  Read once per process."""
    if split not in _CORPUS:
        raise ValueError(f"split must be 'train' or 'val', not {split!r}")
    return list(_load(split, data_dir))


def split_topics(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, list[int]]:
    """``train_val_test_split.json``: topic numbers by split name (only the names are read)."""
    raw = json.loads((data_dir / "train_val_test_split.json").read_text(encoding="utf-8"))
    return {name: [int(t) for t in topics] for name, topics in raw.items()}


def seeded_split(
    train_topics: Iterable[int], *, seed: int = SPLIT_SEED, choose: int = CHOOSE_COUNT
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(fit topics, choose topics): ``choose`` topics drawn with ``random.Random(seed)``."""
    ordered = sorted(set(train_topics))
    chosen = set(random.Random(seed).sample(ordered, choose))
    return (
        tuple(t for t in ordered if t not in chosen),
        tuple(t for t in ordered if t in chosen),
    )


def sentence_pairs(sentences: Sequence[EcbSentence]) -> list[SentencePair]:
    """Every pair of sentences of different documents within one topic, both subtopics included.

    Order: by topic, then by the sentences' positions in ``sentences`` (left before right), so the
    same input gives the same list.  Pairs inside one document are left out: newsfuse only compares
    claims of different articles.
    """
    by_topic: dict[int, list[EcbSentence]] = defaultdict(list)
    for sentence in sentences:
        by_topic[sentence.topic].append(sentence)
    found: list[SentencePair] = []
    for topic in sorted(by_topic):
        members = by_topic[topic]
        for i, left in enumerate(members):
            for right in members[i + 1 :]:
                if left.doc == right.doc:
                    continue
                shared = left.events & right.events
                found.append(
                    SentencePair(
                        left=left,
                        right=right,
                        label=int(bool(shared)),
                        same_subtopic=left.subtopic == right.subtopic,
                        shared_events=shared,
                    )
                )
    return found


def _summary() -> None:
    """Counts per split, and a check that the written-down FIT/CHOOSE constants are the seeded ones."""
    train = load_sentences("train")
    fit, choose = seeded_split({s.topic for s in train})
    print(f"seed {SPLIT_SEED}: fit {fit}\n         choose {choose}")
    print("constants match" if (fit, choose) == (FIT_TOPICS, CHOOSE_TOPICS) else "MISMATCH")
    for split in ("train", "val"):
        sentences = load_sentences(split)
        pairs = sentence_pairs(sentences)
        positives = [p for p in pairs if p.label]
        print(
            f"{split}: {len({s.topic for s in sentences})} topics, {len(sentences)} sentences, "
            f"{len(pairs)} pairs, {len(positives)} positive "
            f"({sum(not p.same_subtopic for p in positives)} across subtopics), "
            f"{sum(not s.events for s in sentences)} sentences without a cross-document event"
        )


if __name__ == "__main__":
    _summary()


# --- whole documents, for story clustering ------------------------------------------------------------

_TOKEN = re.compile(r'<token t_id="\d+" sentence="(\d+)" number="\d+">([^<]*)</token>')
_URL_LINE = re.compile(r"^https?\s*:\s*/\s*/")


@dataclass(frozen=True, slots=True)
class EcbDocument:
    """One ECB+ news article as a story tracker sees it: its text and its true story.

    ``story`` is the subtopic (``"<topic>_ecb"`` or ``"<topic>_ecbplus"``): one of the topic's two
    similar but different events, which is what a tracker has to tell apart.  ``url`` is the
    first sentence when it is a web address (``ecbplus`` files start with one; ``ecb`` files never
    do), taken out of the text so that the *form* of a file cannot tell the two events apart.
    """

    doc: str
    topic: int
    story: str
    url: str | None
    text: str


def _unescape(token: str) -> str:
    return (
        token.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    )


def load_documents(
    topics: Iterable[int], *, data_dir: Path = DEFAULT_DATA_DIR
) -> list[EcbDocument]:
    """The full documents (``ecbplus/<topic>/*.xml``) of ``topics``, in topic and document order.

    Refuses the test topics (36-45) whatever is on disk: they are held out for others' figures.
    """
    wanted = sorted(set(topics))
    test = set(split_topics(data_dir).get("test", ())) & set(wanted)
    if test:
        raise ValueError(f"ECB+ test topics {sorted(test)} are never read")
    found: list[EcbDocument] = []
    for topic in wanted:
        paths = sorted(
            (data_dir / "ecbplus" / str(topic)).glob("*.xml"), key=lambda p: _doc_key(p.stem)
        )
        for path in paths:
            sentences: dict[int, list[str]] = defaultdict(list)
            for number, token in _TOKEN.findall(path.read_text(encoding="utf-8")):
                sentences[int(number)].append(_unescape(token))
            lines = [detokenise(sentences[n]) for n in sorted(sentences)]
            url = None
            if lines and _URL_LINE.match(lines[0]):
                url = "".join(lines.pop(0).split())
            _, kind, _ = _doc_key(path.stem)
            found.append(
                EcbDocument(
                    doc=path.stem,
                    topic=topic,
                    story=f"{topic}_{kind}",
                    url=url,
                    text="\n".join(lines),
                )
            )
    return found
