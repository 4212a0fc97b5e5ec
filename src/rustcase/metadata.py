"""Standard metadata, derived from the models and the data: Frictionless Data Package, Croissant, citations.

Every exported directory carries a ``datapackage.json`` and a ``croissant.json`` describing its files, so
that tools which know nothing of rustcase can read and check it.
"""

from __future__ import annotations

import functools
import json
import typing
from collections.abc import Mapping
from typing import Any

from rustcase.formats import REGISTRY
from rustcase.tables import TABLE_KEYS

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
SCHEMAS_FILE = "schemas.json"
"""Each table's metadata derived from the models, in the package beside ``data/``; the lock file vouches for it."""


@functools.cache
def tables() -> dict[str, dict[str, Any]]:
    """Each table's key, description, fields and JSON Schema: ``schemas.json``, derived from the models by
    the build (a test keeps it current), so that exports need neither pydantic nor the models."""
    from rustcase.versions import package_file

    loaded: dict[str, dict[str, Any]] = json.loads(package_file(SCHEMAS_FILE))
    return loaded


def table_schema(table: str, resources_: typing.Collection[str] = tuple(TABLE_KEYS)) -> dict[str, Any]:
    """The Frictionless Table Schema of ``table``; foreign keys only to tables in ``resources_``."""
    fields = []
    for field in tables()[table]["fields"]:
        constraints: dict[str, Any] = {"required": field["required"]}
        if "enum" in field:
            constraints["enum"] = field["enum"]
        fields.append(
            {
                "name": field["name"],
                "type": field["type"],
                "description": field["description"],
                "constraints": constraints,
            }
        )
    foreign = [
        {"fields": name, "reference": {"resource": target, "fields": TABLE_KEYS[target]}}
        for name, target in FOREIGN_KEYS.get(table, {}).items()
        if target in resources_
    ]
    schema: dict[str, Any] = {"fields": fields, "primaryKey": [TABLE_KEYS[table]]}
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def datapackage(
    fmt: str, files: Mapping[str, FileEntry], version: str | None, sources: list[dict[str, str]]
) -> dict[str, Any]:
    """A Frictionless (tabular) Data Package describing exported files: ``files`` maps table to its entry.
    Without a data ``version``, the files are a corpus's in rustcase's schema: its ``sources`` name it."""
    resources = []
    for table, entry in files.items():
        resource: dict[str, Any] = {
            "name": table,
            "path": entry["path"],
            "profile": "tabular-data-resource",
            "format": fmt,
            "mediatype": REGISTRY[fmt].media_type,
            "description": tables()[table]["description"],
            "schema": table_schema(table, files),
        }
        if REGISTRY[fmt].hashable_bytes:  # frictionless cannot count the bytes of a JSON array; the manifest can
            resource.update(bytes=entry["bytes"], hash=f"sha256:{entry['sha256']}")
        if REGISTRY[fmt].text:
            resource["encoding"] = "utf-8"
        resources.append(resource)
    if version is None:
        about = "Tables in the schema of rustcase (their columns checked, their values not: rustcase validate)"
        return {
            "profile": "tabular-data-package",
            "name": f"{NAME}-corpus",
            "title": about,
            "sources": sources,
            "resources": resources,
        }
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
    "prov": "http://www.w3.org/ns/prov#",
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
            "encodingFormat": REGISTRY[fmt].media_type,
            "sha256": entry["sha256"],
        }
        for entry in files.values()
    ]
    record_sets = []
    for table, entry in files.items():
        fields = [
            {
                "@type": "cr:Field",
                "@id": f"{table}/{field['name']}",
                "name": field["name"],
                "description": field["description"]
                + ("" if field["type"] in _CROISSANT_TYPES or fmt != "csv" else " (JSON text in CSV)"),
                "dataType": _CROISSANT_TYPES.get(field["type"], "sc:Text"),
                "source": {"fileObject": {"@id": entry["path"]}, "extract": {"column": field["name"]}},
            }
            for field in tables()[table]["fields"]
        ]
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": table,
                "name": table,
                "description": tables()[table]["description"],
                "key": {"@id": f"{table}/{TABLE_KEYS[table]}"},
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
        **{f"rai:{key}": " ".join(sentences) for key, sentences in DATASHEET.items()},
        **provenance(version),
        "distribution": distribution,
        "recordSet": record_sets,
    }


DATASHEET: dict[str, tuple[str, ...]] = {
    "dataCollection": (
        "The five texts were collected from the web in December 2021, as they stood",
        "None on the texts: they are byte-for-byte the collected files (a test compares them with the originals).",
    ),
    "dataAnnotationProtocol": (
        "Labelling followed the annotation guide (PARC 3.0 for attributions, Quotebank and MemeTracker for quote "
        "variants, ACE 2005 for entities, mentions and event roles, TimeML/TIMEX3 for dates, FactBank for the "
        "reporter's commitment, Emergent/FEVER for stances).",
    ),
    "annotationsPerItem": (
        "Annotations per item: two independent passes.",
        "Every quote and mention was annotated by a first pass and again, from scratch, by a second pass that did "
        "not see it; events and claims had a second, independent pass too.",
    ),
    "annotatorDemographics": (
        "Who annotated: the rustcase developers, a separate annotator per table and pass; no crowd work, and no "
        "demographic data about the annotators was collected.",
    ),
    "dataLimitations": (
        "Not suitable for: establishing what happened on the set of Rust (the data records what five articles "
        "reported, not the facts), or statistical claims about news coverage in general (five articles).",
    ),
    "dataBiases": (
        "The articles are a convenience sample of the coverage (five texts collected by the project's founders)",
    ),
    "personalSensitiveInformation": (
        "Yes: public figures and people named in published news reports (the actor, the victims, crew members, "
        "officials, lawyers). Nothing beyond what the articles published is added.",
        "The texts describe a fatal shooting and quote an accusation of murder.",
    ),
    "dataUseCases": (
        "Intended: studies of attribution and quotation practice, cross-outlet comparison of quotes, teaching "
        "annotation, testing quote-attribution or claim-detection systems on a small, fully checked gold set.",
    ),
    "dataSocialImpact": ("Risks: the data concerns real people and a death; quotes should be used in their context.",),
    "dataReleaseMaintenancePlan": (
        "A released data version never changes, and every released version ships in every later package",
        "Errata: reported as issues on the project; a correction is a new data version, never an edit of a "
        "released one.",
    ),
}
"""The datasheet's answers to Croissant's Responsible AI questions (``rai:`` properties), in docs/datasheet.md's
own words (a test finds each sentence there); the Croissant metadata and the Hugging Face card use them."""

CURATION_PASSES = (
    "first pass: quotes, mentions, entities, events, claims and utterances, each by its own annotator",
    "second pass: quotes and mentions annotated again from scratch, events and claims independently",
    "reconciliation: every difference resolved, the deciding rule written into the annotation guide",
    "errata: each later data version's corrections, with the article words that show them (data/errata)",
)
"""The curation passes between the source files and the records (Croissant provenance, docs/curation-report.md)."""


def provenance(version: str) -> dict[str, Any]:
    """PROV-O provenance for Croissant: the source files (by the SHA-256 of their bytes, which the article
    texts repeat verbatim) and the curation passes that produced the records."""
    import hashlib

    from rustcase import store

    articles = store.read_table("articles", version).select(["article_id", "source_file", "text"]).to_pylist()
    return {
        "prov:wasDerivedFrom": [
            {
                "@id": f"urn:sha256:{hashlib.sha256(a['text'].encode()).hexdigest()}",
                "name": a["source_file"],
                "description": f"the verbatim text of {a['article_id']}",
            }
            for a in articles
        ],
        "prov:wasGeneratedBy": [{"@type": "prov:Activity", "description": step} for step in CURATION_PASSES],
    }


BUILT = {"1.0.0": "2026-11-21", "2.0.0": "2026-12-06"}
"""The day each data version was built (its first commit); a citation's year. A test keeps it complete."""


def bibtex(version: str, fingerprint: str | None = None) -> str:
    """A BibTeX entry for a data version, with the year it was built; the fingerprint pins the exact content."""
    note = f"Data version {version}" + (f", content fingerprint {fingerprint}" if fingerprint else "")
    year = BUILT.get(version, "")[:4]
    return (
        f"@misc{{rustcase_{version.replace('.', '_')},\n"
        f"  title = {{{TITLE}}},\n"
        f"  author = {{{{{AUTHOR}}}}},\n"
        + (f"  year = {{{year}}},\n" if year else "")
        + f"  version = {{{version}}},\n"
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


def _plain_type(prop: Mapping[str, Any]) -> tuple[str, bool, list[Any]]:
    """A JSON Schema property's type in plain words, whether it may be null, and its allowed values if listed."""
    options = prop.get("anyOf", [prop])
    nullable = any(o.get("type") == "null" for o in options)
    names, values = [], []
    for option in (o for o in options if o.get("type") != "null"):
        if "$ref" in option:
            names.append(option["$ref"].rsplit("/", 1)[-1])
        elif option.get("type") == "array":
            names.append(f"list of {_plain_type(option['items'])[0]}")
        elif option.get("format") == "date":
            names.append("date (YYYY-MM-DD)")
        else:
            values += option.get("enum", [])
            plain = {"string": "text", "boolean": "true/false"}.get(option.get("type", ""), option.get("type", "any"))
            names.append(plain + (" (listed values)" if "enum" in option else ""))
    return " or ".join(names), nullable, values


def schema_text(table: str) -> list[str]:
    """The columns of ``table`` (and of its nested records) with type, whether required, and description."""
    from rustcase.tables import check_table

    json_schema = tables()[check_table(table)]["json_schema"]
    lines = [f"{table}: {json_schema['description']} Key: {TABLE_KEYS[table]}.", ""]

    def columns(schema: Mapping[str, Any]) -> list[str]:
        rows = [("column", "type", "required", "description")]
        for name, prop in schema["properties"].items():
            type_name, nullable, values = _plain_type(prop)
            description = prop.get("description", "") + (f" Values: {', '.join(values)}." if values else "")
            rows.append((name, type_name, "no (null)" if nullable else "yes", description))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        return ["  ".join([*(r[i].ljust(widths[i]) for i in range(3)), r[3]]).rstrip() for r in rows]

    lines += columns(json_schema)
    for name, nested in json_schema.get("$defs", {}).items():
        lines += ["", f"{name} (nested): {nested.get('description', '')}", ""]
        lines += columns(nested)
    return lines
