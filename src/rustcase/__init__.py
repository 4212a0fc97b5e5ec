"""rustcase: a curated dataset of five news articles on Alec Baldwin's ABC interview about the *Rust* shooting.

``import rustcase`` is instant: the names below are imported from their modules on first use.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing would double the import time

if TYPE_CHECKING:
    from typing import Any

    from rustcase.changes import (
        DataDiff as DataDiff,
        Erratum as Erratum,
        TableDiff as TableDiff,
        diff as diff,
    )
    from rustcase.dataset import (
        Dataset as Dataset,
        Table as Table,
        load as load,
        load_articles as load_articles,
        load_claims as load_claims,
        load_events as load_events,
        load_mentions as load_mentions,
        load_organizations as load_organizations,
        load_people as load_people,
        load_places as load_places,
        load_quotes as load_quotes,
        load_table as load_table,
        load_utterances as load_utterances,
        load_works as load_works,
    )
    from rustcase.engines import (
        validate_spark as validate_spark,
    )
    from rustcase.errors import (
        CorpusError as CorpusError,
        DataFileError as DataFileError,
        ExportError as ExportError,
        MissingExtraError as MissingExtraError,
        RustcaseError as RustcaseError,
        UnknownEngineError as UnknownEngineError,
        UnknownFormatError as UnknownFormatError,
        UnknownIdError as UnknownIdError,
        UnknownTableError as UnknownTableError,
        UnknownVersionError as UnknownVersionError,
    )
    from rustcase.explorer import (
        write_html as write_html,
    )
    from rustcase.export import (
        export_collection as export_collection,
        export_tables as export_tables,
        write_table as write_table,
    )
    from rustcase.formats import (
        FORMATS as FORMATS,
    )
    from rustcase.formats.hf import (
        to_hf as to_hf,
    )
    from rustcase.imports import (
        import_collection as import_collection,
    )
    from rustcase.integrity import (
        verify_export as verify_export,
        verify_version as verify_version,
    )
    from rustcase.models import (
        TABLES as TABLES,
        Article as Article,
        Claim as Claim,
        Event as Event,
        Mention as Mention,
        Organization as Organization,
        Person as Person,
        Place as Place,
        Quote as Quote,
        Utterance as Utterance,
        Work as Work,
    )
    from rustcase.query import (
        QueryError as QueryError,
        connect as connect,
        sql as sql,
    )
    from rustcase.related import (
        lookup as lookup,
    )
    from rustcase.schema import (
        arrow_schema as arrow_schema,
        json_schema as json_schema,
    )
    from rustcase.scoring import (
        score as score,
    )
    from rustcase.store import (
        paths as paths,
        read_table as read_table,
        to_pandas as to_pandas,
        to_polars as to_polars,
    )
    from rustcase.validation import (
        Problem as Problem,
        Report as Report,
        validate as validate,
    )
    from rustcase.versions import (
        available as available,
    )

_EXPORTS = {
    "changes": ["DataDiff", "Erratum", "TableDiff", "diff"],
    "dataset": [
        "Dataset",
        "Table",
        "load",
        "load_articles",
        "load_claims",
        "load_events",
        "load_mentions",
        "load_organizations",
        "load_people",
        "load_places",
        "load_quotes",
        "load_table",
        "load_utterances",
        "load_works",
    ],
    "engines": ["validate_spark"],
    "errors": [
        "CorpusError",
        "DataFileError",
        "ExportError",
        "MissingExtraError",
        "RustcaseError",
        "UnknownEngineError",
        "UnknownFormatError",
        "UnknownIdError",
        "UnknownTableError",
        "UnknownVersionError",
    ],
    "explorer": ["write_html"],
    "export": ["export_collection", "export_tables", "write_table"],
    "formats": ["FORMATS"],
    "formats.hf": ["to_hf"],
    "imports": ["import_collection"],
    "integrity": ["verify_export", "verify_version"],
    "models": [
        "TABLES",
        "Article",
        "Claim",
        "Event",
        "Mention",
        "Organization",
        "Person",
        "Place",
        "Quote",
        "Utterance",
        "Work",
    ],
    "query": ["QueryError", "connect", "sql"],
    "related": ["lookup"],
    "schema": ["arrow_schema", "json_schema"],
    "scoring": ["score"],
    "store": [
        "paths",
        "read_table",
        "to_pandas",
        "to_polars",
    ],
    "validation": ["Problem", "Report", "validate"],
    "versions": ["available"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = ["DATA_VERSION", "__version__", *sorted(_MODULE_OF)]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("rustcase")
    if name == "DATA_VERSION":
        from rustcase.versions import latest

        return latest()
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'rustcase' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"rustcase.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
