"""Exports: every format gives back equal records, nothing is overwritten unasked, failures leave nothing behind."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings, strategies as st

import rustcase
from rustcase import formats
from rustcase.cli import main
from rustcase.models import TABLES


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_export_then_read_back_gives_equal_records(fmt: str, tmp_path: Path) -> None:
    written = rustcase.export_tables(tmp_path, fmt)
    assert [p.name for p in written] == [f"{t}.{fmt}" for t in TABLES]
    metadata = ["croissant.json", "datapackage.json", "manifest.json", "schema"]
    assert sorted(os.listdir(tmp_path)) == sorted([p.name for p in written] + metadata), "no temporary files left"
    assert sorted(os.listdir(tmp_path / "schema")) == [f"{t}.schema.json" for t in sorted(TABLES)]
    for table, path in zip(TABLES, written, strict=True):
        model = TABLES[table].model
        assert [model.model_validate(row) for row in formats.read(path, table)] == list(rustcase.load_table(table))


def test_parquet_export_is_the_shipped_file_byte_for_byte(tmp_path: Path) -> None:
    rustcase.export_tables(tmp_path, "parquet", ["quotes"])
    assert (tmp_path / "quotes.parquet").read_bytes() == rustcase.paths()["quotes"].read_bytes()


def test_export_does_not_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "quotes.csv").write_text("mine")
    with pytest.raises(rustcase.ExportError, match=r"would overwrite .*quotes\.csv"):
        rustcase.export_tables(tmp_path, "csv", ["people", "quotes"])
    assert (tmp_path / "quotes.csv").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["quotes.csv"], "nothing else was written"
    rustcase.export_tables(tmp_path, "csv", ["quotes"], force=True)
    assert (tmp_path / "quotes.csv").read_text() != "mine"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("csv", ["quote"]), rustcase.UnknownTableError),
        (("xlsx", []), rustcase.UnknownFormatError),
    ],
)
def test_bad_arguments_are_clear_errors(tmp_path: Path, args: tuple[str, list[str]], error: type[Exception]) -> None:
    with pytest.raises(error):
        rustcase.export_tables(tmp_path / "out", *args)
    assert not (tmp_path / "out").exists()


def test_unwritable_directory_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(rustcase.ExportError, match="cannot write to"):
        rustcase.export_tables(blocker / "out", "csv")


def test_a_failed_export_leaves_the_directory_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(table: str, fmt: str, sink: object, *args: object) -> None:
        if table == "quotes":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(sys.modules["rustcase.export"], "_write", fail)
    with pytest.raises(rustcase.ExportError, match="No space left on device"):
        rustcase.export_tables(tmp_path, "jsonl")
    assert os.listdir(tmp_path) == []


# Text with everything that breaks naive CSV/JSON writers: quotes, commas, newlines, non-ASCII, NUL-free.
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40)
ids = st.from_regex(r"\Aquo-\d{3}-\d{3}\Z")


@st.composite
def quotes(draw: st.DrawFn) -> dict[str, object]:
    start = draw(st.integers(0, 10_000))
    cue = draw(st.none() | texts)
    return {
        "quote_id": draw(ids),
        "article_id": draw(st.from_regex(r"\Aart-\d{3}\Z")),
        "speaker_id": draw(st.sampled_from(["per-alec-baldwin", "org-abc-news"])),
        "co_speaker_ids": draw(st.lists(st.sampled_from(["per-adan-mendoza", "org-nbc-news"]), max_size=2)),
        "kind": draw(st.sampled_from(["direct", "partial", "nested", "indirect", "mixed"])),
        "start": start,
        "end": start + draw(st.integers(1, 500)),
        "text": draw(texts),
        "cue": cue,
        "cue_start": None if cue is None else 0,
        "cue_end": None if cue is None else len(cue),
        "addressee_id": draw(st.none() | st.just("per-george-stephanopoulos")),
        "medium": draw(st.sampled_from(["tv_interview", "unknown"])),
        "parent_quote_id": draw(st.none() | ids),
        "continues_quote_id": None,
        "utterance_id": draw(st.none() | st.from_regex(r"\Autt-\d{3}\Z")),
        "utterance_relation": draw(st.none() | st.sampled_from(["exact", "edited"])),
        "note": draw(st.none() | texts),
    }


@pytest.mark.parametrize("fmt", formats.FORMATS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(quotes(), max_size=8))
def test_any_quote_records_survive_a_round_trip(fmt: str, rows: list[dict[str, object]], tmp_path: Path) -> None:
    records = [rustcase.Quote.model_validate(r) for r in rows]
    table = pa.Table.from_pylist([r.model_dump() for r in records], schema=rustcase.arrow_schema("quotes"))
    path = tmp_path / f"quotes.{fmt}"
    sink = io.BytesIO()
    formats.write(table, fmt, sink)
    path.write_bytes(sink.getvalue())
    assert [rustcase.Quote.model_validate(r) for r in formats.read(path, "quotes")] == records


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@settings(max_examples=100, deadline=None)
@given(rows=st.lists(quotes(), min_size=1, max_size=12))
def test_the_arrow_json_writer_writes_the_bytes_json_dumps_writes(fmt: str, rows: list[dict[str, object]]) -> None:
    """Large tables get their JSON text from Arrow compute; it must equal the row-by-row json.dumps path."""
    table = pa.Table.from_pylist(
        [rustcase.Quote.model_validate(r).model_dump() for r in rows], schema=rustcase.arrow_schema("quotes")
    )
    by_row, by_column = io.BytesIO(), io.BytesIO()
    formats.write(table, fmt, by_row)
    original = formats.VECTOR_ROWS
    try:
        formats.VECTOR_ROWS = 0
        formats.write(table, fmt, by_column)
    finally:
        formats.VECTOR_ROWS = original
    assert by_column.getvalue() == by_row.getvalue()


# All or nothing: every target name in every state, for every table and every format.

STATES = ("absent", "same", "other", "directory", "symlink", "dangling", "fifo")
"""What can be at a target's name: nothing, the bytes the export writes, other bytes, or something that no
--force may replace (a directory, a symlink to a file outside --out, a dangling symlink, a FIFO)."""


def _make(path: Path, state: str, same: bytes, outside: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if state == "same":
        path.write_bytes(same)
    elif state == "other":
        path.write_bytes(b"old " + path.name.encode())
    elif state == "directory":
        path.mkdir()
        (path / "inside").write_text("kept")
    elif state == "symlink":
        path.symlink_to(outside)
    elif state == "dangling":
        path.symlink_to(outside.parent / "nowhere")
    elif state == "fifo":
        os.mkfifo(path)


def snapshot(root: Path) -> dict[str, object]:
    """Everything under ``root``, without following a symlink: kind, content or link target per name."""
    found: dict[str, object] = {}
    if not os.path.lexists(root):
        return found
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = ("symlink", os.readlink(path))
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = oct(st.st_mode)
    return found


def _table_bytes(table: str, fmt: str) -> bytes:
    sink = io.BytesIO()
    rustcase.export.write_table(table, fmt, sink)
    return sink.getvalue()


@st.composite
def directory_states(draw: st.DrawFn) -> tuple[str, list[str], bool, dict[str, str]]:
    """A format, the tables to export, --force, and a state for each name the export touches or weighs."""
    fmt = draw(st.sampled_from(formats.FORMATS))
    tables = draw(st.lists(st.sampled_from(list(TABLES)), min_size=1, max_size=3, unique=True))
    others = [t for t in TABLES if t not in tables]
    kept = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
    plain = st.sampled_from(["absent", "absent", "absent", "same", "same", "other"])
    names = [f"{t}.{fmt}" for t in tables + kept] + ["manifest.json", "datapackage.json", "croissant.json"]
    states = {name: draw(plain) for name in names}
    states.update({n: "other" for n in names[-3:] if states[n] == "same"})  # "same" is for table files
    states["schema"] = draw(st.sampled_from(["absent", "directory"]))
    if states["schema"] == "directory":
        states.update({f"schema/{t}.schema.json": draw(plain).replace("same", "other") for t in tables})
    if draw(st.booleans()):  # something no --force may replace, at any of the names
        states[draw(st.sampled_from(sorted(states)))] = draw(st.sampled_from(STATES[3:]))
        if states["schema"] != "directory":
            states = {n: s for n, s in states.items() if not n.startswith("schema/")}
    if draw(st.integers(0, 9)) == 0:
        other_fmt = draw(st.sampled_from([f for f in formats.FORMATS if f != fmt]))
        states[f"{draw(st.sampled_from(list(TABLES)))}.{other_fmt}"] = "other"
    return fmt, tables, draw(st.sampled_from([True, True, False])), {n: s for n, s in states.items() if s != "absent"}


def _expected_to_succeed(fmt: str, tables: list[str], force: bool, states: dict[str, str]) -> bool:
    """The rules: one format per directory; only regular files are replaced, changed ones with --force; a
    table file not named is kept only if it is exactly what the export writes."""
    for name, state in states.items():
        table, _, ext = name.partition(".")
        if table in TABLES and ext != fmt:
            return False
        if name == "schema":
            if state != "directory":
                return False
        elif state not in ("same", "other"):
            return False
        elif state == "other" and (not force or (table in TABLES and table not in tables)):
            return False
    return True


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=directory_states())
def test_an_export_into_any_directory_state_is_all_or_nothing(
    case: tuple[str, list[str], bool, dict[str, str]], tmp_path_factory: pytest.TempPathFactory, reliability: Any
) -> None:
    fmt, tables, force, states = case
    base = tmp_path_factory.mktemp("state")
    out, outside = base / "out", base / "outside.txt"
    outside.write_text("outside")
    for name, state in states.items():
        same = _table_bytes(name.split(".")[0], fmt) if state == "same" and "/" not in name else b"?"
        _make(out / name, state, same if name.endswith(f".{fmt}") else b"not the same", outside)
    out.mkdir(exist_ok=True)
    before = snapshot(out)
    try:
        written = rustcase.export_tables(out, fmt, tables, force=force)
    except rustcase.ExportError as exc:
        assert not _expected_to_succeed(fmt, tables, force, states), exc
        assert str(out) in str(exc), "the message names the path"
        assert snapshot(out) == before, "a refused export changes nothing"
        event("refused")
    else:
        assert _expected_to_succeed(fmt, tables, force, states), states
        assert written == [out / f"{t}.{fmt}" for t in tables]
        assert rustcase.verify_export(out) == [], "the manifest covers every table file"
        assert not [n for n in os.listdir(out) if n.startswith(".")], "nothing hidden is left"
        event("written")
    assert outside.read_text() == "outside", "nothing outside --out was written"
    reliability.add("export all or nothing, any directory state", 1)


FILE_CALLS = ("replace", "rename", "unlink", "mkdir", "rmdir", "link")


@contextlib.contextmanager
def failing_calls(fail: Callable[[int], bool], error: int) -> Iterator[list[int]]:
    """Make every call of os.replace, rename, unlink, mkdir, rmdir and link number n (from 1) for which
    ``fail(n)`` holds raise OSError(error); yields the count of calls made."""
    count = [0]
    real = {name: getattr(os, name) for name in FILE_CALLS}

    def wrap(name: str) -> Callable[..., object]:
        def call(*args: object, **kwargs: object) -> object:
            count[0] += 1
            if fail(count[0]):
                raise OSError(error, os.strerror(error), os.fsdecode(args[0]))  # type: ignore[arg-type]
            return real[name](*args, **kwargs)

        return call

    with contextlib.ExitStack() as stack:
        for name in FILE_CALLS:
            stack.enter_context(mock.patch.object(os, name, wrap(name)))
        yield count


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(formats.FORMATS),
    tables=st.lists(st.sampled_from(list(TABLES)), min_size=1, max_size=3, unique=True),
    old=st.sets(st.sampled_from(["data", "manifest.json", "datapackage.json", "schema"])),
    fresh=st.booleans(),
    k=st.integers(1, 30),
    error=st.sampled_from([errno.ENOSPC, errno.EACCES, errno.EXDEV, errno.EIO, errno.EROFS]),
)
def test_an_export_failing_at_any_file_operation_leaves_the_directory_as_it_was(
    fmt: str,
    tables: list[str],
    old: set[str],
    fresh: bool,
    k: int,
    error: int,
    tmp_path_factory: pytest.TempPathFactory,
    reliability: Any,
) -> None:
    """The k-th move, link, unlink or mkdir fails (during staging or the commit); the export is undone."""
    out = tmp_path_factory.mktemp("commit") / "out"
    if not fresh:
        out.mkdir()
        names = {"data": [f"{t}.{fmt}" for t in tables], "schema": [f"schema/{t}.schema.json" for t in tables]}
        for name in [n for kind in old for n in names.get(kind, [kind])]:
            (out / name).parent.mkdir(exist_ok=True)
            (out / name).write_bytes(b"old " + name.encode())
    before = snapshot(out)
    with failing_calls(lambda n: n == k, error):
        try:
            rustcase.export_tables(out, fmt, tables, force=True)
        except rustcase.ExportError as exc:
            assert str(out) in str(exc) and os.strerror(error) in str(exc), exc
            assert snapshot(out) == before and os.path.lexists(out) != fresh, "as it was"
            event("failed")
        else:
            assert rustcase.verify_export(out) == [], "a failure was harmless (a link falls back to a copy)"
            assert not [n for n in os.listdir(out) if n.startswith(".")]
            event("written")
    reliability.add("export all or nothing, failing file operations", 1)


def test_when_undoing_fails_too_the_message_says_where_the_previous_files_are(tmp_path: Path) -> None:
    rustcase.export_tables(tmp_path, "csv", ["quotes"])
    (tmp_path / "quotes.csv").write_text("old")
    replaces = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        replaces.append(dst)
        if str(dst).endswith("manifest.json") or len(replaces) > 4:  # the last move, then every undo
            raise OSError(errno.EIO, os.strerror(errno.EIO), src)
        real_replace(src, dst)

    with mock.patch.object(os, "replace", replace), pytest.raises(rustcase.ExportError) as raised:
        rustcase.export_tables(tmp_path, "csv", ["quotes"], force=True)
    message = str(raised.value)
    assert f"cannot write {tmp_path / 'manifest.json'}: Input/output error; undoing failed too" in message
    kept = Path(message.rpartition("kept in ")[2])
    assert kept.parent.parent == tmp_path and b"old" in [p.read_bytes() for p in kept.iterdir()]


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("state", STATES)
def test_view_writes_all_or_nothing_in_any_state_of_its_target(
    state: str, force: bool, tmp_path: Path, reliability: Any
) -> None:
    from rustcase.explorer import render

    out, outside = tmp_path / "out", tmp_path / "outside.txt"
    outside.write_text("outside")
    _make(out / "explorer.html", state, render().encode(), outside)
    out.mkdir(exist_ok=True)
    before = snapshot(out)
    result = CliRunner().invoke(main, ["view", "--out", str(out / "explorer.html"), *(["--force"] * force)])
    if state == "absent" or state == "same" or (state == "other" and force):
        assert result.exit_code == 0, result.output
        assert (out / "explorer.html").read_text(encoding="utf-8") == render()
        assert os.listdir(out) == ["explorer.html"]
    elif state == "directory":  # click refuses it first, as a usage error
        assert result.exit_code == 2 and f"File '{out / 'explorer.html'}' is a directory" in result.output
        with pytest.raises(rustcase.ExportError, match="is a directory; rustcase replaces only regular files"):
            rustcase.write_html(out / "explorer.html", force=force)
    else:
        assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
        assert str(out / "explorer.html") in result.output
    assert snapshot(out) == before or result.exit_code == 0
    assert outside.read_text() == "outside"
    reliability.add("export all or nothing, any directory state", 1)


def test_view_to_stdout_writes_the_page() -> None:
    from rustcase.explorer import render

    result = CliRunner().invoke(main, ["view", "--out", "-"])
    assert result.exit_code == 0 and result.stdout_bytes == render().encode()


@pytest.mark.parametrize("command", [["export"], ["export", "quotes"], ["view"]])
def test_an_empty_out_is_refused(command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [*command, "--out", ""])
    assert result.exit_code == 1
    assert result.output == "Error: the output path is empty; name a directory or file to write\n"
    assert os.listdir(tmp_path) == []
    with pytest.raises(rustcase.ExportError, match="empty"):
        rustcase.export_tables("", "csv")


def test_a_string_of_tables_is_one_table(tmp_path: Path) -> None:
    assert rustcase.export_tables(tmp_path, "csv", "quotes") == [tmp_path / "quotes.csv"]


@settings(max_examples=100, deadline=None)
@given(
    table=st.sampled_from(list(TABLES)),
    fmt=st.sampled_from(formats.FORMATS),
    after=st.integers(0, 200_000),
    error=st.sampled_from([errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EBADF]),
)
def test_a_stdout_failing_after_any_byte_is_one_clear_line(
    table: str, fmt: str, after: int, error: int, reliability: Any
) -> None:
    """Whatever the table and format, and wherever the output fails, one line names why."""
    import click

    from rustcase.cli import _to_stdout

    class Failing(io.RawIOBase):
        written, limit = 0, after

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            if self.written + len(data) > self.limit:
                raise OSError(error, os.strerror(error))
            self.written += len(data)
            return len(data)

    raw = Failing()
    stdout = io.TextIOWrapper(io.BufferedWriter(raw, 8192))
    with mock.patch.object(sys, "stdout", stdout):
        try:
            _to_stdout(lambda sink: rustcase.export.write_table(table, fmt, sink))
        except click.ClickException as exc:
            assert exc.format_message() == f"cannot write to stdout: {os.strerror(error)}"
            assert exc.exit_code == 1
            event("failed")
        else:
            assert raw.written <= after
            event("written")
    raw.limit = sys.maxsize  # let the wrapper close quietly
    stdout.close()
    reliability.add("a failing stdout is one line", 1)


@pytest.mark.parametrize("immutable", ["quotes.csv", "schema/quotes.schema.json", "manifest.json"])
def test_an_immutable_file_makes_the_export_fail_and_be_undone(immutable: str, tmp_path: Path) -> None:
    """A real commit failure, no monkeypatching: `chattr +i` on one target (needs root and ext2/3/4)."""
    import shutil
    import subprocess

    rustcase.export_tables(tmp_path, "csv", ["people", "quotes"])
    for name in ("people.csv", "quotes.csv", "schema/quotes.schema.json", "manifest.json"):
        (tmp_path / name).write_bytes(b"old")
    chattr = shutil.which("chattr")
    if not chattr or subprocess.run([chattr, "+i", str(tmp_path / immutable)], capture_output=True).returncode:
        pytest.skip("chattr +i is not possible here")
    try:
        before = snapshot(tmp_path)
        with pytest.raises(rustcase.ExportError) as raised:
            rustcase.export_tables(tmp_path, "csv", ["people", "quotes"], force=True)
        assert str(raised.value).startswith(f"cannot write {tmp_path / immutable}: Operation not permitted; ")
        assert str(raised.value).endswith(f"{tmp_path} is as it was")
        assert snapshot(tmp_path) == before
    finally:
        subprocess.run([chattr, "-i", str(tmp_path / immutable)], check=True)


def test_a_second_table_joins_an_export_and_the_manifest_covers_both(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["export", "people", "--out", str(tmp_path)]).exit_code == 0
    refused = runner.invoke(main, ["export", "quotes", "--out", str(tmp_path)])
    assert refused.exit_code == 1 and refused.output.startswith("Error: would overwrite ")
    assert f"{tmp_path / 'manifest.json'}; pass force=True (--force)" in refused.output
    assert runner.invoke(main, ["export", "quotes", "--out", str(tmp_path), "--force"]).exit_code == 0
    assert list(json.loads((tmp_path / "manifest.json").read_bytes())["tables"]) == ["quotes", "people"]
    assert rustcase.verify_export(tmp_path) == []


@pytest.mark.parametrize(
    ("there", "message"),
    [
        ("people.csv", "people.csv is not the people table as this export writes it"),
        ("people.json", "people.json is a table file in another format"),
    ],
)
def test_a_table_file_the_manifest_could_not_vouch_for_is_refused(there: str, message: str, tmp_path: Path) -> None:
    (tmp_path / there).write_text("mine")
    result = CliRunner().invoke(main, ["export", "quotes", "--out", str(tmp_path), "--force"])
    assert result.exit_code == 1 and message in result.output and result.output.count("\n") == 1
    assert os.listdir(tmp_path) == [there] and (tmp_path / there).read_text() == "mine"


@pytest.mark.parametrize("command", [["export", "quotes", "--out", "{dir}"], ["view", "--out", "{dir}/quotes.csv"]])
def test_force_never_replaces_a_device(command: list[str], tmp_path: Path) -> None:
    import stat

    try:
        os.mknod(tmp_path / "quotes.csv", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null
    except PermissionError:
        pytest.skip("creating a device needs privileges")
    result = CliRunner().invoke(main, [a.format(dir=tmp_path) for a in command] + ["--force"])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"Error: {tmp_path / 'quotes.csv'} is a character device; rustcase replaces only regular files, even with "
        "--force\n"
    )
    assert os.listdir(tmp_path) == ["quotes.csv"] and stat.S_ISCHR(os.lstat(tmp_path / "quotes.csv").st_mode)
