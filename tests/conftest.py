"""Shared fixtures: the loaded dataset and the repository paths."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

import rustcase

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(rustcase.__file__).resolve().parent
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
MUTATING_EVENTS = {"os.remove", "os.rename", "os.replace", "os.rmdir", "os.mkdir", "os.chmod", "shutil.rmtree"}


def _in_package(path: object) -> bool:
    if isinstance(path, int | type(None)):
        return False
    return os.path.abspath(os.fsdecode(path)).startswith(str(PACKAGE) + os.sep)  # type: ignore[arg-type]


def _loopback(address: object) -> bool:
    """Only this machine: the browser test talks to Chromium on 127.0.0.1."""
    return isinstance(address, tuple) and str(address[0]) in ("127.0.0.1", "::1", "localhost")


def _guard(event: str, args: tuple[object, ...]) -> None:
    """The whole test suite runs as if offline and with rustcase's package directory read-only."""
    if event == "socket.connect" and not _loopback(args[1]):
        raise OSError(f"network access during the tests: {event} {args[1]}")
    if event == "open" and _in_package(args[0]):
        mode, flags = args[1], args[2]
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS
        ):
            raise PermissionError(f"write inside the installed package during the tests: {args[0]!r}")
    if event in MUTATING_EVENTS and args and _in_package(args[0]):
        raise PermissionError(f"{event} inside the installed package during the tests: {args[0]!r}")


# Generated cases are the same on every run, so counts in docs/reliability.md are stable and a failure reproduces.
settings.register_profile("rustcase", derandomize=True, deadline=None)
settings.load_profile("rustcase")

sys.dont_write_bytecode = True
sys.addaudithook(_guard)


class Reliability:
    """Generated cases per class of promise, counted over the run: docs/reliability.md's table is made from them.

    A test that tries to break a promise calls ``reliability.add("class of promise", cases)`` for the cases it
    generated; an assertion failure fails the test itself, so every counted case held.
    """

    def __init__(self) -> None:
        self.cases: dict[str, int] = {}

    def add(self, promise: str, cases: int = 1) -> None:
        self.cases[promise] = self.cases.get(promise, 0) + cases


_RELIABILITY = Reliability()


@pytest.fixture(scope="session")
def reliability() -> Reliability:
    return _RELIABILITY


_DESELECTED: list[pytest.Item] = []


def pytest_deselected(items: list[pytest.Item]) -> None:
    _DESELECTED.extend(items)


NOT_APPLICABLE = ("frictionless reads Parquet through pandas", "the Arrow validator reads one file per table")
"""Skip reasons that hold everywhere; any other skip (no Chromium, no Java, no privileges) leaves cases untried."""

_MISSING: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not any(reason in str(report.longrepr) for reason in NOT_APPLICABLE):
        _MISSING.append(report.nodeid)


def _complete(session: pytest.Session, exitstatus: int) -> bool:
    """The whole suite ran and passed: no -k, -m or named tests, nothing deselected, nothing failed, nothing
    skipped for want of a tool or a privilege on this machine (such a run tried fewer cases)."""
    config = session.config
    whole = all(Path(arg).resolve() == ROOT / "tests" for arg in config.args)
    selected = config.option.keyword or config.option.markexpr or _DESELECTED
    return whole and not selected and not _MISSING and exitstatus == 0 and session.testsfailed == 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the counts to build/reliability.json (tools/reliability_table.py turns them into the docs table);
    after a complete run, fail it when the table in docs/reliability.md shows other counts."""
    if _RELIABILITY.cases and not hasattr(session.config, "workerinput"):
        import json

        complete = _complete(session, exitstatus)
        cases = dict(sorted(_RELIABILITY.cases.items()))
        out = ROOT / "build" / "reliability.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps({"complete": complete, "cases": cases}, indent=2) + "\n", encoding="utf-8")
        if complete:
            sys.path.insert(0, str(ROOT / "tools"))
            from reliability_table import stale

            problem = stale(cases)
            if problem:
                session.config.get_terminal_writer().line(problem, red=True)
                session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def ds() -> rustcase.Dataset:
    return rustcase.load()


def clear_caches() -> None:
    """Forget every cached lock, manifest and table, after the data directory changed under rustcase."""
    from rustcase import dataset, metadata, store, versions

    for cached in (versions._lock, versions.manifest, store._read_table, dataset._records, metadata.tables):
        cached.cache_clear()


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A writable copy of the shipped data directory, which rustcase reads instead of the real one, and
    beside it the other package files the lock file lists (``schemas.json``)."""
    from rustcase import versions

    root = tmp_path / "data"
    shutil.copytree(versions.data_root(), root)
    for name in versions._lock()["files"]:
        shutil.copy(PACKAGE / name, tmp_path / name)
    monkeypatch.setattr(versions, "data_root", lambda: root)
    clear_caches()
    yield root
    clear_caches()
