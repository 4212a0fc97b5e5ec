"""A seeded generator of an extended corpus with rustcase's schema, for scale benchmarks and tests.

    python benchmarks/corpus.py --quotes 10000000 --out /tmp/corpus-10m [--files 8] [--hive] [--plant]

Proportions follow the shipped data (35 quotes per article, 1.3 mentions per quote, a person per 9
quotes). Articles are generated 1,000 at a time and written as they are made, so memory stays bounded
whatever the size. Every span matches its article text (which holds non-ASCII characters, so code points
and bytes differ) and every reference resolves: a corpus without ``--plant`` is valid. ``--plant`` puts
one error of each kind into the first rows and writes ``planted.json`` beside the tables: the exact
``file:row:field: message`` lines a validator must report, and no others.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import rustcase

WORDS = "the gun went off on set and she said that he was told it was “cold” but nobody knew why café".split()
QUOTES_PER_ARTICLE, MENTIONS_PER_QUOTE, QUOTES_PER_PERSON, CHUNK = 35, 1.3, 9, 1000


def _text(rng: np.random.Generator, words: int) -> str:
    return " ".join(WORDS[i] for i in rng.integers(0, len(WORDS), words)) + "."


def _people(n: int) -> list[str]:
    return [f"per-p{i:08d}" for i in range(n)]


def _table(name: str, columns: dict[str, object]) -> pa.Table:
    schema = rustcase.arrow_schema(name)
    return pa.table(
        {f.name: pa.array(columns.get(f.name), f.type) if f.name in columns else pa.nulls(0, f.type) for f in schema},
        schema=schema,
    )


def _spans(rng: np.random.Generator, article: np.ndarray, texts: list[str]) -> tuple[list[int], list[int], list[str]]:
    """Sorted spans of 1 to 59 code points inside each row's article."""
    sizes = np.array([len(t) for t in texts])
    starts = rng.integers(0, sizes[article] - 60)
    ends = starts + rng.integers(1, 60, len(article))
    order = np.lexsort((starts, article))
    rows, s, e = article[order].tolist(), starts[order].tolist(), ends[order].tolist()
    return s, e, [texts[r][a:b] for r, a, b in zip(rows, s, e, strict=True)]


def _placed(
    rng: np.random.Generator, n: int, per_article: int, texts: list[str]
) -> tuple[list[int], list[int], list[int], list[int], list[str]]:
    """``n`` rows spread over the articles in order: each row's article (in the chunk), its number in that
    article (from 1), and its span."""
    local = np.minimum(np.arange(n) // per_article, len(texts) - 1)
    seq = np.arange(n) - np.searchsorted(local, local) + 1
    s, e, text = _spans(rng, local, texts)
    return local.tolist(), seq.tolist(), s, e, text


def chunks(quotes: int, seed: int = 2021, chunk: int = CHUNK) -> Iterator[tuple[str, pa.Table]]:
    """The corpus as (table, rows) pieces: the articles, quotes and mentions of ``chunk`` articles at a time."""
    rng = np.random.default_rng(seed)
    n_articles = max(5, -(-quotes // QUOTES_PER_ARTICLE))
    n_people = max(20, quotes // QUOTES_PER_PERSON)
    people = _people(n_people)
    done = 0
    for first in range(0, n_articles, chunk):
        ids = range(first, min(first + chunk, n_articles))
        texts = [_text(rng, 800) for _ in ids]
        yield (
            "articles",
            _table(
                "articles",
                {
                    "article_id": [f"art-{i:03d}" for i in ids],
                    "source_file": [f"{i:03d}.txt" for i in ids],
                    "outlet_basis": ["generated"] * len(ids),
                    "headline_basis": ["generated"] * len(ids),
                    "body_start": [0] * len(ids),
                    "published_basis": ["generated"] * len(ids),
                    "source_url_basis": ["generated"] * len(ids),
                    "text": texts,
                    "text_sha256": [hashlib.sha256(t.encode()).hexdigest() for t in texts],
                    **{
                        c: [None] * len(ids)
                        for c in ("outlet", "headline", "headline_start", "headline_end", "published", "source_url")
                    },
                },
            ),
        )
        n = min(quotes - done, len(ids) * QUOTES_PER_ARTICLE)
        done += n
        local, seq, s, e, text = _placed(rng, n, QUOTES_PER_ARTICLE, texts)
        yield (
            "quotes",
            _table(
                "quotes",
                {
                    "quote_id": [f"quo-{first + a:03d}-{q:03d}" for a, q in zip(local, seq, strict=True)],
                    "article_id": [f"art-{first + a:03d}" for a in local],
                    "speaker_id": [people[i] for i in rng.integers(0, n_people, n).tolist()],
                    "co_speaker_ids": [[] for _ in range(n)],
                    "kind": np.array(["indirect", "mixed", "direct"])[rng.integers(0, 3, n)].tolist(),
                    "start": s,
                    "end": e,
                    "text": text,
                    "medium": ["tv_interview"] * n,
                    **{
                        c: [None] * n
                        for c in (
                            "cue",
                            "cue_start",
                            "cue_end",
                            "addressee_id",
                            "parent_quote_id",
                            "continues_quote_id",
                            "utterance_id",
                            "utterance_relation",
                            "note",
                        )
                    },
                },
            ),
        )
        m = int(n * MENTIONS_PER_QUOTE)
        local, seq, s, e, text = _placed(rng, m, int(QUOTES_PER_ARTICLE * MENTIONS_PER_QUOTE + 1), texts)
        yield (
            "mentions",
            _table(
                "mentions",
                {
                    "mention_id": [f"men-{first + a:03d}-{q:04d}" for a, q in zip(local, seq, strict=True)],
                    "article_id": [f"art-{first + a:03d}" for a in local],
                    "entity_id": [people[i] for i in rng.integers(0, n_people, m).tolist()],
                    "mention_type": ["name"] * m,
                    "start": s,
                    "end": e,
                    "text": text,
                },
            ),
        )
    for first in range(0, n_people, CHUNK * 100):
        ids = people[first : first + CHUNK * 100]
        k = len(ids)
        yield (
            "people",
            _table(
                "people",
                {
                    "person_id": ids,
                    "name": [f"Person {p[5:]}" for p in ids],
                    "named": [True] * k,
                    **{c: [[] for _ in range(k)] for c in ("aliases", "roles", "role_reports", "ages", "affiliations")},
                    "description": ["generated"] * k,
                    "note": [None] * k,
                },
            ),
        )
    for name in ("organizations", "places", "works", "utterances", "events", "claims"):
        shipped = rustcase.read_table(name)
        yield name, shipped if name in ("organizations", "places", "works") else shipped.schema.empty_table()


def generate(quotes: int, seed: int = 2021) -> dict[str, pa.Table]:
    """The whole corpus in memory, one Arrow table per table (for small sizes)."""
    pieces: dict[str, list[pa.Table]] = {}
    for name, data in chunks(quotes, seed):
        pieces.setdefault(name, []).append(data)
    return {name: pa.concat_tables(pieces[name]) for name in rustcase.TABLES}


PLANTS = [  # (table, row from 1, column, new value, the problems it must cause: (column, message))
    ("quotes", 2, "quote_id", None, [("quote_id", "missing value (required)")]),
    ("quotes", 3, "kind", "verbatim", [("kind", "'verbatim' is not one of direct, partial, nested, indirect, mixed")]),
    (
        "quotes",
        4,
        "speaker_id",
        "Baldwin",
        [
            ("speaker_id", "'Baldwin' does not match ^(?:per|org)-[a-z0-9]+(?:-[a-z0-9]+)*$"),
            ("speaker_id", "'Baldwin' names no record"),
        ],
    ),
    ("quotes", 5, "note", "", [("note", "empty text (use null for no value)")]),
    (
        "quotes",
        6,
        "cue_start",
        -1,
        [("cue_start", "-1 is below 0"), ("cue", "cue, cue_start and cue_end are null together or not at all")],
    ),
    ("quotes", 8, "quote_id", "quo-000-007", [("quote_id", "duplicate quote_id 'quo-000-007' (first at row 7)")]),
    ("quotes", 9, "speaker_id", "per-nobody", [("speaker_id", "'per-nobody' names no record")]),
    ("quotes", 10, "co_speaker_ids", ["per-nobody"], [("co_speaker_ids", "'per-nobody' names no record")]),
    ("quotes", 11, "end", 10**6, [("start", "span {start}:1000000 is outside the article ({length} characters)")]),
    (
        "quotes",
        12,
        "text",
        "words nobody said",
        [("text", "'words nobody said' is not the article's {want!r} at {start}:{end}")],
    ),
    ("mentions", 2, "entity_id", "per-nobody", [("entity_id", "'per-nobody' names no record")]),
]
"""One planted error of each kind; messages with {start}, {end}, {length}, {want} are filled in from the row."""


def _plant(name: str, data: pa.Table, texts: dict[str, str], file: str) -> tuple[pa.Table, list[str]]:
    rows = data.to_pylist()
    lines = []
    for table, row, column, value, problems in PLANTS:
        if table != name:
            continue
        record = rows[row - 1]
        record[column] = value
        text = texts.get(record.get("article_id") or "", "")
        fill = {
            "start": record.get("start"),
            "end": record.get("end"),
            "length": len(text),
            "want": text[record.get("start") or 0 : record.get("end") or 0][:60],
        }
        lines += [f"{file}:{row}:{field}: {message.format(**fill)}" for field, message in problems]
    schema = pa.schema([f.with_nullable(True) for f in data.schema])
    return pa.Table.from_pylist(rows, schema=schema), lines


def write(
    quotes: int,
    out: Path,
    seed: int = 2021,
    files: int = 1,
    hive: bool = False,
    plant: bool = False,
    chunk: int = CHUNK,
) -> int:
    """Write the corpus into ``out`` (``<table>.parquet``; quotes and mentions in ``files`` files under
    ``<table>/``, in ``bucket=K/`` directories with ``hive``). Returns the number of rows written."""
    out.mkdir(parents=True, exist_ok=True)
    writers: dict[tuple[str, int], pq.ParquetWriter] = {}
    first_texts: dict[str, str] = {}
    planted: list[str] = []
    counts: dict[str, int] = {}
    total = 0
    for name, data in chunks(quotes, seed, chunk):
        part = counts.get(name, 0) % files if name in ("quotes", "mentions") and files > 1 else 0
        if name in ("quotes", "mentions") and files > 1:
            directory = out / name / (f"bucket={part}" if hive else "")
            path = directory / f"part-{part:05d}.parquet"
        else:
            path = out / f"{name}.parquet"
        if name == "articles" and not first_texts:
            first_texts = dict(zip(data["article_id"].to_pylist(), data["text"].to_pylist(), strict=True))
        if plant and counts.get(name, 0) == 0 and name in ("quotes", "mentions"):
            data, lines = _plant(name, data, first_texts, str(path.relative_to(out)))
            planted += lines
        counts[name] = counts.get(name, 0) + 1
        data = data.cast(pa.schema([f.with_nullable(True) for f in data.schema]))  # room for planted nulls
        if (name, part) not in writers:
            path.parent.mkdir(parents=True, exist_ok=True)
            writers[name, part] = pq.ParquetWriter(path, data.schema)
        writers[name, part].write_table(data)
        total += data.num_rows
    for writer in writers.values():
        writer.close()
    if plant:
        (out / "planted.json").write_text(json.dumps(planted, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--files", type=int, default=1, help="files for quotes and mentions (a directory each)")
    parser.add_argument("--hive", action="store_true", help="with --files: hive-style bucket=K/ directories")
    parser.add_argument("--plant", action="store_true", help="plant one error of each kind; list them in planted.json")
    args = parser.parse_args(argv)
    rows = write(args.quotes, args.out, args.seed, args.files, args.hive, args.plant)
    print(f"wrote {args.quotes:,} quotes ({rows:,} rows) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
