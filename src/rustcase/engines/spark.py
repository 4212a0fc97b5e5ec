"""The checks run by Spark: the same SQL as DuckDB's, as Spark jobs over the Parquet files
(``rustcase[spark]``; needs Java). Locally in Spark's local mode, or on a cluster through spark-submit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from rustcase import checks
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


class SparkBackend:
    """`rustcase.engines.Backend` on a SparkSession."""

    def __init__(self, spark: SparkSession | None = None) -> None:
        from pyspark.errors import PySparkException

        self.spark = spark or session()
        self.views: dict[str, str] = {}
        self.errors: tuple[type[Exception], ...] = (PySparkException,)

    def view(self, source: Source) -> str:
        from pyspark.sql import functions as F

        name = f"rustcase_{source.table}"
        if source.table not in self.views:
            reader = self.spark.read
            if source.hive:
                reader = reader.option("basePath", str(_common(source.files)))
            frame = reader.parquet(*source.files)
            frame = frame.select(
                *[F.col(f"`{c}`") for c in frame.columns],
                F.col("_metadata.file_path").alias("__file"),
                F.col("_metadata.row_index").alias("__row"),
            )
            frame.createOrReplaceTempView(name)
            self.views[source.table] = name
        return name

    def rows(self, source: Source, query: str) -> list[tuple[Any, ...]]:
        found = self.spark.sql(query).collect()
        return sorted((source.index(_local(r[0]), r[1]), *r[2:]) for r in found)

    def flagged(self, source: Source, table: checks.TableChecks) -> list[dict[str, Any]]:
        import pyarrow as pa

        lists = {f.name for f in source.schema if pa.types.is_list(f.type) or pa.types.is_large_list(f.type)}
        found = []
        for record in self.spark.sql(sql.flagged(sql.SPARK, self.view(source), table, lists)).collect():
            row = record.asDict(recursive=True)
            row["__index"] = source.index(_local(row["__file"]), row["__row"])
            found.append(row)
        return found

    def duplicates(self, source: Source, key: str) -> list[tuple[int, Any]]:
        return [(r[0], r[1]) for r in self.rows(source, sql.duplicates(sql.SPARK, self.view(source), key))]

    def missing(self, source: Source, column: str, targets: list[Source]) -> list[tuple[int, Any]]:
        views = [(self.view(t), checks.table_checks(t.table).key) for t in targets]
        return [(r[0], r[1]) for r in self.rows(source, sql.missing(sql.SPARK, self.view(source), column, views))]

    def spans(
        self, source: Source, span: checks.Span, articles: Source, unique: bool
    ) -> list[tuple[int, int, int, int, str, Any]]:
        query = sql.spans(sql.SPARK, self.view(source), span, self.view(articles), unique)
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in self.rows(source, query)]

    def keys(self, source: Source, values: list[str]) -> set[str]:
        key = sql.SPARK.name(checks.table_checks(source.table).key)
        found = self.spark.sql(f"SELECT DISTINCT {key} FROM {self.view(source)}").collect()
        return {r[0] for r in found} & set(values)

    def texts(self, articles: Source, ids: list[str]) -> dict[str, str]:
        found = self.spark.sql(sql.first_articles(sql.SPARK, self.view(articles))).collect()
        wanted = set(ids)
        return {r[0]: r[1] for r in found if r[0] in wanted}


def _local(uri: str) -> str:
    """A local path from the ``file:`` URI Spark reports."""
    return unquote(urlparse(uri).path) if uri.startswith("file:") else uri


def _common(files: tuple[str, ...]) -> str:
    """The table's directory: the files' common parent above every ``key=value`` directory."""
    import os.path

    parent = os.path.commonpath(files)
    while "=" in os.path.basename(parent):
        parent = os.path.dirname(parent)
    return parent
