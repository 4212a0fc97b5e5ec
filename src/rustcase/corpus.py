"""A corpus scanned, never read whole: its tables as the source of ``export --corpus`` and ``sql --corpus``.

A corpus is a directory as `rustcase.engines` finds it: per table, ``<table>.parquet`` or a ``<table>/``
directory of Parquet files, hive-style ``key=value/`` directories included (the keys are storage layout,
not columns: they are left out). Every file must hold exactly the schema's columns, of types that cast to
it; the values are not checked, which is ``rustcase validate``'s work. Tables the corpus lacks are absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rustcase.errors import CorpusError

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.dataset as pds

    from rustcase.engines import Source

BATCH_BYTES = 4 * 2**20
"""About how many bytes of rows (as Parquet counts them, uncompressed) one batch holds when a table is
streamed, and at most `BATCH_ROWS` rows: an export's memory is bounded by a batch, whatever the corpus."""
BATCH_ROWS = 16_384


def tables(path: str | os.PathLike[str]) -> dict[str, Source]:
    """The tables of the corpus directory ``path``, by table, each file's columns checked against the schema.

    A column is missing or extra, or of a type that does not cast to the schema's (any integer width, any
    string type, lists and records of such do): `CorpusError` names the first such file and column.
    """
    from rustcase import checks
    from rustcase.engines import sources
    from rustcase.schema import arrow_schema
    from rustcase.validation import Problem, Report

    root = Path(path)
    if not root.is_dir():
        raise CorpusError(
            f"{path}: not a directory; a corpus is a directory of <table>.parquet files or <table>/ directories"
        )
    report = Report()
    found = sources(root, report)
    problems = list(report.problems)
    for table, source in found.items():
        want = arrow_schema(table)
        for file, have in zip(source.files, source.schemas, strict=True):  # from the footers `sources` read
            problems += [Problem(file, None, n, checks.UNEXPECTED_COLUMN) for n in have.names if n not in want.names]
            for field in want:
                if field.name not in have.names:
                    problems.append(Problem(file, None, field.name, checks.MISSING_COLUMN))
                elif not fits(have.field(field.name).type, field.type):
                    kind = have.field(field.name).type
                    problems.append(Problem(file, None, field.name, f"column type {kind} cannot hold {field.type}"))
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise CorpusError(f"{problems[0]}{more}")
    return found


def fits(have: pa.DataType, want: pa.DataType) -> bool:
    """Whether a column of type ``have`` casts to the schema's ``want`` value for value: the same type, any
    integer width, any string type (dictionary-encoded too), lists and records whose items fit, or nulls only."""
    import pyarrow as pa

    types = pa.types
    if have == want or types.is_null(have):
        return True
    if types.is_dictionary(have):
        return fits(have.value_type, want)
    if types.is_integer(want):
        return bool(types.is_integer(have))
    if types.is_string(want):
        return any(k(have) for k in (types.is_string, types.is_large_string, types.is_string_view))
    if types.is_list(want):
        return bool(types.is_list(have) or types.is_large_list(have)) and fits(have.value_type, want.value_type)
    if types.is_struct(want):
        names = [want.field(i).name for i in range(want.num_fields)]
        return (
            types.is_struct(have)
            and [have.field(i).name for i in range(have.num_fields)] == names
            and all(fits(have.field(n).type, want.field(n).type) for n in names)
        )
    return False


def dataset(source: Source) -> pds.Dataset:
    """A table's files as one ``pyarrow.dataset`` of the schema's columns and types, scanned lazily (DuckDB
    scans it as a view; `batches` streams it)."""
    import pyarrow.dataset as pds

    from rustcase.schema import arrow_schema

    unbuffered = pds.ParquetFileFormat(default_fragment_scan_options=pds.ParquetFragmentScanOptions(pre_buffer=False))
    return pds.dataset(list(source.files), schema=arrow_schema(source.table), format=unbuffered)


def batches(source: Source) -> Iterator[pa.Table]:
    """A table's rows in file-name order, cast to the schema, about `BATCH_BYTES` at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(source.files[0])
        width = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)) / max(meta.num_rows, 1)
        rows = max(1, min(BATCH_ROWS, int(BATCH_BYTES / max(width, 1))))
        scan = dataset(source).to_batches(batch_size=rows, use_threads=False, batch_readahead=0, fragment_readahead=0)
        for batch in scan:
            yield pa.Table.from_batches([batch])
    except (OSError, pa.ArrowException) as exc:
        raise CorpusError(f"{location(source)}: cannot read: {first_line(exc)}") from None


def location(source: Source) -> str:
    """Where a table is: its one file, or the directory that holds its files."""
    return source.files[0] if len(source.files) == 1 else os.path.commonpath(source.files)


def first_line(exc: Exception) -> str:
    """An exception's message as one line of at most 300 characters."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
