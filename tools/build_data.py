"""Build the shipped data from the curated sources: one deterministic command.

    python tools/build_data.py          # write src/rustcase/data/*.parquet, schema/*.json, docs/data-dictionary.md
    python tools/build_data.py --check  # exit 1 if any of those is stale

Input: ``data/sources/*.txt`` (the articles, verbatim) and ``data/curated/<table>.yaml`` (one record per
entry, sorted by ID). Every record is validated by its model and every span and reference is checked
before anything is written.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from rustcase.integrity import reference_problems, span_problems  # noqa: E402
from rustcase.models import TABLES, Record  # noqa: E402
from rustcase.schema import arrow_schema, data_dictionary, json_schema  # noqa: E402

CURATED = ROOT / "data" / "curated"
SOURCES = ROOT / "data" / "sources"


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


def outputs() -> dict[Path, bytes]:
    """Every derived file and its content."""
    files: dict[Path, bytes] = {}
    for table, records in curated_records().items():
        sink = io.BytesIO()
        pq.write_table(arrow_table(table, records), sink, compression="zstd")
        files[ROOT / "src" / "rustcase" / "data" / f"{table}.parquet"] = sink.getvalue()
        schema = json.dumps(json_schema(table), indent=2, ensure_ascii=False) + "\n"
        files[ROOT / "schema" / f"{table}.schema.json"] = schema.encode()
    files[ROOT / "docs" / "data-dictionary.md"] = data_dictionary().encode()
    return files


def _same(path: Path, content: bytes) -> bool:
    if not path.exists():
        return False
    if path.suffix == ".parquet":  # compare content, not the writer's version string
        return pq.read_table(path).equals(pq.read_table(io.BytesIO(content)), check_metadata=True)
    return path.read_bytes() == content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    args = parser.parse_args(argv)
    try:
        files = outputs()
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    stale = [p for p, content in files.items() if not _same(p, content)]
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
