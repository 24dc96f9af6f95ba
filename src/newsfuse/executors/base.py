"""The executor interface: how per-item work is run.

The pipeline only ever asks an executor to map a picklable callable over items, in order.  The local
executor does that in-process or in a process pool; a distributed executor does it on a cluster.  The
stage code is the same object in every case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

__all__ = ["Executor"]

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs ``fn`` over ``items`` and yields results in input order."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in the order of ``items``."""
        ...
