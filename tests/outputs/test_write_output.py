"""Choosing the format and writing the report: by extension or name, atomically, errors that say why."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from newsfuse.errors import OutputError
from newsfuse.models import Report
from newsfuse.outputs.html import render_html
from newsfuse.outputs.json import render_json
from newsfuse.outputs.markdown import render_markdown
from newsfuse.outputs.write import format_for, write_report


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("r.json", "json"),
        ("r.md", "markdown"),
        ("r.markdown", "markdown"),
        ("r.html", "html"),
        ("r.htm", "html"),
        ("R.HTML", "html"),
    ],
)
def test_format_from_extension(name: str, fmt: str) -> None:
    assert format_for(Path(name), None) == fmt


def test_explicit_format_wins_and_stdout_defaults_to_markdown() -> None:
    assert format_for(Path("report.txt"), "json") == "json"
    assert format_for(Path("report.md"), "MARKDOWN") == "markdown"
    assert format_for(None, "HTML") == "html"
    assert format_for(None, None) == "markdown"
    with pytest.raises(OutputError, match="the extension says markdown but the format asked"):
        format_for(Path("report.md"), "html")  # HTML written into a .md file: refused


def test_unknown_extension_names_path_and_allowed_formats() -> None:
    with pytest.raises(OutputError) as info:
        format_for(Path("out/report.pdf"), None)
    message = str(info.value)
    assert "out/report.pdf" in message
    assert ".json" in message and ".html" in message and "markdown" in message


def test_unknown_format_names_it_and_the_allowed_ones() -> None:
    with pytest.raises(OutputError, match=r"'pdf' for r\.json; use one of: json, markdown, html"):
        format_for(Path("r.json"), "pdf")


def test_no_path_returns_the_text(report: Report) -> None:
    assert write_report(report, None, None) == render_markdown(report)
    assert write_report(report, None, "json") == render_json(report)


@pytest.mark.parametrize(
    ("name", "render"),
    [("r.json", render_json), ("r.md", render_markdown), ("r.html", render_html)],
)
def test_writes_utf8_and_returns_the_text(
    report: Report, tmp_path: Path, name: str, render: Callable[[Report], str]
) -> None:
    path = tmp_path / name
    text = write_report(report, path, None)
    assert text == render(report)
    assert path.read_bytes() == text.encode("utf-8")
    assert os.listdir(tmp_path) == [name]  # no temporary file left behind


def test_replaces_an_existing_report(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")
    write_report(report, path, None)
    assert (
        json.loads(path.read_text(encoding="utf-8"))["story"]["title"] == "Ferry fire on Lake Vessa"
    )


def test_missing_directory_is_an_output_error(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "no-such-dir" / "report.html"
    with pytest.raises(OutputError, match=r"cannot write .*no-such-dir/report\.html: No such file"):
        write_report(report, path, None)


def test_directory_as_target_is_an_output_error_and_leaves_no_temp(
    report: Report, tmp_path: Path
) -> None:
    target = tmp_path / "taken.json"
    target.mkdir()
    with pytest.raises(OutputError, match=r"cannot write .*taken\.json: "):
        write_report(report, target, None)
    assert sorted(os.listdir(tmp_path)) == ["taken.json"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_directory_is_an_output_error(report: Report, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="Permission denied"):
            write_report(report, locked / "report.md", None)
    finally:
        locked.chmod(0o700)


def _full_disk(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _bug(fd: int) -> None:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    ("fsync", "error", "message"),
    [(_full_disk, OutputError, "No space left on device"), (_bug, RuntimeError, "boom")],
)
def test_a_failed_write_leaves_no_temporary_file(
    report: Report,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fsync: Callable[[int], None],
    error: type[Exception],
    message: str,
) -> None:
    """The temp file goes whatever the failure: an OSError becomes one OutputError, anything
    else propagates unchanged (it is a bug), and neither leaves a 0-byte .NAME.PID.HEX.tmp."""
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(error, match=message):
        write_report(report, path, None)
    assert os.listdir(tmp_path) == ["report.json"]
    assert path.read_text(encoding="utf-8") == "old"  # the old report is untouched


def test_text_no_utf8_file_can_hold_is_an_output_error_and_writes_nothing(
    report: Report, tmp_path: Path
) -> None:
    broken = dataclasses.replace(report, story=dataclasses.replace(report.story, title="caf\udce9"))
    with pytest.raises(OutputError, match=r"cannot write .*r\.md: .*not valid Unicode"):
        write_report(broken, tmp_path / "r.md", None)
    assert os.listdir(tmp_path) == []
