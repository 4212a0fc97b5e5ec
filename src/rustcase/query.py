"""SQL over a data version with DuckDB (the ``rustcase[sql]`` extra): every table a view of its name.

The connection is locked down: it reads only the shipped tables (no files, no network, no extensions), its
configuration cannot be changed, and `sql` runs one read-only statement (a query, or EXPLAIN of one).
Nested fields are DuckDB lists and structs, as in the Arrow schemas. Over a corpus (`rustcase.corpus`),
each table it has is a view that DuckDB scans as the query runs, and `stream` hands the result on a batch
at a time; the tables it lacks are absent.
"""

from __future__ import annotations

import base64
import csv
import datetime
import decimal
import io
import itertools
import json
import math
import os
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rustcase import store, versions
from rustcase.errors import RustcaseError
from rustcase.tables import TABLE_KEYS

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

OUTPUT_FORMATS = ("table", "csv", "json", "jsonl")
"""How `lines` writes a result: an aligned text table, CSV, a JSON array, or JSON Lines."""

CELL_WIDTH = 60
"""The widest cell of an aligned text table; longer values are cut short with an ellipsis."""

BATCH_ROWS = 10_000
"""The rows of one batch of a streamed result; an aligned text table takes its column widths from the first."""

_LOCKED = {
    "enable_external_access": False,  # no files, no network, no extensions
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "memory_limit": "2GB",
}


class QueryError(RustcaseError, ValueError):
    """An SQL statement that is not one read-only query, or that DuckDB cannot run; the message is one line."""


def connect(version: str | None = None, *, corpus: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with every table of a data version (newest by default), or of a ``corpus``
    directory, as a view of its name.

    It cannot read files or the network, load extensions or change its configuration: a corpus's tables are
    ``pyarrow.dataset`` objects registered with it, scanned as a query runs, never loaded whole.
    """
    engine = store._optional("duckdb", "sql")
    if corpus is None:
        version = versions.resolve(version)
        tables: dict[str, Any] = {name: store.read_table(name, version) for name in TABLE_KEYS}
    elif version is not None:
        raise QueryError("query a data version or a corpus, not both")
    else:
        from rustcase import corpus as corpora

        tables = {name: corpora.dataset(source) for name, source in corpora.tables(corpus).items()}
    connection: duckdb.DuckDBPyConnection = engine.connect(":memory:", config=_LOCKED)
    for name, table in tables.items():
        connection.register(name, table)
    connection.execute("SET lock_configuration = true")
    return connection


def sql(query: str, version: str | None = None, *, corpus: str | os.PathLike[str] | None = None) -> pa.Table:
    """The result of one read-only SQL query over a data version (newest by default) or a ``corpus``
    directory, as a ``pyarrow.Table``.

    ``rustcase.sql("SELECT speaker_id, count(*) AS n FROM quotes GROUP BY 1 ORDER BY n DESC")``. Anything but
    a single query (or EXPLAIN of one), and every error DuckDB reports, raises `QueryError`.
    """
    return stream(query, version, corpus=corpus).read_all()


def stream(
    query: str, version: str | None = None, *, corpus: str | os.PathLike[str] | None = None
) -> pa.RecordBatchReader:
    """The result of `sql`, a batch of `BATCH_ROWS` rows at a time as DuckDB makes them: for results too big to
    hold. An error DuckDB meets on the way raises `QueryError` from the reader."""
    if not isinstance(query, str):
        raise QueryError(f"an SQL query is text, not {type(query).__name__}")
    connection = connect(version, corpus=corpus)  # first: without duckdb, the error names the extra
    import duckdb
    import pyarrow as pa

    try:
        _check_read_only(connection, query)
        reader = connection.sql(query).to_arrow_reader(BATCH_ROWS)
    except duckdb.Error as exc:
        connection.close()
        raise QueryError(_one_line(exc)) from None
    except BaseException:
        connection.close()
        raise

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from reader
        except (duckdb.Error, pa.ArrowException, OSError) as exc:  # DuckDB's errors reach Arrow's stream as these
            raise QueryError(_one_line(exc)) from None
        finally:
            connection.close()

    return pa.RecordBatchReader.from_batches(reader.schema, batches())


def _check_read_only(connection: duckdb.DuckDBPyConnection, query: str) -> None:
    import duckdb

    statements = connection.extract_statements(query)
    if len(statements) != 1:
        raise QueryError(f"give exactly one SQL statement, not {len(statements)}")
    kind = statements[0].type
    if kind == duckdb.StatementType.EXPLAIN:  # EXPLAIN ANALYZE runs its statement: only a query may follow
        inner = connection.extract_statements(
            re.sub(r"^\s*explain(\s+analyze)?\b", "", statements[0].query, flags=re.IGNORECASE)
        )
        if [s.type for s in inner] == [duckdb.StatementType.SELECT]:
            return
    elif kind == duckdb.StatementType.SELECT:
        return
    raise QueryError(f"only a query (SELECT, or EXPLAIN of one) can run: the data is read-only, not {kind.name}")


def _one_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def columns(table: pa.Table | pa.RecordBatch) -> list[tuple[str, list[Any]]]:
    """Each column's name and values as plain Python, column by column (duplicate names are kept).

    Values Python cannot hold (DuckDB's infinite dates) become text.
    """
    return [(name, _values(column)) for name, column in zip(table.column_names, table.columns, strict=True)]


def _values(column: pa.ChunkedArray | pa.Array) -> list[Any]:
    import pyarrow as pa

    try:
        values: list[Any] = column.to_pylist()
        return values
    except (ArithmeticError, ValueError):  # a date or time beyond Python's range ('infinity'::DATE)
        pass
    try:
        values = column.cast(pa.string()).to_pylist()
        return values
    except (pa.ArrowException, ArithmeticError, ValueError):
        return [_scalar(value) for value in column]


def _scalar(value: pa.Scalar) -> Any:
    try:
        return value.as_py()
    except (ArithmeticError, ValueError):
        return f"<{value.type} beyond Python's range>"


def plain(value: Any) -> Any:
    """A value as JSON can hold it: nested lists and records kept; dates ISO 8601; bytes base64; exact numbers.

    Integral decimals (HUGEINT) stay integers, other decimals become floats; NaN and infinities become text;
    an interval is its months, days and nanoseconds.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else plain(float(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "nanoseconds"):  # an INTERVAL (pyarrow's MonthDayNano)
        return {name: getattr(value, name) for name in ("months", "days", "nanoseconds")}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def lines(result: pa.Table | pa.RecordBatchReader, fmt: str = "table") -> Iterator[str]:
    """A query result (whole, or streamed by `stream`) as lines of text in one of `OUTPUT_FORMATS`, without
    line ends, made as the rows come (a CSV record whose cell holds a line break is one "line")."""
    if fmt not in OUTPUT_FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; the formats are: {', '.join(OUTPUT_FORMATS)}")
    names = list(result.schema.names)
    batches = result.to_batches() if hasattr(result, "to_batches") else result
    rows = (row for batch in batches for row in zip(*(values for _, values in columns(batch)), strict=True))
    if fmt == "table":
        yield from _aligned(names, rows)
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in itertools.chain([names], ([_text(v) for v in row] for row in rows)):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(row)
            yield buffer.getvalue()[:-1]
    else:
        dumped = (
            json.dumps(_record([[n, plain(v)] for n, v in zip(names, row, strict=True)]), ensure_ascii=False)
            for row in rows
        )
        if fmt == "jsonl":
            yield from dumped
            return
        previous = next(dumped, None)
        yield "[]" if previous is None else "["
        for record in dumped:
            yield f"  {previous},"
            previous = record
        if previous is not None:
            yield f"  {previous}"
            yield "]"


def _record(pairs: list[list[Any]]) -> dict[str, Any]:
    """A row as a JSON object; a repeated column name gets a suffix (``a``, ``a_2``) instead of losing a value."""
    record: dict[str, Any] = {}
    for name, value in pairs:
        key, n = name, 1
        while key in record:
            n += 1
            key = f"{name}_{n}"
        record[key] = value
    return record


def _aligned(names: list[str], rows: Iterator[tuple[Any, ...]]) -> Iterator[str]:
    """An aligned table; its column widths fit the first `BATCH_ROWS` rows (a longer cell later widens its line)."""

    def cell(value: Any) -> str:
        text = "NULL" if value is None else _text(value)
        text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ")
        return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"

    cells = (([cell(v) for v in row]) for row in rows)
    first = list(itertools.islice(cells, BATCH_ROWS))
    header = [cell(n) for n in names]
    widths = [max([len(h), *(len(r[i]) for r in first)]) for i, h in enumerate(header)]
    yield "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()
    yield "  ".join("-" * w for w in widths)
    count = 0
    for row in itertools.chain(first, cells):
        count += 1
        yield "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
    yield f"({count} row{'s' if count != 1 else ''})"
