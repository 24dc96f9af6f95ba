"""Run per-item work in this process, or in a pool of worker processes.

With one worker everything runs in-process (no pickling, easiest to debug).  With more, items go to a
``ProcessPoolExecutor``; stage objects are light and picklable and load their models once per worker
process (see :func:`newsfuse.stages.extract.nlp.load_nlp`), so the pool pays model loading once per
worker, not per item.  Results always come back in input order, so output does not depend on
scheduling.

By default each :meth:`LocalExecutor.map` starts and stops its own pool.  A caller that maps batch
after batch (a corpus ingest) passes ``keep_pool=True`` and calls :meth:`LocalExecutor.close` when
done: one pool, so the workers load spaCy once for the whole run instead of once per batch, and
``map`` submits at once, so the workers can run the next batch while the caller stores this one.
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

    def __init__(self, workers: int = 1, *, keep_pool: bool = False) -> None:
        self.workers = max(1, workers)
        self.keep_pool = keep_pool
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in input order."""
        if self.workers == 1 or (len(items) <= 1 and not self.keep_pool):
            return (fn(item) for item in items)
        if self.keep_pool:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self.workers)
            return self._pool.map(fn, items)  # submitted now; results as they are consumed
        return self._map_in_own_pool(fn, items)

    def close(self) -> None:
        """Stop the kept pool (if any), dropping work not started; a later ``map`` starts a new one."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _map_in_own_pool(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        with ProcessPoolExecutor(max_workers=min(self.workers, len(items))) as pool:
            yield from pool.map(fn, items)
