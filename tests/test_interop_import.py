"""Imports from annotation tools: exported then imported gives the shipped records byte for byte, an edit made
in the tool's format comes back as exactly that edit, and a span that does not match is an error at its place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import rustcase
from rustcase.cli import main
from rustcase.dataset import Dataset
from rustcase.errors import CollectionError
from rustcase.export import export_collection
from rustcase.imports import import_collection
from rustcase.offsets import UNITS, Offsets

TOOLS = {"brat": "", "labelstudio": "tasks.json"}
EDITS = settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _shipped_jsonl(table: str, tmp: Path) -> bytes:
    rustcase.export_tables(tmp / table, "jsonl", [table])
    return (tmp / table / f"{table}.jsonl").read_bytes()


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("tool", list(TOOLS))
def test_export_then_import_gives_the_shipped_records(tool: str, unit: str, tmp_path: Path) -> None:
    export_collection(tmp_path / "c", tool, offsets=unit)
    result = import_collection(tool, tmp_path / "c" / TOOLS[tool], tmp_path / "out")
    assert (result.changed, result.added, result.removed) == ([], [], [])
    for table in ("quotes", "mentions", "articles"):
        assert (tmp_path / "out" / f"{table}.jsonl").read_bytes() == _shipped_jsonl(table, tmp_path / "shipped")
    assert rustcase.validate(tmp_path / "out").problems == []
    assert set(result.shipped["quotes"]) == {"co_speaker_ids", "utterance_id", "utterance_relation", "note"}


def _brat(tmp_path: Path, unit: str = "codepoint") -> Path:
    out = tmp_path / "brat"
    if not out.exists():
        export_collection(out, "brat", offsets=unit)
    return out


def _record_lines(ann: str, rustcase_id: str) -> tuple[str, list[str]]:
    """The T id of a record and its lines."""
    tid = re.search(rf"^N\d+\tReference (T\d+) rustcase:{rustcase_id}\t", ann, re.MULTILINE)[1]  # type: ignore[index]
    return tid, [line for line in ann.splitlines() if re.match(rf"^{tid}\t|^[AR]\d+\t\w+ (Arg1:)?{tid}\b", line)]


def _imported(tmp_path: Path, tool: str = "brat", source: Path | None = None) -> tuple[rustcase.Dataset, object]:
    out = tmp_path / "out"
    result = import_collection(tool, source or _brat(tmp_path), out, force=True)
    from rustcase import formats

    tables = {t: formats.read(out / f"{t}.jsonl", t) for t in ("quotes", "mentions")}
    return tables, result  # type: ignore[return-value]


@EDITS
@given(st.data())
def test_a_speaker_changed_in_brat_comes_back_as_that_change(ds: Dataset, tmp_path: Path, data: st.DataObject) -> None:
    quote = data.draw(st.sampled_from(list(ds.quotes.values())))
    speaker = data.draw(st.sampled_from(sorted({*ds.people, *ds.organizations} - {quote.speaker_id})))
    root = _brat(tmp_path)
    ann_path = root / f"{quote.article_id}.ann"
    original = ann_path.read_text()
    tid, _ = _record_lines(original, quote.quote_id)
    ann_path.write_text(original.replace(f"\tSpeaker {tid} {quote.speaker_id}\n", f"\tSpeaker {tid} {speaker}\n"))
    try:
        tables, result = _imported(tmp_path)
    finally:
        ann_path.write_text(original)
    assert (result.changed, result.added, result.removed) == ([quote.quote_id], [], [])  # type: ignore[attr-defined]
    changed = next(q for q in tables["quotes"] if q["quote_id"] == quote.quote_id)
    assert {**quote.model_dump(mode="json"), "speaker_id": speaker} == {
        **changed,
        "co_speaker_ids": changed["co_speaker_ids"],
    }


@EDITS
@given(st.data())
def test_a_mention_moved_in_brat_comes_back_as_that_move(ds: Dataset, tmp_path: Path, data: st.DataObject) -> None:
    unit = data.draw(st.sampled_from(UNITS))
    mention = data.draw(st.sampled_from([m for m in ds.mentions.values() if m.end - m.start > 2]))
    text = ds.articles[mention.article_id].text
    start = data.draw(st.integers(mention.start, mention.end - 2))
    end = data.draw(st.integers(start + 1, mention.end))
    offsets = Offsets(text, unit)
    root = tmp_path / f"brat-{unit}"
    if not root.exists():
        export_collection(root, "brat", offsets=unit)
    ann_path = root / f"{mention.article_id}.ann"
    original = ann_path.read_text()
    tid, _ = _record_lines(original, mention.mention_id)
    moved = re.sub(
        rf"^{tid}\t(\w+) \d+ \d+\t.*$",
        lambda m: f"{tid}\t{m[1]} {offsets.encode(start)} {offsets.encode(end)}\t{text[start:end]}",
        original,
        flags=re.MULTILINE,
    )
    ann_path.write_text(moved)
    try:
        tables, result = _imported(tmp_path, source=root)
    finally:
        ann_path.write_text(original)
    expected = [] if (start, end) == (mention.start, mention.end) else [mention.mention_id]
    assert (result.changed, result.added, result.removed) == (expected, [], [])  # type: ignore[attr-defined]
    back = next(m for m in tables["mentions"] if m["mention_id"] == mention.mention_id)
    assert back == {**mention.model_dump(mode="json"), "start": start, "end": end, "text": text[start:end]}


@EDITS
@given(st.data())
def test_a_quote_added_in_brat_comes_back_as_a_new_record(ds: Dataset, tmp_path: Path, data: st.DataObject) -> None:
    mention = data.draw(st.sampled_from(list(ds.mentions.values())))  # any verbatim span will do
    kind = data.draw(st.sampled_from(["direct", "partial", "indirect"]))
    speaker = data.draw(st.sampled_from(sorted(ds.people)))
    root = _brat(tmp_path)
    ann_path = root / f"{mention.article_id}.ann"
    original = ann_path.read_text()
    added = f"T999\tQuote-{kind} {mention.start} {mention.end}\t{mention.text}\nA999\tSpeaker T999 {speaker}\n"
    ann_path.write_text(original + added + "A998\tMedium T999 unknown\n")
    try:
        tables, result = _imported(tmp_path)
    finally:
        ann_path.write_text(original)
    assert result.changed == [] and result.removed == [] and len(result.added) == 1  # type: ignore[attr-defined]
    new = next(q for q in tables["quotes"] if q["quote_id"] == result.added[0])  # type: ignore[attr-defined]
    assert new["quote_id"].startswith(f"quo-{mention.article_id[4:]}-") and new["quote_id"] not in ds.quotes
    assert (new["kind"], new["speaker_id"], new["start"], new["end"], new["text"]) == (
        kind,
        speaker,
        mention.start,
        mention.end,
        mention.text,
    )


@pytest.mark.parametrize("unit", UNITS)
def test_a_speaker_changed_in_label_studio_comes_back(ds: Dataset, unit: str, tmp_path: Path) -> None:
    export_collection(tmp_path / "ls", "labelstudio", offsets=unit)
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text())
    quote = next(iter(ds.quotes.values()))
    speaker = next(p for p in ds.people if p != quote.speaker_id)
    for region in tasks[0]["predictions"][0]["result"]:
        if region.get("id") == quote.quote_id and region.get("from_name") == "speaker":
            region["value"]["choices"] = [speaker]
    tasks[0]["annotations"] = tasks[0].pop("predictions")  # as Label Studio exports a reviewed task
    (tmp_path / "edited.json").write_text(json.dumps(tasks))
    _, result = _imported(tmp_path, "labelstudio", tmp_path / "edited.json")
    assert (result.changed, result.added, result.removed) == ([quote.quote_id], [], [])  # type: ignore[attr-defined]


@pytest.mark.parametrize("tool", list(TOOLS))
def test_a_span_whose_text_does_not_match_is_an_error_at_its_place(ds: Dataset, tool: str, tmp_path: Path) -> None:
    export_collection(tmp_path / "c", tool)
    if tool == "brat":
        path = tmp_path / "c" / "art-000.ann"
        lines = path.read_text().splitlines()
        lines[0] = re.sub(r" (\d+) (\d+)\t", lambda m: f" {int(m[1]) + 1} {int(m[2]) + 1}\t", lines[0])
        path.write_text("\n".join(lines) + "\n")
        place = f"{path}:1:"
    else:
        path = tmp_path / "c" / "tasks.json"
        tasks = json.loads(path.read_text())
        tasks[0]["predictions"][0]["result"][0]["value"]["start"] += 1
        path.write_text(json.dumps(tasks))
        place = f"{path}: task 1 region "
    with pytest.raises(CollectionError, match=re.escape(place)):
        import_collection(tool, tmp_path / "c" / TOOLS[tool], tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("tool", "content", "message"),
    [
        ("labelstudio", "{", "cannot read as JSON"),
        ("labelstudio", "{}", "expected a JSON list of tasks"),
        ("labelstudio", "[1]", "expected an object with a data object"),
        ("labelstudio", '[{"data": {"text": "x", "article_id": "art-999"}}]', "is not an article"),
        ("labelstudio", '[{"data": {"text": "x", "article_id": "art-000"}}]', "text differs"),
        (
            "labelstudio",
            '[{"data": {"article_id": "art-000"}, "predictions": [{"result": [{"type": "relation", "labels": 5}]}]}]',
            "labels are int",
        ),
        ("brat", "T1\tQuote-direct 0 1\tx\n", "reads"),
        ("brat", "X1\twhat\n", "not a brat standoff line"),
        ("brat", "T1\tNoSuchType 0 1\tP\n", "not declared"),
    ],
)
def test_bad_collections_are_one_line_errors_from_the_cli(
    tool: str, content: str, message: str, tmp_path: Path
) -> None:
    if tool == "brat":
        source = tmp_path / "c"
        source.mkdir()
        (source / "art-000.ann").write_text(content)
    else:
        source = tmp_path / "tasks.json"
        source.write_text(content)
    result = CliRunner().invoke(main, ["import", tool, str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output and len(result.output.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def _replace(path: Path, kind: str) -> None:
    """Put a ``kind`` where the file ``path`` was: a FIFO, a directory, or a file that is not UTF-8."""
    import os

    path.unlink()
    if kind == "FIFO":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this system")
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path.write_bytes(b"caf\xe9\n")


@pytest.mark.parametrize(
    ("tool", "name", "kind", "message"),
    [
        ("brat", "art-000.ann", "FIFO", "not a regular file (a FIFO)"),
        ("brat", "art-000.txt", "FIFO", "not a regular file (a FIFO)"),
        ("brat", "art-000.ann", "directory", "not a regular file (a directory)"),
        ("brat", "art-000.ann", "Latin-1", "not UTF-8"),
        ("brat", "art-000.txt", "Latin-1", "not UTF-8"),
        ("labelstudio", "tasks.json", "FIFO", "not a regular file (a FIFO)"),
        ("labelstudio", "tasks.json", "directory", "not a regular file (a directory)"),
    ],
)
def test_a_collection_file_that_is_no_readable_file_is_a_one_line_error_never_a_wait(
    tool: str, name: str, kind: str, message: str, tmp_path: Path
) -> None:
    export_collection(tmp_path / "c", tool)
    _replace(tmp_path / "c" / name, kind)
    source = tmp_path / "c" / TOOLS[tool]
    result = CliRunner().invoke(main, ["import", tool, str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert f"{name}: cannot read: {message}" in result.output and len(result.output.splitlines()) == 1
    assert not (tmp_path / "out").exists()
