"""A small rule-based reference system for rustcase's benchmark, writing predictions in the documented format.

quotes: every passage in double quotation marks within a paragraph is a direct quote; its cue is the
nearest speech verb in the paragraph; its speaker is the nearest name in the paragraph (of the people and
organisations rustcase lists, as a gazetteer) or, when a pronoun is nearer, the name last written before
it; quotes with the same words share a cluster. stance: every position 'asserts' (the majority class).
dates: every event 'unknown' (the majority class).

    python examples/baseline.py quotes predictions.jsonl [--data-version 1.0.0]
    rustcase score quotes predictions.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from typing import Any

import rustcase

QUOTED = re.compile(r"[“\"]([^“”\"\n]+)[”\"]")
SPEECH_VERBS = re.compile(
    r"\b(?:said|says|say|saying|told|tells|added|adding|explained|explaining|recalled|stated|asked|insisted|"
    r"claimed|claims|shared|continued|noted|wrote|according to)\b"
)
PRONOUNS = re.compile(r"\b(?:he|she|He|She)\b")


def quotes(ds: rustcase.Dataset) -> Iterator[dict[str, Any]]:
    """Predicted quotes of every article."""
    names = sorted(
        {n for e in [*ds.people.values(), *ds.organizations.values()] for n in [e.name, *e.aliases]}, key=len
    )
    name_pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in reversed(names)) + r")\b")
    for article in ds.articles.values():
        text = article.text
        quoted = [(m.start(1), m.end(1)) for m in QUOTED.finditer(text, article.body_start)]

        def outside(match: re.Match[str]) -> bool:
            return not any(s <= match.start() < e for s, e in quoted)  # noqa: B023

        mentions = [m for m in name_pattern.finditer(text) if outside(m)]
        for start, end in quoted:
            para_start = text.rfind("\n", 0, start) + 1
            para_end = text.find("\n", end) % (len(text) + 1) or len(text)
            cue = _nearest([m for m in SPEECH_VERBS.finditer(text, para_start, para_end) if outside(m)], start, end)
            anchor = (cue.start(), cue.end()) if cue else (start, end)
            name = _nearest([m for m in mentions if para_start <= m.start() < para_end], *anchor)
            pronoun = _nearest([m for m in PRONOUNS.finditer(text, para_start, para_end) if outside(m)], *anchor)
            if pronoun and (not name or _distance(pronoun, *anchor) < _distance(name, *anchor)):
                name = next((m for m in reversed(mentions) if m.start() < pronoun.start()), None)
            prediction: dict[str, Any] = {
                "article_id": article.article_id,
                "start": start,
                "end": end,
                "kind": "direct",
            }
            if name:
                prediction["speaker"] = name.group()
            if cue:
                prediction.update(cue_start=cue.start(), cue_end=cue.end())
            prediction["cluster"] = " ".join(re.findall(r"\w+", text[start:end].lower()))
            yield prediction


def _distance(match: re.Match[str], start: int, end: int) -> int:
    return max(start - match.end(), match.start() - end, 0)


def _nearest(matches: list[re.Match[str]], start: int, end: int) -> re.Match[str] | None:
    return min(matches, key=lambda m: (_distance(m, start, end), m.start()), default=None)


def stance(ds: rustcase.Dataset) -> Iterator[dict[str, Any]]:
    """'asserts' for every (claim, holder, article) the task gives."""
    items = {(c.claim_id, p.holder_id, p.article_id) for c in ds.claims.values() for p in c.positions}
    for claim_id, holder_id, article_id in sorted(items):
        yield {"claim_id": claim_id, "holder_id": holder_id, "article_id": article_id, "stance": "asserts"}


def dates(ds: rustcase.Dataset) -> Iterator[dict[str, Any]]:
    """'unknown' for every event."""
    for event_id in ds.events:
        yield {"event_id": event_id, "date": None, "date_precision": "unknown"}


SYSTEMS = {"quotes": quotes, "stance": stance, "dates": dates}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=SYSTEMS)
    parser.add_argument("out", help="the JSON Lines file to write")
    parser.add_argument("--data-version", default=None)
    args = parser.parse_args(argv)
    ds = rustcase.load(args.data_version)
    with open(args.out, "w", encoding="utf-8") as handle:
        for prediction in SYSTEMS[args.task](ds):
            handle.write(json.dumps(prediction, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
