"""How each outlet changed Baldwin's words: per utterance, each outlet's word-level edit distance to the fullest
wording, as an outlet x utterance heat map.

    pip install 'rustcase[plots]'        # from a clone: pip install '.[plots]'
    python examples/outlet_edits.py OUT_DIR [--data-version VERSION]

Writes OUT_DIR/outlet_edits.csv (the numbers) and OUT_DIR/outlet_edits.png (the picture).
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import rustcase

SPEAKER = "per-alec-baldwin"


def words(text: str) -> list[str]:
    """Lower-case words; curly and straight apostrophes alike, punctuation ignored."""
    return re.findall(r"\w+(?:'\w+)*", text.casefold().replace("’", "'"))


def edit_distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance over words: insertions, deletions and substitutions, each costing 1."""
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def outlet(article: rustcase.Article) -> str:
    return f"{article.outlet or 'outlet unknown'} ({article.article_id})"


def rows(ds: rustcase.Dataset) -> list[dict[str, object]]:
    """One row per utterance of Baldwin's reported by two or more articles, and per article that reports it."""
    table = []
    for utterance in ds.utterances.values():
        quotes = ds.variants(utterance.utterance_id)
        if utterance.speaker_id != SPEAKER or len({q.article_id for q in quotes}) < 2:
            continue
        fullest = words(utterance.canonical_text)
        for article_id in sorted({q.article_id for q in quotes}):
            segments = [q for q in quotes if q.article_id == article_id]
            wording = words(" ".join(q.text for q in segments))
            table.append(
                {
                    "utterance_id": utterance.utterance_id,
                    "article_id": article_id,
                    "article": outlet(ds.articles[article_id]),
                    "quote_ids": " ".join(q.quote_id for q in segments),
                    "words": len(wording),
                    "fullest_words": len(fullest),
                    "edit_distance": edit_distance(wording, fullest),
                }
            )
    return table


def plot(table: list[dict[str, object]], path: Path) -> None:
    try:
        import matplotlib
    except ImportError:
        raise SystemExit("matplotlib is missing: pip install 'rustcase[plots]' (in a clone: '.[plots]')") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    utterances = sorted({str(r["utterance_id"]) for r in table})
    articles = sorted({str(r["article"]) for r in table}, key=lambda label: label.rsplit("(", 1)[-1])
    grid = np.full((len(articles), len(utterances)), np.nan)
    for r in table:
        grid[articles.index(str(r["article"])), utterances.index(str(r["utterance_id"]))] = float(
            str(r["edit_distance"])
        )
    fig, ax = plt.subplots(figsize=(max(6, 0.45 * len(utterances) + 3), 3.2), dpi=100)
    image = ax.imshow(grid, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(utterances)), utterances, rotation=90, fontsize=7)
    ax.set_yticks(range(len(articles)), articles, fontsize=8)
    for (i, j), value in np.ndenumerate(grid):
        if not np.isnan(value):
            dark = value < np.nanmax(grid) / 2
            ax.text(j, i, int(value), ha="center", va="center", fontsize=6, color="white" if dark else "black")
    fig.colorbar(image, ax=ax, label="words changed")
    ax.set_title("Baldwin's words: word edit distance to the fullest wording (blank: not reported)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for outlet_edits.csv and outlet_edits.png")
    parser.add_argument("--data-version", default=None)
    args = parser.parse_args()
    table = rows(rustcase.load(version=args.data_version))
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "outlet_edits.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    plot(table, args.out / "outlet_edits.png")


if __name__ == "__main__":
    main()
