"""The README's commands work from a fresh clone: every input they name is in the repository (a
clone has no ``../shared``).  That they run is tested with the same inputs in test_cli_store.py."""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[list[str]]:
    """Each ``newsfuse report``/``newsfuse ingest`` command in the README's code blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part.split("  #")[0], comments=True)
                if words[:2] in (["newsfuse", "report"], ["newsfuse", "ingest"]):
                    found.append(words)
    return found


def test_readme_commands_name_only_inputs_a_clone_has() -> None:
    commands = _commands()
    assert len(commands) >= 3
    for words in commands:
        assert not any("../shared" in word for word in words), words
        for word in words[2:]:
            if word.startswith("examples/"):
                assert glob.glob(str(ROOT / word)), f"{word} is not in the repository"
