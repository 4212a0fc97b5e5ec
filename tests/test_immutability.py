"""Records are immutable and pins hold: nothing a caller receives can change what a later caller gets, and a
fingerprint pin is checked against the records actually read, not only against what the files say."""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import json
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import BaseModel

import rustcase
from rustcase import dataset, store, versions
from rustcase.models import TABLES, Record
from rustcase.schema import arrow_schema, json_schema, sequence_item, unwrap_annotation
from rustcase.tables import TABLE_KEYS

from .conftest import ROOT, Reliability, clear_caches

SHIPPED = [(version, table) for version in versions.available() for table in TABLES]


def _values(obj: object) -> Iterator[object]:
    """Every value inside a record, nested records and their fields included."""
    yield obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _values(getattr(obj, name))
    elif isinstance(obj, tuple):
        for item in obj:
            yield from _values(item)


def _nested_models() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    todo: list[type[BaseModel]] = [spec.model for spec in TABLES.values()]
    while todo:
        model = todo.pop()
        found.add(model)
        for info in model.model_fields.values():
            tp, _ = unwrap_annotation(info.annotation)
            tp, _ = unwrap_annotation(sequence_item(tp) or tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in found:
                todo.append(tp)
    return found


@pytest.mark.parametrize("model", sorted(_nested_models(), key=lambda m: m.__name__), ids=lambda m: m.__name__)
def test_every_model_is_frozen_and_has_no_mutable_field_type(model: type[BaseModel]) -> None:
    assert model.model_config.get("frozen") is True
    for name, info in model.model_fields.items():
        tp, _ = unwrap_annotation(info.annotation)
        assert getattr(tp, "__origin__", tp) not in (list, dict, set), f"{model.__name__}.{name}: {tp}"


@pytest.mark.parametrize(("version", "table"), SHIPPED)
def test_every_value_of_every_record_is_immutable(version: str, table: str) -> None:
    """Immutable all the way down: every value is a str, int, bool, date, None, tuple or frozen record, so
    every record hashes (a list anywhere inside would make ``hash`` fail)."""
    immutable = (str, int, bool, datetime.date, type(None), tuple, Record)
    for record in rustcase.load_table(table, version):
        assert all(isinstance(value, immutable) for value in _values(record))
        hash(record)


def test_list_fields_keep_their_json_schema_arrow_type_and_derived_files(tmp_path: Path) -> None:
    """Tuples change nothing a file says: the JSON Schemas say ``array``, Arrow says ``list``, and the
    derived files (schemas.json, schema/*.json) are what the build writes (tests/test_build.py checks them
    all); the shipped Parquet files hold the same types."""
    for table in TABLES:
        committed = json.loads((ROOT / "schema" / f"{table}.schema.json").read_text(encoding="utf-8"))
        assert json_schema(table) == committed
        for info_name, info in TABLES[table].model.model_fields.items():
            if sequence_item(unwrap_annotation(info.annotation)[0]) is not None:
                assert committed["properties"][info_name]["type"] == "array"
                assert pa.types.is_list(arrow_schema(table).field(info_name).type)
        sink = io.BytesIO()  # through Parquet, as the shipped files went: list items come back as "element"
        pq.write_table(arrow_schema(table).empty_table(), sink)
        derived = pq.read_schema(io.BytesIO(sink.getvalue()))
        for version in versions.available():
            shipped = rustcase.read_table(table, version).schema
            assert shipped.equals(derived, check_metadata=False), (table, version)


def _attempts(record: Record) -> Iterator[tuple[str, Callable[[], object]]]:
    """Every way a caller might try to change a record it was handed (short of ``object.__setattr__``)."""
    names = list(type(record).model_fields)
    for name in names:
        value = getattr(record, name)
        yield f"set {name}", lambda name=name: setattr(record, name, None)
        yield f"delete {name}", lambda name=name: delattr(record, name)
        if isinstance(value, tuple):
            yield f"{name} += ...", lambda name=name: setattr(record, name, (*getattr(record, name), "x"))
            for method in ("append", "extend", "clear", "pop", "sort", "__setitem__"):
                yield f"{name}.{method}", lambda value=value, method=method: getattr(value, method)("x")
            for item in value:
                if isinstance(item, BaseModel):
                    first = next(iter(type(item).model_fields))
                    yield f"{name}[].{first}", lambda item=item, first=first: setattr(item, first, None)
    yield "add a field", lambda: setattr(record, "extra", 1)
    yield "model_fields_set", lambda: record.model_fields_set.clear()
    yield "model_fields_set add", lambda: record.model_fields_set.add("extra")


@pytest.mark.parametrize("table", list(TABLES))
@settings(max_examples=20)
@given(data=st.data())
def test_nothing_done_to_a_record_changes_what_a_later_caller_gets(
    table: str, data: st.DataObject, reliability: Reliability
) -> None:
    ds = rustcase.load()
    records = getattr(ds, table).records
    record = data.draw(st.sampled_from(records), label="record")
    before = (record.model_dump(mode="json"), set(record.model_fields_set))
    for label, attempt in _attempts(record):
        try:
            attempt()
        except (AttributeError, TypeError, ValueError, IndexError):
            pass
        assert (record.model_dump(mode="json"), record.model_fields_set) == before, label
    again = rustcase.load(fingerprint=ds.fingerprint)
    assert getattr(again, table)[getattr(record, TABLES[table].key)].model_dump(mode="json") == before[0]
    assert (
        versions.table_fingerprint(rustcase.load_table(table))
        == versions.manifest(ds.version)["tables"][table]["fingerprint"]
    )
    reliability.add("records immutable", 1)


def test_the_issue_case_aliases_append_is_refused_and_the_pin_returns_the_original() -> None:
    ds = rustcase.load()
    with pytest.raises(AttributeError):
        ds.people["per-alec-baldwin"].aliases.append("x")  # type: ignore[attr-defined]
    assert "x" not in rustcase.load(fingerprint=ds.fingerprint).people["per-alec-baldwin"].aliases


def _containers() -> Iterator[tuple[str, Callable[[], object]]]:
    ds = rustcase.load()
    table = ds.people
    yield "Table: set records", lambda: setattr(table, "records", ())
    yield "Table: set an attribute", lambda: setattr(table, "anything", 1)
    yield "Table: delete records", lambda: delattr(table, "records")
    yield "Table: add an ID", lambda: table.__setitem__("per-x", None)  # type: ignore[attr-defined]
    yield "Table: its index", lambda: table._by_id.__setitem__("per-x", None)  # type: ignore[attr-defined]
    yield "Table: delete an ID", lambda: table.__delitem__("per-alec-baldwin")  # type: ignore[attr-defined]
    yield "Dataset: replace a table", lambda: setattr(ds, "people", None)
    yield "Dataset: its fingerprint", lambda: setattr(ds, "fingerprint", "sha256:0")
    yield "rustcase.TABLES", lambda: rustcase.TABLES.__setitem__("people", None)  # type: ignore[attr-defined]
    yield "rustcase.TABLES: delete", lambda: rustcase.TABLES.__delitem__("people")  # type: ignore[attr-defined]
    yield "TABLE_KEYS", lambda: TABLE_KEYS.__setitem__("people", "x")  # type: ignore[index]


@pytest.mark.parametrize(("label", "attempt"), list(_containers()), ids=[label for label, _ in _containers()])
def test_tables_datasets_and_the_table_registry_are_read_only(label: str, attempt: Callable[[], object]) -> None:
    with pytest.raises((AttributeError, TypeError)):
        attempt()
    ds = rustcase.load()
    assert len(ds.people) == versions.manifest(ds.version)["tables"]["people"]["rows"]
    assert list(rustcase.TABLES) == list(TABLE_KEYS)
    assert TABLE_KEYS["people"] == "person_id"


_COPIES = [copy.copy, copy.deepcopy, lambda obj: pickle.loads(pickle.dumps(obj))]  # noqa: S301 (our own bytes)


@pytest.mark.parametrize("duplicate", _COPIES)
def test_read_only_tables_and_datasets_still_copy_and_pickle(duplicate: Callable[[Any], Any]) -> None:
    ds = rustcase.load()
    again = duplicate(ds)
    assert again.fingerprint == ds.fingerprint
    assert all(dict(getattr(again, table)) == dict(getattr(ds, table)) for table in TABLES)
    with pytest.raises(AttributeError):
        again.people.anything = 1


@pytest.mark.parametrize(("version", "table"), SHIPPED)
def test_a_cached_arrow_table_lies_in_read_only_memory(version: str, table: str) -> None:
    """Arrow's API never changes a table, but ``numpy.frombuffer`` writes into a mutable buffer: the
    shared tables are over immutable memory, and frames built from them are the caller's own."""
    import numpy as np

    data = rustcase.read_table(table, version)
    for column in data.columns:
        for chunk in column.chunks:
            for buffer in chunk.buffers():
                if buffer is not None and buffer.size:
                    assert not buffer.is_mutable
                    with pytest.raises(ValueError, match="read-only"):
                        np.frombuffer(buffer, dtype=np.uint8)[0] = 1
    frame = rustcase.to_pandas(table, version)
    for name in frame.columns:  # every column replaced, and scalar cells changed in place
        frame[name] = frame[name].iloc[[-1] * len(frame)].reset_index(drop=True)
        if not isinstance(frame[name].iloc[0], list | tuple | dict):
            frame.iat[0, frame.columns.get_loc(name)] = frame[name].iloc[-1]
    assert rustcase.read_table(table, version).equals(data)
    assert versions.rows_fingerprint(data.to_pylist()) == versions.manifest(version)["tables"][table]["fingerprint"]


# --- pins hold against consistently re-signed files ------------------------------------------------------


def _resign(data_root: Path, version: str, table: str, rows: list[dict[str, Any]], level: str) -> None:
    """Replace a table's rows and re-sign consistently: the file's size and SHA-256 in the manifest and the
    manifest's SHA-256 in the lock file; with ``level`` "tables" also the manifest's fingerprints; with
    "lock" the lock file's fingerprint too (a tamperer who rewrites everything the package holds)."""
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(table)), sink, compression="zstd")
    content = sink.getvalue()
    (data_root / version / f"{table}.parquet").write_bytes(content)
    manifest_path = data_root / version / "manifest.json"
    manifest = json.loads(manifest_path.read_bytes())
    manifest["tables"][table].update(bytes=len(content), sha256=hashlib.sha256(content).hexdigest(), rows=len(rows))
    if level in ("tables", "lock"):
        manifest["tables"][table]["fingerprint"] = versions.rows_fingerprint(rows)
        manifest["fingerprint"] = versions.dataset_fingerprint(
            {t: e["fingerprint"] for t, e in manifest["tables"].items()}
        )
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    manifest_path.write_bytes(manifest_bytes)
    lock = json.loads((data_root / versions.LOCK_FILE).read_bytes())
    lock["versions"][version]["manifest_sha256"] = hashlib.sha256(manifest_bytes).hexdigest()
    if level == "lock":
        lock["versions"][version]["fingerprint"] = manifest["fingerprint"]
    (data_root / versions.LOCK_FILE).write_bytes(versions.lock_document(lock["files"], lock["versions"]))
    clear_caches()


def _changed_rows(data: st.DataObject, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows that still fit the schema but differ: a text edited, a row dropped, or two rows swapped."""
    rows = [dict(row) for row in rows]
    kinds = ["edit a text", "drop a row"] + (["swap two rows"] if len(rows) > 1 else [])
    kind = data.draw(st.sampled_from(kinds), label="change")
    i = data.draw(st.integers(0, len(rows) - 1), label="row")
    if kind == "drop a row":
        del rows[i]
    elif kind == "swap two rows":
        j = data.draw(st.integers(0, len(rows) - 1).filter(lambda j: j != i), label="other row")
        rows[i], rows[j] = rows[j], rows[i]
    else:
        texts = sorted(name for name, value in rows[i].items() if isinstance(value, str))
        name = data.draw(st.sampled_from(texts), label="field")
        suffix = data.draw(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=4), label="added")
        rows[i][name] += suffix
    return rows


@pytest.mark.parametrize("table", list(TABLES))
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), level=st.sampled_from(["files", "tables"]))
def test_a_pin_holds_against_a_consistently_re_signed_file(
    data_root: Path, table: str, data: st.DataObject, level: str, reliability: Reliability
) -> None:
    """A changed table re-signed in the manifest and the lock (checksums; or checksums and the tables'
    fingerprints): every read of it fails, naming the file, and so does ``load(fingerprint=...)``."""
    version = data.draw(st.sampled_from(versions.available()), label="version")
    fingerprint = versions.lock()[version]["fingerprint"]
    originals = {p: p.read_bytes() for p in data_root.rglob("*") if p.is_file()}
    rows = _changed_rows(data, rustcase.read_table(table, version).to_pylist())
    try:
        _resign(data_root, version, table, rows, level)
        for read in (
            lambda: rustcase.load(version=version),
            lambda: rustcase.load(fingerprint=fingerprint),
            lambda: rustcase.read_table(table, version),
            lambda: rustcase.load_table(table, version),
        ):
            with pytest.raises(rustcase.DataFileError) as raised:
                read()
            assert f"{table}.parquet" in str(raised.value) or "manifest.json" in str(raised.value)
            clear_caches()
        assert rustcase.verify_version(version)
    finally:
        for path, content in originals.items():
            path.write_bytes(content)
        clear_caches()
    reliability.add("re-signed file fails the pin", 1)


def test_a_tamperer_who_rewrites_the_lock_too_is_caught_by_the_recorded_fingerprint(data_root: Path) -> None:
    """Nothing inside the package anchors the lock file: rewritten with everything else, the changed data
    loads, but under another fingerprint, so a study's recorded fingerprint no longer matches."""
    version = versions.latest()
    recorded = rustcase.load(version=version).fingerprint
    rows = rustcase.read_table("quotes", version).to_pylist()
    rows[0]["text"] += " (changed)"
    _resign(data_root, version, "quotes", rows, "lock")
    assert rustcase.load(version=version).fingerprint != recorded
    with pytest.raises(rustcase.UnknownVersionError, match="no data version has fingerprint"):
        rustcase.load(fingerprint=recorded)


def test_the_records_are_checked_too_not_only_the_arrow_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The records a caller gets are fingerprinted after validation: a model that reads the same rows
    differently (a later package, a changed coercion) fails the pin rather than hand out other records."""
    clear_caches()
    real = versions.table_fingerprint
    monkeypatch.setattr(versions, "table_fingerprint", lambda records: real(list(records)[1:]))
    try:
        with pytest.raises(rustcase.DataFileError, match=r"people\.parquet: the people records read"):
            dataset.load_table("people")
        assert store.read_table("people").num_rows  # the Arrow rows alone are as the manifest says
    finally:
        clear_caches()
