"""Schemas derived from the record models: Arrow schemas, JSON Schemas and the data dictionary.

Nothing here defines a field; every schema is computed from ``rustcase.models`` so that
they cannot disagree with each other.
"""

from __future__ import annotations

import datetime
import types
import typing
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter

from rustcase.errors import UnknownTableError
from rustcase.models import TABLES, Record

if TYPE_CHECKING:
    import pyarrow as pa

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def table_model(table: str) -> type[Record]:
    """The record model of ``table``; raises `UnknownTableError` for a name that is not a table."""
    try:
        return TABLES[table].model
    except KeyError:
        raise UnknownTableError(table) from None


def unwrap_annotation(tp: Any) -> tuple[Any, bool]:
    """Strip ``Annotated`` and ``None`` from a type; return the bare type and whether it was optional."""
    nullable = False
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            nullable = nullable or len(args) < len(get_args(tp))
            if len(args) != 1:
                raise TypeError(f"unsupported union {tp!r}")
            tp = args[0]
        else:
            return tp, nullable


def sequence_item(tp: Any) -> Any | None:
    """The item type of a list field, ``tuple[X, ...]`` (immutable: a record never changes), else None."""
    args = get_args(tp)
    return args[0] if get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis else None


def _arrow_type(tp: Any) -> pa.DataType:
    import pyarrow as pa

    tp, _ = unwrap_annotation(tp)
    item = sequence_item(tp)
    if item is not None:
        return pa.list_(_arrow_field("item", item))
    origin = get_origin(tp)
    if origin is Literal or tp is str:
        return pa.string()
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return pa.struct([_arrow_field(n, f.annotation, f.description) for n, f in tp.model_fields.items()])
    simple: dict[Any, pa.DataType] = {
        bool: pa.bool_(),
        int: pa.int64(),
        datetime.date: pa.date32(),
    }
    if tp in simple:
        return simple[tp]
    raise TypeError(f"no Arrow type for {tp!r}")


def _arrow_field(name: str, annotation: Any, description: str | None = None) -> pa.Field:
    import pyarrow as pa

    _, nullable = unwrap_annotation(annotation)
    metadata = {"description": description} if description else None
    return pa.field(name, _arrow_type(annotation), nullable=nullable, metadata=metadata)


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table``: one field per model field, lists and structs kept native."""
    import pyarrow as pa

    model = table_model(table)
    fields = [_arrow_field(n, f.annotation, f.description) for n, f in model.model_fields.items()]
    doc = (model.__doc__ or "").strip()
    return pa.schema(fields, metadata={"table": table, "description": doc})


def json_schema(table: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one record of ``table``, as exported to JSON and JSON Lines."""
    model = table_model(table)
    schema = TypeAdapter(model).json_schema(mode="serialization")
    return {"$schema": JSON_SCHEMA_DIALECT, "title": table, **{k: v for k, v in schema.items() if k != "title"}}


def _type_name(annotation: Any) -> str:
    tp, nullable = unwrap_annotation(annotation)
    origin = get_origin(tp)
    if sequence_item(tp) is not None:
        name = f"list of {_type_name(sequence_item(tp))}"
    elif origin is Literal:
        name = " \\| ".join(f"`{a}`" for a in get_args(tp))
    elif isinstance(tp, type) and issubclass(tp, BaseModel):
        name = tp.__name__
    else:
        name = {str: "string", int: "integer", bool: "boolean", datetime.date: "date"}[tp]
    return f"{name} or null" if nullable else name


def data_dictionary() -> str:
    """The data dictionary as Markdown: every table and nested type, every field with type and description."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `rustcase.models` by `python tools/build_data.py`; do not edit.",
        "",
    ]
    nested: dict[str, type[BaseModel]] = {}

    def section(title: str, model: type[BaseModel]) -> None:
        lines.extend(
            [
                f"## {title}",
                "",
                (model.__doc__ or "").strip(),
                "",
                "| field | type | description |",
                "| --- | --- | --- |",
            ]
        )
        for name, field in model.model_fields.items():
            lines.append(f"| `{name}` | {_type_name(field.annotation)} | {field.description} |")
            tp, _ = unwrap_annotation(field.annotation)
            if sequence_item(tp) is not None:
                tp, _ = unwrap_annotation(sequence_item(tp))
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                nested[tp.__name__] = tp
        lines.append("")

    for table, spec in TABLES.items():
        section(f"`{table}` ({spec.model.__name__}, key `{spec.key}`)", spec.model)
    for name in sorted(nested):
        section(f"{name} (nested)", nested[name])
    return "\n".join(lines)


def _field_type(annotation: Any) -> tuple[str, bool, list[str] | None]:
    """Table Schema type, whether the value is required, and the allowed values of an enumeration."""
    tp, nullable = unwrap_annotation(annotation)
    origin = get_origin(tp)
    if origin is Literal:
        return "string", not nullable, [str(a) for a in get_args(tp)]
    if sequence_item(tp) is not None:
        return "array", not nullable, None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "object", not nullable, None
    names = {str: "string", int: "integer", bool: "boolean", datetime.date: "date"}
    return names[tp], not nullable, None


def table_metadata(table: str) -> dict[str, Any]:
    """What the export metadata needs of a table, derived from its model, for `rustcase/schemas.json`."""
    model = table_model(table)
    fields = []
    for name, info in model.model_fields.items():
        kind, required, enum = _field_type(info.annotation)
        field: dict[str, Any] = {"name": name, "type": kind, "required": required, "description": info.description}
        if enum:
            field["enum"] = enum
        fields.append(field)
    return {
        "key": TABLES[table].key,
        "description": (model.__doc__ or "").strip(),
        "fields": fields,
        "json_schema": json_schema(table),
    }


def schemas_document() -> bytes:
    """The content of ``rustcase/schemas.json``, every table's `table_metadata`: what the build writes and
    what ``rustcase verify`` compares the shipped file with."""
    from rustcase.formats import json_document

    return json_document({table: table_metadata(table) for table in TABLES})
