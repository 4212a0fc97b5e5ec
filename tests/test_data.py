"""The shipped data: every record valid, every span verbatim, every reference resolved, the curation complete."""

from __future__ import annotations

import re

import pytest
import yaml

import rustcase
from rustcase.integrity import reference_problems, span_problems
from rustcase.models import TABLES

from .conftest import ROOT

QUOTE_MARKS = "\"'“”‘’"


def tables() -> dict[str, tuple[rustcase.models.Record, ...]]:
    return {name: rustcase.load_table(name) for name in TABLES}


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_loads_as_frozen_models_in_id_order(table: str) -> None:
    records = rustcase.load_table(table)
    model, key = TABLES[table]
    assert all(type(r) is model for r in records)
    keys = [getattr(r, key) for r in records]
    assert keys == sorted(set(keys))
    assert records, f"{table} is empty"
    with pytest.raises(Exception, match="frozen"):
        setattr(records[0], key, "changed")


@pytest.mark.parametrize("table", ["quotes", "mentions"])
def test_ids_number_each_article_in_text_order(table: str) -> None:
    records = rustcase.load_table(table)
    for article_id in {r.article_id for r in records}:
        starts = [r.start for r in records if r.article_id == article_id]
        assert starts == sorted(starts), article_id


def test_every_span_is_verbatim() -> None:
    assert span_problems(tables()) == []


def test_every_reference_resolves() -> None:
    assert reference_problems(tables()) == []


def test_articles_are_the_verbatim_source_files(ds: rustcase.Dataset) -> None:
    sources = sorted((ROOT / "data" / "sources").glob("*.txt"))
    assert [a.source_file for a in ds.articles.values()] == [p.name for p in sources]
    for article, path in zip(ds.articles.values(), sources, strict=True):
        assert article.text == path.read_bytes().decode("utf-8")
        assert article.article_id == f"art-{path.name[:3]}"


def test_source_copies_equal_the_shared_originals() -> None:
    shared = ROOT.parent / "shared" / "sources"
    if not shared.is_dir():
        pytest.skip(
            "the articles' originals (../shared/sources, outside this repository) are only in the curators' "
            "workspace; the shipped article texts are checked against data/sources/ by the other tests"
        )
    for path in sorted(shared.glob("*.txt")):
        assert (ROOT / "data" / "sources" / path.name).read_bytes() == path.read_bytes()


def test_article_metadata_is_null_where_unconfirmed(ds: rustcase.Dataset) -> None:
    unknown = {
        (a.article_id, f)
        for a in ds.articles.values()
        for f in ("outlet", "published", "source_url")
        if getattr(a, f) is None
    }
    assert unknown == {
        ("art-000", "published"),
        ("art-001", "outlet"),
        ("art-001", "source_url"),
        ("art-002", "published"),
        ("art-003", "outlet"),
        ("art-003", "published"),
    }


def test_person_roles_are_the_distinct_reported_roles(ds: rustcase.Dataset) -> None:
    for person in ds.people.values():
        assert person.roles == tuple(sorted({r.role for r in person.role_reports})), person.person_id
        assert person.aliases == tuple(sorted(set(person.aliases))), person.person_id


def test_every_entity_is_mentioned(ds: rustcase.Dataset) -> None:
    mentioned = {m.entity_id for m in ds.mentions.values()}
    entities = [*ds.people, *ds.organizations, *ds.places, *ds.works]
    assert [e for e in entities if e not in mentioned] == []


def test_named_mentions_are_the_name_or_an_alias(ds: rustcase.Dataset) -> None:
    for m in ds.mentions.values():
        if m.mention_type == "name":
            entity = ds.entity(m.entity_id)
            assert m.text in (entity.name, *entity.aliases), m.mention_id


def test_quote_links_are_consistent(ds: rustcase.Dataset) -> None:
    for q in ds.quotes.values():
        if q.kind == "nested":
            parent = ds.quotes[q.parent_quote_id or ""]
            assert parent.start <= q.start and q.end <= parent.end, q.quote_id
        elif q.kind == "partial" and q.parent_quote_id is not None:
            parent = ds.quotes[q.parent_quote_id]
            assert parent.kind == "mixed" and parent.start < q.start and q.end < parent.end, q.quote_id
        else:
            assert q.parent_quote_id is None, q.quote_id
        if q.continues_quote_id is not None:
            previous = ds.quotes[q.continues_quote_id]
            assert (previous.article_id, previous.speaker_id) == (q.article_id, q.speaker_id), q.quote_id
            assert previous.end < q.start, q.quote_id
        assert (q.cue is None) == (q.cue_start is None) == (q.cue_end is None), q.quote_id


def _normalise(text: str) -> str:
    text = text.translate(str.maketrans("‘’‚′“”„″\u00a0", "''''\"\"\"\" "))
    return " ".join(text.split())


def test_utterances_group_one_speakers_words_with_the_stated_relation(ds: rustcase.Dataset) -> None:
    for q in ds.quotes.values():
        if q.kind in ("indirect", "mixed"):
            assert q.utterance_id is None and q.utterance_relation is None, q.quote_id
            continue
        utterance = ds.utterances[q.utterance_id or ""]
        assert utterance.speaker_id == q.speaker_id, q.quote_id
        text, canonical = _normalise(q.text), _normalise(utterance.canonical_text)
        expected = "exact" if text == canonical else "substring" if text in canonical else "edited"
        assert q.utterance_relation == expected, q.quote_id
    for u in ds.utterances.values():
        assert ds.quotes[u.canonical_quote_id].text == u.canonical_text
        assert ds.quotes[u.canonical_quote_id].utterance_id == u.utterance_id


def test_the_responsibility_quote_is_one_utterance_across_all_five_articles(ds: rustcase.Dataset) -> None:
    groups = {q.utterance_id for q in ds.quotes.values() if "someone is responsible for what happened" in q.text}
    assert len(groups) == 1
    assert {q.article_id for q in ds.variants(groups.pop() or "")} == set(ds.articles)


def test_event_dates_match_their_precision(ds: rustcase.Dataset) -> None:
    lengths = {"day": 10, "month": 7, "year": 4}
    for e in ds.events.values():
        if e.date is None:
            assert e.date_precision == "unknown" and e.date_basis == "unknown", e.event_id
        else:
            assert len(e.date) == lengths[e.date_precision], e.event_id
            assert e.date_basis != "unknown", e.event_id
        if e.date_basis in ("stated", "resolved", "inferred"):
            assert e.date_evidence, f"{e.event_id}: a stated or resolved date keeps its words"
        assert e.reports, e.event_id
        for r in e.reports:
            assert (r.factuality == "attributed") == (r.source_id is not None), e.event_id


def _apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return text[i] in "'’" and before.isalpha() and (after.isalpha() or (before == "s" and not after.isalnum()))


def _boundaries(ds: rustcase.Dataset, article_id: str) -> set[int]:
    """Positions of the marks that open and close every quotation."""
    text = ds.articles[article_id].text
    marks = set()
    for q in ds.quotes_in(article_id):
        if q.kind in ("direct", "partial", "nested"):
            opening = len(text[: q.start].rstrip(" ")) - 1
            closing = q.end + len(text[q.end :]) - len(text[q.end :].lstrip(" "))
            marks.update(i for i in (opening, closing) if 0 <= i < len(text) and text[i] in QUOTE_MARKS)
    return marks


def test_every_quotation_mark_is_explained(ds: rustcase.Dataset) -> None:
    """Each mark opens or closes a quote, is an apostrophe, or is a listed non-speech use."""
    listed = yaml.safe_load((ROOT / "data" / "curated" / "non_speech_marks.yaml").read_text(encoding="utf-8"))
    for entry in listed:
        assert ds.articles[entry["article_id"]].text[entry["offset"]] == entry["mark"], entry
        assert entry["reason"].strip(), entry
    explained = {(e["article_id"], e["offset"]) for e in listed}
    unexplained = []
    for article_id, article in ds.articles.items():
        bounds = _boundaries(ds, article_id)
        assert not {i for a, i in explained if a == article_id} & bounds, "a listed mark also bounds a quote"
        for i, ch in enumerate(article.text):
            if (
                ch in QUOTE_MARKS
                and i not in bounds
                and not _apostrophe(article.text, i)
                and (article_id, i) not in explained
            ):
                unexplained.append((article_id, i, article.text[max(0, i - 25) : i + 25]))
    assert unexplained == []


def test_non_breaking_spaces_are_kept() -> None:
    text = rustcase.load_articles()[2].text
    assert text.count("\u00a0") == 3
    assert "live rounds — plural — onto the set of the film.\u00a0And" in text


def test_every_quote_speaker_is_mentioned_in_its_article(ds: rustcase.Dataset) -> None:
    """A speaker is named or described in the article, or the quote's note says how it was resolved."""
    mentioned = {(m.article_id, m.entity_id) for m in ds.mentions.values()}
    unresolved = [
        q.quote_id for q in ds.quotes.values() if (q.article_id, q.speaker_id) not in mentioned and not q.note
    ]
    assert unresolved == []


NOT_CUES = {
    ("art-000", 1981): "'Halls' lawyer also said on Good Morning America on Thursday and said that': the quote's cue "
    "is the second 'said', which introduces the content; the first only says where she spoke.",
}


@pytest.mark.parametrize("pattern", [r"\bsaid\b", r"\btold\b"])
def test_reporting_verbs_outside_quotes_are_cues(ds: rustcase.Dataset, pattern: str) -> None:
    """Every 'said'/'told' in the reporter's voice is the cue of some quote, or sits inside a quote."""
    missing = []
    for article_id, article in ds.articles.items():
        quotes = ds.quotes_in(article_id)
        for m in re.finditer(pattern, article.text):
            cue = any(q.cue_start is not None and q.cue_start <= m.start() < (q.cue_end or 0) for q in quotes)
            inside = any(q.start <= m.start() < q.end for q in quotes)
            if not (cue or inside or (article_id, m.start()) in NOT_CUES):
                missing.append((article_id, m.start(), article.text[max(0, m.start() - 40) : m.end() + 40]))
    assert missing == []
