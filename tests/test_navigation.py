"""Navigation and lookups: indexed answers equal a scan for every ID; an unknown ID is one typed error everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import rustcase
from rustcase.dataset import _words
from rustcase.models import TABLES

from .conftest import Reliability

DS = rustcase.load()
ALL_IDS = sorted(rid for name, spec in TABLES.items() for rid in getattr(DS, name))


@pytest.fixture(scope="module", params=rustcase.available())
def version_ds(request: pytest.FixtureRequest) -> rustcase.Dataset:
    return rustcase.load(version=request.param)


def test_navigation_equals_a_scan_for_every_id(version_ds: rustcase.Dataset) -> None:
    ds = version_ds
    quotes, mentions = ds.quotes.values(), ds.mentions.values()
    for speaker in [*ds.people, *ds.organizations]:
        assert ds.quotes_by(speaker) == tuple(q for q in quotes if q.speaker_id == speaker)
    for article in ds.articles:
        assert ds.quotes_in(article) == tuple(q for q in quotes if q.article_id == article)
    for utterance in ds.utterances:
        assert ds.variants(utterance) == tuple(q for q in quotes if q.utterance_id == utterance)
    for entity in [*ds.people, *ds.organizations, *ds.places, *ds.works]:
        assert ds.mentions_of(entity) == tuple(m for m in mentions if m.entity_id == entity)
        assert ds.entity(entity) is ds.record(entity)
    for name, spec in TABLES.items():
        for record in getattr(ds, name).values():
            assert ds.record(getattr(record, spec.key)) is record


def _lookups(ds: rustcase.Dataset) -> dict[str, tuple[Callable[[Any], object], set[str]]]:
    """Every way to ask by ID, with the IDs it knows."""
    entities = {*ds.people, *ds.organizations, *ds.places, *ds.works}
    lookups: dict[str, tuple[Callable[[Any], object], set[str]]] = {
        f"ds.{name}[id]": (getattr(ds, name).__getitem__, set(getattr(ds, name))) for name in TABLES
    }
    lookups |= {
        "record": (ds.record, set(ALL_IDS)),
        "entity": (ds.entity, entities),
        "quotes_by": (ds.quotes_by, {*ds.people, *ds.organizations}),
        "quotes_in": (ds.quotes_in, set(ds.articles)),
        "variants": (ds.variants, set(ds.utterances)),
        "mentions_of": (ds.mentions_of, entities),
    }
    return lookups


LOOKUPS = _lookups(DS)
_known = st.sampled_from(ALL_IDS)
_near = _known.flatmap(lambda i: st.sampled_from([i.upper(), i + " ", i[:-1], i + "0", " " + i, i.replace("-", "_")]))
_odd = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.lists(st.text(max_size=3), max_size=2))
IDS = st.one_of(_known, _near, st.text(max_size=20), _odd)


@pytest.mark.parametrize("lookup", list(LOOKUPS))
@settings(max_examples=60)
@given(record_id=IDS)
def test_an_unknown_id_raises_the_typed_error_everywhere(lookup: str, record_id: Any, reliability: Reliability) -> None:
    ask, known = LOOKUPS[lookup]
    if isinstance(record_id, str) and record_id in known:
        assert ask(record_id) is not None
    else:
        with pytest.raises(rustcase.UnknownIdError) as raised:
            ask(record_id)
        assert isinstance(raised.value, KeyError) and isinstance(raised.value, rustcase.RustcaseError)
        assert repr(record_id) in str(raised.value) and "\n" not in str(raised.value)
    reliability.add("unknown IDs raise UnknownIdError", 1)


@pytest.mark.parametrize(
    "call",
    [lambda: DS.variants(None), lambda: DS.quotes_by("per-nobody"), lambda: DS.entity("nope"), lambda: DS.people["x"]],
)
def test_the_reported_unknown_ids(call: Callable[[], object]) -> None:
    with pytest.raises(rustcase.UnknownIdError):
        call()


def test_membership_and_get_still_answer_plainly() -> None:
    assert "per-alec-baldwin" in DS.people and "per-nobody" not in DS.people and None not in DS.people
    assert DS.people.get("per-nobody") is None


SEARCHABLE = [*DS.quotes.values(), *DS.mentions.values()]


def _scan(words: str) -> tuple[object, ...]:
    wanted = set(_words(words))
    return tuple(r for r in SEARCHABLE if wanted and wanted <= set(_words(r.text)))


@settings(max_examples=150)
@given(data=st.data())
def test_search_finds_every_record_with_the_words_and_only_those(data: st.DataObject, reliability: Reliability) -> None:
    record = data.draw(st.sampled_from(SEARCHABLE))
    words = data.draw(st.lists(st.sampled_from(_words(record.text)), min_size=1, max_size=3))
    query = " ".join(w.upper() if data.draw(st.booleans()) else w for w in words)
    found = DS.search(query)
    assert record in found
    assert found == _scan(query)
    for hit in found:
        assert DS.article(hit).text[hit.start : hit.end] == hit.text
    reliability.add("search equals a scan", 1)


@pytest.mark.parametrize("query", ["", "   ", "!!", "zzzunknownword"])
def test_search_without_a_match_is_empty(query: str) -> None:
    assert DS.search(query) == ()


def test_search_treats_curly_and_straight_apostrophes_alike() -> None:
    straight, curly = DS.search("can't"), DS.search("can’t")
    assert straight == curly and straight


def test_export_tables_takes_one_table_name(tmp_path: Path) -> None:
    written = rustcase.export_tables(tmp_path, "csv", tables="quotes")
    assert [p.name for p in written] == ["quotes.csv"]
