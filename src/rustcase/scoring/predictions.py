"""Prediction files: one Pydantic model per task (the JSON Schemas in schema/predictions/ derive from them),
read from JSON Lines or from dicts, every problem reported as ``file:row:field: message``."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rustcase.errors import RustcaseError
from rustcase.models import (
    ArticleId,
    ClaimId,
    DatePrecision,
    EventId,
    HolderId,
    IsoDatePrefix,
    NonEmpty,
    Offset,
    QuoteKind,
    SpeakerId,
    Stance,
)
from rustcase.validation import Problem

MAX_PROBLEMS = 100
"""At most this many problems are listed; a file with more is reported as having more."""


class Prediction(BaseModel):
    """Base of every prediction row: immutable, no unknown fields, JSON types taken strictly."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class QuotePrediction(Prediction):
    """One predicted quote: a span of an article, and optionally its speaker, kind, cue and utterance cluster."""

    article_id: ArticleId = Field(description="The article the quote is in.")
    start: Offset = Field(description="Start of the quoted content (code point index into the article text).")
    end: Offset = Field(description="End of the quoted content, exclusive.")
    speaker_id: SpeakerId | None = Field(None, description="Who is quoted, as a rustcase person or organisation ID.")
    speaker: NonEmpty | None = Field(
        None, description="Who is quoted, as a name written in the articles (resolved through names and aliases)."
    )
    kind: QuoteKind | None = Field(None, description="The kind of quote, as in the quotes table.")
    cue_start: Offset | None = Field(None, description="Start of the reporting verb or cue; null with `cue_end`.")
    cue_end: Offset | None = Field(None, description="End of the cue, exclusive; null with `cue_start`.")
    cluster: str | None = Field(
        None, description="Any string: predicted quotes with the same cluster are claimed to report one utterance."
    )


class StancePrediction(Prediction):
    """The predicted stance of one holder on one claim in one article."""

    claim_id: ClaimId = Field(description="The claim.")
    holder_id: HolderId = Field(description="Who takes the position (a person, an organisation or the article).")
    article_id: ArticleId = Field(description="The article the position is taken in.")
    stance: Stance = Field(description="The predicted stance.")


class DatePrediction(Prediction):
    """The predicted date of one event."""

    event_id: EventId = Field(description="The event.")
    date: IsoDatePrefix | None = Field(
        description="ISO 8601 date or prefix ('2021-10-21', '2021-10'); null if unknown."
    )
    date_precision: DatePrecision = Field(description="How much of `date` is known.")


_JSON_TYPES = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}

MODELS: dict[str, type[Prediction]] = {
    "quotes": QuotePrediction,
    "stance": StancePrediction,
    "dates": DatePrediction,
}
"""The prediction model of each task."""


class ScoringError(RustcaseError, ValueError):
    """A scoring request that cannot be met: an unknown task or fold."""


class PredictionsError(ScoringError):
    """Predictions that cannot be scored; ``problems`` lists each one as ``file:row:field: message``."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.row or 0)[:MAX_PROBLEMS]
        more = " (only the first listed)" if len(problems) > MAX_PROBLEMS else ""
        super().__init__(f"{len(problems)} problem(s) in the predictions{more}; the first: {self.problems[0]}")


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of one prediction row of each task (written to schema/predictions/<task>.schema.json)."""
    return {
        task: {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema(), "title": task}
        for task, model in MODELS.items()
    }


def rows(
    source: str | os.PathLike[str] | Iterable[Mapping[str, Any]], problems: list[Problem]
) -> tuple[str, list[tuple[int, Any]]]:
    """The rows of a JSON Lines file (row = line number, blank lines skipped) or of an iterable of dicts;
    lines that are no JSON are added to ``problems``."""
    if not isinstance(source, str | os.PathLike):
        return "<predictions>", list(enumerate(source, 1))
    name = os.fspath(source)
    problem = _unreadable(Path(name))
    if problem:
        raise PredictionsError([Problem(name, None, None, problem)])
    found: list[tuple[int, Any]] = []
    with open(name, "rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                found.append((number, json.loads(line.decode("utf-8"))))
            except UnicodeDecodeError:
                problems.append(Problem(name, number, None, "not UTF-8 text"))
            except (ValueError, RecursionError) as exc:
                problems.append(Problem(name, number, None, f"not a JSON value: {str(exc)[:80]}"))
            if len(problems) > MAX_PROBLEMS:
                break
    return name, found


def _unreadable(path: Path) -> str | None:
    """Why a path cannot be read as a predictions file (checked before it is opened), or None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    if not os.access(path, os.R_OK):
        return "cannot read: permission denied"
    return None


def parse(
    task: str, source: str | os.PathLike[str] | Iterable[Mapping[str, Any]]
) -> tuple[str, list[tuple[int, Prediction]]]:
    """The source's name and its validated prediction rows with their row numbers; every problem raised together."""
    model = MODELS[task]
    problems: list[Problem] = []
    name, found = rows(source, problems)
    parsed = []
    for number, row in found:
        if not isinstance(row, Mapping):
            problems.append(
                Problem(
                    name, number, None, f"expected a JSON object, got {_JSON_TYPES.get(type(row), type(row).__name__)}"
                )
            )
            continue
        try:
            parsed.append((number, model.model_validate(dict(row))))
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = ".".join(map(str, error["loc"])) or None
                problems.append(Problem(name, number, field, error["msg"]))
        if len(problems) > MAX_PROBLEMS:
            break
    if problems:
        raise PredictionsError(problems)
    return name, parsed
