"""The score report: frozen, typed, JSON-serialisable, naming exactly what was scored against what."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rustcase.scoring import metrics


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PRF(_Frozen):
    """Precision, recall and F1; null where undefined (nothing predicted, nothing to find)."""

    precision: float | None
    recall: float | None
    f1: float | None

    @classmethod
    def of(cls, scores: metrics.PRF) -> PRF:
        return cls(precision=scores.precision, recall=scores.recall, f1=scores.f1)


class SpanScores(_Frozen):
    """Span detection: exact spans, and the share of characters and tokens the matched spans have in common."""

    strict: PRF = Field(description="Exact (trimmed) spans, matched one-to-one.")
    char: PRF = Field(description="Characters shared by matched spans over characters predicted / in the gold.")
    token: PRF = Field(description="Tokens shared by matched spans over tokens predicted / in the gold.")


class QuoteScores(_Frozen):
    """Span, attribution and end-to-end scores of one set of gold quotes and the predictions that go with it."""

    gold: int = Field(description="Gold quotes.")
    predicted: int = Field(description="Predicted quotes.")
    matched: int = Field(description="Predicted quotes matched one-to-one to a gold quote they overlap.")
    spans: SpanScores
    speaker_accuracy: float | None = Field(description="Right speakers over matched quotes.")
    end_to_end: PRF = Field(description="Exact span and right speaker.")


class Clusters(_Frozen):
    """Cross-outlet utterances: predicted clusters against the gold utterances (quotes without one are singletons)."""

    muc: PRF
    b_cubed: PRF
    ceaf_e: PRF
    blanc: PRF


class QuoteMetrics(QuoteScores):
    """Every score of the quotes task."""

    macro: SpanScores = Field(description="Span scores averaged over articles.")
    by_kind: dict[str, QuoteScores] = Field(description="Per kind of gold quote (see docs/benchmark.md).")
    by_article: dict[str, QuoteScores]
    cue: PRF = Field(description="Exact cue spans.")
    clusters: Clusters
    seen: QuoteScores | None = Field(
        description="With a fold: gold quotes whose utterance occurs in a training article, and their predictions."
    )
    unseen: QuoteScores | None = Field(description="With a fold: the other gold quotes, and their predictions.")


class StanceMetrics(_Frozen):
    """Every score of the stance task."""

    gold: int = Field(description="Gold positions (claim, holder, article).")
    predicted: int
    missing: int = Field(description="Gold positions without a prediction (counted wrong).")
    accuracy: float | None
    macro_f1: float | None
    by_stance: dict[str, PRF]


class DateMetrics(_Frozen):
    """Every score of the dates task."""

    gold: int = Field(description="Events.")
    predicted: int
    missing: int = Field(description="Events without a prediction (counted wrong).")
    accuracy: float | None = Field(description="Events whose date and precision are both exactly right.")


class Fold(_Frozen):
    """A leave-one-article-out fold: one article to test on, the others to train on."""

    number: int
    test_article_id: str
    train_article_ids: tuple[str, ...]


class Report(_Frozen):
    """A score and exactly what it was measured against."""

    task: Literal["quotes", "stance", "dates"]
    rustcase_version: str
    data_version: str
    fingerprint: str
    fold: Fold | None
    rows: int = Field(description="Prediction rows read.")
    ignored: int = Field(description="Rows outside the fold's test article, not scored.")
    metrics: QuoteMetrics | StanceMetrics | DateMetrics

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return self.model_dump(mode="json")

    def table(self) -> str:
        """The report as a readable text table."""
        fold = f"fold {self.fold.number} (test {self.fold.test_article_id})" if self.fold else "all articles"
        head = [
            f"rustcase {self.rustcase_version}, data version {self.data_version} ({self.fingerprint})",
            f"task {self.task}, {fold}, {self.rows} prediction row(s), {self.ignored} ignored",
            "",
            f"{'metric':<34} {'precision':>9} {'recall':>9} {'f1':>9}",
        ]
        return "\n".join(head + [_line(name, value) for name, value in _flat(self.metrics)]) + "\n"


def _flat(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted name, PRF or number) for every score of a metrics model, in field order."""
    if isinstance(value, PRF) or not isinstance(value, BaseModel | dict):
        return [(prefix, value)]
    items = value.items() if isinstance(value, dict) else ((k, getattr(value, k)) for k in type(value).model_fields)
    return [
        pair
        for key, sub in items
        if key not in _TABLE_SKIPS and (sub is not None or key not in ("seen", "unseen"))
        for pair in _flat(sub, f"{prefix}.{key}".lstrip("."))
    ]


_TABLE_SKIPS = ("by_article", "matched")
"""Left out of the text table (the JSON report has them)."""


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _line(name: str, value: Any) -> str:
    if isinstance(value, PRF):
        return f"{name:<34} {_number(value.precision):>9} {_number(value.recall):>9} {_number(value.f1):>9}"
    shown = _number(value) if isinstance(value, float) else str(value)
    return f"{name:<34} {shown:>9}"
