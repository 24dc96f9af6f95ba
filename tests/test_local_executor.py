"""The local executor's kept pool: results in input order, and recycled workers every few maps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsfuse.executors.local import LocalExecutor

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _words_and_pid(path: Path) -> tuple[int, int]:
    """A real per-item job (count a seed's words) and the process that ran it."""
    return len(path.read_text(encoding="utf-8").split()), os.getpid()


def test_a_kept_pool_is_replaced_after_recycle_after_maps_and_results_do_not_change() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    seeds = sorted(SEEDS.iterdir())
    expected = [len(p.read_text(encoding="utf-8").split()) for p in seeds]
    executor = LocalExecutor(2, keep_pool=True, recycle_after=2)
    try:
        runs = [executor.map(_words_and_pid, seeds) for _ in range(4)]  # all submitted first
        results = [list(run) for run in runs]
    finally:
        executor.close()
    assert all([words for words, _ in result] == expected for result in results)
    pids = [{pid for _, pid in result} for result in results]
    assert os.getpid() not in set().union(*pids)  # the work ran in the workers
    assert not (pids[0] | pids[1]) & (pids[2] | pids[3])  # maps 3 and 4 ran in fresh workers


def test_recycle_after_must_be_positive() -> None:
    with pytest.raises(ValueError, match="recycle_after"):
        LocalExecutor(2, keep_pool=True, recycle_after=0)
