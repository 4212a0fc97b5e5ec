"""The metrics, each checked against values computed by hand, and the clustering metrics against the worked
examples published with the reference coreference scorer.

The worked examples are the test cases of conll/reference-coreference-scorers (Pradhan et al. 2014,
"Scoring Coreference Partitions of Predicted Mentions: A Reference Implementation", ACL),
file test/TestCases.README (TC-A … TC-N; TC-D/E from the B³ paper, TC-F … TC-L from the MUC paper). They are
written here in our own form: each cluster a run of one-character mentions ("a bc def" is {a} {bc} {def}),
the expected precision and recall as the fractions the README gives. Where the reference prints 0 for a 0/0
(MUC of a side with no links), rustcase gives null: an undefined score is not a zero.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from rustcase.scoring import metrics
from rustcase.scoring.metrics import PRF


def clusters(text: str) -> list[set[str]]:
    return [set(cluster) for cluster in text.split()]


def f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def assert_prf(got: PRF, precision: float | None, recall: float | None, f: float | None = None) -> None:
    expected = (precision, recall, f1(precision, recall) if f is None else f)
    for name, value, want in zip(("precision", "recall", "f1"), got, expected, strict=True):
        assert (value is None) == (want is None), (name, got, expected)
        if want is not None:
            assert value == pytest.approx(float(want), abs=1e-9), (name, got, expected)


# (case, key, response, precision, recall) per metric, from test/TestCases.README of the reference scorer.
MUC = [
    ("TC-A-1", "a bc def", "a bc def", F(3, 3), F(3, 3)),
    ("TC-A-2", "a bc def", "a de", F(1, 1), F(1, 3)),
    ("TC-A-3", "a bc def", "a bcx defy z", F(3, 5), F(3, 3)),
    ("TC-A-4", "a bc def", "a bcx dy z", F(1, 3), F(1, 3)),
    ("TC-A-5", "a bc def", "a bcxB dy z", F(1, 4), F(1, 3)),
    ("TC-A-6", "a bc def", "a bcx dy Bz", F(1, 4), F(1, 3)),
    ("TC-A-10", "a bc def", "a b c d e f", None, F(0)),
    ("TC-A-11", "a bc def", "abcdef", F(3, 5), F(3, 3)),
    ("TC-A-12", "a bc def", "a x y c d e z", None, F(0)),
    ("TC-A-13", "a bc def", "axycdez", F(1, 6), F(1, 3)),
    ("TC-D-1", "12345 67 89ABC", "12345 6789ABC", F(9, 10), F(9, 9)),
    ("TC-E-1", "12345 67 89ABC", "1234589ABC 67", F(9, 10), F(9, 9)),
    ("TC-F-1", "ABCD", "AB CD", F(2, 2), F(2, 3)),
    ("TC-G-1", "AB CD", "ABCD", F(2, 3), F(2, 2)),
    ("TC-H-1", "ABCD", "ABCD", F(1), F(1)),
    ("TC-I-1", "ABCD", "AB CD", F(2, 2), F(2, 3)),
    ("TC-J-1", "ABC", "AC", F(1, 1), F(1, 2)),
    ("TC-K-1", "BCDEGHJ", "ABC DEF GHI", F(3, 6), F(3, 6)),
    ("TC-L-1", "ABC DEFG", "AB CD FGH", F(2, 4), F(2, 5)),
    ("TC-M-1", "abcdef", "abcdef", F(1), F(1)),
    ("TC-M-2", "abcdef", "a b c d e f", None, F(0)),
    ("TC-M-5", "abcdef", "a b c x y z", None, F(0)),
    ("TC-N-1", "a b c d e f", "a b c d e f", None, None),
    ("TC-N-4", "a b c d e f", "a b c x y z", None, None),
]
B_CUBED = [
    ("TC-A-1", "a bc def", "a bc def", F(6, 6), F(6, 6)),
    ("TC-A-2", "a bc def", "a de", F(3, 3), F(7, 18)),
    ("TC-A-3", "a bc def", "a bcx defy z", F(55, 108), F(6, 6)),
    ("TC-A-4", "a bc def", "a bcx dy z", F(17, 42), F(5, 9)),
    ("TC-A-5", "a bc def", "a bcxB dy z", F(5, 16), F(5, 9)),
    ("TC-A-6", "a bc def", "a bcx dy Bz", F(17, 48), F(5, 9)),
    ("TC-A-10", "a bc def", "a b c d e f", F(6, 6), F(3, 6)),
    ("TC-A-11", "a bc def", "abcdef", F(7, 18), F(6, 6)),
    ("TC-A-12", "a bc def", "a x y c d e z", F(4, 7), F(13, 36)),
    ("TC-A-13", "a bc def", "axycdez", F(6, 49), F(17, 36)),
    ("TC-D-1", "12345 67 89ABC", "12345 6789ABC", F(16, 21), F(12, 12)),
    ("TC-E-1", "12345 67 89ABC", "1234589ABC 67", F(7, 12), F(1)),
    ("TC-M-1", "abcdef", "abcdef", F(1), F(1)),
    ("TC-N-1", "a b c d e f", "a b c d e f", F(1), F(1)),
]
CEAF_E = [
    ("TC-A-1", "a bc def", "a bc def", F(3, 3), F(3, 3)),
    ("TC-A-2", "a bc def", "a de", F(9, 5) / 2, F(9, 5) / 3),
    ("TC-A-3", "a bc def", "a bcx defy z", (1 + F(4, 5) + F(6, 7)) / 4, (1 + F(4, 5) + F(6, 7)) / 3),
    ("TC-A-4", "a bc def", "a bcx dy z", F(11, 5) / 4, F(11, 5) / 3),
    ("TC-A-5", "a bc def", "a bcxB dy z", (1 + F(4, 6) + F(2, 5)) / 4, (1 + F(4, 6) + F(2, 5)) / 3),
    ("TC-A-6", "a bc def", "a bcx dy Bz", F(11, 5) / 4, F(11, 5) / 3),
    ("TC-M-1", "abcdef", "abcdef", F(1), F(1)),
    ("TC-N-1", "a b c d e f", "a b c d e f", F(1), F(1)),
]
# BLANC: (case, key, response, coreference precision, recall, non-coreference precision, recall); 0/0 is 0.
BLANC = [
    ("TC-A-1", "a bc def", "a bc def", F(4, 4), F(4, 4), F(11, 11), F(11, 11)),
    ("TC-A-2", "a bc def", "a de", F(1, 1), F(1, 4), F(2, 2), F(2, 11)),
    ("TC-A-3", "a bc def", "a bcx defy z", F(4, 9), F(4, 4), F(11, 27), F(11, 11)),
    ("TC-A-4", "a bc def", "a bcx dy z", F(1, 4), F(1, 4), F(5, 17), F(5, 11)),
    ("TC-A-5", "a bc def", "a bcxB dy z", F(1, 7), F(1, 4), F(5, 21), F(5, 11)),
    ("TC-A-6", "a bc def", "a bcx dy Bz", F(1, 5), F(1, 4), F(5, 23), F(5, 11)),
    ("TC-A-10", "a bc def", "a b c d e f", F(0), F(0, 4), F(11, 15), F(11, 11)),
    ("TC-A-11", "a bc def", "abcdef", F(4, 15), F(4, 4), F(0), F(0, 11)),
    ("TC-A-12", "a bc def", "a x y c d e z", F(0), F(0, 4), F(5, 21), F(5, 11)),
    ("TC-A-13", "a bc def", "axycdez", F(1, 21), F(1, 4), F(0), F(0, 11)),
    ("TC-B-1", "ab cde", "bcx de", F(1, 4), F(1, 4), F(2, 6), F(2, 6)),
    ("TC-C-1", "ab cde fg", "bcx de fg", F(2, 5), F(2, 5), F(10, 16), F(10, 16)),
]
# Keys with only one kind of link: BLANC is that kind's score alone (precision, recall).
BLANC_ONE_KIND = [
    ("TC-M-1", "abcdef", "abcdef", F(15, 15), F(15, 15)),
    ("TC-M-2", "abcdef", "a b c d e f", F(0), F(0, 15)),
    ("TC-M-3", "abcdef", "ab cde f", F(4, 4), F(4, 15)),
    ("TC-M-4", "abcdef", "abcxyz", F(3, 15), F(3, 15)),
    ("TC-M-5", "abcdef", "a b c x y z", F(0), F(0, 15)),
    ("TC-M-6", "abcdef", "ab cxy z", F(1, 4), F(1, 15)),
    ("TC-N-1", "a b c d e f", "a b c d e f", F(15, 15), F(15, 15)),
    ("TC-N-2", "a b c d e f", "abcdef", F(0), F(0, 15)),
    ("TC-N-3", "a b c d e f", "ab cde f", F(11, 11), F(11, 15)),
    ("TC-N-4", "a b c d e f", "a b c x y z", F(3, 15), F(3, 15)),
    ("TC-N-5", "a b c d e f", "abcxyz", F(0), F(0, 15)),
    ("TC-N-6", "a b c d e f", "ab cxy z", F(2, 11), F(2, 15)),
]
CASES = {case for table in (MUC, B_CUBED, CEAF_E, BLANC, BLANC_ONE_KIND) for case, *_ in table}


def test_every_worked_example_is_used() -> None:
    assert len(CASES) == 33


@pytest.mark.parametrize(("case", "key", "response", "precision", "recall"), MUC)
def test_muc_reproduces_the_reference_examples(case: str, key: str, response: str, precision: F, recall: F) -> None:
    assert_prf(metrics.muc(clusters(key), clusters(response)), precision, recall)


@pytest.mark.parametrize(("case", "key", "response", "precision", "recall"), B_CUBED)
def test_b_cubed_reproduces_the_reference_examples(case: str, key: str, response: str, precision: F, recall: F) -> None:
    assert_prf(metrics.b_cubed(clusters(key), clusters(response)), precision, recall)


@pytest.mark.parametrize(("case", "key", "response", "precision", "recall"), CEAF_E)
def test_ceaf_e_reproduces_the_reference_examples(case: str, key: str, response: str, precision: F, recall: F) -> None:
    assert_prf(metrics.ceaf_e(clusters(key), clusters(response)), precision, recall)


@pytest.mark.parametrize(("case", "key", "response", "p_c", "r_c", "p_n", "r_n"), BLANC)
def test_blanc_reproduces_the_reference_examples(
    case: str, key: str, response: str, p_c: F, r_c: F, p_n: F, r_n: F
) -> None:
    f_c, f_n = f1(p_c, r_c), f1(p_n, r_n)
    assert f_c is not None and f_n is not None
    assert_prf(metrics.blanc(clusters(key), clusters(response)), (p_c + p_n) / 2, (r_c + r_n) / 2, (f_c + f_n) / 2)


@pytest.mark.parametrize(("case", "key", "response", "precision", "recall"), BLANC_ONE_KIND)
def test_blanc_of_a_key_with_one_kind_of_link(case: str, key: str, response: str, precision: F, recall: F) -> None:
    assert_prf(metrics.blanc(clusters(key), clusters(response)), precision, recall)


@pytest.mark.parametrize(
    ("expected_blanc", "key", "response"),
    [(F(7, 24), "ab cde", "bcx de"), (0.5125, "ab cde fg", "bcx de fg")],
)
def test_blanc_equals_the_readme_totals(expected_blanc: float, key: str, response: str) -> None:
    assert metrics.blanc(clusters(key), clusters(response)).f1 == pytest.approx(float(expected_blanc))


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        (metrics.counts(3, 4, 6), (3 / 4, 3 / 6, 2 * 0.75 * 0.5 / 1.25)),  # precision ≠ recall: a swap fails
        (metrics.counts(0, 0, 5), (None, 0.0, None)),  # nothing predicted: precision undefined
        (metrics.counts(0, 3, 0), (0.0, None, None)),  # nothing to find: recall undefined
        (metrics.counts(0, 2, 2), (0.0, 0.0, 0.0)),
        (metrics.prf(5, 10, 5, 20), (0.5, 0.25, 1 / 3)),
        (metrics.macro([PRF(1.0, 0.5, 2 / 3), PRF(None, 0.0, None)]), (1.0, 0.25, 2 / 3)),
    ],
)
def test_precision_recall_f1_by_hand(scores: PRF, expected: tuple[float | None, ...]) -> None:
    assert_prf(scores, expected[0], expected[1], expected[2])


def test_macro_f1_by_hand() -> None:
    # gold a a a b; predicted a b - b: P_a = 1/1, R_a = 1/3, F_a = 1/2; P_b = 1/2, R_b = 1/1, F_b = 2/3.
    macro, per_label = metrics.macro_f1([("a", "a"), ("a", "b"), ("a", None), ("b", "b")])
    assert per_label["a"] == PRF(1.0, 1 / 3, 0.5)
    assert per_label["b"].precision == 0.5 and per_label["b"].recall == 1.0
    assert macro == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert metrics.accuracy(2, 4) == 0.5 and metrics.accuracy(0, 0) is None


@pytest.mark.parametrize(
    ("weights", "best"),
    [
        ([[1, 2], [3, 1]], 5),
        ([[0.5, 0.4, 0.0]], 0.5),
        ([[0.0], [0.9], [0.2]], 0.9),
        ([[4, 1, 3], [2, 0, 5], [3, 2, 2]], 11),
        ([], 0),
    ],
)
def test_the_best_one_to_one_assignment(weights: list[list[float]], best: float) -> None:
    assert metrics.max_assignment(weights) == pytest.approx(best)


def test_stance_by_hand() -> None:
    from rustcase.scoring.labels import score_stance

    gold = {("c", "h1", "a"): ("asserts",), ("c", "h2", "a"): ("disputes",), ("c", "h3", "a"): ("asserts", "alleges")}
    # h1 right, h2 wrong, h3 right: 'alleges' is one of its two gold stances
    result = score_stance(gold, {("c", "h1", "a"): "asserts", ("c", "h2", "a"): "asserts", ("c", "h3", "a"): "alleges"})
    assert (result.accuracy, result.missing) == (2 / 3, 0)
    # labels: asserts P 1/2 R 1/1, disputes P - R 0/1 (F 0), alleges P 1/1 R 1/1 (h3's gold taken as 'alleges')
    assert result.macro_f1 == pytest.approx((2 / 3 + 0 + 1) / 3)
    missing = score_stance(gold, {("c", "h1", "a"): "asserts"})
    assert (missing.accuracy, missing.missing, missing.predicted) == (1 / 3, 2, 1)


def test_dates_by_hand() -> None:
    from rustcase.scoring.labels import score_dates

    gold = {"e1": ("2021-10-21", "day"), "e2": ("2021-10", "month"), "e3": (None, "unknown")}
    predicted = {"e1": ("2021-10-21", "day"), "e2": ("2021-10", "day"), "e3": (None, "unknown")}
    result = score_dates(gold, predicted)
    assert (result.accuracy, result.gold, result.missing) == (2 / 3, 3, 0)
    assert score_dates(gold, {"e1": ("2021-10-21", "day")}).accuracy == 1 / 3
