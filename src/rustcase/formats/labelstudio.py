"""Label Studio: ``tasks.json``, one task per article with rustcase's quotes, cues and
mentions as pre-annotations (``predictions``), and ``config.xml``, the labelling configuration to create the
project with. Offsets count UTF-16 code units by default, as Label Studio (JavaScript) does; each task's
``meta`` names the unit with the rustcase version, data version and fingerprint.

A region's ``id`` is its rustcase ID (a cue's: the quote's ID and ``-cue``); speaker, addressee, medium,
entity and mention type are per-region choices with the same ``id``; cue, parent and continued quote are
relations.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from rustcase.errors import CollectionError
from rustcase.formats import _spans
from rustcase.imports import Edit, Ids, article_text, read_source, record_id, span
from rustcase.offsets import UNITS, Offsets

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


def read(path: Path, ds: Dataset, ids: Ids) -> list[Edit]:
    """The quotes and mentions of a Label Studio tasks file (an export of the project, or these tasks):
    each task's last annotation that was not cancelled, else its first prediction."""
    import json

    source = read_source(path)
    try:
        tasks = json.loads(source)
    except (ValueError, RecursionError) as exc:
        raise CollectionError(f"{path}: cannot read as JSON: {str(exc)[:200]}") from None
    if not isinstance(tasks, list):
        raise CollectionError(f"{path}: expected a JSON list of tasks, not {type(tasks).__name__}")
    edits: list[Edit] = []
    for number, task in enumerate(tasks, start=1):
        place = f"{path}: task {number}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            raise CollectionError(f"{place}: expected an object with a data object")
        text = article_text(ds, data.get("article_id"), data.get("text"), place)
        meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
        unit = ((meta.get("rustcase") or {}) if isinstance(meta.get("rustcase"), dict) else {}).get("offsets", "utf16")
        if unit not in UNITS:
            raise CollectionError(f"{place}: meta.rustcase.offsets {unit!r}; expected one of {', '.join(UNITS)}")
        done = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        chosen = done[-1] if done else (task.get("predictions") or [{}])[0]
        result = chosen.get("result") if isinstance(chosen, dict) else None
        if not isinstance(result, list):
            raise CollectionError(f"{place}: expected annotations or predictions with a result list")
        edits += _read_result(result, text, data["article_id"], Offsets(text, unit), ds, ids, place)
    return edits


def _read_result(
    result: list[Any], text: str, article_id: str, offsets: Offsets, ds: Dataset, ids: Ids, place: str
) -> list[Edit]:
    regions: dict[str, dict[str, Any]] = {}
    relations: dict[str, dict[str, str]] = {}
    for item in result:
        if not isinstance(item, dict):
            raise CollectionError(f"{place}: a result item is {type(item).__name__}, not an object")
        if item.get("type") == "relation":
            labels = item.get("labels") or ["cue"]
            if not isinstance(labels, list):
                raise CollectionError(f"{place}: a relation's labels are {type(labels).__name__}, not a list")
            relations.setdefault(str(item.get("from_id")), {})[str(labels[0])] = str(item.get("to_id"))
            continue
        value, ident = item.get("value"), item.get("id")
        where = f"{place} region {ident}"
        if not isinstance(value, dict) or not isinstance(ident, str) or item.get("type") not in ("labels", "choices"):
            raise CollectionError(f"{where}: expected a labels or choices region with an id and a value")
        region = regions.setdefault(ident, {"place": where})
        if "span" not in region:
            bounds = value.get("start"), value.get("end")
            if not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
                raise CollectionError(f"{where}: start and end must be integers")
            region["span"] = span(text, offsets, [bounds], str(value.get("text")), where)  # type: ignore[list-item]
        chosen = value.get(item["type"])
        if isinstance(chosen, list) and chosen:
            region[str(item.get("from_name"))] = str(chosen[0])
    types = set(_spans.entity_types(ds).values())
    kinds = _spans.quote_kinds()
    quote_ids = {}
    for ident, region in regions.items():
        label = region.get("label")
        if label in kinds:
            claimed = ident if ident.startswith("quo-") else None
            quote_ids[ident] = record_id(ids, claimed, "quo", article_id, 3, region["place"])
        elif label not in types and label != "cue":
            raise CollectionError(f"{region['place']}: label {label!r} is not in rustcase's config.xml")
    edits = []
    for ident, region in regions.items():
        start, end = region["span"]
        label = region["label"]
        if label in kinds:
            fields: dict[str, Any] = {"quote_id": quote_ids[ident], "article_id": article_id, "kind": label}
            fields.update(start=start, end=end, text=text[start:end], addressee_id=region.get("addressee"))
            fields.update(
                {f: region[f.removesuffix("_id")] for f in ("speaker_id", "medium") if f.removesuffix("_id") in region}
            )
            linked = relations.get(ident, {})
            cue = regions.get(linked.get("cue", ""))
            fields.update(cue=None, cue_start=None, cue_end=None)
            if cue is not None:
                fields.update(cue=text[slice(*cue["span"])], cue_start=cue["span"][0], cue_end=cue["span"][1])
            fields["parent_quote_id"] = quote_ids.get(linked.get("parent", ""))
            fields["continues_quote_id"] = quote_ids.get(linked.get("continues", ""))
            edits.append(Edit("quotes", fields, region["place"]))
        elif label in types:
            claimed = ident if ident.startswith("men-") else None
            mention = record_id(ids, claimed, "men", article_id, 4, region["place"])
            fields = {
                "mention_id": mention,
                "article_id": article_id,
                "start": start,
                "end": end,
                "text": text[start:end],
            }
            fields.update(
                {f: region[n] for f, n in (("entity_id", "entity"), ("mention_type", "mention_type")) if n in region}
            )
            edits.append(Edit("mentions", fields, region["place"]))
    return edits
