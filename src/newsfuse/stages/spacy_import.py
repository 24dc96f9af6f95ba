"""spaCy without torch: the one place newsfuse imports spaCy from.

spaCy's machine-learning library, thinc, imports torch as it is imported whenever torch is
installed (to offer PyTorch layers).  newsfuse's spaCy pipeline never uses them, but with the
``embeddings`` extra installed every run would pay for torch's import, about 1.4 s and 190 MB,
even with embeddings off.  So torch is hidden while thinc decides what it has (``thinc.compat``),
and unhidden at once: the sentence encoder (``transformers``) still imports the real torch when
embeddings are on, and a caller who imported torch first keeps it.
"""

from __future__ import annotations

import sys
from types import ModuleType

__all__ = ["STOP_WORDS", "import_spacy"]


def import_spacy() -> ModuleType:
    """The ``spacy`` module, imported without letting thinc import torch (see the module doc)."""
    if "thinc.compat" not in sys.modules and "torch" not in sys.modules:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail fast
        try:
            import thinc.compat  # noqa: F401  (decides has_torch once, now False)
        finally:
            del sys.modules["torch"]
    import spacy

    return spacy


def _english_stop_words() -> frozenset[str]:
    import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH

    return frozenset(ENGLISH)


STOP_WORDS = _english_stop_words()
"""spaCy's English stop words."""
