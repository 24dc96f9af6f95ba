"""Opening a named input so that no name can hang or flood a run.

Every reader of a named file (plain files, JSONL, feeds, web archives, URL lists) opens it here:

* a **device** (``/dev/zero`` named ``x.jsonl``, ``/dev/urandom``, a socket) is refused before a
  byte is read: it never ends, so a reader's size cap is the only thing that would stop it, and a
  line-by-line reader skipping an over-long line would never stop at all;
* a **FIFO** is opened without blocking and then read normally: with no writer, ``open()`` would
  wait forever, while this way it reads as an empty file (and is rejected as empty); with a
  writer (``newsfuse report <(zcat day.jsonl.gz)``) it streams as before.

Regular files are unaffected.  Readers still cap what they read (``ingest.max_bytes``).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from newsfuse.errors import ItemError

__all__ = ["open_input"]

_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def open_input(path: Path) -> BinaryIO:
    """``path`` opened for binary reading; never blocks in ``open()``.

    Raises :class:`OSError` as ``open()`` would (missing, permission, a directory) and
    :class:`~newsfuse.errors.ItemError` for a device or socket.
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        for test, kind in _KINDS:
            if test(mode):
                raise ItemError(f"not a regular file ({kind}); newsfuse reads files, pipes and -")
        os.set_blocking(descriptor, True)  # a FIFO with a writer is then read like a file
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
