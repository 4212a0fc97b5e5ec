"""Checks that hold for every copy of the data: spans match their article, references resolve, keys are unique."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from pydantic import BaseModel

from rustcase.models import TABLES, Article, Evidence, Mention, Quote, Record

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
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                yield from _walk(item, f"{where}.{name}" + (f"[{i}]" if isinstance(value, list) else ""))


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
