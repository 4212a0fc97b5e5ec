"""brat standoff (https://brat.nlplab.org/standoff.html): per article ``<article_id>.txt`` (the verbatim
text) and ``<article_id>.ann``; ``annotation.conf`` and ``visual.conf`` so a brat server shows the collection.

Quotes are ``T`` spans typed ``Quote-<kind>``, cues ``Cue``, mentions by entity type (``Person``, ...). A ``N``
line ties each quote and mention to its rustcase ID; speaker, addressee, medium, mention type and entity are
attributes; cue, parent quote and continued quote are relations. A span across a line break is written as
fragments (``start end;start end``), as brat requires; its text is the fragments joined by a space.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rustcase.interop import _spans
from rustcase.interop.offsets import Offsets

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
