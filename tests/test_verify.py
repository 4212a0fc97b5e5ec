"""`rustcase verify DIR` vouches only for what it checked: every other directory is a clear failure."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import rustcase
from rustcase import formats
from rustcase.cli import main

TWO = ["quotes", "people"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A valid export of two tables in every format, to copy and damage."""
    root = tmp_path_factory.mktemp("exports")
    for fmt in formats.FORMATS:
        rustcase.export_tables(root / fmt, fmt, TWO)
    return {fmt: root / fmt for fmt in formats.FORMATS}


def _copy(exports: dict[str, Path], fmt: str, to: Path) -> Path:
    shutil.copytree(exports[fmt], to, symlinks=True)
    return to


def _manifest(root: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((root / "manifest.json").read_bytes())
    return loaded


def _write_manifest(root: Path, manifest: object) -> None:
    (root / "manifest.json").write_bytes(formats.json_document(manifest))


def _edit(change: Callable[[dict[str, Any], Path], object]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        manifest = _manifest(root)
        change(manifest, root)
        _write_manifest(root, manifest)

    return apply


def _resign(root: Path) -> None:
    """Change one record, then make manifest.json agree with the file's new size and SHA-256."""
    path = root / "quotes.json"
    rows = json.loads(path.read_bytes())
    rows[0]["text"] = rows[0]["text"].upper()
    path.write_bytes(formats.dumps(rows).encode())
    manifest = _manifest(root)
    manifest["tables"]["quotes"].update(bytes=path.stat().st_size, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    _write_manifest(root, manifest)


def _replace(name: str, make: Callable[[Path, Path], object]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        real = root.parent / f"real-{name}"
        shutil.move(root / name, real)
        make(root / name, real)

    return apply


def _sparse(root: Path) -> None:
    with (root / "quotes.json").open("r+b") as f:
        f.truncate(1 << 40)  # a terabyte, as far as its size says; reading it whole would never end


CASES: dict[str, Callable[[Path], object]] = {
    "empty tables": _edit(lambda m, root: m.update(tables={})),
    "a table file the manifest leaves out": lambda root: rustcase.export_tables(root / "x", "json", ["articles"])
    and shutil.move(root / "x" / "articles.json", root / "articles.json"),
    "an absolute path": _edit(lambda m, root: m["tables"]["quotes"].update(path=str(root / "quotes.json"))),
    "a path outside DIR": _edit(lambda m, root: m["tables"]["quotes"].update(path="../json/quotes.json")),
    "a path in a sub-directory": _edit(lambda m, root: m["tables"]["quotes"].update(path="schema/quotes.json")),
    "a table file that is a FIFO": _replace("quotes.json", lambda path, real: os.mkfifo(path)),
    "a table file that is a symlink to the real one": _replace("quotes.json", lambda path, real: path.symlink_to(real)),
    "a manifest that is a symlink": _replace("manifest.json", lambda path, real: path.symlink_to(real)),
    "a manifest that is a FIFO": _replace("manifest.json", lambda path, real: os.mkfifo(path)),
    "a manifest of 2 MB": lambda root: (root / "manifest.json").write_bytes(b" " * (2 << 20) + b"{}"),
    "a manifest nested 100,000 deep": lambda root: (root / "manifest.json").write_bytes(b"[" * 100_000),
    "a manifest that is not UTF-8": lambda root: (root / "manifest.json").write_bytes(b'{"\xff": 1}'),
    "a manifest that is not JSON": lambda root: (root / "manifest.json").write_bytes(b"{not json"),
    "no manifest": lambda root: (root / "manifest.json").unlink(),
    "a table file longer than declared": lambda root: (root / "quotes.json").open("ab").write(b" "),
    "a sparse terabyte table file": _sparse,
    "a changed datapackage.json": lambda root: (root / "datapackage.json").write_text("{}"),
    "a missing croissant.json": lambda root: (root / "croissant.json").unlink(),
    "a schema that is a directory": lambda root: (root / "schema" / "quotes.schema.json").unlink()
    or (root / "schema" / "quotes.schema.json").mkdir(),
    "a schema/ that is a symlink to a copy": _replace("schema", lambda path, real: path.symlink_to(real)),
    "an unknown data version": _edit(lambda m, root: m.update(data_version="9.9.9")),
    "an unknown table": _edit(lambda m, root: m["tables"].update(nope=m["tables"]["quotes"])),
    "a record changed and the manifest re-signed": _resign,
    "a fingerprint not of the tables listed": _edit(lambda m, root: m.update(fingerprint="sha256:" + "0" * 64)),
    "a manifest with its keys reordered": lambda root: _write_manifest(root, dict(reversed(_manifest(root).items()))),
    "excel_safe on JSON": _edit(lambda m, root: m.update(excel_safe=True)),
    "bytes given as true": _edit(lambda m, root: m["tables"]["quotes"].update(bytes=True)),
}


@pytest.mark.parametrize("case", CASES)
def test_verify_fails_clearly_on(case: str, exports: dict[str, Path], tmp_path: Path, reliability: Any) -> None:
    root = _copy(exports, "json", tmp_path / "json")
    CASES[case](root)
    problems = rustcase.verify_export(root)
    assert problems and all("\n" not in p and str(root) in p for p in problems), problems
    result = CliRunner().invoke(main, ["verify", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stdout == f"{root}: FAILED\n"
    reliability.add("verify never vouches for what it did not check", 1)


def test_a_device_is_not_a_table_file(exports: dict[str, Path], tmp_path: Path) -> None:
    root = _copy(exports, "json", tmp_path / "json")
    (root / "quotes.json").unlink()
    try:
        os.mknod(root / "quotes.json", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("creating a device needs privileges")
    assert rustcase.verify_export(root) == [f"{root / 'quotes.json'}: is a character device, not a regular file"]


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_an_intact_export_verifies(fmt: str, exports: dict[str, Path]) -> None:
    assert rustcase.verify_export(exports[fmt]) == []
    assert CliRunner().invoke(main, ["verify", str(exports[fmt])]).stdout == f"{exports[fmt]}: ok\n"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


def _places(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every key path in a JSON value, each dictionary also with a new key."""
    found = [path]
    if isinstance(value, dict):
        found.append((*path, "extra"))
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _places(item, (*path, i))
    return found


def _put(document: Any, path: tuple[Any, ...], value: object) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.slow
@pytest.mark.parametrize("fmt", formats.FORMATS)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), value=json_values)
def test_any_json_value_at_any_key_of_the_manifest_is_a_clear_failure(
    fmt: str, data: st.DataObject, value: object, exports: dict[str, Path], reliability: Any
) -> None:
    """Every key of a valid manifest (and a new one in each object) given any JSON value: never ok unless the
    manifest is unchanged, never a traceback, one line per problem."""
    root = exports[fmt]
    original = _manifest(root)
    path = data.draw(st.sampled_from(_places(original)), label="path")
    changed = _put(original, path, value)
    _write_manifest(root, changed)
    try:
        problems = rustcase.verify_export(root)
    finally:
        _write_manifest(root, original)
    assert all(isinstance(p, str) and "\n" not in p for p in problems)
    assert bool(problems) == (changed != original), problems
    reliability.add("verify never vouches for what it did not check", 1)
