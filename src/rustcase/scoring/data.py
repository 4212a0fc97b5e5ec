"""The gold of each task from the dataset API, the folds, and the checks of predictions against the data."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Hashable
from typing import Any

from rustcase.dataset import Dataset
from rustcase.models import Organization, Person
from rustcase.scoring.labels import DateValue, StanceItem
from rustcase.scoring.predictions import DatePrediction, Prediction, QuotePrediction, StancePrediction
from rustcase.scoring.quotes import Gold, Guess
from rustcase.scoring.report import Fold
from rustcase.scoring.spans import Span, trim
from rustcase.validation import Problem


def folds(ds: Dataset) -> list[Fold]:
    """The leave-one-article-out folds, numbered from 1 in article ID order."""
    articles = sorted(ds.articles)
    return [
        Fold(number=i, test_article_id=a, train_article_ids=tuple(b for b in articles if b != a))
        for i, a in enumerate(articles, 1)
    ]


def in_fold(ds: Dataset, fold: Fold | None, prediction: Prediction) -> bool:
    """Whether a prediction is about the fold's test article (every prediction is, without a fold)."""
    if fold is None:
        return True
    if isinstance(prediction, DatePrediction):
        event = ds.events.get(prediction.event_id)
        return event is None or any(r.article_id == fold.test_article_id for r in event.reports)
    assert isinstance(prediction, QuotePrediction | StancePrediction)
    return prediction.article_id == fold.test_article_id


def gold_quotes(ds: Dataset, fold: Fold | None) -> list[Gold]:
    """The gold quotes (the fold's test article, or all), in ID order; co-speakers count as right speakers."""
    train = set(fold.train_article_ids) if fold else set()
    seen = {q.utterance_id for q in ds.quotes.values() if q.article_id in train and q.utterance_id}
    return [
        Gold(
            span=_span(ds, q.article_id, q.start, q.end),
            speakers=frozenset([q.speaker_id, *q.co_speaker_ids]),
            kind=q.kind,
            cue=_cue(ds, q.article_id, q.cue_start, q.cue_end),
            cluster=q.utterance_id or q.quote_id,
            seen=q.utterance_id in seen,
        )
        for q in ds.quotes.values()
        if fold is None or q.article_id == fold.test_article_id
    ]


def guesses(ds: Dataset, fold: Fold | None, predictions: list[QuotePrediction]) -> list[Guess]:
    """Predictions as trimmed spans with resolved speakers; with a fold, a prediction is 'seen' when it is
    matched to a seen gold quote or, unmatched, when its words occur in a quote of a training article."""
    names = _names(ds)
    train_texts = [q.text for q in ds.quotes.values() if fold and q.article_id in fold.train_article_ids]
    found = []
    for p in predictions:
        span = _span(ds, p.article_id, p.start, p.end)
        words = ds.articles[p.article_id].text[span.start : span.end]
        found.append(
            Guess(
                span=span,
                speaker=p.speaker_id or (names.get(_name_key(p.speaker)) if p.speaker else None),
                kind=p.kind,
                cue=_cue(ds, p.article_id, p.cue_start, p.cue_end),
                cluster=p.cluster,
                order=json.dumps(p.model_dump(), sort_keys=True),
                seen=bool(words) and any(words in text for text in train_texts),
            )
        )
    return found


def _span(ds: Dataset, article_id: str, start: int, end: int) -> Span:
    return trim(article_id, ds.articles[article_id].text, start, end)


def _cue(ds: Dataset, article_id: str, start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else _span(ds, article_id, start, end)


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _names(ds: Dataset) -> dict[str, str]:
    """Every name and alias of a person or organisation that names exactly one of them, to its ID."""
    owners: dict[str, set[str]] = defaultdict(set)
    entities: list[Person | Organization] = [*ds.people.values(), *ds.organizations.values()]
    for entity in entities:
        entity_id = entity.person_id if isinstance(entity, Person) else entity.organization_id
        for name in [entity.name, *entity.aliases]:
            owners[_name_key(name)].add(entity_id)
    return {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1}


def gold_stance(ds: Dataset, fold: Fold | None) -> dict[StanceItem, tuple[str, ...]]:
    """Each (claim, holder, article) with its gold stance(s), in the order the positions are recorded."""
    gold: dict[StanceItem, tuple[str, ...]] = {}
    for claim in ds.claims.values():
        for p in claim.positions:
            if fold is None or p.article_id == fold.test_article_id:
                key = (claim.claim_id, p.holder_id, p.article_id)
                gold[key] = (*gold.get(key, ()), p.stance)
    return gold


def gold_dates(ds: Dataset, fold: Fold | None) -> dict[str, DateValue]:
    """Each event (reported in the fold's test article, or every event) with its date and precision."""
    return {
        e.event_id: (e.date, e.date_precision)
        for e in ds.events.values()
        if fold is None or any(r.article_id == fold.test_article_id for r in e.reports)
    }


def check(ds: Dataset, name: str, rows: list[tuple[int, Prediction]]) -> list[Problem]:
    """What the data says is wrong with valid-looking predictions: unknown IDs, spans off the text, repeats."""
    problems = []
    seen: dict[Hashable, int] = {}
    stance_keys = set(gold_stance(ds, None))
    for row, p in rows:
        for field, message in _check(ds, p, stance_keys):
            problems.append(Problem(name, row, field, message))
        key = _key(p)
        if key is not None:
            if key in seen:
                problems.append(Problem(name, row, None, f"a second prediction for the same item as row {seen[key]}"))
            seen.setdefault(key, row)
    return problems


def _key(p: Prediction) -> Hashable | None:
    if isinstance(p, StancePrediction):
        return (p.claim_id, p.holder_id, p.article_id)
    if isinstance(p, DatePrediction):
        return p.event_id
    return None


def _check(ds: Dataset, p: Prediction, stance_keys: set[tuple[str, str, str]]) -> list[tuple[str | None, str]]:
    version = ds.version
    if isinstance(p, DatePrediction):
        return [] if p.event_id in ds.events else [("event_id", f"no event {p.event_id!r} in data version {version}")]
    if isinstance(p, StancePrediction):
        if (p.claim_id, p.holder_id, p.article_id) in stance_keys:
            return []
        return [(None, f"no position of {p.holder_id} on {p.claim_id} in {p.article_id} in data version {version}")]
    assert isinstance(p, QuotePrediction)
    if p.article_id not in ds.articles:
        return [("article_id", f"no article {p.article_id!r} in data version {version}")]
    length = len(ds.articles[p.article_id].text)
    problems: list[tuple[str | None, str]] = []
    if p.end > length:
        problems.append(("end", f"beyond the end of {p.article_id}'s text ({length} code points)"))
    if p.start >= p.end:
        problems.append(("end", f"expected an end greater than start ({p.start})"))
    if (p.cue_start is None) != (p.cue_end is None):
        problems.append(("cue_end" if p.cue_end is None else "cue_start", "cue_start and cue_end go together"))
    elif p.cue_start is not None and p.cue_end is not None:
        if p.cue_end > length:
            problems.append(("cue_end", f"beyond the end of {p.article_id}'s text ({length} code points)"))
        if p.cue_start >= p.cue_end:
            problems.append(("cue_end", f"expected a cue_end greater than cue_start ({p.cue_start})"))
    if p.speaker_id is not None and p.speaker is not None:
        problems.append(("speaker", "give speaker_id or speaker, not both"))
    if p.speaker_id is not None and p.speaker_id not in ds.people and p.speaker_id not in ds.organizations:
        problems.append(("speaker_id", f"no person or organisation {p.speaker_id!r} in data version {version}"))
    return problems


def gold_predictions(ds: Dataset, task: str) -> list[dict[str, Any]]:
    """The gold written as predictions of a task: scored against the data, every score is 1."""
    if task == "quotes":
        return [
            {
                "article_id": q.article_id,
                "start": q.start,
                "end": q.end,
                "speaker_id": q.speaker_id,
                "kind": q.kind,
                "cue_start": q.cue_start,
                "cue_end": q.cue_end,
                "cluster": q.utterance_id or q.quote_id,
            }
            for q in ds.quotes.values()
        ]
    if task == "stance":
        return [
            {"claim_id": claim_id, "holder_id": holder_id, "article_id": article_id, "stance": stances[0]}
            for (claim_id, holder_id, article_id), stances in gold_stance(ds, None).items()
        ]
    return [{"event_id": e.event_id, "date": e.date, "date_precision": e.date_precision} for e in ds.events.values()]
