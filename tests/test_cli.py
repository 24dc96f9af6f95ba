"""The command line as a user meets it: outputs by extension, one line per bad input, exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfuse.cli import app
from newsfuse.models import REPORT_SCHEMA_VERSION

runner = CliRunner()


@pytest.fixture()
def mixed_inputs(tmp_path: Path, examples_dir: Path) -> Path:
    """Two good reports and a zoo of bad input."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("01_merrow-herald.txt", "03_national-ledger.html"):
        (folder / name).write_bytes((examples_dir / name).read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02garbage\x00" * 50)
    (folder / "feed.jsonl").write_text(
        '{"text": "too short", "outlet": "X"}\n{"text": "broken json"\n', encoding="utf-8"
    )
    return folder


def test_report_writes_each_format(tmp_path: Path, examples_dir: Path) -> None:
    for suffix in (".json", ".md", ".html"):
        out = tmp_path / f"report{suffix}"
        result = runner.invoke(app, ["report", str(examples_dir), "-o", str(out), "-q"])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == REPORT_SCHEMA_VERSION
    assert "<html" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_bad_inputs_are_named_and_the_rest_is_reported(tmp_path: Path, mixed_inputs: Path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["report", str(mixed_inputs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    errors = result.stderr
    assert "Traceback" not in errors
    assert "empty.txt: empty file" in errors
    assert "photo.html: binary content (looks like a PNG image)" in errors
    assert "binary.txt: binary content" in errors
    assert "feed.jsonl:2: invalid JSON" in errors
    assert "feed.jsonl:1: only 9 characters of article text" in errors
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["articles"]) == 2
    assert len(data["rejections"]) == 5


def test_strict_fails_on_any_rejection(tmp_path: Path, mixed_inputs: Path) -> None:
    result = runner.invoke(
        app, ["report", str(mixed_inputs), "--strict", "-o", str(tmp_path / "r.md")]
    )
    assert result.exit_code == 1
    assert "--strict" in result.stderr


def test_nothing_processable_is_one_line_and_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(
        app, ["report", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt")]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "missing.txt: no such file or directory" in result.stderr
    assert "newsfuse: error: nothing could be processed: 2 input(s) rejected" in result.stderr


def test_bad_setting_and_format_are_one_line(tmp_path: Path, examples_dir: Path) -> None:
    result = runner.invoke(app, ["report", str(examples_dir), "--set", "summarize.nope=1"])
    assert result.exit_code == 1
    assert "unknown setting 'summarize.nope'" in result.stderr
    result = runner.invoke(app, ["report", str(examples_dir), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2  # a usage error, found before any work
    assert "r.pdf" in result.stderr
    assert "Traceback" not in result.stderr


def test_stdin_and_stdout(examples_dir: Path) -> None:
    text = (examples_dir / "02_calderra-press-agency.txt").read_bytes()
    result = runner.invoke(app, ["report", "-", "--format", "json", "-q"], input=text)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["articles"][0]["origin"] == "<stdin>"


@pytest.mark.parametrize("value", ["last-week", "2025-02-30", "no-such-report.json"])
def test_bad_since_is_one_line_and_exit_2(tmp_path: Path, examples_dir: Path, value: str) -> None:
    result = runner.invoke(app, ["report", str(examples_dir), "--since", value, "-q"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and value in lines[0] and lines[0].startswith("newsfuse: error:")


@pytest.mark.parametrize("value", ["12/03/2026", "9999-12-31", '2025-10-3"0'])
def test_a_bad_reference_date_names_the_option_typed(examples_dir: Path, value: str) -> None:
    """Not "--set: extract.reference_date …": the user typed --reference-date."""
    result = runner.invoke(app, ["report", str(examples_dir), "--reference-date", value, "-q"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"newsfuse: error: --reference-date {value!r}:")
    assert "--set" not in lines[0]


def test_since_a_file_that_is_not_a_report_is_exit_2(tmp_path: Path, examples_dir: Path) -> None:
    other = tmp_path / "package.json"
    other.write_text('{"name": "not a report"}', encoding="utf-8")
    result = runner.invoke(app, ["report", str(examples_dir), "--since", str(other), "-q"])
    assert result.exit_code == 2
    assert "not a newsfuse report" in result.output and str(other) in result.output


def test_since_previous_report_end_to_end(tmp_path: Path, examples_dir: Path) -> None:
    day1 = [str(p) for p in sorted(examples_dir.iterdir()) if p.name[:3] in {"01_", "02_"}]
    first = tmp_path / "day1.json"
    assert runner.invoke(app, ["report", *day1, "-o", str(first), "-q"]).exit_code == 0
    later = [*day1, str(examples_dir / "05_calderra-today.html")]
    out = tmp_path / "update.md"
    result = runner.invoke(app, ["report", *later, "--since", str(first), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("## What's new since"))
    assert heading.endswith("day1.json")  # the path, Markdown-escaped
    assert "1 of 3 article(s) were not in the previous report" in text


def test_version_needs_no_command() -> None:
    from newsfuse import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


def test_hostile_lines_and_names_cost_only_themselves(tmp_path: Path, examples_dir: Path) -> None:
    """Each of these ended `report` with exit 70 and no report: a date in year 9999 or year 1, an
    article '900000 weeks ago', a lone surrogate, 100,000 brackets, a 5,000-digit number, a file
    name in Latin-1 bytes.  Now each bad line is one line naming file and line; the rest is reported."""
    text = (examples_dir / "02_calderra-press-agency.txt").read_text(encoding="utf-8")
    other = (examples_dir / "04_eastshore-daily.txt").read_text(encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "\n".join(
            [
                json.dumps({"text": text, "published_at": "9999-12-31"}),
                json.dumps({"text": text, "published_at": "0001-01-01"}),
                json.dumps(
                    {"text": text + " It began 900000 weeks ago.", "published_at": "2025-10-30"}
                ),
                json.dumps({"text": other + " \ud83d", "title": "Half \ud83d"}),
                '{"text": "x", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}",
                '{"text": "x", "big": ' + "9" * 5000 + "}",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    latin = tmp_path / os.fsdecode(b"caf\xe9.txt")
    latin.write_bytes((examples_dir / "01_merrow-herald.txt").read_bytes())
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["report", str(feed), str(latin), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert f"{feed}:1: 'published_at' is not a believable date: '9999-12-31'" in result.stderr
    assert f"{feed}:2: 'published_at' is not a believable date: '0001-01-01'" in result.stderr
    assert f"{feed}:5: invalid JSON: nested too deeply to read" in result.stderr
    assert f"{feed}:6: invalid JSON: Exceeds the limit (4300 digits)" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    origins = sorted(a["origin"] for a in data["articles"])
    assert origins == sorted([f"{feed}:3", f"{feed}:4", str(tmp_path / "caf\\xe9.txt")])
    assert sorted(os.listdir(tmp_path)) == sorted(["feed.jsonl", latin.name, "report.json"])


def test_unwritable_output_is_one_line_and_leaves_no_temporary_file(
    tmp_path: Path, examples_dir: Path
) -> None:
    out = tmp_path / "taken.md"
    out.mkdir()  # a directory where the report should go
    result = runner.invoke(
        app, ["report", str(examples_dir / "01_merrow-herald.txt"), "-o", str(out), "-q"]
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [f"newsfuse: error: {out}: is a folder, not a file to write the report to"]
    assert os.listdir(tmp_path) == ["taken.md"]


@pytest.mark.parametrize(
    ("target", "extra", "says"),
    [
        ("report.pdf", [], "cannot tell the output format"),
        ("report.json", ["-f", "html"], "the extension says json but the format asked for is html"),
        ("missing/report.json", [], "no such folder"),
    ],
)
def test_a_bad_output_is_refused_before_any_work(
    tmp_path: Path, examples_dir: Path, target: str, extra: list[str], says: str
) -> None:
    """-o and --format are checked before the run (exit 2, one line, nothing written), not after
    the articles were read and analysed."""
    out = tmp_path / target
    result = runner.invoke(app, ["report", str(examples_dir), "-o", str(out), *extra])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0] and lines[0].startswith("newsfuse: error:")
    assert "skipped" not in result.output and "wrote" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_explicit_format_may_name_a_file_without_a_known_extension(
    tmp_path: Path, examples_dir: Path
) -> None:
    out = tmp_path / "report.txt"
    result = runner.invoke(app, ["report", str(examples_dir), "-o", str(out), "-f", "md", "-q"])
    assert result.exit_code == 2 and "unknown output format 'md'" in result.output
    result = runner.invoke(
        app, ["report", str(examples_dir), "-o", str(out), "-f", "markdown", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize(
    "setting",
    [
        "extract.batch_size=0",
        "extract.max_chars_per_chunk=0",
        "run.workers=0",
        "summarize.brief_sentences=0",
    ],
)
def test_settings_that_could_never_finish_fail_fast(examples_dir: Path, setting: str) -> None:
    result = runner.invoke(app, ["report", str(examples_dir), "--set", setting, "-q"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    key = setting.split("=")[0]
    assert key in result.output and "at least 1" in result.output


def test_a_file_name_cannot_forge_output_lines(tmp_path: Path, examples_dir: Path) -> None:
    """A newline or an escape sequence in a file name is shown escaped, never obeyed."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "01.txt").write_bytes((examples_dir / "01_merrow-herald.txt").read_bytes())
    (folder / "x\nnewsfuse: wrote forged.md: 9 article(s)\x1b[2J.txt").write_bytes(b"")
    result = runner.invoke(app, ["report", str(folder), "-o", str(tmp_path / "r.md")])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert not any(line.startswith("newsfuse: wrote forged") for line in lines), lines
    assert "\x1b" not in result.stderr
    (skipped,) = [line for line in lines if line.startswith("newsfuse: skipped")]
    assert "x\\nnewsfuse: wrote forged.md" in skipped and "\\x1b[2J" in skipped


def test_a_line_number_is_not_turned_into_an_emoji(tmp_path: Path) -> None:
    """Rich read "feed.jsonl:100: …" as the emoji code ":100:" and printed 💯 for the line number."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n" * 99 + '{"text": 1}\n', encoding="utf-8")
    result = runner.invoke(app, ["report", str(feed), "-q"])
    assert f"{feed}:100: " in result.stderr
    assert "\N{HUNDRED POINTS SYMBOL}" not in result.stderr


def test_help_shows_the_format_choices_and_the_shape_of_set() -> None:
    """Help used to show `<str>` / `<list[str]>` where the user needs the accepted values."""
    result = runner.invoke(app, ["report", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    format_line = next(line for line in result.output.splitlines() if "--format" in line)
    assert "json|markdown|html" in format_line
    set_line = next(line for line in result.output.splitlines() if "--set" in line)
    assert "SECTION.KEY=VALUE" in set_line and "list[str]" not in set_line
