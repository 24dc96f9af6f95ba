"""Corpus runs: many stories at once, in memory (:mod:`.run`) or through a store (:mod:`.ingest`).

run.py       analyse_corpus: the in-memory reference (families, stories, a report per story)
ingest.py    ingest / report_story: the same, streamed into a store in committed batches
families.py  near-duplicate families across ingests, through stored LSH band keys
spark.py     spark_corpus: analyse_corpus's pipeline on Apache Spark (extra: spark; imported only
             by name, so ``import newsfuse.corpus`` never imports PySpark); spark_io.py its I/O
"""

from __future__ import annotations

from newsfuse.corpus.ingest import DEFAULT_BATCH_SIZE, IngestSummary, ingest, report_story
from newsfuse.corpus.run import CorpusResult, analyse_corpus, families_of, report_stories

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "CorpusResult",
    "IngestSummary",
    "analyse_corpus",
    "families_of",
    "ingest",
    "report_stories",
    "report_story",
]
