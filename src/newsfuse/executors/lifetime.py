"""Worker processes that die with the process that started them.

A pool worker blocks on a pipe waiting for work.  When its parent is killed (``kill -9``, the OOM
killer, a container stop) nothing ever writes to that pipe again, and before this module the
workers of ``newsfuse ingest --workers N`` stayed alive forever (re-parented to PID 1, each holding
a loaded spaCy model, some hundreds of MB).  :func:`tie_to_parent` is the pool's initializer and
makes that impossible twice over:

* on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the moment its parent
  dies, whatever the worker is doing.  The kernel ties this to the parent *thread* that forked the
  worker, so it is only asked for when the pool was started from the main thread (whose end is the
  process's end); a pool started from a short-lived thread relies on the watchdog alone;
* everywhere, a daemon watchdog thread that exits the worker once ``os.getppid()`` is no longer
  the parent's id (an orphan is re-parented), checked every :data:`WATCH_SECONDS`.

Workers also leave SIGINT and SIGTERM to the parent: Ctrl-C reaches the whole process group, and a
worker that raised ``KeyboardInterrupt`` on its own would break the pool mid-batch instead of
letting the parent stop cleanly; the parent's SIGTERM handler (which ``fork`` copies into the
worker) must not run in a worker either.  The parent stops its workers itself when it stops.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

__all__ = ["WATCH_SECONDS", "tie_to_parent"]

WATCH_SECONDS = 0.5
"""How often the watchdog looks at the parent id: an orphaned worker lives at most this long
where ``PR_SET_PDEATHSIG`` is not available."""

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def tie_to_parent(parent_pid: int, kernel_signal: bool) -> None:
    """Pool initializer: end this worker when ``parent_pid`` ends (see the module).

    ``kernel_signal`` asks for ``PR_SET_PDEATHSIG`` (Linux only; pass it only for a pool started
    from the parent's main thread).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if kernel_signal and sys.platform == "linux":
        _ask_kernel_to_kill_on_parent_death()
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(
        target=_exit_when_orphaned, args=(parent_pid,), name="newsfuse-parent-watchdog", daemon=True
    ).start()


def _ask_kernel_to_kill_on_parent_death() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no libc prctl here: the watchdog alone covers it
        pass


def _exit_when_orphaned(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)  # no cleanup: the parent that would wait for it is gone
