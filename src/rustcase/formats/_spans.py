"""What every collection format carries, read once from the dataset API: per article its quotes, cues and
mentions, with the labels the formats use (the enumerations come from the models, never copied)."""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rustcase.dataset import Dataset
    from rustcase.models import Article, Mention, Quote


def choices(model: type, field: str) -> tuple[str, ...]:
    """The values a Literal (or optional Literal) field of a model takes, in the model's order."""
    annotation = model.model_fields[field].annotation  # type: ignore[attr-defined]
    values = [a for a in typing.get_args(annotation) if a is not type(None)]
    while len(values) == 1 and typing.get_args(values[0]):
        values = [a for a in typing.get_args(values[0]) if a is not type(None)]
    return tuple(str(v) for v in values)


def quote_kinds() -> tuple[str, ...]:
    from rustcase.models import Quote

    return choices(Quote, "kind")


def media() -> tuple[str, ...]:
    from rustcase.models import Quote

    return choices(Quote, "medium")


def entity_types(ds: Dataset) -> dict[str, str]:
    """Each entity ID of the dataset → its model's name (Person, Organization, Place, Work)."""
    return {
        key: type(record).__name__
        for table in (ds.people, ds.organizations, ds.places, ds.works)
        for key, record in table.items()
    }


def by_article(ds: Dataset) -> list[tuple[Article, list[Quote], list[Mention]]]:
    """Every article with its quotes and its mentions, each sorted by position then ID."""
    return [
        (
            article,
            sorted(ds.quotes_in(article.article_id), key=lambda q: (q.start, q.end, q.quote_id)),
            sorted(
                (m for m in ds.mentions.values() if m.article_id == article.article_id),
                key=lambda m: (m.start, m.end, m.mention_id),
            ),
        )
        for article in ds.articles.values()
    ]
