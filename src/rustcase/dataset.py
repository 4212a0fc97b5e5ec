"""The whole dataset in memory: every table keyed by ID, with navigation between related records."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from rustcase import store, versions
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

R = TypeVar("R", bound=Record)
Entity = Person | Organization | Place | Work


class Table(Mapping[str, R], Generic[R]):
    """Records of one table by ID, iterating in ID order; ``len``, ``in`` and ``[id]`` as for a dict."""

    def __init__(self, key: str, records: tuple[R, ...]) -> None:
        self.records = records
        self._by_id = {getattr(r, key): r for r in records}

    def __getitem__(self, record_id: str) -> R:
        return self._by_id[record_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __repr__(self) -> str:
        return f"<Table of {len(self)} records>"


@dataclass(frozen=True, repr=False)
class Dataset:
    """Every rustcase table, with lookups by ID (``ds.people["per-alec-baldwin"]``) and navigation."""

    version: str
    fingerprint: str
    articles: Table[Article]
    people: Table[Person]
    organizations: Table[Organization]
    places: Table[Place]
    works: Table[Work]
    quotes: Table[Quote]
    utterances: Table[Utterance]
    events: Table[Event]
    claims: Table[Claim]
    mentions: Table[Mention]

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(getattr(self, name))}" for name in TABLES)
        return f"<Dataset {self.version} {counts}>"

    def entity(self, entity_id: str) -> Entity:
        """The person, organisation, place or work with this ID."""
        for table in (self.people, self.organizations, self.places, self.works):
            if entity_id in table:
                return table[entity_id]
        raise KeyError(entity_id)

    def speaker(self, quote: Quote) -> Person | Organization:
        """Who is quoted."""
        speaker = self.entity(quote.speaker_id)
        assert isinstance(speaker, Person | Organization)
        return speaker

    def article(self, record: Quote | Mention) -> Article:
        """The article a quote or mention occurs in."""
        return self.articles[record.article_id]

    def quotes_by(self, speaker_id: str) -> tuple[Quote, ...]:
        """Every quote of a person or organisation, in ID order."""
        return tuple(q for q in self.quotes.values() if q.speaker_id == speaker_id)

    def quotes_in(self, article_id: str) -> tuple[Quote, ...]:
        """Every quote in one article, in text order."""
        return tuple(q for q in self.quotes.values() if q.article_id == article_id)

    def mentions_of(self, entity_id: str) -> tuple[Mention, ...]:
        """Every mention of an entity."""
        return tuple(m for m in self.mentions.values() if m.entity_id == entity_id)

    def variants(self, utterance_id: str) -> tuple[Quote, ...]:
        """Every article's wording of one utterance, in article order: the words side by side."""
        return tuple(q for q in self.quotes.values() if q.utterance_id == utterance_id)


def load(version: str | None = None, fingerprint: str | None = None) -> Dataset:
    """Load every table of a shipped data version: the newest, or the one ``version`` and ``fingerprint`` pin.

    ``version`` is exact (``"1.0.0"``) or a prefix (``"1"``: the newest 1.x); ``fingerprint`` is the content
    fingerprint a study recorded (``rustcase info`` shows it). Anything no shipped version matches raises
    `UnknownVersionError`, listing what is available.
    """
    exact = versions.resolve(version, fingerprint)
    tables = {name: Table(spec.key, store.load_table(name, exact)) for name, spec in TABLES.items()}
    return Dataset(version=exact, fingerprint=versions.lock()[exact]["fingerprint"], **tables)  # type: ignore[arg-type]
