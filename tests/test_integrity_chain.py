"""Every file the package reads at run time is in the integrity chain: the lock file vouches for each version's
manifest and for ``schemas.json``, each manifest for its Parquet files. Any changed byte of any of them makes
every read path that reads it fail with a rustcase error naming the file: never a traceback, never other data."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import rustcase
from rustcase import versions
from rustcase.cli import main
from rustcase.formats import FORMATS
from rustcase.models import TABLES

from .conftest import PACKAGE, Reliability, clear_caches


def _chain() -> list[str]:
    """The files the integrity chain covers, relative to the package directory."""
    data = versions.data_root().relative_to(PACKAGE)
    files = [str(data / versions.LOCK_FILE), *versions._lock()["files"]]
    for version in versions.available():
        manifest = versions.manifest(version)
        files += [str(data / version / versions.MANIFEST_FILE)]
        files += [str(data / version / entry["path"]) for entry in manifest["tables"].values()]
    return sorted(files)


CHAIN = _chain()
VERSIONS = versions.available()


def test_every_file_shipped_beside_the_code_is_in_the_integrity_chain() -> None:
    shipped = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and p.name != "py.typed"
    }
    assert shipped == set(CHAIN)


_OPENED: list[str] = []
_RECORDING = [False]


def _record(event: str, args: tuple[object, ...]) -> None:
    if _RECORDING[0] and event == "open" and isinstance(args[0], str | Path):
        _OPENED.append(str(args[0]))


sys.addaudithook(_record)


def _every_read_path(tmp_path: Path) -> Iterator[object]:
    """Each public way of reading the shipped data (caches cleared first, so each really reads)."""
    for version in versions.available():
        yield rustcase.load(version=version)
        yield [rustcase.to_pandas(table, version) for table in TABLES]
        yield rustcase.verify_version(version)
        for fmt in FORMATS:
            yield rustcase.export_tables(tmp_path / version / fmt, fmt, version=version)
    yield rustcase.validate(tmp_path / versions.latest() / "csv" / "quotes.csv")
    runner = CliRunner()
    for command in (["info"], ["cite"], ["schema", "quotes"], ["verify"], ["diff", "1.0.0", versions.latest()]):
        yield runner.invoke(main, command)


def test_the_package_reads_no_file_outside_the_chain_at_run_time(tmp_path: Path) -> None:
    """Found by watching every file opened (an audit hook) while every read path runs."""
    clear_caches()
    _OPENED.clear()
    _RECORDING[0] = True
    try:
        for _ in _every_read_path(tmp_path):
            pass
    finally:
        _RECORDING[0] = False
        clear_caches()
    package = str(PACKAGE) + "/"
    read = {p[len(package) :] for p in _OPENED if p.startswith(package) and not p.endswith((".py", ".pyc"))}
    assert read == set(CHAIN)


@pytest.fixture(scope="module")
def user_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A valid user file of two tables (of the newest version), to validate against the shipped data."""
    out = tmp_path_factory.mktemp("user")
    rustcase.export_tables(out, "jsonl", ["works", "places"])
    return {table: out / f"{table}.jsonl" for table in ("works", "places")}


def _names_it(message: str, name: str) -> bool:
    """The message names the changed file (with its version directory), or the lock file vouching for it."""
    path = Path(name)
    return path.name in message and (path.parent.name not in VERSIONS or f"{path.parent.name}/" in message)


@pytest.mark.slow
@pytest.mark.parametrize("name", CHAIN)
@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), fmt=st.sampled_from(FORMATS))
def test_any_changed_byte_of_any_shipped_file_is_named_by_every_read_path(
    data_root: Path,
    tmp_path: Path,
    user_files: dict[str, Path],
    name: str,
    data: st.DataObject,
    fmt: str,
    reliability: Reliability,
) -> None:
    path = data_root.parent / name
    original = path.read_bytes()
    position = data.draw(st.integers(0, len(original) - 1), label="position")
    changed = bytearray(original)
    changed[position] = (original[position] + data.draw(st.integers(1, 255), label="added to the byte")) % 256
    path.write_bytes(bytes(changed))
    version = Path(name).parent.name if Path(name).parent.name in VERSIONS else VERSIONS[-1]
    table = Path(name).stem if Path(name).suffix == ".parquet" else None
    # The lock file, a manifest or schemas.json: checked whenever the lock file is read, so every read fails.
    # A table file: checked when its table is first read, so every read of that table fails.
    whole = table is None
    validated = whole or version == VERSIONS[-1]  # validate checks user files against the newest shipped data
    user_file = user_files["places" if table == "works" else "works"]
    out = tmp_path / f"out-{data_root.parent.name}-{position}"
    clear_caches()

    def fails(read: Callable[[], object]) -> None:
        with pytest.raises(rustcase.RustcaseError) as raised:
            read()
        assert isinstance(raised.value, rustcase.DataFileError), raised.value
        assert _names_it(str(raised.value), name), raised.value
        clear_caches()

    try:
        fails(lambda: rustcase.load(version=version))
        fails(lambda: rustcase.read_table(table or "quotes", version))
        fails(lambda: rustcase.export_tables(out, fmt, version=version))
        assert not [p for p in out.rglob("*") if p.is_file()], "an export that fails writes nothing"
        problems = rustcase.verify_version(version)
        assert problems and any(_names_it(p, name) for p in problems), problems
        clear_caches()
        report = rustcase.validate(user_file)
        assert report.exit_code == (2 if validated else 0), report.problems
        assert not validated or _names_it(report.problems[0].message, name), report.problems
        clear_caches()
        runner = CliRunner()
        for command, code in (
            (["export", "-o", str(out), "-f", fmt, "--data-version", version], 1),
            (["verify", "--data-version", version], 1),
            (["validate", str(user_file)], 2 if validated else 0),
            (["schema", "quotes"], 1 if whole else 0),
            (["info", "--data-version", version], 1 if whole else 0),
        ):
            result = runner.invoke(main, command)
            assert result.exit_code == code and isinstance(result.exception, SystemExit | None), (command, result)
            assert not code or _names_it(result.output, name), result.output
            clear_caches()
    finally:
        path.write_bytes(original)
        clear_caches()
    reliability.add("tampered shipped file detected", 1)
