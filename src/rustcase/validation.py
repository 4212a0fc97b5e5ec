"""Validating any copy of the data: a directory or a file, in any supported format, extended or edited.

Each table is checked column by column with Arrow compute (types, required values, enumerations, ID
patterns, ranges), then across tables (duplicate IDs, references, spans against the article texts). Every
problem is reported with its place, ``file:row:field: message``, rows numbered as the user sees them
(`rustcase.reading.ROW_NUMBERS`: a spreadsheet's rows for CSV, lines for JSON Lines). Tables the input
lacks are taken from the shipped data, so a single ``quotes.csv`` is checked against the shipped articles.
Files are read by `rustcase.reading`, in bounded memory; a file's problems are listed up to `MAX_PROBLEMS`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rustcase.checks import (
    EMPTY_TEXT,
    duplicate,
    names_no_record,
    nested_ids as _nested_ids,
    no_match,
    not_one_of,
    not_the_article,
    not_whole,
    regex,
    targets as _targets,
)
from rustcase.errors import InputFileError
from rustcase.formats import FORMATS
from rustcase.integrity import PREFIXES
from rustcase.metadata import tables as table_metadata
from rustcase.models import TABLES
from rustcase.reading import TYPE_WORDS, TableFile, cut, describe, loads, read_table_file
from rustcase.schema import arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa
    from pydantic import TypeAdapter

_EXPECTED = {
    "int_type": "an integer",
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "model_type": "an object",
    "dict_type": "an object",
}
"""pydantic's type errors in the plain words of `rustcase.reading.TYPE_WORDS`."""

MAX_PROBLEMS = 10_000
"""Problems listed per file; the rest are counted in one last line, so a broken file cannot flood memory."""


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
            name = json.dumps(cut(name)).replace(":", "\\u003a")
        line = f"{self.file}:{self.row or '-'}:{name}: {self.message}"
        return _printable(re.sub(r"[\x00-\x1f\x7f]", _escape, line))  # one problem, one line, no control characters


def _escape(match: re.Match[str]) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(match[0], f"\\x{ord(match[0]):02x}")


def _printable(text: str) -> str:
    """Text any terminal can print: a file name that is not UTF-8 (surrogate escapes) shows its bytes as \\x.."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


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
            "files": [_printable(f) for f in self.files],
            "rows": self.rows,
            "problems": [{**p.__dict__, "file": _printable(p.file)} for p in self.problems],
        }


UNREAD_TABLE = (
    "not a table file this validator reads (<table>.csv, .json, .jsonl, .parquet); a directory of Parquet"
    " files is read by --engine duckdb, polars or spark"
)


def _tables_in(path: Path, report: Report) -> dict[str, Path]:
    """The table files of a directory or a single file, by table name."""
    candidates = sorted(path.iterdir()) if path.is_dir() else [path]
    found: dict[str, Path] = {}
    for candidate in candidates:
        table, _, ext = candidate.name.partition(".")
        if table in TABLES and ext in FORMATS:  # a FIFO or directory by this name is refused when read
            if table in found:
                report.problems.append(Problem(str(candidate), None, None, f"a second file for table {table!r}"))
                report.unusable = True
            found[table] = candidate
        elif table in TABLES and path.is_dir():  # never skipped: the shipped table would pass in its place
            report.problems.append(Problem(str(candidate), None, None, UNREAD_TABLE))
            report.unusable = True
        elif not path.is_dir():
            known = ", ".join(f"<table>.{f}" for f in FORMATS)
            report.problems.append(Problem(str(candidate), None, None, f"not a rustcase table file (expected {known})"))
            report.unusable = True
    if path.is_dir() and not found and not report.unusable:
        report.problems.append(Problem(str(path), None, None, "no table files (<table>.csv, .json, .jsonl, .parquet)"))
        report.unusable = True
    return found


def _rows(mask: pa.Array) -> Iterator[int]:
    import pyarrow.compute as pc

    for index in pc.indices_nonzero(mask.fill_null(False)).to_pylist():
        yield index + 1


class _TableCheck:
    """Column checks of one table; leaves the typed columns for the checks across tables."""

    def __init__(self, table: str, path: Path, read: TableFile, report: Report) -> None:
        self.table, self.file, self.report, self.read = table, str(path), report, read
        self.columns: dict[str, pa.Array] = {}
        self.nested: dict[str, dict[int, Any]] = {}
        self.listed = 0
        data = self.read.data
        self.num_rows = data.num_rows
        self.unreadable: dict[str, set[int]] = {}  # cells the reader could not read: reported once, already
        for row, name, message in read.problems:
            self.problem(row, name, message)
            if row is not None and name is not None:
                self.unreadable.setdefault(name, set()).add(row)
        schema = arrow_schema(table)
        properties = table_metadata()[table]["json_schema"]["properties"]
        for name in data.column_names:
            if name not in schema.names:
                self.problem(None, name, "unexpected column")
        for arrow_field in schema:
            if arrow_field.name not in data.column_names:
                self.problem(None, arrow_field.name, "missing column")
                continue
            self.check_column(arrow_field, data[arrow_field.name].combine_chunks(), properties[arrow_field.name])

    def problem(self, row: int | None, name: str | None, message: str) -> None:
        """A problem at a record counted from 1 (shown as the row the user sees) and a field."""
        self.listed += 1
        if self.listed <= MAX_PROBLEMS:
            self.report.problems.append(Problem(self.file, None if row is None else self.read.row(row), name, message))

    def close(self) -> None:
        """Say how many problems were found beyond those listed."""
        if self.listed > MAX_PROBLEMS:
            more = self.listed - MAX_PROBLEMS
            self.report.problems.append(Problem(self.file, None, None, f"{more:,} more problems not listed"))

    def check_column(self, arrow_field: pa.Field, column: pa.Array, prop: dict[str, Any]) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        name = arrow_field.name
        spec = next((p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"), prop)
        if not arrow_field.nullable:
            for row in _rows(pc.is_null(column)):
                if row not in self.unreadable.get(name, ()):
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
                self.problem(row, name, not_one_of(column[row - 1].as_py(), tuple(spec["enum"])))
        if "pattern" in spec:
            for row in _rows(pc.invert(pc.match_substring_regex(column, regex(spec["pattern"])))):
                self.problem(row, name, no_match(column[row - 1].as_py(), spec["pattern"]))
        if "minLength" in spec:
            for row in _rows(pc.less(pc.utf8_length(column), spec["minLength"])):
                self.problem(row, name, EMPTY_TEXT)
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
            self.problem(row, name, f"{cut(column[row - 1].as_py())!r} is not {TYPE_WORDS[str(target)]}")
            self.unreadable.setdefault(name, set()).add(row)
        cleaned = pc.if_else(good, column, pa.scalar(None, pa.string()))
        if pa.types.is_boolean(target):
            return pc.equal(cleaned, "true")
        if pa.types.is_date32(target):
            return pc.cast(pc.strptime(cleaned, "%Y-%m-%d", "s"), pa.date32())
        return cleaned.cast(target)

    def check_nested(self, name: str, column: pa.Array) -> dict[int, Any]:
        """Lists and nested records: each non-empty value decoded (JSON text in CSV and from JSON files) and
        validated by the model's type, strictly, so JSON types count as in the JSON Schema ("722" is not an
        integer). Returns the validated values by row; empty lists need no work, which keeps large tables
        (mostly empty lists) fast."""
        import pyarrow as pa
        import pyarrow.compute as pc
        from pydantic import TypeAdapter

        if pa.types.is_list(column.type):
            todo = pc.greater(pc.list_value_length(column), 0)
        elif pa.types.is_string(column.type):
            todo = pc.invert(pc.equal(column, "[]"))
        else:
            todo = pc.is_valid(column)
        adapter: TypeAdapter[Any] = TypeAdapter(TABLES[self.table].model.model_fields[name].annotation)  # type: ignore[arg-type]
        values: dict[int, Any] = {}
        for row in _rows(todo):
            try:
                values[row] = nested_value(adapter, column[row - 1].as_py())
            except ValueError as exc:
                self.problem(row, name, str(exc))
        return values


def nested_value(adapter: TypeAdapter[Any], value: Any) -> Any:
    """A list or nested record (JSON text or Python values) validated strictly by the model's type, so JSON
    types count as in the JSON Schema ("722" is not an integer); ValueError with the problem's words."""
    from pydantic import ValidationError

    try:
        text = json.dumps(loads(value) if isinstance(value, str) else value, ensure_ascii=False)
        return adapter.validate_json(text, strict=True)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(map(str, error["loc"]))
        word = _EXPECTED.get(error["type"])
        message = f"{describe(error['input'])} is not {word}" if word else error["msg"]
        raise ValueError(cut(f"{where + ': ' if where else ''}{message}", 200)) from None
    except (ValueError, RecursionError) as exc:
        detail = cut(str(exc)) if isinstance(exc, ValueError) else "nested too deeply"
        raise ValueError(f"not JSON: {detail}") from None


def validate(
    path: str | os.PathLike[str], progress: Callable[[str], object] | None = None, engine: str = "auto"
) -> Report:
    """Check a directory of table files, or one file, against the schemas, IDs, references and spans.

    ``progress`` is called with each file's table name once its columns are checked. ``engine`` (see
    `rustcase.engines`) scans big Parquet corpora with DuckDB, polars or Spark; the problems are the same.
    """
    from rustcase import engines
    from rustcase.errors import DataFileError

    if engine != "arrow" or engines.is_uri(path):
        return engines.validate(path, engine, progress)
    try:
        return _validate(Path(path), progress)
    except DataFileError as exc:  # rustcase's own files (shipped tables, schemas.json): nothing can be checked
        problem = Problem(str(path), None, None, f"cannot check against rustcase's own data: {exc}")
        return Report(problems=[problem], unusable=True)


def _validate(root: Path, progress: Callable[[str], object] | None) -> Report:
    from rustcase import store

    report = Report()
    if not root.exists():
        report.problems.append(Problem(str(root), None, None, "no such file or directory"))
        report.unusable = True
        return report
    checks: dict[str, _TableCheck] = {}
    for table, file in _tables_in(root, report).items():
        report.files.append(str(file))
        try:
            read = read_table_file(file, table)
        except (OSError, InputFileError) as exc:
            row = exc.row if isinstance(exc, InputFileError) else None
            message = str(exc) if isinstance(exc, InputFileError) else exc.strerror or str(exc)
            report.problems.append(Problem(str(file), row, None, f"cannot read: {cut(message, 300)}"))
            report.unusable = True
            continue
        report.rows += read.data.num_rows
        checks[table] = _TableCheck(table, file, read, report)
        if progress:
            progress(table)
    if report.unusable:
        return report
    for table in TABLES:
        if table not in checks:  # rustcase's own data: a damaged file raises DataFileError
            checks[table] = _TableCheck(table, store.paths()[table], TableFile(store.read_table(table)), Report())
    _check_keys_and_references(checks)
    _check_spans(checks)
    for check in checks.values():
        check.close()
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
                check.problem(row, key, duplicate(key, value, str(check.read.row(first[value]))))
            first.setdefault(value, row)
    id_sets: dict[str, set[str]] = {}
    targets: dict[tuple[str, ...], pa.Array] = {}
    for table, check in checks.items():
        properties = table_metadata()[table]["json_schema"]["properties"]
        for name, column in check.columns.items():
            if not name.endswith("_id") or name == TABLES[table].key or not pa.types.is_string(column.type):
                continue
            tables = _targets(properties[name])
            if tables not in targets:
                targets[tables] = pa.concat_arrays([ids[t] for t in tables if t in ids] or [pa.array([], pa.string())])
            known = pc.is_in(column, targets[tables])
            for row in _rows(pc.and_(pc.is_valid(column), pc.invert(known))):
                check.problem(row, name, names_no_record(column[row - 1].as_py()))
        for name, values in check.nested.items():
            for row, value in values.items():
                for ref in value if name.endswith("_ids") else _nested_ids(value):
                    target = PREFIXES.get(ref.split("-", 1)[0], "")
                    if target not in id_sets:
                        id_sets[target] = set(ids[target].to_pylist()) if target in ids else set()
                    if ref not in id_sets[target]:
                        check.problem(row, name, names_no_record(ref))


def _check_spans(checks: dict[str, _TableCheck]) -> None:
    import pyarrow as pa

    articles = checks["articles"].columns
    if "article_id" not in articles or "text" not in articles:
        return
    article_ids = articles["article_id"]
    texts = [text or "" for text in articles["text"].to_pylist()]  # a missing text is reported already
    for table, c in checks.items():
        cols = c.columns
        spans = [("text", "start", "end")] + ([("cue", "cue_start", "cue_end")] if table == "quotes" else [])
        if table == "articles":
            spans = [("headline", "headline_start", "headline_end")]
        for text_col, start_col, end_col in spans:
            if {"article_id", text_col, start_col, end_col} <= cols.keys():
                if text_col != "text":
                    _check_whole_span(c, cols[text_col], cols[start_col], cols[end_col], text_col)
                _check_span_columns(c, article_ids, texts, cols, text_col, start_col, end_col)
        for name, values in c.nested.items():
            items = [(row, i) for row, v in values.items() for i in (v if isinstance(v, tuple) else [v])]
            items = [(row, i) for row, i in items if hasattr(i, "start") and hasattr(i, "article_id")]
            if items:
                nested = {
                    "article_id": pa.array([i.article_id for _, i in items], pa.string()),
                    "start": pa.array([i.start for _, i in items], pa.int64()),
                    "end": pa.array([i.end for _, i in items], pa.int64()),
                    "text": pa.array([i.text for _, i in items], pa.string()),
                }
                rows = [row for row, _ in items]
                _check_span_columns(c, article_ids, texts, nested, "text", "start", "end", rows, name)


def _check_whole_span(c: _TableCheck, text: pa.Array, start: pa.Array, end: pa.Array, name: str) -> None:
    """An optional span (a cue, a headline) is null as a whole or not at all, as the model requires."""
    import pyarrow.compute as pc

    valid = [pc.is_valid(column) for column in (text, start, end)]
    whole = pc.and_(pc.and_(valid[0], valid[1]), valid[2])
    none = pc.invert(pc.or_(pc.or_(valid[0], valid[1]), valid[2]))
    for row in _rows(pc.invert(pc.or_(whole, none))):
        if not any(row in c.unreadable.get(n, ()) for n in (name, f"{name}_start", f"{name}_end")):
            c.problem(row, name, not_whole(name))


def _check_span_columns(
    c: _TableCheck,
    article_ids: pa.Array,
    texts: list[str],
    cols: dict[str, pa.Array],
    text_col: str,
    start_col: str,
    end_col: str,
    rows: list[int] | None = None,
    label: str | None = None,
) -> None:
    """Every span of a table at once: ranges and lengths with Arrow compute, then the text of each span
    compared with the article's, building only the expected slices in Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    index = pc.index_in(cols["article_id"], article_ids)
    starts, ends, text = cols[start_col], cols[end_col], cols[text_col]
    present = pc.and_(pc.and_(pc.is_valid(index), pc.is_valid(text)), pc.and_(pc.is_valid(starts), pc.is_valid(ends)))
    lengths = pa.array([len(t) for t in texts], pa.int64())
    limit = pc.take(lengths, index)
    bad_range = pc.and_(present, pc.or_(pc.less(starts, 0), pc.or_(pc.less(ends, starts), pc.greater(ends, limit))))

    def row_of(i: int) -> int:
        return rows[i - 1] if rows else i

    for i in _rows(bad_range):
        c.problem(
            row_of(i),
            label or start_col,
            f"span {starts[i - 1]}:{ends[i - 1]} is outside the article ({limit[i - 1]} characters)",
        )
    check = pc.indices_nonzero(pc.and_(present, pc.invert(bad_range)))
    idx = pc.take(index, check).to_pylist()
    s_list, e_list = pc.take(starts, check).to_pylist(), pc.take(ends, check).to_pylist()
    expected = pa.array([texts[a][s:e] for a, s, e in zip(idx, s_list, e_list, strict=True)], pa.string())
    actual = pc.take(text, check)
    for j in _rows(pc.not_equal(actual, expected)):
        i = check[j - 1].as_py() + 1
        got, want = actual[j - 1].as_py(), expected[j - 1].as_py()
        c.problem(
            row_of(i),
            label or text_col,
            not_the_article(got, want, s_list[j - 1], e_list[j - 1]),
        )
