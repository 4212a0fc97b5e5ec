"""Exporting tables to files: all or nothing, never overwriting without being asked, self-describing.

An export directory holds the data files, the JSON Schema of each table (``schema/``), a ``manifest.json``
(SHA-256, size, rows and content fingerprint of each file), a Frictionless ``datapackage.json`` and a
Croissant ``croissant.json``: `rustcase.verify_export` and ``frictionless validate`` check it anywhere.
An export of a corpus (`rustcase.corpus`) streams its tables and names the corpus instead of a data version:
its manifest has no fingerprints (computing them would read every record) and it has no Croissant file
(whose provenance and citation are the shipped data's).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rustcase import atomic, formats, metadata, store, versions
from rustcase.errors import CorpusError, ExportError
from rustcase.tables import TABLE_KEYS, check_table

if TYPE_CHECKING:
    from rustcase.dataset import Dataset
    from rustcase.engines import Source

MANIFEST = "manifest.json"


def export_tables(
    out: str | os.PathLike[str],
    fmt: str,
    tables: Sequence[str] = (),
    *,
    force: bool = False,
    version: str | None = None,
    corpus: str | os.PathLike[str] | None = None,
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
    (newest by default); ``corpus`` a corpus directory instead, whose tables are streamed batch by batch
    (every table it has by default; its columns must fit the schema, their values are not checked:
    `rustcase.corpus`). ``excel_safe`` guards CSV cells against spreadsheet formula injection (see
    `rustcase.formats.write`). ``progress`` is called with each named table once its file is written.
    """
    _check_excel_safe(fmt, excel_safe)
    if isinstance(tables, str):  # one table name, not a sequence of one-letter names
        tables = (tables,)
    asked = [check_table(name) for name in dict.fromkeys(tables)]
    version, found = _origin(version, corpus, asked)
    available = [t for t in TABLE_KEYS if found is None or t in found]
    names = asked or available
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
            kept = [t for t in available if t not in names and f"{t}.{fmt}" in present]
            every = names + kept
            stray = [t for t in TABLE_KEYS if t not in every and f"{t}.{fmt}" in present]
            if stray:
                raise ExportError(
                    f"{out / f'{stray[0]}.{fmt}'} is a table file the corpus has no table for, and the manifest "
                    "must cover every table file in the directory: use another directory"
                )
            data_names = [f"{name}.{fmt}" for name in every]
            meta_names = [*_described(found), *(f"schema/{n}.schema.json" for n in every)]
            transaction.check([*data_names, *meta_names, MANIFEST])
            tmp = transaction.staged
            entries = {}
            for name, file_name in zip(every, data_names, strict=True):
                with (tmp / file_name).open("wb") as sink:
                    _write(name, fmt, sink, version, found, excel_safe)
                entries[name] = _entry(tmp / file_name, name, version, found)
                if name in kept and not transaction.unchanged(file_name):
                    origin = f"data version {version}" if found is None else f"corpus {corpus}"
                    raise ExportError(
                        f"{out / file_name} is not the {name} table as this export writes it ({origin}), and the "
                        f"manifest must cover every table file in the directory: name {name} too (with "
                        "force=True, --force, to replace it), or use another directory"
                    )
                if progress and name in names:
                    progress(name)
            for name, content in _metadata(fmt, entries, version, excel_safe, _name(corpus)).items():
                (tmp / name).parent.mkdir(exist_ok=True)
                (tmp / name).write_bytes(content)
            transaction.commit([*data_names, *meta_names, MANIFEST])
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    return [out / f"{n}.{fmt}" for n in names]


_TABLE_FILES = {(t, f) for t in TABLE_KEYS for f in formats.FORMATS}
"""Every (table, format) pair whose file name, ``<table>.<format>``, is a table file."""


def _origin(
    version: str | None, corpus: str | os.PathLike[str] | None, asked: Sequence[str]
) -> tuple[str | None, dict[str, Source] | None]:
    """The data version (resolved) or the corpus's tables, having every table ``asked`` for."""
    if corpus is None:
        return versions.resolve(version), None
    if version is not None:
        raise ExportError("export a data version or a corpus, not both")
    from rustcase import corpus as corpora

    found = corpora.tables(corpus)
    lacking = [t for t in asked if t not in found]
    if lacking:
        raise CorpusError(
            f"{corpus}: no {lacking[0]} table (no {lacking[0]}.parquet, no {lacking[0]}/ of Parquet files)"
        )
    return None, found


def _name(corpus: str | os.PathLike[str] | None) -> str | None:
    """How a manifest names a corpus: its absolute path (printable, should it not be UTF-8)."""
    return None if corpus is None else os.fsencode(os.path.abspath(corpus)).decode("utf-8", "backslashreplace")


def _described(found: object) -> list[str]:
    """The metadata files beside the tables: a corpus has no Croissant file (its provenance is the data's)."""
    return ["datapackage.json"] if found is not None else ["datapackage.json", "croissant.json"]


def _entry(path: Path, table: str, version: str | None, found: dict[str, Source] | None) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    entry = {"path": path.name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}
    if found is not None:
        return {**entry, "rows": sum(found[table].rows)}
    shipped = versions.manifest(version or "")["tables"][table]
    return {**entry, "rows": shipped["rows"], "fingerprint": shipped["fingerprint"]}


def _metadata(
    fmt: str, entries: dict[str, dict[str, Any]], version: str | None, excel_safe: bool, corpus: str | None = None
) -> dict[str, bytes]:
    """The metadata files of an export of ``entries`` from a data ``version`` or a ``corpus`` (its name)."""
    if corpus is not None:
        manifest = {"corpus": corpus, "format": fmt, "excel_safe": excel_safe, "tables": entries}
        package = metadata.datapackage(fmt, entries, None, [{"title": corpus, "path": corpus}])
        files = {MANIFEST: formats.json_document(manifest), "datapackage.json": formats.json_document(package)}
        return {**files, **_schemas(entries)}
    version = version or ""
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
    return {**files, **_schemas(entries)}


def _schemas(entries: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    return {f"schema/{t}.schema.json": formats.json_document(metadata.tables()[t]["json_schema"]) for t in entries}


def write_table(
    table: str,
    fmt: str,
    sink: IO[bytes],
    version: str | None = None,
    *,
    excel_safe: bool = False,
    corpus: str | os.PathLike[str] | None = None,
) -> None:
    """Write one table in format ``fmt`` to a binary stream (for ``--out -``), of a data ``version`` or a
    ``corpus`` (streamed)."""
    _check_excel_safe(fmt, excel_safe)
    check_table(table)
    version, found = _origin(version, corpus, [table])
    _write(table, fmt, sink, version, found, excel_safe)


def _write(
    table: str, fmt: str, sink: IO[bytes], version: str | None, found: dict[str, Source] | None, excel_safe: bool
) -> None:
    if found is None:
        if formats.REGISTRY[fmt].shipped:
            sink.write(versions.read_file(version or "", table))
        else:
            formats.write(store.read_table(table, version), fmt, sink, excel_safe=excel_safe)
        return
    import pyarrow as pa

    from rustcase import corpus
    from rustcase.schema import arrow_schema

    source = found[table]
    try:
        formats.write_stream(corpus.batches(source), arrow_schema(table), fmt, sink, excel_safe=excel_safe)
    except (OSError, CorpusError):
        raise
    except (ValueError, ArithmeticError, pa.ArrowException) as exc:  # a value the schema's type cannot hold
        raise CorpusError(
            f"{corpus.location(source)}: cannot write {table} as {fmt}: {corpus.first_line(exc)} (rustcase "
            "validate lists the rows)"
        ) from None


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
