"""docs/reliability.md names a test for every case it lists: each named test must exist, so the
table cannot keep naming a test that was renamed or removed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def _references(text: str) -> list[tuple[str, str | None]]:
    """(test file, test name or None) for every test the page names; ``::name`` alone continues
    the file named before it in the same cell."""
    found: list[tuple[str, str | None]] = []
    for line in text.splitlines():
        current: str | None = None
        for cell in line.split(" | "):
            for match in re.finditer(r"`(tests/[\w/]+\.py)?(?:::(\w+))?(?:\[[^\]]*\])?`", cell):
                file, name = match.group(1), match.group(2)
                if file is None and name is None:
                    continue
                current = file or current
                assert current is not None, f"{match.group(0)} names no file: {line}"
                found.append((current, name))
    return found


def test_every_test_the_reliability_page_names_exists() -> None:
    references = _references((ROOT / "docs" / "reliability.md").read_text(encoding="utf-8"))
    assert len(references) > 50
    missing = []
    for file, name in references:
        path = ROOT / file
        if not path.is_file() or (name is not None and name not in _test_names(path)):
            missing.append(f"{file}::{name}" if name else file)
    assert missing == []
