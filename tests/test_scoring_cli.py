"""`rustcase score`: the library's answer as a table or JSON, bad prediction files as file:row:field lines and
exit 2 (never a traceback), the published prediction schemas, the baseline, and the generated results table."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import rustcase
from rustcase.cli import main
from rustcase.scoring import data

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from benchmark_results import DOC, document, results
from prediction_schemas import prediction_schemas

TASKS = ("quotes", "stance", "dates")
PROBLEM = re.compile(r"^[^\n]+:(\d+|-):[^:\n]+: [^\n]+$")


def write(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gold(ds: rustcase.Dataset) -> dict[str, list[dict[str, Any]]]:
    return {task: data.gold_predictions(ds, task) for task in TASKS}


def prf_objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if {"precision", "recall", "f1"} & set(value):
            return [value]
        return [found for sub in value.values() for found in prf_objects(sub)]
    return []


@pytest.mark.parametrize("fold", [None, "2"])
@pytest.mark.parametrize("task", TASKS)
def test_json_is_the_library_report(
    task: str, fold: str | None, gold: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    path = write(tmp_path / "pred.jsonl", gold[task][::2])
    args = ["score", task, str(path), "--json", *(["--fold", fold] if fold else [])]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == rustcase.score(task, path, fold=int(fold) if fold else None).to_dict()
    assert all(set(obj) == {"precision", "recall", "f1"} for obj in prf_objects(report["metrics"]))


def test_the_table_shows_the_scores_and_what_they_were_measured_against(
    ds: rustcase.Dataset, gold: dict[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    path = write(tmp_path / "pred.jsonl", gold["quotes"])
    result = CliRunner().invoke(main, ["score", "quotes", str(path), "--data-version", ds.version])
    assert result.exit_code == 0
    assert f"data version {ds.version} ({ds.fingerprint})" in result.output
    assert re.search(r"^spans\.strict +1\.000 +1\.000 +1\.000$", result.output, flags=re.MULTILINE)
    assert result.output == rustcase.score("quotes", path).table()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["score", "quotes", "missing.jsonl"], 2, "missing.jsonl:-:-: cannot read: No such file or directory"),
        (["score", "quotes", "."], 2, ".:-:-: not a regular file"),
        (["score", "quotes", "pred.jsonl", "--fold", "7"], 2, "fold must be a number from 1 to 5, got 7"),
        (["score", "quotes", "pred.jsonl", "--fold", "x"], 2, "'x' is not a valid integer"),
        (["score", "quote", "pred.jsonl"], 2, "Invalid value for '{quotes|stance|dates}'"),
        (["score", "quotes", "pred.jsonl", "--data-version", "9"], 1, "unknown data version '9'"),
    ],
)
def test_bad_arguments_get_one_clear_line(
    args: list[str], code: int, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "pred.jsonl", [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code and message in result.output, result.output
    assert "Traceback" not in result.output


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_bytes(b'{"article_id": "art-000", "start": 1, "end": 4}\n\xff\xfe\n'),
            ":2:-: not UTF-8 text",
        ),
        (lambda p: p.write_text("[" * 100_000 + "\n", encoding="utf-8"), ":1:-: not a JSON value"),
        (lambda p: p.write_text("{}\n", encoding="utf-8"), ":1:article_id: Field required"),
        (lambda p: p.write_text('"row"\n', encoding="utf-8"), ":1:-: expected a JSON object, got a string"),
        (lambda p: p.write_text('{"article_id": "art-000", "start": 1e400, "end": 4}\n'), ":1:start: Input should be"),
        (_fifo, ":-:-: not a regular file"),
    ],
)
def test_hostile_files_get_one_line_each(make: Any, message: str, tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    make(path)
    result = CliRunner().invoke(main, ["score", "quotes", str(path)])
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
FIELDS = ["article_id", "start", "end", "speaker_id", "speaker", "kind", "cue_start", "cue_end", "cluster"]


@st.composite
def bad_lines(draw: st.DrawFn, good: list[dict[str, Any]]) -> tuple[list[str], int]:
    """Good rows with one row broken: a field given any JSON value, a field dropped, or a line of non-JSON."""
    rows = [json.dumps(r) for r in draw(st.lists(st.sampled_from(good), min_size=1, max_size=5))]
    at = draw(st.integers(0, len(rows)))
    how = draw(st.sampled_from(["value", "drop", "text", "not an object"]))
    row = dict(draw(st.sampled_from(good)))
    if how == "value":
        row[draw(st.sampled_from([*FIELDS, "extra"]))] = draw(JSON_VALUES)
        line = json.dumps(row)
    elif how == "drop":
        line = json.dumps({k: v for k, v in row.items() if k != draw(st.sampled_from(["article_id", "start", "end"]))})
    elif how == "text":
        line = draw(st.text(min_size=1, max_size=20).filter(lambda t: "\n" not in t and t.strip()))
    else:
        line = json.dumps(draw(JSON_VALUES.filter(lambda v: not isinstance(v, dict))))
    return [*rows[:at], line, *rows[at:]], at + 1


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.data())
def test_a_bad_row_is_named_and_exits_2_never_a_traceback(
    case: st.DataObject, gold: dict[str, list[dict[str, Any]]], tmp_path: Path, reliability: Any
) -> None:
    lines, row = case.draw(bad_lines(gold["quotes"][:20]))
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "quotes", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 0:  # the broken value happened to be valid (e.g. a cluster string, a null speaker)
        return
    assert result.exit_code == 2 and result.stdout == ""
    problems = result.stderr.splitlines()[:-1]
    assert problems and all(PROBLEM.match(p) and p.startswith(f"{path}:") for p in problems), result.stderr
    assert any(p.startswith(f"{path}:{row}:") for p in problems), (row, result.stderr)
    reliability.add("score: bad prediction rows", 1)


@pytest.mark.parametrize(("path", "text"), list(prediction_schemas().items()), ids=lambda p: getattr(p, "name", ""))
def test_the_prediction_schemas_are_current(path: Path, text: str) -> None:
    assert path.read_text(encoding="utf-8") == text, "stale: run python tools/prediction_schemas.py"


@pytest.mark.parametrize("task", TASKS)
def test_the_schemas_accept_the_gold_and_reject_what_the_scorer_rejects(
    task: str, gold: dict[str, list[dict[str, Any]]]
) -> None:
    schema = json.loads((ROOT / "schema" / "predictions" / f"{task}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for row in gold[task]:
        validator.validate({k: v for k, v in row.items() if v is not None or task == "dates"})
    broken = {**gold[task][0], "unknown_field": 1}
    assert not validator.is_valid(broken)
    with pytest.raises(rustcase.scoring.PredictionsError):
        rustcase.score(task, [broken])


@pytest.mark.parametrize("task", TASKS)
def test_the_baseline_writes_predictions_that_score(task: str, tmp_path: Path) -> None:
    out = tmp_path / f"{task}.jsonl"
    subprocess.run([sys.executable, str(ROOT / "examples" / "baseline.py"), task, str(out)], check=True, timeout=300)
    report = rustcase.score(task, out)
    metrics = report.to_dict()["metrics"]
    headline = metrics["spans"]["strict"]["f1"] if task == "quotes" else metrics["accuracy"]
    assert 0.0 < headline < 1.0
    assert report.rows == len(out.read_text(encoding="utf-8").splitlines())


def test_the_results_table_in_the_docs_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text == document(text, results()), "docs/benchmark.md is stale: run python tools/benchmark_results.py"
