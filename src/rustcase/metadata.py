"""Standard metadata, derived from the models and the data: Frictionless Data Package, Croissant, citations.

Every exported directory carries a ``datapackage.json`` and a ``croissant.json`` describing its files, so
that tools which know nothing of rustcase can read and check it.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Mapping
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from rustcase.models import TABLES
from rustcase.schema import unwrap_annotation

NAME = "rustcase"
TITLE = "rustcase: the Rust-shooting interview coverage, curated"
DESCRIPTION = (
    "Five news articles (December 2021) about Alec Baldwin's ABC News interview on the fatal shooting on "
    "the set of the film Rust, with every quote and attribution, person, organisation, place, work, "
    "mention, event and contested claim annotated as verified spans of the verbatim texts."
)
AUTHOR = "The rustcase developers"
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International (the annotations; the article texts remain "
    "their publishers' work, see DATA-LICENSE.md)",
}
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/jsonlines",
    "parquet": "application/x-parquet",
}
FOREIGN_KEYS = {
    "quotes": {
        "article_id": "articles",
        "parent_quote_id": "quotes",
        "continues_quote_id": "quotes",
        "utterance_id": "utterances",
    },
    "mentions": {"article_id": "articles"},
    "utterances": {"canonical_quote_id": "quotes"},
    "organizations": {"parent_id": "organizations"},
    "places": {"within_id": "places"},
}
"""References with one target table. The others (a speaker is a person or an organisation; an entity any
of four tables) cannot be Table Schema foreign keys; `rustcase.integrity` checks them all."""

FileEntry = Mapping[str, Any]


def _field_type(annotation: Any) -> tuple[str, bool, list[str] | None]:
    """Table Schema type, whether the value is required, and the allowed values of an enumeration."""
    tp, nullable = unwrap_annotation(annotation)
    origin = get_origin(tp)
    if origin is Literal:
        return "string", not nullable, [str(a) for a in get_args(tp)]
    if origin is list:
        return "array", not nullable, None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "object", not nullable, None
    names = {str: "string", int: "integer", bool: "boolean", datetime.date: "date"}
    return names[tp], not nullable, None


def table_schema(table: str, tables: typing.Collection[str] = tuple(TABLES)) -> dict[str, Any]:
    """The Frictionless Table Schema of ``table``; foreign keys only to tables in ``tables``."""
    spec = TABLES[table]
    fields = []
    for name, info in spec.model.model_fields.items():
        kind, required, enum = _field_type(info.annotation)
        constraints: dict[str, Any] = {"required": required}
        if enum:
            constraints["enum"] = enum
        fields.append({"name": name, "type": kind, "description": info.description, "constraints": constraints})
    foreign = [
        {"fields": name, "reference": {"resource": target, "fields": TABLES[target].key}}
        for name, target in FOREIGN_KEYS.get(table, {}).items()
        if target in tables
    ]
    schema: dict[str, Any] = {"fields": fields, "primaryKey": [spec.key]}
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def datapackage(
    fmt: str, files: Mapping[str, FileEntry], version: str, sources: list[dict[str, str]]
) -> dict[str, Any]:
    """A Frictionless (tabular) Data Package describing exported files: ``files`` maps table to its entry."""
    resources = []
    for table, entry in files.items():
        resource: dict[str, Any] = {
            "name": table,
            "path": entry["path"],
            "profile": "tabular-data-resource",
            "format": fmt,
            "mediatype": MEDIA_TYPES[fmt],
            "description": (TABLES[table].model.__doc__ or "").strip(),
            "schema": table_schema(table, files),
        }
        if fmt != "json":  # frictionless cannot count the bytes of a JSON array; manifest.json has them
            resource.update(bytes=entry["bytes"], hash=f"sha256:{entry['sha256']}")
        if fmt != "parquet":
            resource["encoding"] = "utf-8"
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "licenses": [LICENSE],
        "contributors": [{"title": AUTHOR, "role": "author"}],
        "sources": sources,
        "resources": resources,
    }


CROISSANT_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
"""The JSON-LD context of Croissant 1.0, as the specification publishes it."""

_CROISSANT_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "boolean": "sc:Boolean", "date": "sc:Date"}


def croissant(fmt: str, files: Mapping[str, FileEntry], version: str) -> dict[str, Any]:
    """MLCommons Croissant 1.0 metadata (JSON-LD) describing exported files."""
    distribution = [
        {
            "@type": "cr:FileObject",
            "@id": entry["path"],
            "name": entry["path"],
            "contentUrl": entry["path"],
            "encodingFormat": MEDIA_TYPES[fmt],
            "sha256": entry["sha256"],
        }
        for entry in files.values()
    ]
    record_sets = []
    for table, entry in files.items():
        spec = TABLES[table]
        fields = []
        for name, info in spec.model.model_fields.items():
            kind, _, _ = _field_type(info.annotation)
            fields.append(
                {
                    "@type": "cr:Field",
                    "@id": f"{table}/{name}",
                    "name": name,
                    "description": (info.description or "")
                    + ("" if kind in _CROISSANT_TYPES else " (JSON text in CSV)" if fmt == "csv" else ""),
                    "dataType": _CROISSANT_TYPES.get(kind, "sc:Text"),
                    "source": {"fileObject": {"@id": entry["path"]}, "extract": {"column": name}},
                }
            )
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": table,
                "name": table,
                "description": (spec.model.__doc__ or "").strip(),
                "key": {"@id": f"{table}/{spec.key}"},
                "field": fields,
            }
        )
    return {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "name": NAME,
        "description": DESCRIPTION,
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "license": LICENSE["path"],
        "version": version,
        "creator": {"@type": "sc:Organization", "name": AUTHOR},
        "citeAs": bibtex(version),
        "distribution": distribution,
        "recordSet": record_sets,
    }


def bibtex(version: str, fingerprint: str | None = None) -> str:
    """A BibTeX entry for a data version; the fingerprint, when given, pins the exact content."""
    note = f"Data version {version}" + (f", content fingerprint {fingerprint}" if fingerprint else "")
    return (
        f"@misc{{rustcase_{version.replace('.', '_')},\n"
        f"  title = {{{TITLE}}},\n"
        f"  author = {{{{{AUTHOR}}}}},\n"
        f"  version = {{{version}}},\n"
        f"  howpublished = {{Python package rustcase}},\n"
        f"  note = {{{note}}}\n"
        "}"
    )


def citation_cff(version: str, fingerprint: str | None = None) -> str:
    """A ``CITATION.cff`` (Citation File Format 1.2.0) for a data version."""
    lines = [
        "cff-version: 1.2.0",
        "message: If you use this dataset, please cite it as below, with the data version you used.",
        "type: dataset",
        f'title: "{TITLE}"',
        "authors:",
        f'  - name: "{AUTHOR}"',
        f'version: "{version}"',
        f"license: {LICENSE['name']}",
        f'abstract: "{DESCRIPTION}"',
        "keywords:",
        *(f"  - {k}" for k in ("news", "quotations", "attribution", "annotation", "media research")),
    ]
    if fingerprint:
        lines += [
            "identifiers:",
            "  - type: other",
            f'    value: "{fingerprint}"',
            "    description: Content fingerprint of the data version.",
        ]
    return "\n".join(lines) + "\n"
