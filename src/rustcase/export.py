"""Exporting tables to files: all or nothing, never overwriting without being asked, self-describing.

An export directory holds the data files, the JSON Schema of each table (``schema/``), a ``manifest.json``
(SHA-256, size, rows and content fingerprint of each file), a Frictionless ``datapackage.json`` and a
Croissant ``croissant.json``: `rustcase.verify_export` and ``frictionless validate`` check it anywhere.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rustcase import atomic, formats, metadata, store, versions
from rustcase.errors import ExportError
from rustcase.tables import TABLE_KEYS, check_table

if TYPE_CHECKING:
    from rustcase.dataset import Dataset

MANIFEST = "manifest.json"


def export_tables(
    out: str | os.PathLike[str],
    fmt: str,
    tables: Sequence[str] = (),
    *,
    force: bool = False,
    version: str | None = None,
    excel_safe: bool = False,
    progress: Callable[[str], object] | None = None,
) -> list[Path]:
    """Write each table (every table by default) to ``out/<table>.<fmt>``, with the metadata files.

    Returns the data files' paths. All or nothing (`rustcase.atomic`): the files are written to a hidden
    directory inside ``out`` and moved into place only when complete; a failure leaves ``out`` as it was.
    An existing file whose content changes is replaced only with ``force``; a symlink, directory, FIFO or
    device is never replaced. The manifest covers every table file in ``out``: a table file already there
    (same format, not named) is kept and listed if it is exactly what this export writes for it, else the
    export refuses; so does a table file of another format. ``version`` selects a shipped data version
    (newest by default); ``excel_safe`` guards CSV cells against spreadsheet formula injection (see
    `rustcase.formats.write`). ``progress`` is called with each named table once its file is written.
    """
    _check_excel_safe(fmt, excel_safe)
    version = versions.resolve(version)
    if isinstance(tables, str):  # one table name, not a sequence of one-letter names
        tables = (tables,)
    names = [check_table(name) for name in dict.fromkeys(tables)] or list(TABLE_KEYS)
    out = atomic.output_path(out)
    try:
        with atomic.Transaction(out, force=force, prefix=".rustcase-export-") as transaction:
            present = transaction.existing()
            foreign = [n for n in present if n.rpartition(".")[::2] in _TABLE_FILES and not n.endswith(f".{fmt}")]
            if foreign:
                raise ExportError(
                    f"{out / foreign[0]} is a table file in another format; an export directory holds one format "
                    "(its manifest.json names it): use another directory"
                )
            kept = [t for t in TABLE_KEYS if t not in names and f"{t}.{fmt}" in present]
            every = names + kept
            data_names = [f"{name}.{fmt}" for name in every]
            meta_names = ["datapackage.json", "croissant.json", *(f"schema/{n}.schema.json" for n in every)]
            transaction.check([*data_names, *meta_names, MANIFEST])
            tmp = transaction.staged
            entries = {}
            for name, file_name in zip(every, data_names, strict=True):
                with (tmp / file_name).open("wb") as sink:
                    write_table(name, fmt, sink, version, excel_safe=excel_safe)
                entries[name] = _entry(tmp / file_name, name, version)
                if name in kept and not transaction.unchanged(file_name):
                    raise ExportError(
                        f"{out / file_name} is not the {name} table as this export writes it (data version "
                        f"{version}), and the manifest must cover every table file in the directory: name "
                        f"{name} too (with force=True, --force, to replace it), or use another directory"
                    )
                if progress and name in names:
                    progress(name)
            for name, content in _metadata(fmt, entries, version, excel_safe).items():
                (tmp / name).parent.mkdir(exist_ok=True)
                (tmp / name).write_bytes(content)
            transaction.commit([*data_names, *meta_names, MANIFEST])
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    return [out / f"{n}.{fmt}" for n in names]


_TABLE_FILES = {(t, f) for t in TABLE_KEYS for f in formats.FORMATS}
"""Every (table, format) pair whose file name, ``<table>.<format>``, is a table file."""


def _entry(path: Path, table: str, version: str) -> dict[str, Any]:
    content = path.read_bytes()
    shipped = versions.manifest(version)["tables"][table]
    return {
        "path": path.name,
        "bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "rows": shipped["rows"],
        "fingerprint": shipped["fingerprint"],
    }


def _metadata(fmt: str, entries: dict[str, dict[str, Any]], version: str, excel_safe: bool) -> dict[str, bytes]:
    articles = store.read_table("articles", version).select(["headline", "source_file", "source_url"])
    sources = [
        {"title": a["headline"] or a["source_file"], "path": a["source_url"]}
        for a in articles.to_pylist()
        if a["source_url"]
    ]
    manifest = {
        "data_version": version,
        "format": fmt,
        "excel_safe": excel_safe,
        "fingerprint": versions.dataset_fingerprint({t: e["fingerprint"] for t, e in entries.items()}),
        "tables": entries,
    }
    files = {
        MANIFEST: formats.json_document(manifest),
        "datapackage.json": formats.json_document(metadata.datapackage(fmt, entries, version, sources)),
        "croissant.json": formats.json_document(metadata.croissant(fmt, entries, version)),
    }
    files.update(
        {f"schema/{t}.schema.json": formats.json_document(metadata.tables()[t]["json_schema"]) for t in entries}
    )
    return files


def write_table(table: str, fmt: str, sink: IO[bytes], version: str | None = None, *, excel_safe: bool = False) -> None:
    """Write one table in format ``fmt`` to a binary stream (for ``--out -``)."""
    _check_excel_safe(fmt, excel_safe)
    check_table(table)
    version = versions.resolve(version)
    if formats.REGISTRY[fmt].shipped:
        sink.write(versions.read_file(version, table))
    else:
        formats.write(store.read_table(table, version), fmt, sink, excel_safe=excel_safe)


def _check_excel_safe(fmt: str, excel_safe: bool) -> None:
    formats.check_format(fmt)
    if excel_safe and not formats.REGISTRY[fmt].excel_safe:
        raise ExportError(f"excel_safe (--excel-safe) applies to CSV only, not {fmt}")


def about(ds: Dataset, unit: str) -> dict[str, str]:
    """What a collection records in its format's own metadata place: versions, fingerprint, offset unit."""
    from importlib.metadata import version

    return {
        "rustcase_version": version("rustcase"),
        "data_version": ds.version,
        "fingerprint": ds.fingerprint,
        "offsets": unit,
    }


def collection(fmt: str, ds: Dataset, offsets: str | None = None) -> dict[str, bytes]:
    """The files of ``ds`` in collection format ``fmt`` (relative name → content), ``manifest.json`` included."""
    spec, unit = formats.check_collection(fmt, offsets)
    module = spec.module()
    info = about(ds, unit)
    files: dict[str, bytes] = module.write(ds, unit, info)
    listed = {n: {"bytes": len(c), "sha256": hashlib.sha256(c).hexdigest()} for n, c in sorted(files.items())}
    return {**files, MANIFEST: formats.json_document({"format": fmt, **info, "files": listed})}


def export_collection(
    out: str | os.PathLike[str],
    fmt: str,
    *,
    offsets: str | None = None,
    version: str | None = None,
    force: bool = False,
    dataset: Dataset | None = None,
) -> list[Path]:
    """Write the dataset (the shipped ``version``, or ``dataset``) into ``out`` as collection format ``fmt``
    (brat, webanno, labelstudio, spacy, hf), offsets counted in ``offsets`` (the tool's unit by default).

    All or nothing, like `export_tables` (the same `rustcase.atomic.Transaction`); an existing file is
    replaced only with ``force``. Returns the paths written, the manifest last.
    """
    from rustcase.dataset import load

    formats.check_collection(fmt, offsets)
    out = atomic.output_path(out)
    files = collection(fmt, dataset if dataset is not None else load(version), offsets)
    names = [*sorted(n for n in files if n != MANIFEST), MANIFEST]
    try:
        with atomic.Transaction(out, force=force, prefix=".rustcase-export-") as transaction:
            transaction.check(names)
            for name in names:
                path = transaction.staged / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[name])
            transaction.commit(names)
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    return [out / n for n in names]
