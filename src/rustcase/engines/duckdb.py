"""The checks run by DuckDB: SQL over the Parquet files, streamed, in bounded memory (``rustcase[sql]``)."""

from __future__ import annotations

from typing import Any

from rustcase.engines import Source, sql
from rustcase.errors import MissingExtraError

MEMORY_LIMIT = "1536MB"
"""DuckDB spills to disk beyond this, so memory stays flat however big the corpus."""


class DuckDBBackend(sql.SqlBackend):
    """`rustcase.engines.Backend` on an in-memory DuckDB connection."""

    dialect = sql.DUCKDB

    def __init__(self) -> None:
        try:
            import duckdb
        except ImportError:
            raise MissingExtraError("duckdb", "sql") from None
        self.con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "preserve_insertion_order": "false"})
        self.con.execute("SET enable_progress_bar = false")
        self.views: dict[str, str] = {}
        self.errors: tuple[type[Exception], ...] = (duckdb.Error,)

    def view(self, source: Source) -> str:
        if source.table not in self.views:
            name = f"t_{source.table}"
            files = ", ".join(sql.DUCKDB.text(f) for f in source.files)
            self.con.execute(
                f"CREATE VIEW {name} AS SELECT * EXCLUDE (filename, file_row_number), filename AS __file, "
                f"file_row_number AS __row FROM read_parquet([{files}], filename = true, file_row_number = true, "
                "hive_partitioning = false)"
            )
            self.views[source.table] = name
        return self.views[source.table]

    def fetch(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        cursor = self.con.execute(query)
        return [d[0] for d in cursor.description], cursor.fetchall()
