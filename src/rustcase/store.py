"""Reading the shipped tables: the Parquet files inside the package, as Arrow tables and data frames.

This layer needs only pyarrow: the typed records (pydantic) are in `rustcase.dataset`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rustcase import versions
from rustcase.errors import DataFileError, MissingExtraError, RustcaseError
from rustcase.tables import TABLE_KEYS, check_table

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa


def paths(version: str | None = None) -> dict[str, Path]:
    """The shipped Parquet file of every table, for engines such as DuckDB, Spark or polars."""
    version = versions.resolve(version)
    files = versions.manifest(version)["tables"]
    return {table: versions.data_root() / version / files[table]["path"] for table in TABLE_KEYS}


def read_table(table: str, version: str | None = None) -> pa.Table:
    """One table as a ``pyarrow.Table`` (newest data by default), its file checked against the manifest."""
    return _read_table(check_table(table), versions.resolve(version))


@functools.cache
def _read_table(table: str, version: str) -> pa.Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    content = versions.read_file(version, table)
    try:
        # No reader threads: with them, pyarrow 26 now and then aborts the process at exit ("terminate called
        # without an active exception"; 1 run in ~200 here), and these files are too small to gain from them.
        data = pq.ParquetFile(pa.BufferReader(content)).read(use_threads=False)
    except (OSError, pa.ArrowException) as exc:
        raise DataFileError(f"{paths(version)[table]}: cannot read the {table} table: {exc}") from exc
    check_fingerprint(table, version, "rows", versions.rows_fingerprint(data.to_pylist()))
    return _read_only(data)


def _read_only(data: pa.Table) -> pa.Table:
    """The same table over immutable memory: every caller shares it, and one writing into its buffers (as
    ``numpy.frombuffer`` allows on Arrow's own allocations) would change what the next one reads."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, data.schema) as writer:
        writer.write_table(data)
    return pa.ipc.open_stream(pa.py_buffer(sink.getvalue().to_pybytes())).read_all()


def check_fingerprint(table: str, version: str, what: str, fingerprint: str) -> None:
    """Raise `DataFileError` unless the content read from a table's file has the manifest's fingerprint:
    a pin holds for the data actually read, not only for what the files say of themselves."""
    expected = versions.manifest(version)["tables"][table]["fingerprint"]
    if fingerprint != expected:
        raise DataFileError(
            f"{paths(version)[table]}: the {table} {what} read have content fingerprint {fingerprint}, "
            f"not the manifest's {expected}; the data was changed"
        )


def _optional(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module, extra) from None


def _arrow(table: str | pa.Table, version: str | None) -> pa.Table:
    """A table name's shipped table, or an Arrow table as it is (a query result, a filtered table)."""
    if isinstance(table, str):
        return read_table(table, version)
    import pyarrow as pa

    if isinstance(table, pa.Table):
        if version is not None:
            raise RustcaseError("version= selects a shipped table by name; an Arrow table is converted as it is")
        return table
    return read_table(table, version)  # not a name: UnknownTableError says what the tables are


def to_pandas(table: str | pa.Table, version: str | None = None) -> pd.DataFrame:
    """A table (a name, or any Arrow table) as a pandas DataFrame with Arrow-backed dtypes (needs ``rustcase[pandas]``).

    Every column keeps its Arrow type (``int64[pyarrow]``, ``string[pyarrow]``, lists and structs, dates), so
    an integer column with nulls stays integer and every missing value is ``pd.NA``.
    """
    pandas = _optional("pandas", "pandas")
    frame: pd.DataFrame = _arrow(table, version).to_pandas(types_mapper=pandas.ArrowDtype)
    return frame


def to_polars(table: str | pa.Table, version: str | None = None) -> pl.DataFrame:
    """A table (a name, or any Arrow table) as a polars DataFrame (needs ``rustcase[polars]``)."""
    polars = _optional("polars", "polars")
    frame: pl.DataFrame = polars.from_arrow(_arrow(table, version))
    return frame
