"""export --corpus and sql --corpus: a corpus's tables are scanned batch by batch, never read whole. What is
exported reads back as the corpus's rows, table by table and in order, and an export of a corpus holding the
shipped tables is byte for byte the shipped export; sql answers as pyarrow does; a corpus that cannot be
scanned is one line, exit 2, nothing written; and the peak memory of an export does not grow with the corpus."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from benchmarks import corpus as generator
from click.testing import CliRunner, Result

import rustcase
from rustcase import corpus, formats, query
from rustcase.cli import main
from rustcase.models import TABLES
from rustcase.tables import TABLE_KEYS

from .conftest import Reliability

LAYOUTS = {"files": {}, "hive": {"files": 3, "hive": True}}


@pytest.fixture(scope="module", params=list(LAYOUTS))
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid corpus of 1,000 quotes in chunks of 10 articles: one file per table, or quotes and mentions in
    three hive-style ``bucket=K/`` directories."""
    out = tmp_path_factory.mktemp(request.param)
    generator.write(1000, out, chunk=10, **LAYOUTS[request.param])
    return out


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 97 rows, so that every table is written in several (the JSON array's joins are tested)."""
    monkeypatch.setattr(corpus, "BATCH_ROWS", 97)
    monkeypatch.setattr(query, "BATCH_ROWS", 97)


def files_of(root: Path, table: str) -> list[Path]:
    """A table's Parquet files in file-name order, found without rustcase."""
    if (root / f"{table}.parquet").is_file():
        return [root / f"{table}.parquet"]
    return sorted((root / table).rglob("*.parquet"), key=str)


def corpus_rows(root: Path, table: str) -> list[dict[str, object]]:
    """The table's rows as pyarrow reads its files (the hive keys are directories, not columns)."""
    tables = [pq.read_table(f).select(rustcase.arrow_schema(table).names) for f in files_of(root, table)]
    return pa.concat_tables(tables).cast(rustcase.arrow_schema(table)).to_pylist()


def without(root: Path, table: str, tmp_path: Path) -> Path:
    """A copy of the corpus without ``table``."""
    shutil.copytree(root, tmp_path / "lacking", ignore=shutil.ignore_patterns(f"{table}.parquet", table))
    return tmp_path / "lacking"


def records(rows: list[dict[str, object]], table: str) -> list[object]:
    return [TABLES[table].model.model_validate(row) for row in rows]


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_an_export_reads_back_as_the_corpus_rows_in_order(generated: Path, tmp_path: Path, fmt: str) -> None:
    written = rustcase.export_tables(tmp_path / "out", fmt, corpus=generated)
    present = [t for t in TABLE_KEYS if files_of(generated, t)]
    assert [p.name for p in written] == [f"{t}.{fmt}" for t in present]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["corpus"] == os.path.abspath(generated) and "data_version" not in manifest
    for table in present:
        expected = corpus_rows(generated, table)
        back = formats.read(tmp_path / "out" / f"{table}.{fmt}", table)
        assert records(back, table) == records(expected, table), table
        assert all(list(row) == rustcase.arrow_schema(table).names for row in back)  # no hive key among them
        assert manifest["tables"][table]["rows"] == len(expected)
    assert rustcase.verify_export(tmp_path / "out") == []
    assert not (tmp_path / "out" / "croissant.json").exists()


@pytest.fixture(scope="module")
def shipped_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped tables laid out as a corpus (one Parquet file each)."""
    out = tmp_path_factory.mktemp("shipped")
    for table, path in rustcase.paths().items():
        shutil.copyfile(path, out / f"{table}.parquet")
    return out


@pytest.mark.parametrize("fmt", [f for f in formats.FORMATS if f != "parquet"])
def test_batch_by_batch_writes_the_bytes_of_the_whole_table(shipped_corpus: Path, tmp_path: Path, fmt: str) -> None:
    rustcase.export_tables(tmp_path / "corpus", fmt, corpus=shipped_corpus)
    rustcase.export_tables(tmp_path / "shipped", fmt)
    for table in TABLE_KEYS:
        name = f"{table}.{fmt}"
        assert (tmp_path / "corpus" / name).read_bytes() == (tmp_path / "shipped" / name).read_bytes(), name


def test_one_table_to_a_stream_and_tables_the_corpus_lacks(generated: Path, tmp_path: Path) -> None:
    sink = pa.BufferOutputStream()
    rustcase.write_table("quotes", "jsonl", sink, corpus=generated)
    lines = sink.getvalue().to_pybytes().decode().splitlines()
    assert records([json.loads(line) for line in lines], "quotes") == records(
        corpus_rows(generated, "quotes"), "quotes"
    )
    lacking = without(generated, "works", tmp_path)
    with pytest.raises(rustcase.CorpusError, match="no works table"):
        rustcase.export_tables(tmp_path / "out", "csv", ["works"], corpus=lacking)
    rustcase.export_tables(tmp_path / "out", "csv", corpus=lacking)
    assert "works.csv" not in os.listdir(tmp_path / "out") and "quotes.csv" in os.listdir(tmp_path / "out")
    with pytest.raises(rustcase.ExportError, match="not both"):
        rustcase.export_tables(tmp_path / "other", "csv", corpus=generated, version="1.0.0")
    assert not (tmp_path / "other").exists()


def test_an_export_of_a_corpus_overwrites_only_with_force(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "quotes.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(rustcase.ExportError, match="would overwrite"):
        rustcase.export_tables(out, "csv", ["quotes"], corpus=generated)
    assert os.listdir(out) == ["quotes.csv"] and (out / "quotes.csv").read_text(encoding="utf-8") == "mine"
    rustcase.export_tables(out, "csv", ["quotes"], corpus=generated, force=True)
    assert rustcase.verify_export(out) == []
    (out / "quotes.csv").write_bytes((out / "quotes.csv").read_bytes().replace(b"quo-", b"quX-", 1))
    assert rustcase.verify_export(out) == [
        f"{out / 'quotes.csv'}: checksum does not match manifest.json; the file was changed or damaged"
    ]


TAMPERED = {
    "a table file changed": lambda out, fmt: (out / f"quotes.{fmt}").write_bytes(b"quote_id\n"),
    "a table file unlisted": lambda out, fmt: shutil.copyfile(out / f"people.{fmt}", out / f"works.{fmt}"),
    "the corpus renamed": lambda out, fmt: _edit(out / "manifest.json", '"corpus": "', '"corpus": "/elsewhere'),
    "a row count changed": lambda out, fmt: _edit(out / "manifest.json", '"rows": ', '"rows": 1'),
    "a schema changed": lambda out, fmt: (out / "schema" / "quotes.schema.json").write_text("{}", encoding="utf-8"),
    "the data package changed": lambda out, fmt: (out / "datapackage.json").write_text("{}", encoding="utf-8"),
    "a manifest of both kinds": lambda out, fmt: _edit(
        out / "manifest.json", '"format"', '"data_version": "1.0.0", "format"'
    ),
}


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("fmt", formats.FORMATS)
@pytest.mark.parametrize("tamper", list(TAMPERED))
def test_verify_finds_every_change_to_a_corpus_export(generated: Path, tmp_path: Path, tamper: str, fmt: str) -> None:
    out = tmp_path / "out"
    rustcase.export_tables(out, fmt, ["quotes", "people"], corpus=without(generated, "works", tmp_path))
    assert rustcase.verify_export(out) == []
    TAMPERED[tamper](out, fmt)
    assert rustcase.verify_export(out) != []
    result = CliRunner().invoke(main, ["verify", str(out)])
    assert result.exit_code == 1 and "FAILED" in result.stdout and "Traceback" not in result.output


QUERIES = {
    "quotes per speaker": (
        "SELECT speaker_id, count(*) AS n FROM quotes GROUP BY ALL ORDER BY speaker_id",
        lambda t: t["quotes"].group_by("speaker_id").aggregate([("quote_id", "count")]).sort_by("speaker_id"),
    ),
    "direct quotes": (
        "SELECT quote_id, text, co_speaker_ids FROM quotes WHERE kind = 'direct' ORDER BY quote_id",
        lambda t: (
            t["quotes"]
            .filter(pc.equal(t["quotes"]["kind"], "direct"))
            .select(["quote_id", "text", "co_speaker_ids"])
            .sort_by("quote_id")
        ),
    ),
    "every mention, in order": ("SELECT * FROM mentions", lambda t: t["mentions"]),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_sql_over_a_corpus_answers_as_pyarrow_does(generated: Path, name: str) -> None:
    statement, compute = QUERIES[name]
    tables = {
        t: pa.Table.from_pylist(corpus_rows(generated, t), rustcase.arrow_schema(t)) for t in ("quotes", "mentions")
    }
    expected = compute(tables)
    result = rustcase.sql(statement, corpus=generated)
    assert [list(r.values()) for r in result.to_pylist()] == [list(r.values()) for r in expected.to_pylist()]
    streamed = query.stream(statement, corpus=generated)
    assert list(query.lines(streamed, "jsonl")) == list(query.lines(result, "jsonl"))


def test_sql_over_a_corpus_stays_locked_down(generated: Path, tmp_path: Path) -> None:
    a_file = files_of(generated, "quotes")[0]
    for statement, message in [
        (f"SELECT * FROM read_parquet('{a_file}')", "disabled by configuration"),
        ("SET enable_external_access = true", "only a query"),
        ("SELECT * FROM quotes", "quotes does not exist"),
        ("SELECT bucket FROM quotes", "bucket"),  # a hive key is storage layout, not a column
    ]:
        with pytest.raises(rustcase.QueryError, match=message):
            rustcase.sql(
                statement,
                corpus=without(generated, "quotes", tmp_path)
                if "FROM quotes" in statement and "bucket" not in statement
                else generated,
            )
    connection = rustcase.connect(corpus=generated)
    assert connection.sql("SELECT current_setting('enable_external_access')").fetchall() == [(False,)]


def test_the_command_line_writes_what_the_library_does(generated: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--corpus", str(generated), "-f", "jsonl", "-o", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    rustcase.export_tables(tmp_path / "lib", "jsonl", corpus=generated)
    for name in sorted(os.listdir(tmp_path / "lib")):
        if name.endswith(".jsonl") or name == "manifest.json":
            assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "lib" / name).read_bytes(), name
    assert runner.invoke(main, ["verify", str(tmp_path / "cli")]).exit_code == 0
    statement = "SELECT quote_id, co_speaker_ids, cue_start FROM quotes ORDER BY quote_id"
    for fmt in query.OUTPUT_FORMATS:
        result = runner.invoke(main, ["sql", "--corpus", str(generated), "-f", fmt, statement])
        expected = list(query.lines(rustcase.sql(statement, corpus=generated), fmt))
        assert (result.exit_code, result.stdout) == (0, "".join(f"{line}\n" for line in expected))
    out = runner.invoke(main, ["export", "--corpus", str(generated), "quotes", "-f", "csv", "-o", "-"])
    sink = pa.BufferOutputStream()
    rustcase.write_table("quotes", "csv", sink, corpus=generated)
    assert out.stdout_bytes == sink.getvalue().to_pybytes()


# Hostile corpora: each damages one table of a valid corpus; export and sql must say so in one line, exit 2.


def _rewrite(root: Path, table: str, change: object) -> Path:
    path = files_of(root, table)[0]
    data = pq.read_table(path)
    pq.write_table(change(data), path)  # type: ignore[operator]
    return path


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _key(table: str) -> str:
    return TABLE_KEYS[table]


DAMAGE = {
    "not Parquet": lambda root, t: (files_of(root, t)[0].write_bytes(b"PAR1 not parquet"), "cannot read")[1],
    "a FIFO": lambda root, t: (_fifo(files_of(root, t)[0]), "not a regular file (a FIFO)")[1],
    "a missing column": lambda root, t: (_rewrite(root, t, lambda d: d.drop_columns([_key(t)])), "missing column")[1],
    "an extra column": lambda root, t: (
        _rewrite(root, t, lambda d: d.append_column("surplus", pa.array([1] * d.num_rows))),
        "unexpected column",
    )[1],
    "a column of the wrong type": lambda root, t: (
        _rewrite(
            root, t, lambda d: d.set_column(d.schema.get_field_index(_key(t)), _key(t), pa.array(range(d.num_rows)))
        ),
        "cannot hold",
    )[1],
    "a repeated column": lambda root, t: (
        _rewrite(root, t, lambda d: d.append_column(_key(t), d[_key(t)])),
        "a second column of this name",
    )[1],
}


@pytest.fixture(scope="module")
def complete(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small corpus with a row in every table: the shipped tables (quotes and mentions split in two files)."""
    out = tmp_path_factory.mktemp("complete")
    for table, path in rustcase.paths().items():
        data = pq.read_table(path)
        if table in ("quotes", "mentions"):
            (out / table / "half=1").mkdir(parents=True)
            (out / table / "half=2").mkdir()
            half = data.num_rows // 2
            pq.write_table(data.slice(0, half), out / table / "half=1" / "part.parquet")
            pq.write_table(data.slice(half), out / table / "half=2" / "part.parquet")
        else:
            pq.write_table(data, out / f"{table}.parquet")
    return out


def assert_one_line(result: Result, code: int, *words: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output
    errors = result.stderr.splitlines()
    assert len([e for e in errors if e.startswith("Error: ")]) == 1, result.stderr
    for word in words:
        assert word in errors[-1], (word, errors[-1])


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("table", list(TABLE_KEYS))
def test_a_damaged_table_is_one_line_exit_2_and_nothing_written(
    complete: Path, tmp_path: Path, table: str, damage: str, reliability: Reliability
) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(complete, root)
    damaged = files_of(root, table)[0]
    words = DAMAGE[damage](root, table)
    runner = CliRunner()
    for fmt in formats.FORMATS:
        out = tmp_path / f"out-{fmt}"
        result = runner.invoke(main, ["export", "--corpus", str(root), "-f", fmt, "-o", str(out)])
        assert_one_line(result, 2, str(damaged), words)
        assert not out.exists()
    result = runner.invoke(main, ["sql", "--corpus", str(root), f"SELECT count(*) FROM {table}"])
    assert_one_line(result, 2, str(damaged), words)
    assert result.stdout == ""
    reliability.add("export/sql --corpus: a damaged table → one line naming the file, exit 2, nothing written", 5)


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_a_null_where_the_schema_requires_a_value(complete: Path, tmp_path: Path, fmt: str) -> None:
    """The export does not validate values: CSV and JSON carry the null; Parquet's schema cannot, so it refuses."""
    root = tmp_path / "corpus"
    shutil.copytree(complete, root)
    people = pq.read_table(root / "people.parquet")
    index = people.schema.get_field_index("name")
    pq.write_table(people.set_column(index, "name", pa.nulls(people.num_rows, pa.string())), root / "people.parquet")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", "--corpus", str(root), "people", "-f", fmt, "-o", str(out)])
    if fmt == "parquet":
        assert_one_line(result, 2, str(root / "people.parquet"), "cannot write people as parquet", "name")
        assert not out.exists()
    else:
        assert result.exit_code == 0, result.output
        assert all(row["name"] is None for row in formats.read(out / f"people.{fmt}", "people"))


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_values_the_schema_cannot_hold_are_one_line_and_nothing_written(
    complete: Path, tmp_path: Path, fmt: str, reliability: Reliability
) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(complete, root)
    path = root / "articles.parquet"
    articles = pq.read_table(path)
    big = pa.array([2**64 - 1] * articles.num_rows, pa.uint64())  # an integer column of any width fits; this value not
    pq.write_table(articles.set_column(articles.schema.get_field_index("headline_start"), "headline_start", big), path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", "--corpus", str(root), "-f", fmt, "-o", str(out)])
    assert_one_line(result, 2, str(path), "cannot read")
    assert not out.exists()
    reliability.add("export --corpus: a value the schema's type cannot hold → one line, exit 2, nothing written")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["export", "--corpus", "{missing}", "-o", "{out}"], 2, ["does not exist"]),
        (["sql", "--corpus", "{missing}", "SELECT 1"], 2, ["does not exist"]),
        (["export", "--corpus", "{file}", "-o", "{out}"], 2, ["is a file"]),
        (["export", "--corpus", "{empty}", "-o", "{out}"], 2, ["no table files"]),
        (["sql", "--corpus", "{empty}", "SELECT 1"], 2, ["no table files"]),
        (["export", "--corpus", "{corpus}", "--data-version", "1", "-o", "{out}"], 2, ["exclude each other"]),
        (["sql", "--corpus", "{corpus}", "--data-version", "1", "SELECT 1"], 2, ["exclude each other"]),
        *(
            (["export", "--corpus", "{corpus}", "-f", c, "-o", "{out}"], 2, ["table formats only"])
            for c in formats.COLLECTIONS
        ),
        (["export", "--corpus", "{lacking}", "quotes", "-o", "{out}"], 2, ["no quotes table"]),
        (["export", "--corpus", "{lacking}", "quotes", "-o", "-"], 2, ["no quotes table"]),
        (["sql", "--corpus", "{lacking}", "SELECT * FROM quotes"], 1, ["quotes does not exist"]),
        (["export", "--corpus", "{csv}", "-o", "{out}"], 2, ["quotes.csv", "not Parquet"]),
        (["sql", "--corpus", "{csv}", "SELECT count(*) FROM people"], 2, ["quotes.csv", "not Parquet"]),
    ],
)
def test_unusable_arguments_are_one_line(
    complete: Path, tmp_path: Path, args: list[str], code: int, words: list[str]
) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "lacking").mkdir()
    shutil.copyfile(complete / "people.parquet", tmp_path / "lacking" / "people.parquet")
    shutil.copytree(tmp_path / "lacking", tmp_path / "csv")
    (tmp_path / "csv" / "quotes.csv").write_text("quote_id\n", encoding="utf-8")  # never skipped unread
    places = {
        "missing": tmp_path / "missing",
        "out": tmp_path / "out",
        "file": tmp_path / "file",
        "empty": tmp_path / "empty",
        "corpus": complete,
        "lacking": tmp_path / "lacking",
        "csv": tmp_path / "csv",
    }
    result = CliRunner().invoke(main, [a.format(**places) for a in args])
    assert_one_line(result, code, *words)
    assert not (tmp_path / "out").exists()


PEAK = "[int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')][0] * 1024"


def _peak_of_export(root: Path, out: Path, fmt: str) -> int:
    code = f"import rustcase; rustcase.export_tables({str(out)!r}, {fmt!r}, corpus={str(root)!r}); print({PEAK})"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")
def test_the_peak_memory_of_an_export_does_not_grow_with_the_corpus(tmp_path: Path) -> None:
    """docs/scale.md: ten times the corpus, about the same peak (row groups of the same size in both)."""
    small, big = tmp_path / "small", tmp_path / "big"
    generator.write(20_000, small, files=3, hive=True, chunk=100)
    generator.write(200_000, big, files=3, hive=True, chunk=100)
    in_memory = sum(pq.read_table(f).nbytes for t in TABLE_KEYS for f in files_of(big, t))
    assert in_memory > 64 * 2**20  # holding the big corpus would cost more than the bound below
    for fmt in ("json", "csv", "parquet"):  # JSON Lines is JSON's writer without the array around it
        growth = _peak_of_export(big, tmp_path / f"big-{fmt}", fmt) - _peak_of_export(
            small, tmp_path / f"small-{fmt}", fmt
        )
        assert growth < 48 * 2**20, (fmt, growth)
