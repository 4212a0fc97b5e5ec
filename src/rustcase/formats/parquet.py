"""Parquet: the format the package's own tables ship in, so an export copies those files byte for byte."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa


def write(tables: Iterable[pa.Table], schema: pa.Schema, sink: IO[bytes], *, excel_safe: bool = False) -> None:
    import pyarrow.parquet as pq

    with pq.ParquetWriter(sink, schema) as writer:
        for table in tables:
            writer.write_table(table)


def read(path: Path, table: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    from rustcase.reading import open_regular

    with open_regular(path) as f:
        rows: list[dict[str, Any]] = pq.ParquetFile(f).read(use_threads=False).to_pylist()
    return rows
