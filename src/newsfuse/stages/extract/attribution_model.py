"""A small learned model of attribution: which tokens are cues, who the source is, what the content is.

PolNeAR (political news attribution) marks far more than speech verbs: beliefs and expectations
("think", "is expected"), noun cues ("according to", "the claim that", "in a statement"), passives,
headline colons ("Lynch: No outside influence …"), endorsements and votes.  Three linear scorers,
trained on PolNeAR's train split by ``benchmarks/train_attribution.py``, cover that ground:

* **cue** – each token whose lemma the train split ever marks as a cue head (the learned lexicon) is
  scored from its lemma, part of speech, dependency label, its children's labels, its head and
  neighbours; above the threshold it is a cue.
* **source** – each noun, proper noun and pronoun of the cue's sentence is scored from the
  dependency path between it and the cue (``↓nsubj``, ``↑advcl↓nsubj``, ``↓agent↓pobj``, ``↓poss``,
  ``↓prep↓pobj`` …), crossed with the cue's lemma and part of speech, from whether it is the
  subject a subjectless cue borrows ("… and accused Obama", "…, saying"; :func:`climbed_subject`)
  and from its own word ("poll", "spokesman"); the best one above the threshold is the source
  head.  These weights are a ranker (a softmax over the sentence's candidates and "no source" at
  score 0), not a per-candidate classifier.
* **content** – a handful of candidate passages per cue (the subtree of each complement, the clause
  the cue interrupts, the sentence left or right of the cue and source, the next sentence) are scored
  from their kind crossed with the cue's lemma and label; the best one is the content.

The weights are a plain feature → weight map (``attribution_model.json.gz`` beside this module, a few
hundred kilobytes), loaded once per process; scoring is a sum of dictionary look-ups, so the extract
stage stays within its time budget over bare spaCy parsing.

**Context from the parser's own encoder.**  The hand-made features see a token's lemma, its
neighbours and its dependency arcs, but not the sentence around them the way a contextual model
does, and cue detection is where most errors are.  spaCy's small English model already computes a
contextual vector for every token (``doc.tensor``: the shared CNN ``tok2vec`` its tagger and parser
read, 96 numbers, each looking four tokens either way); the cue scorer and the source ranker may
add a learned linear function of the cue's (or candidate's) vector, trained jointly with the sparse
weights by ``benchmarks/train_attribution.py`` (``cue_dense`` / ``source_dense`` in the weight file).
It is a token classifier on top of the tok2vec that the parse has already paid for: one dot product
per candidate token, so no extra model and no measurable time.  A ``Doc`` without a tensor (another
pipeline, a ``Doc`` read back from a ``DocBin``) scores with the sparse weights alone.
"""

from __future__ import annotations

import bisect
import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from spacy.tokens import Doc, Token

__all__ = [
    "MODEL_PATH",
    "AttributionModel",
    "ContentCandidate",
    "climbed_subject",
    "content_candidates",
    "content_features",
    "cue_features",
    "load_model",
    "quoted_sentences",
    "sentence_index",
    "sentences_of",
    "source_candidates",
    "source_features",
    "token_vector",
]

MODEL_PATH = Path(__file__).with_name("attribution_model.json.gz")

_KID_DEPS = frozenset(
    [
        "ccomp",
        "xcomp",
        "nsubj",
        "nsubjpass",
        "dobj",
        "agent",
        "prep",
        "poss",
        "mark",
        "aux",
        "auxpass",
        "acl",
        "relcl",
        "neg",
        "dative",
        "attr",
        "oprd",
        "advcl",
        "conj",
        "npadvmod",
        "prt",
        "acomp",
        "expl",
        "csubj",
    ]
)
_COMPLEMENT_DEPS = frozenset({"acomp", "attr", "dobj", "xcomp"})
_SOURCE_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "X"})
_CONTENT_DEPS = frozenset(
    [
        "ccomp",
        "xcomp",
        "dobj",
        "prep",
        "attr",
        "oprd",
        "acomp",
        "advcl",
        "conj",
        "npadvmod",
        "acl",
        "relcl",
        "dative",
        "csubj",
        "pobj",
        "nsubj",
        "nsubjpass",
        "appos",
    ]
)
_MAX_PATH = 4
_MAX_CLIMB = 6
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# clauses that borrow their subject from the verb they hang on ("… and accused Obama", "…, saying")
_CLIMB_DEPS = frozenset(
    {"conj", "advcl", "xcomp", "ccomp", "acl", "relcl", "pcomp", "prep", "pobj", "dobj"}
)
_EDGE_JUNK = " \t\n,;:—–-"


Sentence = tuple[int, int, int, int]  # first character, end character, first token, end token


def sentences_of(doc: Doc) -> list[Sentence]:
    """The sentences of ``doc`` as plain tuples (``token.sent`` rebuilds them on every access)."""
    return [(s.start_char, s.end_char, s.start, s.end) for s in doc.sents]


def sentence_index(sentences: Sequence[Sentence], token: Token) -> int:
    """Which of ``sentences`` holds ``token``."""
    return max(bisect.bisect_right([s[2] for s in sentences], token.i) - 1, 0)


def quoted_sentences(sentences: Sequence[Sentence], inside: Sequence[bool]) -> list[bool]:
    """Per sentence: does it hold any character in quotation marks."""
    return [any(inside[start:end]) for start, end, _, _ in sentences]


@dataclass(frozen=True, slots=True)
class ContentCandidate:
    """A passage a cue may attribute: its kind (for the scorer) and characters in the paragraph."""

    kind: str
    start: int
    end: int


def _bucket(n: int) -> str:
    if n <= 2:
        return str(n)
    if n <= 5:
        return "3-5"
    if n <= 10:
        return "6-10"
    if n <= 25:
        return "11-25"
    return "26+"


def cue_features(token: Token, inside: Sequence[bool], quoted_sentence: bool = False) -> list[str]:
    """Features of ``token`` as a possible cue head; ``inside`` flags characters in quotation marks,
    ``quoted_sentence`` tells whether its sentence holds any."""
    lemma = token.lemma_.lower()
    pos = token.pos_
    dep = token.dep_
    head = token.head
    doc = token.doc
    feats = [
        "b",
        "l=" + lemma,
        "p=" + pos,
        "d=" + dep,
        "t=" + token.tag_,
        "lp=" + lemma + "|" + pos,
        "ld=" + lemma + "|" + dep,
        "pd=" + pos + "|" + dep,
        "hl=" + head.lemma_.lower(),
        "hd=" + head.dep_ + "|" + pos,
        "hp=" + head.pos_ + "|" + pos,
    ]
    if inside and inside[min(token.idx, len(inside) - 1)]:
        feats.append("q")
        feats.append("lq=" + lemma)
    if quoted_sentence:
        feats.append("sq")
        feats.append("lsq=" + lemma)
        for step in (-2, -1, 1, 2):
            j = token.i + step
            if 0 <= j < len(doc) and doc[j].is_quote:
                feats.append("qa=" + ("L" if step < 0 else "R"))
                feats.append("lqa=" + lemma + ("L" if step < 0 else "R"))
                break
    previous = doc[token.i - 1].lower_ if token.i > 0 else "<s>"
    following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else "</s>"
    feats.append("pw=" + previous)
    feats.append("nw=" + following)
    feats.append("lnw=" + lemma + "|" + following)
    feats.append("lpw=" + lemma + "|" + previous)
    if token.is_sent_start:
        feats.append("start")
    kids = [c for c in token.children if c.dep_ in _KID_DEPS]
    for kid in kids:
        kd = kid.dep_
        feats.append("k=" + kd)
        feats.append("lk=" + lemma + "|" + kd)
        feats.append("pk=" + pos + "|" + kd)
        if kd in {"nsubj", "nsubjpass", "poss", "agent"}:
            feats.append("ks=" + kd + "|" + (kid.ent_type_ or kid.pos_))
            feats.append("lks=" + lemma + "|" + kd + "|" + (kid.ent_type_ or kid.pos_))
        elif kd in {"prep", "mark"}:
            feats.append("kw=" + kd + "|" + kid.lower_)
            feats.append("lkw=" + lemma + "|" + kid.lower_)
        elif kd in {"aux", "auxpass"}:
            feats.append("ka=" + kid.lower_)
        if kd in _COMPLEMENT_DEPS:  # a light verb's complement carries the cue: "is confident"
            feats.append("kl=" + kd + "|" + kid.lemma_.lower())
            feats.append("lkl=" + lemma + "|" + kid.lemma_.lower())
    if not any(k.dep_ in {"nsubj", "nsubjpass"} for k in kids):
        feats.append("nosubj|" + pos)
    if pos == "PUNCT":
        feats.append("punct=" + token.text + "|" + str(token.i - token.sent.start))
    return feats


def token_vector(token: Token) -> NDArray[np.float32] | None:
    """The parser's contextual vector of ``token`` (``doc.tensor`` row), ``None`` when the ``Doc``
    carries none (see the module docstring)."""
    tensor = token.doc.tensor
    if tensor is None or len(tensor.shape) != 2 or tensor.shape[0] != len(token.doc):
        return None
    row: NDArray[np.float32] = tensor[token.i]
    return row


def _path(cue: Token, other: Token) -> str:
    """Dependency path from ``cue`` to ``other``: up-steps then down-steps, or ``far``."""
    up: list[Token] = [cue]
    while up[-1].head.i != up[-1].i and len(up) <= _MAX_PATH + 1:
        up.append(up[-1].head)
    down: list[Token] = [other]
    index = {t.i: n for n, t in enumerate(up)}
    while down[-1].i not in index:
        if down[-1].head.i == down[-1].i or len(down) > _MAX_PATH + 1:
            return "far"
        down.append(down[-1].head)
    steps_up = index[down[-1].i]
    if steps_up + len(down) - 1 > _MAX_PATH:
        return "far"
    ups = "".join("↑" + t.dep_ for t in up[:steps_up])
    downs = "".join("↓" + t.dep_ for t in reversed(down[:-1]))
    return ups + downs or "self"


def source_candidates(cue: Token, inside: Sequence[bool], sentence: Sentence) -> list[Token]:
    """Possible source heads of ``cue``: nouns and pronouns of its sentence outside its own span."""
    return [
        t
        for t in cue.doc[sentence[2] : sentence[3]]
        if t.pos_ in _SOURCE_POS
        and t.i != cue.i
        and not (inside and inside[min(t.idx, len(inside) - 1)])
    ]


def climbed_subject(cue: Token) -> tuple[Token | None, int]:
    """The nearest subject up the tree from ``cue`` and how many steps up it hangs.

    A participle or a conjoined verb has no subject of its own ("Romney ran on … and accused
    Obama of …", "…, saying he would"): its source is the subject of the clause it belongs to,
    which the dependency path often reaches only beyond its length limit.
    """
    token = cue
    for depth in range(_MAX_CLIMB + 1):
        subjects = [c for c in token.children if c.dep_ in _SUBJECTS and c.i != cue.i]
        if subjects:
            # The one nearest its verb: a dateline the parse also made a subject ("PHILADELPHIA,
            # July 25 (UPI) — The committee released …") is farther away than the real one.
            return min(subjects, key=lambda c: (abs(c.i - token.i), c.i)), depth
        if token.head.i == token.i or token.dep_ not in _CLIMB_DEPS:
            break
        token = token.head
    return None, -1


def source_features(
    cue: Token, candidate: Token, climbed: tuple[Token | None, int] | None = None
) -> list[str]:
    """Features of ``candidate`` as the source head of ``cue``; ``climbed`` is
    :func:`climbed_subject` of ``cue`` (computed once per cue by the caller when given)."""
    lemma = cue.lemma_.lower()
    path = _path(cue, candidate)
    distance = candidate.i - cue.i
    side = "L" if distance < 0 else "R"
    kind = candidate.ent_type_ or candidate.pos_
    feats = [
        "b",
        "pa=" + path,
        "lpa=" + lemma + "|" + path,
        "cpa=" + cue.pos_ + "|" + path,
        "dpa=" + cue.dep_ + "|" + path,
        "cd=" + candidate.dep_,
        "ck=" + kind,
        "pk=" + path + "|" + kind,
        "side=" + side,
        "dist=" + side + _bucket(abs(distance)),
        "pdist=" + path + "|" + _bucket(abs(distance)),
    ]
    if candidate.pos_ == "PRON":
        feats.append("pron=" + candidate.lower_)
        feats.append("ppron=" + path + "|" + candidate.lower_)
    if candidate.dep_ in {"compound", "poss", "amod"} and candidate.head.pos_ in _SOURCE_POS:
        feats.append("modifier")
    subject, depth = climbed_subject(cue) if climbed is None else climbed
    if subject is not None and subject.i == candidate.i:
        steps = str(min(depth, 3))
        feats.append("climb=" + steps)
        feats.append("climbd=" + cue.dep_ + "|" + steps)
        feats.append("climbl=" + lemma + "|" + steps)
    if candidate.pos_ != "PROPN":  # "the poll", "a spokesman", "the report": sources by their word
        feats.append("cl=" + candidate.lemma_.lower())
        feats.append("pcl=" + path + "|" + candidate.lemma_.lower())
    return feats


def _subtree_range(token: Token) -> tuple[int, int]:
    return token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_JUNK:
        start += 1
    while end > start and text[end - 1] in _EDGE_JUNK:
        end -= 1
    return start, end


def content_candidates(
    cue: Token, source: Token | None, sentences: Sequence[Sentence], index: int
) -> list[ContentCandidate]:
    """Passages ``cue`` may attribute, in paragraph characters (never empty, never the cue);
    ``sentences[index]`` is the cue's sentence."""
    doc = cue.doc
    text = doc.text
    sentence_start, sentence_end = sentences[index][:2]
    found: list[ContentCandidate] = []

    def add(kind: str, start: int, end: int) -> None:
        start, end = _trimmed(text, start, end)
        if end - start >= 2 and not (start <= cue.idx < end and cue.pos_ != "PUNCT"):
            found.append(ContentCandidate(kind, start, end))

    right: list[Token] = []
    for child in cue.children:
        if child.dep_ not in _CONTENT_DEPS:
            continue
        kind = "k:" + child.dep_
        if child.dep_ == "prep":
            kind += ":" + child.lower_
        start, end = _subtree_range(child)
        add(kind, start, end)
        if child.i > cue.i:
            right.append(child)
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    for great in grand.children:
                        if great.dep_ in {"acl", "relcl", "ccomp", "appos"}:
                            add("kpa:" + great.dep_, *_subtree_range(great))
    if len(right) > 1:
        add("right-kids", right[0].left_edge.idx, _subtree_range(right[-1])[1])
    head = cue.head
    if head.i != cue.i:
        if head.i < cue.i:
            add("head-left:" + cue.dep_, head.left_edge.idx, cue.left_edge.idx)
        else:
            add("head-right:" + cue.dep_, _subtree_range(cue)[1], _subtree_range(head)[1])
    low = min([cue.idx] + [c.idx for c in cue.children if c.dep_ in {"aux", "auxpass", "neg"}])
    if source is not None and source.i < cue.i:
        low = min(low, source.left_edge.idx)
    add("sent-left", sentence_start, low)
    after = cue.idx + len(cue.text)
    if source is not None and source.i > cue.i:
        after = max(after, _subtree_range(source)[1])
    if cue.lower_ == "according" and cue.i + 1 < len(doc):
        after = max(after, _subtree_range(cue)[1])
    add("sent-right", after, sentence_end)
    if index + 1 < len(sentences):
        following = sentences[index + 1]
        add("next", following[0], following[1])
        if cue.pos_ == "PUNCT" or text[sentence_end - 2 : sentence_end].strip() == ":":
            add("rest", following[0], len(text))
    if index > 0:
        previous = sentences[index - 1]
        add("prev", previous[0], previous[1])
    return found


def content_features(cue: Token, candidate: ContentCandidate, sentence_chars: int) -> list[str]:
    """Features of ``candidate`` as the content of ``cue``."""
    lemma = cue.lemma_.lower()
    kind = candidate.kind
    text = cue.doc.text
    passage = text[candidate.start : candidate.end]
    share = (candidate.end - candidate.start) / max(sentence_chars, 1)
    feats = [
        "b",
        "k=" + kind,
        "lk=" + lemma + "|" + kind,
        "pk=" + cue.pos_ + "|" + kind,
        "dk=" + cue.dep_ + "|" + kind,
        "sk=" + kind + "|" + ("big" if share > 0.6 else "mid" if share > 0.25 else "small"),
        "wk=" + kind + "|" + _bucket(len(passage.split())),
    ]
    first = passage.split(maxsplit=1)[0].lower() if passage.split() else ""
    if first in {"that", "to", "whether", "if", "how", "why", "what", "for", "on", "about"}:
        feats.append("fw=" + first + "|" + kind)
    if any(m in passage for m in '“”"'):
        feats.append("quoted|" + kind)
    return feats


class AttributionModel:
    """The three scorers and the learned cue lexicon; see the module docstring."""

    def __init__(self, data: dict[str, object]) -> None:
        self.cue: dict[str, float] = dict(data["cue"])  # type: ignore[call-overload]
        self.source: dict[str, float] = dict(data["source"])  # type: ignore[call-overload]
        self.content: dict[str, float] = dict(data["content"])  # type: ignore[call-overload]
        lexicon: list[str] = data["lexicon"]  # type: ignore[assignment]
        self.lexicon: frozenset[str] = frozenset(lexicon)
        thresholds: dict[str, float] = dict(data["thresholds"])  # type: ignore[call-overload]
        self.cue_threshold = thresholds["cue"]
        self.source_threshold = thresholds["source"]
        self.cue_dense = _dense(data.get("cue_dense"))
        self.source_dense = _dense(data.get("source_dense"))

    @staticmethod
    def score(weights: dict[str, float], features: Iterable[str]) -> float:
        return sum(weights.get(f, 0.0) for f in features)

    @staticmethod
    def dense_score(weights: NDArray[np.float64] | None, token: Token) -> float:
        """The contextual part of a score: 0 without weights or without a tensor."""
        if weights is None:
            return 0.0
        vector = token_vector(token)
        if vector is None or vector.shape[0] != weights.shape[0]:
            return 0.0
        return float(vector @ weights)

    def is_candidate(self, token: Token) -> bool:
        return token.lemma_.lower() in self.lexicon

    def cue_score(self, token: Token, inside: Sequence[bool], quoted_sentence: bool) -> float:
        return self.score(self.cue, cue_features(token, inside, quoted_sentence)) + (
            self.dense_score(self.cue_dense, token)
        )

    def best_source(self, cue: Token, inside: Sequence[bool], sentence: Sentence) -> Token | None:
        best: tuple[float, Token] | None = None
        climbed = climbed_subject(cue)
        for candidate in source_candidates(cue, inside, sentence):
            value = self.score(self.source, source_features(cue, candidate, climbed))
            value += self.dense_score(self.source_dense, candidate)
            if best is None or value > best[0]:
                best = (value, candidate)
        if best is None or best[0] < self.source_threshold:
            return None
        return best[1]

    def best_content(
        self, cue: Token, source: Token | None, sentences: Sequence[Sentence], index: int
    ) -> ContentCandidate | None:
        sentence_chars = sentences[index][1] - sentences[index][0]
        best: tuple[float, ContentCandidate] | None = None
        for candidate in content_candidates(cue, source, sentences, index):
            value = self.score(self.content, content_features(cue, candidate, sentence_chars))
            if best is None or value > best[0]:
                best = (value, candidate)
        return best[1] if best is not None else None


def _dense(weights: object) -> NDArray[np.float64] | None:
    if not isinstance(weights, list) or not weights:
        return None
    return np.asarray(weights, dtype=np.float64)


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> AttributionModel:
    """The trained model (by default :data:`MODEL_PATH`), read once per process."""
    with gzip.open(path or MODEL_PATH, "rt", encoding="utf-8") as handle:
        return AttributionModel(json.load(handle))
