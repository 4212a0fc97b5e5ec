"""pandas and polars: Arrow-backed dtypes in every table (integers with nulls stay integers, one missing value)."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import rustcase
from rustcase.models import TABLES


@pytest.mark.parametrize("version", rustcase.available())
@pytest.mark.parametrize("table", list(TABLES))
def test_pandas_keeps_every_arrow_type_and_every_null(table: str, version: str) -> None:
    shipped = rustcase.read_table(table, version)
    frame = rustcase.to_pandas(table, version)
    assert list(frame.columns) == shipped.column_names and len(frame) == shipped.num_rows
    for field in shipped.schema:
        column = frame[field.name]
        assert isinstance(column.dtype, pd.ArrowDtype) and column.dtype.pyarrow_dtype == field.type, field.name
        assert int(column.isna().sum()) == shipped.column(field.name).null_count, field.name
        assert all(value is pd.NA for value in column[column.isna()]), field.name
    assert pa.Table.from_pandas(frame, preserve_index=False).to_pylist() == shipped.to_pylist()


def test_an_integer_column_with_nulls_stays_integer() -> None:
    frame = rustcase.to_pandas("quotes")
    assert frame["cue_start"].isna().any()
    assert pa.types.is_integer(frame["cue_start"].dtype.pyarrow_dtype)


@pytest.mark.parametrize("table", list(TABLES))
def test_polars_keeps_the_rows(table: str) -> None:
    frame = rustcase.to_polars(table)
    assert frame.to_arrow().to_pylist() == rustcase.read_table(table).to_pylist()
    assert all(
        not isinstance(t, pl.Float64)
        for t, f in zip(frame.dtypes, rustcase.arrow_schema(table), strict=True)
        if pa.types.is_integer(f.type)
    )


def test_an_arrow_table_is_accepted_as_it_is() -> None:
    result = rustcase.sql("SELECT kind, count(*) AS n FROM quotes GROUP BY ALL ORDER BY kind")
    assert rustcase.to_pandas(result)["n"].tolist() == result.column("n").to_pylist()
    assert rustcase.to_polars(result)["kind"].to_list() == result.column("kind").to_pylist()
    with pytest.raises(rustcase.RustcaseError, match="version"):
        rustcase.to_pandas(result, version="1.0.0")


@pytest.mark.parametrize("bad", ["quote", 3, None, ["quotes"]])
def test_anything_else_is_an_unknown_table(bad: object) -> None:
    for convert in (rustcase.to_pandas, rustcase.to_polars):
        with pytest.raises(rustcase.UnknownTableError):
            convert(bad)  # type: ignore[arg-type]


def test_dataset_frames_are_of_its_version(ds: rustcase.Dataset) -> None:
    for table in TABLES:
        assert ds.to_pandas(table).equals(rustcase.to_pandas(table, ds.version))
        assert ds.to_polars(table).equals(rustcase.to_polars(table, ds.version))
