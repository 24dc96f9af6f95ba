"""Every kind of input through one door: files and folders, feeds, web archives, URLs.

The command line takes any mix, in order:

* ``http://`` / ``https://`` arguments are pages fetched politely (:mod:`.http`);
* ``.rss`` / ``.atom`` / ``.xml`` files are feeds, one document per entry (:mod:`.feeds`);
* ``.warc`` / ``.warc.gz`` files are web archives, one document per HTML response (:mod:`.warc`);
* ``.urls`` files list URLs to fetch, one a line;
* everything else — ``.txt``, ``.md``, ``.html``, ``.jsonl``, folders and ``-`` — is read by
  :mod:`.files`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from newsfuse.config import IngestSettings
from newsfuse.models import RawDocument, Rejection
from newsfuse.stages.ingest.feeds import FeedSettings, read_feeds
from newsfuse.stages.ingest.files import read_inputs
from newsfuse.stages.ingest.http import HttpSettings, fetch_urls, read_url_list
from newsfuse.stages.ingest.warc import read_warcs

__all__ = ["FEED_SUFFIXES", "read_sources"]

FEED_SUFFIXES = (".rss", ".atom", ".xml")
_WARC_SUFFIXES = (".warc", ".warc.gz")
_URL_LIST_SUFFIX = ".urls"


def read_sources(
    sources: Sequence[str],
    settings: IngestSettings,
    *,
    stdin: BinaryIO | None = None,
    http: HttpSettings | None = None,
    feeds: FeedSettings | None = None,
) -> Iterator[RawDocument | Rejection]:
    """Yield the documents of every source, in the order given, with a Rejection for each failure."""
    http_settings = http or HttpSettings()
    for source in sources:
        name = source.lower()
        if name.startswith(("http://", "https://")):
            yield from fetch_urls([source], http_settings)
        elif name.endswith(FEED_SUFFIXES):
            yield from read_feeds([source], settings, feeds, http=http_settings)
        elif name.endswith(_WARC_SUFFIXES):
            yield from read_warcs([source], settings)
        elif name.endswith(_URL_LIST_SUFFIX):
            urls: list[str] = []
            for item in read_url_list(Path(source), settings.max_bytes):
                if isinstance(item, Rejection):
                    yield item
                else:
                    urls.append(item)
            yield from fetch_urls(urls, http_settings)
        else:
            yield from read_inputs([source], settings, stdin=stdin)
