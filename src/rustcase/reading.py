"""Reading table files rustcase did not write, in bounded memory and time whatever they hold.

Only regular files are opened: a FIFO, device or directory is refused after ``stat``, without opening it.
Parquet metadata is checked against the file's size before any data is read (a 25 KB file claiming 2·10^10
rows is refused); Parquet, CSV and JSON Lines are read in batches; a CSV header is read only up to
`HEADER_BYTES`; JSON keeps its types (``"722"`` is text, not an integer) and its nesting is bounded by the
decoder's recursion limit. The memory bound is stated and measured in docs/reliability.md.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from rustcase.errors import InputFileError

if TYPE_CHECKING:
    from pathlib import Path

    import pyarrow as pa

PARQUET_BATCH_ROWS = 65_536
"""Rows decoded from Parquet at a time."""
RECORD_BATCH_ROWS = 10_000
"""CSV, JSON and JSON Lines records turned into Arrow columns at a time."""
HEADER_BYTES = 1 << 20
"""The longest CSV header line read (1 MiB): a real header of any rustcase table is under 1 KiB."""
ARROW_BUDGET = (256 << 20, 16)
"""A Parquet file of n bytes may declare at most 256 MiB + 16·n bytes of uncompressed data."""
CSV_BLOCK_BYTES = 16 << 20
"""Arrow's CSV reader works in blocks; a record longer than this is read by Python's csv module instead."""

TYPE_WORDS = {"string": "text", "int64": "an integer", "bool": "true or false", "date32[day]": "a date as YYYY-MM-DD"}
"""Each Arrow type of a rustcase column in the words a spreadsheet user knows."""

ROW_NUMBERS = {
    "csv": "CSV rows as a spreadsheet numbers them (the header is row 1)",
    "jsonl": "JSON Lines line numbers",
    "json": "JSON records counted from 1",
    "parquet": "Parquet rows counted from 1",
}
"""What a row number means in each format, as `rustcase validate` reports it."""


@dataclass
class TableFile:
    """One file as read: Arrow columns (CSV cells as text, JSON and Parquet in the table's types), the cells
    that could not be read as ``(record, field, message)`` with records from 1, and how rows are numbered."""

    data: pa.Table
    problems: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    first_row: int = 1
    lines: list[int] | None = None

    def row(self, record: int) -> int:
        """The row number a user sees for a record counted from 1 (a spreadsheet row, a line)."""
        return self.lines[record - 1] if self.lines is not None else record + self.first_row - 1


def open_regular(path: Path) -> IO[bytes]:
    """Open a regular file for reading; anything else (a FIFO, a device, a directory) is refused unopened."""
    kinds = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFDIR: "a directory"}

    def refuse(mode: int) -> InputFileError:
        kind = kinds.get(stat.S_IFMT(mode), "not a file")
        return InputFileError(f"not a regular file ({kind}); rustcase reads only regular files")

    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise refuse(mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    mode = os.fstat(fd).st_mode  # the same file, even if the name was swapped after the first look
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise refuse(mode)
    return os.fdopen(fd, "rb")


def read_table_file(path: Path, table: str, fmt: str | None = None) -> TableFile:
    """A ``<table>.<format>`` file (or one in format ``fmt``) as a `TableFile`; raises `InputFileError` (or
    `OSError`) when it cannot be read at all."""
    from rustcase.schema import arrow_schema

    readers: dict[str, Callable[[IO[bytes], int, pa.Schema], TableFile]] = {
        "csv": _csv,
        "json": _json,
        "jsonl": _jsonl,
        "parquet": _parquet,
    }
    with open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        try:
            read = readers[fmt or path.name.partition(".")[2]](f, size, arrow_schema(table))
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save the file as UTF-8 (in a spreadsheet: "
                "CSV UTF-8)"
            ) from None
        except RecursionError:
            raise InputFileError("JSON nested too deeply to be a rustcase record") from None
    return _first_of_each_name(read)


def _first_of_each_name(read: TableFile) -> TableFile:
    """Keep the first column of each name; a repeated name is a problem, never a crash further on."""
    names = read.data.column_names
    repeated = [i for i, name in enumerate(names) if name in names[:i]]
    for i in repeated:
        read.problems.append((None, names[i], f"a second column of this name (column {i + 1}); only the first is read"))
    if repeated:
        read.data = read.data.select([i for i in range(len(names)) if i not in repeated])
    return read


def _parquet(f: IO[bytes], size: int, schema: pa.Schema) -> TableFile:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(f)  # reads the footer only
        meta = parquet.metadata
        groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
    except (OSError, pa.ArrowException) as exc:
        raise InputFileError(f"not a readable Parquet file: {exc}") from None
    rows = max(meta.num_rows, sum(g.num_rows for g in groups))
    declared = sum(max(g.total_byte_size, 0) for g in groups)
    if rows > size or min([meta.num_rows, *(g.num_rows for g in groups)]) < 0:
        raise InputFileError(f"the Parquet footer claims {rows:,} rows in a file of {size:,} bytes; damaged or forged")
    base, factor = ARROW_BUDGET
    if declared > base + factor * size:
        raise InputFileError(
            f"the Parquet footer claims {declared:,} bytes of data in a file of {size:,} bytes; "
            f"rustcase reads at most {base >> 20} MiB + {factor} times the file size"
        )
    try:
        batches = list(parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, use_threads=False))
        data = pa.Table.from_batches(batches, parquet.schema_arrow)
    except (OSError, pa.ArrowException) as exc:
        raise InputFileError(f"not a readable Parquet file: {exc}") from None
    read = TableFile(data)
    for i, name in enumerate(data.column_names):
        data = data.set_column(i, name, _valid_utf8(name, data.column(i), read))
    read.data = data
    return read


def _valid_utf8(name: str, column: pa.ChunkedArray, read: TableFile) -> pa.ChunkedArray:
    """Parquet strings are not checked by the reader: a value that is not UTF-8 is a problem and becomes null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        column.validate(full=True)
        return column
    except pa.ArrowInvalid:
        pass
    good = []
    for value in column:
        try:
            value.as_py()
            good.append(True)
        except UnicodeDecodeError:
            read.problems.append((len(good) + 1, name, "not valid UTF-8 text"))
            good.append(False)
    return pc.if_else(pa.array(good), column, pa.scalar(None, column.type))


def _csv(f: IO[bytes], size: int, schema: pa.Schema) -> TableFile:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = f.readline(HEADER_BYTES + 1)
    if len(header) > HEADER_BYTES:
        raise InputFileError(f"the first line (the CSV header) is longer than {HEADER_BYTES >> 20} MiB")
    try:
        names = next(csv.reader([header.decode("utf-8-sig")]), [])
    except csv.Error as exc:
        raise InputFileError(f"CSV parse error in the header: {exc}") from None
    if not "".join(names).strip():
        raise InputFileError("no header: a CSV file starts with a line of column names")
    if len(names) == 1 and len(schema) > 1:
        for separator, word in ((";", "semicolon"), ("\t", "tab")):
            if separator in names[0]:
                raise InputFileError(
                    f"the header is one column holding {word}s: the file looks {word}-separated, and rustcase reads "
                    "comma-separated CSV (in a spreadsheet: save as CSV UTF-8, comma-delimited)"
                )
    f.seek(0)
    options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    try:
        reader = pacsv.open_csv(
            f,
            read_options=pacsv.ReadOptions(use_threads=False, block_size=CSV_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=options,
        )
        data = pa.Table.from_batches(list(reader), reader.schema)
    except pa.ArrowInvalid:  # a carriage return inside a quoted cell, a record longer than a block, a bad shape
        f.seek(0)
        data = _csv_by_python(f, size)
    return TableFile(data, first_row=2)


def _csv_by_python(f: IO[bytes], size: int) -> pa.Table:
    """The slow path: Python's csv module, which cannot tell an empty cell from an empty quoted one (both are
    null), in batches of records."""
    import pyarrow as pa

    text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size + 1))  # a cell can be as long as the file, never longer
    try:
        rows = csv.reader(text, strict=True)
        header = next(rows)
        batches = []
        for number, batch in enumerate(_batches(rows, RECORD_BATCH_ROWS)):
            for i, row in enumerate(batch):
                if len(row) != len(header):
                    spreadsheet_row = number * RECORD_BATCH_ROWS + i + 2
                    raise InputFileError(f"expected {len(header)} columns, got {len(row)}", row=spreadsheet_row)
            columns = [pa.array([r[i] or None for r in batch], pa.string()) for i in range(len(header))]
            batches.append(pa.RecordBatch.from_arrays(columns, names=header))
    except csv.Error as exc:
        raise InputFileError(f"CSV parse error: {exc}") from None
    finally:
        csv.field_size_limit(limit)
    schema = pa.schema([pa.field(name, pa.string()) for name in header])
    return pa.Table.from_batches(batches, schema)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _number(text: str) -> int | float:
    """A JSON number with a fraction or exponent; integral ones are integers, as JSON Schema and pydantic read them."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _not_json(text: str) -> None:
    raise ValueError(f"{text} is not JSON")


def loads(text: str | bytes) -> Any:
    """JSON as JSON Schema sees it: 5.0 is the integer 5, NaN and Infinity are not JSON."""
    return json.loads(text, parse_float=_number, parse_constant=_not_json)


def _json(f: IO[bytes], size: int, schema: pa.Schema) -> TableFile:
    try:
        records = loads(f.read().decode("utf-8-sig"))
    except ValueError as exc:
        raise InputFileError(f"not JSON: {exc}") from None
    if not isinstance(records, list):
        raise InputFileError("expected a JSON array of records")
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise InputFileError(f"record {number} is not a JSON object", row=number)
    return _records(_batches(records, RECORD_BATCH_ROWS), schema)


def _jsonl(f: IO[bytes], size: int, schema: pa.Schema) -> TableFile:
    lines: list[int] = []

    def records() -> Iterator[dict[str, Any]]:
        for number, line in enumerate(f, start=1):  # split at b"\n" only: U+2028 and U+0085 are inside strings
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            try:
                record = loads(line.decode("utf-8"))
            except ValueError as exc:
                raise InputFileError(f"line {number} is not JSON: {exc}", row=number) from None
            if not isinstance(record, dict):
                raise InputFileError(f"line {number} is not a JSON object", row=number)
            lines.append(number)
            yield record

    read = _records(_batches(records(), RECORD_BATCH_ROWS), schema)
    read.lines = lines
    return read


_MISSING = object()


def _text(value: Any) -> Any:
    return value if isinstance(value, str) else _MISSING


def _integer(value: Any) -> Any:
    return value if type(value) is int and -(2**63) <= value < 2**63 else _MISSING


def _boolean(value: Any) -> Any:
    return value if isinstance(value, bool) else _MISSING


def _date(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return _MISSING


_CONVERT = {"string": _text, "int64": _integer, "bool": _boolean, "date32[day]": _date}


def describe(value: Any) -> str:
    """A JSON value in a few plain words, cut short: ``text 'abc'``, ``the number 5``, ``a list``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {cut(str(value))}"
    if isinstance(value, str):
        return f"text {cut(value)!r}"
    return "a list" if isinstance(value, list) else "an object"


def cut(text: str, width: int = 60) -> str:
    """A value cut to about ``width`` characters for a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _records(batches: Iterable[list[dict[str, Any]]], schema: pa.Schema) -> TableFile:
    """JSON records as typed Arrow columns; a value of the wrong JSON type is a problem and becomes null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    read = TableFile(pa.table({}))
    columns: dict[str, list[pa.Array]] = {f.name: [] for f in schema}
    present: dict[str, list[pa.Array]] = {f.name: [] for f in schema}
    extra: dict[str, None] = {}
    count = 0
    for batch in batches:
        for record in batch:
            extra.update(dict.fromkeys(k for k in record if k not in columns))
        for arrow_field in schema:
            name = arrow_field.name
            values = [r.get(name) for r in batch]
            present[name].append(pa.array([name in r for r in batch], pa.bool_()))
            if str(arrow_field.type) not in _CONVERT:  # lists and nested records: JSON text, checked by the model
                cells = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
                columns[name].append(pa.array(cells, pa.string()))
                continue
            convert, cells = _CONVERT[str(arrow_field.type)], []
            for i, value in enumerate(values):
                cell = None if value is None else convert(value)
                if cell is _MISSING:
                    word = TYPE_WORDS[str(arrow_field.type)]
                    out_of_range = type(value) is int and word == "an integer"
                    message = "is beyond 64-bit integers" if out_of_range else f"is not {word}"
                    read.problems.append((count + i + 1, name, f"{describe(value)} {message}"))
                    cell = None
                cells.append(cell)
            columns[name].append(pa.array(cells, arrow_field.type))
        count += len(batch)
    arrays, names = [], []
    for arrow_field in schema:
        seen = pa.chunked_array(present[arrow_field.name], pa.bool_())
        found = pc.sum(seen).as_py() if count else -1
        if found == 0:
            continue  # in no record: a missing column
        if 0 < found < count:
            for index in pc.indices_nonzero(pc.invert(seen)).to_pylist():
                read.problems.append((index + 1, arrow_field.name, "missing field (every record has every field)"))
        names.append(arrow_field.name)
        chunks = columns[arrow_field.name]
        arrays.append(pa.chunked_array(chunks, chunks[0].type if chunks else _column_type(arrow_field.type)))
    for name in extra:
        names.append(name)
        arrays.append(pa.chunked_array([pa.nulls(count, pa.string())]))
    read.data = pa.Table.from_arrays(arrays, names=names)
    return read


def _column_type(data_type: pa.DataType) -> pa.DataType:
    import pyarrow as pa

    return data_type if str(data_type) in _CONVERT else pa.string()
