"""What changed between two data versions: records added, removed and changed, per table, by ID."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rustcase.errors import DataFileError
from rustcase.models import TABLES, Record

Bump = Literal["major", "minor", "patch"]


@dataclass(frozen=True)
class TableDiff:
    """The changes to one table: IDs added and removed, and for each changed record the fields that changed."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class DataDiff:
    """The changes from data version ``old`` to ``new``."""

    old: str
    new: str
    tables: Mapping[str, TableDiff]

    def bump(self) -> Bump:
        """The smallest version bump the policy allows: major if anything was removed or changed."""
        if any(t.removed or t.changed for t in self.tables.values()):
            return "major"
        return "minor" if any(t.added for t in self.tables.values()) else "patch"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: only tables with changes."""
        return {
            "old": self.old,
            "new": self.new,
            "bump": self.bump(),
            "tables": {
                name: {
                    "added": list(t.added),
                    "removed": list(t.removed),
                    "changed": {rid: list(f) for rid, f in t.changed.items()},
                }
                for name, t in self.tables.items()
                if t
            },
        }


def diff_records(old: Mapping[str, Sequence[Record]], new: Mapping[str, Sequence[Record]]) -> dict[str, TableDiff]:
    """Compare two sets of tables record by record, matching records by ID."""
    tables = {}
    for name, spec in TABLES.items():
        before = {getattr(r, spec.key): r for r in old.get(name, ())}
        after = {getattr(r, spec.key): r for r in new.get(name, ())}
        changed = {}
        for rid in sorted(before.keys() & after.keys()):
            fields = tuple(f for f in spec.model.model_fields if getattr(before[rid], f) != getattr(after[rid], f))
            if fields:
                changed[rid] = fields
        tables[name] = TableDiff(
            added=tuple(sorted(after.keys() - before.keys())),
            removed=tuple(sorted(before.keys() - after.keys())),
            changed=changed,
        )
    return tables


def diff(old: str, new: str) -> DataDiff:
    """The changes between two shipped data versions (exact or prefix, as for `rustcase.load`)."""
    from rustcase import dataset, versions

    a, b = versions.resolve(old), versions.resolve(new)
    tables = diff_records(
        {name: dataset.load_table(name, a) for name in TABLES}, {name: dataset.load_table(name, b) for name in TABLES}
    )
    return DataDiff(old=a, new=b, tables=tables)


def read_copy(path: str | os.PathLike[str]) -> dict[str, list[Record]]:
    """The tables of a copy of the data (an export directory in any format, or one ``<table>.<format>`` file).

    Every row is checked by its model; a row that is not valid raises `DataFileError` naming the file, the
    row (counting records from 1) and the field (``rustcase validate`` lists every problem).
    """
    from pydantic import ValidationError

    from rustcase import formats

    path = Path(path)
    try:
        files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else []
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
    found: dict[str, Path] = {}
    for file in files:
        table, _, fmt = file.name.partition(".")
        if table in TABLES and fmt in formats.FORMATS:
            if table in found:
                raise DataFileError(f"{path}: two files of the {table} table ({found[table].name}, {file.name})")
            found[table] = file
    if not found:
        raise DataFileError(f"{path}: no table file (<table>.<format>: csv, json, jsonl or parquet) to compare")
    tables: dict[str, list[Record]] = {}
    for table, file in found.items():
        model = TABLES[table].model
        try:
            rows = formats.read(file, table)
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise ValueError("not a list of records")
        except (OSError, ValueError, RecursionError, ArithmeticError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise DataFileError(f"{file}: cannot read it as the {table} table: {first}") from None
        tables[table] = []
        for number, row in enumerate(rows, start=1):
            try:
                tables[table].append(model.model_validate(row))
            except ValidationError as exc:
                err = exc.errors()[0]
                field_name = ".".join(map(str, err["loc"])) or "(record)"
                raise DataFileError(
                    f"{file}: record {number}, field {field_name}: {err['msg']} (rustcase validate lists every problem)"
                ) from None
    return tables


def diff_copy(version: str, path: str | os.PathLike[str]) -> DataDiff:
    """What a copy of the data (an edited export, in any format) changed against a shipped data version.

    Only the tables the copy has are compared, record by record by ID; ``new`` of the result is the path.
    """
    from rustcase import dataset, versions

    exact = versions.resolve(version)
    edited = read_copy(path)
    shipped = {name: dataset.load_table(name, exact) for name in edited}
    compared = diff_records(shipped, edited)
    return DataDiff(old=exact, new=str(path), tables={name: compared[name] for name in edited})
