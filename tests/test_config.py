"""Settings: defaults, TOML files and --set overrides, failing fast on mistakes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsfuse.config import Settings, load_settings, settings_hash
from newsfuse.errors import ConfigError


def test_defaults_and_override() -> None:
    settings = load_settings(overrides=["summarize.brief_sentences=3", "ingest.exclude=['*.md']"])
    assert settings.summarize.brief_sentences == 3
    assert settings.ingest.exclude == ("*.md",)
    assert settings_hash(settings) != settings_hash(Settings())


def test_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "newsfuse.toml"
    path.write_text("[summarize]\nsupport_threshold = 0.5\n[run]\nworkers = 2\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.summarize.support_threshold == 0.5
    assert settings.run.workers == 2
    # the number of workers cannot change output, so it does not change the hash
    assert settings_hash(settings) == settings_hash(
        load_settings(overrides=["summarize.support_threshold=0.5"])
    )


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("summarize.brief_sentense=3", "unknown setting 'summarize.brief_sentense'"),
        ("nosuch.key=1", "unknown setting 'nosuch'"),
        ("summarize.brief_sentences=many", "summarize.brief_sentences must be int"),
        ("summarize.brief_sentences=-1", "must not be negative"),
        ("brief_sentences", "expected section.key=value"),
    ],
)
def test_bad_overrides_name_the_key(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("'", "'")):
        load_settings(overrides=[override])


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[summarize\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml: invalid TOML"):
        load_settings(path)
    with pytest.raises(ConfigError, match="missing.toml: cannot read"):
        load_settings(tmp_path / "missing.toml")


def test_stage_sections_are_reachable_from_toml_and_set(tmp_path: Path) -> None:
    path = tmp_path / "corpus.toml"
    path.write_text(
        "[dedupe]\nthreshold = 0.6\n[cluster]\nwindow_days = 3\n[http]\ndelay = 0.5\n"
        "[feed]\nfetch_articles = true\n",
        encoding="utf-8",
    )
    settings = load_settings(path, ["cluster.threshold=0.3"])
    assert settings.dedupe.threshold == 0.6
    assert (settings.cluster.window_days, settings.cluster.threshold) == (3.0, 0.3)
    assert settings.http.delay == 0.5 and settings.feed.fetch_articles is True
    # dedupe and cluster change what is found; http politeness does not change output
    assert settings_hash(load_settings(overrides=["dedupe.threshold=0.6"])) != settings_hash(
        Settings()
    )
    assert settings_hash(load_settings(overrides=["http.delay=0.5"])) == settings_hash(Settings())


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("cluster.entity_weight=1.5", r"--set: cluster: entity_weight must be in \[0, 1\]"),
        ("dedupe.bands=100", r"--set: dedupe: bands x rows \(100 x 4\)"),
        ("cluster.nope=1", "unknown setting 'cluster.nope'"),
        (
            "cluster.merge_linkage=single",
            "--set: cluster: merge_linkage must be one of cosine, graph, graph_learned, learned, link",
        ),
        ("feed.fetch_articles=1", "feed.fetch_articles must be bool"),
        (
            "extract.cue_decision=trees",
            "--set: extract: cue_decision must be one of tagger, context, not 'trees'",
        ),
    ],
)
def test_stage_section_validation_is_a_config_error(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(overrides=[override])


def test_stage_section_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[cluster]\nwindow_days = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{path}: cluster: window_days .* must be positive"):
        load_settings(path)


def test_reference_date_must_be_a_believable_publication_date() -> None:
    """It stands in for a publication date, so the same range holds (year 9999 crashed extract)."""
    assert load_settings(overrides=['extract.reference_date="2025-10-30"'])
    with pytest.raises(ConfigError, match="reference_date must be in the years 1900–2100"):
        load_settings(overrides=['extract.reference_date="9999-12-31"'])


@pytest.mark.parametrize(
    ("override", "suggestion"),
    [
        ("cluster.link_treshold=0.5", "did you mean 'cluster.link_threshold'?"),
        ("summarize.brief_sentense=3", "did you mean 'summarize.brief_sentences'?"),
        ("clustr.window_days=3", "did you mean 'cluster'?"),
    ],
)
def test_an_unknown_key_suggests_the_nearest_known_one(override: str, suggestion: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(suggestion)):
        load_settings(overrides=[override])


def test_precedence_default_file_environment_set(tmp_path: Path) -> None:
    """Each later source wins: newsfuse.toml in the folder, NEWSFUSE_* variables, then --set."""
    (tmp_path / "newsfuse.toml").write_text(
        "[summarize]\nbrief_sentences = 4\nsupport_threshold = 0.3\n[http]\ndelay = 3\n",
        encoding="utf-8",
    )
    environ = {
        "NEWSFUSE_SUMMARIZE_BRIEF_SENTENCES": "5",
        "NEWSFUSE_CLUSTER_LINK_THRESHOLD": "0.5",
        "NEWSFUSE_STORE": "other.db",  # not a setting: left to the commands that read it
        "NEWSFUSE_TEST_POSTGRES_URL": "postgresql://x",
    }
    settings = load_settings(
        None, ["summarize.support_threshold=0.4"], environ=environ, folder=tmp_path
    )
    assert settings.summarize.brief_sentences == 5  # the variable beats the file
    assert settings.summarize.support_threshold == 0.4  # --set beats the file
    assert settings.http.delay == 3.0  # the file beats the default
    assert settings.cluster.link_threshold == 0.5
    # --config replaces the working folder's file; a library call reads neither folder nor variables
    other = tmp_path / "other.toml"
    other.write_text("[summarize]\nbrief_sentences = 6\n", encoding="utf-8")
    assert load_settings(other, folder=tmp_path).http.delay == Settings().http.delay
    assert load_settings(other, folder=tmp_path).summarize.brief_sentences == 6
    assert load_settings() == Settings()


def test_a_bad_environment_variable_is_named() -> None:
    with pytest.raises(ConfigError, match=r"\$NEWSFUSE_HTTP_TIMOUT: .*did you mean 'http.timeout'"):
        load_settings(environ={"NEWSFUSE_HTTP_TIMOUT": "3"})
    with pytest.raises(
        ConfigError, match=r"\$NEWSFUSE_RUN_WORKERS: run: workers must be at least 1"
    ):
        load_settings(environ={"NEWSFUSE_RUN_WORKERS": "0"})


def test_config_does_not_import_the_stages_that_use_it() -> None:
    """The stage sections live in config.py; the stages import them, never the other way round."""
    source = (Path(__file__).resolve().parents[1] / "src/newsfuse/config.py").read_text("utf-8")
    for stage in ("stages.cluster", "stages.dedupe", "stages.ingest"):
        assert f"from newsfuse.{stage}" not in source
    from newsfuse.stages.cluster import ClusterSettings
    from newsfuse.stages.ingest.http import HttpSettings

    assert ClusterSettings is Settings().cluster.__class__
    assert HttpSettings is Settings().http.__class__
