"""The tables and their primary keys: what the command line and the file layer need, without the models."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TABLE_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "articles": "article_id",
        "people": "person_id",
        "organizations": "organization_id",
        "places": "place_id",
        "works": "work_id",
        "quotes": "quote_id",
        "utterances": "utterance_id",
        "events": "event_id",
        "claims": "claim_id",
        "mentions": "mention_id",
    }
)
"""Every table's primary-key field, in dependency order (the order of exports and fingerprints)."""


def check_table(table: str) -> str:
    """Return ``table`` if it is one of rustcase's tables, else raise `UnknownTableError`."""
    if not isinstance(table, str) or table not in TABLE_KEYS:
        from rustcase.errors import UnknownTableError

        raise UnknownTableError(table)
    return table
