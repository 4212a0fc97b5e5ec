"""Validating any copy of the data: a directory or a file, in any supported format, extended or edited.

Each table is checked column by column with Arrow compute (types, required values, enumerations, ID
patterns, ranges), then across tables (duplicate IDs, references, spans against the article texts). Every
problem is reported with its place, ``file:row:field: message``, rows counted from 1. Tables the input
lacks are taken from the shipped data, so a single ``quotes.csv`` is checked against the shipped articles.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rustcase.formats import FORMATS, CsvShapeError, read_csv_text
from rustcase.integrity import PREFIXES
from rustcase.models import TABLES
from rustcase.schema import arrow_schema, json_schema

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Problem:
    """One problem at one place: file, row (from 1; None for the whole file) and field (None for the row)."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        name = self.field or "-"
        if not re.fullmatch(r"[A-Za-z0-9_]+|-", name):  # a column name from the input: quoted, no colon or newline
            name = json.dumps(name).replace(":", "\\u003a")
        line = f"{self.file}:{self.row or '-'}:{name}: {self.message}"
        return line.replace("\r", "\\r").replace("\n", "\\n")  # one problem, one line


@dataclass
class Report:
    """Everything `validate` found: the problems, what was read, and whether the input was usable at all."""

    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rows: int = 0
    unusable: bool = False

    @property
    def exit_code(self) -> int:
        """0 valid, 1 invalid, 2 unusable input."""
        return 2 if self.unusable else 1 if self.problems else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.exit_code == 0,
            "exit_code": self.exit_code,
            "files": self.files,
            "rows": self.rows,
            "problems": [p.__dict__ for p in self.problems],
        }


def _tables_in(path: Path, report: Report) -> dict[str, Path]:
    """The table files of a directory or a single file, by table name."""
    candidates = sorted(path.iterdir()) if path.is_dir() else [path]
    found: dict[str, Path] = {}
    for candidate in candidates:
        table, _, ext = candidate.name.partition(".")
        if table in TABLES and ext in FORMATS:
            if table in found:
                report.problems.append(Problem(str(candidate), None, None, f"a second file for table {table!r}"))
                report.unusable = True
            found[table] = candidate
        elif not path.is_dir():
            known = ", ".join(f"<table>.{f}" for f in FORMATS)
            report.problems.append(Problem(str(candidate), None, None, f"not a rustcase table file (expected {known})"))
            report.unusable = True
    if path.is_dir() and not found and not report.unusable:
        report.problems.append(Problem(str(path), None, None, "no table files (<table>.csv, .json, .jsonl, .parquet)"))
        report.unusable = True
    return found


def _read(path: Path, table: str) -> pa.Table:
    """The file as an Arrow table: CSV as text columns (checked and converted later), the rest as written."""
    import pyarrow as pa

    fmt = path.name.partition(".")[2]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).read()
    if fmt == "csv":
        return read_csv_text(path)
    text = path.read_bytes().decode("utf-8")
    if fmt == "json":
        rows = json.loads(text)
        if not isinstance(rows, list):
            raise ValueError("expected a JSON array of records")
    else:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    if not all(isinstance(r, dict) for r in rows):
        raise ValueError("expected every record to be a JSON object")
    names = list(dict.fromkeys(k for r in rows for k in r))
    return pa.table({n: pa.array([_cell(r.get(n)) for r in rows], pa.string()) for n in names})


def _cell(value: Any) -> str | None:
    """A JSON value as CSV would hold it: text for scalars, JSON text for lists and objects, None for null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value) if isinstance(value, float) else str(value)


def _rows(mask: pa.Array) -> Iterator[int]:
    import pyarrow.compute as pc

    for index in pc.indices_nonzero(mask.fill_null(False)).to_pylist():
        yield index + 1


class _TableCheck:
    """Column checks of one table; leaves the typed columns for the checks across tables."""

    def __init__(self, table: str, path: Path, data: pa.Table, report: Report) -> None:
        self.table, self.file, self.report = table, str(path), report
        self.columns: dict[str, pa.Array] = {}
        self.nested: dict[str, list[Any]] = {}
        self.num_rows = data.num_rows
        schema = arrow_schema(table)
        properties = json_schema(table)["properties"]
        for name in data.column_names:
            if name not in schema.names:
                self.problem(None, name, "unexpected column")
        for arrow_field in schema:
            if arrow_field.name not in data.column_names:
                self.problem(None, arrow_field.name, "missing column")
                continue
            self.check_column(arrow_field, data[arrow_field.name].combine_chunks(), properties[arrow_field.name])

    def problem(self, row: int | None, name: str | None, message: str) -> None:
        self.report.problems.append(Problem(self.file, row, name, message))

    def check_column(self, arrow_field: pa.Field, column: pa.Array, prop: dict[str, Any]) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        name = arrow_field.name
        spec = next((p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"), prop)
        if not arrow_field.nullable:
            for row in _rows(pc.is_null(column)):
                self.problem(row, name, "missing value (required)")
        if pa.types.is_list(arrow_field.type) or pa.types.is_struct(arrow_field.type):
            self.nested[name] = self.check_nested(name, column)
            return
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            column = self.parse(name, column, arrow_field.type)
        elif column.type != arrow_field.type:
            try:
                column = column.cast(arrow_field.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                self.problem(None, name, f"column type {column.type} cannot hold {arrow_field.type}")
                return
        if "enum" in spec:
            for row in _rows(pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, pa.array(spec["enum"]))))):
                self.problem(row, name, f"{column[row - 1].as_py()!r} is not one of {', '.join(spec['enum'])}")
        if "pattern" in spec:
            for row in _rows(pc.invert(pc.match_substring_regex(column, spec["pattern"]))):
                self.problem(row, name, f"{column[row - 1].as_py()!r} does not match {spec['pattern']}")
        if "minLength" in spec:
            for row in _rows(pc.less(pc.utf8_length(column), spec["minLength"])):
                self.problem(row, name, "empty text (use null for no value)")
        for bound, compare, word in (("minimum", pc.less, "below"), ("maximum", pc.greater, "above")):
            if bound in spec:
                for row in _rows(compare(column, spec[bound])):
                    self.problem(row, name, f"{column[row - 1].as_py()} is {word} {spec[bound]}")
        self.columns[name] = column

    def parse(self, name: str, column: pa.Array, target: pa.DataType) -> pa.Array:
        """Text to the target type; each cell that does not parse is a problem and becomes null."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_string(target):
            return column
        patterns = {"int64": r"^-?\d{1,18}$", "bool": r"^(true|false)$", "date32[day]": r"^\d{4}-\d{2}-\d{2}$"}
        good = pc.match_substring_regex(column, patterns[str(target)])
        if pa.types.is_date32(target):
            good = pc.and_(good, pc.is_valid(pc.strptime(column, "%Y-%m-%d", "s", error_is_null=True)))
        for row in _rows(pc.invert(good)):
            self.problem(row, name, f"{column[row - 1].as_py()[:80]!r} is not a valid {target}")
        cleaned = pc.if_else(good, column, pa.scalar(None, pa.string()))
        if pa.types.is_boolean(target):
            return pc.equal(cleaned, "true")
        if pa.types.is_date32(target):
            return pc.cast(pc.strptime(cleaned, "%Y-%m-%d", "s"), pa.date32())
        return cleaned.cast(target)

    def check_nested(self, name: str, column: pa.Array) -> list[Any]:
        """Lists and nested records: each value decoded (JSON text in CSV) and validated by the model's type."""
        from pydantic import TypeAdapter, ValidationError

        adapter: TypeAdapter[Any] = TypeAdapter(TABLES[self.table].model.model_fields[name].annotation)  # type: ignore[arg-type]
        values: list[Any] = []
        for row, value in enumerate(column.to_pylist(), start=1):
            if value is None:
                values.append(None)
                continue
            try:
                values.append(adapter.validate_python(json.loads(value) if isinstance(value, str) else value))
            except ValueError as exc:
                detail = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else f"not JSON: {exc}"
                self.problem(row, name, detail)
                values.append(None)
        return values


def validate(path: str | os.PathLike[str]) -> Report:
    """Check a directory of table files, or one file, against the schemas, IDs, references and spans."""
    from rustcase import store

    root = Path(path)
    report = Report()
    if not root.exists():
        report.problems.append(Problem(str(root), None, None, "no such file or directory"))
        report.unusable = True
        return report
    checks: dict[str, _TableCheck] = {}
    for table, file in _tables_in(root, report).items():
        report.files.append(str(file))
        try:
            data = _read(file, table)
        except (OSError, ValueError) as exc:  # ArrowInvalid and JSON and Unicode errors are ValueErrors
            row = exc.row if isinstance(exc, CsvShapeError) else None
            report.problems.append(Problem(str(file), row, None, f"cannot read: {str(exc).splitlines()[0][:300]}"))
            report.unusable = True
            continue
        report.rows += data.num_rows
        checks[table] = _TableCheck(table, file, data, report)
    if report.unusable:
        return report
    for table in TABLES:
        if table not in checks:
            checks[table] = _TableCheck(table, store.paths()[table], store.read_table(table), Report())
    _check_keys_and_references(checks)
    _check_spans(checks)
    return report


def _check_keys_and_references(checks: dict[str, _TableCheck]) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = {}
    for table, check in checks.items():
        key = TABLES[table].key
        column = check.columns.get(key)
        if column is None:
            continue
        ids[table] = column
        counts = pc.value_counts(column)
        repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
        first: dict[str, int] = {}
        for row in _rows(pc.is_in(column, repeated)):
            value = column[row - 1].as_py()
            if value in first:
                check.problem(row, key, f"duplicate {key} {value!r} (first at row {first[value]})")
            first.setdefault(value, row)
    id_sets: dict[str, set[str]] = {}
    all_ids = pa.concat_arrays([c.cast(pa.string()) for c in ids.values()]) if ids else pa.array([], pa.string())
    for table, check in checks.items():
        for name, column in check.columns.items():
            if not name.endswith("_id") or name == TABLES[table].key or not pa.types.is_string(column.type):
                continue
            known = pc.is_in(column, all_ids)
            for row in _rows(pc.and_(pc.is_valid(column), pc.invert(known))):
                check.problem(row, name, f"{column[row - 1].as_py()!r} names no record")
        for name, values in check.nested.items():
            for row, value in enumerate(values, start=1):
                for ref in (value or []) if name.endswith("_ids") else _nested_ids(value):
                    target = PREFIXES.get(ref.split("-", 1)[0], "")
                    if target not in id_sets:
                        id_sets[target] = set(ids[target].to_pylist()) if target in ids else set()
                    if ref not in id_sets[target]:
                        check.problem(row, name, f"{ref!r} names no record")


def _nested_ids(value: Any) -> Iterator[str]:
    """Every ``*_id`` value inside a nested field's validated value (None when it did not validate)."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    for item in items:
        for name in getattr(type(item), "model_fields", {}):
            if name.endswith("_id") and getattr(item, name) is not None:
                yield getattr(item, name)


def _check_spans(checks: dict[str, _TableCheck]) -> None:
    articles = checks["articles"].columns
    if "article_id" not in articles or "text" not in articles:
        return
    texts = dict(zip(articles["article_id"].to_pylist(), articles["text"].to_pylist(), strict=True))

    def check(c: _TableCheck, row: int, name: str, article: Any, start: Any, end: Any, text: Any, where: str) -> None:
        if None in (article, start, end, text) or article not in texts:
            return
        source = texts[article]
        if not 0 <= start <= end <= len(source):
            c.problem(row, where, f"span {start}:{end} is outside the article ({len(source)} characters)")
        elif source[start:end] != text:
            c.problem(row, name, f"{text[:60]!r} is not the article's {source[start:end][:60]!r} at {start}:{end}")

    for table, c in checks.items():
        cols = c.columns
        spans = [("text", "start", "end")] + ([("cue", "cue_start", "cue_end")] if table == "quotes" else [])
        if table == "articles":
            spans = [("headline", "headline_start", "headline_end")]
        for text_col, start_col, end_col in spans:
            id_col = "article_id"
            if not {id_col, text_col, start_col, end_col} <= cols.keys():
                continue
            rows = zip(*(cols[n].to_pylist() for n in (id_col, start_col, end_col, text_col)), strict=True)
            for row, (article, start, end, text) in enumerate(rows, start=1):
                check(c, row, text_col, article, start, end, text, start_col)
        for name, values in c.nested.items():
            for row, value in enumerate(values, start=1):
                for item in value if isinstance(value, list) else [] if value is None else [value]:
                    if hasattr(item, "start") and hasattr(item, "article_id"):
                        check(c, row, name, item.article_id, item.start, item.end, item.text, name)
