"""AllSides roundups (``../shared/bench/roundups-dev``): one story a line, told by three outlets.

``<split>.source`` holds ``TITLE=> … ARTICLE=> …`` parts joined by ``[SEP]`` (left, centre, right);
this reads them as newsfuse articles, one list a story, so benchmarks run the same stages on them
as on any story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from newsfuse.models import Article, content_id

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "roundups-dev"
OUTLETS = ("left", "center", "right")
_FIELDS = re.compile(r"^\s*TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*?)\s*$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class RoundupStory:
    """Line ``line`` (1-based) of ``<split>.source``: its outlets' articles, in source order."""

    split: str
    line: int
    articles: tuple[Article, ...]


def fields(part: str) -> tuple[str, str]:
    """Split ``TITLE=> t. ARTICLE=> body`` into title (without the added final dot) and body."""
    match = _FIELDS.match(part)
    if not match:
        return "", part.strip()
    title = match.group(1).strip()
    return (title[:-1] if title.endswith(".") else title), match.group(2).strip()


def read_stories(
    split: str, lines: set[int] | None = None, *, folder: Path = DEFAULT_DIR, limit: int = 0
) -> list[RoundupStory]:
    """The stories of ``<split>.source`` (only the 1-based ``lines`` given, when given; the first
    ``limit`` when > 0).  A part with no article text is left out; the others keep their outlet."""
    stories = []
    text = (folder / f"{split}.source").read_text(encoding="utf-8")
    for number, source in enumerate(text.splitlines(), start=1):
        if limit and len(stories) >= limit:
            break
        if lines is not None and number not in lines:
            continue
        parts = source.split("[SEP]")
        articles = []
        for index, part in enumerate(parts):
            title, body = fields(part)
            if not body:
                continue
            outlet = OUTLETS[index] if len(parts) == len(OUTLETS) else f"outlet-{index + 1}"
            origin = f"{split}.source:{number}:{outlet}"
            articles.append(bench_article(origin, body, outlet=outlet, title=title or None))
        stories.append(RoundupStory(split, number, tuple(articles)))
    return stories


def bench_article(
    origin: str, body: str, *, outlet: str, title: str | None, url: str | None = None
) -> Article:
    """An English article of a benchmark set as cleaning would leave it, named by ``origin``."""
    return Article(
        id=content_id(origin, body, prefix="art_"),
        raw_id=content_id(origin, prefix="raw_"),
        origin=origin,
        url=url,
        outlet=outlet,
        title=title,
        byline=None,
        dateline=None,
        published_at=None,
        language="en",
        text=body,
        extractor="bench",
    )
