"""read_warc on archives written here byte by byte (WARC 1.1, one gzip member per record, as crawlers
write them), then cut short or corrupted."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from newsfuse.config import IngestSettings
from newsfuse.models import RawDocument, Rejection, content_id
from newsfuse.stages.ingest.warc import read_warc, read_warcs

PAGE_1 = b"<!DOCTYPE html><html><head><title>Strike</title></head><body><p>Dock workers walked out.</p></body></html>"
PAGE_2 = "<html><body><p>Talks “constructive”, an official said.</p></body></html>".encode()
PNG_HEAD = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
)
DATE = "2025-10-30T14:05:00Z"


def _warc_record(kind: str, number: int, uri: str, block: bytes, content_type: str) -> bytes:
    headers = (
        "WARC/1.1\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012d}>\r\n"
        f"WARC-Date: {DATE}\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n"
        "\r\n"
    )
    return headers.encode() + block + b"\r\n\r\n"


def _http(status: str, content_type: str, body: bytes, *extra: str) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", *extra]
    if not any(h.lower().startswith("transfer-encoding") for h in extra):
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _chunked(body: bytes) -> bytes:
    half = len(body) // 2
    parts = [body[:half], body[half:]]
    return b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts) + b"0\r\n\r\n"


def _records() -> list[bytes]:
    """A small crawl: warcinfo, a request, two pages, and responses that are not pages."""
    response = "application/http; msgtype=response"
    return [
        _warc_record("warcinfo", 1, "", b"software: newsfuse-tests\r\n", "application/warc-fields"),
        _warc_record(
            "request",
            2,
            "https://gazette.example/strike",
            b"GET /strike HTTP/1.1\r\nHost: gazette.example\r\n\r\n",
            "application/http; msgtype=request",
        ),
        _warc_record(
            "response",
            3,
            "https://gazette.example/strike",
            _http("200 OK", "text/html; charset=utf-8", PAGE_1),
            response,
        ),
        _warc_record(
            "response",
            4,
            "https://gazette.example/logo.png",
            _http("200 OK", "image/png", PNG_HEAD),
            response,
        ),
        _warc_record(
            "response",
            5,
            "https://gazette.example/old",
            _http("301 Moved Permanently", "text/html", b"", "Location: /strike"),
            response,
        ),
        _warc_record(
            "response",
            6,
            "https://gazette.example/gone",
            _http("404 Not Found", "text/html", b"<p>gone</p>"),
            response,
        ),
        _warc_record(
            "response",
            7,
            "https://wire.example/talks",
            _http(
                "200 OK",
                "text/html",
                _chunked(gzip.compress(PAGE_2)),
                "Transfer-Encoding: chunked",
                "Content-Encoding: gzip",
            ),
            response,
        ),
        _warc_record("metadata", 8, "https://wire.example/talks", b"via: test\r\n", "text/plain"),
    ]


def _write_gz(path: Path, records: list[bytes]) -> list[int]:
    """Write one gzip member per record; return each member's offset in the file."""
    offsets, data = [], b""
    for record in records:
        offsets.append(len(data))
        data += gzip.compress(record)
    path.write_bytes(data)
    return offsets


def _docs(items: list[RawDocument | Rejection]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def _rejections(items: list[RawDocument | Rejection]) -> list[Rejection]:
    return [item for item in items if isinstance(item, Rejection)]


# --- round trip --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_only_html_200_responses_become_documents(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".gz"):
        _write_gz(path, _records())
    else:
        path.write_bytes(b"".join(_records()))
    items = list(read_warc(path, IngestSettings()))
    assert _rejections(items) == []
    strike, talks = _docs(items)
    assert strike.origin == f"{path}#urn:uuid:00000000-0000-4000-8000-000000000003"
    assert strike.content == PAGE_1
    assert strike.media_type == "text/html"
    assert strike.declared.url == "https://gazette.example/strike"
    assert strike.fetched_at == DATE
    assert strike.id == content_id("text/html", PAGE_1, prefix="raw_")
    # chunked transfer coding and gzip content coding are undone
    assert talks.content == PAGE_2
    assert talks.declared.url == "https://wire.example/talks"


def test_several_archives_in_order(tmp_path: Path) -> None:
    first, second = tmp_path / "a.warc.gz", tmp_path / "b.warc"
    _write_gz(first, _records())
    second.write_bytes(b"".join(_records()[2:3]))
    items = list(read_warcs([first, second], IngestSettings()))
    assert [doc.origin.split("#")[0] for doc in _docs(items)] == [str(first)] * 2 + [str(second)]


def test_oversized_record_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    records = _records()
    big = _warc_record(
        "response",
        9,
        "https://gazette.example/huge",
        _http("200 OK", "text/html", b"<p>" + b"x" * 200_000 + b"</p>"),
        "application/http; msgtype=response",
    )
    _write_gz(path, [*records[:2], big, *records[2:]])
    items = list(read_warc(path, IngestSettings(max_bytes=1000)))
    [rejection] = _rejections(items)
    assert rejection.item == f"{path}#urn:uuid:00000000-0000-4000-8000-000000000009"
    assert "over the limit (ingest.max_bytes)" in rejection.reason
    assert len(_docs(items)) == 2


# --- damage ------------------------------------------------------------------------------------------


def test_truncated_warc_gz_yields_what_came_before_and_names_the_offset(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    offsets = _write_gz(path, _records())
    data = path.read_bytes()
    cut = offsets[6] + (offsets[7] - offsets[6]) // 2  # halfway through the second page's member
    path.write_bytes(data[:cut])
    items = list(read_warc(path, IngestSettings()))
    assert [doc.content for doc in _docs(items)] == [PAGE_1]
    [rejection] = _rejections(items)
    assert items[-1] == rejection
    assert rejection.item == str(path)
    assert rejection.reason.startswith(f"archive damaged at byte {offsets[6]:,} (")
    assert rejection.reason.endswith("; the records before it were read")


def test_every_cut_of_a_warc_gz_is_reported_once(tmp_path: Path) -> None:
    """Wherever the file is cut, the pages before the cut are read and the damage reported once.

    A cut exactly between two gzip members leaves a valid, shorter archive: nothing to detect there.
    """
    full = tmp_path / "full.warc.gz"
    offsets = _write_gz(full, _records())
    data = full.read_bytes()
    path = tmp_path / "cut.warc.gz"
    for cut in sorted(set(range(1, len(data), 11)) - set(offsets)):
        path.write_bytes(data[:cut])
        items = list(read_warc(path, IngestSettings()))
        pages = [doc.content for doc in _docs(items)]
        assert pages in ([], [PAGE_1], [PAGE_1, PAGE_2]), cut
        assert len(_rejections(items)) == 1, (cut, items)
        reason = _rejections(items)[0].reason
        assert reason.startswith(("archive damaged at byte ", "not a WARC file")), (cut, reason)


def test_truncated_plain_warc_names_the_record_offset(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    records = _records()
    data = b"".join(records)
    start = sum(len(r) for r in records[:6])
    path.write_bytes(data[: start + len(records[6]) - 40])
    items = list(read_warc(path, IngestSettings()))
    assert [doc.content for doc in _docs(items)] == [PAGE_1]
    [rejection] = _rejections(items)
    assert rejection.reason.startswith(f"archive damaged at byte {start:,} (a record ends after ")


def test_corrupt_gzip_member_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.warc.gz"
    offsets = _write_gz(path, _records())
    data = bytearray(path.read_bytes())
    for i in range(offsets[6] + 20, offsets[6] + 40):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    items = list(read_warc(path, IngestSettings()))
    assert [doc.content for doc in _docs(items)] == [PAGE_1]
    [rejection] = _rejections(items)
    assert rejection.reason.startswith(f"archive damaged at byte {offsets[6]:,} (corrupt gzip data")


# --- not an archive ----------------------------------------------------------------------------------


def test_a_file_that_is_not_a_warc_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("Talks resumed on Thursday.\n", encoding="utf-8")
    [rejection] = list(read_warc(path, IngestSettings()))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "not a WARC file (invalid warc header)"


def test_an_archive_without_pages_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "images.warc.gz"
    _write_gz(path, _records()[3:6])
    [rejection] = list(read_warc(path, IngestSettings()))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "no HTML page with HTTP status 200 in its 3 records"


def test_missing_archive_is_rejected(tmp_path: Path) -> None:
    [rejection] = list(read_warc(tmp_path / "absent.warc.gz", IngestSettings()))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "no such file or directory"


def test_a_compression_bomb_page_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "bomb.warc.gz"
    bomb = zlib.compress(b"<p>" + b" " * 20_000_000)
    record = _warc_record(
        "response",
        10,
        "https://bomb.example/",
        _http("200 OK", "text/html", bomb, "Content-Encoding: deflate"),
        "application/http; msgtype=response",
    )
    _write_gz(path, [record])
    [rejection] = list(read_warc(path, IngestSettings(max_bytes=1_000_000)))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == "page is over the size limit (ingest.max_bytes)"
