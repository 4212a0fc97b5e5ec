"""W3C Web Annotation (the Web Annotation Data Model, a W3C Recommendation) as JSON-LD: ``annotations.jsonld``, an
``AnnotationCollection`` with one ``Annotation`` per quote, cue and mention, each target with a
``TextPositionSelector`` (code points, as the model requires) and a ``TextQuoteSelector`` (exact, prefix,
suffix). Speaker, kind and IDs are in the body, under rustcase's own terms (``urn:rustcase:vocab:``).

The context is shipped, never fetched: ``anno.jsonld`` (written from `CONTEXT`) holds the Web Annotation terms
this export uses, with the IRIs of the W3C context (`W3C_CONTEXT`), which the collection names first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rustcase.formats import _spans

if TYPE_CHECKING:
    from rustcase.dataset import Dataset

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_FILE = "anno.jsonld"
VOCAB = "urn:rustcase:vocab:"
AFFIX = 32
"""Characters of prefix and suffix in each TextQuoteSelector."""


CONTEXT = {
    "oa": "http://www.w3.org/ns/oa#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dctypes": "http://purl.org/dc/dcmitype/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "as": "http://www.w3.org/ns/activitystreams#",
    "id": {"@type": "@id", "@id": "@id"},
    "type": {"@type": "@id", "@id": "@type"},
    "Annotation": "oa:Annotation",
    "AnnotationCollection": "as:OrderedCollection",
    "AnnotationPage": "as:OrderedCollectionPage",
    "Software": "as:Application",
    "Text": "dctypes:Text",
    "TextualBody": "oa:TextualBody",
    "SpecificResource": "oa:SpecificResource",
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "TextPositionSelector": "oa:TextPositionSelector",
    "classifying": "oa:classifying",
    "identifying": "oa:identifying",
    "tagging": "oa:tagging",
    "body": {"@type": "@id", "@id": "oa:hasBody"},
    "target": {"@type": "@id", "@id": "oa:hasTarget"},
    "source": {"@type": "@id", "@id": "oa:hasSource"},
    "selector": {"@type": "@id", "@id": "oa:hasSelector"},
    "purpose": {"@type": "@vocab", "@id": "oa:hasPurpose"},
    "value": "rdf:value",
    "exact": "oa:exact",
    "prefix": "oa:prefix",
    "suffix": "oa:suffix",
    "start": {"@type": "xsd:nonNegativeInteger", "@id": "oa:start"},
    "end": {"@type": "xsd:nonNegativeInteger", "@id": "oa:end"},
    "generator": {"@type": "@id", "@id": "as:generator"},
    "label": "rdfs:label",
    "name": "foaf:name",
    "format": "dc:format",
    "items": {"@type": "@id", "@id": "as:items", "@container": "@list"},
    "first": {"@type": "@id", "@id": "as:first"},
    "total": {"@type": "xsd:nonNegativeInteger", "@id": "as:totalItems"},
}
"""The Web Annotation terms this export uses, mapped as the W3C context maps them (a subset of it)."""


def context() -> bytes:
    """The shipped Web Annotation context file."""
    from rustcase.formats import json_document

    return json_document({"@context": CONTEXT})


def _local_context(keys: list[str]) -> dict[str, Any]:
    return {"rc": VOCAB, **{key: f"rc:{key}" for key in keys}}


def _target(text: str, source: str, start: int, end: int) -> dict[str, Any]:
    return {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            {"type": "TextPositionSelector", "start": start, "end": end},
            {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": text[max(0, start - AFFIX) : start],
                "suffix": text[end : end + AFFIX],
            },
        ],
    }


def _annotation(ident: str, label: str, body: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    body = {"type": "TextualBody", "purpose": "classifying", "value": label, **body}
    return {"id": f"urn:rustcase:{ident}", "type": "Annotation", "body": body, "target": target}


def web_annotations(ds: Dataset) -> list[dict[str, Any]]:
    """One annotation per quote, cue and mention, article by article."""
    types = _spans.entity_types(ds)
    items = []
    for article, quotes, mentions in _spans.by_article(ds):
        source = f"urn:rustcase:{article.article_id}"
        for q in quotes:
            body = {
                "quote_id": q.quote_id,
                "kind": q.kind,
                "speaker_id": q.speaker_id,
                "co_speaker_ids": list(q.co_speaker_ids),
                "addressee_id": q.addressee_id,
                "medium": q.medium,
                "parent_quote_id": q.parent_quote_id,
                "continues_quote_id": q.continues_quote_id,
                "utterance_id": q.utterance_id,
            }
            body = {k: v for k, v in body.items() if v not in (None, [])}
            items.append(
                _annotation(q.quote_id, f"{q.kind} quote", body, _target(article.text, source, q.start, q.end))
            )
            if q.cue_start is not None and q.cue_end is not None:
                target = _target(article.text, source, q.cue_start, q.cue_end)
                items.append(_annotation(f"{q.quote_id}-cue", "cue", {"quote_id": q.quote_id}, target))
        for m in mentions:
            body = {"mention_id": m.mention_id, "entity_id": m.entity_id, "mention_type": m.mention_type}
            target = _target(article.text, source, m.start, m.end)
            items.append(_annotation(m.mention_id, types[m.entity_id], body, target))
    return items


def write(ds: Dataset, unit: str, about: dict[str, str]) -> dict[str, bytes]:
    from rustcase.formats import json_document

    items = web_annotations(ds)
    keys = sorted({key for item in items for key in item["body"]} - {"type", "purpose", "value"} | set(about))
    collection = {
        "@context": [W3C_CONTEXT, _local_context(keys)],
        "id": f"urn:rustcase:{ds.version}",
        "type": "AnnotationCollection",
        "label": f"rustcase data version {ds.version}: quotes, cues and mentions",
        "generator": {
            "id": "https://pypi.org/project/rustcase/",
            "type": "Software",
            "name": f"rustcase {about['rustcase_version']}",
        },
        **about,
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }
    return {"annotations.jsonld": json_document(collection), CONTEXT_FILE: context()}
