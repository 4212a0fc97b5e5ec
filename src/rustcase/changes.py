"""What changed between two data versions: records added, removed and changed, per table, by ID, and why.

Every record a version adds, changes or removes has an erratum (``data/errata/<version>.yaml``, shipped in
the version's manifest): what was wrong and the article words that show it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rustcase.errors import DataFileError
from rustcase.models import TABLES, Record

Bump = Literal["major", "minor", "patch"]
Change = Literal["added", "changed", "removed"]
CHANGES: tuple[Change, ...] = ("added", "changed", "removed")
ERRATUM_KEYS = ("table", "id", "change", "reason", "evidence")


@dataclass(frozen=True)
class Span:
    """Words of an article that show an erratum: ``article.text[start:end] == text``."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Erratum:
    """Why data version ``version`` added, changed or removed one record, with the article words that show it."""

    version: str
    table: str
    id: str
    change: Change
    reason: str
    evidence: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form kept in the manifest."""
        return {
            "version": self.version,
            "table": self.table,
            "id": self.id,
            "change": self.change,
            "reason": self.reason,
            "evidence": [vars(span) for span in self.evidence],
        }

    @classmethod
    def from_dict(cls, version: str, entry: Mapping[str, Any]) -> Erratum:
        """An erratum from its manifest or errata-file form; `ValueError` names what is missing or wrong."""
        if not isinstance(entry, Mapping) or set(entry) - {"version"} != set(ERRATUM_KEYS):
            raise ValueError(f"expected the keys {', '.join(ERRATUM_KEYS)}")
        if entry.get("version", version) != version:
            raise ValueError(f"version {entry['version']!r} is not {version}")
        if entry["table"] not in TABLES or entry["change"] not in CHANGES:
            raise ValueError(f"table must be one of {', '.join(TABLES)}; change one of {', '.join(CHANGES)}")
        if not isinstance(entry["id"], str) or not isinstance(entry["reason"], str) or not entry["reason"].strip():
            raise ValueError("id and reason must be non-empty text")
        evidence = entry["evidence"]
        if not isinstance(evidence, list) or not evidence:
            raise ValueError("evidence must be a non-empty list of article spans")
        spans = []
        for span in evidence:
            if not isinstance(span, Mapping) or set(span) != {"article_id", "start", "end", "text"}:
                raise ValueError("each evidence span has exactly article_id, start, end, text")
            spans.append(Span(**span))
        return cls(version, entry["table"], entry["id"], entry["change"], entry["reason"], tuple(spans))


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
    errata: tuple[Erratum, ...] = ()

    def bump(self) -> Bump:
        """The smallest version bump the policy allows: major if anything was removed or changed."""
        if any(t.removed or t.changed for t in self.tables.values()):
            return "major"
        return "minor" if any(t.added for t in self.tables.values()) else "patch"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form: only tables with changes, and the errata (each with its version)."""
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
            "errata": [e.to_dict() for e in self.errata],
        }

    def erratum(self, table: str, rid: str) -> tuple[Erratum, ...]:
        """The errata that explain one record's changes, oldest version first."""
        return tuple(e for e in self.errata if (e.table, e.id) == (table, rid))

    def unexplained(self) -> list[str]:
        """Every change without an erratum of its kind, and every erratum for a record that did not so change."""
        done = {(e.table, e.id, e.change) for e in self.errata}
        made = {
            (name, rid, change)
            for name, t in self.tables.items()
            for change, ids in (("added", t.added), ("changed", tuple(t.changed)), ("removed", t.removed))
            for rid in ids
        }
        return [f"{t}: {rid}: {change}, but no erratum says why" for t, rid, change in sorted(made - done)] + [
            f"{t}: {rid}: an erratum says {change}, but the record was not {change}"
            for t, rid, change in sorted(done - made)
        ]


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
    low, high = sorted((a, b), key=versions.version_key)
    errata = tuple(
        Erratum.from_dict(v, entry)
        for v in versions.available()
        if versions.version_key(low) < versions.version_key(v) <= versions.version_key(high)
        for entry in versions.manifest(v)["changes"].get("errata", [])
    )
    return DataDiff(old=a, new=b, tables=tables, errata=errata)


def read_copy(path: str | os.PathLike[str]) -> dict[str, list[Record]]:
    """The tables of a copy of the data (an export directory in any format, or one ``<table>.<format>`` file).

    Every row is checked by its model; a row that is not valid raises `DataFileError` naming the file, the
    row (counting records from 1) and the field (``rustcase validate`` lists every problem).
    """
    from pydantic import ValidationError

    from rustcase import formats
    from rustcase.atomic import kind

    path = Path(path)
    try:
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        found: dict[str, Path] = {}
        for file in files:
            table, _, fmt = file.name.partition(".")
            if table not in TABLES or fmt not in formats.FORMATS:
                continue
            if not file.is_file():  # a FIFO would be waited on, a directory skipped: neither is that table
                raise DataFileError(f"{file}: a {kind(file.stat().st_mode)}, not a regular file; rustcase reads files")
            if table in found:
                raise DataFileError(f"{path}: two files of the {table} table ({found[table].name}, {file.name})")
            found[table] = file
    except OSError as exc:
        raise DataFileError(f"{exc.filename or path}: cannot read it: {exc.strerror or exc}") from None
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
