"""Collection exports (brat, W3C Web Annotation, Label Studio, spaCy, Hugging Face), each read back by the
library or definition that reads it, on the shipped data and on a copy whose texts hold characters outside
the Basic Multilingual Plane, in every offset unit the format can carry."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import rustcase
from rustcase.cli import main
from rustcase.dataset import Dataset, Table
from rustcase.export import MANIFEST, collection, export_collection
from rustcase.formats import COLLECTIONS, REGISTRY
from rustcase.models import TABLES
from rustcase.offsets import UNITS, Offsets

ASTRAL = "\U0001d11e"  # MUSICAL SYMBOL G CLEF: one code point, two UTF-16 units, four UTF-8 bytes


def _shift(value: Any, texts: dict[str, str], moves: dict[str, list[int]], article: str | None) -> Any:
    """A record dump with every offset moved past the inserted characters and every span text re-sliced."""
    if isinstance(value, list):
        return [_shift(v, texts, moves, article) for v in value]
    if not isinstance(value, dict):
        return value
    article = value.get("article_id", article)
    out = {k: _shift(v, texts, moves, article) for k, v in value.items()}
    if article is None:
        return out
    for key, v in value.items():
        if (
            isinstance(v, int)
            and not isinstance(v, bool)
            and (key in ("start", "end") or key.endswith(("_start", "_end")))
        ):
            out[key] = v + sum(1 for p in moves[article] if p < v)
    for prefix, field in (("", "text"), ("cue_", "cue"), ("headline_", "headline")):
        if out.get(f"{prefix}start") is not None and field in out:
            out[field] = texts[article][out[f"{prefix}start"] : out[f"{prefix}end"]]
    return out


@pytest.fixture(scope="module")
def astral(ds: Dataset) -> Dataset:
    """The dataset with a non-BMP character at the start of every article and after each quote's first character."""
    moves = {a: sorted({0, *(q.start + 1 for q in ds.quotes.values() if q.article_id == a)}) for a in ds.articles}
    texts = {}
    for a, article in ds.articles.items():
        text = article.text
        for p in reversed(moves[a]):
            text = text[:p] + ASTRAL + text[p:]
        texts[a] = text
    tables = {}
    for name, spec in TABLES.items():
        rows = []
        for record in getattr(ds, name).values():
            row = _shift(record.model_dump(mode="json"), texts, moves, None)
            if name == "articles":
                row["text"] = texts[row["article_id"]]
            elif name == "utterances":
                row["canonical_text"] = "-"
            rows.append(spec.model.model_validate(row))
        tables[name] = Table(spec.key, tuple(rows))
    return Dataset(version=ds.version, fingerprint=ds.fingerprint, **tables)


@pytest.fixture(params=["shipped", "astral"])
def data(request: pytest.FixtureRequest) -> Dataset:
    return request.getfixturevalue("ds" if request.param == "shipped" else "astral")


def test_the_astral_copy_keeps_every_span_verbatim(astral: Dataset) -> None:
    for q in [*astral.quotes.values(), *astral.mentions.values()]:
        assert astral.articles[q.article_id].text[q.start : q.end] == q.text
    assert all(ASTRAL in q.text for q in astral.quotes.values())


def _slice(text: str, start: int, end: int, unit: str) -> str:
    """``text`` between two offsets in ``unit``, sliced in that unit's own encoding (not through our converter)."""
    if unit == "codepoint":
        return text[start:end]
    if unit == "utf16":
        return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")
    return text.encode("utf-8")[start:end].decode("utf-8")


@pytest.mark.parametrize("unit", UNITS)
def test_offsets_convert_both_ways(unit: str) -> None:
    text = f"a{ASTRAL}é b{ASTRAL}"
    offsets = Offsets(text, unit)
    for i in range(len(text) + 1):
        assert offsets.decode(offsets.encode(i)) == i
        assert _slice(text, 0, offsets.encode(i), unit) == text[:i]
    if unit != "codepoint":
        with pytest.raises(ValueError, match="between characters"):
            offsets.decode(2)  # inside the G clef


def _about(files: dict[str, bytes], fmt: str, unit: str, data: Dataset) -> None:
    manifest = json.loads(files[MANIFEST])
    assert manifest["format"] == fmt
    assert (manifest["data_version"], manifest["fingerprint"], manifest["offsets"]) == (
        data.version,
        data.fingerprint,
        unit,
    )
    assert manifest["rustcase_version"] == rustcase.__version__
    assert set(manifest["files"]) == set(files) - {MANIFEST}


# brat: the standoff definition, https://brat.nlplab.org/standoff.html
T_LINE = re.compile(r"^T\d+\t([A-Za-z][\w-]*) (\d+ \d+(?:;\d+ \d+)*)\t([^\n]*)$")
N_LINE = re.compile(r"^N\d+\tReference (T\d+) ([\w-]+):([^\t\s]+)\t[^\n]*$")
A_LINE = re.compile(r"^A\d+\t(\w+) (T\d+)(?: ([^\s]+))?$")
R_LINE = re.compile(r"^R\d+\t(\w+) Arg1:(T\d+) Arg2:(T\d+)$")


def parse_ann(ann: str, text: str, unit: str) -> dict[str, dict[str, Any]]:
    """The ``.ann`` file, line by line against the standoff definition; every T text is the .txt slice."""
    spans: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(ann.splitlines(), start=1):
        if m := T_LINE.match(line):
            pieces = [tuple(map(int, p.split())) for p in m[2].split(";")]
            assert m[3] == " ".join(_slice(text, s, e, unit) for s, e in pieces), f"line {number}"
            spans[line.split("\t")[0]] = {"type": m[1], "pieces": pieces, "attributes": {}, "relations": {}}
        elif m := N_LINE.match(line):
            spans[m[1]]["id"] = m[3]
        elif m := A_LINE.match(line):
            spans[m[2]]["attributes"][m[1]] = m[3]
        elif m := R_LINE.match(line):
            spans[m[2]]["relations"][m[1]] = m[3]
        else:
            pytest.fail(f"line {number} is not brat standoff: {line!r}")
    return spans


@pytest.mark.parametrize("unit", UNITS)
def test_brat_spans_land_on_the_text_in_the_declared_unit(data: Dataset, unit: str) -> None:
    files = collection("brat", data, unit)
    _about(files, "brat", unit, data)
    assert f"# offsets: {unit}\n" in files["annotation.conf"].decode()
    ids = set()
    for a, article in data.articles.items():
        text = files[f"{a}.txt"].decode()
        assert text == article.text
        spans = parse_ann(files[f"{a}.ann"].decode(), text, unit)
        for span in spans.values():
            if "id" in span:
                ids.add(span["id"])
                record = data.record(span["id"])
                if isinstance(record, rustcase.Quote):
                    assert span["type"] == f"Quote-{record.kind}"
                else:
                    assert span["type"] == type(data.entity(record.entity_id)).__name__  # type: ignore[attr-defined]
                assert span["attributes"].get("Speaker") == getattr(record, "speaker_id", None)
                assert span["attributes"].get("Entity") == getattr(record, "entity_id", None)
    assert ids == set(data.quotes) | set(data.mentions)


def test_brat_conf_declares_every_type_and_value_the_ann_files_use(ds: Dataset) -> None:
    files = collection("brat", ds)
    conf = files["annotation.conf"].decode()
    sections = dict(re.findall(r"\[(\w+)\]\n((?:[^\[][^\n]*\n)*)", conf))
    entities = set(sections["entities"].split())
    attributes = {line.split("\t")[0]: line for line in sections["attributes"].splitlines()}
    for name, content in files.items():
        if name.endswith(".ann"):
            for line in content.decode().splitlines():
                if line.startswith("T"):
                    assert line.split("\t")[1].split()[0] in entities
                if line.startswith("A"):
                    attribute, _, value = line.split("\t")[1].split(" ")
                    assert value in attributes[attribute].split("Value:")[1].split("|")
    assert set(rustcase.models.Quote.model_json_schema()["properties"]["medium"]["enum"]) <= set(
        attributes["Medium"].split("Value:")[1].strip().split("|")
    )


def test_web_annotations_expand_with_the_shipped_context(data: Dataset) -> None:
    from pyld import jsonld

    files = collection("webanno", data)
    _about(files, "webanno", "codepoint", data)
    context = json.loads(files["anno.jsonld"])

    def loader(url: str, options: object = None) -> dict[str, Any]:
        assert url == "http://www.w3.org/ns/anno.jsonld", url  # nothing else is fetched
        return {"contextUrl": None, "documentUrl": url, "document": context}

    document = json.loads(files["annotations.jsonld"])
    expanded = jsonld.expand(document, {"documentLoader": loader})
    oa = "http://www.w3.org/ns/oa#"
    items = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0]["http://www.w3.org/ns/activitystreams#items"][
        0
    ]["@list"]
    assert len(items) == len(data.quotes) + len(data.mentions) + sum(q.cue is not None for q in data.quotes.values())
    for item in items:
        assert item["@type"] == [oa + "Annotation"]
        target = item[oa + "hasTarget"][0]
        article = data.articles[target[oa + "hasSource"][0]["@id"].rsplit(":", 1)[1]]
        selectors = {s["@type"][0]: s for s in target[oa + "hasSelector"]}
        position, quote = selectors[oa + "TextPositionSelector"], selectors[oa + "TextQuoteSelector"]
        start, end = int(position[oa + "start"][0]["@value"]), int(position[oa + "end"][0]["@value"])
        assert quote[oa + "exact"][0]["@value"] == article.text[start:end]
        assert article.text[:start].endswith(quote[oa + "prefix"][0]["@value"])
        assert article.text[end:].startswith(quote[oa + "suffix"][0]["@value"])
        body = item[oa + "hasBody"][0]
        rustcase_id = item["@id"].removeprefix("urn:rustcase:").removesuffix("-cue")
        assert any(
            v["@value"] == rustcase_id
            for key, values in body.items()
            if key.endswith(("quote_id", "mention_id"))
            for v in values
        )


@pytest.mark.parametrize("unit", UNITS)
def test_label_studio_tasks_follow_the_documented_format_in_the_declared_unit(data: Dataset, unit: str) -> None:
    import jsonschema

    files = collection("labelstudio", data, unit)
    _about(files, "labelstudio", unit, data)
    tasks = json.loads(files["tasks.json"])
    schema = json.loads((Path(__file__).parent / "interop" / "labelstudio_task.schema.json").read_text())
    jsonschema.validate(tasks, schema)
    labels = set(re.findall(r'<Label value="([^"]+)"', files["config.xml"].decode()))
    regions = 0
    for task in tasks:
        assert task["meta"]["rustcase"]["offsets"] == unit
        text = task["data"]["text"]
        for region in task["predictions"][0]["result"]:
            if region["type"] == "relation":
                continue
            value = region["value"]
            assert _slice(text, value["start"], value["end"], unit) == value["text"]
            if region["type"] == "labels":
                regions += 1
                assert set(value["labels"]) <= labels
                if not region["id"].endswith("-cue"):
                    assert data.record(region["id"]).text == value["text"]  # type: ignore[attr-defined]
    assert regions == len(data.quotes) + len(data.mentions) + sum(q.cue is not None for q in data.quotes.values())


def test_spacy_reads_the_docbin_with_every_span_and_id(data: Dataset, tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    files = collection("spacy", data)
    _about(files, "spacy", "codepoint", data)
    docs = list(DocBin().from_bytes(files["rustcase.spacy"]).get_docs(spacy.blank("en").vocab))
    assert [d.text for d in docs] == [a.text for a in data.articles.values()]
    widened = 0
    for doc in docs:
        about = doc.user_data["rustcase"]
        assert (about["data_version"], about["fingerprint"], about["offsets"]) == (
            data.version,
            data.fingerprint,
            "codepoint",
        )
        for group in ("quotes", "mentions"):
            assert len(doc.spans[group]) == len(about[group])
            for span in doc.spans[group]:
                record = data.record(span.id_)
                assert (record.article_id, record.text) == (about["article_id"], record.text)  # type: ignore[attr-defined]
                if span.id_ in about["widened"]:
                    assert record.text in span.text  # type: ignore[attr-defined]
                else:
                    assert span.text == record.text  # type: ignore[attr-defined]
                if group == "mentions":
                    assert span.kb_id_ == record.entity_id  # type: ignore[attr-defined]
        widened += len(about["widened"])
    print(f"spaCy: {widened} span(s) widened to token boundaries")


@pytest.mark.parametrize("unit", UNITS)
def test_hf_directory_loads_offline_with_classlabels(
    data: Dataset, unit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "hf"
    export_collection(out, "hf", offsets=unit, dataset=data)
    for table in ("articles", "quotes", "mentions", "events"):
        loaded = datasets.load_dataset(str(out), name=table, split="train", cache_dir=str(tmp_path / "cache"))
        assert len(loaded) == len(getattr(data, table))
        if table == "quotes":
            kind = loaded.features["kind"]
            assert isinstance(kind, datasets.ClassLabel)
            texts = {a.article_id: a.text for a in data.articles.values()}
            for row in loaded:
                assert _slice(texts[row["article_id"]], row["start"], row["end"], unit) == row["text"]
                assert kind.int2str(row["kind"]) == data.quotes[row["quote_id"]].kind


@pytest.mark.parametrize("table", ["quotes", "events"])
def test_to_hf_gives_the_records_with_classlabels(ds: Dataset, table: str) -> None:
    import datasets

    data = rustcase.to_hf(table)
    assert isinstance(data, datasets.Dataset) and len(data) == len(getattr(ds, table))
    key = TABLES[table].key
    assert [row[key] for row in data] == list(getattr(ds, table))
    if table == "quotes":
        assert data.features["kind"].names == list(rustcase.Quote.model_json_schema()["properties"]["kind"]["enum"])


def test_a_missing_extra_is_one_clear_error(ds: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(rustcase.MissingExtraError, match=r"rustcase\[spacy\]"):
        collection("spacy", ds)
    monkeypatch.setitem(sys.modules, "datasets", None)
    with pytest.raises(rustcase.MissingExtraError, match=r"rustcase\[hf\]"):
        rustcase.to_hf("quotes")


@pytest.mark.parametrize("fmt", COLLECTIONS)
def test_cli_exports_every_collection_all_or_nothing(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(
        [*manifest["files"], MANIFEST]
    )
    (out / MANIFEST).write_text("{}")
    again = CliRunner().invoke(main, ["export", "--format", fmt, "--out", str(out)])
    assert again.exit_code == 1 and "would overwrite" in again.output and "Traceback" not in again.output
    assert (out / MANIFEST).read_text() == "{}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "spacy", "--offsets", "utf16"], "spacy carries offsets in codepoint"),
        (["--format", "brat", "quotes"], "no TABLE"),
        (["--format", "csv", "--offsets", "utf16"], "--offsets applies to"),
    ],
)
def test_cli_refuses_what_a_format_cannot_carry(args: list[str], message: str, tmp_path: Path) -> None:
    """A combination of options a format cannot carry is a usage error (exit 2), before anything is written."""
    result = CliRunner().invoke(main, ["export", *args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_registered_format_has_its_module_and_is_offered_by_the_cli(name: str) -> None:
    import click

    from rustcase.cli import export

    spec = REGISTRY[name]
    module = spec.module()
    assert callable(module.write) and (callable(getattr(module, "read", None)) or not spec.reads)
    assert spec.default_offsets in spec.offsets
    choices = next(p for p in export.params if p.name == "fmt").type
    assert isinstance(choices, click.Choice) and name in choices.choices


@pytest.mark.parametrize("fmt", COLLECTIONS)
def test_verify_vouches_for_a_collection_only_as_written(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / fmt
    export_collection(out, fmt)
    assert rustcase.verify_export(out) == []
    manifest = json.loads((out / MANIFEST).read_text())
    victim = out / sorted(manifest["files"])[0]
    original = victim.read_bytes()
    for changed in (original + b" ", original[:-1] + b"#"):
        victim.write_bytes(changed)
        assert any(str(victim) in p for p in rustcase.verify_export(out))
    victim.write_bytes(original)
    (out / "stray.txt").write_text("x")
    assert any("does not list" in p for p in rustcase.verify_export(out))
    (out / "stray.txt").unlink()
    (out / MANIFEST).write_text(json.dumps({**manifest, "offsets": "nonsense"}))
    assert rustcase.verify_export(out) != []
