"""Spans for scoring: the edge trimming applied to gold and predictions alike, tokens, and one-to-one matching."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

EDGE = frozenset(" \t\n\r\f\v\u00a0\u2009\u202f" + "\"'“”‘’«»„‚‹›`" + ".,;:!?…—–-()[]")
"""Characters trimmed from both ends of every span before comparison: white space, quotation marks, punctuation."""

_TOKEN = re.compile(r"\w+|[^\w\s]")


class Span(NamedTuple):
    """A trimmed span of one article: ``start`` to ``end`` (exclusive), code points."""

    article_id: str
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


def trim(article_id: str, text: str, start: int, end: int) -> Span:
    """The span without the white space, quotation marks and punctuation at either edge (possibly empty)."""
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return Span(article_id, start, end)


def overlap(a: Span, b: Span) -> int:
    """The number of code points two spans share (0 in different articles)."""
    return max(0, min(a.end, b.end) - max(a.start, b.start)) if a.article_id == b.article_id else 0


def tokens(text: str, span: Span) -> frozenset[tuple[int, int]]:
    """The tokens (word-character runs and single other characters, by offset) that a span touches."""
    return frozenset(
        (m.start() + span.start, m.end() + span.start) for m in _TOKEN.finditer(text, span.start, span.end)
    )


def match(gold: Sequence[Span], predicted: Sequence[Span], order: Sequence[str]) -> dict[int, int]:
    """A one-to-one matching {predicted index: gold index}: exact spans first, then the largest overlap.

    Ties go to the earlier gold span, then to the prediction that sorts first by ``order`` (a canonical form
    of each prediction), so the matching does not depend on the order the predictions came in.
    """
    candidates = []
    for p, ps in enumerate(predicted):
        for g, gs in enumerate(gold):
            shared = overlap(ps, gs)
            if shared:
                candidates.append((ps != gs, -shared, gs, g, order[p], p))
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for _, _, _, g, _, p in sorted(candidates):
        if p not in matched and g not in taken:
            matched[p] = g
            taken.add(g)
    return matched
