"""Copy the benchmark tables the scripts wrote into README.md, so no figure is ever typed by hand.

Each ``benchmarks/<name>.py`` writes ``benchmarks/results/<name>.md``; README.md holds
``<!-- bench:<name> -->`` … ``<!-- /bench:<name> -->`` markers.  Run after re-running a benchmark:

    python benchmarks/update_readme.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    for result in sorted((ROOT / "benchmarks" / "results").glob("*.md")):
        name = result.stem
        block = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.DOTALL)
        table = result.read_text(encoding="utf-8").strip() + "\n"
        text, count = block.subn(lambda m, t=table: m.group(1) + t + m.group(2), text)
        print(f"{name}: {'updated' if count else 'no marker in README.md'}")
    readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
