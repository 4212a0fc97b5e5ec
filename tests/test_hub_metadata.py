"""Hub metadata: Croissant's Responsible AI fields and provenance, and the Hugging Face card, say what the
datasheet says (the same sentences), and the provenance names each source file by the hash of its bytes."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from rustcase import metadata
from rustcase.dataset import Dataset
from rustcase.export import collection

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [(key, sentence) for key, sentences in metadata.DATASHEET.items() for sentence in sentences]


def _plain(markdown: str) -> str:
    """Markdown as plain words: links as their text, no emphasis or code marks, white space collapsed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(text.replace("*", "").replace("`", "").split())


@pytest.mark.parametrize(("key", "sentence"), SENTENCES)
def test_every_responsible_ai_answer_is_the_datasheets_own_words(key: str, sentence: str) -> None:
    assert sentence in _plain((ROOT / "docs" / "datasheet.md").read_text(encoding="utf-8")), key


def test_the_hf_card_and_croissant_carry_the_datasheet_answers(ds: Dataset) -> None:
    card = _plain(collection("hf", ds)["README.md"].decode())
    document = metadata.croissant("jsonl", {}, ds.version)
    for key, sentence in SENTENCES:
        assert sentence in card
        assert sentence in document[f"rai:{key}"]


def test_provenance_names_every_source_file_by_the_hash_of_its_bytes(ds: Dataset) -> None:
    document = metadata.croissant("jsonl", {}, ds.version)
    derived = {d["name"]: d["@id"] for d in document["prov:wasDerivedFrom"]}
    assert set(derived) == {a.source_file for a in ds.articles.values()}
    for name, ident in derived.items():
        source = ROOT / "data" / "sources" / name
        assert ident == f"urn:sha256:{hashlib.sha256(source.read_bytes()).hexdigest()}"
    assert len(document["prov:wasGeneratedBy"]) == len(metadata.CURATION_PASSES)
    json.dumps(document)  # plain JSON
