"""The ``rustcase`` command: a thin layer over the library that turns its errors into one-line messages."""

from __future__ import annotations

import contextlib
import sys
from contextlib import contextmanager

import click

from rustcase.formats import COLLECTIONS, FORMATS, REGISTRY
from rustcase.offsets import UNITS
from rustcase.tables import TABLE_KEYS

TYPE_CHECKING = False  # typing and json are imported only where needed: `rustcase --help` stays fast
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import IO, Any

    from rustcase.changes import DataDiff

ENGINE_CHOICES = ("auto", "arrow", "duckdb", "polars", "spark")  # rustcase.engines.ENGINES


@contextmanager
def _progress(label: str, length: int) -> Iterator[Callable[[str], object] | None]:
    """A progress bar on stderr when it is a terminal; nothing when it is piped or redirected."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield lambda _table: bar.update(1)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn rustcase's own exceptions into a one-line message and exit status 1 (2 for a corpus that cannot be
    scanned: unusable input)."""
    from rustcase.errors import CorpusError, RustcaseError

    try:
        yield
    except CorpusError as exc:
        raise _Unusable(_one_line(str(exc))) from exc
    except RustcaseError as exc:
        raise click.ClickException(str(exc)) from exc


def _to_stdout(write: Callable[[IO[bytes]], object]) -> None:
    """Run ``write`` on stdout; a stdout that is closed, full or a closed pipe is one line and exit 1."""
    import os

    if sys.stdout is None:
        raise click.ClickException("cannot write to stdout: it is closed")
    try:
        write(sys.stdout.buffer)
        sys.stdout.flush()
    except OSError as exc:
        try:  # nothing more can reach stdout: point it at /dev/null so that Python's exit flush stays quiet
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise click.ClickException(f"cannot write to stdout: {exc.strerror or exc}") from None


def _version() -> str:
    from importlib.metadata import version

    return version("rustcase")


class _Bug(click.ClickException):
    """An exception rustcase did not expect: a bug, reported in one line with exit status 3."""

    exit_code = 3


class _Unusable(click.ClickException):
    """Input that cannot be used: a corpus export or sql cannot scan, or (for `validate`) rustcase's own data
    damaged so that nothing could be checked. One line, exit status 2."""

    exit_code = 2


class _Group(click.Group):
    """The one defence of every command: no traceback, whatever the input. rustcase's own errors and the
    system's (a full disk, a missing file) exit 1 with one line, usage errors 2, anything else 3 as a bug."""

    def invoke(self, ctx: click.Context) -> Any:
        from rustcase.errors import RustcaseError

        for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 prints as \x.. escapes
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                with contextlib.suppress(OSError):  # a closed stdout is reported when something is written
                    reconfigure(errors="backslashreplace")
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except RustcaseError as exc:
            raise click.ClickException(_one_line(str(exc))) from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename is not None else ""
            raise click.ClickException(_one_line(f"{where}{exc.strerror or exc}")) from exc
        except Exception as exc:
            message = f"a bug in rustcase ({type(exc).__name__}: {exc}); please report it"
            raise _Bug(_one_line(message)) from exc


def _one_line(message: str) -> str:
    lines = message.strip().splitlines() or [""]
    return lines[0] if len(lines) == 1 else f"{lines[0]} (…)"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from rustcase import versions

    with _errors():
        click.echo(f"rustcase {_version()}, newest data version {versions.latest()}")
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_print_version,
    help="Show the package version and the newest data version, and exit.",
)
def main() -> None:
    """rustcase: the curated Rust-shooting interview dataset, as files.

    Exit status: 0 success, 1 an error (one line on stderr) or, for validate and verify, problems found,
    2 a usage error or unusable input (that validate cannot read, a corpus export or sql cannot scan), 3 a bug
    in rustcase.
    """


def data_version_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--data-version: a shipped data version, exact or a prefix ("1" is the newest 1.x); newest by default."""
    return click.option(
        "--data-version",
        "data_version",
        metavar="VERSION",
        help="Data version, exact (1.0.0) or a prefix (1); the newest by default.",
    )(func)


def output_options(help_text: str, files: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--out (a directory for "files", a file for "file"; - for stdout) and --force."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        what = "existing files" if files == "files" else "an existing file"
        func = click.option("--force", is_flag=True, help=f"Replace {what} (never a symlink, directory or FIFO).")(func)
        path = click.Path(file_okay=files == "file", dir_okay=files == "files", allow_dash=True)
        return click.option("--out", "-o", required=True, type=path, help=help_text)(func)

    return decorate


def corpus_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--corpus: a corpus directory to read instead of the shipped data (`rustcase.corpus`)."""
    return click.option(
        "--corpus",
        metavar="DIR",
        type=click.Path(exists=True, file_okay=False),
        help="Read a corpus instead of the shipped data: DIR holds <table>.parquet files or <table>/ directories "
        "of Parquet files (hive key=value/ directories too: the keys are not columns). Its tables are scanned, "
        "never loaded whole; their columns must fit the schema (their values are not checked: rustcase "
        "validate does that); the tables it lacks are absent.",
    )(func)


def _one_source(corpus: str | None, data_version: str | None) -> None:
    if corpus is not None and data_version is not None:
        raise click.UsageError("--corpus and --data-version exclude each other: read a corpus or a data version")


def table_arguments(func: Callable[..., Any]) -> Callable[..., Any]:
    """TABLE arguments, each one of rustcase's tables."""
    return click.argument("tables", metavar="[TABLE]...", nargs=-1, type=click.Choice(list(TABLE_KEYS)))(func)


@main.command()
@table_arguments
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(list(REGISTRY)),
    default="csv",
    show_default=True,
    help="File format; brat, webanno, labelstudio, spacy and hf write a collection for that tool (every table).",
)
@click.option(
    "--offsets",
    type=click.Choice(UNITS),
    help="Collections: the unit span offsets count in (default: what the tool expects; "
    + ", ".join(f"{n} {REGISTRY[n].default_offsets}" for n in COLLECTIONS)
    + ").",
)
@output_options("Directory for the files (one per table, <table>.<format>), or - for one table on stdout.", "files")
@click.option(
    "--excel-safe",
    is_flag=True,
    help="CSV only: prefix cells starting with = + - @ with an apostrophe, against spreadsheet formula "
    "injection. The texts then differ from the articles; the default keeps them byte-exact.",
)
@data_version_option
@corpus_option
def export(
    tables: tuple[str, ...],
    fmt: str,
    offsets: str | None,
    out: str,
    force: bool,
    excel_safe: bool,
    data_version: str | None,
    corpus: str | None,
) -> None:
    """Export TABLEs (every table by default) to CSV, JSON, JSON Lines or Parquet, or the dataset to a tool.

    Next to the data files go the JSON Schemas (schema/), manifest.json, datapackage.json (Frictionless)
    and croissant.json. In CSV, list and nested fields are JSON text inside the cell; an empty cell is null.
    A collection (brat, webanno, labelstudio, spacy, hf) holds quotes, cues and mentions as the tool reads
    them, with a manifest.json; each names its offset unit, rustcase and data version and fingerprint.
    With --corpus, the tables of the corpus (every one it has by default) are streamed batch by batch into
    table files; the manifest names the corpus (no fingerprints, no croissant.json). Exit status 2 for a
    corpus that cannot be scanned.
    """
    from rustcase.export import export_tables, write_table

    _one_source(corpus, data_version)
    if REGISTRY[fmt].collection and corpus is not None:
        raise click.UsageError(f"--format {fmt} writes the shipped dataset; --corpus exports table formats only")
    if REGISTRY[fmt].collection:
        if tables or out == "-" or excel_safe:
            raise click.UsageError(
                f"--format {fmt} writes the whole dataset into a directory: no TABLE, no --out -, no --excel-safe"
            )
        from rustcase.errors import RustcaseError
        from rustcase.export import export_collection
        from rustcase.formats import check_collection

        try:
            check_collection(fmt, offsets)
        except RustcaseError as exc:  # an offset unit the tool does not read is a usage error
            raise click.UsageError(str(exc)) from exc
        with _errors():
            written = export_collection(out, fmt, offsets=offsets, version=data_version, force=force)
        click.echo(f"wrote {len(written)} file(s) to {out}", err=True)
        return
    if offsets is not None:
        raise click.UsageError(f"--offsets applies to {', '.join(COLLECTIONS)}; {fmt} keeps code points")
    with _errors():
        if out == "-":
            if len(tables) != 1:
                raise click.UsageError("--out - writes one table to stdout; name exactly one TABLE")
            if not REGISTRY[fmt].text and sys.stdout.isatty():
                raise click.UsageError("will not write Parquet to a terminal; redirect stdout or use --out DIR")
            _to_stdout(
                lambda sink: write_table(tables[0], fmt, sink, data_version, excel_safe=excel_safe, corpus=corpus)
            )
            return
        with _progress("exporting", len(tables) or len(TABLE_KEYS)) as progress:
            written = export_tables(
                out,
                fmt,
                tables,
                force=force,
                version=data_version,
                corpus=corpus,
                excel_safe=excel_safe,
                progress=progress,
            )
    click.echo(f"wrote {len(written)} file(s) to {out}", err=True)


@main.command("import")
@click.argument("tool", type=click.Choice([n for n in COLLECTIONS if REGISTRY[n].reads]))
@click.argument("source", type=click.Path(exists=True))
@output_options("Directory for the tables (every table, <table>.<format>).", "files")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True, help="File format."
)
@data_version_option
def import_(tool: str, source: str, out: str, force: bool, fmt: str, data_version: str | None) -> None:
    """Bring an annotator's corrections back: a brat collection DIR or Label Studio tasks FILE → every table.

    Quotes and mentions come from SOURCE; the other tables, and the fields the tool's format does not hold,
    from the shipped data by ID (the command says which). A span whose text does not match the article is an
    error with its place. `rustcase validate OUT` checks the result.
    """
    from rustcase.imports import import_collection

    if out == "-":
        raise click.UsageError("import writes every table: --out names a directory")
    with _errors():
        result = import_collection(tool, source, out, table_format=fmt, version=data_version, force=force)
    for line in result.summary():
        click.echo(line, err=True)
    click.echo(f"wrote {len(result.paths)} file(s) to {out}", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@data_version_option
def info(as_json: bool, data_version: str | None) -> None:
    """Show the package and data versions, the content fingerprint, and the tables with their row counts."""
    import json

    from rustcase import versions

    with _errors():
        version = versions.resolve(data_version)
        manifest = versions.manifest(version)
    counts = {table: manifest["tables"][table]["rows"] for table in TABLE_KEYS}
    summary = {
        "version": _version(),
        "data_version": version,
        "fingerprint": manifest["fingerprint"],
        "available_data_versions": versions.available(),
        "tables": counts,
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(f"rustcase {_version()}, data version {version} (available: {', '.join(versions.available())})")
    click.echo(f"fingerprint {manifest['fingerprint']}")
    width = max(map(len, counts))
    for table, rows in counts.items():
        click.echo(f"{table:<{width}}  {rows:>5} rows")


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@data_version_option
def verify(path: str | None, data_version: str | None) -> None:
    """Check the shipped data (every version, or --data-version) or an export directory PATH.

    Files are checked against their manifest (size and SHA-256), the manifests and schemas.json against
    the lock file, the content against its fingerprint, and schemas.json against the models. Problems go
    to stderr and the exit status is 1.
    """
    from rustcase import versions
    from rustcase.integrity import verify_export, verify_version

    with _errors():
        targets = [path] if path else [versions.resolve(data_version)] if data_version else versions.available()
        problems = {t: verify_export(t) if path else verify_version(t) for t in targets}
    shown: set[str] = set()  # a problem of a file every version relies on (schemas.json) is shown once
    for target, found in problems.items():
        for problem in found:
            if problem not in shown:
                click.echo(problem, err=True)
            shown.add(problem)
        click.echo(f"{target}: {'FAILED' if found else 'ok'}")
    if any(problems.values()):
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_CHOICES),
    default="auto",
    show_default=True,
    help="What scans the rows: arrow (in memory), duckdb, polars or spark (Parquet only: <table>.parquet "
    "files or <table>/ directories of Parquet files); auto takes arrow for small inputs, polars or duckdb "
    "for big ones. Every engine reports the same lines when each column has the schema's type (see docs/scale.md).",
)
def validate(path: str, fmt: str, engine: str) -> None:
    """Check a copy of the data (a directory or one <table>.<format> file) and report every problem.

    Checks types, required values, enumerations, IDs, duplicates, references and every span against its
    article text; tables PATH lacks are taken from the shipped data. Each problem is one line,
    FILE:ROW:FIELD: MESSAGE. Rows: CSV rows as a spreadsheet numbers them (the header is row 1), JSON Lines
    line numbers, JSON and Parquet records from 1. Exit status: 0 valid, 1 invalid, 2 unusable input (or
    rustcase's own data damaged: nothing could be checked). With --engine spark (or auto) PATH may also be a
    URI that Spark's Hadoop configuration reads (hdfs://, s3a://, gs://, file://...).
    """
    import json

    from rustcase.errors import MissingExtraError, RustcaseError
    from rustcase.reading import ROW_NUMBERS
    from rustcase.validation import validate as validate_path

    try:
        with _progress("validating", len(TABLE_KEYS)) as progress:
            report = validate_path(path, progress=progress, engine=engine)
    except MissingExtraError as exc:  # the engine asked for is not installed: an error, not unusable input
        raise click.ClickException(str(exc)) from exc
    except RustcaseError as exc:  # rustcase's own files are damaged: the input could not be checked
        raise _Unusable(_one_line(str(exc))) from exc
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            click.echo(str(problem))
        verdict = {0: "valid", 1: "invalid", 2: "unusable"}[report.exit_code]
        numbering = dict.fromkeys(ROW_NUMBERS[f.rpartition(".")[2]] for f in report.files if report.problems)
        click.echo(
            f"{verdict}: {len(report.problems)} problem(s) in {len(report.files)} file(s), {report.rows} row(s) read"
            + "".join(f"; rows are {n}" for n in numbering),
            err=True,
        )
    sys.exit(report.exit_code)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def diff(old: str, new: str, as_json: bool) -> None:
    """List the records added, removed and changed from data version OLD to NEW, per table, by ID.

    NEW is a data version, or a copy of the data (an export directory in any format, or one
    <table>.<format> file): then the tables it has are compared with version OLD, to see what was edited.
    """
    import json
    from pathlib import Path

    from rustcase import changes, versions

    with _errors():
        try:
            is_path = Path(new).exists()
        except (OSError, ValueError):  # a name too long, a NUL character: not a path
            is_path = False
        if is_path and _is_version(new):
            raise click.UsageError(f"{new!r} is both a data version and a path; write ./{new} for the path")
        if not is_path and not _is_version(new):
            raise click.UsageError(
                f"{new!r} is neither a data version ({', '.join(versions.available())}) nor a file or directory"
            )
        result = changes.diff_copy(old, new) if is_path else changes.diff(old, new)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    if not any(result.tables.values()):
        click.echo(f"{result.old} -> {result.new}: no changes")
        return
    step = f"needs a {result.bump()} version step" if result.new in versions.available() else "changed"
    click.echo(f"{result.old} -> {result.new}: {step}")
    for table, table_changes in result.tables.items():
        if table_changes:
            click.echo(
                f"{table}: {len(table_changes.added)} added, {len(table_changes.removed)} removed, "
                f"{len(table_changes.changed)} changed"
            )
            for rid in table_changes.added:
                click.echo(f"  + {rid}")
                _why(result, table, rid)
            for rid in table_changes.removed:
                click.echo(f"  - {rid}")
                _why(result, table, rid)
            for rid, fields in table_changes.changed.items():
                click.echo(f"  ~ {rid}: {', '.join(fields)}")
                _why(result, table, rid)


def _why(result: DataDiff, table: str, rid: str) -> None:
    """Print the errata that say why a record changed, each with the article words that show it."""
    for erratum in result.erratum(table, rid):
        click.echo(f"      why ({erratum.version}): {erratum.reason}")
        for span in erratum.evidence:
            click.echo(f"        {span.article_id} {span.start}:{span.end} {span.text!r}")


def _is_version(text: str) -> bool:
    from rustcase import versions
    from rustcase.errors import UnknownVersionError

    try:
        versions.resolve(text)
    except UnknownVersionError:
        return False
    return True


@main.command()
@output_options("The HTML file to write, or - for stdout.", "file")
@data_version_option
def view(out: str, force: bool, data_version: str | None) -> None:
    """Write the explorer: one self-contained HTML page with the articles and their highlighted quotes and
    mentions, the timeline, each outlet's wording of the same words, and the claims. Works offline."""
    from rustcase.explorer import page, write_html

    with _errors():
        if out == "-":
            content = page(data_version)
            _to_stdout(lambda sink: sink.write(content))
            return
        write_html(out, force=force, version=data_version)
    click.echo(f"wrote {out}", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["bibtex", "cff"]), default="bibtex", show_default=True)
@data_version_option
def cite(fmt: str, data_version: str | None) -> None:
    """Print a citation of the data version, with its content fingerprint."""
    from rustcase import metadata, versions

    with _errors():
        version = versions.resolve(data_version)
    fingerprint = versions.lock()[version]["fingerprint"]
    if fmt == "bibtex":
        click.echo(metadata.bibtex(version, fingerprint))
    else:
        click.echo(metadata.citation_cff(version, fingerprint), nl=False)


@main.command()
@click.argument("task", type=click.Choice(["quotes", "stance", "dates"]))
@click.argument("predictions", metavar="PRED.jsonl")
@data_version_option
@click.option("--fold", type=int, metavar="K", help="Score leave-one-article-out fold K (1-5): its test article only.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def score(task: str, predictions: str, data_version: str | None, fold: int | None, as_json: bool) -> None:
    """Score a system's predictions for TASK (quotes, stance or dates) against the data.

    PRED.jsonl holds one JSON object per line, as the JSON Schemas in schema/predictions/ describe. The report
    names the data version, its fingerprint, the fold and the rustcase version; docs/benchmark.md defines every
    metric. Exit status: 0 scored, 1 an unknown data version, 2 unusable predictions or options (each problem
    on stderr as FILE:ROW:FIELD: MESSAGE).
    """
    import json

    from rustcase.errors import RustcaseError
    from rustcase.scoring import PredictionsError, ScoringError, score as score_predictions

    try:
        report = score_predictions(task, predictions, version=data_version, fold=fold)
    except PredictionsError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"unusable predictions: {len(exc.problems)} problem(s) listed", err=True)
        sys.exit(2)
    except ScoringError as exc:
        raise click.UsageError(str(exc)) from exc
    except RustcaseError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(report.table(), nl=False)


@main.command()
@click.argument("table", metavar="TABLE", type=click.Choice(list(TABLE_KEYS)))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="The JSON Schema, or the columns as text: type, required, description.",
)
def schema(table: str, fmt: str) -> None:
    """Print the JSON Schema of one record of TABLE, or (--format text) its columns in plain words."""
    import json

    from rustcase.metadata import schema_text, tables

    if fmt == "text":
        with _errors():
            text = schema_text(table)
        click.echo("\n".join(text))
        return
    with _errors():
        schemas = tables()
    click.echo(json.dumps(schemas[table]["json_schema"], indent=2, ensure_ascii=False))


@main.command("sql")
@click.argument("query")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "csv", "json", "jsonl"]),  # rustcase.query.OUTPUT_FORMATS, without importing it
    default="table",
    show_default=True,
    help="An aligned text table (cells cut at 60 characters), CSV, a JSON array or JSON Lines.",
)
@data_version_option
@corpus_option
def sql_command(query: str, fmt: str, data_version: str | None, corpus: str | None) -> None:
    """Run one read-only SQL QUERY (DuckDB) over the data: every table is a view of its name.

    Nested fields are DuckDB lists and structs (``SELECT unnest(positions) FROM claims``). Needs the extra
    rustcase[sql]. The connection reads no files and no network; only a query (or EXPLAIN of one) runs. An SQL
    error is one line and exit status 1. The result is written as it comes, a batch of rows at a time (an
    aligned table takes its column widths from the first 10,000 rows); an error on the way ends it there.
    With --corpus, the views are the corpus's tables, scanned as the query runs; exit status 2 for a corpus
    that cannot be scanned.
    """
    from rustcase.query import lines, stream

    def write(sink: IO[bytes]) -> None:
        for line in lines(result, fmt):  # written as the rows come
            sink.write(f"{line}\n".encode("utf-8", "backslashreplace"))

    _one_source(corpus, data_version)
    with _errors():
        result = stream(query, data_version, corpus=corpus)
        _to_stdout(write)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@data_version_option
def tables(as_json: bool, data_version: str | None) -> None:
    """List the tables: name, row count, and what one row is."""
    import json

    from rustcase import metadata, versions

    with _errors():
        version = versions.resolve(data_version)
        rows = {t: versions.manifest(version)["tables"][t]["rows"] for t in TABLE_KEYS}
    described = {t: {"rows": rows[t], "row": metadata.tables()[t]["description"]} for t in TABLE_KEYS}
    if as_json:
        click.echo(json.dumps({"data_version": version, "tables": described}, indent=2, ensure_ascii=False))
        return
    width = max(map(len, TABLE_KEYS))
    for table, entry in described.items():
        click.echo(f"{table:<{width}}  {entry['rows']:>5}  {entry['row']}")


@main.command()
@click.argument("record_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@data_version_option
def show(record_id: str, as_json: bool, data_version: str | None) -> None:
    """Show the record of any table with this ID, and what it links to.

    A quote: speaker, article and outlet, cue, parent, the other outlets' wordings of the same utterance. A
    person or organisation: roles, quotes and mentions per article. An event: date and basis, reports.
    """
    import json

    from rustcase.related import lookup, text_lines

    with _errors():
        answer = lookup(record_id, data_version)
    if as_json:
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(text_lines(answer)))
