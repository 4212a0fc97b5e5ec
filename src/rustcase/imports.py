"""Bringing an annotator's corrections back: a brat collection or Label Studio tasks → a rustcase export
directory (every table, ``<table>.<format>``) that `rustcase.validate` accepts.

A format module's ``read(path, ds, ids)`` returns the quotes and mentions the tool holds, as `Edit` rows
with the fields the format carries and the place each came from. Every other field is taken from the
shipped record with the same ID (a new record gets the empty value: no utterance, no note), and the result
says which fields came from where. A span whose text is not the article's text at its offsets is an error
with its place, never shifted to fit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rustcase.errors import CollectionError
from rustcase.offsets import Offsets

if TYPE_CHECKING:
    from rustcase.dataset import Dataset

QUOTE_DEFAULTS: dict[str, Any] = {
    "co_speaker_ids": (),
    "utterance_id": None,
    "utterance_relation": None,
    "note": None,
    "addressee_id": None,
    "parent_quote_id": None,
    "continues_quote_id": None,
    "cue": None,
    "cue_start": None,
    "cue_end": None,
}
"""A new quote's fields that no annotation tool format carries, or that it leaves out when empty."""


@dataclass
class Edit:
    """One record as the tool holds it: the fields it carries, and where it stands (``file:line``)."""

    table: str
    fields: dict[str, Any]
    place: str


@dataclass
class Ids:
    """New IDs for records the annotator added: the next free number in the article, per table."""

    taken: set[str]
    used: set[str] = field(default_factory=set)

    def new(self, prefix: str, article_id: str, width: int) -> str:
        number = article_id.removeprefix("art-")
        sequence = 1
        while f"{prefix}-{number}-{sequence:0{width}d}" in self.taken:
            sequence += 1
        ident = f"{prefix}-{number}-{sequence:0{width}d}"
        self.taken.add(ident)
        return ident


@dataclass
class ImportResult:
    """What an import wrote and where each field came from."""

    paths: list[Path]
    carried: dict[str, list[str]]
    shipped: dict[str, list[str]]
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """One line per fact, for the command line."""
        lines = [
            f"{table}: {', '.join(self.carried[table])} from the collection; "
            f"{', '.join(self.shipped[table]) or 'nothing'} from the shipped data by ID"
            for table in self.carried
        ]
        return [
            *lines,
            f"{len(self.changed)} record(s) changed, {len(self.added)} added, {len(self.removed)} removed",
        ]


def span(text: str, offsets: Offsets, pieces: list[tuple[int, int]], expected: str, place: str) -> tuple[int, int]:
    """The code point start and end of a span given in the collection's unit, in one or more pieces whose
    texts, joined by a space, must be ``expected``; anything else is a `CollectionError` at ``place``."""
    try:
        points = [(offsets.decode(s), offsets.decode(e)) for s, e in pieces]
    except ValueError as exc:
        raise CollectionError(f"{place}: {exc} (offsets count {offsets.unit})") from None
    found = " ".join(text[s:e] for s, e in points)
    if not points or any(not s < e for s, e in points) or found != expected:
        where = ";".join(f"{s} {e}" for s, e in pieces)
        raise CollectionError(
            f"{place}: the span {where} ({offsets.unit}) reads {found[:60]!r} in the article, not {expected[:60]!r}"
        )
    return points[0][0], points[-1][1]


def read_source(path: Path) -> bytes:
    """The bytes of a collection's file; a FIFO, device or directory is refused unopened, never waited on."""
    from rustcase.reading import open_regular

    try:
        with open_regular(path) as f:
            return f.read()
    except (OSError, ValueError) as exc:  # `InputFileError` is a ValueError
        raise CollectionError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def read_text(path: Path) -> str:
    """A collection's text file, which must be UTF-8."""
    try:
        return read_source(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CollectionError(f"{path}: cannot read: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def article_text(ds: Dataset, article_id: object, text: str | None, place: str) -> str:
    """The shipped article's text; the collection's copy of it, when it has one, must be the same."""
    if not isinstance(article_id, str) or article_id not in ds.articles:
        raise CollectionError(f"{place}: {article_id!r} is not an article of data version {ds.version}")
    shipped = ds.articles[article_id].text
    if text is not None and text != shipped:
        raise CollectionError(f"{place}: the text differs from article {article_id} of data version {ds.version}")
    return shipped


def record_id(ids: Ids, claimed: str | None, prefix: str, article_id: str, width: int, place: str) -> str:
    """The record's rustcase ID: the one the collection gives, or a new one."""
    if claimed is None:
        return ids.new(prefix, article_id, width)
    if not claimed.startswith(f"{prefix}-{article_id.removeprefix('art-')}-"):
        raise CollectionError(f"{place}: {claimed!r} is not a {prefix}- ID of article {article_id}")
    if claimed in ids.used:
        raise CollectionError(f"{place}: {claimed} stands twice in the collection")
    ids.used.add(claimed)
    ids.taken.add(claimed)
    return claimed


def merge(ds: Dataset, edits: list[Edit]) -> tuple[dict[str, list[Any]], ImportResult]:
    """The records after the edits: each carried field from the tool, the rest from the shipped record."""
    from rustcase.models import TABLES

    records: dict[str, list[Any]] = {}
    result = ImportResult(paths=[], carried={}, shipped={})
    for table in ("quotes", "mentions"):
        spec = TABLES[table]
        shipped = getattr(ds, table)
        rows = [e for e in edits if e.table == table]
        carried = sorted({k for e in rows for k in e.fields})
        result.carried[table] = carried
        result.shipped[table] = [f for f in spec.model.model_fields if f not in carried]
        out = []
        for edit in rows:
            key = edit.fields[spec.key]
            base = shipped[key].model_dump() if key in shipped else dict(QUOTE_DEFAULTS if table == "quotes" else {})
            try:
                record = spec.model.model_validate({**base, **edit.fields})
            except ValueError as exc:
                first = str(exc).splitlines()
                raise CollectionError(f"{edit.place}: {key}: {' '.join(first[1:3]) or first[0]}") from None
            if key not in shipped:
                result.added.append(key)
            elif record != shipped[key]:
                result.changed.append(key)
            out.append(record)
        seen = {r.model_dump()[spec.key] for r in out}
        result.removed += [key for key in shipped if key not in seen]
        records[table] = sorted(out, key=lambda r: r.model_dump()[spec.key])
    return records, result


def import_collection(
    fmt: str,
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    table_format: str = "jsonl",
    version: str | None = None,
    force: bool = False,
) -> ImportResult:
    """Read a brat collection directory or Label Studio tasks file and write every table to ``out``.

    Quotes and mentions come from the collection; the other tables, and the fields the format does not
    carry, from the shipped data ``version`` (newest by default). All or nothing, like an export.
    """
    import pyarrow as pa

    from rustcase import atomic, formats
    from rustcase.dataset import load
    from rustcase.errors import ExportError
    from rustcase.formats import REGISTRY
    from rustcase.schema import arrow_schema
    from rustcase.tables import TABLE_KEYS

    if fmt not in REGISTRY or not REGISTRY[fmt].collection or not REGISTRY[fmt].reads:
        readable = [f.name for f in REGISTRY.values() if f.collection and f.reads]
        raise CollectionError(f"rustcase imports {' and '.join(readable)}, not {fmt!r}")
    formats.check_format(table_format)
    ds = load(version)
    module = REGISTRY[fmt].module()
    taken = {*ds.quotes, *ds.mentions}
    edits = module.read(Path(source), ds, Ids(taken))
    records, result = merge(ds, edits)
    out = atomic.output_path(out)
    names = [f"{table}.{table_format}" for table in TABLE_KEYS]
    try:
        with atomic.Transaction(out, force=force, prefix=".rustcase-import-") as transaction:
            transaction.check(names)
            for table, name in zip(TABLE_KEYS, names, strict=True):
                rows = [r.model_dump() for r in records.get(table, getattr(ds, table).values())]
                with (transaction.staged / name).open("wb") as sink:
                    formats.write(pa.Table.from_pylist(rows, schema=arrow_schema(table)), table_format, sink)
            transaction.commit(names)
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    result.paths = [out / n for n in names]
    return result
