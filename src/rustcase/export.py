"""Exporting tables to files: all or nothing, never overwriting without being asked."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from rustcase import formats, store
from rustcase.errors import ExportError
from rustcase.models import TABLES
from rustcase.schema import table_model


def export_tables(
    out: str | os.PathLike[str],
    fmt: str,
    tables: Sequence[str] = (),
    *,
    force: bool = False,
) -> list[Path]:
    """Write each table (every table by default) to ``out/<table>.<fmt>`` and return the paths.

    Files are written to a temporary directory inside ``out`` and moved into place only when all are
    complete, so a failed export leaves the directory as it was. Existing files are replaced only
    with ``force``.
    """
    formats.check_format(fmt)
    names = list(dict.fromkeys(tables)) or list(TABLES)
    for name in names:
        table_model(name)
    out = Path(out)
    targets = [out / f"{name}.{fmt}" for name in names]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise ExportError(f"would overwrite {', '.join(existing)}; pass force=True (--force) to replace them")
    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".rustcase-export-", dir=out))
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    try:
        for name, target in zip(names, targets, strict=True):
            with (tmp / target.name).open("wb") as sink:
                write_table(name, fmt, sink)
        for target in targets:
            os.replace(tmp / target.name, target)
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return targets


def write_table(table: str, fmt: str, sink: IO[bytes]) -> None:
    """Write one table in format ``fmt`` to a binary stream (for ``--out -``)."""
    formats.check_format(fmt)
    table_model(table)
    if fmt == "parquet":
        with store.paths()[table].open("rb") as source:
            shutil.copyfileobj(source, sink)
    else:
        formats.write(store.read_table(table), fmt, sink)
