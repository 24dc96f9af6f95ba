"""Every setting is documented, from the classes: ``newsfuse config show`` and docs/settings.md."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfuse.cli import app
from newsfuse.config import Settings, all_keys, load_settings
from newsfuse.settings_doc import settings_markdown, settings_toml

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_has_one_line_of_help() -> None:
    for section in fields(Settings):
        for item in fields(getattr(Settings(), section.name)):
            help_text = item.metadata.get("help", "")
            assert help_text and "\n" not in help_text, f"{section.name}.{item.name}"


def test_docs_settings_md_is_generated_from_the_classes() -> None:
    """A setting added or changed without `python benchmarks/update_readme.py` fails here."""
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert text == settings_markdown()
    for key in all_keys():
        assert f"`{key}`" in text


def test_config_show_is_a_settings_file_that_loads_back(tmp_path: Path) -> None:
    """What `config show` prints can be saved as newsfuse.toml and gives the same settings."""
    settings = load_settings(overrides=["cluster.members=5", "ingest.exclude=['*.md']"])
    shown = settings_toml(settings)
    assert (
        "members = 5  # Recent articles per story the learned scorer compares with. (default: 4)"
        in shown
    )
    path = tmp_path / "newsfuse.toml"
    path.write_text(shown, encoding="utf-8")
    assert tomllib.loads(shown)["cluster"]["members"] == 5
    assert load_settings(path) == settings


def test_config_show_reads_the_working_folder_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "newsfuse.toml").write_text("[summarize]\nbrief_sentences = 4\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSFUSE_HTTP_DELAY", "2.5")
    result = CliRunner().invoke(app, ["config", "show", "--set", "run.workers=3"])
    assert result.exit_code == 0, result.output
    assert "brief_sentences = 4  # Sentences in the cited brief. (default: 8)" in result.stdout
    assert "delay = 2.5  #" in result.stdout
    assert "workers = 3  #" in result.stdout


def test_config_show_names_a_mistyped_key_and_its_nearest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["config", "show", "--set", "cluster.membrs=3"])
    assert result.exit_code == 1
    assert "unknown setting 'cluster.membrs' (did you mean 'cluster.members'?)" in result.stderr
