"""Bytes to text: find the encoding, refuse what is not text, repair mojibake.

Ingest calls :func:`check_text` to reject an input early (an image renamed ``.html``, an empty file,
bytes no encoding fits) while keeping the original bytes in the RawDocument; the clean stage calls
:func:`decode_text` to get the text it works on.  Both follow the same steps, so an input that passes
ingest decodes the same way later:

1. Refuse binary data: known magic numbers (PNG, JPEG, GIF, PDF, ZIP, ...), NUL bytes (unless they
   are UTF-16 or UTF-32 text without a byte-order mark, step 2), or more than
   :data:`MAX_CONTROL_RATIO` control characters.
2. Find the encoding: a byte-order mark, else UTF-16 or UTF-32 recognised by where its zero bytes
   fall (text saved without a mark), else strict UTF-8, else the charset an HTML page declares,
   else Windows-1252 when it reads as plausible Western text (the usual non-UTF-8 news text, which
   charset-normalizer often mistakes for cp1250 or cp1125 on short input), else charset-normalizer.
3. Repair with ftfy, conservatively: mojibake ("donâ€™t" → "don’t") and C1 controls are fixed, but
   curly quotes, ligatures, full-width forms and HTML entities are left exactly as written; news text
   keeps its “curly quotes”, and entities are the HTML parser's business.
4. Newlines become ``\\n`` and the byte-order mark is dropped.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Final

import charset_normalizer
import ftfy

from newsfuse.errors import ItemError

__all__ = ["MAX_CONTROL_RATIO", "check_text", "decode_text", "detect_encoding"]

MAX_CONTROL_RATIO: Final = 0.05
"""Share of control characters (other than tab, newline, carriage return, form feed, vertical tab and
escape) above which input is treated as binary.  Real text, in any language, has almost none."""

_SNIFF_BYTES: Final = 65_536  # the control-character ratio is measured on this much of the input

# Magic numbers of binary formats people most often feed a text tool by mistake.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_ALLOWED_CONTROLS: Final = frozenset(b"\t\n\r\x0b\x0c\x1b")

# <meta charset="..."> or <meta http-equiv="Content-Type" content="...; charset=..."> or <?xml encoding>
_DECLARED_CHARSET: Final = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_DECLARED_SCAN_BYTES: Final = 4096

# Browsers read these labels as Windows-1252 (WHATWG Encoding Standard); so do we.
_WINDOWS_1252_ALIASES: Final = frozenset({"ascii", "latin_1", "iso8859_1", "cp1252"})

_MAX_NON_ASCII_LETTER_SHARE: Final = 0.3  # Western text: accented letters are a minority

_FTFY_CONFIG: Final = ftfy.TextFixerConfig(
    unescape_html=False,  # "&amp;" in HTML must reach the parser; in text it is what was written
    fix_latin_ligatures=False,  # keep characters as written; spans point into this text
    fix_character_width=False,  # full-width punctuation is correct in CJK text
    uncurl_quotes=False,  # news text keeps its “curly quotes”
    normalization="NFC",  # canonical composition only; NFKC would rewrite punctuation
    explain=False,
)


def decode_text(content: bytes) -> str:
    """Return the text of ``content``, repaired and with ``\\n`` newlines.

    Raises :class:`~newsfuse.errors.ItemError` for binary data, bytes no encoding fits, or input
    that is empty or only whitespace.
    """
    text = _decode(content)
    text = ftfy.fix_text(text, _FTFY_CONFIG)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ItemError("empty file")
    return text


def check_text(content: bytes) -> str:
    """Raise :class:`~newsfuse.errors.ItemError` when ``decode_text`` would; else name the encoding.

    Cheaper than :func:`decode_text` (no ftfy pass), so ingest can refuse bad input early without
    repairing text it throws away.
    """
    encoding, text = _decode_with_encoding(content)
    if not text.strip("\ufeff \t\n\r\x0b\x0c\x85\u2028\u2029\xa0"):
        raise ItemError("empty file")
    return encoding


def detect_encoding(content: bytes) -> str:
    """Return the Python codec name :func:`decode_text` would use for ``content``."""
    return _decode_with_encoding(content)[0]


def _decode(content: bytes) -> str:
    return _decode_with_encoding(content)[1]


def _decode_with_encoding(content: bytes) -> tuple[str, str]:
    if not content.strip():
        raise ItemError("empty file")
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            raise ItemError(f"binary content (looks like {kind}), not text")
    if content[8:12] == b"WEBP" and content.startswith(b"RIFF"):
        raise ItemError("binary content (looks like a WebP image), not text")

    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                text = content.decode(encoding)
            except UnicodeDecodeError as error:
                raise ItemError(
                    f"undecodable text: starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()} (byte {error.start})"
                ) from error
            _refuse_controls(text[:_SNIFF_BYTES].encode("latin-1", "replace"))
            return encoding, text.lstrip("\ufeff")

    if b"\x00" in content:
        unmarked = _unmarked_utf16_or_utf32(content)
        if unmarked is None:
            raise ItemError("binary content (contains NUL bytes), not text")
        _refuse_controls(unmarked[1][:_SNIFF_BYTES].encode("latin-1", "replace"))
        return unmarked
    _refuse_controls(content[:_SNIFF_BYTES])

    try:
        return "utf-8", content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(content)
    if declared is not None:
        try:
            return declared, content.decode(declared)
        except UnicodeDecodeError:
            pass  # the declaration is wrong; guess instead
    western = _plausible_windows_1252(content)
    if western is not None:
        return "cp1252", western
    best = charset_normalizer.from_bytes(content).best()
    if best is not None:
        try:
            return best.encoding, content.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise ItemError("undecodable text: not UTF-8, and no other encoding fits")


def _unmarked_utf16_or_utf32(content: bytes) -> tuple[str, str] | None:
    """(encoding, text) of UTF-16 or UTF-32 written without a byte-order mark, else None.

    Such text is full of NUL bytes (the high byte of every ASCII character), which otherwise means
    binary data.  It is recognised by where its zero bytes fall: text in a Latin script has them in
    one byte position of each code unit and (nearly) never in the other, and the whole input must
    decode strictly to text without NUL characters.  Binary data almost never does both.
    """
    sample = content[:_SNIFF_BYTES]
    for encoding, unit, text_positions in _UNMARKED:
        if len(content) % unit or len(sample) < unit:
            continue
        units = len(sample) // unit
        zeros = [sample[position::unit][:units].count(0) / units for position in range(unit)]
        if not all(zeros[position] <= _STRAY_ZERO_SHARE for position in text_positions):
            continue
        if max(zero for i, zero in enumerate(zeros) if i not in text_positions) < 0.2:
            continue
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return encoding, text
    return None


# (codec, code unit bytes, byte positions in a unit that carry an ASCII letter's bits); UTF-32
# first, since UTF-32 text also shows UTF-16's pattern.
_UNMARKED: Final = (
    ("utf-32-le", 4, (0,)),
    ("utf-32-be", 4, (3,)),
    ("utf-16-le", 2, (0,)),
    ("utf-16-be", 2, (1,)),
)
_STRAY_ZERO_SHARE: Final = 0.01  # zero bytes where letters are: at most this share of code units


def _refuse_controls(sample: bytes) -> None:
    """Refuse a sample whose share of control bytes says it is binary.

    ``bytes.translate`` deletes the control bytes in C, so this costs microseconds, not a Python
    loop over 64 KB per document.  (Decoded text is passed as Latin-1 with other characters
    replaced by "?": the control characters keep their codes, nothing else becomes one.)
    """
    total = len(sample)
    controls = total - len(sample.translate(None, _CONTROL_BYTES))
    if total and controls / total > MAX_CONTROL_RATIO:
        raise ItemError(f"binary content ({controls / total:.0%} control characters), not text")


_CONTROL_BYTES = bytes(code for code in [*range(32), 127] if code not in _ALLOWED_CONTROLS)


def _declared_charset(content: bytes) -> str | None:
    """The codec an HTML or XML document declares in its first bytes, if Python knows it."""
    match = _DECLARED_CHARSET.search(content[:_DECLARED_SCAN_BYTES])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"
    if name.startswith("utf_16") or name.startswith("utf_32"):
        return None  # a BOM-less page that says UTF-16 is lying: it was read as ASCII to get here
    return name


def _odd_after_letter(char: str) -> bool:
    """A character that never follows a letter in Western text ("café™" is fine, "³" is not)."""
    return char in "¿¡" or unicodedata.category(char) in ("No", "Sc", "Sm", "Sk")


def _plausible_windows_1252(content: bytes) -> str | None:
    """``content`` as Windows-1252 if it reads as Western text, else None.

    Plausible means: every byte decodes, accented letters are a minority of letters, and no symbol
    sits inside a word (Polish in cp1250 read as cp1252 gives "³" and "¹" between letters; Russian
    in cp1251 gives nothing but accented letters).
    """
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = non_ascii_letters = 0
    previous = " "
    for char in text:
        if char.isalpha():
            letters += 1
            if not char.isascii():
                non_ascii_letters += 1
        elif not char.isascii() and previous.isalpha() and _odd_after_letter(char):
            return None
        previous = char
    if letters and non_ascii_letters / letters > _MAX_NON_ASCII_LETTER_SHARE:
        return None
    return text
