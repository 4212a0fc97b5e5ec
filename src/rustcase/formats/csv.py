"""CSV: one row per record, a header of field names. Cells cannot hold lists or nested records, so list and
struct fields are written into the cell as compact JSON text; an empty cell is null (no curated string is
empty). ``excel_safe`` guards cells against spreadsheet formula injection."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rustcase.formats import _jsontext, nested

if TYPE_CHECKING:
    import pyarrow as pa


def write(tables: Iterable[pa.Table], schema: pa.Schema, sink: IO[bytes], *, excel_safe: bool = False) -> None:
    """Write the rows of ``tables`` as CSV, a header first. ``excel_safe`` puts an apostrophe before any cell
    that starts with ``= + - @``, a tab or a carriage return, so that spreadsheet programs show it as text
    instead of running it as a formula. Such a file is for reading in a spreadsheet: its texts no longer
    match the article spans."""
    header = True
    for table in tables:
        _write(table, sink, excel_safe, header)
        header = False
    if header:
        _write(schema.empty_table(), sink, excel_safe, header)


def _write(table: pa.Table, sink: IO[bytes], excel_safe: bool, header: bool) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = [_jsontext.cells(col) if nested(col.type) else col for col in table.columns]
    if excel_safe:
        import pyarrow.compute as pc

        columns = [
            pc.if_else(pc.match_substring_regex(c, r"^[=+\-@\t\r]"), pc.binary_join_element_wise("'", c, ""), c)
            if pa.types.is_string(c.type)
            else c
            for c in columns
        ]
    options = pacsv.WriteOptions(include_header=header)
    pacsv.write_csv(pa.Table.from_arrays(columns, names=table.column_names), sink, write_options=options)


def read(path: Path, table: str) -> list[dict[str, Any]]:
    """Rows of a CSV file written by `write`, its JSON cells decoded, its numbers and booleans typed."""
    from rustcase.reading import read_table_file
    from rustcase.schema import arrow_schema

    decoders = {field.name: _csv_decoder(field.type) for field in arrow_schema(table)}
    return [
        {name: None if value is None or name not in decoders else decoders[name](value) for name, value in row.items()}
        for row in read_table_file(path, table, "csv").data.to_pylist()
    ]


def _csv_decoder(data_type: pa.DataType) -> Any:
    import pyarrow as pa

    if nested(data_type):
        return json.loads
    if pa.types.is_integer(data_type):
        return int
    if pa.types.is_boolean(data_type):
        return {"true": True, "false": False}.__getitem__
    return str
