"""Choose an output format and write the report, atomically.

The CLI, the API and scripts all end here, so the rules live in one place: an explicit format wins,
otherwise the file extension decides, and with neither (printing to stdout) the human-readable
Markdown is the default.  A file is written to a temporary sibling and moved into place with
``os.replace``, so a reader (or a crash half way) never sees a half-written report and an existing
report is only replaced by a complete one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from newsfuse.errors import OutputError
from newsfuse.models import Report
from newsfuse.outputs.html import render_html
from newsfuse.outputs.json import render_json
from newsfuse.outputs.markdown import render_markdown

__all__ = ["FORMATS", "check_output", "format_for", "render", "write_report"]

FORMATS: dict[str, Callable[[Report], str]] = {
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
}
_EXTENSIONS = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
_DEFAULT_FORMAT = "markdown"


def format_for(path: Path | None, fmt: str | None) -> str:
    """Return the format to write: ``fmt`` if given, else from ``path``'s extension, else Markdown.

    Raises :class:`OutputError` naming the path (or the format) and what is allowed, because a
    report silently written in the wrong format is worse than no report.
    """
    allowed = ", ".join(FORMATS)
    if fmt is not None:
        name = fmt.strip().lower()
        if name not in FORMATS:
            where = f" for {path}" if path is not None else ""
            raise OutputError(f"unknown output format {fmt!r}{where}; use one of: {allowed}")
        implied = _EXTENSIONS.get(path.suffix.lower()) if path is not None else None
        if implied is not None and implied != name:
            raise OutputError(
                f"{path}: the extension says {implied} but the format asked for is {name}; "
                "change one of them"
            )
        return name
    if path is None:
        return _DEFAULT_FORMAT
    name_for_suffix = _EXTENSIONS.get(path.suffix.lower())
    if name_for_suffix is None:
        suffixes = ", ".join(_EXTENSIONS)
        raise OutputError(
            f"cannot tell the output format of {path} from its extension; use one of {suffixes} "
            f"or pass a format ({allowed})"
        )
    return name_for_suffix


def check_output(path: Path | None, fmt: str | None) -> str:
    """The format to write, after checking that ``path`` can be written there, before any work:
    a report that would be refused at the end should be refused at the start."""
    name = format_for(path, fmt)
    if path is not None:
        folder = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise OutputError(f"{path}: is a folder, not a file to write the report to")
        if not folder.is_dir():
            raise OutputError(f"{path}: no such folder {folder} to write the report in")
        if not os.access(folder, os.W_OK):
            raise OutputError(f"{path}: folder {folder} is not writable")
    return name


def render(report: Report, fmt: str) -> str:
    """Render the report in a format named as in :data:`FORMATS`."""
    return FORMATS[format_for(None, fmt)](report)


def write_report(report: Report, path: Path | None, fmt: str | None = None) -> str:
    """Render the report and, if ``path`` is given, write it there atomically as UTF-8.

    Returns the rendered text in both cases, so a caller printing to stdout (``path=None``) and one
    writing a file share one call.  Raises :class:`OutputError` for an unknown format or a path that
    cannot be written, naming the path and the reason.
    """
    name = format_for(path, fmt)
    text = FORMATS[name](report)
    if path is not None:
        _write_atomically(path, text)
    return text


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary sibling, then move it over ``path``.

    The temporary file is removed on *any* failure (a full disk, an interrupt, a bug), not only an
    ``OSError``: a crashed run used to leave ``.NAME.PID.HEX.tmp`` files beside the reports.  The
    text is encoded before the file is created, so text no UTF-8 file can hold (a lone surrogate
    that slipped past ingest) is one error naming the path, with nothing left behind.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise OutputError(
            f"cannot write {path}: the report holds text that is not valid Unicode "
            f"({exc.reason} at character {exc.start})"
        ) from exc
    # os.open with 0o666 lets the umask decide the final permissions, as a plain open() would;
    # tempfile's 0o600 would leave reports unreadable to the group.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
