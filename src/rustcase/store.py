"""Reading the shipped tables: Parquet files inside the package, as Arrow tables or frozen records."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from rustcase import versions
from rustcase.errors import DataFileError, MissingExtraError
from rustcase.models import (
    TABLES,
    Article,
    Claim,
    Event,
    Mention,
    Organization,
    Person,
    Place,
    Quote,
    Record,
    Utterance,
    Work,
)
from rustcase.schema import arrow_schema, table_model

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

R = TypeVar("R", bound=Record)
R_co = TypeVar("R_co", bound=Record, covariant=True)


def paths(version: str | None = None) -> dict[str, Path]:
    """The shipped Parquet file of every table, for engines such as DuckDB, Spark or polars."""
    version = versions.resolve(version)
    files = versions.manifest(version)["tables"]
    return {table: versions.data_root() / version / files[table]["path"] for table in TABLES}


def read_table(table: str, version: str | None = None) -> pa.Table:
    """One table as a ``pyarrow.Table`` with the schema derived from its model (newest data by default)."""
    table_model(table)
    return _read_table(table, versions.resolve(version))


@functools.cache
def _read_table(table: str, version: str) -> pa.Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    content = versions.read_file(version, table)
    path = paths(version)[table]
    try:
        data = pq.ParquetFile(pa.BufferReader(content)).read()
    except (OSError, pa.ArrowException) as exc:
        raise DataFileError(f"{path}: cannot read the {table} table: {exc}") from exc
    if not data.schema.equals(schema, check_metadata=False):
        raise DataFileError(f"{path}: the columns do not match the {table} schema; expected {schema.names}")
    return data


@functools.cache
def _records(table: str, version: str) -> tuple[Record, ...]:
    from pydantic import TypeAdapter, ValidationError

    model = table_model(table)
    rows = _read_table(table, version).to_pylist()
    try:
        return TypeAdapter(tuple[model, ...]).validate_python(rows)  # type: ignore[valid-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        row, *field = err["loc"]
        raise DataFileError(
            f"{paths(version)[table]}: row {row}, field {'.'.join(map(str, field))}: {err['msg']}"
        ) from exc


def load_table(table: str, version: str | None = None) -> tuple[Record, ...]:
    """Every record of ``table`` as frozen models, in ID order (newest data by default)."""
    table_model(table)
    return _records(table, versions.resolve(version))


class Loader(Protocol[R_co]):
    """A typed loader of one table: ``load_quotes(version=None) -> tuple[Quote, ...]``."""

    def __call__(self, version: str | None = None) -> tuple[R_co, ...]: ...


def _loader(table: str, model: type[R]) -> Loader[R]:
    def load(version: str | None = None) -> tuple[R, ...]:
        records = load_table(table, version)
        assert all(isinstance(r, model) for r in records)
        return records  # type: ignore[return-value]

    load.__name__ = load.__qualname__ = f"load_{table}"
    load.__doc__ = f"Every record of the ``{table}`` table as frozen `{model.__name__}` models, in ID order."
    return load


load_articles = _loader("articles", Article)
load_people = _loader("people", Person)
load_organizations = _loader("organizations", Organization)
load_places = _loader("places", Place)
load_works = _loader("works", Work)
load_quotes = _loader("quotes", Quote)
load_utterances = _loader("utterances", Utterance)
load_events = _loader("events", Event)
load_claims = _loader("claims", Claim)
load_mentions = _loader("mentions", Mention)


def _optional(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module, extra) from None


def to_pandas(table: str, version: str | None = None) -> pd.DataFrame:
    """One table as a pandas DataFrame (needs ``rustcase[pandas]``)."""
    _optional("pandas", "pandas")
    frame: pd.DataFrame = read_table(table, version).to_pandas()
    return frame


def to_polars(table: str, version: str | None = None) -> pl.DataFrame:
    """One table as a polars DataFrame (needs ``rustcase[polars]``)."""
    polars = _optional("polars", "polars")
    frame: pl.DataFrame = polars.from_arrow(read_table(table, version))
    return frame
