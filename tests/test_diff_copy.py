"""`rustcase diff VERSION DIR`: what an edited copy of the data changed, record by record, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import rustcase
from rustcase import formats
from rustcase.changes import diff_copy
from rustcase.cli import main
from rustcase.models import TABLES

from .conftest import Reliability

FREE_TEXT = {
    "articles": "outlet_basis",
    "people": "description",
    "organizations": "description",
    "places": "name",
    "works": "description",
    "quotes": "text",
    "utterances": "canonical_text",
    "events": "description",
    "claims": "statement",
    "mentions": "text",
}
"""A text field of each table that any edit may change (no pattern, never null)."""


def _write(rows: list[dict[str, object]], table: str, fmt: str, path: Path) -> None:
    with path.open("wb") as sink:
        formats.write(pa.Table.from_pylist(rows, schema=rustcase.arrow_schema(table)), fmt, sink)


@settings(max_examples=80)
@given(
    table=st.sampled_from(list(TABLES)),
    fmt=st.sampled_from(formats.FORMATS),
    picks=st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["remove", "edit"])), max_size=4),
)
def test_a_diff_names_exactly_the_records_edited_and_removed(
    tmp_path_factory: pytest.TempPathFactory,
    table: str,
    fmt: str,
    picks: list[tuple[int, str]],
    reliability: Reliability,
) -> None:
    out = tmp_path_factory.mktemp("copy")
    rows = rustcase.read_table(table).to_pylist()
    key, field = TABLES[table].key, FREE_TEXT[table]
    removed, edited = set(), set()
    for index, action in picks:
        row = rows[index % len(rows)]
        (removed if action == "remove" else edited).add(row[key])
        if action == "edit":
            row[field] = f"{row[field]} (edited)"
    _write([r for r in rows if r[key] not in removed], table, fmt, out / f"{table}.{fmt}")
    result = diff_copy(rustcase.DATA_VERSION, out)
    assert list(result.tables) == [table]
    assert set(result.tables[table].removed) == removed
    assert result.tables[table].changed == {rid: (field,) for rid in sorted(edited - removed)}
    cli = CliRunner().invoke(main, ["diff", rustcase.DATA_VERSION, str(out), "--json"])
    assert cli.exit_code == 0 and json.loads(cli.output) == result.to_dict()
    reliability.add("diff VERSION DIR: edits found in every table and format", 1)


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_an_unedited_export_has_no_changes(tmp_path: Path, fmt: str) -> None:
    rustcase.export_tables(tmp_path, fmt)
    result = CliRunner().invoke(main, ["diff", rustcase.DATA_VERSION, str(tmp_path)])
    assert result.exit_code == 0 and result.output.endswith(": no changes\n")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("quotes.json", b"[{", "cannot read it as the quotes table"),
        ("quotes.jsonl", b'{"quote_id": 1}\n', "record 1, field"),
        ("people.csv", b"person_id\nper-x\n", "record 1, field"),
        ("quotes.parquet", b"not parquet", "cannot read it as the quotes table"),
        ("notes.txt", b"", "no table file"),
    ],
)
def test_a_copy_that_cannot_be_compared_is_one_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(content)
    result = CliRunner().invoke(main, ["diff", "1", str(tmp_path)])
    assert result.exit_code == 1 and message in result.output and len(result.output.splitlines()) == 1


@pytest.mark.parametrize(
    ("kind", "message", "whole"),
    [("FIFO", "a FIFO, not a regular file", True), ("FIFO", "a FIFO", False), ("directory", "a directory", True)],
)
def test_a_table_name_that_is_no_file_is_refused_never_skipped_or_waited_on(
    tmp_path: Path, kind: str, message: str, whole: bool
) -> None:
    import os

    rustcase.export_tables(tmp_path / "a", "jsonl", ["quotes", "people"])
    table = tmp_path / "a" / "quotes.jsonl"
    table.unlink()
    if kind == "directory":
        table.mkdir()
    elif hasattr(os, "mkfifo"):
        os.mkfifo(table)
    else:
        pytest.skip("no FIFOs on this system")
    result = CliRunner().invoke(main, ["diff", "1", str(tmp_path / "a" if whole else table)])
    assert result.exit_code == 1 and f"quotes.jsonl: {message}" in result.output, result.output
    assert len(result.output.splitlines()) == 1


def test_two_files_of_one_table_are_refused(tmp_path: Path) -> None:
    rustcase.export_tables(tmp_path / "a", "csv", ["quotes"])
    (tmp_path / "a" / "quotes.jsonl").write_bytes(b"")
    result = CliRunner().invoke(main, ["diff", "1", str(tmp_path / "a")])
    assert result.exit_code == 1 and "two files of the quotes table" in result.output


@pytest.mark.parametrize("new", ["no-such-dir", "\x00", "x" * 5000, "9.9.9"])
def test_neither_a_version_nor_a_path_is_a_usage_error(new: str) -> None:
    result = CliRunner().invoke(main, ["diff", "1", new])
    assert result.exit_code == 2 and "neither a data version" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_directory_named_like_a_version_must_be_written_as_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rustcase.export_tables(tmp_path / "1", "csv", ["people"], version="1")
    assert "write ./1 for the path" in CliRunner().invoke(main, ["diff", "1", "1"]).output
    result = CliRunner().invoke(main, ["diff", "1", "./1"])
    assert result.exit_code == 0 and result.output.endswith(": no changes\n")
