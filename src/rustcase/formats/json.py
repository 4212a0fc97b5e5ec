"""JSON: one array of records, one record per line (the same values as JSON Lines)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rustcase.formats import _jsontext

if TYPE_CHECKING:
    import pyarrow as pa


def write(tables: Iterable[pa.Table], schema: pa.Schema, sink: IO[bytes], *, excel_safe: bool = False) -> None:
    _jsontext.write(tables, sink, lines=False)


def read(path: Path, table: str) -> list[dict[str, Any]]:
    from rustcase.reading import open_regular

    with open_regular(path) as f:
        loaded: list[dict[str, Any]] = json.load(f)
        return loaded
