"""The exceptions rustcase raises; every one says what was wrong and where, for one-line CLI messages."""

from __future__ import annotations


class RustcaseError(Exception):
    """Base of every error rustcase raises on purpose."""


class UnknownTableError(RustcaseError, KeyError):
    """A table name that is not one of rustcase's tables."""

    def __init__(self, table: str) -> None:
        from rustcase.tables import TABLE_KEYS

        self.table = table
        super().__init__(f"unknown table {table!r}; the tables are: {', '.join(TABLE_KEYS)}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownIdError(RustcaseError, KeyError):
    """An ID that no record of the kind asked for has (``ds.quotes_by("per-nobody")``, ``ds.entity("nope")``)."""

    def __init__(self, record_id: object, kind: str = "record", hint: str = "") -> None:
        self.record_id = record_id
        shown = repr(record_id)  # whole up to 100 characters; a longer one is cut, with its length
        if len(str(record_id)) > 100:
            shown = f"{shown[:79]}… ({len(str(record_id)):,} characters)"
        super().__init__(f"no {kind} has the ID {shown}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownFormatError(RustcaseError, ValueError):
    """An export format rustcase does not write."""


class ExportError(RustcaseError):
    """An export that cannot be written (existing files, an unwritable directory)."""


class UnknownEngineError(RustcaseError, ValueError):
    """A validation engine rustcase does not have."""


class UnknownVersionError(RustcaseError, LookupError):
    """A data version or fingerprint that no shipped version has; the message lists the available ones."""


class DataFileError(RustcaseError):
    """A data file that is missing, damaged or changed, or cannot be read as the table it should hold."""


class InputFileError(RustcaseError, ValueError):
    """A user's file that cannot be read as a table: not a regular file, damaged, or claiming more than it
    holds. ``row`` is where reading stopped, numbered as `rustcase validate` numbers that format's rows."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


class CorpusError(InputFileError):
    """A corpus that export or sql cannot scan as rustcase's tables: no such directory, a file that is not
    Parquet, columns that do not fit the schema. The command line exits 2 (unusable input)."""


class MissingExtraError(RustcaseError, ImportError):
    """An optional dependency (pandas, polars) that the call needs is not installed."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is not installed; install it with: pip install 'rustcase[{extra}]' "
            f"(in a clone of the repository: pip install '.[{extra}]')"
        )


class CollectionError(RustcaseError):
    """An annotation tool's collection that cannot be imported: the message names the file, line or task,
    and what was expected (a span whose text does not match the article, an unknown ID, a missing speaker)."""
