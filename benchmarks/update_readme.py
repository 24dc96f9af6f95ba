"""Copy the benchmark tables the scripts wrote into README.md, so no figure is ever typed by hand.

Each ``benchmarks/<name>.py`` writes ``benchmarks/results/<name>.md``; README.md holds
``<!-- bench:<name> -->`` … ``<!-- /bench:<name> -->`` markers.  The README already gives each block
its own ``###`` heading, so a result file's ``# title`` is dropped and its ``##`` sections become
``####``; a result file may end its README part with ``<!-- readme:end -->`` (what follows, such as
fitted constants, stays in the result file only).  It also writes docs/settings.md from the settings
classes (:func:`newsfuse.settings_doc.settings_markdown`).  Run after re-running a benchmark or
changing a setting:

    python benchmarks/update_readme.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from newsfuse.settings_doc import settings_markdown

ROOT = Path(__file__).resolve().parents[1]


README_END = "<!-- readme:end -->"


def readme_part(result: str) -> str:
    """The part of a result file that belongs in README.md, nested under the README's heading."""
    lines = result.split(README_END, 1)[0].strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    nested = ["##" + line if line.startswith("## ") else line for line in lines]
    return "\n".join(nested).strip() + "\n"


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    for result in sorted((ROOT / "benchmarks" / "results").glob("*.md")):
        name = result.stem
        block = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.DOTALL)
        table = readme_part(result.read_text(encoding="utf-8"))
        text, count = block.subn(lambda m, t=table: m.group(1) + t + m.group(2), text)
        print(f"{name}: {'updated' if count else 'no marker in README.md'}")
    readme.write_text(text, encoding="utf-8")
    (ROOT / "docs" / "settings.md").write_text(settings_markdown(), encoding="utf-8")
    print("docs/settings.md: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
