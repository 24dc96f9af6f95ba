"""The WARC-ingest stage: crawl archives (``.warc``, ``.warc.gz``) become RawDocuments, one per page.

Only what is an article candidate is kept: ``response`` records whose HTTP status is 200 and whose
content type is HTML.  Requests, metadata, images, scripts and redirects are skipped silently (a crawl
holds far more of them than pages, and none is a problem); a file with no such page at all is
rejected, so a wrong file does not pass unnoticed.  A page's ``origin`` is ``FILE#<WARC-Record-ID>``,
its ``declared.url`` the ``WARC-Target-URI`` and its ``fetched_at`` the ``WARC-Date``.  Its content is
the HTTP payload, with chunked transfer coding and gzip/deflate content coding undone, because that is
what a browser would have parsed.

Streaming: records are read one at a time with FastWARC, so memory stays constant whatever the
archive's size; a record larger than ``ingest.max_bytes`` is rejected and skipped unread.

Damage: archives are often cut short (an interrupted crawl or copy).  FastWARC (like warcio) then
stops quietly, so we check for ourselves: gzip is inflated here, member by member, which notices a
member that ends early or is corrupt, and every record's block is measured against its declared
``Content-Length``.  A damaged archive yields every record before the damage, then one Rejection
naming the file and the byte offset (in the file as stored) where the damaged record starts.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Final

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from newsfuse.config import IngestSettings
from newsfuse.errors import ItemError
from newsfuse.models import DeclaredMetadata, RawDocument, Rejection, content_id
from newsfuse.stages.ingest.decode import check_text
from newsfuse.stages.ingest.opening import open_input

__all__ = ["STAGE", "read_warc", "read_warc_stream", "read_warcs"]

STAGE: Final = "ingest"

_CHUNK: Final = 1 << 16
_GZIP_MAGIC: Final = b"\x1f\x8b"
_HTTP_HEAD_MAX: Final = 1 << 16  # room for the HTTP status line and headers on top of max_bytes
_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})


def read_warcs(
    paths: Sequence[str | Path], settings: IngestSettings
) -> Iterator[RawDocument | Rejection]:
    """Yield the pages of each archive in ``paths``, in order, with Rejections for damage."""
    for path in paths:
        yield from read_warc(Path(path), settings)


def read_warc(path: Path, settings: IngestSettings) -> Iterator[RawDocument | Rejection]:
    """Yield a RawDocument per HTML page (HTTP 200) in the archive, streaming, record by record."""
    origin = str(path)
    try:
        raw = open_input(path)
    except ItemError as error:
        yield Rejection(origin, STAGE, error.reason)
        return
    except FileNotFoundError:
        yield Rejection(origin, STAGE, "no such file or directory")
        return
    except IsADirectoryError:
        yield Rejection(origin, STAGE, "is a directory")
        return
    except OSError as error:
        yield Rejection(origin, STAGE, f"cannot read: {error.strerror or error}")
        return
    with raw:
        yield from read_warc_stream(raw, origin, settings)


def read_warc_stream(
    raw: BinaryIO, origin: str, settings: IngestSettings
) -> Iterator[RawDocument | Rejection]:
    """Yield the pages of an archive already open as ``raw`` (a file, or bytes a cluster read).

    The same reader as :func:`read_warc` behind the open, so an executor that fetched the archive
    from an object store gives the same documents and rejections as a local run of the same file.
    """
    stream = _Inflater(raw)
    records = pages = 0
    last_start = 0
    try:
        for record in ArchiveIterator(stream, parse_http=False, stream_detect=False):
            records += 1
            last_start = record.stream_pos
            item = _record(origin, record, settings)
            if isinstance(item, _Damaged):
                yield _damage_rejection(origin, stream, record.stream_pos, item.reason)
                return
            if item is not None:
                pages += 1  # a page, or a page-like record rejected for a reason of its own
                yield item
    except OSError as error:
        if error.errno is not None:  # the file system, not the archive
            yield Rejection(origin, STAGE, f"cannot read: {error.strerror or error}")
        elif stream.damage is not None:
            yield _damage_rejection(origin, stream, None, stream.damage)
        elif records == 0:  # FastWARC's parse errors are OSErrors without an errno
            yield Rejection(origin, STAGE, f"not a WARC file ({str(error).lower()})")
        else:
            yield Rejection(
                origin,
                STAGE,
                f"archive damaged after the record at byte {last_start:,} "
                f"({str(error).lower()}); the records before it were read",
            )
        return
    if stream.damage is not None:
        yield _damage_rejection(origin, stream, None, stream.damage)
    elif records == 0:
        yield Rejection(origin, STAGE, "not a WARC file (no WARC records found)")
    elif pages == 0:
        yield Rejection(
            origin, STAGE, f"no HTML page with HTTP status 200 in its {records} records"
        )


class _Damaged:
    """A record cut short: what is wrong with it."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _record(
    path: str, record: WarcRecord, settings: IngestSettings
) -> RawDocument | Rejection | _Damaged | None:
    """The page a record holds, a Rejection, ``_Damaged`` for a truncated record, else None."""
    declared_length = record.headers.get("Content-Length")
    if declared_length is None or not declared_length.strip().isdigit():
        return _Damaged("a record header is incomplete")
    length = int(declared_length)
    record_id = (record.record_id or "").strip("<>")
    origin = f"{path}#{record_id}" if record_id else f"{path}#offset-{record.stream_pos}"
    if record.record_type != WarcRecordType.response:
        return _skip(record, length)
    if length > settings.max_bytes + _HTTP_HEAD_MAX:
        skipped = _skip(record, length)
        if skipped is not None:
            return skipped
        return Rejection(
            origin, STAGE, f"record is {length:,} bytes, over the limit (ingest.max_bytes)"
        )
    block = _read_exactly(record, length)
    if len(block) < length:
        return _Damaged(f"a record ends after {len(block):,} of its {length:,} bytes")
    try:
        page = _http_page(block, settings.max_bytes)
    except ItemError as error:
        return Rejection(origin, STAGE, error.reason)
    if page is None:
        return None
    declared = DeclaredMetadata(url=record.headers.get("WARC-Target-URI") or None)
    try:
        check_text(page)
    except ItemError as error:
        return Rejection(origin, STAGE, error.reason)
    return RawDocument(
        id=content_id("text/html", page, prefix="raw_"),
        origin=origin,
        media_type="text/html",
        content=page,
        declared=declared,
        fetched_at=record.headers.get("WARC-Date") or None,
    )


def _skip(record: WarcRecord, length: int) -> _Damaged | None:
    """Consume a record's block unread, checking it is all there."""
    consumed = 0
    while consumed < length:
        step = record.reader.consume(min(_CHUNK, length - consumed))
        if step <= 0:
            return _Damaged(f"a record ends after {consumed:,} of its {length:,} bytes")
        consumed += step
    return None


def _read_exactly(record: WarcRecord, length: int) -> bytes:
    parts: list[bytes] = []
    remaining = length
    while remaining > 0:
        chunk = record.reader.read(min(_CHUNK, remaining))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


# --- HTTP inside a response record -------------------------------------------------------------------


def _http_page(block: bytes, limit: int) -> bytes | None:
    """The HTML payload of an HTTP 200 response, or None for any other response."""
    head, separator, body = block.partition(b"\r\n\r\n")
    if not separator:
        head, separator, body = block.partition(b"\n\n")
    if not separator:
        return None  # not an HTTP response (a DNS record, say)
    lines = head.decode("latin-1").splitlines()
    status = lines[0].split() if lines else []
    if len(status) < 2 or not status[0].startswith("HTTP/") or status[1] != "200":
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in _HTML_TYPES:
        return None
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    coding = headers.get("content-encoding", "identity").strip().lower()
    if coding in ("gzip", "x-gzip", "deflate"):
        body = _inflate(body, coding, limit)
    elif coding not in ("identity", ""):
        raise ItemError(f"unsupported content encoding '{coding}'")
    if len(body) > limit:
        raise ItemError("page is over the size limit (ingest.max_bytes)")
    return body


def _dechunk(body: bytes) -> bytes:
    parts: list[bytes] = []
    position = 0
    while True:
        end = body.find(b"\r\n", position)
        if end < 0:
            break
        size_text = body[position:end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise ItemError("malformed chunked transfer coding") from None
        if size == 0:
            break
        parts.append(body[end + 2 : end + 2 + size])
        position = end + 2 + size + 2
    return b"".join(parts)


def _inflate(body: bytes, coding: str, limit: int) -> bytes:
    """Decompress at most ``limit + 1`` bytes, so a compression bomb cannot fill memory."""
    inflater = zlib.decompressobj(31 if coding != "deflate" else zlib.MAX_WBITS)
    try:
        page = inflater.decompress(body, limit + 1)
    except zlib.error:
        if coding != "deflate":
            raise ItemError(f"corrupt {coding} content") from None
        try:  # "deflate" is often sent raw, without the zlib wrapper
            page = zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, limit + 1)
        except zlib.error:
            raise ItemError("corrupt deflate content") from None
    if len(page) > limit:
        raise ItemError("page is over the size limit (ingest.max_bytes)")
    return page


# --- damage ------------------------------------------------------------------------------------------


def _damage_rejection(
    origin: str, stream: _Inflater, record_offset: int | None, reason: str
) -> Rejection:
    """Name the byte offset in the stored file: the damaged gzip member's, else the record's."""
    if stream.damage is not None:
        offset, reason = stream.damage_offset, stream.damage
    else:
        offset = record_offset if record_offset is not None else stream.position
    return Rejection(
        origin,
        STAGE,
        f"archive damaged at byte {offset:,} ({reason}); the records before it were read",
    )


class _Inflater:
    """A read-only stream of the archive's WARC bytes: the file itself, or its gzip members inflated.

    Inflating here, rather than in FastWARC, is what lets damage be noticed and located: a member that
    is corrupt or ends early sets ``damage`` (why) and ``damage_offset`` (the member's first byte in
    the file), and the stream then ends as if at end of file.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        head = raw.read(2)
        self._gzipped = head == _GZIP_MAGIC
        self._input = head  # compressed bytes read but not yet inflated
        self._consumed = 0  # compressed bytes inflated so far
        self._inflater: zlib._Decompress | None = None
        self._member_start = 0
        self._position = 0  # WARC bytes handed out
        self.damage: str | None = None
        self.damage_offset = 0

    @property
    def position(self) -> int:
        return self._position

    def read(self, size: int = -1) -> bytes:
        want = size if size > 0 else _CHUNK
        data = self._inflate(want) if self._gzipped else self._read_plain(want)
        self._position += len(data)
        return data

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        raise OSError("the archive stream cannot seek")

    def close(self) -> None:
        """The caller owns the file; it is closed there."""

    def _read_plain(self, want: int) -> bytes:
        if self._input:
            data, self._input = self._input[:want], self._input[want:]
            return data
        return self._raw.read(want)

    def _inflate(self, want: int) -> bytes:
        while self.damage is None:
            if self._inflater is None:
                if not self._input:
                    self._input = self._raw.read(_CHUNK)
                    if not self._input:
                        return b""  # clean end: every member was complete
                self._member_start = self._consumed
                self._inflater = zlib.decompressobj(31)
            if not self._input:
                self._input = self._raw.read(_CHUNK)
                if not self._input:
                    self._fail("the file ends inside a gzip member")
                    return b""
            try:
                out = self._inflater.decompress(self._input, want)
            except zlib.error as error:
                self._fail(f"corrupt gzip data: {error}")
                return b""
            if self._inflater.eof:
                rest = self._inflater.unused_data
                self._inflater = None
            else:
                rest = self._inflater.unconsumed_tail
            self._consumed += len(self._input) - len(rest)
            self._input = rest
            if out:
                return out
        return b""

    def _fail(self, reason: str) -> None:
        self.damage = reason
        self.damage_offset = self._member_start
