"""The file formats, one registry: each is a small module ``rustcase.formats.<name>`` that declares what it
writes and reads, loaded only when used (this registry imports neither pyarrow nor a tool's library, so
the command line can list the formats instantly).

Table formats (CSV, JSON, JSON Lines, Parquet) write one table per file, ``<table>.<extension>``: the
module has ``write(tables, schema, sink)`` (the file's rows, as a stream of Arrow tables) and
``read(path, table)``. Collection formats (brat, W3C Web Annotation,
Label Studio, spaCy, Hugging Face) write the dataset's texts and annotations as a tool reads them: the
module has ``write(ds, unit, about)`` returning the collection's files, and ``read(path, ds, ids)`` when
rustcase can import it back (`rustcase.imports`).
"""

from __future__ import annotations

import datetime
import importlib
import json as _json  # not `json`: the submodule rustcase.formats.json takes that name here once loaded
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from rustcase.errors import MissingExtraError, UnknownFormatError
from rustcase.offsets import UNITS

if TYPE_CHECKING:
    import pyarrow as pa


class Format(NamedTuple):
    """One format: what it is and what rustcase does with it."""

    name: str
    description: str
    collection: bool = False
    """A collection of the whole dataset for a tool, not one file per table."""
    media_type: str | None = None
    text: bool = True
    """UTF-8 text (not written to a terminal otherwise)."""
    hashable_bytes: bool = True
    """Frictionless can check the file's bytes and hash (it cannot count the bytes of a JSON array)."""
    excel_safe: bool = False
    """Can guard its cells against spreadsheet formula injection."""
    shipped: bool = False
    """The package's own tables are stored in it: an export copies them byte for byte."""
    reads: bool = True
    """rustcase reads it back: tables by `read`, collections by ``rustcase import``."""
    offsets: tuple[str, ...] = ("codepoint",)
    default_offsets: str = "codepoint"
    extra: str | None = None
    package: str | None = None
    """The optional package the module needs, installed by ``rustcase[extra]``."""

    def module(self) -> ModuleType:
        """The format's module; `MissingExtraError` when the package it needs is not installed."""
        if self.package is not None:
            try:
                importlib.import_module(self.package)
            except ImportError:
                raise MissingExtraError(self.package, self.extra or self.name) from None
        return importlib.import_module(f"rustcase.formats.{self.name}")


REGISTRY: Mapping[str, Format] = MappingProxyType(
    {
        f.name: f
        for f in (
            Format("csv", "CSV, lists and records as JSON text in the cell", media_type="text/csv", excel_safe=True),
            Format("json", "a JSON array of records", media_type="application/json", hashable_bytes=False),
            Format("jsonl", "JSON Lines, one record per line", media_type="application/jsonlines"),
            Format("parquet", "Apache Parquet", media_type="application/x-parquet", text=False, shipped=True),
            Format("brat", "brat standoff: .txt and .ann per article, annotation.conf", True, offsets=UNITS),
            Format("webanno", "W3C Web Annotation JSON-LD, its context shipped", True, reads=False),
            Format("labelstudio", "Label Studio tasks and config.xml", True, offsets=UNITS, default_offsets="utf16"),
            Format(
                "spacy",
                "a spaCy DocBin with span groups",
                True,
                text=False,
                reads=False,
                extra="spacy",
                package="spacy",
            ),
            Format(
                "hf",
                "a Hugging Face dataset directory",
                True,
                reads=False,
                offsets=UNITS,
                extra="hf",
                package="datasets",
            ),
        )
    }
)
"""Every format rustcase writes, by name (also the extension of a table format's files)."""

FORMATS = tuple(name for name, f in REGISTRY.items() if not f.collection)
"""The table formats: one file per table, ``<table>.<format>``."""

COLLECTIONS = tuple(name for name, f in REGISTRY.items() if f.collection)
"""The collection formats, for annotation and training tools."""

VECTOR_ROWS = 10_000
"""From this many rows on, JSON text is built by Arrow compute instead of ``json.dumps`` row by row (same
bytes); below it, importing ``pyarrow.compute`` would cost more than it saves."""


def check_format(fmt: str) -> str:
    """Return ``fmt`` if it is a table format, else raise `UnknownFormatError`."""
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise UnknownFormatError(f"unknown format {fmt!r}; the formats are: {', '.join(FORMATS)}")
    return fmt


def check_collection(fmt: str, offsets: str | None = None) -> tuple[Format, str]:
    """The collection format ``fmt`` and the offset unit to write (its default when ``offsets`` is None)."""
    from rustcase.errors import ExportError

    spec = REGISTRY.get(fmt) if isinstance(fmt, str) else None
    if spec is None or not spec.collection:
        raise UnknownFormatError(f"unknown collection format {fmt!r}; the formats are: {', '.join(COLLECTIONS)}")
    unit = spec.default_offsets if offsets is None else offsets
    if unit not in spec.offsets:
        raise ExportError(f"{fmt} carries offsets in {' or '.join(spec.offsets)}, not {unit!r}")
    return spec, unit


def _json_default(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_document(value: object) -> bytes:
    """A metadata file's content: indented JSON, UTF-8 kept as is, a final newline."""
    return (_json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def dumps(value: object) -> str:
    """Compact JSON of a value, UTF-8 text kept as is, dates as ISO 8601."""
    return _json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def nested(data_type: pa.DataType) -> bool:
    """Whether an Arrow type is a list or a struct (JSON text in a CSV cell)."""
    import pyarrow as pa

    return bool(pa.types.is_list(data_type) or pa.types.is_struct(data_type))


def write(table: pa.Table, fmt: str, sink: IO[bytes], *, excel_safe: bool = False) -> None:
    """Write ``table`` to a binary stream in table format ``fmt`` (``excel_safe``: see `rustcase.formats.csv`)."""
    write_stream([table], table.schema, fmt, sink, excel_safe=excel_safe)


def write_stream(
    tables: Iterable[pa.Table], schema: pa.Schema, fmt: str, sink: IO[bytes], *, excel_safe: bool = False
) -> None:
    """Write the rows of ``tables`` (each of ``schema``) as one file, one table at a time, in the memory of one:
    the text formats write the bytes `write` writes for them all at once; Parquet, a row group per table."""
    REGISTRY[check_format(fmt)].module().write(tables, schema, sink, excel_safe=excel_safe)


def read(path: Path, table: str, fmt: str | None = None) -> list[dict[str, Any]]:
    """Read a file written by `write` back into plain rows that the table's model validates (a regular file
    only: see `rustcase.reading`)."""
    rows: list[dict[str, Any]] = REGISTRY[check_format(fmt or path.suffix.lstrip("."))].module().read(path, table)
    return rows
