"""docs/reliability.md's table of promises and their generated cases, made from a complete test run.

    python -m pytest                            # a complete run writes build/reliability.json
    python tools/reliability_table.py           # renders it into docs/reliability.md, between the markers
    python tools/reliability_table.py --check   # exit 1 when the committed table differs from the counts

Tests count the cases they generate with the ``reliability`` fixture (tests/conftest.py); a case that broke
its promise fails its test, so every counted case held. Only a complete run (the whole suite, nothing
deselected, nothing failed) has the counts the table must show: the conftest marks the JSON ``complete``,
and at the end of a complete run it checks the table itself (the run fails when the table is stale).
A partial run (``-k``, ``-m``, a file or test named, or a test skipped for want of Chromium, Java or root on
this machine) writes ``"complete": false`` and is never checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTS = ROOT / "build" / "reliability.json"
DOC = ROOT / "docs" / "reliability.md"
BEGIN = "<!-- reliability table: made by tools/reliability_table.py from a complete test run; do not edit -->"
END = "<!-- end of reliability table -->"


def render(cases: dict[str, int]) -> str:
    """The Markdown table: one row per class of promise ("what is tried → what must hold"), its case count."""
    lines = ["| what is tried | what must hold | generated cases |", "| --- | --- | ---: |"]
    for promise, count in sorted(cases.items()):
        tried, _, holds = promise.partition(" → ")
        lines.append(f"| {tried} | {holds or 'holds'} | {count:,} |")
    lines.append(f"| **total** ({len(cases)} classes) | every case held | **{sum(cases.values()):,}** |")
    return "\n".join(lines)


def _block(cases: dict[str, int]) -> str:
    return f"{BEGIN}\n{render(cases)}\n{END}"


def committed(doc: Path = DOC) -> str:
    """The table as committed in the doc, markers included."""
    text = doc.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{doc}: the reliability table markers are missing")
    return text[text.index(BEGIN) : text.index(END) + len(END)]


def stale(cases: dict[str, int], doc: Path = DOC) -> str | None:
    """Why the committed table differs from a complete run's counts, or None when it is current."""
    if committed(doc) == _block(cases):
        return None
    return (
        f"{doc} is stale: its reliability table differs from this run's counts; run python tools/reliability_table.py"
    )


def write(cases: dict[str, int], doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace(committed(doc), _block(cases)), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/reliability.md is stale")
    parser.add_argument("--counts", type=Path, default=COUNTS, help="the counts a test run wrote")
    args = parser.parse_args(argv)
    run = json.loads(args.counts.read_text(encoding="utf-8"))
    if not run.get("complete"):
        print(f"{args.counts}: written by a partial test run (-k, -m or a selection); run the whole suite first")
        return 1
    if args.check:
        problem = stale(run["cases"], DOC)
        print(problem or f"{DOC}: the reliability table is current")
        return 1 if problem else 0
    write(run["cases"], DOC)
    print(f"wrote the reliability table ({len(run['cases'])} classes) to {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
