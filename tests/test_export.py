"""Exports: every format gives back equal records, nothing is overwritten unasked, failures leave nothing behind."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import rustcase
from rustcase import formats
from rustcase.models import TABLES


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_export_then_read_back_gives_equal_records(fmt: str, tmp_path: Path) -> None:
    written = rustcase.export_tables(tmp_path, fmt)
    assert [p.name for p in written] == [f"{t}.{fmt}" for t in TABLES]
    metadata = ["croissant.json", "datapackage.json", "manifest.json", "schema"]
    assert sorted(os.listdir(tmp_path)) == sorted([p.name for p in written] + metadata), "no temporary files left"
    assert sorted(os.listdir(tmp_path / "schema")) == [f"{t}.schema.json" for t in sorted(TABLES)]
    for table, path in zip(TABLES, written, strict=True):
        model = TABLES[table].model
        assert [model.model_validate(row) for row in formats.read(path, table)] == list(rustcase.load_table(table))


def test_parquet_export_is_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    rustcase.export_tables(tmp_path, "parquet", ["quotes"])
    assert (tmp_path / "quotes.parquet").read_bytes() == rustcase.paths()["quotes"].read_bytes()


def test_export_does_not_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "quotes.csv").write_text("mine")
    with pytest.raises(rustcase.ExportError, match=r"would overwrite .*quotes\.csv"):
        rustcase.export_tables(tmp_path, "csv", ["people", "quotes"])
    assert (tmp_path / "quotes.csv").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["quotes.csv"], "nothing else was written"
    rustcase.export_tables(tmp_path, "csv", ["quotes"], force=True)
    assert (tmp_path / "quotes.csv").read_text() != "mine"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("csv", ["quote"]), rustcase.UnknownTableError),
        (("xlsx", []), rustcase.UnknownFormatError),
    ],
)
def test_bad_arguments_are_clear_errors(tmp_path: Path, args: tuple[str, list[str]], error: type[Exception]) -> None:
    with pytest.raises(error):
        rustcase.export_tables(tmp_path / "out", *args)
    assert not (tmp_path / "out").exists()


def test_unwritable_directory_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(rustcase.ExportError, match="cannot write to"):
        rustcase.export_tables(blocker / "out", "csv")


def test_a_failed_export_leaves_the_directory_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(table: str, fmt: str, sink: object, version: str | None = None, **options: object) -> None:
        if table == "quotes":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(sys.modules["rustcase.export"], "write_table", fail)
    with pytest.raises(rustcase.ExportError, match="No space left on device"):
        rustcase.export_tables(tmp_path, "jsonl")
    assert os.listdir(tmp_path) == []


# Text with everything that breaks naive CSV/JSON writers: quotes, commas, newlines, non-ASCII, NUL-free.
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40)
ids = st.from_regex(r"\Aquo-\d{3}-\d{3}\Z")


@st.composite
def quotes(draw: st.DrawFn) -> dict[str, object]:
    start = draw(st.integers(0, 10_000))
    cue = draw(st.none() | texts)
    return {
        "quote_id": draw(ids),
        "article_id": draw(st.from_regex(r"\Aart-\d{3}\Z")),
        "speaker_id": draw(st.sampled_from(["per-alec-baldwin", "org-abc-news"])),
        "co_speaker_ids": draw(st.lists(st.sampled_from(["per-adan-mendoza", "org-nbc-news"]), max_size=2)),
        "kind": draw(st.sampled_from(["direct", "partial", "nested", "indirect", "mixed"])),
        "start": start,
        "end": start + draw(st.integers(1, 500)),
        "text": draw(texts),
        "cue": cue,
        "cue_start": None if cue is None else 0,
        "cue_end": None if cue is None else len(cue),
        "addressee_id": draw(st.none() | st.just("per-george-stephanopoulos")),
        "medium": draw(st.sampled_from(["tv_interview", "unknown"])),
        "parent_quote_id": draw(st.none() | ids),
        "continues_quote_id": None,
        "utterance_id": draw(st.none() | st.from_regex(r"\Autt-\d{3}\Z")),
        "utterance_relation": draw(st.none() | st.sampled_from(["exact", "edited"])),
        "note": draw(st.none() | texts),
    }


@pytest.mark.parametrize("fmt", formats.FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(quotes(), max_size=8))
def test_any_quote_records_survive_a_round_trip(fmt: str, rows: list[dict[str, object]], tmp_path: Path) -> None:
    records = [rustcase.Quote.model_validate(r) for r in rows]
    table = pa.Table.from_pylist([r.model_dump() for r in records], schema=rustcase.arrow_schema("quotes"))
    path = tmp_path / f"quotes.{fmt}"
    sink = io.BytesIO()
    formats.write(table, fmt, sink)
    path.write_bytes(sink.getvalue())
    assert [rustcase.Quote.model_validate(r) for r in formats.read(path, "quotes")] == records


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@settings(max_examples=100, deadline=None)
@given(rows=st.lists(quotes(), min_size=1, max_size=12))
def test_the_arrow_json_writer_writes_the_bytes_json_dumps_writes(fmt: str, rows: list[dict[str, object]]) -> None:
    """Large tables get their JSON text from Arrow compute; it must equal the row-by-row json.dumps path."""
    table = pa.Table.from_pylist(
        [rustcase.Quote.model_validate(r).model_dump() for r in rows], schema=rustcase.arrow_schema("quotes")
    )
    by_row, by_column = io.BytesIO(), io.BytesIO()
    formats.write(table, fmt, by_row)
    original = formats.VECTOR_ROWS
    try:
        formats.VECTOR_ROWS = 0
        formats.write(table, fmt, by_column)
    finally:
        formats.VECTOR_ROWS = original
    assert by_column.getvalue() == by_row.getvalue()
