"""The label tasks, stance and dates: one predicted label per given item, scored against the gold label(s)."""

from __future__ import annotations

from collections.abc import Mapping

from rustcase.scoring import metrics
from rustcase.scoring.report import PRF, DateMetrics, StanceMetrics

StanceItem = tuple[str, str, str]
"""(claim ID, holder ID, article ID)."""
DateValue = tuple[str | None, str]
"""(date or None, date precision)."""


def score_stance(gold: Mapping[StanceItem, tuple[str, ...]], predicted: Mapping[StanceItem, str]) -> StanceMetrics:
    """Accuracy and macro-F1 over the gold positions; a position with several gold stances (one holder
    taking the same claim up in several quotes of one article) is right with any of them."""
    pairs = [(_gold_label(stances, predicted.get(item)), predicted.get(item)) for item, stances in gold.items()]
    macro_f1, by_stance = metrics.macro_f1(pairs)
    return StanceMetrics(
        gold=len(gold),
        predicted=sum(item in predicted for item in gold),
        missing=sum(item not in predicted for item in gold),
        accuracy=metrics.accuracy(sum(g == p for g, p in pairs), len(pairs)),
        macro_f1=macro_f1,
        by_stance={label: PRF.of(scores) for label, scores in by_stance.items()},
    )


def _gold_label(stances: tuple[str, ...], predicted: str | None) -> str:
    return predicted if predicted in stances else stances[0]


def score_dates(gold: Mapping[str, DateValue], predicted: Mapping[str, DateValue]) -> DateMetrics:
    """Exact accuracy: an event is right when its predicted date and precision both equal the gold ones."""
    return DateMetrics(
        gold=len(gold),
        predicted=sum(item in predicted for item in gold),
        missing=sum(item not in predicted for item in gold),
        accuracy=metrics.accuracy(sum(predicted.get(item) == value for item, value in gold.items()), len(gold)),
    )
