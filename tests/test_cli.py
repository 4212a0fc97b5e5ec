"""The command line, through click's CliRunner: output equals the library's answer; mistakes are one line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import rustcase
from rustcase import formats
from rustcase.cli import main
from rustcase.models import TABLES

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from cli_reference import cli_reference


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version_names_the_package_and_the_newest_data_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"rustcase {rustcase.__version__}, newest data version {rustcase.DATA_VERSION}\n"


def test_python_m_rustcase_is_the_same_command() -> None:
    import subprocess

    result = subprocess.run([sys.executable, "-m", "rustcase", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout == f"rustcase {rustcase.__version__}, newest data version {rustcase.DATA_VERSION}\n"


def _commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert main.commands[command].help and "Usage: main " + command in result.output


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_export_writes_what_the_library_writes(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(main, ["export", "--format", fmt, "--out", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    rustcase.export_tables(tmp_path / "lib", fmt)
    for table in TABLES:
        name = f"{table}.{fmt}"
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "lib" / name).read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_one_table_to_stdout(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(main, ["export", "quotes", "--format", fmt, "--out", "-"])
    assert result.exit_code == 0
    rustcase.export_tables(tmp_path, fmt, ["quotes"])
    assert result.stdout_bytes == (tmp_path / f"quotes.{fmt}").read_bytes()


def test_info_counts_equal_the_tables(runner: CliRunner) -> None:
    result = runner.invoke(main, ["info", "--json"])
    assert result.exit_code == 0
    info = json.loads(result.output)
    ds = rustcase.load()
    assert info == {
        "version": rustcase.__version__,
        "data_version": ds.version,
        "fingerprint": ds.fingerprint,
        "available_data_versions": rustcase.available(),
        "tables": {t: len(getattr(ds, t)) for t in TABLES},
    }
    text = runner.invoke(main, ["info"]).output
    assert all(f"{len(rustcase.load_quotes())} rows" in line for line in text.splitlines() if line.startswith("quotes"))


def test_schema_prints_the_published_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "quotes"])
    assert json.loads(result.output) == rustcase.json_schema("quotes")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "quote", "--out", "x"], 2, "Invalid value for '[TABLE]...': 'quote' is not one of"),
        (["export", "--format", "xlsx", "--out", "x"], 2, "Invalid value for '--format'"),
        (["export", "--out", "-"], 2, "name exactly one TABLE"),
        (["schema", "nope"], 2, "Invalid value for 'TABLE'"),
    ],
)
def test_user_mistakes_get_one_clear_line(runner: CliRunner, args: list[str], code: int, message: str) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_existing_files_are_not_overwritten(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "people.json").write_text("mine")
    result = runner.invoke(main, ["export", "people", "--format", "json", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: would overwrite") and result.output.count("\n") == 1
    assert (tmp_path / "people.json").read_text() == "mine"
    assert runner.invoke(main, ["export", "people", "-f", "json", "-o", str(tmp_path), "--force"]).exit_code == 0


def test_unwritable_directory_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    result = runner.invoke(main, ["export", "--out", str(tmp_path / "file" / "out")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write to") and "Traceback" not in result.output


def test_the_cli_reference_is_current() -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert reference == cli_reference(), "docs/cli.md is stale: run python tools/cli_reference.py"


def test_the_cli_format_choices_are_the_library_formats() -> None:
    from rustcase import cli

    choices = {p.name: p.type for p in cli.export.params} | {f"import {p.name}": p.type for p in cli.import_.params}
    assert list(choices["fmt"].choices) == list(formats.REGISTRY)  # type: ignore[attr-defined]
    assert list(choices["import fmt"].choices) == list(formats.FORMATS)  # type: ignore[attr-defined]
