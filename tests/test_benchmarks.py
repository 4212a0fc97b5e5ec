"""Performance is measured by benchmarks/run.py, not asserted here: the suite only keeps the benchmark
working (smallest sizes, one run) and checks which modules the fast paths import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def test_the_benchmark_runs_on_the_smallest_sizes(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    command = [sys.executable, "benchmarks/run.py", "--quick", "--write", str(report)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    measures = ("| import rustcase |", "| rustcase --help |", "| export csv |", "| rustcase.load() |", "| 2,000 |")
    for measure in (*measures, "| polars |", "| duckdb |"):
        assert measure in result.stdout
    assert report.read_text(encoding="utf-8").startswith("# Benchmarks\n\n<!-- figures -->\n")


def _modules_after(code: str) -> set[str]:
    watched = ("pyarrow", "pyarrow.compute", "pyarrow.dataset", "pydantic", "pandas", "polars", "click", "duckdb")
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {watched!r} if m in sys.modules))"
    return set(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split())


@pytest.mark.parametrize(
    ("code", "absent"),
    [
        ("import rustcase", {"pyarrow", "pydantic", "click", "pandas", "polars", "duckdb"}),
        ("from rustcase.cli import main", {"pyarrow", "pydantic", "pandas", "duckdb"}),
        ("import rustcase; rustcase.load()", {"pandas", "pyarrow.dataset", "polars", "duckdb"}),
        ("import rustcase; rustcase.load().search('gun')", {"pandas", "polars", "duckdb"}),
        (
            "import rustcase, tempfile; rustcase.export_tables(tempfile.mkdtemp(), 'csv')",
            {"pydantic", "pandas", "pyarrow.dataset", "pyarrow.compute"},
        ),
    ],
)
def test_fast_paths_import_only_what_they_need(code: str, absent: set[str]) -> None:
    assert _modules_after(code) & absent == set()
