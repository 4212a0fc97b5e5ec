"""Exports describe themselves: JSON Schemas, manifest, Frictionless and Croissant metadata that validators accept."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import rustcase
from rustcase import formats
from rustcase.cli import main
from rustcase.models import TABLES

from .conftest import ROOT


@pytest.fixture(scope="module", params=formats.FORMATS)
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"export-{request.param}")
    rustcase.export_tables(out, request.param)
    return out


@pytest.mark.parametrize("table", list(TABLES))
def test_published_schemas_are_valid_2020_12_schemas_and_current(table: str) -> None:
    schema = json.loads((ROOT / "schema" / f"{table}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == rustcase.json_schema(table)
    assert all(p.get("description") for p in schema["properties"].values())


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_every_exported_record_validates_against_its_schema(fmt: str, tmp_path: Path) -> None:
    rustcase.export_tables(tmp_path, fmt)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    for table, entry in manifest["tables"].items():
        schema = json.loads((tmp_path / "schema" / f"{table}.schema.json").read_text())
        validator = jsonschema.Draft202012Validator(schema)
        rows = formats.read(tmp_path / entry["path"], table)
        assert len(rows) == entry["rows"]
        for row in rows:
            validator.validate(row)


def test_an_export_verifies_and_its_fingerprint_is_the_data_versions(exported: Path) -> None:
    assert rustcase.verify_export(exported) == []
    manifest = json.loads((exported / "manifest.json").read_text())
    assert manifest["fingerprint"] == rustcase.load().fingerprint


def test_a_changed_export_file_is_detected(tmp_path: Path) -> None:
    rustcase.export_tables(tmp_path, "csv", ["quotes", "people"])
    path = tmp_path / "quotes.csv"
    path.write_bytes(path.read_bytes().replace(b"Baldwin", b"Baldwyn", 1))
    assert rustcase.verify_export(tmp_path) == [
        f"{path}: checksum does not match manifest.json; the file was changed or damaged"
    ]
    result = CliRunner().invoke(main, ["verify", str(tmp_path)])
    assert result.exit_code == 1 and "FAILED" in result.output


def test_frictionless_validates_the_export(exported: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    fmt = json.loads((exported / "manifest.json").read_text())["format"]
    if fmt == "parquet":
        pytest.skip("frictionless reads Parquet through pandas, which turns nulls into NaN (see docs/datasheet.md)")
    report = frictionless.Package(str(exported / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_croissant_metadata_validates_and_loads_the_records(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    mlcroissant = pytest.importorskip("mlcroissant")
    rustcase.export_tables(tmp_path, "csv")
    with caplog.at_level(logging.WARNING):
        dataset = mlcroissant.Dataset(str(tmp_path / "croissant.json"))
    assert "not standard" not in caplog.text
    assert dataset.metadata.version == rustcase.DATA_VERSION
    records = list(dataset.records("quotes"))
    assert [r["quotes/quote_id"].decode() for r in records] == [q.quote_id for q in rustcase.load_quotes()]


def test_datapackage_declares_keys_and_hashes(exported: Path) -> None:
    package = json.loads((exported / "datapackage.json").read_text())
    manifest = json.loads((exported / "manifest.json").read_text())
    assert package["version"] == rustcase.DATA_VERSION
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert {s["path"] for s in package["sources"]} == {a.source_url for a in rustcase.load_articles() if a.source_url}
    for resource in package["resources"]:
        assert resource["schema"]["primaryKey"] == [TABLES[resource["name"]].key]
        if "hash" in resource:
            assert resource["hash"] == "sha256:" + manifest["tables"][resource["name"]]["sha256"]


def test_citation_file_is_the_cite_commands_output() -> None:
    result = CliRunner().invoke(main, ["cite", "--format", "cff"])
    assert result.output == (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    bibtex = CliRunner().invoke(main, ["cite"]).output
    assert f"version = {{{rustcase.DATA_VERSION}}}" in bibtex and rustcase.load().fingerprint in bibtex


def test_cli_verify_and_diff() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["verify"]).output == "".join(f"{v}: ok\n" for v in rustcase.available())
    result = runner.invoke(main, ["diff", "1.0.0", "1", "--json"])
    assert json.loads(result.output) == rustcase.diff("1.0.0", "1").to_dict()
    assert "'9' is neither a data version (" in runner.invoke(main, ["diff", "1.0.0", "9"]).output
    assert runner.invoke(main, ["diff", "9", "1.0.0"]).output.startswith("Error: unknown data version '9'")


@pytest.mark.parametrize("version", rustcase.available())
def test_every_data_version_is_cited_with_the_year_it_was_built(version: str) -> None:
    from rustcase.metadata import BUILT, bibtex

    assert version in BUILT, f"add the day data version {version} was built to rustcase.metadata.BUILT"
    assert f"  year = {{{BUILT[version][:4]}}},\n" in bibtex(version)
