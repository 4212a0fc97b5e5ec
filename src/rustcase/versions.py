"""Data versions: which are shipped, which one a request means, and what each one must contain.

Every released data version ships inside the package, in ``data/<version>/`` with a ``manifest.json``
(SHA-256, size and row count of each file, and the content fingerprints). ``data/versions.lock.json``
records, for each released version, its fingerprint and the SHA-256 of its manifest; a released version
never changes. Policy: MAJOR when an existing record's value or ID changes or a record is removed, MINOR
when records or fields are added, PATCH when only metadata or serialisation changes.
"""

from __future__ import annotations

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


@functools.cache
def lock() -> dict[str, dict[str, str]]:
    """The lock file: for each released version, its ``fingerprint`` and ``manifest_sha256``."""
    path = data_root() / LOCK_FILE
    try:
        entries = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the version lock file: {exc}") from exc
    if not (
        isinstance(entries, dict)
        and entries
        and all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in entries)
        and all(isinstance(e, dict) and set(e) == {"fingerprint", "manifest_sha256"} for e in entries.values())
    ):
        raise DataFileError(f"{path}: not a version lock file (version -> fingerprint, manifest_sha256)")
    return dict(sorted(entries.items(), key=lambda item: version_key(item[0])))


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
    path = data_root() / version / MANIFEST_FILE
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise DataFileError(
            f"{path}: missing manifest of data version {version}, which {data_root() / LOCK_FILE} lists: {exc.strerror}"
        ) from exc
    expected = lock()[version]["manifest_sha256"]
    if hashlib.sha256(content).hexdigest() != expected:
        raise DataFileError(
            f"{path}: checksum does not match its entry in {data_root() / LOCK_FILE}; one was changed or damaged"
        )
    loaded: dict[str, Any] = json.loads(content)
    if loaded["fingerprint"] != lock()[version]["fingerprint"]:
        raise DataFileError(f"{data_root() / LOCK_FILE}: the fingerprint of {version} does not match {path}")
    return loaded


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
    return _sha256(
        json.dumps(r.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        for r in records
    )


def dataset_fingerprint(table_fingerprints: Mapping[str, str]) -> str:
    """A hash over the tables' fingerprints, in table order: the content identity of a data version."""
    return _sha256(f"{table}:{table_fingerprints[table]}" for table in TABLE_KEYS if table in table_fingerprints)
