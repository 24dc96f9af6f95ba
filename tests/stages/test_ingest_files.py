"""read_inputs on real files written to tmp_path: every kind of source and every kind of rejection."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from newsfuse.config import IngestSettings
from newsfuse.models import RawDocument, Rejection, content_id
from newsfuse.stages.ingest.files import read_inputs

ARTICLE = "ISLAMABAD: Talks resumed on Thursday, an official said, calling them “constructive”.\n"
PAGE = "<!DOCTYPE html><html><head><title>Talks</title></head><body><p>Talks resumed.</p></body></html>"
PNG_HEAD = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
)


def _run(
    *sources: str | Path,
    settings: IngestSettings | None = None,
    stdin: io.BytesIO | None = None,
) -> list[RawDocument | Rejection]:
    return list(read_inputs([str(s) for s in sources], settings or IngestSettings(), stdin=stdin))


def _docs(items: list[RawDocument | Rejection]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def _rejections(items: list[RawDocument | Rejection]) -> list[Rejection]:
    return [item for item in items if isinstance(item, Rejection)]


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- single files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("story.txt", ARTICLE, "text/plain"),
        ("story.md", "# Talks\n\n" + ARTICLE, "text/plain"),
        ("story.html", PAGE, "text/html"),
        ("story.HTM", PAGE, "text/html"),
    ],
)
def test_text_and_html_files(tmp_path: Path, name: str, content: str, media_type: str) -> None:
    path = _write(tmp_path / name, content)
    [doc] = _run(path)
    assert isinstance(doc, RawDocument)
    assert doc.origin == str(path)
    assert doc.media_type == media_type
    assert doc.content == content.encode("utf-8")
    assert doc.id == content_id(media_type, doc.content, prefix="raw_")
    assert doc.declared.url is None


def test_content_keeps_original_bytes_even_when_not_utf8(tmp_path: Path) -> None:
    raw = b"caf\xe9 \x93quoted\x94 and more text"
    path = _write(tmp_path / "legacy.txt", raw)
    [doc] = _run(path)
    assert isinstance(doc, RawDocument)
    assert doc.content == raw


def test_mojibake_file_is_accepted_as_is(tmp_path: Path) -> None:
    path = _write(tmp_path / "moji.txt", "I donâ€™t know, he said.")
    [doc] = _run(path)
    assert isinstance(doc, RawDocument)
    assert doc.content == "I donâ€™t know, he said.".encode()  # repair happens when decoded


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.txt", b"")
    blank = _write(tmp_path / "blank.md", "  \n\n\t")
    assert _run(empty, blank) == [
        Rejection(str(empty), "ingest", "empty file"),
        Rejection(str(blank), "ingest", "empty file"),
    ]


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path / "data.txt", bytes(range(256)) * 4)
    [rejection] = _run(path)
    assert rejection == Rejection(
        str(path), "ingest", "binary content (contains NUL bytes), not text"
    )


def test_png_renamed_html_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path / "photo.html", PNG_HEAD + bytes(200))
    assert _run(path) == [
        Rejection(str(path), "ingest", "binary content (looks like a PNG image), not text")
    ]


def test_unsupported_extension_is_rejected(tmp_path: Path) -> None:
    pdf = _write(tmp_path / "report.pdf", b"%PDF-1.7\n")
    bare = _write(tmp_path / "README", ARTICLE)
    [first, second] = _run(pdf, bare)
    assert isinstance(first, Rejection)
    assert first.item == str(pdf)
    assert first.reason.startswith("unsupported file type '.pdf'")
    assert isinstance(second, Rejection)
    assert second.reason.startswith("unsupported file type (no extension)")


def test_missing_path_is_rejected(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert _run(missing) == [Rejection(str(missing), "ingest", "no such file or directory")]


def test_path_through_a_file_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path / "story.txt", ARTICLE)
    bad = tmp_path / "story.txt" / "inner.txt"
    [rejection] = _run(bad)
    assert isinstance(rejection, Rejection)
    assert rejection.item == str(bad)
    assert "not a directory" in rejection.reason


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_unreadable_file_and_directory_are_rejected(tmp_path: Path) -> None:
    locked = _write(tmp_path / "locked.txt", ARTICLE)
    locked_dir = tmp_path / "tree" / "private"
    _write(locked_dir / "a.txt", ARTICLE)
    _write(tmp_path / "tree" / "b.txt", ARTICLE)
    locked.chmod(0)
    locked_dir.chmod(0)
    try:
        items = _run(locked, tmp_path / "tree")
    finally:
        locked.chmod(0o644)
        locked_dir.chmod(0o755)
    assert _rejections(items) == [
        Rejection(str(locked), "ingest", "permission denied"),
        Rejection(str(locked_dir), "ingest", "permission denied"),
    ]
    assert [d.origin for d in _docs(items)] == [str(tmp_path / "tree" / "b.txt")]


def test_permission_errors_are_reported_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chmod test above cannot run as root; simulate the refusal so the mapping is still tested."""
    locked = _write(tmp_path / "locked.txt", ARTICLE)
    locked_feed = _write(tmp_path / "locked.jsonl", '{"text": "x"}\n')
    private = tmp_path / "tree" / "private"
    _write(private / "a.txt", ARTICLE)
    _write(tmp_path / "tree" / "b.txt", ARTICLE)
    real_open, real_scandir = os.open, os.scandir

    def guarded_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path) in (locked, locked_feed):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def guarded_scandir(path: Any) -> Any:
        if Path(path) == private:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", guarded_open)  # every named input is opened by os.open
    monkeypatch.setattr(os, "scandir", guarded_scandir)
    items = _run(locked, locked_feed, tmp_path / "tree")
    assert _rejections(items) == [
        Rejection(str(locked), "ingest", "permission denied"),
        Rejection(str(locked_feed), "ingest", "permission denied"),
        Rejection(str(private), "ingest", "permission denied"),
    ]
    assert [d.origin for d in _docs(items)] == [str(tmp_path / "tree" / "b.txt")]


def test_failures_do_not_stop_the_other_inputs(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt", ARTICLE)
    items = _run(tmp_path / "missing.txt", _write(tmp_path / "e.txt", ""), good)
    assert [type(i).__name__ for i in items] == ["Rejection", "Rejection", "RawDocument"]


def test_exact_duplicates_are_all_yielded(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", ARTICLE)
    b = _write(tmp_path / "b.txt", ARTICLE)
    docs = _docs(_run(a, b, a))
    assert [d.origin for d in docs] == [str(a), str(b), str(a)]
    assert len({d.id for d in docs}) == 1


def test_same_bytes_different_media_type_differ_in_id(tmp_path: Path) -> None:
    txt = _write(tmp_path / "a.txt", PAGE)
    html = _write(tmp_path / "a.html", PAGE)
    first, second = _docs(_run(txt, html))
    assert first.id != second.id


# --- size limit -------------------------------------------------------------------------------------


def test_file_over_max_bytes_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path / "long.txt", "x" * 150)
    ok = _write(tmp_path / "short.txt", "x" * 100)
    items = _run(path, ok, settings=IngestSettings(max_bytes=100))
    assert items[0] == Rejection(
        str(path), "ingest", "file is 150 bytes, over the 100 bytes limit (ingest.max_bytes)"
    )
    assert isinstance(items[1], RawDocument)


def test_sparse_50mb_file_is_rejected_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as f:
        f.truncate(52_428_800)  # sparse: takes no disk space

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    assert _run(path) == [
        Rejection(str(path), "ingest", "file is 52.4 MB, over the 20 MB limit (ingest.max_bytes)")
    ]


def test_size_just_over_the_limit_is_shown_in_bytes(tmp_path: Path) -> None:
    path = tmp_path / "edge.txt"
    with path.open("wb") as f:
        f.truncate(2_000_001)
    [rejection] = _run(path, settings=IngestSettings(max_bytes=2_000_000))
    assert isinstance(rejection, Rejection)
    assert rejection.reason == (
        "file is 2,000,001 bytes, over the 2,000,000-byte limit (ingest.max_bytes)"
    )


# --- JSONL ------------------------------------------------------------------------------------------


def _jsonl(path: Path, lines: list[str]) -> Path:
    return _write(path, "\n".join(lines) + "\n")


def test_jsonl_records_become_documents_with_declared_metadata(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "feed.jsonl",
        [
            json.dumps(
                {
                    "text": ARTICLE,
                    "url": "https://example.org/a",
                    "title": "Talks resume",
                    "outlet": "Example Times",
                    "byline": "A. Writer",
                    "published_at": "2025-10-30T09:15:00+05:00",
                    "extra": "ignored",
                },
                ensure_ascii=False,
            ),
            "",
            "   ",
            json.dumps({"html": PAGE, "published_at": "2025-10-30"}),
        ],
    )
    first, second = _run(path)
    assert isinstance(first, RawDocument)
    assert isinstance(second, RawDocument)
    assert first.origin == f"{path}:1"
    assert first.media_type == "text/plain"
    assert first.content == ARTICLE.encode("utf-8")
    assert first.id == content_id("text/plain", ARTICLE.encode(), prefix="raw_")
    assert first.declared.url == "https://example.org/a"
    assert first.declared.title == "Talks resume"
    assert first.declared.outlet == "Example Times"
    assert first.declared.byline == "A. Writer"
    assert first.declared.published_at == "2025-10-30T09:15:00+05:00"
    assert second.origin == f"{path}:4"  # blank lines count, so LINE matches an editor
    assert second.media_type == "text/html"
    assert second.declared.published_at == "2025-10-30"


def test_malformed_jsonl_lines_are_rejected_and_others_kept(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "bad.jsonl",
        [
            '{"text": "fine one"}',
            '{"text": "oops" "url": 1}',
            '{"title": "no body"}',
            '{"text": "x", "published_at": "last Tuesday"}',
            '{"text": "a", "html": "<p>b</p>"}',
            '{"text": 42}',
            '{"text": "   "}',
            '["not", "an", "object"]',
            '{"text": "y", "url": 7}',
            '{"text": "fine two", "url": null}',
        ],
    )
    items = _run(path)
    assert [d.origin for d in _docs(items)] == [f"{path}:1", f"{path}:10"]
    reasons = {r.item: r.reason for r in _rejections(items)}
    assert reasons == {
        f"{path}:2": "invalid JSON: Expecting ',' delimiter at column 17",
        f"{path}:3": "missing 'text' or 'html'",
        f"{path}:4": "'published_at' is not a date: 'last Tuesday' "
        "(expected ISO 8601, e.g. 2025-10-30 or 2025-10-30T14:05:00Z)",
        f"{path}:5": "has both 'text' and 'html'; give one",
        f"{path}:6": "'text' must be a string, got a number",
        f"{path}:7": "'text' is empty",
        f"{path}:8": "expected a JSON object, got an array",
        f"{path}:9": "'url' must be a string, got a number",
    }
    assert all(r.stage == "ingest" for r in _rejections(items))


def test_jsonl_binary_and_invalid_utf8_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "odd.jsonl",
        b'{"text": "nul \\u0000 inside"}\n{"text": "caf\xe9"}\n\xef\xbb\xbf\n',
    )
    items = _run(path)
    assert items == [
        Rejection(f"{path}:1", "ingest", "binary content (contains NUL bytes), not text"),
        Rejection(f"{path}:2", "ingest", "not valid UTF-8 at byte 14 (JSON Lines must be UTF-8)"),
        Rejection(
            f"{path}:3",
            "ingest",
            "invalid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig) at column 1",
        ),
    ]


def test_jsonl_with_bom_and_crlf(tmp_path: Path) -> None:
    path = _write(tmp_path / "win.jsonl", b'\xef\xbb\xbf{"text": "one"}\r\n{"text": "two"}\r\n')
    assert [d.content for d in _docs(_run(path))] == [b"one", b"two"]


def test_jsonl_size_limit_applies_per_line(tmp_path: Path) -> None:
    short = json.dumps({"text": "s" * 20})
    long = json.dumps({"text": "l" * 500})
    path = _jsonl(tmp_path / "mixed.jsonl", [short, long, short])
    items = _run(path, settings=IngestSettings(max_bytes=100))
    assert [type(i).__name__ for i in items] == ["RawDocument", "Rejection", "RawDocument"]
    assert items[1] == Rejection(
        f"{path}:2", "ingest", "line is over the 100 bytes limit (ingest.max_bytes)"
    )
    assert [i.origin for i in _docs(items)] == [f"{path}:1", f"{path}:3"]
    # the whole file is bigger than max_bytes, yet its short lines are read
    assert path.stat().st_size > 100


def test_empty_jsonl_yields_nothing(tmp_path: Path) -> None:
    assert _run(_write(tmp_path / "none.jsonl", "\n\n")) == []


# --- directories ------------------------------------------------------------------------------------


def _tree(root: Path) -> None:
    _write(root / "b.txt", ARTICLE)
    _write(root / "a.html", PAGE)
    _write(root / "notes.pdf", b"%PDF-1.4")
    _write(root / ".hidden.txt", ARTICLE)
    _write(root / ".git" / "x.txt", ARTICLE)
    _write(root / "sub" / "z.md", ARTICLE)
    _write(root / "sub" / "deeper" / "c.txt", ARTICLE)
    _write(root / "sub" / "deeper" / "feed.jsonl", json.dumps({"text": ARTICLE}) + "\n")
    _write(root / "drafts" / "d.txt", ARTICLE)
    _write(root / "sub-x" / "e.txt", ARTICLE)
    _write(root / "sub.txt", ARTICLE)


def test_directory_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _tree(root)
    items = _run(root)
    assert not _rejections(items)
    assert [Path(d.origin).relative_to(root).as_posix() for d in _docs(items)] == [
        "a.html",
        "b.txt",
        "drafts/d.txt",
        "sub/deeper/c.txt",
        "sub/deeper/feed.jsonl:1",
        "sub/z.md",
        "sub-x/e.txt",
        "sub.txt",
    ]


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _tree(root)
    settings = IngestSettings(include=("*.txt", "*.md"), exclude=("drafts", "sub/deeper/*"))
    origins = [
        Path(d.origin).relative_to(root).as_posix() for d in _docs(_run(root, settings=settings))
    ]
    assert origins == ["b.txt", "sub/z.md", "sub-x/e.txt", "sub.txt"]


def test_include_matching_an_unsupported_type_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _tree(root)
    items = _run(root, settings=IngestSettings(include=("*.pdf",)))
    assert [(r.item, r.reason.split(" (")[0]) for r in _rejections(items)] == [
        (str(root / "notes.pdf"), "unsupported file type '.pdf'")
    ]


def test_directory_without_inputs_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    _write(root / "image.png", PNG_HEAD)
    [rejection] = _run(root)
    assert isinstance(rejection, Rejection)
    assert rejection.item == str(root)
    assert rejection.reason.startswith("no input files in this directory")


def test_directory_named_like_a_file_is_walked(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root / "story.html" / "inner.txt", ARTICLE)
    [doc] = _run(root)
    assert isinstance(doc, RawDocument)
    assert doc.origin == str(root / "story.html" / "inner.txt")


def test_explicit_hidden_file_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path / ".draft.txt", ARTICLE)
    assert len(_docs(_run(path))) == 1


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root / "a.txt", ARTICLE)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "link.txt").symlink_to(root / "a.txt")
    origins = [d.origin for d in _docs(_run(root))]
    assert origins == [str(root / "a.txt"), str(root / "link.txt")]


def test_order_is_deterministic_regardless_of_creation_order(tmp_path: Path) -> None:
    names = ["m.txt", "a.txt", "z/y.txt", "b/c.txt", "B.txt", "a0.txt"]
    first, second = tmp_path / "one", tmp_path / "two"
    for name in names:
        _write(first / name, name)
    for name in reversed(names):
        _write(second / name, name)
    one = [(Path(d.origin).relative_to(first), d.id) for d in _docs(_run(first))]
    two = [(Path(d.origin).relative_to(second), d.id) for d in _docs(_run(second))]
    assert one == two
    assert _run(first) == _run(first)


# --- stdin ------------------------------------------------------------------------------------------


def test_stdin_text_and_html(tmp_path: Path) -> None:
    [text] = _run("-", stdin=io.BytesIO(ARTICLE.encode()))
    assert isinstance(text, RawDocument)
    assert (text.origin, text.media_type, text.content) == (
        "<stdin>",
        "text/plain",
        ARTICLE.encode(),
    )
    [page] = _run("-", stdin=io.BytesIO(b"\n  " + PAGE.encode()))
    assert isinstance(page, RawDocument)
    assert page.media_type == "text/html"
    [fragment] = _run("-", stdin=io.BytesIO(b"Header\n<body><p>x</p></body>"))
    assert isinstance(fragment, RawDocument)
    assert fragment.media_type == "text/html"


def test_stdin_mixed_with_files_keeps_order(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", ARTICLE)
    items = _run(path, "-", "-", stdin=io.BytesIO(b"from stdin"))
    assert [getattr(i, "origin", None) or getattr(i, "item", None) for i in items] == [
        str(path),
        "<stdin>",
        "<stdin>",
    ]
    assert isinstance(items[2], Rejection)
    assert "more than once" in items[2].reason


def test_stdin_rejections() -> None:
    assert _run("-", stdin=io.BytesIO(b"")) == [Rejection("<stdin>", "ingest", "empty file")]
    [big] = _run("-", settings=IngestSettings(max_bytes=10), stdin=io.BytesIO(b"x" * 11))
    assert big == Rejection(
        "<stdin>", "ingest", "file is over the 10 bytes limit (ingest.max_bytes)"
    )


# --- the seeds --------------------------------------------------------------------------------------


def test_seeds_ingest_as_plain_text_with_curly_quotes(seeds_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "seeds"
    shutil.copytree(seeds_dir, copy)
    items = _run(copy)
    docs = _docs(items)
    assert not _rejections(items)
    assert len(docs) == 5
    assert [Path(d.origin).name for d in docs] == sorted(p.name for p in seeds_dir.glob("*.txt"))
    for doc in docs:
        assert doc.media_type == "text/plain"
        assert doc.content == (seeds_dir / Path(doc.origin).name).read_bytes()
        text = doc.content.decode("utf-8")
        assert "“" in text or "’" in text
    # read in place too: same ids
    assert [d.id for d in _docs(_run(seeds_dir))] == [d.id for d in docs]


def test_jsonl_lines_that_used_to_end_the_run_are_one_rejection_each(tmp_path: Path) -> None:
    """Each of these raised past the JSON error handler (or later, at encode or date time) and
    lost every other input of the run; now each is its line's rejection and the rest is read."""
    path = _jsonl(
        tmp_path / "hostile.jsonl",
        [
            '{"text": "fine one"}',
            '{"text": "x", "published_at": "9999-12-31"}',
            '{"text": "x", "published_at": "0001-01-01T00:00:00Z"}',
            '{"text": "x", "nested": ' + "[" * 100_000 + "]" * 100_000 + "}",
            '{"text": "x", "ignored": ' + "7" * 5000 + "}",
            '{"text": "fine two", "published_at": "2100-12-31T23:59:59Z"}',
        ],
    )
    items = _run(path)
    assert [d.origin for d in _docs(items)] == [f"{path}:1", f"{path}:6"]
    reasons = {r.item: r.reason for r in _rejections(items)}
    assert reasons == {
        f"{path}:2": "'published_at' is not a believable date: '9999-12-31', "
        "year 9999 is outside 1900–2100",
        f"{path}:3": "'published_at' is not a believable date: '0001-01-01T00:00:00Z', "
        "year 1 is outside 1900–2100",
        f"{path}:4": "invalid JSON: nested too deeply to read",
        f"{path}:5": "invalid JSON: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits",
    }


def test_jsonl_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    """Half an escaped emoji is valid JSON but no UTF-8 can hold it: the character is replaced,
    the article kept (encoding it later used to crash the run after all the work was done)."""
    path = _jsonl(
        tmp_path / "cut.jsonl",
        [
            '{"text": "Smile \\ud83d please", "title": "Half \\ude00", "outlet": "\\ud83d\\ude00 News"}'
        ],
    )
    (doc,) = _docs(_run(path))
    assert doc.content.decode("utf-8") == "Smile \ufffd please"
    assert doc.declared.title == "Half \ufffd"
    assert doc.declared.outlet == "\U0001f600 News"  # a whole pair is one character, kept


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # Latin-1 bytes, as an old archive names files
    _write(tmp_path / name, "Text of an article whose file name is Latin-1.")
    (doc,) = _docs(_run(tmp_path))
    assert doc.origin == str(tmp_path / "caf\\xe9.txt")
    doc.origin.encode("utf-8")  # what the report, the store and the terminal need
