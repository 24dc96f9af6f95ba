"""Every setting with its value, default and one line on what it does, generated from the classes.

``newsfuse config show`` prints it as a TOML file a user can copy into ``newsfuse.toml``;
``docs/settings.md`` is the Markdown form (written by ``python benchmarks/update_readme.py``,
checked by ``tests/test_settings_doc.py``).  Both read the field metadata that
:func:`newsfuse.config.setting` attaches, so a setting without help cannot be added unnoticed.
"""

from __future__ import annotations

import json
from dataclasses import Field, fields
from typing import Any

from newsfuse.config import ENV_PREFIX, WORKING_FOLDER_FILE, Settings

__all__ = ["settings_markdown", "settings_toml", "toml_value"]


def toml_value(value: Any) -> str:
    """A value as TOML writes it (``true``, ``"text"``, ``["*.txt"]``); TOML has no null: ``none``."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return repr(value)


def _help(item: Field[Any]) -> str:
    help_text = item.metadata.get("help")
    if not help_text:
        raise AssertionError(f"setting {item.name!r} has no help: declare it with setting()")
    return str(help_text)


def _summary(section: Any) -> str:
    """The first sentence of a section class's docstring."""
    text = " ".join((type(section).__doc__ or "").split())
    return text.split(". ", 1)[0].rstrip(".") + "."


def settings_toml(settings: Settings) -> str:
    """``settings`` as a commented TOML file; a value that differs from the default says so.

    A setting whose value is ``none`` is written commented out, as TOML cannot say "none".
    """
    defaults = Settings()
    lines: list[str] = []
    for part in fields(Settings):
        section = getattr(settings, part.name)
        default_section = getattr(defaults, part.name)
        lines += [f"[{part.name}]  # {_summary(section)}"]
        for item in fields(section):
            value = getattr(section, item.name)
            default = getattr(default_section, item.name)
            changed = "" if value == default else f" (default: {toml_value(default)})"
            line = f"{item.name} = {toml_value(value)}  # {_help(item)}{changed}"
            lines.append(f"# {line}" if value is None else line)
        lines.append("")
    return "\n".join(lines)


def settings_markdown() -> str:
    """docs/settings.md: every setting, its default and what it does, one table per section."""
    defaults = Settings()
    lines = [
        "# Settings",
        "",
        "Generated from the settings classes in `src/newsfuse/config.py` by "
        "`python benchmarks/update_readme.py`; do not edit by hand. `newsfuse config show` prints "
        "the same settings with the values in effect.",
        "",
        "Where a value comes from, each later one winning: the default below; a TOML file "
        f"(`--config FILE`, else `{WORKING_FOLDER_FILE}` in the working folder); an environment "
        f"variable `{ENV_PREFIX}<SECTION>_<KEY>` (e.g. `{ENV_PREFIX}CLUSTER_LINK_THRESHOLD=0.5`); "
        "`--set section.key=value`, in the order given. Values are read as TOML (numbers, "
        '`true`/`false`, `["lists"]`, quoted strings); an unknown key is an error naming the '
        "nearest known one.",
        "",
    ]
    for part in fields(Settings):
        section = getattr(defaults, part.name)
        lines += [
            f"## [{part.name}]",
            "",
            _summary(section),
            "",
            "| Setting | Default | What it does |",
            "|---|---|---|",
        ]
        for item in fields(section):
            default = toml_value(getattr(section, item.name)).replace("|", r"\|")
            lines.append(f"| `{part.name}.{item.name}` | `{default}` | {_help(item)} |")
        lines.append("")
    return "\n".join(lines)
