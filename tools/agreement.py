"""Inter-annotator agreement between the curated quotes and the independent second pass.

python tools/agreement.py   # prints the figures recorded in docs/curation-report.md
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

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


if __name__ == "__main__":
    second = ROOT / "review" / "second_pass_quotes.yaml"
    print("== before reconciliation (review/first_pass_quotes.yaml)")
    print(report(ROOT / "review" / "first_pass_quotes.yaml", second))
    print("\n== after reconciliation (data/curated/quotes.yaml)")
    print(report(ROOT / "data" / "curated" / "quotes.yaml", second))
    sys.exit(0)
