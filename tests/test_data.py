"""The shipped data: every record valid, every span verbatim, every reference resolved, the curation complete."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import pytest
import yaml

import rustcase
from rustcase.integrity import reference_problems, span_problems
from rustcase.models import TABLES, Article, Claim, Event, Evidence, Mention, Quote, Utterance

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
    """In text order as first released; a row a later version adds takes the article's next free number."""
    first = {getattr(r, TABLES[table].key) for r in rustcase.load_table(table, rustcase.available()[0])}
    records = rustcase.load_table(table)
    for article_id in {r.article_id for r in records}:
        rows = [r for r in records if r.article_id == article_id]
        starts = [r.start for r in rows if getattr(r, TABLES[table].key) in first]
        assert starts == sorted(starts), article_id
        keys = [getattr(r, TABLES[table].key) for r in rows]
        assert all(k in first for k in keys[: len(starts)]), f"{article_id}: added rows are numbered after the first"


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
        elif q.kind in ("indirect", "mixed") and q.parent_quote_id is not None:
            # reported speech or thought inside a quote: another source's words, inside the enclosing quote
            parent = ds.quotes[q.parent_quote_id]
            assert parent.start <= q.start and q.end <= parent.end, q.quote_id
            assert q.speaker_id not in (parent.speaker_id, *parent.co_speaker_ids), q.quote_id
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


# Cross-table checks: one stretch of text has one reading in every table. Each check takes the tables and
# returns its problems, so it runs as well on curated input being edited as on the shipped data.

Tables = Mapping[str, Sequence[rustcase.models.Record]]
ID = re.compile(r"\b(?:quo|utt|evt|clm|per|org|plc|wrk|men)-[a-z0-9]+(?:-[a-z0-9]+)*")
KNOWLEDGE_VERBS = re.compile(
    r"\b(?:learn|learned|learnt|found out|find out|realis|realiz|discover|dawn|occur|knew|know|saw|see|seen|"
    r"heard|noticed|determined|identified)\w*",
    re.IGNORECASE,
)


def _readings(tables: Tables, article_id: str, start: int, end: int) -> tuple[list[Quote], list[Quote]]:
    """The quotes that give a span inside a quote its reading (the innermost quotes containing it, and their
    child rows, nested or reported speech, that overlap it), and every quote containing it."""
    quotes = [q for q in tables["quotes"] if isinstance(q, Quote) and q.article_id == article_id]
    containing = [q for q in quotes if q.start <= start and end <= q.end]
    if not containing:
        return [], []
    shortest = min(q.end - q.start for q in containing)
    inner = [q for q in containing if q.end - q.start == shortest]
    ids = {q.quote_id for q in inner}
    children = [q for q in quotes if q.parent_quote_id in ids and q.start < end and start < q.end]
    return inner + children, containing + children


def _voices(quote: Quote) -> set[str]:
    return {quote.speaker_id, *quote.co_speaker_ids}


def reading_problems(tables: Tables) -> list[str]:
    """A claim position or event report inside a quote names that quote's speaker or inner source and, for a
    position, links the quote row of that holder; a position's linked quote is the holder's."""
    quotes = {q.quote_id: q for q in tables["quotes"] if isinstance(q, Quote)}
    problems = []
    for claim in tables["claims"]:
        assert isinstance(claim, Claim)
        for p in claim.positions:
            where = f"{claim.claim_id} {p.article_id} {p.start}:{p.end} {p.holder_id}"
            linked = quotes.get(p.quote_id or "")
            if linked is not None and p.holder_id not in _voices(linked):
                problems.append(f"{where}: links {linked.quote_id}, whose speaker is {linked.speaker_id}")
            readings, around = _readings(tables, p.article_id, p.start, p.end)
            if not readings:
                continue
            if not any(p.holder_id in _voices(q) for q in readings):
                problems.append(f"{where}: inside {readings[0].quote_id}, read as {sorted(_voices(readings[0]))}")
            elif linked is None or linked not in around:
                holders = [q.quote_id for q in around if p.holder_id in _voices(q)]
                problems.append(f"{where}: inside a quote; links {p.quote_id}, not one of {holders}")
    for event in tables["events"]:
        assert isinstance(event, Event)
        for r in event.reports:
            readings, _ = _readings(tables, r.article_id, r.start, r.end)
            voices = set().union(*map(_voices, readings)) if readings else set()
            if readings and (r.factuality != "attributed" or r.source_id not in voices):
                problems.append(
                    f"{event.event_id} {r.article_id} {r.start}:{r.end}: {r.factuality} {r.source_id}, "
                    f"but inside {readings[0].quote_id} ({sorted(voices)})"
                )
    return problems


NOTE_SAYS_WHY_NOT = ("kept apart", "a different moment", "not the same", "cannot share")
CONTRASTED = {
    ("evt-search-warrants", "evt-search-warrant-affidavit"): "the note tells the warrants from the affidavit",
    ("clm-baldwin-did-not-pull-trigger", "clm-baldwin-fired-gun"): "the note says why no position disputes it",
    ("clm-baldwin-fired-gun", "clm-baldwin-did-not-pull-trigger"): "the note sets the two claims apart",
    ("clm-baldwin-fired-gun", "clm-gun-went-off-when-hammer-released"): "the note sets the two claims apart",
    ("clm-baldwin-not-responsible", "clm-charges-possible"): "the note says why it holds no position here",
    ("clm-misfire", "clm-sabotage"): "the note says why Baldwin's 'freak accident' is no position here",
}
"""Notes that cite a record nothing links to, to tell the two apart; each says why in its own words."""


def _links(record: rustcase.models.Record) -> set[str]:
    """Every ID a record's fields (not its notes) name, at any depth."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str) and ID.fullmatch(value):
            found.add(value)
        elif isinstance(value, rustcase.models.Record):
            for name in type(value).model_fields:
                if name not in ("note", "date_note", "text", "canonical_text"):
                    walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(record)
    return found


def note_problems(tables: Tables) -> list[str]:
    """Every ID a note cites exists and is related to the record: linked by a field, sharing a linked record
    (an event and a claim about the same quote or holder) or an overlapping span, the event an inferred date is
    counted from, or, for a quote an utterance's note cites, a member of the utterance unless the note says why not."""
    records = {getattr(r, TABLES[t].key): r for t in TABLES for r in tables[t]}
    links = {rid: _links(r) for rid, r in records.items()}
    spans = {rid: {(s.article_id, s.start, s.end) for _, s in _evidence(r)} for rid, r in records.items()}
    members: dict[str, set[str]] = {}
    for q in tables["quotes"]:
        assert isinstance(q, Quote)
        if q.utterance_id:
            members.setdefault(q.utterance_id, set()).add(q.quote_id)
        for other in (q.parent_quote_id, q.continues_quote_id):
            if other:
                links[other].add(q.quote_id)
    problems = []
    for rid, record in records.items():
        for field in ("note", "date_note"):
            note = getattr(record, field, None) or ""
            for cited in sorted(set(ID.findall(note))):
                if cited not in records:
                    problems.append(f"{rid}.{field}: cites {cited}, which does not exist")
                elif field == "date_note" and getattr(record, "date_basis", None) == "inferred" and cited[:4] == "evt-":
                    continue  # the event an inferred date is counted from
                elif isinstance(record, Utterance) and cited[:4] in ("quo-", "utt-"):
                    if cited not in members.get(rid, ()) and not any(w in note for w in NOTE_SAYS_WHY_NOT):
                        problems.append(f"{rid}.{field}: cites {cited}, not one of its quotes, without saying why")
                elif not (
                    cited in links[rid]
                    or rid in links[cited]
                    or links[rid] & links[cited]
                    or any(cited in links[other] for other in links[rid] if other in links)
                    or _overlap(spans[rid], spans[cited])
                    or (rid, cited) in CONTRASTED
                ):
                    problems.append(f"{rid}.{field}: cites {cited}, which nothing links to it")
    return problems


def _evidence(record: rustcase.models.Record) -> list[tuple[str, Quote | Evidence]]:
    return [(w, s) for w, s in _objects(record, "") if isinstance(s, Quote | Evidence)]


def _overlap(a: set[tuple[str, int, int]], b: set[tuple[str, int, int]]) -> bool:
    return any(x[0] == y[0] and x[1] < y[2] and y[1] < x[2] for x in a for y in b)


def date_basis_problems(tables: Tables) -> list[str]:
    """`resolved` only against a known article date: some of the date's words are in an article with one."""
    dated = {a.article_id for a in tables["articles"] if isinstance(a, Article) and a.published is not None}
    return [
        f"{e.event_id}: 'resolved', but none of its date evidence is in a dated article"
        for e in tables["events"]
        if isinstance(e, Event) and e.date_basis == "resolved" and not {d.article_id for d in e.date_evidence} & dated
    ]


def edge_space_problems(tables: Tables) -> list[str]:
    """No span (quote, cue, mention, evidence, headline) begins or ends with white space."""
    problems = []
    for table, records in tables.items():
        for record in records:
            for where, value in _objects(record, f"{table}[{getattr(record, TABLES[table].key)}]"):
                texts = [("", getattr(value, "text", None) if isinstance(value, Mention | Quote | Evidence) else None)]
                texts += [(".cue", getattr(value, "cue", None)), (".headline", getattr(value, "headline", None))]
                problems += [f"{where}{part}: {t!r}" for part, t in texts if t is not None and t != t.strip()]
    return problems


def _objects(value: rustcase.models.Record, where: str) -> list[tuple[str, rustcase.models.Record]]:
    """A record and every record inside its list fields, each with where it is."""
    found = [(where, value)]
    for name in type(value).model_fields:
        item = getattr(value, name)
        for i, sub in enumerate(item if isinstance(item, list | tuple) else ()):
            if isinstance(sub, rustcase.models.Record):
                found += _objects(sub, f"{where}.{name}[{i}]")
    return found


def knowledge_cue_problems(tables: Tables) -> list[str]:
    """Knowledge and perception verbs (learned, found out, dawned on, realised, saw) are not attributions."""
    return [
        f"{q.quote_id}: cue {q.cue!r}"
        for q in tables["quotes"]
        if isinstance(q, Quote) and q.cue is not None and KNOWLEDGE_VERBS.fullmatch(q.cue)
    ]


CROSS_TABLE_CHECKS = [reading_problems, note_problems, date_basis_problems, edge_space_problems, knowledge_cue_problems]


@pytest.mark.parametrize("check", CROSS_TABLE_CHECKS, ids=lambda c: c.__name__)
def test_every_table_gives_one_reading_of_the_text(check: Callable[[Tables], list[str]]) -> None:
    assert check(tables()) == []


def _plant(table: str, rid: str, change: Callable[[rustcase.models.Record], dict[str, object]]) -> Tables:
    """The newest tables with one record changed."""
    planted = dict(tables())
    key = TABLES[table].key
    planted[table] = tuple(r.model_copy(update=change(r)) if getattr(r, key) == rid else r for r in planted[table])
    return planted


def _reports(event: rustcase.models.Record, **update: object) -> dict[str, object]:
    assert isinstance(event, Event)
    (first,) = [r for r in event.reports if r.article_id == "art-004" and r.start == 2805]
    return {"reports": [r.model_copy(update=update) if r is first else r for r in event.reports]}


def _unlink_first_position(claim: rustcase.models.Record) -> dict[str, object]:
    assert isinstance(claim, Claim)
    first, *rest = claim.positions
    return {"positions": [first.model_copy(update={"quote_id": None}), *rest]}


PLANTED = {
    "a report inside a nested quote given the outer speaker": (
        reading_problems,
        lambda: _plant("events", "evt-hutchins-death", lambda e: _reports(e, source_id="per-alec-baldwin")),
    ),
    "a report inside a quote given as asserted": (
        reading_problems,
        lambda: _plant("events", "evt-hutchins-death", lambda e: _reports(e, factuality="asserted", source_id=None)),
    ),
    "a position inside a quote without its link": (
        reading_problems,
        lambda: _plant("claims", "clm-misfire", _unlink_first_position),
    ),
    "a note citing a quote that does not exist": (
        note_problems,
        lambda: _plant("utterances", "utt-024", lambda u: {"note": "As quo-004-999 says."}),
    ),
    "an utterance note citing another utterance's quote": (
        note_problems,
        lambda: _plant("utterances", "utt-024", lambda u: {"note": "Compare quo-000-027."}),
    ),
    "a date resolved against an undated article": (
        date_basis_problems,
        lambda: _plant("events", "evt-gma-interview", lambda e: {"date_basis": "resolved"}),
    ),
    "a span ending in a space": (
        edge_space_problems,
        lambda: _plant("mentions", "men-003-0065", lambda m: {"text": "his biggest critics "}),
    ),
    "a knowledge verb as a cue": (
        knowledge_cue_problems,
        lambda: _plant("quotes", "quo-002-020", lambda q: {"cue": "learn"}),
    ),
}


@pytest.mark.parametrize("check, planted", PLANTED.values(), ids=PLANTED)
def test_each_cross_table_check_finds_a_planted_inconsistency(
    check: Callable[[Tables], list[str]], planted: Callable[[], Tables]
) -> None:
    assert check(tables()) == []
    assert len(check(planted())) == 1
