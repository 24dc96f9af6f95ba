"""A second, context-aware decision on which cue candidates open an attribution.

The cue scorer of :mod:`newsfuse.stages.extract.attribution_model` is a linear model over sparse
token features: it knows "said" is usually a cue, but one weight per feature cannot weigh the
evidence *together* ("said" with a person subject and a clausal complement next to a quotation is a
cue; "the said document" and "all told" are not), so a lower cue threshold buys recall only at a
precision far too low to raise F1.  This module re-decides every lexicon candidate from a few
dozen numbers spaCy's parse already holds — the linear score itself, the lemma's cue rate on
PolNeAR train, the dependency shape around the token (its subject and what kind of subject,
clausal complements, passive, tense, negation), where the quotation marks are, colons,
"according to", the token's place in its sentence and how it compares with the sentence's other
candidates — with gradient-boosted trees, which can combine them.

The trees are trained on PolNeAR *train* by ``benchmarks/train_cue_decision.py`` (the linear score
and the lemma rates there are out-of-fold, so the trees learn how far to trust them on unseen
text) and ship as plain arrays in ``cue_decision.json.gz`` beside this module: no scikit-learn at
run time.  All candidates of a paragraph are scored at once, every tree in one vectorised walk, so
the decision costs a few array operations per paragraph.
"""

from __future__ import annotations

import bisect
import copy
import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from newsfuse.stages.extract.attribution_model import Sentence, climbed_subject

if TYPE_CHECKING:
    from numpy.typing import NDArray
    from spacy.tokens import Doc, Token

__all__ = [
    "DECISION_PATH",
    "FEATURES",
    "CueDecision",
    "LemmaPriors",
    "candidate_features",
    "load_decision",
]

DECISION_PATH = Path(__file__).with_name("cue_decision.json.gz")
_CHILD_FLAGS = {
    "neg": "has_neg",
    "agent": "has_agent",
    "xcomp": "has_xcomp",
    "dobj": "has_dobj",
    "dative": "has_dative",
    "advcl": "has_advcl",
    "det": "has_det",
    "poss": "has_poss",
    **dict.fromkeys(("acl", "relcl", "csubj", "parataxis"), "has_clause_child"),
}
"""A child's dependency label and the flag it sets on its head (the labels with no more to say)."""

_POS = ("VERB", "NOUN", "ADP", "PUNCT", "ADJ", "AUX", "PROPN")
_DEPS = (
    "ROOT",
    "ccomp",
    "conj",
    "advcl",
    "xcomp",
    "relcl",
    "acl",
    "amod",
    "pcomp",
    "prep",
    "parataxis",
    "compound",
    "pobj",
    "dobj",
    "nsubj",
    "attr",
    "npadvmod",
)
_TAGS = ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB", "NN", "NNS", "JJ")
_PERSON_LABELS = frozenset({"PERSON"})
_GROUP_LABELS = frozenset({"ORG", "NORP", "GPE"})
_PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "who"})
_MODALS = frozenset({"will", "would", "could", "should", "may", "might", "can", "must", "'ll"})
_NEAR = 3  # tokens: a quotation mark this close is "next to" the candidate
_FAR = 40  # tokens: any farther (or none in the sentence) counts as this far

FEATURES: tuple[str, ...] = (
    "tagger_score",
    "lemma_prior",
    "lemma_log_count",
    "lemma_pos_prior",
    *(f"pos={p}" for p in _POS),
    *(f"dep={d}" for d in _DEPS),
    *(f"tag={t}" for t in _TAGS),
    "has_modal",
    "has_aux",
    "has_neg",
    "has_auxpass",
    "has_subject",
    "subject_person",
    "subject_group",
    "subject_pronoun",
    "subject_noun",
    "subject_left",
    "has_agent",
    "has_ccomp",
    "ccomp_that",
    "has_xcomp",
    "has_dobj",
    "has_dative",
    "prep_to",
    "prep_other",
    "has_advcl",
    "has_det",
    "has_poss",
    "has_clause_child",
    "climb_depth",
    "in_quotes",
    "sentence_quoted",
    "quote_distance",
    "quote_left_near",
    "quote_right_near",
    "comma_before",
    "subtree_quoted",
    "sentence_colon",
    "colon_next",
    "next_that",
    "next_to",
    "previous_det",
    "sentence_start",
    "relative_position",
    "sentence_tokens",
    "tokens_to_end",
    "depth_to_root",
    "head_is_candidate",
    "head_pos_verb",
    "head_pos_noun",
    "sentence_candidates",
    "other_best_score",
    "margin_over_others",
    "rank_in_sentence",
    "subtree_share",
    "is_entity",
    "title_case_inside",
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}


@dataclass(frozen=True, slots=True)
class LemmaPriors:
    """How often a lemma (and a lemma with its part of speech) is a cue among its candidates on
    PolNeAR train, smoothed towards the overall rate so that a rare lemma says little."""

    lemma: dict[str, tuple[int, int]]  # lemma -> (cues, candidates)
    lemma_pos: dict[str, tuple[int, int]]  # "lemma|POS" -> (cues, candidates)
    overall: float
    strength: float = 2.0

    def rate(self, table: dict[str, tuple[int, int]], key: str) -> float:
        cues, seen = table.get(key, (0, 0))
        return (cues + self.strength * self.overall) / (seen + self.strength)

    def values(self, lemma: str, pos: str) -> tuple[float, float, float]:
        """The lemma's rate, the log of its candidate count, the lemma-with-POS rate."""
        seen = self.lemma.get(lemma, (0, 0))[1]
        return (
            self.rate(self.lemma, lemma),
            math.log1p(seen),
            self.rate(self.lemma_pos, lemma + "|" + pos),
        )


def _quote_tokens(doc: Doc) -> list[int]:
    return [t.i for t in doc if t.is_quote or t.text in {"“", "”", '"', "«", "»", "„"}]


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 12:
        token = token.head
        depth += 1
    return depth


def candidate_features(
    doc: Doc,
    candidates: Sequence[Token],
    scores: Sequence[float],
    sentence_of: Sequence[int],
    sentences: Sequence[Sentence],
    inside: Sequence[bool],
    priors: LemmaPriors,
    lexicon: frozenset[str],
) -> NDArray[np.float64]:
    """One row of :data:`FEATURES` per candidate token of ``doc``.

    ``scores`` are the linear cue scores of the candidates, ``sentence_of`` the index into
    ``sentences`` of each candidate's sentence, ``inside`` flags characters in quotation marks.
    """
    rows = np.zeros((len(candidates), len(FEATURES)), dtype=np.float64)
    if not candidates:
        return rows
    quotes = _quote_tokens(doc)
    by_sentence: dict[int, list[float]] = {}
    for score, index in zip(scores, sentence_of, strict=True):
        by_sentence.setdefault(index, []).append(score)
    colon_sentences: dict[int, bool] = {}
    quoted_sentences: dict[int, bool] = {}
    text_length = len(inside)
    for row, (token, score, index) in enumerate(zip(candidates, scores, sentence_of, strict=True)):
        values = rows[row]
        start_char, end_char, first, end = sentences[index]
        lemma = token.lemma_.lower()
        pos = token.pos_
        dep = token.dep_
        tag = token.tag_
        values[0] = score
        values[1], values[2], values[3] = priors.values(lemma, pos)

        def put(name: str, value: float = 1.0, _values: NDArray[np.float64] = values) -> None:
            _values[_INDEX[name]] = value

        if pos in _POS:
            put("pos=" + pos)
        if dep in _DEPS:
            put("dep=" + dep)
        if tag in _TAGS:
            put("tag=" + tag)
        subject: Token | None = None
        for child in token.children:
            kid = child.dep_
            if kid in {"aux", "auxpass"}:
                put("has_aux")
                if kid == "auxpass":
                    put("has_auxpass")
                if child.lower_ in _MODALS:
                    put("has_modal")
            elif kid in {"nsubj", "nsubjpass"} and subject is None:
                subject = child
            elif kid == "ccomp":
                put("has_ccomp")
                if any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
                    put("ccomp_that")
            elif kid == "prep":
                put("prep_to" if child.lower_ == "to" else "prep_other")
            elif kid in _CHILD_FLAGS:
                put(_CHILD_FLAGS[kid])
        if subject is not None:
            put("has_subject")
            label = subject.ent_type_
            if label in _PERSON_LABELS:
                put("subject_person")
            elif label in _GROUP_LABELS:
                put("subject_group")
            elif subject.lower_ in _PERSONAL_PRONOUNS:
                put("subject_pronoun")
            elif subject.pos_ in {"NOUN", "PROPN"}:
                put("subject_noun")
            if subject.i < token.i:
                put("subject_left")
            put("climb_depth", 0.0)
        else:
            climbed, depth = climbed_subject(token)
            put("climb_depth", float(depth) if climbed is not None else -1.0)
        if inside and inside[min(token.idx, text_length - 1)]:
            put("in_quotes")
        if index not in quoted_sentences:
            quoted_sentences[index] = any(inside[start_char:end_char])
            colon_sentences[index] = ":" in doc.text[start_char:end_char]
        if quoted_sentences[index]:
            put("sentence_quoted")
        if colon_sentences[index]:
            put("sentence_colon")
        put("quote_distance", float(_quote_distance(quotes, token.i, first, end)))
        left = bisect.bisect_left(quotes, token.i - _NEAR)
        right = bisect.bisect_right(quotes, token.i + _NEAR)
        for q in quotes[left:right]:
            if first <= q < end:
                put("quote_left_near" if q < token.i else "quote_right_near")
        if token.i > first and doc[token.i - 1].text == ",":
            put("comma_before")
        subtree_left, subtree_right = token.left_edge.i, token.right_edge.i
        low = bisect.bisect_left(quotes, subtree_left)
        if low < len(quotes) and quotes[low] <= subtree_right:
            put("subtree_quoted")
        if token.i + 1 < len(doc):
            following = doc[token.i + 1].lower_
            if following == ":":
                put("colon_next")
            elif following == "that":
                put("next_that")
            elif following == "to":
                put("next_to")
        if token.i > 0 and doc[token.i - 1].dep_ == "det":
            put("previous_det")
        if token.i == first:
            put("sentence_start")
        length = max(end - first, 1)
        put("relative_position", (token.i - first) / length)
        put("sentence_tokens", float(length))
        put("tokens_to_end", float(end - token.i))
        put("depth_to_root", float(_depth(token)))
        head = token.head
        if head.i != token.i:
            if head.lemma_.lower() in lexicon:
                put("head_is_candidate")
            if head.pos_ in {"VERB", "AUX"}:
                put("head_pos_verb")
            elif head.pos_ in {"NOUN", "PROPN"}:
                put("head_pos_noun")
        others = by_sentence[index]
        put("sentence_candidates", float(len(others)))
        best_other = max((s for s in others if s != score), default=-10.0)
        if others.count(score) > 1:
            best_other = max(best_other, score)
        put("other_best_score", best_other)
        put("margin_over_others", score - best_other)
        put("rank_in_sentence", float(sum(s > score for s in others)))
        put("subtree_share", (subtree_right - subtree_left + 1) / length)
        if token.ent_type_:
            put("is_entity")
        if token.i > first and token.text[:1].isupper() and pos != "PUNCT":
            put("title_case_inside")
    return rows


def _quote_distance(quotes: Sequence[int], i: int, first: int, end: int) -> int:
    """Tokens from ``i`` to the nearest quotation mark of its sentence (``_FAR`` when none)."""
    at = bisect.bisect_left(quotes, i)
    best = _FAR
    for q in quotes[max(at - 1, 0) : at + 1]:
        if first <= q < end:
            best = min(best, abs(q - i))
    return best


class CueDecision:
    """Gradient-boosted trees over :data:`FEATURES`, as flat arrays, and the threshold on their
    log-odds above which a candidate is a cue; see the module docstring."""

    def __init__(self, data: dict[str, object]) -> None:
        names: list[str] = data["features"]  # type: ignore[assignment]
        if tuple(names) != FEATURES:
            raise ValueError("cue decision weights were trained on other features")
        trees: dict[str, list[float]] = data["trees"]  # type: ignore[assignment]
        self.feature = np.asarray(trees["feature"], dtype=np.intp)
        self.threshold = np.asarray(trees["threshold"], dtype=np.float64)
        self.left = np.asarray(trees["left"], dtype=np.intp)
        self.right = np.asarray(trees["right"], dtype=np.intp)
        self.value = np.asarray(trees["value"], dtype=np.float64)
        self.roots = np.asarray(trees["roots"], dtype=np.intp)
        self.depth = int(data["depth"])  # type: ignore[call-overload]
        self.baseline = float(data["baseline"])  # type: ignore[arg-type]
        self.cut = float(data["threshold"])  # type: ignore[arg-type]
        self.floor = float(data["floor"])  # type: ignore[arg-type]
        self.is_leaf = self.left < 0
        # a leaf points at itself, so walking on from a leaf stays on it
        own = np.arange(len(self.left), dtype=np.intp)
        self.left = np.where(self.is_leaf, own, self.left)
        self.right = np.where(self.is_leaf, own, self.right)
        raw: dict[str, dict[str, list[int]]] = data["priors"]  # type: ignore[assignment]
        self.priors = LemmaPriors(
            {k: (int(v[0]), int(v[1])) for k, v in raw["lemma"].items()},
            {k: (int(v[0]), int(v[1])) for k, v in raw["lemma_pos"].items()},
            float(data["overall_rate"]),  # type: ignore[arg-type]
        )

    def with_cut(self, cut: float) -> CueDecision:
        """The same trees deciding at another log-odds cut (for the benchmark's threshold rows)."""
        other = copy.copy(self)
        other.cut = cut
        return other

    def log_odds(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """The trees' summed log-odds of each row being a cue: every tree walked at once."""
        if rows.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        nodes = np.broadcast_to(self.roots, (rows.shape[0], self.roots.shape[0])).copy()
        line = np.arange(rows.shape[0])[:, None]
        for _ in range(self.depth):
            go_left = rows[line, self.feature[nodes]] <= self.threshold[nodes]
            nodes = np.where(go_left, self.left[nodes], self.right[nodes])
        total: NDArray[np.float64] = self.value[nodes].sum(axis=1) + self.baseline
        return total

    def accepts(self, rows: NDArray[np.float64], cut: float | None = None) -> NDArray[np.bool_]:
        """Which rows are cues: log-odds at or above ``cut`` (by default the shipped threshold),
        and a linear score above the floor no cue of train fell under."""
        decided: NDArray[np.bool_] = (self.log_odds(rows) >= (self.cut if cut is None else cut)) & (
            rows[:, 0] >= self.floor
        )
        return decided


@lru_cache(maxsize=2)
def load_decision(path: str | None = None) -> CueDecision:
    """The trained decision (by default :data:`DECISION_PATH`), read once per process."""
    with gzip.open(path or DECISION_PATH, "rt", encoding="utf-8") as handle:
        return CueDecision(json.load(handle))
