"""Past or future: which "Friday", "January" or "Nov. 6" a news report means, learned from TimeBank.

A weekday or a month named without "last"/"next" or a year has two candidates around the
publication date: the latest one on or before it, and the next one after it.  News mostly reports
the recent past, but it also announces (``"will meet on Friday"``, ``"payable Dec. 15"``) and
speaks of a past written after the name (``"In January, the company bought ..."``).  The old hand
rule looked only at the clause *before* the name and at a fixed 135-day horizon, and so read
``"In January, X brought in"`` (written in October) as next January.

So the choice is a logistic regression over a few cues that a reader uses (below), fitted by
``benchmarks/fit_timex_direction.py`` on the **fit** part of TBAQ only; its weights, 16 numbers,
ship in ``timex_direction.json`` beside this module (580 bytes, C=1).  The benchmark
``benchmarks/timex.py`` runs the hand rule beside it (``newsfuse-hand-direction``).  Weekdays that
the words settle ("said Tuesday", "Friday's ruling", "will meet on Friday") never reach it (see
``dates._resolve_weekday``): the fit part holds too few of them to learn what a reader knows.

Features (each computed from the text around the name; "before" is the clause up to the name,
"after" the rest of the sentence, 60 characters at most):

* ``future_before`` – a future cue ("will", "would", "scheduled", "expected to", "next", ...)
  before, with no past verb after it (the old rule's test);
* ``past_before`` / ``past_after`` – a past-tense verb ("said", "was", "-ed", "bought") before /
  after;
* ``future_after`` – a future cue after ("In January, the bank will ...");
* ``deadline`` – a preposition that points at a limit or a start ahead: "by", "until", "through",
  "effective", "payable", "of record", "starting";
* ``since`` – "since", which looks back;
* ``said`` – "said Tuesday" (newswire: the day of the statement, past);
* ``possessive`` – "Friday's ruling" (a thing that exists, so a day past);
* ``present_before`` – a present-tense verb before ("Voting ends on 11 March"), announcing;
* ``ahead`` / ``back`` – the distance to the future / past candidate, in months (30.4 days);
* ``weekday``, ``month`` – which kind of name (a month with a day is the base case), and
  ``tomorrow`` – a weekday that is the day after the reference.

A run is deterministic: the features read only the text, and the weights are fixed.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "FEATURES",
    "MODEL_PATH",
    "DirectionCase",
    "Kind",
    "direction_features",
    "future_clause_before",
    "looks_ahead",
    "recording",
    "using_hand_rule",
]

Kind = Literal["weekday", "month", "day"]
MODEL_PATH = Path(__file__).with_name("timex_direction.json")
FEATURES = (
    "future_before",
    "past_before",
    "past_after",
    "future_after",
    "deadline",
    "since",
    "said",
    "possessive",
    "ahead",
    "back",
    "weekday",
    "month",
    "tomorrow",
    "weekday_ahead",
    "present_before",
)

FUTURE_CUE = re.compile(
    r"(?:\b(?:will|won't|shall|going\s+to|scheduled|slated|expected\s+to|set\s+to|due\s+to|plans?\s+to"
    r"|planning|planned|intends?\s+to|as\s+(?:soon|early)\s+as|effective|(?:is|are)\s+to|next|would"
    r")\b|'ll\b)",
    re.IGNORECASE,
)
_PAST_WORDS = r"said|says|was|were|had|did|\w+[^e\W]ed"
PAST_CUE = re.compile(rf"\b(?:{_PAST_WORDS})\b", re.IGNORECASE)
# The features also know the commonest irregular past forms of news verbs ("In January, the bank
# bought ..."); the hand rule's test above keeps its own shorter list.
_PAST_VERB = re.compile(
    rf"\b(?:{_PAST_WORDS}|agreed|freed|began|became|bought|brought|came"
    r"|went|took|made|met|left|told|gave|got|held|fell|rose|sold|paid|won|lost|saw|found|spent|sent"
    r"|built|led|fought|thought|knew|grew|drew|kept|felt|heard|stood|caught|sought|shot|flew|threw"
    r"|broke|spoke|stole|drove|wrote|chose|struck|ran|hit|quit|arose|withdrew|overthrew|swept)\b",
    re.IGNORECASE,
)
_DEADLINE = re.compile(
    r"\b(?:by|until|till|through|effective|payable|record|starting|beginning|due)\s+(?:on\s+)?$",
    re.IGNORECASE,
)
_PRESENT_VERB = re.compile(
    r"\b(?:is|are|ends|begins|starts|opens|closes|expires|runs|meets|takes|comes|goes|falls|resumes"
    r"|holds|leaves|arrives|returns|votes|visits|becomes)\b",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\bsince\s+(?:early\s+|late\s+|mid-?)?$", re.IGNORECASE)
_SAID = re.compile(r"\bsaid\s+(?:on\s+)?$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\w+\.?['’]s\b")
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)|\n")


def future_clause_before(text: str, start: int) -> bool:
    """Whether the clause before ``start`` speaks of the future: a future cue with no past verb
    after it (the hand rule's test, and one feature of the learned one)."""
    clause = _clause_before(text, start)
    cues = list(FUTURE_CUE.finditer(clause))
    if not cues:
        return False
    return not any(
        m.start() > cues[-1].start() and not _PARTICIPLE_AFTER.search(clause, 0, m.start())
        for m in PAST_CUE.finditer(clause)
    )


# "will be delayed until", "will stay closed until": an "-ed" word after a form of "be", "stay",
# "remain" or "get" is a participle of the future clause, not a verb in the past tense.
_PARTICIPLE_AFTER = re.compile(
    r"\b(?:be|been|being|stay|stays|remain|remains|get|gets|become|becomes)\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - 80) : start]
    cut = max(window.rfind(". "), window.rfind("\n"), window.rfind("; "), window.rfind(", "))
    return window[cut + 1 :] if cut >= 0 else window


def _sentence_after(text: str, end: int) -> str:
    window = text[end : end + 60]
    stop = _SENTENCE_END.search(window)
    return window[: stop.start()] if stop else window


def direction_features(
    text: str, start: int, end: int, kind: Kind, back_days: int, ahead_days: int
) -> list[float]:
    """The feature vector of :data:`FEATURES` for the name at ``text[start:end]``."""
    before = _clause_before(text, start)
    after = _sentence_after(text, end)
    near = text[max(0, start - 24) : start]
    weekday = kind == "weekday"
    values = {
        "future_before": future_clause_before(text, start),
        "past_before": _PAST_VERB.search(before) is not None,
        "past_after": _PAST_VERB.search(after) is not None,
        "future_after": FUTURE_CUE.search(after) is not None,
        "deadline": _DEADLINE.search(near) is not None,
        "since": _SINCE.search(near) is not None,
        "said": _SAID.search(near) is not None,
        "possessive": _POSSESSIVE.match(text, start) is not None and weekday,
        "ahead": ahead_days / 30.4,
        "back": back_days / 30.4,
        "weekday": weekday,
        "month": kind == "month",
        "tomorrow": weekday and ahead_days == 1,
        "weekday_ahead": ahead_days if weekday else 0.0,
        "present_before": _PRESENT_VERB.search(before) is not None,
    }
    return [float(values[name]) for name in FEATURES]


@dataclass(frozen=True, slots=True)
class DirectionCase:
    """One decision as :func:`recording` keeps it: where, the two candidate values, the features
    and what the hand rule said (for fitting and for the benchmark's comparison)."""

    start: int
    end: int
    kind: Kind
    past_value: str
    future_value: str
    features: tuple[float, ...]
    hand: bool


_RECORDER: ContextVar[list[DirectionCase] | None] = ContextVar("timex_direction", default=None)
_HAND_ONLY: ContextVar[bool] = ContextVar("timex_direction_hand", default=False)


@contextlib.contextmanager
def recording() -> Iterator[list[DirectionCase]]:
    """Collect every direction decision made inside the ``with`` block (the fitter's examples)."""
    cases: list[DirectionCase] = []
    token = _RECORDER.set(cases)
    try:
        yield cases
    finally:
        _RECORDER.reset(token)


@contextlib.contextmanager
def using_hand_rule() -> Iterator[None]:
    """Decide by the old hand rule inside the ``with`` block (the benchmark's comparison row)."""
    token = _HAND_ONLY.set(True)
    try:
        yield
    finally:
        _HAND_ONLY.reset(token)


@cache
def _weights() -> tuple[tuple[float, ...], float] | None:
    """The shipped weights, or ``None`` when the file is absent (then the hand rule decides)."""
    if not MODEL_PATH.exists():
        return None
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{MODEL_PATH.name}: features differ from FEATURES; refit it")
    return tuple(float(w) for w in data["weights"]), float(data["bias"])


def looks_ahead(
    text: str,
    start: int,
    end: int,
    kind: Kind,
    past_value: str,
    future_value: str,
    back_days: int,
    ahead_days: int,
    hand: bool,
) -> bool:
    """Whether the name at ``text[start:end]`` means the future candidate (``hand`` is the hand
    rule's answer, used when no weights ship or inside :func:`using_hand_rule`)."""
    x = direction_features(text, start, end, kind, back_days, ahead_days)
    recorder = _RECORDER.get()
    if recorder is not None:
        recorder.append(DirectionCase(start, end, kind, past_value, future_value, tuple(x), hand))
    model = _weights()
    if model is None or _HAND_ONLY.get():
        return hand
    weights, bias = model
    score = bias + math.fsum(w * v for w, v in zip(weights, x, strict=True))
    return score > 0.0
