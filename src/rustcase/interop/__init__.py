"""Exports into the tools where text is annotated and models are trained: brat, W3C Web Annotation,
Label Studio, spaCy and Hugging Face.

Each format is a small module (``rustcase.interop.<name>``) with a ``write(ds, unit, about)`` function that
returns the files of a collection (relative name → bytes); `FORMATS` records what each one is. The export
writes them all or nothing with `rustcase.atomic.Transaction` and a ``manifest.json`` beside them.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from rustcase.errors import ExportError, MissingExtraError, UnknownFormatError
from rustcase.interop.offsets import UNITS

if TYPE_CHECKING:
    from rustcase.dataset import Dataset


class Format(NamedTuple):
    """A collection format: what it is, the extra whose package it needs, its offset units, whether it reads."""

    name: str
    description: str
    offsets: tuple[str, ...] = ("codepoint",)
    default_offsets: str = "codepoint"
    extra: str | None = None
    package: str | None = None
    reads: bool = False


_ALL = (
    Format("brat", "brat standoff: .txt and .ann per article, annotation.conf, visual.conf", UNITS, reads=True),
    Format("webanno", "W3C Web Annotation JSON-LD, with its context shipped"),
    Format("labelstudio", "Label Studio tasks with pre-annotations, and config.xml", UNITS, "utf16", reads=True),
    Format("spacy", "a spaCy DocBin: one Doc per article, span groups", extra="spacy", package="spacy"),
    Format(
        "hf",
        "a Hugging Face dataset directory: a card, a Parquet config per table",
        UNITS,
        extra="hf",
        package="datasets",
    ),
)
FORMATS: Mapping[str, Format] = MappingProxyType({f.name: f for f in _ALL})
"""Every collection format rustcase exports (``rustcase export --format NAME``), by name."""

MANIFEST = "manifest.json"


def check_format(fmt: str, offsets: str | None = None) -> tuple[Format, str]:
    """The format named ``fmt`` and the offset unit to write (its default when ``offsets`` is None)."""
    spec = FORMATS.get(fmt) if isinstance(fmt, str) else None
    if spec is None:
        raise UnknownFormatError(f"unknown collection format {fmt!r}; the formats are: {', '.join(FORMATS)}")
    unit = spec.default_offsets if offsets is None else offsets
    if unit not in spec.offsets:
        raise ExportError(f"{fmt} carries offsets in {' or '.join(spec.offsets)}, not {unit!r}")
    return spec, unit


def about(ds: Dataset, unit: str) -> dict[str, str]:
    """What every export records in its format's own metadata place."""
    from importlib.metadata import version

    return {
        "rustcase_version": version("rustcase"),
        "data_version": ds.version,
        "fingerprint": ds.fingerprint,
        "offsets": unit,
    }


def _module(spec: Format) -> Any:
    if spec.package is not None:
        try:
            importlib.import_module(spec.package)
        except ImportError:
            raise MissingExtraError(spec.package, spec.extra or spec.name) from None
    return importlib.import_module(f"rustcase.interop.{spec.name}")


def collection(fmt: str, ds: Dataset, offsets: str | None = None) -> dict[str, bytes]:
    """The files of ``ds`` in collection format ``fmt`` (relative name → content), manifest included."""
    spec, unit = check_format(fmt, offsets)
    module = _module(spec)
    info = about(ds, unit)
    files: dict[str, bytes] = module.write(ds, unit, info)
    from rustcase.formats import json_document

    manifest = {
        "format": fmt,
        **info,
        "files": {
            name: {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for name, content in sorted(files.items())
        },
    }
    return {**files, MANIFEST: json_document(manifest)}


def export_collection(
    out: str | os.PathLike[str],
    fmt: str,
    *,
    offsets: str | None = None,
    version: str | None = None,
    force: bool = False,
    dataset: Dataset | None = None,
) -> list[Path]:
    """Write the dataset (the shipped ``version``, or ``dataset``) into ``out`` as collection format ``fmt``.

    All or nothing, as `rustcase.export_tables` (the same `rustcase.atomic.Transaction`): nothing changes in
    ``out`` unless every file is written; an existing file is replaced only with ``force``.
    Returns the paths written, the manifest last.
    """
    from rustcase import atomic
    from rustcase.dataset import load

    check_format(fmt, offsets)
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


def to_hf(table: str, version: str | None = None) -> Any:
    """A table of a shipped data version as a ``datasets.Dataset``, enumerations as ``ClassLabel`` (extra ``hf``)."""
    from rustcase.dataset import load
    from rustcase.tables import check_table

    check_table(table)
    hf = _module(FORMATS["hf"])
    import datasets

    ds = load(version)
    return datasets.Dataset.from_list(hf.rows(ds, table, "codepoint"), features=hf.features(table))
