"""Faults: damaged shipped files, killed exports, concurrent processes, spreadsheets, and the suite's own guards."""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from click.testing import CliRunner

import rustcase
from rustcase import formats
from rustcase.cli import main
from rustcase.models import TABLES

from .conftest import PACKAGE, clear_caches


@pytest.mark.parametrize("damage", ["missing", "truncated", "empty", "garbage"])
@pytest.mark.parametrize("command", [["export", "--out", "{out}"], ["export", "quotes", "--out", "-"], ["verify"]])
def test_a_damaged_shipped_file_is_one_clear_line(
    data_root: Path, tmp_path: Path, damage: str, command: list[str]
) -> None:
    path = data_root / rustcase.DATA_VERSION / "quotes.parquet"
    content = path.read_bytes()
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes({"truncated": content[: len(content) // 2], "empty": b"", "garbage": b"\x00" * 100}[damage])
    clear_caches()
    args = [a.format(out=tmp_path / "out") for a in command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "quotes.parquet" in result.output
    if command[0] == "export":
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir()), "nothing half-written"
    with pytest.raises(rustcase.DataFileError, match=r"quotes\.parquet"):
        rustcase.load_quotes()


def test_a_damaged_manifest_or_lock_file_is_named(data_root: Path) -> None:
    (data_root / "versions.lock.json").write_text("{not json")
    clear_caches()
    with pytest.raises(rustcase.DataFileError, match=r"versions\.lock\.json: cannot read"):
        rustcase.load()


def _export_command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", "from rustcase.cli import main; main()", "export", "--out", str(out), *extra]


def _a_complete_export(out: Path) -> tuple[Path, list[str]]:
    rustcase.export_tables(out, "csv")
    return out, sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _old_files(out: Path, names: list[str]) -> None:
    """Every file of an export, each holding b"old": what an interrupted export must leave or replace whole."""
    for name in names:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(b"old")


def test_an_export_killed_at_any_moment_leaves_old_or_complete_files(tmp_path: Path) -> None:
    """Kill the export process at random moments; every file under a final name is whole, old or new."""
    expected, names = _a_complete_export(tmp_path / "expected")
    rng = random.Random(2021_10_21)
    outcomes = {"old": 0, "new": 0, "mixed": 0}
    for attempt in range(20):
        out = tmp_path / f"out{attempt}"
        _old_files(out, names)
        process = subprocess.Popen(_export_command(out, "--force"), stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        states = set()
        if not (out / "manifest.json").exists():  # killed while committing: the missing manifest says so
            assert "manifest.json: missing: an export writes it last" in rustcase.verify_export(out)[0]
            states.add("committing")
        for name in names:
            if name == "manifest.json" and "committing" in states:
                continue
            content = (out / name).read_bytes()
            assert content in (b"old", (expected / name).read_bytes()), f"{name} is partial after a kill"
            states.add("old" if content == b"old" else "new")
        outcomes["mixed" if len(states) > 1 else states.pop()] += 1
        extra = {p.name for p in out.iterdir()} - {n.split("/")[0] for n in names}
        assert all(e.startswith(".rustcase-export-") for e in extra), extra
        if (out / "manifest.json").exists() and (out / "manifest.json").read_bytes() != b"old":
            assert rustcase.verify_export(out) == [], "a directory with the new manifest is complete"
    assert sum(outcomes.values()) == 20


def test_processes_loading_and_exporting_at_once_all_succeed_or_wait_their_turn(tmp_path: Path) -> None:
    """Exports into one directory take turns: a loser of the lock exits 1 with one line, nothing written."""
    load = "import rustcase; ds = rustcase.load(); print(len(ds.quotes))"
    processes = [subprocess.Popen([sys.executable, "-c", load], stdout=subprocess.PIPE) for _ in range(3)]
    processes += [subprocess.Popen(_export_command(tmp_path / f"own{i}")) for i in range(2)]
    shared = [
        subprocess.Popen(_export_command(tmp_path / "shared", "--force"), stderr=subprocess.PIPE) for _ in range(3)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0] * len(processes)
    assert {p.stdout.read().strip() for p in processes[:3] if p.stdout} == {str(len(rustcase.load_quotes())).encode()}
    for process in shared:
        stderr = process.communicate(timeout=120)[1].decode()
        assert process.returncode == 0 or (
            process.returncode == 1 and stderr == f"Error: another export is writing to {tmp_path / 'shared'}; "
            "try again when it has finished\n"
        ), stderr
    assert 0 in [p.returncode for p in shared]
    for directory in ("own0", "own1", "shared"):
        assert rustcase.verify_export(tmp_path / directory) == []


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_excel_safe_csv_defuses_formulas(value: str) -> None:
    table = pa.table({"text": [value, "plain"]})
    safe, exact = io.BytesIO(), io.BytesIO()
    formats.write(table, "csv", safe, excel_safe=True)
    formats.write(table, "csv", exact)
    cells = lambda sink: [row[0] for row in csv.reader(io.StringIO(sink.getvalue().decode(), newline=""))]  # noqa: E731
    assert cells(safe) == ["text", "'" + value, "plain"]
    assert cells(exact) == ["text", value, "plain"]


def test_excel_safe_is_for_csv_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--excel-safe", "--format", "json", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "CSV only" in result.output


def test_the_suite_runs_offline_and_cannot_write_into_the_package() -> None:
    with pytest.raises(OSError, match="network access"):
        socket.create_connection(("192.0.2.1", 9), timeout=1)
    with pytest.raises(PermissionError):
        (PACKAGE / "data" / "x.txt").write_text("x")
    with pytest.raises(PermissionError):
        os.remove(PACKAGE / "py.typed")
    assert (PACKAGE / "py.typed").exists()


def test_nothing_in_the_package_pickles_evaluates_or_opens_urls() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    for word in ("pickle", "eval(", "exec(", "urllib", "socket", "requests", "http://", "https://"):
        allowed = word.startswith("http") and source.count(word) == source.count(f'"{word}')
        assert word not in source or allowed, word


def test_every_table_survives_the_guarded_load() -> None:
    assert all(rustcase.load_table(t) for t in TABLES)


def test_processes_exit_cleanly_every_time() -> None:
    """pyarrow's reader threads made about 1 process in 100 abort at exit; rustcase reads without them."""
    code = "import rustcase; rustcase.load(); rustcase.read_table('quotes')"
    failures = []
    for _ in range(30):
        pair = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(2)]
        failures += [p.stderr.read()[-300:] for p in pair if p.wait() != 0 and p.stderr]
    assert failures == []


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_export_cleans_up_and_leaves_the_old_or_the_complete_files(
    tmp_path: Path, signum: int, reliability: Any
) -> None:
    """SIGINT and SIGTERM at random moments: the old files or the whole new export, nothing hidden left."""
    expected, names = _a_complete_export(tmp_path / "expected")
    rng = random.Random(signum)
    outcomes = []
    for attempt in range(8):
        out = tmp_path / f"out{attempt}"
        _old_files(out, names)
        process = subprocess.Popen(_export_command(out, "--force"), stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, 2.0))
        process.send_signal(signum)
        stderr = process.communicate(timeout=60)[1].decode()
        contents = {name: (out / name).read_bytes() for name in names}
        assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == names, "cleaned up"
        if all(c == b"old" for c in contents.values()):
            outcomes.append("old")
            assert process.returncode in (1, -signal.SIGTERM), stderr
        else:
            outcomes.append("new")
            assert contents == {name: (expected / name).read_bytes() for name in names}, "whole, never mixed"
        if signum == signal.SIGTERM:
            assert process.returncode in (0, -signal.SIGTERM) and "Traceback" not in stderr, stderr
        reliability.add("export interrupted (SIGINT, SIGTERM) cleans up", 1)
    assert len(outcomes) == 8, outcomes


def test_an_export_into_a_locked_directory_is_refused_clearly(tmp_path: Path) -> None:
    import fcntl

    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(rustcase.ExportError, match=f"another export is writing to {tmp_path}"):
            rustcase.export_tables(tmp_path, "csv", ["quotes"])
        with pytest.raises(rustcase.ExportError, match=f"another export is writing to {tmp_path}"):
            rustcase.write_html(tmp_path / "explorer.html")
    finally:
        os.close(fd)
    assert os.listdir(tmp_path) == []


@pytest.mark.slow
def test_two_exports_of_different_formats_into_one_directory_never_both_write(tmp_path: Path, reliability: Any) -> None:
    for attempt in range(3):
        out = tmp_path / f"out{attempt}"
        pair = [
            subprocess.Popen(_export_command(out, "--format", fmt), stderr=subprocess.PIPE) for fmt in ("csv", "json")
        ]
        results = [(p.wait(timeout=120), p.communicate()[1].decode()) for p in pair]
        assert sorted(code for code, _ in results) == [0, 1], results
        loser = next(err for code, err in results if code == 1)
        assert loser.count("\n") == 1 and ("another export is writing" in loser or "another format" in loser)
        assert rustcase.verify_export(out) == []
        reliability.add("concurrent exports: one writes, the other is refused", 1)


STDOUT_COMMANDS = [["export", "quotes", "--format", fmt, "--out", "-"] for fmt in formats.FORMATS] + [
    ["view", "--out", "-"]
]


@pytest.mark.slow
@pytest.mark.parametrize("stdout", ["/dev/full", "closed pipe", "closed"])
@pytest.mark.parametrize("command", STDOUT_COMMANDS, ids=lambda c: "-".join(c[:4]))
def test_a_failing_stdout_is_one_line_and_exit_1(command: list[str], stdout: str, reliability: Any) -> None:
    """A full device, a pipe whose reader has gone, a closed descriptor: one line, exit 1, no traceback."""
    if stdout == "closed":
        run = [sys.executable, "-c", "import os, sys; os.close(1); from rustcase.cli import main; main()", *command]
        process = subprocess.run(run, stderr=subprocess.PIPE, timeout=120)
    else:
        read, write = os.pipe()
        if stdout == "closed pipe":
            os.close(read)
        else:
            os.close(read)
            os.close(write)
            write = os.open("/dev/full", os.O_WRONLY)
        run = [sys.executable, "-c", "from rustcase.cli import main; main()", *command]
        process = subprocess.run(run, stdout=write, stderr=subprocess.PIPE, timeout=120)
        os.close(write)
    stderr = process.stderr.decode()
    assert process.returncode == 1 and stderr.count("\n") == 1, stderr
    assert stderr.startswith("Error: cannot write to stdout: "), stderr
    reliability.add("a failing stdout is one line", 1)


def test_a_signal_whose_handler_runs_inside_the_hold_acts_after_it() -> None:
    """A signal that arrives just before signals are held has its Python handler run at the next instruction,
    which may be inside the hold (a run of this suite once caught one interrupting a clean-up): it waits until
    the block is done, then acts."""
    from rustcase import atomic

    steps = []
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # other tests' libraries set their own
    try:
        with pytest.raises(KeyboardInterrupt):
            with atomic._signals_held():
                signal.getsignal(signal.SIGINT)(signal.SIGINT, None)  # what Python does for a signal just arrived
                steps.append("the block ran to its end")
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)
    assert steps == ["the block ran to its end"]
