"""The shipped files are built from the curated sources by one deterministic command, and are never stale."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_data


def test_derived_files_are_up_to_date() -> None:
    """Parquet files, JSON Schemas and the data dictionary equal a fresh build of data/curated."""
    result = subprocess.run(
        [sys.executable, "tools/build_data.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_build_is_deterministic() -> None:
    assert build_data.outputs() == build_data.outputs()


def test_curated_files_are_sorted_with_one_record_per_entry() -> None:
    for path in sorted((ROOT / "data" / "curated").glob("*.yaml")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        assert lines[0].startswith("- ") or lines == ["[]"], path


@pytest.fixture
def curated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "curated"
    shutil.copytree(ROOT / "data" / "curated", copy)
    monkeypatch.setattr(build_data, "CURATED", copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("quotes.yaml", "  kind: direct", "  kind: verbatim", r"quotes\.yaml: quo-\d{3}-\d{3}: kind: Input should be"),
        (
            "quotes.yaml",
            "speaker_id: per-alec-baldwin",
            "speaker_id: per-nobody",
            r"quotes\[quo-\d{3}-\d{3}\]\.speaker_id: 'per-nobody' names no record",
        ),
        (
            "people.yaml",
            "person_id: per-alec-baldwin",
            "person_id: per-zz",
            r"people\.yaml: records are not sorted by person_id",
        ),
        (
            "mentions.yaml",
            "  text: Alec Baldwin",
            "  text: Alec Baldwim",
            r"mentions\[men-\d{3}-\d{4}\]: text 'Alec Baldwim' is not the article's 'Alec Baldwin'",
        ),
        (
            "articles.yaml",
            "source_file: 000_fc86813db036fbb6.txt",
            "source_file: missing.txt",
            r"art-000: source_file 'missing\.txt' not in",
        ),
    ],
)
def test_bad_curated_input_names_file_record_and_field(
    curated: Path, file: str, old: str, new: str, message: str
) -> None:
    _edit(curated / file, old, new)
    with pytest.raises(build_data.BuildError, match=message):
        build_data.curated_records()
