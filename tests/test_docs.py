"""The README's examples run as written: Python blocks are executed, `$ rustcase ...` lines are invoked."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from rustcase.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_readme_opens_with_the_two_set_up_commands() -> None:
    first = _blocks("sh")[0].strip().splitlines()
    assert len(first) == 2
    assert "rustcase export" in first[0] and "pytest" in first[1]
    assert first[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("block", _blocks("python"))
def test_python_examples_run(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})


def _cli_lines() -> list[str]:
    return [line[2:] for block in _blocks("console") for line in block.splitlines() if line.startswith("$ rustcase ")]


@pytest.mark.parametrize("line", _cli_lines())
def test_cli_examples_run(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    command, redirect = [*line.split(" > "), ""][:2]
    result = CliRunner().invoke(main, shlex.split(command)[1:])
    assert result.exit_code == 0, result.output
    if redirect:
        Path(redirect).write_bytes(result.stdout_bytes)


def _written_by_readme() -> list[str]:
    """What the README's commands write into the working directory: --out targets, redirections, analyses."""
    commands = [line for block in _blocks("console") + _blocks("sh") for line in block.splitlines()]
    found = [m for line in commands for m in re.findall(r"(?:--out|>)\s+([\w.-]+)", line) if m != "-"]
    found += [m for line in commands for m in re.findall(r"examples/\w+\.py\s+([\w.-]+)", line)]
    return sorted(set(found))


@pytest.mark.parametrize("path", _written_by_readme())
def test_what_the_readme_writes_is_ignored_by_git(path: str) -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"/{path}" in ignored or f"/{path}/" in ignored, f"add /{path} to .gitignore"
