"""tools/reliability_table.py: the table in docs/reliability.md is made from a complete run's counts, and a
stale table is found; a partial run's counts are never written."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import reliability_table as tool

CASES = {"validate: a FIFO → refused, exit 2": 40, "load(version=1) → UnknownVersionError": 3}


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "reliability.md"
    path.write_text(f"# Doc\n\nbefore\n\n{tool.BEGIN}\nold\n{tool.END}\n\nafter\n", encoding="utf-8")
    return path


def test_the_table_has_a_row_per_class_and_a_total() -> None:
    assert tool.render(CASES).splitlines()[2:] == [
        "| load(version=1) | UnknownVersionError | 3 |",
        "| validate: a FIFO | refused, exit 2 | 40 |",
        "| **total** (2 classes) | every case held | **43** |",
    ]


def test_a_stale_table_is_found_and_rewritten_in_place(doc: Path) -> None:
    assert tool.stale(CASES, doc) is not None
    tool.write(CASES, doc)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Doc\n\nbefore\n\n") and text.endswith("\n\nafter\n")
    assert tool.stale(CASES, doc) is None
    assert tool.stale({**CASES, "validate: a FIFO → refused, exit 2": 41}, doc) is not None


def test_a_partial_run_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, doc: Path) -> None:
    counts = tmp_path / "reliability.json"
    counts.write_text(json.dumps({"complete": False, "cases": CASES}), encoding="utf-8")
    monkeypatch.setattr(tool, "DOC", doc)
    before = doc.read_text(encoding="utf-8")
    assert tool.main(["--counts", str(counts)]) == 1
    assert doc.read_text(encoding="utf-8") == before
    counts.write_text(json.dumps({"complete": True, "cases": CASES}), encoding="utf-8")
    assert tool.main(["--counts", str(counts), "--check"]) == 1
    assert tool.main(["--counts", str(counts)]) == 0
    assert tool.main(["--counts", str(counts), "--check"]) == 0
