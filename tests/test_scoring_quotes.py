"""The quotes task computed by hand on a two-sentence article: spans, trimming, matching, speakers, cues, kinds."""

from __future__ import annotations

import pytest

from rustcase.scoring.quotes import Gold, Guess, score_quotes
from rustcase.scoring.report import PRF
from rustcase.scoring.spans import Span, match, tokens, trim

TEXT = 'Baldwin said: "the gun went off suddenly." Later, Hutchins said "we are fine".'
TEXTS = {"art-900": TEXT}


def span(words: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return Span("art-900", start, start + len(words))


G1 = Gold(span("the gun went off suddenly"), frozenset({"per-a"}), "direct", span("said"), "utt-001")
G2 = Gold(span("we are fine"), frozenset({"per-b", "per-c"}), "partial", span("said", 1), "quo-2")
P1 = Guess(span("the gun went off"), speaker="per-a", cue=span("said"))  # inside G1: 16 of its 25 characters
P2 = Guess(span("we are fine"), speaker="per-a", kind="direct", cue=span("said", 1))  # G2 exactly, wrong speaker
P3 = Guess(span("Later, Hutchins"), speaker="per-b", cue=span("Later"))  # overlaps no quote: 15 characters


def prf(scores: PRF) -> tuple[float | None, float | None, float | None]:
    return scores.precision, scores.recall, scores.f1


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r)


def test_the_hand_computed_article() -> None:
    assert (len(G1.span), len(P1.span), len(G2.span), len(P3.span)) == (25, 16, 11, 15)
    result = score_quotes(TEXTS, [G1, G2], [P1, P2, P3], folded=False)
    assert (result.gold, result.predicted, result.matched) == (2, 3, 2)
    # strict: P2 alone is exact: P = 1/3, R = 1/2
    assert prf(result.spans.strict) == pytest.approx((1 / 3, 1 / 2, f1(1 / 3, 1 / 2)))
    # characters: shared 16 + 11 = 27; predicted 16 + 11 + 15 = 42; gold 25 + 11 = 36
    assert prf(result.spans.char) == pytest.approx((27 / 42, 27 / 36, f1(27 / 42, 27 / 36)))
    # tokens: shared 4 + 3 = 7; predicted 4 + 3 + 3 ("Later" "," "Hutchins") = 10; gold 5 + 3 = 8
    assert prf(result.spans.token) == pytest.approx((7 / 10, 7 / 8, f1(7 / 10, 7 / 8)))
    # speakers: P1 right, P2 wrong (per-a is not among per-b, per-c)
    assert result.speaker_accuracy == 1 / 2
    # end to end: the only exact span has the wrong speaker
    assert prf(result.end_to_end) == (0.0, 0.0, 0.0)
    # cues: "said" and the second "said" right, "Later" wrong: P = 2/3, R = 2/2
    assert prf(result.cue) == pytest.approx((2 / 3, 1.0, 0.8))
    # one article: macro equals micro
    assert result.macro == result.spans == result.by_article["art-900"].spans


def test_kinds_count_the_predicted_kind_or_else_the_matched_one() -> None:
    result = score_quotes(TEXTS, [G1, G2], [P1, P2, P3], folded=False)
    direct, partial = result.by_kind["direct"], result.by_kind["partial"]
    # direct: gold G1; predictions P1 (no kind, matched to a direct quote) and P2 (says direct)
    assert (direct.gold, direct.predicted, direct.matched) == (1, 2, 1)
    assert prf(direct.spans.char) == pytest.approx((16 / 27, 16 / 25, f1(16 / 27, 16 / 25)))
    # partial: gold G2; P2 said 'direct', so nothing predicted
    assert (partial.gold, partial.predicted, partial.matched) == (1, 0, 0)
    assert prf(partial.spans.strict) == (None, 0.0, None)


def test_a_co_speaker_counts_as_the_right_speaker() -> None:
    result = score_quotes(TEXTS, [G2], [P2._replace(speaker="per-c")], folded=False)
    assert result.speaker_accuracy == 1.0 and prf(result.end_to_end) == (1.0, 1.0, 1.0)


def test_no_speaker_is_a_wrong_speaker_not_an_error() -> None:
    assert score_quotes(TEXTS, [G2], [P2._replace(speaker=None)], folded=False).speaker_accuracy == 0.0


@pytest.mark.parametrize(
    ("words", "trimmed"),
    [
        ('"we are fine".', "we are fine"),
        (' "we are fine"', "we are fine"),
        ("we are fine", "we are fine"),
        ('said "we', "said \"we"),
        ('."', ""),
        ("Later, Hutchins", "Later, Hutchins"),
    ],
)
def test_white_space_quotation_marks_and_punctuation_are_trimmed_at_both_edges(words: str, trimmed: str) -> None:
    whole = span(words)
    got = trim("art-900", TEXT, whole.start, whole.end)
    assert TEXT[got.start : got.end] == trimmed


def test_exact_spans_are_matched_before_larger_overlaps() -> None:
    gold = [span("the gun went off suddenly"), span("gun")]
    # the first prediction overlaps the first gold span more than the exact second prediction does
    predicted = [span("the gun went off suddenly"), span("gun")]
    assert match(gold, predicted, ["b", "a"]) == {0: 0, 1: 1}
    wide = span('"the gun went off suddenly."')
    assert match(gold[:1], [span("the gun"), trim("art-900", TEXT, wide.start, wide.end)], ["a", "b"]) == {1: 0}


def test_ties_go_to_the_prediction_that_sorts_first_not_to_the_first_given() -> None:
    gold = [span("gun went")]
    predicted = [span("the gun"), span("went off")]  # both share 3 characters with the gold span
    assert match(gold, predicted, ["z", "a"]) == {1: 0}
    assert match(gold, predicted[::-1], ["a", "z"]) == {0: 0}


def test_one_prediction_matches_at_most_one_gold_quote() -> None:
    result = score_quotes(TEXTS, [G1, G2], [Guess(Span("art-900", 0, len(TEXT)))], folded=False)
    assert result.matched == 1 and result.spans.char.recall == pytest.approx(25 / 36)


def test_tokens_are_words_and_single_punctuation_marks() -> None:
    assert len(tokens(TEXT, span("Later, Hutchins"))) == 3
    assert len(tokens(TEXT, span("gun went off"))) == 3


def test_clusters_use_the_gold_quote_a_prediction_matched() -> None:
    g3 = Gold(span("Hutchins"), frozenset({"per-b"}), "direct", None, "utt-001")  # same utterance as G1
    together = [P1._replace(cluster="x"), Guess(span("Hutchins"), cluster="x")]
    apart = [P1._replace(cluster="x"), Guess(span("Hutchins"), cluster="y")]
    assert prf(score_quotes(TEXTS, [G1, g3], together, folded=False).clusters.muc) == (1.0, 1.0, 1.0)
    assert prf(score_quotes(TEXTS, [G1, g3], apart, folded=False).clusters.muc) == (None, 0.0, None)
    # an unmatched prediction is a spurious mention: B³ precision 1/2 for G1's mention, 0 for it
    spurious = [P1._replace(cluster="x"), Guess(span("Later"), cluster="x")]
    assert score_quotes(TEXTS, [G1, g3], spurious, folded=False).clusters.b_cubed.precision == pytest.approx(0.25)
