"""TimeML reading and TempEval-3-style scoring for the temporal-expression benchmark.

Kept apart from ``metrics.py`` (owned by another benchmark) and small enough to check by eye.  The
scorer is a re-implementation from the TempEval-3 task description (UzZaman et al., 2013), not a
copy of its script:

* **strict span**: a system timex matches a gold one when both offsets are equal;
* **relaxed span**: they overlap by at least one character; each gold and each system timex takes part
  in at most one match (left to right, the first overlapping unmatched gold wins);
* **value / type F1**: precision and recall count a system timex as correct when it is relaxed-matched
  *and* its attribute equals the gold attribute as a string (so value F1 = relaxed F1 x value
  accuracy over the matched pairs, as in TempEval-3).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = ["GoldTimex", "TimexCounts", "TmlDocument", "parse_tml", "score_document"]

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """One annotated TIMEX3 inside the ``<TEXT>`` element, with offsets into the stripped text."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class TmlDocument:
    """A TimeML document reduced to what the benchmark needs.

    ``text`` is the ``<TEXT>`` element with tags removed and entities unescaped; ``dct`` is the document
    creation time (the header TIMEX3 with ``functionInDocument="CREATION_TIME"``), which lies outside
    ``<TEXT>`` in every file of TBAQ-cleaned and is therefore never scored.
    """

    name: str
    text: str
    dct: date
    timexes: tuple[GoldTimex, ...]


def parse_tml(path: Path) -> TmlDocument:
    """Read one ``.tml`` file; offsets are exact: ``text[t.start:t.end] == t.text``."""
    raw = path.read_text(encoding="utf-8")
    dct_match = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    if dct_match is None:
        raise ValueError(f"{path}: no CREATION_TIME TIMEX3")
    dct_value = dict(_ATTR.findall(dct_match.group(0)))["value"]
    dct = date.fromisoformat(dct_value[:10])
    body_start = raw.index("<TEXT>") + len("<TEXT>")
    body = raw[body_start : raw.index("</TEXT>")]

    pieces: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[GoldTimex] = []
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tag.start()])
        pieces.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, name = tag.group(1) == "/", tag.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(tag.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            text = "".join(pieces)[start:length]
            timexes.append(GoldTimex(start, length, text, attrs["type"], attrs.get("value", "")))
            open_timex = None
    pieces.append(html.unescape(body[pos:]))
    return TmlDocument(path.stem, "".join(pieces), dct, tuple(timexes))


@dataclass(slots=True)
class TimexCounts:
    """Micro-averaged counts over documents; the F1 properties read them."""

    system: int = 0
    gold: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0

    def add(self, other: TimexCounts) -> None:
        self.system += other.system
        self.gold += other.gold
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.value += other.value
        self.type += other.type

    def prf(self, correct: int) -> tuple[float, float, float]:
        """Precision, recall and F1 of ``correct`` system timexes against all system and gold ones."""
        p = correct / self.system if self.system else 0.0
        r = correct / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass(frozen=True, slots=True)
class SystemTimex:
    """What a system claims: a span with a type and a normalised value."""

    start: int
    end: int
    type: str
    value: str


def score_document(
    gold: Sequence[GoldTimex], system: Iterable[SystemTimex]
) -> tuple[TimexCounts, list[tuple[GoldTimex | None, SystemTimex | None]]]:
    """Count strict, relaxed, value and type matches for one document.

    Also returns the alignment (gold, system) pairs, with ``None`` on the missing side, so that a
    report can list errors.
    """
    sys_list = sorted(system, key=lambda t: (t.start, t.end))
    counts = TimexCounts(system=len(sys_list), gold=len(gold))
    used: set[int] = set()
    pairs: list[tuple[GoldTimex | None, SystemTimex | None]] = []
    for s in sys_list:
        match = None
        for i, g in enumerate(gold):
            if i not in used and g.start < s.end and s.start < g.end:
                match = i
                break
        if match is None:
            pairs.append((None, s))
            continue
        used.add(match)
        g = gold[match]
        pairs.append((g, s))
        counts.relaxed += 1
        counts.strict += g.start == s.start and g.end == s.end
        counts.value += g.value == s.value
        counts.type += g.type == s.type
    pairs.extend((g, None) for i, g in enumerate(gold) if i not in used)
    return counts, pairs
