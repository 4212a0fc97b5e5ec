"""brat standoff: per article ``<article_id>.txt`` (the verbatim
text) and ``<article_id>.ann``; ``annotation.conf`` and ``visual.conf`` so a brat server shows the collection.

Quotes are ``T`` spans typed ``Quote-<kind>``, cues ``Cue``, mentions by entity type (``Person``, ...). A ``N``
line ties each quote and mention to its rustcase ID; speaker, addressee, medium, mention type and entity are
attributes; cue, parent quote and continued quote are relations. A span across a line break is written as
fragments (``start end;start end``), as brat requires; its text is the fragments joined by a space.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rustcase.errors import CollectionError
from rustcase.formats import _spans
from rustcase.imports import Edit, Ids, article_text, read_text, record_id, span
from rustcase.offsets import Offsets

if TYPE_CHECKING:
    from rustcase.dataset import Dataset


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` between line breaks (brat spans hold no newline), empty ones dropped."""
    pieces = []
    for match in re.finditer(r"[^\n\r]+", text[start:end]):
        pieces.append((start + match.start(), start + match.end()))
    return pieces


class _Ann:
    def __init__(self, text: str, offsets: Offsets) -> None:
        self.text = text
        self.offsets = offsets
        self.lines: list[str] = []
        self.count = {"T": 0, "N": 0, "A": 0, "R": 0}

    def next(self, kind: str) -> str:
        self.count[kind] += 1
        return f"{kind}{self.count[kind]}"

    def span(self, label: str, start: int, end: int) -> str:
        pieces = fragments(self.text, start, end)
        where = ";".join(f"{self.offsets.encode(s)} {self.offsets.encode(e)}" for s, e in pieces)
        tid = self.next("T")
        self.lines.append(f"{tid}\t{label} {where}\t{' '.join(self.text[s:e] for s, e in pieces)}")
        return tid

    def add(self, kind: str, body: str, tail: str | None = None) -> None:
        self.lines.append(f"{self.next(kind)}\t{body}" + ("" if tail is None else f"\t{tail}"))


def write(ds: Dataset, unit: str, about: dict[str, str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for article, quotes, mentions in _spans.by_article(ds):
        ann = _Ann(article.text, Offsets(article.text, unit))
        ids: dict[str, str] = {}
        for quote in quotes:
            tid = ids[quote.quote_id] = ann.span(f"Quote-{quote.kind}", quote.start, quote.end)
            ann.add("N", f"Reference {tid} rustcase:{quote.quote_id}", quote.quote_id)
            ann.add("A", f"Speaker {tid} {quote.speaker_id}")
            ann.add("A", f"Medium {tid} {quote.medium}")
            if quote.addressee_id:
                ann.add("A", f"Addressee {tid} {quote.addressee_id}")
            if quote.cue_start is not None and quote.cue_end is not None:
                cue = ann.span("Cue", quote.cue_start, quote.cue_end)
                ann.add("R", f"Cue Arg1:{tid} Arg2:{cue}")
        for quote in quotes:
            for relation, other in (("Parent", quote.parent_quote_id), ("Continues", quote.continues_quote_id)):
                if other in ids:
                    ann.add("R", f"{relation} Arg1:{ids[quote.quote_id]} Arg2:{ids[other]}")
        types = _spans.entity_types(ds)
        for mention in mentions:
            tid = ann.span(types[mention.entity_id], mention.start, mention.end)
            ann.add("N", f"Reference {tid} rustcase:{mention.mention_id}", mention.mention_id)
            ann.add("A", f"Entity {tid} {mention.entity_id}")
            ann.add("A", f"Mention_type {tid} {mention.mention_type}")
        files[f"{article.article_id}.txt"] = article.text.encode()
        files[f"{article.article_id}.ann"] = "".join(line + "\n" for line in ann.lines).encode()
    files["annotation.conf"] = annotation_conf(ds, about).encode()
    files["visual.conf"] = visual_conf(ds).encode()
    return files


def _header(about: dict[str, str]) -> str:
    return "".join(f"# {key}: {value}\n" for key, value in about.items())


def annotation_conf(ds: Dataset, about: dict[str, str]) -> str:
    """The collection's types, relations and attributes; the value lists come from the models and the data."""
    quotes = [f"Quote-{kind}" for kind in _spans.quote_kinds()]
    types = _spans.entity_types(ds)
    entities = sorted(set(types.values()))
    speakers = sorted([*ds.people, *ds.organizations])
    return (
        "# rustcase collection; offsets of the .ann files count in the unit named here\n"
        + _header(about)
        + "[entities]\n"
        + "".join(f"{t}\n" for t in [*quotes, "Cue", *entities])
        + "[relations]\n"
        + f"Cue\tArg1:{'|'.join(quotes)}, Arg2:Cue\n"
        + f"Parent\tArg1:{'|'.join(quotes)}, Arg2:{'|'.join(quotes)}\n"
        + f"Continues\tArg1:{'|'.join(quotes)}, Arg2:{'|'.join(quotes)}\n"
        + "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>\n"
        + "[events]\n"
        + "[attributes]\n"
        + f"Speaker\tArg:{'|'.join(quotes)}, Value:{'|'.join(speakers)}\n"
        + f"Addressee\tArg:{'|'.join(quotes)}, Value:{'|'.join(sorted(types))}\n"
        + f"Medium\tArg:{'|'.join(quotes)}, Value:{'|'.join(_spans.media())}\n"
        + f"Entity\tArg:{'|'.join(entities)}, Value:{'|'.join(sorted(types))}\n"
        + f"Mention_type\tArg:{'|'.join(entities)}, Value:{'|'.join(_mention_types())}\n"
    )


def _mention_types() -> tuple[str, ...]:
    from rustcase.models import Mention

    return _spans.choices(Mention, "mention_type")


def visual_conf(ds: Dataset) -> str:
    """Labels and colours for brat's display."""
    quotes = [f"Quote-{kind}" for kind in _spans.quote_kinds()]
    entities = sorted(set(_spans.entity_types(ds).values()))
    return (
        "[labels]\n"
        + "".join(f"{q} | {q.partition('-')[2]} quote\n" for q in quotes)
        + "Cue | cue\n"
        + "".join(f"{e} | {e.lower()}\n" for e in entities)
        + "[drawing]\n"
        + "".join(f"{q}\tbgColor:#ffd27f\n" for q in quotes)
        + "Cue\tbgColor:#c7e9c0\n"
        + "".join(f"{e}\tbgColor:#9ecae1\n" for e in entities)
        + "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n"
        + "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5\n"
    )


_LINES = {
    "T": re.compile(r"(T\S+)\t([^\s]+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)"),
    "N": re.compile(r"N\S+\tReference (T\S+) ([^\s:]+):(\S+)(?:\t.*)?"),
    "A": re.compile(r"A\S+\t(\S+) (T\S+)(?: (\S+))?"),
    "R": re.compile(r"R\S+\t(\S+) Arg1:(T\S+) Arg2:(T\S+)"),
}


def _unit(root: Path) -> str:
    """The offset unit the collection declares (annotation.conf), code points when it declares none."""
    from rustcase.offsets import UNITS

    conf = root / "annotation.conf"
    text = conf.read_text(encoding="utf-8", errors="replace") if conf.is_file() else ""
    match = re.search(r"^# offsets: (\S+)$", text, re.MULTILINE)
    if match and match[1] not in UNITS:
        raise CollectionError(f"{conf}: offsets {match[1]!r}; expected one of {', '.join(UNITS)}")
    return match[1] if match else "codepoint"


def read(root: Path, ds: Dataset, ids: Ids) -> list[Edit]:
    """The quotes and mentions of a brat collection directory (one ``.ann`` per article)."""
    if not root.is_dir():
        raise CollectionError(f"{root}: not a directory (a brat collection is a directory of .txt and .ann files)")
    unit = _unit(root)
    edits: list[Edit] = []
    anns = sorted(root.glob("*.ann"))
    if not anns:
        raise CollectionError(f"{root}: no .ann files")
    for ann in anns:
        txt = ann.with_suffix(".txt")
        text = article_text(ds, ann.stem, read_text(txt) if txt.exists() else None, str(txt))
        edits += _read_ann(ann, text, ds, ids, unit)
    return edits


def _read_ann(path: Path, text: str, ds: Dataset, ids: Ids, unit: str) -> list[Edit]:
    offsets = Offsets(text, unit)
    article_id = path.stem
    spans: dict[str, tuple[str, int, int, str]] = {}  # T id -> type, start, end, place
    refs: dict[str, str] = {}
    attrs: dict[str, dict[str, str]] = {}
    relations: dict[str, dict[str, str]] = {}
    lines = read_text(path).splitlines()
    for number, line in enumerate(lines, start=1):
        place = f"{path}:{number}"
        kind = line[:1]
        if not line.strip() or kind in "#*EM":  # notes, equivalences, events, modifications: not carried
            continue
        match = _LINES[kind].fullmatch(line) if kind in _LINES else None
        if match is None:
            raise CollectionError(f"{place}: not a brat standoff line (T, N, A or R as annotation.conf declares)")
        if kind == "T":
            pieces = [(int(a), int(b)) for a, b in (p.split() for p in match[3].split(";"))]
            start, end = span(text, offsets, pieces, match[4], place)
            spans[match[1]] = (match[2], start, end, place)
        elif kind == "N" and match[2] == "rustcase":
            refs[match[1]] = match[3]
        elif kind == "A":
            attrs.setdefault(match[2], {})[match[1]] = match[3]
        elif kind == "R":
            relations.setdefault(match[2], {})[match[1]] = match[3]
    entity_types = set(_spans.entity_types(ds).values())
    kinds = {f"Quote-{k}" for k in _spans.quote_kinds()}
    quote_ids = {}
    for tid, (label, _, _, place) in spans.items():
        if label in kinds:
            quote_ids[tid] = record_id(ids, refs.get(tid), "quo", article_id, 3, place)
        elif label not in entity_types and label != "Cue":
            raise CollectionError(f"{place}: type {label!r} is not declared in rustcase's annotation.conf")
    edits = []
    for tid, (label, start, end, place) in spans.items():
        got = attrs.get(tid, {})
        if label in kinds:
            fields: dict[str, Any] = {"quote_id": quote_ids[tid], "article_id": article_id, "kind": label[6:]}
            fields.update(start=start, end=end, text=text[start:end], addressee_id=got.get("Addressee"))
            fields.update({f: got[a] for f, a in (("speaker_id", "Speaker"), ("medium", "Medium")) if a in got})
            linked = relations.get(tid, {})
            cue = spans.get(linked.get("Cue", ""))
            fields.update(cue=None, cue_start=None, cue_end=None)
            if cue is not None:
                fields.update(cue=text[cue[1] : cue[2]], cue_start=cue[1], cue_end=cue[2])
            for field_name, relation in (("parent_quote_id", "Parent"), ("continues_quote_id", "Continues")):
                fields[field_name] = quote_ids.get(linked.get(relation, ""))
            edits.append(Edit("quotes", fields, place))
        elif label in entity_types:
            mention = record_id(ids, refs.get(tid), "men", article_id, 4, place)
            fields = {"mention_id": mention, "article_id": article_id, "start": start, "end": end}
            fields["text"] = text[start:end]
            fields.update(
                {f: got[a] for f, a in (("entity_id", "Entity"), ("mention_type", "Mention_type")) if a in got}
            )
            edits.append(Edit("mentions", fields, place))
    return edits
