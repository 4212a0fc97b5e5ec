"""Label Studio (https://labelstud.io): ``tasks.json``, one task per article with rustcase's quotes, cues and
mentions as pre-annotations (``predictions``), and ``config.xml``, the labelling configuration to create the
project with. Offsets count UTF-16 code units by default, as Label Studio (JavaScript) does; each task's
``meta`` names the unit with the rustcase version, data version and fingerprint.

A region's ``id`` is its rustcase ID (a cue's: the quote's ID and ``-cue``); speaker, addressee, medium,
entity and mention type are per-region choices with the same ``id``; cue, parent and continued quote are
relations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from rustcase.interop import _spans
from rustcase.interop.offsets import Offsets

if TYPE_CHECKING:
    from rustcase.dataset import Dataset
    from rustcase.models import Article, Mention, Quote


def _region(
    article: Article, offsets: Offsets, ident: str, start: int, end: int, name: str, kind: str, value: str
) -> dict[str, Any]:
    return {
        "id": ident,
        "from_name": name,
        "to_name": "text",
        "type": kind,
        "value": {
            "start": offsets.encode(start),
            "end": offsets.encode(end),
            "text": article.text[start:end],
            kind: [value],
        },
    }


def tasks(ds: Dataset, unit: str, about: dict[str, str]) -> list[dict[str, Any]]:
    """One task per article, its rustcase annotations as one prediction."""
    types = _spans.entity_types(ds)
    return [
        {
            "data": {"text": article.text, "article_id": article.article_id},
            "predictions": [
                {
                    "model_version": f"rustcase data {ds.version}",
                    "result": _result(article, quotes, mentions, types, unit),
                }
            ],
            "meta": {"rustcase": about},
        }
        for article, quotes, mentions in _spans.by_article(ds)
    ]


def _result(
    article: Article, quotes: list[Quote], mentions: list[Mention], types: dict[str, str], unit: str
) -> list[dict[str, Any]]:
    offsets = Offsets(article.text, unit)
    result: list[dict[str, Any]] = []

    def add(ident: str, start: int, end: int, name: str, kind: str, value: str | None) -> None:
        if value is not None:
            result.append(_region(article, offsets, ident, start, end, name, kind, value))

    for q in quotes:
        add(q.quote_id, q.start, q.end, "label", "labels", q.kind)
        add(q.quote_id, q.start, q.end, "speaker", "choices", q.speaker_id)
        add(q.quote_id, q.start, q.end, "addressee", "choices", q.addressee_id)
        add(q.quote_id, q.start, q.end, "medium", "choices", q.medium)
        if q.cue_start is not None and q.cue_end is not None:
            add(f"{q.quote_id}-cue", q.cue_start, q.cue_end, "label", "labels", "cue")
            result.append(_relation(q.quote_id, f"{q.quote_id}-cue", "cue"))
    ids = {q.quote_id for q in quotes}
    for q in quotes:
        for label, other in (("parent", q.parent_quote_id), ("continues", q.continues_quote_id)):
            if other in ids:
                result.append(_relation(q.quote_id, other, label))
    for m in mentions:
        add(m.mention_id, m.start, m.end, "label", "labels", types[m.entity_id])
        add(m.mention_id, m.start, m.end, "entity", "choices", m.entity_id)
        add(m.mention_id, m.start, m.end, "mention_type", "choices", m.mention_type)
    return result


def _relation(source: str, target: str, label: str) -> dict[str, Any]:
    return {"from_id": source, "to_id": target, "type": "relation", "direction": "right", "labels": [label]}


def config(ds: Dataset) -> str:
    """The labelling configuration: labels from the models, choices from the dataset's entities."""
    from rustcase.models import Mention

    types = _spans.entity_types(ds)
    kinds = _spans.quote_kinds()
    labels = [*kinds, "cue", *sorted(set(types.values()))]

    def choices(name: str, values: list[str] | tuple[str, ...], when: list[str] | tuple[str, ...]) -> str:
        items = "".join(f"      <Choice value={quoteattr(v)}/>\n" for v in values)
        return (
            f'  <View visibleWhen="region-selected" whenLabelValue={quoteattr(",".join(when))}>\n'
            f"    <Header value={quoteattr(name)}/>\n"
            f'    <Choices name={quoteattr(name)} toName="text" perRegion="true" choice="single">\n'
            f"{items}    </Choices>\n"
            "  </View>\n"
        )

    entities = sorted(set(types.values()))
    return (
        "<View>\n"
        '  <Labels name="label" toName="text">\n'
        + "".join(f"    <Label value={quoteattr(label)}/>\n" for label in labels)
        + "  </Labels>\n"
        '  <Text name="text" value="$text"/>\n'
        "  <Relations>\n"
        + "".join(f"    <Relation value={quoteattr(r)}/>\n" for r in ("cue", "parent", "continues"))
        + "  </Relations>\n"
        + choices("speaker", sorted([*ds.people, *ds.organizations]), kinds)
        + choices("addressee", sorted(types), kinds)
        + choices("medium", _spans.media(), kinds)
        + choices("entity", sorted(types), entities)
        + choices("mention_type", _spans.choices(Mention, "mention_type"), entities)
        + "</View>\n"
    )


def write(ds: Dataset, unit: str, about: dict[str, str]) -> dict[str, bytes]:
    from rustcase.formats import json_document

    return {"tasks.json": json_document(tasks(ds, unit, about)), "config.xml": config(ds).encode()}
