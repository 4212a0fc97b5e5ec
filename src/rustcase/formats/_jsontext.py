"""JSON text of Arrow columns, shared by the JSON, JSON Lines and CSV formats: row by row with ``json.dumps``
for small tables, by Arrow compute from `rustcase.formats.VECTOR_ROWS` rows on (the same bytes)."""

from __future__ import annotations

import array
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from rustcase import formats
from rustcase.formats import dumps

if TYPE_CHECKING:
    import pyarrow as pa


def write(tables: Iterable[pa.Table], sink: IO[bytes], lines: bool) -> None:
    """The rows of ``tables`` as JSON Lines (``lines``) or as one JSON array of records."""
    if lines:
        for table in tables:
            sink.write(_records(table, b"\n"))
        return
    sink.write(b"[\n")
    separator = b""
    for table in tables:
        if table.num_rows:
            sink.write(separator)
            sink.write(_records(table, b",\n")[:-2])
            separator = b",\n"
    sink.write(b"\n]\n" if separator else b"]\n")


def _records(table: pa.Table, end: bytes) -> bytes:
    """Each row's JSON object followed by ``end``."""
    if table.num_rows >= formats.VECTOR_ROWS:
        return _json_lines(table, end)
    return b"".join(dumps(row).encode() + end for row in table.to_pylist())


def cells(column: pa.ChunkedArray) -> pa.Array:
    """A list or struct column as JSON text cells (null stays null)."""
    import pyarrow as pa

    texts = _json_texts(column) if len(column) >= formats.VECTOR_ROWS else None
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


def _json_lines(table: pa.Table, end: bytes) -> bytes:
    """Each record, followed by ``end``, assembled from per-column JSON texts by Arrow compute."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts: list[object] = ["{"]
    for i, (name, column) in enumerate(zip(table.column_names, table.columns, strict=True)):
        text = _json_texts(column)
        if text is None:
            text = _string_array([dumps(v) for v in column.to_pylist()])
        parts += [("," if i else "") + dumps(name) + ":", text]
    lines = pc.binary_join_element_wise(*parts, "}" + end.decode(), "")
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    _, offsets, data = lines.buffers()
    bounds = memoryview(offsets).cast("i")
    body: bytes = data.to_pybytes()[bounds[lines.offset] : bounds[lines.offset + len(lines)]]
    return body


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
