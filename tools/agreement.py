"""Inter-annotator agreement between the curated data and the independent second passes.

python tools/agreement.py          # quotes: the figures recorded in docs/curation-report.md
python tools/agreement.py events   # events and claims of data 2.0.0 against the second pass of issue 11
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def load(path: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return rows


def overlap(a: dict[str, object], b: dict[str, object]) -> int:
    if a["article_id"] != b["article_id"]:
        return 0
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))  # type: ignore[type-var, operator]


def match(
    first: list[dict[str, object]], second: list[dict[str, object]]
) -> list[tuple[dict[str, object], dict[str, object]]]:
    """Greedy one-to-one pairing: exact spans first, then by largest overlap."""
    pairs, used = [], set()
    for exact in (True, False):
        for a in first:
            if any(a is p[0] for p in pairs):
                continue
            best, best_score = None, 0
            for j, b in enumerate(second):
                if j in used:
                    continue
                same = (a["article_id"], a["start"], a["end"]) == (b["article_id"], b["start"], b["end"])
                score = overlap(a, b) + (a["speaker_id"] == b["speaker_id"]) + (a["kind"] == b["kind"])
                if (same if exact else score > 2) and score > best_score:
                    best, best_score = j, score
            if best is not None:
                used.add(best)
                pairs.append((a, second[best]))
    return pairs


def kappa(pairs: list[tuple[object, object]]) -> float:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = collections.Counter(a for a, _ in pairs), collections.Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / n / n
    return (observed - expected) / (1 - expected)


def _row(q: dict[str, object]) -> str:
    return f"  {q['article_id']} {q['kind']} {q['speaker_id']} {q['text']!r:.80}"


def report(first_path: Path, second_path: Path) -> str:
    first, second = load(first_path), load(second_path)
    pairs = match(first, second)
    exact = [(a, b) for a, b in pairs if (a["start"], a["end"]) == (b["start"], b["end"])]
    lines = [f"first pass: {len(first)} quotes; second pass: {len(second)} quotes"]
    for name, matched in (("exact span", exact), ("overlapping span", pairs)):
        p, r = len(matched) / len(second), len(matched) / len(first)
        lines.append(f"{name}: {len(matched)} matched, recall {r:.3f}, precision {p:.3f}, F1 {2 * p * r / (p + r):.3f}")

    def agreement(field: str) -> float:
        return sum(a[field] == b[field] for a, b in pairs) / len(pairs)

    kinds = [(a["kind"], b["kind"]) for a, b in pairs]
    lines.append(f"speaker agreement on overlapping pairs: {agreement('speaker_id'):.3f}")
    lines.append(f"kind agreement on overlapping pairs: {agreement('kind'):.3f}, Cohen's kappa {kappa(kinds):.3f}")
    lines.append(f"cue agreement on overlapping pairs: {agreement('cue'):.3f}")
    per_kind = collections.Counter(a["kind"] for a in first)
    for kind in sorted(per_kind):
        got, theirs = sum(a["kind"] == kind for a, _ in exact), sum(b["kind"] == kind for b in second)
        lines.append(f"  {kind}: first {per_kind[kind]}, second {theirs}, exact-span matches {got}")
    matched_first = {id(a) for a, _ in pairs}
    matched_second = {id(b) for _, b in pairs}
    lines.append("only in the first pass:")
    lines += [
        f"  {a['article_id']} {a['kind']} {a['speaker_id']} {a['text']!r:.80}"
        for a in first
        if id(a) not in matched_first
    ]
    lines.append("only in the second pass:")
    lines += [
        f"  {b['article_id']} {b['kind']} {b['speaker_id']} {b['text']!r:.80}"
        for b in second
        if id(b) not in matched_second
    ]
    lines.append("matched, different speaker or kind:")
    lines += [
        f"  {a['quote_id']} {a['kind']}/{b['kind']} {a['speaker_id']}/{b['speaker_id']} {a['text']!r:.60}"
        for a, b in pairs
        if (a["speaker_id"], a["kind"]) != (b["speaker_id"], b["kind"])
    ]
    return "\n".join(lines)


Row = dict[str, Any]


def _overlap_chars(a: Row, b: Row) -> int:
    if a["article_id"] != b["article_id"]:
        return 0
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def pair(first: list[Row], second: list[Row], score: Callable[[Row, Row], float]) -> list[tuple[Row, Row]]:
    """One-to-one pairing, highest score first (ties in input order); pairs scoring 0 are not matched."""
    scored = sorted(
        ((score(a, b), i, j) for i, a in enumerate(first) for j, b in enumerate(second)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    pairs, used_a, used_b = [], set(), set()
    for value, i, j in scored:
        if value > 0 and i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((first[i], second[j]))
    return pairs


def _f1(matched: int, first: int, second: int) -> str:
    p, r = matched / second, matched / first
    return f"{matched} matched of {first} / {second}: precision {p:.3f}, recall {r:.3f}, F1 {2 * p * r / (p + r):.3f}"


def _covered(rows: list[Row], others: list[Row]) -> int:
    return sum(any(_overlap_chars(a, b) for b in others) for a in rows)


def events_claims(first: dict[str, list[Row]], second: dict[str, list[Row]]) -> list[str]:
    """Events matched by shared report text, their reports and dates; claims by positions, holders, stances."""
    lines = []
    events = pair(
        first["events"],
        second["events"],
        lambda a, b: sum(_overlap_chars(x, y) for x in a["reports"] for y in b["reports"]),
    )
    lines.append("events " + _f1(len(events), len(first["events"]), len(second["events"])))
    ours = [r for a, _ in events for r in a["reports"]]
    theirs = [r for _, b in events for r in b["reports"]]
    in_ours = sum(_covered(b["reports"], a["reports"]) for a, b in events)
    in_theirs = sum(_covered(a["reports"], b["reports"]) for a, b in events)
    lines.append(
        f"reports of matched events: {len(ours)} / {len(theirs)}; second-pass reports overlapping a report of the "
        f"matched event {in_ours}/{len(theirs)} ({in_ours / len(theirs):.3f}), first-pass {in_theirs}/{len(ours)} "
        f"({in_theirs / len(ours):.3f})"
    )
    dates = sum(a["date"] == b["date"] for a, b in events)
    both = sum((a["date"], a["date_basis"]) == (b["date"], b.get("date_basis")) for a, b in events)
    lines.append(f"dates of matched events: same date {dates}/{len(events)}, same date and basis {both}/{len(events)}")

    def same_position(a: Row, b: Row) -> float:
        return (a["holder_id"] == b["holder_id"]) * _overlap_chars(a, b)

    claims = pair(
        first["claims"],
        second["claims"],
        lambda a, b: sum(same_position(x, y) for x in a["positions"] for y in b["positions"]),
    )
    lines.append("claims " + _f1(len(claims), len(first["claims"]), len(second["claims"])))
    positions = [p for a, b in claims for p in pair(a["positions"], b["positions"], same_position)]
    n_first = sum(len(c["positions"]) for c in first["claims"])
    n_second = sum(len(c["positions"]) for c in second["claims"])
    lines.append("positions (same claim, holder, overlapping span) " + _f1(len(positions), n_first, n_second))
    stances = [(a["stance"], b["stance"]) for a, b in positions]
    agree = sum(a == b for a, b in stances)
    lines.append(f"stance on matched positions: {agree}/{len(stances)} agree, Cohen's kappa {kappa(stances):.3f}")
    return lines


def _events_claims(path: Path) -> dict[str, list[Row]]:
    loaded: dict[str, list[Row]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


if __name__ == "__main__" and sys.argv[1:] == ["events"]:
    second_pass = _events_claims(ROOT / "review" / "second_pass_2_events_claims.yaml")
    print("== before reconciliation (review/first_pass_2_events_claims.yaml)")
    print("\n".join(events_claims(_events_claims(ROOT / "review" / "first_pass_2_events_claims.yaml"), second_pass)))
    curated = {t: load(ROOT / "data" / "curated" / f"{t}.yaml") for t in ("events", "claims")}
    print("\n== after reconciliation (data/curated)")
    print("\n".join(events_claims(curated, second_pass)))  # type: ignore[arg-type]
    sys.exit(0)

if __name__ == "__main__":
    second = ROOT / "review" / "second_pass_quotes.yaml"
    print("== before reconciliation (review/first_pass_quotes.yaml)")
    print(report(ROOT / "review" / "first_pass_quotes.yaml", second))
    print("\n== after reconciliation (data/curated/quotes.yaml)")
    print(report(ROOT / "data" / "curated" / "quotes.yaml", second))
    sys.exit(0)
