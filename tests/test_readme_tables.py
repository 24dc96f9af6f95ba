"""README's accuracy and speed tables are the benchmark scripts' output, never hand-typed.

Every ``benchmarks/results/<name>.md`` has a ``<!-- bench:<name> -->`` block in README.md whose
content is exactly what ``benchmarks/update_readme.py`` puts there; a hand edit of a figure in the
README, or a re-run benchmark whose result was not copied, fails here.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _update_readme() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_readme", ROOT / "benchmarks" / "update_readme.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_result_block_in_the_readme_is_the_scripts_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme_part = _update_readme().readme_part
    results = sorted((ROOT / "benchmarks" / "results").glob("*.md"))
    assert results
    for result in results:
        name = result.stem
        block = re.search(rf"<!-- bench:{name} -->\n(.*?)<!-- /bench:{name} -->", readme, re.DOTALL)
        assert block is not None, f"README.md has no block for benchmarks/results/{name}.md"
        assert block.group(1) == readme_part(result.read_text(encoding="utf-8")), (
            f"README.md's {name} block differs from benchmarks/results/{name}.md: "
            "run python benchmarks/update_readme.py"
        )


def test_result_titles_are_dropped_and_sections_nested_and_the_tail_kept_out() -> None:
    readme_part = _update_readme().readme_part
    text = (
        "# Title\n\nCommand: x\n\n## Part\n\n| a |\n\n<!-- readme:end -->\n\n## Constants\n\n1.0\n"
    )
    assert readme_part(text) == "Command: x\n\n#### Part\n\n| a |\n"
