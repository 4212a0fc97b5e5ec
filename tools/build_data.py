"""Build the shipped data from the curated sources: one deterministic command.

    python tools/build_data.py          # build what is stale: schema/, docs/, and a new data version if any
    python tools/build_data.py --check  # exit 1 if anything is stale, or data/curated changed without a new version

Input: ``data/sources/*.txt`` (the articles, verbatim), ``data/curated/<table>.yaml`` (one record per
entry, sorted by ID) and ``data/DATA_VERSION``. Every record is validated by its model and every span and
reference is checked before anything is written. A version not yet in the lock file is released: its
Parquet files and manifest go to ``src/rustcase/data/<version>/`` and its fingerprint into the lock. A
released version is never rebuilt; curated data that differs from it needs a new version, at least as
large a step as the changes need (major for a removed or changed record, minor for added ones), and
``data/errata/<version>.yaml`` must say why each record changed, with the article words that show it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from rustcase.changes import DataDiff, Erratum, diff_records  # noqa: E402
from rustcase.dataset import load_table  # noqa: E402
from rustcase.formats import json_document  # noqa: E402
from rustcase.integrity import dataset_fingerprint, reference_problems, span_problems, table_fingerprint  # noqa: E402
from rustcase.metadata import SCHEMAS_FILE, citation_cff  # noqa: E402
from rustcase.models import TABLES, Article, Record  # noqa: E402
from rustcase.schema import arrow_schema, data_dictionary, json_schema, schemas_document  # noqa: E402
from rustcase.versions import LOCK_FILE, lock_document, version_key  # noqa: E402

CURATED = ROOT / "data" / "curated"
SOURCES = ROOT / "data" / "sources"
VERSION_FILE = ROOT / "data" / "DATA_VERSION"
DATA = ROOT / "src" / "rustcase" / "data"


class BuildError(Exception):
    """Curated input that cannot be built; the message names the file, record and field."""


def _read_yaml(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise BuildError(f"{path}: missing (every table needs a curated file, an empty list is fine)")
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise BuildError(f"{path}: expected a list of records")
    return rows


def _article_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        source = SOURCES / str(row.get("source_file"))
        if not source.is_file():
            raise BuildError(
                f"{CURATED / 'articles.yaml'}: {row.get('article_id')}: source_file {source.name!r} not in {SOURCES}"
            )
        text = source.read_bytes().decode("utf-8")
        row["text"] = text
        row["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return rows


def curated_records() -> dict[str, list[Record]]:
    """Every curated record, validated by its model, in file order; raises `BuildError` on the first bad file."""
    tables: dict[str, list[Record]] = {}
    for table, spec in TABLES.items():
        path = CURATED / f"{table}.yaml"
        rows = _read_yaml(path)
        if table == "articles":
            rows = _article_rows(rows)
        records, errors = [], []
        for i, row in enumerate(rows):
            try:
                records.append(spec.model.model_validate(row))
            except ValidationError as exc:
                rid = row.get(spec.key, f"entry {i + 1}")
                errors += [f"{path}: {rid}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        keys = [getattr(r, spec.key) for r in records]
        if not errors and keys != sorted(keys):
            errors.append(f"{path}: records are not sorted by {spec.key}")
        if errors:
            raise BuildError("\n".join(errors))
        tables[table] = records
    problems = span_problems(tables) + reference_problems(tables)
    if problems:
        raise BuildError("\n".join(problems))
    return tables


def arrow_table(table: str, records: list[Record]) -> pa.Table:
    """The records of one table as an Arrow table with the model-derived schema."""
    return pa.Table.from_pylist([r.model_dump() for r in records], schema=arrow_schema(table))


def counts(tables: dict[str, list[Record]]) -> str:
    """The record counts as Markdown: per table, and per article for everything that has spans."""
    per_article: dict[str, Counter[str]] = {}

    def add(column: str, article_id: str) -> None:
        per_article.setdefault(column, Counter())[article_id] += 1

    for record in tables["quotes"]:
        add(f"quotes: {record.kind}", record.article_id)
    for record in tables["mentions"]:
        add(f"mentions: {record.mention_type}", record.article_id)
    for event in tables["events"]:
        for report in event.reports:
            add("event reports", report.article_id)
    for claim in tables["claims"]:
        for position in claim.positions:
            add("claim positions", position.article_id)
    articles = [a.article_id for a in tables["articles"]]
    lines = [
        "# Counts",
        "",
        "Generated by `python tools/build_data.py`; do not edit.",
        "",
        "| table | records |",
        "| --- | ---: |",
    ]
    lines += [f"| `{table}` | {len(records)} |" for table, records in tables.items()]
    lines += ["", "| per article | " + " | ".join(articles) + " | all |", "| --- |" + " ---: |" * (len(articles) + 1)]
    for column in sorted(per_article):
        row = per_article[column]
        lines.append(f"| {column} | " + " | ".join(str(row[a]) for a in articles) + f" | {sum(row.values())} |")
    return "\n".join(lines) + "\n"


def errata(version: str, tables: dict[str, list[Record]]) -> tuple[Erratum, ...]:
    """The errata of ``version`` (``data/errata/<version>.yaml``), each evidence span checked against its article."""
    path = CURATED.parent / "errata" / f"{version}.yaml"
    if not path.exists():
        return ()
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise BuildError(f"{path}: expected a list of errata")
    texts = {a.article_id: a.text for a in tables["articles"] if isinstance(a, Article)}
    found, problems = [], []
    for i, entry in enumerate(entries, 1):
        try:
            erratum = Erratum.from_dict(version, entry)
        except (ValueError, TypeError) as exc:
            problems.append(f"{path}: entry {i}: {exc}")
            continue
        for span in erratum.evidence:
            text = texts.get(span.article_id, "")
            if (
                not (isinstance(span.start, int) and isinstance(span.end, int) and 0 <= span.start < span.end)
                or text[span.start : span.end] != span.text
            ):
                problems.append(
                    f"{path}: entry {i} ({erratum.id}): evidence {span.text!r} is not the text of "
                    f"{span.article_id} at {span.start}:{span.end}"
                )
        found.append(erratum)
    if problems:
        raise BuildError("\n".join(problems))
    return tuple(found)


def _released_errata(lock: dict[str, dict[str, str]], version: str, tables: dict[str, list[Record]]) -> None:
    """Errata files name the version being built or a released one, and a released version's errata never change."""
    for path in sorted((CURATED.parent / "errata").glob("*.yaml")):
        if path.stem in lock:
            shipped = json.loads((DATA / path.stem / "manifest.json").read_bytes())["changes"].get("errata", [])
            if [e.to_dict() for e in errata(path.stem, tables)] != shipped:
                raise BuildError(
                    f"{path}: differs from the errata released with {path.stem}; released errata never change"
                )
        elif path.stem != version:
            raise BuildError(f"{path}: {path.stem} is neither released nor the version being built ({version})")


def _bump(old: str, new: str) -> str:
    a, b = version_key(old), version_key(new)
    return "major" if b[0] > a[0] else "minor" if b[1] > a[1] else "patch"


def release(version: str, tables: dict[str, list[Record]], changes: dict[str, object]) -> dict[Path, bytes]:
    """The files of a new data version: one Parquet file per table, and the manifest with the changes."""
    files, entries, prints = {}, {}, {}
    for table, records in tables.items():
        sink = io.BytesIO()
        pq.write_table(arrow_table(table, records), sink, compression="zstd")
        content = sink.getvalue()
        files[DATA / version / f"{table}.parquet"] = content
        prints[table] = table_fingerprint(records)
        entries[table] = {
            "path": f"{table}.parquet",
            "bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "rows": len(records),
            "fingerprint": prints[table],
        }
    manifest = {
        "data_version": version,
        "fingerprint": dataset_fingerprint(prints),
        "tables": entries,
        "changes": changes,
    }
    files[DATA / version / "manifest.json"] = json_document(manifest)
    return files


def outputs() -> dict[Path, bytes]:
    """Every derived file and its content; a new data version when data/DATA_VERSION names one.

    The build derives schemas.json from the models, so released versions are read here without checking the
    committed schemas.json against the lock (their manifests and table files are checked as always).
    """
    from rustcase import versions

    checked = versions._package_file
    versions._package_file = lambda name, entry: b"" if name == SCHEMAS_FILE else checked(name, entry)
    versions._lock.cache_clear()
    try:
        return _outputs()
    finally:
        versions._package_file = checked
        versions._lock.cache_clear()


def _outputs() -> dict[Path, bytes]:
    tables = curated_records()
    files: dict[Path, bytes] = {ROOT / "docs" / "counts.md": counts(tables).encode()}
    for table in tables:
        files[ROOT / "schema" / f"{table}.schema.json"] = json_document(json_schema(table))
    files[ROOT / "docs" / "data-dictionary.md"] = data_dictionary().encode()
    schemas = schemas_document()
    files[DATA.parent / SCHEMAS_FILE] = schemas
    # The lock file vouches for every file read at run time: the versions' manifests and schemas.json.
    package_files = {SCHEMAS_FILE: {"bytes": len(schemas), "sha256": hashlib.sha256(schemas).hexdigest()}}

    version = VERSION_FILE.read_text(encoding="utf-8").strip()
    lock_file = json.loads((DATA / LOCK_FILE).read_text(encoding="utf-8")) if (DATA / LOCK_FILE).exists() else {}
    lock = lock_file.get("versions", lock_file)  # a lock file of the first format (versions only) is rewritten
    fingerprint = dataset_fingerprint({table: table_fingerprint(records) for table, records in tables.items()})
    files[ROOT / "CITATION.cff"] = citation_cff(version, fingerprint).encode()
    _released_errata(lock, version, tables)
    if version in lock:
        if lock[version]["fingerprint"] != fingerprint:
            raise BuildError(
                f"data/curated differs from the released data version {version} ({lock[version]['fingerprint']}); "
                f"a released version never changes: set {VERSION_FILE.relative_to(ROOT)} to a new version"
            )
        files[DATA / LOCK_FILE] = lock_document(package_files, lock)
        files[ROOT / "data" / "changes.json"] = json_document(_history(lock, files))
        return files
    if lock:
        previous = max(lock, key=version_key)
        if version_key(version) <= version_key(previous):
            raise BuildError(f"{VERSION_FILE.relative_to(ROOT)}: {version} is not newer than {previous}")
        changes = DataDiff(
            previous,
            version,
            diff_records({t: load_table(t, previous) for t in TABLES}, tables),
            errata(version, tables),
        )
        unexplained = changes.unexplained()
        if unexplained:
            path = CURATED.parent / "errata" / f"{version}.yaml"
            raise BuildError("\n".join(f"{path}: {problem}" for problem in unexplained))
        order = ["patch", "minor", "major"]
        if order.index(_bump(previous, version)) < order.index(changes.bump()):
            raise BuildError(
                f"{previous} -> {version} is too small a step: the changes need a {changes.bump()} version"
            )
        entry = changes.to_dict()
    else:
        entry = {"old": None, "new": version, "bump": "initial", "added": {t: len(r) for t, r in tables.items()}}
    files.update(release(version, tables, entry))
    manifest = files[DATA / version / "manifest.json"]
    lock[version] = {"fingerprint": fingerprint, "manifest_sha256": hashlib.sha256(manifest).hexdigest()}
    files[DATA / LOCK_FILE] = lock_document(package_files, lock)
    files[ROOT / "data" / "changes.json"] = json_document(_history(lock, files))
    return files


def _history(lock: dict[str, dict[str, str]], files: dict[Path, bytes]) -> list[dict[str, object]]:
    """The changes file: each version's fingerprint and changes, from the manifests, oldest first."""
    history = []
    for version in sorted(lock, key=version_key):
        path = DATA / version / "manifest.json"
        manifest = json.loads(files[path] if path in files else path.read_bytes())
        history.append({"version": version, "fingerprint": manifest["fingerprint"], **manifest["changes"]})
    return history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    args = parser.parse_args(argv)
    try:
        files = outputs()
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    stale = [p for p, content in files.items() if not p.exists() or p.read_bytes() != content]
    if args.check:
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)} (run python tools/build_data.py)", file=sys.stderr)
        return 1 if stale else 0
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(files[p])
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
