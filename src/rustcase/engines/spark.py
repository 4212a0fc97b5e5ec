"""The checks run by Spark: the same SQL as DuckDB's, as Spark jobs over the Parquet files
(``rustcase[spark]``; needs Java). Locally in Spark's local mode, or on a cluster through spark-submit."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from rustcase.engines import Source, sql
from rustcase.errors import MissingExtraError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def session() -> SparkSession:
    """The running SparkSession (under spark-submit), else a local one."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtraError("pyspark", "spark") from None
    builder = SparkSession.builder.appName("rustcase validate")
    builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    spark = builder.config("spark.sql.shuffle.partitions", "8").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkBackend(sql.SqlBackend):
    """`rustcase.engines.Backend` on a SparkSession."""

    dialect = sql.SPARK

    def __init__(self, spark: SparkSession | None = None) -> None:
        from pyspark.errors import PySparkException

        self.spark = spark or session()
        self.views: dict[str, str] = {}
        self.given: dict[str, str] = {}  # the absolute path Spark reports -> the path in `Source.files`
        self.errors: tuple[type[Exception], ...] = (PySparkException,)

    def view(self, source: Source) -> str:
        from pyspark.sql import functions as F

        name = f"rustcase_{source.table}"
        if source.table not in self.views:
            files = tuple(map(os.path.abspath, source.files))  # the JVM's working directory may be another
            self.given.update(zip(files, source.files, strict=True))
            reader = self.spark.read
            if source.hive:
                reader = reader.option("basePath", str(_common(files)))
            frame = reader.parquet(*files)
            frame = frame.select(
                *[F.col(f"`{c}`") for c in frame.columns],
                F.col("_metadata.file_path").alias("__file"),
                F.col("_metadata.row_index").alias("__row"),
            )
            frame.createOrReplaceTempView(name)
            self.views[source.table] = name
        return name

    def fetch(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        frame = self.spark.sql(query)
        rows = [tuple(r.asDict(recursive=True).values()) for r in frame.collect()]  # nested rows as dicts
        if frame.columns[0] == "__file":
            rows = [(self.given.get(_local(r[0]), _local(r[0])), *r[1:]) for r in rows]
        return frame.columns, rows


def _local(uri: str) -> str:
    """A local path from the ``file:`` URI Spark reports (``file:///a%20b`` is ``/a b``)."""
    import re

    if not uri.startswith("file:"):
        return uri
    path = re.sub(r"^file:(//)?", "", uri).encode()
    return re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), path).decode()


def _common(files: tuple[str, ...]) -> str:
    """The table's directory: the files' common parent above every ``key=value`` directory."""
    import os.path

    parent = os.path.commonpath(files)
    while "=" in os.path.basename(parent):
        parent = os.path.dirname(parent)
    return parent
