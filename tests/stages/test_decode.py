"""decode_text: encodings, binary refusal and conservative mojibake repair, on real bytes."""

from __future__ import annotations

import codecs
import zlib
from pathlib import Path

import pytest

from newsfuse.errors import ItemError
from newsfuse.stages.ingest.decode import check_text, decode_text, detect_encoding


def _png() -> bytes:
    """A real 1x1 PNG, built by hand so no binary file is committed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        crc = zlib.crc32(body).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + body + crc

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_utf8_with_curly_quotes_is_kept_exactly() -> None:
    text = "The minister said “no deal” — it’s over…\n"
    assert decode_text(text.encode("utf-8")) == text


def test_cp1252_bytes_decode_as_western_text() -> None:
    assert decode_text(b"caf\xe9 \x93quoted\x94") == "café “quoted”"
    assert detect_encoding(b"caf\xe9 \x93quoted\x94") == "cp1252"


def test_longer_cp1252_text_is_not_mistaken_for_cp1250() -> None:
    raw = "The café said “no comment”, citing the naïve plan – again.".encode("cp1252")
    assert decode_text(raw) == "The café said “no comment”, citing the naïve plan – again."


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Переговоры в Стамбуле продолжатся, сообщил представитель.", "cp1251"),
        ("Zażółć gęślą jaźń, powiedział minister w środę.", "cp1250"),
        ("イスタンブールでの協議は続く。関係者が述べた。", "shift_jis"),
    ],
)
def test_other_legacy_encodings_are_detected(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


def test_html_declared_charset_is_honoured() -> None:
    page = b'<html><head><meta charset="iso-8859-1"></head><body>caf\xe9 \x93x\x94</body></html>'
    assert "café “x”" in decode_text(page)


def test_mojibake_is_repaired_but_quotes_stay_curly() -> None:
    assert decode_text("donâ€™t".encode()) == "don’t"
    assert decode_text("He said â€œyesâ€\x9d.".encode()) == "He said “yes”."


def test_conservative_fixes_leave_ligatures_widths_and_entities_alone() -> None:
    text = "ﬁnal ＡＢ &amp; “q” ‘s’ – —"
    assert decode_text(text.encode()) == text


@pytest.mark.parametrize(
    "bom_encoding", ["utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
)
def test_byte_order_marks_pick_the_encoding_and_are_dropped(bom_encoding: str) -> None:
    boms = {
        "utf-8-sig": b"",
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }
    raw = boms[bom_encoding] + "“Talks” résumé".encode(bom_encoding)
    assert decode_text(raw) == "“Talks” résumé"


def test_newlines_are_normalized() -> None:
    assert decode_text(b"one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf  \n"])
def test_empty_or_whitespace_is_rejected(raw: bytes) -> None:
    with pytest.raises(ItemError, match="^empty file$"):
        decode_text(raw)
    with pytest.raises(ItemError, match="^empty file$"):
        check_text(raw)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (_png(), "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive or Office document"),
    ],
)
def test_known_binary_formats_are_named(raw: bytes, kind: str) -> None:
    with pytest.raises(ItemError) as caught:
        decode_text(raw)
    assert caught.value.reason == f"binary content (looks like {kind}), not text"


def test_nul_bytes_mean_binary() -> None:
    with pytest.raises(ItemError, match=r"binary content \(contains NUL bytes\), not text"):
        decode_text(b"hello\x00world")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_byte_order_mark_are_text_not_binary(encoding: str) -> None:
    """Saved without a byte-order mark, UTF-16 and UTF-32 text is full of NUL bytes; it used to be
    refused as "binary content (contains NUL bytes)"."""
    text = "PORT MERROW — Dockworkers said “we will not go back” on Tuesday, café owners agreed.\n"
    raw = (text * 3).encode(encoding)
    assert decode_text(raw) == text * 3
    assert check_text(raw) == encoding


def test_nul_bytes_that_do_not_fall_like_utf16_text_stay_binary() -> None:
    with pytest.raises(ItemError, match=r"contains NUL bytes"):
        decode_text(b"header\x00\x00\x01\x02 some text\x00 more" * 4)


def test_many_control_characters_mean_binary() -> None:
    raw = bytes(range(1, 9)) * 20 + b"some text"
    with pytest.raises(ItemError, match=r"binary content \(\d+% control characters\), not text"):
        decode_text(raw)


def test_a_few_control_characters_are_repaired_not_refused() -> None:
    assert decode_text(b"A long paragraph of news text\x07 with one stray bell.") == (
        "A long paragraph of news text with one stray bell."
    )


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(ItemError, match="^undecodable text"):
        decode_text(bytes(range(128, 256)) * 4)


def test_broken_utf16_after_bom_is_refused() -> None:
    with pytest.raises(ItemError, match="byte-order mark"):
        decode_text(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")


def test_seeds_decode_unchanged(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = path.read_bytes()
        text = decode_text(raw)
        assert text == raw.decode("utf-8").replace("\r\n", "\n"), path.name
        assert "“" in text or "’" in text, path.name
