"""rustcase.score against the shipped data: what a report names, folds, the gold scoring 1, properties that
must hold for any predictions, and that nothing given is modified."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import rustcase
from rustcase.scoring import PredictionsError, ScoringError, data, folds

TASKS = ("quotes", "stance", "dates")
FOLDS = [None, *range(1, len(rustcase.load().articles) + 1)]


@pytest.fixture(scope="module")
def gold(ds: rustcase.Dataset) -> dict[str, list[dict[str, Any]]]:
    return {task: data.gold_predictions(ds, task) for task in TASKS}


def scores(value: Any, path: str = "") -> Iterator[tuple[str, float | None]]:
    """(dotted name, value) of every score in a report's metrics (counts left out)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from scores(sub, f"{path}.{key}")
    elif isinstance(value, float) or value is None:
        yield path, value


def test_a_report_names_what_was_scored_against_what(ds: rustcase.Dataset) -> None:
    report = rustcase.score("dates", [], fold=2)
    assert report.data_version == ds.version and report.fingerprint == ds.fingerprint
    assert report.rustcase_version == rustcase.__version__
    assert report.fold is not None and report.fold.number == 2
    assert report.fold.test_article_id == sorted(ds.articles)[1]
    assert json.loads(json.dumps(report.to_dict()))["fold"]["train_article_ids"] == [
        a for a in sorted(ds.articles) if a != report.fold.test_article_id
    ]


def test_a_report_is_frozen() -> None:
    report = rustcase.score("stance", [])
    with pytest.raises(ValueError, match="frozen"):
        report.task = "dates"  # type: ignore[misc]


@pytest.mark.parametrize("fold", FOLDS)
@pytest.mark.parametrize("task", TASKS)
def test_the_gold_scores_one_everywhere(task: str, fold: int | None, gold: dict[str, list[dict[str, Any]]]) -> None:
    report = rustcase.score(task, gold[task], fold=fold)
    found = dict(scores(report.to_dict()["metrics"]))
    assert found and all(value in (None, 1.0) for value in found.values()), found
    assert found.get(".accuracy", found.get(".spans.strict.f1")) == 1.0


@pytest.mark.parametrize("task", TASKS)
def test_no_predictions_score_zero_recall(task: str) -> None:
    metrics = rustcase.score(task, []).to_dict()["metrics"]
    found = dict(scores(metrics))
    recalls = [v for k, v in found.items() if k.endswith(".recall") and ".by_stance." not in k]
    assert all(v == 0.0 for v in recalls)
    assert all(v is None for k, v in found.items() if k.endswith(".precision") and "blanc" not in k)
    if task != "quotes":
        assert metrics["accuracy"] == 0.0 and metrics["missing"] == metrics["gold"]


def test_every_fold_tests_one_article_and_splits_its_quotes(ds: rustcase.Dataset) -> None:
    all_folds = folds()
    assert [f.test_article_id for f in all_folds] == sorted(ds.articles)
    for fold in all_folds:
        report = rustcase.score("quotes", data.gold_predictions(ds, "quotes"), fold=fold.number)
        metrics = report.metrics
        assert isinstance(metrics, rustcase.scoring.report.QuoteMetrics)
        assert metrics.seen is not None and metrics.unseen is not None
        assert metrics.gold == len(ds.quotes_in(fold.test_article_id)) == metrics.seen.gold + metrics.unseen.gold
        assert report.ignored == len(ds.quotes) - metrics.gold
        train = {q.utterance_id for q in ds.quotes.values() if q.article_id != fold.test_article_id}
        seen = sum(q.utterance_id in train for q in ds.quotes_in(fold.test_article_id) if q.utterance_id)
        assert metrics.seen.gold == seen


@pytest.mark.parametrize("fold", [0, 6, -1, True, "1", 1.0])
def test_a_fold_out_of_range_is_a_clear_error(fold: Any) -> None:
    with pytest.raises(ScoringError, match="fold must be a number from 1 to 5"):
        rustcase.score("quotes", [], fold=fold)


def test_an_unknown_task_is_a_clear_error() -> None:
    with pytest.raises(ScoringError, match="unknown task 'quote'; the tasks are: quotes, stance, dates"):
        rustcase.score("quote", [])


def one_quote(ds: rustcase.Dataset, **changes: Any) -> dict[str, Any]:
    q = next(iter(ds.quotes.values()))
    return {"article_id": q.article_id, "start": q.start, "end": q.end, **changes}


def test_a_speaker_name_is_resolved_through_names_and_aliases(ds: rustcase.Dataset) -> None:
    q = next(iter(ds.quotes.values()))
    speaker = ds.speaker(q)
    for name in [speaker.name, *speaker.aliases, speaker.name.upper()]:
        assert rustcase.score("quotes", [one_quote(ds, speaker=name)]).metrics.speaker_accuracy == 1.0  # type: ignore[union-attr]
    for other in ("Nobody Known", "per-alec-baldwin"):
        assert rustcase.score("quotes", [one_quote(ds, speaker=other)]).metrics.speaker_accuracy == 0.0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("task", "row", "expected"),
    [
        ("quotes", {"article_id": "art-999", "start": 0, "end": 5}, "<predictions>:1:article_id: no article 'art-999'"),
        ("quotes", {"article_id": "art-000", "start": 5, "end": 5}, "<predictions>:1:end: expected an end greater"),
        ("quotes", {"article_id": "art-000", "start": 0, "end": 10**9}, "<predictions>:1:end: beyond the end of"),
        ("quotes", {"article_id": "art-000", "start": 0, "end": 5, "cue_start": 1}, ":1:cue_end: cue_start and"),
        (
            "quotes",
            {"article_id": "art-000", "start": 0, "end": 5, "cue_start": 3, "cue_end": 2},
            ":1:cue_end: expected",
        ),
        ("quotes", {"article_id": "art-000", "start": 0, "end": 5, "speaker_id": "per-x-y"}, ":speaker_id: no person"),
        (
            "quotes",
            {"article_id": "art-000", "start": 0, "end": 5, "speaker_id": "per-alec-baldwin", "speaker": "A"},
            "not both",
        ),
        ("quotes", {"article_id": "art-000", "start": "0", "end": 5}, ":1:start: Input should be a valid integer"),
        ("quotes", {"article_id": "art-000", "start": True, "end": 5}, ":1:start: Input should be a valid integer"),
        ("quotes", {"article_id": "art-000", "start": 0}, ":1:end: Field required"),
        ("quotes", {"article_id": "art-000", "start": 0, "end": 5, "extra": 1}, ":1:extra: Extra inputs"),
        ("quotes", {"article_id": "art-000", "start": 0, "end": 5, "kind": "quoted"}, ":1:kind: Input should be"),
        ("quotes", ["art-000", 0, 5], ":1:-: expected a JSON object, got an array"),
        (
            "stance",
            {"claim_id": "clm-x", "holder_id": "per-x", "article_id": "art-000", "stance": "asserts"},
            ":1:-: no position",
        ),
        (
            "stance",
            {"claim_id": "clm-x", "holder_id": "per-x", "article_id": "art-000", "stance": "maybe"},
            ":1:stance:",
        ),
        ("dates", {"event_id": "evt-nothing", "date": None, "date_precision": "unknown"}, ":1:event_id: no event"),
        ("dates", {"event_id": "evt-x", "date": "21 Oct", "date_precision": "day"}, ":1:date: String should match"),
    ],
)
def test_each_bad_row_is_named_by_row_and_field(task: str, row: Any, expected: str) -> None:
    with pytest.raises(PredictionsError) as caught:
        rustcase.score(task, [row])
    assert expected in str(caught.value.problems[0]), caught.value.problems


def test_a_second_prediction_for_one_item_is_an_error(gold: dict[str, list[dict[str, Any]]]) -> None:
    with pytest.raises(PredictionsError, match="<predictions>:3:-: a second prediction for the same item as row 1"):
        rustcase.score("dates", [gold["dates"][0], gold["dates"][1], gold["dates"][0]])


def test_the_scorer_modifies_neither_dicts_nor_files(gold: dict[str, list[dict[str, Any]]], tmp_path: Path) -> None:
    for task, rows in gold.items():
        before = copy.deepcopy(rows)
        rustcase.score(task, rows, fold=1)
        assert rows == before
        path = tmp_path / f"{task}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        path.chmod(0o444)
        stat = path.stat()
        rustcase.score(task, path)
        assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.read_text(encoding="utf-8").count("\n") == len(rows)


# Properties over generated predictions: gold quotes, gold quotes cut or widened, and spans anywhere.
def _quote_pool(ds: rustcase.Dataset) -> list[dict[str, Any]]:
    pool = []
    for q in ds.quotes.values():
        length = len(ds.articles[q.article_id].text)
        for start, end in [(q.start, q.end), (q.start + 3, q.end), (max(0, q.start - 4), min(length, q.end + 2))]:
            if start < end:
                pool.append({"article_id": q.article_id, "start": start, "end": end, "speaker_id": q.speaker_id})
    return pool


DS = rustcase.load()
POOL = _quote_pool(DS)
GOLD_QUOTES = data.gold_predictions(DS, "quotes")
predictions = st.lists(st.sampled_from(POOL), max_size=40, unique_by=lambda r: (r["article_id"], r["start"], r["end"]))


def _nowhere(ds: rustcase.Dataset) -> list[dict[str, Any]]:
    """Spans that overlap no gold quote: the text before each article's first quote."""
    spans = []
    for article_id in ds.articles:
        first = min(q.start for q in ds.quotes_in(article_id))
        if first > 10:
            spans.append({"article_id": article_id, "start": first - 10, "end": first - 2})
    return spans


NOWHERE = _nowhere(DS)


def _prf_scores(report: rustcase.scoring.Report, kind: str) -> list[float | None]:
    found = dict(scores(report.to_dict()["metrics"]))
    return [v for k, v in found.items() if k.endswith(f".{kind}") and ".clusters." not in k and ".by_" not in k]


@settings(max_examples=40)
@given(predictions)
def test_every_score_lies_between_zero_and_one(rows: list[dict[str, Any]]) -> None:
    found = dict(scores(rustcase.score("quotes", rows).to_dict()["metrics"]))
    assert all(v is None or 0.0 <= v <= 1.0 for v in found.values()), found


@settings(max_examples=30)
@given(predictions, st.sampled_from(NOWHERE))
def test_a_false_positive_never_raises_precision(rows: list[dict[str, Any]], wrong: dict[str, Any]) -> None:
    before = _prf_scores(rustcase.score("quotes", rows), "precision")
    after = _prf_scores(rustcase.score("quotes", [*rows, wrong]), "precision")
    assert all(b is None or a <= b + 1e-12 for a, b in zip(after, before, strict=True) if a is not None)


@settings(max_examples=30)
@given(predictions, st.sampled_from(GOLD_QUOTES))
def test_a_true_positive_never_lowers_recall(rows: list[dict[str, Any]], right: dict[str, Any]) -> None:
    key = (right["article_id"], right["start"], right["end"])
    rows = [r for r in rows if (r["article_id"], r["start"], r["end"]) != key]
    before = _prf_scores(rustcase.score("quotes", rows), "recall")
    after = _prf_scores(rustcase.score("quotes", [*rows, right]), "recall")
    assert all(a is not None and b is not None and a >= b - 1e-12 for a, b in zip(after, before, strict=True))


@settings(max_examples=25)
@given(predictions, st.randoms(use_true_random=False))
def test_the_order_of_predictions_does_not_matter(rows: list[dict[str, Any]], rng: random.Random) -> None:
    shuffled = rows[:]
    rng.shuffle(shuffled)
    assert rustcase.score("quotes", shuffled) == rustcase.score("quotes", rows)


@settings(max_examples=25)
@given(st.lists(st.sampled_from(data.gold_predictions(DS, "stance")), unique_by=lambda r: tuple(r.values())[:3]))
def test_stance_scores_lie_between_zero_and_one_and_missing_counts_wrong(rows: list[dict[str, Any]]) -> None:
    report = rustcase.score("stance", [{**r, "stance": "disputes"} for r in rows])
    found = dict(scores(report.to_dict()["metrics"]))
    assert all(v is None or 0.0 <= v <= 1.0 for v in found.values())
    metrics = report.metrics
    assert isinstance(metrics, rustcase.scoring.report.StanceMetrics)
    assert metrics.missing == metrics.gold - len(rows)
