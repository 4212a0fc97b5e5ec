"""Lint, types and packaging: ruff and mypy are clean, and the built wheel works alone, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import rustcase
from rustcase.models import TABLES

from .conftest import ROOT

BIN = Path(sys.executable).parent


def run(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_ruff_is_clean() -> None:
    result = run(BIN / "ruff", "check", "src", "tests", "tools", cwd=ROOT)
    assert result.returncode == 0, result.stdout


def test_mypy_strict_is_clean() -> None:
    result = run(BIN / "mypy", cwd=ROOT)
    assert result.returncode == 0, result.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_sdist_and_wheel_pass_twine_and_check_wheel_contents(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"]
    assert run(BIN / "twine", "check", "--strict", *files).returncode == 0
    wheel = next(f for f in files if f.suffix == ".whl")
    result = run(BIN / "check-wheel-contents", wheel, cwd=ROOT)  # its configuration is in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [f"rustcase/data/{v}/{t}.parquet" for v in rustcase.available() for t in TABLES]
    assert {"rustcase/py.typed", "rustcase/data/versions.lock.json", *shipped} <= names


BLOCK_NETWORK = """
import socket
def _refuse(*args, **kwargs):
    raise OSError("network access attempted during a rustcase test")
socket.socket.connect = _refuse
socket.create_connection = _refuse
"""


def test_installed_wheel_exports_every_table_offline(dist: Path, tmp_path: Path) -> None:
    """A fresh virtual environment with only the wheel and its dependencies, then the CLI as a real process."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    wheel = next(dist.glob("*.whl"))
    install = run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)
    assert install.returncode == 0, install.stderr
    blocker = tmp_path / "offline"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(BLOCK_NETWORK)
    env = {**os.environ, "PYTHONPATH": str(blocker)}
    out = tmp_path / "export"
    result = run(env_dir / "bin" / "rustcase", "export", "--format", "jsonl", "--out", out, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rustcase.export_tables(tmp_path / "expected", "jsonl")
    for table in TABLES:
        assert (out / f"{table}.jsonl").read_bytes() == (tmp_path / "expected" / f"{table}.jsonl").read_bytes()
    version = run(env_dir / "bin" / "rustcase", "--version", env=env)
    assert version.stdout == f"rustcase {rustcase.__version__}, newest data version {rustcase.DATA_VERSION}\n"
    shutil.rmtree(env_dir)
