"""The Python API: loaders, tables, navigation, optional extras and the import cost."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import pkgutil
import sys
from pathlib import Path

import pyarrow as pa
import pytest

import rustcase
from rustcase.models import TABLES


def test_version_is_the_installed_distribution_version() -> None:
    assert rustcase.__version__ == importlib.metadata.version("rustcase")


@pytest.mark.parametrize("table", list(TABLES))
def test_each_table_has_a_typed_loader(table: str) -> None:
    loader = getattr(rustcase, f"load_{table}")
    assert loader() == rustcase.load_table(table)
    assert isinstance(loader(), tuple)


@pytest.mark.parametrize("table", list(TABLES))
def test_read_table_has_the_model_schema_and_the_same_rows(table: str) -> None:
    data = rustcase.read_table(table)
    assert data.schema.equals(rustcase.arrow_schema(table))
    model = TABLES[table].model
    assert [model.model_validate(row) for row in data.to_pylist()] == list(rustcase.load_table(table))


def test_nested_fields_stay_native_in_arrow() -> None:
    schema = rustcase.arrow_schema("events")
    assert pa.types.is_list(schema.field("participants").type)
    assert pa.types.is_struct(schema.field("participants").type.value_type)
    assert schema.field("date").nullable and not schema.field("event_id").nullable
    assert schema.field("event_id").metadata[b"description"]


def test_unknown_table_is_a_clear_error() -> None:
    with pytest.raises(rustcase.UnknownTableError, match="unknown table 'quote'; the tables are: articles, people"):
        rustcase.read_table("quote")


def test_dataset_lookups_and_navigation(ds: rustcase.Dataset) -> None:
    baldwin = ds.people["per-alec-baldwin"]
    assert baldwin.name == "Alec Baldwin"
    quotes = ds.quotes_by("per-alec-baldwin")
    assert quotes and all(ds.speaker(q) == baldwin for q in quotes)
    assert {ds.article(q).article_id for q in quotes} == set(ds.articles)
    assert ds.entity("wrk-rust").name == "Rust"
    assert all(m.entity_id == "per-halyna-hutchins" for m in ds.mentions_of("per-halyna-hutchins"))
    assert len(ds.quotes) == len(rustcase.load_quotes())
    with pytest.raises(KeyError):
        ds.entity("per-nobody")


def test_pandas_and_polars_frames_have_every_row() -> None:
    assert len(rustcase.to_pandas("quotes")) == len(rustcase.load_quotes())
    frame = rustcase.to_polars("events")
    assert frame.columns == rustcase.read_table("events").column_names


def test_a_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(rustcase.MissingExtraError, match=r"pip install 'rustcase\[polars\]'"):
        rustcase.to_polars("quotes")


def test_duckdb_queries_the_shipped_parquet_files() -> None:
    import duckdb

    paths = rustcase.paths()
    assert set(paths) == set(TABLES) and all(p.is_file() for p in paths.values())
    sql = f"select speaker_id, count(*) from read_parquet('{paths['quotes']}') group by 1 order by 2 desc limit 1"
    [(speaker, count)] = duckdb.sql(sql).fetchall()
    assert speaker == "per-alec-baldwin"
    assert count == sum(q.speaker_id == "per-alec-baldwin" for q in rustcase.load_quotes())


def test_every_exported_name_is_the_object_not_a_same_named_module() -> None:
    for module in pkgutil.iter_modules(rustcase.__path__):
        importlib.import_module(f"rustcase.{module.name}")
    for name, module in rustcase._MODULE_OF.items():
        assert getattr(rustcase, name) is getattr(importlib.import_module(f"rustcase.{module}"), name), name


def test_type_checking_imports_match_the_lazy_exports() -> None:
    tree = ast.parse(Path(rustcase.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    imported = {
        alias.name: node.module.removeprefix("rustcase.")
        for node in ast.walk(block)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rustcase.")
        for alias in node.names
    }
    assert imported == rustcase._MODULE_OF
