"""Corpora beyond five articles: widened ID patterns that keep every shipped ID, and the same checks with the
same lines whatever engine scans the rows (Arrow, DuckDB, polars, Spark), on generated corpora with one
planted error of each kind."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import rustcase
from rustcase import checks, cli, engines, validation, versions
from rustcase.engines import polars as engines_polars
from rustcase.engines.spark import HadoopFiles
from rustcase.models import TABLES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import corpus

PINNED = {"1.0.0": "sha256:ff14091c9564fe9efb0ec316b5e91445e36ba8aa2edd815d59cce57d69217de6"}
"""The fingerprints as released: a widened pattern changes no data version."""

NARROW = {
    "article_id": r"^art-\d{3}$",
    "quote_id": r"^quo-\d{3}-\d{3}$",
    "utterance_id": r"^utt-\d{3}$",
    "mention_id": r"^men-\d{3}-\d{4}$",
}
"""The ID patterns before they were widened."""


def test_every_shipped_version_keeps_its_fingerprint() -> None:
    assert {v: versions.lock()[v]["fingerprint"] for v in PINNED} == PINNED
    for version, fingerprint in PINNED.items():
        assert rustcase.load(version=version).fingerprint == fingerprint


@pytest.mark.parametrize("version", versions.available())
@pytest.mark.parametrize("table", list(TABLES))
def test_every_shipped_id_matches_the_old_and_the_widened_pattern(version: str, table: str) -> None:
    properties = rustcase.json_schema(table)["properties"]
    for name, values in rustcase.read_table(table, version).to_pydict().items():
        spec = next((p for p in properties[name].get("anyOf", [properties[name]]) if p.get("type") != "null"), {})
        for value in values:
            if "pattern" in spec and value is not None:
                assert re.search(spec["pattern"], value), (name, value)
            if name in NARROW and value is not None:
                assert re.search(NARROW[name], value), (name, value)


@pytest.mark.parametrize(
    ("model", "field", "value", "valid"),
    [
        (rustcase.Mention, "mention_id", "men-12345-123456", True),
        (rustcase.Mention, "mention_id", "men-123-456", False),
        (rustcase.Mention, "article_id", "art-1000000", True),
        (rustcase.Mention, "article_id", "art-12", False),
        (rustcase.Quote, "quote_id", "quo-1000-1000", True),
        (rustcase.Quote, "quote_id", "quo-1000-10", False),
        (rustcase.Quote, "utterance_id", "utt-1000", True),
    ],
)
def test_widened_ids_are_valid_and_short_ones_are_not(model: type, field: str, value: str, valid: bool) -> None:
    table = rustcase.load().mentions if model is rustcase.Mention else rustcase.load().quotes
    record = table[next(iter(table))]
    data = {**record.model_dump(), field: value}
    try:
        model.model_validate(data)
    except ValueError:
        assert not valid
    else:
        assert valid


LAYOUTS = {"files": {}, "directories": {"files": 3}, "hive": {"files": 3, "hive": True}}


@pytest.fixture(scope="module", params=list(LAYOUTS))
def planted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A generated corpus of 2,000 quotes in three chunks with one error of each kind, and what was planted."""
    out = tmp_path_factory.mktemp(request.param)
    corpus.write(2000, out, plant=True, chunk=20, **LAYOUTS[request.param])
    return out, [f"{out}/{line}" for line in json.loads((out / "planted.json").read_text(encoding="utf-8"))]


def lines(report: rustcase.Report) -> list[str]:
    return [str(p) for p in report.problems]


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_every_engine_reports_exactly_the_planted_errors(planted: tuple[Path, list[str]], engine: str) -> None:
    path, expected = planted
    report = rustcase.validate(path, engine=engine)
    assert sorted(lines(report)) == sorted(expected)
    assert report.exit_code == 1 and report.rows > 2000


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_every_engine_prints_the_arrow_validators_lines(planted: tuple[Path, list[str]], engine: str) -> None:
    path, _ = planted
    if (path / "quotes").is_dir():
        pytest.skip("the Arrow validator reads one file per table")
    arrow = rustcase.validate(path, engine="arrow")
    assert lines(rustcase.validate(path, engine=engine)) == lines(arrow)
    result = CliRunner().invoke(cli.main, ["validate", "--engine", engine, str(path)])
    assert (result.exit_code, result.stdout) == (1, "".join(f"{line}\n" for line in lines(arrow)))


WEAK_HASHES = [
    pytest.param(lambda column: column.str.len_bytes().cast(pl.UInt64), id="by length"),
    pytest.param(lambda column: column.str.len_bytes().cast(pl.UInt64) * 0, id="all alike"),
]
"""Hashes under which keys of one length, or all keys, collide."""


@pytest.mark.slow
@pytest.mark.parametrize("weak", WEAK_HASHES)
def test_hash_collisions_in_polars_change_no_answer(
    planted: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch, weak: Any
) -> None:
    """polars finds duplicate keys and dangling references by hashing; a hash where every key collides
    must give exactly the same lines, only slower."""
    path, expected = planted
    monkeypatch.setattr(engines_polars, "hashed", weak)
    assert sorted(lines(rustcase.validate(path, engine="polars"))) == sorted(expected)


def _set(path: Path, column: str, row: int, value: Any) -> None:
    """Replace one value of a Parquet file (``row`` from 1)."""
    table = pq.read_table(path)
    values = table[column].to_pylist()
    values[row - 1] = value
    pq.write_table(table.set_column(table.schema.get_field_index(column), column, pa.array(values)), path)


@pytest.mark.slow
@pytest.mark.parametrize("weak", [pytest.param(None, id="polars' hash"), *WEAK_HASHES])
def test_every_key_and_reference_of_every_table_is_judged_exactly_whatever_the_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weak: Any
) -> None:
    """A repeated key in every table with a key of the corpus and a dangling reference in every reference
    column, each dangling value as long as real keys (so it collides with them under a weak hash): polars
    prints DuckDB's lines, which compare the strings themselves."""
    corpus.write(300, tmp_path, chunk=5)
    for table in ("articles", "quotes", "mentions", "people"):
        key = checks.table_checks(table).key
        first = pq.read_table(tmp_path / f"{table}.parquet")[key][0].as_py()
        _set(tmp_path / f"{table}.parquet", key, 3, first)
    for table in rustcase.TABLES:
        for column in (c.name for c in checks.table_checks(table).columns if c.targets):
            path = tmp_path / f"{table}.parquet"
            real = pq.read_table(path)[column].drop_null()
            if len(real):  # every reference column the corpus fills
                value = real[0].as_py()
                _set(path, column, pq.read_metadata(path).num_rows, value[:-1] + ("x" if value[-1] != "x" else "y"))
    expected = lines(rustcase.validate(tmp_path, engine="duckdb"))
    assert sum("names no record" in line for line in expected) >= 4
    assert sum("duplicate" in line for line in expected) >= 4
    if weak is not None:
        monkeypatch.setattr(engines_polars, "hashed", weak)
    assert lines(rustcase.validate(tmp_path, engine="polars")) == expected


PATTERNS = sorted({c.pattern for t in TABLES for c in checks.table_checks(t).columns if c.pattern})
DIGITS = st.characters(categories=["Nd", "No", "Nl"])  # decimal digits of every script, and other numbers


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.sampled_from(PATTERNS),
    value=st.one_of(
        st.text(st.one_of(DIGITS, st.sampled_from("artquoperg-0123456789")), max_size=16),
        st.builds(lambda p, d: p + "".join(d), st.sampled_from(["art-", "quo-", "men-", "per-"]), st.lists(DIGITS)),
    ),
)
def test_every_engine_reads_a_pattern_as_the_models_do(pattern: str, value: str) -> None:
    """``\\d`` is any decimal digit in the models (pydantic's regex): RE2 (Arrow, DuckDB) and Rust's regex
    (polars) run `checks.regex`, and agree with the model on every value."""
    import duckdb
    import pyarrow.compute as pc
    from pydantic import StringConstraints, TypeAdapter, ValidationError

    try:
        TypeAdapter(Annotated[str, StringConstraints(pattern=pattern)]).validate_python(value)
        model = True
    except ValidationError:
        model = False
    regex = checks.regex(pattern)
    assert pc.match_substring_regex(pa.array([value]), regex)[0].as_py() == model
    assert pl.Series([value]).str.contains(regex).item() == model
    assert duckdb.execute("SELECT regexp_matches(?, ?)", [value, regex]).fetchone() == (model,)


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_ids_with_the_digits_of_other_scripts_are_judged_as_the_arrow_validator_does(
    tmp_path: Path, engine: str
) -> None:
    corpus.write(100, tmp_path)
    other = {"0": "\u0660", "1": "\u0967", "2": "\u00b2", "3": "\u2163"}  # Arabic-Indic, Devanagari: digits; ², Ⅳ: not
    for path in tmp_path.glob("*.parquet"):
        table = pq.read_table(path)
        for column in [c.name for c in checks.table_checks(path.stem).columns if c.pattern and "\\d" in c.pattern]:
            values = [None if v is None else v.translate(str.maketrans(other)) for v in table[column].to_pylist()]
            table = table.set_column(table.schema.get_field_index(column), column, pa.array(values, pa.string()))
        pq.write_table(table, path)
    expected = lines(rustcase.validate(tmp_path, engine="arrow"))
    unmatched = [line for line in expected if "does not match" in line]
    assert unmatched and all("\u00b2" in line or "\u2163" in line for line in unmatched)  # the digits pass
    assert lines(rustcase.validate(tmp_path, engine=engine)) == expected


REFERENCES = [(t, c) for t in TABLES for c in checks.table_checks(t).columns if checks.keys_match(c)]


@settings(max_examples=300, deadline=None)
@given(reference=st.sampled_from(REFERENCES), data=st.data())
def test_a_key_that_matches_its_pattern_matches_every_column_that_refers_to_it(
    reference: tuple[str, checks.Column], data: st.DataObject
) -> None:
    """What `checks.keys_match` promises, which lets the engines skip a reference column's pattern for keys."""
    import pyarrow.compute as pc

    _, column = reference
    target = checks.table_checks(data.draw(st.sampled_from(column.targets)))
    pattern = next(c.pattern or "" for c in target.columns if c.name == target.key)
    value = data.draw(st.from_regex(pattern, fullmatch=True) | st.text(max_size=12))  # Python's \d: any digit
    if pc.match_substring_regex(pa.array([value]), checks.regex(pattern))[0].as_py():
        assert pc.match_substring_regex(pa.array([value]), checks.regex(column.pattern or ""))[0].as_py()


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_the_pattern_of_every_reference_column_is_judged_as_the_arrow_validator_does(
    tmp_path: Path, engine: str
) -> None:
    """The engines run a reference column's pattern only on values that are no key (`checks.keys_match`):
    keys that fail their own pattern, referred to from every table, a key of another table's pattern, and
    a value that is no key in every reference column still get the Arrow validator's lines."""
    corpus.write(300, tmp_path, chunk=5)
    renamed = {}
    for table in TABLES:
        key = checks.table_checks(table).key
        keys = pq.read_table(tmp_path / f"{table}.parquet")[key].to_pylist()
        if keys:
            renamed[keys[0]] = keys[0].upper()  # fails its own pattern and every reference column's
    people = pq.read_table(tmp_path / "people.parquet")["person_id"].to_pylist()
    renamed[people[1]] = "org-" + people[1][4:]  # fails people's pattern, matches speaker_id's and entity_id's
    for path in tmp_path.glob("*.parquet"):
        table = pq.read_table(path)
        for column in (c.name for c in checks.table_checks(path.stem).columns if c.type == "string"):
            values = [renamed.get(v, v) for v in table[column].to_pylist()]
            table = table.set_column(table.schema.get_field_index(column), column, pa.array(values, pa.string()))
        pq.write_table(table, path)
    for table in TABLES:
        for column in (c.name for c in checks.table_checks(table).columns if c.targets):
            path = tmp_path / f"{table}.parquet"
            filled = pq.read_table(path)[column].drop_null()
            if len(filled):
                _set(path, column, pq.read_metadata(path).num_rows, filled[0].as_py() + "_")  # no key, no match
    expected = lines(rustcase.validate(tmp_path, engine="arrow"))
    assert sum("does not match" in line for line in expected) >= 10
    assert lines(rustcase.validate(tmp_path, engine=engine)) == expected


HIVE_PLACES = [("y=2021/m=a=b", "k="), ("bucket=1", "."), ("kind=direct", "kind=indirect")]


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("places", HIVE_PLACES, ids=["odd keys", "uneven depth", "a column's name"])
def test_hive_directories_are_storage_only_whatever_their_names(
    tmp_path: Path, engine: str, places: tuple[str, str]
) -> None:
    """The keys of `key=value/` directories are never read as columns, so no layout of them is an error and
    a key named like a column does not hide the column's values."""
    first = _hive_layout(tmp_path, places)
    report = rustcase.validate(tmp_path, engine=engine)
    assert lines(report) == [f"{first}:1:kind: 'verbatim' is not one of direct, partial, nested, indirect, mixed"]


def _hive_layout(path: Path, places: tuple[str, str]) -> Path:
    """A corpus whose quotes' two files are moved into ``places``, the first with an unknown kind in row 1."""
    corpus.write(300, path, chunk=5, files=2)
    quotes = path / "quotes"
    for file, place in zip(sorted(quotes.glob("*.parquet")), places, strict=True):
        (quotes / place).mkdir(parents=True, exist_ok=True)
        file.rename(quotes / place / file.name)
    first = next((quotes / places[0]).glob("*.parquet"))
    _set(first, "kind", 1, "verbatim")
    return first


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_a_repeated_article_id_is_looked_up_as_the_arrow_validator_does(tmp_path: Path, engine: str) -> None:
    corpus.write(300, tmp_path, chunk=5)
    articles = pq.read_table(tmp_path / "articles.parquet")
    ids = articles["article_id"].to_pylist()
    ids[0] = ids[2]  # the first row with the ID holds the text its spans are checked against
    pq.write_table(articles.set_column(0, "article_id", pa.array(ids)), tmp_path / "articles.parquet")
    arrow = lines(rustcase.validate(tmp_path, engine="arrow"))
    assert any("duplicate article_id" in line for line in arrow) and any("article's" in line for line in arrow)
    assert lines(rustcase.validate(tmp_path, engine=engine)) == arrow


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_a_corpus_written_by_polars_is_read_as_written_by_pyarrow(tmp_path: Path, engine: str) -> None:
    import polars as pl

    corpus.write(300, tmp_path, plant=True, chunk=5)
    before = lines(rustcase.validate(tmp_path, engine=engine))
    for table in ("quotes", "mentions"):  # large strings, large lists, 32-bit integers
        frame = pl.read_parquet(tmp_path / f"{table}.parquet").with_columns(pl.col("start").cast(pl.Int32))
        frame.write_parquet(tmp_path / f"{table}.parquet")
    assert lines(rustcase.validate(tmp_path, engine=engine)) == before


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
def test_a_valid_corpus_is_valid_with_every_engine(tmp_path: Path, engine: str) -> None:
    corpus.write(1500, tmp_path, files=2, chunk=20)
    report = rustcase.validate(tmp_path, engine=engine)
    assert (report.exit_code, report.problems, len(report.files)) == (0, [], 10 + 2)


def test_auto_takes_arrow_for_small_files_and_an_engine_for_table_directories(tmp_path: Path) -> None:
    corpus.write(100, tmp_path / "files")
    corpus.write(100, tmp_path / "directories", files=2, chunk=1)
    assert engines.choose(tmp_path / "files", "auto") == "arrow"
    assert engines.choose(tmp_path / "directories", "auto") in ("polars", "duckdb")
    assert rustcase.validate(tmp_path / "directories").exit_code == 0


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("name", ["_temporary/0/part-00000.parquet", ".part-00001.parquet", "_part.parquet"])
def test_hidden_files_in_a_table_directory_are_not_read(tmp_path: Path, engine: str, name: str) -> None:
    """Spark leaves ``_temporary/`` and ``_SUCCESS`` behind, editors ``.~`` copies: like Spark, Hive and
    pyarrow, a table's files are its visible ``*.parquet`` files."""
    corpus.write(300, tmp_path, files=2, chunk=5)
    part = next((tmp_path / "quotes").rglob("*.parquet"))
    broken = pq.read_table(part).drop_columns(["text"])  # a file that would be a problem if it were read
    (tmp_path / "quotes" / name).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(broken, tmp_path / "quotes" / name)
    report = rustcase.validate(tmp_path, engine=engine)
    assert (report.exit_code, report.problems) == (0, [])
    assert str(tmp_path / "quotes" / name) not in report.files and len(report.files) == 10 + 2


def test_auto_takes_duckdb_when_the_articles_would_not_fit_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus.write(100, tmp_path, files=2, chunk=1)
    assert engines.choose(tmp_path, "auto") == "polars"  # polars keeps the article texts in memory
    monkeypatch.setattr(engines, "ARTICLE_BYTES", pq.read_metadata(tmp_path / "articles.parquet").serialized_size)
    assert engines.choose(tmp_path, "auto") == "duckdb"  # DuckDB's memory stays flat


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_auto_refuses_a_fifo_among_the_articles_without_opening_it(tmp_path: Path) -> None:
    """``auto`` reads the articles' footers to choose an engine: a FIFO there must not hang it."""
    corpus.write(100, tmp_path, chunk=1)
    (tmp_path / "articles.parquet").rename(tmp_path / "part.parquet")
    (tmp_path / "articles").mkdir()
    (tmp_path / "part.parquet").rename(tmp_path / "articles" / "part-0.parquet")
    os.mkfifo(tmp_path / "articles" / "part-1.parquet")
    command = [sys.executable, "-m", "rustcase", "validate", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "a FIFO" in result.stdout + result.stderr


def test_the_cli_offers_every_engine() -> None:
    assert cli.ENGINE_CHOICES == engines.ENGINES


@pytest.mark.parametrize(("engine", "module", "extra"), [("duckdb", "duckdb", "sql"), ("polars", "polars", "polars")])
def test_a_missing_engine_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, module: str, extra: str
) -> None:
    corpus.write(100, tmp_path)
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(rustcase.MissingExtraError, match=re.escape(f"pip install 'rustcase[{extra}]'")):
        rustcase.validate(tmp_path, engine=engine)
    result = CliRunner().invoke(cli.main, ["validate", "--engine", engine, str(tmp_path)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["directory", "quotes.PARQUET", "quotes.snappy.parquet", "quotes.parquet/"])
def test_the_arrow_validator_refuses_a_table_it_cannot_read_never_skips_it(tmp_path: Path, kind: str) -> None:
    """Skipped, the table would pass as the shipped one: each table, in a form only the engines (or none) read."""
    corpus.write(100, tmp_path / "corpus")
    for table in TABLES:
        root = tmp_path / table
        shutil.copytree(tmp_path / "corpus", root)
        name = {"directory": table, "quotes.parquet/": f"{table}.parquet/"}.get(kind, kind.replace("quotes", table))
        (root / f"{table}.parquet").rename(root / "moved")
        if name.endswith("/") or kind == "directory":
            (root / name).mkdir()
            (root / "moved").rename(root / name / "part-0.parquet")
        else:
            (root / "moved").rename(root / name)
        report = rustcase.validate(root, engine="arrow")
        message = "cannot read: not a regular file (a directory); rustcase reads only regular files"
        message = message if kind == "quotes.parquet/" else validation.UNREAD_TABLE
        assert [str(p) for p in report.problems] == [f"{root / name.rstrip('/')}:-:-: {message}"]
        assert report.exit_code == 2


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("inside", [[], ["_SUCCESS"], [".part-0.parquet.crc"]], ids=["empty", "_SUCCESS", "hidden"])
def test_an_empty_table_directory_is_refused_not_taken_as_absent(
    tmp_path: Path, engine: str, inside: list[str]
) -> None:
    corpus.write(100, tmp_path / "corpus")
    for table in TABLES:  # each in turn
        root = tmp_path / table
        shutil.copytree(tmp_path / "corpus", root)
        (root / f"{table}.parquet").unlink()
        (root / table).mkdir()
        for name in inside:
            (root / table / name).write_bytes(b"")
        report = rustcase.validate(root, engine=engine)
        assert ([str(p) for p in report.problems], report.exit_code) == (
            [f"{root / table}:-:-: {engines.EMPTY_TABLE}"],
            2,
        )
    root = tmp_path / "quotes"  # and export and sql, once
    line = f"{root / 'quotes'}:-:-: {engines.EMPTY_TABLE}"
    for args in (
        ["export", "--corpus", str(root), "-o", str(root / "out")],
        ["sql", "--corpus", str(root), "SELECT 1"],
    ):
        result = CliRunner().invoke(cli.main, args)
        assert (result.exit_code, result.stderr) == (2, f"Error: {line}\n") and not (root / "out").exists()


@pytest.mark.parametrize("engine", ["arrow", "duckdb", "polars"])
def test_a_column_named_like_polars_row_index_is_unexpected_not_an_error(tmp_path: Path, engine: str) -> None:
    corpus.write(100, tmp_path / "corpus")
    for table in TABLES:
        root = tmp_path / table
        shutil.copytree(tmp_path / "corpus", root)
        data = pq.read_table(root / f"{table}.parquet")
        pq.write_table(
            data.append_column("__index", pa.array(["x"] * len(data), pa.string())), root / f"{table}.parquet"
        )
        report = rustcase.validate(root, engine=engine)
        line = f"{root / f'{table}.parquet'}:-:__index: unexpected column"
        assert ([str(p) for p in report.problems], report.exit_code) == ([line], 1)


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_an_engine_refuses_a_table_it_cannot_read_never_skips_it(tmp_path: Path, engine: str, fmt: str) -> None:
    corpus.write(100, tmp_path / "corpus")
    rustcase.export_tables(tmp_path / "other", fmt)
    for table in TABLES:  # in place of its Parquet, among the other tables: never passed unchecked
        shutil.copytree(tmp_path / "corpus", tmp_path / table)
        shutil.copy(tmp_path / "other" / f"{table}.{fmt}", tmp_path / table)
        (tmp_path / table / f"{table}.parquet").unlink()
        report = rustcase.validate(tmp_path / table, engine=engine)
        assert report.exit_code == 2
        assert [str(p) for p in report.problems] == [
            f"{tmp_path / table / f'{table}.{fmt}'}:-:-: {engines.NOT_PARQUET}"
        ]
    rustcase.export_tables(tmp_path / "csv", "csv", ["quotes"])  # nothing else
    report = rustcase.validate(tmp_path / "csv", engine=engine)
    assert report.exit_code == 2 and str(report.problems[0]).endswith(engines.NOT_PARQUET)


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("damage", ["truncated", "pages overwritten"])
def test_a_damaged_file_is_unusable_input_not_a_traceback(tmp_path: Path, engine: str, damage: str) -> None:
    corpus.write(700, tmp_path, files=2, chunk=10)
    path = next((tmp_path / "quotes").rglob("*.parquet"))
    content = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(content[: len(content) // 2])
    else:  # the footer still promises rows and columns
        path.write_bytes(content[:4] + bytes(len(content) // 2) + content[4 + len(content) // 2 :])
    result = CliRunner().invoke(cli.main, ["validate", "--engine", engine, str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "cannot read" in result.stdout and "Traceback" not in result.output


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("repeated", ["quote_id", "text"])
def test_a_repeated_column_name_is_unusable_input_not_a_traceback(tmp_path: Path, engine: str, repeated: str) -> None:
    rustcase.export_tables(tmp_path / "src", "parquet", ["quotes"])
    table = pq.read_table(tmp_path / "src" / "quotes.parquet")
    twice = table.append_column(repeated, table[repeated])
    (tmp_path / "corpus").mkdir()
    pq.write_table(twice, tmp_path / "corpus" / "quotes.parquet")
    result = CliRunner().invoke(cli.main, ["validate", "--engine", engine, str(tmp_path / "corpus")])
    assert result.exit_code == 2, result.output
    column = len(table.columns) + 1
    assert f"quotes.parquet:-:{repeated}: a second column of this name (column {column})" in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("java") is None and os.environ.get("CI") != "true",
    reason="needs a Java runtime (java on PATH) for Spark; .ci/run installs it, and in CI this test never skips",
)
@pytest.mark.parametrize("given", ["absolute", "relative"])
def test_spark_reports_the_same_lines_and_exactly_the_planted_errors(
    tmp_path: Path, given: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyspark_sql = pytest.importorskip("pyspark.sql")
    corpus.write(1000, tmp_path, plant=True, chunk=10)
    if given == "relative":  # Spark names files by absolute URI; the report keeps the path as given
        monkeypatch.chdir(tmp_path.parent)
        tmp_path = Path(tmp_path.name)
    expected = [f"{tmp_path}/{line}" for line in json.loads((tmp_path / "planted.json").read_text(encoding="utf-8"))]
    builder = pyspark_sql.SparkSession.builder.master("local[2]").config("spark.driver.host", "127.0.0.1")
    session = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate()
    try:
        report = rustcase.validate_spark(session, tmp_path)
    finally:
        session.stop()
    assert lines(report) == lines(rustcase.validate(tmp_path, engine="arrow"))
    assert sorted(lines(report)) == sorted(expected)


JAVA = pytest.mark.skipif(
    shutil.which("java") is None and os.environ.get("CI") != "true",
    reason="needs a Java runtime (java on PATH) for Spark; .ci/run installs it, and in CI this test never skips",
)


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local SparkSession for the URI tests (after the test above, which stops its own)."""
    pyspark_sql = pytest.importorskip("pyspark.sql")
    builder = pyspark_sql.SparkSession.builder.master("local[2]").config("spark.driver.host", "127.0.0.1")
    session = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate()
    yield session
    session.stop()


@pytest.mark.slow
@JAVA
@pytest.mark.parametrize(("layout", "tail"), [("files", 64), ("hive", HadoopFiles.TAIL)])
def test_spark_reads_a_uri_as_it_reads_the_local_path(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str, tail: int
) -> None:
    """Listed and footers read through Hadoop (a tail too short for the footer takes a second read); the
    lines name the files below the URI as given, and are the local path's lines otherwise."""
    monkeypatch.setattr(HadoopFiles, "TAIL", tail)
    path = tmp_path / "corpus 100%"  # Spark reports file:/...corpus%20100%25/...
    corpus.write(1000, path, plant=True, chunk=10, **LAYOUTS[layout])
    uri = f"file://{path}"
    report = rustcase.validate_spark(spark, uri)
    planted = json.loads((path / "planted.json").read_text(encoding="utf-8"))
    assert sorted(lines(report)) == sorted(f"{uri}/{line}" for line in planted)
    local = rustcase.validate(path, engine="duckdb")
    assert lines(report) == [line.replace(str(path), uri, 1) for line in lines(local)]
    assert (report.exit_code, report.rows, len(report.files)) == (1, local.rows, len(local.files))
    if layout == "files":
        result = CliRunner().invoke(cli.main, ["validate", "--engine", "spark", uri])
        assert (result.exit_code, result.stdout) == (1, "".join(f"{line}\n" for line in lines(report)))


@pytest.mark.slow
@JAVA
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing", "no such file or directory"),
        (
            "nosuch://host/corpus",
            "cannot read: no file system for nosuch:// in the SparkSession's Hadoop configuration",
        ),
        ("notes.txt", "not a rustcase table file (expected <table>.parquet)"),
        ("damaged/quotes.parquet", "cannot read: Parquet magic bytes not found in footer."),
        ("damaged", "cannot read: Parquet magic bytes not found in footer."),
        ("big/quotes.parquet", "cannot read: a Parquet footer of "),
        ("fifo", "cannot read: Parquet file size is 0 bytes"),
    ],
    ids=["missing", "unknown scheme", "not a table", "not Parquet", "not Parquet in a directory", "big footer", "FIFO"],
)
def test_an_unreadable_uri_is_one_line_not_a_traceback(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, message: str
) -> None:
    monkeypatch.setattr(HadoopFiles, "TAIL", 64)  # every footer takes a second read
    monkeypatch.setattr(HadoopFiles, "FOOTER", 1000)  # which the shipped quotes' footer (7 KB) would exceed
    rustcase.export_tables(tmp_path / "big", "parquet", ["quotes"])
    (tmp_path / "notes.txt").write_text("not a table\n", encoding="utf-8")
    (tmp_path / "damaged").mkdir()
    (tmp_path / "damaged" / "quotes.parquet").write_bytes(b"PAR1 not Parquet after all")
    (tmp_path / "fifo" / "quotes").mkdir(parents=True)
    os.mkfifo(tmp_path / "fifo" / "quotes" / "part-0.parquet")  # never opened: it would block
    uri = name if "://" in name else f"file://{tmp_path}/{name}"
    where = {"damaged": f"{uri}/quotes.parquet", "fifo": f"{uri}/quotes/part-0.parquet"}.get(name, uri)
    for engine in ("spark", "auto"):  # auto takes Spark for a URI
        result = CliRunner().invoke(cli.main, ["validate", "--engine", engine, uri])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert result.stdout.startswith(f"{where}:-:-: {message}") and result.stdout.count("\n") == 1


@pytest.mark.parametrize("engine", ["arrow", "duckdb", "polars"])
def test_only_spark_reads_a_uri(engine: str) -> None:
    result = CliRunner().invoke(cli.main, ["validate", "--engine", engine, "s3a://bucket/corpus"])
    line = f"s3a://bucket/corpus:-:-: only --engine spark reads a s3a:// URI; --engine {engine} reads local paths\n"
    assert (result.exit_code, result.stdout) == (2, line)


@pytest.mark.parametrize("where", ["path", "uri"])
def test_spark_without_pyspark_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    corpus.write(100, tmp_path)
    for module in [m for m in sys.modules if m.partition(".")[0] == "pyspark"] + ["pyspark"]:
        monkeypatch.setitem(sys.modules, module, None)  # as if never installed, even after a Spark test
    path = str(tmp_path) if where == "path" else f"file://{tmp_path}"
    result = CliRunner().invoke(cli.main, ["validate", "--engine", "spark", path])
    assert result.exit_code == 1 and "pip install 'rustcase[spark]'" in result.stderr, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid corpus of 300 quotes, one file per table, to damage one value at a time."""
    out = tmp_path_factory.mktemp("small")
    corpus.write(300, out, chunk=5)
    return out


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_values_in_key_and_reference_columns_get_the_arrow_validators_lines(small: Path, data: Any) -> None:
    """What the engines skip (a reference column's pattern for values that are keys) and how they read
    patterns (any decimal digit) can change no line: keys and references of every table take generated
    values (keys of other tables, keys that fail their own pattern, digits of other scripts, empty text)."""
    root = Path(tempfile.mkdtemp(dir=small.parent))
    shutil.copytree(small, root, dirs_exist_ok=True)
    keys = [k for t in TABLES for k in pq.read_table(small / f"{t}.parquet")[checks.table_checks(t).key].to_pylist()]
    value = st.one_of(
        st.sampled_from(keys),
        st.sampled_from(keys).map(str.upper),
        st.sampled_from(keys).map(lambda k: k.replace("0", "\u0660").replace("1", "\u00b9")),
        st.text(st.sampled_from("perorgquoart-_019\u0660"), max_size=12),
    )
    columns = [
        (t, c.name)
        for t in TABLES
        for c in checks.table_checks(t).columns
        if c.targets or c.name == checks.table_checks(t).key
    ]
    for table, column in data.draw(st.lists(st.sampled_from(columns), min_size=1, max_size=4)):
        rows = pq.read_metadata(root / f"{table}.parquet").num_rows
        if rows:
            _set(root / f"{table}.parquet", column, data.draw(st.integers(1, rows)), data.draw(value))
    expected = lines(rustcase.validate(root, engine="arrow"))
    for engine in ("duckdb", "polars"):
        assert lines(rustcase.validate(root, engine=engine)) == expected
    shutil.rmtree(root)


ODD_VALUES = {  # (table, column, row from 0, the value put there: a function of the row's values)
    "end before start": ("quotes", "end", 3, lambda r: r["start"] - 1),
    "start at -2^63": ("quotes", "start", 3, lambda r: -(2**63)),
    "end at 2^63 - 1": ("quotes", "end", 3, lambda r: 2**63 - 1),
    "end beyond 2^31": ("mentions", "end", 3, lambda r: 2**31 + 7),
    "an empty span": ("mentions", "end", 3, lambda r: r["start"]),
    "a long text not the article's": ("quotes", "text", 3, lambda r: "é" * 100_000),
    "a long ID named by no record": ("quotes", "speaker_id", 3, lambda r: "per-" + "x" * 500),
    "a long duplicate ID": ("people", "person_id", 4, lambda r: "per-" + "y" * 500),
    "a long value of no enumeration": ("quotes", "kind", 3, lambda r: "k" * 500),
    "two null keys": ("quotes", "quote_id", 5, lambda r: None),
    "an emoji in the text": ("quotes", "text", 3, lambda r: "🎉" + r["text"][1:]),
    "a nested ID of no pattern": ("quotes", "co_speaker_ids", 4, lambda r: ["per-zzz", "Baldwin"]),
    "a nested empty ID": ("quotes", "co_speaker_ids", 4, lambda r: [""]),
}


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("case", list(ODD_VALUES))
def test_odd_values_get_the_arrow_validators_lines(small: Path, tmp_path: Path, engine: str, case: str) -> None:
    """Offsets at and beyond every bound, long and non-BMP texts, null keys, nested values: each engine
    prints exactly the Arrow validator's lines, and never a traceback."""
    table, column, row, value = ODD_VALUES[case]
    shutil.copytree(small, tmp_path / "c")
    path = tmp_path / "c" / f"{table}.parquet"
    data = pq.read_table(path)
    _set(path, column, row + 1, value(data.slice(row, 1).to_pylist()[0]))
    if case == "two null keys":
        _set(path, column, row - 1, None)
    arrow = rustcase.validate(tmp_path / "c", engine="arrow")
    assert arrow.exit_code == 1
    report = rustcase.validate(tmp_path / "c", engine=engine)
    assert (report.exit_code, lines(report)) == (1, lines(arrow))


MIXED_FILES = {  # the second file of a table directory, changed: (the change, the line it must give, or None)
    "a column missing": (lambda t: t.drop_columns(["note"]), "note: missing column"),
    "an extra column": (lambda t: t.append_column("zzz", pa.array([1] * t.num_rows)), "zzz: unexpected column"),
    "text as integers": (
        lambda t: t.set_column(t.schema.get_field_index("start"), "start", t["start"].cast(pa.string())),
        "start: column type string cannot hold int64",
    ),
    "32-bit integers": (
        lambda t: t.set_column(t.schema.get_field_index("start"), "start", t["start"].cast(pa.int32())),
        None,
    ),
    "large strings": (
        lambda t: t.set_column(t.schema.get_field_index("text"), "text", t["text"].cast(pa.large_string())),
        None,
    ),
    "the columns in another order": (lambda t: t.select(list(reversed(t.column_names))), None),
}


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("case", list(MIXED_FILES))
def test_every_file_of_a_table_directory_has_its_columns_checked(tmp_path: Path, engine: str, case: str) -> None:
    """Not only the first file's: a later file's missing, extra or mistyped column is one line naming it, exit
    2 (as export --corpus says), never passed as valid nor an engine's error; integer widths and string types
    may differ from file to file."""
    corpus.write(300, tmp_path, files=2, chunk=5)
    change, message = MIXED_FILES[case]
    second = tmp_path / "quotes" / "part-00001.parquet"
    pq.write_table(change(pq.read_table(second)), second)
    report = rustcase.validate(tmp_path, engine=engine)
    if message is None:
        assert (report.exit_code, lines(report)) == (0, [])
    else:
        assert (report.exit_code, lines(report)) == (2, [f"{second}:-:{message}"])


@pytest.mark.parametrize("engine", ["duckdb", "polars"])
@pytest.mark.parametrize("name", ["000000_0", "part-00002.PARQUET", "part-00002.parquet.bak", "notes.txt"])
def test_every_visible_file_in_a_table_directory_is_read_never_skipped(tmp_path: Path, engine: str, name: str) -> None:
    """As Spark, Hive and pyarrow read a table directory: every visible file is a file of the table, whatever
    its name (Hive writes ``000000_0``); one that is not Parquet is one line naming it, exit 2."""
    corpus.write(300, tmp_path, files=2, chunk=5)
    shutil.copy(tmp_path / "quotes" / "part-00000.parquet", tmp_path / "quotes" / name)
    report = rustcase.validate(tmp_path, engine=engine)
    assert str(tmp_path / "quotes" / name) in report.files
    assert any("duplicate quote_id" in line and str(tmp_path / "quotes" / name) in line for line in lines(report))
    (tmp_path / "quotes" / name).write_text("not Parquet\n", encoding="utf-8")
    report = rustcase.validate(tmp_path, engine=engine)
    assert report.exit_code == 2 and lines(report)[0].startswith(f"{tmp_path / 'quotes' / name}:-:-: cannot read")


@pytest.mark.slow
@JAVA
def test_spark_reads_hive_directories_as_storage_only(spark: Any, tmp_path: Path) -> None:
    """As above, for Spark, whose partition discovery put a directory's key in place of the files' column."""
    for places in HIVE_PLACES:
        first = _hive_layout(tmp_path / places[0].replace("/", "_"), places)
        report = rustcase.validate_spark(spark, tmp_path / places[0].replace("/", "_"))
        assert lines(report) == [f"{first}:1:kind: 'verbatim' is not one of direct, partial, nested, indirect, mixed"]
