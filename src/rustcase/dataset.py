"""Typed records: each table as frozen models, and the whole dataset keyed by ID with navigation."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rustcase import store, versions
from rustcase.errors import DataFileError, UnknownIdError
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

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

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

    __slots__ = ("_by_id", "_key", "_kind", "_records")
    _by_id: Mapping[str, R]
    _key: str
    _kind: str
    _records: tuple[R, ...]

    def __init__(self, key: str, records: tuple[R, ...]) -> None:
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_kind", key.removesuffix("_id"))
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
        """The record with this ID; `UnknownIdError` (a `KeyError`) when there is none."""
        try:
            return self._by_id[record_id]
        except (KeyError, TypeError):  # TypeError: an unhashable "ID" such as a list
            raise UnknownIdError(record_id, self._kind) from None

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

    def record(self, record_id: str) -> Record:
        """The record of any table with this ID (``"quo-000-001"``, ``"per-alec-baldwin"``, ``"art-002"``)."""
        for name in TABLES:
            table: Table[Record] = getattr(self, name)
            if record_id in table:
                return table[record_id]
        raise UnknownIdError(record_id)

    def entity(self, entity_id: str) -> Entity:
        """The person, organisation, place or work with this ID."""
        for table in (self.people, self.organizations, self.places, self.works):
            if entity_id in table:
                return table[entity_id]
        raise UnknownIdError(entity_id, "person, organization, place or work")

    def speaker(self, quote: Quote) -> Person | Organization:
        """Who is quoted."""
        speaker = self.entity(quote.speaker_id)
        assert isinstance(speaker, Person | Organization)
        return speaker

    def article(self, record: Quote | Mention) -> Article:
        """The article a quote or mention occurs in."""
        return self.articles[record.article_id]

    def quotes_by(self, speaker_id: str) -> tuple[Quote, ...]:
        """Every quote of a person or organisation (as the speaker), in ID order."""
        if not (speaker_id in self.people or speaker_id in self.organizations):
            raise UnknownIdError(speaker_id, "person or organization")
        return self._index.quotes_by.get(speaker_id, ())

    def quotes_in(self, article_id: str) -> tuple[Quote, ...]:
        """Every quote in one article, in text order."""
        if article_id not in self.articles:
            raise UnknownIdError(article_id, "article")
        return self._index.quotes_in.get(article_id, ())

    def mentions_of(self, entity_id: str) -> tuple[Mention, ...]:
        """Every mention of a person, organisation, place or work, in ID order."""
        self.entity(entity_id)
        return self._index.mentions_of.get(entity_id, ())

    def variants(self, utterance_id: str) -> tuple[Quote, ...]:
        """Every article's wording of one utterance, in article order: the words side by side."""
        if utterance_id not in self.utterances:
            raise UnknownIdError(utterance_id, "utterance")
        return self._index.variants.get(utterance_id, ())

    def search(self, words: str) -> tuple[Quote | Mention, ...]:
        """Every quote and then every mention whose text contains all of ``words`` (whole words, any case).

        Each record carries its span: ``ds.article(r).text[r.start:r.end] == r.text``.
        """
        wanted = set(_words(words))
        if not wanted:
            return ()
        found = set.intersection(*(self._index.words.get(w, set()) for w in wanted))
        return tuple(self._index.searchable[i] for i in sorted(found))

    def to_pandas(self, table: str) -> pd.DataFrame:
        """One table of this data version as a pandas DataFrame with Arrow-backed dtypes (`rustcase.to_pandas`)."""
        return store.to_pandas(table, self.version)

    def to_polars(self, table: str) -> pl.DataFrame:
        """One table of this data version as a polars DataFrame (`rustcase.to_polars`)."""
        return store.to_polars(table, self.version)

    @functools.cached_property
    def _index(self) -> _Index:
        return _Index(self.quotes.records, self.mentions.records)


def _words(text: str) -> list[str]:
    """The words of a text, case-folded: letters and digits, with inner apostrophes (``didn’t`` = ``didn't``)."""
    return re.findall(r"\w+(?:'\w+)*", text.casefold().replace("’", "'"))


def _group(records: Iterable[R], key: Callable[[R], Hashable]) -> dict[Hashable, tuple[R, ...]]:
    groups: defaultdict[Hashable, list[R]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return {k: tuple(v) for k, v in groups.items()}


class _Index:
    """The lookups behind a dataset's navigation, built once on first use (records are immutable)."""

    def __init__(self, quotes: tuple[Quote, ...], mentions: tuple[Mention, ...]) -> None:
        self.quotes_by: Mapping[Hashable, tuple[Quote, ...]] = _group(quotes, lambda q: q.speaker_id)
        self.quotes_in: Mapping[Hashable, tuple[Quote, ...]] = _group(quotes, lambda q: q.article_id)
        self.variants: Mapping[Hashable, tuple[Quote, ...]] = _group(quotes, lambda q: q.utterance_id)
        self.mentions_of: Mapping[Hashable, tuple[Mention, ...]] = _group(mentions, lambda m: m.entity_id)
        self.searchable: tuple[Quote | Mention, ...] = (*quotes, *mentions)
        self.words: defaultdict[str, set[int]] = defaultdict(set)  # word -> positions in `searchable`
        for position, record in enumerate(self.searchable):
            for word in _words(record.text):
                self.words[word].add(position)


def load(version: str | None = None, fingerprint: str | None = None) -> Dataset:
    """Load every table of a shipped data version: the newest, or the one ``version`` and ``fingerprint`` pin.

    ``version`` is exact (``"1.0.0"``) or a prefix (``"1"``: the newest 1.x); ``fingerprint`` is the content
    fingerprint a study recorded (``rustcase info`` shows it). Anything no shipped version matches raises
    `UnknownVersionError`, listing what is available.
    """
    exact = versions.resolve(version, fingerprint)
    tables = {name: Table(spec.key, load_table(name, exact)) for name, spec in TABLES.items()}
    return Dataset(version=exact, fingerprint=versions.lock()[exact]["fingerprint"], **tables)  # type: ignore[arg-type]
