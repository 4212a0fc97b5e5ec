"""Running the checks of `rustcase.checks` on big corpora: DuckDB, polars or Spark does the scanning.

A corpus is a directory with, per table, a ``<table>.parquet`` file or a ``<table>/`` directory of Parquet
files (hive-style ``key=value/`` directories included). An engine scans every row once per kind of check
and hands back only the rows with a problem; this module words them, in the order and with the words of
the Arrow validator, so ``rustcase validate --engine E`` prints the same lines whatever E is (for columns of
the schema's types; docs/scale.md names the known differences otherwise).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rustcase import checks
from rustcase.corpus import first_line
from rustcase.errors import UnknownEngineError
from rustcase.integrity import PREFIXES
from rustcase.reading import open_regular
from rustcase.tables import TABLE_KEYS
from rustcase.validation import Problem, Report

if TYPE_CHECKING:
    import pyarrow as pa

ENGINES = ("auto", "arrow", "duckdb", "polars", "spark")
AUTO_BYTES = 64 * 1024 * 1024
"""``--engine auto`` hands inputs with more Parquet than this (or a table directory) to polars or DuckDB."""
ARTICLE_BYTES = 1152 * 1024 * 1024
"""... and to DuckDB first when the articles take more than this in memory (their Parquet footers' size):
polars keeps the article texts in memory from the articles' checks to the spans (1.67 GB peak at 10^7
quotes, whose articles take 1.02 GiB), DuckDB's memory stays flat."""


NOT_PARQUET = (
    "not Parquet: a corpus table is <table>.parquet or a <table>/ directory of Parquet files"
    " (--engine arrow reads <table>.csv, .json and .jsonl)"
)
EMPTY_TABLE = "a table directory without a file (a table with no rows is a Parquet file with none)"


@dataclass(frozen=True)
class Source:
    """One table of the corpus: its Parquet files in order, their row counts, and the columns they hold."""

    table: str
    files: tuple[str, ...]
    rows: tuple[int, ...]
    schema: pa.Schema
    shipped: bool = False
    uris: tuple[str, ...] = ()
    """What an engine reads for each file: an absolute path or a URI (as ``files`` when empty)."""
    schemas: tuple[pa.Schema, ...] = ()
    """Each file's columns (`schema` is the first file's)."""

    @property
    def mixed(self) -> bool:
        """Whether the files' columns differ (an integer's width, a string's kind): polars then casts them."""
        return any(other != self.schema for other in self.schemas)

    @functools.cached_property
    def starts(self) -> list[int]:
        """The index (over all files, from 0) of each file's first row."""
        return [sum(self.rows[:i]) for i in range(len(self.rows))]

    def place(self, index: int) -> tuple[str, int]:
        """File and row (from 1) of the ``index``-th row (from 0) over all files."""
        at = bisect.bisect_right(self.starts, index) - 1
        return self.files[at], index - self.starts[at] + 1

    def index(self, file: str, row: int) -> int:
        """The index over all files of ``row`` (from 0) of ``file``."""
        return self.starts[self.files.index(file)] + row


class Backend(Protocol):
    """What an engine does: scans that return only the rows with a problem, as plain Python values.

    Each returned row starts with its index over all of the table's files (from 0)."""

    errors: tuple[type[Exception], ...]
    """What the engine raises for a file it cannot read."""

    def flagged(self, source: Source, table: checks.TableChecks) -> list[dict[str, Any]]:
        """Rows where some check of a column fails: the row's index as ``__index``, every checked column's
        value, and one boolean per check named ``<column>:<check>`` (required, enum, pattern, min_length,
        minimum, maximum, nested: a list or record that is not empty)."""

    def duplicates(self, source: Source, key: str) -> list[tuple[int, Any]]:
        """Every row whose key occurs more than once (null counts as a value), ordered by index."""

    def missing(self, source: Source, column: str, targets: list[Source]) -> list[tuple[int, Any]]:
        """Rows whose non-null ``column`` is no key of the ``targets``, ordered by index."""

    def spans(
        self, source: Source, span: checks.Span, articles: Source, unique: bool
    ) -> list[tuple[int, int, int, int, str, Any]]:
        """Rows whose span is outside its article or differs from it: index, start, end, the article's
        length, the row's text and the article's text at the span (None when outside), ordered by index.
        ``unique``: no article ID repeats, so every article row can be joined."""

    def partial(self, source: Source, names: list[str]) -> list[int]:
        """Rows where some but not all of the ``names`` columns are null, ordered by index."""

    def keys(self, source: Source, values: list[str]) -> set[str]:
        """Which of ``values`` are keys of the table."""

    def texts(self, articles: Source, ids: list[str]) -> dict[str, str]:
        """The text of each article (the first row with that ID)."""


def hidden(below: str) -> bool:
    """Whether a path below a table's directory is hidden (a part starts with ``.`` or ``_``: Spark's
    ``_temporary/`` and ``_SUCCESS``, editors' ``.~`` copies), as Spark, Hive and pyarrow skip it."""
    return any(part[:1] in (".", "_") for part in below.replace("\\", "/").split("/") if part)


def _parquet_files(path: Path) -> list[Path]:
    """A table's files: ``path``, or every file under it that is not hidden, whatever its name, as Spark, Hive
    (``000000_0``) and pyarrow read a table directory; skipping one would pass it unchecked (a FIFO is listed
    too: `sources` refuses it unopened)."""
    if not path.is_dir():
        return [path]
    found = (p for p in path.rglob("*") if not p.is_dir() and not hidden(str(p.relative_to(path))))
    return sorted(found, key=str)


def is_uri(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a URI (``scheme://...``) rather than a local path."""
    return isinstance(path, str) and re.match(r"[A-Za-z][A-Za-z0-9+.-]+://", path) is not None  # not C://


class FileSystem(Protocol):
    """Where a corpus lies, as `sources` reads it: the local file system (`LocalFiles`), or any that a
    SparkSession's Hadoop configuration reads (`rustcase.engines.spark.HadoopFiles`). Paths are strings;
    what cannot be read raises OSError (FileNotFoundError for a missing path)."""

    def is_dir(self, path: str) -> bool:
        """Whether ``path`` is a directory (FileNotFoundError when nothing is there)."""

    def entries(self, path: str) -> list[tuple[str, str]]:
        """A directory's entries as (name, path), in name order."""

    def parquet(self, path: str) -> list[str]:
        """Every file at any depth under a directory that is not hidden, in path order."""

    def footers(self, files: list[str]) -> Iterator[tuple[int, pa.Schema]]:
        """Each Parquet file's row count and schema, from its footer, in order; OSError or ValueError for a
        file that is none, when its turn comes."""

    def uri(self, file: str) -> str:
        """What an engine reads for ``file``: an absolute path or a URI."""


class LocalFiles:
    """`FileSystem` on local paths, with pyarrow reading the footers."""

    def is_dir(self, path: str) -> bool:
        return Path(path).is_dir()

    def entries(self, path: str) -> list[tuple[str, str]]:
        return [(p.name, str(p)) for p in sorted(Path(path).iterdir(), key=lambda p: p.name)]

    def parquet(self, path: str) -> list[str]:
        return list(map(str, _parquet_files(Path(path))))

    def footers(self, files: list[str]) -> Iterator[tuple[int, pa.Schema]]:
        import pyarrow.parquet as pq

        for file in files:
            with open_regular(Path(file)) as handle:  # a FIFO or device is refused, never opened
                meta = pq.read_metadata(handle)
            yield meta.num_rows, meta.schema.to_arrow_schema()

    def uri(self, file: str) -> str:
        return os.path.abspath(file)


def sources(root: str | Path, report: Report, files: FileSystem | None = None) -> dict[str, Source]:
    """The tables of a corpus directory (or one ``<table>.parquet``), by table, in file-name order, listed
    and their footers read through ``files`` (local paths when None)."""
    files = files or LocalFiles()
    root = str(root)
    try:
        is_dir = files.is_dir(root)
        entries = files.entries(root) if is_dir else [(root.replace(os.sep, "/").rstrip("/").rpartition("/")[2], root)]
    except OSError as exc:
        missing = isinstance(exc, FileNotFoundError)
        report.problems.append(
            Problem(root, None, None, "no such file or directory" if missing else f"cannot read: {first_line(exc)}")
        )
        report.unusable = True
        return {}
    found: dict[str, Source] = {}
    for base, entry in entries:
        table, _, ext = base.partition(".")
        if table not in TABLE_KEYS or ext not in ("parquet", ""):
            if not is_dir:
                report.problems.append(
                    Problem(entry, None, None, "not a rustcase table file (expected <table>.parquet)")
                )
                report.unusable = True
            elif table in TABLE_KEYS:  # a table in another format: skipping it would pass it unchecked
                report.problems.append(Problem(entry, None, None, NOT_PARQUET))
                report.unusable = True
            continue
        if table in found:
            report.problems.append(Problem(entry, None, None, f"a second file for table {table!r}"))
            report.unusable = True
            continue
        failing = entry
        try:
            paths = files.parquet(entry) if files.is_dir(entry) else [entry]
            footers, read = [], files.footers(paths)
            for failing in paths:  # noqa: B007 (an error is named by the file whose footer raised it)
                footers.append(next(read))
        except (OSError, ValueError) as exc:
            report.problems.append(Problem(failing, None, None, f"cannot read: {first_line(exc)}"))
            report.unusable = True
            continue
        if not paths:  # never taken as absent: the shipped table would pass in its place
            report.problems.append(Problem(entry, None, None, EMPTY_TABLE))
            report.unusable = True
            continue
        schema = footers[0][1]
        repeated = [(i, name) for i, name in enumerate(schema.names) if name in schema.names[:i]]
        for i, name in repeated:  # the arrow engine reads the first; a scanning engine cannot tell them apart
            message = f"a second column of this name (column {i + 1}); only --engine arrow reads such a file"
            report.problems.append(Problem(paths[0], None, name, message))
        if repeated:
            report.unusable = True
            continue
        rows = tuple(rows for rows, _ in footers)
        schemas = tuple(other for _, other in footers)
        found[table] = Source(table, tuple(paths), rows, schema, uris=tuple(map(files.uri, paths)), schemas=schemas)
    if not found and not report.unusable:
        report.problems.append(Problem(root, None, None, "no table files (<table>.parquet or <table>/)"))
        report.unusable = True
    return found


FIRST_LACKS = "a column the table's first file lacks (an engine reads a table as its first file's columns)"


def unlike(source: Source) -> list[Problem]:
    """The columns of a table's later files that differ from its first file's and do not hold the schema's:
    one problem each, worded as for the first file (an integer's width or a string's kind may differ).
    An engine scans a table as its first file's columns: another's would be skipped or fail."""
    return [
        p for file, have in zip(source.files[1:], source.schemas[1:], strict=False) for p in _unlike(file, have, source)
    ]


def _unlike(file: str, have: pa.Schema, source: Source) -> list[Problem]:
    from rustcase.schema import arrow_schema

    first = source.schema
    if have == first:
        return []
    want = arrow_schema(source.table)
    extra = [n for n in have.names if n not in first.names]
    found = [Problem(file, None, n, checks.UNEXPECTED_COLUMN if n not in want.names else FIRST_LACKS) for n in extra]
    for field in want:
        if field.name in first.names and field.name not in have.names:
            found.append(Problem(file, None, field.name, checks.MISSING_COLUMN))
        elif field.name in have.names and not _holds(have.field(field.name).type, field.type):
            found.append(
                Problem(file, None, field.name, f"column type {have.field(field.name).type} cannot hold {field.type}")
            )
    return found


def backend(engine: str) -> Backend:
    """The engine by name; a missing optional package raises `MissingExtraError`."""
    if engine == "duckdb":
        from rustcase.engines.duckdb import DuckDBBackend

        return DuckDBBackend()
    if engine == "polars":
        from rustcase.engines.polars import PolarsBackend

        return PolarsBackend()
    if engine == "spark":
        from rustcase.engines.spark import SparkBackend

        return SparkBackend()
    raise UnknownEngineError(f"unknown engine {engine!r}; the engines are: {', '.join(ENGINES)}")


def choose(path: Path, engine: str) -> str:
    """``auto``, by measurement (docs/scale.md): the Arrow validator for small files; polars, the fastest, for
    table directories and Parquet beyond `AUTO_BYTES`; DuckDB, whose memory stays flat, when the articles
    take more than `ARTICLE_BYTES` (each when installed)."""
    if engine != "auto":
        return engine
    if not path.is_dir():
        return "arrow"
    try:
        tables = [e for e in path.iterdir() if e.name.partition(".")[0] in TABLE_KEYS]
        if not all(
            (e.name.endswith(".parquet") and e.is_file()) or (e.name in TABLE_KEYS and e.is_dir()) for e in tables
        ):
            return "arrow"  # only the Arrow validator reads the other formats (and reports odd entries)
        size = sum(f.stat().st_size for e in tables for f in _parquet_files(e))
        articles = [f for e in tables if e.name.partition(".")[0] == "articles" for f in _parquet_files(e)]
    except OSError:
        return "arrow"  # it reports what cannot be read
    if not any(e.is_dir() for e in tables) and size <= AUTO_BYTES:
        return "arrow"
    import importlib.util

    order = ("duckdb", "polars") if _in_memory(articles) > ARTICLE_BYTES else ("polars", "duckdb")
    return next((name for name in order if importlib.util.find_spec(name)), "arrow")


def _in_memory(files: list[Path]) -> int:
    """The bytes the files' rows take once read, as their Parquet footers count them (0 when one cannot be
    read: the engine then says why)."""
    import pyarrow.parquet as pq

    size = 0
    for file in files:
        try:
            with open_regular(file) as handle:  # a FIFO is refused, never opened
                meta = pq.read_metadata(handle)
        except (OSError, ValueError):
            return 0
        size += sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
    return size


def validate(
    path: str | os.PathLike[str],
    engine: str = "auto",
    progress: Callable[[str], object] | None = None,
    backend_instance: Backend | None = None,
) -> Report:
    """`rustcase.validate` with the scanning done by ``engine``; the same problems, the same lines."""
    from rustcase import validation

    report = Report()
    runner = backend_instance
    if is_uri(path):  # listed and its footers read through the Hadoop file systems of the SparkSession
        from rustcase.engines.spark import HadoopFiles, SparkBackend

        runner = backend_instance or (SparkBackend() if engine in ("auto", "spark") else None)
        if not isinstance(runner, SparkBackend):
            scheme = str(path).partition(":")[0]
            message = f"only --engine spark reads a {scheme}:// URI; --engine {engine} reads local paths"
            return Report([Problem(str(path), None, None, message)], unusable=True)
        root: str | Path = str(path)
        found = sources(root, report, HadoopFiles(runner.spark))
    else:
        root = Path(path)
        engine = choose(root, engine) if root.exists() else "arrow"
        if (engine == "arrow" and backend_instance is None) or not root.exists():
            return validation.validate(root, progress=progress, engine="arrow")
        found = sources(root, report)
    report.problems += [p for source in found.values() for p in unlike(source)]
    if report.problems:
        report.unusable = True
        return report
    runner = runner or backend(engine)
    try:
        return _Run(runner, found, report, progress).run()
    except runner.errors as exc:  # a file that its footer promised to be readable is not
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        return Report([Problem(str(root), None, None, f"cannot read: {first}")], report.files, report.rows, True)


def validate_spark(session: Any, path: str | os.PathLike[str]) -> Report:
    """Validate the corpus at ``path`` with Spark jobs on ``session`` (a ``pyspark.sql.SparkSession``): a local
    path, or a URI of any file system the session's Hadoop configuration reads (``hdfs://``, ``s3a://``...)."""
    from rustcase.engines.spark import SparkBackend

    return validate(path, "spark", backend_instance=SparkBackend(session))


class _Run:
    def __init__(
        self, engine: Backend, found: dict[str, Source], report: Report, progress: Callable[[str], object] | None
    ) -> None:
        from rustcase import store
        from rustcase.schema import arrow_schema

        self.engine, self.report, self.progress = engine, report, progress
        self.found = found
        self.all = dict(found)
        for table, file in store.paths().items():
            if table not in self.all:
                self.all[table] = Source(table, (str(file),), (-1,), arrow_schema(table), shipped=True)
        self.checked: dict[str, set[str]] = {}  # the columns each table's later checks may use
        self.nested: dict[str, dict[str, list[tuple[int, Any]]]] = {}
        self.repeated: set[str] = set()  # the tables with a repeated key
        self.unmatched: dict[str, set[Any]] = {}  # each table's keys that do not match its key's pattern
        self.later: dict[tuple[str, str], tuple[int, list[Problem]]] = {}
        """The pattern problems of reference columns, found with the references (`mismatched`): where in
        the report the column checks would have put them, and them."""

    def at(self, source: Source, index: int | None, name: str | None, message: str) -> Problem:
        file, row = source.place(index) if index is not None else (source.files[0], None)
        return Problem(file, row, name, message)

    def problem(self, source: Source, index: int | None, name: str | None, message: str) -> None:
        self.report.problems.append(self.at(source, index, name, message))

    def run(self) -> Report:
        for table, source in self.found.items():
            self.report.files.extend(source.files)
            self.report.rows += sum(source.rows)
            self.columns(source)
            if self.progress:
                self.progress(table)
        for table, source in self.all.items():
            if source.shipped:
                self.checked[table] = set(checks.table_checks(table).names)
        for table in self.all:
            self.duplicates(self.all[table])
        for table in self.all:
            self.references(self.all[table])
        for table in self.all:
            self.spans(self.all[table])
        for position, problems in reversed(self.later.values()):
            self.report.problems[position:position] = problems
        return self.report

    def columns(self, source: Source) -> None:
        from rustcase.schema import arrow_schema

        definition = checks.table_checks(source.table)
        expected = arrow_schema(source.table)
        present = set(source.schema.names)
        for name in source.schema.names:
            if name not in expected.names:
                self.problem(source, None, name, checks.UNEXPECTED_COLUMN)
        usable: list[checks.Column] = []
        for column in definition.columns:
            if column.name not in present:
                self.problem(source, None, column.name, checks.MISSING_COLUMN)
                continue
            have, want = source.schema.field(column.name).type, expected.field(column.name).type
            if not _holds(have, want):
                self.problem(source, None, column.name, f"column type {have} cannot hold {want}")
                continue
            usable.append(column)
        later = {c.name for c in usable if c.pattern and checks.keys_match(c)}  # see `mismatched`
        asked = tuple(dataclasses.replace(c, pattern=None) if c.name in later else c for c in usable)
        subset = checks.TableChecks(source.table, definition.key, asked, definition.spans)
        rows = sorted(self.engine.flagged(source, subset), key=lambda r: int(r["__index"]))
        self.checked[source.table] = {c.name for c in usable}
        nested: dict[str, list[tuple[int, Any]]] = {}
        for column in usable:
            for kind in ("required", "nested", "enum", "pattern", "min_length", "minimum", "maximum"):
                if kind == "pattern" and column.name in later:
                    self.later[(source.table, column.name)] = (len(self.report.problems), [])
                for row in rows:
                    if row.get(f"{column.name}:{kind}"):
                        index, value = int(row["__index"]), row[column.name]
                        if kind == "pattern" and column.name == definition.key:
                            self.unmatched.setdefault(source.table, set()).add(value)
                        if kind == "nested":
                            nested.setdefault(column.name, []).append((index, value))
                        else:
                            self.problem(source, index, column.name, _message(kind, value, column))
                if kind == "nested" and column.name in nested:
                    nested[column.name] = self.check_nested(source, column.name, nested[column.name])
        self.nested[source.table] = nested

    def check_nested(self, source: Source, name: str, rows: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
        """Lists and nested records, validated by the model's type as in the Arrow validator."""
        from pydantic import TypeAdapter

        from rustcase.models import TABLES
        from rustcase.validation import nested_value

        adapter: TypeAdapter[Any] = TypeAdapter(TABLES[source.table].model.model_fields[name].annotation)  # type: ignore[arg-type]
        good = []
        for index, value in rows:
            try:
                good.append((index, nested_value(adapter, value)))
            except ValueError as exc:
                self.problem(source, index, name, str(exc))
        return good

    def duplicates(self, source: Source) -> None:
        definition = checks.table_checks(source.table)
        if definition.key in self.checked.get(source.table, set()) and not source.shipped:
            first: dict[Any, int] = {}
            found = self.engine.duplicates(source, definition.key)
            if found:
                self.repeated.add(source.table)
            for index, value in found:
                if value in first:
                    file, row = source.place(first[value])
                    where = str(row) if file == source.place(index)[0] else f"{file}:{row}"
                    self.problem(source, index, definition.key, checks.duplicate(definition.key, value, where))
                first.setdefault(value, index)

    def references(self, source: Source) -> None:
        definition = checks.table_checks(source.table)
        columns = self.checked.get(source.table, set())
        if source.shipped:
            return
        for column in definition.columns:
            if column.targets and column.name in columns:
                targets = [self.all[t] for t in column.targets if TABLE_KEYS[t] in self.checked.get(t, set())]
                missing = self.engine.missing(source, column.name, targets)
                for index, value in missing:
                    self.problem(source, index, column.name, checks.names_no_record(value))
                if (source.table, column.name) in self.later:
                    self.later[(source.table, column.name)][1].extend(self.mismatched(source, column, missing))
        for name, values in self.nested.get(source.table, {}).items():
            refs = [
                (index, ref)
                for index, value in values
                for ref in (value if name.endswith("_ids") else checks.nested_ids(value))
            ]
            by_table: dict[str, list[str]] = {}
            for _, ref in refs:
                by_table.setdefault(PREFIXES.get(ref.split("-", 1)[0], ""), []).append(ref)
            known = {
                table: self.engine.keys(self.all[table], sorted(set(wanted)))
                if table in self.all and TABLE_KEYS[table] in self.checked.get(table, set())
                else set()
                for table, wanted in by_table.items()
            }
            for index, ref in refs:
                if ref not in known[PREFIXES.get(ref.split("-", 1)[0], "")]:
                    self.problem(source, index, name, checks.names_no_record(ref))

    def mismatched(self, source: Source, column: checks.Column, missing: list[tuple[int, Any]]) -> list[Problem]:
        """The rows of a reference column whose value does not match its pattern, found without running the
        pattern on every row: a key that matches its own table's pattern matches the column's
        (`checks.keys_match`), so only the values that are no key can fail it, unless a key that fails its
        own pattern fails this one too (then the column is scanned)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        def matching(values: list[Any]) -> list[bool]:
            regex = checks.regex(column.pattern or "")
            return pc.match_substring_regex(pa.array(values, pa.string()), regex).to_pylist() if values else []

        keys = sorted({k for t in column.targets for k in self.unmatched.get(t, ())})
        if all(matching(keys)):
            hits = [(i, v) for (i, v), good in zip(missing, matching([v for _, v in missing]), strict=True) if not good]
        else:
            only = checks.TableChecks(source.table, TABLE_KEYS[source.table], (column,), ())
            found = self.engine.flagged(source, only)
            hits = sorted((int(r["__index"]), r[column.name]) for r in found if r.get(f"{column.name}:pattern"))
        return [self.at(source, i, column.name, _message("pattern", v, column)) for i, v in hits]

    def spans(self, source: Source) -> None:
        articles = self.all["articles"]
        if not {"article_id", "text"} <= self.checked.get("articles", set()) or source.shipped:
            return
        columns = self.checked.get(source.table, set())
        for span in checks.table_checks(source.table).spans:
            if {"article_id", span.text, span.start, span.end} <= columns:
                if span.text != "text":  # an optional span (a cue, a headline) is null as a whole or not at all
                    for index in self.engine.partial(source, [span.text, span.start, span.end]):
                        self.problem(source, index, span.text, checks.not_whole(span.text))
                found = self.engine.spans(source, span, articles, "articles" not in self.repeated)
                self.span_problems(source, found, span.text, span.start)
        for name, values in self.nested.get(source.table, {}).items():
            items = [(i, v) for i, value in values for v in (value if isinstance(value, tuple | list) else [value])]
            items = [(i, v) for i, v in items if hasattr(v, "start") and hasattr(v, "article_id")]
            if not items:
                continue
            texts = self.engine.texts(articles, sorted({v.article_id for _, v in items}))
            found = []
            for index, v in items:
                if v.article_id not in texts:
                    continue
                text = texts[v.article_id]
                outside = v.start < 0 or v.end < v.start or v.end > len(text)
                want = None if outside else text[v.start : v.end]
                if outside or want != v.text:
                    found.append((index, v.start, v.end, len(text), v.text, want))
            self.span_problems(source, found, name, name)

    def span_problems(
        self, source: Source, found: list[tuple[int, int, int, int, str, Any]], text: str, start: str
    ) -> None:
        for index, s, e, length, _, want in found:
            if want is None:
                self.problem(source, index, start, checks.outside(s, e, length))
        for index, s, e, _, got, want in found:
            if want is not None:
                self.problem(source, index, text, checks.not_the_article(got, want, s, e))


def _holds(have: pa.DataType, want: pa.DataType) -> bool:
    """Whether a Parquet column's type holds the schema's as the engines read it: any integer for an
    integer, any string type for text (polars writes large strings), any list for a list."""
    import pyarrow as pa

    if have == want or (pa.types.is_integer(have) and pa.types.is_integer(want)):
        return True
    if pa.types.is_string(want):
        return any(k(have) for k in (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view))
    lists = (pa.types.is_list, pa.types.is_large_list)
    return any(k(want) for k in lists) and any(k(have) for k in lists)


def _message(kind: str, value: Any, column: checks.Column) -> str:
    if kind == "required":
        return checks.MISSING_VALUE
    if kind == "enum":
        return checks.not_one_of(value, column.enum)
    if kind == "pattern":
        return checks.no_match(value, column.pattern or "")
    if kind == "min_length":
        return checks.EMPTY_TEXT
    if kind == "minimum":
        return checks.out_of_bounds(value, "below", column.minimum or 0)
    return checks.out_of_bounds(value, "above", column.maximum or 0)


def flags(column: checks.Column) -> Iterator[str]:
    """The checks a column has, by the names `Backend.flagged` uses."""
    if column.required:
        yield "required"
    if column.type == "nested":
        yield "nested"
        return
    for kind in ("enum", "pattern", "min_length", "minimum", "maximum"):
        if getattr(column, kind) not in (None, ()):
            yield kind
