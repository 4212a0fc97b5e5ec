"""The quotes task over plain spans: detection, attribution, cues and utterance clusters.

Works on `Gold` and `Guess` tuples and the article texts, not on the dataset, so every score can be
computed by hand in a test; `rustcase.scoring.score` builds them from the data and the predictions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple

from rustcase.scoring import metrics
from rustcase.scoring.report import PRF, Clusters, QuoteMetrics, QuoteScores, SpanScores
from rustcase.scoring.spans import Span, match, overlap, tokens


class Gold(NamedTuple):
    """A gold quote: its trimmed span, the speakers that count as right, its kind, cue and utterance."""

    span: Span
    speakers: frozenset[str]
    kind: str
    cue: Span | None
    cluster: str
    seen: bool = False


class Guess(NamedTuple):
    """A predicted quote, trimmed and with its speaker resolved to an ID (None: no or an unknown speaker)."""

    span: Span
    speaker: str | None = None
    kind: str | None = None
    cue: Span | None = None
    cluster: str | None = None
    order: str = ""
    seen: bool = False


def score_quotes(
    texts: Mapping[str, str], gold: Sequence[Gold], guesses: Sequence[Guess], folded: bool
) -> QuoteMetrics:
    """Every score of the quotes task; with ``folded``, also split into seen and unseen utterances.

    A matched guess belongs to the split of its gold quote; an unmatched one keeps its own ``seen``.
    """
    matched = match([g.span for g in gold], [p.span for p in guesses], [p.order for p in guesses])
    guesses = [p._replace(seen=gold[matched[i]].seen) if i in matched else p for i, p in enumerate(guesses)]
    scores = _Scorer(texts, gold, guesses, matched)
    articles = sorted({g.span.article_id for g in gold})
    by_article = {a: scores.article(a) for a in articles}
    by_kind = {k: scores.of_kind(k) for k in sorted({g.kind for g in gold})}
    per_article = [s.spans for s in by_article.values()]
    return QuoteMetrics(
        **scores.scores(range(len(gold)), range(len(guesses))).model_dump(),
        macro=SpanScores(
            strict=PRF.of(metrics.macro([_raw(s.strict) for s in per_article])),
            char=PRF.of(metrics.macro([_raw(s.char) for s in per_article])),
            token=PRF.of(metrics.macro([_raw(s.token) for s in per_article])),
        ),
        by_kind=by_kind,
        by_article=by_article,
        cue=PRF.of(cue_scores(gold, guesses)),
        clusters=cluster_scores(gold, guesses, matched),
        seen=scores.part(lambda g: g.seen, lambda _, p: p.seen) if folded else None,
        unseen=scores.part(lambda g: not g.seen, lambda _, p: not p.seen) if folded else None,
    )


def _raw(scores: PRF) -> metrics.PRF:
    return metrics.PRF(scores.precision, scores.recall, scores.f1)


class _Scorer:
    """The scores of any part of the gold and the guesses, under one matching of the whole."""

    def __init__(
        self, texts: Mapping[str, str], gold: Sequence[Gold], guesses: Sequence[Guess], matched: dict[int, int]
    ):
        self.texts, self.gold, self.guesses, self.matched = texts, gold, guesses, matched
        self._token_cache: dict[Span, frozenset[tuple[int, int]]] = {}

    def article(self, article_id: str) -> QuoteScores:
        """The scores of one article."""
        return self.part(lambda g: g.span.article_id == article_id, lambda _, p: p.span.article_id == article_id)

    def of_kind(self, kind: str) -> QuoteScores:
        """The scores of one kind: gold quotes of that kind, and guesses that say it or, saying none, match one."""
        return self.part(lambda g: g.kind == kind, lambda i, p: self.kind(i, p) == kind)

    def kind(self, index: int, guess: Guess) -> str | None:
        """A guess's kind: the predicted one, else the kind of the gold quote it is matched to."""
        if guess.kind is not None or index not in self.matched:
            return guess.kind
        return self.gold[self.matched[index]].kind

    def part(self, gold_in: Callable[[Gold], bool], guess_in: Callable[[int, Guess], bool]) -> QuoteScores:
        """The scores of the gold quotes and the guesses (by index and value) that the two tests select."""
        gold = [i for i, g in enumerate(self.gold) if gold_in(g)]
        return self.scores(gold, [i for i, p in enumerate(self.guesses) if guess_in(i, p)])

    def scores(self, gold_indexes: Sequence[int], guess_indexes: Sequence[int]) -> QuoteScores:
        gold_set = set(gold_indexes)
        pairs = [
            (self.guesses[p], self.gold[self.matched[p]]) for p in guess_indexes if self.matched.get(p) in gold_set
        ]
        gold = [self.gold[i] for i in gold_indexes]
        guesses = [self.guesses[i] for i in guess_indexes]
        exact = [(p, g) for p, g in pairs if p.span == g.span]
        right = sum(p.speaker in g.speakers for p, g in pairs)
        shared = sum(len(self._tokens(p.span) & self._tokens(g.span)) for p, g in pairs)
        return QuoteScores(
            gold=len(gold),
            predicted=len(guesses),
            matched=len(pairs),
            spans=SpanScores(
                strict=PRF.of(metrics.counts(len(exact), len(guesses), len(gold))),
                char=PRF.of(
                    metrics.prf(
                        sum(overlap(p.span, g.span) for p, g in pairs),
                        sum(len(p.span) for p in guesses),
                        sum(overlap(p.span, g.span) for p, g in pairs),
                        sum(len(g.span) for g in gold),
                    )
                ),
                token=PRF.of(
                    metrics.prf(
                        shared,
                        sum(len(self._tokens(p.span)) for p in guesses),
                        shared,
                        sum(len(self._tokens(g.span)) for g in gold),
                    )
                ),
            ),
            speaker_accuracy=metrics.accuracy(right, len(pairs)),
            end_to_end=PRF.of(metrics.counts(sum(p.speaker in g.speakers for p, g in exact), len(guesses), len(gold))),
        )

    def _tokens(self, span: Span) -> frozenset[tuple[int, int]]:
        if span not in self._token_cache:
            self._token_cache[span] = tokens(self.texts[span.article_id], span)
        return self._token_cache[span]


def cue_scores(gold: Sequence[Gold], guesses: Sequence[Guess]) -> metrics.PRF:
    """Cue F1 over distinct (trimmed) cue spans: a cue several quotes share counts once."""
    gold_cues = {g.cue for g in gold if g.cue is not None}
    guessed = {p.cue for p in guesses if p.cue is not None}
    return metrics.counts(len(gold_cues & guessed), len(guessed), len(gold_cues))


def _canonical(clusters: Iterable[set[Hashable]]) -> list[set[Hashable]]:
    """Clusters in an order independent of the predictions' order, so float sums come out the same."""
    return sorted(clusters, key=lambda c: sorted(map(repr, c)))


def cluster_scores(gold: Sequence[Gold], guesses: Sequence[Guess], matched: Mapping[int, int]) -> Clusters:
    """MUC, B³, CEAF-e and BLANC of the predicted clusters against the gold utterances.

    A matched prediction stands for its gold quote; an unmatched one is a spurious mention (identical rows
    are one mention, as the reference scorer de-duplicates) and an unmatched gold quote a missing one; a gold
    quote without an utterance, and a prediction without a cluster, is a singleton.
    """
    key: dict[str, set[Hashable]] = defaultdict(set)
    for i, g in enumerate(gold):
        key[g.cluster].add(("gold", i))
    response: dict[Hashable, set[Hashable]] = defaultdict(set)
    for p, guess in enumerate(guesses):
        mention = ("gold", matched[p]) if p in matched else ("guess", guess.order)  # repeated rows: one mention
        response[guess.cluster if guess.cluster is not None else ("alone", guess.order)].add(mention)
    key_clusters, response_clusters = _canonical(key.values()), _canonical(response.values())
    return Clusters(
        muc=PRF.of(metrics.muc(key_clusters, response_clusters)),
        b_cubed=PRF.of(metrics.b_cubed(key_clusters, response_clusters)),
        ceaf_e=PRF.of(metrics.ceaf_e(key_clusters, response_clusters)),
        blanc=PRF.of(metrics.blanc(key_clusters, response_clusters)),
    )
