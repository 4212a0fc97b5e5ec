"""A seeded generator of an extended corpus with rustcase's schema, for scale benchmarks.

    python benchmarks/corpus.py --quotes 1000000 --out /tmp/corpus-1m [--format parquet]

Proportions follow the shipped data (about 35 quotes per article, 1.3 mentions per quote, ...), within
what the ID patterns allow: at most 1,000 articles (``art-NNN``) and 1,000 quotes per article, so a
million quotes fill 1,000 articles. Every span really matches its article text and every reference
resolves, so a valid corpus is the expected result of ``rustcase validate``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import rustcase
from rustcase import formats

WORDS = "the gun went off on set and she said that he was told it was cold but nobody knew why".split()


def _text(rng: np.random.Generator, words: int) -> str:
    return " ".join(WORDS[i] for i in rng.integers(0, len(WORDS), words)) + "."


def _spans(rng: np.random.Generator, n: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    starts = rng.integers(0, length - 60, n)
    return starts, starts + rng.integers(1, 60, n)


def generate(quotes: int, seed: int = 2021) -> dict[str, pa.Table]:
    """Every table of an extended corpus with ``quotes`` quotes, as Arrow tables with the shipped schema."""
    rng = np.random.default_rng(seed)
    n_articles = min(1000, max(5, quotes // 35))
    per_article = -(-quotes // n_articles)
    if per_article > 999:
        raise ValueError("at most 999,000 quotes fit the ID patterns (1,000 articles x 999)")
    texts = [_text(rng, 800) for _ in range(n_articles)]
    article_ids = [f"art-{i:03d}" for i in range(n_articles)]
    n_people = max(20, quotes // 9)
    people_ids = [f"per-p{i:07d}" for i in range(n_people)]
    schema = {t: rustcase.arrow_schema(t) for t in rustcase.TABLES}

    def table(name: str, columns: dict[str, object]) -> pa.Table:
        return pa.table({f.name: pa.array(columns[f.name], f.type) for f in schema[name]}, schema=schema[name])

    def nulls(n: int) -> list[None]:
        return [None] * n

    articles = table(
        "articles",
        {
            "article_id": article_ids,
            "source_file": [f"{i:03d}.txt" for i in range(n_articles)],
            "outlet": nulls(n_articles),
            "outlet_basis": ["generated"] * n_articles,
            "headline": nulls(n_articles),
            "headline_start": nulls(n_articles),
            "headline_end": nulls(n_articles),
            "headline_basis": ["generated"] * n_articles,
            "body_start": [0] * n_articles,
            "published": nulls(n_articles),
            "published_basis": ["generated"] * n_articles,
            "source_url": nulls(n_articles),
            "source_url_basis": ["generated"] * n_articles,
            "text": texts,
            "text_sha256": [hashlib.sha256(t.encode()).hexdigest() for t in texts],
        },
    )
    people = table(
        "people",
        {
            "person_id": people_ids,
            "name": [f"Person {i}" for i in range(n_people)],
            "named": [True] * n_people,
            "aliases": [[] for _ in range(n_people)],
            "roles": [[] for _ in range(n_people)],
            "role_reports": [[] for _ in range(n_people)],
            "ages": [[] for _ in range(n_people)],
            "affiliations": [[] for _ in range(n_people)],
            "description": ["generated"] * n_people,
            "note": nulls(n_people),
        },
    )
    # Quotes: per_article per article, numbered in text order.
    q_article = np.repeat(np.arange(n_articles), per_article)[:quotes]
    q_seq = np.tile(np.arange(1, per_article + 1), n_articles)[:quotes]
    length = min(len(t) for t in texts)
    starts, ends = _spans(rng, quotes, length)
    order = np.lexsort((starts, q_article))
    starts, ends = starts[order], ends[order]
    q_text = [texts[a][s:e] for a, s, e in zip(q_article.tolist(), starts.tolist(), ends.tolist(), strict=True)]
    kinds = np.array(["indirect", "mixed"])[rng.integers(0, 2, quotes)]
    quotes_table = table(
        "quotes",
        {
            "quote_id": [f"quo-{a:03d}-{s:03d}" for a, s in zip(q_article.tolist(), q_seq.tolist(), strict=True)],
            "article_id": [article_ids[a] for a in q_article.tolist()],
            "speaker_id": [people_ids[i] for i in rng.integers(0, n_people, quotes).tolist()],
            "co_speaker_ids": [[] for _ in range(quotes)],
            "kind": kinds.tolist(),
            "start": starts,
            "end": ends,
            "text": q_text,
            "cue": nulls(quotes),
            "cue_start": nulls(quotes),
            "cue_end": nulls(quotes),
            "addressee_id": nulls(quotes),
            "medium": ["tv_interview"] * quotes,
            "parent_quote_id": nulls(quotes),
            "continues_quote_id": nulls(quotes),
            "utterance_id": nulls(quotes),
            "utterance_relation": nulls(quotes),
            "note": nulls(quotes),
        },
    )
    n_mentions = min(int(quotes * 1.3), n_articles * 9999)
    per_m = -(-n_mentions // n_articles)
    m_article = np.repeat(np.arange(n_articles), per_m)[:n_mentions]
    m_seq = np.tile(np.arange(1, per_m + 1), n_articles)[:n_mentions]
    m_starts, m_ends = _spans(rng, n_mentions, length)
    m_order = np.lexsort((m_starts, m_article))
    m_starts, m_ends = m_starts[m_order], m_ends[m_order]
    mentions = table(
        "mentions",
        {
            "mention_id": [f"men-{a:03d}-{s:04d}" for a, s in zip(m_article.tolist(), m_seq.tolist(), strict=True)],
            "article_id": [article_ids[a] for a in m_article.tolist()],
            "entity_id": [people_ids[i] for i in rng.integers(0, n_people, n_mentions).tolist()],
            "mention_type": ["name"] * n_mentions,
            "start": m_starts,
            "end": m_ends,
            "text": [
                texts[a][s:e] for a, s, e in zip(m_article.tolist(), m_starts.tolist(), m_ends.tolist(), strict=True)
            ],
        },
    )
    shipped = {
        t: rustcase.read_table(t) for t in ("organizations", "places", "works", "utterances", "events", "claims")
    }
    empty = {t: shipped[t].schema.empty_table() for t in ("utterances", "events", "claims")}
    return {
        "articles": articles,
        "people": people,
        "organizations": shipped["organizations"],
        "places": shipped["places"].select(shipped["places"].column_names),
        "works": shipped["works"],
        "quotes": quotes_table,
        "utterances": empty["utterances"],
        "events": empty["events"],
        "claims": empty["claims"],
        "mentions": mentions,
    }


def write(tables: dict[str, pa.Table], out: Path, fmt: str = "parquet") -> None:
    """Write the corpus as ``out/<table>.<fmt>``."""
    import click

    out.mkdir(parents=True, exist_ok=True)
    bar = click.progressbar(tables.items(), label="writing", file=sys.stderr) if sys.stderr.isatty() else None
    for name, data in bar or tables.items():
        with (out / f"{name}.{fmt}").open("wb") as sink:
            if fmt == "parquet":
                pq.write_table(data, sink)
            else:
                formats.write(data, fmt, sink)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", default="parquet", choices=formats.FORMATS)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args(argv)
    write(generate(args.quotes, args.seed), args.out, args.format)
    print(f"wrote {args.quotes} quotes to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
