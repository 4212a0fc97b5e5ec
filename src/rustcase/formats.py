"""Writing and reading one table in each file format: CSV, JSON, JSON Lines and Parquet.

CSV cells cannot hold lists or nested records, so list and struct fields are written into the cell
as compact JSON text; an empty cell is null (no curated string is empty).
"""

from __future__ import annotations

import array
import datetime
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rustcase.errors import UnknownFormatError

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("csv", "json", "jsonl", "parquet")
"""The file formats rustcase writes; each is also the file extension."""


def check_format(fmt: str) -> str:
    """Return ``fmt`` if rustcase writes it, else raise `UnknownFormatError`."""
    if fmt not in FORMATS:
        raise UnknownFormatError(f"unknown format {fmt!r}; the formats are: {', '.join(FORMATS)}")
    return fmt


def _json_default(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_document(value: object) -> bytes:
    """A metadata file's content: indented JSON, UTF-8 kept as is, a final newline."""
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def dumps(value: object) -> str:
    """Compact JSON of a value, UTF-8 text kept as is, dates as ISO 8601."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _nested(data_type: pa.DataType) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_list(data_type) or pa.types.is_struct(data_type))


def write(table: pa.Table, fmt: str, sink: IO[bytes], *, excel_safe: bool = False) -> None:
    """Write ``table`` to a binary stream in format ``fmt``.

    ``excel_safe`` (CSV only) puts an apostrophe before any cell that starts with ``= + - @``, a tab or a
    carriage return, so that spreadsheet programs show it as text instead of running it as a formula.
    Such a file is for reading in a spreadsheet: its texts no longer match the article spans.
    """
    import pyarrow as pa

    check_format(fmt)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, sink)
    elif fmt == "csv":
        import pyarrow.csv as pacsv

        columns = [_csv_cells(col) if _nested(col.type) else col for col in table.columns]
        if excel_safe:
            import pyarrow.compute as pc

            columns = [
                pc.if_else(pc.match_substring_regex(c, r"^[=+\-@\t\r]"), pc.binary_join_element_wise("'", c, ""), c)
                if pa.types.is_string(c.type)
                else c
                for c in columns
            ]
        pacsv.write_csv(pa.Table.from_arrays(columns, names=table.column_names), sink)
    elif table.num_rows >= VECTOR_ROWS:
        _write_json_lines(table, sink, fmt)
    else:
        rows = table.to_pylist()
        if fmt == "jsonl":
            sink.writelines((dumps(row) + "\n").encode() for row in rows)
        else:
            sink.write(b"[\n")
            sink.write(",\n".join(dumps(row) for row in rows).encode())
            sink.write(b"\n]\n" if rows else b"]\n")


VECTOR_ROWS = 10_000
"""From this many rows on, JSON text is built by Arrow compute instead of ``json.dumps`` row by row (same
bytes); below it, importing ``pyarrow.compute`` would cost more than it saves."""


def _csv_cells(column: pa.ChunkedArray) -> pa.Array:
    """A list or struct column as JSON text cells (null stays null)."""
    import pyarrow as pa

    texts = _json_texts(column) if len(column) >= VECTOR_ROWS else None
    if texts is None:
        return _string_array([None if v is None else dumps(v) for v in column.to_pylist()])
    import pyarrow.compute as pc

    return pc.if_else(pc.is_valid(column), texts, pa.scalar(None, pa.string()))


def _quoted(strings: pa.Array) -> pa.Array | None:
    """Strings as JSON string literals, exactly as ``json.dumps(ensure_ascii=False)`` writes them; None when
    a control character needs an escape that only Python's json writes."""
    import pyarrow.compute as pc

    if pc.any(pc.match_substring_regex(strings, '[\\x00-\\x1f"\\\\]')).as_py():
        if pc.any(pc.match_substring_regex(strings, "[\\x00-\\x1f]")).as_py():
            return None
        strings = pc.replace_substring(pc.replace_substring(strings, "\\", "\\\\"), '"', '\\"')
    return pc.binary_join_element_wise('"', strings, '"', "")


def _json_texts(column: pa.ChunkedArray | pa.Array) -> pa.Array | None:
    """Each value's JSON text ("null" for null), built by Arrow; None for types left to ``json.dumps``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    kind = array.type
    if array.null_count == len(array):
        return pa.repeat(pa.scalar("null"), len(array))
    if pa.types.is_string(kind):
        text = _quoted(array)
    elif pa.types.is_integer(kind):
        text = pc.cast(array, pa.string())
    elif pa.types.is_boolean(kind):
        text = pc.if_else(array, "true", "false")
    elif pa.types.is_date32(kind):
        text = _quoted(pc.cast(array, pa.string()))
    elif pa.types.is_list(kind) and pa.types.is_string(kind.value_type):
        items = _quoted(array.values)
        if items is None:
            return None
        lists = pa.ListArray.from_arrays(array.offsets, items, mask=pc.is_null(array))
        text = pc.binary_join_element_wise("[", pc.binary_join(lists, ","), "]", "")
    else:
        return None
    return None if text is None else pc.fill_null(text, "null")


def _write_json_lines(table: pa.Table, sink: IO[bytes], fmt: str) -> None:
    """JSON Lines or a JSON array, each record assembled from per-column JSON texts by Arrow compute."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts: list[object] = ["{"]
    for i, (name, column) in enumerate(zip(table.column_names, table.columns, strict=True)):
        text = _json_texts(column)
        if text is None:
            text = _string_array([dumps(v) for v in column.to_pylist()])
        parts += [("," if i else "") + dumps(name) + ":", text]
    end = "\n" if fmt == "jsonl" else ",\n"
    lines = pc.binary_join_element_wise(*parts, "}" + end, "")
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    _, offsets, data = lines.buffers()
    bounds = memoryview(offsets).cast("i")
    body = data.to_pybytes()[bounds[lines.offset] : bounds[lines.offset + len(lines)]]
    if fmt == "jsonl":
        sink.write(body)
    else:
        sink.write(b"[\n" + body[: -len(end)] + b"\n]\n")


def _string_array(values: list[str | None]) -> pa.Array:
    """An Arrow string array built from its buffers: ``pa.array`` on a list would import pandas to look
    for pandas objects, which doubles the time of a small export."""
    import pyarrow as pa

    offsets, data, valid = array.array("i", [0]), bytearray(), bytearray((len(values) + 7) // 8)
    for i, value in enumerate(values):
        if value is not None:
            data += value.encode("utf-8")
            valid[i // 8] |= 1 << (i % 8)
        offsets.append(len(data))
    buffers = [pa.py_buffer(bytes(valid)), pa.py_buffer(offsets.tobytes()), pa.py_buffer(bytes(data))]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)


def read(path: Path, table: str, fmt: str | None = None) -> list[dict[str, Any]]:
    """Read a file written by `write` back into plain rows that the table's model validates (a regular file
    only: see `rustcase.reading`)."""
    from rustcase.reading import open_regular, read_table_file

    fmt = check_format(fmt or path.suffix.lstrip("."))
    if fmt == "parquet":
        import pyarrow.parquet as pq

        with open_regular(path) as f:
            rows: list[dict[str, Any]] = pq.ParquetFile(f).read(use_threads=False).to_pylist()
        return rows
    if fmt == "jsonl":
        with open_regular(path) as f:
            return [json.loads(line) for line in f if line.strip()]  # split at b"\n" only, as written
    if fmt == "json":
        with open_regular(path) as f:
            loaded: list[dict[str, Any]] = json.load(f)
            return loaded
    from rustcase.schema import arrow_schema

    schema = arrow_schema(table)
    decoders = {field.name: _csv_decoder(field.type) for field in schema}
    return [
        {name: None if value is None or name not in decoders else decoders[name](value) for name, value in row.items()}
        for row in read_table_file(path, table, fmt).data.to_pylist()
    ]


def _csv_decoder(data_type: pa.DataType) -> Any:
    import pyarrow as pa

    if _nested(data_type):
        return json.loads
    if pa.types.is_integer(data_type):
        return int
    if pa.types.is_boolean(data_type):
        return {"true": True, "false": False}.__getitem__
    return str
