"""The file-ingest stage: paths, directories and stdin become RawDocuments, kept byte for byte.

What a source may be:

* a file: ``.txt`` and ``.md`` are ``text/plain``, ``.html`` and ``.htm`` are ``text/html``, ``.jsonl``
  holds one record a line (see below).  A file named explicitly is read whatever ``ingest.include``
  says; any other extension is rejected as an unsupported file type.
* a directory: walked recursively in sorted order (by path component, so the order never depends on
  the file system).  A file is read when its name or its path relative to the directory matches an
  ``ingest.include`` glob and neither matches an ``ingest.exclude`` glob; a directory matching an
  exclude glob is not entered.  Globs match case-insensitively.  Hidden files and directories (a name
  starting with ".") are skipped, symbolic links to directories are not followed (no loops), and only
  regular files are read (no FIFOs or devices found by a walk).
* ``-``: standard input, read once; ``text/html`` when it looks like a page, else ``text/plain``.

Size: a file larger than ``ingest.max_bytes`` is rejected from its ``stat`` size, without being read;
reads are capped too, so a file that grows (or a pipe) cannot slip past the limit.  A JSONL file is
streamed line by line and the limit applies to each *line* (each record is one document), so a
large JSONL collection is fine while one oversized record is rejected on its own.

JSONL: each non-blank line is a JSON object with ``text`` or ``html`` (a non-empty string; exactly one)
and optionally ``url``, ``title``, ``outlet``, ``byline`` and ``published_at`` (strings or null;
``published_at`` an ISO 8601 date or datetime).  Other keys are ignored, so scraper output with extra
fields can be fed as is.  Lines must be UTF-8, as JSON requires.  ``published_at`` must lie in the
years newsfuse believes (:mod:`newsfuse.stages.published`: 1900–2100); ``9999-12-31`` is a
placeholder, not a date.  A bad line (also one nested too deeply for the parser, or holding a number
too long to convert) is rejected as ``path:LINE`` and the remaining lines are still read.

Lone surrogates (``"\\ud83d"``: half of an escaped emoji, cut by a scraper) are valid JSON but not
Unicode, and nothing downstream can encode them.  They are replaced with U+FFFD in the fields newsfuse
reads, as a decoder does with a broken byte, rather than rejecting the line: one lost character is not
worth losing the article, and the replacement character shows where it was.

Names: an origin is a file's path as text.  A name that is not UTF-8 (Latin-1 bytes from an old
archive) is shown with its undecodable bytes escaped (``caf\\xe9.txt``), so the report, the store and
the terminal can all hold it; the file itself is still read.

Every per-item problem becomes a :class:`~newsfuse.models.Rejection` value; nothing here raises for
one bad input.  Text inputs are checked with :func:`~newsfuse.stages.ingest.decode.check_text` (not
binary, decodable, not empty) so such problems are reported at ingest, naming the file.  Identical
inputs are all yielded: removing duplicates is a later stage's job.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import IO, Any, BinaryIO, Final

from newsfuse.config import IngestSettings
from newsfuse.errors import ItemError
from newsfuse.models import DeclaredMetadata, RawDocument, Rejection, content_id
from newsfuse.stages.ingest.decode import check_text
from newsfuse.stages.ingest.opening import open_input
from newsfuse.stages.published import NOT_ISO, date_problem

__all__ = [
    "MEDIA_TYPES",
    "STAGE",
    "STDIN",
    "STDIN_ORIGIN",
    "display_name",
    "is_selected",
    "read_file_content",
    "read_inputs",
    "sniff_media_type",
]

STAGE: Final = "ingest"
STDIN: Final = "-"
STDIN_ORIGIN: Final = "<stdin>"

MEDIA_TYPES: Final[dict[str, str]] = {
    ".txt": "text/plain",
    ".md": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
}
_JSONL: Final = ".jsonl"
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 and C1 controls, DEL
_SUPPORTED: Final = (*MEDIA_TYPES, _JSONL)

_OPTIONAL_FIELDS: Final = ("url", "title", "outlet", "byline", "published_at")
_BODY_FIELDS: Final = {"text": "text/plain", "html": "text/html"}

_HTML_START: Final = re.compile(
    rb"\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(?:!doctype|html))", re.I
)
_HTML_TAG: Final = re.compile(rb"<(?:html|head|body)[\s>]", re.I)
_SNIFF_BYTES: Final = 4096

_CHUNK: Final = 1 << 20  # bytes read at a time when skipping the rest of an oversized JSONL line


def read_inputs(
    sources: Sequence[str], settings: IngestSettings, stdin: BinaryIO | None = None
) -> Iterator[RawDocument | Rejection]:
    """Yield a RawDocument for each input found in ``sources``, or a Rejection saying why not.

    Sources are taken in the order given; ``"-"`` reads ``stdin`` (``sys.stdin.buffer`` by default).
    """
    stdin_read = False
    for source in sources:
        if source == STDIN:
            if stdin_read:
                yield Rejection(STDIN_ORIGIN, STAGE, "'-' given more than once; stdin is read once")
                continue
            stdin_read = True
            yield _read_stdin(stdin if stdin is not None else sys.stdin.buffer, settings)
        else:
            yield from _read_source(Path(source), settings)


def sniff_media_type(content: bytes) -> str:
    """``text/html`` when ``content`` starts like a page or has an html/head/body tag near the top."""
    head = content[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")
    if _HTML_START.match(head) or _HTML_TAG.search(head):
        return "text/html"
    return "text/plain"


def display_name(path: Path | str) -> str:
    """``path`` as text that any UTF-8 output can hold and no terminal obeys: bytes that are not
    UTF-8 and control characters (a newline, an escape sequence) shown as ``\\xNN``.

    Python keeps such bytes of a file name as lone surrogates (PEP 383), which no report, database
    or terminal encoder accepts; one oddly named file then failed the whole run when it was written.
    A newline or ``ESC[…`` in a name would let a file forge a line of newsfuse's own output
    ("newsfuse: wrote …") or recolour the terminal.
    """
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


# --- sources -----------------------------------------------------------------------------------------


def _read_source(path: Path, settings: IngestSettings) -> Iterator[RawDocument | Rejection]:
    origin = display_name(path)
    try:
        info = path.stat()
    except OSError as error:
        yield _os_rejection(origin, error)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _read_directory(path, settings)
        return
    suffix = path.suffix.lower()
    if suffix not in _SUPPORTED:
        kind = f"'{path.suffix}'" if path.suffix else "(no extension)"
        yield Rejection(
            origin,
            STAGE,
            f"unsupported file type {kind}; newsfuse reads {', '.join(_SUPPORTED)}",
        )
        return
    yield from _read_file(path, info, settings)


def _read_directory(root: Path, settings: IngestSettings) -> Iterator[RawDocument | Rejection]:
    found = False
    for item in _walk(root, root, settings):
        if isinstance(item, Rejection):
            yield item
            continue
        found = True
        path, info = item
        if path.suffix.lower() not in _SUPPORTED:
            yield Rejection(
                display_name(path),
                STAGE,
                f"unsupported file type '{path.suffix}' (matched ingest.include); "
                f"newsfuse reads {', '.join(_SUPPORTED)}",
            )
            continue
        yield from _read_file(path, info, settings)
    if not found:
        yield Rejection(
            display_name(root),
            STAGE,
            "no input files in this directory (ingest.include: "
            f"{', '.join(settings.include) or 'nothing'})",
        )


def _walk(
    root: Path, directory: Path, settings: IngestSettings
) -> Iterator[tuple[Path, os.stat_result] | Rejection]:
    """Regular files under ``directory`` that the include/exclude globs select, in sorted order."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield _os_rejection(display_name(directory), error)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        relative = path.relative_to(root).as_posix()
        try:
            if entry.is_dir(follow_symlinks=False):
                if not _matches(settings.exclude, entry.name, relative):
                    yield from _walk(root, path, settings)
                continue
            if not _matches(settings.include, entry.name, relative) or _matches(
                settings.exclude, entry.name, relative
            ):
                continue
            info = entry.stat()  # follows a symbolic link to a file
        except OSError as error:
            yield _os_rejection(display_name(path), error)
            continue
        if stat.S_ISREG(info.st_mode):
            yield path, info


def _matches(patterns: Sequence[str], name: str, relative: str) -> bool:
    name, relative = name.lower(), relative.lower()
    return any(
        fnmatchcase(name, pattern.lower()) or fnmatchcase(relative, pattern.lower())
        for pattern in patterns
    )


# --- files -------------------------------------------------------------------------------------------


def _read_file(
    path: Path, info: os.stat_result, settings: IngestSettings
) -> Iterator[RawDocument | Rejection]:
    origin = display_name(path)
    if path.suffix.lower() == _JSONL:
        yield from _read_jsonl(path, settings)
        return
    if stat.S_ISREG(info.st_mode) and info.st_size > settings.max_bytes:
        yield _too_large(origin, info.st_size, settings)
        return
    try:
        with open_input(path) as stream:
            content = stream.read(settings.max_bytes + 1)
    except OSError as error:
        yield _os_rejection(origin, error)
        return
    except ItemError as error:
        yield Rejection(origin, STAGE, error.reason)
        return
    if len(content) > settings.max_bytes:
        yield _too_large(origin, None, settings)
        return
    yield _document(origin, MEDIA_TYPES[path.suffix.lower()], content)


def _read_stdin(stream: BinaryIO, settings: IngestSettings) -> RawDocument | Rejection:
    try:
        content = stream.read(settings.max_bytes + 1)
    except OSError as error:
        return _os_rejection(STDIN_ORIGIN, error)
    if len(content) > settings.max_bytes:
        return _too_large(STDIN_ORIGIN, None, settings)
    return _document(STDIN_ORIGIN, sniff_media_type(content), content)


def _document(
    origin: str,
    media_type: str,
    content: bytes,
    declared: DeclaredMetadata | None = None,
) -> RawDocument | Rejection:
    try:
        check_text(content)
    except ItemError as error:
        return Rejection(origin, STAGE, error.reason)
    return RawDocument(
        id=content_id(media_type, content, prefix="raw_"),
        origin=origin,
        media_type=media_type,
        content=content,
        declared=declared if declared is not None else DeclaredMetadata(),
    )


# --- JSONL -------------------------------------------------------------------------------------------


def _read_jsonl(path: Path, settings: IngestSettings) -> Iterator[RawDocument | Rejection]:
    try:
        stream = open_input(path)
    except OSError as error:
        yield _os_rejection(display_name(path), error)
        return
    except ItemError as error:
        yield Rejection(display_name(path), STAGE, error.reason)
        return
    with stream:
        yield from _jsonl_lines(stream, display_name(path), settings)


def _jsonl_lines(
    stream: IO[bytes], name: str, settings: IngestSettings
) -> Iterator[RawDocument | Rejection]:
    number = 0
    while True:
        try:
            line, complete = _bounded_line(stream, settings.max_bytes)
        except OSError as error:
            yield _os_rejection(f"{name}:{number + 1}", error)
            return
        if line is None:
            return  # end of file
        number += 1
        origin = f"{name}:{number}"
        if not complete:
            yield _too_large(origin, None, settings, what="line")
            if not stream.seekable():
                # a pipe may never send the newline that ends this line: stop rather than skip forever
                yield Rejection(name, STAGE, f"not read after line {number}: a pipe, not a file")
                return
            continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if line.strip():
            yield _jsonl_record(origin, line)


def read_file_content(
    origin: str, content: bytes, settings: IngestSettings
) -> Iterator[RawDocument | Rejection]:
    """Yield the documents of one file whose bytes were read elsewhere (e.g. by a Spark executor).

    The same rules as a local read of a file named ``origin``: the suffix decides the media type,
    JSONL is split into records (each line its own document, ``origin:LINE``), other files are
    one document, and ``ingest.max_bytes`` applies per file (per line for JSONL).  The caller has
    already chosen the file, so an unsupported suffix is rejected like a file named explicitly.
    """
    suffix = Path(origin).suffix.lower()
    if suffix == _JSONL:
        yield from _jsonl_lines(io.BytesIO(content), origin, settings)
    elif suffix not in MEDIA_TYPES:
        kind = f"'{Path(origin).suffix}'" if Path(origin).suffix else "(no extension)"
        yield Rejection(
            origin, STAGE, f"unsupported file type {kind}; newsfuse reads {', '.join(_SUPPORTED)}"
        )
    elif len(content) > settings.max_bytes:
        yield _too_large(origin, len(content), settings)
    else:
        yield _document(origin, MEDIA_TYPES[suffix], content)


def is_selected(relative: str, settings: IngestSettings) -> bool:
    """Whether the file at ``relative`` (a POSIX path under a directory input) would be read.

    The directory walk's rule for a listing made elsewhere (an object store): no hidden part, no
    directory on the way matching an ``exclude`` glob, the file matching ``include`` and not
    ``exclude``.
    """
    parts = relative.split("/")
    if any(part.startswith(".") for part in parts):
        return False
    for depth in range(1, len(parts)):
        if _matches(settings.exclude, parts[depth - 1], "/".join(parts[:depth])):
            return False
    name = parts[-1]
    return _matches(settings.include, name, relative) and not _matches(
        settings.exclude, name, relative
    )


def _bounded_line(stream: IO[bytes], limit: int) -> tuple[bytes | None, bool]:
    """Read one line of at most ``limit`` bytes (its line ending excluded).

    Returns ``(line, True)``; ``(None, True)`` at end of file; ``(b"", False)`` when the line is longer
    than ``limit``, whose remainder is then skipped chunk by chunk, never held in memory.  A pipe
    is not skipped through: it may never send the newline (the caller stops reading it).
    """
    line = stream.readline(limit + 2)  # room for the limit and "\r\n"
    if not line:
        return None, True
    body = line.rstrip(b"\r\n")
    if len(body) <= limit:
        return body, True
    if not line.endswith(b"\n") and stream.seekable():
        while True:
            chunk = stream.readline(_CHUNK)
            if not chunk or chunk.endswith(b"\n"):
                break
    return b"", False


def _jsonl_record(origin: str, line: bytes) -> RawDocument | Rejection:
    try:
        record = _parse_record(line)
        media_type, body = _record_body(record)
        declared = _record_metadata(record)
    except ItemError as error:
        return Rejection(origin, STAGE, error.reason)
    return _document(origin, media_type, body.encode("utf-8"), declared)


def _parse_record(line: bytes) -> dict[str, Any]:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ItemError(
            f"not valid UTF-8 at byte {error.start + 1} (JSON Lines must be UTF-8)"
        ) from error
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise ItemError(f"invalid JSON: {error.msg} at column {error.colno}") from error
    except RecursionError as error:
        raise ItemError("invalid JSON: nested too deeply to read") from error
    except ValueError as error:  # a number past Python's int digits limit (CVE-2020-10735)
        raise ItemError(f"invalid JSON: {_first_clause(str(error))}") from error
    if not isinstance(record, dict):
        raise ItemError(f"expected a JSON object, got {_json_type(record)}")
    return record


def _record_body(record: dict[str, Any]) -> tuple[str, str]:
    present = [key for key in _BODY_FIELDS if record.get(key) is not None]
    if not present:
        raise ItemError("missing 'text' or 'html'")
    if len(present) > 1:
        raise ItemError("has both 'text' and 'html'; give one")
    key = present[0]
    value = record[key]
    if not isinstance(value, str):
        raise ItemError(f"'{key}' must be a string, got {_json_type(value)}")
    if not value.strip():
        raise ItemError(f"'{key}' is empty")
    return _BODY_FIELDS[key], _without_surrogates(value)


def _record_metadata(record: dict[str, Any]) -> DeclaredMetadata:
    values: dict[str, str | None] = {}
    for key in _OPTIONAL_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ItemError(f"'{key}' must be a string, got {_json_type(value)}")
        values[key] = (
            (_without_surrogates(value).strip() or None) if isinstance(value, str) else None
        )
    published = values["published_at"]
    problem = date_problem(published) if published is not None else None
    if problem == NOT_ISO:
        raise ItemError(
            f"'published_at' is not a date: {published!r} "
            "(expected ISO 8601, e.g. 2025-10-30 or 2025-10-30T14:05:00Z)"
        )
    if problem is not None:
        raise ItemError(f"'published_at' is not a believable date: {published!r}, {problem}")
    return DeclaredMetadata(**values)


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: str) -> str:
    """``value`` with lone surrogates replaced by U+FFFD (see the module docstring for why)."""
    return _SURROGATE.sub("\ufffd", value)


def _first_clause(message: str) -> str:
    """The first clause of a Python error message, without its advice to the programmer."""
    return message.split(";", 1)[0]


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a string"


# --- rejection reasons -------------------------------------------------------------------------------


def _too_large(
    origin: str, size: int | None, settings: IngestSettings, *, what: str = "file"
) -> Rejection:
    limit = _human_size(settings.max_bytes)
    if size is None:
        return Rejection(origin, STAGE, f"{what} is over the {limit} limit (ingest.max_bytes)")
    shown = _human_size(size, exact=False)
    if settings.max_bytes >= 1000 and size * 20 < settings.max_bytes * 21:
        # rounding could hide the excess ("20.0 MB, over the 20 MB limit"): give exact bytes
        shown, limit = f"{size:,} bytes", f"{settings.max_bytes:,}-byte"
    return Rejection(origin, STAGE, f"{what} is {shown}, over the {limit} limit (ingest.max_bytes)")


def _human_size(size: int, *, exact: bool = True) -> str:
    """Decimal units, as ``max_bytes`` is written: 20_000_000 is "20 MB", 52_428_800 is "52.4 MB"."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            value = size / scale
            if exact and size % scale == 0:
                return f"{size // scale} {unit}"
            return f"{value:.1f} {unit}"
    return f"{size} byte" + ("" if size == 1 else "s")


def _os_rejection(origin: str, error: OSError) -> Rejection:
    reasons = {
        FileNotFoundError: "no such file or directory",
        PermissionError: "permission denied",
        NotADirectoryError: "a part of the path is a file, not a directory",
        IsADirectoryError: "is a directory",
    }
    reason = reasons.get(type(error)) or f"cannot read: {error.strerror or error}"
    return Rejection(origin, STAGE, reason)
