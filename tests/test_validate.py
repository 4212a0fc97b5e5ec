"""`rustcase validate`: any copy of the data gets every problem with its place, and the right exit code."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings, strategies as st

import rustcase
from rustcase import formats
from rustcase.cli import main
from rustcase.models import TABLES

from .conftest import Reliability

LINE = re.compile(r'^(?P<file>[^:]+):(?P<row>\d+|-):(?P<field>[A-Za-z0-9_]+|"[^:]*"|-): .+$')
EXAMPLES = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(path: Path) -> Result:
    return CliRunner().invoke(main, ["validate", str(path)])


def assert_reported(result: Result, path: Path, codes: tuple[int, ...] = (1, 2)) -> list[re.Match[str]]:
    """No traceback, the expected exit code, and every line names the file and its place."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in codes, result.output
    lines = [LINE.match(line) for line in result.stdout.splitlines()]
    assert all(lines), result.stdout
    assert all(m and m["file"] == str(path) for m in lines), result.stdout
    if result.exit_code:
        assert lines
    return [m for m in lines if m]


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_an_export_is_valid(fmt: str, tmp_path: Path) -> None:
    rustcase.export_tables(tmp_path, fmt)
    report = rustcase.validate(tmp_path)
    assert (report.exit_code, report.problems, len(report.files)) == (0, [], len(rustcase.TABLES))
    assert run(tmp_path).exit_code == 0


@pytest.fixture(scope="module")
def quotes_csv(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("base")
    rustcase.export_tables(out, "csv", ["quotes"])
    return (out / "quotes.csv").read_bytes()


def _rows(content: bytes) -> list[list[str | None]]:
    """CSV records; an empty cell (how rustcase writes null) is None."""
    return [[cell or None for cell in row] for row in csv.reader(io.StringIO(content.decode("utf-8"), newline=""))]


def _csv(rows: list[list[str | None]]) -> bytes:
    """CSV with every value quoted and None as an empty cell: any text survives, as in rustcase's exports."""
    quote = lambda v: "" if v is None else '"' + v.replace('"', '""') + '"'  # noqa: E731
    return "".join(",".join(map(quote, row)) + "\n" for row in rows).encode("utf-8")


CASES = [
    ("start", "abc", 1, "'abc' is not an integer"),
    ("start", "99999", 1, "outside the article"),
    ("end", "-3", 1, "-3 is below 0"),
    ("kind", "verbatim", 1, "'verbatim' is not one of direct"),
    ("speaker_id", "Baldwin", 1, "'Baldwin' does not match"),
    ("speaker_id", "per-nobody", 1, "'per-nobody' names no record"),
    ("parent_quote_id", "quo-999-999", 1, "'quo-999-999' names no record"),
    ("text", "words nobody said", 1, "is not the article's"),
    ("co_speaker_ids", "[not json", 1, "not JSON"),
    ("co_speaker_ids", '["per-nobody"]', 1, "'per-nobody' names no record"),
    ("quote_id", None, 1, "missing value (required)"),
    ("text", "", 1, "empty text (use null for no value)"),
    ("quote_id", "quo-000-002", 1, "duplicate quote_id 'quo-000-002' (first at row 2)"),
]


@pytest.mark.parametrize(("column", "value", "code", "message"), CASES)
def test_a_bad_cell_is_reported_at_its_place(
    quotes_csv: bytes, tmp_path: Path, column: str, value: str | None, code: int, message: str
) -> None:
    rows = _rows(quotes_csv)
    rows[1][rows[0].index(column)] = value
    path = tmp_path / "quotes.csv"
    path.write_bytes(_csv(rows))
    found = assert_reported(run(path), path, (code,))
    row = "3" if "duplicate" in message else "2"  # spreadsheet rows (the header is row 1); a duplicate where it repeats
    assert any(m["row"] == row and m["field"] == column and message in m.group(0) for m in found), found


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "cannot read"),
        (b"\xff\xfe\x00garbage", "cannot read"),
        (b'"quote_id","kind"\n"quo-000-001","direct","extra"\n', "expected 2 columns, got 3"),
    ],
)
def test_unusable_input_exits_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "quotes.csv"
    path.write_bytes(content)
    found = assert_reported(run(path), path, (2,))
    assert message in found[0].group(0)


def test_missing_and_extra_columns(quotes_csv: bytes, tmp_path: Path) -> None:
    rows: list[list[str | None]] = [[*row[1:], "x"] for row in _rows(quotes_csv)]
    rows[0][-1] = "my_column"
    path = tmp_path / "quotes.csv"
    path.write_bytes(_csv(rows))
    found = {(m["field"], m.group(0).rsplit(": ", 1)[1]) for m in assert_reported(run(path), path, (1,))}
    assert {("quote_id", "missing column"), ("my_column", "unexpected column")} <= found


def test_not_a_table_file_and_no_such_path(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    assert_reported(run(tmp_path / "notes.txt"), tmp_path / "notes.txt", (2,))
    assert_reported(run(tmp_path / "missing"), tmp_path / "missing", (2,))


def test_json_report_for_tools(quotes_csv: bytes, tmp_path: Path) -> None:
    rows = _rows(quotes_csv)
    rows[2][rows[0].index("kind")] = "verbatim"
    path = tmp_path / "quotes.csv"
    path.write_bytes(_csv(rows))
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "json"])
    report = json.loads(result.stdout)
    assert (result.exit_code, report["valid"], report["exit_code"], report["rows"]) == (1, False, 1, len(rows) - 1)
    assert report["problems"] == [
        {"file": str(path), "row": 3, "field": "kind", "message": report["problems"][0]["message"]}
    ]


# The property-based fault suite: each strategy makes inputs that are invalid by construction.

columns = st.sampled_from(["quote_id", "article_id", "speaker_id", "kind", "start", "end", "medium", "text"])
junk = st.text(min_size=1, max_size=30).filter(lambda s: "\x00" not in s)


@EXAMPLES
@given(data=st.data())
def test_any_broken_cell_is_caught(
    quotes_csv: bytes, tmp_path: Path, reliability: Reliability, data: st.DataObject
) -> None:
    rows = _rows(quotes_csv)
    row = data.draw(st.integers(1, len(rows) - 1))
    column = data.draw(columns)
    index = rows[0].index(column)
    value = data.draw(junk.filter(lambda v: v != rows[row][index] and v.strip() == v))
    rows[row][index] = value
    path = tmp_path / "quotes.csv"
    path.write_bytes(_csv(rows))
    found = assert_reported(run(path), path)
    assert any(m["row"] == str(row + 1) for m in found)  # record n is spreadsheet row n + 1
    reliability.add(
        "validate: any cell of 8 key columns of quotes.csv replaced by any text → exit 1/2, a problem at that row"
    )


@EXAMPLES
@given(data=st.data())
def test_any_structural_break_is_caught(
    quotes_csv: bytes, tmp_path: Path, reliability: Reliability, data: st.DataObject
) -> None:
    rows = _rows(quotes_csv)
    kind = data.draw(st.sampled_from(["drop column", "add column", "duplicate row", "huge field"]))
    if kind == "drop column":
        index = data.draw(st.integers(0, len(rows[0]) - 1))
        rows = [r[:index] + r[index + 1 :] for r in rows]
    elif kind == "add column":
        name = data.draw(st.from_regex(r"\A[a-z]{1,12}\Z").filter(lambda n: n not in rows[0]))
        rows = [[*r, name if i == 0 else "x"] for i, r in enumerate(rows)]
    elif kind == "duplicate row":
        index = data.draw(st.integers(1, len(rows) - 1))
        rows.insert(data.draw(st.integers(1, len(rows))), rows[index])
    else:
        index = data.draw(st.integers(1, len(rows) - 1))
        rows[index][rows[0].index("text")] = "x" * 1_000_000
    path = tmp_path / "quotes.csv"
    path.write_bytes(_csv(rows))
    assert_reported(run(path), path)
    reliability.add(
        "validate: a column dropped or added, a row duplicated, a 1 MB field → exit 1/2, every line names the file"
    )


@EXAMPLES
@given(data=st.data())
def test_any_damaged_bytes_are_caught(
    quotes_csv: bytes, tmp_path: Path, reliability: Reliability, data: st.DataObject
) -> None:
    content = quotes_csv
    kind = data.draw(st.sampled_from(["truncate", "invalid utf-8", "random bytes", "unbalanced quote"]))
    last_row = content.rindex(b"\n", 0, len(content) - 1) + 1
    if kind == "truncate":  # cut inside the last record's first fields: never a complete row (a cut in its
        # note can leave one, when the note has an escaped quote: `(""where she told me to hold it""` cut after `it"`)
        content = content[: data.draw(st.integers(last_row + 1, last_row + 40))]
    elif kind == "invalid utf-8":
        at = data.draw(st.integers(0, len(content) - 1))
        content = content[:at] + b"\xff" + content[at:]
    elif kind == "random bytes":
        content = data.draw(st.binary(min_size=1, max_size=2000))
    else:
        at = content.index(b'"quo-', last_row)
        content = content[:at] + b'"' + content[at:]
    path = tmp_path / "quotes.csv"
    path.write_bytes(content)
    assert_reported(run(path), path)
    reliability.add(
        "validate: quotes.csv truncated, an invalid UTF-8 byte, random bytes, an unbalanced quote → exit 1/2"
    )


@pytest.mark.parametrize("fmt", ["jsonl", "json", "parquet"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0.05, 0.95))
def test_files_of_every_format_truncated_inside_a_record_are_caught(
    tmp_path: Path, reliability: Reliability, fmt: str, cut: float
) -> None:
    rustcase.export_tables(tmp_path, fmt, ["quotes"], force=True)
    path = tmp_path / f"quotes.{fmt}"
    content = path.read_bytes()
    at = int(cut * len(content))
    while fmt == "jsonl" and content[at - 1 : at + 1].count(b"\n"):  # a cut between records leaves valid records
        at -= 2
    path.write_bytes(content[:at])
    assert_reported(run(path), path)
    reliability.add("validate: JSON, JSON Lines, Parquet truncated inside a record → exit 1/2")


def _write(path: Path, table: str, fmt: str, rows: list[dict[str, object]]) -> Path:
    import pyarrow as pa

    with path.open("wb") as sink:
        formats.write(pa.Table.from_pylist(rows, rustcase.arrow_schema(table)), fmt, sink)
    return path


UNUSUAL_BUT_VALID = {
    "a JSON Lines string holding U+2028 and U+0085": (
        "jsonl",
        lambda b: b.replace(b'"note":null', '"note":"a\u2028b\u0085c"'.encode(), 1),
    ),
    "a JSON Lines file with a BOM": ("jsonl", lambda b: b"\xef\xbb\xbf" + b),
    "a CSV file with a BOM": ("csv", lambda b: b"\xef\xbb\xbf" + b),
    "a CSV field over 128 KiB": ("csv", lambda b: b),  # made below: a note of 200,000 characters
    "CRLF line ends": ("jsonl", lambda b: b.replace(b"\n", b"\r\n")),
}


@pytest.mark.parametrize("case", list(UNUSUAL_BUT_VALID))
def test_unusual_but_valid_files_are_read(tmp_path: Path, reliability: Reliability, case: str) -> None:
    fmt, change = UNUSUAL_BUT_VALID[case]
    rustcase.export_tables(tmp_path, fmt, ["quotes"])
    path = tmp_path / f"quotes.{fmt}"
    if case == "a CSV field over 128 KiB":
        rows = _rows(path.read_bytes())
        rows[1][rows[0].index("note")] = "x" * 200_000
        path.write_bytes(_csv(rows))
    else:
        path.write_bytes(change(path.read_bytes()))
    report = rustcase.validate(path)
    assert (report.exit_code, report.problems, report.rows) == (0, [], len(rustcase.load_quotes()))
    reliability.add("validate: unusual but valid files (U+2028/U+0085, BOM, CRLF, 128 KiB+ field, s3: path) → exit 0")


@pytest.mark.parametrize("fmt", formats.FORMATS)
@pytest.mark.parametrize("table", ["events", "claims", "mentions"])  # no other table refers to their records
def test_an_empty_table_as_rustcase_writes_it_is_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reliability: Reliability, table: str, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s3:data").mkdir()  # a relative path that looks like a URL is a path
    path = _write(Path("s3:data") / f"{table}.{fmt}", table, fmt, [])
    report = rustcase.validate(path)
    assert (report.exit_code, report.problems, report.rows) == (0, [], 0)
    reliability.add("validate: unusual but valid files (U+2028/U+0085, BOM, CRLF, 128 KiB+ field, s3: path) → exit 0")


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        (b"quote_id;article_id;kind\nquo-000-001;art-000;direct\n", "looks semicolon-separated"),
        (b"quote_id\tarticle_id\tkind\nquo-000-001\tart-000\tdirect\n", "looks tab-separated"),
        (
            "quote_id,note\nquo-000-001,Jos\u00e9\n".encode("latin-1"),
            "not UTF-8 text (byte 0xe9); save the file as UTF-8",
        ),
        (b"x," * (1 << 20), "the CSV header) is longer than 1 MiB"),
    ],
)
def test_files_a_spreadsheet_saved_wrongly_get_a_hint(
    tmp_path: Path, reliability: Reliability, content: bytes, hint: str
) -> None:
    path = tmp_path / "quotes.csv"
    path.write_bytes(content)
    found = assert_reported(run(path), path, (2,))
    assert hint in found[0].group(0)
    reliability.add("validate: a ;- or tab-separated, non-UTF-8 or endless-header CSV → exit 2 with a hint")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("start", "722", "text '722' is not an integer"),
        ("start", 722.0, None),  # JSON Schema and the model read 722.0 as the integer 722
        ("start", 2**64, "is beyond 64-bit integers"),
        ("co_speaker_ids", "[]", "text '[]' is not a list"),
        ("text", 5, "the number 5 is not text"),
        ("cue", None, "cue, cue_start and cue_end are null together or not at all"),
        ("note", "x" * 1000, None),
        ("kind", "x" * 1000, "'" + "x" * 59 + "…' is not one of"),
    ],
)
def test_json_values_keep_their_types_and_messages_are_plain(
    tmp_path: Path, reliability: Reliability, field: str, value: object, message: str | None
) -> None:
    records = [r.model_dump(mode="json") for r in rustcase.load_quotes()]
    records[0][field] = value
    path = tmp_path / "quotes.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    found = [str(p) for p in rustcase.validate(path).problems]
    if message is None:
        assert found == []
    else:
        assert found and found[0].startswith(f"{path}:1:{field}: ") and message in found[0], found
    reliability.add("validate: JSON values of the wrong JSON type, beyond 64 bits, half-null spans → plain message")


def test_a_null_article_text_and_duplicate_columns_are_problems_not_crashes(
    tmp_path: Path, reliability: Reliability
) -> None:
    import pyarrow.parquet as pq

    articles = [a.model_dump() for a in rustcase.load_articles()]
    articles[0]["text"] = None
    _write(tmp_path / "articles.json", "articles", "json", articles)
    quotes = pq.read_table(rustcase.paths()["quotes"])
    pq.write_table(quotes.append_column("kind", quotes.column("kind")), tmp_path / "quotes.parquet")
    found = [str(p) for p in rustcase.validate(tmp_path).problems]
    assert f"{tmp_path / 'articles.json'}:1:text: missing value (required)" in found
    assert (
        f"{tmp_path / 'quotes.parquet'}:-:kind: a second column of this name (column 19); only the first is read"
        in found
    )
    reliability.add("validate: a null article text, a repeated column name → problems, no traceback", 2)


@pytest.mark.parametrize("table", list(TABLES))
def test_invalid_utf8_in_parquet_strings_is_a_problem_at_its_row(
    tmp_path: Path, reliability: Reliability, table: str
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = pq.read_table(rustcase.paths()[table])
    key = TABLES[table].key
    values = pa.array([v.encode() for v in data.column(key).to_pylist()], pa.binary()).to_pylist()
    values[-1] = b"\xff" + values[-1]
    binary = pa.array(values, pa.binary())
    broken = pa.Array.from_buffers(pa.string(), len(binary), binary.buffers())  # Arrow does not check
    pq.write_table(data.set_column(data.column_names.index(key), key, broken), tmp_path / f"{table}.parquet")
    found = [str(p) for p in rustcase.validate(tmp_path / f"{table}.parquet").problems]
    assert f"{tmp_path / table}.parquet:{data.num_rows}:{key}: not valid UTF-8 text" in found
    reliability.add("validate: invalid UTF-8 inside Parquet strings of every table → a problem at its row")
