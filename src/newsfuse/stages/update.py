"""What is new in a report since a date or since an earlier report (``newsfuse report --since``).

A reader following a developing story has read an earlier report, or knows what was out by some
date; the update section tells them only what changed.  Both forms come down to one question asked
of every cited span of the new report: *was this already known?*

* ``--since DATE`` (``2025-10-28`` or an ISO datetime): a span is known when its article was
  published at or before DATE.  An article without a publication date cannot be shown to be old,
  so it counts as new, and a note says so (a reader would rather see a statement twice than miss it).
* ``--since previous.json`` (a JSON report written earlier by newsfuse): a span is known when its
  article was in the previous report (article ids are hashes of the cleaned text, so the same
  article has the same id in every run) or when its exact wording was a claim or sentence there.
  Fact ids are *not* compared: they depend on how claims were grouped, which new articles change.

From that one predicate: a fact is **new** when none of its claims is known; it is **newly
corroborated** when some were known and the new articles raise its independent sources from one to
two or more (``more_sources`` when it was already corroborated; only known *articles* count as the
sources it had before, so a new outlet repeating an old sentence word for word is still a gain).  A conflict is new when, without
the new articles, fewer than two of its values would be stated.  A quote is new when a new article
carries it and no known article words it alike; a timeline entry or a phase is new when none of its
passages is known.  The update brief is built from the new and newly corroborated facts only.

:func:`parse_since` reads the option (failing with one clear :class:`SinceError` before any work
is done); :func:`apply_update` is a pure function of the finished report and that value, so it sits
after the pipeline rather than inside it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from newsfuse.errors import InputError
from newsfuse.models import (
    REPORT_SCHEMA_VERSION,
    Article,
    Conflict,
    Fact,
    FactUpdate,
    FactUpdateKind,
    Phase,
    Quote,
    Report,
    Span,
    Update,
    UpdateBasis,
)
from newsfuse.stages.align.drift import MIN_QUOTE_WORDS, SAME_QUOTE
from newsfuse.stages.align.sources import SourceIndex
from newsfuse.stages.summarize import brief_from_facts

__all__ = [
    "PreviousReport",
    "Since",
    "SinceError",
    "apply_update",
    "compute_update",
    "parse_since",
    "previous_from_report",
]

_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
_MAX_LISTED = 5  # origins named in a note before "and N more"


class SinceError(InputError):
    """The ``--since`` value is neither a date nor a readable newsfuse report."""


@dataclass(frozen=True, slots=True)
class PreviousReport:
    """What an earlier newsfuse report knew: its articles, wordings, quotes and latest phase."""

    article_ids: frozenset[str]
    texts: frozenset[str]  # normalised claim and sentence wordings
    quotes: tuple[str, ...]  # normalised direct and partial quotations
    last_phase: str | None


@dataclass(frozen=True, slots=True)
class Since:
    """A parsed ``--since`` value: a cut-off date or time, or an earlier report."""

    value: str
    basis: UpdateBasis
    cutoff: date | datetime | None = None
    previous: PreviousReport | None = None


def parse_since(value: str) -> Since:
    """Read ``--since``: an ISO date or datetime, else the path of a newsfuse report JSON.

    Raises :class:`SinceError` naming the value or the file and what is wrong with it.
    """
    text = value.strip()
    cutoff = _parse_when(text)
    if cutoff is not None:
        return Since(value=text, basis="date", cutoff=cutoff)
    path = Path(text)
    if path.is_dir():
        raise SinceError(f"--since {text}: a folder, not a report file or a date")
    if not path.is_file():
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[T ]\S+)?", text):
            raise SinceError(f"--since {text!r} is not a valid date or date and time")
        if text and (path.suffix or "/" in text or path.exists()):
            raise SinceError(f"--since {text}: no such report file")
        raise SinceError(
            f"--since {text!r} is neither a date (YYYY-MM-DD or an ISO date and time) nor "
            "a newsfuse report JSON file"
        )
    return Since(value=text, basis="report", previous=_read_previous(path))


def _parse_when(text: str) -> date | datetime | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\S+", text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    return None


def _read_previous(path: Path) -> PreviousReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SinceError(f"--since {path}: cannot read it: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SinceError(f"--since {path}: not a newsfuse report JSON ({exc})") from exc
    if not (
        isinstance(data, dict)
        and isinstance(data.get("schema_version"), str)
        and isinstance(data.get("story"), dict)
        and isinstance(data.get("articles"), list)
    ):
        raise SinceError(
            f"--since {path}: not a newsfuse report JSON "
            "(expected schema_version, story and articles)"
        )
    major = data["schema_version"].split(".", 1)[0]
    if major != REPORT_SCHEMA_VERSION.split(".", 1)[0]:
        raise SinceError(
            f"--since {path}: report schema {data['schema_version']} cannot be compared with "
            f"this newsfuse's {REPORT_SCHEMA_VERSION}"
        )
    try:
        return _previous_of(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise SinceError(f"--since {path}: not a well-formed newsfuse report ({exc!r})") from exc


def previous_from_report(data: dict[str, Any]) -> PreviousReport:
    """What a report in ``report_to_dict`` form knew (for a reader who saw an earlier version of a
    story: the web app passes the current report cut down to the articles they saw)."""
    return _previous_of(data)


def _previous_of(data: dict[str, Any]) -> PreviousReport:
    ids: set[str] = set()
    texts: set[str] = set()
    quotes: list[str] = []
    for article in data["articles"]:
        ids.add(str(article["id"]))
        body = str(article.get("text", ""))
        for claim in article.get("claims", []):
            texts.add(_norm(str(claim["text"])))
        for sentence in article.get("sentences", []):
            texts.add(_norm(body[int(sentence["start"]) : int(sentence["end"])]))
        for quote in article.get("quotes", []):
            if quote.get("kind") in {"direct", "partial"}:
                quotes.append(_norm(str(quote["text"])))
    phases = data["story"].get("phases") or []
    last = phases[-1].get("label") if phases else None
    texts.discard("")
    return PreviousReport(
        frozenset(ids), frozenset(texts), tuple(sorted(set(quotes))), str(last) if last else None
    )


def _norm(text: str) -> str:
    return " ".join(w.lower().replace("’", "'") for w in _WORD.findall(text))


def apply_update(report: Report, since: Since, brief_sentences: int) -> Report:
    """Return the report with its ``update`` section: what is new since ``since``."""
    return dataclasses.replace(report, update=compute_update(report, since, brief_sentences))


def compute_update(report: Report, since: Since, brief_sentences: int) -> Update:
    """What is new in ``report`` since a date or an earlier report (see the module docstring)."""
    index = {a.id: a for a in report.articles}
    ordered = sorted(report.articles, key=lambda a: (a.published_at or "9999", a.id))
    if since.basis == "date":
        assert since.cutoff is not None
        known_ids, notes = _known_by_date(ordered, since.value, since.cutoff)
        known_texts: frozenset[str] = frozenset()
        previous_quotes: tuple[str, ...] = ()
    else:
        assert since.previous is not None
        previous = since.previous
        known_ids = {a.id for a in ordered if a.id in previous.article_ids}
        known_texts = previous.texts
        previous_quotes = previous.quotes
        notes = _report_notes(ordered, known_ids, since.value)

    def known(span: Span) -> bool:
        if span.article_id in known_ids:
            return True
        return bool(known_texts) and _norm(index[span.article_id].slice(span)) in known_texts

    story = report.story
    if since.basis == "report" and not any(
        known(s) for a in ordered for s in (c.span for c in a.claims)
    ):
        notes.append(
            f"The previous report ({since.value}) shares no article with this one: it seems to "
            "be of another story, so everything here counts as new."
        )
    sources = SourceIndex(report.articles)
    facts = _fact_updates(story.facts, known, lambda span: span.article_id in known_ids, sources)
    by_id = {f.id: f for f in story.facts}
    new_ids = tuple(a.id for a in ordered if a.id not in known_ids)
    known_quotes = list(previous_quotes) + [
        _norm(q.text) for a in ordered if a.id in known_ids for q in a.quotes
    ]
    previous_phase = _last_phase(story.phases, known)
    if previous_phase is None and since.previous is not None:
        previous_phase = since.previous.last_phase
    current_phase = story.phases[-1].label if story.phases else None
    return Update(
        since=since.value,
        basis=since.basis,
        new_article_ids=new_ids,
        facts=facts,
        conflict_ids=tuple(c.id for c in story.conflicts if _is_new_conflict(c, known)),
        quotes=_new_quotes([index[i] for i in new_ids], known_quotes),
        timeline=tuple(e for e in story.timeline if not any(known(s) for s in e.citations)),
        phase_ids=tuple(p.id for p in story.phases if not any(known(s) for s in p.citations)),
        previous_phase=previous_phase,
        current_phase=current_phase,
        brief=brief_from_facts(
            [
                [by_id[f.fact_id] for f in facts if f.kind == "new"],
                [by_id[f.fact_id] for f in facts if f.kind == "newly_corroborated"],
            ],
            index,
            brief_sentences,
        ),
        notes=tuple(notes),
    )


def _known_by_date(
    ordered: Sequence[Article], value: str, cutoff: date | datetime
) -> tuple[set[str], list[str]]:
    known: set[str] = set()
    undated: list[Article] = []
    later = 0
    for article in ordered:
        after = published_after(article.published_at, cutoff)
        if after is None:
            undated.append(article)
        elif after:
            later += 1
        else:
            known.add(article.id)
    dated = len(ordered) - len(undated)
    notes = [f"{later} of {dated} dated article(s) were published after {value}."]
    if undated:
        notes.append(
            f"{len(undated)} article(s) carry no publication date and were counted as new: "
            f"{_listed(a.origin for a in undated)}."
        )
    return known, notes


def _report_notes(ordered: Sequence[Article], known_ids: set[str], value: str) -> list[str]:
    new = len(ordered) - len(known_ids)
    return [f"{new} of {len(ordered)} article(s) were not in the previous report ({value})."]


def _listed(items: Iterable[str]) -> str:
    names = [item.rsplit("/", 1)[-1] for item in items]
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else "")


def published_after(published_at: str | None, cutoff: date | datetime) -> bool | None:
    """Whether an article's publication date or time is after ``cutoff``; None when undated.

    When either side gives only a day, days are compared (in the article's own time zone, as
    written), so an article of the cut-off day counts as published at or before it.
    """
    if not published_at:
        return None
    try:
        when = datetime.fromisoformat(published_at)
    except ValueError:
        try:
            when = datetime.fromisoformat(published_at[:10])
        except ValueError:
            return None
        day_only = True
    else:
        day_only = len(published_at) <= 10
    if day_only or not isinstance(cutoff, datetime):
        cutoff_day = cutoff.date() if isinstance(cutoff, datetime) else cutoff
        return when.date() > cutoff_day
    if (when.tzinfo is None) != (cutoff.tzinfo is None):  # one of them naive: read it as UTC
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        cutoff = cutoff if cutoff.tzinfo else cutoff.replace(tzinfo=UTC)
    return when > cutoff


def _fact_updates(
    facts: Sequence[Fact],
    known: Callable[[Span], bool],
    known_article: Callable[[Span], bool],
    sources: SourceIndex,
) -> tuple[FactUpdate, ...]:
    """New facts, then facts the new articles corroborate further.

    ``known`` says whether a claim was known at all (by its article, or by its wording in an
    earlier report); ``known_article`` only whether its article was, since only known articles
    count as the sources a fact had before: a new outlet repeating an old sentence word for word
    still adds a source.
    """
    new: list[FactUpdate] = []
    gained: list[FactUpdate] = []
    for fact in facts:
        if any(known(s) for s in fact.claims) and not any(known_article(s) for s in fact.claims):
            continue  # known in an earlier report under other article ids: not news, nor a gain
        old = [s for s in fact.claims if known_article(s)]
        fresh = tuple(s for s in fact.claims if not known_article(s))
        if not fresh:
            continue
        before = sources.count({s.article_id for s in old})
        old_outlets = {sources.outlet(s.article_id) for s in old}
        new_outlets = tuple(sorted({sources.outlet(s.article_id) for s in fresh} - old_outlets))
        now = fact.independent_sources
        if not old:
            new.append(FactUpdate(fact.id, "new", 0, now, new_outlets, fresh))
        elif now > before:
            kind: FactUpdateKind = "newly_corroborated" if before < 2 else "more_sources"
            gained.append(FactUpdate(fact.id, kind, before, now, new_outlets, fresh))
    return tuple(new + gained)


def _is_new_conflict(conflict: Conflict, known: Callable[[Span], bool]) -> bool:
    """New when, without the new articles, fewer than two of its values would be stated."""
    stated = sum(1 for side in conflict.sides if any(known(s) for s in side.citations))
    return stated < 2


def _new_quotes(articles: Sequence[Article], known: list[str]) -> tuple[Quote, ...]:
    """Attributed quotations of new articles that no known article (or earlier new one) words alike."""
    seen = list(known)
    found: list[Quote] = []
    for article in articles:
        for quote in article.quotes:
            words = _norm(quote.text)
            if (
                quote.kind not in {"direct", "partial"}
                or quote.speaker is None
                or len(words.split()) < MIN_QUOTE_WORDS
            ):
                continue
            if any(words in old or fuzz.ratio(words, old) >= SAME_QUOTE for old in seen):
                continue
            seen.append(words)
            found.append(quote)
    return tuple(found)


def _last_phase(phases: Sequence[Phase], known: Callable[[Span], bool]) -> str | None:
    """The latest phase the known articles already showed."""
    shown = [p for p in phases if any(known(s) for s in p.citations)]
    return shown[-1].label if shown else None
