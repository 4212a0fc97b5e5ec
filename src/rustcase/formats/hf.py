"""Hugging Face datasets: a directory that
``datasets.load_dataset(DIR, name=TABLE)`` loads offline, one config per table: ``data/<table>.parquet`` and a
dataset card, ``README.md``, whose YAML header declares the configs, each table's features (``ClassLabel``
for every enumeration, taken from the JSON Schemas the models give), the licence, task categories and size.

Offsets (every integer field named ``start``/``end`` or ending in ``_start``/``_end``) count in the unit the
export names; the card's header records it under ``rustcase`` with the versions and fingerprint.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from rustcase.offsets import Offsets

if TYPE_CHECKING:
    from rustcase.dataset import Dataset


def _offset_field(name: str) -> bool:
    return name in ("start", "end") or name.endswith(("_start", "_end"))


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return dict(defs[node["$ref"].rsplit("/", 1)[1]])
    options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
    return _resolve(options[0], defs) if len(options) == 1 else node


def _features(feature: Any, node: dict[str, Any], defs: dict[str, Any]) -> Any:
    """``feature`` (from the Arrow schema) with every enumeration of the JSON Schema as a ``ClassLabel``."""
    import datasets

    node = _resolve(node, defs)
    if "enum" in node:
        return datasets.ClassLabel(names=[str(v) for v in node["enum"]])
    if isinstance(feature, dict):
        props = node.get("properties", {})
        return {k: _features(v, props.get(k, {}), defs) for k, v in feature.items()}
    sequences = tuple(
        t for t in (list, getattr(datasets, "Sequence", None), getattr(datasets, "List", None)) if isinstance(t, type)
    )
    if isinstance(feature, sequences):
        inner = feature[0] if isinstance(feature, list) else getattr(feature, "feature")  # noqa: B009
        return [_features(inner, node.get("items", {}), defs)]
    return feature


def features(table: str) -> Any:
    """The ``datasets.Features`` of a table: the Arrow schema's types, enumerations as ``ClassLabel``."""
    import datasets

    from rustcase import metadata, schema

    json_schema = metadata.tables()[table]["json_schema"]
    arrow = datasets.Features.from_arrow_schema(schema.arrow_schema(table))
    return datasets.Features(_features(dict(arrow), json_schema, json_schema.get("$defs", {})))


def _convert(value: Any, offsets: dict[str, Offsets], article: str | None) -> Any:
    if isinstance(value, list | tuple):
        return [_convert(v, offsets, article) for v in value]
    if not isinstance(value, dict):
        return value
    article = value.get("article_id", article)
    return {
        k: offsets[article].encode(v)
        if _offset_field(k) and isinstance(v, int) and article
        else _convert(v, offsets, article)
        for k, v in value.items()
    }


def rows(ds: Dataset, table: str, unit: str) -> list[dict[str, Any]]:
    """The table's records as rows, offsets in ``unit``."""
    records = [r.model_dump() for r in getattr(ds, table).values()]
    if unit == "codepoint":
        return records
    offsets = {a.article_id: Offsets(a.text, unit) for a in ds.articles.values()}
    return [_convert(r, offsets, None) for r in records]


def card(ds: Dataset, about: dict[str, str], infos: list[dict[str, Any]]) -> str:
    """The dataset card: a YAML header for the loader and the Hub, then a short description."""
    import yaml

    from rustcase import metadata
    from rustcase.tables import TABLE_KEYS

    rows_total = sum(len(getattr(ds, t)) for t in TABLE_KEYS)
    header = {
        "license": metadata.LICENSE["name"].lower(),
        "language": ["en"],
        "pretty_name": metadata.TITLE,
        "task_categories": ["token-classification", "text-classification"],
        "size_categories": ["n<1K" if rows_total < 1000 else "1K<n<10K"],
        "configs": [
            {
                "config_name": info["config_name"],
                "data_files": [{"split": "train", "path": f"data/{info['config_name']}.parquet"}],
            }
            for info in infos
        ],
        "dataset_info": infos,
        "rustcase": about,
    }
    return (
        "---\n"
        + yaml.safe_dump(header, sort_keys=False, allow_unicode=True)
        + "---\n\n"
        + f"# {metadata.TITLE}\n\n{metadata.DESCRIPTION}\n\n"
        + f"Data version {about['data_version']} ({about['fingerprint']}), exported by rustcase "
        + f"{about['rustcase_version']}; offsets count {about['offsets']}. One config per table: "
        + "`datasets.load_dataset(DIR, name=TABLE)`.\n\n"
        + "## Datasheet\n\n"
        + "".join(f"- **{key}**: {' '.join(sentences)}\n" for key, sentences in metadata.DATASHEET.items())
    )


def write(ds: Dataset, unit: str, about: dict[str, str]) -> dict[str, bytes]:
    import datasets
    import pyarrow.parquet as pq

    from rustcase.tables import TABLE_KEYS

    files: dict[str, bytes] = {}
    infos = []
    for table in TABLE_KEYS:
        feats = features(table)
        data = datasets.Dataset.from_list(rows(ds, table, unit), features=feats)
        buffer = io.BytesIO()
        pq.write_table(data.data.table, buffer)  # the features travel in the schema's metadata
        files[f"data/{table}.parquet"] = buffer.getvalue()
        info = datasets.DatasetInfo(features=feats, config_name=table)._to_yaml_dict()
        infos.append({"config_name": table, **info, "splits": [{"name": "train", "num_examples": len(data)}]})
    files["README.md"] = card(ds, about, infos).encode()
    return files


def to_hf(table: str, version: str | None = None) -> Any:
    """A table of a shipped data version as a ``datasets.Dataset``, enumerations as ``ClassLabel`` (extra ``hf``)."""
    from rustcase.dataset import load
    from rustcase.errors import MissingExtraError
    from rustcase.tables import check_table

    check_table(table)
    try:
        import datasets
    except ImportError:
        raise MissingExtraError("datasets", "hf") from None
    return datasets.Dataset.from_list(rows(load(version), table, "codepoint"), features=features(table))
