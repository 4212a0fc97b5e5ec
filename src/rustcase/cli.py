"""The ``rustcase`` command: a thin layer over the library that turns its errors into one-line messages."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from rustcase.models import TABLES

FORMAT_CHOICES = ("csv", "json", "jsonl", "parquet")  # rustcase.formats.FORMATS, without importing pyarrow


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


def table_arguments(func: Callable[..., Any]) -> Callable[..., Any]:
    """TABLE arguments, each one of rustcase's tables."""
    return click.argument("tables", metavar="[TABLE]...", nargs=-1, type=click.Choice(list(TABLES)))(func)


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
def export(tables: tuple[str, ...], fmt: str, out: str, force: bool) -> None:
    """Export TABLEs (every table by default) to CSV, JSON, JSON Lines or Parquet.

    In CSV, list and nested fields are JSON text inside the cell, and an empty cell is null.
    """
    from rustcase.export import export_tables, write_table

    with _errors():
        if out == "-":
            if len(tables) != 1:
                raise click.UsageError("--out - writes one table to stdout; name exactly one TABLE")
            if fmt == "parquet" and sys.stdout.isatty():
                raise click.UsageError("will not write Parquet to a terminal; redirect stdout or use --out DIR")
            write_table(tables[0], fmt, sys.stdout.buffer)
            return
        written = export_tables(out, fmt, tables, force=force)
    click.echo(f"wrote {len(written)} file(s) to {out}", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def info(as_json: bool) -> None:
    """Show the version, the tables and their row counts."""
    from rustcase.store import read_table

    with _errors():
        counts = {table: read_table(table).num_rows for table in TABLES}
    if as_json:
        click.echo(json.dumps({"version": _version(), "tables": counts}, indent=2))
        return
    click.echo(f"rustcase {_version()}")
    width = max(map(len, counts))
    for table, rows in counts.items():
        click.echo(f"{table:<{width}}  {rows:>5} rows")


@main.command()
@click.argument("table", metavar="TABLE", type=click.Choice(list(TABLES)))
def schema(table: str) -> None:
    """Print the JSON Schema of one record of TABLE."""
    from rustcase.schema import json_schema

    click.echo(json.dumps(json_schema(table), indent=2, ensure_ascii=False))
