"""newsfuse's error hierarchy.

Two kinds of failure, handled differently on purpose:

* **Run-level errors** raise a :class:`NewsfuseError` subclass.  The CLI prints its message as one line
  and exits non-zero; ``--debug`` shows the traceback.

  - :class:`ConfigError` – a settings file or ``--set`` override is wrong (names the file and key).
  - :class:`InputError` – no input could be read at all, or ``--strict`` met a rejection.
  - :class:`OutputError` – the output cannot be written (unknown format, unwritable path).
  - :class:`MissingExtraError` – an optional piece is needed; the message says which ``pip install``.

* **Per-item problems** (an empty file, a malformed JSONL line, a page with no article) are not
  exceptions that escape: stages turn them into :class:`newsfuse.models.Rejection` values that are counted
  and reported while the other inputs go on.  :class:`ItemError` is raised *inside* a stage to carry such
  a reason to the place that turns it into a Rejection.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "InputError",
    "ItemError",
    "MissingExtraError",
    "NewsfuseError",
    "OutputError",
]


class NewsfuseError(Exception):
    """Base class of every error newsfuse raises on purpose."""


class ConfigError(NewsfuseError):
    """A settings file, key or value is invalid."""


class InputError(NewsfuseError):
    """The run's input as a whole cannot be used."""


class OutputError(NewsfuseError):
    """An output cannot be produced or written."""


class MissingExtraError(NewsfuseError):
    """An optional dependency is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs an optional extra: pip install 'newsfuse[{extra}]'")


class ItemError(NewsfuseError):
    """One input item cannot be processed; becomes a Rejection naming the item and the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
