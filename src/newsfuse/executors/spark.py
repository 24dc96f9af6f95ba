"""Apache Spark as an executor: per-item work mapped over a cluster, and a session to run it on.

``pip install 'newsfuse[spark]'`` (PySpark; Java 17 on every machine).  This module only runs what
it is handed: :class:`SparkExecutor` maps a picklable callable over items in input order, as
:class:`~newsfuse.executors.local.LocalExecutor` does in a process pool.  The corpus run on Spark,
which keeps data distributed between its stages, is corpus code (:mod:`newsfuse.corpus.spark`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["SparkExecutor", "local_session"]

T = TypeVar("T")
R = TypeVar("R")


def local_session(
    master: str = "local[2]", app_name: str = "newsfuse", **conf: str
) -> SparkSession:
    """A SparkSession whose Python workers run this interpreter (so they import this newsfuse).

    For ``local[N]`` runs, tests and benchmarks.  On a cluster use ``spark-submit`` (see
    docs/spark.md), which sets the master and ships the package; ``SparkSession.builder`` then
    picks that configuration up.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "8",
        **conf,
    }
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkExecutor:
    """The :class:`~newsfuse.executors.base.Executor` protocol on Spark: ``map`` in input order.

    Lets the single-story pipeline (``pipeline.run``) spread per-article work over a cluster; the
    corpus run (:mod:`newsfuse.corpus.spark`) keeps data on the executors between stages instead.
    """

    def __init__(self, spark: SparkSession, partitions: int | None = None) -> None:
        self.spark = spark
        self.partitions = partitions

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Yield ``fn(item)`` for each item, in the order of ``items``."""
        if not items:
            return iter(())
        slices = self.partitions or self.spark.sparkContext.defaultParallelism
        rdd = self.spark.sparkContext.parallelize(list(items), min(slices, len(items)))
        return iter(rdd.map(fn).collect())
