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
A kept pool can be recycled every ``recycle_after`` maps: a worker that parses for hours grows
(spaCy's string store keeps every string it has seen), and a fresh worker starts from the parent's
pages again.  Results are unchanged: each item's result depends on the item alone.

Every pool's workers are tied to this process (:mod:`newsfuse.executors.lifetime`): they end when
it ends, even by ``kill -9``, and they leave Ctrl-C and SIGTERM to it.  A caller stopped by a
signal calls :meth:`LocalExecutor.abort`, which kills the workers at once instead of waiting for
the work they hold (their results would be thrown away anyway).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from newsfuse.executors.lifetime import tie_to_parent

__all__ = ["LocalExecutor"]

T = TypeVar("T")
R = TypeVar("R")


class LocalExecutor:
    """In-process (``workers == 1``) or process-pool (``workers > 1``) execution."""

    def __init__(
        self, workers: int = 1, *, keep_pool: bool = False, recycle_after: int | None = None
    ) -> None:
        if recycle_after is not None and recycle_after < 1:
            raise ValueError("recycle_after must be at least 1")
        self.workers = max(1, workers)
        self.keep_pool = keep_pool
        self.recycle_after = recycle_after
        self._pool: ProcessPoolExecutor | None = None
        self._maps = 0  # maps sent to the current kept pool

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in input order."""
        if self.workers == 1 or (len(items) <= 1 and not self.keep_pool):
            return (fn(item) for item in items)
        if self.keep_pool:
            if self.recycle_after is not None and self._maps >= self.recycle_after:
                self._retire()
            if self._pool is None:
                self._pool = _tied_pool(self.workers)
                self._maps = 0
            self._maps += 1
            return self._pool.map(fn, items)  # submitted now; results as they are consumed
        return self._map_in_own_pool(fn, items)

    def close(self) -> None:
        """Stop the kept pool (if any), dropping work not started; a later ``map`` starts a new one."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def abort(self) -> None:
        """Kill the kept pool's workers now (the caller is being stopped); ``map`` may start anew."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            _kill_workers(pool)

    def _retire(self) -> None:
        """Let the kept pool finish what it was given, then stop its workers.

        Waiting (rather than starting the new pool at once) keeps at most ``workers`` processes
        alive, so memory never holds two pools; the maps already returned still yield their
        results, which their futures keep.  It costs one batch without overlap and a model load
        per worker, every ``recycle_after`` maps.
        """
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def _map_in_own_pool(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        pool = _tied_pool(min(self.workers, len(items)))
        try:
            yield from pool.map(fn, items)
        except BaseException:  # stopped, or the consumer gave up: the rest is not wanted
            _kill_workers(pool)
            raise
        pool.shutdown(wait=True)


def _tied_pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers end with this process (see :mod:`newsfuse.executors.lifetime`)."""
    from_main_thread = threading.current_thread() is threading.main_thread()
    return ProcessPoolExecutor(
        max_workers=workers, initializer=tie_to_parent, initargs=(os.getpid(), from_main_thread)
    )


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` without waiting for the work its workers hold."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # no public handle in 3.11
    for process in workers:
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
