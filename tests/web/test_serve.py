"""``newsfuse serve`` and the pieces it sets up: the token, upload names, loopback detection."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfuse.cli import app
from newsfuse.web.auth import TOKEN_ENV, load_or_create_token, same_token
from newsfuse.web.config import is_loopback
from newsfuse.web.jobs import clean_file_name

runner = CliRunner()


def test_serve_refuses_a_missing_store_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--store", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "none.db: no such file" in lines[0]


def test_serve_has_help_naming_the_token() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "NEWSFUSE_TOKEN" in result.output


def test_a_generated_token_is_kept_private_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    path = tmp_path / "store.db.token"
    token, made = load_or_create_token(path)
    assert made and len(token) >= 24
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_token(path) == (token, False)


def test_the_environment_token_wins_and_must_be_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TOKEN_ENV, "an-operator-chosen-token")
    assert load_or_create_token(tmp_path / "t") == ("an-operator-chosen-token", False)
    assert not (tmp_path / "t").exists()
    monkeypatch.setenv(TOKEN_ENV, "short")
    with pytest.raises(ValueError, match="shorter than 16"):
        load_or_create_token(None)


def test_tokens_compare_exactly() -> None:
    assert same_token("abc-0123456789abcdef", "abc-0123456789abcdef")
    assert not same_token("abc-0123456789abcdeX", "abc-0123456789abcdef")
    assert not same_token(None, "abc-0123456789abcdef")
    assert not same_token("", "abc-0123456789abcdef")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\\\Users\\\\me\\\\report.HTML", "report.html"),
        ("a b<c>.htm", "a_b_c.htm"),
        (".hidden.txt", "hidden.txt"),
        ("noext", "noext"),
    ],
)
def test_upload_names_lose_their_paths(given: str, kept: str) -> None:
    assert clean_file_name(given) == kept


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.0.0.2", False),
    ],
)
def test_reads_are_open_only_on_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
