"""The checks run by Spark: the same SQL as DuckDB's, as Spark jobs over the Parquet files
(``rustcase[spark]``; needs Java). Locally in Spark's local mode, or on a cluster through spark-submit."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rustcase.engines import Source, hidden, sql
from rustcase.errors import MissingExtraError

if TYPE_CHECKING:
    import pyarrow as pa
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
        self.spark = spark or session()  # MissingExtraError without pyspark

        from pyspark.errors import PySparkException

        self.views: dict[str, str] = {}
        self.given: dict[str, str] = {}  # the path Spark reports (`_plain`) -> the path in `Source.files`
        self.errors: tuple[type[Exception], ...] = (PySparkException,)

    def view(self, source: Source) -> str:
        from pyspark.sql import functions as F

        name = f"rustcase_{source.table}"
        if source.table not in self.views:
            files = source.uris or tuple(map(os.path.abspath, source.files))  # the JVM's directory may be another
            self.given.update(zip(map(_plain, files), source.files, strict=True))
            reader = self.spark.read.option("recursiveFileLookup", "true")  # which infers no hive columns
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
            rows = [(self.given.get(_plain(r[0], True), _plain(r[0], True)), *r[1:]) for r in rows]
        return frame.columns, rows


def _plain(uri: str, encoded: bool = False) -> str:
    """A file as Spark reports it and as it was read compare equal in this form: a ``file:`` URI as a local
    path, and the ``%XX`` of an ``encoded`` URI (as Spark reports them) decoded: ``file:///a%20b`` is ``/a b``."""
    import re

    path = re.sub(r"^file:(//)?", "", uri).encode()
    if not encoded:
        return path.decode()
    return re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), path).decode()


@contextlib.contextmanager
def _java(path: str) -> Iterator[None]:
    """Java's exceptions from the Hadoop file system of ``path`` as OSError, in one line."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    try:
        yield
    except (Py4JJavaError, PySparkException) as exc:
        java = getattr(exc, "java_exception", None)
        kind = java.getClass().getName() if java is not None else ""
        message = (str(java.toString()) if java is not None else str(exc)).strip() or type(exc).__name__
        message = message.splitlines()[0]
        if kind == "java.io.FileNotFoundException":
            raise FileNotFoundError(message) from None
        if kind.endswith("UnsupportedFileSystemException") or "ClassNotFoundException" in message:
            scheme = path.partition(":")[0]
            message = f"no file system for {scheme}:// in the SparkSession's Hadoop configuration ({message})"
        raise OSError(message) from None


class HadoopFiles:
    """`rustcase.engines.FileSystem` through the Hadoop FileSystem API of a SparkSession: any URI its Hadoop
    configuration reads (``hdfs://``, ``s3a://``, ``gs://``, ``abfs://``, ``file://``...), on the driver.
    Files are named as the URI was given, followed by their path below it; pyarrow parses the footers."""

    TAIL = 8 * 1024
    """Bytes read from the end of a file in one request; a bigger footer takes a second."""
    FOOTER = 64 * 1024 * 1024
    """The biggest footer read: a file that claims more is damaged (or hostile)."""
    THREADS = 16
    """Footers read at once: an object store answers each request after tens of milliseconds."""

    def __init__(self, spark: SparkSession) -> None:
        self.jvm: Any = spark._jvm
        self.conf = spark._jsc.hadoopConfiguration()
        self.status: dict[str, Any] = {}  # the root and its entries as named -> Hadoop FileStatus
        self.files: dict[str, tuple[Any, Any, int, str]] = {}  # file -> file system, Hadoop Path, size, URI

    def is_dir(self, path: str) -> bool:
        with _java(path):
            if path not in self.status:
                hadoop = self.jvm.org.apache.hadoop.fs.Path(path)
                self.status[path] = hadoop.getFileSystem(self.conf).getFileStatus(hadoop)
            return bool(self.status[path].isDirectory())

    def entries(self, path: str) -> list[tuple[str, str]]:
        with _java(path):
            listed = self.status[path].getPath().getFileSystem(self.conf).listStatus(self.status[path].getPath())
            found = {str(status.getPath().getName()): status for status in listed}
        self.status.update({f"{path.rstrip('/')}/{name}": status for name, status in found.items()})
        return [(name, f"{path.rstrip('/')}/{name}") for name in sorted(found)]

    def parquet(self, path: str) -> list[str]:
        found = {}
        with _java(path):
            directory = self.status[path].getPath()
            system, below = directory.getFileSystem(self.conf), len(str(directory.toString()).rstrip("/"))
            listing = system.listFiles(directory, True)
            while listing.hasNext():
                status = listing.next()
                hadoop = status.getPath()
                uri = str(hadoop.toString())
                if not hidden(uri[below:]):
                    found[path.rstrip("/") + uri[below:]] = (system, hadoop, int(status.getLen()), uri)
        self.files.update(found)
        return sorted(found)

    def footers(self, files: list[str]) -> Iterator[tuple[int, pa.Schema]]:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(self.THREADS)
        try:
            yield from pool.map(self._footer, files)
        finally:  # after an unreadable file, the footers not yet read are not
            pool.shutdown(cancel_futures=True)

    def _footer(self, file: str) -> tuple[int, pa.Schema]:
        system, hadoop, size, _ = self._file(file)
        if not size:  # nothing to read (and a FIFO, which Hadoop lists as an empty file, would block)
            return self._parse(b"")
        with _java(file):
            stream = system.open(hadoop)
            try:
                tail = self._tail(stream, size, min(size, self.TAIL))
                length = int.from_bytes(tail[-8:-4], "little") + 8 if tail[-4:] == b"PAR1" else 0
                if len(tail) < length <= size:
                    if length > self.FOOTER:
                        raise ValueError(f"a Parquet footer of {length - 8} bytes (more than {self.FOOTER} is damage)")
                    tail = self._tail(stream, size, length)
            finally:
                stream.close()
        return self._parse(tail)

    @staticmethod
    def _parse(tail: bytes) -> tuple[int, pa.Schema]:
        """Row count and schema from the end of a Parquet file (the footer is all pyarrow reads)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        meta = pq.read_metadata(pa.BufferReader(tail))
        return meta.num_rows, meta.schema.to_arrow_schema()

    def _tail(self, stream: Any, size: int, length: int) -> bytes:
        """The last ``length`` bytes of a file of ``size`` bytes."""
        stream.seek(size - length)
        return bytes(self.jvm.org.apache.commons.io.IOUtils.toByteArray(stream, length))

    def _file(self, file: str) -> tuple[Any, Any, int, str]:
        """A file's system, Hadoop Path, size and URI (``<table>.parquet`` is no directory's file)."""
        if file not in self.files:
            with _java(file):
                hadoop = self.status[file].getPath()
                self.files[file] = (
                    hadoop.getFileSystem(self.conf),
                    hadoop,
                    self.status[file].getLen(),
                    hadoop.toString(),
                )
        return self.files[file]

    def uri(self, file: str) -> str:
        return self._file(file)[3]
