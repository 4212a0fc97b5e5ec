"""The metrics, as small pure functions: each docstring gives its formula.

A score whose denominator is zero is undefined and returned as ``None`` (``null`` in JSON), never 0 or 1.
Clusters are sets of hashable mentions; a mention in no cluster of the other side is a missing or a
spurious mention, as in the reference coreference scorer (Pradhan et al. 2014, conll/reference-coreference-scorers).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from typing import NamedTuple

Cluster = Collection[Hashable]


class PRF(NamedTuple):
    """Precision, recall and their harmonic mean; ``None`` where undefined."""

    precision: float | None
    recall: float | None
    f1: float | None


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    return numerator / denominator if denominator else None


def f1(precision: float | None, recall: float | None) -> float | None:
    """F1 = 2PR / (P + R); 0 when P + R = 0; None when either is undefined."""
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(precision_num: float, predicted: float, recall_num: float, gold: float) -> PRF:
    """P = precision_num / predicted, R = recall_num / gold, F1 = 2PR / (P + R)."""
    precision, recall = ratio(precision_num, predicted), ratio(recall_num, gold)
    return PRF(precision, recall, f1(precision, recall))


def counts(correct: int, predicted: int, gold: int) -> PRF:
    """P = correct / predicted, R = correct / gold (one-to-one matches counted once)."""
    return prf(correct, predicted, correct, gold)


def mean(values: Sequence[float | None]) -> float | None:
    """The mean of the defined values; None when none is defined."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def macro(scores: Sequence[PRF]) -> PRF:
    """Macro average: P, R and F1 each the mean of the per-part values (undefined parts left out)."""
    return PRF(mean([s.precision for s in scores]), mean([s.recall for s in scores]), mean([s.f1 for s in scores]))


def accuracy(correct: int, total: int) -> float | None:
    """Accuracy = correct / total."""
    return ratio(correct, total)


def macro_f1(pairs: Sequence[tuple[str, str | None]]) -> tuple[float | None, dict[str, PRF]]:
    """Macro-F1 over labels: the mean over every label in the gold or the predictions of
    F1_l = 2 P_l R_l / (P_l + R_l), P_l = |gold = pred = l| / |pred = l|, R_l = |gold = pred = l| / |gold = l|.

    ``pairs`` are (gold label, predicted label or None for no prediction); an undefined P_l counts as 0.
    """
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs if p is not None})
    per_label = {}
    for label in labels:
        right = sum(g == p == label for g, p in pairs)
        per_label[label] = counts(right, sum(p == label for _, p in pairs), sum(g == label for g, _ in pairs))
    f1s = [f1(s.precision or 0.0, s.recall or 0.0) for s in per_label.values()]
    return mean(f1s), per_label


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> PRF:
    """MUC (Vilain et al. 1995): R = Σ_k (|k| − |p(k)|) / Σ_k (|k| − 1), where p(k) is the partition of k by
    the response clusters (a mention in no response cluster is its own part); P is the same with key and
    response swapped."""
    return prf(_muc_num(response, key), _muc_den(response), _muc_num(key, response), _muc_den(key))


def _muc_num(clusters: Sequence[Cluster], other: Sequence[Cluster]) -> int:
    owner = {m: i for i, c in enumerate(other) for m in c}
    return sum(len(c) - len({owner.get(m, ("alone", m)) for m in c}) for c in clusters)


def _muc_den(clusters: Sequence[Cluster]) -> int:
    return sum(len(c) - 1 for c in clusters)


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> PRF:
    """B³ (Bagga and Baldwin 1998): R = Σ_k Σ_r |k ∩ r|² / |k| / Σ_k |k|, P = Σ_r Σ_k |k ∩ r|² / |r| / Σ_r |r|."""
    recall_num = sum(len(set(k) & set(r)) ** 2 / len(k) for k in key for r in response if k)
    precision_num = sum(len(set(k) & set(r)) ** 2 / len(r) for k in key for r in response if r)
    return prf(precision_num, sum(map(len, response)), recall_num, sum(map(len, key)))


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> PRF:
    """CEAF-e (Luo 2005): with φ(k, r) = 2|k ∩ r| / (|k| + |r|) and the one-to-one alignment g* of key and
    response clusters that maximises Φ = Σ φ(k, g*(k)), R = Φ / |key clusters| and P = Φ / |response clusters|."""
    total = sum(max_assignment(block) for block in _blocks(key, response))
    return prf(total, len(response), total, len(key))


def _blocks(key: Sequence[Cluster], response: Sequence[Cluster]) -> list[list[list[float]]]:
    """The φ(k, r) = 2|k ∩ r| / (|k| + |r|) matrices of the groups of key and response clusters linked by
    shared mentions: the best alignment of the whole is the best of each group, and the groups are small."""
    owner = {m: j for j, r in enumerate(response) for m in r}
    parent = list(range(len(key) + len(response)))  # union-find over key i and response len(key) + j

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, k in enumerate(key):
        for j in {owner[m] for m in k if m in owner}:
            parent[root(i)] = root(len(key) + j)
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(len(key) + len(response)):
        rows, cols = groups.setdefault(root(i), ([], []))
        (rows if i < len(key) else cols).append(i if i < len(key) else i - len(key))
    return [
        [[2 * len(set(key[i]) & set(response[j])) / (len(key[i]) + len(response[j])) for j in cols] for i in rows]
        for rows, cols in groups.values()
        if rows and cols
    ]


def blanc(key: Sequence[Cluster], response: Sequence[Cluster]) -> PRF:
    """BLANC (Recasens and Hovy 2011, extended to predicted mentions by Luo et al. 2014): with C the
    coreference links (pairs in one cluster) and N the non-coreference links (pairs of mentions in different
    clusters) of each side, F_c from R_c = |C_k ∩ C_r| / |C_k|, P_c = |C_k ∩ C_r| / |C_r| and F_n likewise;
    BLANC = (F_c + F_n) / 2, P and R the means of the two. A key without coreference links scores F_n alone,
    a key without non-coreference links F_c alone; an undefined P or R counts as 0 here, as in the reference."""
    key_c, key_n = _links(key)
    response_c, response_n = _links(response)
    coref = _link_prf(key_c, response_c)
    non_coref = _link_prf(key_n, response_n)
    if not key_c and not key_n:
        return PRF(None, None, None)
    if not key_c:
        return PRF(*non_coref)
    if not key_n:
        return PRF(*coref)
    return PRF(*((a + b) / 2 for a, b in zip(coref, non_coref, strict=True)))


def _link_prf(key: set[frozenset[Hashable]], response: set[frozenset[Hashable]]) -> tuple[float, float, float]:
    common = len(key & response)
    precision, recall = ratio(common, len(response)) or 0.0, ratio(common, len(key)) or 0.0
    return precision, recall, f1(precision, recall) or 0.0


def _links(clusters: Sequence[Cluster]) -> tuple[set[frozenset[Hashable]], set[frozenset[Hashable]]]:
    owner = {m: i for i, c in enumerate(clusters) for m in c}
    mentions = sorted(owner, key=repr)
    pairs = [(a, b) for i, a in enumerate(mentions) for b in mentions[i + 1 :]]
    coref = {frozenset((a, b)) for a, b in pairs if owner[a] == owner[b]}
    return coref, {frozenset((a, b)) for a, b in pairs if owner[a] != owner[b]}


def max_assignment(weights: Sequence[Sequence[float]]) -> float:
    """The largest total weight of a one-to-one assignment of rows to columns (Hungarian algorithm, O(n³))."""
    rows, cols = len(weights), len(weights[0]) if weights else 0
    if not rows or not cols:
        return 0.0
    n = max(rows, cols)
    cost = [[-(weights[i][j] if i < rows and j < cols else 0.0) for j in range(n)] for i in range(n)]
    u, v, match, way = [0.0] * (n + 1), [0.0] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    for i in range(1, n + 1):
        match[0], j0 = i, 0
        low, used = [float("inf")] * (n + 1), [False] * (n + 1)
        while match[j0]:
            used[j0], i0, delta, j1 = True, match[j0], float("inf"), 0
            for j in range(1, n + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < low[j]:
                        low[j], way[j] = reduced, j0
                    if low[j] < delta:
                        delta, j1 = low[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    low[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            match[j0], j0 = match[j1], j1
    return -sum(cost[match[j] - 1][j - 1] for j in range(1, n + 1))
