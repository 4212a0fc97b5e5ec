"""One record by ID with what it links to: the answer of ``rustcase show ID``, as JSON-ready data."""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Any

from rustcase.dataset import Dataset, load
from rustcase.errors import UnknownIdError
from rustcase.models import (
    TABLES,
    Article,
    Claim,
    Event,
    Mention,
    Organization,
    Person,
    Place,
    Quote,
    Record,
    Utterance,
    Work,
)

TEXT_WIDTH = 400
"""The longest value `text_lines` shows whole (an article's text is cut; JSON keeps everything)."""


def lookup(record_id: str, version: str | None = None) -> dict[str, Any]:
    """The record of any table with this ID, and the records it links to, as plain JSON-ready data.

    ``{"table": ..., "record": {...}, "links": {...}}``. The links of a quote: speaker, article and outlet,
    parent, co-speakers, the other outlets' wordings of the same utterance; of a person or organisation:
    quotes and mentions per article; of an event: place, participants, reports with their outlets. An unknown
    ID raises `UnknownIdError`.
    """
    ds = load(version)
    try:
        record = ds.record(record_id)
    except UnknownIdError:
        ids = [rid for name in TABLES for rid in getattr(ds, name)]
        close = difflib.get_close_matches(record_id, ids, n=3) if isinstance(record_id, str) else []
        hint = f"; did you mean {' or '.join(close)}?" if close else f" in data version {ds.version}"
        raise UnknownIdError(record_id, "record", hint) from None
    table = next(name for name, spec in TABLES.items() if isinstance(record, spec.model))
    return {"table": table, "record": record.model_dump(mode="json"), "links": _links(ds, record, record_id)}


def _name(ds: Dataset, entity_id: str | None) -> dict[str, str] | None:
    if entity_id is None:
        return None
    if entity_id in ds.articles:  # an article's own voice holds a position
        return {"id": entity_id, "name": _article_title(ds.articles[entity_id])}
    return {"id": entity_id, "name": ds.entity(entity_id).name}


def _article_title(article: Article) -> str:
    return f"{article.outlet or 'outlet unknown'}, {article.published or 'date unknown'}"


def _article(ds: Dataset, article_id: str) -> dict[str, str]:
    return {"id": article_id, "name": _article_title(ds.articles[article_id])}


def _quote(ds: Dataset, quote: Quote) -> dict[str, Any]:
    return {
        "id": quote.quote_id,
        "article": quote.article_id,
        "outlet": ds.articles[quote.article_id].outlet,
        "kind": quote.kind,
        "relation": quote.utterance_relation,
        "text": quote.text,
    }


def _per_article(ds: Dataset, entity_id: str) -> dict[str, dict[str, int]]:
    quotes = Counter(q.article_id for q in ds.quotes_by(entity_id)) if entity_id[:4] in ("per-", "org-") else {}
    mentions = Counter(m.article_id for m in ds.mentions_of(entity_id))
    return {
        a: {"quotes": quotes.get(a, 0), "mentions": mentions.get(a, 0)}
        for a in ds.articles
        if quotes.get(a) or mentions.get(a)
    }


def _links(ds: Dataset, record: Record, record_id: str) -> dict[str, Any]:
    if isinstance(record, Quote):
        return {
            "speaker": _name(ds, record.speaker_id),
            "co_speakers": [_name(ds, s) for s in record.co_speaker_ids],
            "addressee": _name(ds, record.addressee_id),
            "article": _article(ds, record.article_id),
            "cue": record.cue,
            "parent": _quote(ds, ds.quotes[record.parent_quote_id]) if record.parent_quote_id else None,
            "inner": [_quote(ds, q) for q in ds.quotes_in(record.article_id) if q.parent_quote_id == record.quote_id],
            "other_wordings": [
                _quote(ds, q)
                for q in (ds.variants(record.utterance_id) if record.utterance_id else ())
                if q.article_id != record.article_id
            ],
            "positions": [
                {"claim": c.claim_id, "statement": c.statement, "stance": p.stance}
                for c in ds.claims.values()
                for p in c.positions
                if p.quote_id == record.quote_id
            ],
        }
    if isinstance(record, Person | Organization | Place | Work):
        links: dict[str, Any] = {"per_article": _per_article(ds, record_id)}
        if isinstance(record, Person):
            links["roles"] = [{"role": r.role, "article": r.article_id, "text": r.text} for r in record.role_reports]
            links["affiliations"] = [
                {"relation": a.relation, "target": _name(ds, a.target_id)} for a in record.affiliations
            ]
        links["events"] = [
            {"id": e.event_id, "description": e.description, "role": role}
            for e in ds.events.values()
            for role in [p.role for p in e.participants if p.entity_id == record_id]
            + (["place"] if e.place_id == record_id else [])
        ]
        return links
    if isinstance(record, Event):
        return {
            "date": {"date": record.date, "precision": record.date_precision, "basis": record.date_basis},
            "place": _name(ds, record.place_id),
            "participants": [{**(_name(ds, p.entity_id) or {}), "role": p.role} for p in record.participants],
            "reports": [
                {
                    "article": _article(ds, r.article_id),
                    "factuality": r.factuality,
                    "source": _name(ds, r.source_id),
                    "text": r.text,
                }
                for r in record.reports
            ],
        }
    if isinstance(record, Article):
        speakers = Counter(q.speaker_id for q in ds.quotes_in(record.article_id))
        return {
            "title": record.headline or _article_title(record),
            "quotes": len(ds.quotes_in(record.article_id)),
            "mentions": sum(m.article_id == record.article_id for m in ds.mentions.values()),
            "speakers": [{**(_name(ds, s) or {}), "quotes": n} for s, n in speakers.most_common()],
        }
    if isinstance(record, Utterance):
        return {
            "speaker": _name(ds, record.speaker_id),
            "wordings": [_quote(ds, q) for q in ds.variants(record.utterance_id)],
        }
    if isinstance(record, Claim):
        return {
            "positions": [
                {"holder": _name(ds, p.holder_id), "stance": p.stance, "article": p.article_id, "text": p.text}
                for p in record.positions
            ]
        }
    assert isinstance(record, Mention)
    return {"entity": _name(ds, record.entity_id), "article": _article(ds, record.article_id)}


def text_lines(answer: dict[str, Any]) -> list[str]:
    """``lookup``'s answer as indented text for a terminal: ``key: value`` lines, lists as ``-`` items."""
    record = answer["record"]
    key = TABLES[answer["table"]].key
    return [f"{answer['table']} {record[key]}", *_text(record, 1), "links:", *_text(answer["links"], 1)]


def _text(value: Any, depth: int) -> list[str]:
    pad = "  " * depth
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else (("-", v) for v in value)
    for name, item in items:
        label = f"{pad}{name}" if name == "-" else f"{pad}{name}:"
        if isinstance(item, dict) and set(item) == {"id", "name"}:
            lines.append(f"{label} {item['name']} ({item['id']})")
        elif isinstance(item, dict | list) and item:
            lines.append(label)
            lines += _text(item, depth + 1)
        else:
            shown = "none" if item is None or item == [] or item == {} else str(item).replace("\n", "\\n")
            if len(shown) > TEXT_WIDTH:
                shown = f"{shown[:TEXT_WIDTH]}… ({len(shown)} characters; --json shows all)"
            lines.append(f"{label} {shown}")
    return lines
