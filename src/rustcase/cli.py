"""The ``rustcase`` command: a thin layer over the library that turns its errors into one-line messages."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from rustcase.tables import TABLE_KEYS

TYPE_CHECKING = False  # typing and json are imported only where needed: `rustcase --help` stays fast
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

FORMAT_CHOICES = ("csv", "json", "jsonl", "parquet")  # rustcase.formats.FORMATS, without importing pyarrow
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
    """Turn rustcase's own exceptions into a one-line message and exit status 1."""
    from rustcase.errors import RustcaseError

    try:
        yield
    except RustcaseError as exc:
        raise click.ClickException(str(exc)) from exc


def _version() -> str:
    from importlib.metadata import version

    return version("rustcase")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rustcase", prog_name="rustcase")
def main() -> None:
    """rustcase: the curated Rust-shooting interview dataset, as files."""


def data_version_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--data-version: a shipped data version, exact or a prefix ("1" is the newest 1.x); newest by default."""
    return click.option(
        "--data-version",
        "data_version",
        metavar="VERSION",
        help="Data version, exact (1.0.0) or a prefix (1); the newest by default.",
    )(func)


def table_arguments(func: Callable[..., Any]) -> Callable[..., Any]:
    """TABLE arguments, each one of rustcase's tables."""
    return click.argument("tables", metavar="[TABLE]...", nargs=-1, type=click.Choice(list(TABLE_KEYS)))(func)


@main.command()
@table_arguments
@click.option(
    "--format", "-f", "fmt", type=click.Choice(FORMAT_CHOICES), default="csv", show_default=True, help="File format."
)
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(file_okay=False, allow_dash=True),
    help="Directory for the files (one per table, <table>.<format>), or - for one table on stdout.",
)
@click.option("--force", is_flag=True, help="Replace existing files.")
@click.option(
    "--excel-safe",
    is_flag=True,
    help="CSV only: prefix cells starting with = + - @ with an apostrophe, against spreadsheet formula "
    "injection. The texts then differ from the articles; the default keeps them byte-exact.",
)
@data_version_option
def export(
    tables: tuple[str, ...], fmt: str, out: str, force: bool, excel_safe: bool, data_version: str | None
) -> None:
    """Export TABLEs (every table by default) to CSV, JSON, JSON Lines or Parquet.

    Next to the data files go the JSON Schemas (schema/), manifest.json, datapackage.json (Frictionless)
    and croissant.json. In CSV, list and nested fields are JSON text inside the cell; an empty cell is null.
    """
    from rustcase.export import export_tables, write_table

    with _errors():
        if out == "-":
            if len(tables) != 1:
                raise click.UsageError("--out - writes one table to stdout; name exactly one TABLE")
            if fmt == "parquet" and sys.stdout.isatty():
                raise click.UsageError("will not write Parquet to a terminal; redirect stdout or use --out DIR")
            write_table(tables[0], fmt, sys.stdout.buffer, data_version, excel_safe=excel_safe)
            return
        with _progress("exporting", len(tables) or len(TABLE_KEYS)) as progress:
            written = export_tables(
                out, fmt, tables, force=force, version=data_version, excel_safe=excel_safe, progress=progress
            )
    click.echo(f"wrote {len(written)} file(s) to {out}", err=True)


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

    Files are checked against their manifest (size and SHA-256), the manifests against the lock file, and
    the content against its fingerprint. Problems go to stderr and the exit status is 1.
    """
    from rustcase import versions
    from rustcase.integrity import verify_export, verify_version

    with _errors():
        targets = [path] if path else [versions.resolve(data_version)] if data_version else versions.available()
        problems = {t: verify_export(t) if path else verify_version(t) for t in targets}
    for target, found in problems.items():
        for problem in found:
            click.echo(problem, err=True)
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
    "for big ones. Every engine reports the same lines.",
)
def validate(path: str, fmt: str, engine: str) -> None:
    """Check a copy of the data (a directory or one <table>.<format> file) and report every problem.

    Checks types, required values, enumerations, IDs, duplicates, references and every span against its
    article text; tables PATH lacks are taken from the shipped data. Each problem is one line,
    FILE:ROW:FIELD: MESSAGE. Exit status: 0 valid, 1 invalid, 2 unusable input.
    """
    import json

    from rustcase.validation import validate as validate_path

    with _errors(), _progress("validating", len(TABLE_KEYS)) as progress:
        report = validate_path(path, progress=progress, engine=engine)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            click.echo(str(problem))
        verdict = {0: "valid", 1: "invalid", 2: "unusable"}[report.exit_code]
        click.echo(
            f"{verdict}: {len(report.problems)} problem(s) in {len(report.files)} file(s), {report.rows} row(s) read",
            err=True,
        )
    sys.exit(report.exit_code)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def diff(old: str, new: str, as_json: bool) -> None:
    """List the records added, removed and changed from data version OLD to NEW, per table, by ID."""
    import json

    from rustcase.changes import diff as diff_versions

    with _errors():
        result = diff_versions(old, new)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(f"{result.old} -> {result.new}: needs a {result.bump()} version step")
    for table, changes in result.tables.items():
        if changes:
            click.echo(
                f"{table}: {len(changes.added)} added, {len(changes.removed)} removed, {len(changes.changed)} changed"
            )
            for rid in changes.added:
                click.echo(f"  + {rid}")
            for rid in changes.removed:
                click.echo(f"  - {rid}")
            for rid, fields in changes.changed.items():
                click.echo(f"  ~ {rid}: {', '.join(fields)}")


@main.command()
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@data_version_option
def view(out: str, force: bool, data_version: str | None) -> None:
    """Write the explorer: one self-contained HTML page with the articles and their highlighted quotes and
    mentions, the timeline, each outlet's wording of the same words, and the claims. Works offline."""
    from rustcase.explorer import write_html

    with _errors():
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
@click.argument("table", metavar="TABLE", type=click.Choice(list(TABLE_KEYS)))
def schema(table: str) -> None:
    """Print the JSON Schema of one record of TABLE."""
    import json

    from rustcase.metadata import tables

    click.echo(json.dumps(tables()[table]["json_schema"], indent=2, ensure_ascii=False))
