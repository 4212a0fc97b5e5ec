"""The analyses in examples/: each runs as documented, writes its PNG and CSV, and the CSV's numbers are the data's."""

from __future__ import annotations

import csv
import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rustcase

from .conftest import ROOT

EXAMPLES = ["outlet_edits", "speakers_by_outlet", "claim_map"]


@functools.cache
def _run(name: str, out: Path) -> list[dict[str, str]]:
    subprocess.run([sys.executable, str(ROOT / "examples" / f"{name}.py"), str(out)], check=True, cwd=out)
    with (out / f"{name}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("examples")


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_writes_a_png_and_its_csv(name: str, out: Path) -> None:
    assert _run(name, out)
    png = (out / f"{name}.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 150_000


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:'\w+)*", text.lower().replace("’", "'"))


def _levenshtein(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    @functools.cache
    def d(i: int, j: int) -> int:
        if not i or not j:
            return i + j
        return min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] != b[j - 1]))

    return d(len(a), len(b))


@pytest.mark.slow
def test_outlet_edits_are_word_edit_distances_to_the_fullest_wording(out: Path, ds: rustcase.Dataset) -> None:
    rows = _run("outlet_edits", out)
    expected = {
        (u.utterance_id, q.article_id)
        for u in ds.utterances.values()
        if u.speaker_id == "per-alec-baldwin" and len({q.article_id for q in ds.variants(u.utterance_id)}) > 1
        for q in ds.variants(u.utterance_id)
    }
    assert {(r["utterance_id"], r["article_id"]) for r in rows} == expected
    for r in rows:
        quotes = [ds.quotes[i] for i in r["quote_ids"].split()]
        assert {(q.utterance_id, q.article_id) for q in quotes} == {(r["utterance_id"], r["article_id"])}
        wording = tuple(_words(" ".join(q.text for q in quotes)))
        fullest = tuple(_words(ds.utterances[r["utterance_id"]].canonical_text))
        assert int(r["edit_distance"]) == _levenshtein(wording, fullest)
        assert int(r["words"]) == len(wording) and int(r["fullest_words"]) == len(fullest)


@pytest.mark.slow
def test_speaker_counts_are_the_quotes_per_speaker_article_and_kind(out: Path) -> None:
    rows = _run("speakers_by_outlet", out)
    counted = rustcase.sql("SELECT speaker_id, article_id, kind, count(*) AS n FROM quotes GROUP BY ALL")
    assert {(r["speaker_id"], r["article_id"], r["kind"]): int(r["quotes"]) for r in rows} == {
        (s, a, k): n for s, a, k, n in zip(*(col.to_pylist() for col in counted.columns), strict=True)
    }


@pytest.mark.slow
def test_claim_map_counts_every_position(out: Path) -> None:
    rows = _run("claim_map", out)
    counted = rustcase.sql(
        "SELECT claim_id, p.holder_id, p.stance, count(*) FROM claims, unnest(positions) AS t(p) GROUP BY ALL"
    )
    assert {(r["claim_id"], r["holder_id"], r["stance"]): int(r["positions"]) for r in rows} == {
        (c, h, s): n for c, h, s, n in zip(*(col.to_pylist() for col in counted.columns), strict=True)
    }
