"""`rustcase tables`, `show ID` and `schema --format text`: every answer equals the library's records."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import rustcase
from rustcase.cli import main
from rustcase.metadata import tables
from rustcase.models import TABLES

from .conftest import Reliability

runner = CliRunner()


def _ids(version: str) -> list[tuple[str, str, str]]:
    ds = rustcase.load(version=version)
    return [(version, name, rid) for name in TABLES for rid in getattr(ds, name)]


EVERY_ID = [case for version in rustcase.available() for case in _ids(version)]


def test_tables_lists_every_table_with_its_rows_and_what_a_row_is() -> None:
    result = runner.invoke(main, ["tables", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.output)["tables"]
    ds = rustcase.load()
    assert list(listed) == list(TABLES)
    for name, spec in TABLES.items():
        assert listed[name] == {"rows": len(getattr(ds, name)), "row": (spec.model.__doc__ or "").strip()}
    text = runner.invoke(main, ["tables"]).output.splitlines()
    assert [line.split()[:2] for line in text] == [[t, str(e["rows"])] for t, e in listed.items()]


@pytest.mark.slow
def test_show_answers_for_every_id_of_every_version(reliability: Reliability) -> None:
    for version, table, rid in EVERY_ID:
        ds = rustcase.load(version=version)
        result = runner.invoke(main, ["show", rid, "--json", "--data-version", version])
        assert result.exit_code == 0, (rid, result.output)
        answer = json.loads(result.output)
        assert answer["table"] == table
        assert answer["record"] == getattr(ds, table)[rid].model_dump(mode="json")
        text = runner.invoke(main, ["show", rid, "--data-version", version])
        assert text.exit_code == 0 and text.output.startswith(f"{table} {rid}\n")
    reliability.add("show: every ID of every version", 2 * len(EVERY_ID))


def test_show_a_quote_links_speaker_article_parent_and_other_wordings(ds: rustcase.Dataset) -> None:
    quote = next(q for q in ds.quotes.values() if q.parent_quote_id and q.utterance_id)
    links = json.loads(runner.invoke(main, ["show", quote.quote_id, "--json"]).output)["links"]
    assert links["speaker"] == {"id": quote.speaker_id, "name": ds.speaker(quote).name}
    assert links["article"]["id"] == quote.article_id
    assert links["cue"] == quote.cue
    assert links["parent"]["id"] == quote.parent_quote_id
    assert [w["id"] for w in links["other_wordings"]] == [
        q.quote_id for q in ds.variants(quote.utterance_id or "") if q.article_id != quote.article_id
    ]


def test_show_a_person_counts_quotes_and_mentions_per_article(ds: rustcase.Dataset) -> None:
    links = json.loads(runner.invoke(main, ["show", "per-alec-baldwin", "--json"]).output)["links"]
    for article, counts in links["per_article"].items():
        assert counts["quotes"] == len([q for q in ds.quotes_by("per-alec-baldwin") if q.article_id == article])
        assert counts["mentions"] == len([m for m in ds.mentions_of("per-alec-baldwin") if m.article_id == article])
    assert {r["role"] for r in links["roles"]} == set(ds.people["per-alec-baldwin"].roles)


def test_show_an_event_has_its_date_basis_and_reports(ds: rustcase.Dataset) -> None:
    event = next(iter(ds.events.values()))
    links = json.loads(runner.invoke(main, ["show", event.event_id, "--json"]).output)["links"]
    assert links["date"] == {"date": event.date, "precision": event.date_precision, "basis": event.date_basis}
    assert [r["text"] for r in links["reports"]] == [r.text for r in event.reports]


ALL = [rid for _, _, rid in EVERY_ID]


@settings(max_examples=150)
@given(rid=st.one_of(st.sampled_from(ALL).map(lambda i: i[:-1] + "x"), st.text(max_size=30)))
def test_show_an_unknown_id_is_one_line_and_exit_1(rid: str, reliability: Reliability) -> None:
    if rid in ALL or rid.startswith("-"):
        return
    result = runner.invoke(main, ["show", rid])
    assert result.exit_code == 1 and result.exception is not None and isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: no record has the ID ") and len(result.output.splitlines()) == 1
    reliability.add("show: unknown IDs, one line", 1)


@pytest.mark.parametrize("table", list(TABLES))
def test_schema_text_lists_every_column_with_type_required_and_description(table: str) -> None:
    result = runner.invoke(main, ["schema", table, "--format", "text"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for field in tables()[table]["fields"]:
        line = next(x for x in lines if x.split()[:1] == [field["name"]])
        assert field["description"] in line
        assert ("  yes  " in line) == field["required"]
    for name in TABLES[table].model.model_fields:
        assert any(x.startswith(name + " ") for x in lines), name


def test_show_a_huge_unknown_id_is_one_short_line() -> None:
    result = runner.invoke(main, ["show", "per-" + "x" * 100_000])
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1 and len(result.output) < 200
    assert result.output.startswith("Error: no record has the ID 'per-xxx") and "100,004 characters" in result.output
