"""Who is quoted, how and where: quotes per speaker and outlet, by kind (direct, partial, nested, indirect, mixed).

    pip install 'rustcase[plots]'        # from a clone: pip install '.[plots]'
    python examples/speakers_by_outlet.py OUT_DIR [--data-version VERSION]

Writes OUT_DIR/speakers_by_outlet.csv (the numbers) and OUT_DIR/speakers_by_outlet.png (the picture).
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path
from typing import get_args

import rustcase
from rustcase.models import QuoteKind

KINDS = get_args(QuoteKind)


def rows(ds: rustcase.Dataset) -> list[dict[str, object]]:
    """One row per speaker, article and kind with at least one quote."""
    counts = Counter((q.speaker_id, q.article_id, q.kind) for q in ds.quotes.values())
    return [
        {
            "speaker_id": speaker,
            "speaker": ds.entity(speaker).name,
            "article_id": article,
            "outlet": ds.articles[article].outlet or "outlet unknown",
            "kind": kind,
            "quotes": n,
        }
        for (speaker, article, kind), n in sorted(
            counts.items(), key=lambda item: (item[0][0], item[0][1], KINDS.index(item[0][2]))
        )
    ]


def plot(table: list[dict[str, object]], path: Path) -> None:
    try:
        import matplotlib
    except ImportError:
        raise SystemExit("matplotlib is missing: pip install 'rustcase[plots]' (in a clone: '.[plots]')") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals = Counter[str]()
    for r in table:
        totals[str(r["speaker"])] += int(str(r["quotes"]))
    speakers = [s for s, _ in sorted(totals.items(), key=lambda item: (item[1], item[0]))]
    articles = sorted({(str(r["article_id"]), str(r["outlet"])) for r in table})
    fig, axes = plt.subplots(1, len(articles), figsize=(13, 0.32 * len(speakers) + 1.6), sharey=True, dpi=100)
    colours = dict(zip(KINDS, plt.get_cmap("tab10").colors, strict=False))
    for ax, (article_id, outlet) in zip(axes, articles, strict=True):
        left = [0] * len(speakers)
        for kind in KINDS:
            values = [0] * len(speakers)
            for r in table:
                if r["article_id"] == article_id and r["kind"] == kind:
                    values[speakers.index(str(r["speaker"]))] = int(str(r["quotes"]))
            ax.barh(speakers, values, left=left, color=colours[kind], label=kind)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_title(f"{outlet}\n({article_id})", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].legend(fontsize=7, loc="lower right")
    fig.suptitle("Quotes per speaker in each article, by kind", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for speakers_by_outlet.csv and speakers_by_outlet.png")
    parser.add_argument("--data-version", default=None)
    args = parser.parse_args()
    table = rows(rustcase.load(version=args.data_version))
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "speakers_by_outlet.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    plot(table, args.out / "speakers_by_outlet.png")


if __name__ == "__main__":
    main()
