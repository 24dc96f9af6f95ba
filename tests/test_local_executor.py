"""The local executor's kept pool (results in input order, recycled workers), workers that end with
their parent, and the executors package holding only executors."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
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


def _gone(pid: int) -> bool:
    """Whether ``pid`` has ended (a zombie waiting to be reaped counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


_ORPHAN_SCRIPT = """
import os, sys, time
from newsfuse.executors.lifetime import tie_to_parent
parent = os.getpid()
child = os.fork()
if child == 0:
    tie_to_parent(parent, kernel_signal=False)
    while True:
        time.sleep(1)
print(child, flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="watches the worker through /proc")
def test_the_watchdog_alone_ends_a_worker_whose_parent_was_killed() -> None:
    """Where the kernel cannot be asked to kill a worker with its parent (not Linux, or a pool
    started from a thread other than the main one), the watchdog thread ends the orphan."""
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert not _gone(worker)
    finally:
        parent.kill()
        parent.wait(timeout=30)
    deadline = time.monotonic() + 30
    while not _gone(worker):
        assert time.monotonic() < deadline, f"worker {worker} outlived its parent"
        time.sleep(0.05)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_executors_hold_only_executors() -> None:
    """Executors run what they are handed: no module under ``executors/`` imports a stage, the
    pipeline or the corpus code (the Spark corpus runner lives in ``newsfuse.corpus.spark``)."""
    folder = Path(__file__).resolve().parents[1] / "src" / "newsfuse" / "executors"
    allowed = {"newsfuse.executors.base", "newsfuse.executors.lifetime", "newsfuse.executors.local"}
    for module in sorted(folder.glob("*.py")):
        first_party = {name for name in _imported_modules(module) if name.startswith("newsfuse")}
        assert first_party <= allowed, f"{module.name} imports {sorted(first_party - allowed)}"
