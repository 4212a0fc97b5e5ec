"""Checks that hold for every copy of the data: spans match their article, references resolve, keys are unique."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

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


MANIFEST_LIMIT = 1 << 20
"""The most bytes of an export's ``manifest.json`` that `verify_export` reads (a real one has a few KB)."""
TABLE_FILE_LIMIT = 1 << 26
"""The most bytes a table file of an export may declare (64 MiB; the largest has about 1 MB)."""

_MANIFEST_KEYS = {"data_version": str, "format": str, "excel_safe": bool, "fingerprint": str, "tables": dict}
_ENTRY_KEYS = {"path": str, "bytes": int, "sha256": str, "rows": int, "fingerprint": str}
_CORPUS_KEYS = {"corpus": str, "format": str, "excel_safe": bool, "tables": dict}
_CORPUS_ENTRY_KEYS = {"path": str, "bytes": int, "sha256": str, "rows": int}
"""An export of a corpus names it instead of a data version, and has no fingerprints."""


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes: a symlink, FIFO or
    device is refused before it is opened (a file swapped in between is caught after), a larger file
    before it is read."""
    with _open_regular(path, limit) as f:
        return f.read(limit + 1)


def _corpus_file_problem(path: Path, table: str, entry: dict[str, Any], fmt: str) -> str | None:
    """What is wrong with a table file of a corpus export, read a block at a time: its size and SHA-256, then
    its rows (lines of JSON Lines, a JSON array's lines less its brackets, CSV records less the header, the
    Parquet footer's count)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from rustcase.schema import arrow_schema

    digest, size, lines = hashlib.sha256(), 0, 0
    with _open_regular(path, entry["bytes"]) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
            lines += block.count(b"\n")
    if (size, digest.hexdigest()) != (entry["bytes"], entry["sha256"]):
        return f"{path}: checksum does not match manifest.json; the file was changed or damaged"
    with _open_regular(path, entry["bytes"]) as f:
        if fmt == "parquet":
            rows = pq.read_metadata(f).num_rows
        elif fmt == "csv":  # the key column only, as text, line breaks in quoted cells allowed
            key = arrow_schema(table).names[0]
            columns = pacsv.ConvertOptions(include_columns=[key], column_types={key: pa.string()})
            reader = pacsv.open_csv(
                f, parse_options=pacsv.ParseOptions(newlines_in_values=True), convert_options=columns
            )
            rows = sum(batch.num_rows for batch in reader)
        else:
            rows = lines if fmt == "jsonl" else max(lines - 2, 0)
    return None if rows == entry["rows"] else f"{path}: {rows} rows, not the {entry['rows']} manifest.json lists"


def _open_regular(path: Path, limit: int) -> io.BufferedReader:
    import stat

    from rustcase.atomic import kind

    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise ValueError(f"is a {kind(mode)}, not a regular file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    f = os.fdopen(fd, "rb")
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
        f.close()
        raise ValueError(
            "is not a regular file"
            if not stat.S_ISREG(st.st_mode)
            else f"has {st.st_size} bytes, more than the {limit} expected"
        )
    return f


def _manifest_problem(manifest: object) -> str | None:
    """What makes ``manifest`` not an export manifest as rustcase writes it, or None. Paths must be exactly
    ``<table>.<format>``: nothing absolute, nothing outside the directory, nothing in a sub-directory."""
    import re

    from rustcase import formats, versions

    def shape(value: object, keys: dict[str, type], where: str) -> str | None:
        if not isinstance(value, dict):
            return f"{where}: expected a JSON object, got {type(value).__name__}"
        if set(value) != set(keys):
            return f"{where}: expected the keys {', '.join(keys)}, got {', '.join(map(repr, value)) or 'none'}"
        wrong = [k for k, t in keys.items() if type(value[k]) is not t]  # `bool` is not an `int` here
        return f"{where}.{wrong[0]}: expected {keys[wrong[0]].__name__}" if wrong else None

    corpus = isinstance(manifest, dict) and "corpus" in manifest
    problem = shape(manifest, _CORPUS_KEYS if corpus else _MANIFEST_KEYS, "manifest")
    if problem or not isinstance(manifest, dict):
        return problem
    fmt, version, tables = manifest["format"], manifest.get("data_version"), manifest["tables"]
    if fmt not in formats.FORMATS:
        return f"format: {fmt!r} is not one of {', '.join(formats.FORMATS)}"
    if manifest["excel_safe"] and fmt != "csv":
        return "excel_safe: true is for CSV only"
    if not corpus and version not in versions.available():
        return f"data_version: {version!r} is not one this rustcase ships ({', '.join(versions.available())})"
    if not tables:
        return "tables: empty; there is nothing to vouch for"
    shipped = {} if corpus else versions.manifest(version)["tables"]
    limit = sys.maxsize if corpus else TABLE_FILE_LIMIT  # a corpus's tables have any size; they are hashed in blocks
    for table, entry in tables.items():
        if table not in TABLES:
            return f"tables: unknown table {table!r}"
        problem = shape(entry, _CORPUS_ENTRY_KEYS if corpus else _ENTRY_KEYS, f"tables.{table}")
        if problem:
            return problem
        if entry["path"] != f"{table}.{fmt}":
            return f"tables.{table}.path: expected {table}.{fmt}, got {entry['path']!r}"
        if not 0 <= entry["bytes"] <= limit or not re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]):
            return f"tables.{table}: bytes must be a size up to {limit} and sha256 64 hexadecimal digits"
        if corpus and entry["rows"] < 0:
            return f"tables.{table}.rows: a count of rows is not negative"
        if not corpus and (entry["rows"], entry["fingerprint"]) != (
            shipped[table]["rows"],
            shipped[table]["fingerprint"],
        ):
            return f"tables.{table}: rows and fingerprint are not those of {table} in data version {version}"
    if not corpus and manifest["fingerprint"] != dataset_fingerprint({t: e["fingerprint"] for t, e in tables.items()}):
        return "fingerprint: not the fingerprint of the tables listed"
    return None


def verify_export(directory: str | os.PathLike[str]) -> list[str]:
    """Every problem with an exported directory; empty only when everything in it was checked and holds.

    ``manifest.json`` must be exactly of the shape an export writes, for a shipped data version, with
    fingerprints equal to that version's; it must list every table file in the directory; each listed
    file must be a regular file of the declared size and SHA-256 (never read beyond that size), its
    records valid and of the listed fingerprint; the metadata files must be what an export writes. An
    export of a corpus has no fingerprints: its files are checked by size, SHA-256 and row count (their
    records by ``rustcase validate``).
    """
    from rustcase.errors import RustcaseError

    root = Path(directory)
    try:
        return _export_problems(root)
    except RustcaseError as exc:  # the shipped data itself is damaged
        return [str(exc)]
    except OSError as exc:
        return [f"{exc.filename or root}: cannot read: {exc.strerror or exc}"]


def _export_problems(root: Path) -> list[str]:
    from pydantic import ValidationError

    from rustcase import export, formats

    path = root / export.MANIFEST
    try:
        content = _read_regular(path, MANIFEST_LIMIT)
        manifest = json.loads(content)
    except FileNotFoundError:
        return [f"{path}: missing: an export writes it last, so the export was interrupted or {root} is not one"]
    except (OSError, ValueError, RecursionError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return [f"{path}: not a rustcase export manifest: {reason}"]
    if isinstance(manifest, dict) and manifest.get("format") in formats.COLLECTIONS:
        return _collection_problems(root, manifest, content)
    problem = _manifest_problem(manifest)
    if problem:
        return [f"{path}: not a rustcase export manifest: {problem}"]
    fmt, entries = manifest["format"], manifest["tables"]
    listed = {entry["path"] for entry in entries.values()}
    problems = [
        f"{root / name}: a table file that manifest.json does not list; nothing vouches for it"
        for name in sorted(os.listdir(root))
        if name not in listed and name.rpartition(".")[::2] in export._TABLE_FILES
    ]
    corpus = manifest.get("corpus")
    expected = export._metadata(fmt, entries, manifest.get("data_version"), manifest["excel_safe"], corpus)
    if content != expected[export.MANIFEST]:
        problems.append(f"{path}: not byte for byte what an export of these tables writes; it was changed")
    schema = root / "schema"
    schema_ok = not os.path.islink(schema) and os.path.isdir(schema)  # nothing is read through a link
    if not schema_ok:
        problems.append(f"{schema}: not a directory; an export writes the JSON Schemas there")
    for name, written in expected.items():
        if name == export.MANIFEST or (name.startswith("schema/") and not schema_ok):
            continue
        try:
            if _read_regular(root / name, len(written)) != written:
                problems.append(f"{root / name}: not what an export of these tables writes; it was changed")
        except (OSError, ValueError) as exc:
            problems.append(f"{root / name}: {exc.strerror if isinstance(exc, OSError) else exc}")
    for table, entry in entries.items():
        path = root / entry["path"]
        if corpus is not None:
            try:
                problem = _corpus_file_problem(path, table, entry, fmt)
            except (OSError, ValueError) as exc:  # pyarrow's errors are these too
                problem = f"{path}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"
            problems += [problem] if problem else []
            continue
        try:
            content = _read_regular(path, entry["bytes"])
        except (OSError, ValueError) as exc:
            problems.append(f"{path}: {exc.strerror if isinstance(exc, OSError) else exc}")
            continue
        if len(content) != entry["bytes"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
            problems.append(f"{path}: checksum does not match manifest.json; the file was changed or damaged")
            continue
        ours = io.BytesIO()
        export.write_table(table, fmt, ours, manifest["data_version"], excel_safe=manifest["excel_safe"])
        if content == ours.getvalue():
            continue  # byte for byte what rustcase writes for this data version: nothing more to check
        model = TABLES[table].model
        try:
            records = [model.model_validate(row) for row in formats.read(path, table, fmt)]
        except ValidationError as exc:
            err = exc.errors()[0]
            problems.append(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']}")
            continue
        except Exception as exc:  # any file that cannot be read back is a failure, never a traceback
            problems.append(f"{path}: cannot read as {fmt}: {exc}")
            continue
        if table_fingerprint(records) != entry["fingerprint"] and not manifest["excel_safe"]:
            problems.append(f"{path}: content fingerprint differs from manifest.json")
    return problems


_COLLECTION_KEYS = ("format", "rustcase_version", "data_version", "fingerprint", "offsets", "files")


def _collection_problems(root: Path, manifest: dict[str, Any], content: bytes) -> list[str]:
    """A collection export (brat, webanno, ...) is vouched for only if every file in it is byte for byte what
    this rustcase writes for the data version and offset unit its manifest names, and nothing else is there."""
    from importlib.metadata import version as installed

    from rustcase import export, versions
    from rustcase.dataset import load
    from rustcase.errors import RustcaseError

    path = root / export.MANIFEST
    if list(manifest) != list(_COLLECTION_KEYS) or not all(isinstance(manifest[k], str) for k in _COLLECTION_KEYS[:-1]):
        return [f"{path}: not a rustcase collection manifest: expected the keys {', '.join(_COLLECTION_KEYS)}"]
    data_version, fmt = manifest["data_version"], manifest["format"]
    if (
        data_version not in versions.available()
        or manifest["fingerprint"] != versions.lock()[data_version]["fingerprint"]
    ):
        return [f"{path}: data_version and fingerprint are not those of a data version this rustcase ships"]
    if manifest["rustcase_version"] != installed("rustcase"):
        return [
            f"{path}: written by rustcase {manifest['rustcase_version']}; rustcase {installed('rustcase')} vouches "
            "only for collections it writes itself (export again to compare)"
        ]
    try:
        expected = export.collection(fmt, load(data_version), manifest["offsets"])
    except RustcaseError as exc:
        return [f"{path}: {exc}"]
    problems = [] if content == expected[export.MANIFEST] else [f"{path}: not what this export writes; it was changed"]
    for name, written in expected.items():
        if name == export.MANIFEST:
            continue
        try:
            if _read_regular(root / name, len(written)) != written:
                problems.append(
                    f"{root / name}: not what an export of data version {data_version} writes; it was changed"
                )
        except (OSError, ValueError) as exc:
            problems.append(f"{root / name}: {exc.strerror if isinstance(exc, OSError) else exc}")
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            relative = (Path(folder) / name).relative_to(root).as_posix()
            if not name.startswith(".") and relative not in expected:
                problems.append(f"{root / relative}: a file that manifest.json does not list; nothing vouches for it")
    return problems
