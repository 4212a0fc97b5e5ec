"""The claim map: who holds which position on each contested claim (holders x claims, coloured by stance).

    pip install 'rustcase[plots]'        # from a clone: pip install '.[plots]'
    python examples/claim_map.py OUT_DIR [--data-version VERSION]

Writes OUT_DIR/claim_map.csv (the numbers) and OUT_DIR/claim_map.png (the picture). A holder whose stance on a
claim differs between articles is shown as "several".
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

import rustcase


def holder_name(ds: rustcase.Dataset, holder_id: str) -> str:
    if holder_id in ds.articles:  # the article's own voice
        article = ds.articles[holder_id]
        return f"{article.outlet or 'outlet unknown'} ({holder_id}), own voice"
    return ds.entity(holder_id).name


def rows(ds: rustcase.Dataset) -> list[dict[str, object]]:
    """One row per claim, holder and stance: in how many articles the holder takes that stance."""
    counts = Counter((c.claim_id, p.holder_id, p.stance) for c in ds.claims.values() for p in c.positions)
    return [
        {
            "claim_id": claim,
            "statement": ds.claims[claim].statement,
            "holder_id": holder,
            "holder": holder_name(ds, holder),
            "stance": stance,
            "positions": n,
        }
        for (claim, holder, stance), n in sorted(counts.items())
    ]


def plot(table: list[dict[str, object]], path: Path) -> None:
    try:
        import matplotlib
    except ImportError:
        raise SystemExit("matplotlib is missing: pip install 'rustcase[plots]' (in a clone: '.[plots]')") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    claims = sorted({str(r["claim_id"]) for r in table})
    holders = Counter(str(r["holder"]) for r in table)
    columns = [h for h, _ in sorted(holders.items(), key=lambda item: (-item[1], item[0]))]
    stances: dict[tuple[str, str], set[str]] = {}
    for r in table:
        stances.setdefault((str(r["claim_id"]), str(r["holder"])), set()).add(str(r["stance"]))
    labels = [*sorted({s for found in stances.values() for s in found}), "several"]
    grid = [[float("nan")] * len(columns) for _ in claims]
    for (claim, holder), found in stances.items():
        grid[claims.index(claim)][columns.index(holder)] = labels.index(found.pop() if len(found) == 1 else "several")
    colours = ListedColormap(list(plt.get_cmap("Set2").colors)[: len(labels)])
    fig, ax = plt.subplots(figsize=(0.42 * len(columns) + 4, 0.3 * len(claims) + 2.4), dpi=100)
    ax.imshow(grid, cmap=colours, vmin=-0.5, vmax=len(labels) - 0.5, aspect="auto")
    ax.set_xticks(range(len(columns)), columns, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(claims)), claims, fontsize=7)
    ax.legend(
        handles=[Patch(color=colours(i), label=label) for i, label in enumerate(labels)],
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
    )
    ax.set_title("Positions on contested claims, by holder (blank: no position)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory for claim_map.csv and claim_map.png")
    parser.add_argument("--data-version", default=None)
    args = parser.parse_args()
    table = rows(rustcase.load(version=args.data_version))
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "claim_map.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    plot(table, args.out / "claim_map.png")


if __name__ == "__main__":
    main()
