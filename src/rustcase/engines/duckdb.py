"""The checks run by DuckDB: SQL over the Parquet files, streamed, in bounded memory (``rustcase[sql]``)."""

from __future__ import annotations

from typing import Any

from rustcase import checks
from rustcase.engines import Source, sql
from rustcase.errors import MissingExtraError

MEMORY_LIMIT = "1536MB"
"""DuckDB spills to disk beyond this, so memory stays flat however big the corpus."""


class DuckDBBackend:
    """`rustcase.engines.Backend` on an in-memory DuckDB connection."""

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
        name = f"t_{source.table}"
        if name not in self.views.values():
            files = ", ".join(sql.DUCKDB.text(f) for f in source.files)
            hive = "true" if source.hive else "false"
            self.con.execute(
                f"CREATE VIEW {name} AS SELECT * EXCLUDE (filename, file_row_number), filename AS __file, "
                f"file_row_number AS __row FROM read_parquet([{files}], filename = true, file_row_number = true, "
                f"hive_partitioning = {hive}, hive_types_autocast = false)"
            )
            self.views[source.table] = name
        return name

    def rows(self, source: Source, query: str) -> list[tuple[Any, ...]]:
        found = self.con.execute(query).fetchall()
        return sorted((source.index(r[0], r[1]), *r[2:]) for r in found)

    def flagged(self, source: Source, table: checks.TableChecks) -> list[dict[str, Any]]:
        import pyarrow as pa

        lists = {f.name for f in source.schema if pa.types.is_list(f.type) or pa.types.is_large_list(f.type)}
        cursor = self.con.execute(sql.flagged(sql.DUCKDB, self.view(source), table, lists))
        names = [d[0] for d in cursor.description]
        found = []
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            row["__index"] = source.index(row["__file"], row["__row"])
            found.append(row)
        return found

    def duplicates(self, source: Source, key: str) -> list[tuple[int, Any]]:
        return [(r[0], r[1]) for r in self.rows(source, sql.duplicates(sql.DUCKDB, self.view(source), key))]

    def missing(self, source: Source, column: str, targets: list[Source]) -> list[tuple[int, Any]]:
        views = [(self.view(t), checks.table_checks(t.table).key) for t in targets]
        return [(r[0], r[1]) for r in self.rows(source, sql.missing(sql.DUCKDB, self.view(source), column, views))]

    def spans(
        self, source: Source, span: checks.Span, articles: Source, unique: bool
    ) -> list[tuple[int, int, int, int, str, Any]]:
        query = sql.spans(sql.DUCKDB, self.view(source), span, self.view(articles), unique)
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in self.rows(source, query)]

    def keys(self, source: Source, values: list[str]) -> set[str]:
        key = sql.DUCKDB.name(checks.table_checks(source.table).key)
        found = self.con.execute(f"SELECT DISTINCT {key} FROM {self.view(source)}").fetchall()
        return {r[0] for r in found} & set(values)

    def texts(self, articles: Source, ids: list[str]) -> dict[str, str]:
        found = self.con.execute(f"SELECT __a, __text FROM ({sql.first_articles(sql.DUCKDB, self.view(articles))})")
        wanted = set(ids)
        return {a: t for a, t in found.fetchall() if a in wanted}
