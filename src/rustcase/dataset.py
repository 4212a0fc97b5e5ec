"""Typed records: each table as frozen models, and the whole dataset keyed by ID with navigation."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, Protocol, TypeVar

from rustcase import store, versions
from rustcase.errors import DataFileError
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
from rustcase.schema import table_model

R = TypeVar("R", bound=Record)
R_co = TypeVar("R_co", bound=Record, covariant=True)
Entity = Person | Organization | Place | Work


@functools.cache
def _records(table: str, version: str) -> tuple[Record, ...]:
    from pydantic import TypeAdapter, ValidationError

    model = table_model(table)
    rows = store.read_table(table, version).to_pylist()
    try:
        records: tuple[Record, ...] = TypeAdapter(tuple[model, ...]).validate_python(rows)  # type: ignore[valid-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        row, *field = err["loc"]
        raise DataFileError(
            f"{store.paths(version)[table]}: row {row}, field {'.'.join(map(str, field))}: {err['msg']}"
        ) from exc
    store.check_fingerprint(table, version, "records", versions.table_fingerprint(records))
    return records


def load_table(table: str, version: str | None = None) -> tuple[Record, ...]:
    """Every record of ``table`` as frozen models, in ID order (newest data by default)."""
    table_model(table)
    return _records(table, versions.resolve(version))


class Loader(Protocol[R_co]):
    """A typed loader of one table: ``load_quotes(version=None) -> tuple[Quote, ...]``."""

    def __call__(self, version: str | None = None) -> tuple[R_co, ...]: ...


def _loader(table: str, model: type[R]) -> Loader[R]:
    def load(version: str | None = None) -> tuple[R, ...]:
        records = load_table(table, version)
        assert all(isinstance(r, model) for r in records)
        return records  # type: ignore[return-value]

    load.__name__ = load.__qualname__ = f"load_{table}"
    load.__doc__ = f"Every record of the ``{table}`` table as frozen `{model.__name__}` models, in ID order."
    return load


load_articles = _loader("articles", Article)
load_people = _loader("people", Person)
load_organizations = _loader("organizations", Organization)
load_places = _loader("places", Place)
load_works = _loader("works", Work)
load_quotes = _loader("quotes", Quote)
load_utterances = _loader("utterances", Utterance)
load_events = _loader("events", Event)
load_claims = _loader("claims", Claim)
load_mentions = _loader("mentions", Mention)


class Table(Mapping[str, R], Generic[R]):
    """Records of one table by ID, iterating in ID order; ``len``, ``in`` and ``[id]`` as for a dict.

    Read-only, like the records it holds: a caller cannot change what another caller reads.
    """

    __slots__ = ("_by_id", "_key", "_records")
    _by_id: Mapping[str, R]
    _key: str
    _records: tuple[R, ...]

    def __init__(self, key: str, records: tuple[R, ...]) -> None:
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_records", records)
        object.__setattr__(self, "_by_id", MappingProxyType({getattr(r, key): r for r in records}))

    def __reduce__(self) -> tuple[type[Table[R]], tuple[str, tuple[R, ...]]]:
        return type(self), (self._key, self._records)  # copies (and serialised copies) are built anew

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Table is read-only; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Table is read-only; cannot delete {name!r}")

    @property
    def records(self) -> tuple[R, ...]:
        """Every record, in ID order."""
        return self._records

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
    tables = {name: Table(spec.key, load_table(name, exact)) for name, spec in TABLES.items()}
    return Dataset(version=exact, fingerprint=versions.lock()[exact]["fingerprint"], **tables)  # type: ignore[arg-type]
