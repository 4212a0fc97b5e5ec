"""rustcase: a curated dataset of five news articles on Alec Baldwin's ABC interview about the *Rust* shooting.

``import rustcase`` is instant: the names below are imported from their modules on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rustcase.dataset import (
        Dataset as Dataset,
    )
    from rustcase.dataset import (
        Table as Table,
    )
    from rustcase.dataset import (
        load as load,
    )
    from rustcase.diff import DataDiff as DataDiff
    from rustcase.diff import TableDiff as TableDiff
    from rustcase.diff import diff as diff
    from rustcase.errors import (
        DataFileError as DataFileError,
    )
    from rustcase.errors import (
        ExportError as ExportError,
    )
    from rustcase.errors import (
        MissingExtraError as MissingExtraError,
    )
    from rustcase.errors import (
        RustcaseError as RustcaseError,
    )
    from rustcase.errors import (
        UnknownFormatError as UnknownFormatError,
    )
    from rustcase.errors import (
        UnknownTableError as UnknownTableError,
    )
    from rustcase.export import (
        export_tables as export_tables,
    )
    from rustcase.export import (
        write_table as write_table,
    )
    from rustcase.formats import (
        FORMATS as FORMATS,
    )
    from rustcase.models import (
        TABLES as TABLES,
    )
    from rustcase.models import (
        Article as Article,
    )
    from rustcase.models import (
        Claim as Claim,
    )
    from rustcase.models import (
        Event as Event,
    )
    from rustcase.models import (
        Mention as Mention,
    )
    from rustcase.models import (
        Organization as Organization,
    )
    from rustcase.models import (
        Person as Person,
    )
    from rustcase.models import (
        Place as Place,
    )
    from rustcase.models import (
        Quote as Quote,
    )
    from rustcase.models import (
        Utterance as Utterance,
    )
    from rustcase.models import (
        Work as Work,
    )
    from rustcase.schema import (
        arrow_schema as arrow_schema,
    )
    from rustcase.schema import (
        json_schema as json_schema,
    )
    from rustcase.store import (
        load_articles as load_articles,
    )
    from rustcase.store import (
        load_claims as load_claims,
    )
    from rustcase.store import (
        load_events as load_events,
    )
    from rustcase.store import (
        load_mentions as load_mentions,
    )
    from rustcase.store import (
        load_organizations as load_organizations,
    )
    from rustcase.store import (
        load_people as load_people,
    )
    from rustcase.store import (
        load_places as load_places,
    )
    from rustcase.store import (
        load_quotes as load_quotes,
    )
    from rustcase.store import (
        load_table as load_table,
    )
    from rustcase.store import (
        load_utterances as load_utterances,
    )
    from rustcase.store import (
        load_works as load_works,
    )
    from rustcase.store import (
        paths as paths,
    )
    from rustcase.store import (
        read_table as read_table,
    )
    from rustcase.store import (
        to_pandas as to_pandas,
    )
    from rustcase.store import (
        to_polars as to_polars,
    )
    from rustcase.versions import available as available

_EXPORTS = {
    "dataset": ["Dataset", "Table", "load"],
    "errors": [
        "DataFileError",
        "ExportError",
        "MissingExtraError",
        "RustcaseError",
        "UnknownFormatError",
        "UnknownTableError",
        "UnknownVersionError",
    ],
    "integrity": ["verify_export", "verify_version"],
    "diff": ["DataDiff", "TableDiff", "diff"],
    "export": ["export_tables", "write_table"],
    "formats": ["FORMATS"],
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
    "schema": ["arrow_schema", "json_schema"],
    "versions": ["available"],
    "store": [
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
        "paths",
        "read_table",
        "to_pandas",
        "to_polars",
    ],
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
