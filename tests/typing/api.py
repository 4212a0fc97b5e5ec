"""A typed usage example: mypy --strict checks that the public API is typed as documented."""

from __future__ import annotations

import pyarrow as pa

import rustcase
from rustcase import Quote


def baldwin_quotes() -> list[str]:
    ds: rustcase.Dataset = rustcase.load()
    quotes: tuple[Quote, ...] = ds.quotes_by("per-alec-baldwin")
    return [q.text for q in quotes if q.kind == "direct"]


def table() -> pa.Table:
    return rustcase.read_table("events")


def dates() -> list[str | None]:
    return [e.date for e in rustcase.load_events()]


def strict_f1(path: str) -> float | None:
    report = rustcase.score("quotes", path, version="1", fold=1)
    assert isinstance(report.metrics, rustcase.scoring.report.QuoteMetrics)
    return report.metrics.spans.strict.f1


def questions() -> list[str]:
    ds = rustcase.load()
    found: tuple[rustcase.Quote | rustcase.Mention, ...] = ds.search("cold gun")
    per_speaker: pa.Table = rustcase.sql("SELECT speaker_id, count(*) AS n FROM quotes GROUP BY ALL")
    answer: dict[str, object] = rustcase.lookup("per-alec-baldwin")
    return [r.text for r in found] + [str(per_speaker.num_rows), str(answer["table"])]
