"""Scoring systems against rustcase: quote detection and attribution, cues, utterance clusters, stance, dates.

`score` reads predictions (a JSON Lines file or dicts), checks them against the data version, and returns a
`Report` that names the data version, its fingerprint, the fold and the rustcase version. Nothing it is given
is modified. docs/benchmark.md describes the tasks, the formats and every metric.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from rustcase.scoring.predictions import MODELS, PredictionsError, ScoringError, json_schemas
from rustcase.scoring.report import Fold, Report

TASKS = tuple(MODELS)
"""The benchmark's tasks."""

__all__ = ["TASKS", "Fold", "PredictionsError", "Report", "ScoringError", "folds", "json_schemas", "score"]


def folds(version: str | None = None) -> list[Fold]:
    """The leave-one-article-out folds of a data version (the newest by default), numbered from 1."""
    from rustcase.dataset import load
    from rustcase.scoring import data

    return data.folds(load(version))


def score(
    task: str,
    predictions: str | os.PathLike[str] | Iterable[Mapping[str, Any]],
    version: str | None = None,
    fold: int | None = None,
) -> Report:
    """Score predictions of ``task`` ("quotes", "stance" or "dates") against a data version (the newest by
    default), on every article or on the test article of leave-one-article-out ``fold`` (1 to 5).

    Unusable predictions raise `PredictionsError`, listing each problem as ``file:row:field: message``.
    """
    from importlib.metadata import version as package_version

    from rustcase.dataset import load
    from rustcase.scoring import data, labels, predictions as prediction_rows
    from rustcase.scoring.predictions import DatePrediction, QuotePrediction, StancePrediction
    from rustcase.scoring.quotes import score_quotes

    if task not in MODELS:
        raise ScoringError(f"unknown task {task!r}; the tasks are: {', '.join(TASKS)}")
    ds = load(version)
    chosen = _fold(data.folds(ds), fold)
    name, rows = prediction_rows.parse(task, predictions)
    problems = data.check(ds, name, rows)
    if problems:
        raise PredictionsError(problems)
    kept = [p for _, p in rows if data.in_fold(ds, chosen, p)]
    metrics: Any
    if task == "quotes":
        gold = data.gold_quotes(ds, chosen)
        texts = {a: article.text for a, article in ds.articles.items()}
        found = [p for p in kept if isinstance(p, QuotePrediction)]
        metrics = score_quotes(texts, gold, data.guesses(ds, chosen, found), folded=chosen is not None)
    elif task == "stance":
        stances = {(p.claim_id, p.holder_id, p.article_id): p.stance for p in kept if isinstance(p, StancePrediction)}
        metrics = labels.score_stance(data.gold_stance(ds, chosen), stances)
    else:
        dates = {p.event_id: (p.date, p.date_precision) for p in kept if isinstance(p, DatePrediction)}
        metrics = labels.score_dates(data.gold_dates(ds, chosen), dates)
    return Report(
        task=task,
        rustcase_version=package_version("rustcase"),
        data_version=ds.version,
        fingerprint=ds.fingerprint,
        fold=chosen,
        rows=len(rows),
        ignored=len(rows) - len(kept),
        metrics=metrics,
    )


def _fold(all_folds: list[Fold], number: int | None) -> Fold | None:
    if number is None:
        return None
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(all_folds):
        raise ScoringError(f"fold must be a number from 1 to {len(all_folds)}, got {number!r}")
    return all_folds[number - 1]
