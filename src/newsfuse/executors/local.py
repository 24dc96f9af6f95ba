"""Run per-item work in this process, or in a pool of worker processes.

With one worker everything runs in-process (no pickling, easiest to debug).  With more, items go to a
``ProcessPoolExecutor``; stage objects are light and picklable and load their models once per worker
process (see :func:`newsfuse.stages.extract.nlp.load_nlp`), so the pool pays model loading once per
worker, not per item.  Results always come back in input order, so output does not depend on
scheduling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = ["LocalExecutor"]

T = TypeVar("T")
R = TypeVar("R")


class LocalExecutor:
    """In-process (``workers == 1``) or process-pool (``workers > 1``) execution."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in input order."""
        if self.workers == 1 or len(items) <= 1:
            for item in items:
                yield fn(item)
            return
        with ProcessPoolExecutor(max_workers=min(self.workers, len(items))) as pool:
            yield from pool.map(fn, items)
