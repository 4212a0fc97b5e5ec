"""No traceback from any command, on any input: damaged and odd files of every table in every format, hostile
files (FIFOs, forged Parquet footers, endless headers, deep JSON) and odd arguments for every command. Each run
ends with a documented exit status (0 success, 1 error or problems found, 2 usage or unreadable input, never 3:
"a bug in rustcase") and clear lines: one problem per line, or one line saying what is wrong."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from benchmarks import hostile
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings, strategies as st

import rustcase
from rustcase import formats
from rustcase.cli import main
from rustcase.models import TABLES

from .conftest import Reliability

EXAMPLES = settings(max_examples=30, suppress_health_check=list(HealthCheck))
TABLE_FORMATS = [(table, fmt) for table in TABLES for fmt in formats.FORMATS]


def printable(path: Path | str) -> str:
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def assert_clean(result: Result, codes: tuple[int, ...]) -> None:
    """No traceback, a documented exit status, and an error is one line that says so."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in codes, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    if result.exit_code and not errors:
        return  # validate and verify: the problems are the lines
    assert len(errors) == (1 if result.exit_code else 0), result.stderr


def assert_validated(result: Result, path: Path) -> None:
    """`validate`: exit 0, 1 or 2; every stdout line is FILE:ROW:FIELD: MESSAGE for this file; one summary line."""
    assert_clean(result, (0, 1, 2))
    for line in result.stdout.splitlines():
        assert line.startswith(printable(path) + ":"), line
        row, field, message = line[len(printable(path)) + 1 :].split(":", 2)
        assert (row == "-" or row.isdigit()) and field and message.startswith(" ") and len(line) < 1000, line
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert bool(result.stdout) == (result.exit_code != 0)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A complete export in each format."""
    root = tmp_path_factory.mktemp("exports")
    for fmt in formats.FORMATS:
        rustcase.export_tables(root / fmt, fmt)
    return {fmt: root / fmt for fmt in formats.FORMATS}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
odd_names = st.sampled_from(["", " ", "quote_id", "a:b", "new\nline", "é", "\ufeffx", "x" * 300]) | st.text(max_size=12)


def _records(content: bytes, fmt: str) -> list[dict[str, object]]:
    if fmt == "jsonl":
        return [json.loads(line) for line in content.splitlines() if line.strip()]
    return list(json.loads(content))


def _write_records(records: list[dict[str, object]], fmt: str) -> bytes:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    return json.dumps(records, ensure_ascii=False).encode()


def damage(content: bytes, fmt: str, data: st.DataObject) -> bytes:
    """Any of the ways a file gets broken or odd: its bytes, its records, its column names."""
    kind = data.draw(
        st.sampled_from(["truncate", "overwrite", "insert", "delete", "random", "value", "column name", "deep", "bom"])
    )
    at = data.draw(st.integers(0, len(content)))
    if kind == "truncate":
        return content[:at]
    if kind == "overwrite":
        return content[:at] + data.draw(st.binary(min_size=1, max_size=8)) + content[at + 8 :]
    if kind == "insert":
        return content[:at] + data.draw(st.binary(min_size=1, max_size=64)) + content[at:]
    if kind == "delete":
        return content[:at] + content[at + data.draw(st.integers(1, 4096)) :]
    if kind == "random":
        return data.draw(st.binary(max_size=2000))
    if kind == "bom":
        return b"\xef\xbb\xbf" + content
    if fmt == "parquet":
        table = pq.read_table(pa.BufferReader(content))
        i = data.draw(st.integers(0, table.num_columns - 1))
        if kind == "column name":
            names = table.column_names
            names[i] = data.draw(odd_names)
            table = table.rename_columns(names)
        else:
            cells = [json.dumps(v) for v in table.column(i).to_pylist()]
            row = data.draw(st.integers(0, table.num_rows - 1)) if table.num_rows else 0
            value = data.draw(json_values) if kind == "value" else "[" * 5000 + "]" * 5000
            if cells:
                cells[row] = value if isinstance(value, str) else json.dumps(value)
            table = table.set_column(i, table.column_names[i], pa.array(cells, pa.string()))
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        return bytes(sink.getvalue().to_pybytes())
    if fmt == "csv":
        header, _, rest = content.partition(b"\n")
        names = header.split(b",")
        i = data.draw(st.integers(0, len(names) - 1))
        if kind == "column name":
            names[i] = json.dumps(data.draw(odd_names), ensure_ascii=False).encode()
        else:
            value = json.dumps(data.draw(json_values)) if kind == "value" else "[" * 100_000 + "]" * 100_000
            rest = b'"' + value.replace('"', '""').encode() + b'",' + rest
        return b",".join(names) + b"\n" + rest
    records = _records(content, fmt)
    if not records:
        return content
    record = records[data.draw(st.integers(0, len(records) - 1))]
    key = data.draw(st.sampled_from(sorted(record)))
    if kind == "column name":
        record[data.draw(odd_names)] = record.pop(key)
    elif kind == "value":
        record[key] = data.draw(json_values)
    else:
        return _write_records(records, fmt).replace(b"{", b'{"deep": ' + b"[" * 100_000 + b"]" * 100_000 + b",", 1)
    return _write_records(records, fmt)


@pytest.mark.slow
@pytest.mark.parametrize(("table", "fmt"), TABLE_FORMATS)
@EXAMPLES
@given(data=st.data())
def test_validate_any_damaged_file(
    exports: dict[str, Path], tmp_path: Path, reliability: Reliability, table: str, fmt: str, data: st.DataObject
) -> None:
    content = damage((exports[fmt] / f"{table}.{fmt}").read_bytes(), fmt, data)
    path = tmp_path / f"{table}.{fmt}"
    path.write_bytes(content)
    assert_validated(CliRunner().invoke(main, ["validate", str(path)]), path)
    reliability.add("validate: a damaged or odd file of every table × format → exit 0/1/2, each line FILE:ROW:FIELD")


@pytest.mark.parametrize(("table", "fmt"), TABLE_FORMATS)
@settings(max_examples=10, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_verify_an_export_with_any_damaged_file(
    exports: dict[str, Path], tmp_path: Path, reliability: Reliability, table: str, fmt: str, data: st.DataObject
) -> None:
    directory = tmp_path / "export"
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(exports[fmt], directory)
    path = directory / f"{table}.{fmt}"
    original = path.read_bytes()
    path.write_bytes(damage(original, fmt, data))
    result = CliRunner().invoke(main, ["verify", str(directory)])
    assert_clean(result, (1,) if path.read_bytes() != original else (0,))
    assert all(printable(path) in line for line in result.stderr.splitlines()), result.stderr
    reliability.add("verify: an export with a damaged file of every table × format → exit 1 naming the file")


@pytest.mark.parametrize(("table", "fmt"), TABLE_FORMATS)
def test_a_fifo_or_directory_named_like_a_table_file_is_refused_unopened(
    tmp_path: Path, reliability: Reliability, table: str, fmt: str
) -> None:
    (tmp_path / "fifo").mkdir()
    fifo = hostile.fifo(tmp_path / "fifo" / f"{table}.{fmt}")
    directory = tmp_path / "dir" / f"{table}.{fmt}"
    directory.mkdir(parents=True)
    result = CliRunner().invoke(main, ["validate", str(fifo)])  # would hang forever if the FIFO were opened
    assert_validated(result, fifo)
    assert result.exit_code == 2 and "not a regular file (a FIFO)" in result.stdout
    for path, kind in ((fifo, "a FIFO"), (directory, "a directory")):  # found in a directory of table files
        result = CliRunner().invoke(main, ["validate", str(path.parent)])
        assert_clean(result, (2,))
        assert f"{path}:-:-: cannot read: not a regular file ({kind})" in result.stdout
    reliability.add("validate: a FIFO or a directory named like a table file → refused unopened, exit 2", 3)


@pytest.mark.parametrize("table", list(TABLES))
def test_hostile_files_are_refused_in_bounded_time(
    exports: dict[str, Path], tmp_path: Path, reliability: Reliability, table: str
) -> None:
    """A Parquet footer claiming 2·10^10 rows, a header line with no end, a record nested 100,000 deep."""
    content = (exports["parquet"] / f"{table}.parquet").read_bytes()
    rows = pq.ParquetFile(pa.BufferReader(content)).metadata.num_rows
    cases = {
        f"{table}.parquet": (hostile.forged_parquet(content, rows, 2 * 10**10), "footer claims 20,000,000,000 rows"),
        f"{table}.csv": (None, "longer than 1 MiB"),
        f"{table}.jsonl": (None, "nested too deeply"),
        f"{table}.json": (b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]", "nested too deeply"),
    }
    for name, (bytes_, message) in cases.items():
        path = tmp_path / name
        if name.endswith(".csv"):
            hostile.long_header(path, 3 << 20)
        elif name.endswith(".jsonl"):
            hostile.deep_json(path, 100_000)
        else:
            assert bytes_ is not None
            path.write_bytes(bytes_)
        result = CliRunner().invoke(main, ["validate", str(path)])
        assert_validated(result, path)
        assert result.exit_code == 2 and message in result.stdout, result.stdout
    reliability.add("validate: forged Parquet footer, endless CSV header, JSON nested 100,000 deep → exit 2", 4)


ODD_TEXT = st.sampled_from(["", "-", "1", "0.9", "quotes", "ﬁ", "..", "/", "a\nb", "--help", "\udcff"]) | st.text(
    max_size=10
)


def _odd_path(base: Path, text: str) -> str:
    candidate = text.replace("\x00", "").replace("/", "_")
    return str(base / candidate) if candidate not in ("", ".", "..") else str(base)


COMMANDS = {
    "export": lambda t, p: ["export", t, "--out", p],
    "export --format": lambda t, p: ["export", "--format", t, "--out", p],
    "export --data-version": lambda t, p: ["export", "quotes", "--data-version", t, "--out", p],
    "export --out": lambda t, p: ["export", "quotes", "--out", p],
    "info": lambda t, p: ["info", "--data-version", t],
    "verify": lambda t, p: ["verify", p],
    "verify --data-version": lambda t, p: ["verify", "--data-version", t],
    "validate": lambda t, p: ["validate", p],
    "diff": lambda t, p: ["diff", t, "1.0.0"],
    "view": lambda t, p: ["view", "--out", p, "--data-version", t],
    "cite": lambda t, p: ["cite", "--data-version", t],
    "schema": lambda t, p: ["schema", t],
    "export --offsets": lambda t, p: ["export", "--format", "labelstudio", "--offsets", t, "--out", p],
    "import brat": lambda t, p: ["import", "brat", p, "--out", p + "-out"],
    "import labelstudio": lambda t, p: ["import", "labelstudio", p, "--out", p + "-out", "--format", t],
    "export --corpus": lambda t, p: ["export", "--corpus", p, "--out", p + "-out"],
    "sql --corpus": lambda t, p: ["sql", "--corpus", p, t],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@settings(max_examples=25, suppress_health_check=list(HealthCheck))
@given(text=ODD_TEXT, existing=st.sampled_from(["nothing", "file", "directory", "non-UTF-8 name"]))
def test_any_command_with_odd_arguments(
    tmp_path: Path, reliability: Reliability, command: str, text: str, existing: str
) -> None:
    base = tmp_path / "case"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir()
    path = _odd_path(base, text)
    if existing == "file" and path != str(base):
        Path(path).write_bytes(b"not a table")
    elif existing == "directory" and path != str(base):
        Path(path).mkdir()
    elif existing == "non-UTF-8 name":
        path = os.fsdecode(os.fsencode(base) + b"/\xff\xfe" + os.fsencode(path.rpartition("/")[2] or "x"))
    result = CliRunner().invoke(main, COMMANDS[command](text, path))
    assert_clean(result, (0, 1, 2))
    reliability.add("every command with odd arguments and paths → exit 0/1/2, an error is one line")


@pytest.mark.parametrize(
    "call",
    [
        lambda: rustcase.load(version=1),  # type: ignore[arg-type]
        lambda: rustcase.load(fingerprint=b"sha256:0"),  # type: ignore[arg-type]
        lambda: rustcase.load_quotes(version=1.0),  # type: ignore[arg-type]
    ],
)
def test_a_version_that_is_not_text_is_a_rustcase_error(call: object, reliability: Reliability) -> None:
    with pytest.raises(rustcase.UnknownVersionError, match="is text"):
        call()  # type: ignore[operator]
    reliability.add("load() with a version or fingerprint that is not text → UnknownVersionError")


def test_a_damaged_shipped_table_while_validating_a_file(
    data_root: Path, tmp_path: Path, exports: dict[str, Path], reliability: Reliability
) -> None:
    (data_root / rustcase.DATA_VERSION / "articles.parquet").write_bytes(b"PAR1 damaged")
    from .conftest import clear_caches

    clear_caches()
    result = CliRunner().invoke(main, ["validate", str(exports["csv"] / "quotes.csv")])
    assert_clean(result, (2,))
    assert "articles.parquet" in result.output  # a one-line error, or a problem line naming it
    reliability.add("validate: rustcase's own data damaged → exit 2, one line naming the file")


def test_an_unexpected_exception_is_one_line_with_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    from rustcase import versions

    def broken() -> list[str]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(versions, "available", broken)
    result = CliRunner().invoke(main, ["info"])
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert result.stderr == "Error: a bug in rustcase (ZeroDivisionError: division by zero); please report it\n"


PEAK = "[int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')][0] * 1024"


def _peak_of_validate(path: Path) -> int:
    import subprocess
    import sys

    code = f"import rustcase; rustcase.validate({str(path)!r}); print({PEAK})"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_validate_stays_within_its_stated_memory_bound(exports: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    """docs/reliability.md: the idle cost plus at most 64 MiB + 8 bytes per input byte (the benchmark measures it
    on larger files)."""
    from benchmarks.corpus import generate

    path = tmp_path / f"quotes.{fmt}"
    with path.open("wb") as sink:
        formats.write(generate(50_000)["quotes"], fmt, sink)
    idle = _peak_of_validate(exports[fmt] / f"quotes.{fmt}")
    assert _peak_of_validate(path) - idle <= 64 * 2**20 + 8 * path.stat().st_size
