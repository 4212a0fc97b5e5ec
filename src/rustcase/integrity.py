"""Checks that hold for every copy of the data: spans match their article, references resolve, keys are unique."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel

from rustcase.metadata import SCHEMAS_FILE
from rustcase.models import TABLES, Article, Evidence, Mention, Quote, Record
from rustcase.versions import dataset_fingerprint, table_fingerprint

PREFIXES = {
    "art": "articles",
    "per": "people",
    "org": "organizations",
    "plc": "places",
    "wrk": "works",
    "quo": "quotes",
    "utt": "utterances",
    "evt": "events",
    "clm": "claims",
    "men": "mentions",
}
"""Which table an ID belongs to, by its prefix: IDs are unique across the whole dataset."""


def _walk(obj: BaseModel, where: str) -> Iterator[tuple[str, BaseModel]]:
    yield where, obj
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        items = value if isinstance(value, tuple) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                yield from _walk(item, f"{where}.{name}" + (f"[{i}]" if isinstance(value, tuple) else ""))


def span_problems(tables: Mapping[str, Sequence[Record]]) -> list[str]:
    """Every span (``start``, ``end``, ``text``; cues; headlines) that does not match its article text."""
    texts = {a.article_id: a.text for a in tables["articles"] if isinstance(a, Article)}
    problems = []

    def check(where: str, article_id: str, start: int | None, end: int | None, text: str | None) -> None:
        if start is None and end is None and text is None:
            return
        source = texts.get(article_id)
        if source is None:
            problems.append(f"{where}: unknown article {article_id!r}")
        elif start is None or end is None or text is None or not start <= end <= len(source):
            problems.append(
                f"{where}: span {start}:{end} is incomplete or outside the article ({len(source)} characters)"
            )
        elif source[start:end] != text:
            problems.append(f"{where}: text {text!r} is not the article's {source[start:end]!r} at {start}:{end}")

    for table, records in tables.items():
        key = TABLES[table].key
        for record in records:
            for where, obj in _walk(record, f"{table}[{getattr(record, key)}]"):
                if isinstance(obj, Evidence | Quote | Mention):
                    check(where, obj.article_id, obj.start, obj.end, obj.text)
                if isinstance(obj, Quote):
                    check(f"{where}.cue", obj.article_id, obj.cue_start, obj.cue_end, obj.cue)
                if isinstance(obj, Article):
                    check(f"{where}.headline", obj.article_id, obj.headline_start, obj.headline_end, obj.headline)
    return problems


def reference_problems(tables: Mapping[str, Sequence[Record]]) -> list[str]:
    """Every duplicate key, and every ``*_id`` value that names no record of the table its prefix names."""
    ids: dict[str, set[str]] = {}
    problems = []
    for table, records in tables.items():
        key = TABLES[table].key
        seen = ids.setdefault(table, set())
        for record in records:
            rid = getattr(record, key)
            if rid in seen:
                problems.append(f"{table}[{rid}]: duplicate {key}")
            seen.add(rid)
    for table, records in tables.items():
        key = TABLES[table].key
        for record in records:
            for where, obj in _walk(record, f"{table}[{getattr(record, key)}]"):
                for name in type(obj).model_fields:
                    value = getattr(obj, name)
                    if not name.endswith("_id") or value is None or (obj is record and name == key):
                        continue
                    target = PREFIXES.get(value.split("-", 1)[0])
                    if target is None or value not in ids.get(target, set()):
                        problems.append(f"{where}.{name}: {value!r} names no record")
    return problems


def package_problems() -> list[str]:
    """Every problem with the package files read beside the data (``schemas.json``): each against its
    entry in the lock file, and against what the models derive, so a rewritten lock entry is caught too."""
    from rustcase import versions
    from rustcase.errors import RustcaseError
    from rustcase.schema import schemas_document

    try:
        files = versions._lock()["files"]
        contents = {name: versions.package_file(name) for name in files}
    except RustcaseError as exc:
        return [str(exc)]
    problems = []
    if set(files) != {SCHEMAS_FILE}:
        problems.append(f"{versions.data_root() / versions.LOCK_FILE}: lists {sorted(files)}, not [{SCHEMAS_FILE!r}]")
    if SCHEMAS_FILE in contents and contents[SCHEMAS_FILE] != schemas_document():
        problems.append(f"{versions.data_root().parent / SCHEMAS_FILE}: differs from what the models derive")
    return problems


def verify_version(version: str | None = None) -> list[str]:
    """Every problem with a shipped data version: files against the manifest, the manifest against the
    lock file, the content fingerprints recomputed from the records, and the package files read beside
    the data (`package_problems`). Empty when all is well."""
    from rustcase import dataset, versions
    from rustcase.errors import RustcaseError

    problems = package_problems()
    prints = {}
    try:
        exact = versions.resolve(version)
        manifest = versions.manifest(exact)
    except RustcaseError as exc:
        return list(dict.fromkeys([*problems, str(exc)]))
    for table in TABLES:
        try:
            prints[table] = table_fingerprint(dataset.load_table(table, exact))
        except RustcaseError as exc:
            problems.append(str(exc))
            continue
        if prints[table] != manifest["tables"][table]["fingerprint"]:
            problems.append(f"{exact}/{table}: content fingerprint {prints[table]} differs from the manifest")
    if not problems and dataset_fingerprint(prints) != versions.lock()[exact]["fingerprint"]:
        problems.append(f"{exact}: dataset fingerprint differs from the lock file")
    return problems


def verify_export(directory: str | os.PathLike[str]) -> list[str]:
    """Every problem with an exported directory: each file against its ``manifest.json`` entry (size,
    SHA-256), each record against its model, and each table's content fingerprint. Empty when all is well."""
    from pydantic import ValidationError

    from rustcase import formats
    from rustcase.errors import RustcaseError

    root = Path(directory)
    try:
        manifest = json.loads((root / "manifest.json").read_bytes())
        fmt, entries = manifest["format"], manifest["tables"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{root / 'manifest.json'}: not a rustcase export manifest: {exc}"]
    problems = []
    for table, entry in entries.items():
        path = root / entry["path"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror}")
            continue
        if len(content) != entry["bytes"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
            problems.append(f"{path}: checksum does not match manifest.json; the file was changed or damaged")
            continue
        model = TABLES[table].model
        try:
            records = [model.model_validate(row) for row in formats.read(path, table, fmt)]
        except ValidationError as exc:
            err = exc.errors()[0]
            problems.append(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']}")
            continue
        except (RustcaseError, ValueError, OSError) as exc:
            problems.append(f"{path}: cannot read as {fmt}: {exc}")
            continue
        if table_fingerprint(records) != entry["fingerprint"] and not manifest.get("excel_safe"):
            problems.append(f"{path}: content fingerprint differs from manifest.json")
    return problems
