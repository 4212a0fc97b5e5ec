"""The validator's checks as definitions, derived from the models' JSON Schemas and Arrow schemas.

Every engine (`rustcase.engines`: DuckDB, polars, Spark) executes these definitions and words each problem
with the functions below, so every engine reports the same ``file:row:field: message`` lines as the Arrow
validator (`rustcase.validate`). Nothing here reads data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rustcase.integrity import PREFIXES
from rustcase.reading import cut
from rustcase.tables import TABLE_KEYS


@dataclass(frozen=True)
class Column:
    """What one column must hold: its Arrow type and the constraints of its JSON Schema."""

    name: str
    type: str  # the Arrow type's name: string, int64, bool, date32[day]; "nested" for lists and records
    required: bool
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    min_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    targets: tuple[str, ...] = ()  # the tables an ID column refers to


@dataclass(frozen=True)
class Span:
    """A span of the article: ``article.text[start:end] == text`` on every row where all are present."""

    text: str
    start: str
    end: str


@dataclass(frozen=True)
class TableChecks:
    """Every check of one table: its columns, its primary key, its spans."""

    table: str
    key: str
    columns: tuple[Column, ...]
    spans: tuple[Span, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _spec(prop: dict[str, Any]) -> dict[str, Any]:
    """The non-null alternative of a nullable property."""
    return next((p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"), prop)


def targets(prop: dict[str, Any]) -> tuple[str, ...]:
    """The tables an ID field can point to, from the prefixes its pattern allows (``^(?:per|org)-...``)."""
    pattern = _spec(prop).get("pattern", "")
    prefixes = re.findall(r"[a-z]{3}", pattern.split("-", 1)[0])
    for alternative in pattern.split("|")[1:]:
        prefixes += re.findall(r"\^([a-z]{3})-", alternative)
    return tuple(sorted({PREFIXES[p] for p in prefixes if p in PREFIXES}))


@functools.cache
def table_checks(table: str) -> TableChecks:
    """The checks of ``table``, in the order the Arrow validator runs them."""
    import pyarrow as pa

    from rustcase.metadata import tables as table_metadata
    from rustcase.schema import arrow_schema

    properties = table_metadata()[table]["json_schema"]["properties"]
    key = TABLE_KEYS[table]
    columns = []
    for field in arrow_schema(table):
        spec = _spec(properties[field.name])
        nested = pa.types.is_list(field.type) or pa.types.is_struct(field.type)
        is_ref = field.name.endswith("_id") and field.name != key and not nested
        columns.append(
            Column(
                name=field.name,
                type="nested" if nested else str(field.type),
                required=not field.nullable,
                enum=tuple(spec.get("enum", ())),
                pattern=spec.get("pattern"),
                min_length=spec.get("minLength"),
                minimum=spec.get("minimum"),
                maximum=spec.get("maximum"),
                targets=targets(properties[field.name]) if is_ref and field.type == pa.string() else (),
            )
        )
    names = [c.name for c in columns]
    spans = [
        Span(name[: -len("start")].rstrip("_") or "text", name, name[: -len("start")] + "end")
        for name in names
        if name.endswith("start") and name[: -len("start")] + "end" in names
    ]
    spans = [s for s in spans if s.text in names and "article_id" in names]
    return TableChecks(table, key, tuple(columns), tuple(spans))


def _prefixed(pattern: str) -> tuple[set[str], str] | None:
    """An ID pattern's prefixes and the rest (``^(?:per|org)-REST`` gives {per, org} and ``REST``)."""
    found = re.fullmatch(r"\^(?:\(\?:([a-z]+(?:\|[a-z]+)*)\)|([a-z]+))-(.+)", pattern)
    return (set((found[1] or found[2]).split("|")), found[3]) if found else None


def keys_match(column: Column) -> bool:
    """Whether every key that matches its own table's pattern matches ``column``'s, for each table the
    column refers to: then only a value that is no such key needs ``column``'s pattern run on it."""
    mine = _prefixed(column.pattern or "")
    for target in column.targets:
        key = table_checks(target).key
        theirs = _prefixed(next(c.pattern or "" for c in table_checks(target).columns if c.name == key))
        if mine is None or theirs is None or theirs[1] != mine[1] or not theirs[0] <= mine[0]:
            return False
    return bool(column.targets)


def regex(pattern: str) -> str:
    r"""A schema pattern as every engine runs it: ``\d`` spelled ``\p{Nd}``, any decimal digit, as the models
    (pydantic's regex) read it; RE2 (Arrow, DuckDB) and Java (Spark) would read ``\d`` as ASCII digits only."""
    return pattern.replace(r"\d", r"\p{Nd}")


def nested_ids(value: Any) -> Iterator[str]:
    """Every ``*_id`` value inside a nested field's validated value (None when it did not validate)."""
    items = value if isinstance(value, tuple | list) else [] if value is None else [value]
    for item in items:
        for name in getattr(type(item), "model_fields", {}):
            if name.endswith("_id") and getattr(item, name) is not None:
                yield getattr(item, name)


# The messages, worded once for every engine.

MISSING_VALUE = "missing value (required)"
MISSING_COLUMN = "missing column"
UNEXPECTED_COLUMN = "unexpected column"
EMPTY_TEXT = "empty text (use null for no value)"


def shown(value: Any) -> str:
    """A value as a message quotes it: text cut to 60 characters, in quotes; anything else as Python writes it."""
    return repr(cut(value) if isinstance(value, str) else value)


def not_one_of(value: Any, enum: tuple[str, ...]) -> str:
    return f"{shown(value)} is not one of {', '.join(enum)}"


def no_match(value: Any, pattern: str) -> str:
    return f"{shown(value)} does not match {pattern}"


def out_of_bounds(value: Any, word: str, bound: int) -> str:
    return f"{value} is {word} {bound}"


def duplicate(key: str, value: Any, first: str) -> str:
    return f"duplicate {key} {shown(value)} (first at row {first})"


def names_no_record(value: Any) -> str:
    return f"{shown(value)} names no record"


def not_whole(name: str) -> str:
    return f"{name}, {name}_start and {name}_end are null together or not at all"


def outside(start: int, end: int, length: int) -> str:
    return f"span {start}:{end} is outside the article ({length} characters)"


def not_the_article(got: str, want: str, start: int, end: int) -> str:
    return f"{shown(got)} is not the article's {shown(want)} at {start}:{end}"
