"""What changed between two data versions: records added, removed and changed, per table, by ID."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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
                name: {"added": list(t.added), "removed": list(t.removed), "changed": dict(t.changed)}
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
