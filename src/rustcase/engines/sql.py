"""The checks of `rustcase.checks` as SQL, for the engines that speak it (DuckDB, Spark).

Each table is a view with its columns and two more: ``__file`` (the Parquet file) and ``__row`` (the row in
that file, from 0). The dialects differ only in quoting, literals, regular expressions and list length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rustcase import checks
from rustcase.engines import Source, flags

TYPES = {"string": "STRING", "int64": "BIGINT", "bool": "BOOLEAN", "date32[day]": "DATE"}


@dataclass(frozen=True)
class Dialect:
    """How one engine writes names, text, a regular-expression search and a list's length."""

    quote: str  # the identifier quote character
    backslash_escapes: bool  # whether string literals treat backslash as an escape (Spark)
    regex: str  # a template with {column} and {pattern}
    list_length: str  # a template with {column}

    def name(self, name: str) -> str:
        return self.quote + name.replace(self.quote, self.quote * 2) + self.quote

    def text(self, value: str) -> str:
        if self.backslash_escapes:
            value = value.replace("\\", "\\\\")
        return "'" + value.replace("'", "''" if not self.backslash_escapes else "\\'") + "'"


DUCKDB = Dialect('"', False, "regexp_matches({column}, {pattern})", "len({column})")
SPARK = Dialect("`", True, "({column} RLIKE {pattern})", "size({column})")


def flag(d: Dialect, column: checks.Column, kind: str, is_list: bool) -> str:
    """The condition under which one check of a column fails (null counts as passing)."""
    c = d.name(column.name)
    if kind == "required":
        return f"{c} IS NULL"
    if kind == "nested":
        return f"{d.list_length.format(column=c)} > 0" if is_list else f"{c} IS NOT NULL"
    if kind == "enum":
        return f"{c} NOT IN ({', '.join(d.text(v) for v in column.enum)})"
    if kind == "pattern":
        return "NOT " + d.regex.format(column=c, pattern=d.text(checks.regex(column.pattern or "")))
    if kind == "min_length":
        return f"length({c}) < {column.min_length}"
    if kind == "minimum":
        return f"{c} < {column.minimum}"
    return f"{c} > {column.maximum}"


def flagged(d: Dialect, view: str, table: checks.TableChecks, lists: set[str]) -> str:
    """One scan of a table, keeping the rows where some column check fails."""
    selected = ["__file", "__row"] + [d.name(c.name) for c in table.columns]
    conditions = []
    for column in table.columns:
        for kind in flags(column):
            condition = flag(d, column, kind, column.name in lists)
            selected.append(f"coalesce({condition}, false) AS {d.name(column.name + ':' + kind)}")
            conditions.append(f"coalesce({condition}, false)")
    where = " OR ".join(conditions) or "false"
    return f"SELECT {', '.join(selected)} FROM {view} WHERE {where}"


def duplicates(d: Dialect, view: str, key: str) -> str:
    k = d.name(key)
    repeated = f"SELECT {k} AS __d FROM {view} GROUP BY {k} HAVING count(*) > 1"
    return f"SELECT t.__file, t.__row, t.{k} FROM {view} t JOIN ({repeated}) r ON t.{k} IS NOT DISTINCT FROM r.__d"


def missing(d: Dialect, view: str, column: str, targets: list[tuple[str, str]]) -> str:
    """Rows whose value is no key of the target views (``targets``: view and key column)."""
    c = d.name(column)
    keys = " UNION ALL ".join(f"SELECT {d.name(k)} AS __v FROM {v}" for v, k in targets)
    known = f" AND NOT EXISTS (SELECT 1 FROM ({keys}) u WHERE u.__v = t.{c})" if keys else ""
    return f"SELECT t.__file, t.__row, t.{c} FROM {view} t WHERE t.{c} IS NOT NULL{known}"


def partial(d: Dialect, view: str, names: list[str]) -> str:
    """Rows where some but not all of the columns are null."""
    valid = [f"t.{d.name(n)} IS NOT NULL" for n in names]
    return f"SELECT t.__file, t.__row FROM {view} t WHERE ({' OR '.join(valid)}) AND NOT ({' AND '.join(valid)})"


def first_articles(d: Dialect, view: str, unique: bool = False) -> str:
    """Each article ID's first row, as the Arrow validator looks articles up (every row when the IDs are
    ``unique``, which spares a window over the texts)."""
    if unique:
        text = d.name("text")
        return f"SELECT {d.name('article_id')} AS __a, {text} AS __text, length({text}) AS __length FROM {view}"
    numbered = (
        f"SELECT {d.name('article_id')} AS __a, {d.name('text')} AS __text, "
        f"row_number() OVER (PARTITION BY {d.name('article_id')} ORDER BY __file, __row) AS __n FROM {view}"
    )
    return f"SELECT __a, __text, length(__text) AS __length FROM ({numbered}) n WHERE __n = 1"


def spans(d: Dialect, view: str, span: checks.Span, articles: str, unique: bool) -> str:
    s, e, x = (f"t.{d.name(n)}" for n in (span.start, span.end, span.text))
    outside = f"({s} < 0 OR {e} < {s} OR {e} > a.__length)"
    piece = f"substring(a.__text, {s} + 1, {e} - {s})"
    return (
        f"SELECT t.__file, t.__row, {s}, {e}, a.__length, {x}, CASE WHEN {outside} THEN NULL ELSE {piece} END "
        f"FROM {view} t JOIN ({first_articles(d, articles, unique)}) a ON t.{d.name('article_id')} = a.__a "
        f"WHERE {x} IS NOT NULL AND {s} IS NOT NULL AND {e} IS NOT NULL AND ({outside} OR {piece} <> {x})"
    )


class SqlBackend:
    """`rustcase.engines.Backend` for an engine that runs these queries: it names each table's view
    (`view`) and runs a query (`fetch`); the dialect does the rest."""

    dialect: Dialect

    def view(self, source: Source) -> str:
        raise NotImplementedError

    def fetch(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The column names and the rows of a query; ``__file`` as the path given in `Source.files`."""
        raise NotImplementedError

    def rows(self, source: Source, query: str) -> list[tuple[Any, ...]]:
        return sorted((source.index(r[0], r[1]), *r[2:]) for r in self.fetch(query)[1])

    def flagged(self, source: Source, table: checks.TableChecks) -> list[dict[str, Any]]:
        import pyarrow as pa

        lists = {f.name for f in source.schema if pa.types.is_list(f.type) or pa.types.is_large_list(f.type)}
        names, found = self.fetch(flagged(self.dialect, self.view(source), table, lists))
        rows = [dict(zip(names, values, strict=True)) for values in found]
        return [{**row, "__index": source.index(row["__file"], row["__row"])} for row in rows]

    def duplicates(self, source: Source, key: str) -> list[tuple[int, Any]]:
        return [(r[0], r[1]) for r in self.rows(source, duplicates(self.dialect, self.view(source), key))]

    def missing(self, source: Source, column: str, targets: list[Source]) -> list[tuple[int, Any]]:
        views = [(self.view(t), checks.table_checks(t.table).key) for t in targets]
        return [(r[0], r[1]) for r in self.rows(source, missing(self.dialect, self.view(source), column, views))]

    def partial(self, source: Source, names: list[str]) -> list[int]:
        return [r[0] for r in self.rows(source, partial(self.dialect, self.view(source), names))]

    def spans(
        self, source: Source, span: checks.Span, articles: Source, unique: bool
    ) -> list[tuple[int, int, int, int, str, Any]]:
        query = spans(self.dialect, self.view(source), span, self.view(articles), unique)
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in self.rows(source, query)]

    def keys(self, source: Source, values: list[str]) -> set[str]:
        key = self.dialect.name(checks.table_checks(source.table).key)
        return {r[0] for r in self.fetch(f"SELECT DISTINCT {key} FROM {self.view(source)}")[1]} & set(values)

    def texts(self, articles: Source, ids: list[str]) -> dict[str, str]:
        wanted = set(ids)
        found = self.fetch(f"SELECT __a, __text FROM ({first_articles(self.dialect, self.view(articles))}) f")[1]
        return {r[0]: r[1] for r in found if r[0] in wanted}
