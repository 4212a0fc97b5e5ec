"""Data versions: which are shipped, which one a request means, and what each one must contain.

Every released data version ships inside the package, in ``data/<version>/`` with a ``manifest.json``
(SHA-256, size and row count of each file, and the content fingerprints). ``data/versions.lock.json``
records, for each released version, its fingerprint and the SHA-256 of its manifest, and the SHA-256 of
every other file read at run time (``schemas.json``): every file rustcase reads is in this chain, checked
where it is read. A released version never changes. Policy: MAJOR when an existing record's value or ID
changes or a record is removed, MINOR when records or fields are added, PATCH when only metadata or
serialisation changes.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from rustcase.errors import DataFileError, UnknownVersionError
from rustcase.tables import TABLE_KEYS

LOCK_FILE = "versions.lock.json"
MANIFEST_FILE = "manifest.json"


def data_root() -> Path:
    """The package's data directory (one sub-directory per data version)."""
    return Path(str(resources.files("rustcase") / "data"))


def version_key(version: str) -> tuple[int, ...]:
    """A version as numbers, for ordering: ``"1.10.0"`` sorts after ``"1.9.0"``."""
    return tuple(int(part) for part in version.split("."))


def lock_document(files: Mapping[str, Mapping[str, Any]], versions: Mapping[str, Mapping[str, str]]) -> bytes:
    """The lock file's content, exactly as the build writes it: the package files read at run time
    (``schemas.json``) by name, and the released versions, each sorted."""
    from rustcase.formats import json_document

    return json_document(
        {
            "files": {name: dict(files[name]) for name in sorted(files)},
            "versions": {version: dict(versions[version]) for version in sorted(versions, key=version_key)},
        }
    )


def _is_lock(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    files, versions = document.get("files"), document.get("versions")
    return (
        set(document) == {"files", "versions"}
        and isinstance(files, dict)
        and all(
            isinstance(e, dict)
            and set(e) == {"bytes", "sha256"}
            and type(e["bytes"]) is int
            and _is_sha256(e["sha256"])
            for e in files.values()
        )
        and isinstance(versions, dict)
        and bool(versions)
        and all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in versions)
        and all(
            isinstance(e, dict)
            and set(e) == {"fingerprint", "manifest_sha256"}
            and isinstance(e["fingerprint"], str)
            and _is_sha256(e["manifest_sha256"])
            for e in versions.values()
        )
    )


def _is_sha256(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None


@functools.cache
def _lock() -> dict[str, Any]:
    path = data_root() / LOCK_FILE
    try:
        content = path.read_bytes()
        document: dict[str, Any] = json.loads(content)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the version lock file: {exc}") from exc
    if not _is_lock(document):
        raise DataFileError(
            f"{path}: not a version lock file (files: name -> bytes, sha256; "
            "versions: version -> fingerprint, manifest_sha256)"
        )
    if content != lock_document(document["files"], document["versions"]):
        raise DataFileError(f"{path}: not byte for byte what the build writes; the file was changed or damaged")
    # What the lock vouches for directly is checked at once (about a millisecond): a change to the lock, to
    # any manifest or to schemas.json fails every read; a table file is checked when it is first read.
    for version, entry in document["versions"].items():
        _manifest(version, entry)
    for name, entry in document["files"].items():
        _package_file(name, entry)
    return document


def lock() -> dict[str, dict[str, str]]:
    """The lock file's released versions, oldest first: for each, its ``fingerprint`` and ``manifest_sha256``."""
    versions: dict[str, dict[str, str]] = _lock()["versions"]
    return versions


def package_file(name: str) -> bytes:
    """The bytes of a package file read at run time beside the data (``schemas.json``), checked against the
    lock file's entry for it: every file rustcase reads is in the integrity chain."""
    entry = _lock()["files"].get(name)
    if entry is None:
        raise DataFileError(
            f"{data_root().parent / name}: not listed in {data_root() / LOCK_FILE}, so it cannot be verified"
        )
    return _package_file(name, entry)


def _package_file(name: str, entry: Mapping[str, Any]) -> bytes:
    path = data_root().parent / name
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read: {exc.strerror}") from exc
    if len(content) != entry["bytes"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
        raise DataFileError(
            f"{path}: checksum does not match its entry in {data_root() / LOCK_FILE}; the file was changed or damaged"
        )
    return content


def available() -> list[str]:
    """Every shipped data version, oldest first."""
    return list(lock())


def latest() -> str:
    """The newest shipped data version."""
    return available()[-1]


def resolve(version: str | None = None, fingerprint: str | None = None) -> str:
    """The exact version a request means: ``"1.0.0"``, ``"1"`` or ``"1.0"`` (newest match), or the newest.

    With ``fingerprint``, the version must have that content fingerprint; with a fingerprint alone, the
    version that has it. Never a silent fallback: anything else raises `UnknownVersionError`.
    """
    for name, value in (("data version", version), ("fingerprint", fingerprint)):
        if value is not None and not isinstance(value, str):
            raise UnknownVersionError(f"a {name} is text (such as '1.0.0' or 'sha256:...'), not {value!r}")
    versions = available()
    if version is not None:
        matches = [v for v in versions if v == version or v.startswith(version + ".")]
        if not matches:
            raise UnknownVersionError(f"unknown data version {version!r}; available: {', '.join(versions)}")
        candidates = matches
    else:
        candidates = versions
    if fingerprint is not None:
        with_print = [v for v in candidates if lock()[v]["fingerprint"] == fingerprint]
        if not with_print:
            known = ", ".join(f"{v} = {lock()[v]['fingerprint']}" for v in candidates)
            raise UnknownVersionError(f"no data version has fingerprint {fingerprint!r}; {known}")
        candidates = with_print
    return candidates[-1]


@functools.cache
def manifest(version: str) -> dict[str, Any]:
    """The manifest of a shipped version, checked against the lock file."""
    return _manifest(version, lock()[version])


def _manifest(version: str, entry: Mapping[str, str]) -> dict[str, Any]:
    path = data_root() / version / MANIFEST_FILE
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise DataFileError(
            f"{path}: missing manifest of data version {version}, which {data_root() / LOCK_FILE} lists: {exc.strerror}"
        ) from exc
    if hashlib.sha256(content).hexdigest() != entry["manifest_sha256"]:
        raise DataFileError(
            f"{path}: checksum does not match its entry in {data_root() / LOCK_FILE}; one was changed or damaged"
        )
    try:
        loaded: dict[str, Any] = json.loads(content)
    except ValueError as exc:
        raise DataFileError(f"{path}: cannot read the manifest: {exc}") from exc
    if not _is_manifest(loaded, version):
        raise DataFileError(f"{path}: not the manifest of data version {version} (one entry per table)")
    if loaded["fingerprint"] != entry["fingerprint"]:
        raise DataFileError(f"{data_root() / LOCK_FILE}: the fingerprint of {version} does not match {path}")
    if dataset_fingerprint({table: e["fingerprint"] for table, e in loaded["tables"].items()}) != loaded["fingerprint"]:
        raise DataFileError(f"{path}: the tables' fingerprints do not make the data version's fingerprint")
    return loaded


def _is_manifest(document: Any, version: str) -> bool:
    tables = document.get("tables") if isinstance(document, dict) else None
    return (
        isinstance(tables, dict)
        and document.get("data_version") == version
        and isinstance(document.get("fingerprint"), str)
        and list(tables) == list(TABLE_KEYS)
        and all(
            isinstance(e, dict)
            and e.get("path") == f"{table}.parquet"
            and type(e.get("bytes")) is int
            and type(e.get("rows")) is int
            and _is_sha256(e.get("sha256"))
            and isinstance(e.get("fingerprint"), str)
            for table, e in tables.items()
        )
    )


def read_file(version: str, table: str) -> bytes:
    """The bytes of one table's file in a shipped version, verified against the manifest."""
    entry = manifest(version)["tables"][table]
    path = data_root() / version / entry["path"]
    try:
        content: bytes = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read the {table} table: {exc.strerror}") from exc
    if len(content) != entry["bytes"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
        raise DataFileError(f"{path}: checksum does not match the manifest; the file was changed or damaged")
    return content


def _sha256(lines: Iterable[str]) -> str:
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def table_fingerprint(records: Iterable[Any]) -> str:
    """A hash of one table's content: each record's canonical JSON, in order, whatever the file format."""
    return rows_fingerprint(r.model_dump(mode="json") for r in records)


def rows_fingerprint(rows: Iterable[Mapping[str, Any]]) -> str:
    """`table_fingerprint` of rows as plain values (``pyarrow.Table.to_pylist()``: dates as `datetime.date`)."""
    return _sha256(
        json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_iso_date) for row in rows
    )


def _iso_date(value: object) -> str:
    # Anything but a date cannot come from a record, so it must not hash like one: it is marked by its type.
    return value.isoformat() if type(value) is datetime.date else f"<{type(value).__name__}> {value!r}"


def dataset_fingerprint(table_fingerprints: Mapping[str, str]) -> str:
    """A hash over the tables' fingerprints, in table order: the content identity of a data version."""
    return _sha256(f"{table}:{table_fingerprints[table]}" for table in TABLE_KEYS if table in table_fingerprints)
