"""SQL with DuckDB: every table a view, answers equal to the library's, read-only, one-line errors, no traceback."""

from __future__ import annotations

import csv
import io
import json
import sys

import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import rustcase
from rustcase.cli import main
from rustcase.models import TABLES
from rustcase.query import OUTPUT_FORMATS

from .conftest import Reliability


@pytest.mark.parametrize("version", rustcase.available())
@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_is_a_view_with_the_shipped_rows(table: str, version: str) -> None:
    result = rustcase.sql(f"SELECT * FROM {table}", version=version)
    shipped = rustcase.read_table(table, version)
    assert result.column_names == shipped.column_names
    assert result.to_pylist() == shipped.to_pylist()


def test_nested_fields_are_lists_and_structs() -> None:
    types = dict(rustcase.connect().sql("DESCRIBE claims").fetchall()[i][:2] for i in range(4))
    assert types["positions"].startswith("STRUCT(") and types["positions"].endswith(")[]")
    holders = rustcase.sql("SELECT p.holder_id FROM claims, unnest(positions) AS t(p) ORDER BY 1")
    expected = sorted(p.holder_id for c in rustcase.load_claims() for p in c.positions)
    assert holders.column(0).to_pylist() == expected


def test_an_answer_equals_the_library_answer(ds: rustcase.Dataset) -> None:
    result = rustcase.sql("SELECT speaker_id, count(*) AS n FROM quotes GROUP BY ALL ORDER BY speaker_id")
    expected = sorted((s, len(ds.quotes_by(s))) for s in {q.speaker_id for q in ds.quotes.values()})
    assert list(zip(*(c.to_pylist() for c in result.columns), strict=True)) == expected


REFUSED = [
    "DROP VIEW quotes",
    "CREATE TABLE x AS SELECT 1",
    "INSERT INTO quotes SELECT * FROM quotes",
    "COPY quotes TO 'out.csv'",
    "ATTACH 'other.db'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "PRAGMA version",
    "SELECT 1; SELECT 2",
    "SELECT 1; DROP VIEW quotes",
    "EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_parquet('https://example.org/x.parquet')",
    "SELECT * FROM 'pyproject.toml'",
    "",
    "   ;  ",
    "SELEC 1",
]


@pytest.mark.parametrize("query", REFUSED)
def test_anything_but_one_read_only_query_is_refused(query: str) -> None:
    with pytest.raises(rustcase.QueryError) as raised:
        rustcase.sql(query)
    assert "\n" not in str(raised.value) and str(raised.value)


@pytest.mark.parametrize(
    "statement",
    ["SET enable_external_access = true", "SELECT * FROM read_text('/etc/hostname')", "ATTACH 'x.db'", "LOAD httpfs"],
)
def test_a_connection_is_locked_down(statement: str) -> None:
    import duckdb

    connection = rustcase.connect()
    with pytest.raises(duckdb.Error):
        connection.execute(statement)


def test_explain_of_a_query_runs() -> None:
    assert rustcase.sql("EXPLAIN SELECT count(*) FROM quotes").num_rows >= 1
    assert rustcase.sql("explain analyze select 1").num_rows >= 1


def test_a_query_that_is_not_text_is_a_query_error() -> None:
    with pytest.raises(rustcase.QueryError, match="text, not int"):
        rustcase.sql(1)  # type: ignore[arg-type]


def test_a_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(rustcase.MissingExtraError, match=r"rustcase\[sql\]"):
        rustcase.connect()
    with pytest.raises(rustcase.MissingExtraError, match=r"rustcase\[sql\]"):
        rustcase.sql("SELECT 1")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_output_equals_the_library_result(runner: CliRunner) -> None:
    query = "SELECT quote_id, co_speaker_ids, cue_start, cue FROM quotes ORDER BY quote_id"
    expected = rustcase.sql(query).to_pylist()
    jsonl = runner.invoke(main, ["sql", query, "--format", "jsonl"])
    assert [json.loads(line) for line in jsonl.output.splitlines()] == expected
    assert json.loads(runner.invoke(main, ["sql", query, "-f", "json"]).output) == expected
    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["sql", query, "-f", "csv"]).output)))
    assert [r["quote_id"] for r in rows] == [e["quote_id"] for e in expected]
    assert [r["cue_start"] for r in rows] == ["" if e["cue_start"] is None else str(e["cue_start"]) for e in expected]
    table = runner.invoke(main, ["sql", query]).output.splitlines()
    assert table[0].split() == ["quote_id", "co_speaker_ids", "cue_start", "cue"]
    assert table[-1] == f"({len(expected)} rows)"


def test_cli_data_version(runner: CliRunner) -> None:
    for version in rustcase.available():
        args = ["sql", "SELECT count(*) AS n FROM quotes", "-f", "jsonl", "--data-version", version]
        result = runner.invoke(main, args)
        assert json.loads(result.output) == {"n": len(rustcase.load_quotes(version))}


ODD_VALUES = [
    "NULL",
    "1::HUGEINT",
    "170141183460469231731687303715884105727::HUGEINT",
    "1::UHUGEINT",
    "1.25::DECIMAL(38, 2)",
    "'nan'::DOUBLE",
    "'-inf'::FLOAT",
    "'infinity'::DATE",
    "'-infinity'::TIMESTAMP",
    "['infinity'::DATE]",
    "{'a': 'infinity'::DATE}",
    "'2021-10-21 10:00+02'::TIMESTAMPTZ",
    "'10:00'::TIME",
    "INTERVAL 3 DAY",
    "'ab\\x00'::BLOB",
    "'101'::BIT",
    "map([1, 2], ['a', 'b'])",
    "union_value(n := 2)",
    "[1, 2]::INTEGER[2]",
    "1::BIGNUM",
    "uuid()",
    "'line\nbreak\ttab'",
    "repeat('x', 500)",
    "'é “quoted” ’'",
    "{'k': [NULL, {'z': 1}]}",
    "true",
]


@pytest.mark.slow
@settings(max_examples=120)
@given(
    values=st.lists(st.sampled_from(ODD_VALUES), min_size=1, max_size=4),
    same_names=st.booleans(),
    rows=st.integers(0, 3),
    fmt=st.sampled_from(OUTPUT_FORMATS),
)
def test_any_result_type_prints_in_every_format(
    values: list[str], same_names: bool, rows: int, fmt: str, reliability: Reliability
) -> None:
    columns = ", ".join(f"{v} AS {'c' if same_names else f'c{i}'}" for i, v in enumerate(values))
    result = CliRunner().invoke(main, ["sql", f"SELECT {columns} FROM range({rows})", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if fmt == "json":
        assert len(json.loads(result.output)) == rows
    elif fmt == "jsonl":
        assert len([json.loads(line) for line in result.output.splitlines()]) == rows
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(result.output)))) == rows + 1
    else:
        assert result.output.splitlines()[-1].startswith(f"({rows} row")
    reliability.add("sql: any result type, every output format", 1)


WORDS = [
    "SELECT", "*", "FROM", "quotes", "claims", "events", "people", ";", "(", ")", ",", "1", "'x'", "NULL",
    "unnest(positions)", "WHERE", "GROUP BY ALL", "ORDER BY 1", "LIMIT", "-1", "DROP", "VIEW", "COPY", "TO",
    "'out.csv'", "ATTACH", "EXPLAIN", "ANALYZE", "read_csv('/etc/passwd')", "range(3)", "JOIN", "USING",
    "(article_id)", "::DATE", "::INT", "/ 0", "--", "/*", "*/", "\"", "'", "$1", "?", "PRAGMA", "SET",
    "WITH", "x", "AS", "UNION ALL", "struct_pack(a := 1)", "\x00", "é",
]


@pytest.mark.slow
@settings(max_examples=150)
@given(query=st.one_of(st.lists(st.sampled_from(WORDS), max_size=10).map(" ".join), st.text(max_size=40)))
def test_any_query_is_a_result_or_one_clear_line(query: str, reliability: Reliability) -> None:
    try:
        assert isinstance(rustcase.sql(query), pa.Table)
    except rustcase.QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
    result = CliRunner().invoke(main, ["sql", query, "-f", "jsonl"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 1:
        assert len(result.output.splitlines()) == 1 and result.output.startswith("Error: ")
    reliability.add("sql: any query, result or one line", 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("INTERVAL 3 DAY", {"months": 0, "days": 3, "nanoseconds": 0}),
        ("170141183460469231731687303715884105727::HUGEINT", 170141183460469231731687303715884105727),
        ("1.25::DECIMAL(10, 2)", 1.25),
        ("'nan'::DOUBLE", "nan"),
        ("'ab'::BLOB", "YWI="),
        ("DATE '2021-10-21'", "2021-10-21"),
        ("'infinity'::DATE", "<value out of range: 2147483647>"),
        ("map(['k'], [1])", [["k", 1]]),
        ("{'a': [1, NULL]}", {"a": [1, None]}),
    ],
)
def test_json_output_of_each_kind_of_value(value: str, expected: object) -> None:
    result = CliRunner().invoke(main, ["sql", f"SELECT {value} AS v", "-f", "jsonl"])
    assert json.loads(result.output) == {"v": expected}


@pytest.mark.parametrize("text", ["a\r\nb", "a\u2028b", "a\x1cb", "a\nb\rc", "a,\"b\""])
def test_a_csv_cell_is_written_as_it_is(text: str) -> None:
    literal = "'" + text.replace("'", "''") + "'"
    result = CliRunner().invoke(main, ["sql", f"SELECT {literal} AS v, 2 AS n", "-f", "csv"])
    output = result.stdout_bytes.decode()  # not result.output, which turns \r\n into \n
    assert list(csv.reader(io.StringIO(output, newline=""))) == [["v", "n"], [text, "2"]]


def test_a_result_is_streamed_in_batches_and_aligned_by_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from rustcase import query

    monkeypatch.setattr(query, "BATCH_ROWS", 3)
    reader = query.stream("SELECT range AS n, repeat('x', range::INTEGER) AS s FROM range(7)")
    assert [batch.num_rows for batch in reader] == [3, 3, 1]
    table = list(query.lines(rustcase.sql("SELECT repeat('x', range::INTEGER) AS s FROM range(7)"), "table"))
    assert table[:2] == ["s", "--"] and table[-2:] == ["xxxxxx", "(7 rows)"]  # widths fit the first three rows
