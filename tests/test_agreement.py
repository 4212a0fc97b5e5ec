"""`validate` agrees with the JSON Schemas and the models: a generated record of any table is accepted by
`validate` exactly when its JSON Schema (with formats checked) and ``Model.model_validate`` both accept it.

Records are the shipped ones with one change anywhere in them (a value of any JSON type or a near miss such as
``"722"``, ``"true"``, ``"[]"``, a key removed or added), written as JSON or JSON Lines. Only what a record
says on its own is compared: references, duplicates and spans need the other tables, which neither the JSON
Schema nor the model sees. Integers are generated within 64 bits: beyond, validate refuses what JSON Schema
and the model accept, because every rustcase integer is stored as a 64-bit integer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError

import rustcase
from rustcase.models import TABLES

from .conftest import Reliability

NEAR_MISSES = [
    "722", "-1", "5.0", "true", "false", "null", "[]", "{}", "", " ", "2021-12-03", "2021-02-30", "2021-12-03T00:00:00",
    "20211203", "1638489600", "art-001", "art-١٢٣", "art-001\n", "per-alec-baldwin", "per-Alec", "quo-000-001",
    "utt-001", "direct", "Direct", "name", "asserts", "x" * 61,
]  # fmt: skip
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**62), 2**62)
    | st.floats(-1e15, 1e15)
    | st.sampled_from(NEAR_MISSES)
    | st.text(max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=2),
    max_leaves=4,
)
AGREEMENT = (
    "validate on generated records of every table (JSON, JSON Lines)"
    " → accepts exactly what the JSON Schema and the model both accept"
)
CROSS_TABLE = ("names no record", "is not the article's", "outside the article", "duplicate ")


@pytest.fixture(scope="module")
def shipped() -> dict[str, list[dict[str, Any]]]:
    return {table: [r.model_dump(mode="json") for r in rustcase.load_table(table)] for table in TABLES}


def change(record: dict[str, Any], data: st.DataObject) -> None:
    """One change somewhere in the record: walk into a list or object, then set, remove or add a key."""
    node: Any = record
    while data.draw(st.booleans()):
        children = [k for k, v in (node.items() if isinstance(node, dict) else enumerate(node)) if v]
        children = [k for k in children if isinstance(node[k], dict | list)]
        if not children:
            break
        node = node[data.draw(st.sampled_from(children))]
    if isinstance(node, list):
        if node:
            node[data.draw(st.integers(0, len(node) - 1))] = data.draw(values)
        else:
            node.append(data.draw(values))
        return
    kind = data.draw(st.sampled_from(["set", "set", "set", "remove", "add"]))
    key = data.draw(st.sampled_from(sorted(node)))
    if kind == "set":
        node[key] = data.draw(values | st.sampled_from([v for v in node.values() if v is not node[key]] or [None]))
    elif kind == "remove":
        del node[key]
    else:
        node[data.draw(st.text(min_size=1, max_size=6).filter(lambda k: k not in node))] = data.draw(values)


@pytest.mark.slow
@pytest.mark.parametrize("table", list(TABLES))
@settings(max_examples=100, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_validate_agrees_with_the_json_schema_and_the_model(
    shipped: dict[str, list[dict[str, Any]]],
    tmp_path: Path,
    reliability: Reliability,
    table: str,
    data: st.DataObject,
) -> None:
    records = json.loads(json.dumps(shipped[table]))
    index = data.draw(st.integers(0, len(records) - 1))
    change(records[index], data)
    record = records[index]

    schema = Draft202012Validator(rustcase.json_schema(table), format_checker=Draft202012Validator.FORMAT_CHECKER)
    try:
        TABLES[table].model.model_validate(record)
        model_ok = True
    except ValidationError:
        model_ok = False
    expected = schema.is_valid(record) and model_ok

    fmt = data.draw(st.sampled_from(["json", "jsonl"]))
    path = tmp_path / f"{table}.{fmt}"
    if fmt == "json":
        path.write_text("[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n")
    else:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    report = rustcase.validate(path)
    own = [p for p in report.problems if p.row in (None, index + 1) and not any(s in p.message for s in CROSS_TABLE)]
    assert (not own) == expected, (record, own, expected, model_ok)
    reliability.add(AGREEMENT)
